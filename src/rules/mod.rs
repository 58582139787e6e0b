//! Built-in rules: pure functions from the snapshot (and an item's parameters) to
//! findings. No I/O; the clock is the snapshot's `collected_at`.

mod alert_topics;
mod alerting;
pub use alerting::RESPONSE_PATTERNS;
pub(crate) use trail::{Gap as TrailGap, gap as trail_gap};
mod application;
mod aws_owned;
mod can_fire;
mod composite;
mod cost;
pub mod drills;
mod external;
mod guardduty_pattern;
pub mod needs;
pub mod policy;
pub mod publishers;
pub(crate) mod rds_connections;
mod resources;
pub mod routing;
mod security;
mod suppression;
pub(crate) mod topic_access;
mod trail;
mod unwatched;

use crate::checklist::{ParamSpec, Params};
use crate::report::{Finding, FindingStatus};
use crate::snapshot::{AccountSnapshot, Read, ReadError, RegionSnapshot};

/// The rule of attested practice items: no findings, the user's answer decides.
pub const PRACTICE_RULE: &str = "practice";

/// What a rule reads.
pub struct RuleInput<'a> {
    pub snapshot: &'a AccountSnapshot,
    pub params: &'a Params,
    /// Routes the user vouches for.
    pub trusted: &'a [crate::checklist::TrustedRoute],
    /// Fire drills the user recorded: class -> route -> drill.
    pub drills: &'a std::collections::BTreeMap<
        String,
        std::collections::BTreeMap<String, crate::answers::Drill>,
    >,
}

/// A rule the checklist can name.
pub struct RuleSpec {
    pub id: &'static str,
    pub params: &'static [ParamSpec],
    pub eval: fn(&RuleInput) -> Vec<Finding>,
}

const RULES: &[&RuleSpec] = &[
    &security::GUARDDUTY_ENABLED,
    &security::GUARDDUTY_FINDINGS_ROUTED,
    &security::CLOUDTRAIL_MULTI_REGION,
    &security::CONFIG_RECORDING,
    &security::ECR_SCAN_ON_PUSH,
    &resources::RDS_PERFORMANCE_INSIGHTS,
    &resources::RDS_STORAGE_HEADROOM,
    &resources::RDS_CPU_ALARM,
    &rds_connections::RDS_CONNECTIONS_ALARM,
    &resources::ECS_CONTAINER_INSIGHTS,
    &resources::ECS_SERVICE_ALARMS,
    &external::SYNTHETICS_CANARY,
    &external::ALB_ALARMS,
    &application::ECS_LOGGING,
    &application::LOG_RETENTION,
    &application::ERROR_TRACKING,
    &alerting::ALARM_ACTIONS,
    &alerting::SNS_CONFIRMED_SUBSCRIPTIONS,
    &alerting::ALARM_STUCK,
    &alerting::ALARM_FLAPPING,
    &alerting::ALARM_RESPONSE_PATTERN,
    &cost::BUDGET_NOTIFICATION,
    &cost::COST_ANOMALY_DETECTION,
    &drills::ALERT_PATH_TESTED,
    &PRACTICE,
];

static PRACTICE: RuleSpec = RuleSpec {
    id: PRACTICE_RULE,
    params: &[],
    eval: |_| Vec::new(),
};

pub fn find(id: &str) -> Option<&'static RuleSpec> {
    RULES.iter().copied().find(|r| r.id == id)
}

pub fn ids() -> Vec<&'static str> {
    RULES.iter().map(|r| r.id).collect()
}

impl Finding {
    pub fn pass(region: &str, resource: &str, evidence: impl Into<String>) -> Self {
        Finding {
            region: region.to_string(),
            resource: resource.to_string(),
            status: FindingStatus::Pass,
            evidence: evidence.into(),
            reason: None,
            missing_permission: None,
            accepted: None,
        }
    }

    pub fn fail(
        region: &str,
        resource: &str,
        evidence: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Finding {
            region: region.to_string(),
            resource: resource.to_string(),
            status: FindingStatus::Fail,
            evidence: evidence.into(),
            reason: Some(reason.into()),
            missing_permission: None,
            accepted: None,
        }
    }

