//! Alert routing and hygiene: actions, confirmed subscriptions, stuck and flapping
//! alarms, response patterns.

use std::collections::BTreeMap;

use chrono::Duration;

use super::routing::{Reach, Routing, arn_region};
use super::{RuleInput, RuleSpec, per_region};
use super::{alert_topics, aws_owned, composite, unwatched};
use crate::checklist::{ParamDefault, ParamKind, ParamSpec};
use crate::report::Finding;
use crate::snapshot::AlarmStateChange;
use crate::snapshot::{AlarmTagsRead, Read, RegionSnapshot};
use crate::t;

pub static ALARM_ACTIONS: RuleSpec = RuleSpec {
    id: "alarm_actions",
    params: &[TAG_KEY],
    eval: alarm_actions,
};

/// An alarm with no action is fine when its declared response pattern tells nobody:
/// `record-only` (recorded, not judged) and `know` (judged abnormal and shown in
/// CloudWatch, nobody told, no action), as `alarm-response-pattern` requires.
fn alarm_actions(input: &RuleInput) -> Vec<Finding> {
    let key = input.params.text(&TAG_KEY);
    let mut findings = per_region(
        input.snapshot,
        "CloudWatch alarms", // i18n: technical (part of a finding's resource id)
        |r| &r.alarms,
        |region, data, alarms, out| {
            let via = tags_via(data);
            let parents = composite::acting_parents(alarms);
            for alarm in alarms {
                if let Some(owner) = aws_owned::owner(alarm) {
                    out.push(aws_owned::not_judged(region, alarm, owner));
                    continue;
                }
                let evidence = t!(
                    "rules_alerting.actions_evidence",
                    enabled = alarm.actions_enabled,
                    count = alarm.alarm_actions.len()
                )
                .into_owned();
                let silent = alarm.alarm_actions.is_empty() || !alarm.actions_enabled;
                if silent && let Some(parent) = parents.get(&alarm.name) {
                    out.push(Finding::pass(
                        region,
                        &alarm.arn,
                        t!(
                            "rules_alerting.composite_acts",
                            evidence = evidence,
                            parent = parent
                        )
                        .into_owned(),
                    ));
                    continue;
                }
                if silent {
                    let tags = match &alarm.tags {
                        Read::Ok(t) => t,
                        // Whether "no action" is intended is in the tag.
                        Read::Failed(e) => {
                            let mut finding = Finding::unreadable(region, &alarm.arn, e);
                            finding.evidence = evidence;
                            out.push(finding);
                            continue;
                        }
                    };
                    let pattern = tags.get(&key).map(|raw| response_pattern(raw));
                    let intended = match pattern.as_deref() {
                        Some("record-only") => Some(t!("rules_alerting.intended_record_only")),
                        Some("know") => Some(t!("rules_alerting.intended_know")),
                        _ => None,
                    };
                    if let (Some(pattern), Some(intended)) = (pattern.as_deref(), intended) {
                        out.push(Finding::pass(
                            region,
                            &alarm.arn,
                            t!(
                                "rules_alerting.tagged_silent",
                                state = if alarm.alarm_actions.is_empty() {
                                    t!("rules_alerting.no_actions")
                                } else {
                                    t!("rules_alerting.actions_disabled")
                                },
                                key = key,
                                pattern = pattern,
                                intended = intended,
                                via = via
                            )
                            .into_owned(),
                        ));
                        continue;
                    }
                }
                if !alarm.actions_enabled {
                    out.push(Finding::fail(
                        region,
                        &alarm.arn,
                        evidence,
                        t!("rules_alerting.reason_actions_disabled"),
                    ));
                } else if alarm.alarm_actions.is_empty() {
                    out.push(Finding::fail(
                        region,
                        &alarm.arn,
                        evidence,
                        t!("rules_alerting.reason_no_action"),
                    ));
                } else {
                    out.push(Finding::pass(region, &alarm.arn, evidence));
                }
            }
        },
    );
    findings.extend(unwatched::nothing_watches(input.snapshot));
    findings
}

pub static SNS_CONFIRMED_SUBSCRIPTIONS: RuleSpec = RuleSpec {
    id: "sns_confirmed_subscriptions",
    params: &[],
    eval: sns_confirmed_subscriptions,
};

fn sns_confirmed_subscriptions(input: &RuleInput) -> Vec<Finding> {
    let routing = Routing::new(input);
    let (used, mut out) = alert_topics::used(input.snapshot);
    for (topic, users) in used {
        let region = arn_region(&topic).unwrap_or("unknown");
        let users: Vec<&str> = users.iter().map(String::as_str).collect();
        let used_by = t!(
            "rules_alerting.used_by",
            users = users.join(&*t!("rules_routing.list_separator"))
        );
        match routing.topic(&topic) {
            Reach::Person(how) => {
                out.push(Finding::pass(region, &topic, format!("{how}; {used_by}")))
            }
            Reach::Nobody(why) => out.push(Finding::fail(
                region,
                &topic,
                format!("{why}; {used_by}"),
                t!("rules_alerting.reason_reaches_nobody"),
            )),
            Reach::Unknown(e) => out.push(Finding::unreadable(region, &topic, &e)),
        }
    }
    out
}

