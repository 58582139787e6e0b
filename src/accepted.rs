//! Accepted risks: a failing finding, or a whole item, that the user decided to live
//! with for a while, with a reason, a person and an expiry at most a year away.
//!
//! They are kept with the answers (`[[accepted]]` in the answers file of the account,
//! or a file of their own read with `--accepted FILE`). While an acceptance holds, the
//! finding reads `accepted`: it leaves the failing count, the score and the coverage
//! (like not applicable) and is counted apart; the strict score counts it as failing.
//! From the day after `until` it fails again, and the report says the acceptance
//! expired.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::report::{AcceptedRisk, Finding, FindingStatus};
use crate::t;

/// The longest an acceptance may last: a year (a leap year's day included).
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// The checklist item.
    pub item: String,
    /// The finding's resource (its ARN or name, as the report shows it); absent: every
    /// finding of the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The finding's region; absent: any region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Why the risk is accepted, in the person's words.
    pub reason: String,
    /// Who accepted it.
    pub by: String,
    /// The day it was accepted, `YYYY-MM-DD`.
    pub date: String,
    /// The last day it holds, `YYYY-MM-DD`, at most a year after `date`.
    pub until: String,
}

fn day(text: &str) -> Option<NaiveDate> {
    if text.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

impl Acceptance {
    /// Whether it names this finding of this item.
    pub fn covers(&self, item: &str, finding: &Finding) -> bool {
        self.item == item
            && self
                .resource
                .as_ref()
                .is_none_or(|r| *r == finding.resource)
            && self.region.as_ref().is_none_or(|r| *r == finding.region)
    }

    /// Whether it names the whole item (no resource, no region).
    pub fn whole_item(&self, item: &str) -> bool {
        self.item == item && self.resource.is_none() && self.region.is_none()
    }

    /// Whether it still holds on `today` (through its `until` day).
    pub fn holds(&self, today: NaiveDate) -> bool {
        day(&self.until).is_some_and(|until| today <= until)
    }

    pub fn risk(&self, today: NaiveDate) -> AcceptedRisk {
        AcceptedRisk {
            reason: self.reason.clone(),
            by: self.by.clone(),
            date: self.date.clone(),
            until: self.until.clone(),
            expired: !self.holds(today),
        }
    }

    /// What is wrong with the entry, if anything: dates real and in order, the span at
    /// most a year, a reason and a person given.
    pub fn problem(&self) -> Option<String> {
        let (Some(date), Some(until)) = (day(&self.date), day(&self.until)) else {
            return Some(
                t!(
                    "accepted_file.bad_dates",
                    date = format!("{:?}", self.date),
                    until = format!("{:?}", self.until)
                )
                .into_owned(),
            );
        };
        if until < date {
            return Some(
                t!(
                    "accepted_file.until_before_date",
                    until = self.until,
                    date = self.date
                )
                .into_owned(),
            );
        }
        if (until - date).num_days() > MAX_DAYS {
            return Some(
                t!(
                    "accepted_file.too_long",
                    until = self.until,
                    date = self.date
                )
                .into_owned(),
            );
        }
        if self.reason.trim().is_empty() || self.by.trim().is_empty() {
            return Some(t!("accepted_file.why_and_who").into_owned());
        }
        None
    }
}

/// Marks the item's failing findings that an acceptance covers: `accepted` while it
/// holds; past its `until` the finding stays failing and carries the expired record.
/// Findings that pass or could not be checked are left alone: only a known failure can
/// be accepted.
pub fn apply(item: &str, findings: &mut [Finding], accepted: &[Acceptance], today: NaiveDate) {
    for finding in findings
        .iter_mut()
        .filter(|f| f.status == FindingStatus::Fail)
    {
        let mut covering = accepted.iter().filter(|a| a.covers(item, finding));
        // A holding acceptance wins over an expired one for the same finding.
        let chosen = covering
            .clone()
            .find(|a| a.holds(today))
            .or_else(|| covering.next());
        if let Some(a) = chosen {
            let risk = a.risk(today);
            if !risk.expired {
                finding.status = FindingStatus::Accepted;
            }
            finding.accepted = Some(risk);
        }
    }
}

/// The holding acceptance of a whole item, if any (for answered items, which have no
/// failing finding to accept).
pub fn of_item<'a>(
    item: &str,
    accepted: &'a [Acceptance],
    today: NaiveDate,
) -> Option<&'a Acceptance> {
    accepted
        .iter()
        .find(|a| a.whole_item(item) && a.holds(today))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acceptance(date: &str, until: &str) -> Acceptance {
        Acceptance {
            item: "log-retention".into(),
            resource: None,
            region: None,
            reason: "legal hold".into(),
            by: "Aiko".into(),
            date: date.into(),
            until: until.into(),
        }
    }

    #[test]
    fn an_acceptance_lasts_at_most_a_year() {
        assert_eq!(acceptance("2026-12-06", "2027-12-06").problem(), None);
        assert!(
            acceptance("2026-12-06", "2027-12-08")
                .problem()
                .is_some_and(|p| p.contains("at most a year"))
        );
        assert!(acceptance("2026-12-06", "2026-12-01").problem().is_some());
        assert!(acceptance("2026-12-6", "2027-01-01").problem().is_some());
    }

    #[test]
    fn it_holds_through_its_last_day() {
        let a = acceptance("2026-01-01", "2026-06-30");
        let d = |s| day(s).expect("a day");
        assert!(a.holds(d("2026-06-30")));
        assert!(!a.holds(d("2026-07-01")));
    }
}
