//! Native file dialogs (rfd: the desktop portal, else zenity), one at a time, each on a
//! thread of its own because it blocks until the user answers.
//!
//! rfd answers None both when the user cancels and when no dialog can be shown at all
//! (no portal, no zenity). A person needs more than [`NO_DIALOG_WITHIN`] to cancel a
//! dialog, so a None that comes back sooner means there is no dialog: the window says so
//! once, sends the user to the path field, and stops offering the button.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::t;

use super::{Background, send};

/// A None answered faster than this means no dialog was shown.
pub const NO_DIALOG_WITHIN: Duration = Duration::from_millis(300);

/// What a dialog is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogRequest {
    OpenSnapshot,
    /// Save the report; `suggested` fills the dialog's folder and file name.
    SaveExport {
        suggested: PathBuf,
    },
}

type Show = dyn Fn(&DialogRequest) -> Option<PathBuf> + Send + Sync;

/// Shows a file dialog and waits for the answer.
#[derive(Clone)]
pub struct FileDialogs(Arc<Show>);

impl std::fmt::Debug for FileDialogs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileDialogs") // i18n: technical
    }
}

impl FileDialogs {
    /// The system's dialogs.
    pub fn native() -> Self {
        FileDialogs::new(native)
    }

    /// Dialogs answered by `show` (tests stand in for the desktop with it).
    pub fn new(show: impl Fn(&DialogRequest) -> Option<PathBuf> + Send + Sync + 'static) -> Self {
        FileDialogs(Arc::new(show))
    }

    /// Shows the dialog on its own thread and reports back when it closes.
    pub(super) fn spawn(
        &self,
        request: DialogRequest,
        tx: std::sync::mpsc::Sender<Background>,
        ctx: Option<egui::Context>,
    ) {
        let show = Arc::clone(&self.0);
        std::thread::spawn(move || {
            let started = Instant::now();
            let picked = show(&request);
            let open_for = started.elapsed();
            send(
                &tx,
                ctx.as_ref(),
                Background::DialogClosed {
                    request,
                    picked,
                    open_for,
                },
            );
        });
    }
}

fn native(request: &DialogRequest) -> Option<PathBuf> {
    match request {
        DialogRequest::OpenSnapshot => rfd::FileDialog::new()
            .set_title(t!("dialogs.open_snapshot_title"))
            .add_filter(t!("dialogs.snapshot_filter"), &["json"])
            .pick_file(),
        DialogRequest::SaveExport { suggested } => {
            let mut dialog = rfd::FileDialog::new()
                .set_title(t!("dialogs.export_title"))
                .add_filter("Markdown", &["md"]) // i18n: technical
                .add_filter("JSON", &["json"]);
            if let Some(dir) = suggested.parent() {
                dialog = dialog.set_directory(dir);
            }
            if let Some(name) = suggested.file_name() {
                dialog = dialog.set_file_name(name.to_string_lossy());
            }
            dialog.save_file()
        }
    }
}

/// What the window knows about file dialogs.
#[derive(Debug, Default)]
pub struct DialogState {
    /// A dialog is open: no second one until it closes.
    pub open: bool,
    /// No dialog can be shown on this system; the path fields are the way.
    pub missing: bool,
    /// A dialog has worked at least once, so a fast None is a quick cancel.
    pub worked: bool,
}

impl DialogState {
    /// Whether a None that came back after `open_for` means "no dialog".
    pub fn means_missing(&self, picked: &Option<PathBuf>, open_for: Duration) -> bool {
        picked.is_none() && !self.worked && open_for < NO_DIALOG_WITHIN
    }
}

/// What a panel needs to know to draw a button that opens a dialog.
#[derive(Debug, Clone, Copy)]
pub struct Offer {
    pub open: bool,
    pub missing: bool,
}

impl DialogState {
    pub fn offer(&self) -> Offer {
        Offer {
            open: self.open,
            missing: self.missing,
        }
    }
}

impl Offer {
    /// The button, disabled while a dialog is open or when none can be shown.
    pub fn button(self, ui: &mut egui::Ui, text: &str, name: &str) -> egui::Response {
        let button = ui.add_enabled(!self.open && !self.missing, egui::Button::new(text));
        let button = super::widgets::named(button, text, name);
        if self.missing {
            button.on_disabled_hover_text(t!("dialogs.missing"))
        } else if self.open {
            button.on_disabled_hover_text(t!("dialogs.already_open"))
        } else {
            button
        }
    }
}
