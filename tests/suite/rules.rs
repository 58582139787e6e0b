//! Every automated checklist item: pass, fail, could-not-check and not-applicable,
//! from small snapshots evaluated through the built-in checklist.

use onwatch::report::ItemStatus;
use onwatch::snapshot::*;

use crate::fixtures::*;

pub(super) const NA: ItemStatus = ItemStatus::NotApplicable;
pub(super) const PASS: ItemStatus = ItemStatus::Pass;
pub(super) const FAIL: ItemStatus = ItemStatus::Fail;

/// One topic with a confirmed email subscription, as alarm actions.
pub(super) fn routed(r: &mut RegionSnapshot) -> Vec<String> {
    vec![add_topic(r, "ops", true)]
}

#[test]
fn every_built_in_automated_item_is_covered_here() {
    // The tests above name these items; a new item needs its own test.
    let tested = [
        "guardduty-enabled",
        "guardduty-findings-routed",
        "cloudtrail-multi-region",
        "config-recording",
        "ecr-scan-on-push",
        "rds-performance-insights",
        "rds-storage-headroom",
        "rds-cpu-alarm",
        "rds-connections-alarm",
        "ecs-container-insights",
        "ecs-service-alarms",
        "synthetics-canary",
        "alb-alarms",
        "ecs-logging",
        "log-retention",
        "error-tracking",
        "alarm-actions",
        "sns-confirmed-subscriptions",
        "alarm-stuck",
        "alarm-flapping",
        "alarm-response-pattern",
        "budget-notification",
        "cost-anomaly-detection",
        "alert-path-tested",
    ];
    let automated: Vec<String> = builtin()
        .items
        .iter()
        .filter(|i| !i.is_practice())
        .map(|i| i.id.clone())
        .collect();
    let mut a = automated.clone();
    a.sort();
    let mut t: Vec<String> = tested.iter().map(|s| s.to_string()).collect();
    t.sort();
    assert_eq!(a, t);
}

#[test]
fn practice_items_take_the_users_answer() {
    use onwatch::answers::{Answer, Answers, YesNo};
    // One passing item, so the score is neither 0 nor 100 before the answer.
    let snapshot = account(|r, _| {
        set(
            &mut r.guardduty_detectors,
            vec![GuardDutyDetector {
                id: "d1".into(),
                status: "ENABLED".into(),
                finding_publishing_frequency: None,
                filters: None,
            }],
        )
    });
    let status_with = |answer: Option<YesNo>| {
        let mut answers = Answers::default();
        if let Some(a) = answer {
            answers.answers.insert(
                "practice-on-call-rotation".into(),
                Answer {
                    answer: a,
                    note: Some("weekly rotation in PagerDuty".into()),
                    date: Some("2026-11-01".into()),
                },
            );
        }
        let report = onwatch::evaluate(&builtin(), &snapshot, &answers, now());
        let item = report
            .item("practice-on-call-rotation")
            .expect("practice item")
            .clone();
        (item, report.score.overall)
    };
    let (unanswered, s0) = status_with(None);
    let (yes, s1) = status_with(Some(YesNo::Yes));
    let (no, s2) = status_with(Some(YesNo::No));
    assert_eq!(unanswered.status, ItemStatus::NotAnswered);
    assert_eq!(yes.status, ItemStatus::AnsweredYes);
    assert_eq!(no.status, ItemStatus::AnsweredNo);
    assert_eq!(
        yes.answer.as_ref().and_then(|a| a.date.as_deref()),
        Some("2026-11-01")
    );
    let (s0, s1, s2) = (
        s0.expect("scored"),
        s1.expect("scored"),
        s2.expect("scored"),
    );
    assert!(
        s1 > s0 && s0 > s2,
        "yes raises, no lowers the score: {s2} < {s0} < {s1}"
    );
}

mod alerting;
mod items_alerting;
mod items_application;
mod items_cost;
mod items_resources;
mod items_security;
mod security;
