//! The alert channel: where the alerts a fix routes go. The user names it once: topics
//! that already reach a person (one per region: alarms and EventBridge targets must be
//! in the resource's region), or an e-mail address, for which onwatch creates the topic
//! `onwatch-alerts` in each region that needs one, with a policy that lets CloudWatch,
//! EventBridge, Budgets and Cost Anomaly Detection publish, and no AWS managed key.
//!
//! A topic policy is merged, never replaced: onwatch adds one statement per publisher,
//! with its own Sid, and undo removes only that statement.

use std::cell::RefCell;
use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::planners::{Ctx, Planned};
use super::{Op, State, Step, Undo};
use crate::rules::publishers::{Publisher, Sender};
use crate::rules::routing::{Reach, Routing, arn_account, arn_region};
use crate::rules::topic_access;
use crate::snapshot::{Read, SnsTopic, TopicAccess};
use crate::t;

/// Where alerts go.
#[derive(Debug, Clone, PartialEq)]
pub enum Channel {
    /// Existing topics (ARNs), at most one per region, each with a confirmed subscriber
    /// who is a person.
    Topics(Vec<String>),
    /// An address: onwatch creates [`CHANNEL_TOPIC`] where needed and subscribes it.
    Email(String),
}

/// The topic onwatch creates for an e-mail channel.
pub const CHANNEL_TOPIC: &str = "onwatch-alerts";

/// What a batch of plans (one `fix` run over several items) has already planned, so a
/// topic is created, subscribed and opened to a publisher once.
#[derive(Default)]
pub(super) struct Setup(RefCell<BTreeSet<String>>);

impl Setup {
    /// True the first time `key` is seen.
    fn first(&self, key: String) -> bool {
        self.0.borrow_mut().insert(key)
    }
}

fn sid(publisher: Publisher) -> String {
    let principal = publisher.spec().principal;
    format!(
        "onwatch-{}",
        principal.split('.').next().unwrap_or(principal)
    )
}

/// The statement that lets `publisher` publish to `topic_arn`, scoped to this account
/// (aws:SourceArn for alarms and rules, aws:SourceAccount for Budgets and Cost Anomaly
/// Detection, as their SNS pages document).
fn publish_statement(
    topic_arn: &str,
    partition: &str,
    region: &str,
    account: &str,
    publisher: Publisher,
) -> Value {
    let condition = match publisher {
        Publisher::Alarms => json!({"ArnLike": { // i18n: technical
            "aws:SourceArn": format!("arn:{partition}:cloudwatch:{region}:{account}:alarm:*")}}),
        Publisher::EventBridge => json!({"ArnLike": { // i18n: technical
            "aws:SourceArn": format!("arn:{partition}:events:{region}:{account}:rule/*")}}),
        Publisher::Budgets | Publisher::CostAnomaly => {
            json!({"StringEquals": {"aws:SourceAccount": account}}) // i18n: technical
        }
    };
    json!({
        "Sid": sid(publisher), // i18n: technical
        "Effect": "Allow", // i18n: technical
        "Principal": {"Service": publisher.spec().principal}, // i18n: technical
        "Action": "sns:Publish", // i18n: technical
        "Resource": topic_arn, // i18n: technical
        "Condition": condition, // i18n: technical
    })
}

/// A policy document's keys.
const STATEMENT: &str = "Statement"; // i18n: technical
const SID: &str = "Sid"; // i18n: technical

