//! The selected item: why it matters, the user's answer, the evidence, and the fix.

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
        ui.label(format!("The checklist has no item `{}`.", report.id));
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("item-detail")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            header_ui(ui, item, report, actions);
            section(ui, "Why it matters");
            ui.add(egui::Label::new(&item.why).wrap());
            if item.answerable {
                answer_ui(ui, session, item, report, state, actions);
            }
            if !(item.is_practice() && report.findings.is_empty()) {
                section(
                    ui,
                    &match report.findings.len() {
                        1 => "Evidence (1 finding)".to_string(),
                        n => format!("Evidence ({n} findings)"),
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
        ui.label(format!("severity {}", item.severity.id()));
        ui.separator();
        ui.label(item.category.title());
        ui.separator();
        ui.label(RichText::new(&item.id).monospace().weak());
        // The one-click fix at the top, where the eye is: the plan opens first.
        if no_fix_reason(report.status).is_none() && crate::fix::has_fix(&item.id) {
            ui.separator();
            let fix = ui.button("Fix…");
            if named(fix, "Fix…", &format!("Fix {}", item.title)).clicked() {
                actions.push(Action::OpenFix(item.id.clone()));
            }
        }
        // A fire drill proves the alert path: offered wherever alerts travel.
        if !crate::fix::drill::classes_for(&item.id).is_empty()
            && report.status != ItemStatus::NotApplicable
        {
            ui.separator();
            let test = ui.button("Test the path…");
            if named(
                test,
                "Test the path…",
                &format!("Test the path: {}", item.title),
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
        ui.label(format!(
            "{fail} failing, {pass} passing, {unknown} could not be checked"
        ));
    }
    if unknown > 0 {
        ui.label(
            RichText::new("Checks that could not run count neither as pass nor as fail; the evidence says which permission is missing.")
                .weak(),
        );
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
    section(ui, "Your answer");
    let current = session.answers.answers.get(&item.id);
    if state.note_item.as_deref() != Some(item.id.as_str()) {
        state.note_item = Some(item.id.clone());
        state.note = current.and_then(|a| a.note.clone()).unwrap_or_default();
    }
    if let Some(question) = &item.question {
        ui.add(egui::Label::new(RichText::new(question).strong()).wrap());
    }
    if report.answer.is_none() && current.is_some() {
        ui.label(
            RichText::new("The scan decided this item, so your answer does not count now.").weak(),
        );
    }
    let answer_with = |yes: bool, note: &str| Answer {
        answer: if yes { YesNo::Yes } else { YesNo::No },
        note: Some(note.trim().to_string()).filter(|n| !n.is_empty()),
        date: Some(chrono::Local::now().format("%Y-%m-%d").to_string()),
    };
    let now = current.map(|a| a.answer);
    ui.horizontal(|ui| {
        let yes = ui.add(
            egui::Button::new("Yes")
                .selected(now == Some(YesNo::Yes))
                .min_size(egui::vec2(56.0, 0.0)),
        );
        if named(yes, "Yes", "Answer yes").clicked() {
            actions.push(Action::SetAnswer {
                id: item.id.clone(),
                answer: Some(answer_with(true, &state.note)),
            });
        }
        let no = ui.add(
            egui::Button::new("No")
                .selected(now == Some(YesNo::No))
                .min_size(egui::vec2(56.0, 0.0)),
        );
        if named(no, "No", "Answer no").clicked() {
            actions.push(Action::SetAnswer {
                id: item.id.clone(),
                answer: Some(answer_with(false, &state.note)),
            });
        }
        if current.is_some() && named(ui.button("Clear"), "Clear", "Clear answer").clicked() {
            actions.push(Action::SetAnswer {
                id: item.id.clone(),
                answer: None,
            });
        }
        if let Some(date) = current.and_then(|a| a.date.as_deref()) {
            ui.label(RichText::new(format!("answered {date}")).weak());
        }
    });
    let label = ui.label("Note");
    let note = ui
        .add(
            egui::TextEdit::multiline(&mut state.note)
                .hint_text("Where it is written down, who is on call, …")
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    let saved_note = current.and_then(|a| a.note.clone()).unwrap_or_default();
    let changed = state.note.trim() != saved_note.trim();
    if let Some(a) = current
        && changed
    {
        let save = ui.add_enabled(true, egui::Button::new("Save note"));
        if save.clicked() || (note.lost_focus() && !ui.input(|i| i.key_pressed(egui::Key::Escape)))
        {
            actions.push(Action::SetAnswer {
                id: item.id.clone(),
                answer: Some(answer_with(a.answer == YesNo::Yes, &state.note)),
            });
        }
    } else if current.is_none() && !state.note.trim().is_empty() {
        ui.label(RichText::new("Answer yes or no to save the note.").weak());
    }
}

fn fix_ui(ui: &mut Ui, item: &Item, report: &ItemReport, actions: &mut Vec<Action>) {
    section(ui, "How to fix it");
    let fix = &item.fix;
    for (n, step) in fix.steps.iter().enumerate() {
        ui.add(egui::Label::new(format!("{}. {step}", n + 1)).wrap());
    }
    if !fix.cli.trim().is_empty() {
        copy_block(ui, "AWS CLI commands", fix.cli.trim_end());
    }
    if let Some(cfn) = fix
        .cloudformation
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        copy_block(ui, "CloudFormation snippet", cfn.trim_end());
    }
    if !fix.permissions.is_empty() {
        copy_block(
            ui,
            "IAM permissions the fix needs",
            &fix.permissions.join("\n"),
        );
    }
    if !fix.cost.trim().is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.strong("Cost:");
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
    section(ui, "One-click fix");
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        if let Some(why) = no_fix_reason(report.status) {
            ui.add(egui::Label::new(why).wrap());
            return;
        }
        if !crate::fix::has_fix(&item.id) {
            let why = crate::fix::not_fixable_reason(&item.id).unwrap_or(
                "onwatch has no automatic fix for this item yet",
            );
            ui.add(
                egui::Label::new(format!(
                    "No one-click fix: {why}. Nothing is changed in your account; the steps above are the fix."
                ))
                .wrap(),
            );
            return;
        }
        ui.add(
            egui::Label::new(
                "onwatch can make this change: the next window shows each AWS call, what it costs and how it is undone, and nothing runs until you confirm.",
            )
            .wrap(),
        );
        let fix = ui.button("Fix this item…");
        if named(fix, "Fix this item…", &format!("Fix this item: {}", item.title)).clicked() {
            actions.push(Action::OpenFix(item.id.clone()));
        }
    });
}

/// What a status means, next to its badge (which already names it).
fn status_meaning(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Pass => "everything checked passes",
        ItemStatus::Fail => "failing",
        ItemStatus::Partial => "some resources pass, some fail",
        ItemStatus::CouldNotCheck => "onwatch could not read what it needs",
        ItemStatus::NotApplicable => "nothing of this kind in the account",
        ItemStatus::AnsweredYes => "you answered yes",
        ItemStatus::AnsweredNo => "you answered no",
        ItemStatus::NotAnswered => "waiting for your answer",
        ItemStatus::Accepted => "its failures are risks someone accepted, until a date",
    }
}

/// Why the one-click fix has nothing to offer for an item in this status, if so.
fn no_fix_reason(status: ItemStatus) -> Option<&'static str> {
    match status {
        ItemStatus::Fail | ItemStatus::Partial | ItemStatus::AnsweredNo => None,
        ItemStatus::Pass | ItemStatus::AnsweredYes => Some("Nothing to fix: this item passes."),
        ItemStatus::Accepted => Some(
            "Nothing to fix now: its failures are accepted risks. They fail again the day \
             after the acceptance ends, or when you withdraw it.",
        ),
        ItemStatus::NotApplicable => {
            Some("Nothing to fix: the account has nothing this item applies to.")
        }
        ItemStatus::CouldNotCheck => Some(
            "Not known yet: onwatch could not read what this item needs, so it cannot tell \
             whether anything needs fixing. The evidence above names the read that failed \
             and the permission it needs; grant it and scan again.",
        ),
        ItemStatus::NotAnswered => Some(
            "Not known yet: answer the question above first. If the answer is no, the steps \
             above are the fix.",
        ),
    }
}

fn references_ui(ui: &mut Ui, session: &Session, item: &Item) {
    if !item.well_architected.is_empty() {
        section(
            ui,
            &format!("Well-Architected ({})", session.checklist.well_architected),
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
        section(ui, "Documentation");
        for url in &item.docs {
            // Only web links open the browser; anything else a user checklist put here
            // is shown as text.
            if url.starts_with("https://") {
                ui.hyperlink_to(url, url)
                    .on_hover_text("Opens in your browser");
            } else {
                ui.label(url);
            }
        }
    }
}
