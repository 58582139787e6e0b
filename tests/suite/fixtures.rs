//! Small hand-built snapshots for engine tests.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use onwatch::answers::Answers;
use onwatch::checklist::{self, Checklist};
use onwatch::report::{FindingStatus, ItemReport, ItemStatus, Report};
use onwatch::snapshot::*;

pub const ACCOUNT: &str = "123456789012";

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0)
        .single()
        .expect("valid date")
}

pub fn builtin() -> Checklist {
    checklist::load_builtin().expect("the built-in checklist loads")
}

/// A region where every read succeeded and found nothing.
pub fn region() -> RegionSnapshot {
    RegionSnapshot {
        guardduty_detectors: Read::Ok(vec![]),
        event_rules: Read::Ok(vec![]),
        sns_topics: Read::Ok(vec![]),
        sns_subscriptions: Read::Ok(vec![]),
        trails: Read::Ok(vec![]),
        trail_shadows: Some(vec![]),
        config_recorders: Read::Ok(vec![]),
        config_delivery_channels: Read::Ok(vec![]),
        ecr_repositories: Read::Ok(vec![]),
        ecr_registry_scanning: Read::Ok(RegistryScanning {
            scan_type: "BASIC".into(),
            rules: vec![],
        }),
        rds_instances: Read::Ok(vec![]),
        ecs_clusters: Read::Ok(vec![]),
        ecs_task_definitions: Read::Ok(vec![]),
        alarms: Read::Ok(vec![]),
        alarm_tags_read: None,
        alarm_history: Read::Ok(vec![]),
        canaries: Read::Ok(vec![]),
        load_balancers: Read::Ok(vec![]),
        log_groups: Read::Ok(vec![]),
    }
}

pub fn global() -> GlobalSnapshot {
    GlobalSnapshot {
        budgets: Read::Ok(vec![]),
        anomaly_monitors: Read::Ok(vec![]),
        anomaly_subscriptions: Read::Ok(vec![]),
    }
}

/// An account with one region, us-east-1, shaped by `f`.
pub fn account(f: impl FnOnce(&mut RegionSnapshot, &mut GlobalSnapshot)) -> AccountSnapshot {
    let mut r = region();
    let mut g = global();
    f(&mut r, &mut g);
    AccountSnapshot {
        schema_version: SNAPSHOT_SCHEMA_VERSION,
        collected_at: now(),
        account: Account {
            id: ACCOUNT.into(),
            alias: Some("fixture".into()),
            caller_arn: None,
            partition: "aws".into(),
        },
        regions: BTreeMap::from([("us-east-1".to_string(), r)]),
        global: g,
    }
}

pub fn denied(action: &str) -> ReadError {
    ReadError::AccessDenied {
        action: action.into(),
        message: format!("User is not authorized to perform: {action}"),
    }
}

pub fn not_offered() -> ReadError {
    ReadError::NotOffered {
        message: "the service is not offered in this region".into(),
    }
}

/// The demo account's report under the built-in checklist, at [`now`].
pub fn demo_report() -> Report {
    let snapshot = onwatch::demo::snapshot().expect("the demo snapshot loads");
    let answers = onwatch::demo::answers().expect("the demo answers load");
    onwatch::evaluate(&builtin(), &snapshot, &answers, now())
}

pub fn evaluate(snapshot: &AccountSnapshot) -> Report {
    onwatch::evaluate(&builtin(), snapshot, &Answers::default(), now())
}

pub fn item(snapshot: &AccountSnapshot, id: &str) -> ItemReport {
    evaluate(snapshot)
        .items
        .into_iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("item {id} is in the built-in checklist"))
}

pub fn status(snapshot: &AccountSnapshot, id: &str) -> ItemStatus {
    item(snapshot, id).status
}

/// Asserts the item could not be checked and names the missing permission.
pub fn assert_could_not_check(snapshot: &AccountSnapshot, id: &str, action: &str) {
    let report = item(snapshot, id);
    assert_eq!(
        report.status,
        ItemStatus::CouldNotCheck,
        "{id}: {:#?}",
        report.findings
    );
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.status != FindingStatus::Pass),
        "{id}: a failed read must never produce a pass"
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.missing_permission.as_deref() == Some(action)),
        "{id}: a finding names {action}: {:#?}",
        report.findings
    );
}

// ---- resources -------------------------------------------------------------

pub fn arn(service: &str, rest: &str) -> String {
    format!("arn:aws:{service}:us-east-1:{ACCOUNT}:{rest}")
}

pub fn topic_arn(name: &str) -> String {
    arn("sns", name)
}

/// The access of a topic every alert publisher may publish to: AWS's default topic
/// policy (which admits CloudWatch alarms) plus a statement for the EventBridge, Budgets
/// and Cost Anomaly Detection service principals; not encrypted.
pub fn open_access(topic: &str) -> Option<Read<TopicAccess>> {
    let policy = serde_json::json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [
            {
                "Sid": "__default_statement_ID",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["SNS:GetTopicAttributes", "SNS:Publish"],
                "Resource": topic,
                "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}
            },
            {
                "Sid": "alerts",
                "Effect": "Allow",
                "Principal": {"Service": [
                    "events.amazonaws.com",
                    "budgets.amazonaws.com",
                    "costalerts.amazonaws.com"
                ]},
                "Action": "sns:Publish",
                "Resource": topic
            }
        ]
    });
    Some(Read::Ok(TopicAccess {
        policy: Some(policy.to_string()),
        kms_key: None,
        key: None,
    }))
}

