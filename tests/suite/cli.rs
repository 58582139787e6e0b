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
fn min_coverage_gates_on_what_aws_answered() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The demo could read 93.5% of what is judged from AWS (Config was denied).
    let high = onwatch(&["scan", "--demo", "--min-coverage", "0.95"], dir.path());
    assert_eq!(code(&high), 1);
    let err = String::from_utf8_lossy(&high.stderr);
    assert!(
        err.contains("coverage 0.94 is below --min-coverage 0.95: could not check config-recording (config:DescribeConfigurationRecorders"),
        "{err}"
    );
    let low = onwatch(&["scan", "--demo", "--min-coverage", "0.9"], dir.path());
    assert_eq!(code(&low), 0, "{}", String::from_utf8_lossy(&low.stderr));
    let bad = onwatch(&["scan", "--demo", "--min-coverage", "1.5"], dir.path());
    assert_eq!(code(&bad), 2);
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

/// Answers written for another account would score this one with someone else's
/// practices: that is an error (exit 2) naming both accounts, not a silent mix.
#[test]
fn answers_for_another_account_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snap = dir.path().join("snap.json");
    let snapshot = onwatch::demo::snapshot().expect("demo");
    snapshot.save(&snap).expect("save");
    let answers = dir.path().join("answers.toml");
    let write = |account: &str| {
        std::fs::write(
            &answers,
            format!(
                "account = \"{account}\"\n[answers.practice-on-call-rotation]\nanswer = \"yes\"\nnote = \"PagerDuty\"\ndate = \"2026-11-02\"\n"
            ),
        )
        .expect("write answers")
    };
    let run = || {
        onwatch(
            &[
                "evaluate",
                snap.to_str().expect("path"),
                "--answers",
                answers.to_str().expect("path"),
            ],
            dir.path(),
        )
    };
    write("999999999999");
    let out = run();
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("999999999999") && err.contains(&snapshot.account.id),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no report from mixed-up answers");
    write(&snapshot.account.id);
    let out = run();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
}

/// A malformed region is refused before anything is sent, naming the flag to fix.
#[test]
fn a_malformed_region_is_an_error_before_the_scan() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        ["scan", "--region", "eu-west1"],
        ["scan", "--home-region", "EU-WEST-1"],
    ] {
        let out = onwatch(&args, dir.path());
        assert_eq!(code(&out), 2, "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("is not a region name"), "{args:?}: {err}");
    }
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

/// A snapshot whose only applicable automated item passes: the score is exactly 100.
fn perfect_snapshot(dir: &Path) -> std::path::PathBuf {
    use onwatch::snapshot::{GuardDutyDetector, Read, ReadError};
    let gone = || ReadError::NotOffered {
        message: "not offered here".into(),
    };
    let mut snap = crate::fixtures::account(|r, g| {
        *r = onwatch::snapshot::RegionSnapshot {
            guardduty_detectors: Read::Ok(vec![GuardDutyDetector {
                id: "d1".into(),
                status: "ENABLED".into(),
                finding_publishing_frequency: None,
                filters: None,
            }]),
            event_rules: Read::Failed(gone()),
            sns_topics: Read::Failed(gone()),
            sns_subscriptions: Read::Failed(gone()),
            trails: Read::Failed(gone()),
            trail_shadows: None,
            config_recorders: Read::Failed(gone()),
            config_delivery_channels: Read::Failed(gone()),
            ecr_repositories: Read::Failed(gone()),
            ecr_registry_scanning: Read::Failed(gone()),
            rds_instances: Read::Failed(gone()),
            ecs_clusters: Read::Failed(gone()),
            ecs_task_definitions: Read::Failed(gone()),
            alarms: Read::Failed(gone()),
            alarm_tags_read: None,
            alarm_history: Read::Failed(gone()),
            canaries: Read::Failed(gone()),
            load_balancers: Read::Failed(gone()),
            log_groups: Read::Failed(gone()),
        };
        g.budgets = Read::Failed(gone());
        g.anomaly_monitors = Read::Failed(gone());
        g.anomaly_subscriptions = Read::Failed(gone());
    });
    snap.account.alias = None;
    let path = dir.join("perfect.json");
    snap.save(&path).expect("save");
    path
}

#[test]
fn a_score_equal_to_fail_under_exits_0() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snap = perfect_snapshot(dir.path());
    let snap = snap.to_str().expect("utf-8 path");
    let json = onwatch(&["evaluate", snap, "--format", "json"], dir.path());
    assert_eq!(code(&json), 0, "{}", String::from_utf8_lossy(&json.stderr));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(
        v["score"]["overall"].as_f64(),
        Some(100.0),
        "the fixture scores exactly 100"
    );
    let at = onwatch(&["evaluate", snap, "--fail-under", "100"], dir.path());
    assert_eq!(code(&at), 0, "a score at the threshold is not below it");
}

