//! cloudtrail-multi-region on an account that has a trail: make it multi-region, turn
//! log file validation on, and start logging (the step Prowler's fixer forgets), each
//! only where needed, in the trail's home region. A trail another account owns (an
//! organization trail) or one whose bucket rejects delivery is left to a person.
//! Creating a trail and its bucket for an account with none is not automated yet.

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
        p.skipped.push(
            "the account has no trail onwatch can change: creating a trail and its log bucket is not automated yet; the item's CLI and CloudFormation text show how".into(),
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
        p.skipped.push(format!(
            "trail {}: it records no management events; adding a management-events selector is not automated yet",
            trail.name
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
