//! Applying what panels ask for and what background work reports, after the frame.

use std::path::PathBuf;
use std::sync::mpsc::Sender;

use super::{Action, Background, OnwatchApp, Origin, Pending, Screen, export_ui, scan_ui};
use crate::output::Format;
use crate::snapshot::AccountSnapshot;

impl OnwatchApp {
    pub(super) fn poll_background(&mut self) {
        while let Ok(message) = self.rx.try_recv() {
            self.on_background(message);
        }
    }

    fn on_background(&mut self, message: Background) {
        match message {
            Background::SnapshotPicked(Some(path)) => {
                self.start.snapshot_path = path.display().to_string();
                self.apply(Action::OpenSnapshot(path));
            }
            Background::ExportPicked(Some(path)) => {
                if let Some(export) = &mut self.export {
                    export.path = path.display().to_string();
                }
            }
            Background::SnapshotPicked(None) | Background::ExportPicked(None) => self.tell(
                "No file chosen. If no file dialog appeared, type the path into the field instead."
                    .to_string(),
            ),
            Background::Identity { profile, result } => {
                if profile == self.start.profile {
                    let ok = result.is_ok();
                    self.start.identity = Pending::Done(result);
                    if ok {
                        self.load_regions();
                    }
                }
            }
            Background::Regions { profile, result } => {
                if profile == self.start.profile {
                    if let Ok(regions) = &result {
                        self.start.chosen_regions.retain(|r| regions.contains(r));
                        if self.start.chosen_regions.is_empty() {
                            self.start.chosen_regions = regions.iter().cloned().collect();
                        }
                    }
                    self.start.regions = Pending::Done(result);
                }
            }
            Background::ScanStep { scan, step } => {
                if let Screen::Scanning(state) = &mut self.screen
                    && state.id == scan
                {
                    scan_ui::apply_step(state, step);
                }
            }
            Background::ScanDone { scan, result } => {
                let (current, profile) = match &self.screen {
                    Screen::Scanning(state) => (state.id == scan, state.profile.clone()),
                    _ => (false, None),
                };
                if !current {
                    return;
                }
                match result {
                    Ok(snapshot) => {
                        let saved = self.save_scan(&snapshot);
                        self.open_snapshot(Origin::Live { profile }, *snapshot);
                        if self.notice.is_none() {
                            self.notice = Some(saved);
                        }
                    }
                    Err(e) => {
                        self.screen = Screen::Start;
                        self.start.error = Some(e.clone());
                        self.fail(format!("The scan failed: {e}"));
                    }
                }
            }
        }
    }

    pub(super) fn apply(&mut self, action: Action) {
        match action {
            Action::OpenDemo => self.open_demo(),
            Action::OpenSnapshot(path) => match AccountSnapshot::load(&path) {
                Ok(snapshot) => self.open_snapshot(Origin::File(path), snapshot),
                Err(e) => {
                    self.start.error = Some(e.to_string());
                    self.fail(e.to_string());
                }
            },
            Action::BrowseSnapshot => {
                let tx = self.tx.clone();
                let ctx = self.ctx.clone();
                spawn_dialog(move || {
                    let picked = rfd::FileDialog::new()
                        .set_title("Open an onwatch snapshot")
                        .add_filter("onwatch snapshot", &["json"])
                        .pick_file();
                    send(&tx, ctx.as_ref(), Background::SnapshotPicked(picked));
                });
            }
            Action::BackToStart => {
                self.export = None;
                self.screen = Screen::Start;
            }
            Action::Select(index) => self.list.selected = Some(index),
            Action::SetAnswer { id, answer } => {
                if let Screen::Report(session) = &mut self.screen {
                    match session.set_answer(&id, answer) {
                        Ok(()) => {
                            let path = session.answers_path().map(|p| p.display().to_string());
                            self.tell(format!("Answer saved to {}", path.unwrap_or_default()));
                        }
                        Err(e) => self.fail(e),
                    }
                }
            }
            Action::OpenExport => {
                if let Some(session) = self.session() {
                    self.export =
                        Some(export_ui::ExportState::new(&session.report, &self.settings));
                }
            }
            Action::CloseExport => self.export = None,
            Action::BrowseExport => {
                let tx = self.tx.clone();
                let ctx = self.ctx.clone();
                let suggested = self.export.as_ref().map(|e| PathBuf::from(&e.path));
                spawn_dialog(move || {
                    let mut dialog = rfd::FileDialog::new().set_title("Export the onwatch report");
                    if let Some(path) = &suggested {
                        if let Some(dir) = path.parent() {
                            dialog = dialog.set_directory(dir);
                        }
                        if let Some(name) = path.file_name() {
                            dialog = dialog.set_file_name(name.to_string_lossy());
                        }
                    }
                    send(
                        &tx,
                        ctx.as_ref(),
                        Background::ExportPicked(dialog.save_file()),
                    );
                });
            }
            Action::Export { format, path } => self.export_to(format, path),
            Action::SetTheme(theme) => self.settings.theme = theme,
            Action::PickProfile(profile) => {
                self.start.profile = profile.clone();
                self.settings.profile = profile;
                self.start.identity = Pending::Idle;
                self.start.regions = Pending::Idle;
            }
            Action::ResolveIdentity => self.resolve_identity(),
            Action::StartScan => self.start_scan(),
            Action::CancelScan => self.cancel_scan(),
        }
    }

    fn export_to(&mut self, format: Format, path: PathBuf) {
        let Some(session) = self.session() else {
            return;
        };
        let written = crate::output::render(&session.report, &session.checklist, format)
            .map_err(|e| format!("could not encode the report: {e}"))
            .and_then(|text| {
                std::fs::write(&path, text).map_err(|e| {
                    format!(
                        "could not write {}: {e}. Pick a folder you can write to.",
                        path.display()
                    )
                })
            });
        match written {
            Ok(()) => {
                self.settings.export_dir = path.parent().map(PathBuf::from);
                self.export = None;
                self.tell(format!("Report exported to {}", path.display()));
            }
            Err(e) => {
                if let Some(export) = &mut self.export {
                    export.error = Some(e.clone());
                }
                self.fail(e);
            }
        }
    }
}

pub(super) fn send(tx: &Sender<Background>, ctx: Option<&egui::Context>, message: Background) {
    // The window may have closed meanwhile; then nobody is waiting for the message.
    let _ = tx.send(message);
    if let Some(ctx) = ctx {
        ctx.request_repaint();
    }
}

/// File dialogs block their thread until the user answers, so they get their own.
pub(super) fn spawn_dialog(work: impl FnOnce() + Send + 'static) {
    std::thread::spawn(work);
}
