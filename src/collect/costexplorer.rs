//! Cost Explorer (account-wide): anomaly monitors and their subscriptions.

use aws_sdk_costexplorer as ce;

use super::context::{Ctx, client};
use super::error::read_error;
use crate::snapshot::{AnomalyMonitor, AnomalySubscription, ReadError};

const SERVICE: &str = "Cost Explorer";
/// Cost Explorer is served from us-east-1 in the commercial partition.
const REGION: &str = "us-east-1";

pub(crate) async fn monitors(ctx: &Ctx) -> Result<Vec<AnomalyMonitor>, ReadError> {
    let client = client!(ctx, ce, REGION);
    let mut out = Vec::new();
    let mut pages = client.get_anomaly_monitors().into_paginator().send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(|e| read_error(SERVICE, "GetAnomalyMonitors", e))?;
        out.extend(page.anomaly_monitors().iter().map(|m| AnomalyMonitor {
            arn: m.monitor_arn().unwrap_or_default().to_string(),
            name: m.monitor_name().to_string(),
            monitor_type: m.monitor_type().as_str().to_string(),
        }));
    }
    Ok(out)
}

pub(crate) async fn subscriptions(ctx: &Ctx) -> Result<Vec<AnomalySubscription>, ReadError> {
    let client = client!(ctx, ce, REGION);
    let mut out = Vec::new();
    let mut pages = client.get_anomaly_subscriptions().into_paginator().send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(|e| read_error(SERVICE, "GetAnomalySubscriptions", e))?;
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
