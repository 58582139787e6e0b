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
use crate::t;

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
        "GuardDuty", // i18n: technical (a resource name, see per_region)
        |r| &r.guardduty_detectors,
        |region, _, detectors, out| {
            let resource = format!("arn:{partition}:guardduty:{region}:{account}:detector");
            let detectors = sorted_by(detectors, |d| d.id.clone());
            match detectors.iter().find(|d| d.status == "ENABLED") {
                Some(d) => out.push(Finding::pass(
                    region,
                    &format!("{resource}/{}", d.id),
                    t!("rules_security.detector_enabled"),
                )),
                None => match detectors.first() {
                    Some(d) => out.push(Finding::fail(
                        region,
                        &format!("{resource}/{}", d.id),
                        t!("rules_security.detector_status", status = d.status),
                        t!("rules_security.detector_not_enabled"),
                    )),
                    None => out.push(Finding::fail(
                        region,
                        &format!("GuardDuty in {region}"), // i18n: technical (a resource name)
                        t!("rules_security.detectors_none"),
                        t!("rules_security.guardduty_off"),
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
    help: "param_help.min_severity",
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
        "EventBridge rules", // i18n: technical (a resource name, see per_region)
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
                    Coverage::Misses(s) => partial.push(
                        t!(
                            "rules_security.rule_misses_severity",
                            name = rule.name,
                            severity = format!("{s:.1}")
                        )
                        .into_owned(),
                    ),
                    Coverage::Narrowed(keys) => partial.push(
                        t!(
                            "rules_security.rule_narrowed",
                            name = rule.name,
                            keys = keys.join(", ")
                        )
                        .into_owned(),
                    ),
                    Coverage::NotGuardDuty => {}
                }
            }
            if matching.is_empty() {
                let evidence = if partial.is_empty() {
                    t!("rules_security.no_guardduty_rule").into_owned()
                } else {
                    partial.join("; ")
                };
                out.push(Finding::fail(
                    region,
                    &format!("EventBridge in {region}"), // i18n: technical (a resource name)
                    evidence,
                    t!(
                        "rules_security.no_rule_sends",
                        min = format!("{min:.1}"),
                        max = format!("{MAX_SEVERITY:.1}")
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
                    why.push(t!("rules_security.rule_no_target", name = rule.name).into_owned());
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
                            t!("rules_security.rule_reaches", name = rule.name, how = how),
                        ));
                        return;
                    }
                    Reach::Unknown(e) => {
                        unknown.get_or_insert((&rule.arn, e));
                    }
                    Reach::Nobody(w) => why.push(
                        t!("rules_security.rule_why", name = rule.name, why = w).into_owned(),
                    ),
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
                    t!("rules_security.findings_reach_nobody"),
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
            t!(
                "rules_security.trail_validating",
                name = trail.name,
                home = trail.home_region
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
                t!("rules_security.unknown").into_owned()
            }
        };
        let also = match gap(trail) {
            Gap::None => String::new(),
            Gap::Known(what) => t!("rules_security.trail_also", what = what).into_owned(),
            Gap::Unknown(e) => {
                if could_pass && undecided.is_none() {
                    undecided = Some((trail, e));
                }
                t!("rules_security.trail_management_unknown").into_owned()
            }
        };
        seen.push(
            t!(
                "rules_security.trail_seen",
                name = trail.name,
                multi_region = trail.is_multi_region,
                logging = logging,
                validation = trail.log_file_validation,
                also = also
            )
            .into_owned(),
        );
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
            Some((region, e)) => vec![Finding::unreadable(region, "CloudTrail trails", e)], // i18n: technical (a resource name)
            None => Vec::new(),
        };
    }
    let evidence = t!(
        "rules_security.trails_listed",
        regions = read_in.join(", "),
        trails = if seen.is_empty() {
            t!("rules_security.none").into_owned()
        } else {
            seen.join("; ")
        }
    )
    .into_owned();
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
            .map(|(arn, home)| {
                t!("rules_security.trail_arn_home", arn = arn, home = home).into_owned()
            })
            .collect();
        let regions: Vec<&str> = failed.iter().map(|(region, _)| *region).collect();
        let evidence = if listed.is_empty() {
            t!(
                "rules_security.trails_not_read",
                evidence = evidence,
                regions = regions.join(", ")
            )
        } else {
            t!(
                "rules_security.trails_listed_not_read",
                evidence = evidence,
                regions = regions.join(", "),
                listed = listed.join(", ")
            )
        }
        .into_owned();
        return failed
            .into_iter()
            .map(|(region, e)| {
                let mut finding =
                    Finding::unreadable(region, &format!("CloudTrail trails in {region}"), e); // i18n: technical (a resource name)
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
                t!(
                    "rules_security.trail_logging",
                    name = trail.name,
                    home = trail.home_region
                ),
            ),
            Finding::fail(
                GLOBAL_REGION,
                &trail.arn,
                t!("rules_security.trail_no_validation", name = trail.name),
                t!("rules_security.no_validation_reason"),
            ),
        ];
    }
    vec![Finding::fail(
        GLOBAL_REGION,
        "CloudTrail", // i18n: technical (a resource name)
        evidence,
        t!("rules_security.no_good_trail"),
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
            text.push_str(&t!(
                "rules_security.types_and_more",
                n = types.len() - SHOWN
            ));
        }
        text
    };
    let frequency = match r.frequency.as_deref() {
        Some("DAILY") => t!("rules_security.daily_frequency"),
        _ => "".into(),
    };
    match r.strategy.as_deref() {
        Some("INCLUSION_BY_RESOURCE_TYPES") => {}
        Some("EXCLUSION_BY_RESOURCE_TYPES") if !r.excluded_types.is_empty() => {
            return Ok(t!(
                "rules_security.all_types_except",
                n = r.excluded_types.len(),
                types = list(&r.excluded_types),
                frequency = frequency
            )
            .into_owned());
        }
        Some(_) => {
            return Ok(t!("rules_security.all_types", frequency = frequency).into_owned());
        }
        None if r.all_supported => {
            return Ok(t!("rules_security.all_types", frequency = frequency).into_owned());
        }
        None => {}
    }
    Err(t!(
        "rules_security.some_types",
        n = r.resource_types.len(),
        types = list(&r.resource_types)
    )
    .into_owned())
}

