//! The regions to scan: the account's enabled regions, or, when the account's list
//! cannot be read (ec2:DescribeRegions denied), the standard list plus any the user
//! types in.

use crate::t;
use egui::{RichText, Ui};

use super::widgets::{named, problem_ui};
use super::{Pending, StartState, regions};

pub fn regions_ui(ui: &mut Ui, state: &mut StartState) {
    match &state.regions {
        Pending::Idle => {}
        Pending::Loading => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(t!("regions.listing"));
            });
        }
        Pending::Done(Err(problem)) => {
            let problem = problem.clone();
            ui.label(RichText::new(t!("regions.list_failed")).strong());
            problem_ui(ui, &problem);
            ui.add(egui::Label::new(t!("regions.still_scan")).wrap());
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

/// "Regions (3 of 17 enabled)", All / None, and a checkbox per region. `kind`:
/// "enabled" (the account's list) or "standard" (the list that stands in for it).
fn region_picker(ui: &mut Ui, state: &mut StartState, list: &[String], kind: &str) {
    ui.horizontal(|ui| {
        let (chosen, total) = (state.chosen_regions.len(), list.len());
        ui.label(match kind {
            "standard" => t!("regions.picker_standard", chosen = chosen, total = total),
            _ => t!("regions.picker_enabled", chosen = chosen, total = total),
        });
        let all = ui.small_button(t!("regions.all"));
        if named(all, &t!("regions.all"), &t!("regions.all_name")).clicked() {
            state.chosen_regions = list.iter().cloned().collect();
        }
        let none = ui.small_button(t!("regions.none"));
        if named(none, &t!("regions.none"), &t!("regions.none_name")).clicked() {
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
        let label = ui.label(t!("regions.other"));
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut state.typed_region)
                    .hint_text(t!("regions.other_hint"))
                    .desired_width(180.0),
            )
            .labelled_by(label.id);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let add = ui.add_enabled(valid, egui::Button::new(t!("regions.add")));
        let clicked = named(add, &t!("regions.add"), &t!("regions.add_name")).clicked();
        if valid && (clicked || entered) {
            state.extra_regions.insert(typed.clone());
            state.chosen_regions.insert(typed.clone());
            state.typed_region.clear();
        }
    });
    if !typed.is_empty() && !valid {
        ui.label(RichText::new(t!("regions.name_shape")).weak());
    }
}
