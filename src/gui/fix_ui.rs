//! The fix window: the plan in plain words (each step's AWS call and CLI folded), the
//! choices as fields, one confirmation naming the account, the steps as they run, and
//! the re-check's before → after.

use crate::t;
use egui::{Color32, RichText, Ui};

use super::Action;
use super::fixing::{ChoiceForm, FixKind, FixState, Offers};
use super::plan_ui::plan_row_ui;
use super::widgets::named;
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
            .map_or(t!("fix_ui.title_fix").into_owned(), |r| {
                t!("fix_ui.title_fix_item", title = r.title).into_owned()
            }),
        FixKind::Everything => t!("fix_ui.title_fix_everything").into_owned(),
        FixKind::Undo(run) => t!("fix_ui.title_undo", run = run).into_owned(),
        FixKind::Drill(_) => t!("fix_ui.title_drill").into_owned(),
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
        ui.label(t!("fix_ui.no_fixable"));
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
            let text = t!("fix_ui.row_changes", title = row.title, n = changes).into_owned();
            let response = ui.checkbox(&mut ticked, &text);
            let name = t!("fix_ui.include", item = row.item, text = text);
            if named(response, &text, &name).changed() {
                tick = Some((i, ticked));
            }
            if row.ticked {
                plan_row_ui(ui, i, row, false);
            } else {
                ui.label(RichText::new(t!("fix_ui.not_included")).weak());
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
    let per_region = per_region.join(", ");
    ui.strong(if drill {
        t!("fix_ui.total_tests", n = changes, regions = per_region)
    } else {
        t!("fix_ui.total_changes", n = changes, regions = per_region)
    });
    super::permissions::permissions_ui(ui, state);
    ui.horizontal(|ui| {
        let can = changes > 0 && state.cannot_run.is_none() && state.form_error.is_none();
        let (text, name) = if drill {
            (
                t!("fix_ui.send_tests", n = changes),
                t!("fix_ui.send_tests_name", n = changes),
            )
        } else {
            (
                t!("fix_ui.apply", n = changes),
                t!("fix_ui.apply_name", n = changes),
            )
        };
        let apply = ui.add_enabled(can, egui::Button::new(text.as_ref()));
        if named(apply, &text, &name).clicked() {
            actions.push(Action::ConfirmFix);
        }
        let close = t!("fix_ui.close");
        if named(ui.button(close.as_ref()), &close, &t!("fix_ui.close_name")).clicked() {
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
            &t!("fix_ui.channel"),
            &mut form.channel,
            &t!("fix_ui.channel_hint"),
        );
        if !offers.topics.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(t!("fix_ui.topics_now")).weak());
                for arn in &offers.topics {
                    let region = crate::rules::routing::arn_region(arn).unwrap_or_default();
                    let name = arn.rsplit(':').next().unwrap_or(arn);
                    let text = format!("{name} ({region})");
                    let pick = ui.small_button(&text);
                    if named(pick, &text, &t!("fix_ui.use_topic", topic = text)).clicked() {
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
            let l = ui.label(t!("fix_ui.retention"));
            egui::ComboBox::from_id_salt("retention")
                .selected_text(t!("fix_ui.days", n = form.retention_days))
                .show_ui(ui, |ui| {
                    for d in crate::fix::RETENTION_DAYS {
                        ui.selectable_value(&mut form.retention_days, d, t!("fix_ui.days", n = d));
                    }
                })
                .response
                .labelled_by(l.id);
        });
    }
    if has("budget-notification") {
        field(
            ui,
            &t!("fix_ui.budget"),
            &mut form.budget_amount,
            &t!("fix_ui.budget_hint"),
        );
    }
    if has("cost-anomaly-detection") {
        field(
            ui,
            &t!("fix_ui.anomaly"),
            &mut form.anomaly_threshold,
            "100",
        );
    }
    if has("synthetics-canary") {
        field(
            ui,
            &t!("fix_ui.canary_url"),
            &mut form.canary_url,
            "https://your-site/health",
        );
        if !endpoints.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(t!("fix_ui.load_balancers")).weak());
                for url in endpoints {
                    let pick = ui.small_button(url);
                    if named(pick, url, &t!("fix_ui.probe", url = url)).clicked() {
                        form.canary_url = url.clone();
                    }
                }
            });
        }
    }
    if has("alarm-response-pattern") {
        field(
            ui,
            &t!("fix_ui.response_pattern"),
            &mut form.response_pattern,
            &t!("fix_ui.response_pattern_hint"),
        );
    }
    if has("rds-storage-headroom") {
        field(
            ui,
            &t!("fix_ui.storage_ceiling"),
            &mut form.storage_ceiling,
            &t!("fix_ui.storage_ceiling_hint"),
        );
    }
    if has("rds-performance-insights") || has("rds-storage-headroom") {
        ui.checkbox(
            &mut form.at_maintenance_window,
            t!("fix_ui.maintenance_window"),
        );
    }
    if has("config-recording") {
        ui.checkbox(&mut form.config_daily, t!("fix_ui.config_daily"));
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
    ui.add(egui::Label::new(t!("fix_ui.manual", addresses = manual.join(", "))).wrap());
    if let Some(reached) = state.manual_recorded {
        ui.label(if reached {
            t!("fix_ui.manual_yes")
        } else {
            t!("fix_ui.manual_no")
        });
        return;
    }
    ui.horizontal(|ui| {
        let l = ui.label(t!("fix_ui.who_when"));
        ui.add(egui::TextEdit::singleline(&mut state.drill_who).desired_width(260.0))
            .labelled_by(l.id);
        let yes = t!("fix_ui.they_get");
        if named(ui.button(yes.as_ref()), &yes, &t!("fix_ui.they_get_name")).clicked() {
            actions.push(Action::RecordManual(true));
        }
        let no = t!("fix_ui.they_do_not");
        if named(ui.button(no.as_ref()), &no, &t!("fix_ui.they_do_not_name")).clicked() {
            actions.push(Action::RecordManual(false));
        }
    });
    ui.separator();
}
