//! The fix window's run: the one confirmation naming the account, the steps as they
//! run, and the end (the re-check's before and after, the channel's subscriptions,
//! a drill's question).

use crate::t;
use egui::{RichText, Ui};

use super::Action;
use super::fix_ui::{review_ui, warn};
use super::fixing::{FixKind, FixPhase, FixState, Offers, PlanRow, StepState};
use super::widgets::{named, score_text};
use crate::fix::audit::Outcome;
use crate::report::ItemStatus;
use crate::report::ReportAccount as Account;

pub(super) fn body_ui(
    ui: &mut Ui,
    state: &mut FixState,
    account: &Account,
    offers: &Offers,
    actions: &mut Vec<Action>,
) {
    let name = match &account.alias {
        Some(alias) => format!("{alias} ({})", account.id),
        None => account.id.clone(),
    };
    match &state.phase {
        FixPhase::Review => review_ui(ui, state, offers, actions),
        FixPhase::Confirm => confirm_ui(ui, state, &name, actions),
        FixPhase::Running { steps, .. } => {
            ui.strong(t!("fix_run_ui.changing", account = name));
            steps_ui(ui, &state.rows, steps, 60.0);
            ui.add_space(8.0);
            let text = t!("fix_run_ui.cancel");
            let cancel = ui.button(text.as_ref());
            if named(cancel, &text, &t!("fix_run_ui.cancel_name")).clicked() {
                actions.push(Action::CancelFix);
            }
            ui.label(RichText::new(t!("fix_run_ui.cancel_help")).weak());
        }
        FixPhase::Done(outcome) => {
            let headline = if outcome.cancelled {
                t!("fix_run_ui.cancelled")
            } else if outcome.clean() {
                t!("fix_run_ui.done")
            } else {
                t!("fix_run_ui.stopped")
            };
            ui.strong(headline);
            if let Some(error) = &outcome.error {
                ui.add(
                    egui::Label::new(RichText::new(error).color(ui.visuals().error_fg_color))
                        .wrap(),
                );
            }
            let now_pass = outcome
                .items
                .iter()
                .filter(|(_, _, after)| matches!(after, ItemStatus::Pass | ItemStatus::AnsweredYes))
                .count();
            if outcome.items.is_empty() {
                ui.strong(t!(
                    "fix_run_ui.score",
                    before = score_text(outcome.score_before),
                    after = score_text(outcome.score_after)
                ));
            } else {
                ui.strong(t!(
                    "fix_run_ui.score_items",
                    before = score_text(outcome.score_before),
                    after = score_text(outcome.score_after),
                    pass = now_pass,
                    total = outcome.items.len()
                ));
            }
            if !outcome.pending.is_empty() {
                ui.add(
                    egui::Label::new(
                        RichText::new(t!(
                            "fix_run_ui.still_failing",
                            addresses = outcome.pending.join(", ")
                        ))
                        .color(warn(ui)),
                    )
                    .wrap(),
                );
            }
            channel_ui(ui, outcome, actions);
            if !outcome.sent.is_empty() {
                drill_prompt_ui(
                    ui,
                    &outcome.sent,
                    outcome.recorded,
                    &mut state.drill_who,
                    actions,
                );
            }
            let close = t!("fix_run_ui.close");
            if named(
                ui.button(close.as_ref()),
                &close,
                &t!("fix_run_ui.close_name"),
            )
            .clicked()
            {
                actions.push(Action::CloseFix);
            }
            // Fix everything re-checks up to one item per checklist row: a box of its own
            // keeps the steps below in view.
            egui::ScrollArea::vertical()
                .id_salt("fix-done-items")
                .auto_shrink([false, true])
                .max_height(160.0)
                .show(ui, |ui| {
                    for (item, before, after) in &outcome.items {
                        ui.label(t!(
                            "fix_run_ui.item_before_after",
                            item = item,
                            before = before.label(),
                            after = after.label()
                        ));
                    }
                });
            ui.separator();
            steps_ui(ui, &state.rows, &outcome.steps, 10.0);
        }
    }
}

