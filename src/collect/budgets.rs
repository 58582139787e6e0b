//! AWS Budgets (account-wide): budgets, their notifications and subscribers.

use aws_sdk_budgets as budgets;
use aws_smithy_runtime_api::client::result::SdkError;

use super::context::{Ctx, Pages, all, client, to_read};
use super::error::iam_action;
use crate::snapshot::{Budget, BudgetNotification, BudgetSubscriber, ReadError};

const SERVICE: &str = "Budgets"; // i18n: technical

pub(crate) async fn budgets(ctx: &Ctx) -> Result<Vec<Budget>, ReadError> {
    let region = ctx.global_region();
    let client = client!(ctx, budgets, region);
    let mut listed = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeBudgets")); // i18n: technical
    let mut pages = client
        .describe_budgets()
        .account_id(&ctx.account_id)
        .into_paginator()
        .send();
    let mut first = true;
    while let Some(page) = ctx.call_to(SERVICE, region, pages.next()).await {
        let page = match page {
            // DescribeBudgets documents NotFoundException. The list names only the
            // caller's own account, so on the first page it means: no budget at all.
            Err(SdkError::ServiceError(e)) if first && e.err().is_not_found_exception() => {
                break;
            }
            other => other.map_err(ctx.failed(SERVICE, "DescribeBudgets", region))?, // i18n: technical
        };
        first = false;
        guard.next(page.next_token())?;
        listed.extend(page.budgets().iter().cloned());
    }
    let client = &client;
    Ok(ctx
        .each(listed, |b| async move {
            let notifications = to_read(notifications(ctx, client, b.budget_name()).await);
            Budget {
                name: b.budget_name().to_string(),
                budget_type: b.budget_type().as_str().to_string(),
                limit: b
                    .budget_limit()
                    .map(|s| format!("{} {}", s.amount(), s.unit())),
                notifications,
            }
        })
        .await)
}

async fn notifications(
    ctx: &Ctx,
    client: &budgets::Client,
    budget: &str,
) -> Result<Vec<BudgetNotification>, ReadError> {
    let region = ctx.global_region();
    let mut listed = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeNotificationsForBudget")); // i18n: technical
    let mut pages = client
        .describe_notifications_for_budget()
        .account_id(&ctx.account_id)
        .budget_name(budget)
        .into_paginator()
        .send();
    while let Some(page) = ctx.call_to(SERVICE, region, pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "DescribeNotificationsForBudget", region))?; // i18n: technical
        guard.next(page.next_token())?;
        listed.extend(page.notifications().iter().cloned());
    }
    all(ctx
        .each(listed, |n| async move {
            let subscribers = to_read(subscribers(ctx, client, budget, &n).await);
            Ok(BudgetNotification {
                notification_type: n.notification_type().as_str().to_string(),
                threshold: n.threshold(),
                subscribers,
            })
        })
        .await)
}

async fn subscribers(
    ctx: &Ctx,
    client: &budgets::Client,
    budget: &str,
    notification: &budgets::types::Notification,
) -> Result<Vec<BudgetSubscriber>, ReadError> {
    let region = ctx.global_region();
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeSubscribersForNotification")); // i18n: technical
    let mut pages = client
        .describe_subscribers_for_notification()
        .account_id(&ctx.account_id)
        .budget_name(budget)
        .notification(notification.clone())
        .into_paginator()
        .send();
    while let Some(page) = ctx.call_to(SERVICE, region, pages.next()).await {
        let page =
            page.map_err(ctx.failed(SERVICE, "DescribeSubscribersForNotification", region))?; // i18n: technical
        guard.next(page.next_token())?;
        out.extend(page.subscribers().iter().map(|s| BudgetSubscriber {
            kind: s.subscription_type().as_str().to_string(),
            address: s.address().to_string(),
        }));
    }
    Ok(out)
}
