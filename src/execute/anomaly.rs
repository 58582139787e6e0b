//! Re-reads and writes of Cost Anomaly Detection monitors and subscriptions.

use aws_sdk_costexplorer as ce;
use aws_sdk_costexplorer::types::{
    AnomalyMonitor, AnomalySubscription, AnomalySubscriptionFrequency, DimensionValues, Expression,
    MatchOption, MonitorDimension, MonitorType, ResourceTag, Subscriber, SubscriberType,
};
use aws_types::SdkConfig;
use aws_types::request_id::RequestId;

use super::StepError;
use super::ops::{Written, build_error, client, failed, not_handled};
use crate::fix::{Op, State, Undo};
use crate::t;

fn client(sdk: &SdkConfig, region: &str) -> ce::Client {
    client!(sdk, ce, region)
}

/// Every monitor: (name, ARN).
async fn monitors(c: &ce::Client) -> Result<Vec<(String, String)>, StepError> {
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let page = c
            .get_anomaly_monitors()
            .set_next_page_token(token)
            .send()
            .await
            .map_err(failed("ce:GetAnomalyMonitors"))?;
        out.extend(page.anomaly_monitors().iter().map(|m| {
            (
                m.monitor_name().to_string(),
                m.monitor_arn().unwrap_or_default().to_string(),
            )
        }));
        token = page.next_page_token().map(str::to_string);
        if token.is_none() {
            return Ok(out);
        }
    }
}

async fn subscriptions(c: &ce::Client) -> Result<Vec<(String, String)>, StepError> {
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let page = c
            .get_anomaly_subscriptions()
            .set_next_page_token(token)
            .send()
            .await
            .map_err(failed("ce:GetAnomalySubscriptions"))?;
        out.extend(page.anomaly_subscriptions().iter().map(|s| {
            (
                s.subscription_name().to_string(),
                s.subscription_arn().unwrap_or_default().to_string(),
            )
        }));
        token = page.next_page_token().map(str::to_string);
        if token.is_none() {
            return Ok(out);
        }
    }
}

pub(super) async fn read_state(sdk: &SdkConfig, region: &str, op: &Op) -> Result<State, StepError> {
    let c = client(sdk, region);
    match op {
        Op::CreateAnomalyMonitor { monitor } => Ok(State::AnomalyMonitor(
            monitors(&c).await?.iter().any(|(name, _)| name == monitor),
        )),
        Op::DeleteAnomalyMonitor { monitor_arn } => Ok(State::AnomalyMonitor(
            monitors(&c)
                .await?
                .iter()
                .any(|(_, arn)| arn == monitor_arn),
        )),
        Op::CreateAnomalySubscription { subscription, .. } => Ok(State::AnomalySubscription(
            subscriptions(&c)
                .await?
                .iter()
                .any(|(name, _)| name == subscription),
        )),
        Op::DeleteAnomalySubscription { subscription_arn } => Ok(State::AnomalySubscription(
            subscriptions(&c)
                .await?
                .iter()
                .any(|(_, arn)| arn == subscription_arn),
        )),
        other => Err(not_handled(other, &t!("execute_anomaly.what"))),
    }
}

fn tag() -> Result<ResourceTag, StepError> {
    ResourceTag::builder()
        .key("managed-by") // i18n: technical (sent to AWS)
        .value("onwatch") // i18n: technical (sent to AWS)
        .build()
        .map_err(|e| build_error(&t!("execute_ops.part_tag"), e))
}

pub(super) async fn write(sdk: &SdkConfig, region: &str, op: &Op) -> Result<Written, StepError> {
    let action = op.iam_action();
    let c = client(sdk, region);
    match op {
        Op::CreateAnomalyMonitor { monitor } => {
            let spec = AnomalyMonitor::builder()
                .monitor_name(monitor)
                .monitor_type(MonitorType::Dimensional)
                .monitor_dimension(MonitorDimension::Service)
                .build()
                .map_err(|e| build_error(&t!("execute_anomaly.part_monitor"), e))?;
            let out = c
                .create_anomaly_monitor()
                .anomaly_monitor(spec)
                .resource_tags(tag()?)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(Written {
                request_id: out.request_id().map(str::to_string),
                undo: Some(Undo::Call {
                    op: Op::DeleteAnomalyMonitor {
                        monitor_arn: out.monitor_arn().to_string(),
                    },
                    expect: State::AnomalyMonitor(true),
                }),
            })
        }
        Op::CreateAnomalySubscription {
            subscription,
            monitor,
            frequency,
            subscriber,
            threshold,
        } => {
            let monitor_arn = if monitor.starts_with("arn:") {
                monitor.clone()
            } else {
                monitors(&c)
                    .await?
                    .into_iter()
                    .find(|(name, _)| name == monitor)
                    .map(|(_, arn)| arn)
                    .ok_or_else(|| StepError {
                        message: t!("execute_anomaly.no_monitor", name = monitor).into_owned(),
                        missing_permission: None,
                    })?
            };
            let who = Subscriber::builder()
                .r#type(SubscriberType::from(subscriber.kind.as_str()))
                .address(&subscriber.address)
                .build();
            let expression = Expression::builder()
                .dimensions(
                    DimensionValues::builder()
                        .key(ce::types::Dimension::AnomalyTotalImpactAbsolute)
                        .match_options(MatchOption::GreaterThanOrEqual)
                        .values(threshold.to_string())
                        .build(),
                )
                .build();
            let spec = AnomalySubscription::builder()
                .subscription_name(subscription)
                .monitor_arn_list(monitor_arn)
                .subscribers(who)
                .frequency(AnomalySubscriptionFrequency::from(frequency.as_str()))
                .threshold_expression(expression)
                .build()
                .map_err(|e| build_error(&t!("execute_anomaly.part_subscription"), e))?;
            let out = c
                .create_anomaly_subscription()
                .anomaly_subscription(spec)
                .resource_tags(tag()?)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(Written {
                request_id: out.request_id().map(str::to_string),
                undo: Some(Undo::Call {
                    op: Op::DeleteAnomalySubscription {
                        subscription_arn: out.subscription_arn().to_string(),
                    },
                    expect: State::AnomalySubscription(true),
                }),
            })
        }
        Op::DeleteAnomalyMonitor { monitor_arn } => {
            let out = c
                .delete_anomaly_monitor()
                .monitor_arn(monitor_arn)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(Written {
                request_id: out.request_id().map(str::to_string),
                undo: None,
            })
        }
        Op::DeleteAnomalySubscription { subscription_arn } => {
            let out = c
                .delete_anomaly_subscription()
                .subscription_arn(subscription_arn)
                .send()
                .await
                .map_err(failed(&action))?;
            Ok(Written {
                request_id: out.request_id().map(str::to_string),
                undo: None,
            })
        }
        other => Err(not_handled(other, &t!("execute_anomaly.what"))),
    }
}
