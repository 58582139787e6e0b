//! Live scans from the window against the local AWS endpoint (scripts/local-aws).

use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use onwatch::gui::{OnwatchApp, Pending, Screen};

use super::{assert_named, config, harness, report, score_label, wait_until};
use crate::local_aws::{ACCOUNT, Fault, LocalAws, SEEDED};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn window(
    aws: &LocalAws,
    runtime: &tokio::runtime::Runtime,
    dir: &std::path::Path,
) -> Harness<'static, OnwatchApp> {
    let mut cfg = config(dir);
    cfg.runtime = Some(runtime.handle().clone());
    cfg.scan_base = onwatch::collect::ScanOptions {
        regions: None,
        ..aws.options(&[])
    };
    harness(OnwatchApp::new(cfg))
}

fn check_identity(h: &mut Harness<'_, OnwatchApp>) {
    h.get_by_role_and_label(Role::Button, "Check identity")
        .click();
    h.step();
    wait_until(h, "the identity and the regions", |app| {
        matches!(app.start_state().identity, Pending::Done(_))
            && matches!(app.start_state().regions, Pending::Done(_))
    });
    assert!(
        matches!(&h.state().start_state().identity, Pending::Done(Ok(id)) if id.account_id == ACCOUNT),
        "{:?}",
        h.state().start_state().identity
    );
    h.get_by_label(ACCOUNT);
}

/// Only the given regions stay ticked.
fn choose_regions(h: &mut Harness<'_, OnwatchApp>, regions: &[&str]) {
    h.get_by_role_and_label(Role::Button, "Select none of the regions")
        .click();
    h.step();
    for region in regions {
        h.get_by_role_and_label(Role::CheckBox, region).click();
        h.step();
    }
    h.step();
    assert_eq!(h.state().start_state().chosen_regions.len(), regions.len());
}

