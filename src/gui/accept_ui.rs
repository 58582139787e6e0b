//! "Accepted risk" in the item panel: accept a failing finding, or the whole item, with
//! a reason, a name and an end date (at most a year); see and withdraw acceptances.

use crate::t;
use egui::{RichText, Ui};

use super::Action;
use super::session::Session;
use super::widgets::named;
use crate::accepted::Acceptance;
use crate::report::{FindingStatus, ItemReport};

/// The form's draft, kept per item.
#[derive(Default)]
pub struct AcceptDraft {
    item: Option<String>,
    /// None: the whole item; else the index of a failing finding.
    finding: Option<usize>,
    reason: String,
    by: String,
    until: String,
    open: bool,
}

/// How long an acceptance lasts unless the user says otherwise: a quarter.
const DEFAULT_DAYS: u64 = 90;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn accept_ui(
    ui: &mut Ui,
    session: &Session,
    report: &ItemReport,
    draft: &mut AcceptDraft,
    actions: &mut Vec<Action>,
) {
    let mine: Vec<&Acceptance> = session
        .answers
        .accepted
        .iter()
        .filter(|a| a.item == report.id)
        .collect();
    let failing: Vec<(usize, &crate::report::Finding)> = report
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.status == FindingStatus::Fail)
        .collect();
    let answered_no = report.answer.as_ref().is_some_and(|a| !a.answer);
    if mine.is_empty() && failing.is_empty() && !answered_no {
        return;
    }
    ui.add_space(10.0);
    ui.label(RichText::new(t!("status.accepted")).strong().size(16.0));
    for a in &mine {
        ui.horizontal_wrapped(|ui| {
            let scope = match a.resource.as_deref() {
                Some(resource) => resource.into(),
                None => t!("accept_ui.whole_item_scope"),
            };
            let ended = !a.holds(today());
            let (reason, by, from, until) = (&a.reason, &a.by, &a.date, &a.until);
            let text = if ended {
                t!(
                    "accept_ui.acceptance_ended",
                    scope = scope,
                    reason = reason,
                    by = by,
                    from = from,
                    until = until
                )
            } else {
                t!(
                    "accept_ui.acceptance",
                    scope = scope,
                    reason = reason,
                    by = by,
                    from = from,
                    until = until
                )
            };
            ui.add(egui::Label::new(text).wrap());
            let withdraw = t!("accept_ui.withdraw");
            if named(
                ui.button(&*withdraw),
                &withdraw,
                &t!("accept_ui.withdraw_name"),
            )
            .clicked()
            {
                actions.push(Action::Withdraw((*a).clone()));
            }
        });
    }
    if failing.is_empty() && !answered_no {
        return;
    }
    if draft.item.as_deref() != Some(report.id.as_str()) {
        *draft = AcceptDraft {
            item: Some(report.id.clone()),
            until: (today() + chrono::Days::new(DEFAULT_DAYS)).to_string(),
            by: std::mem::take(&mut draft.by),
            ..AcceptDraft::default()
        };
    }
    if !draft.open {
        ui.label(RichText::new(t!("accept_ui.invite")).weak());
        let name = t!("accept_ui.accept_risk");
        if named(ui.button(t!("accept_ui.accept_risk_button")), &name, &name).clicked() {
            draft.open = true;
        }
        return;
    }
    let scope_text = |d: &AcceptDraft| match d.finding.and_then(|i| report.findings.get(i)) {
        Some(f) => format!("{} ({})", f.resource, f.region),
        None => t!("accept_ui.whole_item").into_owned(),
    };
    egui::Grid::new("accept-form")
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label(t!("accept_ui.scope"));
            egui::ComboBox::from_id_salt("accept-scope")
                .selected_text(scope_text(draft))
                .width(420.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut draft.finding, None, t!("accept_ui.whole_item"));
                    for (i, f) in &failing {
                        ui.selectable_value(
                            &mut draft.finding,
                            Some(*i),
                            format!("{} ({})", f.resource, f.region),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            for (name, value, hint) in [
                (
                    t!("accept_ui.reason"),
                    &mut draft.reason,
                    t!("accept_ui.reason_hint"),
                ),
                (t!("accept_ui.by"), &mut draft.by, t!("accept_ui.by_hint")),
                (
                    t!("accept_ui.until"),
                    &mut draft.until,
                    t!("accept_ui.until_hint"),
                ),
            ] {
                let label = ui.label(name);
                ui.add(
                    egui::TextEdit::singleline(value)
                        .hint_text(hint)
                        .desired_width(420.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            }
        });
    let finding = draft.finding.and_then(|i| report.findings.get(i));
    let acceptance = Acceptance {
        item: report.id.clone(),
        resource: finding.map(|f| f.resource.clone()),
        region: finding.map(|f| f.region.clone()),
        reason: draft.reason.trim().to_string(),
        by: draft.by.trim().to_string(),
        date: today().to_string(),
        until: draft.until.trim().to_string(),
    };
    let problem = acceptance.problem();
    if let Some(problem) = &problem {
        ui.label(RichText::new(problem).weak());
    }
    ui.horizontal(|ui| {
        let visible = t!("accept_ui.accept");
        let accept = ui.add_enabled(problem.is_none(), egui::Button::new(&*visible));
        if named(accept, &visible, &t!("accept_ui.accept_name")).clicked() {
            actions.push(Action::Accept(acceptance));
            draft.open = false;
            draft.reason.clear();
        }
        let cancel = t!("accept_ui.cancel");
        if named(ui.button(&*cancel), &cancel, &t!("accept_ui.cancel_name")).clicked() {
            draft.open = false;
        }
    });
}
