//! Export: the format follows the file name, an existing file is only replaced when the
//! user says so, and the path field works without a file dialog.

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use onwatch::gui::{FileDialogs, OnwatchApp};

use super::{assert_named, config, harness, report, wait_until};

fn open_export(h: &mut Harness<'_, OnwatchApp>) {
    h.get_by_role_and_label(Role::Button, "Export report")
        .click();
    h.run();
    assert_named(h, "export dialog");
}

fn save(h: &mut Harness<'_, OnwatchApp>) {
    h.get_by_role_and_label(Role::Button, "Save export").click();
    h.run();
}

fn demo_with(dialogs: FileDialogs, dir: &Path) -> Harness<'static, OnwatchApp> {
    let mut cfg = config(dir);
    cfg.dialogs = dialogs;
    let mut h = harness(OnwatchApp::new(cfg));
    h.get_by_role_and_label(Role::Button, "Open the demo account")
        .click();
    h.run();
    h
}

fn exported(dir: &Path, ext: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == ext))
}

#[test]
fn export_writes_json_and_markdown_to_the_path_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = super::demo(dir.path());
    let report = report(&h);
    open_export(&mut h);
    h.get_by_role_and_label(Role::RadioButton, "JSON").click();
    h.run();
    save(&mut h);
    let json = exported(dir.path(), "json").expect("a JSON file in the export folder");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("read")).expect("JSON");
    assert_eq!(value["score"]["overall"].as_f64(), report.score.overall);
    assert!(
        h.state()
            .notice()
            .is_some_and(|n| !n.error && n.text.contains("exported"))
    );

    open_export(&mut h);
    save(&mut h);
    let md = json.with_extension("md");
    let text = std::fs::read_to_string(&md).expect("Markdown is the default format");
    assert!(text.contains(&report.items[0].title));
}

#[test]
fn a_json_file_name_from_the_save_dialog_gets_json_even_with_markdown_selected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("x.json");
    let picked = target.clone();
    // A person picks x.json in the dialog (it takes them a moment).
    let dialogs = FileDialogs::new(move |_| {
        std::thread::sleep(Duration::from_millis(400));
        Some(picked.clone())
    });
    let mut h = demo_with(dialogs, dir.path());
    open_export(&mut h);
    let markdown = h.get_by_role_and_label(Role::RadioButton, "Markdown");
    assert_eq!(
        markdown.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True),
        "Markdown is selected"
    );
    h.get_by_role_and_label(Role::Button, "Choose where to save")
        .click();
    h.step();
    wait_until(&mut h, "the save dialog", |app| !app.dialog_open());
    let json = h.get_by_role_and_label(Role::RadioButton, "JSON");
    assert_eq!(
        json.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True),
        "the extension picked the format"
    );
    save(&mut h);
    let text = std::fs::read_to_string(&target).expect("x.json was written");
    let value: serde_json::Value = serde_json::from_str(&text).expect("x.json holds JSON");
    assert!(value["score"].is_object());
}

#[test]
fn saving_over_an_existing_file_asks_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = super::demo(dir.path());
    open_export(&mut h);
    let field = h.get_by_role_and_label(Role::TextInput, "Save to");
    let path = PathBuf::from(field.value().expect("the field holds the suggested path"));
    std::fs::write(&path, "keep me").expect("write");

    save(&mut h);
    h.get_by_label_contains("already exists. Replace it?");
    assert_named(&h, "replace question");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "keep me");
    h.get_by_role_and_label(Role::Button, "Keep it: do not replace the file")
        .click();
    h.run();
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "keep me");
    assert!(
        h.query_by_label_contains("already exists. Replace it?")
            .is_none()
    );

    save(&mut h);
    h.get_by_role_and_label(Role::Button, "Replace the existing file")
        .click();
    h.run();
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(
        text.starts_with('#'),
        "the report replaced the file: {text:.40}"
    );
}

#[test]
fn a_file_the_save_dialog_confirmed_is_not_asked_about_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("report.md");
    std::fs::write(&target, "old").expect("write");
    let picked = target.clone();
    let dialogs = FileDialogs::new(move |_| {
        std::thread::sleep(Duration::from_millis(400));
        Some(picked.clone())
    });
    let mut h = demo_with(dialogs, dir.path());
    open_export(&mut h);
    h.get_by_role_and_label(Role::Button, "Choose where to save")
        .click();
    h.step();
    wait_until(&mut h, "the save dialog", |app| !app.dialog_open());
    save(&mut h);
    assert!(
        h.query_by_label_contains("already exists. Replace it?")
            .is_none()
    );
    assert!(
        std::fs::read_to_string(&target)
            .expect("read")
            .starts_with('#')
    );
}

#[test]
fn without_a_save_dialog_the_path_field_is_focused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = super::demo(dir.path());
    open_export(&mut h);
    h.get_by_role_and_label(Role::Button, "Choose where to save")
        .click();
    h.step();
    wait_until(&mut h, "the dialog to close", |app| !app.dialog_open());
    assert!(h.state().dialogs_missing());
    assert!(
        h.get_by_role_and_label(Role::TextInput, "Save to")
            .is_focused()
    );
    let choose = h.get_by_role_and_label(Role::Button, "Choose where to save");
    assert!(choose.accesskit_node().is_disabled());
    let notice = h.state().notice().expect("a notice");
    assert!(notice.text.contains("type the path"), "{notice:?}");
}

/// A bare file name typed in the path field lands in the export folder the field
/// suggested (not wherever the app was started), and the notice says where.
#[test]
fn a_typed_file_name_is_saved_in_the_export_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = super::demo(dir.path());
    open_export(&mut h);
    h.get_by_role_and_label(Role::TextInput, "Save to").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Save to")
        .type_text("typed-report.json");
    h.run();
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "Save to")
            .value()
            .as_deref(),
        Some("typed-report.json")
    );
    save(&mut h);
    let written = dir.path().join("typed-report.json");
    let text = std::fs::read_to_string(&written).expect("saved in the export folder");
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
    assert!(
        !Path::new("typed-report.json").exists(),
        "nothing written to the working directory"
    );
    let notice = h.state().notice().expect("a notice").text.clone();
    assert!(
        notice.contains(&written.display().to_string()),
        "{notice:?}"
    );
}
