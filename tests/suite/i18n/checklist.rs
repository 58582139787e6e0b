//! The checklist in Japanese: every built-in item translated, and `checklist validate`
//! naming what is missing.

use super::root;

#[test]
fn the_builtin_checklist_has_japanese_for_every_item_and_best_practice() {
    let english = onwatch::checklist::load_builtin().expect("the built-in checklist loads");
    let translation = onwatch::checklist::translate::check(
        &english,
        &onwatch::checklist::translate::builtin_sources(),
    )
    .unwrap_or_else(|errors| {
        panic!(
            "{}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert_eq!(translation.items.len(), english.items.len());
    assert_eq!(translation.practices.len(), english.practices.len());
    let ja = english.localized(onwatch::i18n::Lang::Ja);
    for (en, ja) in english.items.iter().zip(&ja.items) {
        assert_eq!(en.id, ja.id);
        assert_ne!(en.title, ja.title, "{} has a Japanese title", en.id);
        assert_ne!(en.why, ja.why, "{} has a Japanese why", en.id);
        assert_eq!(en.fix.steps.len(), ja.fix.steps.len(), "{}", en.id);
        // What is not prose stays as it is.
        assert_eq!(
            en.fix.cli, ja.fix.cli,
            "{}: CLI commands are not translated",
            en.id
        );
        assert_eq!(en.fix.cloudformation, ja.fix.cloudformation, "{}", en.id);
        assert_eq!(en.fix.permissions, ja.fix.permissions, "{}", en.id);
        assert_eq!(en.params, ja.params, "{}", en.id);
    }
}

#[test]
fn checklist_validate_names_the_file_item_and_field_of_a_missing_translation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = root().join("checklists");
    std::fs::create_dir(dir.path().join("ja")).expect("mkdir");
    for entry in std::fs::read_dir(&src).expect("checklists") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
            let ja = src.join("ja").join(path.file_name().expect("name"));
            std::fs::copy(
                &ja,
                dir.path().join("ja").join(path.file_name().expect("name")),
            )
            .expect("copy ja");
        }
    }
    // The complete folder validates.
    let ok = onwatch_cmd(&["checklist", "validate", &dir.path().display().to_string()]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("Japanese"),
        "it says the translation was checked"
    );
    // Remove one item's `why` and another item's whole entry.
    let alerting = dir.path().join("ja/alerting.toml");
    let text = std::fs::read_to_string(&alerting).expect("read");
    let mut table: toml::Table = toml::from_str(&text).expect("toml");
    let items = table
        .get_mut("item")
        .and_then(toml::Value::as_array_mut)
        .expect("items");
    items[0].as_table_mut().expect("table").remove("why");
    let first = items[0]
        .get("id")
        .and_then(toml::Value::as_str)
        .expect("id")
        .to_string();
    let gone = items.remove(1);
    let gone = gone
        .get("id")
        .and_then(toml::Value::as_str)
        .expect("id")
        .to_string();
    std::fs::write(&alerting, toml::to_string(&table).expect("toml")).expect("write");
    let bad = onwatch_cmd(&["checklist", "validate", &dir.path().display().to_string()]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("alerting.toml")
            && err.contains(&format!("item `{first}`: field `why` is missing")),
        "names the file, item and field: {err}"
    );
    assert!(
        err.contains(&format!("item `{gone}` has no Japanese text")),
        "names the untranslated item: {err}"
    );
}

fn onwatch_cmd(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_onwatch"))
        .args(args)
        .env_remove("ONWATCH_LANG")
        .env("LANG", "C")
        .output()
        .expect("onwatch runs")
}

/// A user's own checklist folder (no [checklist] header: items on top of the built-in
/// ones) with its own `ja/`: validate checks only its items, and the Japanese titles
/// are used; without `ja/` the items stay English.
#[test]
fn a_user_folder_s_japanese_is_validated_and_used() {
    let home = tempfile::tempdir().expect("temp dir");
    let folder = home.path().join("onwatch/checklists");
    std::fs::create_dir_all(&folder).expect("folders");
    std::fs::write(
        folder.join("team.toml"),
        r#"[[item]]
id = "team-payments-runbook"
title = "The payments service has a runbook"
category = "practice"
severity = "medium"
why = "Whoever is paged at night needs the steps written down."
rule = "practice"
answerable = true
question = "Does the payments service have a runbook the on-call person can follow?"
well_architected = ["OPS04-BP01"]
docs = []

[item.fix]
steps = ["Write the runbook.", "Link it from the alarm description."]
cli = ""
permissions = []
cost = "An afternoon."
"#,
    )
    .expect("write the item");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_onwatch"))
            .args(args)
            .env("XDG_CONFIG_HOME", home.path())
            .env("HOME", home.path())
            .env_remove("ONWATCH_LANG")
            .env("LANG", "C")
            .output()
            .expect("onwatch runs")
    };
    // The folder's ja/team.toml, with these fix steps (a TOML array).
    let translate = |steps: &str| {
        let text = format!(
            "[[item]]\nid = \"team-payments-runbook\"\ntitle = \"決済サービスに手順書がある\"\n\
             why = \"夜間に呼び出された担当者には、書かれた手順が必要です。\"\n\
             question = \"決済サービスに、オンコール担当者が従える手順書がありますか？\"\n\
             steps = {steps}\ncost = \"半日ほど。\"\n"
        );
        std::fs::write(folder.join("ja/team.toml"), text).expect("write the translation");
    };
    let listed = |out: std::process::Output| {
        String::from_utf8(out.stdout)
            .expect("UTF-8")
            .lines()
            .find(|l| l.starts_with("team-payments-runbook"))
            .map(str::to_string)
            .expect("the user's item is listed")
    };
    // No ja/ file yet: valid (English only), listed in English in Japanese mode.
    let out = run(&["checklist", "validate", &folder.display().to_string()]);
    assert!(out.status.success(), "{out:?}");
    let line = listed(run(&["--lang", "ja", "checklist", "list"]));
    assert!(
        line.ends_with("The payments service has a runbook"),
        "{line}"
    );
    // Its translation: only this item is required, not the built-in ones.
    std::fs::create_dir(folder.join("ja")).expect("ja/");
    translate(r#"["手順書を書きます。", "アラームの説明からリンクします。"]"#);
    let out = run(&["checklist", "validate", &folder.display().to_string()]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    let line = listed(run(&["--lang", "ja", "checklist", "list"]));
    assert!(line.ends_with("決済サービスに手順書がある"), "{line}");
    let line = listed(run(&["checklist", "list"]));
    assert!(
        line.ends_with("The payments service has a runbook"),
        "{line}"
    );
    // A step missing from the translation: validate names it, and the item stays
    // English rather than half translated.
    translate(r#"["手順書を書きます。"]"#);
    let out = run(&["checklist", "validate", &folder.display().to_string()]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(said.contains("team-payments-runbook"), "{said}");
    let line = listed(run(&["--lang", "ja", "checklist", "list"]));
    assert!(
        line.ends_with("The payments service has a runbook"),
        "{line}"
    );
}
