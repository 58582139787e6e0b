//! Export the report as JSON or Markdown. The native save dialog fills the path field;
//! where no dialog backend exists (no desktop portal, no zenity) the user types the path.
//! The file name's extension decides the format, so `report.json` is always JSON.

use std::path::{Path, PathBuf};

use crate::t;
use egui::{Key, RichText, Ui};

use super::Action;
use super::dialogs::Offer;
use super::settings::Settings;
use super::widgets::named;
use crate::output::Format;
use crate::report::Report;

pub struct ExportState {
    pub format: Format,
    pub path: String,
    pub error: Option<String>,
    /// The path the save dialog returned: the dialog asked about replacing it already.
    from_dialog: Option<PathBuf>,
    /// The file exists: Save asks before replacing it.
    pub confirm_replace: Option<PathBuf>,
}

/// The path field, focused when no file dialog can be shown.
pub fn path_id() -> egui::Id {
    egui::Id::unique("export-path")
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Json => "json",
        Format::Markdown => "md",
        Format::Csv => "csv",
        Format::Html => "html",
        Format::Text => "txt",
        Format::WaLens => "lens.json",
        Format::Pdf => "pdf",
    }
}

/// The path with the extension a format asks for (`.lens.json` counts as one).
fn with_format(path: &Path, format: Format) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let base = match name.as_deref().and_then(|n| n.strip_suffix(".lens.json")) {
        Some(stem) => path.with_file_name(format!("{stem}.x")),
        None => path.to_path_buf(),
    };
    base.with_extension(extension(format))
}

/// The format a file name asks for, when its extension names one.
pub fn format_of(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".lens.json") {
        return Some(Format::WaLens);
    }
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(Format::Json),
        "md" | "markdown" => Some(Format::Markdown),
        "csv" => Some(Format::Csv),
        "html" | "htm" => Some(Format::Html),
        "pdf" => Some(Format::Pdf),
        _ => None,
    }
}

/// The user's home folder, if the platform has one.
fn home_dir() -> Option<PathBuf> {
    directories::UserDirs::new().map(|d| d.home_dir().to_path_buf())
}

/// The folder a typed relative path is taken from: the last export folder, else home.
pub fn base_dir(settings: &Settings) -> PathBuf {
    settings
        .export_dir
        .clone()
        .filter(|d| d.is_absolute())
        .or_else(home_dir)
        .unwrap_or_default()
}

/// The file a typed path names: `~` is the home folder, and a relative path is taken
/// from `base` (never from wherever the app happened to be started).
pub fn resolve_path(typed: &str, home: Option<&Path>, base: &Path) -> PathBuf {
    let typed = typed.trim();
    let expanded = match (typed.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home.to_path_buf(),
        (Some(rest), Some(home)) if rest.starts_with('/') => {
            home.join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(typed),
    };
    if expanded.is_absolute() {
        expanded
    } else {
        base.join(expanded)
    }
}

/// [`resolve_path`] with this user's home folder.
pub fn resolve_typed(typed: &str, settings: &Settings) -> PathBuf {
    resolve_path(typed, home_dir().as_deref(), &base_dir(settings))
}

impl ExportState {
    pub fn new(report: &Report, settings: &Settings) -> Self {
        let dir = base_dir(settings);
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
            from_dialog: None,
            confirm_replace: None,
        }
    }

    fn set_format(&mut self, format: Format) {
        self.format = format;
        let path = PathBuf::from(&self.path);
        if path.file_stem().is_some() {
            self.path = with_format(&path, format).display().to_string();
        }
    }

    /// The save dialog returned `path`: it fills the field and decides the format.
    pub fn picked(&mut self, path: PathBuf) {
        self.path = path.display().to_string();
        if let Some(format) = format_of(&path) {
            self.format = format;
        }
        self.from_dialog = Some(path);
        self.confirm_replace = None;
        self.error = None;
    }

    pub fn dialog_confirmed(&self, path: &Path) -> bool {
        self.from_dialog.as_deref() == Some(path)
    }
}

