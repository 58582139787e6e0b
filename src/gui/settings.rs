//! What the window remembers between runs. eframe persistence saves it as one value in
//! `app.ron` in the data folder (`~/.local/share/onwatch/` on Linux), next to the
//! window size and position eframe remembers itself.

use std::path::PathBuf;

use crate::t;
use serde::{Deserialize, Serialize};

pub const SETTINGS_KEY: &str = "onwatch-settings";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeChoice {
    /// Follow the system's dark or light setting.
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    pub fn label(self) -> std::borrow::Cow<'static, str> {
        match self {
            ThemeChoice::System => t!("settings_ui.theme_system"),
            ThemeChoice::Light => t!("settings_ui.theme_light"),
            ThemeChoice::Dark => t!("settings_ui.theme_dark"),
        }
    }

    pub fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The last profile scanned with; None is the default credential chain.
    pub profile: Option<String>,
    /// The last region selection; empty means "all enabled regions".
    pub regions: Vec<String>,
    /// The region STS and EC2 are asked in when the profile names none; None uses
    /// the profile's region or AWS_REGION.
    pub home_region: Option<String>,
    pub theme: ThemeChoice,
    /// The language the user picked; None follows the system's (ONWATCH_LANG, the
    /// locale).
    pub language: Option<crate::i18n::Lang>,
    /// The folder the last export went to.
    pub export_dir: Option<PathBuf>,
    /// The alert channel last used for fixes, per account id (an e-mail address or
    /// an SNS topic ARN).
    pub channels: std::collections::BTreeMap<String, String>,
}
