//! Fix history: every run in the account's audit log, newest first (when, who, item,
//! steps, outcome), with Undo on each run that can still be undone.

use crate::t;
use egui::{RichText, Ui};

use super::Action;
use super::fixing::RunView;
use super::widgets::named;

pub struct HistoryState {
    pub runs: Vec<RunView>,
    /// Where the log is, or why it could not be read.
    pub source: String,
    pub error: Option<String>,
}

pub fn history_ui(ui: &mut Ui, state: &HistoryState, actions: &mut Vec<Action>) {
    let mut open = true;
    egui::Window::new(t!("history_ui.title"))
        .collapsible(false)
        .resizable(true)
        .default_width(720.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 80.0])
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            ui.label(RichText::new(&state.source).weak());
            if let Some(e) = &state.error {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
            if state.runs.is_empty() {
                ui.label(t!("history_ui.no_runs"));
            }
            egui::ScrollArea::vertical()
                .max_height(480.0)
                .show(ui, |ui| {
                    egui::Grid::new("runs").striped(true).show(ui, |ui| {
                        for run in &state.runs {
                            run_row(ui, run, actions);
                            ui.end_row();
                        }
                    });
                });
        });
    if !open {
        actions.push(Action::CloseHistory);
    }
}

fn run_row(ui: &mut Ui, run: &RunView, actions: &mut Vec<Action>) {
    ui.label(crate::i18n::datetime(run.time));
    ui.label(&run.item);
    let who = run.caller.rsplit('/').next().unwrap_or(&run.caller);
    ui.label(who).on_hover_text(&run.caller);
    let outcome = if run.failed > 0 {
        t!(
            "history_ui.outcome_failed",
            steps = run.steps,
            failed = run.failed
        )
    } else {
        t!("history_ui.outcome_ran", steps = run.steps)
    };
    ui.label(outcome);
    match (&run.undone_by, run.is_undo) {
        (_, true) => {
            ui.label(RichText::new(t!("history_ui.an_undo")).weak());
        }
        (Some(by), false) => {
            ui.label(RichText::new(t!("history_ui.undone_by", run = by)).weak());
        }
        (None, false) => {
            let name = t!("history_ui.undo_name", item = run.item, run = run.run);
            let visible = t!("history_ui.undo");
            if named(ui.button(&*visible), &visible, &name).clicked() {
                actions.push(Action::OpenUndo(run.run.clone()));
            }
        }
    }
}
