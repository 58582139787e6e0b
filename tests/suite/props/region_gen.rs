//! The generator of one region's snapshot (see generators.rs).

use onwatch::snapshot::*;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

use super::generators::{arn, metrics, read, text, when};
use crate::fixtures::ACCOUNT;

const TOPICS: [&str; 3] = ["ops", "security", "billing"];

pub(super) fn region(name: &'static str) -> BoxedStrategy<RegionSnapshot> {
    let topic_arns: Vec<String> = TOPICS.iter().map(|t| arn(name, "sns", t)).collect();
    let topics = {
        let arns = topic_arns.clone();
        read(
            subsequence(arns, 0..=3)
                .prop_flat_map(|v| {
                    let n = v.len();
                    (Just(v), proptest::collection::vec(0..6usize, n))
                })
                .prop_map(|(v, kinds)| {
                    v.into_iter()
                        .zip(kinds)
                        .map(|(arn, kind)| SnsTopic {
                            access: access(&arn, kind),
                            arn,
                        })
                        .collect()
                }),
        )
    };
    let subs = {
        let arns = topic_arns.clone();
        read(prop::collection::vec(
            (
                select(arns),
                any::<bool>(),
                select(vec!["email", "https", "sms", "lambda", "sqs", "firehose"]),
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
            metrics(),
            read(prop::option::of(select(vec![
                "act-now",
                "next-business-day",
                "record-only",
                "know",
                "??",
            ]))),
        )
            .prop_map(move |(i, state, since, enabled, acts, m, tag)| Alarm {
                name: format!("alarm-{i}"),
                arn: arn(name, "cloudwatch", &format!("alarm:alarm-{i}")),
                kind: "MetricAlarm".into(),
                description: None,
                alarm_rule: None,
                state: state.into(),
                state_updated_at: since,
                actions_enabled: enabled,
                alarm_actions: acts,
                ok_actions: vec![],
                insufficient_data_actions: vec![],
                metrics: m,
                condition: None,
                tags: match tag {
                    Read::Ok(t) => Read::Ok(
                        t.map(|t| ("response-pattern".to_string(), t.to_string()))
                            .into_iter()
                            .collect(),
                    ),
                    Read::Failed(e) => Read::Failed(e),
                },
            }),
        0..8,
    ));
    let history = read(prop::collection::vec(
        (0usize..50, when(), any::<bool>()).prop_map(|(i, t, drill)| AlarmStateChange {
            alarm_name: format!("alarm-{i}"),
            timestamp: t,
            summary: Some("Alarm updated from OK to ALARM".into()),
            old_state: Some("OK".into()),
            new_state: Some("ALARM".into()),
            drill,
        }),
        0..30,
    ));
    let detectors = read(prop::collection::vec(
        (text(), select(vec!["ENABLED", "DISABLED"])).prop_map(|(id, s)| GuardDutyDetector {
            id,
            status: s.into(),
            finding_publishing_frequency: None,
            filters: None,
        }),
        0..3,
    ));
    let rules = {
        let arns = topic_arns.clone();
        read(prop::collection::vec(
            (0usize..5, select(arns), select(vec![
                r#"{"source":["aws.guardduty"]}"#,
                r#"{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",9]}]}}"#,
                r#"{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",7,"<",9]}]}}"#,
                r#"{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"severity":[{"numeric":[">",6.9,"<=",10]}]}}"#,
                r#"{"source":["aws.guardduty"],"detail":{"severity":[7,7.5,8]}}"#,
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
                delivery_error: None,
                event_selectors: None,
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
                strategy: None,
                resource_types: vec![],
                excluded_types: vec![],
                frequency: None,
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
        (
            prop::collection::vec(
                (
                    select(vec!["SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL"]),
                    // With and without wildcards: "repo-1" and "epo" match by substring.
                    select(vec!["repo-1*", "*", "x", "repo-1", "epo", "*-2"]),
                )
                    .prop_map(|(f, p)| RegistryScanRule {
                        frequency: f.into(),
                        filters: vec![p.into()],
                    }),
                0..2,
            ),
            select(vec!["BASIC", "ENHANCED"]),
        )
            .prop_map(|(rules, scan_type)| RegistryScanning {
                scan_type: scan_type.into(),
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
                cluster: e.starts_with("aurora").then(|| "c0".to_string()),
                performance_insights: pi,
                database_insights_mode: None,
                allocated_storage: 50,
                max_allocated_storage: max,
                status: None,
                parameter_group: None,
                max_connections: None,
                pending_modifications: Vec::new(),
            }),
        0..3,
    ));
    let clusters = read(prop::collection::vec(
        (
            0usize..2,
            prop::option::of(select(vec!["enabled", "disabled"])),
            read(prop::collection::vec(0usize..2, 1..3)),
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
                                deployment_controller: None,
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
                    log_destination: None,
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
                class: None,
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
                    trail_shadows: None,
                    config_recorders: recorders,
                    config_delivery_channels: channels,
                    ecr_repositories: repos,
                    ecr_registry_scanning: registry,
                    rds_instances: dbs,
                    ecs_clusters: clusters,
                    ecs_task_definitions: tds,
                    alarms,
                    alarm_tags_read: None,
                    alarm_history: history,
                    canaries,
                    load_balancers: lbs,
                    log_groups: groups,
                }
            },
        )
        .boxed()
}

/// A topic's access: mostly open to every alert publisher; else not read, the default
/// policy alone (alarms only), or encrypted with the AWS managed key.
fn access(arn: &str, kind: usize) -> Option<Read<TopicAccess>> {
    let open = crate::fixtures::open_access(arn);
    match kind {
        3 => None,
        4 => open.map(|a| match a {
            Read::Ok(mut a) => {
                a.policy = a.policy.map(|p| p.replace("events.amazonaws.com", "none"));
                Read::Ok(a)
            }
            failed => failed,
        }),
        5 => open.map(|a| match a {
            Read::Ok(mut a) => {
                a.kms_key = Some("alias/aws/sns".into());
                Read::Ok(a)
            }
            failed => failed,
        }),
        _ => open,
    }
}
