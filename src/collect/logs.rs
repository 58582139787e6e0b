//! CloudWatch Logs: log groups and their retention.

use aws_sdk_cloudwatchlogs as logs;

use super::context::{Ctx, Pages, client};
use super::error::iam_action;
use crate::snapshot::{LogGroup, ReadError};

const SERVICE: &str = "CloudWatch Logs"; // i18n: technical

pub(crate) async fn log_groups(ctx: &Ctx, region: &str) -> Result<Vec<LogGroup>, ReadError> {
    let client = client!(ctx, logs, region);
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeLogGroups")); // i18n: technical
    let mut pages = client.describe_log_groups().into_paginator().send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "DescribeLogGroups", region))?; // i18n: technical
        guard.next(page.next_token())?;
        out.extend(page.log_groups().iter().map(|g| {
            LogGroup {
                name: g.log_group_name().unwrap_or_default().to_string(),
                // `arn` ends in ":*"; `logGroupArn` is the group's own ARN.
                arn: g
                    .log_group_arn()
                    .or(g.arn().map(|a| a.trim_end_matches(":*")))
                    .unwrap_or_default()
                    .to_string(),
                retention_days: g.retention_in_days().map(i64::from),
                stored_bytes: g.stored_bytes(),
                class: g.log_group_class().map(|c| c.as_str().to_string()),
            }
        }));
    }
    Ok(out)
}
