//! The onwatch window (eframe/egui). It lives in the library so tests can build it.
//!
//! Drawing never mutates the opened account: panels push [`Action`]s, applied after
//! the frame. Slow work (file dialogs, AWS calls) runs off the UI thread and reports
//! back over a channel, followed by a repaint request.

mod actions;
mod evidence_ui;
mod export_ui;
mod item_ui;
mod list_ui;
mod live;
pub mod profiles;
mod report_ui;
mod scan_ui;
pub mod session;
pub mod settings;
mod start_ui;
mod widgets;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::answers::Answer;
use crate::checklist::Checklist;
use crate::collect::ScanOptions;
use crate::output::Format;
use crate::report::Report;
use crate::snapshot::AccountSnapshot;
use actions::send;

pub use profiles::{AwsFiles, AwsProfile, ProfileKind, parse_profiles};
pub use session::{AnswerStore, Origin, Row, Session, StatusFilter, visible_rows};
pub use settings::{SETTINGS_KEY, Settings, ThemeChoice};

/// What the window is built from. Tests point the paths at temporary folders.
pub struct AppConfig {
    pub answers: AnswerStore,
    pub aws_files: AwsFiles,
    /// Runs AWS calls; None disables live scans (tests of the offline views).
    pub runtime: Option<tokio::runtime::Handle>,
    /// What every live call starts from (the profile and regions are the user's
    /// choice); tests set `sdk_config` to reach a local AWS endpoint.
    pub scan_base: ScanOptions,
    /// None loads the effective checklist (built-in plus the user's folder).
    pub checklist: Option<Checklist>,
    pub settings: Settings,
}

impl AppConfig {
    /// The user's real folders and files.
    pub fn user(runtime: Option<tokio::runtime::Handle>, settings: Settings) -> Self {
        AppConfig {
            answers: AnswerStore::user(),
            aws_files: AwsFiles::from_env(),
            runtime,
            scan_base: ScanOptions::default(),
            checklist: None,
            settings,
        }
    }
}

/// What a panel asks for; applied after the frame.
#[derive(Debug)]
pub enum Action {
    OpenDemo,
    OpenSnapshot(PathBuf),
    BrowseSnapshot,
    BackToStart,
    Select(usize),
    SetAnswer { id: String, answer: Option<Answer> },
    OpenExport,
    CloseExport,
    BrowseExport,
    Export { format: Format, path: PathBuf },
    SetTheme(ThemeChoice),
    PickProfile(Option<String>),
    ResolveIdentity,
    StartScan,
    CancelScan,
}

/// The identity a profile resolves to, as the start screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityView {
    pub account_id: String,
    pub arn: String,
}

/// A value being fetched in the background.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Pending<T> {
    #[default]
    Idle,
    Loading,
    Done(Result<T, String>),
}

/// One step of a live scan, as the progress screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanStep {
    Started {
        total: usize,
    },
    TaskFinished {
        service: String,
        region: String,
        ok: bool,
        done: usize,
        total: usize,
    },
    Finished,
}

/// What background work sends back to the UI thread.
#[derive(Debug)]
pub enum Background {
    SnapshotPicked(Option<PathBuf>),
    ExportPicked(Option<PathBuf>),
    Identity {
        profile: Option<String>,
        result: Result<IdentityView, String>,
    },
    Regions {
        profile: Option<String>,
        result: Result<Vec<String>, String>,
    },
    ScanStep {
        scan: u64,
        step: ScanStep,
    },
    ScanDone {
        scan: u64,
        result: Result<Box<AccountSnapshot>, String>,
    },
}

pub struct StartState {
    pub profiles: Vec<AwsProfile>,
    pub profile_problems: Vec<String>,
    pub profile: Option<String>,
    pub identity: Pending<IdentityView>,
    pub regions: Pending<Vec<String>>,
    pub chosen_regions: BTreeSet<String>,
    pub snapshot_path: String,
    pub error: Option<String>,
}

pub struct ScanState {
    pub id: u64,
    pub profile: Option<String>,
    pub total: usize,
    pub done: usize,
    /// (service, region, ok), newest last.
    pub tasks: Vec<(String, String, bool)>,
    pub task: Option<tokio::task::JoinHandle<()>>,
}

pub enum Screen {
    Start,
    Scanning(ScanState),
    Report(Box<Session>),
}

/// A message at the bottom of the window: what just happened, or what failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

