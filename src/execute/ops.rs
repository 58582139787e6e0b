//! Each fix operation's re-read and write, through the official SDK.

use aws_sdk_cloudwatch as cw;
use aws_sdk_cloudwatchlogs as logs;
use aws_sdk_ecr as ecr;
use aws_sdk_ecs as ecs;
use aws_sdk_guardduty as gd;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::SdkConfig;
use aws_types::request_id::RequestId;

use super::StepError;
use crate::fix::{Op, State, Undo};
use crate::t;

/// What a write returned.
pub(super) struct Written {
    pub request_id: Option<String>,
    /// The undo, when only the call's answer could tell it (a new detector's id).
    pub undo: Option<Undo>,
}

/// A client of SDK module `$m` for `$region`, from the run's SDK config.
macro_rules! client {
    ($sdk:expr, $m:ident, $region:expr) => {
        $m::Client::from_conf(
            $m::config::Builder::from($sdk)
                .region(aws_types::region::Region::new($region.to_string()))
                .build(),
        )
    };
}
pub(super) use client;

/// The tag onwatch puts on what it creates; undo deletes only what carries it.
pub(super) const MANAGED_KEY: &str = "managed-by";
pub(super) const MANAGED_VALUE: &str = "onwatch";

/// A request that could not be built from the plan's data.
pub(super) fn build_error(what: &str, e: impl std::fmt::Display) -> StepError {
    StepError {
        message: t!("execute_ops.build_failed", what = what, error = e).into_owned(),
        missing_permission: None,
    }
}

/// Whether the target is already as the step would leave it, so the step has nothing
/// to write: a bucket an earlier fix created and its undo kept (tagged managed-by =
/// onwatch, so its policy and settings are onwatch's own), public access already
/// blocked, a canary or trail already stopped (an undo meeting what someone did).
pub(super) async fn already_in_place(sdk: &SdkConfig, region: &str, op: &Op, now: &State) -> bool {
    match (op, now) {
        (Op::BlockPublicAccess { .. }, State::PublicAccessBlocked(true))
        | (Op::StopLogging { .. }, State::TrailLogging(false)) => true,
        (Op::StopCanary { .. }, State::CanaryState(s)) => s == "STOPPED",
        (Op::CreateBucket { bucket }, State::BucketExists(true))
        | (Op::PutBucketPolicy { bucket, .. }, State::BucketPolicy(true))
        | (Op::TagBucket { bucket }, State::BucketTagged(true)) => {
            super::config::bucket_is_ours(sdk, region, bucket).await
        }
        _ => false,
    }
}

/// The service error code of a failed call, when AWS answered.
pub(super) fn code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> Option<&str> {
    err.as_service_error().and_then(|e| e.code())
}

/// An operation sent to a module that does not handle it (a dispatch bug).
pub(super) fn not_handled(op: &Op, module: &str) -> StepError {
    StepError {
        message: t!("execute_ops.not_handled", op = op.name(), what = module).into_owned(),
        missing_permission: None,
    }
}

/// An SDK error as a step error naming the action and, for access denied, the
/// permission to add.
pub(super) fn failed<E, R>(action: &str) -> impl FnOnce(SdkError<E, R>) -> StepError + use<'_, E, R>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    move |err| {
        let (code, message) = match err.as_service_error() {
            Some(e) => (
                e.code().unwrap_or("Unknown").to_string(), // i18n: technical (an error code)
                e.message().unwrap_or_default().to_string(),
            ),
            None => ("RequestFailed".to_string(), format!("{err}")), // i18n: technical (an error code)
        };
        let denied = crate::collect::is_access_denied(&code);
        StepError {
            message: if denied {
                t!("execute_ops.denied", action = action, code = code).into_owned()
            } else {
                t!(
                    "execute_ops.failed",
                    action = action,
                    code = code,
                    message = message
                )
                .into_owned()
            },
            missing_permission: denied.then(|| action.to_string()),
        }
    }
}

pub(super) fn gone(what: String) -> StepError {
    StepError {
        message: t!("execute_ops.gone", what = what).into_owned(),
        missing_permission: None,
    }
}

