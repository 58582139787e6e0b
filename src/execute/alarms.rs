//! Re-reads and writes of the alarms onwatch creates.

use aws_sdk_cloudwatch as cw;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::SdkConfig;
use aws_types::region::Region;
use aws_types::request_id::RequestId;

use super::StepError;
use super::ops::{Written, failed, gone};
use crate::fix::{NewAlarm, Op, State};

const MANAGED_KEY: &str = "managed-by";
const MANAGED_VALUE: &str = "onwatch";

fn client(sdk: &SdkConfig, region: &str) -> cw::Client {
    cw::Client::from_conf(
        cw::config::Builder::from(sdk)
            .region(Region::new(region.to_string()))
            .build(),
    )
}

fn not_alarm_op(op: &Op) -> StepError {
    StepError {
        message: format!("{} is not an alarm operation", op.name()),
        missing_permission: None,
    }
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
                    if e.as_service_error().and_then(|s| s.code())
                        == Some("ResourceNotFoundException") =>
                {
                    Err(gone(format!("alarm {alarm}")))
                }
                Err(e) => Err(failed("cloudwatch:ListTagsForResource")(e)),
            }
        }
        other => Err(not_alarm_op(other)),
    }
}

pub(super) async fn write(sdk: &SdkConfig, region: &str, op: &Op) -> Result<Written, StepError> {
    let action = op.iam_action();
    match op {
        Op::PutMetricAlarm { alarm } => put(sdk, region, alarm, &action).await,
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
        other => Err(not_alarm_op(other)),
    }
}

async fn put(
    sdk: &SdkConfig,
    region: &str,
    a: &NewAlarm,
    action: &str,
) -> Result<Written, StepError> {
    let bad = |what: &str| StepError {
        message: format!("alarm {}: {what}; nothing written", a.name),
        missing_permission: None,
    };
    if !a.tags.contains_key(MANAGED_KEY) {
        return Err(bad("the plan does not tag it managed-by = onwatch"));
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
