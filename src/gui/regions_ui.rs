//! The regions to scan: the account's enabled regions, or, when the account's list
//! cannot be read (ec2:DescribeRegions denied), the standard list plus any the user
//! types in.

use egui::{RichText, Ui};

use super::widgets::{named, problem_ui};
use super::{Pending, StartState, regions};

pub fn regions_ui(ui: &mut Ui, state: &mut StartState) {
    match &state.regions {
        Pending::Idle => {}
        Pending::Loading => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Listing the account's enabled regions…");
            });
        }
        Pending::Done(Err(problem)) => {
            let problem = problem.clone();
            ui.label(RichText::new("Could not list the account's regions").strong());
            problem_ui(ui, &problem);
            ui.add(
                egui::Label::new(
                    "You can still scan: pick regions from the standard list below, or type one in. A region that is not enabled in the account shows up as \u{201c}could not check\u{201d}.",
                )
                .wrap(),
            );
            let mut list: Vec<String> = regions::standard().into_iter().map(String::from).collect();
            list.extend(state.extra_regions.iter().cloned());
            list.sort();
            list.dedup();
            region_picker(ui, state, &list, "standard");
            typed_region_ui(ui, state);
        }
        Pending::Done(Ok(enabled)) => {
            let enabled = enabled.clone();
            region_picker(ui, state, &enabled, "enabled");
        }
    }
}

/// "Regions (3 of 17 enabled)", All / None, and a checkbox per region.
fn region_picker(ui: &mut Ui, state: &mut StartState, list: &[String], kind: &str) {
    ui.horizontal(|ui| {
        ui.label(format!(
            "Regions ({} of {} {kind})",
            state.chosen_regions.len(),
            list.len()
        ));
        if named(ui.small_button("All"), "All", "Select all regions").clicked() {
            state.chosen_regions = list.iter().cloned().collect();
        }
        if named(
            ui.small_button("None"),
            "None",
            "Select none of the regions",
        )
        .clicked()
        {
            state.chosen_regions.clear();
        }
    });
    ui.horizontal_wrapped(|ui| {
        for region in list {
            let mut on = state.chosen_regions.contains(region);
            if ui.checkbox(&mut on, region).changed() {
                if on {
                    state.chosen_regions.insert(region.clone());
                } else {
                    state.chosen_regions.remove(region);
                }
            }
        }
    });
}

fn typed_region_ui(ui: &mut Ui, state: &mut StartState) {
    let typed = state.typed_region.trim().to_string();
    let valid = regions::is_region_name(&typed);
    ui.horizontal(|ui| {
        let label = ui.label("Other region");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut state.typed_region)
                    .hint_text("e.g. us-gov-west-1")
                    .desired_width(180.0),
            )
            .labelled_by(label.id);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let add = ui.add_enabled(valid, egui::Button::new("Add"));
        let clicked = named(add, "Add", "Add region").clicked();
        if valid && (clicked || entered) {
            state.extra_regions.insert(typed.clone());
            state.chosen_regions.insert(typed.clone());
            state.typed_region.clear();
        }
    });
    if !typed.is_empty() && !valid {
        ui.label(
            RichText::new(
                "A region looks like eu-west-1: letters, a dash, a place, a dash, a number.",
            )
            .weak(),
        );
    }
}
