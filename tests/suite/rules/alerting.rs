//! Who an alert reaches: person-reaching protocols, response patterns and their
//! channels, alarms without a state time, Container Insights alarms.

use std::collections::BTreeMap;

use onwatch::report::{FindingStatus, ItemStatus};
use onwatch::snapshot::*;

use crate::fixtures::*;

const PASS: ItemStatus = ItemStatus::Pass;
const FAIL: ItemStatus = ItemStatus::Fail;

/// A topic with these (protocol, confirmed) subscriptions.
fn topic_with(r: &mut RegionSnapshot, name: &str, subs: &[(&str, bool)]) -> String {
    let topic = topic_arn(name);
    if let Read::Ok(t) = &mut r.sns_topics {
        t.push(SnsTopic {
            arn: topic.clone(),
            access: open_access(&topic),
        });
    }
    if let Read::Ok(s) = &mut r.sns_subscriptions {
        for (protocol, confirmed) in subs {
            s.push(SnsSubscription {
                topic_arn: topic.clone(),
                protocol: protocol.to_string(),
                endpoint: Some("somewhere".into()),
                confirmed: *confirmed,
            });
        }
    }
    topic
}

fn cpu_alarm(actions: &[String]) -> Alarm {
    alarm(
        "cpu",
        "AWS/RDS",
        "CPUUtilization",
        &[("DBInstanceIdentifier", "main")],
        actions,
    )
}

/// One database with a CPU alarm to a topic with these subscriptions.
fn routed_through(subs: &'static [(&'static str, bool)]) -> AccountSnapshot {
    account(move |r, _| {
        let t = topic_with(r, "ops", subs);
        add_alarm(r, cpu_alarm(&[t]));
        set(&mut r.rds_instances, vec![db("main", "postgres")]);
    })
}

#[test]
fn queues_and_streams_are_pipelines_not_people() {
    for protocol in ["sqs", "firehose"] {
        let subs: &'static [(&'static str, bool)] = if protocol == "sqs" {
            &[("sqs", true)]
        } else {
            &[("firehose", true)]
        };
        let snap = routed_through(subs);
        let topics = item(&snap, "sns-confirmed-subscriptions");
        assert_eq!(topics.status, FAIL, "{protocol}: {:#?}", topics.findings);
        assert!(
            topics.findings[0].evidence.contains(protocol),
            "{:#?}",
            topics.findings
        );
        assert_eq!(
            status(&snap, "rds-cpu-alarm"),
            FAIL,
            "an alarm whose topic only feeds {protocol} is not routed"
        );
    }
    for protocol in [
        "email",
        "email-json",
        "sms",
        "http",
        "https",
        "lambda",
        "application",
    ] {
        let snap = account(|r, _| {
            let t = topic_with(r, "ops", &[(protocol, true)]);
            add_alarm(r, cpu_alarm(&[t]));
            set(&mut r.rds_instances, vec![db("main", "postgres")]);
        });
        assert_eq!(
            status(&snap, "rds-cpu-alarm"),
            PASS,
            "{protocol} reaches a person"
        );
    }
    // A queue beside a confirmed email: the email reaches a person.
    let mixed = routed_through(&[("sqs", true), ("email", true)]);
    assert_eq!(status(&mixed, "sns-confirmed-subscriptions"), PASS);
}

/// An alarm tagged with `pattern`, sending to a topic with these subscriptions.
fn tagged(pattern: &str, subs: &'static [(&'static str, bool)]) -> AccountSnapshot {
    let pattern = pattern.to_string();
    account(move |r, _| {
        let actions = if subs.is_empty() {
            vec![]
        } else {
            vec![topic_with(r, "ops", subs)]
        };
        let mut a = cpu_alarm(&actions);
        a.tags = Read::Ok(BTreeMap::from([("response-pattern".to_string(), pattern)]));
        add_alarm(r, a);
    })
}

#[test]
fn act_now_needs_a_phone_chat_or_paging_channel() {
    let id = "alarm-response-pattern";
    let email_only = tagged("act-now", &[("email", true)]);
    let report = item(&email_only, id);
    assert_eq!(report.status, FAIL, "{:#?}", report.findings);
    assert!(
        report.findings[0]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("email only")),
        "{:#?}",
        report.findings
    );
    for urgent in [
        &[("sms", true)][..],
        &[("https", true)],
        &[("lambda", true)],
        &[("application", true)],
        &[("email", true), ("https", true)],
    ] {
        assert_eq!(status(&tagged("act-now", urgent), id), PASS, "{urgent:?}");
    }
    assert_eq!(
        status(&tagged("act-now", &[("https", false)]), id),
        FAIL,
        "a pending chat subscription reaches nobody"
    );
    // An Incident Manager response plan engages people by phone.
    let plan = account(|r, _| {
        let mut a = cpu_alarm(&[format!(
            "arn:aws:ssm-incidents::{ACCOUNT}:response-plan/database-down"
        )]);
        a.tags = Read::Ok(BTreeMap::from([(
            "response-pattern".to_string(),
            "act-now".to_string(),
        )]));
        add_alarm(r, a);
    });
    assert_eq!(status(&plan, id), PASS);
}

