//! The window, driven through its accessibility tree (egui_kittest; no display, no GPU).
//! Every harness also checks that each control has an accessible name.

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use onwatch::answers::{Answers, YesNo};
use onwatch::gui::ProfileKind;
use onwatch::gui::{
    AnswerStore, AppConfig, AwsFiles, OnwatchApp, Screen, Settings, parse_profiles,
};
use onwatch::report::{FindingStatus, ItemStatus, Report};

fn config(dir: &Path) -> AppConfig {
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
    }
}

fn harness(app: OnwatchApp) -> Harness<'static, OnwatchApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut OnwatchApp| app.ui(ui), app)
}

/// The demo opened from the start screen, as a user would.
fn demo(dir: &Path) -> Harness<'static, OnwatchApp> {
    let mut h = harness(OnwatchApp::new(config(dir)));
    h.get_by_role_and_label(Role::Button, "Open the demo account")
        .click();
    h.run();
    assert!(h.state().report().is_some(), "the demo account is open");
    h
}

fn report(h: &Harness<'_, OnwatchApp>) -> Report {
    h.state().report().expect("an account is open").clone()
}

fn score_label(report: &Report) -> String {
    onwatch::output::score_label(report.score.overall)
}

fn item_row_count(h: &Harness<'_, OnwatchApp>, title: &str) -> usize {
    h.query_all_by(|n| n.role() == Role::Button && n.label().is_some_and(|l| l.contains(title)))
        .count()
}

/// Clicks an item's list row (a button whose name holds the title). The list only
/// builds the rows on screen, so an item further down is found the way a user would:
/// by searching for it.
fn click_item(h: &mut Harness<'_, OnwatchApp>, title: &str) {
    if item_row_count(h, title) == 0 {
        let search = h.get_by_role_and_label(Role::TextInput, "Search");
        search.focus();
        search.type_text(title);
        h.run();
    }
    h.get_by(|n| n.role() == Role::Button && n.label().is_some_and(|l| l.contains(title)))
        .click();
    h.run();
}

#[test]
fn demo_shows_the_score_the_engine_computes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let h = demo(dir.path());
    let checklist = onwatch::checklist::load_builtin().expect("checklist");
    let snapshot = onwatch::demo::snapshot().expect("demo snapshot");
    let answers = onwatch::demo::answers().expect("demo answers");
    let expected = onwatch::evaluate(&checklist, &snapshot, &answers, chrono::Utc::now());
    let shown = score_label(&expected);
    assert_ne!(shown, "n/a", "the demo has a score");
    h.get_by_label(&shown);
    h.get_by_label(&format!(
        "coverage {} of the checklist",
        onwatch::output::percent(expected.score.coverage)
    ));
    h.get_by_label_contains(&snapshot.account.id);
}

#[test]
fn clicking_a_failing_item_shows_its_evidence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let report = report(&h);
    let selected = h
        .state()
        .session()
        .map(|_| ())
        .and(report.items.iter().position(|i| i.status.is_failing()));
    // A failing item other than the one selected on opening, whose evidence is unique.
    let (item, finding) = report
        .items
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != selected)
        .flat_map(|(_, item)| item.findings.iter().map(move |f| (item, f)))
        .find(|(_, f)| {
            f.status == FindingStatus::Fail
                && !f.evidence.is_empty()
                && report
                    .items
                    .iter()
                    .flat_map(|i| &i.findings)
                    .filter(|g| g.evidence == f.evidence)
                    .count()
                    == 1
        })
        .expect("the demo has a failing finding with unique evidence");
    assert!(
        h.query_by_label(&finding.evidence).is_none(),
        "not shown before the click"
    );
    click_item(&mut h, &item.title);
    h.get_by_label(&finding.evidence);
    h.get_by_label(&finding.region);
    h.get_by_role_and_label(Role::Button, "Copy finding 1");
    h.get_by_role_and_label(Role::Button, "Copy AWS CLI commands");
    h.get_by_label_contains("cannot run this fix yet");
}

