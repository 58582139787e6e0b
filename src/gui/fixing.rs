//! The fix window's state and its work: the plans for one item, for every failing item
//! ("Fix everything"), or the undo of a run; the user's choices as form fields; the run
//! in the background, step by step, with Cancel between steps; the re-check.
//!
//! Planning is pure and instant, so the plans are made again whenever a choice or a
//! tick changes. The run and the re-check go to the tokio runtime; their progress comes
//! back over the app's channel.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::checklist::Checklist;
use crate::execute::{Progress, StepResult};
use crate::fix::audit::{AuditLog, Entry, Outcome, undo_plan};
use crate::fix::{self, Channel, Choices, FixPlan};
use crate::report::{ItemStatus, Report};
use crate::snapshot::AccountSnapshot;
use crate::t;

/// What the window fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixKind {
    /// One item's Fix button.
    Item(String),
    /// Every failing item that has a fix, each with a tick.
    Everything,
    /// The recorded inverse of one run, from the history.
    Undo(String),
    /// A fire drill of the routes an item's alerts travel.
    Drill(String),
}

/// The choices a fix asks for, as the form holds them (text until parsed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChoiceForm {
    /// An e-mail address, or an SNS topic ARN that reaches a person.
    pub channel: String,
    pub retention_days: i32,
    pub budget_amount: String,
    pub canary_url: String,
    pub response_pattern: String,
    pub at_maintenance_window: bool,
    pub config_daily: bool,
    pub anomaly_threshold: String,
    /// rds-storage-headroom: storage autoscaling up to this many GiB (empty: an alarm).
    pub storage_ceiling: String,
}

impl ChoiceForm {
    pub fn new(channel: Option<&str>) -> Self {
        ChoiceForm {
            channel: channel.unwrap_or_default().to_string(),
            retention_days: 30,
            anomaly_threshold: "100".into(),
            ..ChoiceForm::default()
        }
    }

