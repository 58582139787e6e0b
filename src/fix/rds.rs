//! rds-performance-insights: turn it on with the free 7 days of history. It needs no
//! reboot, but ModifyDBInstance with ApplyImmediately also applies every modification
//! waiting for the maintenance window
//! (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.DBInstance.Modifying.html),
//! so an instance with one is left alone unless the user picks the maintenance window.

use super::planners::{Ctx, Planned};
use super::{NoPlan, Op, State, Step, Undo};
use crate::snapshot::Read;
use crate::t;

/// The history Performance Insights keeps at no charge.
const FREE_DAYS: i32 = 7;

pub(super) fn performance_insights(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let later = ctx.choices.at_maintenance_window;
    let mut p = Planned::default();
    for (f, data) in ctx.failing(&mut p.skipped) {
        let Read::Ok(dbs) = &data.rds_instances else {
            continue;
        };
        let Some(db) = dbs.iter().find(|d| d.arn == f.resource) else {
            continue;
        };
        if !db.pending_modifications.is_empty() && !later {
            p.skipped.push(
                t!(
                    "fix_rds.insights_pending",
                    instance = db.identifier,
                    region = f.region,
                    pending = db.pending_modifications.join(", ")
                )
                .into_owned(),
            );
            continue;
        }
        let state = State::PerformanceInsights {
            enabled: false,
            pending: db.pending_modifications.clone(),
        };
        let says = if later {
            t!(
                "fix_rds.insights_later",
                instance = db.identifier,
                days = FREE_DAYS
            )
        } else {
            t!(
                "fix_rds.insights_now",
                instance = db.identifier,
                days = FREE_DAYS
            )
        };
        p.steps.push(Step::new(
            &f.region,
            Op::EnablePerformanceInsights {
                instance: db.identifier.clone(),
                retention_days: FREE_DAYS,
                apply_immediately: !later,
            },
            says.into_owned(),
            state.clone(),
            Undo::Call {
                op: Op::DisablePerformanceInsights {
                    instance: db.identifier.clone(),
                    apply_immediately: !later,
                },
                expect: State::PerformanceInsights {
                    enabled: true,
                    pending: db.pending_modifications.clone(),
                },
            },
        ));
    }
    if later && !p.steps.is_empty() {
        p.warnings.push(t!("fix_rds.waits_warning").into_owned());
    }
    if !p.steps.is_empty() {
        p.warnings
            .push(t!("fix_rds.insights_undo_warning").into_owned());
    }
    p.cost = t!("fix_rds.insights_cost", days = FREE_DAYS).into_owned();
    Ok(p)
}

/// rds-storage-headroom with `--storage-autoscaling-max GIB`: storage autoscaling on,
/// up to that ceiling. AWS requires a ceiling at least 10 % above the allocated storage
/// and recommends 26 %
/// (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html);
/// undo sets the ceiling back to the allocated storage, which turns autoscaling off.
/// The same pending-modification rule as Performance Insights applies.
pub(super) fn storage_autoscaling(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let Some(max) = ctx.choices.storage_ceiling_gib else {
        return Ok(Planned::default());
    };
    let later = ctx.choices.at_maintenance_window;
    let mut p = Planned::default();
    for (f, data) in ctx.failing(&mut p.skipped) {
        let Read::Ok(dbs) = &data.rds_instances else {
            continue;
        };
        let Some(db) = dbs.iter().find(|d| d.arn == f.resource) else {
            continue;
        };
        if db
            .max_allocated_storage
            .is_some_and(|m| m > db.allocated_storage)
        {
            continue;
        }
        let least = (db.allocated_storage * 11 + 9) / 10;
        if max < least {
            return Err(NoPlan::BadChoice(
                t!(
                    "fix_rds.ceiling_too_low",
                    instance = db.identifier,
                    max = max,
                    allocated = db.allocated_storage,
                    least = least,
                    recommended = (db.allocated_storage * 126 + 99) / 100
                )
                .into_owned(),
            ));
        }
        if !db.pending_modifications.is_empty() && !later {
            p.skipped.push(
                t!(
                    "fix_rds.ceiling_pending",
                    instance = db.identifier,
                    region = f.region,
                    pending = db.pending_modifications.join(", ")
                )
                .into_owned(),
            );
            continue;
        }
        let pending = db.pending_modifications.clone();
        p.steps.push(Step::new(
            &f.region,
            Op::SetStorageCeiling {
                instance: db.identifier.clone(),
                max_gib: max,
                apply_immediately: !later,
            },
            if later {
                t!(
                    "fix_rds.ceiling_later",
                    instance = db.identifier,
                    allocated = db.allocated_storage,
                    max = max
                )
            } else {
                t!(
                    "fix_rds.ceiling_now",
                    instance = db.identifier,
                    allocated = db.allocated_storage,
                    max = max
                )
            }
            .into_owned(),
            State::StorageCeiling {
                max_gib: None,
                pending: pending.clone(),
            },
            Undo::Call {
                op: Op::SetStorageCeiling {
                    instance: db.identifier.clone(),
                    max_gib: db.allocated_storage,
                    apply_immediately: !later,
                },
                expect: State::StorageCeiling {
                    max_gib: Some(max),
                    pending,
                },
            },
        ));
    }
    if !p.steps.is_empty() {
        p.warnings
            .push(t!("fix_rds.ceiling_undo_warning").into_owned());
    }
    p.cost = t!("fix_rds.ceiling_cost").into_owned();
    Ok(p)
}
