//! Issue 11: fixes that route alerts to the user's channel, on the local endpoint:
//! an e-mail channel (onwatch creates onwatch-alerts, the subscription stays pending
//! until confirmed) and an existing topic (its policy is merged, never replaced).

use onwatch::execute;
use onwatch::fix::audit::{AuditLog, undo_plan};
use onwatch::fix::{self, Channel, Choices, FixPlan};
use onwatch::report::ItemStatus;
use serde_json::json;

use super::evaluate;
use super::fix::{REGION, runner, status};
use crate::local_aws::LocalAws;

const ITEM: &str = "guardduty-findings-routed";
const ACCOUNT: &str = "123456789012";

async fn plan_with(aws: &LocalAws, id: &str, channel: Option<Channel>) -> FixPlan {
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    let choices = Choices {
        channel,
        ..Choices::default()
    };
    fix::plan(id, &report, &snapshot, &choices).expect("a plan")
}

fn ops(plan: &FixPlan) -> Vec<&'static str> {
    plan.steps.iter().map(|s| s.op.name()).collect()
}

async fn topics(aws: &LocalAws) -> Vec<String> {
    aws_sdk_sns::Client::new(&aws.sdk)
        .list_topics()
        .send()
        .await
        .expect("ListTopics")
        .topics()
        .iter()
        .filter_map(|t| t.topic_arn().map(str::to_string))
        .collect()
}

async fn rules(aws: &LocalAws) -> Vec<String> {
    aws_sdk_eventbridge::Client::new(&aws.sdk)
        .list_rules()
        .send()
        .await
        .expect("ListRules")
        .rules()
        .iter()
        .filter_map(|r| r.name().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn guardduty_findings_reach_an_email_channel_once_confirmed_and_undo_removes_it_all() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Fail);
    let email = Some(Channel::Email("oncall@example.com".into()));

    // Without a channel there is nothing to route to: no step, and the plan says why.
    let none = plan_with(&aws, ITEM, None).await;
    assert!(none.steps.is_empty(), "{none:#?}");
    assert!(
        none.skipped.iter().any(|s| s.contains("--channel-email")),
        "{none:#?}"
    );

    let plan = plan_with(&aws, ITEM, email.clone()).await;
    assert_eq!(
        ops(&plan),
        ["CreateTopic", "Subscribe", "PutRule", "PutTargets"],
        "{plan:#?}"
    );
    assert!(
        plan.warnings.iter().any(|w| w.contains("confirm")),
        "the pending subscription is said before: {plan:#?}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), ACCOUNT);
    let runner = runner(&aws, &log);
    let ran = execute::run(&runner, &plan, None).await.expect("logged");
    assert!(ran.complete(), "{ran:#?}");
    let topic = format!("arn:aws:sns:{REGION}:{ACCOUNT}:onwatch-alerts");
    assert!(topics(&aws).await.contains(&topic));

    // Pending until the person clicks the link: the item still fails, saying so.
    let report = evaluate(&aws.collect(&[REGION]).await);
    let judged = super::item(&report, ITEM);
    assert_eq!(judged.status, ItemStatus::Fail);
    assert!(
        judged
            .findings
            .iter()
            .any(|f| f.evidence.contains("pending confirmation")),
        "{judged:#?}"
    );
    aws.post("/_onwatch/sns/confirm", &json!({ "topic_arn": topic }));
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Pass);
    let again = plan_with(&aws, ITEM, email).await;
    assert!(again.steps.is_empty(), "nothing left to do: {again:#?}");

    let undo = undo_plan(&log.read().expect("reads"), &ran.run).expect("an undo plan");
    assert_eq!(
        ops(&undo),
        ["RemoveTargets", "DeleteRule", "Unsubscribe", "DeleteTopic"],
        "{undo:#?}"
    );
    let undone = execute::run(&runner, &undo, Some(&ran.run))
        .await
        .expect("logged");
    assert!(undone.complete(), "{undone:#?}");
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Fail);
    assert!(!topics(&aws).await.contains(&topic), "the topic is gone");
    assert!(
        !rules(&aws)
            .await
            .iter()
            .any(|r| r == "onwatch-guardduty-findings"),
        "the rule is gone"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_channel_topic_policy_is_merged_and_undo_keeps_its_other_statements() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let sns = aws_sdk_sns::Client::new(&aws.sdk);
    let topic = sns
        .create_topic()
        .name("ops-chat")
        .send()
        .await
        .expect("CreateTopic")
        .topic_arn()
        .expect("an ARN")
        .to_string();
    sns.subscribe()
        .topic_arn(&topic)
        .protocol("lambda")
        .endpoint(format!(
            "arn:aws:lambda:{REGION}:{ACCOUNT}:function:chat-notify"
        ))
        .send()
        .await
        .expect("Subscribe");
    let theirs = json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "theirs", "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
        "Action": "sns:Publish", "Resource": topic}]});
    sns.set_topic_attributes()
        .topic_arn(&topic)
        .attribute_name("Policy")
        .attribute_value(theirs.to_string())
        .send()
        .await
        .expect("SetTopicAttributes");
    let policy = || async {
        sns.get_topic_attributes()
            .topic_arn(&topic)
            .send()
            .await
            .expect("GetTopicAttributes")
            .attributes()
            .and_then(|a| a.get("Policy"))
            .cloned()
            .unwrap_or_default()
    };

    let channel = Some(Channel::Topics(vec![topic.clone()]));
    let plan = plan_with(&aws, ITEM, channel).await;
    assert_eq!(
        ops(&plan),
        ["SetTopicAttributes", "PutRule", "PutTargets"],
        "{plan:#?}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), ACCOUNT);
    let runner = runner(&aws, &log);
    let ran = execute::run(&runner, &plan, None).await.expect("logged");
    assert!(ran.complete(), "{ran:#?}");
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Pass);
    let merged = policy().await;
    assert!(fix::has_statement(Some(&merged), "theirs"), "{merged}");
    assert!(
        fix::has_statement(Some(&merged), "onwatch-events"),
        "{merged}"
    );

    let undo = undo_plan(&log.read().expect("reads"), &ran.run).expect("an undo plan");
    let undone = execute::run(&runner, &undo, Some(&ran.run))
        .await
        .expect("logged");
    assert!(undone.complete(), "{undone:#?}");
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Fail);
    let after = policy().await;
    assert!(fix::has_statement(Some(&after), "theirs"), "{after}");
    assert!(
        !fix::has_statement(Some(&after), "onwatch-events"),
        "{after}"
    );
    assert!(topics(&aws).await.contains(&topic), "their topic stays");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_channel_topic_that_reaches_nobody_is_refused_at_plan_time() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    // The seed's topic "alerts" has only a pending e-mail subscription.
    let pending = format!("arn:aws:sns:{REGION}:{ACCOUNT}:alerts");
    let elsewhere = format!("arn:aws:sns:eu-west-1:{ACCOUNT}:alerts");
    for (topic, says) in [
        (pending, "pending confirmation"),
        (elsewhere, "no channel topic in us-east-1"),
    ] {
        let plan = plan_with(&aws, ITEM, Some(Channel::Topics(vec![topic]))).await;
        assert!(plan.steps.is_empty(), "{plan:#?}");
        assert!(
            plan.skipped.iter().any(|s| s.contains(says)),
            "{says}: {plan:#?}"
        );
    }
}
