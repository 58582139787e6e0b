//! Re-reads and writes of the buckets onwatch creates (S3) and of AWS Config's
//! recorder and delivery channel.

use aws_sdk_config as config;
use aws_sdk_s3 as s3;
use aws_types::SdkConfig;
use aws_types::region::Region;
use aws_types::request_id::RequestId;

use super::StepError;
use super::ops::{
    MANAGED_KEY, MANAGED_VALUE, Written, build_error, client, code, failed, not_handled,
};
use crate::fix::{Op, State};
use crate::t;

// Error codes AWS answers with, matched as they are.
const NOT_FOUND: &str = "NotFound"; // i18n: technical (an error code)
const NO_SUCH_BUCKET: &str = "NoSuchBucket"; // i18n: technical (an error code)
const NO_PUBLIC_ACCESS_BLOCK: &str = "NoSuchPublicAccessBlockConfiguration"; // i18n: technical (an error code)
const NO_BUCKET_POLICY: &str = "NoSuchBucketPolicy"; // i18n: technical (an error code)
const NO_TAG_SET: &str = "NoSuchTagSet"; // i18n: technical (an error code)

fn s3_client(sdk: &SdkConfig, region: &str) -> s3::Client {
    // A custom endpoint (an S3-compatible or local one) is addressed by path.
    s3::Client::from_conf(
        s3::config::Builder::from(sdk)
            .region(Region::new(region.to_string()))
            .force_path_style(sdk.endpoint_url().is_some())
            .build(),
    )
}

fn config_client(sdk: &SdkConfig, region: &str) -> config::Client {
    client!(sdk, config, region)
}

/// The error code of a failed call, when AWS answered (S3 answers HeadBucket's 404
/// without a body, so its code is "NotFound").
/// Whether a bucket carries onwatch's managed-by tag: one kept by an earlier fix's
/// undo (the bucket holds evidence), which the same fix may use again as it is.
pub(super) async fn bucket_is_ours(sdk: &SdkConfig, region: &str, bucket: &str) -> bool {
    match s3_client(sdk, region)
        .get_bucket_tagging()
        .bucket(bucket)
        .send()
        .await
    {
        Ok(out) => out
            .tag_set()
            .iter()
            .any(|t| t.key() == MANAGED_KEY && t.value() == MANAGED_VALUE),
        Err(_) => false,
    }
}

pub(super) async fn read_state(sdk: &SdkConfig, region: &str, op: &Op) -> Result<State, StepError> {
    match op {
        Op::CreateBucket { bucket } => {
            let c = s3_client(sdk, region);
            match c.head_bucket().bucket(bucket).send().await {
                Ok(_) => Ok(State::BucketExists(true)),
                Err(e) if matches!(code(&e), Some(NOT_FOUND | NO_SUCH_BUCKET)) => {
                    Ok(State::BucketExists(false))
                }
                Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 404) => {
                    Ok(State::BucketExists(false))
                }
                Err(e) => Err(failed("s3:ListBucket")(e)),
            }
        }
        Op::BlockPublicAccess { bucket } => {
            let c = s3_client(sdk, region);
            match c.get_public_access_block().bucket(bucket).send().await {
                Ok(out) => Ok(State::PublicAccessBlocked(
                    out.public_access_block_configuration().is_some_and(|b| {
                        b.block_public_acls() == Some(true)
                            && b.ignore_public_acls() == Some(true)
                            && b.block_public_policy() == Some(true)
                            && b.restrict_public_buckets() == Some(true)
                    }),
                )),
                Err(e) if code(&e) == Some(NO_PUBLIC_ACCESS_BLOCK) => {
                    Ok(State::PublicAccessBlocked(false))
                }
                Err(e) => Err(failed("s3:GetBucketPublicAccessBlock")(e)),
            }
        }
        Op::PutBucketPolicy { bucket, .. } => {
            let c = s3_client(sdk, region);
            match c.get_bucket_policy().bucket(bucket).send().await {
                Ok(out) => Ok(State::BucketPolicy(out.policy().is_some())),
                Err(e) if code(&e) == Some(NO_BUCKET_POLICY) => Ok(State::BucketPolicy(false)),
                Err(e) => Err(failed("s3:GetBucketPolicy")(e)),
            }
        }
        Op::TagBucket { bucket } => {
            let c = s3_client(sdk, region);
            match c.get_bucket_tagging().bucket(bucket).send().await {
                Ok(out) => Ok(State::BucketTagged(!out.tag_set().is_empty())),
                Err(e) if code(&e) == Some(NO_TAG_SET) => Ok(State::BucketTagged(false)),
                Err(e) => Err(failed("s3:GetBucketTagging")(e)),
            }
        }
        Op::PutConfigurationRecorder { recorder, .. }
        | Op::DeleteConfigurationRecorder { recorder }
        | Op::StartConfigurationRecorder { recorder }
        | Op::StopConfigurationRecorder { recorder } => {
            let out = config_client(sdk, region)
                .describe_configuration_recorder_status()
                .send()
                .await
                .map_err(failed("config:DescribeConfigurationRecorderStatus"))?;
            let status = out
                .configuration_recorders_status()
                .iter()
                .find(|s| s.name() == Some(recorder.as_str()));
            Ok(match op {
                Op::PutConfigurationRecorder { .. } | Op::DeleteConfigurationRecorder { .. } => {
                    State::RecorderExists(status.is_some())
                }
                _ => State::Recording(status.is_some_and(|s| s.recording())),
            })
        }
        Op::PutDeliveryChannel { channel, .. } | Op::DeleteDeliveryChannel { channel } => {
            let out = config_client(sdk, region)
                .describe_delivery_channels()
                .send()
                .await
                .map_err(failed("config:DescribeDeliveryChannels"))?;
            Ok(State::DeliveryChannelExists(
                out.delivery_channels()
                    .iter()
                    .any(|c| c.name() == Some(channel.as_str())),
            ))
        }
        other => Err(not_handled(other, &t!("execute_config.what"))),
    }
}

