//! Re-reads and writes of the alarms onwatch creates.

use aws_sdk_cloudwatch as cw;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::SdkConfig;
use aws_types::request_id::RequestId;

use super::StepError;
use super::ops::{MANAGED_KEY, MANAGED_VALUE, Written, client, failed, gone, not_handled};
use crate::fix::{NewAlarm, Op, State};
use crate::t;

// Error codes AWS answers with, matched as they are.
const RESOURCE_NOT_FOUND: &str = "ResourceNotFoundException"; // i18n: technical (an error code)

fn client(sdk: &SdkConfig, region: &str) -> cw::Client {
    client!(sdk, cw, region)
}

pub(super) async fn read_state(sdk: &SdkConfig, region: &str, op: &Op) -> Result<State, StepError> {
    match op {
        Op::PutMetricAlarm { alarm } => {
            let out = client(sdk, region)
                .describe_alarms()
                .alarm_names(&alarm.name)
                .alarm_types(cw::types::AlarmType::MetricAlarm)
                .alarm_types(cw::types::AlarmType::CompositeAlarm)
                .send()
                .await
                .map_err(failed("cloudwatch:DescribeAlarms"))?;
            let exists = out
                .metric_alarms()
                .iter()
                .any(|a| a.alarm_name() == Some(alarm.name.as_str()))
                || out
                    .composite_alarms()
                    .iter()
                    .any(|a| a.alarm_name() == Some(alarm.name.as_str()));
            Ok(State::AlarmExists(exists))
        }
        Op::AddAlarmAction { alarm, .. } | Op::RemoveAlarmAction { alarm, .. } => {
            let found = metric_alarm(&client(sdk, region), alarm).await?;
            let mut actions = found.alarm_actions().to_vec();
            actions.sort();
            Ok(State::AlarmActions(actions))
        }
        Op::DeleteAlarm { alarm, alarm_arn } => {
            match client(sdk, region)
                .list_tags_for_resource()
                .resource_arn(alarm_arn)
                .send()
                .await
            {
                Ok(out) => Ok(State::Managed(out.tags().iter().any(|t| {
                    t.key() == Some(MANAGED_KEY) && t.value() == Some(MANAGED_VALUE)
                }))),
                Err(e)
                    if e.as_service_error().and_then(|s| s.code()) == Some(RESOURCE_NOT_FOUND) =>
                {
                    Err(gone(
                        t!("execute_ops.gone_alarm", name = alarm).into_owned(),
                    ))
                }
                Err(e) => Err(failed("cloudwatch:ListTagsForResource")(e)),
            }
        }
        other => Err(not_handled(other, &t!("execute_alarms.what"))),
    }
}

pub(super) async fn write(sdk: &SdkConfig, region: &str, op: &Op) -> Result<Written, StepError> {
    let action = op.iam_action();
    match op {
        Op::PutMetricAlarm { alarm } => put(sdk, region, alarm, &action).await,
        Op::AddAlarmAction { alarm, topic_arn } => {
            rewrite(sdk, region, alarm, &action, |actions| {
                if !actions.contains(topic_arn) {
                    actions.push(topic_arn.clone());
                }
            })
            .await
        }
        Op::RemoveAlarmAction { alarm, topic_arn } => {
            rewrite(sdk, region, alarm, &action, |actions| {
                actions.retain(|a| a != topic_arn)
            })
            .await
        }
        Op::DeleteAlarm { alarm, .. } => {
            let out = client(sdk, region)
                .delete_alarms()
                .alarm_names(alarm)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(Written {
                request_id: out.request_id().map(str::to_string),
                undo: None,
            })
        }
        other => Err(not_handled(other, &t!("execute_alarms.what"))),
    }
}

/// The metric alarm as AWS holds it now.
async fn metric_alarm(c: &cw::Client, alarm: &str) -> Result<cw::types::MetricAlarm, StepError> {
    let out = c
        .describe_alarms()
        .alarm_names(alarm)
        .alarm_types(cw::types::AlarmType::MetricAlarm)
        .send()
        .await
        .map_err(failed("cloudwatch:DescribeAlarms"))?;
    out.metric_alarms()
        .iter()
        .find(|a| a.alarm_name() == Some(alarm))
        .cloned()
        .ok_or_else(|| gone(t!("execute_ops.gone_metric_alarm", name = alarm).into_owned()))
}

