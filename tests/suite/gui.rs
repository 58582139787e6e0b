//! The window, driven through its accessibility tree (egui_kittest; no display, no GPU).
//! After every screen a test reaches, [`assert_named`] checks that each control on it
//! (button, checkbox, text field, combo box, radio button, link) has a non-empty
//! accessible name.

mod big_fix;
mod export;
mod fix;
mod japanese;
mod keyboard;
mod live;
mod permissions;
mod report;
mod scans;
mod start;

use std::path::Path;
use std::time::{Duration, Instant};

use egui::OutputCommand;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use onwatch::gui::{AnswerStore, AppConfig, AwsFiles, FileDialogs, OnwatchApp, Settings};
use onwatch::report::Report;

pub fn config(dir: &Path) -> AppConfig {
    AppConfig {
        answers: AnswerStore {
            data_dir: Some(dir.join("data")),
        },
        aws_files: AwsFiles {
            config: Some(dir.join("aws/config")),
            credentials: Some(dir.join("aws/credentials")),
        },
        runtime: None,
        scan_base: Default::default(),
        checklist: Some(onwatch::checklist::load_builtin().expect("the built-in checklist loads")),
        settings: Settings {
            export_dir: Some(dir.to_path_buf()),
            ..Settings::default()
        },
        // No desktop here: a dialog comes back at once with nothing, as rfd does
        // where there is no portal and no zenity.
        dialogs: FileDialogs::new(|_| None),
    }
}

pub fn harness(app: OnwatchApp) -> Harness<'static, OnwatchApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut OnwatchApp| app.ui(ui), app)
}

/// The demo opened from the start screen, as a user would.
pub fn demo(dir: &Path) -> Harness<'static, OnwatchApp> {
    let mut h = harness(OnwatchApp::new(config(dir)));
    h.run();
    assert_named(&h, "start screen");
    h.get_by_role_and_label(Role::Button, "Open the demo account")
        .click();
    h.run();
    assert!(h.state().report().is_some(), "the demo account is open");
    assert_named(&h, "main view on the demo");
    h
}

pub fn report(h: &Harness<'_, OnwatchApp>) -> Report {
    h.state().report().expect("an account is open").clone()
}

pub fn score_label(report: &Report) -> String {
    onwatch::output::score_label(report.score.overall)
}

/// The roles a user acts on, each of which must have a name.
const CONTROLS: [Role; 9] = [
    Role::Button,
    Role::DefaultButton,
    Role::CheckBox,
    Role::TextInput,
    Role::MultilineTextInput,
    Role::SearchInput,
    Role::ComboBox,
    Role::RadioButton,
    Role::Link,
];

/// Every control on screen has a non-empty accessible name (its own label, or the
/// label it is `labelled_by`). A placeholder does not count: it vanishes once the user
/// types.
#[track_caller]
pub fn assert_named(h: &Harness<'_, OnwatchApp>, screen: &str) {
    let controls = h
        .query_all_by(|n| CONTROLS.contains(&n.role()) && !n.is_hidden())
        .count();
    assert!(controls > 0, "{screen}: no controls in the tree at all");
    let unnamed: Vec<String> = h
        .query_all_by(|n| {
            CONTROLS.contains(&n.role())
                && !n.is_hidden()
                && n.label().is_none_or(|l| l.trim().is_empty())
        })
        .map(|n| {
            let node = n.accesskit_node();
            format!(
                "{:?} {:?} value {:?}",
                node.role(),
                node.raw_bounds(),
                node.value()
            )
        })
        .collect();
    assert!(
        unnamed.is_empty(),
        "{screen}: {} of {controls} controls have no accessible name:\n{}",
        unnamed.len(),
        unnamed.join("\n")
    );
}

/// Whether a button's name is an item's list row (the detail's "Fix <title>" and "Test
/// the path: <title>" buttons name the title too).
fn is_row(label: &str, title: &str) -> bool {
    label.contains(title) && !label.starts_with("Fix ") && !label.starts_with("Test the path: ")
}

pub fn item_row_count(h: &Harness<'_, OnwatchApp>, title: &str) -> usize {
    h.query_all_by(|n| n.role() == Role::Button && n.label().is_some_and(|l| is_row(&l, title)))
        .count()
}

/// Clicks an item's list row (a button whose name holds the title). The list only
/// builds the rows on screen, so an item further down is found the way a user would:
/// by searching for it.
pub fn click_item(h: &mut Harness<'_, OnwatchApp>, title: &str) {
    if item_row_count(h, title) == 0 {
        let search = h.get_by_role_and_label(Role::TextInput, "Search");
        search.focus();
        search.type_text(title);
        h.run();
    }
    h.get_by(|n| n.role() == Role::Button && n.label().is_some_and(|l| is_row(&l, title)))
        .click();
    h.run();
}

/// What the last frame put on the clipboard. A click is three events, one frame each;
/// call right after `step()`, before more frames replace the output.
pub fn copied(h: &Harness<'_, OnwatchApp>) -> Vec<String> {
    h.output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The URLs the last frame asked the system to open.
pub fn opened_urls(h: &Harness<'_, OnwatchApp>) -> Vec<String> {
    h.output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            OutputCommand::OpenUrl(open) => Some(open.url.clone()),
            _ => None,
        })
        .collect()
}

/// Steps the window (without waiting for it to settle: spinners animate) until `done`.
pub fn wait_until(h: &mut Harness<'_, OnwatchApp>, what: &str, done: impl Fn(&OnwatchApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(240);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.step();
    h.step();
}