#[test]
fn answering_a_practice_item_rescores_and_persists() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let before = report(&h);
    let open = before
        .items
        .iter()
        .find(|i| i.status == ItemStatus::NotAnswered)
        .expect("the demo has an unanswered practice item");
    click_item(&mut h, &open.title);
    h.get_by_role_and_label(Role::Button, "Answer yes").click();
    h.run();
    let after = report(&h);
    assert_eq!(
        after.item(&open.id).map(|i| i.status),
        Some(ItemStatus::AnsweredYes)
    );
    let (b, a) = (
        before.score.overall.expect("score"),
        after.score.overall.expect("score"),
    );
    assert!(a > b, "a yes raises the score: {b} -> {a}");
    h.get_by_label(&score_label(&after));

    let account = &after.account.id;
    let file = dir
        .path()
        .join("data/answers")
        .join(format!("{account}.toml"));
    let saved = Answers::load(&file).expect("the answers file is written");
    let answer = saved.answers.get(&open.id).expect("the answer is saved");
    assert_eq!(answer.answer, YesNo::Yes);
    assert!(answer.date.is_some(), "the answer is dated");
    assert_eq!(saved.account.as_deref(), Some(account.as_str()));

    // A new window on the same data folder reads the answer back.
    let again = demo(dir.path());
    assert_eq!(
        report(&again).item(&open.id).map(|i| i.status),
        Some(ItemStatus::AnsweredYes)
    );

    // Clearing it puts the score back.
    click_item(&mut h, &open.title);
    h.get_by_role_and_label(Role::Button, "Clear answer")
        .click();
    h.run();
    assert_eq!(report(&h).score.overall, before.score.overall);
}

#[test]
fn failing_filter_hides_passing_items_and_search_narrows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let report = report(&h);
    let passing = report
        .items
        .iter()
        .find(|i| i.status == ItemStatus::Pass)
        .expect("a passing item");
    let failing = report
        .items
        .iter()
        .find(|i| i.status == ItemStatus::Fail)
        .expect("a failing item");
    let row = item_row_count;
    assert_eq!(row(&h, &passing.title), 1);
    h.get_by_role_and_label(Role::Button, "Show failing")
        .click();
    h.run();
    assert_eq!(row(&h, &passing.title), 0, "passing items disappear");
    assert_eq!(row(&h, &failing.title), 1, "failing items stay");

    h.get_by_role_and_label(Role::Button, "Show all").click();
    h.run();
    let search = h.get_by_role_and_label(Role::TextInput, "Search");
    search.focus();
    search.type_text(&failing.title.to_uppercase());
    h.run();
    assert_eq!(row(&h, &failing.title), 1);
    assert_eq!(
        row(&h, &passing.title),
        0,
        "search is case-insensitive and narrows the list"
    );
}

#[test]
fn export_writes_json_and_markdown_to_the_path_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let report = report(&h);
    h.get_by_role_and_label(Role::Button, "Export report")
        .click();
    h.run();
    h.get_by_label("JSON").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Save export").click();
    h.run();
    let json = std::fs::read_dir(dir.path())
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a JSON file was exported into the export folder");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("read")).expect("JSON");
    assert_eq!(value["score"]["overall"].as_f64(), report.score.overall);
    assert!(
        h.state()
            .notice()
            .is_some_and(|n| !n.error && n.text.contains("exported"))
    );

    h.get_by_role_and_label(Role::Button, "Export report")
        .click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Save export").click();
    h.run();
    let md = json.with_extension("md");
    let text = std::fs::read_to_string(&md).expect("Markdown is the default format");
    assert!(text.contains(&report.items[0].title));
}

#[test]
fn a_bad_snapshot_path_says_what_failed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness(OnwatchApp::new(config(dir.path())));
    let missing = dir.path().join("no-such-scan.json");
    let field = h.get_by_role_and_label(Role::TextInput, "File");
    field.focus();
    field.type_text(&missing.display().to_string());
    h.run();
    h.get_by_role_and_label(Role::Button, "Open snapshot")
        .click();
    h.run();
    assert!(matches!(h.state().screen(), Screen::Start));
    let notice = h.state().notice().expect("an error is shown");
    assert!(
        notice.error && notice.text.contains("no-such-scan.json"),
        "{notice:?}"
    );

    // A real snapshot opens.
    let good = dir.path().join("demo.json");
    onwatch::demo::snapshot()
        .expect("demo")
        .save(&good)
        .expect("save");
    h.state_mut().push(onwatch::gui::Action::OpenSnapshot(good));
    h.run();
    assert!(h.state().report().is_some());
}

#[test]
fn aws_profiles_include_sso_and_credentials_file_profiles() {
    let config = "[default]\nregion = eu-west-1\n\n[profile dev]\nsso_session = acme\nsso_account_id = 1\n\
        [sso-session acme]\nsso_start_url = https://acme.awsapps.com/start\n\
        [profile deploy]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n\
        [services local]\ns3 =\n  endpoint_url = http://localhost\n";
    let credentials = "[default]\naws_access_key_id = AKIA\naws_secret_access_key = x\n[ci]\naws_access_key_id = AKIB\n";
    let profiles = parse_profiles(config, credentials);
    let names: Vec<(&str, ProfileKind)> =
        profiles.iter().map(|p| (p.name.as_str(), p.kind)).collect();
    assert_eq!(
        names,
        vec![
            ("ci", ProfileKind::Keys),
            ("default", ProfileKind::Keys),
            ("deploy", ProfileKind::Role),
            ("dev", ProfileKind::Sso),
        ]
    );
    assert_eq!(profiles[1].region.as_deref(), Some("eu-west-1"));
}