pub fn export_ui(ui: &mut Ui, state: &mut ExportState, dialogs: Offer, actions: &mut Vec<Action>) {
    let mut open = true;
    egui::Window::new(t!("export_ui.title"))
        .collapsible(false)
        .resizable(false)
        .default_width(600.0)
        // Over the middle of the window, where the eye is, not over the score.
        .anchor(egui::Align2::CENTER_TOP, [0.0, 120.0])
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            ui.horizontal(|ui| {
                ui.label(t!("export_ui.format"));
                let mut format = state.format;
                ui.radio_value(&mut format, Format::Markdown, "Markdown"); // i18n: technical
                ui.radio_value(&mut format, Format::Json, "JSON");
                ui.radio_value(&mut format, Format::Csv, "CSV");
                ui.radio_value(&mut format, Format::Html, "HTML");
                ui.radio_value(&mut format, Format::Pdf, "PDF");
                ui.radio_value(&mut format, Format::WaLens, t!("export_ui.lens"))
                    .on_hover_text(t!("export_ui.lens_hover"));
                if format != state.format {
                    state.set_format(format);
                }
            });
            let mut submitted = false;
            ui.horizontal(|ui| {
                let label = ui.label(t!("export_ui.save_to"));
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut state.path)
                            .id(path_id())
                            .desired_width(420.0),
                    )
                    .labelled_by(label.id);
                submitted = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                if field.changed() {
                    state.confirm_replace = None;
                    if let Some(format) = format_of(Path::new(state.path.trim())) {
                        state.format = format;
                    }
                }
                if dialogs
                    .button(ui, &t!("export_ui.choose"), &t!("export_ui.choose_name"))
                    .clicked()
                {
                    actions.push(Action::BrowseExport);
                }
            });
            ui.label(RichText::new(t!("export_ui.extension_note")).weak());
            if let Some(error) = &state.error {
                ui.add(
                    egui::Label::new(RichText::new(error).color(ui.visuals().error_fg_color))
                        .wrap(),
                );
            }
            let path = PathBuf::from(state.path.trim());
            if let Some(existing) = state.confirm_replace.clone() {
                replace_ui(ui, state, &existing, actions);
            } else {
                ui.horizontal(|ui| {
                    let visible = t!("export_ui.save");
                    let save =
                        ui.add_enabled(!state.path.trim().is_empty(), egui::Button::new(&*visible));
                    let enter = submitted && !state.path.trim().is_empty();
                    if named(save, &visible, &t!("export_ui.save_name")).clicked() || enter {
                        actions.push(Action::Export {
                            format: state.format,
                            path: path.clone(),
                            replace: false,
                        });
                    }
                    let cancel = t!("export_ui.cancel");
                    if named(ui.button(&*cancel), &cancel, &t!("export_ui.cancel_name")).clicked() {
                        actions.push(Action::CloseExport);
                    }
                });
            }
        });
    if !open || ui.input(|i| i.key_pressed(Key::Escape)) {
        actions.push(Action::CloseExport);
    }
}

fn replace_ui(ui: &mut Ui, state: &mut ExportState, existing: &Path, actions: &mut Vec<Action>) {
    ui.add(
        egui::Label::new(
            RichText::new(t!("export_ui.exists", path = existing.display()))
                .color(ui.visuals().warn_fg_color),
        )
        .wrap(),
    );
    ui.horizontal(|ui| {
        let replace = t!("export_ui.replace");
        if named(
            ui.button(&*replace),
            &replace,
            &t!("export_ui.replace_name"),
        )
        .clicked()
        {
            actions.push(Action::Export {
                format: state.format,
                path: existing.to_path_buf(),
                replace: true,
            });
        }
        let keep = t!("export_ui.keep");
        if named(ui.button(&*keep), &keep, &t!("export_ui.keep_name")).clicked() {
            state.confirm_replace = None;
        }
    });
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{format_of, resolve_path, with_format};
    use crate::output::Format;

    #[test]
    fn the_lens_format_names_its_file_lens_json_and_back() {
        let lens = with_format(Path::new("/r/onwatch-1-20261206.md"), Format::WaLens);
        assert_eq!(lens, PathBuf::from("/r/onwatch-1-20261206.lens.json"));
        assert_eq!(format_of(&lens), Some(Format::WaLens));
        let html = with_format(&lens, Format::Html);
        assert_eq!(html, PathBuf::from("/r/onwatch-1-20261206.html"));
        assert_eq!(format_of(Path::new("/r/a.json")), Some(Format::Json));
    }

    #[test]
    fn typed_paths_are_taken_from_home_or_the_export_folder() {
        let home = Some(Path::new("/home/ada"));
        let base = Path::new("/home/ada/reports");
        let r = |typed| resolve_path(typed, home, base);
        assert_eq!(r("~/out.md"), PathBuf::from("/home/ada/out.md"));
        assert_eq!(r("~"), PathBuf::from("/home/ada"));
        assert_eq!(r("~//out.md"), PathBuf::from("/home/ada/out.md"));
        assert_eq!(r("out.md"), PathBuf::from("/home/ada/reports/out.md"));
        assert_eq!(
            r(" sub/out.json "),
            PathBuf::from("/home/ada/reports/sub/out.json")
        );
        assert_eq!(r("/tmp/out.md"), PathBuf::from("/tmp/out.md"));
        assert_eq!(
            r("~bob/out.md"),
            PathBuf::from("/home/ada/reports/~bob/out.md"),
            "another user's home is not expanded"
        );
        assert_eq!(
            resolve_path("~/out.md", None, base),
            PathBuf::from("/home/ada/reports/~/out.md")
        );
    }
}
