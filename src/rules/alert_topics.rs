//! Alert topics: the SNS topics that alerts are sent to. A topic an application uses to
//! fan work out (EventBridge -> SNS -> SQS workers) is not one, and whether it reaches
//! a person is not the question.

use std::collections::{BTreeMap, BTreeSet};

use super::routing::arn_service;
use crate::report::Finding;
use crate::snapshot::{AccountSnapshot, EventRule, Read};
use crate::t;

/// Every alert topic, with who sends to it: the actions of CloudWatch alarms, the
/// targets of EventBridge rules that route GuardDuty or Security Hub findings, and the
/// SNS subscribers of budgets and cost anomaly subscriptions. Reads that failed are
/// findings that could not check.
pub(crate) fn used(
    snapshot: &AccountSnapshot,
) -> (BTreeMap<String, BTreeSet<String>>, Vec<Finding>) {
    let mut used: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unread = Vec::new();
    let mut add = |topic: &str, user: String| {
        if arn_service(topic) == Some("sns") {
            used.entry(topic.to_string()).or_default().insert(user);
        }
    };
    for (region, data) in &snapshot.regions {
        match &data.alarms {
            Read::Ok(alarms) => {
                for alarm in alarms {
                    let actions = alarm
                        .alarm_actions
                        .iter()
                        .chain(&alarm.ok_actions)
                        .chain(&alarm.insufficient_data_actions);
                    for a in actions {
                        add(
                            a,
                            t!("rules_alert_topics.alarm", name = alarm.name).into_owned(),
                        );
                    }
                }
            }
            Read::Failed(e) => unread.push(Finding::unreadable(
                region,
                &format!("CloudWatch alarms in {region}"), // i18n: technical (a finding's resource id)
                e,
            )),
        }
        match &data.event_rules {
            Read::Ok(rules) => {
                for rule in rules.iter().filter(|r| routes_findings(r)) {
                    for t in &rule.targets {
                        add(
                            &t.arn,
                            t!("rules_alert_topics.rule", name = rule.name).into_owned(),
                        );
                    }
                }
            }
            Read::Failed(e) => unread.push(Finding::unreadable(
                region,
                &format!("EventBridge rules in {region}"), // i18n: technical (a finding's resource id)
                e,
            )),
        }
    }
    if let Read::Ok(budgets) = &snapshot.global.budgets {
        for budget in budgets {
            for n in budget.notifications.ok().into_iter().flatten() {
                for s in n.subscribers.ok().into_iter().flatten() {
                    if s.kind == "SNS" {
                        add(
                            &s.address,
                            t!("rules_alert_topics.budget", name = budget.name).into_owned(),
                        );
                    }
                }
            }
        }
    }
    if let Read::Ok(subscriptions) = &snapshot.global.anomaly_subscriptions {
        for sub in subscriptions {
            // Addresses: e-mail addresses or topic ARNs; `add` keeps the topics.
            for s in &sub.subscribers {
                add(
                    s,
                    t!("rules_alert_topics.anomaly_subscription", name = sub.name).into_owned(),
                );
            }
        }
    }
    (used, unread)
}

/// Whether an EventBridge rule routes security findings: its pattern selects the
/// `aws.guardduty` or `aws.securityhub` source, or their findings' detail types.
fn routes_findings(rule: &EventRule) -> bool {
    let Some(pattern) = rule
        .event_pattern
        .as_deref()
        .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
    else {
        return false;
    };
    let values = |key: &str| -> Vec<String> {
        match &pattern[key] {
            serde_json::Value::Array(v) => v
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            serde_json::Value::String(s) => vec![s.clone()],
            _ => Vec::new(),
        }
    };
    values("source")
        .iter()
        .any(|s| s == "aws.guardduty" || s == "aws.securityhub")
        || values("detail-type")
            .iter()
            .any(|d| d == "GuardDuty Finding" || d.starts_with("Security Hub Findings")) // i18n: technical
}