fn confirm_ui(ui: &mut Ui, state: &FixState, name: &str, actions: &mut Vec<Action>) {
    let changes = state.changes();
    let drill = matches!(state.kind, FixKind::Drill(_));
    if drill {
        ui.strong(t!("fix_run_ui.confirm_tests", n = changes, account = name));
    } else {
        ui.strong(t!(
            "fix_run_ui.confirm_changes",
            n = changes,
            account = name
        ));
    }
    ui.add(egui::Label::new(t!("fix_run_ui.confirm_help")).wrap());
    // What it costs and what cannot be taken back, each once however many plans say
    // it, in a box of fixed height so the buttons below stay where they are.
    egui::ScrollArea::vertical()
        .id_salt("fix-confirm")
        .auto_shrink([false, false])
        .max_height(300.0)
        .show(ui, |ui| {
            let mut said: Vec<&str> = Vec::new();
            for (_, plan) in state.to_run() {
                if !said.contains(&plan.cost.as_str()) {
                    said.push(&plan.cost);
                    ui.add(egui::Label::new(t!("fix_run_ui.cost", cost = plan.cost)).wrap());
                }
                for w in &plan.warnings {
                    if !said.contains(&w.as_str()) {
                        said.push(w);
                        ui.add(
                            egui::Label::new(
                                RichText::new(t!("fix_run_ui.warning", warning = w))
                                    .color(warn(ui)),
                            )
                            .wrap(),
                        );
                    }
                }
            }
        });
    ui.horizontal(|ui| {
        let text = if drill {
            t!("fix_run_ui.send_tests", account = name)
        } else {
            t!("fix_run_ui.change_account", account = name)
        };
        if named(ui.button(text.as_ref()), &text, &text).clicked() {
            actions.push(Action::RunFix);
        }
        let back = t!("fix_run_ui.back");
        if named(ui.button(back.as_ref()), &back, &t!("fix_run_ui.back_name")).clicked() {
            actions.push(Action::BackToPlan);
        }
    });
}

/// One line of the run's step list: an item's title, or one of its steps.
enum Line<'a> {
    Title(&'a str),
    /// (row, step from 1, what it does).
    Step(usize, usize, &'a str),
}

/// The steps as they run: how many are done, each failure in full (the run stops at
/// the first, so there are few), then one line per step. A fix over 10,000 log groups
/// has 10,000 steps: the list lays out only the lines on screen, and a line too long
/// for the window ends in "…" and shows all of it on hover.
fn steps_ui(
    ui: &mut Ui,
    rows: &[PlanRow],
    steps: &std::collections::BTreeMap<(usize, usize), StepState>,
    below: f32,
) {
    let mut lines: Vec<Line<'_>> = Vec::new();
    for (i, row) in rows.iter().enumerate().filter(|(_, r)| r.ticked) {
        let Ok(plan) = &row.plan else { continue };
        if plan.steps.is_empty() {
            continue;
        }
        lines.push(Line::Title(&row.title));
        lines.extend(
            plan.steps
                .iter()
                .enumerate()
                .map(|(n, step)| Line::Step(i, n + 1, step.says.as_str())),
        );
    }
    let total = lines.iter().filter(|l| matches!(l, Line::Step(..))).count();
    let done = steps
        .values()
        .filter(|s| matches!(s, StepState::Ended(r) if r.outcome == Outcome::Done))
        .count();
    ui.label(t!("fix_run_ui.progress", done = done, total = total));
    for line in &lines {
        let Line::Step(i, n, says) = line else {
            continue;
        };
        let Some(StepState::Ended(r)) = steps.get(&(*i, *n)) else {
            continue;
        };
        if !matches!(r.outcome, Outcome::Failed | Outcome::Refused) {
            continue;
        }
        let (word, color) = state_word(ui, steps.get(&(*i, *n)));
        ui.add(egui::Label::new(RichText::new(format!("{word}: {n}. {says}")).color(color)).wrap());
        let why = match &r.missing_permission {
            Some(p) => t!(
                "fix_run_ui.lacks_permission",
                message = r.message.clone().unwrap_or_default(),
                permission = p
            )
            .into_owned(),
            None => r.message.clone().unwrap_or_default(),
        };
        ui.indent(("why", i, n), |ui| {
            ui.add(egui::Label::new(RichText::new(why).color(ui.visuals().error_fg_color)).wrap());
        });
    }
    let height = (ui.available_height() - below).max(120.0);
    let row_height = ui.text_style_height(&egui::TextStyle::Body);
    egui::ScrollArea::vertical()
        .id_salt("fix-steps")
        .auto_shrink([false, true])
        .max_height(height)
        .show_rows(ui, row_height, lines.len(), |ui, range| {
            for line in &lines[range] {
                match line {
                    Line::Title(title) => {
                        ui.add(egui::Label::new(RichText::new(*title).strong()).truncate());
                    }
                    Line::Step(i, n, says) => {
                        let (word, color) = state_word(ui, steps.get(&(*i, *n)));
                        let text = RichText::new(format!("{word}: {n}. {says}")).color(color);
                        ui.add(egui::Label::new(text).truncate());
                    }
                }
            }
        });
}

/// A step's state in a word, and its colour.
fn state_word(
    ui: &Ui,
    state: Option<&StepState>,
) -> (std::borrow::Cow<'static, str>, egui::Color32) {
    match state {
        None => (t!("fix_run_ui.not_run"), ui.visuals().weak_text_color()),
        Some(StepState::Running) => (t!("fix_run_ui.running"), ui.visuals().text_color()),
        Some(StepState::Ended(r)) => match r.outcome {
            Outcome::Done => (t!("fix_run_ui.step_done"), ui.visuals().text_color()),
            Outcome::Failed => (t!("fix_run_ui.failed"), ui.visuals().error_fg_color),
            Outcome::Refused => (t!("fix_run_ui.refused"), ui.visuals().error_fg_color),
        },
    }
}

/// Per region, whether the channel's subscription is confirmed, and "Check again".
fn channel_ui(ui: &mut Ui, outcome: &super::fixing::FixOutcome, actions: &mut Vec<Action>) {
    if outcome.channel.is_empty() {
        return;
    }
    let waiting = outcome
        .channel
        .iter()
        .filter(|(_, s)| matches!(s, Ok((_, p)) if *p > 0))
        .count();
    let header = t!(
        "fix_run_ui.subscriptions",
        topics = outcome.channel.len(),
        waiting = waiting
    );
    egui::CollapsingHeader::new(header)
        .id_salt("channel-state")
        .default_open(outcome.channel.len() <= 4)
        .show(ui, |ui| channel_grid(ui, outcome));
    check_again_ui(ui, outcome, actions);
}

fn channel_grid(ui: &mut Ui, outcome: &super::fixing::FixOutcome) {
    egui::Grid::new("channel-state").show(ui, |ui| {
        for (topic, state) in &outcome.channel {
            let region = crate::rules::routing::arn_region(topic).unwrap_or_default();
            let name = topic.rsplit(':').next().unwrap_or(topic);
            ui.label(region);
            ui.label(name);
            match state {
                Ok((confirmed, 0)) if *confirmed > 0 => ui.label(t!("fix_run_ui.confirmed")),
                Ok((_, pending)) if *pending > 0 => {
                    ui.label(RichText::new(t!("fix_run_ui.waiting", n = pending)).color(warn(ui)))
                }
                Ok(_) => ui.label(t!("fix_run_ui.no_subscription")),
                Err(e) => ui.label(RichText::new(e).color(ui.visuals().error_fg_color)),
            };
            ui.end_row();
        }
    });
}

fn check_again_ui(ui: &mut Ui, outcome: &super::fixing::FixOutcome, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        let text = t!("fix_run_ui.check_again");
        let check = ui.add_enabled(!outcome.checking, egui::Button::new(text.as_ref()));
        if named(check, &text, &t!("fix_run_ui.check_again_name")).clicked() {
            actions.push(Action::CheckChannel);
        }
        if outcome.checking {
            ui.spinner();
        }
    });
}

