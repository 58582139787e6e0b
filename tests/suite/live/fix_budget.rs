//! Issue 11: budget-notification on the local endpoint. The account's own budgets are
//! kept: a notification that reaches nobody gets the channel, a budget without
//! notifications gets two, and only an account with no cost budget gets a new one.

use aws_sdk_budgets::types::{
    ComparisonOperator, Notification, NotificationType, Subscriber, SubscriptionType, ThresholdType,
};
use onwatch::execute;
use onwatch::fix::audit::{AuditLog, undo_plan};
use onwatch::fix::{self, Channel, Choices, FixPlan};
use onwatch::report::ItemStatus;

use super::evaluate;
use super::fix::{REGION, runner, status};
use crate::local_aws::LocalAws;

const ITEM: &str = "budget-notification";
const ACCOUNT: &str = "123456789012";

fn email() -> Choices {
    Choices {
        channel: Some(Channel::Email("finance@example.com".into())),
        ..Choices::default()
    }
}

async fn plan(aws: &LocalAws, choices: &Choices) -> FixPlan {
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    fix::plan(ITEM, &report, &snapshot, choices).expect("a plan")
}

fn ops(plan: &FixPlan) -> Vec<&'static str> {
    plan.steps.iter().map(|s| s.op.name()).collect()
}

/// Runs `plan`, checks the item passes and nothing is left to plan, undoes it and
/// checks the item fails again.
async fn fix_and_undo(aws: &LocalAws, plan: &FixPlan, choices: &Choices) {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), ACCOUNT);
    let runner = runner(aws, &log);
    let ran = execute::run(&runner, plan, None).await.expect("logged");
    assert!(ran.complete(), "{ran:#?}");
    assert_eq!(status(aws, ITEM).await, ItemStatus::Pass);
    let again = self::plan(aws, choices).await;
    assert!(again.steps.is_empty(), "{again:#?}");
    let undo = undo_plan(&log.read().expect("reads"), &ran.run).expect("an undo plan");
    let undone = execute::run(&runner, &undo, Some(&ran.run))
        .await
        .expect("logged");
    assert!(undone.complete(), "{undone:#?}");
    assert_eq!(status(aws, ITEM).await, ItemStatus::Fail);
}

fn client(aws: &LocalAws) -> aws_sdk_budgets::Client {
    aws_sdk_budgets::Client::new(&aws.sdk)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_budget_without_notifications_gets_two_and_undo_removes_them() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Fail);
    let none = plan(&aws, &Choices::default()).await;
    assert!(none.steps.is_empty(), "{none:#?}");
    assert!(none.skipped.iter().any(|s| s.contains("--channel-email")));

    let choices = email();
    let planned = plan(&aws, &choices).await;
    assert_eq!(
        ops(&planned),
        ["CreateNotification", "CreateNotification"],
        "{planned:#?}"
    );
    assert!(
        planned
            .steps
            .iter()
            .all(|s| s.iam_action == "budgets:ModifyBudget")
    );
    fix_and_undo(&aws, &planned, &choices).await;
    // The account's budget itself stays.
    let kept = client(&aws)
        .describe_budget()
        .account_id(ACCOUNT)
        .budget_name("monthly-cost")
        .send()
        .await;
    assert!(kept.is_ok(), "{kept:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_without_a_cost_budget_gets_one_for_the_amount_it_gives() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    client(&aws)
        .delete_budget()
        .account_id(ACCOUNT)
        .budget_name("monthly-cost")
        .send()
        .await
        .expect("DeleteBudget");
    let choices = email();
    let asks = plan(&aws, &choices).await;
    assert!(asks.steps.is_empty(), "{asks:#?}");
    assert!(
        asks.skipped.iter().any(|s| s.contains("--budget-amount")),
        "{asks:#?}"
    );
    let choices = Choices {
        budget_amount: Some(300.0),
        ..choices
    };
    let planned = plan(&aws, &choices).await;
    assert_eq!(ops(&planned), ["CreateBudget"], "{planned:#?}");
    assert!(
        planned
            .permissions()
            .contains(&"budgets:TagResource".to_string())
    );
    fix_and_undo(&aws, &planned, &choices).await;
    let gone = client(&aws)
        .describe_budget()
        .account_id(ACCOUNT)
        .budget_name("onwatch-monthly-cost")
        .send()
        .await;
    assert!(gone.is_err(), "undo deleted the budget onwatch created");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_budget_telling_only_a_pending_topic_gets_the_channel_and_keeps_the_topic() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let topic = format!("arn:aws:sns:{REGION}:{ACCOUNT}:alerts");
    let notification = Notification::builder()
        .notification_type(NotificationType::Actual)
        .comparison_operator(ComparisonOperator::GreaterThan)
        .threshold(90.0)
        .threshold_type(ThresholdType::Percentage)
        .build()
        .expect("notification");
    let to_topic = Subscriber::builder()
        .subscription_type(SubscriptionType::Sns)
        .address(&topic)
        .build()
        .expect("subscriber");
    client(&aws)
        .create_notification()
        .account_id(ACCOUNT)
        .budget_name("monthly-cost")
        .notification(notification.clone())
        .subscribers(to_topic.clone())
        .send()
        .await
        .expect("CreateNotification");
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Fail);
    let choices = email();
    let planned = plan(&aws, &choices).await;
    assert_eq!(ops(&planned), ["CreateSubscriber"], "{planned:#?}");
    fix_and_undo(&aws, &planned, &choices).await;
    let subs = client(&aws)
        .describe_subscribers_for_notification()
        .account_id(ACCOUNT)
        .budget_name("monthly-cost")
        .notification(notification)
        .send()
        .await
        .expect("DescribeSubscribersForNotification");
    assert_eq!(subs.subscribers(), [to_topic], "the topic subscriber stays");
}

