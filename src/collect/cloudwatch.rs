//! CloudWatch: metric and composite alarms with their tags, and the state changes of
//! the 7 days before the scan (for stuck and flapping alarms).

use std::collections::BTreeMap;

use aws_sdk_cloudwatch as cw;
use aws_sdk_cloudwatch::types::{AlarmType, CompositeAlarm, HistoryItemType, MetricAlarm};
use chrono::{DateTime, Duration, Utc};

use super::context::{Ctx, Pages, client, to_read};
use super::error::iam_action;
use crate::snapshot::{Alarm, AlarmMetric, AlarmStateChange, Read, ReadError};

const SERVICE: &str = "CloudWatch";
const HISTORY_DAYS: i64 = 7;

pub(crate) async fn alarms(ctx: &Ctx, region: &str) -> Result<Vec<Alarm>, ReadError> {
    let client = client!(ctx, cw, region);
    let mut alarms = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeAlarms"));
    let mut pages = client
        .describe_alarms()
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .into_paginator()
        .send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "DescribeAlarms", region))?;
        guard.next(page.next_token())?;
        alarms.extend(page.metric_alarms().iter().map(metric_alarm));
        alarms.extend(page.composite_alarms().iter().map(composite_alarm));
    }
    let arns: Vec<String> = alarms.iter().map(|a| a.arn.clone()).collect();
    let client = &client;
    let tags: Vec<Read<BTreeMap<String, String>>> =
        ctx.each(arns, |arn| tags(ctx, client, region, arn)).await;
    for (alarm, tags) in alarms.iter_mut().zip(tags) {
        alarm.tags = tags;
    }
    Ok(alarms)
}

async fn tags(
    ctx: &Ctx,
    client: &cw::Client,
    region: &str,
    arn: String,
) -> Read<BTreeMap<String, String>> {
    let answer = ctx
        .call(client.list_tags_for_resource().resource_arn(arn).send())
        .await
        .map_err(ctx.failed(SERVICE, "ListTagsForResource", region));
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
        tags: untagged(),
    }
}

fn composite_alarm(a: &CompositeAlarm) -> Alarm {
    Alarm {
        name: a.alarm_name().unwrap_or_default().to_string(),
        arn: a.alarm_arn().unwrap_or_default().to_string(),
        kind: "composite".to_string(),
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
        tags: untagged(),
    }
}

pub(crate) async fn history(ctx: &Ctx, region: &str) -> Result<Vec<AlarmStateChange>, ReadError> {
    let client = client!(ctx, cw, region);
    let start = ctx.now - Duration::days(HISTORY_DAYS);
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeAlarmHistory"));
    let mut pages = client
        .describe_alarm_history()
        .history_item_type(HistoryItemType::StateUpdate)
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .start_date(from_chrono(start))
        .end_date(from_chrono(ctx.now))
        .into_paginator()
        .send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "DescribeAlarmHistory", region))?;
        guard.next(page.next_token())?;
        out.extend(page.alarm_history_items().iter().filter_map(|item| {
            Some(AlarmStateChange {
                alarm_name: item.alarm_name()?.to_string(),
                timestamp: item.timestamp().and_then(to_chrono)?,
                summary: item.history_summary().map(str::to_string),
            })
        }));
    }
    Ok(out)
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