/// After a drill: did it reach a person? Who, and when? Recorded with the answers.
fn drill_prompt_ui(
    ui: &mut Ui,
    sent: &[(String, String)],
    recorded: Option<bool>,
    who: &mut String,
    actions: &mut Vec<Action>,
) {
    ui.separator();
    let routes: Vec<&str> = sent.iter().map(|(_, r)| r.as_str()).collect();
    ui.add(
        egui::Label::new(
            RichText::new(t!("fix_run_ui.did_it_reach", routes = routes.join(", "))).strong(),
        )
        .wrap(),
    );
    if let Some(reached) = recorded {
        ui.label(if reached {
            t!("fix_run_ui.drill_yes")
        } else {
            t!("fix_run_ui.drill_no")
        });
        return;
    }
    ui.horizontal(|ui| {
        let l = ui.label(t!("fix_run_ui.who_got_it"));
        ui.add(
            egui::TextEdit::singleline(who)
                .hint_text(t!("fix_run_ui.who_hint"))
                .desired_width(320.0),
        )
        .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        let yes = t!("fix_run_ui.reached");
        if named(
            ui.button(yes.as_ref()),
            &yes,
            &t!("fix_run_ui.reached_name"),
        )
        .clicked()
        {
            actions.push(Action::RecordDrill(true));
        }
        let no = t!("fix_run_ui.not_reached");
        if named(
            ui.button(no.as_ref()),
            &no,
            &t!("fix_run_ui.not_reached_name"),
        )
        .clicked()
        {
            actions.push(Action::RecordDrill(false));
        }
    });
}