/// The target's state now, in the terms the plan recorded.
pub(super) async fn read_state(sdk: &SdkConfig, region: &str, op: &Op) -> Result<State, StepError> {
    match op {
        Op::PutRetentionPolicy { log_group, .. } | Op::DeleteRetentionPolicy { log_group } => {
            let c = client!(sdk, logs, region);
            let out = c
                .describe_log_groups()
                .log_group_name_prefix(log_group)
                .send()
                .await
                .map_err(failed("logs:DescribeLogGroups"))?;
            let group = out
                .log_groups()
                .iter()
                .find(|g| g.log_group_name() == Some(log_group.as_str()))
                .ok_or_else(|| {
                    gone(t!("execute_ops.gone_log_group", name = log_group).into_owned())
                })?;
            Ok(State::Retention(group.retention_in_days().map(i64::from)))
        }
        Op::PutImageScanningConfiguration { repository, .. } => {
            let c = client!(sdk, ecr, region);
            let out = c
                .describe_repositories()
                .repository_names(repository)
                .send()
                .await
                .map_err(failed("ecr:DescribeRepositories"))?;
            let repo = out.repositories().first().ok_or_else(|| {
                gone(t!("execute_ops.gone_repository", name = repository).into_owned())
            })?;
            Ok(State::ScanOnPush(
                repo.image_scanning_configuration()
                    .is_some_and(|c| c.scan_on_push()),
            ))
        }
        Op::CreateDetector {} => {
            let c = client!(sdk, gd, region);
            let out = c
                .list_detectors()
                .send()
                .await
                .map_err(failed("guardduty:ListDetectors"))?;
            Ok(State::Detectors(out.detector_ids().to_vec()))
        }
        // A sample finding needs the detector enabled, as a re-enabled one does.
        Op::UpdateDetector { detector_id, .. } | Op::CreateSampleFindings { detector_id, .. } => {
            let c = client!(sdk, gd, region);
            let out = c
                .get_detector()
                .detector_id(detector_id)
                .send()
                .await
                .map_err(failed("guardduty:GetDetector"))?;
            Ok(State::DetectorStatus(
                out.status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
            ))
        }
        Op::UpdateClusterSettings { cluster, .. } => {
            let c = client!(sdk, ecs, region);
            let out = c
                .describe_clusters()
                .clusters(cluster)
                .include(ecs::types::ClusterField::Settings)
                .send()
                .await
                .map_err(failed("ecs:DescribeClusters"))?;
            let found = out
                .clusters()
                .first()
                .ok_or_else(|| gone(t!("execute_ops.gone_cluster", name = cluster).into_owned()))?;
            Ok(State::ContainerInsights(
                found
                    .settings()
                    .iter()
                    .find(|s| s.name() == Some(&ecs::types::ClusterSettingName::ContainerInsights))
                    .and_then(|s| s.value())
                    .map(str::to_string),
            ))
        }
        Op::EnableAlarmActions { alarm } | Op::DisableAlarmActions { alarm } => {
            let c = client!(sdk, cw, region);
            let out = c
                .describe_alarms()
                .alarm_names(alarm)
                .alarm_types(cw::types::AlarmType::MetricAlarm)
                .alarm_types(cw::types::AlarmType::CompositeAlarm)
                .send()
                .await
                .map_err(failed("cloudwatch:DescribeAlarms"))?;
            let enabled = out
                .metric_alarms()
                .iter()
                .find(|a| a.alarm_name() == Some(alarm.as_str()))
                .map(|a| a.actions_enabled())
                .or_else(|| {
                    out.composite_alarms()
                        .iter()
                        .find(|a| a.alarm_name() == Some(alarm.as_str()))
                        .map(|a| a.actions_enabled())
                })
                .ok_or_else(|| gone(t!("execute_ops.gone_alarm", name = alarm).into_owned()))?;
            Ok(State::ActionsEnabled(enabled.unwrap_or(false)))
        }
        Op::CreateTopic { .. }
        | Op::DeleteTopic { .. }
        | Op::Subscribe { .. }
        | Op::Unsubscribe { .. }
        | Op::AllowPublish { .. }
        | Op::DisallowPublish { .. }
        | Op::PutRule { .. }
        | Op::DeleteRule { .. }
        | Op::PutTarget { .. }
        | Op::RemoveTarget { .. }
        | Op::PublishTest { .. } => super::routes::read_state(sdk, region, op).await,
        Op::PutMetricAlarm { .. }
        | Op::AddAlarmAction { .. }
        | Op::RemoveAlarmAction { .. }
        | Op::DeleteAlarm { .. } => super::alarms::read_state(sdk, region, op).await,
        Op::EnablePerformanceInsights { .. }
        | Op::DisablePerformanceInsights { .. }
        | Op::SetStorageCeiling { .. } => super::rds::read_state(sdk, region, op).await,
        Op::CreateBudget { .. }
        | Op::DeleteBudget { .. }
        | Op::CreateBudgetNotification { .. }
        | Op::DeleteBudgetNotification { .. }
        | Op::AddBudgetSubscriber { .. }
        | Op::RemoveBudgetSubscriber { .. } => super::budgets::read_state(sdk, region, op).await,
        Op::CreateAnomalyMonitor { .. }
        | Op::DeleteAnomalyMonitor { .. }
        | Op::CreateAnomalySubscription { .. }
        | Op::DeleteAnomalySubscription { .. } => super::anomaly::read_state(sdk, region, op).await,
        Op::CreateRole { .. }
        | Op::DeleteRole { .. }
        | Op::PutRolePolicy { .. }
        | Op::DeleteRolePolicy { .. }
        | Op::CreateCanary { .. }
        | Op::StartCanary { .. }
        | Op::StopCanary { .. }
        | Op::DeleteCanary { .. } => super::canary::read_state(sdk, region, op).await,
        Op::SetAlarmState { .. } => super::drill::read_state(sdk, region, op).await,
        Op::UpdateTrail { .. }
        | Op::CreateTrail { .. }
        | Op::DeleteTrail { .. }
        | Op::AddManagementEvents { .. }
        | Op::RemoveManagementEvents { .. }
        | Op::StartLogging { .. }
        | Op::StopLogging { .. } => super::trail::read_state(sdk, region, op).await,
        Op::CreateBucket { .. }
        | Op::BlockPublicAccess { .. }
        | Op::PutBucketPolicy { .. }
        | Op::TagBucket { .. }
        | Op::PutConfigurationRecorder { .. }
        | Op::DeleteConfigurationRecorder { .. }
        | Op::PutDeliveryChannel { .. }
        | Op::DeleteDeliveryChannel { .. }
        | Op::StartConfigurationRecorder { .. }
        | Op::StopConfigurationRecorder { .. } => super::config::read_state(sdk, region, op).await,
        Op::TagAlarm { alarm_arn, key, .. } | Op::UntagAlarm { alarm_arn, key } => {
            let out = client!(sdk, cw, region)
                .list_tags_for_resource()
                .resource_arn(alarm_arn)
                .send()
                .await
                .map_err(failed("cloudwatch:ListTagsForResource"))?;
            Ok(State::Tag(
                out.tags()
                    .iter()
                    .find(|t| t.key() == Some(key.as_str()))
                    .and_then(|t| t.value().map(str::to_string)),
            ))
        }
    }
}

