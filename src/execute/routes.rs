//! Re-reads and writes of the alert channel and the routes to it: SNS topics,
//! subscriptions and policy statements, EventBridge rules and targets.

use aws_sdk_eventbridge as events;
use aws_sdk_sns as sns;
use aws_types::SdkConfig;
use aws_types::request_id::RequestId;

use super::StepError;
use super::ops::{MANAGED_KEY, MANAGED_VALUE, Written, client, code, failed, gone, not_handled};
use crate::fix::{Op, State, Undo, has_statement, merge_statement, remove_statement};
use crate::t;

/// The SNS topic attribute that holds its policy.
const POLICY: &str = "Policy"; // i18n: technical (sent to AWS)

// Error codes AWS answers with, matched as they are.
const NOT_FOUND: &str = "NotFound"; // i18n: technical (an error code)
const RESOURCE_NOT_FOUND: &str = "ResourceNotFound"; // i18n: technical (an error code)
const RESOURCE_NOT_FOUND_EXCEPTION: &str = "ResourceNotFoundException"; // i18n: technical (an error code)

fn sns_client(sdk: &SdkConfig, region: &str) -> sns::Client {
    client!(sdk, sns, region)
}

fn events_client(sdk: &SdkConfig, region: &str) -> events::Client {
    client!(sdk, events, region)
}

fn topic_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// The topic's policy now; Err(gone) when the topic does not exist.
async fn policy(c: &sns::Client, topic_arn: &str) -> Result<Option<String>, StepError> {
    match c.get_topic_attributes().topic_arn(topic_arn).send().await {
        Ok(out) => Ok(out.attributes().and_then(|a| a.get(POLICY)).cloned()),
        Err(e) if code(&e) == Some(NOT_FOUND) => Err(gone(
            t!("execute_routes.gone_topic", arn = topic_arn).into_owned(),
        )),
        Err(e) => Err(failed("sns:GetTopicAttributes")(e)),
    }
}

