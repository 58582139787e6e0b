//! Issue 11: alarms onwatch creates for resources with none on a metric their item
//! needs (RDS CPU, free storage and connections, ECS service CPU and memory, load
//! balancer 5xx and response time), on the neglected account of the local endpoint.

use std::collections::BTreeMap;

use onwatch::execute;
use onwatch::fix::audit::{AuditLog, undo_plan};
use onwatch::fix::{self, Channel, Choices, Op};
use onwatch::report::ItemStatus;
use serde_json::json;

use super::evaluate;
use super::fix::{REGION, runner, status};
use crate::local_aws::LocalAws;

const ACCOUNT: &str = "123456789012";
const ITEMS: [&str; 5] = [
    "rds-cpu-alarm",
    "rds-storage-headroom",
    "rds-connections-alarm",
    "ecs-service-alarms",
    "alb-alarms",
];

async fn alarms(aws: &LocalAws) -> BTreeMap<String, aws_sdk_cloudwatch::types::MetricAlarm> {
    aws_sdk_cloudwatch::Client::new(&aws.sdk)
        .describe_alarms()
        .send()
        .await
        .expect("DescribeAlarms")
        .metric_alarms()
        .iter()
        .filter_map(|a| Some((a.alarm_name()?.to_string(), a.clone())))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn new_alarms_reach_the_channel_pass_once_confirmed_and_undo_deletes_only_them() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    for id in ITEMS {
        assert_eq!(status(&aws, id).await, ItemStatus::Fail, "{id}");
    }
    let before = alarms(&aws).await;
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);

    // legacy-db's parameter group leaves max_connections to the engine's formula: the
    // connections alarm needs a threshold from the user and says so.
    let choices = Choices {
        channel: Some(Channel::Email("oncall@example.com".into())),
        ..Choices::default()
    };
    let ids: Vec<String> = ITEMS.iter().map(|s| s.to_string()).collect();
    let plans = fix::plan_all(&ids, &report, &snapshot, &choices);
    let connections = plans[2].1.as_ref().expect("a plan");
    assert!(connections.steps.is_empty(), "{connections:#?}");
    assert!(
        connections
            .skipped
            .iter()
            .any(|s| s.contains("--threshold DatabaseConnections=")),
        "{connections:#?}"
    );

    let choices = Choices {
        thresholds: BTreeMap::from([("DatabaseConnections".to_string(), 150.0)]),
        ..choices
    };
    let plans: Vec<_> = fix::plan_all(&ids, &report, &snapshot, &choices)
        .into_iter()
        .map(|(id, p)| p.unwrap_or_else(|e| panic!("{id}: {e}")))
        .collect();
    let names: Vec<String> = plans
        .iter()
        .flat_map(|p| &p.steps)
        .filter_map(|s| match &s.op {
            Op::PutMetricAlarm { alarm } => Some(alarm.name.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        names,
        [
            "onwatch-legacy-db-cpu",
            "onwatch-legacy-db-free-storage",
            "onwatch-legacy-db-connections",
            "onwatch-legacy-legacy-api-cpu",
            "onwatch-legacy-legacy-api-memory",
            "onwatch-legacy-alb-elb-5xx",
            "onwatch-legacy-alb-target-5xx",
            "onwatch-legacy-alb-response-time",
        ]
    );
    // The channel's topic and subscription are planned once, in the first plan.
    assert_eq!(plans[0].steps[0].op.name(), "CreateTopic");
    assert_eq!(
        plans
            .iter()
            .flat_map(|p| &p.steps)
            .filter(|s| s.op.name() == "CreateTopic")
            .count(),
        1
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), ACCOUNT);
    let runner = runner(&aws, &log);
    let mut runs = Vec::new();
    for plan in &plans {
        let ran = execute::run(&runner, plan, None).await.expect("logged");
        assert!(ran.complete(), "{}: {ran:#?}", plan.item);
        runs.push(ran.run);
    }

    // What AWS now holds is what the plan said.
    let now = alarms(&aws).await;
    let topic = format!("arn:aws:sns:{REGION}:{ACCOUNT}:onwatch-alerts");
    let storage = &now["onwatch-legacy-db-free-storage"];
    assert_eq!(storage.metric_name(), Some("FreeStorageSpace"));
    assert_eq!(
        storage.threshold(),
        Some(10.0 * 1024.0 * 1024.0 * 1024.0),
        "10% of 100 GiB"
    );
    assert_eq!(
        storage.comparison_operator().map(|c| c.as_str()),
        Some("LessThanThreshold")
    );
    assert_eq!(storage.alarm_actions(), std::slice::from_ref(&topic));
    assert_eq!(
        now["onwatch-legacy-db-connections"].threshold(),
        Some(150.0)
    );
    let latency = &now["onwatch-legacy-alb-response-time"];
    assert_eq!(latency.extended_statistic(), Some("p90"));
    assert_eq!(latency.treat_missing_data(), Some("notBreaching"));
    let tags = aws_sdk_cloudwatch::Client::new(&aws.sdk)
        .list_tags_for_resource()
        .resource_arn(latency.alarm_arn().expect("an ARN"))
        .send()
        .await
        .expect("ListTagsForResource");
    let tags: BTreeMap<_, _> = tags
        .tags()
        .iter()
        .filter_map(|t| Some((t.key()?, t.value()?)))
        .collect();
    assert_eq!(tags.get("managed-by"), Some(&"onwatch"));
    assert_eq!(
        tags.get("response-pattern"),
        Some(&"next-business-day"),
        "an e-mail channel does not satisfy act-now"
    );

    // Pending until the person confirms; then every item passes and nothing is left.
    assert_eq!(status(&aws, "rds-cpu-alarm").await, ItemStatus::Fail);
    aws.post("/_onwatch/sns/confirm", &json!({ "topic_arn": topic }));
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    for id in ITEMS {
        let judged = super::item(&report, id);
        assert_eq!(judged.status, ItemStatus::Pass, "{judged:#?}");
    }
    for (id, again) in fix::plan_all(&ids, &report, &snapshot, &choices) {
        let again = again.expect("a plan");
        assert!(again.steps.is_empty(), "{id}: {again:#?}");
    }

    // Undo, newest run first: every alarm onwatch made is gone, the others stay.
    let entries = log.read().expect("reads");
    for run in runs.iter().rev() {
        let undo = undo_plan(&entries, run).expect("an undo plan");
        let undone = execute::run(&runner, &undo, Some(run))
            .await
            .expect("logged");
        assert!(undone.complete(), "{undone:#?}");
    }
    assert_eq!(
        alarms(&aws).await.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for id in ITEMS {
        assert_eq!(status(&aws, id).await, ItemStatus::Fail, "{id}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_alarm_created_by_someone_else_with_the_same_name_is_refused() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    let topic = format!("arn:aws:sns:{REGION}:{ACCOUNT}:alerts");
    let choices = Choices {
        channel: Some(Channel::Email("oncall@example.com".into())),
        ..Choices::default()
    };
    let plan = fix::plan("rds-cpu-alarm", &report, &snapshot, &choices).expect("a plan");
    // Between plan and apply, someone creates an alarm with the planned name.
    aws_sdk_cloudwatch::Client::new(&aws.sdk)
        .put_metric_alarm()
        .alarm_name("onwatch-legacy-db-cpu")
        .namespace("AWS/RDS")
        .metric_name("CPUUtilization")
        .statistic(aws_sdk_cloudwatch::types::Statistic::Maximum)
        .period(300)
        .evaluation_periods(1)
        .threshold(50.0)
        .comparison_operator(aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanThreshold)
        .alarm_actions(&topic)
        .send()
        .await
        .expect("PutMetricAlarm");
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), ACCOUNT);
    let ran = execute::run(&runner(&aws, &log), &plan, None)
        .await
        .expect("logged");
    assert!(!ran.complete(), "{ran:#?}");
    let theirs = &alarms(&aws).await["onwatch-legacy-db-cpu"];
    assert_eq!(theirs.threshold(), Some(50.0), "their alarm is untouched");
    assert_eq!(theirs.period(), Some(300));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_channel_joins_an_alarm_without_actions_and_every_other_field_survives() {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, StandardUnit, Statistic};
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let cw = aws_sdk_cloudwatch::Client::new(&aws.sdk);
    let recovered = format!("arn:aws:sns:{REGION}:{ACCOUNT}:alerts");
    cw.put_metric_alarm()
        .alarm_name("queue-age")
        .alarm_description("jobs wait too long")
        .namespace("AWS/SQS")
        .metric_name("ApproximateAgeOfOldestMessage")
        .dimensions(Dimension::builder().name("QueueName").value("jobs").build())
        .statistic(Statistic::Maximum)
        .unit(StandardUnit::Seconds)
        .period(300)
        .evaluation_periods(3)
        .datapoints_to_alarm(2)
        .threshold(600.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .treat_missing_data("notBreaching")
        .ok_actions(&recovered)
        .send()
        .await
        .expect("PutMetricAlarm");
    // Two silent alarms fail; the neglected account's routed ones pass.
    assert_eq!(status(&aws, "alarm-actions").await, ItemStatus::Partial);
    let original = alarms(&aws).await["queue-age"].clone();

    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    let choices = Choices {
        channel: Some(Channel::Email("oncall@example.com".into())),
        ..Choices::default()
    };
    let plan = fix::plan("alarm-actions", &report, &snapshot, &choices).expect("a plan");
    let ops: Vec<_> = plan
        .steps
        .iter()
        .map(|s| (s.op.name(), s.op.target()))
        .collect();
    assert_eq!(
        ops,
        [
            (
                "CreateTopic",
                format!("arn:aws:sns:{REGION}:{ACCOUNT}:onwatch-alerts")
            ),
            (
                "Subscribe",
                format!("arn:aws:sns:{REGION}:{ACCOUNT}:onwatch-alerts")
            ),
            ("PutMetricAlarm", "alarm legacy-disk-full".to_string()),
            ("EnableAlarmActions", "legacy-disk-full".to_string()),
            ("PutMetricAlarm", "alarm queue-age".to_string()),
        ],
        "{plan:#?}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), ACCOUNT);
    let runner = runner(&aws, &log);
    let ran = execute::run(&runner, &plan, None).await.expect("logged");
    assert!(ran.complete(), "{ran:#?}");
    assert_eq!(status(&aws, "alarm-actions").await, ItemStatus::Pass);

    let topic = format!("arn:aws:sns:{REGION}:{ACCOUNT}:onwatch-alerts");
    let changed = alarms(&aws).await["queue-age"].clone();
    assert_eq!(changed.alarm_actions(), std::slice::from_ref(&topic));
    let same = |a: &aws_sdk_cloudwatch::types::MetricAlarm| {
        (
            a.alarm_description().map(str::to_string),
            a.ok_actions().to_vec(),
            a.dimensions().to_vec(),
            a.statistic().cloned(),
            a.unit().cloned(),
            (a.period(), a.evaluation_periods(), a.datapoints_to_alarm()),
            a.threshold(),
            a.comparison_operator().cloned(),
            a.treat_missing_data().map(str::to_string),
            a.actions_enabled(),
        )
    };
    assert_eq!(same(&changed), same(&original), "only the actions changed");

    let undo = undo_plan(&log.read().expect("reads"), &ran.run).expect("an undo plan");
    let undone = execute::run(&runner, &undo, Some(&ran.run))
        .await
        .expect("logged");
    assert!(undone.complete(), "{undone:#?}");
    let back = alarms(&aws).await;
    assert!(back["queue-age"].alarm_actions().is_empty());
    assert_eq!(same(&back["queue-age"]), same(&original));
    assert_eq!(back["legacy-disk-full"].actions_enabled(), Some(false));
    let report = evaluate(&aws.collect(&[REGION]).await);
    let judged = super::item(&report, "alarm-actions");
    assert_eq!(judged.status, ItemStatus::Partial, "{judged:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_topic_that_reaches_nobody_gets_the_address_and_passes_once_it_confirms() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    const ITEM: &str = "sns-confirmed-subscriptions";
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Fail);
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);

    // A channel topic cannot subscribe to a topic: nothing is planned, and it says why.
    let topic_channel = Choices {
        channel: Some(Channel::Topics(vec![format!(
            "arn:aws:sns:{REGION}:{ACCOUNT}:alerts"
        )])),
        ..Choices::default()
    };
    let none = fix::plan(ITEM, &report, &snapshot, &topic_channel).expect("a plan");
    assert!(none.steps.is_empty(), "{none:#?}");
    assert!(
        none.skipped.iter().any(|s| s.contains("--channel-email")),
        "{none:#?}"
    );

    let choices = Choices {
        channel: Some(Channel::Email("oncall@example.com".into())),
        ..Choices::default()
    };
    let plan = fix::plan(ITEM, &report, &snapshot, &choices).expect("a plan");
    let topic = format!("arn:aws:sns:{REGION}:{ACCOUNT}:alerts");
    assert_eq!(
        plan.steps
            .iter()
            .map(|s| (s.op.name(), s.op.target()))
            .collect::<Vec<_>>(),
        [("Subscribe", topic.clone())],
        "{plan:#?}"
    );
    assert!(plan.warnings.iter().any(|w| w.contains("confirm")));
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), ACCOUNT);
    let runner = runner(&aws, &log);
    let ran = execute::run(&runner, &plan, None).await.expect("logged");
    assert!(ran.complete(), "{ran:#?}");
    // Pending: still failing, and planning again does not subscribe twice.
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    assert_eq!(super::item(&report, ITEM).status, ItemStatus::Fail);
    let again = fix::plan(ITEM, &report, &snapshot, &choices).expect("a plan");
    assert!(again.steps.is_empty(), "{again:#?}");

    // Only our subscription is confirmed (the seed's other address stays pending).
    let entries = log.read().expect("reads");
    let Some(onwatch::fix::Undo::Call {
        op: Op::Unsubscribe { subscription_arn },
        ..
    }) = entries.iter().map(|e| e.undo.clone()).next()
    else {
        panic!("the subscription's undo is recorded: {entries:#?}");
    };
    aws.post(
        "/_onwatch/sns/confirm",
        &json!({ "subscription_arn": subscription_arn }),
    );
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Pass);

    let undo = undo_plan(&entries, &ran.run).expect("an undo plan");
    let undone = execute::run(&runner, &undo, Some(&ran.run))
        .await
        .expect("logged");
    assert!(undone.complete(), "{undone:#?}");
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Fail);
}
