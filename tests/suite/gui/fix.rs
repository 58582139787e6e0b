//! Issue 12: the Fix button, "Fix everything" and the fix history in the window. On the
//! demo account plans are shown and nothing can run; on the local endpoint a fix runs
//! after one confirmation, the item turns green, and the history undoes it.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use onwatch::gui::fixing::FixPhase;
use onwatch::gui::{OnwatchApp, Pending};
use onwatch::report::ItemStatus;

use super::{assert_named, click_item, config, demo, harness, report, wait_until};
use crate::local_aws::{ACCOUNT, LocalAws};

/// Scrolls a button into view (the Fix button is at the end of a long detail panel),
/// then clicks it as a user would.
fn press(h: &mut Harness<'_, OnwatchApp>, name: &str) {
    h.get_by_role_and_label(Role::Button, name).scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Button, name).click();
    h.run();
}

fn status(h: &Harness<'_, OnwatchApp>, id: &str) -> ItemStatus {
    report(h)
        .items
        .iter()
        .find(|i| i.id == id)
        .map(|i| i.status)
        .expect("the item")
}

#[test]
fn on_the_demo_a_fix_shows_its_plan_and_cannot_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let title = onwatch::checklist::load_builtin()
        .expect("checklist")
        .item("log-retention")
        .expect("item")
        .title
        .clone();
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
    assert_eq!(status(&h, "ecr-scan-on-push"), ItemStatus::Fail);
    let score_before = report(&h).score.overall;

    let title = onwatch::checklist::load_builtin()
        .expect("checklist")
        .item("ecr-scan-on-push")
        .expect("item")
        .title
        .clone();
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
    h.run();
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
