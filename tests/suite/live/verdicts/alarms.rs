//! Alarms: flapping, AWS-owned alarms, composite children, an account with no alarm.

use chrono::{Duration, Utc};
use serde_json::json;

use onwatch::report::FindingStatus;

use super::{REGION, alternate, evaluate, finding_of, item};
use crate::local_aws::LocalAws;

/// Issue 10, point 11: only changes into and out of ALARM run alarm actions; an alarm
/// on a metric that reports now and then goes OK <-> INSUFFICIENT_DATA all day and
/// tells nobody, so it does not flap.
#[tokio::test(flavor = "multi_thread")]
async fn flapping_counts_only_changes_into_and_out_of_alarm() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    alternate(&aws, "shop-db-cpu", "OK", "INSUFFICIENT_DATA", 24);
    alternate(&aws, "shop-db-free-storage", "OK", "ALARM", 24);
    let snapshot = aws.collect(&[REGION]).await;
    let history = snapshot.regions[REGION]
        .alarm_history
        .ok()
        .expect("history");
    assert!(
        history
            .iter()
            .filter(|c| c.alarm_name == "shop-db-cpu")
            .all(|c| c.old_state.is_some() && c.new_state.is_some()),
        "the states come from HistoryData: {history:#?}"
    );

    let report = evaluate(&snapshot);
    let it = item(&report, "alarm-flapping");
    let quiet = finding_of(it, "shop-db-cpu");
    assert_eq!(quiet.status, FindingStatus::Pass, "{quiet:#?}");
    assert!(quiet.evidence.starts_with("0 changes into or out of ALARM"));
    let noisy = finding_of(it, "shop-db-free-storage");
    assert_eq!(noisy.status, FindingStatus::Fail, "{noisy:#?}");
    assert!(noisy.evidence.starts_with("24 changes"), "{noisy:#?}");
}
/// Issue 10, point 10: the alarms a target-tracking scaling policy creates belong to
/// AWS (their low alarm sits in ALARM whenever load is low, and tells nobody by
/// design): they are listed as managed by AWS, not judged, and the healthy account
/// stays healthy.
#[tokio::test(flavor = "multi_thread")]
async fn target_tracking_alarms_are_aws_s_and_not_judged() {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, Statistic};
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let policy = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:6d8972f3-efc8-437c-92d1-6270f29a66e7:resource/ecs/service/shop/shop-api:policyName/cpu-target";
    let cw = aws_sdk_cloudwatch::Client::new(&aws.sdk);
    for (suffix, op, threshold) in [
        ("AlarmHigh", ComparisonOperator::GreaterThanThreshold, 60.0),
        ("AlarmLow", ComparisonOperator::LessThanThreshold, 54.0),
    ] {
        cw.put_metric_alarm()
            .alarm_name(format!(
                "TargetTracking-service/shop/shop-api-{suffix}-0d5b4f2c-3c1e-4f6e-9d63-2f1f4b0b7e11"
            ))
            .alarm_description(format!(
                "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {policy}."
            ))
            .namespace("AWS/ECS")
            .metric_name("CPUUtilization")
            .dimensions(
                Dimension::builder()
                    .name("ClusterName")
                    .value("shop")
                    .build(),
            )
            .dimensions(
                Dimension::builder()
                    .name("ServiceName")
                    .value("shop-api")
                    .build(),
            )
            .statistic(Statistic::Average)
            .period(60)
            .evaluation_periods(3)
            .threshold(threshold)
            .comparison_operator(op)
            .alarm_actions(policy)
            .send()
            .await
            .expect("PutMetricAlarm");
    }
    // The low alarm has been in ALARM for ten days: the service is quiet.
    aws.post(
        "/_onwatch/cloudwatch/history",
        &json!({
            "alarm_name": "TargetTracking-service/shop/shop-api-AlarmLow-0d5b4f2c-3c1e-4f6e-9d63-2f1f4b0b7e11",
            "region": REGION,
            "changes": [{"timestamp": (Utc::now() - Duration::days(10)).to_rfc3339(), "old": "OK", "new": "ALARM"}],
        }),
    );
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    for id in [
        "alarm-actions",
        "alarm-stuck",
        "alarm-flapping",
        "alarm-response-pattern",
    ] {
        let it = item(&report, id);
        let owned: Vec<_> = it
            .findings
            .iter()
            .filter(|f| f.resource.contains(":alarm:TargetTracking-"))
            .collect();
        assert_eq!(owned.len(), 2, "{id}: {:#?}", it.findings);
        for f in owned {
            assert_eq!(f.status, FindingStatus::NotApplicable, "{id}: {f:#?}");
            assert!(
                f.reason
                    .as_deref()
                    .is_some_and(|r| r.starts_with("managed by Auto Scaling")),
                "{f:#?}"
            );
        }
        assert_eq!(
            it.status,
            onwatch::report::ItemStatus::Pass,
            "{id}: the healthy account stays healthy: {:#?}",
            it.findings
        );
    }
}
/// Issue 10, point 6: an account that runs a database, a service and a load balancer
/// and has not one alarm is not "nothing to check": nothing will ever alert.
#[tokio::test(flavor = "multi_thread")]
async fn workloads_without_a_single_alarm_fail_alarm_actions() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let cw = aws_sdk_cloudwatch::Client::new(&aws.sdk);
    let names: Vec<String> = cw
        .describe_alarms()
        .send()
        .await
        .expect("DescribeAlarms")
        .metric_alarms()
        .iter()
        .filter_map(|a| a.alarm_name().map(str::to_string))
        .collect();
    assert!(!names.is_empty());
    cw.delete_alarms()
        .set_alarm_names(Some(names))
        .send()
        .await
        .expect("DeleteAlarms");
    let report = evaluate(&aws.collect(&[REGION]).await);
    let it = item(&report, "alarm-actions");
    assert_eq!(
        it.status,
        onwatch::report::ItemStatus::Fail,
        "{:#?}",
        it.findings
    );
    let finding = &it.findings[0];
    assert_eq!(
        finding.reason.as_deref(),
        Some("no alarm exists: nothing will ever alert")
    );
    assert!(
        finding
            .evidence
            .contains("1 DB instances, 1 ECS services, 1 load balancers"),
        "{finding:#?}"
    );
}
/// Issue 10, point 15: the children of a composite alarm that acts need no actions of
/// their own (AWS's own recipe against alarm noise), and an alarm tagged `know` whose
/// actions are disabled is what alarm-response-pattern asks for, so alarm-actions
/// agrees.
#[tokio::test(flavor = "multi_thread")]
async fn composite_children_and_know_alarms_need_no_actions() {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic, Tag};
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let cw = aws_sdk_cloudwatch::Client::new(&aws.sdk);
    let quiet = |name: &'static str| {
        cw.put_metric_alarm()
            .alarm_name(name)
            .namespace("AWS/ApplicationELB")
            .metric_name("TargetResponseTime")
            .statistic(Statistic::Average)
            .period(60)
            .evaluation_periods(3)
            .threshold(2.0)
            .comparison_operator(ComparisonOperator::GreaterThanThreshold)
            .send()
    };
    for name in ["api-latency-high", "api-errors-high", "batch-slow"] {
        quiet(name).await.expect("PutMetricAlarm");
    }
    let topic = "arn:aws:sns:us-east-1:123456789012:ops-alerts";
    cw.put_composite_alarm()
        .alarm_name("api-degraded")
        .alarm_rule(r#"ALARM("api-latency-high") OR ALARM(api-errors-high)"#)
        .alarm_actions(topic)
        .tags(
            Tag::builder()
                .key("response-pattern")
                .value("act-now")
                .build(),
        )
        .send()
        .await
        .expect("PutCompositeAlarm");
    // A composite without actions does not speak for its child.
    cw.put_composite_alarm()
        .alarm_name("batch-watch")
        .alarm_rule(r#"ALARM("batch-slow")"#)
        .send()
        .await
        .expect("PutCompositeAlarm");
    // Known abnormal, shown in CloudWatch, nobody told: actions kept but disabled.
    cw.put_metric_alarm()
        .alarm_name("nightly-export-duration")
        .namespace("Custom/Batch")
        .metric_name("ExportSeconds")
        .statistic(Statistic::Maximum)
        .period(3600)
        .evaluation_periods(1)
        .threshold(3600.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .actions_enabled(false)
        .alarm_actions(topic)
        .tags(Tag::builder().key("response-pattern").value("know").build())
        .send()
        .await
        .expect("PutMetricAlarm");

    let report = evaluate(&aws.collect(&[REGION]).await);
    let it = item(&report, "alarm-actions");
    for child in ["api-latency-high", "api-errors-high"] {
        let f = finding_of(it, child);
        assert_eq!(f.status, FindingStatus::Pass, "{f:#?}");
        assert!(
            f.evidence
                .contains("composite alarm api-degraded watches it"),
            "{f:#?}"
        );
    }
    assert_eq!(finding_of(it, "batch-slow").status, FindingStatus::Fail);
    let know = finding_of(it, "nightly-export-duration");
    assert_eq!(know.status, FindingStatus::Pass, "{know:#?}");
    assert!(
        know.evidence
            .starts_with("actions disabled; tagged response-pattern = know")
    );
    let pattern = item(&report, "alarm-response-pattern");
    assert_eq!(
        finding_of(pattern, "nightly-export-duration").status,
        FindingStatus::Pass
    );
}
