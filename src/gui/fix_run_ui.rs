//! The fix window's run: the one confirmation naming the account, the steps as they
//! run, and the end (the re-check's before and after, the channel's subscriptions,
//! a drill's question).

use egui::{RichText, Ui};

use super::Action;
use super::fix_ui::{review_ui, scrolled, warn};
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
            ui.strong(format!("Changing account {name}…"));
            scrolled(ui, "fix-running", 60.0, true, |ui| {
                steps_ui(ui, &state.rows, steps)
            });
            ui.add_space(8.0);
            let cancel = ui.button("Cancel");
            if named(cancel, "Cancel", "Cancel the fix before its next step").clicked() {
                actions.push(Action::CancelFix);
            }
            ui.label(
                RichText::new("Cancel stops before the next step; a call already sent to AWS finishes, and what ran is kept in the history.")
                    .weak(),
            );
        }
        FixPhase::Done(outcome) => {
            let headline = if outcome.cancelled {
                "Cancelled. The steps below ran before you cancelled; the rest did not."
            } else if outcome.clean() {
                "Done. Every step ran; onwatch read the account again:"
            } else {
                "Stopped. A step did not run; nothing after it ran:"
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
                ui.strong(format!(
                    "Score: {} before, {} now (out of 100).",
                    score_text(outcome.score_before),
                    score_text(outcome.score_after)
                ));
            } else {
                ui.strong(format!(
                    "Score: {} before, {} now (out of 100). {now_pass} of {} item(s) pass now.",
                    score_text(outcome.score_before),
                    score_text(outcome.score_after),
                    outcome.items.len()
                ));
            }
            if !outcome.pending.is_empty() {
                ui.add(
                    egui::Label::new(
                        RichText::new(format!(
                            "Still failing: if {} has not clicked the confirmation link in AWS's message yet, alerts reach nobody. Click it, then scan again.",
                            outcome.pending.join(", ")
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
            if named(ui.button("Close"), "Close", "Close the fix window").clicked() {
                actions.push(Action::CloseFix);
            }
            scrolled(ui, "fix-done", 10.0, false, |ui| {
                for (item, before, after) in &outcome.items {
                    ui.label(format!(
                        "{item}: {} before, {} now",
                        before.label(),
                        after.label()
                    ));
                }
                ui.separator();
                steps_ui(ui, &state.rows, &outcome.steps);
            });
        }
    }
}

fn confirm_ui(ui: &mut Ui, state: &FixState, name: &str, actions: &mut Vec<Action>) {
    let changes = state.changes();
    let drill = matches!(state.kind, FixKind::Drill(_));
    if drill {
        ui.strong(format!(
            "Send {changes} test alert(s) in account {name}? They reach real people."
        ));
    } else {
        ui.strong(format!("Make {changes} change(s) in account {name}?"));
    }
    ui.add(
        egui::Label::new(
            "Each step is read again right before it is written, and refused if it changed since the plan. Every step is written to the fix history, from where it can be undone.",
        )
        .wrap(),
    );
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
                    ui.add(egui::Label::new(format!("Cost: {}", plan.cost)).wrap());
                }
                for w in &plan.warnings {
                    if !said.contains(&w.as_str()) {
                        said.push(w);
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("Warning: {w}")).color(warn(ui)),
                            )
                            .wrap(),
                        );
                    }
                }
            }
        });
    ui.horizontal(|ui| {
        let text = if drill {
            format!("Send the tests in account {name}")
        } else {
            format!("Change account {name}")
        };
        if named(ui.button(&text), &text, &text).clicked() {
            actions.push(Action::RunFix);
        }
        if named(ui.button("Back"), "Back", "Back to the plan").clicked() {
            actions.push(Action::BackToPlan);
        }
    });
}

fn steps_ui(
    ui: &mut Ui,
    rows: &[PlanRow],
    steps: &std::collections::BTreeMap<(usize, usize), StepState>,
) {
    for (i, row) in rows.iter().enumerate().filter(|(_, r)| r.ticked) {
        let Ok(plan) = &row.plan else { continue };
        if plan.steps.is_empty() {
            continue;
        }
        ui.strong(&row.title);
        for (n, step) in plan.steps.iter().enumerate() {
            let (word, color, extra) = match steps.get(&(i, n + 1)) {
                None => ("Not run", ui.visuals().weak_text_color(), None),
                Some(StepState::Running) => ("Running", ui.visuals().text_color(), None),
                Some(StepState::Ended(r)) => match r.outcome {
                    Outcome::Done => ("Done", ui.visuals().text_color(), None),
                    Outcome::Failed | Outcome::Refused => (
                        if r.outcome == Outcome::Failed {
                            "Failed"
                        } else {
                            "Refused"
                        },
                        ui.visuals().error_fg_color,
                        Some(match &r.missing_permission {
                            Some(p) => format!(
                                "{} (the profile lacks {p})",
                                r.message.clone().unwrap_or_default()
                            ),
                            None => r.message.clone().unwrap_or_default(),
                        }),
                    ),
                },
            };
            let text = format!("{word}: {}. {}", n + 1, step.says);
            ui.add(egui::Label::new(RichText::new(&text).color(color)).wrap());
            if let Some(extra) = extra {
                ui.indent(("why", i, n), |ui| {
                    ui.add(
                        egui::Label::new(RichText::new(extra).color(ui.visuals().error_fg_color))
                            .wrap(),
                    );
                });
            }
        }
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
    let header = format!(
        "The channel's subscriptions: {} topic(s), {waiting} waiting for the link to be clicked",
        outcome.channel.len()
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
                Ok((confirmed, 0)) if *confirmed > 0 => ui.label("confirmed"),
                Ok((_, pending)) if *pending > 0 => ui.label(
                    RichText::new(format!("{pending} waiting for the link to be clicked"))
                        .color(warn(ui)),
                ),
                Ok(_) => ui.label("no subscription"),
                Err(e) => ui.label(RichText::new(e).color(ui.visuals().error_fg_color)),
            };
            ui.end_row();
        }
    });
}

fn check_again_ui(ui: &mut Ui, outcome: &super::fixing::FixOutcome, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        let check = ui.add_enabled(!outcome.checking, egui::Button::new("Check again"));
        if named(
            check,
            "Check again",
            "Check again whether the subscriptions are confirmed",
        )
        .clicked()
        {
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
            RichText::new(format!(
                "Did it reach you? The test went through: {}",
                routes.join(", ")
            ))
            .strong(),
        )
        .wrap(),
    );
    if let Some(reached) = recorded {
        ui.label(if reached {
            "Recorded: it reached someone. alert-path-tested counts it for 90 days."
        } else {
            "Recorded: it reached nobody. alert-path-tested fails until a drill reaches someone."
        });
        return;
    }
    ui.horizontal(|ui| {
        let l = ui.label("Who got it, and when?");
        ui.add(
            egui::TextEdit::singleline(who)
                .hint_text("Aiko, phone, 2 minutes later")
                .desired_width(320.0),
        )
        .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        if named(
            ui.button("Yes, it reached someone"),
            "Yes, it reached someone",
            "Yes, it reached someone: record the drill",
        )
        .clicked()
        {
            actions.push(Action::RecordDrill(true));
        }
        if named(
            ui.button("No, nobody got it"),
            "No, nobody got it",
            "No, nobody got it: record the drill",
        )
        .clicked()
        {
            actions.push(Action::RecordDrill(false));
        }
    });
}
