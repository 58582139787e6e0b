//! Security: GuardDuty, CloudTrail, AWS Config, ECR image scanning.

use serde_json::Value;

use super::routing::{Reach, Routing};
use super::{RuleInput, RuleSpec, per_region, sorted_by, wildcard_match};
use crate::checklist::{ParamDefault, ParamKind, ParamSpec};
use crate::report::Finding;
use crate::snapshot::{GLOBAL_REGION, Read, ReadError, Trail};

pub static GUARDDUTY_ENABLED: RuleSpec = RuleSpec {
    id: "guardduty_enabled",
    params: &[],
    eval: guardduty_enabled,
};

fn guardduty_enabled(input: &RuleInput) -> Vec<Finding> {
    let account = &input.snapshot.account.id;
    per_region(
        input.snapshot,
        "GuardDuty",
        |r| &r.guardduty_detectors,
        |region, _, detectors, out| {
            let resource = format!("arn:aws:guardduty:{region}:{account}:detector");
            let detectors = sorted_by(detectors, |d| d.id.clone());
            match detectors.iter().find(|d| d.status == "ENABLED") {
                Some(d) => out.push(Finding::pass(
                    region,
                    &format!("{resource}/{}", d.id),
                    "detector status = ENABLED",
                )),
                None => match detectors.first() {
                    Some(d) => out.push(Finding::fail(
                        region,
                        &format!("{resource}/{}", d.id),
                        format!("detector status = {}", d.status),
                        "the detector exists but is not enabled",
                    )),
                    None => out.push(Finding::fail(
                        region,
                        &format!("GuardDuty in {region}"),
                        "detectors = none",
                        "GuardDuty is not turned on in this region",
                    )),
                },
            }
        },
    )
}

const MIN_SEVERITY: ParamSpec = ParamSpec {
    name: "min_severity",
    kind: ParamKind::Float,
    default: ParamDefault::Float(7.0),
    help: "lowest GuardDuty severity that must reach a person (high = 7.0 to 8.9)",
};

pub static GUARDDUTY_FINDINGS_ROUTED: RuleSpec = RuleSpec {
    id: "guardduty_findings_routed",
    params: &[MIN_SEVERITY],
    eval: guardduty_findings_routed,
};

/// Whether an event pattern matches GuardDuty findings of `min` severity.
fn matches_guardduty(pattern: &str, min: f64) -> bool {
    let Ok(p) = serde_json::from_str::<Value>(pattern) else {
        return false;
    };
    let source_ok = match p.get("source") {
        Some(Value::Array(v)) => v.iter().any(|s| s.as_str() == Some("aws.guardduty")),
        Some(Value::String(s)) => s == "aws.guardduty",
        _ => false,
    };
    source_ok && severity_covers(p.get("detail").and_then(|d| d.get("severity")), min)
}

fn severity_covers(filter: Option<&Value>, min: f64) -> bool {
    let Some(Value::Array(conditions)) = filter else {
        return filter.is_none();
    };
    conditions.iter().any(|c| match c {
        Value::Number(n) => n.as_f64().is_some_and(|v| v >= min),
        Value::Object(o) => match o.get("numeric") {
            Some(Value::Array(ops)) => match (ops.first().and_then(Value::as_str), ops.get(1)) {
                (Some(">="), Some(v)) => v.as_f64().is_some_and(|v| v <= min),
                (Some(">"), Some(v)) => v.as_f64().is_some_and(|v| v < min),
                _ => false,
            },
            _ => false,
        },
        _ => false,
    })
}

