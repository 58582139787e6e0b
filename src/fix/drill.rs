//! Fire drills, planned like fixes (pure): a real test alert through the same route a
//! real incident would take, previewed and confirmed because it reaches real people.
//! - security: GuardDuty CreateSampleFindings of a high-severity type in each region
//!   whose findings EventBridge routes (rule → topic → person);
//! - alarms: per topic alarms notify, SetAlarmState ALARM with the reason
//!   "onwatch fire drill" on one metric alarm that is in OK now and whose actions are
//!   all SNS topics or Incident Manager (SetAlarmState runs every ALARM action, so never
//!   one with EC2, Auto Scaling, Lambda or SSM actions); CloudWatch puts it back at its
//!   next evaluation. With no such alarm, a test message on the topic itself;
//! - cost: a test message on each topic budgets and anomaly alerts use (an address
//!   Budgets e-mails directly cannot be tested from AWS).
//!
//! A drill cannot be undone (a sent alert stays sent); the person's answer is recorded
//! with the answers as `[drills.<class>.<route>]`.

use super::{FixPlan, Op, State, Step, Undo};
use crate::rules::drills::routes_in_use;
use crate::snapshot::{AccountSnapshot, Alarm, Read};

/// The state reason a drill sets; alarm-flapping ignores the transitions it causes.
pub const DRILL_REASON: &str = "onwatch fire drill";
/// A high-severity (8.0) finding type GuardDuty can make a sample of.
pub const SAMPLE_FINDING: &str = "Backdoor:EC2/C&CActivity.B!DNS";

/// A drill: what it sends, and which route each step tests.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillPlan {
    pub class: String,
    /// The route each step tests, in step order.
    pub routes: Vec<String>,
    /// Routes AWS cannot send a test through (an address Budgets e-mails itself): only
    /// the person can say whether they get those alerts.
    pub manual: Vec<String>,
    pub plan: FixPlan,
}

/// The route classes an item's alerts travel.
pub fn classes_for(item: &str) -> &'static [&'static str] {
    match item {
        "guardduty-findings-routed" | "guardduty-enabled" => &["security"],
        "alarm-actions"
        | "sns-confirmed-subscriptions"
        | "rds-cpu-alarm"
        | "rds-storage-headroom"
        | "rds-connections-alarm"
        | "ecs-service-alarms"
        | "alb-alarms"
        | "synthetics-canary"
        | "alarm-response-pattern" => &["alarms"],
        "budget-notification" | "cost-anomaly-detection" => &["cost"],
        "alert-path-tested" => &["security", "alarms", "cost"],
        _ => &[],
    }
}

fn cannot_unsend() -> Undo {
    Undo::Cannot {
        why: "a test alert cannot be unsent; it is the point of the drill".into(),
    }
}

/// Whether an action ARN is an SNS topic or an Incident Manager response plan (the
/// service field of the ARN, not a substring a name could contain).
pub fn notifies_only(action: &str) -> bool {
    matches!(action.split(':').nth(2), Some("sns" | "ssm-incidents"))
}

/// Whether SetAlarmState may drill this alarm: a metric alarm in OK with actions on,
/// every action of every state (ALARM, and the OK or INSUFFICIENT_DATA ones that run
/// when CloudWatch puts it back) an SNS topic or an Incident Manager response plan,
/// and no composite alarm built on it (its state would change too).
pub fn drillable(alarm: &Alarm, all: &[Alarm]) -> bool {
    let part_of_composite = all.iter().any(|c| {
        c.alarm_rule
            .as_deref()
            .is_some_and(|r| r.contains(&format!("\"{}\"", alarm.name)) || r.contains(&alarm.arn))
    });
    alarm.kind == "metric"
        && alarm.state == "OK"
        && alarm.actions_enabled
        && !alarm.alarm_actions.is_empty()
        && alarm
            .alarm_actions
            .iter()
            .chain(&alarm.ok_actions)
            .chain(&alarm.insufficient_data_actions)
            .all(|a| notifies_only(a))
        && !part_of_composite
}

fn test_message(class: &str) -> (String, String) {
    (
        DRILL_REASON.to_string(),
        format!(
            "This is a test of the {class} alert path, sent by onwatch. If you read this, the path works: tell the person who ran the drill that it reached you, and when."
        ),
    )
}

