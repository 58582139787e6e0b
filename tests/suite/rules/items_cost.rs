//! The cost items: budgets and Cost Anomaly Detection.

use onwatch::snapshot::*;

use super::{FAIL, NA, PASS};
use crate::fixtures::*;

fn budget(kind: &str, subscribers: Vec<BudgetSubscriber>) -> Budget {
    Budget {
        name: "monthly".into(),
        budget_type: kind.into(),
        limit: Some("500.0 USD".into()),
        notifications: Read::Ok(vec![BudgetNotification {
            notification_type: "ACTUAL".into(),
            threshold: 80.0,
            subscribers: Read::Ok(subscribers),
        }]),
    }
}

#[test]
fn budget_notification() {
    let id = "budget-notification";
    let email = BudgetSubscriber {
        kind: "EMAIL".into(),
        address: "founder@example.com".into(),
    };
    let good = account(|_, g| set(&mut g.budgets, vec![budget("COST", vec![email.clone()])]));
    assert_eq!(status(&good, id), PASS);
    let silent = account(|_, g| set(&mut g.budgets, vec![budget("COST", vec![])]));
    assert_eq!(status(&silent, id), FAIL, "a budget that tells nobody");
    let usage = account(|_, g| set(&mut g.budgets, vec![budget("USAGE", vec![email.clone()])]));
    assert_eq!(
        status(&usage, id),
        FAIL,
        "a usage budget is not a cost budget"
    );
    assert_eq!(status(&account(|_, _| {}), id), FAIL, "no budget");
    let denied_snap = account(|_, g| g.budgets = Read::Failed(denied("budgets:ViewBudget")));
    assert_could_not_check(&denied_snap, id, "budgets:ViewBudget");
    let absent = account(|_, g| g.budgets = Read::Failed(not_offered()));
    assert_eq!(status(&absent, id), NA);
}

#[test]
fn cost_anomaly_detection() {
    let id = "cost-anomaly-detection";
    let monitor = AnomalyMonitor {
        arn: "arn:aws:ce::123456789012:anomalymonitor/m1".into(),
        name: "services".into(),
        monitor_type: "DIMENSIONAL".into(),
    };
    let subscription = |subscribers: Vec<String>| AnomalySubscription {
        arn: "arn:aws:ce::123456789012:anomalysubscription/s1".into(),
        name: "daily".into(),
        monitor_arns: vec![monitor.arn.clone()],
        subscribers,
        frequency: "DAILY".into(),
        declined: vec![],
        threshold: None,
    };
    let good = account(|_, g| {
        set(&mut g.anomaly_monitors, vec![monitor.clone()]);
        set(
            &mut g.anomaly_subscriptions,
            vec![subscription(vec!["EMAIL founder@example.com".into()])],
        );
    });
    assert_eq!(status(&good, id), PASS);
    let unsubscribed = account(|_, g| set(&mut g.anomaly_monitors, vec![monitor.clone()]));
    assert_eq!(status(&unsubscribed, id), FAIL, "detected but nobody told");
    assert_eq!(status(&account(|_, _| {}), id), FAIL, "no monitor");
    let denied_snap =
        account(|_, g| g.anomaly_monitors = Read::Failed(denied("ce:GetAnomalyMonitors")));
    assert_could_not_check(&denied_snap, id, "ce:GetAnomalyMonitors");
    let absent = account(|_, g| g.anomaly_monitors = Read::Failed(not_offered()));
    assert_eq!(status(&absent, id), NA);
}
