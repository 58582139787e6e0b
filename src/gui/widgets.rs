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
        ItemStatus::Accepted => (
            Color32::from_rgb(90, 90, 60),
            Color32::from_rgb(190, 190, 140),
        ),
    };
    if dark { darkc } else { light }
}

pub fn finding_item_status(status: FindingStatus) -> ItemStatus {
    match status {
        FindingStatus::Pass => ItemStatus::Pass,
        FindingStatus::Fail => ItemStatus::Fail,
        FindingStatus::CouldNotCheck => ItemStatus::CouldNotCheck,
        FindingStatus::NotApplicable => ItemStatus::NotApplicable,
        FindingStatus::ToAnswer => ItemStatus::NotAnswered,
        FindingStatus::Accepted => ItemStatus::Accepted,
    }
}

pub fn finding_label(status: FindingStatus) -> &'static str {
    match status {
        FindingStatus::Pass => "Pass",
        FindingStatus::Fail => "Fail",
        FindingStatus::CouldNotCheck => "Could not check",
        FindingStatus::NotApplicable => "Not applicable",
        FindingStatus::ToAnswer => "To answer",
        FindingStatus::Accepted => "Accepted risk",
    }
}

/// The short badge text of an item status: words a screen reader can say.
pub fn badge_text(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Pass => "PASS",
        ItemStatus::Fail => "FAIL",
        ItemStatus::Partial => "PARTIAL",
        ItemStatus::CouldNotCheck => "UNCHECKED",
        ItemStatus::NotApplicable => "N/A",
        ItemStatus::AnsweredYes => "YES",
        ItemStatus::AnsweredNo => "NO",
        ItemStatus::NotAnswered => "TO ANSWER",
        ItemStatus::Accepted => "ACCEPTED",
    }
}

/// The widest badge, in characters: list rows pad to it so titles line up.
pub const BADGE_WIDTH: usize = 9;

pub fn badge(ui: &Ui, status: ItemStatus) -> RichText {
    RichText::new(badge_text(status))
        .monospace()
        .strong()
        .color(status_color(status, ui.visuals().dark_mode))
}

/// A badge padded to [`BADGE_WIDTH`] (the list's status column).
pub fn padded_badge(ui: &Ui, status: ItemStatus) -> RichText {
    RichText::new(format!("{:<BADGE_WIDTH$}", badge_text(status)))
        .monospace()
        .strong()
        .color(status_color(status, ui.visuals().dark_mode))
}

/// A heading followed by a read-only monospace block and a Copy button whose
/// accessible name says what it copies.
pub fn copy_block(ui: &mut Ui, heading: &str, text: &str) {
    ui.horizontal(|ui| {
        ui.strong(heading);
        if named(ui.button("Copy"), "Copy", &format!("Copy {heading}")).clicked() {
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
/// reader and the tests must tell them apart). The name contains the `visible` text, so
/// a user who says what they see (voice control) reaches the widget.
pub fn named(response: egui::Response, visible: &str, name: &str) -> egui::Response {
    debug_assert!(
        label_in_name(visible, name),
        "the accessible name {name:?} does not contain the visible text {visible:?}"
    );
    response
        .ctx
        .accesskit_node_builder(response.id, |node| node.set_label(name.to_string()));
    response
}

/// Whether `name` contains `visible` (case aside, and without a trailing ellipsis).
pub fn label_in_name(visible: &str, name: &str) -> bool {
    let visible = visible.trim_end_matches('…').trim().to_lowercase();
    name.to_lowercase().contains(&visible)
}

/// A problem on the start screen: the message wrapped to the width it has, the error
/// underneath in small type, and the command to run with a Copy button.
pub fn problem_ui(ui: &mut Ui, problem: &super::Problem) {
    ui.add(
        egui::Label::new(RichText::new(&problem.text).color(ui.visuals().error_fg_color)).wrap(),
    );
    if let Some(command) = &problem.command {
        ui.horizontal(|ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.add(egui::Label::new(RichText::new(command).monospace()).selectable(true));
            });
            let copy = ui.button("Copy");
            if named(copy, "Copy", &format!("Copy the command {command}")).clicked() {
                ui.ctx().copy_text(command.clone());
            }
        });
    }
    if let Some(detail) = &problem.detail {
        ui.add(egui::Label::new(RichText::new(detail).small().weak()).wrap());
    }
}
