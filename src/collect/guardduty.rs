//! GuardDuty: the detectors of a region, whether each is enabled, and the filters of
//! an enabled one (an ARCHIVE filter is a suppression rule).

use std::collections::BTreeMap;

use aws_sdk_guardduty as gd;

use super::context::{Ctx, Pages, all, client, to_read};
use super::error::iam_action;
use crate::snapshot::{GuardDutyDetector, GuardDutyFilter, ReadError};

const SERVICE: &str = "GuardDuty"; // i18n: technical

pub(crate) async fn detectors(
    ctx: &Ctx,
    region: &str,
) -> Result<Vec<GuardDutyDetector>, ReadError> {
    let client = client!(ctx, gd, region);
    let mut ids = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "ListDetectors")); // i18n: technical
    let mut pages = client.list_detectors().into_paginator().send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "ListDetectors", region))?; // i18n: technical
        guard.next(page.next_token())?;
        ids.extend(page.detector_ids().iter().cloned());
    }
    let client = &client;
    all(ctx
        .each(ids, |id| async move {
            let detector = ctx
                .call(client.get_detector().detector_id(&id).send())
                .await
                .map_err(ctx.failed(SERVICE, "GetDetector", region))?; // i18n: technical
            let status = detector
                .status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default();
            // A disabled detector routes nothing: its filters need no call.
            let filters = if status == "ENABLED" {
                Some(to_read(filters(ctx, client, region, &id).await))
            } else {
                None
            };
            Ok(GuardDutyDetector {
                id,
                status,
                finding_publishing_frequency: detector
                    .finding_publishing_frequency()
                    .map(|f| f.as_str().to_string()),
                filters,
            })
        })
        .await)
}

async fn filters(
    ctx: &Ctx,
    client: &gd::Client,
    region: &str,
    detector: &str,
) -> Result<Vec<GuardDutyFilter>, ReadError> {
    let mut names = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "ListFilters")); // i18n: technical
    let mut pages = client
        .list_filters()
        .detector_id(detector)
        .max_results(50)
        .into_paginator()
        .send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "ListFilters", region))?; // i18n: technical
        guard.next(page.next_token())?;
        names.extend(page.filter_names().iter().cloned());
    }
    all(ctx
        .each(names, |name| async move {
            let got = ctx
                .call(
                    client
                        .get_filter()
                        .detector_id(detector)
                        .filter_name(&name)
                        .send(),
                )
                .await
                .map_err(ctx.failed(SERVICE, "GetFilter", region))?; // i18n: technical
            let criteria = got
                .finding_criteria()
                .and_then(|c| c.criterion())
                .map(|c| {
                    c.iter()
                        .map(|(field, cond)| (field.clone(), condition(cond)))
                        .collect()
                })
                .unwrap_or_default();
            Ok(GuardDutyFilter {
                name,
                action: got
                    .action()
                    .map(|a| a.as_str().to_string())
                    .unwrap_or_default(),
                criteria,
            })
        })
        .await)
}

/// A condition's operators under their current names, legacy forms merged in. The SDK
/// marks the short forms (Eq, Gte, ...) deprecated, but a filter created with them
/// still comes back with them, so both are read.
#[allow(deprecated)]
fn condition(c: &gd::types::Condition) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |op: &str, values: Vec<String>| {
        if !values.is_empty() {
            out.entry(op.to_string()).or_default().extend(values);
        }
    };
    let num = |a: Option<i32>, b: Option<i64>| -> Vec<String> {
        a.map(i64::from)
            .into_iter()
            .chain(b)
            .map(|v| v.to_string())
            .collect()
    };
    add("Eq", [c.eq(), c.equals()].concat()); // i18n: technical
    add("Neq", [c.neq(), c.not_equals()].concat()); // i18n: technical
    add("Gt", num(c.gt(), c.greater_than())); // i18n: technical
    add("Gte", num(c.gte(), c.greater_than_or_equal())); // i18n: technical
    add("Lt", num(c.lt(), c.less_than())); // i18n: technical
    add("Lte", num(c.lte(), c.less_than_or_equal())); // i18n: technical
    add("Matches", c.matches().to_vec()); // i18n: technical
    add("NotMatches", c.not_matches().to_vec()); // i18n: technical
    out
}
