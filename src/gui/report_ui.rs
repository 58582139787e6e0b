//! The main view: a top bar, the checklist on the left, the selected item's detail.

use crate::t;
use egui::{RichText, Ui};

use super::Action;
use super::item_ui::{self, DetailState};
use super::list_ui::{self, ListState};
use super::session::Session;
use super::session::StatusFilter;
use super::settings::ThemeChoice;
use super::widgets::named;

fn top_bar_ui(ui: &mut Ui, session: &Session, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("onwatch").strong().size(18.0));
        ui.separator();
        // The buttons first, from the right, so they always have their room; the
        // account line gets what is left and is cut (whole on hover) in a narrow window.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let export = ui.button(t!("report.export"));
            if named(export, &t!("report.export"), &t!("report.export_name")).clicked() {
                actions.push(Action::OpenExport);
            }
            let scans = ui.button(t!("report.scan_history"));
            if named(
                scans,
                &t!("report.scan_history"),
                &t!("report.scan_history_name"),
            )
            .clicked()
            {
                actions.push(Action::OpenScans);
            }
            let history = ui.button(t!("report.fix_history"));
            if named(
                history,
                &t!("report.fix_history"),
                &t!("report.fix_history_name"),
            )
            .clicked()
            {
                actions.push(Action::OpenHistory);
            }
            let failing = super::fixing::fixable_failing(&session.report).len();
            let fix_all =
                ui.add_enabled(failing > 0, egui::Button::new(t!("report.fix_everything")));
            if named(
                fix_all,
                &t!("report.fix_everything"),
                &t!("report.fix_everything_name", failing = failing),
            )
            .clicked()
            {
                actions.push(Action::OpenFixEverything);
            }
            let back = ui.button(t!("report.start_screen"));
            if named(
                back,
                &t!("report.start_screen"),
                &t!("report.start_screen_name"),
            )
            .clicked()
            {
                actions.push(Action::BackToStart);
            }
            ui.separator();
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                account_line_ui(ui, session);
            });
        });
    });
}

fn account_line_ui(ui: &mut Ui, session: &Session) {
    let account = &session.report.account;
    let name = match &account.alias {
        Some(alias) => format!("{alias} ({})", account.id),
        None => account.id.clone(),
    };
    ui.add(egui::Label::new(RichText::new(name).strong()).truncate());
    ui.add(egui::Label::new(RichText::new(session.origin.label()).weak()).truncate());
    let regions = match account.regions.len() {
        0..=3 => account.regions.join(", "),
        n => t!("report.regions", n = n).into_owned(),
    };
    ui.add(
        egui::Label::new(
            RichText::new(t!(
                "report.collected",
                at = crate::i18n::datetime(session.report.collected_at),
                regions = regions
            ))
            .weak(),
        )
        .truncate(),
    )
    .on_hover_text(account.regions.join(", "));
}

pub fn report_ui(
    ui: &mut Ui,
    session: &Session,
    list: &mut ListState,
    detail: &mut DetailState,
    theme: ThemeChoice,
    language: Option<crate::i18n::Lang>,
    actions: &mut Vec<Action>,
) {
    egui::Panel::top("top-bar").show(ui, |ui| top_bar_ui(ui, session, actions));
    super::widgets::settings_bar(ui, theme, language, actions);
    egui::Panel::left("checklist-panel")
        .resizable(true)
        .default_size(470.0)
        .size_range(320.0..=900.0)
        .show(ui, |ui| list_ui::list_ui(ui, session, list, actions));
    egui::CentralPanel::default().show(ui, |ui| match list.selected {
        Some(index) if index < session.report.items.len() => {
            if !list.shows(session, index) {
                hidden_banner_ui(ui, list);
            }
            item_ui::item_ui(ui, session, index, detail, actions);
        }
        _ => {
            ui.label(t!("report.select_item"));
        }
    });
}

/// The selected item stays on screen when a filter or search hides its row (the user may
/// be in the middle of answering it), but says so, with the way back.
fn hidden_banner_ui(ui: &mut Ui, list: &mut ListState) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            let (filter, search) = (list.filter.label(), list.search.trim());
            let why = match (list.filter == StatusFilter::All, search.is_empty()) {
                (false, true) => t!("report.hidden_by_filter", filter = filter),
                (true, _) => t!("report.hidden_by_search", search = search),
                (false, false) => t!("report.hidden_by_both", filter = filter, search = search),
            };
            ui.label(RichText::new(why).color(ui.visuals().warn_fg_color));
            let show = ui.button(t!("report.show_all"));
            if show.clicked() {
                list.show_all();
            }
        });
    });
    ui.add_space(4.0);
}
