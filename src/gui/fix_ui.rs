//! The fix window: the plan in plain words (each step's AWS call and CLI folded), the
//! choices as fields, one confirmation naming the account, the steps as they run, and
//! the re-check's before → after.

use egui::{Color32, RichText, Ui};

use super::Action;
use super::fixing::{ChoiceForm, FixKind, FixState, Offers, PlanRow};
use super::widgets::{copy_block, named};
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

pub(super) fn warn(ui: &Ui) -> Color32 {
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
        .max_height(ui.ctx().content_rect().height() - 110.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            let offers = state.offers.clone();
            super::fix_run_ui::body_ui(ui, state, account, &offers, actions);
        });
    if !open {
        actions.push(Action::CloseFix);
    }
}

/// The long part of a phase (plans, steps) scrolls; the choices above and the buttons
/// below stay in view.
pub(super) fn scrolled(ui: &mut Ui, id: &str, below: f32, fill: bool, add: impl FnOnce(&mut Ui)) {
    // The window is at most the screen's height less its margins; what is above is
    // already laid out, `below` is kept for what comes after.
    let height = (ui.available_height() - below).max(120.0);
    egui::ScrollArea::vertical()
        .id_salt(id)
        .auto_shrink([false, !fill])
        .max_height(height)
        .show(ui, add);
}

pub(super) fn review_ui(
    ui: &mut Ui,
    state: &mut FixState,
    offers: &Offers,
    actions: &mut Vec<Action>,
) {
    if let Some(why) = &state.cannot_run {
        ui.add(egui::Label::new(RichText::new(why).strong().color(warn(ui))).wrap());
        ui.add_space(4.0);
    }
    manual_ui(ui, state, actions);
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
    scrolled(ui, "fix-plans", 80.0, everything, |ui| {
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
                ui.label(
                    RichText::new("Your public load balancers (prefer your site's own address):")
                        .weak(),
                );
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
    if has("rds-storage-headroom") {
        field(
            ui,
            "Storage autoscaling up to (GiB)",
            &mut form.storage_ceiling,
            "empty: a free-storage alarm instead",
        );
    }
    if has("rds-performance-insights") || has("rds-storage-headroom") {
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

/// A drill's routes AWS cannot send a test through: the person answers directly.
fn manual_ui(ui: &mut Ui, state: &mut FixState, actions: &mut Vec<Action>) {
    let manual: Vec<&str> = state
        .rows
        .iter()
        .flat_map(|r| r.manual.iter().map(String::as_str))
        .collect();
    if manual.is_empty() {
        return;
    }
    ui.add(
        egui::Label::new(format!(
            "AWS cannot send a test to {}: Budgets e-mails it directly. Ask them whether budget and anomaly e-mails reach them, and record it:",
            manual.join(", ")
        ))
        .wrap(),
    );
    if let Some(reached) = state.manual_recorded {
        ui.label(if reached {
            "Recorded: they get them."
        } else {
            "Recorded: they do not get them."
        });
        return;
    }
    ui.horizontal(|ui| {
        let l = ui.label("Who, and when?");
        ui.add(egui::TextEdit::singleline(&mut state.drill_who).desired_width(260.0))
            .labelled_by(l.id);
        if named(
            ui.button("They get them"),
            "They get them",
            "They get them: record for the addresses",
        )
        .clicked()
        {
            actions.push(Action::RecordManual(true));
        }
        if named(
            ui.button("They do not"),
            "They do not",
            "They do not: record for the addresses",
        )
        .clicked()
        {
            actions.push(Action::RecordManual(false));
        }
    });
    ui.separator();
}
