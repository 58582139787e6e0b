//! The window's state and its frame: which screen is up, what the panels asked for,
//! and what background work reported.

use std::process::ExitCode;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::t;

use super::dialogs::{DialogState, FileDialogs};
use super::{
    Action, AnswerStore, AppConfig, Background, Notice, Origin, Pending, SETTINGS_KEY, Screen,
    Session, Settings, StartState, ThemeChoice, export_ui, item_ui, list_ui, report_ui, scan_ui,
    start_ui, widgets,
};
use crate::checklist::Checklist;
use crate::collect::ScanOptions;
use crate::report::Report;
use crate::snapshot::AccountSnapshot;

pub struct OnwatchApp {
    pub(super) answers: AnswerStore,
    pub(super) runtime: Option<tokio::runtime::Handle>,
    pub(super) checklist: Result<Checklist, String>,
    pub settings: Settings,
    pub(super) screen: Screen,
    pub(super) start: StartState,
    pub(super) list: list_ui::ListState,
    pub(super) detail: item_ui::DetailState,
    pub(super) export: Option<export_ui::ExportState>,
    pub(super) fixer: Option<super::fixing::FixState>,
    pub(super) next_fix: u64,
    pub(super) history: Option<super::history_ui::HistoryState>,
    /// Whether the "Scan history" window is open.
    pub(super) scans_open: bool,
    pub(super) notice: Option<Notice>,
    pub(super) actions: Vec<Action>,
    pub(super) tx: Sender<Background>,
    pub(super) rx: Receiver<Background>,
    pub(super) ctx: Option<egui::Context>,
    applied_theme: Option<ThemeChoice>,
    pub(super) scan_base: ScanOptions,
    pub(super) next_scan: u64,
    pub(super) dialogs: FileDialogs,
    pub(super) dialog: DialogState,
    /// A text field to focus on the next frame (the path field, when no file dialog
    /// can be shown).
    pub(super) focus: Option<egui::Id>,
    /// `--lang`, for this run only (not saved).
    lang_flag: Option<crate::i18n::Lang>,
}

