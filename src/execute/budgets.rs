//! Re-reads and writes of AWS Budgets: budgets, notifications and subscribers. The
//! API names the account in every call; it is the caller's (sts:GetCallerIdentity).

use aws_sdk_budgets as budgets;
use aws_sdk_budgets::types::{
    Budget, BudgetType, ComparisonOperator, Notification, NotificationType,
    NotificationWithSubscribers, ResourceTag, Spend, Subscriber, SubscriptionType, ThresholdType,
    TimeUnit,
};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::SdkConfig;
use aws_types::region::Region;
use aws_types::request_id::RequestId;

use super::StepError;
use super::ops::{Written, build_error, client, failed, gone, not_handled};
use crate::fix::{BudgetAddress, Op, State};
use crate::t;

// Error codes AWS answers with, matched as they are.
const NOT_FOUND: &str = "NotFoundException"; // i18n: technical (an error code)

fn client(sdk: &SdkConfig, region: &str) -> budgets::Client {
    client!(sdk, budgets, region)
}

async fn account(sdk: &SdkConfig, region: &str) -> Result<String, StepError> {
    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(sdk)
            .region(Region::new(region.to_string()))
            .build(),
    );
    let out = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(failed("sts:GetCallerIdentity"))?;
    out.account().map(str::to_string).ok_or_else(|| {
        build_error(
            &t!("execute_budgets.part_request"),
            t!("execute_budgets.no_account"),
        )
    })
}

fn subscriber(s: &BudgetAddress) -> Result<Subscriber, StepError> {
    Subscriber::builder()
        .subscription_type(SubscriptionType::from(s.kind.as_str()))
        .address(&s.address)
        .build()
        .map_err(|e| build_error(&t!("execute_budgets.part_subscriber"), e))
}

/// A percentage notification onwatch creates.
fn new_notification(kind: &str, threshold: f64) -> Result<Notification, StepError> {
    Notification::builder()
        .notification_type(NotificationType::from(kind))
        .comparison_operator(ComparisonOperator::GreaterThan)
        .threshold(threshold)
        .threshold_type(ThresholdType::Percentage)
        .build()
        .map_err(|e| build_error(&t!("execute_budgets.part_notification"), e))
}

/// The budget's notification of this type and threshold, as AWS holds it (with its
/// own comparison and threshold type); Ok(None) when it has none.
async fn notification(
    c: &budgets::Client,
    account: &str,
    budget: &str,
    kind: &str,
    threshold: f64,
) -> Result<Option<Notification>, StepError> {
    let mut pages = c
        .describe_notifications_for_budget()
        .account_id(account)
        .budget_name(budget)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(p) => p,
            Err(e) if e.as_service_error().and_then(|s| s.code()) == Some(NOT_FOUND) => {
                return Ok(None);
            }
            Err(e) => return Err(failed("budgets:ViewBudget")(e)),
        };
        if let Some(n) = page
            .notifications()
            .iter()
            .find(|n| n.notification_type().as_str() == kind && n.threshold() == threshold)
        {
            return Ok(Some(n.clone()));
        }
    }
    Ok(None)
}

