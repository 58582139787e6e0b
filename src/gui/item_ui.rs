//! The selected item: why it matters, the user's answer, the evidence, and the fix.

use std::borrow::Cow;

use crate::t;
use egui::{RichText, Ui};

use super::Action;
use super::evidence_ui::{self, EvidenceState};
use super::session::Session;
use super::widgets::{badge, copy_block, named};
use crate::answers::{Answer, YesNo};
use crate::checklist::Item;
use crate::report::{FindingStatus, ItemReport, ItemStatus};

#[derive(Default)]
pub struct DetailState {
    /// The item the note draft belongs to.
    note_item: Option<String>,
    note: String,
    pub evidence: EvidenceState,
    accept: super::accept_ui::AcceptDraft,
}

pub fn item_ui(
    ui: &mut Ui,
    session: &Session,
    index: usize,
    state: &mut DetailState,
    actions: &mut Vec<Action>,
) {
    let Some(report) = session.report.items.get(index) else {
        return;
    };
    let Some(item) = session.checklist.item(&report.id) else {
        ui.label(t!("item_ui.no_item", id = report.id));
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("item-detail")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            // Room for the floating scroll bar: text that fills a line to the edge (as
            // Japanese does, having no spaces to break at early) is not drawn under it.
            let bar = ui.spacing().scroll.bar_width + ui.spacing().scroll.bar_outer_margin;
            ui.set_max_width((ui.available_width() - bar).max(0.0));
            header_ui(ui, item, report, actions);
            section(ui, &t!("item_ui.why"));
            ui.add(egui::Label::new(&item.why).wrap());
            if item.answerable {
                answer_ui(ui, session, item, report, state, actions);
            }
            if !(item.is_practice() && report.findings.is_empty()) {
                section(
                    ui,
                    &match report.findings.len() {
                        1 => t!("item_ui.evidence_one"),
                        n => t!("item_ui.evidence_many", n = n),
                    },
                );
                evidence_ui::evidence_ui(
                    ui,
                    session.generation,
                    index,
                    report,
                    &mut state.evidence,
                );
            }
            fix_ui(ui, item, report, actions);
            super::accept_ui::accept_ui(ui, session, report, &mut state.accept, actions);
            references_ui(ui, session, item);
        });
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(10.0);
    ui.label(RichText::new(title).heading().size(17.0));
}

fn header_ui(ui: &mut Ui, item: &Item, report: &ItemReport, actions: &mut Vec<Action>) {
    ui.add(egui::Label::new(RichText::new(&item.title).heading()).wrap());
    ui.horizontal_wrapped(|ui| {
        ui.label(badge(ui, report.status));
        ui.label(RichText::new(status_meaning(report.status)).strong());
        ui.separator();
        ui.label(t!("item_ui.severity", severity = item.severity.label()));
        ui.separator();
        ui.label(item.category.title());
        ui.separator();
        ui.label(RichText::new(&item.id).monospace().weak());
        // The one-click fix at the top, where the eye is: the plan opens first.
        if no_fix_reason(report.status).is_none() && crate::fix::has_fix(&item.id) {
            ui.separator();
            let visible = t!("item_ui.fix_button");
            let fix = ui.button(&*visible);
            if named(fix, &visible, &t!("item_ui.fix_name", title = item.title)).clicked() {
                actions.push(Action::OpenFix(item.id.clone()));
            }
        }
        // A fire drill proves the alert path: offered wherever alerts travel.
        if !crate::fix::drill::classes_for(&item.id).is_empty()
            && report.status != ItemStatus::NotApplicable
        {
            ui.separator();
            let visible = t!("item_ui.test_path_button");
            let test = ui.button(&*visible);
            if named(
                test,
                &visible,
                &t!("item_ui.test_path_name", title = item.title),
            )
            .clicked()
            {
                actions.push(Action::OpenDrill(item.id.clone()));
            }
        }
    });
    let (fail, pass, unknown) = (
        report.count(FindingStatus::Fail),
        report.count(FindingStatus::Pass),
        report.count(FindingStatus::CouldNotCheck),
    );
    if fail + pass + unknown > 0 {
        ui.label(t!(
            "item_ui.counts",
            fail = fail,
            pass = pass,
            unknown = unknown
        ));
    }
    if unknown > 0 {
        ui.label(RichText::new(t!("item_ui.unknown_note")).weak());
    }
}

