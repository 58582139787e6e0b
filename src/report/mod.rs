//! The report: what evaluation produces and every view reads.

pub mod diff;
mod score;

use std::collections::BTreeMap;

use crate::t;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::checklist::{Category, Severity};

pub use score::{CategoryScore, LOW_COVERAGE, Score, item_credit, score_items};

pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// The outcome for one resource (or one region, or the account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingStatus {
    Pass,
    Fail,
    CouldNotCheck,
    NotApplicable,
    /// Only a person can say (a fire drill that has not been answered yet): neither
    /// pass nor fail, and not in the score.
    ToAnswer,
    /// A failure the user accepted as a risk, until a date: out of the failing count,
    /// the score and the coverage; the strict score counts it as failing.
    Accepted,
}

impl FindingStatus {
    pub fn id(self) -> &'static str {
        match self {
            FindingStatus::Pass => "pass",
            FindingStatus::Fail => "fail",
            FindingStatus::CouldNotCheck => "could_not_check",
            FindingStatus::NotApplicable => "not_applicable",
            FindingStatus::ToAnswer => "to_answer",
            FindingStatus::Accepted => "accepted",
        }
    }

    /// The status in words, in the language in use.
    pub fn label(self) -> std::borrow::Cow<'static, str> {
        match self {
            FindingStatus::Pass => t!("status.pass"),
            FindingStatus::Fail => t!("status.fail"),
            FindingStatus::CouldNotCheck => t!("status.could_not_check"),
            FindingStatus::NotApplicable => t!("status.not_applicable"),
            FindingStatus::ToAnswer => t!("status.to_answer"),
            FindingStatus::Accepted => t!("status.accepted"),
        }
    }
}

/// One observation behind an item's status.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    /// A region name, or "global" for account-wide findings.
    pub region: String,
    /// The resource's ARN where it has one, else its name (or the region/account).
    pub resource: String,
    pub status: FindingStatus,
    /// The observed field and its value ("status = DISABLED").
    pub evidence: String,
    /// Why this status: what is missing, or why it could not be checked (null for a
    /// pass; always present in JSON so consumers can rely on the key).
    #[serde(default)]
    pub reason: Option<String>,
    /// For could-not-check findings caused by a missing permission: the IAM action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_permission: Option<String>,
    /// The acceptance covering this finding: holding (status `accepted`) or expired
    /// (status `fail`, `expired` true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted: Option<AcceptedRisk>,
}

/// A risk accepted by a person, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AcceptedRisk {
    pub reason: String,
    pub by: String,
    /// The day it was accepted.
    pub date: String,
    /// The last day it holds.
    pub until: String,
    /// Past `until`: the finding fails again.
    pub expired: bool,
}

impl AcceptedRisk {
    /// One line for reports: who accepted what until when, or that it expired.
    pub fn describe(&self) -> String {
        if self.expired {
            t!(
                "accepted.ended",
                by = self.by,
                until = self.until,
                reason = self.reason
            )
            .into_owned()
        } else {
            t!(
                "accepted.describe",
                until = self.until,
                by = self.by,
                date = self.date,
                reason = self.reason
            )
            .into_owned()
        }
    }
}

impl Finding {
    /// The reason, followed by the acceptance when there is one.
    pub fn reason_with_acceptance(&self) -> String {
        let reason = self.reason.as_deref().unwrap_or("");
        match (&self.accepted, reason.is_empty()) {
            (Some(a), true) => a.describe(),
            (Some(a), false) => format!("{reason}; {}", a.describe()),
            (None, _) => reason.to_string(),
        }
    }
}

/// An item's status, derived from its findings (or from the user's answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Pass,
    Fail,
    Partial,
    CouldNotCheck,
    NotApplicable,
    AnsweredYes,
    AnsweredNo,
    NotAnswered,
    /// Every failure of the item is an accepted risk (or the whole item was accepted):
    /// out of the score and the coverage, counted apart.
    Accepted,
}

impl ItemStatus {
    pub fn id(self) -> &'static str {
        match self {
            ItemStatus::Pass => "pass",
            ItemStatus::Fail => "fail",
            ItemStatus::Partial => "partial",
            ItemStatus::CouldNotCheck => "could_not_check",
            ItemStatus::NotApplicable => "not_applicable",
            ItemStatus::AnsweredYes => "answered_yes",
            ItemStatus::AnsweredNo => "answered_no",
            ItemStatus::NotAnswered => "not_answered",
            ItemStatus::Accepted => "accepted",
        }
    }

    /// The status in words, in the language in use.
    pub fn label(self) -> std::borrow::Cow<'static, str> {
        match self {
            ItemStatus::Pass => t!("status.pass"),
            ItemStatus::Fail => t!("status.fail"),
            ItemStatus::Partial => t!("status.partial"),
            ItemStatus::CouldNotCheck => t!("status.could_not_check"),
            ItemStatus::NotApplicable => t!("status.not_applicable"),
            ItemStatus::AnsweredYes => t!("status.yes"),
            ItemStatus::AnsweredNo => t!("status.no"),
            ItemStatus::NotAnswered => t!("status.not_answered"),
            ItemStatus::Accepted => t!("status.accepted"),
        }
    }

    /// Something the user should fix.
    pub fn is_failing(self) -> bool {
        matches!(
            self,
            ItemStatus::Fail | ItemStatus::Partial | ItemStatus::AnsweredNo
        )
    }

    /// Something onwatch could not decide: a read failed or a question is open.
    pub fn is_undecided(self) -> bool {
        matches!(self, ItemStatus::CouldNotCheck | ItemStatus::NotAnswered)
    }
}

/// The user's answer to an answerable item, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerSummary {
    pub answer: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemReport {
    pub id: String,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    pub weight: f64,
    pub status: ItemStatus,
    pub findings: Vec<Finding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<AnswerSummary>,
    /// An acceptance of the whole item (no resource named), holding or expired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted: Option<AcceptedRisk>,
}

impl ItemReport {
    pub fn count(&self, status: FindingStatus) -> usize {
        self.findings.iter().filter(|f| f.status == status).count()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportAccount {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    pub regions: Vec<String>,
}

impl ReportAccount {
    /// "alias (id)", or the id when the account has no alias. Raw text: each report
    /// format escapes it for its medium.
    pub fn name(&self) -> String {
        match &self.alias {
            Some(alias) => format!("{alias} ({})", self.id),
            None => self.id.clone(),
        }
    }
}

/// The scored checklist for one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub account: ReportAccount,
    pub generated_at: DateTime<Utc>,
    /// When the snapshot was collected.
    pub collected_at: DateTime<Utc>,
    pub checklist_version: String,
    pub well_architected_version: String,
    pub score: Score,
    pub items: Vec<ItemReport>,
    /// What changed since the account's previous saved scan, when one was compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since_last: Option<diff::SinceLast>,
}

impl Report {
    pub fn item(&self, id: &str) -> Option<&ItemReport> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The items of a category, in checklist order.
    pub fn items_in(&self, category: Category) -> Vec<&ItemReport> {
        self.items
            .iter()
            .filter(|i| i.category == category)
            .collect()
    }

    /// Item counts by status.
    pub fn status_counts(&self) -> BTreeMap<ItemStatus, usize> {
        let mut counts = BTreeMap::new();
        for item in &self.items {
            *counts.entry(item.status).or_insert(0) += 1;
        }
        counts
    }

    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }
}