/// A topic with one subscription, confirmed or pending.
pub fn add_topic(r: &mut RegionSnapshot, name: &str, confirmed: bool) -> String {
    let topic = topic_arn(name);
    if let Read::Ok(t) = &mut r.sns_topics {
        t.push(SnsTopic {
            arn: topic.clone(),
            access: open_access(&topic),
        });
    }
    if let Read::Ok(s) = &mut r.sns_subscriptions {
        s.push(SnsSubscription {
            topic_arn: topic.clone(),
            protocol: "email".into(),
            endpoint: Some("ops@example.com".into()),
            confirmed,
        });
    }
    topic
}

pub fn alarm(
    name: &str,
    namespace: &str,
    metric: &str,
    dimensions: &[(&str, &str)],
    actions: &[String],
) -> Alarm {
    Alarm {
        name: name.into(),
        arn: arn("cloudwatch", &format!("alarm:{name}")),
        kind: "MetricAlarm".into(),
        description: None,
        alarm_rule: None,
        state: "OK".into(),
        state_updated_at: Some(now() - chrono::Duration::days(1)),
        actions_enabled: true,
        alarm_actions: actions.to_vec(),
        ok_actions: vec![],
        insufficient_data_actions: vec![],
        metrics: vec![AlarmMetric {
            namespace: namespace.into(),
            metric_name: metric.into(),
            dimensions: dimensions
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }],
        condition: None,
        tags: Read::Ok(BTreeMap::new()),
    }
}

pub fn add_alarm(r: &mut RegionSnapshot, alarm: Alarm) {
    if let Read::Ok(a) = &mut r.alarms {
        a.push(alarm);
    }
}

pub fn db(identifier: &str, engine: &str) -> DbInstance {
    DbInstance {
        identifier: identifier.into(),
        arn: arn("rds", &format!("db:{identifier}")),
        engine: engine.into(),
        engine_version: None,
        class: "db.t4g.medium".into(),
        cluster: None,
        performance_insights: false,
        database_insights_mode: None,
        allocated_storage: 20,
        max_allocated_storage: None,
        status: Some("available".into()),
        parameter_group: None,
        max_connections: None,
        pending_modifications: Vec::new(),
    }
}

pub fn cluster(name: &str, insights: Option<&str>, services: &[&str]) -> EcsCluster {
    EcsCluster {
        name: name.into(),
        arn: arn("ecs", &format!("cluster/{name}")),
        container_insights: insights.map(str::to_string),
        services: Read::Ok(
            services
                .iter()
                .map(|s| EcsService {
                    name: s.to_string(),
                    arn: arn("ecs", &format!("service/{name}/{s}")),
                    task_definition: arn("ecs", &format!("task-definition/{s}:1")),
                    launch_type: Some("FARGATE".into()),
                    deployment_controller: None,
                })
                .collect(),
        ),
    }
}

pub fn task_definition(family: &str, log_driver: Option<&str>, env: &[&str]) -> TaskDefinition {
    TaskDefinition {
        arn: arn("ecs", &format!("task-definition/{family}:1")),
        family: family.into(),
        revision: 1,
        containers: vec![ContainerDefinition {
            name: "app".into(),
            log_driver: log_driver.map(str::to_string),
            log_destination: None,
            environment_names: env.iter().map(|s| s.to_string()).collect(),
            secret_names: vec![],
        }],
    }
}

pub fn load_balancer(name: &str, kind: &str, scheme: &str) -> LoadBalancer {
    let short = if kind == "network" { "net" } else { "app" };
    LoadBalancer {
        name: name.into(),
        arn: arn(
            "elasticloadbalancing",
            &format!("loadbalancer/{short}/{name}/50dc6c495c0c9188"),
        ),
        kind: kind.into(),
        scheme: scheme.into(),
        dns_name: None,
    }
}

pub fn set<T>(read: &mut Read<Vec<T>>, items: Vec<T>) {
    *read = Read::Ok(items);
}

/// The demo account a week earlier, when GuardDuty ran in us-west-2 and not in
/// eu-west-1 (today it is the other way round).
pub fn demo_week_earlier() -> AccountSnapshot {
    let mut old = onwatch::demo::snapshot().expect("the demo loads");
    old.collected_at -= chrono::Duration::days(7);
    let eu = old
        .regions
        .get("eu-west-1")
        .map(|r| r.guardduty_detectors.clone())
        .expect("the demo scans eu-west-1");
    assert!(
        eu.ok().is_some_and(|d| !d.is_empty()),
        "the demo has GuardDuty on in eu-west-1"
    );
    for (region, detectors) in [("eu-west-1", Read::Ok(vec![])), ("us-west-2", eu)] {
        if let Some(r) = old.regions.get_mut(region) {
            r.guardduty_detectors = detectors;
        }
    }
    old
}
