//! Does an EventBridge event pattern match every GuardDuty finding at or above a
//! severity? Event patterns are untrusted text: anything not understood matches nothing.
//!
//! GuardDuty severities run from 1.0 to 10.0 (GuardDuty User Guide, "Severity levels of
//! GuardDuty findings": high 7.0-8.9, critical 9.0-10.0). The documented level bounds
//! are tenths (8.9 then 9.0), so a pattern covers a severity range when it matches
//! every tenth in it; that is also how the widely used pattern that lists each value
//! (`[7, 7.0, 7.1, ..., 10]`) covers it, while a list such as `[7, 8, 9]` misses 7.5.
//!
//! EventBridge content filtering (EventBridge User Guide, "Content filtering in Amazon
//! EventBridge event patterns"): the values of a field are alternatives (any may match);
//! `{"numeric": [op, n, op, n, ...]}` matches when every comparison holds;
//! `{"exists": true}` matches any value.
//!
//! A pattern that also filters on any other field (`detail.type`,
//! `detail.resource.resourceType`, `account`, `region`, `$or`...) lets through only the
//! findings whose field matches: onwatch does not judge those filters, so it does not
//! assume they let every finding through.

use serde_json::Value;

/// The highest GuardDuty severity.
pub const MAX_SEVERITY: f64 = 10.0;

/// The `detail-type` of GuardDuty finding events.
const DETAIL_TYPE: &str = "GuardDuty Finding"; // i18n: technical

/// What an event pattern does with GuardDuty findings.
#[derive(Debug, Clone, PartialEq)]
pub enum Coverage {
    /// It does not match GuardDuty findings at all (another source, another
    /// detail-type, or not a pattern).
    NotGuardDuty,
    /// It matches GuardDuty findings, but not this severity (the lowest one missed).
    Misses(f64),
    /// It matches GuardDuty findings only when other fields match too: the keys that
    /// narrow it, as dotted paths (`detail.type`, `account`).
    Narrowed(Vec<String>),
    /// It matches every finding from the minimum severity up to 10.0.
    Covers,
}

/// Where a rule lives: its account and region. A pattern that filters on exactly
/// these (`"account": ["<own id>"]`, `"region": ["<own region>"]`) still receives every
/// GuardDuty finding raised there, so those filters do not narrow it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Home<'a> {
    pub account: &'a str,
    pub region: &'a str,
}

pub fn coverage_at(pattern: &str, min: f64, home: Home<'_>) -> Coverage {
    let Ok(p) = serde_json::from_str::<Value>(pattern) else {
        return Coverage::NotGuardDuty;
    };
    if !field_allows(p.get("source"), "aws.guardduty")
        || !field_allows(p.get("detail-type"), DETAIL_TYPE)
    {
        return Coverage::NotGuardDuty;
    }
    let filter = match p.get("detail") {
        None => None,
        Some(Value::Object(detail)) => detail.get("severity"),
        Some(_) => return Coverage::NotGuardDuty,
    };
    let narrowing = narrowing_keys(&p, home);
    if !narrowing.is_empty() {
        return Coverage::Narrowed(narrowing);
    }
    match first_missed(filter, min) {
        Some(missed) => Coverage::Misses(missed),
        None => Coverage::Covers,
    }
}

/// The filters of a pattern other than `source`, `detail-type` and `detail.severity`,
/// as dotted paths to the filtered field, sorted.
fn narrowing_keys(pattern: &Value, home: Home<'_>) -> Vec<String> {
    let mut keys = Vec::new();
    if let Value::Object(top) = pattern {
        for (key, value) in top {
            match (key.as_str(), value) {
                ("source" | "detail-type", _) => {}
                ("account", Value::Array(_)) if admits_own(value, home.account) => {}
                ("region", Value::Array(_)) if admits_own(value, home.region) => {}
                ("detail", Value::Object(detail)) => {
                    for (key, value) in detail.iter().filter(|(k, _)| *k != "severity") {
                        leaf_paths(&format!("detail.{key}"), value, &mut keys);
                    }
                }
                _ => leaf_paths(key, value, &mut keys),
            }
        }
    }
    keys.sort();
    keys
}

/// The paths to the filtered fields under `path`: nested objects name fields deeper in
/// the event; anything else is the filter of `path` itself.
fn leaf_paths(path: &str, value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(fields) if !fields.is_empty() => {
            for (key, value) in fields {
                leaf_paths(&format!("{path}.{key}"), value, out);
            }
        }
        _ => out.push(path.to_string()),
    }
}

/// Whether a pattern's array of exact values contains `own` (never for an empty one).
fn admits_own(value: &Value, own: &str) -> bool {
    !own.is_empty() && field_allows(Some(value), own)
}

