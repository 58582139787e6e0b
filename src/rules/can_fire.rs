//! Alarms that can never fire for what they seem to watch, so they do not count as a
//! resource's alarm (issue 10, point 4):
//!
//! - an alarm on `ECS/ContainerInsights` metrics of a cluster whose Container Insights
//!   is off: those metrics are published only while it is on
//!   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html);
//! - an alarm that has sat in INSUFFICIENT_DATA since before the scan's history window
//!   on a metric AWS publishes every minute while the resource exists (RDS, ECS service
//!   and EC2 utilisation, load balancer host counts): it watches a metric that does not
//!   exist, usually a wrong or deleted dimension
//!   (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html,
//!   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cloudwatch-metrics.html).
//!   Not on sparse metrics (load balancer 5xx counts, Lambda errors), which AWS reports
//!   only when non-zero: there missing data treated as not breaching is the right
//!   setting and the alarm still fires
//!   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data);
//! - an alarm whose comparison goes the wrong way for its metric: free storage space
//!   *above* a threshold never warns of a full disk, CPU *below* one never warns of
//!   overload.

use chrono::{DateTime, Duration, Utc};

use crate::snapshot::{ALARM_HISTORY_DAYS, Alarm, Read, RegionSnapshot};
use crate::t;

/// Metrics AWS publishes every minute (or every period) while the resource exists.
const CONTINUOUS: &[(&str, &[&str])] = &[
    (
        "AWS/RDS",
        &[
            "CPUUtilization",
            "FreeStorageSpace",    // i18n: technical
            "FreeableMemory",      // i18n: technical
            "DatabaseConnections", // i18n: technical
            "ReadIOPS",            // i18n: technical
            "WriteIOPS",           // i18n: technical
            "ReadLatency",         // i18n: technical
            "WriteLatency",        // i18n: technical
        ],
    ),
    ("AWS/ECS", &["CPUUtilization", "MemoryUtilization"]), // i18n: technical
    ("AWS/EC2", &["CPUUtilization", "StatusCheckFailed"]), // i18n: technical
    (
        "AWS/ApplicationELB",
        &["HealthyHostCount", "UnHealthyHostCount"], // i18n: technical
    ),
    (
        "AWS/NetworkELB",
        &["HealthyHostCount", "UnHealthyHostCount"], // i18n: technical
    ),
];

/// Which way is trouble: a metric that hurts when high, or one that hurts when low.
#[derive(Clone, Copy, PartialEq)]
enum Bad {
    High,
    Low,
}

const DIRECTION: &[(&str, &str, Bad)] = &[
    ("AWS/RDS", "CPUUtilization", Bad::High),
    ("AWS/RDS", "DatabaseConnections", Bad::High), // i18n: technical
    ("AWS/RDS", "FreeStorageSpace", Bad::Low),     // i18n: technical
    ("AWS/RDS", "FreeLocalStorage", Bad::Low),     // i18n: technical
    ("AWS/RDS", "FreeableMemory", Bad::Low),       // i18n: technical
    ("AWS/ECS", "CPUUtilization", Bad::High),
    ("AWS/ECS", "MemoryUtilization", Bad::High), // i18n: technical
    ("ECS/ContainerInsights", "CpuUtilized", Bad::High), // i18n: technical
    ("ECS/ContainerInsights", "MemoryUtilized", Bad::High), // i18n: technical
    ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", Bad::High),
    ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", Bad::High),
    ("AWS/ApplicationELB", "TargetResponseTime", Bad::High), // i18n: technical
    ("AWS/ApplicationELB", "UnHealthyHostCount", Bad::High), // i18n: technical
    ("AWS/ApplicationELB", "HealthyHostCount", Bad::Low),    // i18n: technical
    ("CloudWatchSynthetics", "SuccessPercent", Bad::Low),    // i18n: technical
];