#[test]
fn start_screen_lists_profiles_from_the_aws_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("aws")).expect("mkdir");
    std::fs::write(
        dir.path().join("aws/config"),
        "[profile prod-sso]\nsso_session = acme\n",
    )
    .expect("write");
    let h = harness(OnwatchApp::new(config(dir.path())));
    let names: Vec<&str> = h
        .state()
        .start_state()
        .profiles
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, vec!["prod-sso"]);
    h.get_by_role_and_label(Role::Button, "Open the demo account");
    h.get_by_role_and_label(Role::Button, "Browse for a snapshot");
}

/// Steps the window (without waiting for it to settle: spinners animate) until `done`.
fn wait_until(h: &mut Harness<'_, OnwatchApp>, what: &str, done: impl Fn(&OnwatchApp) -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(240);
    while !done(h.state()) {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.step();
    h.step();
}

#[test]
fn live_scan_shows_identity_progress_then_results_and_can_be_cancelled() {
    use crate::local_aws::{ACCOUNT, LocalAws, SEEDED};
    use onwatch::gui::Pending;

    let aws = LocalAws::start();
    aws.seed("neglected");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cfg = config(dir.path());
    cfg.runtime = Some(runtime.handle().clone());
    cfg.scan_base = onwatch::collect::ScanOptions {
        regions: None,
        ..aws.options(&[])
    };
    let mut h = harness(OnwatchApp::new(cfg));

    h.get_by_role_and_label(Role::Button, "Check identity")
        .click();
    h.step();
    wait_until(&mut h, "the identity", |app| {
        matches!(app.start_state().identity, Pending::Done(_))
            && matches!(app.start_state().regions, Pending::Done(_))
    });
    assert!(
        matches!(&h.state().start_state().identity, Pending::Done(Ok(id)) if id.account_id == ACCOUNT),
        "{:?}",
        h.state().start_state().identity
    );
    h.get_by_label(ACCOUNT);
    // All enabled regions are chosen by default; narrow to the seeded ones.
    let enabled = match &h.state().start_state().regions {
        Pending::Done(Ok(regions)) => regions.clone(),
        other => panic!("regions did not load: {other:?}"),
    };
    assert_eq!(h.state().start_state().chosen_regions.len(), enabled.len());
    h.get_by_role_and_label(Role::Button, "Select no region")
        .click();
    h.step();
    for region in SEEDED {
        h.get_by_role_and_label(Role::CheckBox, region).click();
        h.step();
    }
    h.step();
    assert_eq!(h.state().start_state().chosen_regions.len(), SEEDED.len());

    // Cancel: back to the start screen, and the aborted scan never opens a report.
    h.get_by_role_and_label(Role::Button, "Scan the account")
        .click();
    h.step();
    h.step();
    assert!(matches!(h.state().screen(), Screen::Scanning(_)));
    h.get_by_role_and_label(Role::Button, "Cancel scan").click();
    h.step();
    h.step();
    assert!(matches!(h.state().screen(), Screen::Start));
    for _ in 0..50 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        matches!(h.state().screen(), Screen::Start),
        "a cancelled scan stays cancelled"
    );

    // A full scan: progress first, then the scored checklist.
    h.get_by_role_and_label(Role::Button, "Scan the account")
        .click();
    h.step();
    wait_until(
        &mut h,
        "scan progress",
        |app| matches!(app.screen(), Screen::Scanning(s) if s.total > 0 && !s.tasks.is_empty()),
    );
    h.get_by(|n| {
        n.label()
            .is_some_and(|l| l.ends_with(" reads") && l.contains(" of "))
    });
    wait_until(&mut h, "the scan result", |app| app.report().is_some());
    let report = report(&h);
    assert_eq!(report.account.id, ACCOUNT);
    assert_eq!(report.account.regions.len(), SEEDED.len());
    assert!(
        report.items.iter().any(|i| i.status.is_failing()),
        "the neglected seed fails items"
    );
    h.get_by_label(&score_label(&report));
    let saved = std::fs::read_dir(dir.path().join("data/snapshots"))
        .expect("snapshots folder")
        .count();
    assert_eq!(saved, 1, "the scan is saved as a snapshot");
}