/// Whether a pattern field admits `value`: absent (no filter) or an array containing it.
fn field_allows(field: Option<&Value>, value: &str) -> bool {
    match field {
        None => true,
        Some(Value::Array(v)) => v.iter().any(|s| s.as_str() == Some(value)),
        Some(_) => false,
    }
}

/// The lowest tenth in [min, 10.0] the severity filter does not match.
fn first_missed(filter: Option<&Value>, min: f64) -> Option<f64> {
    let conditions: &[Value] = match filter {
        None => return None,
        Some(Value::Array(c)) => c,
        // Not an array is not a valid pattern: EventBridge would reject it.
        Some(_) => return Some(min),
    };
    let first = (min * 10.0 - 1e-9).ceil().max(0.0) as i64;
    let last = (MAX_SEVERITY * 10.0).round() as i64;
    (first..=last)
        .map(|tenth| tenth as f64 / 10.0)
        .find(|&severity| !conditions.iter().any(|c| condition_matches(c, severity)))
}

fn condition_matches(condition: &Value, severity: f64) -> bool {
    match condition {
        Value::Number(n) => n.as_f64().is_some_and(|v| (v - severity).abs() < 1e-9),
        Value::Object(o) if o.len() == 1 => match (o.get("numeric"), o.get("exists")) {
            (Some(Value::Array(ops)), _) => numeric_matches(ops, severity),
            (_, Some(Value::Bool(exists))) => *exists,
            _ => false,
        },
        _ => false,
    }
}

