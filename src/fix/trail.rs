//! cloudtrail-multi-region on an account that has a trail: make it multi-region, turn
//! log file validation on, and start logging (the step Prowler's fixer forgets), each
//! only where needed, in the trail's home region. A trail another account owns (an
//! organization trail) or one whose bucket rejects delivery is left to a person. A trail
//! that records no management events gets a selector for them, its others kept.
//! An account with no trail at all gets one: a private bucket with the policy CloudTrail
//! documents (scoped to the new trail by aws:SourceArn), a multi-region trail with
//! validation, and StartLogging. Undo stops and deletes the trail and keeps the bucket.

use serde_json::json;

use super::config::new_bucket;
use super::planners::{Ctx, Planned};
use super::{NoPlan, Op, State, Step, Undo};
use crate::rules::routing::arn_account;
use crate::snapshot::{Read, Trail};

pub(super) fn cloudtrail(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let mut p = Planned::default();
    if !ctx.fails() {
        return Ok(p);
    }
    let account = &ctx.snapshot.account;
    let mut trails: Vec<&Trail> = Vec::new();
    for data in ctx.snapshot.regions.values() {
        if let Read::Ok(t) = &data.trails {
            trails.extend(t);
        }
    }
    trails.sort_by(|a, b| a.arn.cmp(&b.arn));
    trails.dedup_by(|a, b| a.arn == b.arn);
    // The account's own trails whose home region was scanned, best first: already
    // multi-region, then logging, then validating.
    let mut own: Vec<&Trail> = trails
        .iter()
        .copied()
        .filter(|t| arn_account(&t.arn) == Some(account.id.as_str()))
        .filter(|t| ctx.snapshot.regions.contains_key(&t.home_region))
        .collect();
    for t in &trails {
        if !own.iter().any(|o| o.arn == t.arn) {
            p.skipped.push(format!(
                "trail {} (home {}): owned by another account or homed outside the scan; onwatch changes only this account's trails in scanned regions",
                t.name, t.home_region
            ));
        }
    }
    own.sort_by_key(|t| {
        (
            !t.is_multi_region,
            t.is_logging != Read::Ok(true),
            !t.log_file_validation,
        )
    });
    let Some(trail) = own.first() else {
        if trails.is_empty() {
            return Ok(new_trail(ctx));
        }
        p.skipped.push(
            "the account has no trail of its own onwatch can change, and another account's trail is visible: a second trail would bill management events twice, so whether to add one is left to a person".into(),
        );
        return Ok(p);
    };
    if let Some(error) = &trail.delivery_error {
        p.skipped.push(format!(
            "trail {}: CloudTrail cannot deliver to its bucket ({error}); the bucket's policy or existence needs a person",
            trail.name
        ));
        return Ok(p);
    }
    let region = &trail.home_region;
    if !trail.is_multi_region || !trail.log_file_validation {
        let mut says = Vec::new();
        if !trail.is_multi_region {
            says.push("record every region, including ones added later");
        }
        if !trail.log_file_validation {
            says.push("sign a digest of its log files every hour, so tampering shows");
        }
        p.steps.push(Step::new(
            region,
            Op::UpdateTrail {
                trail: trail.name.clone(),
                multi_region: true,
                validation: true,
            },
            format!(
                "Make trail {} {} (its other settings stay)",
                trail.name,
                says.join(" and ")
            ),
            State::TrailSettings {
                multi_region: trail.is_multi_region,
                validation: trail.log_file_validation,
            },
            Undo::Call {
                op: Op::UpdateTrail {
                    trail: trail.name.clone(),
                    multi_region: trail.is_multi_region,
                    validation: trail.log_file_validation,
                },
                expect: State::TrailSettings {
                    multi_region: true,
                    validation: true,
                },
            },
        ));
    }
    match &trail.is_logging {
        Read::Ok(true) => {}
        Read::Ok(false) => p.steps.push(Step::new(
            region,
            Op::StartLogging {
                trail: trail.name.clone(),
            },
            format!("Start logging on trail {}", trail.name),
            State::TrailLogging(false),
            Undo::Call {
                op: Op::StopLogging {
                    trail: trail.name.clone(),
                },
                expect: State::TrailLogging(true),
            },
        )),
        Read::Failed(e) => p.skipped.push(format!(
            "trail {}: whether it logs could not be read ({}), so onwatch does not start it",
            trail.name,
            e.reason()
        )),
    }
    if matches!(trail.event_selectors, Some(Read::Ok(_)))
        && matches!(
            crate::rules::trail_gap(trail),
            crate::rules::TrailGap::Known(_)
        )
    {
        p.steps.push(Step::new(
            region,
            Op::AddManagementEvents {
                trail: trail.name.clone(),
            },
            format!(
                "Make trail {} record management events (who changed what), read and write, keeping every selector it has (its data events stay)",
                trail.name
            ),
            State::ManagementEvents(false),
            Undo::Call {
                op: Op::RemoveManagementEvents {
                    trail: trail.name.clone(),
                },
                expect: State::ManagementEvents(true),
            },
        ));
    }
    if !p.steps.is_empty() {
        p.warnings.push(
            "Undo stops logging and restores the settings, but the events recorded meanwhile stay in the bucket (they are evidence; onwatch never deletes them)".into(),
        );
    }
    p.cost = "No CloudTrail charge for the first copy of management events in each region; the log files are billed as S3 storage (usually cents a month for a small account)".into();
    Ok(p)
}

