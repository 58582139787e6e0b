//! The fix window: the plan in plain words (each step's AWS call and CLI folded), the
//! choices as fields, one confirmation naming the account, the steps as they run, and
//! the re-check's before → after.

use egui::{Color32, RichText, Ui};

use super::Action;
use super::fixing::{ChoiceForm, FixKind, FixPhase, FixState, Offers, PlanRow, StepState};
use super::widgets::{copy_block, named, score_text};
use crate::fix::audit::Outcome;
use crate::fix::{FixPlan, Undo};
use crate::report::ReportAccount as Account;

/// Items whose fix routes alerts to the channel.
const ROUTED: [&str; 11] = [
    "guardduty-findings-routed",
    "alarm-actions",
    "rds-cpu-alarm",
    "rds-storage-headroom",
    "rds-connections-alarm",
    "ecs-service-alarms",
    "alb-alarms",
    "sns-confirmed-subscriptions",
    "budget-notification",
    "cost-anomaly-detection",
    "synthetics-canary",
];

fn warn(ui: &Ui) -> Color32 {
    ui.visuals().warn_fg_color
}

pub fn fix_ui(ui: &mut Ui, state: &mut FixState, account: &Account, actions: &mut Vec<Action>) {
    let title = match &state.kind {
        FixKind::Item(_) => state
            .rows
            .first()
            .map_or("Fix".to_string(), |r| format!("Fix: {}", r.title)),
        FixKind::Everything => "Fix everything".to_string(),
        FixKind::Undo(run) => format!("Undo run {run}"),
        FixKind::Drill(_) => "Fire drill: test the alert path".to_string(),
    };
    let mut open = true;
    egui::Window::new(title)
        .collapsible(false)
        .resizable(true)
        .default_width(760.0)
        .default_height(620.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            let offers = state.offers.clone();
            body_ui(ui, state, account, &offers, actions);
        });
    if !open {
        actions.push(Action::CloseFix);
    }
}

/// The long part of a phase (plans, steps) scrolls; the choices above and the buttons
/// below stay in view.
fn scrolled(ui: &mut Ui, id: &str, add: impl FnOnce(&mut Ui)) {
    let height = (ui.ctx().content_rect().height() - 330.0).max(160.0);
    egui::ScrollArea::vertical()
        .id_salt(id)
        .auto_shrink([false, true])
        .max_height(height)
        .show(ui, add);
}

