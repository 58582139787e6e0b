//! Issue 12: the Fix button, "Fix everything" and the fix history in the window. On the
//! demo account plans are shown and nothing can run; on the local endpoint a fix runs
//! after one confirmation, the item turns green, and the history undoes it.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use onwatch::gui::fixing::{FixPhase, Permissions};
use onwatch::gui::{OnwatchApp, Pending};
use onwatch::report::ItemStatus;

use super::{assert_named, click_item, config, demo, harness, report, wait_until};
use crate::local_aws::{ACCOUNT, LocalAws};

/// Scrolls a button into view (the Fix button is at the end of a long detail panel),
/// then clicks it as a user would.
pub(super) fn press(h: &mut Harness<'_, OnwatchApp>, name: &str) {
    h.get_by_role_and_label(Role::Button, name).scroll_to_me();
    h.run_steps(3);
    h.get_by_role_and_label(Role::Button, name).click();
    // Steps rather than run(): a grid's first layout and a spinner repaint again.
    h.run_steps(4);
    settle(h);
}

/// Waits for the fix window's permission check (on a live account a background call
/// starts whenever the plans change), so its answer does not arrive, and repaint,
/// in the middle of a later `run()`.
pub(super) fn settle(h: &mut Harness<'_, OnwatchApp>) {
    wait_until(h, "the permission check", |app| {
        !matches!(
            app.fixer().map(|f| &f.permissions),
            Some(Permissions::Checking(_))
        )
    });
}

/// An item's title, as its list row and buttons name it.
pub(super) fn title(id: &str) -> String {
    onwatch::checklist::load_builtin()
        .expect("checklist")
        .item(id)
        .expect("item")
        .title
        .clone()
}

fn status(h: &Harness<'_, OnwatchApp>, id: &str) -> ItemStatus {
    report(h)
        .items
        .iter()
        .find(|i| i.id == id)
        .map(|i| i.status)
        .expect("the item")
}

/// A window on the local endpoint seeded `neglected` in us-east-1, scanned.
fn scanned(
    aws: &LocalAws,
    runtime: &tokio::runtime::Runtime,
    dir: &std::path::Path,
) -> Harness<'static, OnwatchApp> {
    scanned_with(aws.options(&[]), runtime, dir)
}

/// The same, with these scan options (another identity's credentials).
pub(super) fn scanned_with(
    options: onwatch::collect::ScanOptions,
    runtime: &tokio::runtime::Runtime,
    dir: &std::path::Path,
) -> Harness<'static, OnwatchApp> {
    let mut cfg = config(dir);
    cfg.runtime = Some(runtime.handle().clone());
    cfg.scan_base = onwatch::collect::ScanOptions {
        regions: None,
        ..options
    };
    cfg.settings.regions = vec!["us-east-1".into()];
    let mut h = harness(OnwatchApp::new(cfg));
    h.run();
    h.get_by_role_and_label(Role::Button, "Check identity")
        .click();
    h.step();
    wait_until(&mut h, "the identity", |app| {
        matches!(app.start_state().identity, Pending::Done(_))
            && matches!(app.start_state().regions, Pending::Done(_))
    });
    h.get_by_role_and_label(Role::Button, "Select none of the regions")
        .click();
    h.step();
    h.get_by_role_and_label(Role::CheckBox, "us-east-1").click();
    h.step();
    h.get_by_role_and_label(Role::Button, "Scan the account")
        .click();
    wait_until(&mut h, "the scan", |app| app.report().is_some());
    h
}

pub(super) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