async fn has_subscriber(
    c: &budgets::Client,
    account: &str,
    budget: &str,
    n: &Notification,
    who: &BudgetAddress,
) -> Result<bool, StepError> {
    let mut pages = c
        .describe_subscribers_for_notification()
        .account_id(account)
        .budget_name(budget)
        .notification(n.clone())
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(failed("budgets:ViewBudget"))?;
        if page
            .subscribers()
            .iter()
            .any(|s| s.subscription_type().as_str() == who.kind && s.address() == who.address)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

pub(super) async fn read_state(sdk: &SdkConfig, region: &str, op: &Op) -> Result<State, StepError> {
    let c = client(sdk, region);
    let account = account(sdk, region).await?;
    match op {
        Op::CreateBudget { budget, .. } | Op::DeleteBudget { budget } => {
            match c
                .describe_budget()
                .account_id(&account)
                .budget_name(budget)
                .send()
                .await
            {
                Ok(_) => Ok(State::BudgetExists(true)),
                Err(e) if e.as_service_error().and_then(|s| s.code()) == Some(NOT_FOUND) => {
                    Ok(State::BudgetExists(false))
                }
                Err(e) => Err(failed("budgets:ViewBudget")(e)),
            }
        }
        Op::CreateBudgetNotification {
            budget,
            notification_type,
            threshold,
            ..
        }
        | Op::DeleteBudgetNotification {
            budget,
            notification_type,
            threshold,
        } => Ok(State::BudgetNotification(
            notification(&c, &account, budget, notification_type, *threshold)
                .await?
                .is_some(),
        )),
        Op::AddBudgetSubscriber {
            budget,
            notification_type,
            threshold,
            subscriber,
        }
        | Op::RemoveBudgetSubscriber {
            budget,
            notification_type,
            threshold,
            subscriber,
        } => {
            let n = notification(&c, &account, budget, notification_type, *threshold)
                .await?
                .ok_or_else(|| {
                    gone(
                        t!(
                            "execute_budgets.gone_notification_at",
                            budget = budget,
                            kind = notification_type,
                            threshold = threshold
                        )
                        .into_owned(),
                    )
                })?;
            Ok(State::BudgetSubscriber(
                has_subscriber(&c, &account, budget, &n, subscriber).await?,
            ))
        }
        other => Err(not_handled(other, &t!("execute_budgets.what"))),
    }
}

pub(super) async fn write(sdk: &SdkConfig, region: &str, op: &Op) -> Result<Written, StepError> {
    let action = op.iam_action();
    let c = client(sdk, region);
    let account = account(sdk, region).await?;
    let request_id = match op {
        Op::CreateBudget {
            budget,
            amount,
            subscriber: who,
        } => {
            let spec = Budget::builder()
                .budget_name(budget)
                .budget_type(BudgetType::Cost)
                .time_unit(TimeUnit::Monthly)
                .budget_limit(
                    Spend::builder()
                        .amount(amount)
                        .unit("USD")
                        .build()
                        .map_err(|e| build_error(&t!("execute_budgets.part_limit"), e))?,
                )
                .build()
                .map_err(|e| build_error(&t!("execute_budgets.part_budget"), e))?;
            let mut req = c
                .create_budget()
                .account_id(&account)
                .budget(spec)
                .resource_tags(
                    ResourceTag::builder()
                        .key("managed-by") // i18n: technical (sent to AWS)
                        .value("onwatch") // i18n: technical (sent to AWS)
                        .build()
                        .map_err(|e| build_error(&t!("execute_ops.part_tag"), e))?,
                );
            for (kind, threshold) in [("ACTUAL", 80.0), ("FORECASTED", 100.0)] {
                req = req.notifications_with_subscribers(
                    NotificationWithSubscribers::builder()
                        .notification(new_notification(kind, threshold)?)
                        .subscribers(subscriber(who)?)
                        .build()
                        .map_err(|e| build_error(&t!("execute_budgets.part_notification"), e))?,
                );
            }
            req.send()
                .await
                .map_err(failed(&action))?
                .request_id()
                .map(str::to_string)
        }
        Op::DeleteBudget { budget } => c
            .delete_budget()
            .account_id(&account)
            .budget_name(budget)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::CreateBudgetNotification {
            budget,
            notification_type,
            threshold,
            subscriber: who,
        } => c
            .create_notification()
            .account_id(&account)
            .budget_name(budget)
            .notification(new_notification(notification_type, *threshold)?)
            .subscribers(subscriber(who)?)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::DeleteBudgetNotification {
            budget,
            notification_type,
            threshold,
        } => {
            let n = notification(&c, &account, budget, notification_type, *threshold)
                .await?
                .ok_or_else(|| {
                    gone(t!("execute_budgets.gone_notification", budget = budget).into_owned())
                })?;
            c.delete_notification()
                .account_id(&account)
                .budget_name(budget)
                .notification(n)
                .send()
                .await
                .map_err(failed(&action))?
                .request_id()
                .map(str::to_string)
        }
        Op::AddBudgetSubscriber {
            budget,
            notification_type,
            threshold,
            subscriber: who,
        }
        | Op::RemoveBudgetSubscriber {
            budget,
            notification_type,
            threshold,
            subscriber: who,
        } => {
            let n = notification(&c, &account, budget, notification_type, *threshold)
                .await?
                .ok_or_else(|| {
                    gone(t!("execute_budgets.gone_notification", budget = budget).into_owned())
                })?;
            if matches!(op, Op::AddBudgetSubscriber { .. }) {
                c.create_subscriber()
                    .account_id(&account)
                    .budget_name(budget)
                    .notification(n)
                    .subscriber(subscriber(who)?)
                    .send()
                    .await
                    .map_err(failed(&action))?
                    .request_id()
                    .map(str::to_string)
            } else {
                c.delete_subscriber()
                    .account_id(&account)
                    .budget_name(budget)
                    .notification(n)
                    .subscriber(subscriber(who)?)
                    .send()
                    .await
                    .map_err(failed(&action))?
                    .request_id()
                    .map(str::to_string)
            }
        }
        other => {
            return Err(not_handled(other, &t!("execute_budgets.what")));
        }
    };
    Ok(Written {
        request_id,
        undo: None,
    })
}
