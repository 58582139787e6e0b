//! `evaluate(checklist, snapshot, answers)`: the pure heart of onwatch.

use chrono::{DateTime, Utc};

use crate::answers::{Answers, YesNo};
use crate::checklist::{Checklist, Item, TrustedRoute};
use crate::report::{
    AnswerSummary, Finding, FindingStatus, ItemReport, ItemStatus, REPORT_SCHEMA_VERSION, Report,
    ReportAccount, score_items,
};
use crate::rules::{self, RuleInput};
use crate::snapshot::AccountSnapshot;
use crate::t;

/// Scores a snapshot against a checklist and the user's answers. Deterministic: the
/// same inputs give the same report, whatever order resources were collected in.
pub fn evaluate(
    checklist: &Checklist,
    snapshot: &AccountSnapshot,
    answers: &Answers,
    generated_at: DateTime<Utc>,
) -> Report {
    let items: Vec<ItemReport> = checklist
        .items
        .iter()
        .map(|item| {
            evaluate_item(
                item,
                snapshot,
                answers,
                &checklist.trusted,
                generated_at.date_naive(),
            )
        })
        .collect();
    Report {
        schema_version: REPORT_SCHEMA_VERSION,
        account: ReportAccount {
            id: snapshot.account.id.clone(),
            alias: snapshot.account.alias.clone(),
            regions: snapshot.region_names(),
        },
        generated_at,
        collected_at: snapshot.collected_at,
        checklist_version: checklist.version.clone(),
        well_architected_version: checklist.well_architected.clone(),
        score: score_items(&items),
        items,
        since_last: None,
    }
}

/// An item's status from its findings. Something that failed makes the item fail
/// (`partial` when something else passed). Otherwise a finding that could not be checked
/// makes it `could_not_check`, even beside passes: an item passes only when everything
/// it covers was checked (the passing findings still earn their credit in the score;
/// the unchecked ones lower its coverage). `pass` when all evaluated findings pass, and
/// `not_applicable` when there is nothing to evaluate. A finding only a person can
/// settle (a drill not answered yet) makes an item that did not fail `not_answered`.
pub fn derive_status(findings: &[Finding]) -> ItemStatus {
    let has = |s: FindingStatus| findings.iter().any(|f| f.status == s);
    match (
        has(FindingStatus::Fail),
        has(FindingStatus::Pass),
        has(FindingStatus::CouldNotCheck),
    ) {
        (true, true, _) => ItemStatus::Partial,
        (true, false, _) => ItemStatus::Fail,
        (false, _, true) => ItemStatus::CouldNotCheck,
        _ if has(FindingStatus::ToAnswer) => ItemStatus::NotAnswered,
        (false, true, false) => ItemStatus::Pass,
        _ if has(FindingStatus::Accepted) => ItemStatus::Accepted,
        (false, false, false) => ItemStatus::NotApplicable,
    }
}

/// The findings of an item's rule, sorted.
pub fn run_rule(
    item: &Item,
    snapshot: &AccountSnapshot,
    trusted: &[TrustedRoute],
    answers: &Answers,
) -> Vec<Finding> {
    let mut findings = match rules::find(&item.rule) {
        Some(rule) => (rule.eval)(&RuleInput {
            snapshot,
            params: &item.params,
            trusted,
            drills: &answers.drills,
        }),
        None => vec![Finding {
            region: crate::snapshot::GLOBAL_REGION.to_string(),
            resource: item.id.clone(),
            status: FindingStatus::CouldNotCheck,
            evidence: String::new(),
            reason: Some(t!("evaluate.no_rule", rule = item.rule).into_owned()),
            missing_permission: None,
            accepted: None,
        }],
    };
    findings.sort();
    findings
}

/// An item's report from its findings and the user's answers. An answer decides only
/// when no finding passed or failed: evidence from AWS always wins over an answer, so
/// fixing a resource can never lower the score. Accepted risks that hold on `today`
/// turn the failures they cover into `accepted`.
pub fn item_report(
    item: &Item,
    mut findings: Vec<Finding>,
    answers: &Answers,
    today: chrono::NaiveDate,
) -> ItemReport {
    crate::accepted::apply(&item.id, &mut findings, &answers.accepted, today);
    let answer = answers.answers.get(&item.id).filter(|_| item.answerable);
    let derived = derive_status(&findings);
    // Not the status: a pass beside a could-not-check finding is `could_not_check`, and
    // it is still evidence an answer must not override.
    let decided = findings.iter().any(|f| {
        matches!(
            f.status,
            FindingStatus::Pass | FindingStatus::Fail | FindingStatus::Accepted
        )
    });
    let status = if !item.answerable || decided {
        derived
    } else if let Some(a) = answer {
        match a.answer {
            YesNo::Yes => ItemStatus::AnsweredYes,
            YesNo::No if crate::accepted::of_item(&item.id, &answers.accepted, today).is_some() => {
                ItemStatus::Accepted
            }
            YesNo::No => ItemStatus::AnsweredNo,
        }
    } else if derived == ItemStatus::CouldNotCheck {
        derived
    } else {
        ItemStatus::NotAnswered
    };
    ItemReport {
        id: item.id.clone(),
        title: item.title.clone(),
        category: item.category,
        severity: item.severity,
        weight: item.score_weight(),
        status,
        findings,
        accepted: crate::accepted::of_item(&item.id, &answers.accepted, today)
            .or_else(|| answers.accepted.iter().find(|a| a.whole_item(&item.id)))
            .map(|a| a.risk(today)),
        answer: answer.map(|a| AnswerSummary {
            answer: a.answer == YesNo::Yes,
            note: a.note.clone(),
            date: a.date.clone(),
        }),
    }
}

fn evaluate_item(
    item: &Item,
    snapshot: &AccountSnapshot,
    answers: &Answers,
    trusted: &[TrustedRoute],
    today: chrono::NaiveDate,
) -> ItemReport {
    item_report(
        item,
        run_rule(item, snapshot, trusted, answers),
        answers,
        today,
    )
}
