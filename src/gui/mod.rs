//! The onwatch window (eframe/egui). It lives in the library so tests can build it.
//!
//! Drawing never mutates the opened account: panels push [`Action`]s, applied after
//! the frame. Slow work (file dialogs, AWS calls) runs off the UI thread and reports
//! back over a channel, followed by a repaint request.

mod accept_ui;
mod actions;
mod app;
pub mod dialogs;
mod evidence_ui;
mod export_ui;
mod fix_run;
mod fix_run_ui;
mod fix_ui;
pub mod fixing;
mod fonts;
mod history_ui;
mod item_ui;
mod list_ui;
mod live;
mod permissions;
mod plan_ui;
pub mod problems;
pub mod profiles;
pub mod regions;
mod regions_ui;
mod report_ui;
mod scan_ui;
pub mod scans;
mod scans_ui;
pub mod session;
pub mod settings;
mod start_ui;
mod widgets;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use crate::answers::Answer;
use crate::checklist::Checklist;
use crate::collect::ScanOptions;
use crate::output::Format;
use crate::snapshot::AccountSnapshot;
use actions::send;

pub use app::{OnwatchApp, run};
pub use dialogs::{DialogRequest, FileDialogs};
pub use problems::{Problem, ProblemKind};
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
    /// Opens the native file dialogs; tests stand in for the desktop.
    pub dialogs: FileDialogs,
}

impl AppConfig {
    /// The user's real folders, files and file dialogs.
    pub fn user(runtime: Option<tokio::runtime::Handle>, settings: Settings) -> Self {
        AppConfig {
            answers: AnswerStore::user(),
            aws_files: AwsFiles::from_env(),
            runtime,
            scan_base: ScanOptions::default(),
            checklist: None,
            settings,
            dialogs: FileDialogs::native(),
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
    SetAnswer {
        id: String,
        answer: Option<Answer>,
    },
    /// Accept a risk (replacing an acceptance of the same finding or item).
    Accept(crate::accepted::Acceptance),
    /// Withdraw an acceptance: what it covered fails again.
    Withdraw(crate::accepted::Acceptance),
    OpenExport,
    CloseExport,
    BrowseExport,
    /// `replace`: the user agreed to overwrite an existing file.
    Export {
        format: Format,
        path: PathBuf,
        replace: bool,
    },
    SetTheme(ThemeChoice),
    /// None follows the system's language.
    SetLanguage(Option<crate::i18n::Lang>),
    PickProfile(Option<String>),
    /// None: the region the profile or AWS_REGION names.
    PickHomeRegion(Option<String>),
    ResolveIdentity,
    StartScan,
    CancelScan,
    /// The fix window for one item.
    OpenFix(String),
    /// The fix window over every failing item that has a fix.
    OpenFixEverything,
    /// The undo of one run, from the history.
    OpenUndo(String),
    CloseFix,
    /// From the plan to the one confirmation.
    ConfirmFix,
    BackToPlan,
    /// The user confirmed: run the ticked plans.
    RunFix,
    /// Stop before the next step.
    CancelFix,
    OpenHistory,
    CloseHistory,
    OpenScans,
    CloseScans,
    /// Read again whether the channel's subscriptions are confirmed.
    CheckChannel,
    /// The fire drill window for an item's alert routes.
    OpenDrill(String),
    /// The person's answer to a drill: did it reach them?
    RecordDrill(bool),
    /// The person's answer for routes AWS cannot test: do those alerts reach them?
    RecordManual(bool),
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
    Done(Result<T, Problem>),
}

/// One step of a live scan, as the progress screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanStep {
    Started {
        total: usize,
        /// (service, region) of every read the scan will make.
        planned: Vec<(String, String)>,
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
    /// A file dialog closed: `picked` is None on cancel, and also when no dialog could
    /// be shown at all; `open_for` tells the two apart.
    DialogClosed {
        request: DialogRequest,
        picked: Option<PathBuf>,
        open_for: Duration,
    },
    Identity {
        profile: Option<String>,
        result: Result<IdentityView, Problem>,
    },
    Regions {
        profile: Option<String>,
        result: Result<Vec<String>, Problem>,
    },
    ScanStep {
        scan: u64,
        step: ScanStep,
    },
    ScanDone {
        scan: u64,
        result: Result<Box<AccountSnapshot>, Problem>,
    },
    /// The saved scans of the account opened at `collected_at`, read and judged.
    Scans {
        account: String,
        collected_at: chrono::DateTime<chrono::Utc>,
        loaded: Result<scans::Loaded, String>,
    },
    /// Progress of the fix window's run `fix`.
    Fix {
        fix: u64,
        message: fix_run::FixMessage,
    },
}

pub struct StartState {
    pub profiles: Vec<AwsProfile>,
    pub profile_problems: Vec<String>,
    pub profile: Option<String>,
    /// The region STS and EC2 are asked in when the profile names none.
    pub home_region: Option<String>,
    pub identity: Pending<IdentityView>,
    pub regions: Pending<Vec<String>>,
    pub chosen_regions: BTreeSet<String>,
    /// Regions the user typed in (only offered when the account's list is unreadable).
    pub typed_region: String,
    pub extra_regions: BTreeSet<String>,
    pub snapshot_path: String,
    /// Why the last scan failed.
    pub error: Option<Problem>,
    /// Why the last snapshot did not open.
    pub snapshot_error: Option<String>,
}

pub struct ScanState {
    pub id: u64,
    pub profile: Option<String>,
    pub total: usize,
    pub done: usize,
    /// (service, region) of every read the scan will make, as announced when it started.
    pub planned: Vec<(String, String)>,
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
