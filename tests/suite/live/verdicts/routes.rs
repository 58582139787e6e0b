//! Routes: which topics are alert topics, topics in other accounts, budgets, GuardDuty targets.

use onwatch::report::FindingStatus;

use super::{REGION, budget_tells_only, evaluate, finding_of, item, topic_with};
use crate::local_aws::LocalAws;

/// Issue 10, point 12: an application's fan-out topic (EventBridge -> SNS -> SQS
/// workers) is not an alert topic; the GuardDuty route's topic still is.
#[tokio::test(flavor = "multi_thread")]
async fn an_applications_fan_out_topic_is_not_an_alert_topic() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let topic = topic_with(
        &aws,
        "orders-fanout",
        "sqs",
        "arn:aws:sqs:us-east-1:123456789012:order-workers",
    )
    .await;
    let events = aws_sdk_eventbridge::Client::new(&aws.sdk);
    events
        .put_rule()
        .name("orders-created")
        .event_pattern(r#"{"source":["shop.orders"],"detail-type":["OrderCreated"]}"#)
        .send()
        .await
        .expect("PutRule");
    events
        .put_targets()
        .rule("orders-created")
        .targets(
            aws_sdk_eventbridge::types::Target::builder()
                .id("fanout")
                .arn(&topic)
                .build()
                .expect("target"),
        )
        .send()
        .await
        .expect("PutTargets");
    let report = evaluate(&aws.collect(&[REGION]).await);
    let it = item(&report, "sns-confirmed-subscriptions");
    assert!(
        it.findings
            .iter()
            .all(|f| !f.resource.contains("orders-fanout")),
        "{:#?}",
        it.findings
    );
    assert!(
        it.findings
            .iter()
            .any(|f| f.resource.ends_with(":ops-alerts")
                && f.evidence.contains("rule guardduty-high-findings")),
        "the GuardDuty route's topic is judged: {:#?}",
        it.findings
    );
    assert_eq!(it.status, onwatch::report::ItemStatus::Pass);
}
/// Issue 10, point 7: an alarm routed to a topic in another account (a central
/// alerting account) cannot be judged from this one: could-not-check naming the ARN,
/// never "topic does not exist".
#[tokio::test(flavor = "multi_thread")]
async fn a_topic_in_another_account_is_unknown_not_missing() {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic, Tag};
    const CENTRAL: &str = "arn:aws:sns:us-east-1:999999999999:central-alerts";
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    aws_sdk_cloudwatch::Client::new(&aws.sdk)
        .put_metric_alarm()
        .alarm_name("payments-errors")
        .namespace("Custom/Payments")
        .metric_name("Errors")
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(5.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .alarm_actions(CENTRAL)
        .tags(
            Tag::builder()
                .key("response-pattern")
                .value("act-now")
                .build(),
        )
        .send()
        .await
        .expect("PutMetricAlarm");
    let report = evaluate(&aws.collect(&[REGION]).await);
    let pattern = finding_of(item(&report, "alarm-response-pattern"), "payments-errors");
    assert_eq!(pattern.status, FindingStatus::CouldNotCheck, "{pattern:#?}");
    let reason = pattern.reason.as_deref().unwrap_or_default();
    assert!(
        reason.contains(CENTRAL) && reason.contains("999999999999"),
        "{pattern:#?}"
    );
    let topics = item(&report, "sns-confirmed-subscriptions");
    let central = topics
        .findings
        .iter()
        .find(|f| f.resource == CENTRAL)
        .expect("the central topic is listed");
    assert_eq!(central.status, FindingStatus::CouldNotCheck, "{central:#?}");
    assert!(
        topics
            .findings
            .iter()
            .all(|f| !f.evidence.contains("does not exist")),
        "{:#?}",
        topics.findings
    );
}
/// Issue 10, point 13b: a central topic in another account that the user vouches for
/// (`[[trusted_route]]` in their checklist folder) counts as reaching a person, "trusted
/// by you"; without it the same route stays could-not-check.
#[tokio::test(flavor = "multi_thread")]
async fn a_route_you_vouch_for_reaches_a_person() {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic, Tag};
    const CENTRAL: &str = "arn:aws:sns:us-east-1:999999999999:central-alerts";
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    aws_sdk_cloudwatch::Client::new(&aws.sdk)
        .put_metric_alarm()
        .alarm_name("payments-errors")
        .namespace("Custom/Payments")
        .metric_name("Errors")
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(5.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .alarm_actions(CENTRAL)
        .tags(
            Tag::builder()
                .key("response-pattern")
                .value("act-now")
                .build(),
        )
        .send()
        .await
        .expect("PutMetricAlarm");
    let snapshot = aws.collect(&[REGION]).await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("trusted.toml");
    std::fs::write(
        &file,
        r#"
[[trusted_route]]
account = "999999999999"
note = "the security account pages the platform on-call through PagerDuty"
urgent = true
"#,
    )
    .expect("write trusted.toml");
    let checklist = onwatch::checklist::load_path(&file).expect("the folder validates");
    assert_eq!(checklist.trusted.len(), 1);
    let report = onwatch::evaluate(
        &checklist,
        &snapshot,
        &onwatch::answers::Answers::default(),
        snapshot.collected_at,
    );
    let pattern = finding_of(item(&report, "alarm-response-pattern"), "payments-errors");
    assert_eq!(pattern.status, FindingStatus::Pass, "{pattern:#?}");
    assert!(
        pattern
            .evidence
            .contains("trusted by you (the security account pages"),
        "{pattern:#?}"
    );
    // Without the setting the route is unknown, as before.
    let report = evaluate(&snapshot);
    let pattern = finding_of(item(&report, "alarm-response-pattern"), "payments-errors");
    assert_eq!(pattern.status, FindingStatus::CouldNotCheck, "{pattern:#?}");

    // A route onwatch can read keeps onwatch's verdict: vouching for this account's
    // own pending topic does not make it reach anyone.
    std::fs::write(
        &file,
        r#"
[[trusted_route]]
account = "123456789012"
note = "we trust ourselves"
"#,
    )
    .expect("write trusted.toml");
    let checklist = onwatch::checklist::load_path(&file).expect("the folder validates");
    let report = onwatch::evaluate(
        &checklist,
        &snapshot,
        &onwatch::answers::Answers::default(),
        snapshot.collected_at,
    );
    let pattern = finding_of(item(&report, "alarm-response-pattern"), "payments-errors");
    assert_eq!(pattern.status, FindingStatus::CouldNotCheck, "{pattern:#?}");

    // A malformed setting is an error naming the file, line and column.
    std::fs::write(
        &file,
        "[[trusted_route]]\naccount = \"9999\"\nnote = \"x\"\n",
    )
    .expect("write trusted.toml");
    let errors = onwatch::checklist::load_path(&file).expect_err("a short account id");
    assert!(
        errors
            .iter()
            .any(|e| e.line == 2 && e.message.contains("not a 12-digit AWS account id")),
        "{errors:?}"
    );
}
/// Issue 10, point 5: a budget whose only subscriber is a topic nobody confirmed
/// notifies no one; the anomaly subscription's threshold is said in the evidence.
#[tokio::test(flavor = "multi_thread")]
async fn a_budget_that_only_tells_an_unconfirmed_topic_fails() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let topic = topic_with(&aws, "budget-alerts", "email", "founder@example.com").await;
    budget_tells_only(&aws, &topic).await;

    let report = evaluate(&aws.collect(&[REGION]).await);
    let budget = item(&report, "budget-notification");
    assert_eq!(
        budget.status,
        onwatch::report::ItemStatus::Fail,
        "{:#?}",
        budget.findings
    );
    assert!(
        budget.findings[0].evidence.contains("budget-alerts")
            && budget.findings[0].evidence.contains("reach nobody"),
        "{:#?}",
        budget.findings
    );
    let anomaly = item(&report, "cost-anomaly-detection");
    assert!(
        anomaly.findings[0]
            .evidence
            .contains("alerts when total impact >= 100"),
        "{:#?}",
        anomaly.findings
    );
}
/// Issue 10, point 13: GuardDuty routing accepts what alarm routing accepts, and an
/// EventBridge API destination (PagerDuty, Opsgenie) reaches someone; a rule that
/// forwards findings to an event bus in a security account cannot be followed from
/// here: could-not-check, not a fail.
#[tokio::test(flavor = "multi_thread")]
async fn guardduty_findings_to_an_api_destination_or_a_central_bus() {
    use aws_sdk_eventbridge::types::Target;
    let aws = LocalAws::start();
    aws.seed("healthy");
    let retarget = |region: &'static str, arn: &'static str| {
        let sdk = aws.sdk.clone();
        async move {
            let config = aws_sdk_eventbridge::config::Builder::from(&sdk)
                .region(aws_types::region::Region::new(region))
                .build();
            let events = aws_sdk_eventbridge::Client::from_conf(config);
            let old: Vec<String> = events
                .list_targets_by_rule()
                .rule("guardduty-high-findings")
                .send()
                .await
                .expect("ListTargetsByRule")
                .targets()
                .iter()
                .map(|t| t.id().to_string())
                .collect();
            events
                .remove_targets()
                .rule("guardduty-high-findings")
                .set_ids(Some(old))
                .send()
                .await
                .expect("RemoveTargets");
            events
                .put_targets()
                .rule("guardduty-high-findings")
                .targets(
                    Target::builder()
                        .id("next")
                        .arn(arn)
                        .build()
                        .expect("target"),
                )
                .send()
                .await
                .expect("PutTargets");
        }
    };
    retarget(
        "us-east-1",
        "arn:aws:events:us-east-1:123456789012:api-destination/pagerduty/5d3c1a2b-0000-4c1e-9f00-1234567890ab",
    )
    .await;
    retarget(
        "eu-west-1",
        "arn:aws:events:eu-west-1:222233334444:event-bus/security-findings",
    )
    .await;
    let report = evaluate(&aws.collect(&["us-east-1", "eu-west-1"]).await);
    let it = item(&report, "guardduty-findings-routed");
    let in_region = |region: &str| {
        it.findings
            .iter()
            .find(|f| f.region == region)
            .unwrap_or_else(|| panic!("{region}: {:#?}", it.findings))
    };
    let us = in_region("us-east-1");
    assert_eq!(us.status, FindingStatus::Pass, "{us:#?}");
    assert!(us.evidence.contains("API destination pagerduty"), "{us:#?}");
    let eu = in_region("eu-west-1");
    assert_eq!(eu.status, FindingStatus::CouldNotCheck, "{eu:#?}");
    assert!(
        eu.reason
            .as_deref()
            .is_some_and(|r| r.contains("event-bus/security-findings")),
        "{eu:#?}"
    );
}
