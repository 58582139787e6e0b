//! Issue 10, point 1: a route through a topic the publisher cannot publish to reaches
//! nobody: the topic policy must let the publisher in (EventBridge, Budgets and Cost
//! Anomaly Detection need their service principal; CloudWatch alarms are admitted by the
//! default policy), and an encrypted topic's key must let the publisher use it (never
//! the AWS managed alias/aws/sns).

use onwatch::report::{FindingStatus, ItemStatus};
use serde_json::json;

use super::{REGION, budget_tells_only, evaluate, item};
use crate::local_aws::{Fault, LocalAws};

const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:ops-alerts";

/// AWS's default topic policy, which admits callers of the account (CloudWatch alarms
/// among them) and no service principal.
fn default_policy() -> String {
    json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["SNS:GetTopicAttributes", "SNS:Subscribe", "SNS:Publish"],
            "Resource": TOPIC,
            "Condition": {"StringEquals": {"AWS:SourceOwner": "123456789012"}}
        }]
    })
    .to_string()
}

async fn set(aws: &LocalAws, name: &str, value: &str) {
    aws_sdk_sns::Client::new(&aws.sdk)
        .set_topic_attributes()
        .topic_arn(TOPIC)
        .attribute_name(name)
        .attribute_value(value)
        .send()
        .await
        .expect("SetTopicAttributes");
}

