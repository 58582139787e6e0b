//! The start screen: connect an AWS profile and scan, open the demo account, or open a
//! saved snapshot.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::dialogs::Offer;
use super::regions;
use super::regions_ui::regions_ui;
use super::widgets::{named, problem_ui};
use super::{Action, Pending, StartState};

const DEFAULT_CHAIN: &str = "Default credentials (environment, default profile, instance role)";

/// The snapshot path field, focused when no file dialog can be shown.
pub fn snapshot_path_id() -> egui::Id {
    egui::Id::unique("snapshot-path")
}

pub fn start_ui(
    ui: &mut Ui,
    state: &mut StartState,
    live: bool,
    dialogs: Offer,
    actions: &mut Vec<Action>,
) {
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
                    let demo = ui.add(egui::Button::new("Open the demo account").min_size(egui::vec2(180.0, 28.0)));
                    if demo.clicked() {
                        actions.push(Action::OpenDemo);
                    }
                });
                cols[1].add_space(12.0);
                card(&mut cols[1], "Open a saved scan", |ui| snapshot_card_ui(ui, state, dialogs, actions));
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

/// Where the SDK finds a region without the user's help, as the window says it.
fn automatic_region(state: &StartState) -> Option<String> {
    if let Some((var, region)) = regions::from_env() {
        return Some(format!("{region}, from {var}"));
    }
    let name = state
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .unwrap_or_else(|| "default".to_string());
    let profile = state.profiles.iter().find(|p| p.name == name)?;
    let region = profile.region.as_ref()?;
    Some(format!("{region}, from profile {name}"))
}

fn profile_row(ui: &mut Ui, state: &StartState, actions: &mut Vec<Action>) {
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
}

fn home_region_row(ui: &mut Ui, state: &StartState, actions: &mut Vec<Action>) {
    let automatic = match automatic_region(state) {
        Some(found) => format!("Automatic ({found})"),
        None => "Automatic (none set: choose one)".to_string(),
    };
    ui.horizontal(|ui| {
        let label = ui.label("Home region");
        let mut chosen = state.home_region.clone();
        let combo = egui::ComboBox::from_id_salt("home-region")
            .width(ui.available_width() - 8.0)
            .selected_text(chosen.clone().unwrap_or_else(|| automatic.clone()))
            .height(320.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen, None, &automatic);
                for region in regions::standard() {
                    ui.selectable_value(&mut chosen, Some(region.to_string()), region);
                }
            });
        combo
            .response
            .labelled_by(label.id)
            .on_hover_text("The region onwatch asks first, to learn who you are and which regions the account has.");
        if chosen != state.home_region {
            actions.push(Action::PickHomeRegion(chosen));
        }
    });
}

fn scan_card_ui(ui: &mut Ui, state: &mut StartState, live: bool, actions: &mut Vec<Action>) {
    ui.add(
        egui::Label::new(
            "onwatch only reads: it needs the read-only permissions listed in assets/iam.",
        )
        .wrap(),
    );
    profile_row(ui, state, actions);
    for problem in &state.profile_problems {
        ui.colored_label(ui.visuals().warn_fg_color, problem);
    }
    if state.profiles.is_empty() {
        ui.add(
            egui::Label::new(
                RichText::new("No profiles in ~/.aws/config or ~/.aws/credentials; the default credentials are used.").weak(),
            )
            .wrap(),
        );
    }
    home_region_row(ui, state, actions);
    ui.horizontal(|ui| {
        let check = ui.add_enabled(
            live && state.identity != Pending::Loading,
            egui::Button::new("Check identity"),
        );
        if check.clicked() {
            actions.push(Action::ResolveIdentity);
        }
        match &state.identity {
            Pending::Idle => {
                ui.add(
                    egui::Label::new(
                        RichText::new(
                            "See which account and role the profile resolves to before scanning.",
                        )
                        .weak(),
                    )
                    .wrap(),
                );
            }
            Pending::Loading => {
                ui.spinner();
                ui.label("Asking AWS who this is…");
            }
            Pending::Done(_) => {}
        }
    });
    // Below the row, not in it: a horizontal row does not wrap, and these messages are
    // long (they say what to do).
    if let Pending::Done(Err(problem)) = &state.identity {
        problem_ui(ui, problem);
    }
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
    if named(scan, "Scan", "Scan the account").clicked() {
        actions.push(Action::StartScan);
    }
    if let Some(problem) = &state.error {
        problem_ui(ui, problem);
    }
}

fn snapshot_card_ui(
    ui: &mut Ui,
    state: &mut StartState,
    dialogs: Offer,
    actions: &mut Vec<Action>,
) {
    ui.label("Re-evaluate a snapshot saved by an earlier scan (JSON).");
    ui.horizontal(|ui| {
        let label = ui.label("File");
        ui.add(
            egui::TextEdit::singleline(&mut state.snapshot_path)
                .id(snapshot_path_id())
                .hint_text("/path/to/snapshot.json")
                .desired_width(ui.available_width() - 150.0),
        )
        .labelled_by(label.id);
        if dialogs
            .button(ui, "Browse…", "Browse for a snapshot")
            .clicked()
        {
            actions.push(Action::BrowseSnapshot);
        }
        let path = state.snapshot_path.trim();
        let open = ui.add_enabled(!path.is_empty(), egui::Button::new("Open"));
        if named(open, "Open", "Open snapshot").clicked() {
            actions.push(Action::OpenSnapshot(PathBuf::from(path)));
        }
    });
    if let Some(error) = &state.snapshot_error {
        ui.add(egui::Label::new(RichText::new(error).color(ui.visuals().error_fg_color)).wrap());
    }
}
