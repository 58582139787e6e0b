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

const RECORDER: &str = "default";
const CHANNEL: &str = "default";

/// The bucket policy AWS Config documents for its delivery channel
/// (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html),
/// scoped to this account, plus a deny of unencrypted transport.
pub(super) fn config_bucket_policy(partition: &str, bucket: &str, account: &str) -> String {
    let arn = format!("arn:{partition}:s3:::{bucket}");
    let principal = json!({"Service": "config.amazonaws.com"});
    let source = json!({"StringEquals": {"AWS:SourceAccount": account}});
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AWSConfigBucketPermissionsCheck", "Effect": "Allow",
             "Principal": principal, "Action": "s3:GetBucketAcl", "Resource": arn,
             "Condition": source},
            {"Sid": "AWSConfigBucketExistenceCheck", "Effect": "Allow",
             "Principal": principal, "Action": "s3:ListBucket", "Resource": arn,
             "Condition": source},
            {"Sid": "AWSConfigBucketDelivery", "Effect": "Allow",
             "Principal": principal, "Action": "s3:PutObject",
             "Resource": format!("{arn}/AWSLogs/{account}/Config/*"),
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                                             "AWS:SourceAccount": account}}},
            {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
             "Action": "s3:*", "Resource": [arn.clone(), format!("{arn}/*")],
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        ],
    })
    .to_string()
}

/// The steps that make a new bucket private, policied and tagged; kept on undo.
pub(super) fn new_bucket(region: &str, bucket: &str, policy: String, holds: &str) -> Vec<Step> {
    let kept = || Undo::Cannot {
        why: format!("the bucket {bucket} is kept: it holds {holds}, which is evidence"),
    };
    vec![
        Step::new(
            region,
            Op::CreateBucket {
                bucket: bucket.to_string(),
            },
            format!(
                "Create the S3 bucket {bucket} in {region} for {holds} (encrypted at rest by default)"
            ),
            State::BucketExists(false),
            kept(),
        ),
        Step::new(
            region,
            Op::BlockPublicAccess {
                bucket: bucket.to_string(),
            },
            format!("Block all public access to bucket {bucket}"),
            State::PublicAccessBlocked(false),
            kept(),
        ),
        Step::new(
            region,
            Op::PutBucketPolicy {
                bucket: bucket.to_string(),
                policy,
            },
            format!(
                "Let the service write {holds} into bucket {bucket}, for this account only, over TLS only"
            ),
            State::BucketPolicy(false),
            kept(),
        ),
        Step::new(
            region,
            Op::TagBucket {
                bucket: bucket.to_string(),
            },
            format!("Tag bucket {bucket} managed-by = onwatch"),
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
                    p.skipped.push(format!(
                        "AWS Config in {region}: {}; a person decides what the recorder records and fixes its delivery",
                        f.reason.clone().unwrap_or_default()
                    ));
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
                    format!(
                        "Create an AWS Config recorder in {region} for every supported resource type{}, recording {}",
                        if region == global {
                            ", global ones (IAM) included"
                        } else {
                            " (global ones are recorded in the global region only)"
                        },
                        if daily { "once a day" } else { "each change" }
                    ),
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
                "AWS Config's configuration history",
            ));
            p.steps.push(Step::new(
                region,
                Op::PutDeliveryChannel {
                    channel: CHANNEL.into(),
                    bucket: bucket.clone(),
                },
                format!("Deliver AWS Config's history in {region} to bucket {bucket}"),
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
                format!("Start AWS Config recorder {recorder} in {region}"),
                State::Recording(false),
                Undo::Call {
                    op: Op::StopConfigurationRecorder { recorder },
                    expect: State::Recording(true),
                },
            ));
        }
    }
    if !p.steps.is_empty() {
        p.warnings.push(
            "Undo stops recording and removes the recorder and channel onwatch made, but keeps the bucket and the history in it".into(),
        );
    }
    p.cost = format!(
        "AWS Config bills each configuration item it records: $0.003 each continuously, $0.012 each with daily recording (fewer items). A small account is usually a few dollars a month per region{}; S3 storage of the history is extra (cents)",
        if daily {
            ""
        } else {
            " (--config-daily lowers it where resources change often)"
        }
    );
    Ok(p)
}
