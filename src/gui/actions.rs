//! Applying what panels ask for and what background work reports, after the frame.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use crate::t;

use super::dialogs::DialogRequest;
use super::fixing::{FixKind, FixPhase};
use super::{
    Action, Background, OnwatchApp, Origin, Pending, Screen, export_ui, regions, scan_ui, start_ui,
};
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
            Background::DialogClosed {
                request,
                picked,
                open_for,
            } => self.on_dialog_closed(request, picked, open_for),
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
                    let offered: Vec<String> = match &result {
                        Ok(enabled) => enabled.clone(),
                        // The standard list stands in for the account's.
                        Err(_) => regions::standard()
                            .into_iter()
                            .map(String::from)
                            .chain(self.start.extra_regions.iter().cloned())
                            .collect(),
                    };
                    self.start.chosen_regions.retain(|r| offered.contains(r));
                    if self.start.chosen_regions.is_empty() {
                        self.start.chosen_regions = match &result {
                            Ok(enabled) => enabled.iter().cloned().collect(),
                            Err(_) => regions::DEFAULT_ENABLED
                                .iter()
                                .map(|r| r.to_string())
                                .collect(),
                        };
                    }
                    self.start.regions = Pending::Done(result);
                }
            }
            Background::Fix { fix, message } => self.on_fix_message(fix, message),
            Background::Scans {
                account,
                collected_at,
                loaded,
            } => {
                if let Screen::Report(session) = &mut self.screen
                    && session.snapshot.account.id == account
                    && session.snapshot.collected_at == collected_at
                {
                    session.take_scans(loaded);
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
                        // Saved before its history is read, so the trend ends with it.
                        self.open_session(Origin::Live { profile }, *snapshot);
                        let saved = self.save_scan();
                        self.load_scans();
                        if self.notice.is_none() {
                            self.notice = saved;
                        }
                    }
                    Err(problem) => {
                        self.screen = Screen::Start;
                        self.fail(t!("actions.scan_failed", problem = problem.text).into_owned());
                        self.start.error = Some(problem);
                    }
                }
            }
        }
    }

    fn on_dialog_closed(
        &mut self,
        request: DialogRequest,
        picked: Option<PathBuf>,
        open_for: Duration,
    ) {
        self.dialog.open = false;
        if self.dialog.means_missing(&picked, open_for) {
            self.dialog.missing = true;
            self.tell(t!("actions.no_dialog").into_owned());
            self.focus = Some(match request {
                DialogRequest::OpenSnapshot => start_ui::snapshot_path_id(),
                DialogRequest::SaveExport { .. } => export_ui::path_id(),
            });
            return;
        }
        let Some(path) = picked else {
            // A plain cancel: the user knows what they did.
            return;
        };
        self.dialog.worked = true;
        match request {
            DialogRequest::OpenSnapshot => {
                self.start.snapshot_path = path.display().to_string();
                self.apply(Action::OpenSnapshot(path));
            }
            DialogRequest::SaveExport { .. } => {
                if let Some(export) = &mut self.export {
                    export.picked(path);
                }
            }
        }
    }

    fn open_dialog(&mut self, request: DialogRequest) {
        if self.dialog.open || self.dialog.missing {
            return;
        }
        self.dialog.open = true;
        self.dialogs
            .spawn(request, self.tx.clone(), self.ctx.clone());
    }

    pub(super) fn apply(&mut self, action: Action) {
        match action {
            Action::OpenDemo => self.open_demo(),
            Action::OpenSnapshot(path) => match AccountSnapshot::load(&path) {
                Ok(snapshot) => {
                    self.start.snapshot_error = None;
                    self.open_snapshot(Origin::File(path), snapshot);
                }
                Err(e) => {
                    self.start.snapshot_error = Some(e.to_string());
                    self.fail(e.to_string());
                }
            },
            Action::BrowseSnapshot => self.open_dialog(DialogRequest::OpenSnapshot),
            Action::BackToStart => {
                self.export = None;
                self.leave_fix();
                self.screen = Screen::Start;
            }
            Action::Select(index) => self.list.selected = Some(index),
            Action::SetAnswer { id, answer } => {
                if let Screen::Report(session) = &mut self.screen {
                    match session.set_answer(&id, answer) {
                        Ok(()) => {
                            let path = session.answers_path().map(|p| p.display().to_string());
                            let path = path.unwrap_or_default();
                            self.tell(t!("actions.answer_saved", path = path).into_owned());
                        }
                        Err(e) => self.fail(e),
                    }
                }
            }
            Action::Accept(a) => self.change_acceptances(Some(a), None),
            Action::Withdraw(a) => self.change_acceptances(None, Some(a)),
            Action::OpenExport => {
                if let Some(session) = self.session() {
                    self.export =
                        Some(export_ui::ExportState::new(&session.report, &self.settings));
                }
            }
            Action::CloseExport => self.export = None,
            Action::BrowseExport => {
                if let Some(export) = &self.export {
                    let suggested = export_ui::resolve_typed(&export.path, &self.settings);
                    self.open_dialog(DialogRequest::SaveExport { suggested });
                }
            }
            Action::Export {
                format,
                path,
                replace,
            } => self.export_to(format, path, replace),
            Action::SetTheme(theme) => self.settings.theme = theme,
            Action::SetLanguage(lang) => self.set_language(lang),
            Action::PickProfile(profile) => {
                self.start.profile = profile.clone();
                self.settings.profile = profile;
                self.start.identity = Pending::Idle;
                self.start.regions = Pending::Idle;
            }
            Action::PickHomeRegion(region) => {
                self.start.home_region = region.clone();
                self.settings.home_region = region;
                self.start.identity = Pending::Idle;
                self.start.regions = Pending::Idle;
            }
            Action::ResolveIdentity => self.resolve_identity(),
            Action::StartScan => self.start_scan(),
            Action::CancelScan => self.cancel_scan(),
            Action::OpenFix(item) => {
                self.history = None;
                self.open_fix(FixKind::Item(item));
            }
            Action::OpenFixEverything => {
                self.history = None;
                self.open_fix(FixKind::Everything);
            }
            Action::OpenUndo(run) => {
                self.history = None;
                self.open_fix(FixKind::Undo(run));
            }
            Action::CloseFix => {
                // A running fix keeps running to its end; only its window closes.
                if let Some(f) = &self.fixer {
                    f.cancel();
                }
                self.fixer = None;
            }
            Action::ConfirmFix => {
                if let Some(f) = &mut self.fixer
                    && matches!(f.phase, FixPhase::Review)
                    && f.cannot_run.is_none()
                    && f.changes() > 0
                {
                    f.phase = FixPhase::Confirm;
                }
            }
            Action::BackToPlan => {
                if let Some(f) = &mut self.fixer
                    && matches!(f.phase, FixPhase::Confirm)
                {
                    f.phase = FixPhase::Review;
                }
            }
            Action::RunFix => {
                if matches!(
                    self.fixer.as_ref().map(|f| &f.phase),
                    Some(FixPhase::Confirm)
                ) {
                    self.run_fix();
                }
            }
            Action::CancelFix => {
                if let Some(f) = &self.fixer {
                    f.cancel();
                }
            }
            Action::OpenHistory => {
                if !self.fix_running() {
                    self.open_history();
                }
            }
            Action::CloseHistory => self.history = None,
            Action::OpenScans => self.scans_open = true,
            Action::CloseScans => self.scans_open = false,
            Action::CheckChannel => self.check_channel(),
            Action::OpenDrill(item) => {
                self.history = None;
                self.open_fix(FixKind::Drill(item));
            }
            Action::RecordDrill(reached) => self.record_drill(false, reached),
            Action::RecordManual(reached) => self.record_drill(true, reached),
        }
    }

    fn change_acceptances(
        &mut self,
        accept: Option<crate::accepted::Acceptance>,
        withdraw: Option<crate::accepted::Acceptance>,
    ) {
        let Screen::Report(session) = &mut self.screen else {
            return;
        };
        let what = match (&accept, &withdraw) {
            (Some(a), _) => t!("actions.risk_accepted", until = a.until).into_owned(),
            _ => t!("actions.acceptance_withdrawn").into_owned(),
        };
        match session.change_acceptances(accept, withdraw.as_ref()) {
            Ok(()) => self.tell(what),
            Err(e) => self.fail(e),
        }
    }

    fn export_to(&mut self, format: Format, path: PathBuf, replace: bool) {
        let Some(session) = self.session() else {
            return;
        };
        let path = match path.to_str() {
            Some(typed) => export_ui::resolve_typed(typed, &self.settings),
            None => path,
        };
        // The file dialog already asked before it returned an existing file.
        let confirmed = self
            .export
            .as_ref()
            .is_some_and(|e| e.dialog_confirmed(&path));
        if path.exists() && !replace && !confirmed {
            if let Some(export) = &mut self.export {
                export.confirm_replace = Some(path);
            }
            return;
        }
        // JSON is for machines and stays in English; the other formats follow the language.
        let neutral;
        let report = if format == crate::output::Format::Json {
            neutral = session.neutral_report();
            &neutral
        } else {
            &session.report
        };
        let written = crate::output::render_bytes(report, &session.checklist, format)
            .map_err(|e| e.to_string())
            .and_then(|bytes| write_report(&path, &bytes));
        match written {
            Ok(()) => {
                self.settings.export_dir = path.parent().map(PathBuf::from);
                self.export = None;
                self.tell(t!("actions.exported", path = path.display()).into_owned());
            }
            Err(e) => {
                if let Some(export) = &mut self.export {
                    export.confirm_replace = None;
                    export.error = Some(e.clone());
                }
                self.fail(e);
            }
        }
    }
}

fn write_report(path: &Path, text: &[u8]) -> Result<(), String> {
    if path.is_dir() {
        return Err(t!("actions.is_folder", path = path.display()).into_owned());
    }
    std::fs::write(path, text)
        .map_err(|e| t!("actions.write_failed", path = path.display(), e = e).into_owned())
}

pub(super) fn send(tx: &Sender<Background>, ctx: Option<&egui::Context>, message: Background) {
    // The window may have closed meanwhile; then nobody is waiting for the message.
    let _ = tx.send(message);
    if let Some(ctx) = ctx {
        ctx.request_repaint();
    }
}

impl OnwatchApp {
    fn open_history(&mut self) {
        let (log, entries, error) = self.audit_entries();
        self.history = Some(super::history_ui::HistoryState {
            runs: super::fixing::runs(&entries),
            source: log.map_or_else(
                || t!("actions.no_data_folder").into_owned(),
                |l| t!("actions.audit_log", path = l.path().display()).into_owned(),
            ),
            error,
        });
    }
}
