//! Cost Explorer (account-wide): anomaly monitors and their subscriptions.

use aws_sdk_costexplorer as ce;

use super::context::{Ctx, Pages, client};
use super::error::iam_action;
use crate::snapshot::{AnomalyMonitor, AnomalySubscription, ReadError};

const SERVICE: &str = "Cost Explorer";

pub(crate) async fn monitors(ctx: &Ctx) -> Result<Vec<AnomalyMonitor>, ReadError> {
    let region = ctx.global_region();
    let client = client!(ctx, ce, region);
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "GetAnomalyMonitors"));
    let mut pages = client.get_anomaly_monitors().into_paginator().send();
    while let Some(page) = ctx.call_to(SERVICE, region, pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "GetAnomalyMonitors", region))?;
        guard.next(page.next_page_token())?;
        out.extend(page.anomaly_monitors().iter().map(|m| AnomalyMonitor {
            arn: m.monitor_arn().unwrap_or_default().to_string(),
            name: m.monitor_name().to_string(),
            monitor_type: m.monitor_type().as_str().to_string(),
        }));
    }
    Ok(out)
}

pub(crate) async fn subscriptions(ctx: &Ctx) -> Result<Vec<AnomalySubscription>, ReadError> {
    let region = ctx.global_region();
    let client = client!(ctx, ce, region);
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "GetAnomalySubscriptions"));
    let mut pages = client.get_anomaly_subscriptions().into_paginator().send();
    while let Some(page) = ctx.call_to(SERVICE, region, pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "GetAnomalySubscriptions", region))?;
        guard.next(page.next_page_token())?;
        out.extend(page.anomaly_subscriptions().iter().map(|s| {
            AnomalySubscription {
                arn: s.subscription_arn().unwrap_or_default().to_string(),
                name: s.subscription_name().to_string(),
                monitor_arns: s.monitor_arn_list().to_vec(),
                subscribers: s
                    .subscribers()
                    .iter()
                    .filter_map(|x| x.address())
                    .map(str::to_string)
                    .collect(),
                frequency: s.frequency().as_str().to_string(),
            }
        }));
    }
    Ok(out)
}
