//! Opening the fix window, running its plans in the background and taking in the
//! re-check. The UI thread only sends the work off and reads messages.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::fixing::{ChannelState, ChoiceForm, FixKind, FixOutcome, FixPhase, FixState, StepState};
use super::session::Rechecked;
use super::{Background, OnwatchApp, Origin, Screen, send};
use crate::collect::{self, ScanOptions};
use crate::execute::{self, Progress, Runner};
use crate::fix::audit::{AuditLog, Entry};
use crate::fix::{FixPlan, Op};
use crate::report::ItemStatus;
use crate::snapshot::AccountSnapshot;
use crate::t;

/// What the background run reports.
#[derive(Debug)]
pub enum FixMessage {
    Progress {
        row: usize,
        progress: Progress,
    },
    /// "Check again": each channel topic's (confirmed, pending) subscriptions.
    Channel(Vec<ChannelState>),
    /// The policy simulator's answer about these actions.
    Permissions {
        asked: Vec<String>,
        check: crate::collect::permissions::PermissionCheck,
    },
    /// The run ended; the re-check's snapshot of the regions written in, or why it
    /// could not be read.
    Done {
        /// The re-check merged and evaluated, or why it could not be (in words).
        recheck: Option<Result<Box<Rechecked>, String>>,
        error: Option<String>,
        cancelled: bool,
    },
}

impl OnwatchApp {
    /// The audit log of the open account, and its lines (empty when there are none).
    pub(super) fn audit_entries(&self) -> (Option<AuditLog>, Vec<Entry>, Option<String>) {
        let Some(session) = self.session() else {
            return (None, Vec::new(), None);
        };
        let Some(dir) = self.answers.data_dir.as_ref() else {
            return (
                None,
                Vec::new(),
                Some(t!("fix_run.no_data_folder").into_owned()),
            );
        };
        let log = AuditLog::new(dir, &session.snapshot.account.id);
        match log.read() {
            Ok(entries) => (Some(log), entries, None),
            Err(e) => (Some(log), Vec::new(), Some(e)),
        }
    }

    /// Whether a fix or drill is running now (its window cannot be replaced then).
    pub(super) fn fix_running(&self) -> bool {
        matches!(
            self.fixer.as_ref().map(|f| &f.phase),
            Some(FixPhase::Running { .. })
        )
    }

    /// Closes the fix window and the history when the account they belong to is left:
    /// a run under way is told to stop before its next step.
    pub(super) fn leave_fix(&mut self) {
        if let Some(f) = &self.fixer {
            f.cancel();
        }
        self.fixer = None;
        self.history = None;
    }

    pub(super) fn open_fix(&mut self, kind: FixKind) {
        if self.fix_running() {
            self.fail(t!("fix_run.running").into_owned());
            return;
        }
        self.history = None;
        let Some(session) = self.session() else {
            return;
        };
        let account = session.snapshot.account.id.clone();
        let cannot_run = match (&session.origin, &self.runtime, &self.answers.data_dir) {
            (Origin::Demo, _, _) => Some(t!("fix_run.demo").into_owned()),
            (Origin::File(_), _, _) => Some(t!("fix_run.saved_snapshot").into_owned()),
            (_, None, _) => Some(t!("fix_run.live_off").into_owned()),
            (_, _, None) => Some(t!("fix_run.no_audit_folder").into_owned()),
            _ => None,
        };
        let form = ChoiceForm::new(self.settings.channels.get(&account).map(String::as_str));
        let offers = super::fixing::Offers::of(&session.snapshot);
        let id = self.next_fix;
        self.next_fix += 1;
        let mut state = FixState::new(id, kind, form, cannot_run, offers);
        state.account = account;
        self.fixer = Some(state);
        self.replan();
    }

    /// Makes the plans again if a choice or a tick changed.
    pub(super) fn replan(&mut self) {
        if !self.fixer.as_ref().is_some_and(FixState::needs_plan) {
            return;
        }
        // Only an undo is planned from the audit log: read it then, not every frame.
        let entries = match self.fixer.as_ref().map(|f| &f.kind) {
            Some(FixKind::Undo(_)) => self.audit_entries().1,
            _ => Vec::new(),
        };
        let (Some(fixer), Screen::Report(session)) = (&mut self.fixer, &self.screen) else {
            return;
        };
        {
            fixer.replan(
                &session.report,
                &session.snapshot,
                &session.checklist,
                &entries,
            );
        }
    }

