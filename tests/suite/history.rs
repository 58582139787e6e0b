//! Scan history: `scan --history` keeps a scan where the window keeps its scans, with
//! the score it got; `onwatch history` lists them with that score and today's; reports
//! say what changed since the last scan.

use std::path::Path;
use std::process::{Command, Output};

use super::fixtures;

fn onwatch(args: &[&str], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onwatch"))
        .args(args)
        .env("XDG_CONFIG_HOME", home)
        .env("XDG_DATA_HOME", home)
        .env("HOME", home)
        .output()
        .expect("the onwatch binary runs")
}

fn ok(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn has(list: &serde_json::Value, item: &str, region: &str) -> bool {
    list.as_array().is_some_and(|keys| {
        keys.iter()
            .any(|k| k["item"] == item && k["region"] == region)
    })
}

#[test]
fn evaluate_since_an_earlier_snapshot_lists_fixed_and_new_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("old.json");
    fixtures::demo_week_earlier().save(&old).expect("saves");
    let old = old.to_str().expect("utf-8");
    let json = ok(&onwatch(
        &["scan", "--demo", "--since", old, "--format", "json"],
        dir.path(),
    ));
    let report: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let since = &report["since_last"];
    assert!(
        has(&since["fixed"], "guardduty-enabled", "eu-west-1"),
        "{since}"
    );
    assert!(
        has(&since["new"], "guardduty-enabled", "us-west-2"),
        "{since}"
    );
    assert!(!has(&since["fixed"], "guardduty-enabled", "us-west-2"));
    let text = ok(&onwatch(&["scan", "--demo", "--since", old], dir.path()));
    let line = text
        .lines()
        .find(|l| l.starts_with("Since the last scan ("))
        .unwrap_or_else(|| panic!("a since line in:\n{text}"));
    let fixed = since["fixed"].as_array().map_or(0, Vec::len);
    assert!(line.contains(&format!("{fixed} fixed")), "{line}");
    let markdown = ok(&onwatch(
        &["scan", "--demo", "--since", old, "--format", "markdown"],
        dir.path(),
    ));
    assert!(markdown.contains("## Since the last scan"));
    assert!(markdown.contains("| fixed | GuardDuty is on in every region |"));
    let html = ok(&onwatch(
        &["scan", "--demo", "--since", old, "--format", "html"],
        dir.path(),
    ));
    assert!(html.contains("<h3 id=\"since\">Since the last scan</h3>"));

    // Another account's scan is refused, not compared.
    let mut other = fixtures::demo_week_earlier();
    other.account.id = "999999999999".into();
    let other_path = dir.path().join("other.json");
    other.save(&other_path).expect("saves");
    let out = onwatch(
        &[
            "scan",
            "--demo",
            "--since",
            other_path.to_str().expect("utf-8"),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("999999999999"));
}

#[test]
fn scan_history_saves_compares_with_the_last_scan_and_history_lists_both_scores() {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("onwatch");
    // An earlier scan kept by the window, with the score it showed then.
    let old = fixtures::demo_week_earlier();
    let old_report = fixtures::evaluate(&old);
    onwatch::history::save(&data, &old, &old_report).expect("saves into the history");

    let json = ok(&onwatch(
        &["scan", "--demo", "--history", "--format", "json"],
        home.path(),
    ));
    let report: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let since = &report["since_last"];
    assert_eq!(
        since["collected_at"]
            .as_str()
            .map(|t| t.starts_with(&old.collected_at.format("%Y-%m-%dT%H:%M").to_string())),
        Some(true),
        "compared with the saved scan: {since}"
    );
    assert!(has(&since["fixed"], "guardduty-enabled", "eu-west-1"));
    let account = report["account"]["id"].as_str().expect("an account id");
    let saved = onwatch::history::list(&data, account).expect("lists");
    assert_eq!(saved.len(), 2, "the demo scan joined the history");
    let score_now = report["score"]["overall"].as_f64();
    assert_eq!(
        saved[1].recorded.as_ref().and_then(|r| r.score),
        score_now,
        "the score shown is recorded with the scan"
    );

    let rows: serde_json::Value =
        serde_json::from_str(&ok(&onwatch(&["history", "--json"], home.path()))).expect("JSON");
    let rows = rows.as_array().expect("a list");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["score_then"].as_f64(), old_report.score.overall);
    assert_eq!(rows[1]["score_then"].as_f64(), score_now);
    // Today's checklist judges the old scan without the demo's answers (the window
    // keeps none for this account here), so its score today is the plain evaluation.
    assert!(rows[0]["score_today"].as_f64().is_some());
    assert!(rows[0]["collected_at"].as_str() < rows[1]["collected_at"].as_str());

    let text = ok(&onwatch(&["history"], home.path()));
    assert!(
        text.contains(&format!("Account {account}: 2 saved scan(s)")),
        "{text}"
    );
    assert!(text.contains("score then"), "{text}");
}

#[test]
fn history_says_what_to_do_when_nothing_is_saved() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = onwatch(&["history"], home.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("onwatch scan --history"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_failing_finding_accepted_since_is_changed_not_fixed() {
    let snapshot = onwatch::demo::snapshot().expect("the demo loads");
    let before = fixtures::evaluate(&snapshot);
    let mut answers = onwatch::answers::Answers::default();
    answers.accepted.push(onwatch::accepted::Acceptance {
        item: "rds-connections-alarm".into(),
        resource: None,
        region: None,
        reason: "read replicas only".into(),
        by: "Aiko".into(),
        date: "2026-11-20".into(),
        until: "2027-02-01".into(),
    });
    let after = onwatch::evaluate(&fixtures::builtin(), &snapshot, &answers, fixtures::now());
    let d = onwatch::report::diff::diff(&before, &after);
    assert!(d.fixed.iter().all(|k| k.item != "rds-connections-alarm"));
    let accepted: Vec<_> = d
        .changed
        .iter()
        .filter(|(k, was, now)| {
            k.item == "rds-connections-alarm"
                && *was == onwatch::report::FindingStatus::Fail
                && *now == onwatch::report::FindingStatus::Accepted
        })
        .collect();
    assert_eq!(
        accepted.len(),
        before
            .item("rds-connections-alarm")
            .map_or(0, |i| i.count(onwatch::report::FindingStatus::Fail))
    );
    assert!(!accepted.is_empty());
}
