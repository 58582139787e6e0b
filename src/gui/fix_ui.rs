//! The fix window: the plan in plain words (each step's AWS call and CLI folded), the
//! choices as fields, one confirmation naming the account, the steps as they run, and
//! the re-check's before → after.

use egui::{Color32, RichText, Ui};

use super::Action;
use super::fixing::{ChoiceForm, FixKind, FixPhase, FixState, PlanRow, StepState};
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
    };
    let mut open = true;
    egui::Window::new(title)
        .collapsible(false)
        .resizable(true)
        .default_width(760.0)
        .default_height(560.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, true])
                .max_height(ui.ctx().content_rect().height() - 200.0)
                .show(ui, |ui| body_ui(ui, state, account, actions));
        });
    if !open {
        actions.push(Action::CloseFix);
    }
}

fn body_ui(ui: &mut Ui, state: &mut FixState, account: &Account, actions: &mut Vec<Action>) {
    let name = match &account.alias {
        Some(alias) => format!("{alias} ({})", account.id),
        None => account.id.clone(),
    };
    match &state.phase {
        FixPhase::Review => review_ui(ui, state, actions),
        FixPhase::Confirm => confirm_ui(ui, state, &name, actions),
        FixPhase::Running { steps, .. } => {
            ui.strong(format!("Changing account {name}…"));
            steps_ui(ui, &state.rows, steps);
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
            steps_ui(ui, &state.rows, &outcome.steps);
            ui.add_space(6.0);
            for (item, before, after) in &outcome.items {
                ui.label(format!(
                    "{item}: {} before, {} now",
                    before.label(),
                    after.label()
                ));
            }
            ui.strong(format!(
                "Score: {} before, {} now (out of 100)",
                score_text(outcome.score_before),
                score_text(outcome.score_after)
            ));
            if !outcome.pending.is_empty() {
                ui.add(
                    egui::Label::new(
                        RichText::new(format!(
                            "Waiting for {} to click the confirmation link AWS sent; alerts reach nobody until then. Scan again afterwards.",
                            outcome.pending.join(", ")
                        ))
                        .color(warn(ui)),
                    )
                    .wrap(),
                );
            }
            if named(ui.button("Close"), "Close", "Close the fix window").clicked() {
                actions.push(Action::CloseFix);
            }
        }
    }
}

fn review_ui(ui: &mut Ui, state: &mut FixState, actions: &mut Vec<Action>) {
    if let Some(why) = &state.cannot_run {
        ui.add(egui::Label::new(RichText::new(why).strong().color(warn(ui))).wrap());
        ui.add_space(4.0);
    }
    let items: Vec<&str> = state.rows.iter().map(|r| r.item.as_str()).collect();
    if !matches!(state.kind, FixKind::Undo(_)) {
        choices_ui(ui, &mut state.form, &items);
    }
    if let Some(error) = &state.form_error {
        ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
    }
    let everything = state.kind == FixKind::Everything;
    if everything && state.rows.is_empty() {
        ui.label("No failing item has a fix onwatch can run.");
    }
    let mut tick = None;
    for (i, row) in state.rows.iter().enumerate() {
        ui.separator();
        if everything {
            let mut ticked = row.ticked;
            let changes = row.plan.as_ref().map_or(0, |p| p.steps.len());
            let text = format!("{} ({changes} change(s))", row.title);
            let response = ui.checkbox(&mut ticked, &text);
            if named(response, &text, &format!("Include {}: {text}", row.item)).changed() {
                tick = Some((i, ticked));
            }
            if !row.ticked {
                ui.label(RichText::new("Not included: nothing runs for it.").weak());
                continue;
            }
        }
        plan_row_ui(ui, i, row);
    }
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
    ui.strong(format!(
        "{changes} change(s) in all ({})",
        per_region.join(", ")
    ));
    ui.horizontal(|ui| {
        let can = changes > 0 && state.cannot_run.is_none() && state.form_error.is_none();
        let text = format!("Apply {changes} change(s)…");
        let apply = ui.add_enabled(can, egui::Button::new(&text));
        if named(
            apply,
            &text,
            &format!("Apply {changes} change(s) to the account"),
        )
        .clicked()
        {
            actions.push(Action::ConfirmFix);
        }
        if named(ui.button("Close"), "Close", "Close the fix window").clicked() {
            actions.push(Action::CloseFix);
        }
    });
}

fn choices_ui(ui: &mut Ui, form: &mut ChoiceForm, items: &[&str]) {
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

fn plan_row_ui(ui: &mut Ui, row_index: usize, row: &PlanRow) {
    ui.strong(&row.title);
    match &row.plan {
        Err(why) => {
            ui.add(egui::Label::new(why).wrap());
        }
        Ok(plan) => plan_ui(ui, row_index, plan),
    }
}

fn plan_ui(ui: &mut Ui, row: usize, plan: &FixPlan) {
    for w in &plan.warnings {
        ui.add(egui::Label::new(RichText::new(format!("Warning: {w}")).color(warn(ui))).wrap());
    }
    if plan.steps.is_empty() {
        ui.label("Nothing to change.");
    }
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
    ui.strong(format!("Make {changes} change(s) in account {name}?"));
    ui.add(
        egui::Label::new(
            "Each step is read again right before it is written, and refused if it changed since the plan. Every step is written to the fix history, from where it can be undone.",
        )
        .wrap(),
    );
    for (_, plan) in state.to_run() {
        for w in &plan.warnings {
            ui.add(egui::Label::new(RichText::new(format!("Warning: {w}")).color(warn(ui))).wrap());
        }
    }
    ui.horizontal(|ui| {
        let text = format!("Change account {name}");
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
