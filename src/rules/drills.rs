//! alert-path-tested: every class of alert route in use had a fire drill that reached a
//! person within `max_age_days`. The classes: `security` (GuardDuty findings routed by
//! EventBridge, per region), `alarms` (each SNS topic alarms notify), `cost` (the
//! topics and addresses budgets and anomaly subscriptions tell). A class passes when a
//! drill of one of its routes was answered yes in time, fails when a route's drill in
//! that time (one record per route: the latest) was answered no, and is to-answer
//! otherwise (never drilled, or too long ago).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use super::RuleInput;
use crate::answers::{Drill, YesNo};
use crate::checklist::{ParamDefault, ParamKind, ParamSpec};
use crate::report::{Finding, FindingStatus};
use crate::rules::RuleSpec;
use crate::snapshot::{AccountSnapshot, GLOBAL_REGION, Read, ReadError};
use crate::t;

const MAX_AGE_DAYS: ParamSpec = ParamSpec {
    name: "max_age_days",
    kind: ParamKind::Int,
    default: ParamDefault::Int(90),
    range: Some((1.0, 366.0)),
    help: "param_help.drill_max_age_days",
};

pub static ALERT_PATH_TESTED: RuleSpec = RuleSpec {
    id: "alert_path_tested",
    params: &[MAX_AGE_DAYS],
    eval: alert_path_tested,
};

/// Where a class of alerts goes: route id -> the region it lives in.
pub type Routes = BTreeMap<String, String>;

/// The routes in use, by class, as the scan shows them.
pub fn routes_in_use(snapshot: &AccountSnapshot) -> BTreeMap<&'static str, Routes> {
    routes_and_gaps(snapshot).0
}

/// A read that failed: (class it would have shown routes of, region, what, error).
type Gap<'s> = (&'static str, String, &'static str, &'s ReadError);

/// The routes in use, and the reads that failed: a class with no route known beside a
/// failed read may be in use, unseen.
fn routes_and_gaps(snapshot: &AccountSnapshot) -> (BTreeMap<&'static str, Routes>, Vec<Gap<'_>>) {
    let mut gaps = Vec::new();
    let mut out: BTreeMap<&'static str, Routes> = BTreeMap::new();
    for (region, data) in &snapshot.regions {
        if let Read::Failed(e) = &data.event_rules {
            gaps.push(("security", region.clone(), "EventBridge rules", e)); // i18n: technical (resource label)
        }
        if let Read::Failed(e) = &data.alarms {
            gaps.push(("alarms", region.clone(), "CloudWatch alarms", e)); // i18n: technical (resource label)
        }
        if let Read::Ok(rules) = &data.event_rules
            && rules.iter().any(|r| {
                r.state.starts_with("ENABLED")
                    && !r.targets.is_empty()
                    && r.event_pattern
                        .as_deref()
                        .is_some_and(|p| p.contains("aws.guardduty"))
            })
        {
            out.entry("security")
                .or_default()
                .insert(region.clone(), region.clone());
        }
        if let Read::Ok(alarms) = &data.alarms {
            for alarm in alarms.iter().filter(|a| a.actions_enabled) {
                for action in alarm.alarm_actions.iter().filter(|a| a.contains(":sns:")) {
                    out.entry("alarms")
                        .or_default()
                        .insert(action.clone(), region.clone());
                }
            }
        }
    }
    if let Read::Failed(e) = &snapshot.global.budgets {
        gaps.push(("cost", GLOBAL_REGION.to_string(), "budgets", e));
    }
    if let Read::Failed(e) = &snapshot.global.anomaly_subscriptions {
        gaps.push((
            "cost",
            GLOBAL_REGION.to_string(),
            "anomaly subscriptions", // i18n: technical (resource label)
            e,
        ));
    }
    if let Read::Ok(budgets) = &snapshot.global.budgets {
        for budget in budgets {
            if let Read::Ok(notes) = &budget.notifications {
                for n in notes {
                    if let Read::Ok(subs) = &n.subscribers {
                        for s in subs {
                            out.entry("cost")
                                .or_default()
                                .insert(s.address.clone(), GLOBAL_REGION.to_string());
                        }
                    }
                }
            }
        }
    }
    if let Read::Ok(subscriptions) = &snapshot.global.anomaly_subscriptions {
        for s in subscriptions {
            for address in &s.subscribers {
                out.entry("cost")
                    .or_default()
                    .insert(address.clone(), GLOBAL_REGION.to_string());
            }
        }
    }
    (out, gaps)
}

fn alert_path_tested(input: &RuleInput) -> Vec<Finding> {
    let max_age = input.params.int(&MAX_AGE_DAYS);
    let today = input.snapshot.collected_at.date_naive();
    let since = today - Duration::days(max_age);
    let (routes, gaps) = routes_and_gaps(input.snapshot);
    // A class with a known route is judged by its drills (one tested route is enough);
    // a class with none beside a failed read may be in use unseen: could not check.
    let mut out: Vec<Finding> = gaps
        .iter()
        .filter(|(class, ..)| !routes.contains_key(*class))
        .map(|(_, region, what, e)| Finding::unreadable(region, &format!("{what} in {region}"), e))
        .collect();
    if routes.is_empty() && !out.is_empty() {
        return out;
    }
    if routes.is_empty() {
        return vec![Finding::not_applicable(
            GLOBAL_REGION,
            "alert routes", // i18n: technical (resource label)
            t!("rules_drills.no_routes"),
        )];
    }
    for (class, routes) in routes {
        let none = BTreeMap::new();
        let drills = input.drills.get(class).unwrap_or(&none);
        // The drills of routes in use that are recent enough, newest first.
        let mut recent: Vec<(&String, &Drill, NaiveDate)> = routes
            .keys()
            .filter_map(|r| drills.get(r).map(|d| (r, d)))
            .filter_map(|(r, d)| {
                NaiveDate::parse_from_str(&d.date, "%Y-%m-%d")
                    .ok()
                    .map(|day| (r, d, day))
            })
            .filter(|(_, _, day)| *day >= since)
            .collect();
        recent.sort_by_key(|r| std::cmp::Reverse(r.2));
        let list: Vec<&str> = routes.keys().map(String::as_str).collect();
        let resource = format!("{class} alerts");
        let evidence = |what: std::borrow::Cow<'static, str>| {
            t!("rules_drills.routes", routes = list.join(", "), what = what).into_owned()
        };
        let region = if class == "security" || routes.len() != 1 {
            GLOBAL_REGION.to_string()
        } else {
            routes.values().next().cloned().unwrap_or_default()
        };
        let finding = match recent.iter().find(|(_, d, _)| d.answer == YesNo::No) {
            Some((route, d, _)) => Finding::fail(
                &region,
                &resource,
                evidence(t!("rules_drills.not_reached", route = route, date = d.date)),
                t!("rules_drills.broken"),
            ),
            None => match recent.first() {
                Some((route, d, _)) => Finding::pass(
                    &region,
                    &resource,
                    evidence(t!(
                        "rules_drills.reached",
                        route = route,
                        date = d.date,
                        who = d
                            .who
                            .as_deref()
                            .map_or_else(|| t!("rules_drills.someone"), Into::into)
                    )),
                ),
                None => Finding {
                    region,
                    resource,
                    status: FindingStatus::ToAnswer,
                    evidence: evidence(t!("rules_drills.no_drill", since = since)),
                    reason: Some(t!("rules_drills.to_answer", days = max_age).into_owned()),
                    missing_permission: None,
                    accepted: None,
                },
            },
        };
        out.push(finding);
    }
    out
}