    /// Runs the ticked plans, one after the other, then re-reads the regions they
    /// wrote in. Nothing starts without a profile, a runtime and a data folder.
    pub(super) fn run_fix(&mut self) {
        let (Some(fixer), Screen::Report(session), Some(runtime), Some(dir)) = (
            &mut self.fixer,
            &self.screen,
            self.runtime.clone(),
            self.answers.data_dir.clone(),
        ) else {
            return;
        };
        let Origin::Live { profile } = &session.origin else {
            return;
        };
        if fixer.cannot_run.is_some() || fixer.changes() == 0 {
            return;
        }
        // Plans are made from one account's scan: never run them against another.
        let account = session.snapshot.account.id.clone();
        if fixer.account != account || fixer.to_run().iter().any(|(_, p)| p.account != account) {
            return;
        }
        let base = session.recheck_base();
        let plans: Vec<(usize, Arc<FixPlan>)> = fixer
            .to_run()
            .into_iter()
            .map(|(i, p)| (i, Arc::clone(p)))
            .collect();
        let undoes = match &fixer.kind {
            FixKind::Undo(run) => Some(run.clone()),
            _ => None,
        };
        if !fixer.form.channel.trim().is_empty() {
            self.settings
                .channels
                .insert(account.clone(), fixer.form.channel.trim().to_string());
        }
        let mut regions: Vec<String> = plans.iter().flat_map(|(_, p)| p.regions()).collect();
        regions.sort();
        regions.dedup();
        let opts = ScanOptions {
            profile: profile.clone(),
            home_region: self.start.home_region.clone(),
            regions: Some(regions),
            ..self.scan_base.clone()
        };
        let cancel = Arc::new(AtomicBool::new(false));
        fixer.phase = FixPhase::Running {
            steps: BTreeMap::new(),
            cancel: cancel.clone(),
        };
        let fix = fixer.id;
        let (tx, ctx) = (self.tx.clone(), self.ctx.clone());
        runtime.spawn(async move {
            let say = |message: FixMessage| {
                send(&tx, ctx.as_ref(), Background::Fix { fix, message });
            };
            let log = AuditLog::new(&dir, &account);
            let (error, cancelled) = match collect::resolve_identity(&opts).await {
                Err(e) => (
                    Some(t!("fix_run.nothing_ran", error = e).into_owned()),
                    false,
                ),
                Ok(who) if who.account_id != account => (
                    Some(
                        t!(
                            "fix_run.other_account",
                            reached = who.account_id,
                            account = account
                        )
                        .into_owned(),
                    ),
                    false,
                ),
                Ok(who) => {
                    let runner = Runner {
                        sdk: collect::sdk_config(&opts).await,
                        caller: who.arn,
                        log: &log,
                    };
                    run_all(&runner, &plans, undoes.as_deref(), &cancel, &say).await
                }
            };
            // Re-check whatever ran, even after a failure or a cancel; merged and
            // evaluated here, off the UI thread.
            let recheck = Some(match collect::collect(&opts, None).await {
                Ok(fresh) => base.evaluate(fresh, chrono::Utc::now()).map(Box::new),
                Err(e) => Err(t!("fix_run.recheck_failed", error = e).into_owned()),
            });
            say(FixMessage::Done {
                recheck,
                error,
                cancelled,
            });
        });
    }

