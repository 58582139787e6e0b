//! The harness's gap patches, exercised through the official aws-sdk crates (the
//! client users run) and checked against AWS's documented response shapes. These tests
//! write to the local endpoint; the scan itself never does.

use aws_sdk_cloudwatch::types::{ComparisonOperator, HistoryItemType, Statistic};
use aws_sdk_ecs::types::{ClusterField, ClusterSetting, ClusterSettingName};
use chrono::{Duration, Utc};
use serde_json::json;

use super::LocalAws;

/// UpdateClusterSettings answers `{"cluster": Cluster}` with the new settings:
/// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateClusterSettings.html
#[tokio::test(flavor = "multi_thread")]
async fn ecs_update_cluster_settings() {
    let aws = LocalAws::start();
    let ecs = aws_sdk_ecs::Client::new(&aws.sdk);
    ecs.create_cluster()
        .cluster_name("shop")
        .send()
        .await
        .expect("CreateCluster");
    let insights = |value: &str| {
        ClusterSetting::builder()
            .name(ClusterSettingName::ContainerInsights)
            .value(value)
            .build()
    };
    let answer = ecs
        .update_cluster_settings()
        .cluster("shop")
        .settings(insights("enhanced"))
        .send()
        .await
        .expect("UpdateClusterSettings");
    let cluster = answer.cluster().expect("the answer holds the cluster");
    assert_eq!(cluster.cluster_name(), Some("shop"));
    let value = |c: &aws_sdk_ecs::types::Cluster| {
        c.settings()
            .iter()
            .find(|s| s.name() == Some(&ClusterSettingName::ContainerInsights))
            .and_then(|s| s.value().map(str::to_string))
    };
    assert_eq!(value(cluster).as_deref(), Some("enhanced"));
    let described = ecs
        .describe_clusters()
        .clusters("shop")
        .include(ClusterField::Settings)
        .send()
        .await
        .expect("DescribeClusters");
    assert_eq!(value(&described.clusters()[0]).as_deref(), Some("enhanced"));
    let err = ecs
        .update_cluster_settings()
        .cluster("shop")
        .settings(insights("sometimes"))
        .send()
        .await
        .expect_err("containerInsights is enabled, disabled or enhanced");
    assert!(
        err.as_service_error()
            .is_some_and(|e| e.is_invalid_parameter_exception()),
        "{err:?}"
    );
}

/// ModifyDBInstance EnablePerformanceInsights; DescribeDBInstances returns
/// PerformanceInsightsEnabled, its retention (7 days by default) and KMS key:
/// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html
/// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html
#[tokio::test(flavor = "multi_thread")]
async fn rds_modify_db_instance_performance_insights() {
    let aws = LocalAws::start();
    let rds = aws_sdk_rds::Client::new(&aws.sdk);
    rds.create_db_instance()
        .db_instance_identifier("shop-db")
        .engine("postgres")
        .db_instance_class("db.m6g.large")
        .allocated_storage(100)
        .master_username("dbadmin")
        .master_user_password("not-a-real-password-1")
        .send()
        .await
        .expect("CreateDBInstance");
    let describe = || async {
        rds.describe_db_instances()
            .db_instance_identifier("shop-db")
            .send()
            .await
            .expect("DescribeDBInstances")
            .db_instances()[0]
            .clone()
    };
    assert_eq!(describe().await.performance_insights_enabled(), Some(false));
    let modified = rds
        .modify_db_instance()
        .db_instance_identifier("shop-db")
        .enable_performance_insights(true)
        .apply_immediately(true)
        .send()
        .await
        .expect("ModifyDBInstance");
    assert_eq!(
        modified
            .db_instance()
            .and_then(|d| d.db_instance_identifier()),
        Some("shop-db")
    );
    let db = describe().await;
    assert_eq!(db.performance_insights_enabled(), Some(true));
    assert_eq!(db.performance_insights_retention_period(), Some(7));
    assert!(db.performance_insights_kms_key_id().is_some());
    rds.modify_db_instance()
        .db_instance_identifier("shop-db")
        .enable_performance_insights(false)
        .apply_immediately(true)
        .send()
        .await
        .expect("ModifyDBInstance");
    assert_eq!(describe().await.performance_insights_enabled(), Some(false));
}

