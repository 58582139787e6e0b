//! Cost: budgets and anomaly detection (account-wide).

use super::routing::{Publisher, Reach, Routing, Sender};
use super::{RuleInput, RuleSpec, sorted_by};
use crate::report::Finding;
use crate::snapshot::{AnomalySubscription, GLOBAL_REGION, Read, ReadError};
use crate::t;

pub static BUDGET_NOTIFICATION: RuleSpec = RuleSpec {
    id: "budget_notification",
    params: &[],
    eval: budget_notification,
};

fn budget_notification(input: &RuleInput) -> Vec<Finding> {
    let budgets = match &input.snapshot.global.budgets {
        Read::Ok(b) => b,
        Read::Failed(e) => return vec![Finding::unreadable(GLOBAL_REGION, "Budgets", e)], // i18n: technical (resource label)
    };
    let routing = Routing::new(input);
    let account = &input.snapshot.account;
    let mut unknown: Option<ReadError> = None;
    let mut seen = Vec::new();
    for budget in sorted_by(budgets, |b| b.name.clone())
        .into_iter()
        .filter(|b| b.budget_type == "COST")
    {
        let notifications = match &budget.notifications {
            Read::Ok(n) => sorted_by(n, |n| (n.notification_type.clone(), n.threshold.to_bits())),
            Read::Failed(e) => {
                unknown.get_or_insert_with(|| e.clone());
                continue;
            }
        };
        if notifications.is_empty() {
            seen.push(t!("rules_cost.no_notifications", budget = budget.name).into_owned());
        }
        for n in notifications {
            match &n.subscribers {
                Read::Failed(e) => {
                    unknown.get_or_insert_with(|| e.clone());
                }
                Read::Ok(subs) if subs.is_empty() => {
                    seen.push(
                        t!(
                            "rules_cost.no_subscriber",
                            budget = budget.name,
                            kind = n.notification_type,
                            threshold = n.threshold
                        )
                        .into_owned(),
                    );
                }
                Read::Ok(subs) => {
                    // An e-mail reaches a person; a topic only if one of its confirmed
                    // subscriptions does (Budgets publishes to it like any sender).
                    let mut to = Vec::new();
                    let mut nobody = Vec::new();
                    // The request's aws:SourceArn is the budget's ARN.
                    let budget_arn = format!(
                        "arn:{}:budgets::{}:budget/{}",
                        account.partition, account.id, budget.name
                    );
                    let sender = Sender {
                        publisher: Publisher::Budgets,
                        source_arn: &budget_arn,
                    };
                    for s in subs {
                        if s.kind != "SNS" {
                            to.push(format!("{} {}", s.kind, s.address));
                            continue;
                        }
                        match routing.topic_from(&s.address, &sender) {
                            Reach::Person(how) => to.push(format!("SNS {}", how.how)),
                            Reach::Nobody(why) => nobody.push(format!("SNS {} ({why})", s.address)),
                            Reach::Unknown(e) => {
                                unknown.get_or_insert(e);
                            }
                        }
                    }
                    if to.is_empty() {
                        if !nobody.is_empty() {
                            nobody.sort();
                            seen.push(
                                t!(
                                    "rules_cost.reach_nobody",
                                    budget = budget.name,
                                    kind = n.notification_type,
                                    threshold = n.threshold,
                                    to = nobody.join(", ")
                                )
                                .into_owned(),
                            );
                        }
                        continue;
                    }
                    to.sort();
                    return vec![Finding::pass(
                        GLOBAL_REGION,
                        &format!("budget {}", budget.name),
                        t!(
                            "rules_cost.budget_pass",
                            kind = n.notification_type,
                            threshold = n.threshold,
                            to = to.join(", ")
                        ),
                    )];
                }
            }
        }
    }
    if let Some(e) = unknown {
        return vec![Finding::unreadable(GLOBAL_REGION, "Budgets", &e)]; // i18n: technical (resource label)
    }
    let others = budgets.iter().filter(|b| b.budget_type != "COST").count();
    seen.sort();
    if seen.is_empty() {
        seen.push(t!("rules_cost.no_cost_budgets", others = others).into_owned());
    }
    vec![Finding::fail(
        GLOBAL_REGION,
        "Budgets", // i18n: technical (resource label)
        seen.join("; "),
        t!("rules_cost.no_budget_reason"),
    )]
}

