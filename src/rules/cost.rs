//! Cost: budgets and anomaly detection (account-wide).

use super::routing::{Publisher, Reach, Routing, Sender};
use super::{RuleInput, RuleSpec, sorted_by};
use crate::report::Finding;
use crate::snapshot::{AnomalySubscription, GLOBAL_REGION, Read, ReadError};

pub static BUDGET_NOTIFICATION: RuleSpec = RuleSpec {
    id: "budget_notification",
    params: &[],
    eval: budget_notification,
};

fn budget_notification(input: &RuleInput) -> Vec<Finding> {
    let budgets = match &input.snapshot.global.budgets {
        Read::Ok(b) => b,
        Read::Failed(e) => return vec![Finding::unreadable(GLOBAL_REGION, "Budgets", e)],
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
            seen.push(format!("{}: no notifications", budget.name));
        }
        for n in notifications {
            match &n.subscribers {
                Read::Failed(e) => {
                    unknown.get_or_insert_with(|| e.clone());
                }
                Read::Ok(subs) if subs.is_empty() => {
                    seen.push(format!(
                        "{}: {} {}% with no subscriber",
                        budget.name, n.notification_type, n.threshold
                    ));
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
                            seen.push(format!(
                                "{}: {} {}% → {}, which reach nobody",
                                budget.name,
                                n.notification_type,
                                n.threshold,
                                nobody.join(", ")
                            ));
                        }
                        continue;
                    }
                    to.sort();
                    return vec![Finding::pass(
                        GLOBAL_REGION,
                        &format!("budget {}", budget.name),
                        format!(
                            "{} at {}% → {}",
                            n.notification_type,
                            n.threshold,
                            to.join(", ")
                        ),
                    )];
                }
            }
        }
    }
    if let Some(e) = unknown {
        return vec![Finding::unreadable(GLOBAL_REGION, "Budgets", &e)];
    }
    let others = budgets.iter().filter(|b| b.budget_type != "COST").count();
    seen.sort();
    if seen.is_empty() {
        seen.push(format!("cost budgets = none ({others} other budget(s))"));
    }
    vec![Finding::fail(
        GLOBAL_REGION,
        "Budgets",
        seen.join("; "),
        "no cost budget tells anyone when spending runs away",
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
                "Cost Anomaly Detection",
                e,
            )];
        }
    };
    if monitors.is_empty() {
        return vec![Finding::fail(
            GLOBAL_REGION,
            "Cost Anomaly Detection",
            "anomaly monitors = none",
            "an unusual spend spike goes unnoticed until the bill",
        )];
    }
    let subscriptions = match &global.anomaly_subscriptions {
        Read::Ok(s) => s,
        Read::Failed(e) => {
            return vec![Finding::unreadable(
                GLOBAL_REGION,
                "Cost Anomaly Detection",
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
            let threshold = sub
                .threshold
                .as_deref()
                .map_or(String::new(), |t| format!(", alerts when {t}"));
            return vec![Finding::pass(
                GLOBAL_REGION,
                &monitor.arn,
                format!(
                    "monitor {} → subscription {} ({}{threshold}) → {to}",
                    monitor.name, sub.name, sub.frequency
                ),
            )];
        }
    }
    if let Some(e) = unknown {
        return vec![Finding::unreadable(
            GLOBAL_REGION,
            "Cost Anomaly Detection",
            &e,
        )];
    }
    nobody.sort();
    nobody.dedup();
    let mut evidence = format!(
        "{} monitor(s), none with a subscribed alert that reaches a person",
        monitors.len()
    );
    if !nobody.is_empty() {
        evidence = format!("{evidence}: {}", nobody.join("; "));
    }
    let first = sorted_by(monitors, |m| m.arn.clone());
    vec![Finding::fail(
        GLOBAL_REGION,
        &first[0].arn,
        evidence,
        "anomalies are detected but nobody is told",
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
            nobody.push(format!("subscription {}: {address} declined", sub.name));
            continue;
        }
        if !address.starts_with("arn:") {
            to.push(format!("EMAIL {address}"));
            continue;
        }
        match routing.topic_from(address, &sender) {
            Reach::Person(how) => to.push(format!("SNS {}", how.how)),
            Reach::Nobody(why) => nobody.push(format!("subscription {}: {why}", sub.name)),
            Reach::Unknown(e) => {
                unknown.get_or_insert(e);
            }
        }
    }
    to.sort();
    (!to.is_empty()).then(|| to.join(", "))
}