/// What each frame of a scan showed: (reads done, reads in all) while the progress
/// screen was up. Frames are stepped without pause so none is skipped.
fn scan_to_the_end(h: &mut Harness<'_, OnwatchApp>) -> Vec<(usize, usize)> {
    h.get_by_role_and_label(Role::Button, "Scan the account")
        .click();
    let mut shown = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(240);
    while h.state().report().is_none() {
        assert!(Instant::now() < deadline, "timed out waiting for the scan");
        h.step();
        // What the frame just drawn showed (the first frame after the click still
        // drew the start screen).
        let bar = h
            .query_by(|n| {
                n.label()
                    .is_some_and(|l| l.ends_with(" reads") && l.contains(" of "))
            })
            .and_then(|n| n.accesskit_node().label())
            .and_then(|l| {
                let (done, rest) = l.split_once(" of ")?;
                let total = rest.strip_suffix(" reads")?;
                Some((done.parse::<usize>().ok()?, total.parse::<usize>().ok()?))
            });
        if let Some(progress) = bar {
            if shown.last() != Some(&progress) {
                shown.push(progress);
            }
            if progress.0 > 0 && progress.0 < progress.1 && shown.len() < 4 {
                assert_named(h, "scan in progress");
            }
        } else if let Some(problem) = &h.state().start_state().error {
            panic!("the scan failed: {problem:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    h.step();
    shown
}

#[test]
fn live_scan_shows_identity_progress_then_results_and_can_be_cancelled() {
    let aws = LocalAws::start();
    aws.seed("neglected");
    let runtime = runtime();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = window(&aws, &runtime, dir.path());
    check_identity(&mut h);
    assert_named(&h, "start screen with an identity");
    // All enabled regions are chosen by default; narrow to the seeded ones.
    let enabled = match &h.state().start_state().regions {
        Pending::Done(Ok(regions)) => regions.clone(),
        other => panic!("regions did not load: {other:?}"),
    };
    assert_eq!(h.state().start_state().chosen_regions.len(), enabled.len());
    choose_regions(&mut h, &SEEDED);

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
    // Requests already sent may still arrive; after that, a cancelled scan asks AWS
    // nothing more.
    std::thread::sleep(Duration::from_millis(300));
    let sent = aws.calls()["total"].as_u64().expect("total");
    for _ in 0..50 {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        matches!(h.state().screen(), Screen::Start),
        "a cancelled scan stays cancelled"
    );
    assert_eq!(
        aws.calls()["total"].as_u64(),
        Some(sent),
        "no AWS request after Cancel"
    );

    // A full scan: progress first, then the scored checklist.
    let shown = scan_to_the_end(&mut h);
    let total = shown.iter().map(|s| s.1).max().unwrap_or(0);
    assert!(
        total > 0,
        "the progress bar showed the number of reads: {shown:?}"
    );
    assert!(
        shown.iter().any(|&(done, total)| done > 0 && done < total),
        "frames showed the scan part-way: {shown:?}"
    );
    assert!(
        shown.windows(2).all(|w| w[0].0 <= w[1].0),
        "progress never goes back: {shown:?}"
    );
    let report = report(&h);
    assert_eq!(report.account.id, ACCOUNT);
    assert_eq!(report.account.regions.len(), SEEDED.len());
    assert!(
        report.items.iter().any(|i| i.status.is_failing()),
        "the neglected seed fails items"
    );
    h.get_by_label(&score_label(&report));
    let snapshots = dir.path().join("data/snapshots");
    let saved: Vec<_> = std::fs::read_dir(&snapshots)
        .expect("snapshots folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    assert_eq!(saved.len(), 1, "the scan is saved as a snapshot: {saved:?}");
    let index = std::fs::read_to_string(snapshots.join("history.jsonl")).expect("history index");
    assert_eq!(
        index.lines().count(),
        1,
        "and recorded once in the history: {index}"
    );
    assert!(
        index.contains(&saved[0]),
        "the history names the saved file: {index}"
    );
}

#[test]
fn when_regions_cannot_be_listed_the_standard_list_still_lets_you_scan() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    aws.fault(Fault {
        service: "ec2",
        region: "*",
        paged: false,
        operation: Some("DescribeRegions"),
        status: 403,
        code: "UnauthorizedOperation",
        message: "You are not authorized to perform this operation.",
    });
    let runtime = runtime();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = window(&aws, &runtime, dir.path());
    check_identity(&mut h);
    let problem = match &h.state().start_state().regions {
        Pending::Done(Err(p)) => p.clone(),
        other => panic!("expected the region list to fail: {other:?}"),
    };
    assert!(problem.text.contains("ec2:DescribeRegions"), "{problem:?}");
    h.get_by_label("Could not list the account's regions");
    h.get_by_label_contains("pick regions from the standard list");
    assert_named(&h, "start screen with the standard region list");
    // The standard list, the default regions ticked: Scan is possible.
    for region in ["ap-south-1", "me-central-1", "us-east-1"] {
        h.get_by_role_and_label(Role::CheckBox, region);
    }
    assert_eq!(h.state().start_state().chosen_regions.len(), 17);
    let scan = h.get_by_role_and_label(Role::Button, "Scan the account");
    assert!(!scan.accesskit_node().is_disabled());

    // A region typed in joins the list.
    choose_regions(&mut h, &["us-east-1"]);
    let field = h.get_by_role_and_label(Role::TextInput, "Other region");
    field.focus();
    field.type_text("eu-west-1");
    h.run();
    h.get_by_role_and_label(Role::Button, "Add region").click();
    h.run();
    let chosen: Vec<&str> = h
        .state()
        .start_state()
        .chosen_regions
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(chosen, ["eu-west-1", "us-east-1"]);

    scan_to_the_end(&mut h);
    let report = report(&h);
    assert_eq!(report.account.id, ACCOUNT);
    assert_eq!(report.account.regions, ["eu-west-1", "us-east-1"]);
}
