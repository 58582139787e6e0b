//! Can a publisher deliver to a topic at all? Its topic policy must allow the
//! publisher's sns:Publish, and when the topic is encrypted its KMS key must let the
//! publisher's service principal use it (see [`super::publishers`] for who needs what).

use super::policy::{Decision, Request, evaluate};
use super::publishers::{Sender, is_aws_managed_sns_alias};
use super::routing::Reach;
use crate::snapshot::{KmsKey, Read, ReadError, SnsTopic};
use crate::t;

/// Condition keys a service's request does not carry unless listed in its context:
/// a condition on one of these is decided; on any other key it is unknown.
const SOURCE_KEYS: [&str; 6] = [
    "aws:sourceowner",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalorgid",
];

fn unknown(action: &str, code: &str, message: String) -> Reach {
    Reach::Unknown(ReadError::Other {
        action: action.into(),
        code: code.into(),
        message,
    })
}

/// None when `sender` can deliver to `topic`; else why not (nobody) or why onwatch
/// cannot tell (unknown).
pub fn blocked(topic: &SnsTopic, name: &str, account: &str, sender: &Sender) -> Option<Reach> {
    let spec = sender.publisher.spec();
    let access = match &topic.access {
        None => {
            return Some(unknown(
                "sns:GetTopicAttributes",
                "NotRead", // i18n: technical
                t!("rules_topic_access.not_read", name = name).into_owned(),
            ));
        }
        Some(Read::Failed(e)) => return Some(Reach::Unknown(e.clone())),
        Some(Read::Ok(a)) => a,
    };
    let mut context: Vec<(&str, String)> = vec![
        ("aws:sourceaccount", account.to_string()),
        ("aws:sourcearn", sender.source_arn.to_string()),
        ("aws:securetransport", "true".to_string()),
        ("aws:principalservicename", spec.principal.to_string()),
    ];
    if spec.source_owner {
        context.push(("aws:sourceowner", account.to_string()));
    }
    let policy = access.policy.as_deref().unwrap_or("{}");
    let req = Request {
        principal: spec.principal,
        action: "sns:Publish",
        resource: &topic.arn,
        context: &context,
        absent: &SOURCE_KEYS,
    };
    match evaluate(policy, &req) {
        Decision::Allowed(_) => {}
        Decision::Denied(st) => {
            return Some(Reach::Nobody(
                t!(
                    "rules_topic_access.denies",
                    name = name,
                    principal = spec.principal,
                    statement = st,
                    publisher = sender.publisher.label()
                )
                .into_owned(),
            ));
        }
        Decision::NotAllowed => {
            return Some(Reach::Nobody(
                t!(
                    "rules_topic_access.not_allowed",
                    name = name,
                    principal = spec.principal,
                    publisher = sender.publisher.label()
                )
                .into_owned(),
            ));
        }
        Decision::Unknown(why) => {
            return Some(unknown(
                "sns:GetTopicAttributes",
                "PolicyNotEvaluated", // i18n: technical
                t!(
                    "rules_topic_access.not_evaluated",
                    name = name,
                    principal = spec.principal,
                    why = why
                )
                .into_owned(),
            ));
        }
    }
    let kms_key = access.kms_key.as_deref()?;
    if is_aws_managed_sns_alias(kms_key) {
        return Some(Reach::Nobody(
            t!(
                "rules_topic_access.aws_managed_alias",
                name = name,
                publisher = sender.publisher.label()
            )
            .into_owned(),
        ));
    }
    let key = match &access.key {
        None => {
            return Some(unknown(
                "kms:DescribeKey",
                "NotRead", // i18n: technical
                t!(
                    "rules_topic_access.key_not_read",
                    name = name,
                    key = kms_key
                )
                .into_owned(),
            ));
        }
        Some(Read::Failed(e)) => return Some(Reach::Unknown(e.clone())),
        Some(Read::Ok(k)) => k,
    };
    key_blocked(key, name, account, sender)
}

fn key_blocked(key: &KmsKey, name: &str, account: &str, sender: &Sender) -> Option<Reach> {
    let spec = sender.publisher.spec();
    if key.manager != "CUSTOMER" {
        return Some(Reach::Nobody(
            t!(
                "rules_topic_access.aws_managed_key",
                name = name,
                key = key.arn,
                publisher = sender.publisher.label()
            )
            .into_owned(),
        ));
    }
    let policy = match &key.policy {
        None => {
            return Some(unknown(
                "kms:GetKeyPolicy",
                "NotRead", // i18n: technical
                t!("rules_topic_access.key_policy_not_read", key = key.arn).into_owned(),
            ));
        }
        Some(Read::Failed(e)) => return Some(Reach::Unknown(e.clone())),
        Some(Read::Ok(p)) => p,
    };
    let mut context: Vec<(&str, String)> =
        vec![("aws:principalservicename", spec.principal.to_string())];
    let absent: &[&str] = match spec.key_source_keys {
        Some(true) => {
            context.push(("aws:sourceaccount", account.to_string()));
            context.push(("aws:sourcearn", sender.source_arn.to_string()));
            &SOURCE_KEYS
        }
        Some(false) => &SOURCE_KEYS,
        // Not documented: a condition on a source key is unknown.
        None => &SOURCE_KEYS[3..],
    };
    for action in ["kms:GenerateDataKey", "kms:Decrypt"] {
        let req = Request {
            principal: spec.principal,
            action,
            resource: &key.arn,
            context: &context,
            absent,
        };
        let why = match evaluate(policy, &req) {
            Decision::Allowed(_) => continue,
            Decision::Denied(st) => t!(
                "rules_topic_access.key_denies",
                name = name,
                key = key.arn,
                action = action,
                statement = st,
                principal = spec.principal,
                publisher = sender.publisher.label()
            ),
            Decision::NotAllowed => t!(
                "rules_topic_access.key_not_allowed",
                name = name,
                key = key.arn,
                action = action,
                principal = spec.principal,
                publisher = sender.publisher.label()
            ),
            Decision::Unknown(why) => {
                return Some(unknown(
                    "kms:GetKeyPolicy",
                    "PolicyNotEvaluated", // i18n: technical
                    t!(
                        "rules_topic_access.key_not_evaluated",
                        key = key.arn,
                        principal = spec.principal,
                        why = why
                    )
                    .into_owned(),
                ));
            }
        };
        return Some(Reach::Nobody(why.into_owned()));
    }
    None
}