#[test]
fn help_documents_the_exit_codes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = onwatch(&["--help"], dir.path());
    assert_eq!(code(&out), 0);
    let help = stdout(&out);
    for needed in ["Exit codes", "0", "1", "2", "--fail-under"] {
        assert!(help.contains(needed), "--help mentions {needed}: {help}");
    }
}

#[test]
fn checklist_list_as_text_shows_one_row_per_item() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = onwatch(&["checklist", "list", "--format", "text"], dir.path());
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    let builtin = onwatch::checklist::load_builtin().expect("built-in");
    assert_eq!(text.lines().count(), builtin.items.len(), "{text}");
    let row = text
        .lines()
        .find(|l| l.starts_with("guardduty-enabled "))
        .expect("a row per item, id first");
    assert!(
        row.contains("security") && row.contains("critical") && row.contains("GuardDuty"),
        "id, category, severity, title: {row}"
    );
}

#[test]
fn a_user_checklist_folder_adds_an_item() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("onwatch").join("checklists");
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(
        folder.join("ours.toml"),
        r##"[[item]]
id = "status-page"
title = "A public status page is kept up to date"
category = "practice"
severity = "low"
why = "Customers look there first when something breaks."
rule = "practice"
question = "Do you update a public status page during incidents?"
well_architected = ["OPS10-BP01"]
docs = ["https://example.com/status-pages"]

[item.fix]
steps = ["Pick a status page tool and link it from the app."]
cli = "# no AWS change"
permissions = []
cost = "Depends on the tool."
"##,
    )
    .expect("write");
    let list = onwatch(&["checklist", "list", "--format", "json"], dir.path());
    assert_eq!(code(&list), 0, "{}", String::from_utf8_lossy(&list.stderr));
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).expect("JSON");
    assert!(
        v["items"]
            .as_array()
            .is_some_and(|items| items.iter().any(|i| i["id"] == "status-page")),
        "the listed checklist has the user's item"
    );
    let scan = onwatch(&["scan", "--demo", "--format", "json"], dir.path());
    assert_eq!(code(&scan), 0, "{}", String::from_utf8_lossy(&scan.stderr));
    let report: serde_json::Value = serde_json::from_slice(&scan.stdout).expect("JSON");
    let item = report["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["id"] == "status-page"))
        .expect("the scan evaluates the user's item");
    assert_eq!(item["status"], "not_answered");
}