pub static CONFIG_RECORDING: RuleSpec = RuleSpec {
    id: "config_recording",
    params: &[],
    eval: config_recording,
};

fn config_recording(input: &RuleInput) -> Vec<Finding> {
    per_region(
        input.snapshot,
        "AWS Config recorders", // i18n: technical (a resource name, see per_region)
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
                    &format!("AWS Config in {region}"), // i18n: technical (a resource name)
                    t!("rules_security.recorders_none"),
                    t!("rules_security.config_records_nothing"),
                ));
                return;
            };
            let resource = format!("AWS Config recorder {} in {region}", recorder.name); // i18n: technical (a resource name)
            let status = match recorder.last_status.as_deref() {
                Some(status) => status.into(),
                None => t!("rules_security.unknown"),
            };
            let evidence = t!(
                "rules_security.recorder_state",
                recording = recorder.recording,
                status = status
            )
            .into_owned();
            if !recorder.recording {
                out.push(Finding::fail(
                    region,
                    &resource,
                    evidence,
                    t!("rules_security.recorder_stopped"),
                ));
                return;
            }
            if status == "FAILURE" {
                out.push(Finding::fail(
                    region,
                    &resource,
                    evidence,
                    t!("rules_security.recorder_delivery_failed"),
                ));
                return;
            }
            let evidence = match recorded(recorder) {
                Ok(scope) => {
                    t!("rules_security.records", evidence = evidence, scope = scope).into_owned()
                }
                Err(only) => {
                    out.push(Finding::fail(
                        region,
                        &resource,
                        t!(
                            "rules_security.records_only",
                            evidence = evidence,
                            only = only
                        ),
                        t!("rules_security.records_only_reason"),
                    ));
                    return;
                }
            };
            match &data.config_delivery_channels {
                Read::Failed(e) => out.push(Finding::unreadable(region, &resource, e)),
                Read::Ok(channels) if channels.is_empty() => out.push(Finding::fail(
                    region,
                    &resource,
                    t!("rules_security.channels_none", evidence = evidence),
                    t!("rules_security.channels_none_reason"),
                )),
                Read::Ok(channels) => {
                    let names = sorted_by(channels, |c| c.name.clone());
                    let names: Vec<&str> = names.iter().map(|c| c.name.as_str()).collect();
                    out.push(Finding::pass(
                        region,
                        &resource,
                        t!(
                            "rules_security.channels",
                            evidence = evidence,
                            names = names.join(", ")
                        ),
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
        "ECR repositories", // i18n: technical (a resource name, see per_region)
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
                        t!(
                            "rules_security.ecr_rule_matches",
                            scan_type = scan_type,
                            frequency = rule.frequency,
                            filter = filter,
                            repo = repo.name
                        ),
                    )),
                    None if !enhanced && repo.scan_on_push => out.push(Finding::pass(
                        region,
                        &repo.arn,
                        t!("rules_security.ecr_scan_on_push", scan_type = scan_type),
                    )),
                    None if enhanced => out.push(Finding::fail(
                        region,
                        &repo.arn,
                        t!(
                            "rules_security.ecr_enhanced_unmatched",
                            repo = repo.name,
                            scan_on_push = repo.scan_on_push
                        ),
                        t!("rules_security.ecr_enhanced_unmatched_reason"),
                    )),
                    None => out.push(Finding::fail(
                        region,
                        &repo.arn,
                        t!(
                            "rules_security.ecr_unmatched",
                            scan_type = scan_type,
                            repo = repo.name
                        ),
                        t!("rules_security.ecr_unscanned_reason"),
                    )),
                }
            }
        },
    )
}