fn answer_ui(
    ui: &mut Ui,
    session: &Session,
    item: &Item,
    report: &ItemReport,
    state: &mut DetailState,
    actions: &mut Vec<Action>,
) {
    section(ui, &t!("item_ui.your_answer"));
    let current = session.answers.answers.get(&item.id);
    if state.note_item.as_deref() != Some(item.id.as_str()) {
        state.note_item = Some(item.id.clone());
        state.note = current.and_then(|a| a.note.clone()).unwrap_or_default();
    }
    if let Some(question) = &item.question {
        ui.add(egui::Label::new(RichText::new(question).strong()).wrap());
    }
    if report.answer.is_none() && current.is_some() {
        ui.label(RichText::new(t!("item_ui.answer_not_counted")).weak());
    }
    let answer_with = |yes: bool, note: &str| Answer {
        answer: if yes { YesNo::Yes } else { YesNo::No },
        note: Some(note.trim().to_string()).filter(|n| !n.is_empty()),
        date: Some(chrono::Local::now().format("%Y-%m-%d").to_string()),
    };
    let now = current.map(|a| a.answer);
    ui.horizontal(|ui| {
        let yes_text = t!("status.yes");
        let yes = ui.add(
            egui::Button::new(&*yes_text)
                .selected(now == Some(YesNo::Yes))
                .min_size(egui::vec2(56.0, 0.0)),
        );
        if named(yes, &yes_text, &t!("item_ui.answer_yes_name")).clicked() {
            actions.push(Action::SetAnswer {
                id: item.id.clone(),
                answer: Some(answer_with(true, &state.note)),
            });
        }
        let no_text = t!("status.no");
        let no = ui.add(
            egui::Button::new(&*no_text)
                .selected(now == Some(YesNo::No))
                .min_size(egui::vec2(56.0, 0.0)),
        );
        if named(no, &no_text, &t!("item_ui.answer_no_name")).clicked() {
            actions.push(Action::SetAnswer {
                id: item.id.clone(),
                answer: Some(answer_with(false, &state.note)),
            });
        }
        let clear = t!("item_ui.clear");
        if current.is_some()
            && named(ui.button(&*clear), &clear, &t!("item_ui.clear_name")).clicked()
        {
            actions.push(Action::SetAnswer {
                id: item.id.clone(),
                answer: None,
            });
        }
        if let Some(date) = current.and_then(|a| a.date.as_deref()) {
            ui.label(RichText::new(t!("item_ui.answered", date = date)).weak());
        }
    });
    let label = ui.label(t!("item_ui.note"));
    let note = ui
        .add(
            egui::TextEdit::multiline(&mut state.note)
                .hint_text(t!("item_ui.note_hint"))
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    let saved_note = current.and_then(|a| a.note.clone()).unwrap_or_default();
    let changed = state.note.trim() != saved_note.trim();
    if let Some(a) = current
        && changed
    {
        let save = ui.add_enabled(true, egui::Button::new(t!("item_ui.save_note")));
        if save.clicked() || (note.lost_focus() && !ui.input(|i| i.key_pressed(egui::Key::Escape)))
        {
            actions.push(Action::SetAnswer {
                id: item.id.clone(),
                answer: Some(answer_with(a.answer == YesNo::Yes, &state.note)),
            });
        }
    } else if current.is_none() && !state.note.trim().is_empty() {
        ui.label(RichText::new(t!("item_ui.note_needs_answer")).weak());
    }
}

fn fix_ui(ui: &mut Ui, item: &Item, report: &ItemReport, actions: &mut Vec<Action>) {
    section(ui, &t!("item_ui.how_to_fix"));
    let fix = &item.fix;
    for (n, step) in fix.steps.iter().enumerate() {
        ui.add(egui::Label::new(format!("{}. {step}", n + 1)).wrap());
    }
    if !fix.cli.trim().is_empty() {
        copy_block(ui, &t!("item_ui.cli_commands"), fix.cli.trim_end());
    }
    if let Some(cfn) = fix
        .cloudformation
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        copy_block(ui, &t!("item_ui.cloudformation"), cfn.trim_end());
    }
    if !fix.permissions.is_empty() {
        copy_block(ui, &t!("item_ui.permissions"), &fix.permissions.join("\n"));
    }
    if !fix.cost.trim().is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.strong(t!("item_ui.cost"));
            ui.add(egui::Label::new(&fix.cost).wrap());
        });
    }
    if !item.is_practice() {
        one_click_ui(ui, item, report, actions);
    }
}