    pub fn not_applicable(region: &str, resource: &str, reason: impl Into<String>) -> Self {
        Finding {
            region: region.to_string(),
            resource: resource.to_string(),
            status: FindingStatus::NotApplicable,
            evidence: String::new(),
            reason: Some(reason.into()),
            missing_permission: None,
            accepted: None,
        }
    }

    /// Something needed to decide is missing from what AWS returned (not a failed read).
    pub fn could_not_check(
        region: &str,
        resource: &str,
        evidence: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Finding {
            region: region.to_string(),
            resource: resource.to_string(),
            status: FindingStatus::CouldNotCheck,
            evidence: evidence.into(),
            reason: Some(reason.into()),
            missing_permission: None,
            accepted: None,
        }
    }

    /// A read that failed: could not check, or not applicable where the service is not
    /// offered. Never pass, never fail.
    pub fn unreadable(region: &str, resource: &str, error: &ReadError) -> Self {
        let status = match error {
            ReadError::NotOffered { .. } => FindingStatus::NotApplicable,
            _ => FindingStatus::CouldNotCheck,
        };
        Finding {
            region: region.to_string(),
            resource: resource.to_string(),
            status,
            evidence: String::new(),
            reason: Some(error.reason()),
            missing_permission: error.missing_permission().map(str::to_string),
            accepted: None,
        }
    }
}

/// Runs `check` over one regional read in every region; a failed read becomes one
/// could-not-check finding for the region, naming `what` was not read.
fn per_region<T>(
    snapshot: &AccountSnapshot,
    what: &str,
    read: impl Fn(&RegionSnapshot) -> &Read<T>,
    mut check: impl FnMut(&str, &RegionSnapshot, &T, &mut Vec<Finding>),
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region, data) in &snapshot.regions {
        match read(data) {
            Read::Ok(value) => check(region, data, value, &mut findings),
            // The resource label stays in English whatever the language: accepted
            // risks name findings by it.
            Read::Failed(e) => findings.push(Finding::unreadable(
                region,
                &format!("{what} in {region}"),
                e,
            )),
        }
    }
    findings
}

/// The items ordered by `key`: rules that pick "the first" resource pick the same one
/// whatever order AWS listed them in, so a report never depends on listing order.
/// Ties (two resources with the same key) are broken by their whole content.
pub(crate) fn sorted_by<'a, T: std::fmt::Debug, K: Ord>(
    items: impl IntoIterator<Item = &'a T>,
    key: impl Fn(&T) -> K,
) -> Vec<&'a T> {
    let mut v: Vec<&T> = items.into_iter().collect();
    v.sort_by_cached_key(|item| (key(item), format!("{item:?}")));
    v
}

/// An ECR registry scanning filter against a repository name, as the ECR User Guide
/// ("Filters to choose which repositories are scanned in Amazon ECR",
/// https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-filters.html)
/// states it: "a filter with no wildcard will match all repository names that contain
/// the filter. A filter with a wildcard (*) matches on any repository name where the
/// wildcard replaces zero or more characters in the repository name."
pub(crate) fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return text.contains(pattern);
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(pos) => rest = &rest[pos + part.len()..],
                None => return false,
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_match_like_the_ecr_user_guide_table() {
        // The table in "Filters to choose which repositories are scanned in Amazon ECR":
        // rows are filters, columns the repository names below.
        let names = [
            "prod",
            "repo-prod",
            "prod-repo",
            "repo-prod-repo",
            "prodrepo",
        ];
        let table: [(&str, [bool; 5]); 5] = [
            ("prod", [true, true, true, true, true]),
            ("*prod", [true, true, false, false, false]),
            ("prod*", [true, false, true, false, true]),
            ("*prod*", [true, true, true, true, true]),
            ("prod*repo", [false, false, true, false, true]),
        ];
        for (filter, expected) in table {
            for (name, want) in names.iter().zip(expected) {
                assert_eq!(
                    wildcard_match(filter, name),
                    want,
                    "filter {filter} on {name}"
                );
            }
        }
        assert!(wildcard_match("*", "anything"));
        assert!(wildcard_match("a*c*e", "abcde"));
        assert!(!wildcard_match("a*c*e", "abcdf"));
        assert!(!wildcard_match("prod", "staging"));
    }

    #[test]
    fn rule_ids_are_unique() {
        let mut ids = ids();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}
