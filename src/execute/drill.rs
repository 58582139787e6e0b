//! Writes of fire drills: a sample GuardDuty finding, an alarm set to ALARM, a test
//! message on a topic. Right before SetAlarmState the alarm is read again and refused
//! unless it still is drillable; the detector and the topic are re-read with the other
//! GuardDuty and SNS steps (ops.rs, routes.rs).

use aws_sdk_cloudwatch as cw;
use aws_sdk_guardduty as gd;
use aws_sdk_sns as sns;
use aws_types::SdkConfig;
use aws_types::request_id::RequestId;

use super::StepError;
use super::ops::{Written, client, failed, gone, not_handled};
use crate::fix::{Op, State};
use crate::t;

pub(super) async fn read_state(sdk: &SdkConfig, region: &str, op: &Op) -> Result<State, StepError> {
    match op {
        Op::SetAlarmState { alarm, .. } => {
            let out = client!(sdk, cw, region)
                .describe_alarms()
                .alarm_names(alarm)
                .send()
                .await
                .map_err(failed("cloudwatch:DescribeAlarms"))?;
            let a = out.metric_alarms().first().ok_or_else(|| {
                gone(t!("execute_ops.gone_metric_alarm", name = alarm).into_owned())
            })?;
            let notifies = crate::fix::drill::notifies_only;
            let ok = a.state_value().map(|s| s.as_str()) == Some("OK")
                && a.actions_enabled().unwrap_or(false)
                && !a.alarm_actions().is_empty()
                && a.alarm_actions()
                    .iter()
                    .chain(a.ok_actions())
                    .chain(a.insufficient_data_actions())
                    .all(|x| notifies(x));
            Ok(State::AlarmDrillable(ok))
        }
        other => Err(not_handled(other, &t!("execute_drill.what"))),
    }
}

pub(super) async fn write(sdk: &SdkConfig, region: &str, op: &Op) -> Result<Written, StepError> {
    let action = op.iam_action();
    let request_id = match op {
        Op::CreateSampleFindings {
            detector_id,
            finding_type,
        } => client!(sdk, gd, region)
            .create_sample_findings()
            .detector_id(detector_id)
            .finding_types(finding_type)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::SetAlarmState { alarm, reason } => client!(sdk, cw, region)
            .set_alarm_state()
            .alarm_name(alarm)
            .state_value(cw::types::StateValue::Alarm)
            .state_reason(reason)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::PublishTest {
            topic_arn,
            subject,
            message,
        } => client!(sdk, sns, region)
            .publish()
            .topic_arn(topic_arn)
            .subject(subject)
            .message(message)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        other => return Err(not_handled(other, &t!("execute_drill.what"))),
    };
    Ok(Written {
        request_id,
        undo: None,
    })
}
