//! The main view: a top bar, the checklist on the left, the selected item's detail.

use egui::{RichText, Ui};

use super::Action;
use super::item_ui::{self, DetailState};
use super::list_ui::{self, ListState};
use super::session::Session;
use super::session::StatusFilter;
use super::settings::ThemeChoice;
use super::widgets::named;

fn top_bar_ui(ui: &mut Ui, session: &Session, theme: ThemeChoice, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("onwatch").strong().size(18.0));
        ui.separator();
        // The buttons first, from the right, so they always have their room; the
        // account line gets what is left and is cut (whole on hover) in a narrow window.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let mut chosen = theme;
            // Right to left: the combo first, so its label ends up on its left.
            let combo = egui::ComboBox::from_id_salt("theme")
                .selected_text(theme.label())
                .show_ui(ui, |ui| {
                    for t in ThemeChoice::ALL {
                        ui.selectable_value(&mut chosen, t, t.label());
                    }
                })
                .response;
            let label = ui.label("Theme");
            combo.labelled_by(label.id);
            if chosen != theme {
                actions.push(Action::SetTheme(chosen));
            }
            ui.separator();
            if named(ui.button("Export…"), "Export…", "Export report").clicked() {
                actions.push(Action::OpenExport);
            }
            if named(
                ui.button("Scan history"),
                "Scan history",
                "Scan history: score trend and changes since the last scan",
            )
            .clicked()
            {
                actions.push(Action::OpenScans);
            }
            if named(
                ui.button("Fix history"),
                "Fix history",
                "Fix history and undo",
            )
            .clicked()
            {
                actions.push(Action::OpenHistory);
            }
            let failing = super::fixing::fixable_failing(&session.report).len();
            let fix_all = ui.add_enabled(failing > 0, egui::Button::new("Fix everything…"));
            if named(
                fix_all,
                "Fix everything…",
                &format!("Fix everything: {failing} failing item(s) with a fix"),
            )
            .clicked()
            {
                actions.push(Action::OpenFixEverything);
            }
            let back = ui.button("Start screen");
            if named(back, "Start screen", "Back to the start screen").clicked() {
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
        n => format!("{n} regions"),
    };
    ui.add(
        egui::Label::new(
            RichText::new(format!(
                "collected {} · {regions}",
                session.report.collected_at.format("%Y-%m-%d %H:%M UTC"),
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
    actions: &mut Vec<Action>,
) {
    egui::Panel::top("top-bar").show(ui, |ui| top_bar_ui(ui, session, theme, actions));
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
            ui.label("Select an item on the left to see why it matters and how to fix it.");
        }
    });
}

/// The selected item stays on screen when a filter or search hides its row (the user may
/// be in the middle of answering it), but says so, with the way back.
fn hidden_banner_ui(ui: &mut Ui, list: &mut ListState) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            let filter = format!("the \u{201c}{}\u{201d} filter hides", list.filter.label());
            let search = format!("the search \u{201c}{}\u{201d}", list.search.trim());
            let why = match (
                list.filter == StatusFilter::All,
                list.search.trim().is_empty(),
            ) {
                (false, true) => filter,
                (true, _) => format!("{search} hides"),
                (false, false) => format!(
                    "the \u{201c}{}\u{201d} filter and {search} hide",
                    list.filter.label()
                ),
            };
            ui.label(
                RichText::new(format!("This item is not in the list: {why} it."))
                    .color(ui.visuals().warn_fg_color),
            );
            let show = ui.button("Show all items");
            if show.clicked() {
                list.show_all();
            }
        });
    });
    ui.add_space(4.0);
}