/// `[op, n, op, n, ...]`: every comparison must hold; a malformed list matches nothing.
fn numeric_matches(ops: &[Value], severity: f64) -> bool {
    if ops.is_empty() || !ops.len().is_multiple_of(2) {
        return false;
    }
    ops.chunks(2).all(|pair| {
        let (Some(op), Some(n)) = (pair[0].as_str(), pair[1].as_f64()) else {
            return false;
        };
        match op {
            ">" => severity > n,
            ">=" => severity >= n - 1e-9,
            "<" => severity < n,
            "<=" => severity <= n + 1e-9,
            "=" => (severity - n).abs() < 1e-9,
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coverage(pattern: &str, min: f64) -> Coverage {
        coverage_at(pattern, min, Home::default())
    }

    fn with_severity(filter: &str) -> String {
        format!(r#"{{"source":["aws.guardduty"],"detail":{{"severity":{filter}}}}}"#)
    }

    #[test]
    fn numeric_ranges_read_every_operator_pair() {
        assert_eq!(
            coverage(&with_severity(r#"[{"numeric":[">=",7]}]"#), 7.0),
            Coverage::Covers
        );
        assert_eq!(
            coverage(&with_severity(r#"[{"numeric":[">",6.9]}]"#), 7.0),
            Coverage::Covers
        );
        assert_eq!(
            coverage(&with_severity(r#"[{"numeric":[">=",7,"<=",10]}]"#), 7.0),
            Coverage::Covers
        );
        // The old reader looked at the first pair only and accepted these.
        assert_eq!(
            coverage(&with_severity(r#"[{"numeric":[">=",7,"<",9]}]"#), 7.0),
            Coverage::Misses(9.0),
            "critical findings are left out"
        );
        assert_eq!(
            coverage(&with_severity(r#"[{"numeric":[">=",7,"<=",7.5]}]"#), 7.0),
            Coverage::Misses(7.6)
        );
        assert_eq!(
            coverage(&with_severity(r#"[{"numeric":[">",7]}]"#), 7.0),
            Coverage::Misses(7.0)
        );
        // Two ranges that together cover 7 to 10.
        assert_eq!(
            coverage(
                &with_severity(r#"[{"numeric":[">=",7,"<",9]},{"numeric":[">=",9]}]"#),
                7.0
            ),
            Coverage::Covers
        );
        assert_eq!(
            coverage(&with_severity(r#"[{"numeric":[">=",9]}]"#), 7.0),
            Coverage::Misses(7.0)
        );
        assert_eq!(
            coverage(&with_severity(r#"[{"numeric":[">=",7,"<"]}]"#), 7.0),
            Coverage::Misses(7.0),
            "a malformed list matches nothing"
        );
    }

    #[test]
    fn exact_values_cover_only_the_values_listed() {
        assert_eq!(
            coverage(&with_severity("[7, 7.5, 8]"), 7.0),
            Coverage::Misses(7.1)
        );
        assert_eq!(coverage(&with_severity("[8]"), 7.0), Coverage::Misses(7.0));
        let every_tenth: Vec<String> = (70..=100).map(|t| format!("{}", t as f64 / 10.0)).collect();
        let listed = format!("[{}]", every_tenth.join(", "));
        assert_eq!(coverage(&with_severity(&listed), 7.0), Coverage::Covers);
        let mixed = r#"[7, 7.1, 7.2, 7.3, 7.4, 7.5, 7.6, 7.7, 7.8, 7.9, {"numeric":[">=",8]}]"#;
        assert_eq!(coverage(&with_severity(mixed), 7.0), Coverage::Covers);
    }

    #[test]
    fn source_detail_type_and_shape() {
        assert_eq!(
            coverage(r#"{"source":["aws.guardduty"]}"#, 7.0),
            Coverage::Covers
        );
        assert_eq!(
            coverage(
                r#"{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"]}"#,
                7.0
            ),
            Coverage::Covers
        );
        assert_eq!(
            coverage(
                r#"{"source":["aws.guardduty"],"detail-type":["AWS API Call via CloudTrail"]}"#,
                7.0
            ),
            Coverage::NotGuardDuty
        );
        assert_eq!(
            coverage(r#"{"source":["aws.ec2"]}"#, 7.0),
            Coverage::NotGuardDuty
        );
        assert_eq!(coverage("not json", 7.0), Coverage::NotGuardDuty);
        assert_eq!(
            coverage(&with_severity(r#"[{"exists":true}]"#), 7.0),
            Coverage::Covers
        );
        assert_eq!(coverage(&with_severity("7"), 7.0), Coverage::Misses(7.0));
        assert_eq!(
            coverage(&with_severity(r#"[{"anything-but":[1,2]}]"#), 7.0),
            Coverage::Misses(7.0),
            "a filter onwatch does not read is not assumed to cover"
        );
        // A lower minimum needs more: 4.0 and up.
        assert_eq!(
            coverage(&with_severity(r#"[{"numeric":[">=",7]}]"#), 4.0),
            Coverage::Misses(4.0)
        );
    }

    #[test]
    fn any_other_filter_narrows_the_rule() {
        let narrowed = |pattern: &str| match coverage(pattern, 7.0) {
            Coverage::Narrowed(keys) => keys,
            other => panic!("{pattern}: {other:?}"),
        };
        assert_eq!(
            narrowed(
                r#"{"source":["aws.guardduty"],"detail":{"type":["UnauthorizedAccess:EC2/SSHBruteForce"]}}"#
            ),
            ["detail.type"]
        );
        assert_eq!(
            narrowed(
                r#"{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",7]}],"resource":{"resourceType":["Instance"]}}}"#
            ),
            ["detail.resource.resourceType"],
            "a filter next to a covering severity still narrows"
        );
        assert_eq!(
            narrowed(
                r#"{"source":["aws.guardduty"],"region":["eu-west-1"],"account":["123456789012"]}"#
            ),
            ["account", "region"]
        );
        assert_eq!(
            narrowed(
                r#"{"source":["aws.guardduty"],"$or":[{"detail":{"severity":[{"numeric":[">=",7]}]}}]}"#
            ),
            ["$or"],
            "a form onwatch does not read matches nothing"
        );
        // Another source or detail-type stays "not GuardDuty", whatever else it filters.
        assert_eq!(
            coverage(
                r#"{"source":["aws.ec2"],"detail":{"type":["UnauthorizedAccess:EC2/SSHBruteForce"]}}"#,
                7.0
            ),
            Coverage::NotGuardDuty
        );
        // The filters onwatch reads do not narrow.
        assert_eq!(
            coverage(
                r#"{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"severity":[{"numeric":[">=",7]}]}}"#,
                7.0
            ),
            Coverage::Covers
        );
    }

    #[test]
    fn filtering_on_its_own_account_or_region_does_not_narrow_a_rule() {
        let home = Home {
            account: "111122223333",
            region: "eu-west-1",
        };
        let own =
            r#"{"source":["aws.guardduty"],"account":["111122223333"],"region":["eu-west-1"]}"#;
        assert!(matches!(coverage_at(own, 7.0, home), Coverage::Covers));
        let other = r#"{"source":["aws.guardduty"],"account":["999999999999"]}"#;
        assert!(matches!(
            coverage_at(other, 7.0, home),
            Coverage::Narrowed(keys) if keys == ["account"]
        ));
        let elsewhere = r#"{"source":["aws.guardduty"],"region":["us-east-1"]}"#;
        assert!(matches!(
            coverage_at(elsewhere, 7.0, home),
            Coverage::Narrowed(keys) if keys == ["region"]
        ));
        let prefix = r#"{"source":["aws.guardduty"],"region":[{"prefix":"eu-"}]}"#;
        assert!(
            matches!(coverage_at(prefix, 7.0, home), Coverage::Narrowed(_)),
            "a filter onwatch does not read narrows"
        );
    }
}