#[test]
fn on_the_demo_a_fix_shows_its_plan_and_cannot_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let title = title("log-retention");
    click_item(&mut h, &title);
    press(&mut h, &format!("Fix {title}"));
    assert!(h.state().fixer().is_some(), "the fix window opened");
    assert_named(&h, "fix window on the demo");
    h.get_by_label_contains("This is the demo account");
    // The plan in plain words, with the choice as a field and the data-loss warning.
    h.get_by_label_contains("1. Keep 30 days of events in log group");
    h.get_by_role_and_label(Role::ComboBox, "Keep log events for");
    h.get_by_label_contains("Warning: ");
    let apply = h
        .get_by(|n| n.role() == Role::Button && n.label().is_some_and(|l| l.starts_with("Apply ")));
    assert!(
        apply.accesskit_node().is_disabled(),
        "nothing can run on the demo"
    );
    h.get_by_role_and_label(Role::Button, "Close the fix window")
        .click();
    h.run();
    assert!(h.state().fixer().is_none());

    // Fix everything: one row per failing item with a fix, each ticked; unticking one
    // takes its changes out of the total and runs nothing for it.
    h.get_by(|n| {
        n.role() == Role::Button && n.label().is_some_and(|l| l.starts_with("Fix everything:"))
    })
    .click();
    h.run();
    assert_named(&h, "fix everything on the demo");
    let fixer = h.state().fixer().expect("the window is open");
    let rows = fixer.rows.len();
    assert_eq!(
        rows,
        onwatch::gui::fixing::fixable_failing(&report(&h)).len()
    );
    assert!(rows > 3, "the demo fails several fixable items");
    let total = fixer.changes();
    let retention = fixer
        .rows
        .iter()
        .find(|r| r.item == "log-retention")
        .and_then(|r| r.plan.as_ref().ok())
        .map(|p| p.steps.len())
        .expect("log-retention is in the list");
    let include = format!("Include log-retention: {title} ({retention} change(s))");
    h.get_by_role_and_label(Role::CheckBox, &include)
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, &include).click();
    h.run();
    let fixer = h.state().fixer().expect("open");
    assert_eq!(fixer.changes(), total - retention);
    assert!(
        fixer
            .to_run()
            .iter()
            .all(|(i, _)| fixer.rows[*i].item != "log-retention")
    );
    h.get_by_label_contains("Not included: nothing runs for it.");
}

#[test]
fn a_live_fix_runs_after_one_confirmation_turns_the_item_green_and_undoes_from_history() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &["us-east-1"]);
    let runtime = runtime();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = scanned(&aws, &runtime, dir.path());
    assert_eq!(status(&h, "ecr-scan-on-push"), ItemStatus::Fail);
    let score_before = report(&h).score.overall;

    let title = title("ecr-scan-on-push");
    click_item(&mut h, &title);
    press(&mut h, &format!("Fix {title}"));
    assert_named(&h, "fix window, live");
    let changes = h.state().fixer().expect("open").changes();
    assert!(changes > 0);
    h.get_by_role_and_label(
        Role::Button,
        &format!("Apply {changes} change(s) to the account"),
    )
    .click();
    h.run();
    // One confirmation names the account; nothing has run yet.
    assert!(matches!(
        h.state().fixer().expect("open").phase,
        FixPhase::Confirm
    ));
    assert_named(&h, "fix confirmation");
    let writes_before = aws.calls()["total"].as_u64();
    h.get_by_role_and_label(Role::Button, &format!("Change account {ACCOUNT}"))
        .click();
    h.step();
    wait_until(&mut h, "the fix and its re-check", |app| {
        matches!(app.fixer().map(|f| &f.phase), Some(FixPhase::Done(_)))
    });
    assert_ne!(aws.calls()["total"].as_u64(), writes_before);
    let FixPhase::Done(outcome) = &h.state().fixer().expect("open").phase else {
        unreachable!("waited for Done");
    };
    assert!(outcome.clean(), "{outcome:#?}");
    assert_eq!(
        outcome.items,
        [(
            "ecr-scan-on-push".to_string(),
            ItemStatus::Fail,
            ItemStatus::Pass
        )]
    );
    assert_named(&h, "fix done");
    h.get_by_label_contains("Score:");
    h.get_by_label_contains("Done: 1. ");
    let steps = outcome.steps.len();
    h.get_by_label_contains(&format!("{steps} of {steps} step(s) done."));
    assert_eq!(status(&h, "ecr-scan-on-push"), ItemStatus::Pass);
    assert!(report(&h).score.overall > score_before, "the score moved");
    h.get_by_role_and_label(Role::Button, "Close the fix window")
        .click();
    h.run();

    // The history lists the run; its Undo asks again and brings the failure back.
    h.get_by_role_and_label(Role::Button, "Fix history and undo")
        .click();
    h.run();
    assert_named(&h, "fix history");
    let undo = h.get_by(|n| {
        n.role() == Role::Button
            && n.label()
                .is_some_and(|l| l.starts_with("Undo ecr-scan-on-push run "))
    });
    undo.click();
    h.run_steps(4);
    settle(&mut h);
    let undo_changes = h.state().fixer().expect("undo window").changes();
    assert_eq!(undo_changes, changes);
    h.get_by_role_and_label(
        Role::Button,
        &format!("Apply {undo_changes} change(s) to the account"),
    )
    .click();
    h.run();
    h.get_by_role_and_label(Role::Button, &format!("Change account {ACCOUNT}"))
        .click();
    h.step();
    wait_until(&mut h, "the undo", |app| {
        matches!(app.fixer().map(|f| &f.phase), Some(FixPhase::Done(_)))
    });
    assert_eq!(status(&h, "ecr-scan-on-push"), ItemStatus::Fail);
    h.get_by_role_and_label(Role::Button, "Close the fix window")
        .click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Fix history and undo")
        .click();
    h.run();
    h.get_by_label_contains("undone by ");
}