pub static COST_ANOMALY_DETECTION: RuleSpec = RuleSpec {
    id: "cost_anomaly_detection",
    params: &[],
    eval: cost_anomaly_detection,
};

fn cost_anomaly_detection(input: &RuleInput) -> Vec<Finding> {
    let global = &input.snapshot.global;
    let monitors = match &global.anomaly_monitors {
        Read::Ok(m) => m,
        Read::Failed(e) => {
            return vec![Finding::unreadable(
                GLOBAL_REGION,
                "Cost Anomaly Detection", // i18n: technical (resource label)
                e,
            )];
        }
    };
    if monitors.is_empty() {
        return vec![Finding::fail(
            GLOBAL_REGION,
            "Cost Anomaly Detection", // i18n: technical (resource label)
            t!("rules_cost.no_monitors"),
            t!("rules_cost.no_monitors_reason"),
        )];
    }
    let subscriptions = match &global.anomaly_subscriptions {
        Read::Ok(s) => s,
        Read::Failed(e) => {
            return vec![Finding::unreadable(
                GLOBAL_REGION,
                "Cost Anomaly Detection", // i18n: technical (resource label)
                e,
            )];
        }
    };
    let subscriptions = sorted_by(subscriptions, |s| s.arn.clone());
    let routing = Routing::new(input);
    let mut unknown: Option<ReadError> = None;
    let mut nobody = Vec::new();
    for monitor in sorted_by(monitors, |m| m.arn.clone()) {
        for sub in subscriptions
            .iter()
            .filter(|s| s.monitor_arns.contains(&monitor.arn))
        {
            let Some(to) = listeners(&routing, sub, &mut unknown, &mut nobody) else {
                continue;
            };
            let evidence = match sub.threshold.as_deref() {
                Some(threshold) => t!(
                    "rules_cost.anomaly_pass_threshold",
                    monitor = monitor.name,
                    subscription = sub.name,
                    frequency = sub.frequency,
                    threshold = threshold,
                    to = to
                ),
                None => t!(
                    "rules_cost.anomaly_pass",
                    monitor = monitor.name,
                    subscription = sub.name,
                    frequency = sub.frequency,
                    to = to
                ),
            };
            return vec![Finding::pass(GLOBAL_REGION, &monitor.arn, evidence)];
        }
    }
    if let Some(e) = unknown {
        return vec![Finding::unreadable(
            GLOBAL_REGION,
            "Cost Anomaly Detection", // i18n: technical (resource label)
            &e,
        )];
    }
    nobody.sort();
    nobody.dedup();
    let mut evidence = t!("rules_cost.monitors_nobody", count = monitors.len()).into_owned();
    if !nobody.is_empty() {
        evidence = format!("{evidence}: {}", nobody.join("; "));
    }
    let first = sorted_by(monitors, |m| m.arn.clone());
    vec![Finding::fail(
        GLOBAL_REGION,
        &first[0].arn,
        evidence,
        t!("rules_cost.nobody_told"),
    )]
}

/// Who an anomaly subscription's alerts reach: e-mail subscribers who did not decline,
/// and SNS topics that let Cost Anomaly Detection publish and reach a person. None when
/// nobody; what reaches nobody goes to `nobody`, what could not be read to `unknown`.
fn listeners(
    routing: &Routing,
    sub: &AnomalySubscription,
    unknown: &mut Option<ReadError>,
    nobody: &mut Vec<String>,
) -> Option<String> {
    let sender = Sender {
        publisher: Publisher::CostAnomaly,
        source_arn: &sub.arn,
    };
    let mut to = Vec::new();
    for address in sub.subscribers.iter() {
        // Subscribers who declined are told nothing.
        if sub.declined.contains(address) {
            nobody.push(
                t!(
                    "rules_cost.declined",
                    subscription = sub.name,
                    address = address
                )
                .into_owned(),
            );
            continue;
        }
        if !address.starts_with("arn:") {
            to.push(format!("EMAIL {address}"));
            continue;
        }
        match routing.topic_from(address, &sender) {
            Reach::Person(how) => to.push(format!("SNS {}", how.how)),
            Reach::Nobody(why) => nobody.push(
                t!(
                    "rules_cost.subscription_nobody",
                    subscription = sub.name,
                    why = why
                )
                .into_owned(),
            ),
            Reach::Unknown(e) => {
                unknown.get_or_insert(e);
            }
        }
    }
    to.sort();
    (!to.is_empty()).then(|| to.join(", "))
}