/// Whether a comparison operator fires on high values, low values, or both (an
/// anomaly detection band).
fn fires_on(comparison: &str) -> (bool, bool) {
    const ON_HIGH: [&str; 3] = [
        "GreaterThanThreshold",          // i18n: technical
        "GreaterThanOrEqualToThreshold", // i18n: technical
        "GreaterThanUpperThreshold",     // i18n: technical
    ];
    const ON_LOW: [&str; 3] = [
        "LessThanThreshold",          // i18n: technical
        "LessThanOrEqualToThreshold", // i18n: technical
        "LessThanLowerThreshold",     // i18n: technical
    ];
    if ON_HIGH.contains(&comparison) {
        (true, false)
    } else if ON_LOW.contains(&comparison) {
        (false, true)
    } else {
        (true, true)
    }
}

/// Why `alarm` can never fire for the trouble its metric means; None when it can (or
/// onwatch cannot tell).
pub fn why_not(alarm: &Alarm, data: Option<&RegionSnapshot>, now: DateTime<Utc>) -> Option<String> {
    wrong_way(alarm)
        .or_else(|| insights_off(alarm, data))
        .or_else(|| never_had_data(alarm, now))
}

fn wrong_way(alarm: &Alarm) -> Option<String> {
    // A metric-math alarm's expression may turn the metric around: not judged.
    let [metric] = alarm.metrics.as_slice() else {
        return None;
    };
    let condition = alarm.condition.as_ref()?;
    let (_, _, bad) = DIRECTION
        .iter()
        .find(|(ns, name, _)| *ns == metric.namespace && *name == metric.metric_name)?;
    let (high, low) = fires_on(&condition.comparison);
    let metric_name = &metric.metric_name;
    let comparison = &condition.comparison;
    let text = match (bad, condition.threshold) {
        (Bad::High, _) if high => return None,
        (Bad::Low, _) if low => return None,
        (Bad::High, Some(threshold)) => t!(
            "rules_can_fire.fires_below",
            metric = metric_name,
            threshold = threshold,
            comparison = comparison
        ),
        (Bad::High, None) => t!(
            "rules_can_fire.fires_below_any",
            metric = metric_name,
            comparison = comparison
        ),
        (Bad::Low, Some(threshold)) => t!(
            "rules_can_fire.fires_above",
            metric = metric_name,
            threshold = threshold,
            comparison = comparison
        ),
        (Bad::Low, None) => t!(
            "rules_can_fire.fires_above_any",
            metric = metric_name,
            comparison = comparison
        ),
    };
    Some(text.into_owned())
}

fn insights_off(alarm: &Alarm, data: Option<&RegionSnapshot>) -> Option<String> {
    let Read::Ok(clusters) = &data?.ecs_clusters else {
        return None;
    };
    alarm
        .metrics
        .iter()
        .filter(|m| m.namespace == "ECS/ContainerInsights")
        .find_map(|m| {
            let name = m.dimensions.get("ClusterName")?; // i18n: technical
            let setting = |c: &crate::snapshot::EcsCluster| {
                c.container_insights
                    .as_deref()
                    .unwrap_or("disabled")
                    .to_string()
            };
            let settings: Vec<String> = clusters
                .iter()
                .filter(|c| &c.name == name)
                .map(setting)
                .collect();
            let off = !settings.is_empty()
                && settings
                    .iter()
                    .all(|s| !matches!(s.as_str(), "enabled" | "enhanced"));
            let setting = settings.first().cloned().unwrap_or_default();
            off.then(|| {
                t!(
                    "rules_can_fire.insights_off",
                    metric = m.metric_name,
                    setting = setting,
                    cluster = name
                )
                .into_owned()
            })
        })
}

fn never_had_data(alarm: &Alarm, now: DateTime<Utc>) -> Option<String> {
    if alarm.kind != "metric" || alarm.state != "INSUFFICIENT_DATA" {
        return None;
    }
    let since = alarm.state_updated_at?;
    if since > now - Duration::days(ALARM_HISTORY_DAYS) {
        return None;
    }
    let metric = alarm.metrics.iter().find(|m| {
        CONTINUOUS
            .iter()
            .any(|(ns, names)| *ns == m.namespace && names.contains(&m.metric_name.as_str()))
    })?;
    Some(
        t!(
            "rules_can_fire.never_had_data",
            date = since.format("%Y-%m-%d"),
            namespace = metric.namespace,
            metric = metric.metric_name
        )
        .into_owned(),
    )
}
