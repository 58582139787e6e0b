//! GuardDuty: the detectors of a region and whether each is enabled.

use aws_sdk_guardduty as gd;

use super::context::{Ctx, Pages, all, client};
use super::error::iam_action;
use crate::snapshot::{GuardDutyDetector, ReadError};

const SERVICE: &str = "GuardDuty";

pub(crate) async fn detectors(
    ctx: &Ctx,
    region: &str,
) -> Result<Vec<GuardDutyDetector>, ReadError> {
    let client = client!(ctx, gd, region);
    let mut ids = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "ListDetectors"));
    let mut pages = client.list_detectors().into_paginator().send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "ListDetectors", region))?;
        guard.next(page.next_token())?;
        ids.extend(page.detector_ids().iter().cloned());
    }
    let client = &client;
    all(ctx
        .each(ids, |id| async move {
            let detector = ctx
                .call(client.get_detector().detector_id(&id).send())
                .await
                .map_err(ctx.failed(SERVICE, "GetDetector", region))?;
            Ok(GuardDutyDetector {
                id,
                status: detector
                    .status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                finding_publishing_frequency: detector
                    .finding_publishing_frequency()
                    .map(|f| f.as_str().to_string()),
            })
        })
        .await)
}
