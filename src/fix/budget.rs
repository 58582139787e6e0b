//! budget-notification: a cost budget that tells a person. In order of preference,
//! keeping what the account has: the alert channel joins a notification whose
//! subscribers reach nobody; a cost budget without notifications gets two (80 % of
//! actual cost, 100 % of forecast); an account without a cost budget gets
//! `onwatch-monthly-cost` for the amount the user gives.

use super::channel::{Channel, channel_for};
use super::planners::{Ctx, Planned};
use super::{BudgetAddress, NoPlan, Op, State, Step, Undo};
use crate::rules::publishers::Publisher;
use crate::rules::routing::arn_region;
use crate::snapshot::Read;
use crate::t;

/// The budget onwatch creates when the account has no cost budget.
pub(super) const BUDGET: &str = "onwatch-monthly-cost";

pub(super) fn budget_notification(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let mut p = Planned::default();
    if !ctx.fails() {
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
            p.skipped
                .push(t!("fix_budget.budget_why", budget = budget_name, why = why).into_owned());
            return Ok(p);
        }
    };
    let who = subscriber
        .address
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_string();
    p.cost = t!("fix_budget.cost_budgets").into_owned();

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
                t!(
                    "fix_budget.add_subscriber",
                    who = who,
                    budget = budget.name,
                    threshold = n.threshold,
                    kind = match n.notification_type.as_str() {
                        "ACTUAL" => t!("fix_budget.kind_actual"),
                        "FORECASTED" => t!("fix_budget.kind_forecasted"),
                        other => other.to_lowercase().into(),
                    }
                )
                .into_owned(),
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
        for (kind, threshold) in [("ACTUAL", 80.0), ("FORECASTED", 100.0)] {
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
                if kind == "ACTUAL" {
                    t!("fix_budget.notify_actual", who = who, budget = budget.name)
                } else {
                    t!(
                        "fix_budget.notify_forecast",
                        who = who,
                        budget = budget.name
                    )
                }
                .into_owned(),
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
            p.skipped
                .push(t!("fix_budget.no_subscriber", budget = budget.name).into_owned());
        }
        return Ok(p);
    }
    let (amount, from) = match (ctx.choices.budget_amount, ctx.choices.last_month_cost) {
        (Some(amount), _) => (amount, None),
        (None, Some(cost)) => (suggested_budget(cost), Some(cost)),
        (None, None) => {
            p.skipped
                .push(t!("fix_budget.no_budget", budget = BUDGET).into_owned());
            return Ok(p);
        }
    };
    if !(amount.is_finite() && amount > 0.0) {
        return Err(NoPlan::BadChoice(
            t!("fix_budget.bad_amount", amount = amount).into_owned(),
        ));
    }
    p.steps.push(Step::new(
        region,
        Op::CreateBudget {
            budget: BUDGET.into(),
            amount: format!("{amount:.2}"),
            subscriber: subscriber.clone(),
        },
        match from {
            None => t!(
                "fix_budget.create_budget",
                budget = BUDGET,
                amount = format!("{amount:.2}"),
                who = who
            ),
            Some(cost) => t!(
                "fix_budget.create_budget_suggested",
                budget = BUDGET,
                amount = format!("{amount:.2}"),
                cost = format!("{cost:.2}"),
                who = who
            ),
        }
        .into_owned(),
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

/// A monthly budget from last month's cost: 20 % headroom, rounded up to whole $10,
/// at least $10 (a new account's first month is often near zero).
pub fn suggested_budget(last_month: f64) -> f64 {
    if !last_month.is_finite() || last_month <= 0.0 {
        return 10.0;
    }
    ((last_month * 1.2 / 10.0).ceil() * 10.0).max(10.0)
}

/// Whether planning budget-notification would create a budget and has no amount for
/// it: then (and only then) the caller reads last month's cost, a paid request.
pub fn needs_last_month_cost(
    ids: &[String],
    snapshot: &crate::snapshot::AccountSnapshot,
    choices: &super::Choices,
) -> bool {
    ids.iter().any(|i| i == "budget-notification")
        && choices.budget_amount.is_none()
        && choices.last_month_cost.is_none()
        && choices.channel.is_some()
        && matches!(&snapshot.global.budgets,
            Read::Ok(b) if !b.iter().any(|b| b.budget_type == "COST"))
}

/// Budgets e-mails an address itself (no subscription to confirm); a channel topic
/// gets a statement letting budgets.amazonaws.com publish.
fn subscriber(ctx: &Ctx, budget_arn: &str, p: &mut Planned) -> Result<BudgetAddress, String> {
    match &ctx.choices.channel {
        None => Err(t!("fix_channel.needs_channel").into_owned()),
        Some(Channel::Email(address)) => Ok(BudgetAddress {
            kind: "EMAIL".into(),
            address: address.clone(),
        }),
        Some(Channel::Topics(arns)) => {
            let first = arns
                .first()
                .ok_or_else(|| t!("fix_budget.no_channel_topic").into_owned())?
                .clone();
            let region = arn_region(&first)
                .ok_or_else(|| t!("fix_budget.topic_arn_no_region").into_owned())?;
            let topic = channel_for(ctx, region, Publisher::Budgets, budget_arn, p)?;
            Ok(BudgetAddress {
                kind: "SNS".into(),
                address: topic,
            })
        }
    }
}

/// The monitor and subscription onwatch creates for cost-anomaly-detection.
pub(super) const MONITOR: &str = "onwatch-services";
pub(super) const SUBSCRIPTION: &str = "onwatch-cost-anomalies";

/// cost-anomaly-detection: a monitor of spend per service when the account has none,
/// and an alert subscription on it (or on the account's first monitor) that tells the
/// channel: IMMEDIATE to a channel topic, or a DAILY summary to an e-mail address
/// (AWS sends immediate alerts only through SNS,
/// https://docs.aws.amazon.com/cost-management/latest/userguide/manage-ad.html).
pub(super) fn anomaly_alerts(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let mut p = Planned::default();
    if !ctx.fails() {
        return Ok(p);
    }
    let global = &ctx.snapshot.global;
    let (Read::Ok(monitors), subscriptions) =
        (&global.anomaly_monitors, &global.anomaly_subscriptions)
    else {
        return Ok(p);
    };
    let threshold = ctx.choices.anomaly_threshold;
    if !(threshold.is_finite() && threshold >= 0.0) {
        return Err(NoPlan::BadChoice(
            t!("fix_budget.bad_anomaly_threshold", threshold = threshold).into_owned(),
        ));
    }
    if let Read::Ok(subs) = subscriptions
        && subs.iter().any(|s| s.name == SUBSCRIPTION)
    {
        p.skipped.push(
            t!(
                "fix_budget.subscription_reaches_nobody",
                subscription = SUBSCRIPTION
            )
            .into_owned(),
        );
        return Ok(p);
    }
    let account = &ctx.snapshot.account;
    let region = crate::regions::global_region(&account.partition);
    let source = format!(
        "arn:{}:ce::{}:anomalysubscription/{SUBSCRIPTION}",
        account.partition, account.id
    );
    let (frequency, subscriber) = match &ctx.choices.channel {
        None => {
            p.skipped.push(
                t!(
                    "fix_budget.anomaly_why",
                    why = t!("fix_channel.needs_channel")
                )
                .into_owned(),
            );
            return Ok(p);
        }
        Some(Channel::Email(address)) => (
            "DAILY",
            BudgetAddress {
                kind: "EMAIL".into(),
                address: address.clone(),
            },
        ),
        Some(Channel::Topics(arns)) => {
            let Some(first) = arns.first() else {
                return Ok(p);
            };
            let Some(topic_region) = arn_region(first) else {
                return Ok(p);
            };
            match channel_for(ctx, topic_region, Publisher::CostAnomaly, &source, &mut p) {
                Ok(topic) => (
                    "IMMEDIATE",
                    BudgetAddress {
                        kind: "SNS".into(),
                        address: topic,
                    },
                ),
                Err(why) => {
                    p.skipped
                        .push(t!("fix_budget.anomaly_why", why = why).into_owned());
                    return Ok(p);
                }
            }
        }
    };
    let mut sorted: Vec<_> = monitors.iter().collect();
    sorted.sort_by(|a, b| a.arn.cmp(&b.arn));
    let monitor = match sorted.first() {
        Some(m) => m.arn.clone(),
        None => {
            p.steps.push(Step::new(
                region,
                Op::CreateAnomalyMonitor {
                    monitor: MONITOR.into(),
                },
                t!("fix_budget.create_monitor", monitor = MONITOR).into_owned(),
                State::AnomalyMonitor(false),
                Undo::AfterRun {
                    says: t!("fix_budget.undo_monitor").into_owned(),
                },
            ));
            MONITOR.to_string()
        }
    };
    let monitor_name = monitor.rsplit('/').next().unwrap_or(&monitor);
    let says = if frequency == "DAILY" {
        t!(
            "fix_budget.send_daily",
            address = subscriber.address,
            threshold = format!("{threshold:.0}"),
            monitor = monitor_name
        )
    } else {
        t!(
            "fix_budget.send_immediate",
            topic = subscriber.address.rsplit(':').next().unwrap_or_default(),
            threshold = format!("{threshold:.0}"),
            monitor = monitor_name
        )
    }
    .into_owned();
    p.steps.push(Step::new(
        region,
        Op::CreateAnomalySubscription {
            subscription: SUBSCRIPTION.into(),
            monitor: monitor.clone(),
            frequency: frequency.into(),
            subscriber,
            threshold,
        },
        says,
        State::AnomalySubscription(false),
        Undo::AfterRun {
            says: t!("fix_budget.undo_subscription").into_owned(),
        },
    ));
    p.cost = t!("fix_budget.cost_anomaly").into_owned();
    Ok(p)
}
