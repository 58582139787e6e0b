//! The access of alert topics: for every SNS topic of the account that an alarm, an
//! EventBridge rule, a budget or an anomaly subscription publishes to, its policy and
//! KMS key (GetTopicAttributes; DescribeKey and GetKeyPolicy for a key other than the
//! AWS managed `alias/aws/sns`). Read after the other reads, since which topics they
//! use is only known then; topics nothing publishes to cost no call.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_kms as kms;
use aws_sdk_sns as sns;

use super::context::{Ctx, client, to_read};
use crate::snapshot::{
    GlobalSnapshot, KmsKey, Read, ReadError, RegionSnapshot, TopicAccess, is_aws_managed_sns_alias,
};

/// Every topic ARN something publishes alerts to (SNS ARNs only, any account).
pub(crate) fn routed_topics(
    regions: &BTreeMap<String, RegionSnapshot>,
    global: &GlobalSnapshot,
) -> BTreeSet<String> {
    let mut arns = BTreeSet::new();
    for data in regions.values() {
        if let Read::Ok(alarms) = &data.alarms {
            arns.extend(alarms.iter().flat_map(|a| a.alarm_actions.iter().cloned()));
        }
        if let Read::Ok(rules) = &data.event_rules {
            arns.extend(
                rules
                    .iter()
                    .flat_map(|r| r.targets.iter().map(|t| t.arn.clone())),
            );
        }
    }
    if let Read::Ok(budgets) = &global.budgets {
        for b in budgets {
            let Read::Ok(notifications) = &b.notifications else {
                continue;
            };
            for n in notifications {
                if let Read::Ok(subs) = &n.subscribers {
                    arns.extend(
                        subs.iter()
                            .filter(|s| s.kind == "SNS")
                            .map(|s| s.address.clone()),
                    );
                }
            }
        }
    }
    if let Read::Ok(subs) = &global.anomaly_subscriptions {
        arns.extend(subs.iter().flat_map(|s| s.subscribers.iter().cloned()));
    }
    arns.retain(|a| a.split(':').nth(2) == Some("sns"));
    arns
}

/// Reads the access of every routed topic of this account that the scan listed, into
/// the topic's place in `regions`.
pub(crate) async fn read_access(
    ctx: &Ctx,
    regions: &mut BTreeMap<String, RegionSnapshot>,
    global: &GlobalSnapshot,
) {
    let mut wanted = Vec::new();
    for arn in routed_topics(regions, global) {
        let mut parts = arn.split(':');
        let (region, account) = (parts.nth(3), parts.next());
        let (Some(region), Some(account)) = (region, account) else {
            continue;
        };
        if account != ctx.account_id {
            continue;
        }
        let listed = regions
            .get(region)
            .and_then(|d| d.sns_topics.ok())
            .is_some_and(|topics| topics.iter().any(|t| t.arn == arn));
        if listed {
            wanted.push((region.to_string(), arn));
        }
    }
    let read = ctx
        .each(wanted, |(region, arn)| async move {
            let access = to_read(access(ctx, &region, &arn).await);
            (region, arn, access)
        })
        .await;
    for (region, arn, access) in read {
        if let Some(Read::Ok(topics)) = regions.get_mut(&region).map(|d| &mut d.sns_topics)
            && let Some(topic) = topics.iter_mut().find(|t| t.arn == arn)
        {
            topic.access = Some(access);
        }
    }
}

async fn access(ctx: &Ctx, region: &str, arn: &str) -> Result<TopicAccess, ReadError> {
    let client = client!(ctx, sns, region);
    let out = ctx
        .call(client.get_topic_attributes().topic_arn(arn).send())
        .await
        .map_err(ctx.failed("SNS", "GetTopicAttributes", region))?; // i18n: technical
    let attributes = out.attributes();
    let get = |name: &str| {
        attributes
            .and_then(|a| a.get(name))
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let kms_key = get("KmsMasterKeyId"); // i18n: technical
    let key = match kms_key.as_deref() {
        Some(id) if !is_aws_managed_sns_alias(id) => Some(to_read(key(ctx, region, id).await)),
        _ => None,
    };
    Ok(TopicAccess {
        policy: get("Policy"), // i18n: technical
        kms_key,
        key,
    })
}

/// The key a topic names: in the ARN's region when the id is an ARN, else the topic's.
async fn key(ctx: &Ctx, topic_region: &str, id: &str) -> Result<KmsKey, ReadError> {
    let region = match id.strip_prefix("arn:") {
        Some(_) => id.split(':').nth(3).unwrap_or(topic_region),
        None => topic_region,
    };
    let client = client!(ctx, kms, region);
    let described = ctx
        .call(client.describe_key().key_id(id).send())
        .await
        .map_err(ctx.failed("KMS", "DescribeKey", region))?; // i18n: technical
    let meta = described.key_metadata();
    let arn = meta.and_then(|m| m.arn()).unwrap_or(id).to_string();
    let manager = meta
        .and_then(|m| m.key_manager())
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    // An AWS managed key's policy cannot be changed: no need to read it.
    let policy = if manager == "CUSTOMER" {
        let got = ctx
            .call(
                client
                    .get_key_policy()
                    .key_id(&arn)
                    .policy_name("default")
                    .send(),
            )
            .await
            .map_err(ctx.failed("KMS", "GetKeyPolicy", region)) // i18n: technical
            .map(|p| p.policy().unwrap_or_default().to_string());
        Some(to_read(got))
    } else {
        None
    };
    Ok(KmsKey {
        arn,
        manager,
        policy,
    })
}
