//! The demo account's report, the JSON report's shape, and snapshot loading.

use onwatch::answers::Answers;
use onwatch::report::ItemStatus;
use onwatch::snapshot::{AccountSnapshot, SnapshotError};

use crate::fixtures::{builtin, now};

fn demo_report() -> onwatch::report::Report {
    let snapshot = onwatch::demo::snapshot().expect("the demo snapshot loads");
    let answers = onwatch::demo::answers().expect("the demo answers load");
    onwatch::evaluate(&builtin(), &snapshot, &answers, now())
}

#[test]
fn demo_report_snapshot() {
    let report = demo_report();
    insta::assert_json_snapshot!("demo_report", report, {
        ".generated_at" => "[generated_at]",
    });
}

#[test]
fn demo_tells_the_story_of_a_typical_account() {
    let report = demo_report();
    let counts = report.status_counts();
    let n = |s: ItemStatus| counts.get(&s).copied().unwrap_or(0);
    assert!(
        n(ItemStatus::Pass) >= 3,
        "some things are right: {counts:?}"
    );
    assert!(
        n(ItemStatus::Fail) + n(ItemStatus::Partial) >= 5,
        "several gaps: {counts:?}"
    );
    assert!(
        n(ItemStatus::CouldNotCheck) >= 1,
        "a permission is missing: {counts:?}"
    );
    assert!(
        n(ItemStatus::AnsweredYes) >= 1 && n(ItemStatus::NotAnswered) >= 1,
        "{counts:?}"
    );
    let overall = report.score.overall.expect("scored");
    assert!(
        (20.0..90.0).contains(&overall),
        "a typical, improvable score: {overall}"
    );
    assert!(
        report.score.coverage < 1.0,
        "coverage shows what could not be checked"
    );
    assert!(report.account.regions.len() >= 2);
}

#[test]
fn json_report_has_the_documented_shape() {
    let json = demo_report().to_json().expect("serialises");
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(v["schema_version"], 1);
    assert!(v["account"]["id"].is_string());
    assert!(v["account"]["alias"].is_string());
    assert!(v["account"]["regions"].is_array());
    assert!(v["generated_at"].is_string());
    assert!(v["checklist_version"].is_string());
    assert!(v["score"]["overall"].is_number());
    assert!(v["score"]["coverage"].is_number());
    let categories = v["score"]["categories"]
        .as_object()
        .expect("categories object");
    for id in [
        "security",
        "external",
        "resources",
        "application",
        "alerting",
        "cost",
        "practice",
    ] {
        let c = &categories[id];
        assert!(c["coverage"].is_number(), "category {id}");
        assert!(
            c.get("score").is_some(),
            "category {id} has a score (null when nothing was evaluated)"
        );
    }
    let statuses = [
        "pass",
        "fail",
        "partial",
        "could_not_check",
        "not_applicable",
        "answered_yes",
        "answered_no",
        "not_answered",
    ];
    let items = v["items"].as_array().expect("items array");
    assert_eq!(items.len(), builtin().items.len());
    for item in items {
        for key in ["id", "title", "category", "severity"] {
            assert!(item[key].is_string(), "{key} in {item}");
        }
        assert!(
            statuses.contains(&item["status"].as_str().expect("status")),
            "{item}"
        );
        for f in item["findings"].as_array().expect("findings") {
            for key in ["region", "resource", "status", "evidence"] {
                assert!(f[key].is_string(), "{key} in {f}");
            }
            assert!(
                f.get("reason").is_some(),
                "reason present (null for a pass): {f}"
            );
        }
    }
}

#[test]
fn a_snapshot_of_another_schema_version_is_refused_clearly() {
    let json = onwatch::demo::snapshot()
        .expect("demo")
        .to_json()
        .expect("json");
    let other = json.replacen("\"schema_version\": 1", "\"schema_version\": 99", 1);
    assert_ne!(json, other, "the version field was found");
    match AccountSnapshot::from_json(&other, "old.json") {
        Err(e @ SnapshotError::Version { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("99") && msg.contains("old.json"), "{msg}");
        }
        other => panic!("expected a version error, got {other:?}"),
    }
}

#[test]
fn answers_round_trip_in_toml_and_json() {
    let answers = onwatch::demo::answers().expect("demo answers");
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["a.toml", "a.json"] {
        let path = dir.path().join(name);
        answers.save(&path).expect("saves");
        assert_eq!(Answers::load(&path).expect("loads"), answers, "{name}");
    }
}

#[test]
fn names_from_aws_are_neutralised_in_every_format() {
    use crate::fixtures::{account, add_alarm, alarm};
    use onwatch::output::{Format, render};
    let hostile = "db\u{1b}[2J|<img src=x onerror=alert(1)>\n# injected";
    let snapshot =
        account(|r, _| add_alarm(r, alarm(hostile, "AWS/RDS", "CPUUtilization", &[], &[])));
    let report = crate::fixtures::evaluate(&snapshot);
    let checklist = builtin();
    let text = render(&report, &checklist, Format::Text).expect("text");
    assert!(
        !text.contains('\u{1b}'),
        "no terminal escape reaches the screen"
    );
    let md = render(&report, &checklist, Format::Markdown).expect("markdown");
    assert!(!md.contains("<img"), "no HTML reaches a rendered report");
    assert!(md.contains("&lt;img"), "the name is shown, escaped");
    assert!(
        !md.contains("\n# injected"),
        "a name cannot start a heading"
    );
    let json = render(&report, &checklist, Format::Json).expect("json");
    let back: serde_json::Value = serde_json::from_str(&json).expect("still valid JSON");
    assert!(
        back.to_string().contains("onerror"),
        "JSON keeps the value as data (escaped by the encoder)"
    );
}
