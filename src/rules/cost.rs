//! Cost: budgets and anomaly detection (account-wide).

use super::{RuleInput, RuleSpec, sorted_by};
use crate::report::Finding;
use crate::snapshot::{GLOBAL_REGION, Read, ReadError};

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
                    let mut to: Vec<String> = subs
                        .iter()
                        .map(|s| format!("{} {}", s.kind, s.address))
                        .collect();
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
    for monitor in sorted_by(monitors, |m| m.arn.clone()) {
        if let Some(sub) = subscriptions
            .iter()
            .find(|s| s.monitor_arns.contains(&monitor.arn) && !s.subscribers.is_empty())
        {
            return vec![Finding::pass(
                GLOBAL_REGION,
                &monitor.arn,
                format!(
                    "monitor {} → subscription {} ({}, {} subscriber(s))",
                    monitor.name,
                    sub.name,
                    sub.frequency,
                    sub.subscribers.len()
                ),
            )];
        }
    }
    let first = sorted_by(monitors, |m| m.arn.clone());
    vec![Finding::fail(
        GLOBAL_REGION,
        &first[0].arn,
        format!(
            "{} monitor(s), none with a subscribed alert",
            monitors.len()
        ),
        "anomalies are detected but nobody is told",
    )]
}
