//! CloudWatch Synthetics: canaries and whether each is running.

use aws_sdk_synthetics as syn;

use super::context::{Ctx, Pages, client};
use super::error::iam_action;
use crate::snapshot::{Canary, ReadError};

const SERVICE: &str = "synthetics";

pub(crate) async fn canaries(ctx: &Ctx, region: &str) -> Result<Vec<Canary>, ReadError> {
    let client = client!(ctx, syn, region);
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeCanaries")); // i18n: technical
    let mut pages = client.describe_canaries().into_paginator().send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "DescribeCanaries", region))?; // i18n: technical
        guard.next(page.next_token())?;
        out.extend(page.canaries().iter().map(|c| {
            Canary {
                name: c.name().unwrap_or_default().to_string(),
                state: c
                    .status()
                    .and_then(|s| s.state())
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                schedule: c
                    .schedule()
                    .and_then(|s| s.expression())
                    .map(str::to_string),
            }
        }));
    }
    Ok(out)
}
