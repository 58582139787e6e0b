//! The account's saved scans in the window: the earlier scan is read in the
//! background, the score panel says what changed since it, and "Scan history" shows
//! the trend, the list of scans and the fixed and new findings.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use onwatch::gui::scans::Scans;

use super::{assert_named, demo, report, wait_until};
use crate::fixtures;

#[test]
fn an_earlier_saved_scan_gives_since_the_last_scan_and_a_trend() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The window keeps its scans in <data>/snapshots; one from a week ago is there.
    let old = fixtures::demo_week_earlier();
    let old_report = fixtures::evaluate(&old);
    onwatch::history::save(&dir.path().join("data"), &old, &old_report)
        .expect("saves into the history");

    let mut h = demo(dir.path());
    wait_until(&mut h, "the saved scans", |app| {
        app.session()
            .is_some_and(|s| matches!(s.scans, Scans::Loaded(_)))
    });
    let now = report(&h);
    let since = now
        .since_last
        .clone()
        .expect("compared with the saved scan");
    assert_eq!(since.collected_at, old.collected_at);
    assert!(
        since
            .diff
            .fixed
            .iter()
            .any(|k| k.item == "guardduty-enabled" && k.region == "eu-west-1"),
        "{:?}",
        since.diff.fixed
    );
    h.get_by_label_contains(&format!("since {}: ", old.collected_at.format("%Y-%m-%d")));

    h.get_by_role_and_label(
        Role::Button,
        "Scan history: score trend and changes since the last scan",
    )
    .click();
    h.run_steps(4);
    assert_named(&h, "scan history");
    h.get_by_label_contains("Score trend over 1 saved scan(s)");
    h.get_by_label_contains("Compared with the scan of");
    h.get_by_label_contains(&format!("Fixed ({})", since.diff.fixed.len()));
    h.get_by_label_contains("GuardDuty is on in every region: GuardDuty in eu-west-1");
    // The recorded score of the saved scan is in its row.
    let recorded = old_report.score.overall.map(|s| format!("{s:.1}"));
    let recorded = recorded.expect("the old scan has a score");
    assert!(h.query_all_by_label(&recorded).count() >= 1, "{recorded}");
}