/// The alert channel: an address typed once is subscribed; the end of the run shows per
/// region that the subscription waits for the click, and "Check again" (one call per
/// topic, not a scan) shows it confirmed once the person clicked.
#[test]
fn the_channel_subscription_is_shown_pending_then_confirmed_on_check_again() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &["us-east-1"]);
    let runtime = runtime();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = scanned(&aws, &runtime, dir.path());
    let title = title("guardduty-findings-routed");
    click_item(&mut h, &title);
    press(&mut h, &format!("Fix {title}"));
    let field = h.get_by_role_and_label(Role::TextInput, "Alert channel");
    field.focus();
    field.type_text("oncall@example.com");
    h.run_steps(4);
    settle(&mut h);
    let changes = h.state().fixer().expect("open").changes();
    assert!(changes > 0, "the channel makes a plan");
    press(&mut h, &format!("Apply {changes} change(s) to the account"));
    press(&mut h, &format!("Change account {ACCOUNT}"));
    wait_until(&mut h, "the fix", |app| {
        matches!(app.fixer().map(|f| &f.phase), Some(FixPhase::Done(_)))
    });
    h.get_by_label("1 waiting for the link to be clicked");
    assert_named(&h, "fix done with a pending channel");
    let before = aws.calls()["total"].as_u64().expect("total");
    aws.post(
        "/_onwatch/sns/confirm",
        &serde_json::json!({"topic_arn": format!("arn:aws:sns:us-east-1:{ACCOUNT}:onwatch-alerts")}),
    );
    press(
        &mut h,
        "Check again whether the subscriptions are confirmed",
    );
    wait_until(
        &mut h,
        "the check",
        |app| matches!(app.fixer().map(|f| &f.phase), Some(FixPhase::Done(o)) if !o.checking),
    );
    h.get_by_label("confirmed");
    let calls = aws.calls()["total"].as_u64().expect("total") - before;
    assert!(calls <= 2, "one call per topic, not a scan: {calls}");
    assert_eq!(
        h.state()
            .settings_to_save()
            .channels
            .get(ACCOUNT)
            .map(String::as_str),
        Some("oncall@example.com"),
        "the channel is remembered for this account"
    );
}

/// Opens the fix window for one item, types the channel and confirms; waits for the end.
fn fix_with_channel(h: &mut Harness<'static, OnwatchApp>, item: &str, wait: bool) {
    let title = title(item);
    click_item(h, &title);
    press(h, &format!("Fix {title}"));
    let field = h.get_by_role_and_label(Role::TextInput, "Alert channel");
    field.focus();
    field.type_text("oncall@example.com");
    h.run_steps(3);
    let changes = h.state().fixer().expect("open").changes();
    press(h, &format!("Apply {changes} change(s) to the account"));
    press(h, &format!("Change account {ACCOUNT}"));
    if wait {
        wait_until(h, "the fix", |app| {
            matches!(app.fixer().map(|f| &f.phase), Some(FixPhase::Done(_)))
        });
    }
}

fn outcome(h: &Harness<'_, OnwatchApp>) -> onwatch::gui::fixing::FixOutcome {
    match &h.state().fixer().expect("open").phase {
        FixPhase::Done(o) => o.clone(),
        other => panic!("not done: {other:?}"),
    }
}