/// Runs the write. `token` is the step's idempotency token where the API takes one.
pub(super) async fn write(
    sdk: &SdkConfig,
    region: &str,
    op: &Op,
    token: &str,
) -> Result<Written, StepError> {
    let action = op.iam_action();
    let plain = |request_id: Option<&str>| Written {
        request_id: request_id.map(str::to_string),
        undo: None,
    };
    match op {
        Op::PutRetentionPolicy { log_group, days } => {
            let out = client!(sdk, logs, region)
                .put_retention_policy()
                .log_group_name(log_group)
                .retention_in_days(*days)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(plain(out.request_id()))
        }
        Op::DeleteRetentionPolicy { log_group } => {
            let out = client!(sdk, logs, region)
                .delete_retention_policy()
                .log_group_name(log_group)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(plain(out.request_id()))
        }
        Op::PutImageScanningConfiguration {
            repository,
            scan_on_push,
        } => {
            let out = client!(sdk, ecr, region)
                .put_image_scanning_configuration()
                .repository_name(repository)
                .image_scanning_configuration(
                    ecr::types::ImageScanningConfiguration::builder()
                        .scan_on_push(*scan_on_push)
                        .build(),
                )
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(plain(out.request_id()))
        }
        Op::CreateDetector {} => {
            let out = client!(sdk, gd, region)
                .create_detector()
                .enable(true)
                .client_token(token)
                .tags("managed-by", "onwatch") // i18n: technical (sent to AWS)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(Written {
                request_id: out.request_id().map(str::to_string),
                undo: out.detector_id().map(crate::fix::audit::suspend_detector),
            })
        }
        Op::UpdateDetector {
            detector_id,
            enable,
        } => {
            let out = client!(sdk, gd, region)
                .update_detector()
                .detector_id(detector_id)
                .enable(*enable)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(plain(out.request_id()))
        }
        Op::UpdateClusterSettings {
            cluster,
            container_insights,
        } => {
            let out = client!(sdk, ecs, region)
                .update_cluster_settings()
                .cluster(cluster)
                .settings(
                    ecs::types::ClusterSetting::builder()
                        .name(ecs::types::ClusterSettingName::ContainerInsights)
                        .value(container_insights)
                        .build(),
                )
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(plain(out.request_id()))
        }
        Op::EnableAlarmActions { alarm } => {
            let out = client!(sdk, cw, region)
                .enable_alarm_actions()
                .alarm_names(alarm)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(plain(out.request_id()))
        }
        Op::DisableAlarmActions { alarm } => {
            let out = client!(sdk, cw, region)
                .disable_alarm_actions()
                .alarm_names(alarm)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(plain(out.request_id()))
        }
        Op::TagAlarm {
            alarm_arn,
            key,
            value,
        } => {
            let tag = cw::types::Tag::builder().key(key).value(value).build();
            let out = client!(sdk, cw, region)
                .tag_resource()
                .resource_arn(alarm_arn)
                .tags(tag)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(plain(out.request_id()))
        }
        Op::CreateTopic { .. }
        | Op::DeleteTopic { .. }
        | Op::Subscribe { .. }
        | Op::Unsubscribe { .. }
        | Op::AllowPublish { .. }
        | Op::DisallowPublish { .. }
        | Op::PutRule { .. }
        | Op::DeleteRule { .. }
        | Op::PutTarget { .. }
        | Op::RemoveTarget { .. } => super::routes::write(sdk, region, op).await,
        Op::PutMetricAlarm { .. }
        | Op::AddAlarmAction { .. }
        | Op::RemoveAlarmAction { .. }
        | Op::DeleteAlarm { .. } => super::alarms::write(sdk, region, op).await,
        Op::EnablePerformanceInsights { .. }
        | Op::DisablePerformanceInsights { .. }
        | Op::SetStorageCeiling { .. } => super::rds::write(sdk, region, op).await,
        Op::CreateBudget { .. }
        | Op::DeleteBudget { .. }
        | Op::CreateBudgetNotification { .. }
        | Op::DeleteBudgetNotification { .. }
        | Op::AddBudgetSubscriber { .. }
        | Op::RemoveBudgetSubscriber { .. } => super::budgets::write(sdk, region, op).await,
        Op::CreateAnomalyMonitor { .. }
        | Op::DeleteAnomalyMonitor { .. }
        | Op::CreateAnomalySubscription { .. }
        | Op::DeleteAnomalySubscription { .. } => super::anomaly::write(sdk, region, op).await,
        Op::CreateRole { .. }
        | Op::DeleteRole { .. }
        | Op::PutRolePolicy { .. }
        | Op::DeleteRolePolicy { .. }
        | Op::CreateCanary { .. }
        | Op::StartCanary { .. }
        | Op::StopCanary { .. }
        | Op::DeleteCanary { .. } => super::canary::write(sdk, region, op).await,
        Op::CreateSampleFindings { .. } | Op::SetAlarmState { .. } | Op::PublishTest { .. } => {
            super::drill::write(sdk, region, op).await
        }
        Op::UpdateTrail { .. }
        | Op::CreateTrail { .. }
        | Op::DeleteTrail { .. }
        | Op::AddManagementEvents { .. }
        | Op::RemoveManagementEvents { .. }
        | Op::StartLogging { .. }
        | Op::StopLogging { .. } => super::trail::write(sdk, region, op).await,
        Op::CreateBucket { .. }
        | Op::BlockPublicAccess { .. }
        | Op::PutBucketPolicy { .. }
        | Op::TagBucket { .. }
        | Op::PutConfigurationRecorder { .. }
        | Op::DeleteConfigurationRecorder { .. }
        | Op::PutDeliveryChannel { .. }
        | Op::DeleteDeliveryChannel { .. }
        | Op::StartConfigurationRecorder { .. }
        | Op::StopConfigurationRecorder { .. } => super::config::write(sdk, region, op).await,
        Op::UntagAlarm { alarm_arn, key } => {
            let out = client!(sdk, cw, region)
                .untag_resource()
                .resource_arn(alarm_arn)
                .tag_keys(key)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(plain(out.request_id()))
        }
    }
}
