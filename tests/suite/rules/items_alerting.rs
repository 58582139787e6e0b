//! The alert routing and hygiene items.

use std::collections::BTreeMap;

use chrono::Duration;
use onwatch::snapshot::*;

use super::{FAIL, NA, PASS, routed};
use crate::fixtures::*;

#[test]
fn alarm_actions() {
    let id = "alarm-actions";
    let good = account(|r, _| {
        let t = routed(r);
        add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &t));
    });
    assert_eq!(status(&good, id), PASS);
    let void = account(|r, _| add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &[])));
    assert_eq!(status(&void, id), FAIL);
    let disabled = account(|r, _| {
        let t = routed(r);
        let mut a = alarm("a", "AWS/RDS", "CPUUtilization", &[], &t);
        a.actions_enabled = false;
        add_alarm(r, a);
    });
    assert_eq!(status(&disabled, id), FAIL, "actions disabled");
    let denied_snap = account(|r, _| r.alarms = Read::Failed(denied("cloudwatch:DescribeAlarms")));
    assert_could_not_check(&denied_snap, id, "cloudwatch:DescribeAlarms");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

#[test]
fn sns_confirmed_subscriptions() {
    let id = "sns-confirmed-subscriptions";
    let good = account(|r, _| {
        let t = routed(r);
        add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &t));
    });
    assert_eq!(status(&good, id), PASS);
    let pending = account(|r, _| {
        let t = vec![add_topic(r, "ops", false)];
        add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &t));
    });
    assert_eq!(status(&pending, id), FAIL, "pending confirmation only");
    let missing = account(|r, _| {
        add_alarm(
            r,
            alarm("a", "AWS/RDS", "CPUUtilization", &[], &[topic_arn("gone")]),
        )
    });
    assert_eq!(status(&missing, id), FAIL, "topic deleted");
    let denied_snap = account(|r, _| {
        let t = routed(r);
        add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &t));
        r.sns_subscriptions = Read::Failed(denied("sns:ListSubscriptions"));
    });
    assert_could_not_check(&denied_snap, id, "sns:ListSubscriptions");
    let unused = account(|r, _| {
        routed(r);
    });
    assert_eq!(
        status(&unused, id),
        NA,
        "no topic is used by an alarm or rule"
    );
}

#[test]
fn alarm_stuck() {
    let id = "alarm-stuck";
    let in_alarm = |days: i64| {
        account(move |r, _| {
            let t = routed(r);
            let mut a = alarm("a", "AWS/RDS", "CPUUtilization", &[], &t);
            a.state = "ALARM".into();
            a.state_updated_at = Some(now() - Duration::days(days));
            add_alarm(r, a);
        })
    };
    assert_eq!(
        status(&in_alarm(2), id),
        PASS,
        "two days in ALARM is an incident, not neglect"
    );
    assert_eq!(status(&in_alarm(30), id), FAIL);
    let denied_snap = account(|r, _| r.alarms = Read::Failed(denied("cloudwatch:DescribeAlarms")));
    assert_could_not_check(&denied_snap, id, "cloudwatch:DescribeAlarms");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

#[test]
fn alarm_flapping() {
    let id = "alarm-flapping";
    // `states` names the two states the alarm alternates between; None = unknown.
    let with_drills = |n: i64, states: Option<(&'static str, &'static str)>, drills: bool| {
        account(move |r, _| {
            let t = routed(r);
            add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &t));
            let history = (0..n)
                .map(|i| {
                    let (a, b) = match states {
                        Some((a, b)) if i % 2 == 0 => (Some(a), Some(b)),
                        Some((a, b)) => (Some(b), Some(a)),
                        None => (None, None),
                    };
                    AlarmStateChange {
                        alarm_name: "a".into(),
                        timestamp: now() - Duration::hours(i * 3 + 1),
                        summary: None,
                        old_state: a.map(str::to_string),
                        new_state: b.map(str::to_string),
                        // Every change into ALARM is a fire drill when `drills`.
                        drill: drills && b == Some("ALARM"),
                    }
                })
                .collect();
            r.alarm_history = Read::Ok(history);
        })
    };
    let with_changes = |n, states| with_drills(n, states, false);
    assert_eq!(status(&with_changes(3, None), id), PASS);
    // Fire drills set the alarm off on purpose: neither they nor the alarm's return
    // from them are flapping.
    assert_eq!(
        status(&with_drills(24, Some(("OK", "ALARM")), true), id),
        PASS
    );
    assert_eq!(status(&with_changes(24, None), id), FAIL);
    assert_eq!(status(&with_changes(24, Some(("OK", "ALARM"))), id), FAIL);
    assert_eq!(
        status(&with_changes(24, Some(("INSUFFICIENT_DATA", "ALARM"))), id),
        FAIL
    );
    // A metric that reports now and then: nobody is told, so it does not flap.
    assert_eq!(
        status(&with_changes(24, Some(("OK", "INSUFFICIENT_DATA"))), id),
        PASS
    );
    let denied_snap = account(|r, _| {
        add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &[]));
        r.alarm_history = Read::Failed(denied("cloudwatch:DescribeAlarmHistory"));
    });
    assert_could_not_check(&denied_snap, id, "cloudwatch:DescribeAlarmHistory");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