    pub(super) fn on_fix_message(&mut self, fix: u64, message: FixMessage) {
        let Some(fixer) = self.fixer.as_mut().filter(|f| f.id == fix) else {
            return;
        };
        match message {
            FixMessage::Progress { row, progress } => fixer.progress(row, progress),
            FixMessage::Permissions { asked, check } => {
                super::permissions::take_answer(fixer, asked, check);
            }
            FixMessage::Channel(states) => {
                if let FixPhase::Done(outcome) = &mut fixer.phase {
                    outcome.channel = states;
                    outcome.checking = false;
                }
            }
            FixMessage::Done {
                recheck,
                error,
                cancelled,
            } => {
                if !matches!(self.screen, Screen::Report(_)) {
                    self.fixer = None;
                    return;
                }
                let Some(fixer) = self.fixer.as_mut() else {
                    return;
                };
                let steps = fixer.take_steps();
                // The drill tests that went out: only those can be answered for.
                let mut sent: Vec<(String, String)> = Vec::new();
                for (i, row) in fixer.rows.iter().enumerate() {
                    let Some((class, routes)) = &row.drill else {
                        continue;
                    };
                    for (n, route) in routes.iter().enumerate() {
                        if matches!(steps.get(&(i, n + 1)),
                            Some(StepState::Ended(r)) if r.outcome == crate::fix::audit::Outcome::Done)
                        {
                            sent.push((class.clone(), route.clone()));
                        }
                    }
                }
                // The checklist items the run is about: an undo restores some run's,
                // a drill answers alert-path-tested (once the person says).
                let items: Vec<String> = match &fixer.kind {
                    FixKind::Undo(_) => Vec::new(),
                    FixKind::Drill(_) => vec!["alert-path-tested".to_string()],
                    _ => fixer
                        .to_run()
                        .iter()
                        .map(|(i, _)| fixer.rows[*i].item.clone())
                        .collect(),
                };
                // The addresses subscribed now, and the e-mail channel (its subscription
                // may have been made earlier and still wait for the click).
                let channel = fixer.form.channel.trim().to_string();
                let pending: Vec<String> = fixer
                    .to_run()
                    .iter()
                    .flat_map(|(_, p)| &p.steps)
                    .filter_map(|s| match &s.op {
                        Op::Subscribe { endpoint, .. } => Some(endpoint.clone()),
                        _ => None,
                    })
                    .chain(
                        (channel.contains('@') && !channel.starts_with("arn:")).then_some(channel),
                    )
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let Screen::Report(session) = &mut self.screen else {
                    return;
                };
                let status = |report: &crate::report::Report, id: &str| {
                    report
                        .items
                        .iter()
                        .find(|i| i.id == id)
                        .map_or(ItemStatus::CouldNotCheck, |i| i.status)
                };
                let before: Vec<ItemStatus> =
                    items.iter().map(|i| status(&session.report, i)).collect();
                let score_before = session.report.score.overall;
                let mut error = error;
                match recheck {
                    Some(Ok(done)) => session.take_rechecked(*done),
                    Some(Err(e)) => {
                        error.get_or_insert(e);
                    }
                    None => {}
                }
                let outcome = FixOutcome {
                    steps,
                    items: items
                        .iter()
                        .zip(before)
                        .map(|(id, b)| (id.clone(), b, status(&session.report, id)))
                        .collect(),
                    score_before,
                    score_after: session.report.score.overall,
                    cancelled,
                    error,
                    channel: subscription_states(&session.snapshot, &pending),
                    pending: pending
                        .into_iter()
                        .filter(|_| {
                            items
                                .iter()
                                .any(|i| status(&session.report, i).is_failing())
                        })
                        .collect(),
                    checking: false,
                    sent,
                    recorded: None,
                };
                fixer.phase = FixPhase::Done(outcome);
            }
        }
    }
}

/// The topics the given addresses subscribe to, with (confirmed, pending) counts as
/// the re-check read them.
fn subscription_states(snapshot: &AccountSnapshot, addresses: &[String]) -> Vec<ChannelState> {
    let mut topics: Vec<String> = Vec::new();
    for data in snapshot.regions.values() {
        if let crate::snapshot::Read::Ok(subs) = &data.sns_subscriptions {
            for s in subs {
                if s.endpoint.as_ref().is_some_and(|e| addresses.contains(e))
                    && !topics.contains(&s.topic_arn)
                {
                    topics.push(s.topic_arn.clone());
                }
            }
        }
    }
    topics
        .into_iter()
        .map(|topic| {
            let region = crate::rules::routing::arn_region(&topic).unwrap_or_default();
            let state = match snapshot.regions.get(region).map(|r| &r.sns_subscriptions) {
                Some(crate::snapshot::Read::Ok(subs)) => {
                    let of_topic = subs.iter().filter(|s| s.topic_arn == topic);
                    let confirmed = of_topic.clone().filter(|s| s.confirmed).count();
                    Ok((confirmed, of_topic.count() - confirmed))
                }
                _ => Err(t!("fix_run.not_read").into_owned()),
            };
            (topic, state)
        })
        .collect()
}

