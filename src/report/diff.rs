//! What changed between two reports of the same account: findings fixed, new, still
//! failing, and changed (same resource, another status). Pure: two reports in.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{FindingStatus, Report};
use crate::t;

/// One finding's place in the diff: the item, region and resource it is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Key {
    pub item: String,
    pub region: String,
    pub resource: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    pub old_score: Option<f64>,
    pub new_score: Option<f64>,
    /// Failing before, passing (or gone) now. A failing finding accepted as a risk
    /// since is not fixed: it is `changed`.
    pub fixed: Vec<Key>,
    /// Failing now, not failing (or not there) before.
    pub new: Vec<Key>,
    /// Failing in both.
    pub still_failing: Vec<Key>,
    /// Another status, neither side failing (a pass that could not be checked now).
    pub changed: Vec<(Key, FindingStatus, FindingStatus)>,
}

fn findings(report: &Report) -> BTreeMap<Key, FindingStatus> {
    report
        .items
        .iter()
        .flat_map(|i| {
            i.findings.iter().map(|f| {
                (
                    Key {
                        item: i.id.clone(),
                        region: f.region.clone(),
                        resource: f.resource.clone(),
                    },
                    f.status,
                )
            })
        })
        .collect()
}

pub fn diff(old: &Report, new: &Report) -> Diff {
    let (before, after) = (findings(old), findings(new));
    let failing = |s: Option<&FindingStatus>| s == Some(&FindingStatus::Fail);
    let mut d = Diff {
        old_score: old.score.overall,
        new_score: new.score.overall,
        fixed: Vec::new(),
        new: Vec::new(),
        still_failing: Vec::new(),
        changed: Vec::new(),
    };
    for (key, was) in &before {
        let now = after.get(key);
        match (failing(Some(was)), failing(now)) {
            (true, true) => d.still_failing.push(key.clone()),
            (true, false) if now == Some(&FindingStatus::Accepted) => {
                d.changed.push((key.clone(), *was, FindingStatus::Accepted));
            }
            (true, false) => d.fixed.push(key.clone()),
            (false, true) => d.new.push(key.clone()),
            (false, false) => {
                if let Some(now) = now
                    && now != was
                {
                    d.changed.push((key.clone(), *was, *now));
                }
            }
        }
    }
    for (key, now) in &after {
        if !before.contains_key(key) && *now == FindingStatus::Fail {
            d.new.push(key.clone());
        }
    }
    d
}

/// "Since the last scan": the diff against the account's previous saved scan, both
/// judged by today's checklist and answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SinceLast {
    /// When the earlier scan was collected.
    pub collected_at: DateTime<Utc>,
    #[serde(flatten)]
    pub diff: Diff,
}

/// The diff of `new` against an earlier report of the same account.
pub fn since(old: &Report, new: &Report) -> SinceLast {
    SinceLast {
        collected_at: old.collected_at,
        diff: diff(old, new),
    }
}

impl Diff {
    /// "2 fixed, 1 new, 5 still failing, 0 changed".
    pub fn counts(&self) -> String {
        t!(
            "diff.counts",
            fixed = self.fixed.len(),
            new = self.new.len(),
            still_failing = self.still_failing.len(),
            changed = self.changed.len()
        )
        .into_owned()
    }
}