const MAX_DAYS: ParamSpec = ParamSpec {
    name: "max_days",
    kind: ParamKind::Int,
    default: ParamDefault::Int(7),
    range: Some((1.0, 3650.0)),
    help: "param_help.alarm_stuck_max_days",
};

pub static ALARM_STUCK: RuleSpec = RuleSpec {
    id: "alarm_stuck",
    params: &[MAX_DAYS],
    eval: alarm_stuck,
};

fn alarm_stuck(input: &RuleInput) -> Vec<Finding> {
    let max = input.params.int(&MAX_DAYS);
    let now = input.snapshot.collected_at;
    per_region(
        input.snapshot,
        "CloudWatch alarms", // i18n: technical (part of a finding's resource id)
        |r| &r.alarms,
        |region, _, alarms, out| {
            for alarm in alarms {
                if let Some(owner) = aws_owned::owner(alarm) {
                    out.push(aws_owned::not_judged(region, alarm, owner));
                    continue;
                }
                if alarm.state != "ALARM" {
                    out.push(Finding::pass(
                        region,
                        &alarm.arn,
                        t!("rules_alerting.state", state = alarm.state).into_owned(),
                    ));
                    continue;
                }
                let Some(since) = alarm.state_updated_at else {
                    out.push(Finding::could_not_check(
                        region,
                        &alarm.arn,
                        t!("rules_alerting.state_alarm_since_unknown"),
                        t!("rules_alerting.reason_since_unknown"),
                    ));
                    continue;
                };
                let days = (now - since).num_days();
                let evidence = t!(
                    "rules_alerting.state_alarm_since",
                    date = since.format("%Y-%m-%d"),
                    days = days
                )
                .into_owned();
                if now - since > Duration::days(max) {
                    out.push(Finding::fail(
                        region,
                        &alarm.arn,
                        evidence,
                        t!("rules_alerting.reason_stuck", max = max),
                    ));
                } else {
                    out.push(Finding::pass(region, &alarm.arn, evidence));
                }
            }
        },
    )
}

const MAX_CHANGES: ParamSpec = ParamSpec {
    name: "max_changes",
    kind: ParamKind::Int,
    default: ParamDefault::Int(10),
    range: Some((1.0, 100000.0)),
    help: "param_help.max_changes",
};

const WINDOW_DAYS: ParamSpec = ParamSpec {
    name: "window_days",
    kind: ParamKind::Int,
    default: ParamDefault::Int(7),
    range: Some((1.0, 7.0)),
    help: "param_help.window_days",
};

pub static ALARM_FLAPPING: RuleSpec = RuleSpec {
    id: "alarm_flapping",
    params: &[MAX_CHANGES, WINDOW_DAYS],
    eval: alarm_flapping,
};

fn alarm_flapping(input: &RuleInput) -> Vec<Finding> {
    let max = input.params.int(&MAX_CHANGES);
    let window = input.params.int(&WINDOW_DAYS);
    let since = input.snapshot.collected_at - Duration::days(window);
    per_region(
        input.snapshot,
        "CloudWatch alarms", // i18n: technical (part of a finding's resource id)
        |r| &r.alarms,
        |region, data, alarms, out| {
            let history = match &data.alarm_history {
                Read::Ok(h) => h,
                Read::Failed(e) => {
                    out.extend(
                        alarms
                            .iter()
                            .map(|a| Finding::unreadable(region, &a.arn, e)),
                    );
                    return;
                }
            };
            let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
            // Only changes into or out of ALARM reach people; OK <-> INSUFFICIENT_DATA
            // (a metric that reports now and then) is not flapping. A fire drill's
            // change into ALARM, and the alarm's own return from it, are not the metric.
            let mut ordered: Vec<&AlarmStateChange> = history.iter().collect();
            ordered.sort_by_key(|c| c.timestamp);
            let mut after_drill: BTreeMap<&str, bool> = BTreeMap::new();
            for change in ordered {
                let name = change.alarm_name.as_str();
                if change.drill {
                    after_drill.insert(name, true);
                    continue;
                }
                let returning = after_drill.insert(name, false).unwrap_or(false)
                    && change.old_state.as_deref() == Some("ALARM");
                if returning || change.timestamp < since || !change.touches_alarm() {
                    continue;
                }
                *counts.entry(name).or_insert(0) += 1;
            }
            for alarm in alarms {
                if let Some(owner) = aws_owned::owner(alarm) {
                    out.push(aws_owned::not_judged(region, alarm, owner));
                    continue;
                }
                let n = counts.get(alarm.name.as_str()).copied().unwrap_or(0);
                let evidence = t!("rules_alerting.changes", n = n, window = window).into_owned();
                if n > max {
                    out.push(Finding::fail(
                        region,
                        &alarm.arn,
                        evidence,
                        t!("rules_alerting.reason_flapping", max = max),
                    ));
                } else {
                    out.push(Finding::pass(region, &alarm.arn, evidence));
                }
            }
        },
    )
}