    /// The choices, or what is wrong with a field.
    pub fn choices(&self, checklist: &Checklist) -> Result<Choices, String> {
        let defaults = Choices::default();
        let channel = self.channel.trim();
        let channel = if channel.is_empty() {
            None
        } else if channel.starts_with("arn:") {
            // One topic per region: alarms and rules publish only in their own region.
            let topics: Vec<String> = channel
                .split([',', ' ', '\n'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect();
            if let Some(bad) = topics
                .iter()
                .find(|t| !(t.starts_with("arn:") && t.contains(":sns:")))
            {
                return Err(t!("fixing.not_topic_arn", value = bad).into_owned());
            }
            Some(Channel::Topics(topics))
        } else if channel.contains('@') && !channel.contains(char::is_whitespace) {
            Some(Channel::Email(channel.to_string()))
        } else {
            return Err(t!("fixing.not_channel", channel = channel).into_owned());
        };
        let number = |text: &str, what: &str| -> Result<Option<f64>, String> {
            let t = text.trim().trim_start_matches('$');
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v > 0.0)
                .map(Some)
                .ok_or_else(|| t!("fixing.not_amount", what = what, text = text).into_owned())
        };
        let canary = self.canary_url.trim();
        if !canary.is_empty() {
            fix::canary::check_url(canary)?;
        }
        let param = |item: &str, name: &str| checklist.float_param(item, name);
        Ok(Choices {
            retention_days: self.retention_days,
            response_pattern: Some(self.response_pattern.trim())
                .filter(|p| !p.is_empty())
                .map(str::to_string),
            channel,
            min_severity: param("guardduty-findings-routed", "min_severity")
                .unwrap_or(defaults.min_severity),
            connections_fraction: param("rds-connections-alarm", "max_fraction")
                .unwrap_or(defaults.connections_fraction),
            at_maintenance_window: self.at_maintenance_window,
            budget_amount: number(&self.budget_amount, &t!("fixing.budget_amount"))?,
            anomaly_threshold: number(&self.anomaly_threshold, &t!("fixing.anomaly_threshold"))?
                .unwrap_or(defaults.anomaly_threshold),
            config_daily: self.config_daily,
            storage_ceiling_gib: match self.storage_ceiling.trim() {
                "" => None,
                t => Some(
                    t.parse::<i64>()
                        .ok()
                        .filter(|g| *g > 0)
                        .ok_or_else(|| t!("fixing.not_whole_gib", value = t).into_owned())?,
                ),
            },
            canary_urls: if canary.is_empty() {
                Vec::new()
            } else {
                vec![(None, canary.to_string())]
            },
            ..defaults
        })
    }
}

/// One item's plan in the window.
#[derive(Debug, Clone)]
pub struct PlanRow {
    pub item: String,
    pub title: String,
    /// For a drill: the route class and the route each step tests.
    pub drill: Option<(String, Vec<String>)>,
    /// For a drill: routes AWS cannot test, answered by the person directly.
    pub manual: Vec<String>,
    /// Only ticked rows are planned together and run.
    pub ticked: bool,
    /// Shared with the run, which takes the plans without copying their steps.
    pub plan: Result<Arc<FixPlan>, String>,
}

/// How a step of the run is doing.
#[derive(Debug, Clone, PartialEq)]
pub enum StepState {
    Running,
    Ended(StepResult),
}

/// Where the window is.
#[derive(Debug)]
pub enum FixPhase {
    /// The plan, the choices, the ticks.
    Review,
    /// One question naming the account, before anything runs.
    Confirm,
    /// Steps running; (row, step from 1) → state.
    Running {
        steps: BTreeMap<(usize, usize), StepState>,
        cancel: Arc<AtomicBool>,
    },
    /// The run ended (complete, failed or cancelled) and the re-check too.
    Done(FixOutcome),
}

/// A channel topic and its (confirmed, pending) subscriptions, or why they could not be
/// read.
pub type ChannelState = (String, Result<(usize, usize), String>);

/// What the run changed, as the window says it at the end.
#[derive(Debug, Clone, PartialEq)]
pub struct FixOutcome {
    pub steps: BTreeMap<(usize, usize), StepState>,
    /// (item, status before, status after).
    pub items: Vec<(String, ItemStatus, ItemStatus)>,
    pub score_before: Option<f64>,
    pub score_after: Option<f64>,
    pub cancelled: bool,
    /// Why the run or the re-check could not finish.
    pub error: Option<String>,
    /// Addresses whose subscription waits for the person to click AWS's link.
    pub pending: Vec<String>,
    /// The channel topics those addresses subscribe to: (topic, (confirmed, pending)
    /// subscriptions) as last read, or why they could not be.
    pub channel: Vec<ChannelState>,
    /// "Check again" is reading.
    pub checking: bool,
    /// For a drill: the (class, route) of every test that went out, to be answered.
    pub sent: Vec<(String, String)>,
    /// The answer recorded for them, once given.
    pub recorded: Option<bool>,
}

/// What the window offers as choices, read from the scan once when it opens.
#[derive(Debug, Clone, Default)]
pub struct Offers {
    /// The public load balancers, as URLs a canary can load.
    pub endpoints: Vec<String>,
    /// Topics that reach a person now, by the product's own rules.
    pub topics: Vec<String>,
}

impl Offers {
    pub fn of(snapshot: &AccountSnapshot) -> Self {
        use crate::rules::routing::{Reach, Routing};
        use crate::snapshot::Read;
        let endpoints = snapshot
            .regions
            .values()
            .filter_map(|r| match &r.load_balancers {
                Read::Ok(lbs) => Some(lbs),
                Read::Failed(_) => None,
            })
            .flatten()
            .filter(|lb| lb.scheme == "internet-facing")
            // Its own name over HTTP: an HTTPS certificate is issued for your domain,
            // not for the load balancer's AWS name.
            .filter_map(|lb| lb.dns_name.as_ref().map(|d| format!("http://{d}/")))
            .collect();
        let routing = Routing::of(snapshot, &[]);
        let topics = snapshot
            .regions
            .values()
            .filter_map(|r| match &r.sns_topics {
                Read::Ok(topics) => Some(topics),
                Read::Failed(_) => None,
            })
            .flatten()
            .filter(|t| matches!(routing.topic(&t.arn), Reach::Person(_)))
            .map(|t| t.arn.clone())
            .collect();
        Offers { endpoints, topics }
    }
}

pub struct FixState {
    /// The account the window was opened on; nothing runs against another.
    pub account: String,
    /// The answer recorded for a drill's routes AWS cannot test, once given.
    pub manual_recorded: Option<bool>,
    pub offers: Offers,
    /// A drill's "who got it, and when", as typed.
    pub drill_who: String,
    /// Which run of the window this is; stale background messages are ignored.
    pub id: u64,
    pub kind: FixKind,
    pub form: ChoiceForm,
    /// What the form said when the plans were last made.
    planned_with: Option<ChoiceForm>,
    pub form_error: Option<String>,
    pub rows: Vec<PlanRow>,
    pub phase: FixPhase,
    /// Why nothing can run from this window (a demo or a saved snapshot), if so.
    pub cannot_run: Option<String>,
    /// What IAM's policy simulator said about the permissions of the plans to run.
    pub permissions: Permissions,
    /// How many times the plans were made, and the count the permission check last
    /// looked at (the plans' actions are gathered again only when they change: at
    /// 10,000 steps that is longer than a frame).
    pub(super) plans_made: u64,
    pub(super) permissions_looked_at: u64,
}

/// The up-front permission check of the plans to run (live accounts only).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Permissions {
    /// Not asked: nothing can run, or nothing is planned.
    #[default]
    NotAsked,
    /// Asked about these actions; the answer is on its way.
    Checking(Vec<String>),
    /// The answer about these actions.
    Done(Vec<String>, crate::collect::permissions::PermissionCheck),
}