impl OnwatchApp {
    /// "Check again": one ListSubscriptionsByTopic per channel topic, not a scan.
    pub(super) fn check_channel(&mut self) {
        let (Some(fixer), Screen::Report(session), Some(runtime)) =
            (&mut self.fixer, &self.screen, self.runtime.clone())
        else {
            return;
        };
        let Origin::Live { profile } = &session.origin else {
            return;
        };
        let FixPhase::Done(outcome) = &mut fixer.phase else {
            return;
        };
        let topics: Vec<String> = outcome.channel.iter().map(|(t, _)| t.clone()).collect();
        if topics.is_empty() {
            return;
        }
        outcome.checking = true;
        let opts = ScanOptions {
            profile: profile.clone(),
            home_region: self.start.home_region.clone(),
            ..self.scan_base.clone()
        };
        let fix = fixer.id;
        let (tx, ctx) = (self.tx.clone(), self.ctx.clone());
        runtime.spawn(async move {
            let states = collect::subscription_states(&opts, &topics)
                .await
                .into_iter()
                .map(|(t, r)| (t, r.map_err(|e| e.reason())))
                .collect();
            send(
                &tx,
                ctx.as_ref(),
                Background::Fix {
                    fix,
                    message: FixMessage::Channel(states),
                },
            );
        });
    }
}

/// Runs each plan until one does not complete; (why it stopped, cancelled).
async fn run_all(
    runner: &Runner<'_>,
    plans: &[(usize, Arc<FixPlan>)],
    undoes: Option<&str>,
    cancel: &AtomicBool,
    say: &(dyn Fn(FixMessage) + Sync),
) -> (Option<String>, bool) {
    for (row, plan) in plans {
        let row = *row;
        let mut watch = |progress: Progress| say(FixMessage::Progress { row, progress });
        match execute::run_watched(runner, plan, undoes, &mut watch, cancel).await {
            Err(e) => return (Some(e), false),
            Ok(result) if result.cancelled => return (None, true),
            Ok(result) if !result.complete() => {
                let why = result
                    .steps
                    .iter()
                    .find_map(|s| s.message.clone())
                    .unwrap_or_else(|| t!("fix_run.step_did_not_run").into_owned());
                return (Some(format!("{}: {why}", plan.item)), false);
            }
            Ok(_) => {}
        }
    }
    (None, false)
}

impl FixOutcome {
    /// Whether every step that was planned ran and nothing was cancelled.
    pub fn clean(&self) -> bool {
        self.error.is_none()
            && !self.cancelled
            && self.steps.values().all(|s| {
                matches!(s, StepState::Ended(r) if r.outcome == crate::fix::audit::Outcome::Done)
            })
    }
}

impl OnwatchApp {
    /// The person's answer to a drill, recorded with the answers and scored at once:
    /// for every test that went out, or (`manual`) for the routes AWS cannot send a
    /// test through (an address Budgets e-mails itself), which the person answers
    /// directly.
    pub(super) fn record_drill(&mut self, manual: bool, reached: bool) {
        let (Some(fixer), Screen::Report(session)) = (&mut self.fixer, &mut self.screen) else {
            return;
        };
        if fixer.account != session.snapshot.account.id {
            return;
        }
        let routes: Vec<(String, String)> = if manual {
            fixer
                .rows
                .iter()
                .filter_map(|r| r.drill.as_ref().map(|(class, _)| (class, &r.manual)))
                .flat_map(|(class, m)| m.iter().map(move |m| (class.clone(), m.clone())))
                .collect()
        } else {
            match &fixer.phase {
                FixPhase::Done(outcome) => outcome.sent.clone(),
                _ => Vec::new(),
            }
        };
        if routes.is_empty() {
            return;
        }
        let who = Some(fixer.drill_who.trim().to_string()).filter(|w| !w.is_empty());
        let answer = if reached {
            crate::answers::YesNo::Yes
        } else {
            crate::answers::YesNo::No
        };
        let result = session.record_drills(&routes, answer, who);
        match &mut fixer.phase {
            _ if manual => fixer.manual_recorded = Some(reached),
            FixPhase::Done(outcome) => outcome.recorded = Some(reached),
            _ => {}
        }
        let told = if reached {
            t!("fix_run.recorded_yes", n = routes.len())
        } else {
            t!("fix_run.recorded_no", n = routes.len())
        };
        match result {
            Ok(()) => self.tell(told.into_owned()),
            Err(e) => self.fail(t!("fix_run.answer_not_saved", error = e).into_owned()),
        }
    }
}