/// The name of the trail onwatch creates.
const NEW_TRAIL: &str = "onwatch-trail";

/// The bucket policy CloudTrail documents
/// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html),
/// scoped to the one trail by aws:SourceArn, plus a deny of unencrypted transport.
pub(super) fn trail_bucket_policy(
    partition: &str,
    bucket: &str,
    trail_arn: &str,
    account: &str,
) -> String {
    let arn = format!("arn:{partition}:s3:::{bucket}");
    let principal = json!({"Service": "cloudtrail.amazonaws.com"});
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow", "Principal": principal,
             "Action": "s3:GetBucketAcl", "Resource": arn,
             "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}}},
            {"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": principal,
             "Action": "s3:PutObject", "Resource": format!("{arn}/AWSLogs/{account}/*"),
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                                             "aws:SourceArn": trail_arn}}},
            {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
             "Action": "s3:*", "Resource": [arn.clone(), format!("{arn}/*")],
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        ],
    })
    .to_string()
}

/// A bucket, a multi-region trail with validation, and StartLogging, homed in the
/// partition's global region when it was scanned (else the first scanned region).
fn new_trail(ctx: &Ctx) -> Planned {
    let mut p = Planned::default();
    let account = &ctx.snapshot.account;
    let global = crate::regions::global_region(&account.partition);
    let Some(region) = ctx
        .snapshot
        .regions
        .keys()
        .find(|r| r.as_str() == global)
        .or_else(|| ctx.snapshot.regions.keys().next())
        .cloned()
    else {
        return p;
    };
    let bucket = format!("onwatch-trail-{}-{region}", account.id);
    let trail_arn = format!(
        "arn:{}:cloudtrail:{region}:{}:trail/{NEW_TRAIL}",
        account.partition, account.id
    );
    let policy = trail_bucket_policy(&account.partition, &bucket, &trail_arn, &account.id);
    p.steps.extend(new_bucket(
        &region,
        &bucket,
        policy,
        "CloudTrail's log files",
    ));
    p.steps.push(Step::new(
        &region,
        Op::CreateTrail {
            trail: NEW_TRAIL.into(),
            bucket: bucket.clone(),
        },
        format!(
            "Create trail {NEW_TRAIL} in {region}: every region (including ones added later), management events read and write, log file validation on, delivering to bucket {bucket}, tagged managed-by = onwatch"
        ),
        State::TrailExists(false),
        Undo::Call {
            op: Op::DeleteTrail {
                trail: NEW_TRAIL.into(),
            },
            expect: State::Managed(true),
        },
    ));
    p.steps.push(Step::new(
        &region,
        Op::StartLogging {
            trail: NEW_TRAIL.into(),
        },
        format!("Start logging on trail {NEW_TRAIL} (a new trail does not log until started)"),
        State::TrailLogging(false),
        Undo::Call {
            op: Op::StopLogging {
                trail: NEW_TRAIL.into(),
            },
            expect: State::TrailLogging(true),
        },
    ));
    p.warnings.push(format!(
        "Undo stops and deletes trail {NEW_TRAIL}, but keeps bucket {bucket} and the events in it (they are evidence; onwatch never deletes them)"
    ));
    p.cost = "No CloudTrail charge for the first copy of management events in each region; the log files are billed as S3 storage (usually cents a month for a small account)".into();
    p
}
