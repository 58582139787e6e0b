//! CloudWatch: metric and composite alarms with their tags, and the state changes of
//! the 7 days before the scan (for stuck and flapping alarms).

use std::collections::BTreeMap;

use aws_sdk_cloudwatch as cw;
use aws_sdk_cloudwatch::types::{AlarmType, CompositeAlarm, HistoryItemType, MetricAlarm};
use aws_sdk_resourcegroupstagging as tagging;
use chrono::{DateTime, Duration, Utc};

use super::context::{Ctx, Pages, client, to_read};
use super::error::iam_action;
use crate::snapshot::{
    Alarm, AlarmCondition, AlarmMetric, AlarmStateChange, AlarmTagsRead, Read, ReadError,
};

const SERVICE: &str = "CloudWatch"; // i18n: technical
/// The SDK's service id of the Resource Groups Tagging API.
const TAGGING: &str = "Resource Groups Tagging API"; // i18n: technical
/// GetResources' largest page (ResourcesPerPage 1..100).
const TAGGING_PAGE: i32 = 100;
const HISTORY_DAYS: i64 = crate::snapshot::ALARM_HISTORY_DAYS;
/// DescribeAlarms' and DescribeAlarmHistory's largest page (MaxRecords 1..100).
const PAGE: i32 = 100;

/// Every alarm of the region with its tags. The tags come from one Resource Groups
/// Tagging API listing (tag:GetResources, 100 alarms a page) read alongside the alarms,
/// so the calls grow with pages, not with alarms. GetResources returns "all the tagged
/// or previously tagged resources" of a type
/// (https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html),
/// so an alarm it does not list has no tags. Only when that read is denied are the tags
/// read one alarm at a time with cloudwatch:ListTagsForResource, and the snapshot says so.
pub(crate) async fn alarms(
    ctx: &Ctx,
    region: &str,
) -> Result<(Vec<Alarm>, AlarmTagsRead), ReadError> {
    let client = client!(ctx, cw, region);
    let (listed, tagged) = futures::join!(list_alarms(ctx, &client, region), tagged(ctx, region));
    let mut alarms = listed?;
    match tagged {
        Ok(mut by_arn) => {
            for alarm in &mut alarms {
                alarm.tags = Read::Ok(by_arn.remove(&alarm.arn).unwrap_or_default());
            }
            Ok((alarms, AlarmTagsRead::Batch))
        }
        Err(batch_error @ ReadError::AccessDenied { .. }) => {
            let arns: Vec<String> = alarms.iter().map(|a| a.arn.clone()).collect();
            let client = &client;
            let tags: Vec<Read<BTreeMap<String, String>>> =
                ctx.each(arns, |arn| tags(ctx, client, region, arn)).await;
            for (alarm, tags) in alarms.iter_mut().zip(tags) {
                alarm.tags = tags;
            }
            Ok((alarms, AlarmTagsRead::PerAlarm { batch_error }))
        }
        // Throttled past the retries, or a service error: the tags are unknown, and
        // the rules that need them say they could not check.
        Err(e) => {
            for alarm in &mut alarms {
                alarm.tags = Read::Failed(e.clone());
            }
            Ok((alarms, AlarmTagsRead::Batch))
        }
    }
}

async fn list_alarms(
    ctx: &Ctx,
    client: &cw::Client,
    region: &str,
) -> Result<Vec<Alarm>, ReadError> {
    let mut alarms = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeAlarms")); // i18n: technical
    let mut pages = client
        .describe_alarms()
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        // The largest page (1..100): pages are sequential round trips.
        .max_records(PAGE)
        .into_paginator()
        .send();
    while let Some(page) = ctx.call_to(SERVICE, region, pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "DescribeAlarms", region))?; // i18n: technical
        guard.next(page.next_token())?;
        alarms.extend(page.metric_alarms().iter().map(metric_alarm));
        alarms.extend(page.composite_alarms().iter().map(composite_alarm));
    }
    Ok(alarms)
}

/// The tags of every tagged alarm in the region, by ARN.
async fn tagged(
    ctx: &Ctx,
    region: &str,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, ReadError> {
    let client = client!(ctx, tagging, region);
    let mut out = BTreeMap::new();
    let mut guard = Pages::new(iam_action(TAGGING, "GetResources")); // i18n: technical
    let mut pages = client
        .get_resources()
        .resource_type_filters("cloudwatch:alarm")
        .resources_per_page(TAGGING_PAGE)
        .into_paginator()
        .send();
    while let Some(page) = ctx.call_to(TAGGING, region, pages.next()).await {
        let page = page.map_err(ctx.failed(TAGGING, "GetResources", region))?; // i18n: technical
        guard.next(page.pagination_token())?;
        for mapping in page.resource_tag_mapping_list() {
            let Some(arn) = mapping.resource_arn() else {
                continue;
            };
            let tags = mapping
                .tags()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string()))
                .collect();
            out.insert(arn.to_string(), tags);
        }
    }
    Ok(out)
}

async fn tags(
    ctx: &Ctx,
    client: &cw::Client,
    region: &str,
    arn: String,
) -> Read<BTreeMap<String, String>> {
    let answer = ctx
        .call_to(
            SERVICE,
            region,
            client.list_tags_for_resource().resource_arn(arn).send(),
        )
        .await
        .map_err(ctx.failed(SERVICE, "ListTagsForResource", region)); // i18n: technical
    to_read(answer.map(|a| {
        a.tags()
            .iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
            .collect()
    }))
}

fn untagged() -> Read<BTreeMap<String, String>> {
    Read::Ok(BTreeMap::new())
}