/// `policy` with `statement` added (its Sid replacing none: a statement with the same
/// Sid is left as it is). Every other statement stays.
pub fn merge_statement(policy: Option<&str>, statement: &str) -> Result<String, String> {
    let statement: Value = serde_json::from_str(statement)
        .map_err(|e| t!("fix_channel.statement_not_json", e = e).into_owned())?;
    let sid = statement.get("Sid").cloned(); // i18n: technical
    let mut doc: Value = match policy {
        Some(p) if !p.trim().is_empty() => serde_json::from_str(p)
            .map_err(|e| t!("fix_channel.policy_not_json", e = e).into_owned())?,
        _ => json!({"Version": "2012-10-17"}), // i18n: technical
    };
    let obj = doc
        .as_object_mut()
        .ok_or_else(|| t!("fix_channel.policy_not_object").into_owned())?;
    let mut list = match obj.remove(STATEMENT) {
        None => Vec::new(),
        Some(Value::Array(a)) => a,
        Some(one) => vec![one],
    };
    if sid.is_none() || !list.iter().any(|s| s.get(SID) == sid.as_ref()) {
        list.push(statement);
    }
    obj.insert("Statement".into(), Value::Array(list)); // i18n: technical
    Ok(doc.to_string())
}

/// `policy` without the statement whose Sid is `sid`; every other statement stays.
pub fn remove_statement(policy: &str, sid: &str) -> Result<String, String> {
    let mut doc: Value = serde_json::from_str(policy)
        .map_err(|e| t!("fix_channel.policy_not_json", e = e).into_owned())?;
    let obj = doc
        .as_object_mut()
        .ok_or_else(|| t!("fix_channel.policy_not_object").into_owned())?;
    let list = match obj.remove(STATEMENT) {
        None => Vec::new(),
        Some(Value::Array(a)) => a,
        Some(one) => vec![one],
    };
    let kept: Vec<Value> = list
        .into_iter()
        .filter(|s| s.get("Sid").and_then(Value::as_str) != Some(sid)) // i18n: technical
        .collect();
    obj.insert("Statement".into(), Value::Array(kept)); // i18n: technical
    Ok(doc.to_string())
}

/// Whether a policy has a statement with this Sid.
pub fn has_statement(policy: Option<&str>, sid: &str) -> bool {
    let Some(doc) = policy.and_then(|p| serde_json::from_str::<Value>(p).ok()) else {
        return false;
    };
    let has = |s: &Value| s.get("Sid").and_then(Value::as_str) == Some(sid); // i18n: technical
    match doc.get(STATEMENT) {
        Some(Value::Array(a)) => a.iter().any(has),
        Some(one) => has(one),
        None => false,
    }
}

fn reach_text(reach: &Reach) -> String {
    match reach {
        Reach::Person(d) => d.to_string(),
        Reach::Nobody(why) => why.clone(),
        Reach::Unknown(e) => t!("fix_channel.could_not_be_read", why = e.reason()).into_owned(),
    }
}

