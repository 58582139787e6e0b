//! config-recording: in each failing region, what AWS Config still needs, in order: a
//! recorder of every supported type (global types only in the partition's global
//! region, so IAM is not recorded many times over), a private log bucket with the
//! policy AWS Config documents, a delivery channel to it, and StartConfigurationRecorder.
//! The bucket is kept on undo: it holds the recorded history. A recorder that records
//! only some types, or whose last delivery failed, is left to a person.

use serde_json::json;

use super::planners::{Ctx, Planned};
use super::{NoPlan, Op, State, Step, Undo};
use crate::snapshot::Read;
use crate::t;

const RECORDER: &str = "default";
const CHANNEL: &str = "default";

/// The bucket policy AWS Config documents for its delivery channel
/// (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html),
/// scoped to this account, plus a deny of unencrypted transport.
pub(super) fn config_bucket_policy(partition: &str, bucket: &str, account: &str) -> String {
    let arn = format!("arn:{partition}:s3:::{bucket}");
    let principal = json!({"Service": "config.amazonaws.com"}); // i18n: technical
    let source = json!({"StringEquals": {"AWS:SourceAccount": account}}); // i18n: technical
    json!({
        "Version": "2012-10-17", // i18n: technical
        "Statement": [ // i18n: technical
            {"Sid": "AWSConfigBucketPermissionsCheck", "Effect": "Allow", // i18n: technical
             "Principal": principal, "Action": "s3:GetBucketAcl", "Resource": arn, // i18n: technical
             "Condition": source}, // i18n: technical
            {"Sid": "AWSConfigBucketExistenceCheck", "Effect": "Allow", // i18n: technical
             "Principal": principal, "Action": "s3:ListBucket", "Resource": arn, // i18n: technical
             "Condition": source}, // i18n: technical
            {"Sid": "AWSConfigBucketDelivery", "Effect": "Allow", // i18n: technical
             "Principal": principal, "Action": "s3:PutObject", // i18n: technical
             "Resource": format!("{arn}/AWSLogs/{account}/Config/*"), // i18n: technical
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", // i18n: technical
                                             "AWS:SourceAccount": account}}},
            {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", // i18n: technical
             "Action": "s3:*", "Resource": [arn.clone(), format!("{arn}/*")], // i18n: technical
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}, // i18n: technical
        ],
    })
    .to_string()
}

/// The steps that make a new bucket private, policied and tagged; kept on undo.
pub(super) fn new_bucket(region: &str, bucket: &str, policy: String, holds: &str) -> Vec<Step> {
    let kept = || Undo::Cannot {
        why: t!("fix_config.bucket_kept", bucket = bucket, holds = holds).into_owned(),
    };
    vec![
        Step::new(
            region,
            Op::CreateBucket {
                bucket: bucket.to_string(),
            },
            t!(
                "fix_config.create_bucket",
                bucket = bucket,
                region = region,
                holds = holds
            )
            .into_owned(),
            State::BucketExists(false),
            kept(),
        ),
        Step::new(
            region,
            Op::BlockPublicAccess {
                bucket: bucket.to_string(),
            },
            t!("fix_config.block_public", bucket = bucket).into_owned(),
            State::PublicAccessBlocked(false),
            kept(),
        ),
        Step::new(
            region,
            Op::PutBucketPolicy {
                bucket: bucket.to_string(),
                policy,
            },
            t!("fix_config.bucket_policy", holds = holds, bucket = bucket).into_owned(),
            State::BucketPolicy(false),
            kept(),
        ),
        Step::new(
            region,
            Op::TagBucket {
                bucket: bucket.to_string(),
            },
            t!("fix_config.tag_bucket", bucket = bucket).into_owned(),
            State::BucketTagged(false),
            kept(),
        ),
    ]
}

pub(super) fn config_recording(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let account = &ctx.snapshot.account;
    let global = crate::regions::global_region(&account.partition);
    let daily = ctx.choices.config_daily;
    let mut p = Planned::default();
    for (f, data) in ctx.failing(&mut p.skipped) {
        let region = f.region.as_str();
        let (Read::Ok(recorders), Read::Ok(channels)) =
            (&data.config_recorders, &data.config_delivery_channels)
        else {
            continue;
        };
        let mut recorders: Vec<_> = recorders.iter().collect();
        recorders.sort_by(|a, b| a.name.cmp(&b.name));
        let recorder = match recorders.iter().find(|r| r.recording).or(recorders.first()) {
            Some(r) => {
                if r.last_status.as_deref() == Some("FAILURE") || (r.recording && !r.all_supported)
                {
                    p.skipped.push(
                        t!(
                            "fix_config.left_to_person",
                            region = region,
                            reason = f.reason.clone().unwrap_or_default()
                        )
                        .into_owned(),
                    );
                    continue;
                }
                r.name.clone()
            }
            None => {
                let role_arn = format!(
                    "arn:{}:iam::{}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
                    account.partition, account.id
                );
                p.steps.push(Step::new(
                    region,
                    Op::PutConfigurationRecorder {
                        recorder: RECORDER.into(),
                        role_arn,
                        include_global: region == global,
                        daily,
                    },
                    match (region == global, daily) {
                        (true, false) => {
                            t!("fix_config.recorder_global_continuous", region = region)
                        }
                        (true, true) => t!("fix_config.recorder_global_daily", region = region),
                        (false, false) => {
                            t!("fix_config.recorder_regional_continuous", region = region)
                        }
                        (false, true) => t!("fix_config.recorder_regional_daily", region = region),
                    }
                    .into_owned(),
                    State::RecorderExists(false),
                    Undo::Call {
                        op: Op::DeleteConfigurationRecorder {
                            recorder: RECORDER.into(),
                        },
                        expect: State::RecorderExists(true),
                    },
                ));
                RECORDER.to_string()
            }
        };
        if channels.is_empty() {
            let bucket = format!("onwatch-config-{}-{region}", account.id);
            let policy = config_bucket_policy(&account.partition, &bucket, &account.id);
            p.steps.extend(new_bucket(
                region,
                &bucket,
                policy,
                &t!("fix_config.history"),
            ));
            p.steps.push(Step::new(
                region,
                Op::PutDeliveryChannel {
                    channel: CHANNEL.into(),
                    bucket: bucket.clone(),
                },
                t!("fix_config.deliver", region = region, bucket = bucket).into_owned(),
                State::DeliveryChannelExists(false),
                Undo::Call {
                    op: Op::DeleteDeliveryChannel {
                        channel: CHANNEL.into(),
                    },
                    expect: State::DeliveryChannelExists(true),
                },
            ));
        }
        if !recorders.iter().any(|r| r.name == recorder && r.recording) {
            p.steps.push(Step::new(
                region,
                Op::StartConfigurationRecorder {
                    recorder: recorder.clone(),
                },
                t!("fix_config.start", recorder = recorder, region = region).into_owned(),
                State::Recording(false),
                Undo::Call {
                    op: Op::StopConfigurationRecorder { recorder },
                    expect: State::Recording(true),
                },
            ));
        }
    }
    if !p.steps.is_empty() {
        p.warnings.push(t!("fix_config.undo_warning").into_owned());
    }
    p.cost = if daily {
        t!("fix_config.cost_daily")
    } else {
        t!("fix_config.cost_continuous")
    }
    .into_owned();
    Ok(p)
}