fn metric_alarm(a: &MetricAlarm) -> Alarm {
    let mut metrics = Vec::new();
    if let (Some(namespace), Some(name)) = (a.namespace(), a.metric_name()) {
        metrics.push(AlarmMetric {
            namespace: namespace.to_string(),
            metric_name: name.to_string(),
            dimensions: a
                .dimensions()
                .iter()
                .filter_map(|d| Some((d.name()?.to_string(), d.value()?.to_string())))
                .collect(),
        });
    }
    for query in a.metrics() {
        if let Some(m) = query.metric_stat().and_then(|s| s.metric()) {
            metrics.push(AlarmMetric {
                namespace: m.namespace().unwrap_or_default().to_string(),
                metric_name: m.metric_name().unwrap_or_default().to_string(),
                dimensions: m
                    .dimensions()
                    .iter()
                    .filter_map(|d| Some((d.name()?.to_string(), d.value()?.to_string())))
                    .collect(),
            });
        }
    }
    Alarm {
        name: a.alarm_name().unwrap_or_default().to_string(),
        arn: a.alarm_arn().unwrap_or_default().to_string(),
        kind: "metric".to_string(),
        description: a.alarm_description().map(str::to_string),
        alarm_rule: None,
        state: a
            .state_value()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        state_updated_at: in_state_since(
            a.state_transitioned_timestamp(),
            a.state_updated_timestamp(),
        ),
        actions_enabled: a.actions_enabled().unwrap_or(false),
        alarm_actions: a.alarm_actions().to_vec(),
        ok_actions: a.ok_actions().to_vec(),
        insufficient_data_actions: a.insufficient_data_actions().to_vec(),
        metrics,
        condition: a.comparison_operator().map(|c| AlarmCondition {
            comparison: c.as_str().to_string(),
            threshold: a.threshold(),
            treat_missing_data: a.treat_missing_data().map(str::to_string),
        }),
        tags: untagged(),
    }
}

fn composite_alarm(a: &CompositeAlarm) -> Alarm {
    Alarm {
        name: a.alarm_name().unwrap_or_default().to_string(),
        arn: a.alarm_arn().unwrap_or_default().to_string(),
        kind: "composite".to_string(),
        description: a.alarm_description().map(str::to_string),
        alarm_rule: a.alarm_rule().map(str::to_string),
        state: a
            .state_value()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        state_updated_at: in_state_since(
            a.state_transitioned_timestamp(),
            a.state_updated_timestamp(),
        ),
        actions_enabled: a.actions_enabled().unwrap_or(false),
        alarm_actions: a.alarm_actions().to_vec(),
        ok_actions: a.ok_actions().to_vec(),
        insufficient_data_actions: a.insufficient_data_actions().to_vec(),
        metrics: Vec::new(),
        condition: None,
        tags: untagged(),
    }
}

pub(crate) async fn history(ctx: &Ctx, region: &str) -> Result<Vec<AlarmStateChange>, ReadError> {
    let client = client!(ctx, cw, region);
    let start = ctx.now - Duration::days(HISTORY_DAYS);
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeAlarmHistory")); // i18n: technical
    let mut pages = client
        .describe_alarm_history()
        .history_item_type(HistoryItemType::StateUpdate)
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .start_date(from_chrono(start))
        .end_date(from_chrono(ctx.now))
        .max_records(PAGE)
        .into_paginator()
        .send();
    while let Some(page) = ctx.call_to(SERVICE, region, pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "DescribeAlarmHistory", region))?; // i18n: technical
        guard.next(page.next_token())?;
        out.extend(page.alarm_history_items().iter().filter_map(|item| {
            let (old_state, new_state) = states(item.history_data());
            Some(AlarmStateChange {
                alarm_name: item.alarm_name()?.to_string(),
                timestamp: item.timestamp().and_then(to_chrono)?,
                summary: item.history_summary().map(str::to_string),
                old_state,
                new_state,
                drill: is_drill(item.history_data()),
            })
        }));
    }
    Ok(out)
}

/// The states before and after a StateUpdate, from its HistoryData JSON
/// (`{"oldState": {"stateValue": "OK", ...}, "newState": {"stateValue": "ALARM", ...}}`,
/// as DescribeAlarmHistory returns it). Untrusted text: anything else is unknown.
fn states(data: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(value) = data.and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok()) else {
        return (None, None);
    };
    let state = |key: &str| {
        value[key]["stateValue"]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    (state("oldState"), state("newState"))
}

/// Whether a StateUpdate was an onwatch fire drill: its new state's reason is the one
/// a drill sets (HistoryData `newState.stateReason`).
fn is_drill(data: Option<&str>) -> bool {
    data.and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .and_then(|v| v["newState"]["stateReason"].as_str().map(str::to_string))
        .is_some_and(|r| r.contains(crate::fix::drill::DRILL_REASON))
}

/// Since when the alarm has been in its state: StateTransitionedTimestamp is the last
/// change of StateValue; StateUpdatedTimestamp also moves when only the state reason or
/// the evaluation state changes, so it is the fallback for an answer without the first.
fn in_state_since(
    transitioned: Option<&aws_smithy_types::DateTime>,
    updated: Option<&aws_smithy_types::DateTime>,
) -> Option<DateTime<Utc>> {
    transitioned.or(updated).and_then(to_chrono)
}

pub(crate) fn to_chrono(t: &aws_smithy_types::DateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

fn from_chrono(t: DateTime<Utc>) -> aws_smithy_types::DateTime {
    aws_smithy_types::DateTime::from_secs(t.timestamp())
}
