//! Properties of evaluation and scoring over generated snapshots.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use onwatch::answers::Answers;
use onwatch::report::{FindingStatus, score_items};
use onwatch::snapshot::*;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

use crate::fixtures::{ACCOUNT, builtin, now};

const REGIONS: [&str; 3] = ["eu-west-1", "us-east-1", "us-west-2"];
const TOPICS: [&str; 3] = ["ops", "security", "billing"];

fn text() -> impl Strategy<Value = String> {
    // Names include characters a hostile account could use.
    "[a-z0-9=+<>\"'|/_-]{1,10}"
}

fn read_error() -> impl Strategy<Value = ReadError> {
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
fn read<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Read<T>> {
    prop_oneof![8 => s.prop_map(Read::Ok), 1 => read_error().prop_map(Read::Failed)].boxed()
}

fn when() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..40 * 24 * 3600, 0i64..1000)
        .prop_map(|(s, ms)| now() - Duration::seconds(s) - Duration::milliseconds(ms))
}

fn arn(region: &str, service: &str, rest: &str) -> String {
    format!("arn:aws:{service}:{region}:{ACCOUNT}:{rest}")
}

fn metric(db: usize) -> impl Strategy<Value = AlarmMetric> {
    (0usize..6, 0usize..db.max(1)).prop_map(|(m, i)| {
        let (ns, name, key) = [
            ("AWS/RDS", "CPUUtilization", "DBInstanceIdentifier"),
            ("AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier"),
            ("AWS/ECS", "CPUUtilization", "ClusterName"),
            ("AWS/ECS", "MemoryUtilization", "ClusterName"),
            ("AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer"),
            ("CloudWatchSynthetics", "SuccessPercent", "CanaryName"),
        ][m];
        AlarmMetric {
            namespace: ns.into(),
            metric_name: name.into(),
            dimensions: BTreeMap::from([(key.to_string(), format!("r{i}"))]),
        }
    })
}

