//! Properties of evaluation and scoring over generated snapshots.

mod generators;
mod region_gen;

use onwatch::answers::{Answer, Answers, YesNo};
use onwatch::checklist::Checklist;
use onwatch::report::{FindingStatus, score_items};
use onwatch::snapshot::*;
use proptest::prelude::*;

use crate::fixtures::{builtin, now};
use generators::{reversed, snapshot};

/// The built-in checklist with every automated item answerable too (a user folder can
/// declare that), so answers and findings meet in every item.
fn all_answerable() -> Checklist {
    let mut checklist = builtin();
    for item in &mut checklist.items {
        if !item.answerable {
            item.answerable = true;
            item.question = Some("Handled another way?".into());
        }
    }
    checklist
}

/// Answers to some items: `picks[k]` answers the k-th item (None, yes or no).
fn answers_for(checklist: &Checklist, picks: &[Option<bool>]) -> Answers {
    let mut answers = Answers::default();
    for (item, pick) in checklist.items.iter().zip(picks) {
        if let Some(yes) = pick {
            answers.answers.insert(
                item.id.clone(),
                Answer {
                    answer: if *yes { YesNo::Yes } else { YesNo::No },
                    note: None,
                    date: Some("2026-11-01".into()),
                },
            );
        }
    }
    answers
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn scores_stay_between_0_and_100(snapshot in snapshot()) {
        let report = onwatch::evaluate(&builtin(), &snapshot, &Answers::default(), now());
        let s = &report.score;
        if let Some(o) = s.overall { prop_assert!((0.0..=100.0).contains(&o), "overall {o}"); }
        if let Some(c) = s.coverage { prop_assert!((0.0..=1.0).contains(&c), "coverage {c}"); }
        if s.overall.is_none() {
            prop_assert!(s.coverage.is_none_or(|c| c == 0.0), "nothing scored, nothing covered: {:?}", s.coverage);
        }
        for (id, c) in &s.categories {
            if let Some(v) = c.score { prop_assert!((0.0..=100.0).contains(&v), "{} {v}", id.id()); }
            if let Some(v) = c.coverage { prop_assert!((0.0..=1.0).contains(&v), "{} coverage {v}", id.id()); }
            prop_assert!(c.coverage.is_some() || c.score.is_none(), "{}: a score needs something to cover", id.id());
        }
    }

    /// Runs the same code evaluation runs for an item (findings + answers -> status),
    /// with one failing finding turned passing, and with the user's answers in play.
    #[test]
    fn a_failing_finding_turned_passing_never_lowers_the_score(
        snapshot in snapshot(),
        picks in prop::collection::vec(prop::option::of(any::<bool>()), 40),
        pick in any::<prop::sample::Index>(),
    ) {
        let checklist = all_answerable();
        let answers = answers_for(&checklist, &picks);
        let report = onwatch::evaluate(&checklist, &snapshot, &answers, now());
        let failing: Vec<(usize, usize)> = report.items.iter().enumerate().flat_map(|(i, item)| {
            item.findings.iter().enumerate().filter(|(_, f)| f.status == FindingStatus::Fail).map(move |(j, _)| (i, j))
        }).collect();
        prop_assume!(!failing.is_empty());
        let (i, j) = failing[pick.index(failing.len())];
        let mut findings = report.items[i].findings.clone();
        findings[j].status = FindingStatus::Pass;
        let mut items = report.items.clone();
        items[i] = onwatch::evaluate::item_report(&checklist.items[i], findings, &answers, now().date_naive());
        let (before, after) = (&report.score, score_items(&items));
        let (b, a) = (before.overall.unwrap_or(0.0), after.overall.unwrap_or(0.0));
        prop_assert!(a >= b, "score went from {b} to {a} ({} {:?} -> {:?})", items[i].id, report.items[i].status, items[i].status);
        let cat = items[i].category;
        let cb = before.categories.get(&cat).and_then(|c| c.score).unwrap_or(0.0);
        let ca = after.categories.get(&cat).and_then(|c| c.score).unwrap_or(0.0);
        prop_assert!(ca >= cb, "category {} went from {cb} to {ca}", cat.id());
    }

    #[test]
    fn resource_order_does_not_change_the_report(snapshot in snapshot()) {
        let checklist = builtin();
        let a = onwatch::evaluate(&checklist, &snapshot, &Answers::default(), now());
        let b = onwatch::evaluate(&checklist, &reversed(&snapshot), &Answers::default(), now());
        prop_assert_eq!(a.to_json().expect("json"), b.to_json().expect("json"));
    }

    #[test]
    fn a_snapshot_round_trips_through_json(snapshot in snapshot()) {
        let json = snapshot.to_json().expect("serialises");
        let back = AccountSnapshot::from_json(&json, "generated").expect("parses");
        prop_assert_eq!(back, snapshot);
    }
}

/// The generators reach the interesting cases: resource alarms that pass as well as
/// fail, so the properties above are not only exercised on failing resources.
#[test]
fn generated_snapshots_include_passing_resource_alarms() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let checklist = builtin();
    let strategy = snapshot();
    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..300 {
        let snap = strategy
            .new_tree(&mut runner)
            .expect("a snapshot is generated")
            .current();
        let report = onwatch::evaluate(&checklist, &snap, &Answers::default(), now());
        for item in &report.items {
            for f in &item.findings {
                seen.insert((item.id.clone(), f.status));
            }
        }
    }
    for id in [
        "ecs-service-alarms",
        "alb-alarms",
        "rds-cpu-alarm",
        "ecr-scan-on-push",
        "guardduty-findings-routed",
        "alarm-response-pattern",
    ] {
        for status in [FindingStatus::Pass, FindingStatus::Fail] {
            assert!(
                seen.contains(&(id.to_string(), status)),
                "{id} never {status:?} in 300 generated snapshots"
            );
        }
    }
}
