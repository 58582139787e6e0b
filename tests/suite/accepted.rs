//! Accepted risks: a failure the user decided to live with, for at most a year, with a
//! reason and a name. It leaves the failing count, the score and the coverage; the
//! strict score counts it; it fails again the day after it ends; fixes leave it alone.

use std::path::Path;
use std::process::Command;

use onwatch::accepted::Acceptance;
use onwatch::answers::Answers;
use onwatch::report::{FindingStatus, ItemStatus, Report};

use crate::fixtures::{builtin, now};

const GDPR: &str = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/gdpr-export";

fn accept(item: &str, resource: Option<&str>, until: &str) -> Acceptance {
    Acceptance {
        item: item.into(),
        resource: resource.map(String::from),
        region: None,
        reason: "legal hold: kept until the audit closes".into(),
        by: "Aiko Tanaka".into(),
        date: "2026-11-01".into(),
        until: until.into(),
    }
}

fn demo_with(accepted: Vec<Acceptance>) -> Report {
    let snapshot = onwatch::demo::snapshot().expect("the demo snapshot loads");
    let mut answers = onwatch::demo::answers().expect("the demo answers load");
    answers.accepted = accepted;
    onwatch::evaluate(&builtin(), &snapshot, &answers, now())
}

fn finding(report: &Report, item: &str, resource: &str) -> FindingStatus {
    report
        .item(item)
        .and_then(|i| i.findings.iter().find(|f| f.resource == resource))
        .map(|f| f.status)
        .unwrap_or_else(|| panic!("{item} has a finding for {resource}"))
}

#[test]
fn an_accepted_failure_leaves_the_score_and_the_strict_score_keeps_it() {
    let plain = demo_with(vec![]);
    assert_eq!(plain.score.accepted, 0);
    assert_eq!(plain.score.strict, plain.score.overall);
    let failing: Vec<String> = plain
        .item("log-retention")
        .expect("item")
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Fail)
        .map(|f| f.resource.clone())
        .collect();
    assert!(failing.len() >= 2 && failing.iter().any(|r| r == GDPR));
    let both = demo_with(
        failing
            .iter()
            .map(|r| accept("log-retention", Some(r), "2027-06-30"))
            .collect(),
    );
    assert_eq!(
        finding(&both, "log-retention", GDPR),
        FindingStatus::Accepted
    );
    let item = both.item("log-retention").expect("item");
    assert_eq!(item.count(FindingStatus::Fail), 0);
    assert_eq!(
        item.status,
        ItemStatus::Pass,
        "every failure accepted, the rest passes"
    );
    assert_eq!(both.score.accepted, failing.len());
    let (plain_score, score) = (
        plain.score.overall.expect("score"),
        both.score.overall.expect("score"),
    );
    assert!(
        score > plain_score,
        "{plain_score} -> {score}: accepted findings leave the score"
    );
    assert_eq!(
        both.score.strict, plain.score.overall,
        "the strict score counts accepted risks as the failures they are"
    );
    assert_eq!(
        both.score.coverage, plain.score.coverage,
        "the item is still covered by its passing findings"
    );
    let text =
        onwatch::output::render(&both, &builtin(), onwatch::output::Format::Text).expect("renders");
    assert!(
        text.contains(&format!(
            "strict score {} with {} accepted risks counted as failing",
            onwatch::output::score_label(plain.score.overall),
            failing.len()
        )),
        "{text}"
    );
}

#[test]
fn an_acceptance_ends_and_the_finding_fails_again_saying_so() {
    let report = demo_with(vec![accept("log-retention", Some(GDPR), "2026-11-19")]);
    let f = report
        .item("log-retention")
        .and_then(|i| i.findings.iter().find(|f| f.resource == GDPR))
        .expect("finding");
    assert_eq!(f.status, FindingStatus::Fail, "ended the day before now()");
    assert!(f.accepted.as_ref().is_some_and(|a| a.expired));
    assert!(
        f.reason_with_acceptance().contains("ended 2026-11-19"),
        "{}",
        f.reason_with_acceptance()
    );
    assert_eq!(report.score.accepted, 0);
    let on_the_day = demo_with(vec![accept("log-retention", Some(GDPR), "2026-11-20")]);
    assert_eq!(
        finding(&on_the_day, "log-retention", GDPR),
        FindingStatus::Accepted,
        "an acceptance holds through its last day"
    );
}

#[test]
fn a_whole_item_can_be_accepted_even_an_answered_no() {
    let report = demo_with(vec![
        accept("rds-connections-alarm", None, "2027-01-31"),
        accept("practice-review-cadence", None, "2027-01-31"),
    ]);
    let rds = report.item("rds-connections-alarm").expect("item");
    assert_eq!(rds.status, ItemStatus::Accepted);
    assert!(rds.findings.iter().all(|f| f.status != FindingStatus::Fail));
    let review = report.item("practice-review-cadence").expect("item");
    assert_eq!(
        review.status,
        ItemStatus::Accepted,
        "the demo answered no; the no is accepted"
    );
    let plain = demo_with(vec![]);
    assert_eq!(
        plain.item("practice-review-cadence").map(|i| i.status),
        Some(ItemStatus::AnsweredNo)
    );
    assert_eq!(
        report.score.strict, plain.score.overall,
        "strict reads both as failing again"
    );
}

