//! SNS: topics and subscriptions. A subscription whose ARN is still
//! "PendingConfirmation" has never been confirmed and delivers nothing.

use aws_sdk_sns as sns;

use super::context::{Ctx, Pages, client};
use super::error::iam_action;
use crate::snapshot::{ReadError, SnsSubscription, SnsTopic};

const SERVICE: &str = "SNS";
/// The ARN SNS lists for a subscription not confirmed yet.
const PENDING: &str = "PendingConfirmation"; // i18n: technical

pub(crate) async fn topics(ctx: &Ctx, region: &str) -> Result<Vec<SnsTopic>, ReadError> {
    let client = client!(ctx, sns, region);
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "ListTopics")); // i18n: technical
    let mut pages = client.list_topics().into_paginator().send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "ListTopics", region))?; // i18n: technical
        guard.next(page.next_token())?;
        out.extend(
            page.topics()
                .iter()
                .filter_map(|t| t.topic_arn())
                .map(|arn| SnsTopic {
                    arn: arn.to_string(),
                    access: None,
                }),
        );
    }
    Ok(out)
}

pub(crate) async fn subscriptions(
    ctx: &Ctx,
    region: &str,
) -> Result<Vec<SnsSubscription>, ReadError> {
    let client = client!(ctx, sns, region);
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "ListSubscriptions")); // i18n: technical
    let mut pages = client.list_subscriptions().into_paginator().send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "ListSubscriptions", region))?; // i18n: technical
        guard.next(page.next_token())?;
        out.extend(page.subscriptions().iter().map(|s| SnsSubscription {
            topic_arn: s.topic_arn().unwrap_or_default().to_string(),
            protocol: s.protocol().unwrap_or_default().to_string(),
            endpoint: s.endpoint().map(str::to_string),
            confirmed: is_confirmed(s.subscription_arn()),
        }));
    }
    Ok(out)
}

/// A topic's subscriptions by state (ListSubscriptionsByTopic, in the topic's region):
/// (confirmed, pending), for "Check again" after a fix subscribed someone.
pub(crate) async fn topic_subscriptions(
    ctx: &Ctx,
    topic_arn: &str,
) -> Result<(usize, usize), ReadError> {
    let region = crate::rules::routing::arn_region(topic_arn).unwrap_or("us-east-1");
    let client = client!(ctx, sns, region);
    let (mut confirmed, mut pending) = (0, 0);
    let mut guard = Pages::new(iam_action(SERVICE, "ListSubscriptionsByTopic")); // i18n: technical
    let mut pages = client
        .list_subscriptions_by_topic()
        .topic_arn(topic_arn)
        .into_paginator()
        .send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "ListSubscriptionsByTopic", region))?; // i18n: technical
        guard.next(page.next_token())?;
        for s in page.subscriptions() {
            if is_confirmed(s.subscription_arn()) {
                confirmed += 1;
            } else if s.subscription_arn() == Some(PENDING) {
                pending += 1;
            }
        }
    }
    Ok((confirmed, pending))
}

/// AWS lists an unconfirmed subscription with the ARN "PendingConfirmation" (and one
/// being removed as "Deleted"); only a real ARN delivers messages.
fn is_confirmed(subscription_arn: Option<&str>) -> bool {
    subscription_arn.is_some_and(|arn| arn.starts_with("arn:"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn pending_is_not_confirmed() {
        assert!(!super::is_confirmed(Some("PendingConfirmation")));
        assert!(!super::is_confirmed(Some("Deleted")));
        assert!(!super::is_confirmed(None));
        assert!(super::is_confirmed(Some(
            "arn:aws:sns:us-east-1:123456789012:t:1f2e"
        )));
    }
}