#[test]
fn no_overall_score_is_below_any_fail_under() {
    // Every read "not offered" and no answers: nothing could be scored, the overall
    // score is null, and the README says that counts as below any threshold.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = perfect_snapshot(dir.path());
    let mut snap = onwatch::snapshot::AccountSnapshot::load(&path).expect("load");
    for r in snap.regions.values_mut() {
        r.guardduty_detectors =
            onwatch::snapshot::Read::Failed(onwatch::snapshot::ReadError::NotOffered {
                message: "not offered here".into(),
            });
    }
    snap.save(&path).expect("save");
    let path = path.to_str().expect("utf-8 path");
    let json = onwatch(&["evaluate", path, "--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert!(v["score"]["overall"].is_null(), "{}", v["score"]);
    // The unanswered practice questions still apply: nothing of them is covered.
    assert_eq!(v["score"]["coverage"].as_f64(), Some(0.0), "{}", v["score"]);
    assert_eq!(code(&json), 0, "no threshold: success");
    let out = onwatch(&["evaluate", path, "--fail-under", "0"], dir.path());
    assert_eq!(code(&out), 1);
}

#[test]
fn a_reader_that_goes_away_early_is_a_normal_end_not_a_panic() {
    // `onwatch scan --demo --format json | head -1`: the reader is gone before the report
    // is written. The read end is closed before the binary starts, so every write fails
    // with a broken pipe, whatever the timing.
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        &["scan", "--demo", "--format", "json"][..],
        &["scan", "--demo", "--fail-under", "100"],
        &["checklist", "list"],
    ] {
        let expected = code(&onwatch(args, dir.path()));
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_onwatch"))
            .args(args)
            .env("XDG_CONFIG_HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path())
            .env("HOME", dir.path())
            .env_remove("AWS_PROFILE")
            .stdout(writer)
            .output()
            .expect("the onwatch binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(code(&out), 101, "{args:?} panicked: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(
            code(&out),
            expected,
            "{args:?}: the exit code still says what the score was: {stderr}"
        );
    }
}

/// `onwatch ... 2>&1 | head -1`: standard error closed too. Warnings and errors are
/// dropped, never a panic; the exit code is the one a full run gives.
#[test]
fn a_closed_standard_error_is_not_a_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let answers = dir.path().join("answers.toml");
    // An unknown item: a warning on standard error.
    std::fs::write(
        &answers,
        "[answers.no-such-item]\nanswer = \"yes\"\nnote = \"x\"\ndate = \"2026-11-02\"\n",
    )
    .expect("write answers");
    let answers = answers.to_str().expect("path");
    for args in [
        &["scan", "--demo", "--answers", answers][..],
        &["evaluate", "/nonexistent/snapshot.json"],
    ] {
        let expected = code(&onwatch(args, dir.path()));
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let err_writer = writer.try_clone().expect("clone the pipe");
        let status = Command::new(env!("CARGO_BIN_EXE_onwatch"))
            .args(args)
            .env("XDG_CONFIG_HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path())
            .env("HOME", dir.path())
            .env_remove("AWS_PROFILE")
            .stdout(writer)
            .stderr(err_writer)
            .status()
            .expect("the onwatch binary runs");
        assert_ne!(status.code(), Some(101), "{args:?} panicked");
        assert_eq!(status.code(), Some(expected), "{args:?}");
    }
}

/// `onwatch diff OLD NEW`: the demo account before and after GuardDuty was turned on in
/// the region that had none: that finding is fixed, the rest is the same, and the score
/// moves. Two different accounts are refused.
#[test]
fn diff_shows_what_was_fixed_between_two_scans() {
    use onwatch::snapshot::{GuardDutyDetector, Read};
    let dir = tempfile::tempdir().expect("temp dir");
    let old = onwatch::demo::snapshot().expect("demo");
    let mut new = old.clone();
    new.collected_at = old.collected_at + chrono::Duration::days(7);
    let region = new
        .regions
        .iter()
        .find(|(_, r)| matches!(&r.guardduty_detectors, Read::Ok(d) if d.is_empty()))
        .map(|(name, _)| name.clone())
        .expect("the demo has a region without a detector");
    if let Some(r) = new.regions.get_mut(&region) {
        r.guardduty_detectors = Read::Ok(vec![GuardDutyDetector {
            id: "d1".into(),
            status: "ENABLED".into(),
            finding_publishing_frequency: None,
            filters: None,
        }]);
    }
    let (a, b) = (dir.path().join("old.json"), dir.path().join("new.json"));
    old.save(&a).expect("save");
    new.save(&b).expect("save");
    let out = onwatch(
        &[
            "diff",
            a.to_str().expect("utf-8"),
            b.to_str().expect("utf-8"),
            "--json",
        ],
        dir.path(),
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let fixed = d["fixed"].as_array().expect("fixed");
    assert!(
        fixed
            .iter()
            .any(|k| k["item"] == "guardduty-enabled" && k["region"] == region.as_str()),
        "{d:#}"
    );
    assert_eq!(d["new"].as_array().map(Vec::len), Some(0), "{d:#}");
    assert!(d["new_score"].as_f64() > d["old_score"].as_f64());
    let text = stdout(&onwatch(
        &[
            "diff",
            a.to_str().expect("utf-8"),
            b.to_str().expect("utf-8"),
        ],
        dir.path(),
    ));
    assert!(
        text.contains("Fixed (") && text.contains("guardduty-enabled"),
        "{text}"
    );

    let mut other = new.clone();
    other.account.id = "999988887777".into();
    let c = dir.path().join("other.json");
    other.save(&c).expect("save");
    let refused = onwatch(
        &[
            "diff",
            a.to_str().expect("utf-8"),
            c.to_str().expect("utf-8"),
        ],
        dir.path(),
    );
    assert_eq!(code(&refused), 2);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("one account"));
}
