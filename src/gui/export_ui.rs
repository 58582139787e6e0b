//! Export the report as JSON or Markdown. The native save dialog fills the path field;
//! where no dialog backend exists (no desktop portal, no zenity) the user types the path.

use std::path::PathBuf;

use egui::Ui;

use super::Action;
use super::settings::Settings;
use super::widgets::named;
use crate::output::Format;
use crate::report::Report;

pub struct ExportState {
    pub format: Format,
    pub path: String,
    pub error: Option<String>,
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Json => "json",
        Format::Markdown => "md",
        Format::Text => "txt",
    }
}

impl ExportState {
    pub fn new(report: &Report, settings: &Settings) -> Self {
        let dir = settings
            .export_dir
            .clone()
            .or_else(|| directories::UserDirs::new().map(|d| d.home_dir().to_path_buf()))
            .unwrap_or_default();
        let account: String = report
            .account
            .id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let name = format!(
            "onwatch-{account}-{}.md",
            report.generated_at.format("%Y%m%d")
        );
        ExportState {
            format: Format::Markdown,
            path: dir.join(name).display().to_string(),
            error: None,
        }
    }

    fn set_format(&mut self, format: Format) {
        self.format = format;
        let path = PathBuf::from(&self.path);
        if path.file_stem().is_some() {
            self.path = path.with_extension(extension(format)).display().to_string();
        }
    }
}

pub fn export_ui(
    ui: &mut Ui,
    state: &mut ExportState,
    _report: &Report,
    actions: &mut Vec<Action>,
) {
    let mut open = true;
    egui::Window::new("Export report")
        .collapsible(false)
        .resizable(false)
        .default_width(560.0)
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            ui.horizontal(|ui| {
                ui.label("Format");
                let mut format = state.format;
                ui.radio_value(&mut format, Format::Markdown, "Markdown");
                ui.radio_value(&mut format, Format::Json, "JSON");
                if format != state.format {
                    state.set_format(format);
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label("Save to");
                ui.add(egui::TextEdit::singleline(&mut state.path).desired_width(400.0))
                    .labelled_by(label.id);
                if named(ui.button("Choose…"), "Choose where to save").clicked() {
                    actions.push(Action::BrowseExport);
                }
            });
            ui.label(
                egui::RichText::new("Choose… opens your system's save dialog; if none appears, type the path above.")
                    .weak(),
            );
            if let Some(error) = &state.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ui.horizontal(|ui| {
                let path = state.path.trim();
                let save = ui.add_enabled(!path.is_empty(), egui::Button::new("Save"));
                if named(save, "Save export").clicked() {
                    actions.push(Action::Export { format: state.format, path: PathBuf::from(path) });
                }
                if ui.button("Cancel").clicked() {
                    actions.push(Action::CloseExport);
                }
            });
        });
    if !open {
        actions.push(Action::CloseExport);
    }
}