fn reason_of(report: &onwatch::report::Report, id: &str) -> String {
    item(report, id)
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Fail)
        .map(|f| f.reason.clone().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_topic_the_publisher_may_not_publish_to_reaches_nobody() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    // The healthy account: ops-alerts lets EventBridge publish and is encrypted with a
    // customer managed key that CloudWatch and EventBridge may use.
    let report = evaluate(&aws.collect(&[REGION]).await);
    for id in ["guardduty-findings-routed", "rds-cpu-alarm"] {
        assert_eq!(
            item(&report, id).status,
            ItemStatus::Pass,
            "{id}: {:#?}",
            item(&report, id).findings
        );
    }

    // The default policy only: alarms still reach the topic, GuardDuty findings do not.
    set(&aws, "Policy", &default_policy()).await;
    let report = evaluate(&aws.collect(&[REGION]).await);
    assert_eq!(item(&report, "rds-cpu-alarm").status, ItemStatus::Pass);
    let routed = item(&report, "guardduty-findings-routed");
    assert_eq!(routed.status, ItemStatus::Fail, "{:#?}", routed.findings);
    let why = reason_of(&report, "guardduty-findings-routed")
        + &routed
            .findings
            .iter()
            .map(|f| f.evidence.clone())
            .collect::<String>();
    assert!(
        why.contains("does not allow events.amazonaws.com"),
        "{:#?}",
        routed.findings
    );

    // Encrypted with the AWS managed key: no alarm gets through either.
    set(&aws, "KmsMasterKeyId", "alias/aws/sns").await;
    let report = evaluate(&aws.collect(&[REGION]).await);
    let alarms = item(&report, "rds-cpu-alarm");
    assert_eq!(alarms.status, ItemStatus::Fail, "{:#?}", alarms.findings);
    assert!(
        reason_of(&report, "rds-cpu-alarm").contains("AWS managed key alias/aws/sns"),
        "{:#?}",
        alarms.findings
    );

    // A customer managed key whose policy gives CloudWatch nothing.
    let kms = aws_sdk_kms::Client::new(&aws.sdk);
    let key = kms
        .create_key()
        .policy(
            json!({"Version": "2012-10-17", "Statement": [{
                "Sid": "Enable IAM User Permissions", "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "kms:*", "Resource": "*"}]})
            .to_string(),
        )
        .send()
        .await
        .expect("CreateKey");
    let key_arn = key
        .key_metadata()
        .and_then(|m| m.arn())
        .expect("key ARN")
        .to_string();
    set(&aws, "KmsMasterKeyId", &key_arn).await;
    let report = evaluate(&aws.collect(&[REGION]).await);
    assert_eq!(item(&report, "rds-cpu-alarm").status, ItemStatus::Fail);
    assert!(
        reason_of(&report, "rds-cpu-alarm")
            .contains("does not allow kms:GenerateDataKey to cloudwatch.amazonaws.com"),
        "{:#?}",
        item(&report, "rds-cpu-alarm").findings
    );

    // The key cannot be read: could not check, naming the permission.
    aws.fault(Fault {
        service: "kms",
        region: "*",
        paged: false,
        operation: None,
        status: 400,
        code: "AccessDeniedException",
        message: "not authorized",
    });
    let report = evaluate(&aws.collect(&[REGION]).await);
    let alarms = item(&report, "rds-cpu-alarm");
    assert_eq!(
        alarms.status,
        ItemStatus::CouldNotCheck,
        "{:#?}",
        alarms.findings
    );
    assert!(
        alarms
            .findings
            .iter()
            .any(|f| f.status == FindingStatus::CouldNotCheck
                && f.reason
                    .as_deref()
                    .unwrap_or_default()
                    .contains("kms:DescribeKey")),
        "{:#?}",
        alarms.findings
    );
}

/// Budgets and Cost Anomaly Detection need their own service principals in the topic
/// policy: a confirmed topic that does not name them reaches nobody.
#[tokio::test(flavor = "multi_thread")]
async fn budgets_and_anomaly_alerts_need_their_service_principals() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let topic = super::topic_with(
        &aws,
        "cost-alerts",
        "lambda",
        "arn:aws:lambda:us-east-1:123456789012:function:to-slack",
    )
    .await;
    budget_tells_only(&aws, &topic).await;
    let report = evaluate(&aws.collect(&[REGION]).await);
    let budget = item(&report, "budget-notification");
    assert_eq!(budget.status, ItemStatus::Fail, "{:#?}", budget.findings);
    assert!(
        budget.findings[0]
            .evidence
            .contains("does not allow budgets.amazonaws.com to publish"),
        "{:#?}",
        budget.findings
    );

    // Once the topic lets AWS Budgets in, the same route passes.
    let sns = aws_sdk_sns::Client::new(&aws.sdk);
    let attributes = sns
        .get_topic_attributes()
        .topic_arn(&topic)
        .send()
        .await
        .expect("GetTopicAttributes");
    let policy = attributes
        .attributes()
        .and_then(|a| a.get("Policy"))
        .expect("a topic has a policy");
    let mut policy: serde_json::Value = serde_json::from_str(policy).expect("policy JSON");
    policy["Statement"]
        .as_array_mut()
        .expect("statements")
        .push(json!({"Sid": "budgets", "Effect": "Allow",
            "Principal": {"Service": "budgets.amazonaws.com"},
            "Action": "SNS:Publish", "Resource": topic,
            "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"},
                          "ArnLike": {"aws:SourceArn": "arn:aws:budgets::123456789012:*"}}}));
    sns.set_topic_attributes()
        .topic_arn(&topic)
        .attribute_name("Policy")
        .attribute_value(policy.to_string())
        .send()
        .await
        .expect("SetTopicAttributes");
    let report = evaluate(&aws.collect(&[REGION]).await);
    let budget = item(&report, "budget-notification");
    assert_eq!(budget.status, ItemStatus::Pass, "{:#?}", budget.findings);

    // An anomaly subscription whose only subscriber is that topic: the topic does not
    // let costalerts.amazonaws.com in.
    let ce = aws_sdk_costexplorer::Client::new(&aws.sdk);
    let subs = ce
        .get_anomaly_subscriptions()
        .send()
        .await
        .expect("GetAnomalySubscriptions");
    let sub_arn = subs.anomaly_subscriptions()[0]
        .subscription_arn()
        .expect("subscription ARN")
        .to_string();
    let monitor = subs.anomaly_subscriptions()[0].monitor_arn_list().to_vec();
    ce.delete_anomaly_subscription()
        .subscription_arn(&sub_arn)
        .send()
        .await
        .expect("DeleteAnomalySubscription");
    ce.create_anomaly_subscription()
        .anomaly_subscription(
            aws_sdk_costexplorer::types::AnomalySubscription::builder()
                .subscription_name("to-the-topic")
                .set_monitor_arn_list(Some(monitor))
                .subscribers(
                    aws_sdk_costexplorer::types::Subscriber::builder()
                        .address(&topic)
                        .r#type(aws_sdk_costexplorer::types::SubscriberType::Sns)
                        .build(),
                )
                .frequency(aws_sdk_costexplorer::types::AnomalySubscriptionFrequency::Immediate)
                .build()
                .expect("subscription"),
        )
        .send()
        .await
        .expect("CreateAnomalySubscription");
    let report = evaluate(&aws.collect(&[REGION]).await);
    let anomaly = item(&report, "cost-anomaly-detection");
    assert_eq!(anomaly.status, ItemStatus::Fail, "{:#?}", anomaly.findings);
    assert!(
        anomaly.findings[0]
            .evidence
            .contains("does not allow costalerts.amazonaws.com to publish"),
        "{:#?}",
        anomaly.findings
    );
}