impl OnwatchApp {
    pub fn new(config: AppConfig) -> Self {
        let checklist = match config.checklist {
            Some(c) => Ok(c),
            None => crate::checklist::load_effective().map_err(|errors| {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                t!("app.checklist_invalid", errors = lines.join("\n")).into_owned()
            }),
        };
        let (profiles, profile_problems) = config.aws_files.profiles();
        let (tx, rx) = channel();
        let start = StartState {
            profiles,
            profile_problems,
            profile: config.settings.profile.clone(),
            home_region: config.settings.home_region.clone(),
            identity: Pending::Idle,
            regions: Pending::Idle,
            chosen_regions: config.settings.regions.iter().cloned().collect(),
            typed_region: String::new(),
            extra_regions: Default::default(),
            snapshot_path: String::new(),
            error: None,
            snapshot_error: None,
        };
        if let Some(lang) = config.settings.language {
            crate::i18n::set(lang);
        }
        OnwatchApp {
            answers: config.answers,
            runtime: config.runtime,
            checklist,
            settings: config.settings,
            screen: Screen::Start,
            start,
            list: list_ui::ListState::default(),
            detail: item_ui::DetailState::default(),
            export: None,
            fixer: None,
            next_fix: 1,
            history: None,
            scans_open: false,
            notice: None,
            actions: Vec::new(),
            tx,
            rx,
            ctx: None,
            applied_theme: None,
            scan_base: config.scan_base,
            next_scan: 1,
            dialogs: config.dialogs,
            dialog: DialogState::default(),
            focus: None,
            lang_flag: None,
        }
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    pub fn session(&self) -> Option<&Session> {
        match &self.screen {
            Screen::Report(s) => Some(s),
            _ => None,
        }
    }

    pub fn report(&self) -> Option<&Report> {
        self.session().map(|s| &s.report)
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub fn start_state(&self) -> &StartState {
        &self.start
    }

    /// The item the detail panel shows (an index into the report's items).
    pub fn selected(&self) -> Option<usize> {
        self.list.selected
    }

    /// The fix window's state, when it is open.
    pub fn fixer(&self) -> Option<&super::fixing::FixState> {
        self.fixer.as_ref()
    }

    /// Whether a file dialog is open now.
    pub fn dialog_open(&self) -> bool {
        self.dialog.open
    }

    /// Whether the window found that no file dialog can be shown here.
    pub fn dialogs_missing(&self) -> bool {
        self.dialog.missing
    }

    /// Queues an action as if a panel had asked for it (the next frame applies it).
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
        self.repaint();
    }

    /// Hands the window a message as if background work had sent it (the next frame
    /// reads it).
    pub fn deliver(&mut self, message: Background) {
        super::send(&self.tx, self.ctx.as_ref(), message);
    }

    /// Opens the bundled demo account.
    pub fn open_demo(&mut self) {
        match crate::demo::snapshot() {
            Ok(snapshot) => self.open_snapshot(Origin::Demo, snapshot),
            Err(e) => self.fail(t!("app.demo_failed", e = e).into_owned()),
        }
    }

    /// Opens an account from a snapshot already in memory, and starts reading its saved
    /// scans for the trend and "since the last scan".
    pub fn open_snapshot(&mut self, origin: Origin, snapshot: AccountSnapshot) {
        self.open_session(origin, snapshot);
        self.load_scans();
    }

    /// Reads the account's saved scans on a worker thread; the result arrives as a
    /// [`Background::Scans`] message.
    pub(super) fn load_scans(&mut self) {
        let (Some(dir), Screen::Report(session)) =
            (self.answers.data_dir.clone(), &mut self.screen)
        else {
            return;
        };
        session.scans = super::scans::Scans::Loading;
        let account = session.snapshot.account.id.clone();
        let collected_at = session.snapshot.collected_at;
        let checklist = session.checklist.clone();
        let answers = session.answers.clone();
        let (tx, ctx) = (self.tx.clone(), self.ctx.clone());
        let spawned = std::thread::Builder::new()
            .name("onwatch-scans".into())
            .spawn(move || {
                let loaded = super::scans::load(&dir, &account, collected_at, &checklist, &answers);
                super::send(
                    &tx,
                    ctx.as_ref(),
                    Background::Scans {
                        account,
                        collected_at,
                        loaded,
                    },
                );
            });
        if let Err(e) = spawned {
            session.scans =
                super::scans::Scans::Failed(t!("app.scans_not_started", e = e).into_owned());
        }
    }

    pub(super) fn open_session(&mut self, origin: Origin, snapshot: AccountSnapshot) {
        // A fix window belongs to the account it was opened on.
        self.leave_fix();
        self.scans_open = false;
        let checklist = match &self.checklist {
            Ok(c) => c.clone(),
            Err(e) => return self.fail(e.clone()),
        };
        let session = Session::open(origin, checklist, snapshot, &self.answers);
        self.notice = session.warnings.first().map(|w| Notice {
            text: w.clone(),
            error: true,
        });
        self.list = list_ui::ListState::default();
        self.list.selected = session
            .report
            .items
            .iter()
            .position(|i| i.status.is_failing())
            .or((!session.report.items.is_empty()).then_some(0));
        self.detail = item_ui::DetailState::default();
        self.screen = Screen::Report(Box::new(session));
    }

    pub(super) fn fail(&mut self, text: String) {
        self.notice = Some(Notice { text, error: true });
    }

    pub(super) fn tell(&mut self, text: String) {
        self.notice = Some(Notice { text, error: false });
    }

    fn repaint(&self) {
        if let Some(ctx) = &self.ctx {
            ctx.request_repaint();
        }
    }

    /// The language the Language menu shows as chosen: `--lang` for this run, else the
    /// saved choice (None: the system's).
    fn shown_language(&self) -> Option<crate::i18n::Lang> {
        self.lang_flag.or(self.settings.language)
    }

    /// Makes `--lang` this run's language without saving it as the user's choice.
    pub fn set_language_for_this_run(&mut self, lang: crate::i18n::Lang) {
        self.lang_flag = Some(lang);
        crate::i18n::set(lang);
    }

    /// Switches every text to `lang` (None: the system's language) and remembers it.
    pub(super) fn set_language(&mut self, lang: Option<crate::i18n::Lang>) {
        self.lang_flag = None;
        self.settings.language = lang;
        crate::i18n::set(lang.unwrap_or_else(crate::i18n::Lang::from_environment));
        if let Screen::Report(session) = &mut self.screen {
            session.relocalize();
        }
    }

    /// Draws the whole window into `ui` (eframe's root ui, or a test harness's).
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if self.ctx.is_none() {
            self.ctx = Some(ui.ctx().clone());
            super::fonts::install(ui.ctx());
        }
        if self.applied_theme != Some(self.settings.theme) {
            ui.ctx().set_theme(self.settings.theme.preference());
            self.applied_theme = Some(self.settings.theme);
        }
        self.poll_background();
        self.status_bar_ui(ui);
        let dialogs = self.dialog.offer();
        let language = self.shown_language();
        match &mut self.screen {
            Screen::Start => start_ui::start_ui(
                ui,
                &mut self.start,
                self.runtime.is_some(),
                self.settings.theme,
                language,
                dialogs,
                &mut self.actions,
            ),
            Screen::Scanning(scan) => scan_ui::scan_ui(ui, scan, &mut self.actions),
            Screen::Report(session) => report_ui::report_ui(
                ui,
                session,
                &mut self.list,
                &mut self.detail,
                self.settings.theme,
                language,
                &mut self.actions,
            ),
        }
        if let (Some(export), Screen::Report(_)) = (&mut self.export, &self.screen) {
            export_ui::export_ui(ui, export, dialogs, &mut self.actions);
        }
        if let (Some(history), Screen::Report(_)) = (&self.history, &self.screen) {
            super::history_ui::history_ui(ui, history, &mut self.actions);
        }
        if let (true, Screen::Report(session)) = (self.scans_open, &self.screen) {
            super::scans_ui::scans_ui(ui, session, &mut self.actions);
        }
        if matches!(self.screen, Screen::Report(_)) {
            self.replan();
            self.check_permissions();
        }
        if let (Some(fixer), Screen::Report(session)) = (&mut self.fixer, &self.screen) {
            super::fix_ui::fix_ui(ui, fixer, &session.report.account, &mut self.actions);
        }
        // After the fields are drawn, so the id names a widget of this frame.
        if let Some(id) = self.focus.take() {
            ui.memory_mut(|m| m.request_focus(id));
        }
        let actions = std::mem::take(&mut self.actions);
        if !actions.is_empty() {
            for action in actions {
                self.apply(action);
            }
            ui.ctx().request_repaint();
        }
    }

    fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        let Some(notice) = self.notice.clone() else {
            return;
        };
        egui::Panel::bottom("notice").show(ui, |ui| {
            ui.horizontal(|ui| {
                let color = if notice.error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                let dismiss = ui.small_button(t!("app.dismiss"));
                if widgets::named(dismiss, &t!("app.dismiss"), &t!("app.dismiss_name")).clicked() {
                    self.notice = None;
                }
                ui.add(egui::Label::new(egui::RichText::new(&notice.text).color(color)).wrap());
            });
        });
    }

    /// What the window remembers, as of now.
    pub fn settings_to_save(&self) -> Settings {
        let mut settings = self.settings.clone();
        if let Screen::Scanning(_) | Screen::Start = self.screen {
            settings.regions = self.start.chosen_regions.iter().cloned().collect();
        }
        settings.profile = self.start.profile.clone();
        settings.home_region = self.start.home_region.clone();
        settings
    }
}

impl eframe::App for OnwatchApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        OnwatchApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings_to_save());
    }
}

/// Opens the window; `demo` opens it on the demo account. The tokio runtime lives here,
/// outside the UI thread, for as long as the window is open.
pub fn run(demo: bool, lang: Option<crate::i18n::Lang>) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("onwatch-aws")
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{}", t!("app.no_runtime", e = e));
            return ExitCode::from(2);
        }
    };
    let handle = runtime.handle().clone();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("onwatch")
            .with_app_id("onwatch")
            .with_inner_size([1320.0, 860.0])
            .with_min_inner_size([760.0, 480.0]),
        ..Default::default()
    };
    let result = eframe::run_native(
        "onwatch",
        options,
        Box::new(move |cc| {
            let settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
                .unwrap_or_default();
            let mut app = OnwatchApp::new(AppConfig::user(Some(handle), settings));
            // --lang wins over the language saved in the window's settings (for this
            // run; the saved choice stays).
            if let Some(lang) = lang {
                app.set_language_for_this_run(lang);
            }
            if demo {
                app.open_demo();
            }
            Ok(Box::new(app))
        }),
    );
    drop(runtime);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", t!("app.no_window", e = e));
            ExitCode::from(2)
        }
    }
}
