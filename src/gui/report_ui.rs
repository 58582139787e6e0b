//! The main view: a top bar, the checklist on the left, the selected item's detail.

use egui::{RichText, Ui};

use super::Action;
use super::item_ui::{self, DetailState};
use super::list_ui::{self, ListState};
use super::session::Session;
use super::settings::ThemeChoice;
use super::widgets::named;

fn top_bar_ui(ui: &mut Ui, session: &Session, theme: ThemeChoice, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("onwatch").strong().size(18.0));
        ui.separator();
        let account = &session.report.account;
        let name = match &account.alias {
            Some(alias) => format!("{alias} ({})", account.id),
            None => account.id.clone(),
        };
        ui.label(RichText::new(name).strong());
        ui.label(RichText::new(session.origin.label()).weak());
        let regions = match account.regions.len() {
            0..=3 => account.regions.join(", "),
            n => format!("{n} regions"),
        };
        ui.label(
            RichText::new(format!(
                "collected {} · {regions}",
                session.report.collected_at.format("%Y-%m-%d %H:%M UTC"),
            ))
            .weak(),
        )
        .on_hover_text(account.regions.join(", "));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let mut chosen = theme;
            egui::ComboBox::from_id_salt("theme")
                .selected_text(theme.label())
                .show_ui(ui, |ui| {
                    for t in ThemeChoice::ALL {
                        ui.selectable_value(&mut chosen, t, t.label());
                    }
                })
                .response
                .on_hover_text("Theme");
            if chosen != theme {
                actions.push(Action::SetTheme(chosen));
            }
            if named(ui.button("Export…"), "Export report").clicked() {
                actions.push(Action::OpenExport);
            }
            if named(ui.button("Start screen"), "Back to the start screen").clicked() {
                actions.push(Action::BackToStart);
            }
        });
    });
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
            item_ui::item_ui(ui, session, index, detail, actions);
        }
        _ => {
            ui.label("Select an item on the left to see why it matters and how to fix it.");
        }
    });
}
