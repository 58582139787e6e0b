//! A fix plan as the fix window shows it before anything runs: each step in plain
//! words with its region, IAM action, undo and AWS CLI command (one line per step when
//! a plan has thousands), the cost, the permissions and what is left alone.

use crate::t;
use egui::{RichText, Ui};

use super::fix_ui::warn;
use super::fixing::PlanRow;
use super::widgets::{copy_block, named};
use crate::fix::{FixPlan, Step, Undo};

/// One item's plan; in "Fix everything" its steps are folded under a summary line (the
/// warnings stay in view: they are not fine print).
pub(super) fn plan_row_ui(ui: &mut Ui, row_index: usize, row: &PlanRow, open: bool) {
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
            egui::CollapsingHeader::new(t!(
                "fix_ui.steps_folded",
                steps = plan.steps.len(),
                regions = regions
            ))
            .id_salt(("plan", row_index))
            .show(ui, |ui| plan_ui(ui, row_index, plan));
        }
    }
}

/// A plan with no step: why (the planners' reasons, the channel in the window's words).
fn nothing_ui(ui: &mut Ui, plan: &FixPlan) {
    if plan.skipped.is_empty() {
        ui.label(RichText::new(t!("fix_ui.nothing_to_change")).weak());
    }
    // The planners' reasons (src/fix) are matched as they say them, in the language
    // the plan was made in (the window's: plans are made again every frame).
    let needs_channel = t!("fix_ui_match.needs_channel");
    let needs_url = t!("fix_ui_match.needs_url");
    let mut said: Vec<String> = Vec::new();
    for s in &plan.skipped {
        let text = if s.contains(&*needs_channel) {
            t!("fix_ui.needs_channel").into_owned()
        } else if s.contains(&*needs_url) {
            t!("fix_ui.needs_url").into_owned()
        } else {
            t!("fix_ui.nothing_runs", why = s).into_owned()
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
        ui.add(
            egui::Label::new(RichText::new(t!("fix_ui.warning", warning = w)).color(warn(ui)))
                .wrap(),
        );
    }
}

/// Plans with more steps than this are listed one line per step.
const DETAILED_STEPS: usize = 50;

/// How a step is undone, in words.
fn undo_text(step: &Step) -> std::borrow::Cow<'static, str> {
    match &step.undo {
        Undo::Call { op, .. } => t!("fix_ui.undo_call", op = op.name(), target = op.target()),
        Undo::AfterRun { says } => t!("fix_ui.undo_after", how = says),
        Undo::Cannot { why } => t!("fix_ui.cannot_undo", why = why),
    }
}

/// A plan of thousands of steps (retention for every log group of a large account):
/// one line per step with its region, IAM action and undo, laid out only where it is
/// on screen (a line too long for the window shows all of it on hover); the AWS CLI of
/// every step in one Copy.
fn many_steps_ui(ui: &mut Ui, row: usize, plan: &FixPlan) {
    ui.add(egui::Label::new(t!("fix_ui.many_steps", n = plan.steps.len())).wrap());
    let row_height = ui.text_style_height(&egui::TextStyle::Body);
    egui::ScrollArea::vertical()
        .id_salt(("plan-lines", row))
        .auto_shrink([false, true])
        .max_height(320.0)
        .show_rows(ui, row_height, plan.steps.len(), |ui, range| {
            for n in range {
                let step = &plan.steps[n];
                let text = format!(
                    "{}. {} · {} · {} · {}",
                    n + 1,
                    step.says,
                    step.region,
                    step.iam_action,
                    undo_text(step)
                );
                ui.add(egui::Label::new(text).truncate());
            }
        });
    let heading = t!("fix_ui.cli_all", n = plan.steps.len());
    let copy = ui.button(t!("widgets.copy"));
    if named(
        copy,
        &t!("widgets.copy"),
        &t!("widgets.copy_named", what = heading),
    )
    .on_hover_text(heading.as_ref())
    .clicked()
    {
        let cli: Vec<&str> = plan.steps.iter().map(|s| s.cli.as_str()).collect();
        ui.ctx().copy_text(cli.join("\n"));
    }
}

/// The steps, cost, permissions and what is left alone (warnings are shown by the
/// caller, outside any fold).
fn plan_ui(ui: &mut Ui, row: usize, plan: &FixPlan) {
    if plan.steps.len() > DETAILED_STEPS {
        many_steps_ui(ui, row, plan);
    } else {
        detailed_steps_ui(ui, row, plan);
    }
    cost_and_more_ui(ui, row, plan);
}

/// Each step with its region, IAM action, undo and AWS CLI command.
fn detailed_steps_ui(ui: &mut Ui, row: usize, plan: &FixPlan) {
    for (n, step) in plan.steps.iter().enumerate() {
        ui.add(egui::Label::new(format!("{}. {}", n + 1, step.says)).wrap());
        ui.indent(("step", row, n), |ui| {
            let undo = undo_text(step);
            ui.label(RichText::new(format!("{} · {}", step.region, step.iam_action)).weak());
            ui.add(egui::Label::new(RichText::new(undo).weak()).wrap());
            egui::CollapsingHeader::new("AWS CLI") // i18n: technical
                .id_salt(("cli", row, n))
                .show(ui, |ui| {
                    copy_block(ui, &t!("fix_ui.cli_command"), &step.cli)
                });
        });
    }
}

/// The cost, the IAM permissions and what the plan leaves alone.
fn cost_and_more_ui(ui: &mut Ui, row: usize, plan: &FixPlan) {
    if !plan.steps.is_empty() {
        ui.add(egui::Label::new(t!("fix_ui.cost", cost = plan.cost)).wrap());
        egui::CollapsingHeader::new(t!(
            "fix_ui.permissions_header",
            n = plan.permissions().len()
        ))
        .id_salt(("iam", row))
        .show(ui, |ui| {
            copy_block(
                ui,
                &t!("fix_ui.permissions"),
                &plan.permissions().join("\n"),
            );
        });
    }
    if !plan.skipped.is_empty() {
        egui::CollapsingHeader::new(t!("fix_ui.left_alone", n = plan.skipped.len()))
            .id_salt(("skipped", row))
            .show(ui, |ui| {
                for s in &plan.skipped {
                    ui.add(egui::Label::new(s).wrap());
                }
            });
    }
}