pub(super) async fn read_state(sdk: &SdkConfig, region: &str, op: &Op) -> Result<State, StepError> {
    match op {
        // A drill's test message needs the topic there, as creating it needs it absent.
        Op::CreateTopic { topic_arn, .. } | Op::PublishTest { topic_arn, .. } => {
            let c = sns_client(sdk, region);
            match c.get_topic_attributes().topic_arn(topic_arn).send().await {
                Ok(_) => Ok(State::TopicExists(true)),
                Err(e) if code(&e) == Some(NOT_FOUND) => Ok(State::TopicExists(false)),
                Err(e) => Err(failed("sns:GetTopicAttributes")(e)),
            }
        }
        Op::DeleteTopic { topic_arn } => {
            let c = sns_client(sdk, region);
            match c
                .list_tags_for_resource()
                .resource_arn(topic_arn)
                .send()
                .await
            {
                Ok(out) => {
                    Ok(State::Managed(out.tags().iter().any(|t| {
                        t.key() == MANAGED_KEY && t.value() == MANAGED_VALUE
                    })))
                }
                Err(e) if matches!(code(&e), Some(NOT_FOUND | RESOURCE_NOT_FOUND)) => Err(gone(
                    t!("execute_routes.gone_topic", arn = topic_arn).into_owned(),
                )),
                Err(e) => Err(failed("sns:ListTagsForResource")(e)),
            }
        }
        Op::Subscribe {
            topic_arn,
            protocol,
            endpoint,
        } => {
            let c = sns_client(sdk, region);
            let mut pages = c
                .list_subscriptions_by_topic()
                .topic_arn(topic_arn)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(failed("sns:ListSubscriptionsByTopic"))?;
                if page.subscriptions().iter().any(|s| {
                    s.protocol() == Some(protocol.as_str())
                        && s.endpoint() == Some(endpoint.as_str())
                }) {
                    return Ok(State::Subscribed(true));
                }
            }
            Ok(State::Subscribed(false))
        }
        Op::Unsubscribe { subscription_arn } => {
            let c = sns_client(sdk, region);
            match c
                .get_subscription_attributes()
                .subscription_arn(subscription_arn)
                .send()
                .await
            {
                Ok(_) => Ok(State::Subscribed(true)),
                Err(e) if code(&e) == Some(NOT_FOUND) => Ok(State::Subscribed(false)),
                Err(e) => Err(failed("sns:GetSubscriptionAttributes")(e)),
            }
        }
        Op::AllowPublish { topic_arn, sid, .. } | Op::DisallowPublish { topic_arn, sid } => {
            let now = policy(&sns_client(sdk, region), topic_arn).await?;
            Ok(State::Statement(has_statement(now.as_deref(), sid)))
        }
        Op::PutRule { rule, .. } => {
            let c = events_client(sdk, region);
            match c.describe_rule().name(rule).send().await {
                Ok(_) => Ok(State::RuleExists(true)),
                Err(e) if code(&e) == Some(RESOURCE_NOT_FOUND_EXCEPTION) => {
                    Ok(State::RuleExists(false))
                }
                Err(e) => Err(failed("events:DescribeRule")(e)),
            }
        }
        Op::DeleteRule { rule, rule_arn } => {
            let c = events_client(sdk, region);
            match c
                .list_tags_for_resource()
                .resource_arn(rule_arn)
                .send()
                .await
            {
                Ok(out) => {
                    Ok(State::Managed(out.tags().iter().any(|t| {
                        t.key() == MANAGED_KEY && t.value() == MANAGED_VALUE
                    })))
                }
                Err(e) if code(&e) == Some(RESOURCE_NOT_FOUND_EXCEPTION) => Err(gone(
                    t!("execute_routes.gone_rule", name = rule).into_owned(),
                )),
                Err(e) => Err(failed("events:ListTagsForResource")(e)),
            }
        }
        Op::PutTarget { rule, id, .. } | Op::RemoveTarget { rule, id } => {
            let c = events_client(sdk, region);
            let out = c
                .list_targets_by_rule()
                .rule(rule)
                .send()
                .await
                .map_err(failed("events:ListTargetsByRule"))?;
            Ok(State::Target(out.targets().iter().any(|t| t.id() == id)))
        }
        other => Err(not_handled(other, &t!("execute_routes.what"))),
    }
}