/// DescribeAlarmHistory: newest first, at most MaxRecords per page, NextToken until the
/// last page:
/// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
#[tokio::test(flavor = "multi_thread")]
async fn cloudwatch_describe_alarm_history_pages() {
    let aws = LocalAws::start();
    let cw = aws_sdk_cloudwatch::Client::new(&aws.sdk);
    cw.put_metric_alarm()
        .alarm_name("flappy")
        .namespace("AWS/Lambda")
        .metric_name("Errors")
        .statistic(Statistic::Sum)
        .period(300)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .expect("PutMetricAlarm");
    let now = Utc::now();
    let changes: Vec<_> = (0..130)
        .map(|i| {
            let (old, new) = if i % 2 == 0 {
                ("OK", "ALARM")
            } else {
                ("ALARM", "OK")
            };
            json!({
                "timestamp": (now - Duration::hours(130 - i)).to_rfc3339(),
                "old": old,
                "new": new,
            })
        })
        .collect();
    aws.post(
        "/_onwatch/cloudwatch/history",
        &json!({"alarm_name": "flappy", "region": "us-east-1", "changes": changes}),
    );
    let mut pages = cw
        .describe_alarm_history()
        .alarm_name("flappy")
        .history_item_type(HistoryItemType::StateUpdate)
        .max_records(50)
        .into_paginator()
        .send();
    let mut sizes = Vec::new();
    let mut tokens = Vec::new();
    let mut times = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("DescribeAlarmHistory");
        sizes.push(page.alarm_history_items().len());
        tokens.push(page.next_token().is_some());
        for item in page.alarm_history_items() {
            assert_eq!(
                item.history_item_type(),
                Some(&HistoryItemType::StateUpdate)
            );
            assert_eq!(item.alarm_name(), Some("flappy"));
            times.push(item.timestamp().map(|t| t.secs()).expect("a timestamp"));
        }
    }
    assert_eq!(sizes, vec![50, 50, 30]);
    assert_eq!(tokens, vec![true, true, false]);
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
}

/// SNS: an e-mail subscription stays PendingConfirmation until its owner confirms it
/// (here through the harness); Subscribe answers "pending confirmation":
/// https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
/// https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html
#[tokio::test(flavor = "multi_thread")]
async fn sns_email_subscription_pending_until_confirmed() {
    let aws = LocalAws::start();
    let sns = aws_sdk_sns::Client::new(&aws.sdk);
    let topic = sns
        .create_topic()
        .name("oncall")
        .send()
        .await
        .expect("CreateTopic")
        .topic_arn()
        .expect("a topic ARN")
        .to_string();
    let subscribed = sns
        .subscribe()
        .topic_arn(&topic)
        .protocol("email")
        .endpoint("oncall@example.com")
        .send()
        .await
        .expect("Subscribe");
    assert_eq!(subscribed.subscription_arn(), Some("pending confirmation"));
    let listed = || async {
        sns.list_subscriptions_by_topic()
            .topic_arn(&topic)
            .send()
            .await
            .expect("ListSubscriptionsByTopic")
            .subscriptions()[0]
            .subscription_arn()
            .map(str::to_string)
    };
    let counts = || async {
        let answer = sns
            .get_topic_attributes()
            .topic_arn(&topic)
            .send()
            .await
            .expect("GetTopicAttributes");
        let attrs = answer.attributes().cloned().unwrap_or_default();
        (
            attrs.get("SubscriptionsPending").cloned(),
            attrs.get("SubscriptionsConfirmed").cloned(),
        )
    };
    assert_eq!(listed().await.as_deref(), Some("PendingConfirmation"));
    assert_eq!(counts().await, (Some("1".into()), Some("0".into())));
    let confirmed = aws.post("/_onwatch/sns/confirm", &json!({ "topic_arn": topic }));
    let arn = listed().await.expect("a subscription ARN");
    assert!(arn.starts_with(&format!("{topic}:")), "{arn}");
    assert_eq!(confirmed["confirmed"], json!([arn]));
    assert_eq!(counts().await, (Some("0".into()), Some("1".into())));
    let attrs = sns
        .get_subscription_attributes()
        .subscription_arn(&arn)
        .send()
        .await
        .expect("GetSubscriptionAttributes");
    assert_eq!(
        attrs
            .attributes()
            .and_then(|a| a.get("PendingConfirmation"))
            .map(String::as_str),
        Some("false")
    );
}