pub struct OnwatchApp {
    answers: AnswerStore,
    runtime: Option<tokio::runtime::Handle>,
    checklist: Result<Checklist, String>,
    pub settings: Settings,
    screen: Screen,
    start: StartState,
    list: list_ui::ListState,
    detail: item_ui::DetailState,
    export: Option<export_ui::ExportState>,
    notice: Option<Notice>,
    actions: Vec<Action>,
    tx: Sender<Background>,
    rx: Receiver<Background>,
    ctx: Option<egui::Context>,
    applied_theme: Option<ThemeChoice>,
    scan_base: ScanOptions,
    next_scan: u64,
}

impl OnwatchApp {
    pub fn new(config: AppConfig) -> Self {
        let checklist = match config.checklist {
            Some(c) => Ok(c),
            None => crate::checklist::load_effective().map_err(|errors| {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                format!(
                    "the checklist is invalid; fix or remove the file named below:\n{}",
                    lines.join("\n")
                )
            }),
        };
        let (profiles, profile_problems) = config.aws_files.profiles();
        let (tx, rx) = channel();
        let start = StartState {
            profiles,
            profile_problems,
            profile: config.settings.profile.clone(),
            identity: Pending::Idle,
            regions: Pending::Idle,
            chosen_regions: config.settings.regions.iter().cloned().collect(),
            snapshot_path: String::new(),
            error: None,
        };
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
            notice: None,
            actions: Vec::new(),
            tx,
            rx,
            ctx: None,
            applied_theme: None,
            scan_base: config.scan_base,
            next_scan: 1,
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

    /// Queues an action as if a panel had asked for it (the next frame applies it).
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
        self.repaint();
    }

    /// Opens the bundled demo account.
    pub fn open_demo(&mut self) {
        match crate::demo::snapshot() {
            Ok(snapshot) => self.open_snapshot(Origin::Demo, snapshot),
            Err(e) => self.fail(format!("the demo account could not be opened: {e}")),
        }
    }

    /// Opens an account from a snapshot already in memory.
    pub fn open_snapshot(&mut self, origin: Origin, snapshot: AccountSnapshot) {
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

    fn fail(&mut self, text: String) {
        self.notice = Some(Notice { text, error: true });
    }

    fn tell(&mut self, text: String) {
        self.notice = Some(Notice { text, error: false });
    }

    fn repaint(&self) {
        if let Some(ctx) = &self.ctx {
            ctx.request_repaint();
        }
    }

    /// Draws the whole window into `ui` (eframe's root ui, or a test harness's).
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if self.ctx.is_none() {
            self.ctx = Some(ui.ctx().clone());
        }
        if self.applied_theme != Some(self.settings.theme) {
            ui.ctx().set_theme(self.settings.theme.preference());
            self.applied_theme = Some(self.settings.theme);
        }
        self.poll_background();
        self.status_bar_ui(ui);
        match &mut self.screen {
            Screen::Start => start_ui::start_ui(
                ui,
                &mut self.start,
                self.runtime.is_some(),
                &mut self.actions,
            ),
            Screen::Scanning(scan) => scan_ui::scan_ui(ui, scan, &mut self.actions),
            Screen::Report(session) => report_ui::report_ui(
                ui,
                session,
                &mut self.list,
                &mut self.detail,
                self.settings.theme,
                &mut self.actions,
            ),
        }
        if let (Some(export), Screen::Report(session)) = (&mut self.export, &self.screen) {
            export_ui::export_ui(ui, export, &session.report, &mut self.actions);
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
                if widgets::named(ui.small_button("Dismiss"), "Dismiss message").clicked() {
                    self.notice = None;
                }
                ui.add(egui::Label::new(egui::RichText::new(&notice.text).color(color)).wrap());
            });
        });
    }
}

impl eframe::App for OnwatchApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        OnwatchApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Screen::Scanning(_) | Screen::Start = self.screen {
            self.settings.regions = self.start.chosen_regions.iter().cloned().collect();
        }
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

/// Opens the window; `demo` opens it on the demo account. The tokio runtime lives here,
/// outside the UI thread, for as long as the window is open.
pub fn run(demo: bool) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("onwatch-aws")
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("onwatch: error: could not start the background runtime: {e}");
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
            eprintln!(
                "onwatch: error: could not open the window: {e}. Without a display, use `onwatch scan --demo` or `onwatch scan`."
            );
            ExitCode::from(2)
        }
    }
}