fn body_ui(
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
            scrolled(ui, "fix-running", |ui| steps_ui(ui, &state.rows, steps));
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
                .filter(|(_, _, after)| !after.is_failing())
                .count();
            ui.strong(format!(
                "Score: {} before, {} now (out of 100). {now_pass} of {} item(s) pass now.",
                score_text(outcome.score_before),
                score_text(outcome.score_after),
                outcome.items.len()
            ));
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
            scrolled(ui, "fix-done", |ui| {
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

fn review_ui(ui: &mut Ui, state: &mut FixState, offers: &Offers, actions: &mut Vec<Action>) {
    if let Some(why) = &state.cannot_run {
        ui.add(egui::Label::new(RichText::new(why).strong().color(warn(ui))).wrap());
        ui.add_space(4.0);
    }
    let items: Vec<&str> = state.rows.iter().map(|r| r.item.as_str()).collect();
    if !matches!(state.kind, FixKind::Undo(_)) {
        choices_ui(ui, &mut state.form, &items, offers);
    }
    if let Some(error) = &state.form_error {
        ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
    }
    let everything = state.kind == FixKind::Everything;
    if everything && state.rows.is_empty() {
        ui.label("No failing item has a fix onwatch can run.");
    }
    let mut tick = None;
    scrolled(ui, "fix-plans", |ui| {
        for (i, row) in state.rows.iter().enumerate() {
            if i > 0 {
                ui.separator();
            }
            if !everything {
                plan_row_ui(ui, i, row, true);
                continue;
            }
            let mut ticked = row.ticked;
            let changes = row.plan.as_ref().map_or(0, |p| p.steps.len());
            let text = format!("{} ({changes} change(s))", row.title);
            let response = ui.checkbox(&mut ticked, &text);
            if named(response, &text, &format!("Include {}: {text}", row.item)).changed() {
                tick = Some((i, ticked));
            }
            if row.ticked {
                plan_row_ui(ui, i, row, false);
            } else {
                ui.label(RichText::new("Not included: nothing runs for it.").weak());
            }
        }
    });
    if let Some((i, ticked)) = tick {
        state.set_ticked(i, ticked);
    }
    ui.separator();
    let changes = state.changes();
    let mut regions: std::collections::BTreeMap<&str, usize> = Default::default();
    for (_, plan) in state.to_run() {
        for step in &plan.steps {
            *regions.entry(step.region.as_str()).or_default() += 1;
        }
    }
    let per_region: Vec<String> = regions.iter().map(|(r, n)| format!("{r}: {n}")).collect();
    let drill = matches!(state.kind, FixKind::Drill(_));
    let unit = if drill { "test(s)" } else { "change(s)" };
    ui.strong(format!(
        "{changes} {unit} in all ({})",
        per_region.join(", ")
    ));
    ui.horizontal(|ui| {
        let can = changes > 0 && state.cannot_run.is_none() && state.form_error.is_none();
        let (text, name) = if drill {
            (
                format!("Send {changes} test(s)…"),
                format!("Send {changes} test(s) through the alert routes"),
            )
        } else {
            (
                format!("Apply {changes} change(s)…"),
                format!("Apply {changes} change(s) to the account"),
            )
        };
        let apply = ui.add_enabled(can, egui::Button::new(&text));
        if named(apply, &text, &name).clicked() {
            actions.push(Action::ConfirmFix);
        }
        if named(ui.button("Close"), "Close", "Close the fix window").clicked() {
            actions.push(Action::CloseFix);
        }
    });
}

fn choices_ui(ui: &mut Ui, form: &mut ChoiceForm, items: &[&str], offers: &Offers) {
    let endpoints = &offers.endpoints;
    let has = |id: &str| items.contains(&id);
    let field = |ui: &mut Ui, label: &str, value: &mut String, hint: &str| {
        ui.horizontal(|ui| {
            let l = ui.label(label);
            ui.add(
                egui::TextEdit::singleline(value)
                    .hint_text(hint)
                    .desired_width(360.0),
            )
            .labelled_by(l.id);
        });
    };
    if items.iter().any(|i| ROUTED.contains(i)) {
        field(
            ui,
            "Alert channel",
            &mut form.channel,
            "you@example.com, or an SNS topic ARN that reaches a person",
        );
        if !offers.topics.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Topics that reach a person now (one per region):").weak());
                for arn in &offers.topics {
                    let region = crate::rules::routing::arn_region(arn).unwrap_or_default();
                    let name = arn.rsplit(':').next().unwrap_or(arn);
                    let text = format!("{name} ({region})");
                    let pick = ui.small_button(&text);
                    if named(pick, &text, &format!("Use topic {text}")).clicked() {
                        let current = form.channel.trim();
                        form.channel =
                            if current.starts_with("arn:") && !current.contains(arn.as_str()) {
                                format!("{current}, {arn}")
                            } else {
                                arn.clone()
                            };
                    }
                }
            });
        }
    }
    if has("log-retention") {
        ui.horizontal(|ui| {
            let l = ui.label("Keep log events for");
            egui::ComboBox::from_id_salt("retention")
                .selected_text(format!("{} days", form.retention_days))
                .show_ui(ui, |ui| {
                    for d in crate::fix::RETENTION_DAYS {
                        ui.selectable_value(&mut form.retention_days, d, format!("{d} days"));
                    }
                })
                .response
                .labelled_by(l.id);
        });
    }
    if has("budget-notification") {
        field(
            ui,
            "Monthly budget (USD)",
            &mut form.budget_amount,
            "only used when the account has no cost budget",
        );
    }
    if has("cost-anomaly-detection") {
        field(
            ui,
            "Anomaly alert from (USD)",
            &mut form.anomaly_threshold,
            "100",
        );
    }
    if has("synthetics-canary") {
        field(
            ui,
            "Canary URL",
            &mut form.canary_url,
            "https://your-site/health",
        );
        if !endpoints.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Your public load balancers:").weak());
                for url in endpoints {
                    let pick = ui.small_button(url);
                    if named(pick, url, &format!("Probe {url}")).clicked() {
                        form.canary_url = url.clone();
                    }
                }
            });
        }
    }
    if has("alarm-response-pattern") {
        field(
            ui,
            "Response pattern",
            &mut form.response_pattern,
            "act-now, next-business-day, know or record-only",
        );
    }
    if has("rds-performance-insights") {
        ui.checkbox(
            &mut form.at_maintenance_window,
            "Wait for each database's maintenance window",
        );
    }
    if has("config-recording") {
        ui.checkbox(
            &mut form.config_daily,
            "Record configuration once a day (cheaper)",
        );
    }
}

