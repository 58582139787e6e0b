//! The start screen: connect an AWS profile and scan, open the demo account, or open a
//! saved snapshot.

use std::borrow::Cow;
use std::path::PathBuf;

use crate::t;
use egui::{RichText, Ui};

use super::dialogs::Offer;
use super::regions;
use super::regions_ui::regions_ui;
use super::widgets::{named, problem_ui};
use super::{Action, Pending, StartState};

/// What the profile menu calls the SDK's default credential chain.
fn default_chain() -> Cow<'static, str> {
    t!("start.default_chain")
}

/// The snapshot path field, focused when no file dialog can be shown.
pub fn snapshot_path_id() -> egui::Id {
    egui::Id::unique("snapshot-path")
}

pub fn start_ui(
    ui: &mut Ui,
    state: &mut StartState,
    live: bool,
    theme: super::ThemeChoice,
    language: Option<crate::i18n::Lang>,
    dialogs: Offer,
    actions: &mut Vec<Action>,
) {
    super::widgets::settings_bar(ui, theme, language, actions);
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.vertical_centered(|ui| {
                    ui.add_space(16.0);
                    ui.label(RichText::new("onwatch").size(30.0).strong());
                    ui.label(t!("start.tagline"));
                    ui.add_space(12.0);
                });
                ui.columns(2, |cols| {
                    card(&mut cols[0], &t!("start.scan_title"), |ui| {
                        scan_card_ui(ui, state, live, actions)
                    });
                    card(&mut cols[1], &t!("start.demo_title"), |ui| {
                        ui.label(t!("start.demo_text"));
                        let demo = ui.add(
                            egui::Button::new(t!("start.open_demo"))
                                .min_size(egui::vec2(180.0, 28.0)),
                        );
                        if demo.clicked() {
                            actions.push(Action::OpenDemo);
                        }
                    });
                    cols[1].add_space(12.0);
                    card(&mut cols[1], &t!("start.saved_title"), |ui| {
                        snapshot_card_ui(ui, state, dialogs, actions)
                    });
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
        None => default_chain().into_owned(),
        Some(name) => match state.profiles.iter().find(|p| p.name == name) {
            Some(p) => format!("{} ({})", p.name, p.kind.label()),
            None => t!("start.profile_not_in_files", name = name).into_owned(),
        },
    }
}

/// Where the SDK finds a region without the user's help, as the window says it.
fn automatic_region(state: &StartState) -> Option<String> {
    if let Some((var, region)) = regions::from_env() {
        return Some(t!("start.region_from_env", region = region, var = var).into_owned());
    }
    let name = state
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .unwrap_or_else(|| "default".to_string());
    let profile = state.profiles.iter().find(|p| p.name == name)?;
    let region = profile.region.as_ref()?;
    Some(t!("start.region_from_profile", region = region, name = name).into_owned())
}

fn profile_row(ui: &mut Ui, state: &StartState, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        let label = ui.label(t!("start.profile"));
        let mut chosen = state.profile.clone();
        let combo = egui::ComboBox::from_id_salt("profile")
            .width(ui.available_width() - 8.0)
            .selected_text(profile_label(state, chosen.as_deref()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen, None, default_chain());
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
        Some(found) => t!("start.region_automatic", found = found).into_owned(),
        None => t!("start.region_automatic_none").into_owned(),
    };
    ui.horizontal(|ui| {
        let label = ui.label(t!("start.home_region"));
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
            .on_hover_text(t!("start.home_region_hover"));
        if chosen != state.home_region {
            actions.push(Action::PickHomeRegion(chosen));
        }
    });
}

fn scan_card_ui(ui: &mut Ui, state: &mut StartState, live: bool, actions: &mut Vec<Action>) {
    ui.add(egui::Label::new(t!("start.read_only")).wrap());
    profile_row(ui, state, actions);
    for problem in &state.profile_problems {
        ui.colored_label(ui.visuals().warn_fg_color, problem);
    }
    if state.profiles.is_empty() {
        ui.add(egui::Label::new(RichText::new(t!("start.no_profiles")).weak()).wrap());
    }
    home_region_row(ui, state, actions);
    ui.horizontal(|ui| {
        let check = ui.add_enabled(
            live && state.identity != Pending::Loading,
            egui::Button::new(t!("start.check_identity")),
        );
        if check.clicked() {
            actions.push(Action::ResolveIdentity);
        }
        match &state.identity {
            Pending::Idle => {
                ui.add(
                    egui::Label::new(RichText::new(t!("start.check_identity_hint")).weak()).wrap(),
                );
            }
            Pending::Loading => {
                ui.spinner();
                ui.label(t!("start.asking_identity"));
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
            ui.label(t!("start.account"));
            ui.label(RichText::new(&identity.account_id).monospace().strong());
            ui.end_row();
            ui.label(t!("start.identity"));
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
        egui::Button::new(RichText::new(t!("start.scan")).strong())
            .min_size(egui::vec2(120.0, 28.0)),
    );
    if named(scan, &t!("start.scan"), &t!("start.scan_name")).clicked() {
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
    ui.label(t!("start.saved_text"));
    ui.horizontal(|ui| {
        let label = ui.label(t!("start.file"));
        ui.add(
            egui::TextEdit::singleline(&mut state.snapshot_path)
                .id(snapshot_path_id())
                .hint_text("/path/to/snapshot.json")
                .desired_width(ui.available_width() - 150.0),
        )
        .labelled_by(label.id);
        if dialogs
            .button(ui, &t!("start.browse"), &t!("start.browse_name"))
            .clicked()
        {
            actions.push(Action::BrowseSnapshot);
        }
        let path = state.snapshot_path.trim();
        let open = ui.add_enabled(!path.is_empty(), egui::Button::new(t!("start.open")));
        if named(open, &t!("start.open"), &t!("start.open_name")).clicked() {
            actions.push(Action::OpenSnapshot(PathBuf::from(path)));
        }
    });
    if let Some(error) = &state.snapshot_error {
        ui.add(egui::Label::new(RichText::new(error).color(ui.visuals().error_fg_color)).wrap());
    }
}