#[tokio::test(flavor = "multi_thread")]
async fn cost_anomalies_reach_an_email_channel_daily_and_undo_removes_monitor_and_alerts() {
    const ANOMALY: &str = "cost-anomaly-detection";
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    assert_eq!(status(&aws, ANOMALY).await, ItemStatus::Fail);
    let choices = Choices {
        anomaly_threshold: 50.0,
        ..email()
    };
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    let planned = fix::plan(ANOMALY, &report, &snapshot, &choices).expect("a plan");
    assert_eq!(
        ops(&planned),
        ["CreateAnomalyMonitor", "CreateAnomalySubscription"],
        "{planned:#?}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), ACCOUNT);
    let runner = runner(&aws, &log);
    let ran = execute::run(&runner, &planned, None).await.expect("logged");
    assert!(ran.complete(), "{ran:#?}");
    assert_eq!(status(&aws, ANOMALY).await, ItemStatus::Pass);

    let ce = aws_sdk_costexplorer::Client::new(&aws.sdk);
    let subs = ce
        .get_anomaly_subscriptions()
        .send()
        .await
        .expect("GetAnomalySubscriptions");
    let sub = &subs.anomaly_subscriptions()[0];
    assert_eq!(
        sub.frequency().as_str(),
        "DAILY",
        "AWS e-mails daily summaries only"
    );
    assert_eq!(sub.subscribers()[0].address(), Some("finance@example.com"));
    let values = sub
        .threshold_expression()
        .and_then(|e| e.dimensions())
        .map(|d| d.values().to_vec());
    assert_eq!(values, Some(vec!["50".to_string()]));

    let snapshot = aws.collect(&[REGION]).await;
    let again = fix::plan(ANOMALY, &evaluate(&snapshot), &snapshot, &choices).expect("a plan");
    assert!(again.steps.is_empty(), "{again:#?}");
    let undo = undo_plan(&log.read().expect("reads"), &ran.run).expect("an undo plan");
    assert_eq!(
        ops(&undo),
        ["DeleteAnomalySubscription", "DeleteAnomalyMonitor"],
        "{undo:#?}"
    );
    let undone = execute::run(&runner, &undo, Some(&ran.run))
        .await
        .expect("logged");
    assert!(undone.complete(), "{undone:#?}");
    assert_eq!(status(&aws, ANOMALY).await, ItemStatus::Fail);
    let left = ce.get_anomaly_monitors().send().await.expect("monitors");
    assert!(left.anomaly_monitors().is_empty());
}

/// Without --budget-amount, the CLI reads last month's cost (only because a budget is
/// to be created) and suggests it plus 20 %, rounded up to $10; with no cost data it
/// asks for the amount instead of inventing one.
#[test]
fn a_new_budget_amount_is_suggested_from_last_months_cost() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(
        client(&aws)
            .delete_budget()
            .account_id(ACCOUNT)
            .budget_name("monthly-cost")
            .send(),
    )
    .expect("DeleteBudget");
    let data = tempfile::tempdir().expect("tempdir");
    let data_home = data.path().to_string_lossy().to_string();
    let run = || {
        super::cli::onwatch_in(
            &aws,
            &data_home,
            &[
                "fix",
                ITEM,
                "--region",
                REGION,
                "--channel-email",
                "finance@example.com",
                "--format",
                "json",
            ],
        )
    };
    let none = run();
    let said = String::from_utf8_lossy(&none.stderr).to_string();
    assert!(
        said.contains("$0.01") && said.contains("--budget-amount"),
        "{said}"
    );
    let plans: serde_json::Value = serde_json::from_slice(&none.stdout).expect("JSON");
    assert_eq!(
        plans[0]["steps"].as_array().map(Vec::len),
        Some(0),
        "{plans:#}"
    );

    // moto answers GetCostAndUsage from a queue of results set through its API.
    aws.post(
        "/moto-api/static/ce/cost-and-usage-results",
        &serde_json::json!({"results": [{"ResultsByTime": [{
            "TimePeriod": {"Start": "2026-11-01", "End": "2026-12-01"},
            "Total": {"UnblendedCost": {"Amount": "41.20", "Unit": "USD"}},
            "Groups": [], "Estimated": false}]}]}),
    );
    let suggested = run();
    assert_eq!(suggested.status.code(), Some(0));
    let plans: serde_json::Value = serde_json::from_slice(&suggested.stdout).expect("JSON");
    let step = &plans[0]["steps"][0];
    assert_eq!(step["operation"], "CreateBudget", "{plans:#}");
    assert_eq!(step["parameters"]["amount"], "50.00", "41.20 × 1.2 → $50");
    assert!(
        step["says"].as_str().is_some_and(|s| s.contains("$41.20")),
        "the plan says where the amount came from: {step:#}"
    );
}

#[test]
fn suggested_budgets_round_up_with_headroom() {
    assert_eq!(fix::suggested_budget(41.2), 50.0);
    assert_eq!(fix::suggested_budget(50.0), 60.0);
    assert_eq!(fix::suggested_budget(0.0), 10.0);
    assert_eq!(fix::suggested_budget(f64::NAN), 10.0);
    assert_eq!(fix::suggested_budget(1234.0), 1490.0);
}
