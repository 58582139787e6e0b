//! budget-notification: a cost budget that tells a person. In order of preference,
//! keeping what the account has: the alert channel joins a notification whose
//! subscribers reach nobody; a cost budget without notifications gets two (80 % of
//! actual cost, 100 % of forecast); an account without a cost budget gets
//! `onwatch-monthly-cost` for the amount the user gives.

use super::channel::{Channel, channel_for};
use super::planners::{Ctx, Planned};
use super::{BudgetAddress, NoPlan, Op, State, Step, Undo};
use crate::report::FindingStatus;
use crate::rules::publishers::Publisher;
use crate::rules::routing::arn_region;
use crate::snapshot::Read;

/// The budget onwatch creates when the account has no cost budget.
pub(super) const BUDGET: &str = "onwatch-monthly-cost";

pub(super) fn budget_notification(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let mut p = Planned::default();
    // One account-wide finding; could-not-check is never planned for.
    if !ctx
        .judged
        .findings
        .iter()
        .any(|f| f.status == FindingStatus::Fail)
    {
        return Ok(p);
    }
    let Read::Ok(budgets) = &ctx.snapshot.global.budgets else {
        return Ok(p);
    };
    let account = &ctx.snapshot.account;
    let region = crate::regions::global_region(&account.partition);
    let mut costs: Vec<_> = budgets.iter().filter(|b| b.budget_type == "COST").collect();
    costs.sort_by(|a, b| a.name.cmp(&b.name));
    let budget_name = costs.first().map_or(BUDGET, |b| b.name.as_str());
    let budget_arn = format!(
        "arn:{}:budgets::{}:budget/{budget_name}",
        account.partition, account.id
    );
    let subscriber = match subscriber(ctx, &budget_arn, &mut p) {
        Ok(s) => s,
        Err(why) => {
            p.skipped.push(format!("budget {budget_name}: {why}"));
            return Ok(p);
        }
    };
    let who = subscriber
        .address
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_string();
    p.cost = "No charge: the first two budgets of an account are free, with notifications by e-mail or SNS".into();

    // A notification whose subscribers reach nobody (the rule read them all).
    for budget in &costs {
        let Read::Ok(notifications) = &budget.notifications else {
            continue;
        };
        if let Some(n) = notifications
            .iter()
            .find(|n| matches!(&n.subscribers, Read::Ok(s) if !s.is_empty()))
        {
            let add = Op::AddBudgetSubscriber {
                budget: budget.name.clone(),
                notification_type: n.notification_type.clone(),
                threshold: n.threshold,
                subscriber: subscriber.clone(),
            };
            p.steps.push(Step::new(
                region,
                add.clone(),
                format!(
                    "Tell {who} too when budget {} reaches {}% ({}); its other subscribers stay",
                    budget.name,
                    n.threshold,
                    n.notification_type.to_lowercase()
                ),
                State::BudgetSubscriber(false),
                Undo::Call {
                    op: Op::RemoveBudgetSubscriber {
                        budget: budget.name.clone(),
                        notification_type: n.notification_type.clone(),
                        threshold: n.threshold,
                        subscriber: subscriber.clone(),
                    },
                    expect: State::BudgetSubscriber(true),
                },
            ));
            return Ok(p);
        }
    }
    // A cost budget with no notification at all, or one whose notifications have no
    // subscriber: two notifications, unless one of that kind is there already.
    if let Some(budget) = costs.first() {
        let Read::Ok(notifications) = &budget.notifications else {
            return Ok(p);
        };
        for (kind, threshold, words) in [
            ("ACTUAL", 80.0, "actual cost passes 80%"),
            ("FORECASTED", 100.0, "forecast cost passes 100%"),
        ] {
            if notifications
                .iter()
                .any(|n| n.notification_type == kind && n.threshold == threshold)
            {
                continue;
            }
            p.steps.push(Step::new(
                region,
                Op::CreateBudgetNotification {
                    budget: budget.name.clone(),
                    notification_type: kind.into(),
                    threshold,
                    subscriber: subscriber.clone(),
                },
                format!(
                    "Tell {who} when budget {}'s {words} of its limit; its other notifications stay",
                    budget.name
                ),
                State::BudgetNotification(false),
                Undo::Call {
                    op: Op::DeleteBudgetNotification {
                        budget: budget.name.clone(),
                        notification_type: kind.into(),
                        threshold,
                    },
                    expect: State::BudgetNotification(true),
                },
            ));
        }
        if p.steps.is_empty() {
            p.skipped.push(format!(
                "budget {}: its notifications exist but have no subscriber onwatch could add to; a person decides",
                budget.name
            ));
        }
        return Ok(p);
    }
    let Some(amount) = ctx.choices.budget_amount else {
        p.skipped.push(format!(
            "the account has no cost budget: pass --budget-amount USD to create {BUDGET} (last month's bill is on the Billing console's home page)"
        ));
        return Ok(p);
    };
    if !(amount.is_finite() && amount > 0.0) {
        return Err(NoPlan::BadChoice(format!(
            "{amount} is not a budget amount: give US dollars a month, above 0"
        )));
    }
    p.steps.push(Step::new(
        region,
        Op::CreateBudget {
            budget: BUDGET.into(),
            amount: format!("{amount:.2}"),
            subscriber: subscriber.clone(),
        },
        format!(
            "Create the monthly cost budget {BUDGET} of ${amount:.2}, tagged managed-by = onwatch, telling {who} when actual cost passes 80% and when forecast cost passes 100%"
        ),
        State::BudgetExists(false),
        Undo::Call {
            op: Op::DeleteBudget {
                budget: BUDGET.into(),
            },
            expect: State::BudgetExists(true),
        },
    ));
    Ok(p)
}

/// Budgets e-mails an address itself (no subscription to confirm); a channel topic
/// gets a statement letting budgets.amazonaws.com publish.
fn subscriber(ctx: &Ctx, budget_arn: &str, p: &mut Planned) -> Result<BudgetAddress, String> {
    match &ctx.choices.channel {
        None => Err(
            "needs an alert channel: pass --channel-email ADDRESS or --channel-topic ARN".into(),
        ),
        Some(Channel::Email(address)) => Ok(BudgetAddress {
            kind: "EMAIL".into(),
            address: address.clone(),
        }),
        Some(Channel::Topics(arns)) => {
            let first = arns
                .first()
                .ok_or("--channel-topic names no topic")?
                .clone();
            let region = arn_region(&first).ok_or("the channel topic's ARN has no region")?;
            let topic = channel_for(ctx, region, Publisher::Budgets, budget_arn, p)?;
            Ok(BudgetAddress {
                kind: "SNS".into(),
                address: topic,
            })
        }
    }
}