pub(super) async fn write(sdk: &SdkConfig, region: &str, op: &Op) -> Result<Written, StepError> {
    let action = op.iam_action();
    let plain = |request_id: Option<&str>| Written {
        request_id: request_id.map(str::to_string),
        undo: None,
    };
    match op {
        Op::CreateTopic { topic_arn, policy } => {
            let tag = sns::types::Tag::builder()
                .key(MANAGED_KEY)
                .value(MANAGED_VALUE)
                .build()
                .map_err(|e| StepError {
                    message: t!("execute_routes.tag_failed", error = e).into_owned(),
                    missing_permission: None,
                })?;
            let out = sns_client(sdk, region)
                .create_topic()
                .name(topic_name(topic_arn))
                .attributes(POLICY, policy)
                .tags(tag)
                .send()
                .await
                .map_err(failed(&action))?;
            if out.topic_arn() != Some(topic_arn.as_str()) {
                return Err(StepError {
                    message: t!(
                        "execute_routes.topic_arn_differs",
                        got = format!("{:?}", out.topic_arn()),
                        planned = topic_arn
                    )
                    .into_owned(),
                    missing_permission: None,
                });
            }
            Ok(plain(out.request_id()))
        }
        Op::DeleteTopic { topic_arn } => {
            let out = sns_client(sdk, region)
                .delete_topic()
                .topic_arn(topic_arn)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(plain(out.request_id()))
        }
        Op::Subscribe {
            topic_arn,
            protocol,
            endpoint,
        } => {
            let out = sns_client(sdk, region)
                .subscribe()
                .topic_arn(topic_arn)
                .protocol(protocol)
                .endpoint(endpoint)
                .return_subscription_arn(true)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(Written {
                request_id: out.request_id().map(str::to_string),
                undo: out
                    .subscription_arn()
                    .filter(|a| a.starts_with("arn:"))
                    .map(|a| Undo::Call {
                        op: Op::Unsubscribe {
                            subscription_arn: a.to_string(),
                        },
                        expect: State::Subscribed(true),
                    }),
            })
        }
        Op::Unsubscribe { subscription_arn } => {
            let out = sns_client(sdk, region)
                .unsubscribe()
                .subscription_arn(subscription_arn)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(plain(out.request_id()))
        }
        Op::AllowPublish {
            topic_arn,
            statement,
            ..
        } => {
            let c = sns_client(sdk, region);
            let now = policy(&c, topic_arn).await?;
            let merged = merge_statement(now.as_deref(), statement).map_err(|e| StepError {
                message: t!("execute_routes.policy_failed", arn = topic_arn, error = e)
                    .into_owned(),
                missing_permission: None,
            })?;
            set_policy(&c, topic_arn, &merged, &action).await
        }
        Op::DisallowPublish { topic_arn, sid } => {
            let c = sns_client(sdk, region);
            let now = policy(&c, topic_arn).await?.unwrap_or_default();
            let kept = remove_statement(&now, sid).map_err(|e| StepError {
                message: t!("execute_routes.policy_failed", arn = topic_arn, error = e)
                    .into_owned(),
                missing_permission: None,
            })?;
            set_policy(&c, topic_arn, &kept, &action).await
        }
        Op::PutRule {
            rule,
            pattern,
            description,
        } => {
            let tag = events::types::Tag::builder()
                .key(MANAGED_KEY)
                .value(MANAGED_VALUE)
                .build()
                .map_err(|e| StepError {
                    message: t!("execute_routes.tag_failed", error = e).into_owned(),
                    missing_permission: None,
                })?;
            let out = events_client(sdk, region)
                .put_rule()
                .name(rule)
                .event_pattern(pattern)
                .description(description)
                .state(events::types::RuleState::Enabled)
                .tags(tag)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(plain(out.request_id()))
        }
        Op::DeleteRule { rule, .. } => {
            let out = events_client(sdk, region)
                .delete_rule()
                .name(rule)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(plain(out.request_id()))
        }
        Op::PutTarget { rule, id, arn } => {
            let target = events::types::Target::builder()
                .id(id)
                .arn(arn)
                .build()
                .map_err(|e| StepError {
                    message: t!("execute_routes.target_failed", error = e).into_owned(),
                    missing_permission: None,
                })?;
            let out = events_client(sdk, region)
                .put_targets()
                .rule(rule)
                .targets(target)
                .send()
                .await
                .map_err(failed(&action))?;
            entries_failed(out.failed_entry_count(), out.failed_entries(), &action)?;
            Ok(plain(out.request_id()))
        }
        Op::RemoveTarget { rule, id } => {
            let out = events_client(sdk, region)
                .remove_targets()
                .rule(rule)
                .ids(id)
                .send()
                .await
                .map_err(failed(&action))?;
            entries_failed(out.failed_entry_count(), out.failed_entries(), &action)?;
            Ok(plain(out.request_id()))
        }
        other => Err(not_handled(other, &t!("execute_routes.what"))),
    }
}

async fn set_policy(
    c: &sns::Client,
    topic_arn: &str,
    policy: &str,
    action: &str,
) -> Result<Written, StepError> {
    let out = c
        .set_topic_attributes()
        .topic_arn(topic_arn)
        .attribute_name(POLICY)
        .attribute_value(policy)
        .send()
        .await
        .map_err(failed(action))?;
    Ok(Written {
        request_id: out.request_id().map(str::to_string),
        undo: None,
    })
}

/// PutTargets and RemoveTargets answer 200 with failed entries: a failure all the same.
fn entries_failed<T: std::fmt::Debug>(
    count: i32,
    entries: &[T],
    action: &str,
) -> Result<(), StepError> {
    if count == 0 {
        return Ok(());
    }
    Err(StepError {
        message: t!(
            "execute_routes.entries_failed",
            action = action,
            count = count,
            entries = format!("{entries:?}")
        )
        .into_owned(),
        missing_permission: None,
    })
}
