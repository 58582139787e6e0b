//! Security: GuardDuty, CloudTrail, AWS Config, ECR image scanning.

use std::collections::BTreeMap;

use super::guardduty_pattern::{self, Coverage, MAX_SEVERITY};
use super::routing::{Publisher, Reach, Routing, Sender};
use super::suppression;
use super::trail::{Gap, gap};
use super::{RuleInput, RuleSpec, per_region, sorted_by, wildcard_match};
use crate::checklist::{ParamDefault, ParamKind, ParamSpec};
use crate::report::Finding;
use crate::snapshot::{ConfigRecorder, GLOBAL_REGION, Read, ReadError, Trail};

pub static GUARDDUTY_ENABLED: RuleSpec = RuleSpec {
    id: "guardduty_enabled",
    params: &[],
    eval: guardduty_enabled,
};

fn guardduty_enabled(input: &RuleInput) -> Vec<Finding> {
    let account = &input.snapshot.account.id;
    let partition = &input.snapshot.account.partition;
    per_region(
        input.snapshot,
        "GuardDuty",
        |r| &r.guardduty_detectors,
        |region, _, detectors, out| {
            let resource = format!("arn:{partition}:guardduty:{region}:{account}:detector");
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
    range: Some((1.0, 10.0)),
    help: "lowest GuardDuty severity that must reach a person; every severity from it up to 10.0 must be matched (high = 7.0 to 8.9, critical = 9.0 to 10.0)",
};

pub static GUARDDUTY_FINDINGS_ROUTED: RuleSpec = RuleSpec {
    id: "guardduty_findings_routed",
    params: &[MIN_SEVERITY],
    eval: guardduty_findings_routed,
};

fn guardduty_findings_routed(input: &RuleInput) -> Vec<Finding> {
    let min = input.params.float(&MIN_SEVERITY);
    let routing = Routing::new(input);
    per_region(
        input.snapshot,
        "EventBridge rules",
        |r| &r.event_rules,
        |region, data, rules, out| {
            // A suppression rule that archives high findings undoes any route.
            out.extend(suppression::findings(
                region,
                data,
                &input.snapshot.account,
                min,
            ));
            let mut matching = Vec::new();
            let mut partial = Vec::new();
            for rule in sorted_by(rules, |r| r.arn.clone()) {
                if !rule.state.starts_with("ENABLED") {
                    continue;
                }
                let pattern = rule.event_pattern.as_deref().unwrap_or("");
                let home = guardduty_pattern::Home {
                    account: &input.snapshot.account.id,
                    region,
                };
                match guardduty_pattern::coverage_at(pattern, min, home) {
                    Coverage::Covers => matching.push(rule),
                    Coverage::Misses(s) => partial.push(format!(
                        "rule {} matches aws.guardduty but not severity {s:.1}",
                        rule.name
                    )),
                    Coverage::Narrowed(keys) => partial.push(format!(
                        "rule {} matches aws.guardduty but is narrowed by {}, so other findings are not sent",
                        rule.name,
                        keys.join(", ")
                    )),
                    Coverage::NotGuardDuty => {}
                }
            }
            if matching.is_empty() {
                let evidence = if partial.is_empty() {
                    "enabled rules matching source aws.guardduty = none".to_string()
                } else {
                    partial.join("; ")
                };
                out.push(Finding::fail(
                    region,
                    &format!("EventBridge in {region}"),
                    evidence,
                    format!(
                        "no EventBridge rule sends every GuardDuty finding of severity {min:.1} to {MAX_SEVERITY:.1} anywhere"
                    ),
                ));
                return;
            }
            let mut unknown: Option<(&str, ReadError)> = None;
            let mut why = Vec::new();
            for rule in &matching {
                // SNS topics, Lambda forwarders (Slack, Teams), API destinations
                // (PagerDuty, Opsgenie) and event buses, as for alarms.
                let targets: Vec<String> = rule.targets.iter().map(|t| t.arn.clone()).collect();
                if targets.is_empty() {
                    why.push(format!("rule {} has no target", rule.name));
                    continue;
                }
                let sender = Sender {
                    publisher: Publisher::EventBridge,
                    source_arn: &rule.arn,
                };
                match routing.actions(&targets, &sender) {
                    Reach::Person(how) => {
                        out.push(Finding::pass(
                            region,
                            &rule.arn,
                            format!("rule {} → {how}", rule.name),
                        ));
                        return;
                    }
                    Reach::Unknown(e) => {
                        unknown.get_or_insert((&rule.arn, e));
                    }
                    Reach::Nobody(w) => why.push(format!("rule {}: {w}", rule.name)),
                }
            }
            why.sort();
            // A rule whose topic could not be read may be the one that reaches a person:
            // undecided, whatever the other rules do (as for routed alarms).
            match unknown {
                Some((rule, e)) => {
                    let mut finding = Finding::unreadable(region, rule, &e);
                    finding.evidence = why.join("; ");
                    out.push(finding);
                }
                None => out.push(Finding::fail(
                    region,
                    &matching[0].arn,
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

/// A multi-region trail (an organization trail too) is listed by DescribeTrails in every
/// region, from its home region or as a shadow trail, but the collector keeps it only
/// where it reads it once: in its home region when that region is in scope, else in the
/// first region of the scope. So a good trail seen in any region passes; no good trail
/// fails only when every region's trails were read, since a region whose read failed
/// may be the home of the account's trail. Could not check otherwise, or when the one
/// trail that could pass has an unreadable logging status.
fn cloudtrail_multi_region(input: &RuleInput) -> Vec<Finding> {
    let mut read_in = Vec::new();
    let mut unread: Vec<(&str, &ReadError)> = Vec::new();
    let mut trails = Vec::new();
    // Multi-region trails listed as shadows (ARN -> home): each is read in full in one
    // other region.
    let mut shadows: BTreeMap<&str, &str> = BTreeMap::new();
    // A region read by a build that did not record shadows: what it lists is unknown.
    let mut shadows_unknown = false;
    for (region, data) in &input.snapshot.regions {
        match &data.trails {
            Read::Ok(t) => {
                read_in.push(region.as_str());
                trails.extend(t);
                match &data.trail_shadows {
                    Some(listed) => {
                        for shadow in listed {
                            shadows.insert(shadow.arn.as_str(), shadow.home_region.as_str());
                        }
                    }
                    None => shadows_unknown = true,
                }
            }
            Read::Failed(e) => unread.push((region, e)),
        }
    }
    // Look at each trail once, in an order that does not depend on listing order: a
    // passing copy first, then a copy whose logging status was read.
    // Logging in every region, delivering, with management events.
    let records = |t: &Trail| {
        t.is_multi_region && t.is_logging == Read::Ok(true) && matches!(gap(t), Gap::None)
    };
    let passes = |t: &Trail| records(t) && t.log_file_validation;
    let rank = |t: &Trail| match (&t.is_logging, passes(t)) {
        (_, true) => 0,
        (Read::Ok(_), false) => 1,
        (Read::Failed(_), false) => 2,
    };
    trails.sort_by_cached_key(|t| (t.arn.clone(), rank(t), format!("{t:?}")));
    trails.dedup_by(|a, b| a.arn == b.arn);
    if let Some(trail) = trails.iter().find(|t| passes(t)) {
        return vec![Finding::pass(
            GLOBAL_REGION,
            &trail.arn,
            format!(
                "trail {} (home {}): multi-region = true, logging = true, log file validation = true",
                trail.name, trail.home_region
            ),
        )];
    }
    let mut seen = Vec::new();
    let mut undecided: Option<(&Trail, &ReadError)> = None;
    for trail in &trails {
        // Only a multi-region, validating trail could pass once what is unknown is known.
        let could_pass = trail.is_multi_region && trail.log_file_validation;
        let logging = match &trail.is_logging {
            Read::Ok(l) => l.to_string(),
            Read::Failed(e) => {
                if could_pass && undecided.is_none() {
                    undecided = Some((trail, e));
                }
                "unknown".to_string()
            }
        };
        let also = match gap(trail) {
            Gap::None => String::new(),
            Gap::Known(what) => format!(", {what}"),
            Gap::Unknown(e) => {
                if could_pass && undecided.is_none() {
                    undecided = Some((trail, e));
                }
                ", management events = unknown".to_string()
            }
        };
        seen.push(format!(
            "{}: multi-region = {}, logging = {logging}, log file validation = {}{also}",
            trail.name, trail.is_multi_region, trail.log_file_validation
        ));
    }
    if let Some((trail, e)) = undecided {
        return vec![Finding::unreadable(GLOBAL_REGION, &trail.arn, e)];
    }
    if read_in.is_empty() {
        // A region where CloudTrail is not offered says nothing; prefer a real failure.
        let worst = unread
            .iter()
            .find(|(_, e)| !matches!(e, ReadError::NotOffered { .. }))
            .or(unread.first());
        return match worst {
            Some((region, e)) => vec![Finding::unreadable(region, "CloudTrail trails", e)],
            None => Vec::new(),
        };
    }
    let evidence = format!(
        "trails listed in {}: {}",
        read_in.join(", "),
        if seen.is_empty() {
            "none".to_string()
        } else {
            seen.join("; ")
        }
    );
    // Every region lists every multi-region trail. When a region's read failed, what
    // it would have read in full is known from the others: a shadow whose full record
    // is missing. No such shadow: the failed regions hide no multi-region trail.
    let unread_trails: Vec<(&str, &str)> = shadows
        .iter()
        .filter(|(arn, _)| !trails.iter().any(|t| t.arn == **arn))
        .map(|(arn, home)| (*arn, *home))
        .collect();
    // A region where CloudTrail is not offered or that is not enabled holds no trail.
    let failed: Vec<(&str, &ReadError)> = unread
        .into_iter()
        .filter(|(_, e)| {
            !matches!(
                e,
                ReadError::NotOffered { .. } | ReadError::RegionNotEnabled { .. }
            )
        })
        .collect();
    if !failed.is_empty() && (shadows_unknown || !unread_trails.is_empty()) {
        // Those failed regions hold the full record of a multi-region trail: the one
        // that is its home if that failed, else any of them (the scan reads a trail
        // homed outside it in its first region).
        let homes: Vec<&(&str, &ReadError)> = failed
            .iter()
            .filter(|(region, _)| unread_trails.iter().any(|(_, home)| home == region))
            .collect();
        let failed: Vec<(&str, &ReadError)> = if homes.is_empty() {
            failed
        } else {
            homes.into_iter().copied().collect()
        };
        let listed: Vec<String> = unread_trails
            .iter()
            .map(|(arn, home)| format!("{arn} (home {home})"))
            .collect();
        let regions: Vec<&str> = failed.iter().map(|(region, _)| *region).collect();
        let evidence = if listed.is_empty() {
            format!(
                "{evidence}; not read in {} (a multi-region trail whose home is there is read only there)",
                regions.join(", ")
            )
        } else {
            format!(
                "{evidence}; listed but not read, as {} could not be read: {}",
                regions.join(", "),
                listed.join(", ")
            )
        };
        return failed
            .into_iter()
            .map(|(region, e)| {
                let mut finding =
                    Finding::unreadable(region, &format!("CloudTrail trails in {region}"), e);
                finding.evidence = evidence.clone();
                finding
            })
            .collect();
    }
    // Recording every region but without validation: the record exists, its integrity
    // cannot be proven. Half the item, not all of it lost.
    if let Some(trail) = trails.iter().find(|t| records(t)) {
        return vec![
            Finding::pass(
                GLOBAL_REGION,
                &trail.arn,
                format!(
                    "trail {} (home {}): multi-region = true, logging = true",
                    trail.name, trail.home_region
                ),
            ),
            Finding::fail(
                GLOBAL_REGION,
                &trail.arn,
                format!("trail {}: log file validation = false", trail.name),
                "without log file validation, a log file changed or deleted after delivery cannot be detected",
            ),
        ];
    }
    vec![Finding::fail(
        GLOBAL_REGION,
        "CloudTrail",
        evidence,
        "no trail that is multi-region, logging (management events, delivered) and validating its log files",
    )]
}

/// What a recorder records
/// (https://docs.aws.amazon.com/config/latest/APIReference/API_RecordingGroup.html):
/// every supported type, possibly minus an exclusion list (Ok, with the exclusions and
/// a daily recording frequency said), or only an inclusion list (Err, naming it).
fn recorded(r: &ConfigRecorder) -> Result<String, String> {
    let list = |types: &[String]| {
        const SHOWN: usize = 10;
        let mut text = types
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        if types.len() > SHOWN {
            text.push_str(&format!(" and {} more", types.len() - SHOWN));
        }
        text
    };
    let frequency = match r.frequency.as_deref() {
        Some("DAILY") => ", recording frequency = DAILY (changes are recorded once a day)",
        _ => "",
    };
    match r.strategy.as_deref() {
        Some("INCLUSION_BY_RESOURCE_TYPES") => {}
        Some("EXCLUSION_BY_RESOURCE_TYPES") if !r.excluded_types.is_empty() => {
            return Ok(format!(
                "all supported types except {} ({}){frequency}",
                r.excluded_types.len(),
                list(&r.excluded_types)
            ));
        }
        Some(_) => return Ok(format!("all supported types{frequency}")),
        None if r.all_supported => return Ok(format!("all supported types{frequency}")),
        None => {}
    }
    Err(format!(
        "{} resource types ({})",
        r.resource_types.len(),
        list(&r.resource_types)
    ))
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
            let evidence = match recorded(recorder) {
                Ok(scope) => format!("{evidence}, records {scope}"),
                Err(only) => {
                    out.push(Finding::fail(
                        region,
                        &resource,
                        format!("{evidence}, records only {only}"),
                        "the recorder records only the resource types listed: changes to every other resource go unrecorded",
                    ));
                    return;
                }
            };
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

/// Which scanning applies to a repository depends on the registry's scan type (ECR User
/// Guide, "Filters to choose which repositories are scanned in Amazon ECR"):
/// - BASIC: the repository's own scanOnPush flag, or a SCAN_ON_PUSH registry rule whose
///   filter matches the name;
/// - ENHANCED: only the registry rules (SCAN_ON_PUSH or CONTINUOUS_SCAN) decide: "Any
///   repositories not matching an enhanced scanning filter will have scanning
///   disabled", whatever the repository's scanOnPush flag says (that per-repository
///   setting is deprecated in favour of the registry configuration, see
///   PutImageScanningConfiguration in the ECR API Reference).
///
/// So the registry configuration is needed even when the repository flag is on: if it
/// could not be read, the repository could not be checked.
fn ecr_scan_on_push(input: &RuleInput) -> Vec<Finding> {
    per_region(
        input.snapshot,
        "ECR repositories",
        |r| &r.ecr_repositories,
        |region, data, repos, out| {
            for repo in repos {
                let registry = match &data.ecr_registry_scanning {
                    Read::Ok(r) => r,
                    Read::Failed(e) => {
                        out.push(Finding::unreadable(region, &repo.arn, e));
                        continue;
                    }
                };
                let enhanced = registry.scan_type.eq_ignore_ascii_case("ENHANCED");
                let frequencies: &[&str] = if enhanced {
                    &["SCAN_ON_PUSH", "CONTINUOUS_SCAN"]
                } else {
                    &["SCAN_ON_PUSH"]
                };
                let rules = sorted_by(&registry.rules, |r| {
                    (r.frequency.clone(), r.filters.clone())
                });
                let matched = rules
                    .into_iter()
                    .filter(|rule| frequencies.contains(&rule.frequency.as_str()))
                    .find_map(|rule| {
                        let mut filters: Vec<&String> = rule.filters.iter().collect();
                        filters.sort();
                        filters
                            .into_iter()
                            .find(|f| wildcard_match(f, &repo.name))
                            .map(|f| (rule, f))
                    });
                let scan_type = &registry.scan_type;
                match matched {
                    Some((rule, filter)) => out.push(Finding::pass(
                        region,
                        &repo.arn,
                        format!(
                            "registry scan type = {scan_type}, rule {} with filter {filter} matches {}",
                            rule.frequency, repo.name
                        ),
                    )),
                    None if !enhanced && repo.scan_on_push => out.push(Finding::pass(
                        region,
                        &repo.arn,
                        format!("registry scan type = {scan_type}, scanOnPush = true"),
                    )),
                    None if enhanced => out.push(Finding::fail(
                        region,
                        &repo.arn,
                        format!(
                            "registry scan type = ENHANCED, no scan-on-push or continuous rule matches {}; scanOnPush = {} (not used with enhanced scanning)",
                            repo.name, repo.scan_on_push
                        ),
                        "enhanced scanning is turned off for repositories no registry rule matches: images are pushed without a vulnerability scan",
                    )),
                    None => out.push(Finding::fail(
                        region,
                        &repo.arn,
                        format!(
                            "registry scan type = {scan_type}, scanOnPush = false, no registry scan-on-push rule matches {}",
                            repo.name
                        ),
                        "images are pushed without a vulnerability scan",
                    )),
                }
            }
        },
    )
}
