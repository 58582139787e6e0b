//! AWS Budgets (account-wide): budgets, their notifications and subscribers.

use aws_sdk_budgets as budgets;

use super::context::{Ctx, client, to_read};
use super::error::read_error;
use crate::snapshot::{Budget, BudgetNotification, BudgetSubscriber, ReadError};

const SERVICE: &str = "Budgets";
/// Budgets is served from us-east-1 in the commercial partition.
pub(crate) const REGION: &str = "us-east-1";

pub(crate) async fn budgets(ctx: &Ctx) -> Result<Vec<Budget>, ReadError> {
    let client = client!(ctx, budgets, REGION);
    let mut listed = Vec::new();
    let mut pages = client
        .describe_budgets()
        .account_id(&ctx.account_id)
        .into_paginator()
        .send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(|e| read_error(SERVICE, "DescribeBudgets", e))?;
        listed.extend(page.budgets().iter().cloned());
    }
    let mut out = Vec::with_capacity(listed.len());
    for b in listed {
        let notifications = to_read(notifications(ctx, &client, b.budget_name()).await);
        out.push(Budget {
            name: b.budget_name().to_string(),
            budget_type: b.budget_type().as_str().to_string(),
            limit: b
                .budget_limit()
                .map(|s| format!("{} {}", s.amount(), s.unit())),
            notifications,
        });
    }
    Ok(out)
}

async fn notifications(
    ctx: &Ctx,
    client: &budgets::Client,
    budget: &str,
) -> Result<Vec<BudgetNotification>, ReadError> {
    let mut listed = Vec::new();
    let mut pages = client
        .describe_notifications_for_budget()
        .account_id(&ctx.account_id)
        .budget_name(budget)
        .into_paginator()
        .send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(|e| read_error(SERVICE, "DescribeNotificationsForBudget", e))?;
        listed.extend(page.notifications().iter().cloned());
    }
    let mut out = Vec::with_capacity(listed.len());
    for n in listed {
        let subscribers = to_read(subscribers(ctx, client, budget, &n).await);
        out.push(BudgetNotification {
            notification_type: n.notification_type().as_str().to_string(),
            threshold: n.threshold(),
            subscribers,
        });
    }
    Ok(out)
}

async fn subscribers(
    ctx: &Ctx,
    client: &budgets::Client,
    budget: &str,
    notification: &budgets::types::Notification,
) -> Result<Vec<BudgetSubscriber>, ReadError> {
    let mut out = Vec::new();
    let mut pages = client
        .describe_subscribers_for_notification()
        .account_id(&ctx.account_id)
        .budget_name(budget)
        .notification(notification.clone())
        .into_paginator()
        .send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page =
            page.map_err(|e| read_error(SERVICE, "DescribeSubscribersForNotification", e))?;
        out.extend(page.subscribers().iter().map(|s| BudgetSubscriber {
            kind: s.subscription_type().as_str().to_string(),
            address: s.address().to_string(),
        }));
    }
    Ok(out)
}