const TAG_KEY: ParamSpec = ParamSpec {
    name: "tag_key",
    kind: ParamKind::Text,
    default: ParamDefault::Text("response-pattern"),
    range: None,
    help: "param_help.tag_key",
};

pub static ALARM_RESPONSE_PATTERN: RuleSpec = RuleSpec {
    id: "alarm_response_pattern",
    params: &[TAG_KEY],
    eval: alarm_response_pattern,
};

/// Said after the evidence of a verdict that used an alarm's tags when the scan read
/// them one alarm at a time because the batch read (tag:GetResources) failed, so a
/// user knows why the scan made one call per alarm and which permission would avoid it.
fn tags_via(data: &RegionSnapshot) -> String {
    match &data.alarm_tags_read {
        Some(AlarmTagsRead::PerAlarm { batch_error }) => {
            t!("rules_alerting.tags_via", reason = batch_error.reason()).into_owned()
        }
        _ => String::new(),
    }
}

/// The four response patterns (DOMAIN.md), as tag values.
pub const RESPONSE_PATTERNS: [&str; 4] = ["act-now", "next-business-day", "know", "record-only"];

/// A response-pattern tag value as the rules compare it: `Record_Only ` is `record-only`.
fn response_pattern(raw: &str) -> String {
    raw.trim().to_ascii_lowercase().replace('_', "-")
}

fn alarm_response_pattern(input: &RuleInput) -> Vec<Finding> {
    let key = input.params.text(&TAG_KEY);
    let routing = Routing::new(input);
    per_region(
        input.snapshot,
        "CloudWatch alarms", // i18n: technical (part of a finding's resource id)
        |r| &r.alarms,
        |region, data, alarms, out| {
            let via = tags_via(data);
            for alarm in alarms {
                if let Some(owner) = aws_owned::owner(alarm) {
                    out.push(aws_owned::not_judged(region, alarm, owner));
                    continue;
                }
                let tags = match &alarm.tags {
                    Read::Ok(t) => t,
                    Read::Failed(e) => {
                        out.push(Finding::unreadable(region, &alarm.arn, e));
                        continue;
                    }
                };
                let Some(raw) = tags.get(&key) else {
                    out.push(Finding::fail(
                        region,
                        &alarm.arn,
                        t!("rules_alerting.tag_none", key = key, via = via).into_owned(),
                        t!("rules_alerting.reason_no_pattern"),
                    ));
                    continue;
                };
                let pattern = response_pattern(raw);
                let evidence = t!(
                    "rules_alerting.tag_value",
                    key = key,
                    value = raw,
                    via = via
                )
                .into_owned();
                // DOMAIN.md's table: act now notifies by phone or chat; next business
                // day by a ticket or message someone works through; know and record
                // only notify nobody.
                let reach = match pattern.as_str() {
                    "act-now" => routing.alarm_urgent(alarm),
                    _ => routing.alarm(alarm),
                };
                if let Reach::Unknown(e) = &reach
                    && RESPONSE_PATTERNS.contains(&pattern.as_str())
                {
                    out.push(Finding::unreadable(region, &alarm.arn, e));
                    continue;
                }
                let mismatch = match (pattern.as_str(), &reach) {
                    ("act-now", Reach::Nobody(w)) => {
                        Some(t!("rules_alerting.mismatch_act_now", why = w))
                    }
                    ("next-business-day", Reach::Nobody(w)) => {
                        Some(t!("rules_alerting.mismatch_next_business_day", why = w))
                    }
                    ("know", Reach::Person(how)) => {
                        Some(t!("rules_alerting.mismatch_know", how = how))
                    }
                    ("record-only", Reach::Person(how)) => {
                        Some(t!("rules_alerting.mismatch_record_only", how = how))
                    }
                    (p, _) if !RESPONSE_PATTERNS.contains(&p) => Some(t!(
                        "rules_alerting.unknown_pattern",
                        patterns = RESPONSE_PATTERNS.join(&*t!("rules_routing.list_separator"))
                    )),
                    _ => None,
                };
                let evidence = match &reach {
                    Reach::Person(how) => {
                        t!("rules_alerting.reaches", evidence = evidence, how = how).into_owned()
                    }
                    _ => evidence,
                };
                match mismatch {
                    Some(why) => out.push(Finding::fail(region, &alarm.arn, evidence, why)),
                    None => out.push(Finding::pass(region, &alarm.arn, evidence)),
                }
            }
        },
    )
}
