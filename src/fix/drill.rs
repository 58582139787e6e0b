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
use crate::t;

/// The state reason a drill sets; alarm-flapping ignores the transitions it causes
/// (so it is matched as it is, in English, and sent to AWS as it is).
pub const DRILL_REASON: &str = "onwatch fire drill"; // i18n: technical
/// A high-severity (8.0) finding type GuardDuty can make a sample of.
pub const SAMPLE_FINDING: &str = "Backdoor:EC2/C&CActivity.B!DNS"; // i18n: technical

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
        why: t!("fix_drill.cannot_unsend").into_owned(),
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

/// The subject and message a drill publishes: sent to AWS (and shown in the CLI
/// equivalent), so in English whatever the window shows.
fn test_message(class: &str) -> (String, String) {
    (
        DRILL_REASON.to_string(),
        format!(
            "This is a test of the {class} alert path, sent by onwatch. If you read this, the path works: tell the person who ran the drill that it reached you, and when." // i18n: technical
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
            cost: t!("fix_drill.cost").into_owned(),
            warnings: {
                let mut w = vec![t!("fix_drill.reaches_people").into_owned()];
                if class == "alarms" {
                    w.push(t!("fix_drill.alarm_side_effects").into_owned());
                }
                if class == "security" {
                    w.push(t!("fix_drill.sample_to_every_target").into_owned());
                }
                w
            },
            skipped: Vec::new(),
        },
    };
    let Some(in_use) = routes.get(class) else {
        out.plan
            .skipped
            .push(t!("fix_drill.no_route", class = class).into_owned());
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
                    t!("fix_drill.publish_test", topic = route).into_owned(),
                    State::TopicExists(true),
                    cannot_unsend(),
                ))
            }
            _ => {
                out.plan
                    .skipped
                    .push(t!("fix_drill.ask_budget_address", route = route).into_owned());
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
        skipped.push(t!("fix_drill.no_detector", route = route).into_owned());
        return None;
    };
    Some(Step::new(
        region,
        Op::CreateSampleFindings {
            detector_id: detector.id.clone(),
            finding_type: SAMPLE_FINDING.into(),
        },
        t!(
            "fix_drill.sample_finding",
            finding = SAMPLE_FINDING,
            region = region
        )
        .into_owned(),
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
            t!(
                "fix_drill.set_alarm_state",
                alarm = alarm.name,
                reason = DRILL_REASON,
                topic = topic
            )
            .into_owned(),
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
                t!("fix_drill.publish_test_no_alarm", topic = topic).into_owned(),
                State::TopicExists(true),
                cannot_unsend(),
            )
        }
    }
}
