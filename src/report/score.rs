//! Scoring, as the README's "Scoring" section states it.
//!
//! Each item has a weight (severity weight x item weight). An item takes part in the
//! score when at least one of its findings was evaluated (pass or fail) or the user
//! answered it; its credit is the share of its evaluated findings that pass (1 for a
//! yes, 0 for a no). A category's score is the weighted mean credit x 100 of its
//! participating items. Coverage is the share of applicable weight that could be
//! evaluated: an item contributes weight x (evaluated findings / (evaluated +
//! could-not-check findings)), or its full weight when answered. Items that are not
//! applicable are left out of both; a category (or report) with no applicable item has
//! a null score and a null coverage.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{FindingStatus, ItemReport, ItemStatus};
use crate::checklist::Category;

/// Below this share of what is judged from AWS, a score rests on too little: the CLI's
/// `--fail-under` refuses it by default and the window warns beside the score.
pub const LOW_COVERAGE: f64 = 0.8;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryScore {
    /// 0..=100, or null when nothing in the category could be evaluated.
    pub score: Option<f64>,
    /// 0..=1: the share of applicable weight that was evaluated, or null when every
    /// item of the category is not applicable (nothing to cover, like the score).
    pub coverage: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// 0..=100, or null when nothing could be evaluated.
    pub overall: Option<f64>,
    /// 0..=1, or null when no item is applicable.
    pub coverage: Option<f64>,
    /// 0..=1: the coverage of the items judged from what AWS answered (answered and
    /// unanswered questions left out), or null when none applies. What
    /// `--min-coverage` compares: a scan that could read little must not pass a gate.
    #[serde(default)]
    pub aws_coverage: Option<f64>,
    /// The score with every accepted risk counted as failing (what `--strict` gates
    /// on); equal to `overall` when nothing is accepted.
    #[serde(default)]
    pub strict: Option<f64>,
    /// Accepted risks: accepted findings, plus whole items accepted.
    #[serde(default)]
    pub accepted: usize,
    pub categories: BTreeMap<Category, CategoryScore>,
}

/// (credit 0..=1, evaluated share 0..=1) of an item, or None when it does not take part
/// in the score (no evaluated finding and no answer).
pub fn item_credit(item: &ItemReport) -> Option<(f64, f64)> {
    match item.status {
        ItemStatus::AnsweredYes => return Some((1.0, 1.0)),
        ItemStatus::AnsweredNo => return Some((0.0, 1.0)),
        ItemStatus::NotApplicable | ItemStatus::Accepted => return None,
        // A question nobody answered; an item waiting on a person (a drill) still
        // scores what AWS already decided, as an item beside an unread region does.
        ItemStatus::NotAnswered
            if !item
                .findings
                .iter()
                .any(|f| matches!(f.status, FindingStatus::Pass | FindingStatus::Fail)) =>
        {
            return None;
        }
        _ => {}
    }
    let pass = item.count(FindingStatus::Pass) as f64;
    let fail = item.count(FindingStatus::Fail) as f64;
    let unknown = item.count(FindingStatus::CouldNotCheck) as f64;
    let evaluated = pass + fail;
    if evaluated == 0.0 {
        return None;
    }
    Some((pass / evaluated, evaluated / (evaluated + unknown)))
}

#[derive(Default)]
struct Sums {
    credit: f64,
    scored_weight: f64,
    covered_weight: f64,
    applicable_weight: f64,
}

impl Sums {
    fn add(&mut self, item: &ItemReport) {
        // An accepted item leaves the score and the coverage, as not applicable does.
        if matches!(
            item.status,
            ItemStatus::NotApplicable | ItemStatus::Accepted
        ) {
            return;
        }
        self.applicable_weight += item.weight;
        if let Some((credit, evaluated)) = item_credit(item) {
            self.credit += item.weight * credit;
            self.scored_weight += item.weight;
            self.covered_weight += item.weight * evaluated;
        }
    }

    fn score(&self) -> Option<f64> {
        (self.scored_weight > 0.0).then(|| round1(100.0 * self.credit / self.scored_weight))
    }

    fn coverage(&self) -> Option<f64> {
        (self.applicable_weight > 0.0).then(|| round3(self.covered_weight / self.applicable_weight))
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The item as the strict score sees it: accepted findings fail, and an accepted
/// answer reads as the no it was.
fn strict_view(item: &ItemReport) -> ItemReport {
    let mut strict = item.clone();
    for f in &mut strict.findings {
        if f.status == FindingStatus::Accepted {
            f.status = FindingStatus::Fail;
        }
    }
    strict.status = if item.status == ItemStatus::Accepted && item.answer.is_some() {
        ItemStatus::AnsweredNo
    } else if item
        .findings
        .iter()
        .any(|f| f.status == FindingStatus::Accepted)
    {
        crate::evaluate::derive_status(&strict.findings)
    } else {
        item.status
    };
    strict
}

/// How many accepted risks the items hold.
fn accepted_count(items: &[ItemReport]) -> usize {
    items
        .iter()
        .map(|i| {
            let findings = i.count(FindingStatus::Accepted);
            if findings == 0 && i.status == ItemStatus::Accepted {
                1
            } else {
                findings
            }
        })
        .sum()
}

/// Scores items (whose `weight` is already the effective score weight).
pub fn score_items(items: &[ItemReport]) -> Score {
    let mut score = score_plain(items);
    score.accepted = accepted_count(items);
    score.strict = if score.accepted == 0 {
        score.overall
    } else {
        let strict: Vec<ItemReport> = items.iter().map(strict_view).collect();
        score_plain(&strict).overall
    };
    score
}

fn score_plain(items: &[ItemReport]) -> Score {
    let mut overall = Sums::default();
    let mut from_aws = Sums::default();
    let mut by_category: BTreeMap<Category, Sums> = BTreeMap::new();
    for item in items {
        overall.add(item);
        if !matches!(
            item.status,
            ItemStatus::NotAnswered | ItemStatus::AnsweredYes | ItemStatus::AnsweredNo
        ) {
            from_aws.add(item);
        }
        by_category.entry(item.category).or_default().add(item);
    }
    Score {
        overall: overall.score(),
        coverage: overall.coverage(),
        aws_coverage: from_aws.coverage(),
        strict: None,
        accepted: 0,
        categories: by_category
            .into_iter()
            .map(|(c, s)| {
                (
                    c,
                    CategoryScore {
                        score: s.score(),
                        coverage: s.coverage(),
                    },
                )
            })
            .collect(),
    }
}
