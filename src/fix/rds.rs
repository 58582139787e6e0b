//! rds-performance-insights: turn it on with the free 7 days of history. It needs no
//! reboot, but ModifyDBInstance with ApplyImmediately also applies every modification
//! waiting for the maintenance window
//! (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.DBInstance.Modifying.html),
//! so an instance with one is left alone unless the user picks the maintenance window.

use super::planners::{Ctx, Planned};
use super::{NoPlan, Op, State, Step, Undo};
use crate::snapshot::Read;

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
            p.skipped.push(format!(
                "DB instance {} ({}): changes wait for its maintenance window ({}); turning Performance Insights on now would apply them now too. Pass --at-maintenance-window to turn it on with them, or apply them first",
                db.identifier,
                f.region,
                db.pending_modifications.join(", ")
            ));
            continue;
        }
        let state = State::PerformanceInsights {
            enabled: false,
            pending: db.pending_modifications.clone(),
        };
        let when = if later {
            "at its next maintenance window"
        } else {
            "now, with no reboot or downtime"
        };
        p.steps.push(Step::new(
            &f.region,
            Op::EnablePerformanceInsights {
                instance: db.identifier.clone(),
                retention_days: FREE_DAYS,
                apply_immediately: !later,
            },
            format!(
                "Turn Performance Insights on for DB instance {} {when}, keeping {FREE_DAYS} days of query load history",
                db.identifier
            ),
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
        p.warnings.push(
            "The change waits for each instance's maintenance window: the item keeps failing until then".into(),
        );
    }
    if !p.steps.is_empty() {
        p.warnings.push(
            "Undo turns Performance Insights off, and the history it collected is no longer shown"
                .into(),
        );
    }
    p.cost = format!(
        "No charge for {FREE_DAYS} days of history (the free tier); longer retention is billed per vCPU"
    );
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
            return Err(NoPlan::BadChoice(format!(
                "DB instance {}: {max} GiB is not at least 10 % above its {} GiB (AWS needs {least} GiB or more; 26 % above, {} GiB, avoids the near-ceiling event)",
                db.identifier,
                db.allocated_storage,
                (db.allocated_storage * 126 + 99) / 100
            )));
        }
        if !db.pending_modifications.is_empty() && !later {
            p.skipped.push(format!(
                "DB instance {} ({}): changes wait for its maintenance window ({}); applying the ceiling now would apply them now too. Pass --at-maintenance-window, or apply them first",
                db.identifier,
                f.region,
                db.pending_modifications.join(", ")
            ));
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
            format!(
                "Let DB instance {}'s storage grow by itself from {} GiB up to {max} GiB (storage autoscaling), {}",
                db.identifier,
                db.allocated_storage,
                if later {
                    "at its next maintenance window"
                } else {
                    "now, with no downtime"
                }
            ),
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
        p.warnings.push(
            "Undo turns autoscaling off, but storage it already added stays: RDS storage never shrinks".into(),
        );
    }
    p.cost = "No charge for autoscaling itself; storage it adds is billed like any allocated storage (about $0.115 per GiB-month for gp2/gp3 in us-east-1)".into();
    Ok(p)
}
