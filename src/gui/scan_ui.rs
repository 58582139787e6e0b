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
        // One line per service: how many regions it has been read in, and where a
        // read failed (the rest are fine, and listing them all only hides those).
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("scan-progress")
                    .striped(true)
                    .num_columns(3)
                    .spacing([24.0, 6.0])
                    .show(ui, |ui| {
                        for (service, regions) in &grid {
                            ui.label(RichText::new(*service).strong());
                            let ok = regions.values().filter(|ok| **ok).count();
                            ui.label(read_count(ok, regions.len()));
                            let failed: Vec<&str> = regions
                                .iter()
                                .filter(|(_, ok)| !**ok)
                                .map(|(region, _)| *region)
                                .collect();
                            if failed.is_empty() {
                                ui.label("");
                            } else {
                                ui.label(
                                    RichText::new(format!("failed in {}", failed.join(", ")))
                                        .color(ui.visuals().error_fg_color),
                                );
                            }
                            ui.end_row();
                        }
                    });
            });
    });
}

/// "read in 3 regions", or "read in 15 of 17 regions" when some failed.
fn read_count(ok: usize, all: usize) -> String {
    let noun = if all == 1 { "region" } else { "regions" };
    if ok == all {
        format!("read in {all} {noun}")
    } else {
        format!("read in {ok} of {all} {noun}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn read_counts() {
        assert_eq!(super::read_count(1, 1), "read in 1 region");
        assert_eq!(super::read_count(17, 17), "read in 17 regions");
        assert_eq!(super::read_count(15, 17), "read in 15 of 17 regions");
        assert_eq!(super::read_count(0, 1), "read in 0 of 1 region");
    }
}
