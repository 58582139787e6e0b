//! The start screen: connect an AWS profile and scan, open the demo account, or open a
//! saved snapshot.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::widgets::named;
use super::{Action, Pending, StartState};

const DEFAULT_CHAIN: &str = "Default credentials (environment, default profile, instance role)";

pub fn start_ui(ui: &mut Ui, state: &mut StartState, live: bool, actions: &mut Vec<Action>) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(16.0);
                ui.label(RichText::new("onwatch").size(30.0).strong());
                ui.label("Is this AWS account ready to be monitored? If something breaks tonight, will the right person be told?");
                ui.add_space(12.0);
            });
            ui.columns(2, |cols| {
                card(&mut cols[0], "Scan an AWS account", |ui| scan_card_ui(ui, state, live, actions));
                card(&mut cols[1], "Try it without AWS", |ui| {
                    ui.label("The demo account shows what onwatch finds in a typical startup account.");
                    if named(ui.add(egui::Button::new("Open the demo account").min_size(egui::vec2(180.0, 28.0))), "Open the demo account").clicked() {
                        actions.push(Action::OpenDemo);
                    }
                });
                cols[1].add_space(12.0);
                card(&mut cols[1], "Open a saved scan", |ui| snapshot_card_ui(ui, state, actions));
            });
        });
    });
}

fn card(ui: &mut Ui, title: &str, add: impl FnOnce(&mut Ui)) {
    egui::Frame::group(ui.style())
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                ui.label(RichText::new(title).heading());
                ui.add_space(4.0);
                add(ui);
            });
        });
}

fn profile_label(state: &StartState, name: Option<&str>) -> String {
    match name {
        None => DEFAULT_CHAIN.to_string(),
        Some(name) => match state.profiles.iter().find(|p| p.name == name) {
            Some(p) => format!("{} ({})", p.name, p.kind.label()),
            None => format!("{name} (not in your AWS files)"),
        },
    }
}

fn scan_card_ui(ui: &mut Ui, state: &mut StartState, live: bool, actions: &mut Vec<Action>) {
    ui.label("onwatch only reads: it needs the read-only permissions listed in assets/iam.");
    ui.horizontal(|ui| {
        let label = ui.label("Profile");
        let mut chosen = state.profile.clone();
        let combo = egui::ComboBox::from_id_salt("profile")
            .width(ui.available_width() - 8.0)
            .selected_text(profile_label(state, chosen.as_deref()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen, None, DEFAULT_CHAIN);
                for p in &state.profiles {
                    let text = format!("{} ({})", p.name, p.kind.label());
                    ui.selectable_value(&mut chosen, Some(p.name.clone()), text);
                }
            });
        combo.response.labelled_by(label.id);
        if chosen != state.profile {
            actions.push(Action::PickProfile(chosen));
        }
    });
    for problem in &state.profile_problems {
        ui.colored_label(ui.visuals().warn_fg_color, problem);
    }
    if state.profiles.is_empty() {
        ui.label(RichText::new("No profiles in ~/.aws/config or ~/.aws/credentials; the default credentials are used.").weak());
    }
    ui.horizontal(|ui| {
        let check = ui.add_enabled(
            live && state.identity != Pending::Loading,
            egui::Button::new("Check identity"),
        );
        if named(check, "Check identity").clicked() {
            actions.push(Action::ResolveIdentity);
        }
        match &state.identity {
            Pending::Idle => {
                ui.label(
                    RichText::new(
                        "See which account and role the profile resolves to before scanning.",
                    )
                    .weak(),
                );
            }
            Pending::Loading => {
                ui.spinner();
                ui.label("Asking AWS who this is…");
            }
            Pending::Done(Ok(_)) => {}
            Pending::Done(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        }
    });
    if let Pending::Done(Ok(identity)) = &state.identity {
        egui::Grid::new("identity").num_columns(2).show(ui, |ui| {
            ui.label("Account");
            ui.label(RichText::new(&identity.account_id).monospace().strong());
            ui.end_row();
            ui.label("Identity");
            ui.add(egui::Label::new(RichText::new(&identity.arn).monospace()).wrap());
            ui.end_row();
        });
    }
    regions_ui(ui, state);
    ui.add_space(6.0);
    let ready =
        live && matches!(state.identity, Pending::Done(Ok(_))) && !state.chosen_regions.is_empty();
    let scan = ui.add_enabled(
        ready,
        egui::Button::new(RichText::new("Scan").strong()).min_size(egui::vec2(120.0, 28.0)),
    );
    if named(scan, "Scan the account").clicked() {
        actions.push(Action::StartScan);
    }
    if let Some(error) = &state.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
}

fn regions_ui(ui: &mut Ui, state: &mut StartState) {
    match &state.regions {
        Pending::Idle => {}
        Pending::Loading => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Listing the account's enabled regions…");
            });
        }
        Pending::Done(Err(e)) => {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("Could not list regions: {e}"),
            );
        }
        Pending::Done(Ok(regions)) => {
            let regions = regions.clone();
            ui.horizontal(|ui| {
                ui.label(format!(
                    "Regions ({} of {} enabled)",
                    state.chosen_regions.len(),
                    regions.len()
                ));
                if named(ui.small_button("All"), "Select all regions").clicked() {
                    state.chosen_regions = regions.iter().cloned().collect();
                }
                if named(ui.small_button("None"), "Select no region").clicked() {
                    state.chosen_regions.clear();
                }
            });
            ui.horizontal_wrapped(|ui| {
                for region in &regions {
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
    }
}

fn snapshot_card_ui(ui: &mut Ui, state: &mut StartState, actions: &mut Vec<Action>) {
    ui.label("Re-evaluate a snapshot saved by an earlier scan (JSON).");
    ui.horizontal(|ui| {
        let label = ui.label("File");
        ui.add(
            egui::TextEdit::singleline(&mut state.snapshot_path)
                .hint_text("/path/to/snapshot.json")
                .desired_width(ui.available_width() - 150.0),
        )
        .labelled_by(label.id);
        if named(ui.button("Browse…"), "Browse for a snapshot").clicked() {
            actions.push(Action::BrowseSnapshot);
        }
        let path = state.snapshot_path.trim();
        let open = ui.add_enabled(!path.is_empty(), egui::Button::new("Open"));
        if named(open, "Open snapshot").clicked() {
            actions.push(Action::OpenSnapshot(PathBuf::from(path)));
        }
    });
}