#[test]
fn next_business_day_needs_an_action_that_reaches_a_person() {
    let id = "alarm-response-pattern";
    assert_eq!(
        status(&tagged("next-business-day", &[("email", true)]), id),
        PASS
    );
    assert_eq!(
        status(&tagged("next-business-day", &[("sqs", true)]), id),
        FAIL,
        "a queue nobody is told about opens no ticket a person sees"
    );
    assert_eq!(
        status(&tagged("next-business-day", &[("email", false)]), id),
        FAIL,
        "pending confirmation"
    );
    assert_eq!(status(&tagged("next-business-day", &[]), id), FAIL);
    assert_eq!(status(&tagged("record-only", &[("sqs", true)]), id), PASS);
}

#[test]
fn an_alarm_that_tells_nobody_on_purpose_passes_both_alarm_items() {
    // alarm-response-pattern asks for no people-facing action on record-only and know
    // alarms: alarm-actions must not fail them for having none.
    for (pattern, meaning) in [
        ("record-only", "recorded, nobody is told, as intended"),
        (
            "know",
            "judged abnormal and shown in CloudWatch, nobody is told, as intended",
        ),
    ] {
        let snap = tagged(pattern, &[]);
        let actions = item(&snap, "alarm-actions");
        assert_eq!(actions.status, PASS, "{pattern}: {:#?}", actions.findings);
        assert_eq!(
            actions.findings[0].evidence,
            format!("no actions; tagged response-pattern = {pattern}: {meaning}")
        );
        assert_eq!(status(&snap, "alarm-response-pattern"), PASS, "{pattern}");
    }
    assert_eq!(status(&tagged("Record_Only", &[]), "alarm-actions"), PASS);
    // Patterns that tell people still need an action; so does an untagged alarm.
    for pattern in ["act-now", "next-business-day", "whenever"] {
        assert_eq!(
            status(&tagged(pattern, &[]), "alarm-actions"),
            FAIL,
            "{pattern}"
        );
    }
    let untagged = account(|r, _| add_alarm(r, cpu_alarm(&[])));
    assert_eq!(status(&untagged, "alarm-actions"), FAIL);
    // Without the tags, "no action" may or may not be intended.
    let tags_denied = account(|r, _| {
        let mut a = cpu_alarm(&[]);
        a.tags = Read::Failed(denied("cloudwatch:ListTagsForResource"));
        add_alarm(r, a);
    });
    assert_could_not_check(
        &tags_denied,
        "alarm-actions",
        "cloudwatch:ListTagsForResource",
    );
}

#[test]
fn unreadable_routing_leaves_every_pattern_unchecked() {
    let id = "alarm-response-pattern";
    for pattern in ["act-now", "next-business-day", "know", "record-only"] {
        let mut snap = tagged(pattern, &[("email", true)]);
        if let Some(r) = snap.regions.get_mut("us-east-1") {
            r.sns_subscriptions = Read::Failed(denied("sns:ListSubscriptions"));
        }
        assert_could_not_check(&snap, id, "sns:ListSubscriptions");
    }
    // An unknown pattern is wrong whatever the routing.
    let mut unknown = tagged("whenever", &[("email", true)]);
    if let Some(r) = unknown.regions.get_mut("us-east-1") {
        r.sns_subscriptions = Read::Failed(denied("sns:ListSubscriptions"));
    }
    assert_eq!(status(&unknown, id), FAIL);
}

#[test]
fn an_alarm_in_alarm_without_a_state_time_could_not_be_checked() {
    let snap = account(|r, _| {
        let mut a = cpu_alarm(&[]);
        a.state = "ALARM".into();
        a.state_updated_at = None;
        add_alarm(r, a);
    });
    let report = item(&snap, "alarm-stuck");
    assert_eq!(
        report.status,
        ItemStatus::CouldNotCheck,
        "{:#?}",
        report.findings
    );
    let f = &report.findings[0];
    assert_eq!(f.status, FindingStatus::CouldNotCheck);
    assert!(
        f.reason.as_deref().is_some_and(|r| r.contains("unknown")),
        "the reason says what is missing: {f:?}"
    );
}

#[test]
fn container_insights_metrics_count_as_ecs_service_alarms() {
    let id = "ecs-service-alarms";
    let dims = [("ClusterName", "prod"), ("ServiceName", "api")];
    let snap = account(|r, _| {
        let t = vec![add_topic(r, "ops", true)];
        add_alarm(
            r,
            alarm("cpu", "ECS/ContainerInsights", "CpuUtilized", &dims, &t),
        );
        add_alarm(
            r,
            alarm("mem", "ECS/ContainerInsights", "MemoryUtilized", &dims, &t),
        );
        set(
            &mut r.ecs_clusters,
            vec![cluster("prod", Some("enabled"), &["api"])],
        );
    });
    assert_eq!(status(&snap, id), PASS);
    let other_service = account(|r, _| {
        let t = vec![add_topic(r, "ops", true)];
        let other = [("ClusterName", "prod"), ("ServiceName", "worker")];
        add_alarm(
            r,
            alarm("cpu", "ECS/ContainerInsights", "CpuUtilized", &other, &t),
        );
        add_alarm(
            r,
            alarm("mem", "ECS/ContainerInsights", "MemoryUtilized", &other, &t),
        );
        set(
            &mut r.ecs_clusters,
            vec![cluster("prod", Some("enabled"), &["api"])],
        );
    });
    assert_eq!(status(&other_service, id), FAIL);
}