fn region(name: &'static str) -> BoxedStrategy<RegionSnapshot> {
    let topic_arns: Vec<String> = TOPICS.iter().map(|t| arn(name, "sns", t)).collect();
    let topics = {
        let arns = topic_arns.clone();
        read(
            subsequence(arns, 0..=3)
                .prop_map(|v| v.into_iter().map(|arn| SnsTopic { arn }).collect()),
        )
    };
    let subs = {
        let arns = topic_arns.clone();
        read(prop::collection::vec(
            (
                select(arns),
                any::<bool>(),
                select(vec!["email", "https", "sms"]),
            )
                .prop_map(|(t, c, p)| SnsSubscription {
                    topic_arn: t,
                    protocol: p.into(),
                    endpoint: Some("someone@example.com".into()),
                    confirmed: c,
                }),
            0..4,
        ))
    };
    let actions = {
        let mut targets = topic_arns.clone();
        targets.push(arn(name, "lambda", "function:pager"));
        targets.push(format!(
            "arn:aws:autoscaling:{name}:{ACCOUNT}:scalingPolicy:x"
        ));
        subsequence(targets, 0..=2)
    };
    let alarms = read(prop::collection::vec(
        (
            0usize..50,
            select(vec!["OK", "ALARM", "INSUFFICIENT_DATA"]),
            prop::option::of(when()),
            any::<bool>(),
            actions,
            metric(3),
            read(prop::option::of(select(vec![
                "act-now",
                "record-only",
                "know",
                "??",
            ]))),
        )
            .prop_map(move |(i, state, since, enabled, acts, m, tag)| Alarm {
                name: format!("alarm-{i}"),
                arn: arn(name, "cloudwatch", &format!("alarm:alarm-{i}")),
                kind: "MetricAlarm".into(),
                state: state.into(),
                state_updated_at: since,
                actions_enabled: enabled,
                alarm_actions: acts,
                ok_actions: vec![],
                insufficient_data_actions: vec![],
                metrics: vec![m],
                tags: match tag {
                    Read::Ok(t) => Read::Ok(
                        t.map(|t| ("response-pattern".to_string(), t.to_string()))
                            .into_iter()
                            .collect(),
                    ),
                    Read::Failed(e) => Read::Failed(e),
                },
            }),
        0..6,
    ));
    let history = read(prop::collection::vec(
        (0usize..50, when()).prop_map(|(i, t)| AlarmStateChange {
            alarm_name: format!("alarm-{i}"),
            timestamp: t,
            summary: Some("Alarm updated from OK to ALARM".into()),
        }),
        0..30,
    ));
    let detectors = read(prop::collection::vec(
        (text(), select(vec!["ENABLED", "DISABLED"])).prop_map(|(id, s)| GuardDutyDetector {
            id,
            status: s.into(),
            finding_publishing_frequency: None,
        }),
        0..3,
    ));
    let rules =
        {
            let arns = topic_arns.clone();
            read(prop::collection::vec(
            (0usize..5, select(arns), select(vec![
                r#"{"source":["aws.guardduty"]}"#,
                r#"{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",9]}]}}"#,
                r#"{"source":["aws.ec2"]}"#,
                "not json",
            ]))
                .prop_map(move |(i, t, p)| EventRule {
                    name: format!("rule-{i}"),
                    arn: arn(name, "events", &format!("rule/rule-{i}")),
                    event_bus: "default".into(),
                    state: "ENABLED".into(),
                    event_pattern: Some(p.into()),
                    targets: vec![EventTarget { id: "t".into(), arn: t }],
                }),
            0..3,
        ))
        };
    let trails = read(prop::collection::vec(
        (0usize..4, any::<bool>(), any::<bool>(), read(any::<bool>())).prop_map(
            move |(i, m, v, l)| Trail {
                name: format!("trail-{i}"),
                arn: arn(name, "cloudtrail", &format!("trail/trail-{i}")),
                home_region: name.into(),
                is_multi_region: m,
                log_file_validation: v,
                is_logging: l,
            },
        ),
        0..3,
    ));
    let recorders = read(prop::collection::vec(
        (
            text(),
            any::<bool>(),
            select(vec!["SUCCESS", "FAILURE", "PENDING"]),
        )
            .prop_map(|(n, r, s)| ConfigRecorder {
                name: n,
                recording: r,
                last_status: Some(s.into()),
                all_supported: true,
            }),
        0..3,
    ));
    let channels = read(prop::collection::vec(
        text().prop_map(|n| ConfigDeliveryChannel {
            name: n,
            s3_bucket: None,
        }),
        0..2,
    ));
    let repos = read(prop::collection::vec(
        (0usize..20, any::<bool>()).prop_map(move |(i, s)| EcrRepository {
            name: format!("repo-{i}"),
            arn: arn(name, "ecr", &format!("repository/repo-{i}")),
            scan_on_push: s,
        }),
        0..5,
    ));
    let registry = read(
        prop::collection::vec(
            (
                select(vec!["SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL"]),
                select(vec!["repo-1*", "*", "x"]),
            )
                .prop_map(|(f, p)| RegistryScanRule {
                    frequency: f.into(),
                    filters: vec![p.into()],
                }),
            0..2,
        )
        .prop_map(|rules| RegistryScanning {
            scan_type: "ENHANCED".into(),
            rules,
        }),
    );
    let dbs = read(prop::collection::vec(
        (
            0usize..3,
            select(vec!["postgres", "mysql", "aurora-postgresql"]),
            any::<bool>(),
            prop::option::of(20i64..200),
        )
            .prop_map(move |(i, e, pi, max)| DbInstance {
                identifier: format!("r{i}"),
                arn: arn(name, "rds", &format!("db:r{i}")),
                engine: e.into(),
                engine_version: None,
                class: "db.t4g.micro".into(),
                performance_insights: pi,
                database_insights_mode: None,
                allocated_storage: 50,
                max_allocated_storage: max,
                status: None,
            }),
        0..3,
    ));
    let clusters = read(prop::collection::vec(
        (
            0usize..3,
            prop::option::of(select(vec!["enabled", "disabled"])),
            read(prop::collection::vec(0usize..3, 0..3)),
        )
            .prop_map(move |(i, ci, services)| EcsCluster {
                name: format!("r{i}"),
                arn: arn(name, "ecs", &format!("cluster/r{i}")),
                container_insights: ci.map(str::to_string),
                services: match services {
                    Read::Ok(s) => Read::Ok(
                        s.into_iter()
                            .map(|j| EcsService {
                                name: format!("svc-{j}"),
                                arn: arn(name, "ecs", &format!("service/r{i}/svc-{j}")),
                                task_definition: arn(name, "ecs", "task-definition/app:1"),
                                launch_type: None,
                            })
                            .collect(),
                    ),
                    Read::Failed(e) => Read::Failed(e),
                },
            }),
        0..3,
    ));
    let tds = read(prop::collection::vec(
        (
            0usize..4,
            prop::option::of(select(vec!["awslogs", "splunk"])),
            any::<bool>(),
        )
            .prop_map(move |(i, d, sentry)| TaskDefinition {
                arn: arn(name, "ecs", &format!("task-definition/app-{i}:1")),
                family: format!("app-{i}"),
                revision: 1,
                containers: vec![ContainerDefinition {
                    name: "app".into(),
                    log_driver: d.map(str::to_string),
                    environment_names: if sentry {
                        vec!["SENTRY_DSN".into()]
                    } else {
                        vec!["PORT".into()]
                    },
                    secret_names: vec![],
                }],
            }),
        0..3,
    ));
    let canaries = read(prop::collection::vec(
        (0usize..3, select(vec!["RUNNING", "STOPPED"])).prop_map(|(i, s)| Canary {
            name: format!("r{i}"),
            state: s.into(),
            schedule: None,
        }),
        0..3,
    ));
    let lbs = read(prop::collection::vec(
        (
            0usize..3,
            select(vec!["application", "network"]),
            select(vec!["internet-facing", "internal"]),
        )
            .prop_map(move |(i, k, s)| LoadBalancer {
                name: format!("lb-{i}"),
                arn: arn(
                    name,
                    "elasticloadbalancing",
                    &format!("loadbalancer/app/lb-{i}/0123"),
                ),
                kind: k.into(),
                scheme: s.into(),
                dns_name: None,
            }),
        0..3,
    ));
    let groups = read(prop::collection::vec(
        (
            0usize..30,
            prop::option::of(select(vec![1i64, 3, 7, 30, 365])),
        )
            .prop_map(move |(i, d)| LogGroup {
                name: format!("/app/{i}"),
                arn: arn(name, "logs", &format!("log-group:/app/{i}")),
                retention_days: d,
                stored_bytes: Some(i as i64 * 1000),
            }),
        0..6,
    ));
    (
        (
            detectors, rules, topics, subs, trails, recorders, channels, repos,
        ),
        (
            registry, dbs, clusters, tds, alarms, history, canaries, lbs, groups,
        ),
    )
        .prop_map(
            |(
                (detectors, rules, topics, subs, trails, recorders, channels, repos),
                (registry, dbs, clusters, tds, alarms, history, canaries, lbs, groups),
            )| {
                RegionSnapshot {
                    guardduty_detectors: detectors,
                    event_rules: rules,
                    sns_topics: topics,
                    sns_subscriptions: subs,
                    trails,
                    config_recorders: recorders,
                    config_delivery_channels: channels,
                    ecr_repositories: repos,
                    ecr_registry_scanning: registry,
                    rds_instances: dbs,
                    ecs_clusters: clusters,
                    ecs_task_definitions: tds,
                    alarms,
                    alarm_history: history,
                    canaries,
                    load_balancers: lbs,
                    log_groups: groups,
                }
            },
        )
        .boxed()
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

fn snapshot() -> BoxedStrategy<AccountSnapshot> {
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
fn reversed(snapshot: &AccountSnapshot) -> AccountSnapshot {
    let mut s = snapshot.clone();
    for r in s.regions.values_mut() {
        reverse(&mut r.guardduty_detectors);
        reverse(&mut r.event_rules);
        reverse(&mut r.sns_topics);
        reverse(&mut r.sns_subscriptions);
        reverse(&mut r.trails);
        reverse(&mut r.config_recorders);
        reverse(&mut r.config_delivery_channels);
        reverse(&mut r.ecr_repositories);
        if let Read::Ok(reg) = &mut r.ecr_registry_scanning {
            reg.rules.reverse();
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn scores_stay_between_0_and_100(snapshot in snapshot()) {
        let report = onwatch::evaluate(&builtin(), &snapshot, &Answers::default(), now());
        let s = &report.score;
        if let Some(o) = s.overall { prop_assert!((0.0..=100.0).contains(&o), "overall {o}"); }
        prop_assert!((0.0..=1.0).contains(&s.coverage), "coverage {}", s.coverage);
        for (id, c) in &s.categories {
            if let Some(v) = c.score { prop_assert!((0.0..=100.0).contains(&v), "{} {v}", id.id()); }
            prop_assert!((0.0..=1.0).contains(&c.coverage), "{} coverage {}", id.id(), c.coverage);
        }
    }

    #[test]
    fn a_failing_finding_turned_passing_never_lowers_the_score(snapshot in snapshot(), pick in any::<prop::sample::Index>()) {
        let report = onwatch::evaluate(&builtin(), &snapshot, &Answers::default(), now());
        let failing: Vec<(usize, usize)> = report.items.iter().enumerate().flat_map(|(i, item)| {
            item.findings.iter().enumerate().filter(|(_, f)| f.status == FindingStatus::Fail).map(move |(j, _)| (i, j))
        }).collect();
        prop_assume!(!failing.is_empty());
        let (i, j) = failing[pick.index(failing.len())];
        let before = score_items(&report.items);
        let mut items = report.items.clone();
        items[i].findings[j].status = FindingStatus::Pass;
        items[i].status = onwatch::evaluate::derive_status(&items[i].findings);
        let after = score_items(&items);
        let (b, a) = (before.overall.unwrap_or(0.0), after.overall.unwrap_or(0.0));
        prop_assert!(a >= b, "score went from {b} to {a}");
        let cat = items[i].category;
        let cb = before.categories.get(&cat).and_then(|c| c.score).unwrap_or(0.0);
        let ca = after.categories.get(&cat).and_then(|c| c.score).unwrap_or(0.0);
        prop_assert!(ca >= cb, "category {} went from {cb} to {ca}", cat.id());
    }

    #[test]
    fn resource_order_does_not_change_the_report(snapshot in snapshot()) {
        let checklist = builtin();
        let a = onwatch::evaluate(&checklist, &snapshot, &Answers::default(), now());
        let b = onwatch::evaluate(&checklist, &reversed(&snapshot), &Answers::default(), now());
        prop_assert_eq!(a.to_json().expect("json"), b.to_json().expect("json"));
    }

    #[test]
    fn a_snapshot_round_trips_through_json(snapshot in snapshot()) {
        let json = snapshot.to_json().expect("serialises");
        let back = AccountSnapshot::from_json(&json, "generated").expect("parses");
        prop_assert_eq!(back, snapshot);
    }
}
