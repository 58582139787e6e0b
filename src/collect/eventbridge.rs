//! EventBridge: the rules of the default event bus (where AWS services such as GuardDuty
//! publish) and their targets.

use aws_sdk_eventbridge as eb;

use super::context::{Ctx, Pages, all, client};
use super::error::iam_action;
use crate::snapshot::{EventRule, EventTarget, ReadError};

const SERVICE: &str = "EventBridge"; // i18n: technical
const BUS: &str = "default";

pub(crate) async fn rules(ctx: &Ctx, region: &str) -> Result<Vec<EventRule>, ReadError> {
    let client = client!(ctx, eb, region);
    let mut rules = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "ListRules")); // i18n: technical
    let mut token: Option<String> = None;
    loop {
        let page = ctx
            .call(
                client
                    .list_rules()
                    .event_bus_name(BUS)
                    .set_next_token(token.clone())
                    .send(),
            )
            .await
            .map_err(ctx.failed(SERVICE, "ListRules", region))?; // i18n: technical
        rules.extend(page.rules().iter().cloned());
        token = match guard.next(page.next_token())? {
            Some(t) => Some(t),
            None => break,
        };
    }
    let client = &client;
    all(ctx
        .each(rules, |rule| async move {
            let name = rule.name().unwrap_or_default().to_string();
            let targets = targets(ctx, client, region, &name).await?;
            Ok(EventRule {
                arn: rule.arn().unwrap_or_default().to_string(),
                event_bus: rule.event_bus_name().unwrap_or(BUS).to_string(),
                state: rule
                    .state()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                event_pattern: rule.event_pattern().map(str::to_string),
                targets,
                name,
            })
        })
        .await)
}

async fn targets(
    ctx: &Ctx,
    client: &eb::Client,
    region: &str,
    rule: &str,
) -> Result<Vec<EventTarget>, ReadError> {
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "ListTargetsByRule")); // i18n: technical
    let mut token: Option<String> = None;
    loop {
        let page = ctx
            .call(
                client
                    .list_targets_by_rule()
                    .rule(rule)
                    .event_bus_name(BUS)
                    .set_next_token(token.clone())
                    .send(),
            )
            .await
            .map_err(ctx.failed(SERVICE, "ListTargetsByRule", region))?; // i18n: technical
        out.extend(page.targets().iter().map(|t| EventTarget {
            id: t.id().to_string(),
            arn: t.arn().to_string(),
        }));
        token = match guard.next(page.next_token())? {
            Some(t) => Some(t),
            None => break,
        };
    }
    Ok(out)
}
