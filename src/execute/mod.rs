//! The executor: runs a [`FixPlan`] against AWS, the only place besides collection that
//! writes to or reads from the SDK for fixes. Right before each write it re-reads the
//! target and refuses the step when it is no longer as planned; it stops at the first
//! step that fails or is refused; every step is appended to the audit log, with its
//! undo, as it happens.

mod alarms;
mod anomaly;
mod budgets;
mod canary;
mod config;
mod drill;
mod ops;
mod rds;
mod routes;
mod trail;

use std::sync::atomic::{AtomicBool, Ordering};

use aws_types::SdkConfig;
use chrono::Utc;

use crate::fix::audit::{AuditLog, Entry, Outcome, new_run_id};
use crate::fix::{FixPlan, Undo};
use crate::t;

/// Who runs the plan, and where its record goes.
pub struct Runner<'a> {
    pub sdk: SdkConfig,
    /// sts:GetCallerIdentity's ARN, for the audit log.
    pub caller: String,
    pub log: &'a AuditLog,
}

/// What happened to one step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepResult {
    pub step: usize,
    pub outcome: Outcome,
    pub message: Option<String>,
    /// The IAM action the caller lacked, when that is why it failed.
    pub missing_permission: Option<String>,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    pub run: String,
    pub steps: Vec<StepResult>,
    /// The run stopped before a step because the user cancelled (never mid-call).
    pub cancelled: bool,
}

/// What a watched run reports as it goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// Step `n` (from 1) is about to be re-read and written.
    Started(usize),
    /// Step `n` ended so.
    Finished(StepResult),
}

impl RunResult {
    /// Every step ran.
    pub fn complete(&self) -> bool {
        !self.cancelled && self.steps.iter().all(|s| s.outcome == Outcome::Done)
    }
}

/// Why a step did not run as planned.
pub(crate) struct StepError {
    pub message: String,
    pub missing_permission: Option<String>,
}

/// Runs `plan`'s steps in order. `undoes` names the run an undo plan reverses. The
/// audit log gets a line per step that was attempted; a step after a failure is not
/// attempted and not logged. An error writing the log stops the run before the next
/// write.
pub async fn run(
    runner: &Runner<'_>,
    plan: &FixPlan,
    undoes: Option<&str>,
) -> Result<RunResult, String> {
    run_watched(runner, plan, undoes, &mut |_| {}, &AtomicBool::new(false)).await
}

/// [`run`], telling `watch` as each step starts and ends, and stopping before the next
/// step once `cancel` is set (a call already sent is never interrupted).
pub async fn run_watched(
    runner: &Runner<'_>,
    plan: &FixPlan,
    undoes: Option<&str>,
    watch: &mut (dyn FnMut(Progress) + Send),
    cancel: &AtomicBool,
) -> Result<RunResult, String> {
    let run = new_run_id(Utc::now());
    let mut results = Vec::new();
    let mut cancelled = false;
    for (i, step) in plan.steps.iter().enumerate() {
        if cancel.load(Ordering::SeqCst) {
            cancelled = true;
            break;
        }
        watch(Progress::Started(i + 1));
        let mut entry = Entry {
            run: run.clone(),
            time: Utc::now(),
            caller: runner.caller.clone(),
            account: plan.account.clone(),
            item: plan.item.clone(),
            step: i + 1,
            region: step.region.clone(),
            service: step.service.clone(),
            op: step.op.clone(),
            says: step.says.clone(),
            outcome: Outcome::Done,
            message: None,
            request_id: None,
            undo: step.undo.clone(),
            undoes: undoes.map(str::to_string),
        };
        let mut result = StepResult {
            step: i + 1,
            outcome: Outcome::Done,
            message: None,
            missing_permission: None,
        };
        // Re-read the target right before writing it.
        match ops::read_state(&runner.sdk, &step.region, &step.op).await {
            Err(e) => {
                result.outcome = Outcome::Refused;
                result.message = Some(
                    t!(
                        "execute.reread_failed",
                        target = step.op.target(),
                        error = e.message
                    )
                    .into_owned(),
                );
                result.missing_permission = e.missing_permission;
            }
            Ok(now)
                if now != step.expect
                    && ops::already_in_place(&runner.sdk, &step.region, &step.op, &now).await =>
            {
                result.message =
                    Some(t!("execute.already_in_place", target = step.op.target()).into_owned());
            }
            Ok(now) if now != step.expect => {
                result.outcome = Outcome::Refused;
                result.message = Some(
                    t!(
                        "execute.changed",
                        target = step.op.target(),
                        planned = format!("{:?}", step.expect),
                        now = format!("{now:?}")
                    )
                    .into_owned(),
                );
            }
            Ok(_) => match ops::write(
                &runner.sdk,
                &step.region,
                &step.op,
                &format!("{run}-{}", i + 1),
            )
            .await
            {
                Ok(done) => {
                    entry.request_id = done.request_id;
                    if let Some(undo) = done.undo {
                        entry.undo = undo;
                    } else if let Undo::AfterRun { says } = &entry.undo {
                        entry.undo = Undo::Cannot {
                            why: t!("execute.undo_unknown", says = says).into_owned(),
                        };
                    }
                }
                Err(e) => {
                    result.outcome = Outcome::Failed;
                    result.message = Some(e.message);
                    result.missing_permission = e.missing_permission;
                }
            },
        }
        entry.outcome = result.outcome;
        entry.message = result.message.clone();
        runner.log.append(&entry).map_err(|e| {
            t!(
                "execute.log_failed",
                path = runner.log.path().display(),
                error = e
            )
            .into_owned()
        })?;
        let stop = result.outcome != Outcome::Done;
        watch(Progress::Finished(result.clone()));
        results.push(result);
        if stop {
            break;
        }
    }
    Ok(RunResult {
        run,
        steps: results,
        cancelled,
    })
}
