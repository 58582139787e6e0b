//! The audit log: every step a fix or an undo runs, one JSON line each, appended and
//! flushed to `fixes/ACCOUNT.jsonl` in onwatch's data folder as it happens. No
//! credentials ever appear: the caller is named by its ARN, the calls by their
//! parameters (names and settings, never secrets).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{FixPlan, Op, State, Step, Undo};
use crate::t;

/// What happened to one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Done,
    Failed,
    /// Not run: its target changed since the plan, or an earlier step failed.
    Refused,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The run: all steps of one `fix --apply` or one undo share it.
    pub run: String,
    pub time: DateTime<Utc>,
    /// Who ran it (sts:GetCallerIdentity's ARN).
    pub caller: String,
    pub account: String,
    /// The item fixed, or "undo RUN".
    pub item: String,
    /// The step's position in the plan, from 1.
    pub step: usize,
    pub region: String,
    pub service: String,
    #[serde(flatten)]
    pub op: Op,
    pub says: String,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// How this step is undone, as known after it ran.
    pub undo: Undo,
    /// The run this one undoes, for an undo run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<String>,
}

/// The audit log of one account.
pub struct AuditLog {
    path: PathBuf,
}

impl AuditLog {
    /// `dir` is onwatch's data folder; the log is `dir/fixes/ACCOUNT.jsonl`.
    pub fn new(dir: &Path, account: &str) -> Self {
        // The account id comes from STS; keep only digits so it cannot name a path.
        let safe: String = account.chars().filter(char::is_ascii_digit).collect();
        AuditLog {
            path: dir.join("fixes").join(format!("{safe}.jsonl")),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line and flushes it to disk before returning.
    pub fn append(&self, entry: &Entry) -> std::io::Result<()> {
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
        line.push('\n');
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        file.write_all(line.as_bytes())?;
        file.sync_data()
    }

    /// Every entry, oldest first; a line that does not parse is reported, not skipped.
    pub fn read(&self) -> Result<Vec<Entry>, String> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(t!(
                    "fix_audit.could_not_read",
                    path = self.path.display(),
                    error = e
                )
                .into_owned());
            }
        };
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                serde_json::from_str(l).map_err(|e| {
                    t!(
                        "fix_audit.not_an_entry",
                        path = self.path.display(),
                        line = i + 1,
                        error = e
                    )
                    .into_owned()
                })
            })
            .collect()
    }
}

/// The plan that undoes run `run`: the recorded inverse of each step that ran, most
/// recent first. Steps that cannot be undone are listed as warnings.
pub fn undo_plan(entries: &[Entry], run: &str) -> Result<FixPlan, String> {
    let ran: Vec<&Entry> = entries.iter().filter(|e| e.run == run).collect();
    let Some(first) = ran.first() else {
        return Err(t!("fix_audit.no_run", run = run).into_owned());
    };
    if first.undoes.is_some() {
        return Err(t!("fix_audit.is_undo", run = run).into_owned());
    }
    if let Some(done) = entries.iter().find(|e| e.undoes.as_deref() == Some(run)) {
        return Err(t!("fix_audit.already_undone", run = run, by = done.run).into_owned());
    }
    let mut steps = Vec::new();
    let mut warnings = Vec::new();
    let in_use = still_used(entries, run);
    for e in ran.iter().rev().filter(|e| e.outcome == Outcome::Done) {
        if let Undo::Call { op, .. } = &e.undo
            && let Some((topic, other)) = shared_topic(op, &in_use)
        {
            warnings.push(
                t!(
                    "fix_audit.kept_shared",
                    says = e.says,
                    other = other,
                    topic = topic
                )
                .into_owned(),
            );
            continue;
        }
        match &e.undo {
            Undo::Call { op, expect } => steps.push(Step::new(
                &e.region,
                op.clone(),
                t!("fix_audit.undo_step", says = e.says).into_owned(),
                expect.clone(),
                Undo::Cannot {
                    why: t!("fix_audit.undo_not_undone").into_owned(),
                },
            )),
            Undo::Cannot { why } => {
                warnings.push(t!("fix_audit.cannot_undo", says = e.says, why = why).into_owned())
            }
            Undo::AfterRun { says } => {
                warnings.push(t!("fix_audit.not_recorded", says = e.says, how = says).into_owned())
            }
        }
    }
    Ok(FixPlan {
        item: format!("undo {run}"), // i18n: technical
        account: first.account.clone(),
        steps,
        cost: t!("fix_audit.cost").into_owned(),
        warnings,
        skipped: Vec::new(),
    })
}

/// The ops of runs other than `run` that are in effect (ran, not an undo, not undone),
/// with their run ids.
fn still_used<'e>(entries: &'e [Entry], run: &str) -> Vec<(&'e str, String)> {
    // A run is undone only when its undo ran every step.
    let undone: Vec<&str> = entries
        .iter()
        .filter_map(|e| e.undoes.as_deref())
        .filter(|u| {
            let undo_runs: Vec<&Entry> = entries
                .iter()
                .filter(|e| e.undoes.as_deref() == Some(*u))
                .collect();
            undo_runs.iter().all(|e| e.outcome == Outcome::Done)
        })
        .collect();
    entries
        .iter()
        .filter(|e| e.run != run && e.undoes.is_none() && !undone.contains(&e.run.as_str()))
        // A fire drill sends a test once; it routes nothing afterwards.
        .filter(|e| !e.item.starts_with("drill "))
        .filter(|e| e.outcome == Outcome::Done)
        .filter_map(|e| Some((e.run.as_str(), serde_json::to_string(&e.op).ok()?)))
        .collect()
}

/// For the undo of a channel topic (DeleteTopic) or of a subscription to it
/// (Unsubscribe of `topic:…`), the topic and the other run that still uses it.
fn shared_topic(op: &Op, in_use: &[(&str, String)]) -> Option<(String, String)> {
    let topic = match op {
        Op::DeleteTopic { topic_arn } => topic_arn.clone(),
        // A subscription ARN is the topic's ARN and a suffix.
        Op::Unsubscribe { subscription_arn } => subscription_arn
            .rsplit_once(':')
            .map(|(topic, _)| topic.to_string())?,
        _ => return None,
    };
    let quoted = format!("\"{topic}\"");
    in_use
        .iter()
        .find(|(_, op)| op.contains(&quoted))
        .map(|(run, _)| (topic, run.to_string()))
}

/// A run's id: its start time, to the millisecond, and the process id.
pub fn new_run_id(now: DateTime<Utc>) -> String {
    format!("{}-{}", now.format("%Y%m%dT%H%M%S%3fZ"), std::process::id())
}

/// The undo call for a detector onwatch created: suspend it, keeping its findings.
pub fn suspend_detector(detector_id: &str) -> Undo {
    Undo::Call {
        op: Op::UpdateDetector {
            detector_id: detector_id.to_string(),
            enable: false,
        },
        expect: State::DetectorStatus("ENABLED".into()),
    }
}
