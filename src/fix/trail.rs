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
use crate::t;

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
            p.skipped
                .push(t!("fix_trail.not_ours", trail = t.name, home = t.home_region).into_owned());
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
        p.skipped.push(t!("fix_trail.only_others").into_owned());
        return Ok(p);
    };
    if let Some(error) = &trail.delivery_error {
        p.skipped.push(
            t!(
                "fix_trail.delivery_error",
                trail = trail.name,
                error = error
            )
            .into_owned(),
        );
        return Ok(p);
    }
    let region = &trail.home_region;
    if !trail.is_multi_region || !trail.log_file_validation {
        let says = match (trail.is_multi_region, trail.log_file_validation) {
            (false, false) => t!(
                "fix_trail.make_multi_region_and_validating",
                trail = trail.name
            ),
            (false, true) => t!("fix_trail.make_multi_region", trail = trail.name),
            _ => t!("fix_trail.make_validating", trail = trail.name),
        };
        p.steps.push(Step::new(
            region,
            Op::UpdateTrail {
                trail: trail.name.clone(),
                multi_region: true,
                validation: true,
            },
            says.into_owned(),
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
            t!("fix_trail.start_logging", trail = trail.name).into_owned(),
            State::TrailLogging(false),
            Undo::Call {
                op: Op::StopLogging {
                    trail: trail.name.clone(),
                },
                expect: State::TrailLogging(true),
            },
        )),
        Read::Failed(e) => p.skipped.push(
            t!(
                "fix_trail.logging_unknown",
                trail = trail.name,
                why = e.reason()
            )
            .into_owned(),
        ),
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
            t!("fix_trail.add_management_events", trail = trail.name).into_owned(),
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
        p.warnings
            .push(t!("fix_trail.undo_keeps_events").into_owned());
    }
    p.cost = t!("fix_trail.cost").into_owned();
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
    let principal = json!({"Service": "cloudtrail.amazonaws.com"}); // i18n: technical
    json!({
        "Version": "2012-10-17", // i18n: technical
        "Statement": [ // i18n: technical
            {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow", "Principal": principal, // i18n: technical
             "Action": "s3:GetBucketAcl", "Resource": arn, // i18n: technical
             "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}}}, // i18n: technical
            {"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": principal, // i18n: technical
             "Action": "s3:PutObject", "Resource": format!("{arn}/AWSLogs/{account}/*"), // i18n: technical
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", // i18n: technical
                                             "aws:SourceArn": trail_arn}}},
            {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", // i18n: technical
             "Action": "s3:*", "Resource": [arn.clone(), format!("{arn}/*")], // i18n: technical
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}, // i18n: technical
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
        &t!("fix_trail.bucket_for"),
    ));
    p.steps.push(Step::new(
        &region,
        Op::CreateTrail {
            trail: NEW_TRAIL.into(),
            bucket: bucket.clone(),
        },
        t!(
            "fix_trail.create_trail",
            trail = NEW_TRAIL,
            region = region,
            bucket = bucket
        )
        .into_owned(),
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
        t!("fix_trail.start_new_trail", trail = NEW_TRAIL).into_owned(),
        State::TrailLogging(false),
        Undo::Call {
            op: Op::StopLogging {
                trail: NEW_TRAIL.into(),
            },
            expect: State::TrailLogging(true),
        },
    ));
    p.warnings.push(
        t!(
            "fix_trail.undo_keeps_bucket",
            trail = NEW_TRAIL,
            bucket = bucket
        )
        .into_owned(),
    );
    p.cost = t!("fix_trail.cost").into_owned();
    p
}