/// PutMetricAlarm replaces the whole alarm, so the alarm is read right before and put
/// back with every field as it is then, only its alarm actions changed by `change`.
/// Its tags are not part of PutMetricAlarm on an existing alarm and stay.
async fn rewrite(
    sdk: &SdkConfig,
    region: &str,
    alarm: &str,
    action: &str,
    change: impl FnOnce(&mut Vec<String>),
) -> Result<Written, StepError> {
    let c = client(sdk, region);
    let a = metric_alarm(&c, alarm).await?;
    let mut actions = a.alarm_actions().to_vec();
    change(&mut actions);
    let non_empty = |v: &[String]| (!v.is_empty()).then(|| v.to_vec());
    let out = c
        .put_metric_alarm()
        .alarm_name(alarm)
        .set_alarm_description(a.alarm_description().map(str::to_string))
        .set_actions_enabled(a.actions_enabled())
        .set_ok_actions(non_empty(a.ok_actions()))
        .set_alarm_actions(Some(actions))
        .set_insufficient_data_actions(non_empty(a.insufficient_data_actions()))
        .set_metric_name(a.metric_name().map(str::to_string))
        .set_namespace(a.namespace().map(str::to_string))
        .set_statistic(a.statistic().cloned())
        .set_extended_statistic(a.extended_statistic().map(str::to_string))
        .set_dimensions((!a.dimensions().is_empty()).then(|| a.dimensions().to_vec()))
        .set_period(a.period())
        .set_unit(a.unit().cloned())
        .set_evaluation_periods(a.evaluation_periods())
        .set_datapoints_to_alarm(a.datapoints_to_alarm())
        .set_threshold(a.threshold())
        .set_comparison_operator(a.comparison_operator().cloned())
        .set_treat_missing_data(a.treat_missing_data().map(str::to_string))
        .set_evaluate_low_sample_count_percentile(
            a.evaluate_low_sample_count_percentile().map(str::to_string),
        )
        .set_metrics((!a.metrics().is_empty()).then(|| a.metrics().to_vec()))
        .set_threshold_metric_id(a.threshold_metric_id().map(str::to_string))
        .send()
        .await
        .map_err(failed(action))?;
    Ok(Written {
        request_id: out.request_id().map(str::to_string),
        undo: None,
    })
}

async fn put(
    sdk: &SdkConfig,
    region: &str,
    a: &NewAlarm,
    action: &str,
) -> Result<Written, StepError> {
    if !a.tags.contains_key(MANAGED_KEY) {
        return Err(StepError {
            message: t!("execute_alarms.untagged", name = a.name).into_owned(),
            missing_permission: None,
        });
    }
    let mut req = client(sdk, region)
        .put_metric_alarm()
        .alarm_name(&a.name)
        .alarm_description(&a.description)
        .namespace(&a.namespace)
        .metric_name(&a.metric)
        .period(a.period)
        .evaluation_periods(a.evaluation_periods)
        .datapoints_to_alarm(a.datapoints_to_alarm)
        .threshold(a.threshold)
        .comparison_operator(cw::types::ComparisonOperator::from(a.comparison.as_str()))
        .treat_missing_data(&a.treat_missing_data)
        .actions_enabled(true)
        .set_alarm_actions(Some(a.actions.clone()));
    req = if a.is_percentile() {
        req.extended_statistic(&a.statistic)
    } else {
        req.statistic(cw::types::Statistic::from(a.statistic.as_str()))
    };
    for (name, value) in &a.dimensions {
        req = req.dimensions(
            cw::types::Dimension::builder()
                .name(name)
                .value(value)
                .build(),
        );
    }
    for (key, value) in &a.tags {
        req = req.tags(cw::types::Tag::builder().key(key).value(value).build());
    }
    let out = req.send().await.map_err(failed(action))?;
    Ok(Written {
        request_id: out.request_id().map(str::to_string),
        undo: None,
    })
}