impl Permissions {
    /// The actions the last question was about.
    pub fn asked(&self) -> Option<&[String]> {
        match self {
            Permissions::NotAsked => None,
            Permissions::Checking(a) | Permissions::Done(a, _) => Some(a),
        }
    }
}

impl FixState {
    pub fn new(
        id: u64,
        kind: FixKind,
        form: ChoiceForm,
        cannot_run: Option<String>,
        offers: Offers,
    ) -> Self {
        FixState {
            account: String::new(),
            manual_recorded: None,
            offers,
            drill_who: String::new(),
            id,
            kind,
            form,
            planned_with: None,
            form_error: None,
            rows: Vec::new(),
            permissions: Permissions::NotAsked,
            plans_made: 0,
            permissions_looked_at: 0,
            phase: FixPhase::Review,
            cannot_run,
        }
    }

    /// The ticked plans that change something.
    pub fn to_run(&self) -> Vec<(usize, &Arc<FixPlan>)> {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.ticked)
            .filter_map(|(i, r)| r.plan.as_ref().ok().map(|p| (i, p)))
            .filter(|(_, p)| !p.steps.is_empty())
            .collect()
    }

    /// Every IAM action the plans to run need, sorted.
    pub fn needed_permissions(&self) -> Vec<String> {
        FixPlan::permissions_of(self.to_run().into_iter().map(|(_, p)| p.as_ref()))
    }

    pub fn changes(&self) -> usize {
        self.to_run().iter().map(|(_, p)| p.steps.len()).sum()
    }

    /// Makes the plans again when the form or a tick changed (or for the first time).
    /// `entries` is the audit log, for an undo.
    pub fn replan(
        &mut self,
        report: &Report,
        snapshot: &AccountSnapshot,
        checklist: &Checklist,
        entries: &[Entry],
    ) {
        if !self.needs_plan() {
            return;
        }
        self.planned_with = Some(self.form.clone());
        self.plans_made += 1;
        if let FixKind::Undo(run) = &self.kind {
            self.rows = vec![PlanRow {
                item: format!("undo {run}"), // i18n: technical
                title: t!("fixing.undo_title", run = run).into_owned(),
                drill: None,
                manual: Vec::new(),
                ticked: true,
                plan: undo_plan(entries, run).map(Arc::new),
            }];
            return;
        }
        if let FixKind::Drill(item) = &self.kind {
            self.rows = fix::drill::classes_for(item)
                .iter()
                .map(|class| {
                    let d = fix::drill::plan(class, snapshot);
                    PlanRow {
                        item: format!("drill {class}"), // i18n: technical
                        title: t!("fixing.drill_title", class = class).into_owned(),
                        drill: Some((d.class, d.routes)),
                        manual: d.manual,
                        ticked: true,
                        plan: Ok(Arc::new(d.plan)),
                    }
                })
                .collect();
            return;
        }
        let choices = match self.form.choices(checklist) {
            Ok(c) => {
                self.form_error = None;
                c
            }
            Err(e) => {
                self.form_error = Some(e);
                return;
            }
        };
        let ids: Vec<String> = match &self.kind {
            FixKind::Item(id) => vec![id.clone()],
            FixKind::Everything => fixable_failing(report),
            FixKind::Undo(_) | FixKind::Drill(_) => Vec::new(),
        };
        let ticked: Vec<String> = ids
            .iter()
            .filter(|id| {
                self.rows
                    .iter()
                    .find(|r| &r.item == *id)
                    .is_none_or(|r| r.ticked)
            })
            .cloned()
            .collect();
        // The channel's topic is planned once, in the first ticked plan that needs it:
        // plan the ticked items together, the others each on their own.
        let mut together: BTreeMap<String, Result<FixPlan, String>> =
            fix::plan_all(&ticked, report, snapshot, &choices)
                .into_iter()
                .map(|(id, p)| (id, p.map_err(|e| e.to_string())))
                .collect();
        let title = |id: &str| {
            checklist
                .items
                .iter()
                .find(|i| i.id == id)
                .map_or_else(|| id.to_string(), |i| i.title.clone())
        };
        self.rows = ids
            .iter()
            .map(|id| {
                let is_ticked = ticked.contains(id);
                let plan = match together.remove(id) {
                    Some(p) => p,
                    None => fix::plan(id, report, snapshot, &choices).map_err(|e| e.to_string()),
                }
                .map(Arc::new);
                PlanRow {
                    item: id.clone(),
                    title: title(id),
                    drill: None,
                    manual: Vec::new(),
                    ticked: is_ticked,
                    plan,
                }
            })
            .collect();
    }

    /// Whether the plans are to be made (again): the window is showing them and a choice
    /// or a tick changed since.
    pub fn needs_plan(&self) -> bool {
        matches!(self.phase, FixPhase::Review) && self.planned_with.as_ref() != Some(&self.form)
    }

    /// Ticks or unticks a row; the plans are made again on the next frame.
    pub fn set_ticked(&mut self, row: usize, ticked: bool) {
        if let Some(r) = self.rows.get_mut(row) {
            r.ticked = ticked;
            self.planned_with = None;
        }
    }

    pub fn cancel(&self) {
        if let FixPhase::Running { cancel, .. } = &self.phase {
            cancel.store(true, Ordering::SeqCst);
        }
    }

    /// Takes in a step's progress.
    pub fn progress(&mut self, row: usize, progress: Progress) {
        if let FixPhase::Running { steps, .. } = &mut self.phase {
            match progress {
                Progress::Started(n) => {
                    steps.insert((row, n), StepState::Running);
                }
                Progress::Finished(r) => {
                    steps.insert((row, r.step), StepState::Ended(r));
                }
            }
        }
    }

    /// The steps as they ended, for the summary.
    pub fn take_steps(&mut self) -> BTreeMap<(usize, usize), StepState> {
        match &mut self.phase {
            FixPhase::Running { steps, .. } => std::mem::take(steps),
            _ => BTreeMap::new(),
        }
    }
}

