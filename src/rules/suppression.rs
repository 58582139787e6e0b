//! GuardDuty suppression rules: a filter with the ARCHIVE action archives matching
//! findings as they are generated, and archived findings are not sent to EventBridge
//! (https://docs.aws.amazon.com/guardduty/latest/ug/findings_suppression-rule.html), so
//! a rule that archives high-severity findings wholesale undoes any routing. A rule
//! narrowed to finding types or resources (the documented use: expected findings on a
//! bastion host, a known scanner) is a decision the user made and is not judged.

use crate::report::Finding;
use crate::snapshot::{Account, GuardDutyFilter, Read, RegionSnapshot};
use crate::t;

/// Criteria that do not narrow a rule within one account and region.
const NOT_NARROWING: [&str; 3] = ["severity", "accountId", "region"];

/// Whether the filter's severity criterion lets through some severity >= `min` (no
/// severity criterion lets every severity through).
fn reaches(filter: &GuardDutyFilter, min: f64) -> bool {
    let Some(ops) = filter.criteria.get("severity") else {
        return true;
    };
    let nums = |op: &str| -> Vec<f64> {
        ops.get(op)
            .map(|v| v.iter().filter_map(|s| s.parse::<f64>().ok()).collect())
            .unwrap_or_default()
    };
    let eq = nums("Eq"); // i18n: technical
    if !eq.is_empty() {
        return eq.iter().any(|v| *v >= min);
    }
    let below = nums("Lt").into_iter().all(|x| x > min); // i18n: technical
    let at_most = nums("Lte").into_iter().all(|x| x >= min); // i18n: technical
    below && at_most
}

/// A failing finding for each suppression rule of an enabled detector in `region` that
/// archives every finding of severity >= `min`; could-not-check when the filters could
/// not be read.
pub fn findings(region: &str, data: &RegionSnapshot, account: &Account, min: f64) -> Vec<Finding> {
    let Read::Ok(detectors) = &data.guardduty_detectors else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for detector in detectors.iter().filter(|d| d.status == "ENABLED") {
        let filters = match &detector.filters {
            None => continue,
            Some(Read::Failed(e)) => {
                out.push(Finding::unreadable(
                    region,
                    &format!("GuardDuty filters of detector {}", detector.id), // i18n: technical (a resource name)
                    e,
                ));
                continue;
            }
            Some(Read::Ok(f)) => f,
        };
        for filter in filters.iter().filter(|f| f.action == "ARCHIVE") {
            let narrowed = filter
                .criteria
                .keys()
                .any(|k| !NOT_NARROWING.contains(&k.as_str()));
            if narrowed || !reaches(filter, min) {
                continue;
            }
            let criteria: Vec<String> = filter
                .criteria
                .iter()
                .flat_map(|(field, ops)| {
                    ops.iter()
                        .map(move |(op, v)| format!("{field} {op} {}", v.join(",")))
                })
                .collect();
            let criteria = if criteria.is_empty() {
                t!("rules_suppression.every_finding").into_owned()
            } else {
                criteria.join(", ")
            };
            out.push(Finding::fail(
                region,
                &format!(
                    "arn:{}:guardduty:{region}:{}:detector/{}/filter/{}",
                    account.partition, account.id, detector.id, filter.name
                ),
                t!(
                    "rules_suppression.evidence",
                    name = filter.name,
                    criteria = criteria
                ),
                t!(
                    "rules_suppression.archives",
                    name = filter.name,
                    min = format!("{min:.1}")
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn filter(ops: &[(&str, &str)]) -> GuardDutyFilter {
        let mut severity = BTreeMap::new();
        for (op, v) in ops {
            severity.insert(op.to_string(), vec![v.to_string()]);
        }
        let mut criteria = BTreeMap::new();
        if !ops.is_empty() {
            criteria.insert("severity".to_string(), severity);
        }
        GuardDutyFilter {
            name: "f".into(),
            action: "ARCHIVE".into(),
            criteria,
        }
    }

    #[test]
    fn which_severity_ranges_reach_high_findings() {
        assert!(reaches(&filter(&[("Gte", "7")]), 7.0));
        assert!(reaches(&filter(&[]), 7.0));
        assert!(!reaches(&filter(&[("Lt", "4")]), 7.0));
        assert!(!reaches(&filter(&[("Lt", "7")]), 7.0));
        assert!(reaches(&filter(&[("Lte", "7")]), 7.0));
        assert!(!reaches(&filter(&[("Eq", "2")]), 7.0));
        assert!(reaches(&filter(&[("Eq", "8")]), 7.0));
    }
}
