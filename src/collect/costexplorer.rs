//! Cost Explorer (account-wide): anomaly monitors and their subscriptions.

use aws_sdk_costexplorer as ce;

use super::context::{Ctx, Pages, client};
use super::error::iam_action;
use crate::snapshot::{AnomalyMonitor, AnomalySubscription, ReadError};

const SERVICE: &str = "Cost Explorer"; // i18n: technical

pub(crate) async fn monitors(ctx: &Ctx) -> Result<Vec<AnomalyMonitor>, ReadError> {
    let region = ctx.global_region();
    let client = client!(ctx, ce, region);
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "GetAnomalyMonitors")); // i18n: technical
    let mut pages = client.get_anomaly_monitors().into_paginator().send();
    while let Some(page) = ctx.call_to(SERVICE, region, pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "GetAnomalyMonitors", region))?; // i18n: technical
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
    let mut guard = Pages::new(iam_action(SERVICE, "GetAnomalySubscriptions")); // i18n: technical
    let mut pages = client.get_anomaly_subscriptions().into_paginator().send();
    while let Some(page) = ctx.call_to(SERVICE, region, pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "GetAnomalySubscriptions", region))?; // i18n: technical
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
                declined: s
                    .subscribers()
                    .iter()
                    .filter(|x| {
                        x.status()
                            .is_some_and(|st| *st == ce::types::SubscriberStatus::Declined)
                    })
                    .filter_map(|x| x.address())
                    .map(str::to_string)
                    .collect(),
                threshold: s.threshold_expression().and_then(threshold).or_else(|| {
                    // Subscriptions made before ThresholdExpression carry only this.
                    #[allow(deprecated)]
                    s.threshold().map(|t| format!("total impact >= {t}")) // i18n: technical
                }),
            }
        }));
    }
    Ok(out)
}

/// A subscription's ThresholdExpression in words: its ANOMALY_TOTAL_IMPACT_ABSOLUTE
/// ("total impact >= 100") and ANOMALY_TOTAL_IMPACT_PERCENTAGE ("total impact >= 40%")
/// conditions, joined by their AND / OR
/// (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_AnomalySubscription.html).
fn threshold(e: &ce::types::Expression) -> Option<String> {
    if let Some(d) = e.dimensions() {
        let key = d.key()?.as_str();
        let value = d.values().first()?;
        let op = match d.match_options().first().map(|m| m.as_str()) {
            Some("GREATER_THAN_OR_EQUAL") | None => ">=",
            Some(other) => other,
        };
        return match key {
            "ANOMALY_TOTAL_IMPACT_ABSOLUTE" => Some(format!("total impact {op} {value}")), // i18n: technical
            "ANOMALY_TOTAL_IMPACT_PERCENTAGE" => Some(format!("total impact {op} {value}%")), // i18n: technical
            _ => None,
        };
    }
    let join = |parts: &[ce::types::Expression], word: &str| {
        let parts: Vec<String> = parts.iter().filter_map(threshold).collect();
        (!parts.is_empty()).then(|| parts.join(word))
    };
    join(e.and(), " and ").or_else(|| join(e.or(), " or "))
}

/// Last calendar month's unblended cost in USD (GetCostAndUsage, MONTHLY), to suggest a
/// budget amount. Cost Explorer bills each API request ($0.01), so this is read only
/// when a fix is about to create a budget without an amount, never in a scan.
pub(crate) async fn last_month_cost(
    ctx: &Ctx,
    today: chrono::NaiveDate,
) -> Result<Option<f64>, ReadError> {
    use chrono::Datelike as _;
    let region = ctx.global_region();
    let client = client!(ctx, ce, region);
    let this_month = today.with_day(1).unwrap_or(today);
    let last_month = this_month
        .pred_opt()
        .and_then(|d| d.with_day(1))
        .unwrap_or(this_month);
    let period = ce::types::DateInterval::builder()
        .start(last_month.format("%Y-%m-%d").to_string())
        .end(this_month.format("%Y-%m-%d").to_string())
        .build()
        .map_err(|e| ReadError::Other {
            action: iam_action(SERVICE, "GetCostAndUsage"), // i18n: technical
            code: "BuildError".into(),                      // i18n: technical
            message: e.to_string(),
        })?;
    let out = ctx
        .call_to(
            SERVICE,
            region,
            client
                .get_cost_and_usage()
                .time_period(period)
                .granularity(ce::types::Granularity::Monthly)
                .metrics("UnblendedCost") // i18n: technical
                .send(),
        )
        .await
        .map_err(ctx.failed(SERVICE, "GetCostAndUsage", region))?; // i18n: technical
    let total: Option<f64> = out
        .results_by_time()
        .iter()
        .filter_map(|r| r.total())
        .filter_map(|t| t.get("UnblendedCost")) // i18n: technical
        .filter(|m| m.unit().is_none_or(|u| u == "USD"))
        .filter_map(|m| m.amount())
        .filter_map(|a| a.parse::<f64>().ok())
        .reduce(|a, b| a + b);
    Ok(total)
}
