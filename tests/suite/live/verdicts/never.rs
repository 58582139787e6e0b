//! Issue 10, point 4: alarms that can never fire for what they watch do not count as
//! the resource's alarm, and the evidence says why.

use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, Statistic};
use chrono::{Duration, Utc};
use serde_json::json;

use onwatch::report::{FindingStatus, ItemReport, Report};

use super::{REGION, evaluate, item};
use crate::local_aws::LocalAws;

const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:ops-alerts";

async fn put_alarm(
    aws: &LocalAws,
    name: &str,
    namespace: &str,
    metric: &str,
    dims: &[(&str, &str)],
    comparison: ComparisonOperator,
    threshold: f64,
) {
    let mut req = aws_sdk_cloudwatch::Client::new(&aws.sdk)
        .put_metric_alarm()
        .alarm_name(name)
        .namespace(namespace)
        .metric_name(metric)
        .statistic(Statistic::Average)
        .period(300)
        .evaluation_periods(2)
        .threshold(threshold)
        .comparison_operator(comparison)
        .alarm_actions(TOPIC);
    for (k, v) in dims {
        req = req.dimensions(Dimension::builder().name(*k).value(*v).build());
    }
    req.send().await.expect("PutMetricAlarm");
}

async fn delete_alarms(aws: &LocalAws, names: &[&str]) {
    aws_sdk_cloudwatch::Client::new(&aws.sdk)
        .delete_alarms()
        .set_alarm_names(Some(names.iter().map(|n| n.to_string()).collect()))
        .send()
        .await
        .expect("DeleteAlarms");
}

fn finding_for<'a>(it: &'a ItemReport, resource_end: &str) -> &'a onwatch::report::Finding {
    it.findings
        .iter()
        .find(|f| f.resource.contains(resource_end))
        .unwrap_or_else(|| panic!("no finding for {resource_end}: {:#?}", it.findings))
}

fn says(report: &Report, id: &str, resource_end: &str, status: FindingStatus, text: &str) {
    let f = finding_for(item(report, id), resource_end);
    let all = format!("{} {}", f.evidence, f.reason.clone().unwrap_or_default());
    assert!(
        f.status == status && all.contains(text),
        "{id} {resource_end}: want {status:?} saying {text:?}, got {f:#?}"
    );
}

/// Alarms on ECS/ContainerInsights metrics watch nothing while the cluster's
/// Container Insights is off.
#[tokio::test(flavor = "multi_thread")]
async fn container_insights_alarms_need_container_insights() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    delete_alarms(
        &aws,
        &["shop-api-cpuutilization", "shop-api-memoryutilization"],
    )
    .await;
    let dims = [("ClusterName", "shop"), ("ServiceName", "shop-api")];
    for metric in ["CpuUtilized", "MemoryUtilized"] {
        put_alarm(
            &aws,
            &format!("shop-api-{metric}"),
            "ECS/ContainerInsights",
            metric,
            &dims,
            ComparisonOperator::GreaterThanThreshold,
            800.0,
        )
        .await;
    }
    let report = evaluate(&aws.collect(&[REGION]).await);
    says(
        &report,
        "ecs-service-alarms",
        "service/shop/shop-api",
        FindingStatus::Pass,
        "CpuUtilized",
    );

    aws_sdk_ecs::Client::new(&aws.sdk)
        .update_cluster_settings()
        .cluster("shop")
        .settings(
            aws_sdk_ecs::types::ClusterSetting::builder()
                .name(aws_sdk_ecs::types::ClusterSettingName::ContainerInsights)
                .value("disabled")
                .build(),
        )
        .send()
        .await
        .expect("UpdateClusterSettings");
    let report = evaluate(&aws.collect(&[REGION]).await);
    says(
        &report,
        "ecs-service-alarms",
        "service/shop/shop-api",
        FindingStatus::Fail,
        "Container Insights is disabled for cluster shop",
    );
}

/// An alarm in INSUFFICIENT_DATA for longer than the history window on a metric AWS
/// publishes every minute watches a metric that is not there; on a sparse metric (5xx
/// counts) it is normal and the alarm still fires.
#[tokio::test(flavor = "multi_thread")]
async fn insufficient_data_for_the_whole_window_on_a_continuous_metric() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let since = (Utc::now() - Duration::days(10)).to_rfc3339();
    for alarm in ["shop-db-cpu", "shop-alb-5xx"] {
        aws.post(
            "/_onwatch/cloudwatch/history",
            &json!({"alarm_name": alarm, "region": REGION, "changes": [
                {"timestamp": since, "old": "OK", "new": "INSUFFICIENT_DATA"}]}),
        );
    }
    let report = evaluate(&aws.collect(&[REGION]).await);
    says(
        &report,
        "rds-cpu-alarm",
        ":db:shop-db",
        FindingStatus::Fail,
        "has been in INSUFFICIENT_DATA since",
    );
    says(
        &report,
        "alb-alarms",
        "/shop-alb/",
        FindingStatus::Pass,
        "shop-alb-5xx",
    );

    // Two days in INSUFFICIENT_DATA is inside the window: not judged.
    let recent = (Utc::now() - Duration::days(2)).to_rfc3339();
    aws.post(
        "/_onwatch/cloudwatch/history",
        &json!({"alarm_name": "shop-db-cpu", "region": REGION, "changes": [
            {"timestamp": recent, "old": "OK", "new": "INSUFFICIENT_DATA"}]}),
    );
    let report = evaluate(&aws.collect(&[REGION]).await);
    says(
        &report,
        "rds-cpu-alarm",
        ":db:shop-db",
        FindingStatus::Pass,
        "shop-db-cpu",
    );
}

/// A storage alarm that fires when free space is above its threshold never warns of a
/// full disk.
#[tokio::test(flavor = "multi_thread")]
async fn a_storage_alarm_that_compares_the_wrong_way() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    aws_sdk_rds::Client::new(&aws.sdk)
        .create_db_instance()
        .db_instance_identifier("ledger-db")
        .engine("postgres")
        .db_instance_class("db.t4g.medium")
        .allocated_storage(100)
        .master_username("dbadmin")
        .master_user_password("not-a-real-password-1")
        .send()
        .await
        .expect("CreateDBInstance");
    let dims = [("DBInstanceIdentifier", "ledger-db")];
    put_alarm(
        &aws,
        "ledger-db-free-storage",
        "AWS/RDS",
        "FreeStorageSpace",
        &dims,
        ComparisonOperator::GreaterThanThreshold,
        10e9,
    )
    .await;
    let report = evaluate(&aws.collect(&[REGION]).await);
    says(
        &report,
        "rds-storage-headroom",
        ":db:ledger-db",
        FindingStatus::Fail,
        "it fires when FreeStorageSpace is above 10000000000 (GreaterThanThreshold), not when it runs low",
    );

    put_alarm(
        &aws,
        "ledger-db-free-storage",
        "AWS/RDS",
        "FreeStorageSpace",
        &dims,
        ComparisonOperator::LessThanThreshold,
        10e9,
    )
    .await;
    let report = evaluate(&aws.collect(&[REGION]).await);
    says(
        &report,
        "rds-storage-headroom",
        ":db:ledger-db",
        FindingStatus::Pass,
        "ledger-db-free-storage",
    );
}
