//! Verdicts an AWS operations engineer would sign: the scan and the rules together, on
//! the local endpoint, for the cases where a naive reading passes what cannot alert or
//! fails what is healthy.

mod alarms;
mod baseline;
mod logs;
mod never;
mod records;
mod routes;
mod topics;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use onwatch::report::ItemReport;

use super::{evaluate, item};
use crate::local_aws::LocalAws;

const REGION: &str = "us-east-1";

/// `n` backdated state changes of `alarm`, alternating between `a` and `b`, spread
/// over the last six days and ending in `a`.
fn alternate(aws: &LocalAws, alarm: &str, a: &str, b: &str, n: usize) {
    let now = Utc::now();
    let step = Duration::hours(6 * 24) / i32::try_from(n + 1).unwrap_or(1);
    let at = |i: usize| -> DateTime<Utc> {
        now - Duration::days(6) + step * i32::try_from(i + 1).unwrap_or(0)
    };
    let changes: Vec<Value> = (0..n)
        .map(|i| {
            let (old, new) = if i % 2 == 0 { (a, b) } else { (b, a) };
            json!({"timestamp": at(i).to_rfc3339(), "old": old, "new": new})
        })
        .collect();
    aws.post(
        "/_onwatch/cloudwatch/history",
        &json!({"alarm_name": alarm, "region": REGION, "changes": changes}),
    );
}

/// A topic in `REGION` with one subscription (an e-mail one stays pending).
async fn topic_with(aws: &LocalAws, name: &str, protocol: &str, endpoint: &str) -> String {
    let sns = aws_sdk_sns::Client::new(&aws.sdk);
    let topic = sns
        .create_topic()
        .name(name)
        .send()
        .await
        .expect("CreateTopic")
        .topic_arn()
        .expect("arn")
        .to_string();
    sns.subscribe()
        .topic_arn(&topic)
        .protocol(protocol)
        .endpoint(endpoint)
        .send()
        .await
        .expect("Subscribe");
    topic
}

/// The healthy seed's budget tells only `topic`: its SNS subscriber is added and its
/// e-mail subscriber removed.
async fn budget_tells_only(aws: &LocalAws, topic: &str) {
    use aws_sdk_budgets::types::{
        ComparisonOperator, Notification, NotificationType, Subscriber, SubscriptionType,
        ThresholdType,
    };
    let budgets = aws_sdk_budgets::Client::new(&aws.sdk);
    let notification = Notification::builder()
        .notification_type(NotificationType::Actual)
        .comparison_operator(ComparisonOperator::GreaterThan)
        .threshold(80.0)
        .threshold_type(ThresholdType::Percentage)
        .build()
        .expect("notification");
    let subscriber = |kind: SubscriptionType, address: &str| {
        Subscriber::builder()
            .subscription_type(kind)
            .address(address)
            .build()
            .expect("subscriber")
    };
    budgets
        .create_subscriber()
        .account_id("123456789012")
        .budget_name("monthly-cost")
        .notification(notification.clone())
        .subscriber(subscriber(SubscriptionType::Sns, topic))
        .send()
        .await
        .expect("CreateSubscriber");
    budgets
        .delete_subscriber()
        .account_id("123456789012")
        .budget_name("monthly-cost")
        .notification(notification)
        .subscriber(subscriber(SubscriptionType::Email, "finance@example.com"))
        .send()
        .await
        .expect("DeleteSubscriber");
}

fn finding_of<'a>(it: &'a ItemReport, alarm: &str) -> &'a onwatch::report::Finding {
    it.findings
        .iter()
        .find(|f| f.resource.ends_with(&format!(":alarm:{alarm}")))
        .unwrap_or_else(|| panic!("no finding for {alarm}: {:#?}", it.findings))
}