/// A write denied halfway: the run stops there, the window names the permission, the
/// history shows the partial run, and its undo removes exactly what ran.
#[test]
fn a_denied_step_stops_the_run_names_the_permission_and_undo_removes_what_ran() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &["us-east-1"]);
    let runtime = runtime();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = scanned(&aws, &runtime, dir.path());
    aws.fault(crate::local_aws::Fault {
        service: "events",
        region: "*",
        paged: false,
        operation: Some("PutTargets"),
        status: 400,
        code: "AccessDeniedException",
        message: "User is not authorized to perform: events:PutTargets",
    });
    fix_with_channel(&mut h, "guardduty-findings-routed", true);
    let done = outcome(&h);
    assert!(!done.clean());
    assert!(
        done.error
            .as_deref()
            .is_some_and(|e| e.contains("events:PutTargets")),
        "{done:#?}"
    );
    h.get_by_label_contains("the profile lacks events:PutTargets");
    let ran = done
        .steps
        .values()
        .filter(|s| {
            matches!(s, onwatch::gui::fixing::StepState::Ended(r)
                if r.outcome == onwatch::fix::audit::Outcome::Done)
        })
        .count();
    assert_eq!(
        ran, 3,
        "topic, subscription and rule ran; the target did not"
    );
    assert_named(&h, "a stopped run");
    press(&mut h, "Close the fix window");
    press(&mut h, "Fix history and undo");
    h.get_by_label("4 step(s), 1 did not run");

    aws.clear_faults();
    let undo = h.get_by(|n| {
        n.role() == Role::Button
            && n.label()
                .is_some_and(|l| l.starts_with("Undo guardduty-findings-routed run "))
    });
    undo.click();
    h.run_steps(4);
    settle(&mut h);
    assert_eq!(h.state().fixer().expect("undo").changes(), 3);
    press(&mut h, "Apply 3 change(s) to the account");
    press(&mut h, &format!("Change account {ACCOUNT}"));
    wait_until(&mut h, "the undo", |app| {
        matches!(app.fixer().map(|f| &f.phase), Some(FixPhase::Done(_)))
    });
    assert!(outcome(&h).clean(), "{:#?}", outcome(&h));
    let rt = tokio::runtime::Runtime::new().expect("rt");
    let rules = rt
        .block_on(
            aws_sdk_eventbridge::Client::new(&aws.sdk)
                .list_rules()
                .name_prefix("onwatch")
                .send(),
        )
        .expect("ListRules");
    assert!(rules.rules().is_empty(), "the rule onwatch made is gone");
    let topics = rt
        .block_on(aws_sdk_sns::Client::new(&aws.sdk).list_topics().send())
        .expect("ListTopics");
    assert!(
        !topics.topics().iter().any(|t| t
            .topic_arn()
            .is_some_and(|a| a.ends_with(":onwatch-alerts"))),
        "the topic onwatch made is gone"
    );
}

/// Cancel while a run is under way: it stops before the next step and says what ran.
#[test]
fn cancel_in_the_window_stops_before_the_next_step() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &["us-east-1"]);
    let runtime = runtime();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = scanned(&aws, &runtime, dir.path());
    // Slow answers, so there is time to press Cancel after the first step.
    aws.post("/_onwatch/latency", &serde_json::json!({"ms": 400}));
    fix_with_channel(&mut h, "guardduty-findings-routed", false);
    wait_until(&mut h, "the first step", |app| {
        matches!(app.fixer().map(|f| &f.phase),
            Some(FixPhase::Running { steps, .. })
                if matches!(steps.get(&(0, 1)), Some(onwatch::gui::fixing::StepState::Ended(_))))
    });
    assert_named(&h, "a run in progress");
    h.get_by_role_and_label(Role::Button, "Cancel the fix before its next step")
        .click();
    h.run_steps(3);
    wait_until(&mut h, "the cancelled run", |app| {
        matches!(app.fixer().map(|f| &f.phase), Some(FixPhase::Done(_)))
    });
    let done = outcome(&h);
    assert!(done.cancelled, "{done:#?}");
    assert!(
        done.steps.len() < 4,
        "the last steps never started: {done:#?}"
    );
    h.get_by_label_contains("Cancelled.");
    aws.post("/_onwatch/latency", &serde_json::json!({"ms": 0}));
}