/// The topic in `region` that alerts from `source_arn` (sent by `publisher`) go to,
/// planning into `p` whatever the channel still needs there (the topic, the
/// subscription, a policy statement). Err says why the channel cannot be used.
pub(super) fn channel_for(
    ctx: &Ctx,
    region: &str,
    publisher: Publisher,
    source_arn: &str,
    p: &mut Planned,
) -> Result<String, String> {
    let account = &ctx.snapshot.account;
    let Some(channel) = &ctx.choices.channel else {
        return Err(t!("fix_channel.needs_channel").into_owned());
    };
    let data = ctx
        .snapshot
        .regions
        .get(region)
        .ok_or_else(|| t!("fix_channel.region_not_scanned", region = region).into_owned())?;
    let topics = match &data.sns_topics {
        Read::Ok(t) => t,
        Read::Failed(e) => {
            return Err(t!(
                "fix_channel.topics_unreadable",
                region = region,
                why = e.reason()
            )
            .into_owned());
        }
    };
    match channel {
        Channel::Topics(arns) => {
            let Some(arn) = arns.iter().find(|a| arn_region(a) == Some(region)) else {
                return Err(t!("fix_channel.no_topic_in_region", region = region).into_owned());
            };
            if arn_account(arn) != Some(account.id.as_str()) {
                return Err(t!("fix_channel.topic_other_account", arn = arn).into_owned());
            }
            let routing = Routing::of(ctx.snapshot, &[]);
            let reach = routing.topic(arn);
            if !matches!(reach, Reach::Person(_)) {
                return Err(
                    t!("fix_channel.topic_reaches_nobody", why = reach_text(&reach)).into_owned(),
                );
            }
            let topic = topics
                .iter()
                .find(|t| &t.arn == arn)
                .ok_or_else(|| t!("fix_channel.topic_missing", arn = arn).into_owned())?;
            allow(ctx, region, topic, publisher, source_arn, p)?;
            Ok(arn.clone())
        }
        Channel::Email(address) => {
            let arn = format!(
                "arn:{}:sns:{region}:{}:{CHANNEL_TOPIC}",
                account.partition, account.id
            );
            match topics.iter().find(|t| t.arn == arn) {
                None => {
                    if ctx.setup.first(format!("create {arn}")) {
                        create(ctx, region, &arn, p);
                        subscribe(region, &arn, address, p);
                    }
                }
                Some(topic) => {
                    let subscribed = match &data.sns_subscriptions {
                        Read::Ok(s) => s.iter().any(|s| {
                            s.topic_arn == arn
                                && s.protocol == "email"
                                && s.endpoint.as_deref() == Some(address.as_str())
                        }),
                        Read::Failed(e) => {
                            return Err(t!(
                                "fix_channel.subscriptions_unreadable",
                                region = region,
                                why = e.reason()
                            )
                            .into_owned());
                        }
                    };
                    if !subscribed && ctx.setup.first(format!("subscribe {arn}")) {
                        subscribe(region, &arn, address, p);
                    }
                    allow(ctx, region, topic, publisher, source_arn, p)?;
                }
            }
            let pending = t!("fix_channel.confirm_pending", address = address).into_owned();
            if !p.warnings.contains(&pending) {
                p.warnings.push(pending);
            }
            Ok(arn)
        }
    }
}

/// The response pattern an alarm routed to `topic_arn` can keep: act-now when the topic
/// reaches someone at once (chat, SMS, a paging tool), next-business-day when it reaches
/// only e-mail (including an e-mail channel's new topic).
pub(super) fn pattern_for(ctx: &Ctx, topic_arn: &str) -> &'static str {
    if matches!(ctx.choices.channel, Some(Channel::Email(_))) {
        return "next-business-day";
    }
    match Routing::of(ctx.snapshot, &[]).topic(topic_arn) {
        Reach::Person(d) if d.urgent => "act-now",
        _ => "next-business-day",
    }
}

/// The e-mail channel's topic: the owner's default statement and one statement per
/// publisher, so every fix can route to it; tagged managed-by = onwatch.
fn create(ctx: &Ctx, region: &str, arn: &str, p: &mut Planned) {
    let account = &ctx.snapshot.account;
    let mut statements = vec![json!({
        "Sid": "__default_statement_ID", // i18n: technical
        "Effect": "Allow", // i18n: technical
        "Principal": {"AWS": "*"}, // i18n: technical
        "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", // i18n: technical
                   "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
                   "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
        "Resource": arn, // i18n: technical
        "Condition": {"StringEquals": {"AWS:SourceOwner": account.id}}, // i18n: technical
    })];
    for publisher in [
        Publisher::Alarms,
        Publisher::EventBridge,
        Publisher::Budgets,
        Publisher::CostAnomaly,
    ] {
        statements.push(publish_statement(
            arn,
            &account.partition,
            region,
            &account.id,
            publisher,
        ));
    }
    let policy = json!({"Version": "2012-10-17", "Statement": statements}).to_string(); // i18n: technical
    p.steps.push(Step::new(
        region,
        Op::CreateTopic {
            topic_arn: arn.to_string(),
            policy,
        },
        t!(
            "fix_channel.create_topic",
            topic = CHANNEL_TOPIC,
            region = region
        )
        .into_owned(),
        State::TopicExists(false),
        Undo::Call {
            op: Op::DeleteTopic {
                topic_arn: arn.to_string(),
            },
            expect: State::Managed(true),
        },
    ));
}