pub(super) async fn write(sdk: &SdkConfig, region: &str, op: &Op) -> Result<Written, StepError> {
    let action = op.iam_action();
    let request_id = match op {
        Op::CreateBucket { bucket } => {
            let mut req = s3_client(sdk, region).create_bucket().bucket(bucket);
            // us-east-1 takes no location constraint.
            if region != "us-east-1" {
                req = req.create_bucket_configuration(
                    s3::types::CreateBucketConfiguration::builder()
                        .location_constraint(s3::types::BucketLocationConstraint::from(region))
                        .build(),
                );
            }
            req.send()
                .await
                .map_err(failed(&action))?
                .request_id()
                .map(str::to_string)
        }
        Op::BlockPublicAccess { bucket } => s3_client(sdk, region)
            .put_public_access_block()
            .bucket(bucket)
            .public_access_block_configuration(
                s3::types::PublicAccessBlockConfiguration::builder()
                    .block_public_acls(true)
                    .ignore_public_acls(true)
                    .block_public_policy(true)
                    .restrict_public_buckets(true)
                    .build(),
            )
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::PutBucketPolicy { bucket, policy } => s3_client(sdk, region)
            .put_bucket_policy()
            .bucket(bucket)
            .policy(policy)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::TagBucket { bucket } => {
            let tag = s3::types::Tag::builder()
                .key("managed-by") // i18n: technical (sent to AWS)
                .value("onwatch") // i18n: technical (sent to AWS)
                .build()
                .map_err(|e| build_error(&t!("execute_ops.part_tag"), e))?;
            let tagging = s3::types::Tagging::builder()
                .tag_set(tag)
                .build()
                .map_err(|e| build_error(&t!("execute_config.part_tagging"), e))?;
            s3_client(sdk, region)
                .put_bucket_tagging()
                .bucket(bucket)
                .tagging(tagging)
                .send()
                .await
                .map_err(failed(&action))?
                .request_id()
                .map(str::to_string)
        }
        Op::PutConfigurationRecorder {
            recorder,
            role_arn,
            include_global,
            daily,
        } => {
            let group = config::types::RecordingGroup::builder()
                .all_supported(true)
                .include_global_resource_types(*include_global)
                .build();
            let frequency = if *daily {
                config::types::RecordingFrequency::Daily
            } else {
                config::types::RecordingFrequency::Continuous
            };
            let mode = config::types::RecordingMode::builder()
                .recording_frequency(frequency)
                .build()
                .map_err(|e| build_error(&t!("execute_config.part_recording_mode"), e))?;
            let spec = config::types::ConfigurationRecorder::builder()
                .name(recorder)
                .role_arn(role_arn)
                .recording_group(group)
                .recording_mode(mode)
                .build();
            config_client(sdk, region)
                .put_configuration_recorder()
                .configuration_recorder(spec)
                .send()
                .await
                .map_err(failed(&action))?
                .request_id()
                .map(str::to_string)
        }
        Op::DeleteConfigurationRecorder { recorder } => config_client(sdk, region)
            .delete_configuration_recorder()
            .configuration_recorder_name(recorder)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::PutDeliveryChannel { channel, bucket } => config_client(sdk, region)
            .put_delivery_channel()
            .delivery_channel(
                config::types::DeliveryChannel::builder()
                    .name(channel)
                    .s3_bucket_name(bucket)
                    .build(),
            )
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::DeleteDeliveryChannel { channel } => config_client(sdk, region)
            .delete_delivery_channel()
            .delivery_channel_name(channel)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::StartConfigurationRecorder { recorder } => config_client(sdk, region)
            .start_configuration_recorder()
            .configuration_recorder_name(recorder)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::StopConfigurationRecorder { recorder } => config_client(sdk, region)
            .stop_configuration_recorder()
            .configuration_recorder_name(recorder)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        other => return Err(not_handled(other, &t!("execute_config.what"))),
    };
    Ok(Written {
        request_id,
        undo: None,
    })
}