/// The one-click fix: a button that opens the plan (nothing runs before the user sees
/// it and confirms), or why there is none.
fn one_click_ui(ui: &mut Ui, item: &Item, report: &ItemReport, actions: &mut Vec<Action>) {
    section(ui, &t!("item_ui.one_click"));
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        if let Some(why) = no_fix_reason(report.status) {
            ui.add(egui::Label::new(why).wrap());
            return;
        }
        if !crate::fix::has_fix(&item.id) {
            let why = crate::fix::not_fixable_why(&item.id)
                .unwrap_or_else(|| t!("item_ui.no_automatic_fix"));
            ui.add(egui::Label::new(t!("item_ui.no_one_click", why = why)).wrap());
            return;
        }
        ui.add(egui::Label::new(t!("item_ui.can_fix")).wrap());
        let visible = t!("item_ui.fix_item_button");
        let fix = ui.button(&*visible);
        if named(
            fix,
            &visible,
            &t!("item_ui.fix_item_name", title = item.title),
        )
        .clicked()
        {
            actions.push(Action::OpenFix(item.id.clone()));
        }
    });
}

/// What a status means, next to its badge (which already names it).
fn status_meaning(status: ItemStatus) -> Cow<'static, str> {
    match status {
        ItemStatus::Pass => t!("item_ui.meaning_pass"),
        ItemStatus::Fail => t!("item_ui.meaning_fail"),
        ItemStatus::Partial => t!("item_ui.meaning_partial"),
        ItemStatus::CouldNotCheck => t!("item_ui.meaning_could_not_check"),
        ItemStatus::NotApplicable => t!("item_ui.meaning_not_applicable"),
        ItemStatus::AnsweredYes => t!("item_ui.meaning_yes"),
        ItemStatus::AnsweredNo => t!("item_ui.meaning_no"),
        ItemStatus::NotAnswered => t!("item_ui.meaning_not_answered"),
        ItemStatus::Accepted => t!("item_ui.meaning_accepted"),
    }
}

/// Why the one-click fix has nothing to offer for an item in this status, if so.
fn no_fix_reason(status: ItemStatus) -> Option<Cow<'static, str>> {
    match status {
        ItemStatus::Fail | ItemStatus::Partial | ItemStatus::AnsweredNo => None,
        ItemStatus::Pass | ItemStatus::AnsweredYes => Some(t!("item_ui.no_fix_pass")),
        ItemStatus::Accepted => Some(t!("item_ui.no_fix_accepted")),
        ItemStatus::NotApplicable => Some(t!("item_ui.no_fix_not_applicable")),
        ItemStatus::CouldNotCheck => Some(t!("item_ui.no_fix_could_not_check")),
        ItemStatus::NotAnswered => Some(t!("item_ui.no_fix_not_answered")),
    }
}

fn references_ui(ui: &mut Ui, session: &Session, item: &Item) {
    if !item.well_architected.is_empty() {
        section(
            ui,
            &t!(
                "item_ui.well_architected",
                framework = session.checklist.well_architected
            ),
        );
        for id in &item.well_architected {
            let title = session
                .checklist
                .practices
                .get(id)
                .map(String::as_str)
                .unwrap_or("");
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(id).monospace().strong());
                ui.add(egui::Label::new(title).wrap());
            });
        }
    }
    if !item.docs.is_empty() {
        section(ui, &t!("item_ui.documentation"));
        for url in &item.docs {
            // Only web links open the browser; anything else a user checklist put here
            // is shown as text.
            if url.starts_with("https://") {
                ui.hyperlink_to(url, url)
                    .on_hover_text(t!("item_ui.opens_in_browser"));
            } else {
                ui.label(url);
            }
        }
    }
}