/// Fix everything on the neglected account: what the summary says after the run is
/// what an independent re-scan finds.
#[test]
fn fix_everything_summary_matches_a_rescan() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &["us-east-1"]);
    let runtime = runtime();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = scanned(&aws, &runtime, dir.path());
    let n = onwatch::gui::fixing::fixable_failing(&report(&h)).len();
    press(
        &mut h,
        &format!("Fix everything: {n} failing item(s) with a fix"),
    );
    let field = h.get_by_role_and_label(Role::TextInput, "Alert channel");
    field.focus();
    field.type_text("oncall@example.com");
    h.run_steps(3);
    let changes = h.state().fixer().expect("open").changes();
    assert!(changes > 10, "{changes}");
    press(&mut h, &format!("Apply {changes} change(s) to the account"));
    press(&mut h, &format!("Change account {ACCOUNT}"));
    wait_until(&mut h, "everything", |app| {
        matches!(app.fixer().map(|f| &f.phase), Some(FixPhase::Done(_)))
    });
    let done = outcome(&h);
    assert!(done.clean(), "{done:#?}");
    let snapshot = runtime.block_on(aws.collect(&["us-east-1"]));
    let fresh = onwatch::evaluate(
        &onwatch::checklist::load_builtin().expect("checklist"),
        &snapshot,
        &onwatch::answers::Answers::default(),
        snapshot.collected_at,
    );
    for (item, before, after) in &done.items {
        let now = fresh
            .items
            .iter()
            .find(|i| &i.id == item)
            .map(|i| i.status)
            .expect("item");
        assert_eq!(*after, now, "{item}: the summary says what a re-scan finds");
        assert!(before.is_failing());
    }
    let passing = done
        .items
        .iter()
        .filter(|(_, _, a)| !a.is_failing())
        .count();
    h.get_by_label_contains(&format!(
        "{passing} of {} item(s) pass now.",
        done.items.len()
    ));
}

/// Fire drill from the window: Test the path previews the real test, one confirmation
/// sends it, the window asks whether it reached someone, and the answer moves
/// alert-path-tested and is saved with the answers.
#[test]
fn a_fire_drill_from_the_window_is_recorded_and_moves_alert_path_tested() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &["us-east-1"]);
    let runtime = runtime();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = scanned(&aws, &runtime, dir.path());
    let security = |h: &Harness<'_, OnwatchApp>| {
        report(h)
            .items
            .iter()
            .find(|i| i.id == "alert-path-tested")
            .and_then(|i| i.findings.iter().find(|f| f.resource == "security alerts"))
            .map(|f| f.status)
    };
    assert_eq!(security(&h), Some(onwatch::report::FindingStatus::ToAnswer));
    let title = title("guardduty-findings-routed");
    click_item(&mut h, &title);
    press(&mut h, &format!("Test the path: {title}"));
    assert_named(&h, "drill preview");
    h.get_by_label_contains("1. Make a sample high-severity GuardDuty finding");
    h.get_by_label_contains("This reaches real people");
    let tests = h.state().fixer().expect("open").changes();
    assert_eq!(tests, 1, "one region routes GuardDuty findings");
    press(&mut h, "Send 1 test(s) through the alert routes");
    press(&mut h, &format!("Send the tests in account {ACCOUNT}"));
    wait_until(&mut h, "the drill", |app| {
        matches!(app.fixer().map(|f| &f.phase), Some(FixPhase::Done(_)))
    });
    let samples = aws.request("GET", "/_onwatch/guardduty/samples", None);
    assert_eq!(samples["samples"].as_array().map(Vec::len), Some(1));
    assert_named(&h, "drill prompt");
    h.get_by_label_contains("Did it reach you?");
    let who = h.get_by_role_and_label(Role::TextInput, "Who got it, and when?");
    who.focus();
    who.type_text("Aiko, phone, 2 minutes later");
    h.run_steps(3);
    press(&mut h, "Yes, it reached someone: record the drill");
    assert_eq!(security(&h), Some(onwatch::report::FindingStatus::Pass));
    let saved =
        onwatch::answers::Answers::load(&dir.path().join(format!("data/answers/{ACCOUNT}.toml")))
            .expect("the answers file");
    let drill = &saved.drills["security"]["us-east-1"];
    assert_eq!(drill.who.as_deref(), Some("Aiko, phone, 2 minutes later"));
}
