//! Generated snapshots for the properties in props.rs: every read can fail, names carry
//! hostile characters, and alarms, rules and filters are drawn so that resources can
//! pass as well as fail.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use onwatch::snapshot::*;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

use super::region_gen::region;
use crate::fixtures::{ACCOUNT, now};

const REGIONS: [&str; 3] = ["eu-west-1", "us-east-1", "us-west-2"];

pub(super) fn text() -> impl Strategy<Value = String> {
    // Names include characters a hostile account could use.
    "[a-z0-9=+<>\"'|/_-]{1,10}"
}

pub(super) fn read_error() -> impl Strategy<Value = ReadError> {
    prop_oneof![
        text().prop_map(|a| ReadError::AccessDenied {
            action: format!("svc:{a}"),
            message: "denied".into()
        }),
        text().prop_map(|a| ReadError::Throttled {
            action: format!("svc:{a}"),
            message: "Rate exceeded".into()
        }),
        Just(ReadError::RegionNotEnabled {
            message: "opt-in region".into()
        }),
        Just(ReadError::NotOffered {
            message: "not offered".into()
        }),
        (text(), text()).prop_map(|(code, message)| ReadError::Other {
            action: "svc:Op".into(),
            code,
            message
        }),
    ]
}

/// Boxed: nested `impl Strategy` types of a whole snapshot overflow the test thread's
/// stack in debug builds.
pub(super) fn read<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Read<T>> {
    prop_oneof![8 => s.prop_map(Read::Ok), 1 => read_error().prop_map(Read::Failed)].boxed()
}

pub(super) fn when() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..40 * 24 * 3600, 0i64..1000)
        .prop_map(|(s, ms)| now() - Duration::seconds(s) - Duration::milliseconds(ms))
}

pub(super) fn arn(region: &str, service: &str, rest: &str) -> String {
    format!("arn:aws:{service}:{region}:{ACCOUNT}:{rest}")
}

/// The metrics of one alarm, with dimensions that can match the generated resources
/// (RDS `r{i}`, clusters `r{i}` with services `svc-{j}`, load balancers
/// `app/lb-{i}/0123`, canaries `r{i}`), so resource alarms pass as well as fail. The
/// last two kinds are metric-math alarms on two metrics of one resource (a service's
/// CPU and memory, a load balancer's 5xx count and response time).
pub(super) fn metrics() -> impl Strategy<Value = Vec<AlarmMetric>> {
    (0usize..13, 0usize..2, 0usize..2).prop_map(|(m, i, j)| {
        let kinds: &[(&str, &str)] = match m {
            0 => &[("AWS/RDS", "CPUUtilization")],
            1 => &[("AWS/RDS", "FreeStorageSpace")],
            2 => &[("AWS/ECS", "CPUUtilization")],
            3 => &[("AWS/ECS", "MemoryUtilization")],
            4 => &[("ECS/ContainerInsights", "CpuUtilized")],
            5 => &[("ECS/ContainerInsights", "MemoryUtilized")],
            6 => &[("AWS/ApplicationELB", "TargetResponseTime")],
            7 => &[("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count")],
            8 => &[("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count")],
            9 => &[("CloudWatchSynthetics", "SuccessPercent")],
            10 => &[("AWS/SQS", "ApproximateNumberOfMessagesVisible")],
            11 => &[
                ("AWS/ECS", "CPUUtilization"),
                ("AWS/ECS", "MemoryUtilization"),
            ],
            _ => &[
                ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"),
                ("AWS/ApplicationELB", "TargetResponseTime"),
            ],
        };
        kinds
            .iter()
            .map(|(ns, name)| {
                let dimensions: Vec<(&str, String)> = match *ns {
                    "AWS/RDS" => vec![("DBInstanceIdentifier", format!("r{i}"))],
                    "AWS/ECS" | "ECS/ContainerInsights" => vec![
                        ("ClusterName", format!("r{i}")),
                        ("ServiceName", format!("svc-{j}")),
                    ],
                    "AWS/ApplicationELB" => vec![("LoadBalancer", format!("app/lb-{i}/0123"))],
                    "CloudWatchSynthetics" => vec![("CanaryName", format!("r{i}"))],
                    _ => vec![("QueueName", format!("q{i}"))],
                };
                AlarmMetric {
                    namespace: ns.to_string(),
                    metric_name: name.to_string(),
                    dimensions: dimensions
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                }
            })
            .collect()
    })
}

