//! The seeded demo account comes out as the README says, through the product's own
//! collection and evaluation; alarm state timestamps.

use chrono::{Duration, Utc};
use onwatch::report::{FindingStatus, ItemStatus};
use serde_json::json;

use super::{automated_ids, evaluate, item};
use crate::local_aws::LocalAws;

/// `scripts/local-aws --seed demo`, scanned in its three regions: each automated item's
/// status and why (the table in scripts/local_aws/README.md). An item is `partial`
/// when some of its findings pass and some fail.
const DEMO: &[(&str, ItemStatus)] = &[
    // detectors in us-east-1 and eu-west-1, none in us-west-2
    ("guardduty-enabled", ItemStatus::Partial),
    // the findings rule exists only in us-east-1
    ("guardduty-findings-routed", ItemStatus::Partial),
    // acme-trail: multi-region, validated, logging
    ("cloudtrail-multi-region", ItemStatus::Pass),
    // a recorder only in us-east-1
    ("config-recording", ItemStatus::Partial),
    // the registry rule SCAN_ON_PUSH `*` covers acme-api, -web, -worker
    ("ecr-scan-on-push", ItemStatus::Pass),
    // acme-prod has Performance Insights, acme-analytics not
    ("rds-performance-insights", ItemStatus::Partial),
    // acme-prod grows to 500 GiB; acme-analytics has a FreeStorageSpace alarm
    ("rds-storage-headroom", ItemStatus::Pass),
    // a routed CPU alarm for acme-prod, none for acme-analytics
    ("rds-cpu-alarm", ItemStatus::Partial),
    // acme-prod's connections alarm (its default group: existence judged); none for
    // acme-analytics.
    ("rds-connections-alarm", ItemStatus::Partial),
    // cluster acme has Container Insights
    ("ecs-container-insights", ItemStatus::Pass),
    // acme-api has both; acme-worker's CPU alarm goes to a pending topic, no memory alarm
    ("ecs-service-alarms", ItemStatus::Partial),
    // RUNNING acme-homepage with a routed SuccessPercent alarm
    ("synthetics-canary", ItemStatus::Pass),
    // acme-alb: 5xx and TargetResponseTime alarms
    ("alb-alarms", ItemStatus::Pass),
    // both services log with awslogs
    ("ecs-logging", ItemStatus::Pass),
    // /aws/rds/instance/acme-prod/postgresql and /acme/debug never expire
    ("log-retention", ItemStatus::Partial),
    // acme-api has the secret SENTRY_DSN
    ("error-tracking", ItemStatus::Pass),
    // acme-worker-queue-depth has no action
    ("alarm-actions", ItemStatus::Partial),
    // acme-oncall (used by acme-worker-cpu) has only a pending e-mail subscription
    ("sns-confirmed-subscriptions", ItemStatus::Partial),
    // acme-worker-cpu has been in ALARM for 9 days
    ("alarm-stuck", ItemStatus::Partial),
    // acme-alb-latency changed state 6 times this week: not flapping
    ("alarm-flapping", ItemStatus::Pass),
    // acme-worker-queue-depth untagged; act-now acme-worker-cpu reaches nobody
    ("alarm-response-pattern", ItemStatus::Partial),
    // acme-monthly notifies an e-mail address
    ("budget-notification", ItemStatus::Pass),
    // no anomaly monitor
    ("cost-anomaly-detection", ItemStatus::Fail),
];

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_seed_gives_the_checklist_the_readme_describes() {
    let aws = LocalAws::start();
    aws.seed("demo");
    let snapshot = aws.collect(&["us-east-1", "eu-west-1", "us-west-2"]).await;
    assert_eq!(
        snapshot.account.alias.as_deref(),
        Some("acme-analytics"),
        "the account alias names the account in reports"
    );
    let report = evaluate(&snapshot);
    let mut wrong = Vec::new();
    for (id, want) in DEMO {
        let it = item(&report, id);
        if it.status != *want {
            wrong.push(format!(
                "{id}: {:?}, expected {want:?}: {:#?}",
                it.status, it.findings
            ));
        }
        assert_eq!(
            it.count(FindingStatus::CouldNotCheck),
            0,
            "{id}: every read worked"
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let listed: Vec<&str> = DEMO.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        listed,
        automated_ids(),
        "every automated item, in checklist order"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_alarm_in_alarm_for_days_is_stuck_even_if_its_state_was_updated_since() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &["us-east-1"]);
    let now = Utc::now();
    // In ALARM since 9 days ago; an hour ago AWS refreshed only the state reason, which
    // moves StateUpdatedTimestamp but not StateTransitionedTimestamp.
    aws.post(
        "/_onwatch/cloudwatch/history",
        &json!({
            "alarm_name": "shop-db-cpu",
            "region": "us-east-1",
            "updated_at": (now - Duration::hours(1)).to_rfc3339(),
            "changes": [{
                "timestamp": (now - Duration::days(9)).to_rfc3339(),
                "old": "OK",
                "new": "ALARM",
            }],
        }),
    );
    let snapshot = aws.collect(&["us-east-1"]).await;
    let alarms = snapshot.regions["us-east-1"].alarms.ok().expect("alarms");
    let alarm = alarms
        .iter()
        .find(|a| a.name == "shop-db-cpu")
        .expect("shop-db-cpu");
    assert_eq!(alarm.state, "ALARM");
    let since = alarm.state_updated_at.expect("in ALARM since");
    assert!(
        (since - (now - Duration::days(9))).num_seconds().abs() < 60,
        "since the state changed, not since it was updated: {since}"
    );
    let report = evaluate(&snapshot);
    let it = item(&report, "alarm-stuck");
    assert!(
        it.findings
            .iter()
            .any(|f| f.resource.contains("shop-db-cpu") && f.status == FindingStatus::Fail),
        "{:#?}",
        it.findings
    );
}

/// An Aurora instance whose cluster has a routed CPU alarm (DBClusterIdentifier, Role =
/// WRITER) is watched: DescribeDBInstances names the cluster, and the rule follows it.
#[tokio::test(flavor = "multi_thread")]
async fn an_aurora_instance_is_watched_through_its_clusters_cpu_alarm() {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, Statistic};
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &["us-east-1"]);
    let rds = aws_sdk_rds::Client::new(&aws.sdk);
    rds.create_db_cluster()
        .db_cluster_identifier("orders")
        .engine("aurora-postgresql")
        .master_username("dbadmin")
        .master_user_password("not-a-real-password-1")
        .send()
        .await
        .expect("CreateDBCluster");
    rds.create_db_instance()
        .db_instance_identifier("orders-1")
        .db_cluster_identifier("orders")
        .engine("aurora-postgresql")
        .db_instance_class("db.r6g.large")
        .send()
        .await
        .expect("CreateDBInstance in the cluster");
    let topic = format!(
        "arn:aws:sns:us-east-1:{}:ops-alerts",
        crate::local_aws::ACCOUNT
    );
    let dimension = |name: &str, value: &str| Dimension::builder().name(name).value(value).build();
    aws_sdk_cloudwatch::Client::new(&aws.sdk)
        .put_metric_alarm()
        .alarm_name("orders-writer-cpu")
        .namespace("AWS/RDS")
        .metric_name("CPUUtilization")
        .dimensions(dimension("DBClusterIdentifier", "orders"))
        .dimensions(dimension("Role", "WRITER"))
        .statistic(Statistic::Average)
        .period(300)
        .evaluation_periods(3)
        .threshold(80.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .alarm_actions(&topic)
        .send()
        .await
        .expect("PutMetricAlarm");

    let snapshot = aws.collect(&["us-east-1"]).await;
    let dbs = snapshot.regions["us-east-1"]
        .rds_instances
        .ok()
        .expect("DB instances read");
    let orders = dbs
        .iter()
        .find(|d| d.identifier == "orders-1")
        .expect("orders-1 listed");
    assert_eq!(orders.cluster.as_deref(), Some("orders"));
    let report = evaluate(&snapshot);
    let finding = item(&report, "rds-cpu-alarm")
        .findings
        .iter()
        .find(|f| f.resource == orders.arn)
        .expect("a finding for orders-1");
    assert_eq!(finding.status, FindingStatus::Pass, "{finding:#?}");
    assert!(
        finding.evidence.contains("orders-writer-cpu"),
        "{finding:#?}"
    );
}