/// One item's plan; in "Fix everything" its steps are folded under a summary line (the
/// warnings stay in view: they are not fine print).
fn plan_row_ui(ui: &mut Ui, row_index: usize, row: &PlanRow, open: bool) {
    if open {
        ui.strong(&row.title);
    }
    match &row.plan {
        Err(why) => {
            ui.add(egui::Label::new(why).wrap());
        }
        Ok(plan) if open && plan.steps.is_empty() => nothing_ui(ui, plan),
        Ok(plan) if open => {
            warnings_ui(ui, plan);
            plan_ui(ui, row_index, plan);
        }
        Ok(plan) if plan.steps.is_empty() => nothing_ui(ui, plan),
        Ok(plan) => {
            warnings_ui(ui, plan);
            let regions = plan.regions().len();
            egui::CollapsingHeader::new(format!(
                "{} step(s) in {regions} region(s), what each does, cost and what is left alone",
                plan.steps.len()
            ))
            .id_salt(("plan", row_index))
            .show(ui, |ui| plan_ui(ui, row_index, plan));
        }
    }
}

/// A plan with no step: why (the planners' reasons, the channel in the window's words).
fn nothing_ui(ui: &mut Ui, plan: &FixPlan) {
    if plan.skipped.is_empty() {
        ui.label(RichText::new("Nothing to change.").weak());
    }
    let mut said: Vec<String> = Vec::new();
    for s in &plan.skipped {
        let text = if s.contains("needs an alert channel") {
            "Needs an alert channel: enter an e-mail address or a topic above.".to_string()
        } else if s.contains("a canary needs the URL to probe") {
            "Needs the URL to probe: enter your site's address above, or pick a load balancer."
                .to_string()
        } else {
            format!("Nothing runs: {s}")
        };
        if said.contains(&text) {
            continue;
        }
        ui.add(egui::Label::new(RichText::new(&text).weak()).wrap());
        said.push(text);
    }
}

fn warnings_ui(ui: &mut Ui, plan: &FixPlan) {
    for w in &plan.warnings {
        ui.add(egui::Label::new(RichText::new(format!("Warning: {w}")).color(warn(ui))).wrap());
    }
}

/// The steps, cost, permissions and what is left alone (warnings are shown by the
/// caller, outside any fold).
fn plan_ui(ui: &mut Ui, row: usize, plan: &FixPlan) {
    for (n, step) in plan.steps.iter().enumerate() {
        ui.add(egui::Label::new(format!("{}. {}", n + 1, step.says)).wrap());
        ui.indent(("step", row, n), |ui| {
            let undo = match &step.undo {
                Undo::Call { op, .. } => format!("Undo: {} {}", op.name(), op.target()),
                Undo::AfterRun { says } => format!("Undo: {says}"),
                Undo::Cannot { why } => format!("Cannot be undone: {why}"),
            };
            ui.label(RichText::new(format!("{} · {}", step.region, step.iam_action)).weak());
            ui.add(egui::Label::new(RichText::new(undo).weak()).wrap());
            egui::CollapsingHeader::new("AWS CLI")
                .id_salt(("cli", row, n))
                .show(ui, |ui| copy_block(ui, "AWS CLI command", &step.cli));
        });
    }
    if !plan.steps.is_empty() {
        ui.add(egui::Label::new(format!("Cost: {}", plan.cost)).wrap());
        egui::CollapsingHeader::new(format!("IAM permissions ({})", plan.permissions().len()))
            .id_salt(("iam", row))
            .show(ui, |ui| {
                copy_block(ui, "IAM permissions", &plan.permissions().join("\n"));
            });
    }
    if !plan.skipped.is_empty() {
        egui::CollapsingHeader::new(format!("Left alone ({})", plan.skipped.len()))
            .id_salt(("skipped", row))
            .show(ui, |ui| {
                for s in &plan.skipped {
                    ui.add(egui::Label::new(s).wrap());
                }
            });
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
