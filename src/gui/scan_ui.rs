//! The scan in progress: reads per service and region as they finish, and Cancel.

use std::collections::BTreeMap;

use egui::{RichText, Ui};

use super::widgets::named;
use super::{Action, ScanState, ScanStep};

pub fn apply_step(state: &mut ScanState, step: ScanStep) {
    match step {
        ScanStep::Started { total } => state.total = total,
        ScanStep::TaskFinished {
            service,
            region,
            ok,
            done,
            total,
        } => {
            state.done = done;
            state.total = total;
            state.tasks.push((service, region, ok));
        }
        ScanStep::Finished => state.done = state.total,
    }
}

pub fn scan_ui(ui: &mut Ui, state: &ScanState, actions: &mut Vec<Action>) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.label(RichText::new("Scanning").heading());
        let who = state.profile.as_deref().unwrap_or("default credentials");
        ui.label(format!(
            "Reading the account with {who}. onwatch only reads; nothing is changed."
        ));
        let fraction = if state.total == 0 {
            0.0
        } else {
            state.done as f32 / state.total as f32
        };
        ui.add(
            egui::ProgressBar::new(fraction)
                .text(format!("{} of {} reads", state.done, state.total))
                .animate(state.done < state.total || state.total == 0),
        );
        if named(ui.button("Cancel"), "Cancel", "Cancel scan").clicked() {
            actions.push(Action::CancelScan);
        }
        ui.add_space(8.0);
        // service -> region -> ok, so the grid shows where each service stands.
        let mut grid: BTreeMap<&str, BTreeMap<&str, bool>> = BTreeMap::new();
        for (service, region, ok) in &state.tasks {
            grid.entry(service.as_str())
                .or_default()
                .insert(region.as_str(), *ok);
        }
        let failed = state.tasks.iter().filter(|t| !t.2).count();
        if failed > 0 {
            ui.label(format!(
                "{failed} reads failed so far; their checks will say \"could not check\" and why."
            ));
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("scan-progress")
                    .striped(true)
                    .num_columns(2)
                    .show(ui, |ui| {
                        for (service, regions) in &grid {
                            ui.label(RichText::new(*service).strong());
                            ui.horizontal_wrapped(|ui| {
                                for (region, ok) in regions {
                                    let text = if *ok {
                                        format!("{region} ok")
                                    } else {
                                        format!("{region} failed")
                                    };
                                    let color = if *ok {
                                        ui.visuals().text_color()
                                    } else {
                                        ui.visuals().error_fg_color
                                    };
                                    ui.label(RichText::new(text).color(color));
                                }
                            });
                            ui.end_row();
                        }
                    });
            });
    });
}