#[test]
fn alarm_response_pattern() {
    let id = "alarm-response-pattern";
    let tagged = |pattern: Option<&str>, routed_to_person: bool| {
        let pattern = pattern.map(str::to_string);
        account(move |r, _| {
            let t = if routed_to_person { routed(r) } else { vec![] };
            let mut a = alarm("a", "AWS/RDS", "CPUUtilization", &[], &t);
            a.tags = Read::Ok(
                pattern
                    .iter()
                    .map(|p| ("response-pattern".to_string(), p.clone()))
                    .collect::<BTreeMap<_, _>>(),
            );
            add_alarm(r, a);
        })
    };
    // The fixture's topic has one confirmed email subscription: a person, but nobody
    // is reached at once (rules/alerting.rs covers the channels act-now needs).
    assert_eq!(
        status(&tagged(Some("act-now"), true), id),
        FAIL,
        "act-now by email only"
    );
    assert_eq!(status(&tagged(Some("next-business-day"), true), id), PASS);
    assert_eq!(status(&tagged(Some("record-only"), false), id), PASS);
    assert_eq!(status(&tagged(None, true), id), FAIL, "untagged");
    assert_eq!(
        status(&tagged(Some("act-now"), false), id),
        FAIL,
        "act-now that reaches nobody"
    );
    assert_eq!(
        status(&tagged(Some("record-only"), true), id),
        FAIL,
        "record-only that pages people"
    );
    assert_eq!(status(&tagged(Some("know"), false), id), PASS);
    assert_eq!(
        status(&tagged(Some("know"), true), id),
        FAIL,
        "know notifies nobody"
    );
    assert_eq!(
        status(&tagged(Some("whenever"), true), id),
        FAIL,
        "unknown pattern"
    );
    let denied_snap = account(|r, _| {
        let mut a = alarm("a", "AWS/RDS", "CPUUtilization", &[], &[]);
        a.tags = Read::Failed(denied("cloudwatch:ListTagsForResource"));
        add_alarm(r, a);
    });
    assert_could_not_check(&denied_snap, id, "cloudwatch:ListTagsForResource");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

/// alert-path-tested: per route class in use, a drill answered yes within 90 days
/// passes, one answered no fails, none (or only older ones) is to-answer; unknown
/// routes are could-not-check, and an account with no route is not applicable.
#[test]
fn alert_path_tested() {
    use onwatch::answers::{Answers, Drill, YesNo};
    let id = "alert-path-tested";
    let snap = account(|r, _| {
        let t = routed(r);
        add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &t));
    });
    let topic = topic_arn("ops");
    let with = |answer: YesNo, days_ago: i64| {
        let mut a = Answers::default();
        a.drills.entry("alarms".into()).or_default().insert(
            topic.clone(),
            Drill {
                answer,
                who: Some("Aiko, on call".into()),
                date: (now() - Duration::days(days_ago))
                    .format("%Y-%m-%d")
                    .to_string(),
                note: None,
            },
        );
        onwatch::evaluate(&builtin(), &snap, &a, now())
            .items
            .into_iter()
            .find(|i| i.id == id)
            .expect("item")
    };
    assert_eq!(status(&snap, id), onwatch::report::ItemStatus::NotAnswered);
    let yes = with(YesNo::Yes, 10);
    assert_eq!(yes.status, PASS, "{yes:#?}");
    assert!(yes.findings[0].evidence.contains("reached Aiko, on call"));
    assert_eq!(with(YesNo::No, 10).status, FAIL);
    assert_eq!(
        with(YesNo::Yes, 120).status,
        onwatch::report::ItemStatus::NotAnswered,
        "a drill counts for 90 days"
    );
    assert_eq!(
        with(YesNo::No, 120).status,
        onwatch::report::ItemStatus::NotAnswered,
        "an old failure is not today's verdict either"
    );
    // Not in the score until answered; a no scores like a fail.
    let denied_snap = account(|r, _| r.alarms = Read::Failed(denied("cloudwatch:DescribeAlarms")));
    assert_could_not_check(&denied_snap, id, "cloudwatch:DescribeAlarms");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}