fn guardduty_findings_routed(input: &RuleInput) -> Vec<Finding> {
    let min = input.params.float(&MIN_SEVERITY);
    let routing = Routing::new(input.snapshot);
    per_region(
        input.snapshot,
        "EventBridge rules",
        |r| &r.event_rules,
        |region, _, rules, out| {
            let matching: Vec<_> = sorted_by(rules, |r| r.arn.clone())
                .into_iter()
                .filter(|r| r.state.starts_with("ENABLED"))
                .filter(|r| {
                    r.event_pattern
                        .as_deref()
                        .is_some_and(|p| matches_guardduty(p, min))
                })
                .collect();
            if matching.is_empty() {
                out.push(Finding::fail(
                    region,
                    &format!("EventBridge in {region}"),
                    "enabled rules matching source aws.guardduty = none",
                    format!("no EventBridge rule sends GuardDuty findings of severity {min} or more anywhere"),
                ));
                return;
            }
            let mut unknown: Option<ReadError> = None;
            let mut why = Vec::new();
            for rule in &matching {
                let topics: Vec<String> = rule
                    .targets
                    .iter()
                    .filter(|t| t.arn.starts_with("arn:aws:sns:"))
                    .map(|t| t.arn.clone())
                    .collect();
                if topics.is_empty() {
                    why.push(format!("rule {} has no SNS target", rule.name));
                    continue;
                }
                match routing.actions(&topics) {
                    Reach::Person(how) => {
                        out.push(Finding::pass(
                            region,
                            &rule.arn,
                            format!("rule {} → {how}", rule.name),
                        ));
                        return;
                    }
                    Reach::Unknown(e) => unknown = Some(e),
                    Reach::Nobody(w) => why.push(format!("rule {}: {w}", rule.name)),
                }
            }
            why.sort();
            let resource = &matching[0].arn;
            match unknown {
                Some(e) if why.is_empty() => out.push(Finding::unreadable(region, resource, &e)),
                _ => out.push(Finding::fail(
                    region,
                    resource,
                    why.join("; "),
                    "GuardDuty findings are matched but reach nobody",
                )),
            }
        },
    )
}

pub static CLOUDTRAIL_MULTI_REGION: RuleSpec = RuleSpec {
    id: "cloudtrail_multi_region",
    params: &[],
    eval: cloudtrail_multi_region,
};

fn cloudtrail_multi_region(input: &RuleInput) -> Vec<Finding> {
    let mut unknown: Option<ReadError> = None;
    let mut seen = Vec::new();
    let mut trails = Vec::new();
    for data in input.snapshot.regions.values() {
        match &data.trails {
            Read::Ok(t) => trails.extend(t),
            Read::Failed(e) => {
                unknown.get_or_insert_with(|| e.clone());
            }
        }
    }
    // A multi-region trail is listed in every region: look at each trail once, in an
    // order that does not depend on listing order (a passing copy first).
    let passes =
        |t: &Trail| t.is_multi_region && t.log_file_validation && t.is_logging == Read::Ok(true);
    trails.sort_by_cached_key(|t| (t.arn.clone(), !passes(t), format!("{t:?}")));
    trails.dedup_by(|a, b| a.arn == b.arn);
    {
        for trail in trails {
            let logging = match &trail.is_logging {
                Read::Ok(l) => *l,
                Read::Failed(e) => {
                    unknown.get_or_insert_with(|| e.clone());
                    continue;
                }
            };
            if trail.is_multi_region && trail.log_file_validation && logging {
                return vec![Finding::pass(
                    GLOBAL_REGION,
                    &trail.arn,
                    format!(
                        "trail {} (home {}): multi-region = true, logging = true, log file validation = true",
                        trail.name, trail.home_region
                    ),
                )];
            }
            seen.push(format!(
                "{}: multi-region = {}, logging = {logging}, log file validation = {}",
                trail.name, trail.is_multi_region, trail.log_file_validation
            ));
        }
    }
    if let Some(e) = unknown {
        return vec![Finding::unreadable(GLOBAL_REGION, "CloudTrail trails", &e)];
    }
    let evidence = if seen.is_empty() {
        "trails = none".to_string()
    } else {
        seen.join("; ")
    };
    vec![Finding::fail(
        GLOBAL_REGION,
        "CloudTrail",
        evidence,
        "no trail that is multi-region, logging and validating its log files",
    )]
}

pub static CONFIG_RECORDING: RuleSpec = RuleSpec {
    id: "config_recording",
    params: &[],
    eval: config_recording,
};