fn global() -> BoxedStrategy<GlobalSnapshot> {
    let budgets = read(prop::collection::vec(
        (
            0usize..3,
            select(vec!["COST", "USAGE"]),
            read(prop::collection::vec(
                (0.0f64..200.0, read(prop::collection::vec(text(), 0..2))).prop_map(|(t, subs)| {
                    BudgetNotification {
                        notification_type: "ACTUAL".into(),
                        threshold: t,
                        subscribers: match subs {
                            Read::Ok(s) => Read::Ok(
                                s.into_iter()
                                    .map(|a| BudgetSubscriber {
                                        kind: "EMAIL".into(),
                                        address: a,
                                    })
                                    .collect(),
                            ),
                            Read::Failed(e) => Read::Failed(e),
                        },
                    }
                }),
                0..2,
            )),
        )
            .prop_map(|(i, k, n)| Budget {
                name: format!("budget-{i}"),
                budget_type: k.into(),
                limit: Some("100.0 USD".into()),
                notifications: n,
            }),
        0..3,
    ));
    let monitors = read(prop::collection::vec(
        (0usize..3).prop_map(|i| AnomalyMonitor {
            arn: format!("arn:aws:ce::{ACCOUNT}:anomalymonitor/m{i}"),
            name: format!("m{i}"),
            monitor_type: "DIMENSIONAL".into(),
        }),
        0..3,
    ));
    let subs = read(prop::collection::vec(
        (0usize..3, 0usize..3, any::<bool>()).prop_map(|(i, m, has)| AnomalySubscription {
            arn: format!("arn:aws:ce::{ACCOUNT}:anomalysubscription/s{i}"),
            name: format!("s{i}"),
            monitor_arns: vec![format!("arn:aws:ce::{ACCOUNT}:anomalymonitor/m{m}")],
            subscribers: if has {
                vec!["EMAIL a@example.com".into()]
            } else {
                vec![]
            },
            frequency: "DAILY".into(),
            declined: vec![],
            threshold: None,
        }),
        0..3,
    ));
    (budgets, monitors, subs)
        .prop_map(
            |(budgets, anomaly_monitors, anomaly_subscriptions)| GlobalSnapshot {
                budgets,
                anomaly_monitors,
                anomaly_subscriptions,
            },
        )
        .boxed()
}

pub fn snapshot() -> BoxedStrategy<AccountSnapshot> {
    (
        subsequence(REGIONS.to_vec(), 1..=3),
        region(REGIONS[0]),
        region(REGIONS[1]),
        region(REGIONS[2]),
        global(),
    )
        .prop_map(|(names, a, b, c, global)| {
            let all = BTreeMap::from([(REGIONS[0], a), (REGIONS[1], b), (REGIONS[2], c)]);
            AccountSnapshot {
                schema_version: SNAPSHOT_SCHEMA_VERSION,
                collected_at: now(),
                account: Account {
                    id: ACCOUNT.into(),
                    alias: None,
                    caller_arn: Some(format!("arn:aws:iam::{ACCOUNT}:user/ci")),
                    partition: "aws".into(),
                },
                regions: names
                    .into_iter()
                    .filter_map(|n| all.get(n).map(|r| (n.to_string(), r.clone())))
                    .collect(),
                global,
            }
        })
        .boxed()
}

fn reverse<T>(read: &mut Read<Vec<T>>) {
    if let Read::Ok(v) = read {
        v.reverse();
    }
}

/// The same account with every list of resources in the opposite order.
pub fn reversed(snapshot: &AccountSnapshot) -> AccountSnapshot {
    let mut s = snapshot.clone();
    for r in s.regions.values_mut() {
        reverse(&mut r.guardduty_detectors);
        reverse(&mut r.event_rules);
        if let Read::Ok(rules) = &mut r.event_rules {
            for rule in rules {
                rule.targets.reverse();
            }
        }
        reverse(&mut r.sns_topics);
        reverse(&mut r.sns_subscriptions);
        reverse(&mut r.trails);
        reverse(&mut r.config_recorders);
        reverse(&mut r.config_delivery_channels);
        reverse(&mut r.ecr_repositories);
        if let Read::Ok(reg) = &mut r.ecr_registry_scanning {
            reg.rules.reverse();
            for rule in &mut reg.rules {
                rule.filters.reverse();
            }
        }
        reverse(&mut r.rds_instances);
        reverse(&mut r.ecs_clusters);
        if let Read::Ok(clusters) = &mut r.ecs_clusters {
            for c in clusters {
                reverse(&mut c.services);
            }
        }
        reverse(&mut r.ecs_task_definitions);
        reverse(&mut r.alarms);
        if let Read::Ok(alarms) = &mut r.alarms {
            for a in alarms {
                a.alarm_actions.reverse();
                a.ok_actions.reverse();
                a.metrics.reverse();
            }
        }
        reverse(&mut r.alarm_history);
        reverse(&mut r.canaries);
        reverse(&mut r.load_balancers);
        reverse(&mut r.log_groups);
    }
    reverse(&mut s.global.budgets);
    if let Read::Ok(budgets) = &mut s.global.budgets {
        for b in budgets {
            reverse(&mut b.notifications);
        }
    }
    reverse(&mut s.global.anomaly_monitors);
    reverse(&mut s.global.anomaly_subscriptions);
    s
}
