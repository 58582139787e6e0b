//! The headless CLI as CI calls it: exit codes 0 (at or above --fail-under), 1 (below),
//! 2 (any error); output formats; checklist commands.

use std::path::Path;
use std::process::{Command, Output};

/// Runs the onwatch binary with a private config dir (no user checklist folder leaks in).
fn onwatch(args: &[&str], config: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onwatch"))
        .args(args)
        .env("XDG_CONFIG_HOME", config)
        .env("XDG_DATA_HOME", config)
        .env("HOME", config)
        .env_remove("AWS_PROFILE")
        .output()
        .expect("the onwatch binary runs")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited with a code")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn demo_score(dir: &Path) -> f64 {
    let out = onwatch(&["scan", "--demo", "--format", "json"], dir);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    v["score"]["overall"].as_f64().expect("overall score")
}

#[test]
fn fail_under_sets_exit_code_0_or_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let score = demo_score(dir.path());
    let below = (score.floor() as i64 - 1).max(0).to_string();
    let above = (score.ceil() as i64 + 1).min(100).to_string();
    let ok = onwatch(&["scan", "--demo", "--fail-under", &below], dir.path());
    assert_eq!(code(&ok), 0, "score {score} is at or above {below}");
    assert!(
        stdout(&ok).contains("Score"),
        "text output shows the score: {}",
        stdout(&ok)
    );
    let low = onwatch(&["scan", "--demo", "--fail-under", &above], dir.path());
    assert_eq!(code(&low), 1, "score {score} is below {above}");
    assert!(
        !stdout(&low).is_empty(),
        "the report is still printed when below the bar"
    );
}

#[test]
fn errors_exit_with_2_and_say_what_failed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = onwatch(&["evaluate", "/nonexistent/snap.json"], dir.path());
    assert_eq!(code(&missing), 2);
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains("/nonexistent/snap.json"),
        "names the file: {err}"
    );

    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "{ not json").expect("write");
    let out = onwatch(
        &["evaluate", garbage.to_str().expect("utf-8 path")],
        dir.path(),
    );
    assert_eq!(code(&out), 2);

    let bad_flag = onwatch(&["scan", "--demo", "--fail-under", "101"], dir.path());
    assert_eq!(
        code(&bad_flag),
        2,
        "an out-of-range threshold is a usage error"
    );
    let unknown = onwatch(&["frobnicate"], dir.path());
    assert_eq!(code(&unknown), 2);
}

#[test]
fn evaluate_re_scores_a_saved_snapshot_with_answers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snap = dir.path().join("snap.json");
    let snapshot = onwatch::demo::snapshot().expect("demo");
    snapshot.save(&snap).expect("save");
    let answers = dir.path().join("answers.toml");
    std::fs::write(
        &answers,
        "[answers.practice-on-call-rotation]\nanswer = \"yes\"\nnote = \"PagerDuty\"\ndate = \"2026-11-02\"\n",
    )
    .expect("write answers");
    let out = onwatch(
        &[
            "evaluate",
            snap.to_str().expect("path"),
            "--answers",
            answers.to_str().expect("path"),
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let item = v["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == "practice-on-call-rotation")
        .expect("practice item");
    assert_eq!(item["status"], "answered_yes");
}

#[test]
fn output_file_and_markdown() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("report.md");
    let out = onwatch(
        &[
            "scan",
            "--demo",
            "--format",
            "markdown",
            "--output",
            path.to_str().expect("path"),
        ],
        dir.path(),
    );
    assert_eq!(code(&out), 0);
    let md = std::fs::read_to_string(&path).expect("report written");
    assert!(
        md.starts_with("# "),
        "a markdown document: {}",
        &md[..md.len().min(200)]
    );
    assert!(md.contains("GuardDuty"), "lists the items");
}

#[test]
fn checklist_validate_and_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists");
    let ok = onwatch(
        &["checklist", "validate", shipped.to_str().expect("path")],
        dir.path(),
    );
    assert_eq!(code(&ok), 0, "{}", String::from_utf8_lossy(&ok.stderr));

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[override]]\nid = \"alarm-stuck\"\nparams = { max_days = \"a week\" }\n",
    )
    .expect("write");
    let out = onwatch(
        &["checklist", "validate", bad.to_str().expect("path")],
        dir.path(),
    );
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}:3:", bad.display())),
        "file:line in {err}"
    );

    let list = onwatch(&["checklist", "list", "--format", "json"], dir.path());
    assert_eq!(code(&list), 0);
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).expect("JSON list");
    assert!(
        v["items"].as_array().is_some_and(|a| a.len() >= 26),
        "lists every item"
    );
}

#[test]
fn a_user_checklist_folder_changes_the_scan() {
    let dir = tempfile::tempdir().expect("temp dir");
    let before = demo_score(dir.path());
    let folder = dir.path().join("onwatch").join("checklists");
    std::fs::create_dir_all(&folder).expect("mkdir");
    // Demanding 400 days of log retention fails the demo's 30-day groups too.
    std::fs::write(
        folder.join("strict.toml"),
        "[[override]]\nid = \"log-retention\"\nparams = { min_days = 400 }\n",
    )
    .expect("write");
    let after = demo_score(dir.path());
    assert!(
        after < before,
        "stricter retention lowers the demo score: {before} -> {after}"
    );
}