/// Failing items whose fix onwatch runs, in checklist order (practices and items
/// with no safe API fix are left out).
pub fn fixable_failing(report: &Report) -> Vec<String> {
    report
        .items
        .iter()
        .filter(|i| matches!(i.status, ItemStatus::Fail | ItemStatus::Partial))
        .filter(|i| fix::has_fix(&i.id))
        .map(|i| i.id.clone())
        .collect()
}

/// One run in the history panel.
#[derive(Debug, Clone, PartialEq)]
pub struct RunView {
    pub run: String,
    pub time: chrono::DateTime<chrono::Utc>,
    pub caller: String,
    pub item: String,
    pub steps: usize,
    pub failed: usize,
    /// The run that undid it, if one did.
    pub undone_by: Option<String>,
    /// It is itself an undo.
    pub is_undo: bool,
}

/// The runs in an audit log, newest first.
pub fn runs(entries: &[Entry]) -> Vec<RunView> {
    let mut out: Vec<RunView> = Vec::new();
    for e in entries {
        match out.iter_mut().find(|r| r.run == e.run) {
            Some(r) => {
                r.steps += 1;
                r.failed += usize::from(e.outcome != Outcome::Done);
            }
            None => out.push(RunView {
                run: e.run.clone(),
                time: e.time,
                caller: e.caller.clone(),
                item: e.item.clone(),
                steps: 1,
                failed: usize::from(e.outcome != Outcome::Done),
                undone_by: None,
                is_undo: e.undoes.is_some(),
            }),
        }
    }
    for e in entries {
        if let Some(undone) = &e.undoes
            && let Some(r) = out.iter_mut().find(|r| &r.run == undone)
        {
            r.undone_by = Some(e.run.clone());
        }
    }
    out.sort_by(|a, b| b.time.cmp(&a.time).then(b.run.cmp(&a.run)));
    out
}

/// The audit log of an account, in the data folder.
pub fn audit_log(data_dir: Option<&PathBuf>, account: &str) -> Option<AuditLog> {
    data_dir.map(|d| AuditLog::new(d, account))
}