/// The drill of one route class, or why there is none.
pub fn plan(class: &str, snapshot: &AccountSnapshot) -> DrillPlan {
    let routes = routes_in_use(snapshot);
    let mut out = DrillPlan {
        class: class.to_string(),
        routes: Vec::new(),
        manual: Vec::new(),
        plan: FixPlan {
            item: format!("drill {class}"),
            account: snapshot.account.id.clone(),
            steps: Vec::new(),
            cost: "None: sample findings, alarm state changes and a few SNS messages are free (a paging tool behind a topic may bill its own way)".into(),
            warnings: {
                let mut w = vec![
                    "This reaches real people: everyone subscribed to these routes gets the test, whatever the hour".into(),
                ];
                if class == "alarms" {
                    w.push("An alarm set to ALARM also moves whatever watches its state beyond its actions (a Route 53 health check, a deployment rollback): the drill picks alarms whose actions only notify, but check that nothing else reads it".into());
                }
                if class == "security" {
                    w.push("The sample finding goes to every target of the GuardDuty rules, including any automatic remediation".into());
                }
                w
            },
            skipped: Vec::new(),
        },
    };
    let Some(in_use) = routes.get(class) else {
        out.plan
            .skipped
            .push(format!("no {class} alert route is in use"));
        return out;
    };
    for (route, region) in in_use {
        let data = snapshot.regions.get(region);
        let step = match class {
            "security" => security_step(route, region, data, &mut out.plan.skipped),
            "alarms" => Some(alarm_step(route, region, data)),
            _ if route.starts_with("arn:") => {
                let (subject, message) = test_message(class);
                let topic_region = crate::rules::routing::arn_region(route).unwrap_or(region);
                Some(Step::new(
                    topic_region,
                    Op::PublishTest {
                        topic_arn: route.clone(),
                        subject,
                        message,
                    },
                    format!("Publish a test message on topic {route}"),
                    State::TopicExists(true),
                    cannot_unsend(),
                ))
            }
            _ => {
                out.plan.skipped.push(format!(
                    "{route}: Budgets e-mails this address itself and AWS offers no test notification; ask them, then record the answer"
                ));
                out.manual.push(route.clone());
                None
            }
        };
        if let Some(step) = step {
            out.routes.push(route.clone());
            out.plan.steps.push(step);
        }
    }
    out
}

fn security_step(
    route: &str,
    region: &str,
    data: Option<&crate::snapshot::RegionSnapshot>,
    skipped: &mut Vec<String>,
) -> Option<Step> {
    let detector = data.and_then(|d| match &d.guardduty_detectors {
        Read::Ok(ds) => ds.iter().find(|d| d.status == "ENABLED"),
        Read::Failed(_) => None,
    });
    let Some(detector) = detector else {
        skipped.push(format!(
            "{route}: no enabled GuardDuty detector to make a sample finding"
        ));
        return None;
    };
    Some(Step::new(
        region,
        Op::CreateSampleFindings {
            detector_id: detector.id.clone(),
            finding_type: SAMPLE_FINDING.into(),
        },
        format!(
            "Make a sample high-severity GuardDuty finding ({SAMPLE_FINDING}) in {region}; EventBridge routes it like a real one"
        ),
        State::DetectorStatus("ENABLED".into()),
        cannot_unsend(),
    ))
}

fn alarm_step(topic: &str, region: &str, data: Option<&crate::snapshot::RegionSnapshot>) -> Step {
    let empty = Vec::new();
    let all: &[Alarm] = match data.map(|d| &d.alarms) {
        Some(Read::Ok(a)) => a,
        _ => &empty,
    };
    let mut alarms: Vec<&Alarm> = match data.map(|d| &d.alarms) {
        Some(Read::Ok(a)) => a
            .iter()
            .filter(|a| a.alarm_actions.iter().any(|x| x == topic) && drillable(a, all))
            .collect(),
        _ => Vec::new(),
    };
    alarms.sort_by(|a, b| a.name.cmp(&b.name));
    match alarms.first() {
        Some(alarm) => Step::new(
            region,
            Op::SetAlarmState {
                alarm: alarm.name.clone(),
                reason: DRILL_REASON.into(),
            },
            format!(
                "Set alarm {} to ALARM with the reason \"{DRILL_REASON}\": it notifies topic {topic} like a real breach; CloudWatch puts it back at its next evaluation",
                alarm.name
            ),
            State::AlarmDrillable(true),
            cannot_unsend(),
        ),
        None => {
            let (subject, message) = test_message("alarms");
            Step::new(
                region,
                Op::PublishTest {
                    topic_arn: topic.to_string(),
                    subject,
                    message,
                },
                format!(
                    "Publish a test message on topic {topic} (no alarm of it is in OK with only topic actions, so the alarm itself is not set off)"
                ),
                State::TopicExists(true),
                cannot_unsend(),
            )
        }
    }
}