#[test]
fn an_acceptance_of_more_than_a_year_or_without_a_reason_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("accepted.toml");
    std::fs::write(
        &path,
        "[[accepted]]\nitem = \"log-retention\"\nreason = \"x\"\nby = \"A\"\ndate = \"2026-12-01\"\nuntil = \"2028-01-01\"\n",
    )
    .expect("writes");
    let err = Answers::load(&path).expect_err("refused");
    assert!(
        err.to_string()
            .contains("accepted risk 1 (item log-retention)")
            && err.to_string().contains("at most a year"),
        "{err}"
    );
    std::fs::write(
        &path,
        "[[accepted]]\nitem = \"log-retention\"\nreason = \" \"\nby = \"A\"\ndate = \"2026-12-01\"\nuntil = \"2027-01-01\"\n",
    )
    .expect("writes");
    assert!(Answers::load(&path).is_err(), "a reason is required");
}

#[test]
fn csv_and_html_show_the_accepted_risk_and_until_when() {
    let report = demo_with(vec![accept("log-retention", Some(GDPR), "2027-06-30")]);
    let checklist = builtin();
    let csv = onwatch::output::render(&report, &checklist, onwatch::output::Format::Csv)
        .expect("renders");
    let row = csv
        .lines()
        .find(|l| l.contains(GDPR))
        .expect("the finding's row");
    assert!(row.contains("\"accepted\""), "{row}");
    assert!(row.ends_with("\"2027-06-30\""), "muted_until: {row}");
    assert!(row.contains("legal hold"), "{row}");
    let html = onwatch::output::render(&report, &checklist, onwatch::output::Format::Html)
        .expect("renders");
    assert!(html.contains("<h3 id=\"accepted\">Accepted risks</h3>"));
    assert!(html.contains("Aiko Tanaka"));
}

/// Fixing leaves accepted findings as they are: the plan lists them as skipped.
#[test]
fn a_fix_plan_leaves_accepted_findings_alone() {
    let snapshot = onwatch::demo::snapshot().expect("the demo snapshot loads");
    let report = demo_with(vec![accept("log-retention", Some(GDPR), "2027-06-30")]);
    let plan = onwatch::fix::plan(
        "log-retention",
        &report,
        &snapshot,
        &onwatch::fix::Choices::default(),
    )
    .expect("a plan");
    let text = serde_json::to_string(&plan).expect("json");
    assert!(
        !text.contains("\"/aws/lambda/gdpr-export\""),
        "no step for the accepted group"
    );
    assert!(text.contains("stripe-webhook"), "the other one is fixed");
    assert!(
        plan.skipped
            .iter()
            .any(|s| s.contains(GDPR) && s.contains("accepted risk")),
        "{:?}",
        plan.skipped
    );
}

fn onwatch(args: &[&str], home: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_onwatch"))
        .args(args)
        .env("XDG_CONFIG_HOME", home)
        .env("XDG_DATA_HOME", home)
        .env("HOME", home)
        .output()
        .expect("the onwatch binary runs")
}

#[test]
fn cli_gates_on_the_score_with_accepted_risks_unless_strict() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("accepted.toml");
    let entry = |item: &str| {
        format!(
            "[[accepted]]\nitem = \"{item}\"\nreason = \"legal hold\"\nby = \"Aiko\"\ndate = \"2026-11-01\"\nuntil = \"2099-01-01\"\n"
        )
    };
    // Far in the future is more than a year: refused, exit 2.
    std::fs::write(&path, entry("log-retention")).expect("writes");
    let out = onwatch(
        &[
            "scan",
            "--demo",
            "--accepted",
            path.to_str().expect("utf-8"),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let until = (chrono::Utc::now().date_naive() + chrono::Days::new(200)).to_string();
    let text = format!(
        "{}\n{}",
        entry("rds-connections-alarm"),
        entry("alb-alarms")
    )
    .replace("2099-01-01", &until)
    .replace("2026-11-01", &chrono::Utc::now().date_naive().to_string());
    std::fs::write(&path, text).expect("writes");
    let json = |extra: &[&str]| {
        let mut args = vec!["scan", "--demo", "--format", "json"];
        args.extend_from_slice(extra);
        let out = onwatch(&args, dir.path());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("json")
    };
    let plain = json(&[]);
    let accepted = json(&["--accepted", path.to_str().expect("utf-8")]);
    let (p, a, s) = (
        plain["score"]["overall"].as_f64().expect("score"),
        accepted["score"]["overall"].as_f64().expect("score"),
        accepted["score"]["strict"].as_f64().expect("strict"),
    );
    assert!(
        a > p && (s - p).abs() < 1e-9,
        "plain {p}, accepted {a}, strict {s}"
    );
    assert!(
        a.floor() > s,
        "accepting two failing items moves the score past a whole point"
    );
    let bar = a.floor().to_string();
    let gate = |strict: bool| {
        let mut args = vec![
            "scan",
            "--demo",
            "--accepted",
            path.to_str().expect("utf-8"),
            "--fail-under",
            &bar,
            "--min-coverage",
            "0",
        ];
        if strict {
            args.push("--strict");
        }
        onwatch(&args, dir.path()).status.code()
    };
    assert_eq!(gate(false), Some(0), "{a} is at or above {bar}");
    assert_eq!(gate(true), Some(1), "strict {s} is below {bar}");
}