fn subscribe(region: &str, arn: &str, address: &str, p: &mut Planned) {
    p.steps.push(Step::new(
        region,
        Op::Subscribe {
            topic_arn: arn.to_string(),
            protocol: "email".into(),
            endpoint: address.to_string(),
        },
        t!(
            "fix_channel.subscribe",
            address = address,
            topic = CHANNEL_TOPIC,
            region = region
        )
        .into_owned(),
        State::Subscribed(false),
        Undo::AfterRun {
            says: t!("fix_channel.undo_unsubscribe").into_owned(),
        },
    ));
}

/// Plans the statement that lets `publisher` in, unless the topic's policy (as read)
/// already does. Err when even the statement would not let it in (an explicit deny, a
/// key it cannot use): onwatch never re-keys a topic without asking.
fn allow(
    ctx: &Ctx,
    region: &str,
    topic: &SnsTopic,
    publisher: Publisher,
    source_arn: &str,
    p: &mut Planned,
) -> Result<(), String> {
    let account = &ctx.snapshot.account;
    let name = topic.arn.rsplit(':').next().unwrap_or(&topic.arn);
    let statement = publish_statement(
        &topic.arn,
        &account.partition,
        region,
        &account.id,
        publisher,
    );
    let sender = Sender {
        publisher,
        source_arn,
    };
    if let Some(Read::Ok(access)) = &topic.access {
        if topic_access::blocked(topic, name, &account.id, &sender).is_none() {
            return Ok(());
        }
        let merged = merge_statement(access.policy.as_deref(), &statement.to_string())?;
        let with = SnsTopic {
            arn: topic.arn.clone(),
            access: Some(Read::Ok(TopicAccess {
                policy: Some(merged),
                ..access.clone()
            })),
        };
        if let Some(still) = topic_access::blocked(&with, name, &account.id, &sender) {
            return Err(t!(
                "fix_channel.still_blocked",
                principal = publisher.spec().principal,
                why = reach_text(&still)
            )
            .into_owned());
        }
    }
    // Not read (no route used the topic): the executor merges into the policy as it is
    // right before the write.
    let sid = sid(publisher);
    if !ctx.setup.first(format!("allow {} {sid}", topic.arn)) {
        return Ok(());
    }
    p.steps.push(Step::new(
        region,
        Op::AllowPublish {
            topic_arn: topic.arn.clone(),
            sid: sid.clone(),
            statement: statement.to_string(),
        },
        t!(
            "fix_channel.allow_publish",
            publisher = publisher.spec().label,
            topic = name,
            sid = sid
        )
        .into_owned(),
        State::Statement(false),
        Undo::Call {
            op: Op::DisallowPublish {
                topic_arn: topic.arn.clone(),
                sid,
            },
            expect: State::Statement(true),
        },
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_keeps_every_statement_and_removing_takes_only_ours() {
        let policy = r#"{"Version":"2008-10-17","Id":"x","Statement":{"Sid":"theirs","Effect":"Allow","Principal":{"AWS":"*"},"Action":"SNS:Publish","Resource":"*"}}"#;
        let ours = publish_statement(
            "arn:aws:sns:eu-west-1:123456789012:ops",
            "aws",
            "eu-west-1",
            "123456789012",
            Publisher::EventBridge,
        );
        let merged = merge_statement(Some(policy), &ours.to_string()).expect("merges");
        assert!(has_statement(Some(&merged), "theirs"));
        assert!(has_statement(Some(&merged), "onwatch-events"));
        assert!(merged.contains(r#""Id":"x""#));
        // Merging again adds nothing.
        let twice = merge_statement(Some(&merged), &ours.to_string()).expect("merges");
        assert_eq!(twice, merged);
        let removed = remove_statement(&merged, "onwatch-events").expect("removes");
        assert!(has_statement(Some(&removed), "theirs"));
        assert!(!has_statement(Some(&removed), "onwatch-events"));
        assert!(merge_statement(Some("not json"), &ours.to_string()).is_err());
    }
}
