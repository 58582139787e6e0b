//! Small pieces the panels share: status badges, copyable blocks.

use std::borrow::Cow;

use crate::t;
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

/// The short badge text of an item status: words a screen reader can say.
pub fn badge_text(status: ItemStatus) -> Cow<'static, str> {
    match status {
        ItemStatus::Pass => t!("widgets.badge_pass"),
        ItemStatus::Fail => t!("widgets.badge_fail"),
        ItemStatus::Partial => t!("widgets.badge_partial"),
        ItemStatus::CouldNotCheck => t!("widgets.badge_unchecked"),
        ItemStatus::NotApplicable => t!("widgets.badge_not_applicable"),
        ItemStatus::AnsweredYes => t!("widgets.badge_yes"),
        ItemStatus::AnsweredNo => t!("widgets.badge_no"),
        ItemStatus::NotAnswered => t!("widgets.badge_to_answer"),
        ItemStatus::Accepted => t!("widgets.badge_accepted"),
    }
}

/// The widest badge, in characters: list rows pad to it so titles line up.
pub const BADGE_WIDTH: usize = 9;

/// Every status, for measuring the badges.
const STATUSES: [ItemStatus; 9] = [
    ItemStatus::Pass,
    ItemStatus::Fail,
    ItemStatus::Partial,
    ItemStatus::CouldNotCheck,
    ItemStatus::NotApplicable,
    ItemStatus::AnsweredYes,
    ItemStatus::AnsweredNo,
    ItemStatus::NotAnswered,
    ItemStatus::Accepted,
];

/// `text` padded to the widest badge of the language in use. English badges are
/// padded with spaces to [`BADGE_WIDTH`]; badges in full-width characters (Japanese)
/// with ideographic spaces, which are as wide as the characters in any font.
fn pad_badge(text: &str) -> String {
    if text.is_ascii() {
        return format!("{text:<BADGE_WIDTH$}");
    }
    let widest = STATUSES
        .iter()
        .map(|s| badge_text(*s).chars().count())
        .max()
        .unwrap_or(0);
    let mut out = text.to_string();
    for _ in text.chars().count()..widest {
        out.push('\u{3000}');
    }
    out
}

pub fn badge(ui: &Ui, status: ItemStatus) -> RichText {
    RichText::new(badge_text(status))
        .monospace()
        .strong()
        .color(status_color(status, ui.visuals().dark_mode))
}

/// A badge padded to [`BADGE_WIDTH`] (the list's status column).
pub fn padded_badge(ui: &Ui, status: ItemStatus) -> RichText {
    RichText::new(pad_badge(&badge_text(status)))
        .monospace()
        .strong()
        .color(status_color(status, ui.visuals().dark_mode))
}

/// A heading followed by a read-only monospace block and a Copy button whose
/// accessible name says what it copies.
pub fn copy_block(ui: &mut Ui, heading: &str, text: &str) {
    ui.horizontal(|ui| {
        ui.strong(heading);
        let copy = ui.button(t!("widgets.copy"));
        if named(
            copy,
            &t!("widgets.copy"),
            &t!("widgets.copy_named", what = heading),
        )
        .clicked()
        {
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
        "the accessible name {name:?} does not contain the visible text {visible:?}" // i18n: technical
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
            let copy = ui.button(t!("widgets.copy"));
            let name = t!("widgets.copy_command", command = command);
            if named(copy, &t!("widgets.copy"), &name).clicked() {
                ui.ctx().copy_text(command.clone());
            }
        });
    }
    if let Some(detail) = &problem.detail {
        ui.add(egui::Label::new(RichText::new(detail).small().weak()).wrap());
    }
}

/// The foot of the start screen and the main view: Theme and Language (both
/// remembered), at the right; kept out of the top bar so its buttons fit a narrow
/// window in either language.
pub fn settings_bar(
    ui: &mut Ui,
    theme: super::ThemeChoice,
    language: Option<crate::i18n::Lang>,
    actions: &mut Vec<super::Action>,
) {
    egui::Panel::bottom("settings-bar").show(ui, |ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let mut chosen = theme;
            // Right to left: the combo first, so its label ends up on its left.
            let combo = egui::ComboBox::from_id_salt("theme")
                .selected_text(theme.label())
                .show_ui(ui, |ui| {
                    for t in super::ThemeChoice::ALL {
                        ui.selectable_value(&mut chosen, t, t.label());
                    }
                })
                .response;
            let label = ui.label(crate::t!("report.theme"));
            combo.labelled_by(label.id);
            if chosen != theme {
                actions.push(super::Action::SetTheme(chosen));
            }
            ui.separator();
            language_picker_rtl(ui, language, actions);
        });
    });
}

/// The Language menu: the system's language, or one the user picks (remembered).
/// Drawn right to left, so the combo comes first and its label ends up on its left.
pub fn language_picker_rtl(
    ui: &mut Ui,
    chosen: Option<crate::i18n::Lang>,
    actions: &mut Vec<super::Action>,
) {
    use crate::i18n::Lang;
    let name = |l: Option<Lang>| match l {
        Some(l) => l.native_name().to_string(),
        None => crate::t!(
            "settings.language_system",
            lang = Lang::from_environment().native_name()
        )
        .into_owned(),
    };
    let mut picked = chosen;
    let combo = egui::ComboBox::from_id_salt("language")
        .selected_text(name(chosen))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut picked, None, name(None));
            for l in Lang::ALL {
                ui.selectable_value(&mut picked, Some(l), l.native_name());
            }
        })
        .response;
    let label = ui.label(crate::t!("settings.language"));
    combo.labelled_by(label.id);
    if picked != chosen {
        actions.push(super::Action::SetLanguage(picked));
    }
}
