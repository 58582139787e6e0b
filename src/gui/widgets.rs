//! Small pieces the panels share: status badges, copyable blocks.

use egui::{Color32, RichText, Ui};

use crate::report::{FindingStatus, ItemStatus};

pub fn status_color(status: ItemStatus, dark: bool) -> Color32 {
    let (light, darkc) = match status {
        ItemStatus::Pass | ItemStatus::AnsweredYes => (
            Color32::from_rgb(30, 120, 50),
            Color32::from_rgb(110, 200, 120),
        ),
        ItemStatus::Fail | ItemStatus::AnsweredNo => (
            Color32::from_rgb(180, 30, 30),
            Color32::from_rgb(240, 110, 100),
        ),
        ItemStatus::Partial => (
            Color32::from_rgb(170, 90, 0),
            Color32::from_rgb(240, 170, 70),
        ),
        ItemStatus::CouldNotCheck => (
            Color32::from_rgb(110, 70, 160),
            Color32::from_rgb(180, 150, 230),
        ),
        ItemStatus::NotAnswered => (
            Color32::from_rgb(30, 90, 170),
            Color32::from_rgb(120, 170, 240),
        ),
        ItemStatus::NotApplicable => (Color32::from_gray(110), Color32::from_gray(150)),
    };
    if dark { darkc } else { light }
}

pub fn finding_item_status(status: FindingStatus) -> ItemStatus {
    match status {
        FindingStatus::Pass => ItemStatus::Pass,
        FindingStatus::Fail => ItemStatus::Fail,
        FindingStatus::CouldNotCheck => ItemStatus::CouldNotCheck,
        FindingStatus::NotApplicable => ItemStatus::NotApplicable,
    }
}

pub fn finding_label(status: FindingStatus) -> &'static str {
    match status {
        FindingStatus::Pass => "Pass",
        FindingStatus::Fail => "Fail",
        FindingStatus::CouldNotCheck => "Could not check",
        FindingStatus::NotApplicable => "Not applicable",
    }
}

/// The short badge text of an item status.
pub fn badge_text(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Pass => "PASS",
        ItemStatus::Fail => "FAIL",
        ItemStatus::Partial => "PART",
        ItemStatus::CouldNotCheck => "????",
        ItemStatus::NotApplicable => "N/A",
        ItemStatus::AnsweredYes => "YES",
        ItemStatus::AnsweredNo => "NO",
        ItemStatus::NotAnswered => "ASK",
    }
}

pub fn badge(ui: &Ui, status: ItemStatus) -> RichText {
    RichText::new(badge_text(status))
        .monospace()
        .strong()
        .color(status_color(status, ui.visuals().dark_mode))
}

/// A heading followed by a read-only monospace block and a Copy button whose
/// accessible name says what it copies.
pub fn copy_block(ui: &mut Ui, heading: &str, text: &str) {
    ui.horizontal(|ui| {
        ui.strong(heading);
        if named(ui.button("Copy"), &format!("Copy {heading}")).clicked() {
            ui.ctx().copy_text(text.to_string());
        }
    });
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.add(
            egui::Label::new(RichText::new(text).monospace())
                .wrap()
                .selectable(true),
        );
    });
}

pub fn score_text(score: Option<f64>) -> String {
    crate::output::score_label(score)
}

/// Gives a widget an accessible name of its own (several buttons say "Copy"; a screen
/// reader and the tests must tell them apart).
pub fn named(response: egui::Response, label: &str) -> egui::Response {
    response
        .ctx
        .accesskit_node_builder(response.id, |node| node.set_label(label.to_string()));
    response
}