fn config_recording(input: &RuleInput) -> Vec<Finding> {
    per_region(
        input.snapshot,
        "AWS Config recorders",
        |r| &r.config_recorders,
        |region, data, recorders, out| {
            let recorders = sorted_by(recorders, |r| r.name.clone());
            let Some(recorder) = recorders
                .iter()
                .find(|r| r.recording)
                .or(recorders.first())
                .copied()
            else {
                out.push(Finding::fail(
                    region,
                    &format!("AWS Config in {region}"),
                    "configuration recorders = none",
                    "AWS Config records nothing in this region",
                ));
                return;
            };
            let resource = format!("AWS Config recorder {} in {region}", recorder.name);
            let status = recorder.last_status.as_deref().unwrap_or("unknown");
            let evidence = format!("recording = {}, last status = {status}", recorder.recording);
            if !recorder.recording {
                out.push(Finding::fail(
                    region,
                    &resource,
                    evidence,
                    "the recorder is stopped",
                ));
                return;
            }
            if status == "FAILURE" {
                out.push(Finding::fail(
                    region,
                    &resource,
                    evidence,
                    "the recorder's last delivery failed",
                ));
                return;
            }
            match &data.config_delivery_channels {
                Read::Failed(e) => out.push(Finding::unreadable(region, &resource, e)),
                Read::Ok(channels) if channels.is_empty() => out.push(Finding::fail(
                    region,
                    &resource,
                    format!("{evidence}, delivery channels = none"),
                    "recording without a delivery channel stores nothing",
                )),
                Read::Ok(channels) => {
                    let names = sorted_by(channels, |c| c.name.clone());
                    let names: Vec<&str> = names.iter().map(|c| c.name.as_str()).collect();
                    out.push(Finding::pass(
                        region,
                        &resource,
                        format!("{evidence}, delivery channel = {}", names.join(", ")),
                    ))
                }
            }
        },
    )
}

pub static ECR_SCAN_ON_PUSH: RuleSpec = RuleSpec {
    id: "ecr_scan_on_push",
    params: &[],
    eval: ecr_scan_on_push,
};

fn ecr_scan_on_push(input: &RuleInput) -> Vec<Finding> {
    per_region(
        input.snapshot,
        "ECR repositories",
        |r| &r.ecr_repositories,
        |region, data, repos, out| {
            for repo in repos {
                if repo.scan_on_push {
                    out.push(Finding::pass(region, &repo.arn, "scanOnPush = true"));
                    continue;
                }
                let registry = match &data.ecr_registry_scanning {
                    Read::Ok(r) => r,
                    Read::Failed(e) => {
                        out.push(Finding::unreadable(region, &repo.arn, e));
                        continue;
                    }
                };
                let rules = sorted_by(&registry.rules, |r| {
                    (r.frequency.clone(), r.filters.clone())
                });
                let rule = rules.into_iter().find(|rule| {
                    matches!(rule.frequency.as_str(), "SCAN_ON_PUSH" | "CONTINUOUS_SCAN")
                        && rule.filters.iter().any(|f| wildcard_match(f, &repo.name))
                });
                match rule {
                    Some(rule) => out.push(Finding::pass(
                        region,
                        &repo.arn,
                        format!(
                            "registry {} scanning rule {} matches (filters {})",
                            registry.scan_type,
                            rule.frequency,
                            rule.filters.join(", ")
                        ),
                    )),
                    None => out.push(Finding::fail(
                        region,
                        &repo.arn,
                        "scanOnPush = false, no registry scan-on-push rule matches",
                        "images are pushed without a vulnerability scan",
                    )),
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guardduty_patterns() {
        assert!(matches_guardduty(r#"{"source":["aws.guardduty"]}"#, 7.0));
        assert!(matches_guardduty(
            r#"{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",7]}]}}"#,
            7.0
        ));
        assert!(!matches_guardduty(
            r#"{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",8]}]}}"#,
            7.0
        ));
        assert!(matches_guardduty(
            r#"{"source":["aws.guardduty"],"detail":{"severity":[7,7.5,8]}}"#,
            7.0
        ));
        assert!(!matches_guardduty(r#"{"source":["aws.ec2"]}"#, 7.0));
        assert!(!matches_guardduty("not json", 7.0));
    }
}
