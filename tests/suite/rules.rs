//! Every automated checklist item: pass, fail, could-not-check and not-applicable,
//! from small snapshots evaluated through the built-in checklist.

use std::collections::BTreeMap;

use chrono::Duration;
use onwatch::report::{FindingStatus, ItemStatus};
use onwatch::snapshot::*;

use crate::fixtures::*;

const NA: ItemStatus = ItemStatus::NotApplicable;
const PASS: ItemStatus = ItemStatus::Pass;
const FAIL: ItemStatus = ItemStatus::Fail;

#[test]
fn guardduty_enabled() {
    let id = "guardduty-enabled";
    let on = account(|r, _| {
        set(
            &mut r.guardduty_detectors,
            vec![GuardDutyDetector {
                id: "d1".into(),
                status: "ENABLED".into(),
                finding_publishing_frequency: None,
            }],
        )
    });
    assert_eq!(status(&on, id), PASS);
    assert_eq!(status(&account(|_, _| {}), id), FAIL, "no detector");
    let suspended = account(|r, _| {
        set(
            &mut r.guardduty_detectors,
            vec![GuardDutyDetector {
                id: "d1".into(),
                status: "DISABLED".into(),
                finding_publishing_frequency: None,
            }],
        )
    });
    assert_eq!(status(&suspended, id), FAIL, "a disabled detector");
    let denied_snap =
        account(|r, _| r.guardduty_detectors = Read::Failed(denied("guardduty:ListDetectors")));
    assert_could_not_check(&denied_snap, id, "guardduty:ListDetectors");
    let absent = account(|r, _| r.guardduty_detectors = Read::Failed(not_offered()));
    assert_eq!(status(&absent, id), NA);
}

fn guardduty_rule(pattern: &str, topic: &str) -> EventRule {
    EventRule {
        name: "guardduty-high".into(),
        arn: arn("events", "rule/guardduty-high"),
        event_bus: "default".into(),
        state: "ENABLED".into(),
        event_pattern: Some(pattern.into()),
        targets: vec![EventTarget {
            id: "t".into(),
            arn: topic.into(),
        }],
    }
}

const HIGH: &str = r#"{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",7]}]}}"#;

#[test]
fn guardduty_findings_routed() {
    let id = "guardduty-findings-routed";
    let routed = account(|r, _| {
        let t = add_topic(r, "security", true);
        set(&mut r.event_rules, vec![guardduty_rule(HIGH, &t)]);
    });
    assert_eq!(status(&routed, id), PASS);
    let pending = account(|r, _| {
        let t = add_topic(r, "security", false);
        set(&mut r.event_rules, vec![guardduty_rule(HIGH, &t)]);
    });
    assert_eq!(
        status(&pending, id),
        FAIL,
        "a pending subscription reaches nobody"
    );
    let only_critical = account(|r, _| {
        let t = add_topic(r, "security", true);
        let p = r#"{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",9]}]}}"#;
        set(&mut r.event_rules, vec![guardduty_rule(p, &t)]);
    });
    assert_eq!(
        status(&only_critical, id),
        FAIL,
        "severity 7-8.9 is not covered"
    );
    assert_eq!(status(&account(|_, _| {}), id), FAIL, "no rule");
    let rules_denied = account(|r, _| r.event_rules = Read::Failed(denied("events:ListRules")));
    assert_could_not_check(&rules_denied, id, "events:ListRules");
    let subs_denied = account(|r, _| {
        let t = add_topic(r, "security", true);
        set(&mut r.event_rules, vec![guardduty_rule(HIGH, &t)]);
        r.sns_subscriptions = Read::Failed(denied("sns:ListSubscriptions"));
    });
    assert_could_not_check(&subs_denied, id, "sns:ListSubscriptions");
    let absent = account(|r, _| r.event_rules = Read::Failed(not_offered()));
    assert_eq!(status(&absent, id), NA);
}

fn trail(multi: bool, validation: bool, logging: Read<bool>) -> Trail {
    Trail {
        name: "main".into(),
        arn: arn("cloudtrail", "trail/main"),
        home_region: "us-east-1".into(),
        is_multi_region: multi,
        log_file_validation: validation,
        is_logging: logging,
    }
}

#[test]
fn cloudtrail_multi_region() {
    let id = "cloudtrail-multi-region";
    let good = account(|r, _| set(&mut r.trails, vec![trail(true, true, Read::Ok(true))]));
    assert_eq!(status(&good, id), PASS);
    let single = account(|r, _| set(&mut r.trails, vec![trail(false, true, Read::Ok(true))]));
    assert_eq!(status(&single, id), FAIL, "single-region trail");
    let stopped = account(|r, _| set(&mut r.trails, vec![trail(true, true, Read::Ok(false))]));
    assert_eq!(status(&stopped, id), FAIL, "trail not logging");
    assert_eq!(status(&account(|_, _| {}), id), FAIL, "no trail");
    let status_denied = account(|r, _| {
        set(
            &mut r.trails,
            vec![trail(
                true,
                true,
                Read::Failed(denied("cloudtrail:GetTrailStatus")),
            )],
        )
    });
    assert_could_not_check(&status_denied, id, "cloudtrail:GetTrailStatus");
    let absent = account(|r, _| r.trails = Read::Failed(not_offered()));
    assert_eq!(status(&absent, id), NA);
}

#[test]
fn config_recording() {
    let id = "config-recording";
    let recorder = |recording: bool, last: &str| ConfigRecorder {
        name: "default".into(),
        recording,
        last_status: Some(last.into()),
        all_supported: true,
    };
    let channel = ConfigDeliveryChannel {
        name: "default".into(),
        s3_bucket: Some("config-bucket".into()),
    };
    let good = account(|r, _| {
        set(&mut r.config_recorders, vec![recorder(true, "SUCCESS")]);
        set(&mut r.config_delivery_channels, vec![channel.clone()]);
    });
    assert_eq!(status(&good, id), PASS);
    // A status newer than this build's SDK enum ("PENDING") is data, not a failure.
    let pending = account(|r, _| {
        set(&mut r.config_recorders, vec![recorder(true, "PENDING")]);
        set(&mut r.config_delivery_channels, vec![channel.clone()]);
    });
    assert_eq!(status(&pending, id), PASS);
    let stopped = account(|r, _| {
        set(&mut r.config_recorders, vec![recorder(false, "SUCCESS")]);
        set(&mut r.config_delivery_channels, vec![channel.clone()]);
    });
    assert_eq!(status(&stopped, id), FAIL);
    let no_channel = account(|r, _| set(&mut r.config_recorders, vec![recorder(true, "SUCCESS")]));
    assert_eq!(status(&no_channel, id), FAIL);
    assert_eq!(status(&account(|_, _| {}), id), FAIL, "no recorder");
    let denied_snap = account(|r, _| {
        r.config_recorders = Read::Failed(denied("config:DescribeConfigurationRecorders"))
    });
    assert_could_not_check(&denied_snap, id, "config:DescribeConfigurationRecorders");
    let absent = account(|r, _| r.config_recorders = Read::Failed(not_offered()));
    assert_eq!(status(&absent, id), NA);
}

#[test]
fn ecr_scan_on_push() {
    let id = "ecr-scan-on-push";
    let repo = |name: &str, scan: bool| EcrRepository {
        name: name.into(),
        arn: arn("ecr", &format!("repository/{name}")),
        scan_on_push: scan,
    };
    let good = account(|r, _| set(&mut r.ecr_repositories, vec![repo("api", true)]));
    assert_eq!(status(&good, id), PASS);
    let by_registry = account(|r, _| {
        set(&mut r.ecr_repositories, vec![repo("prod-api", false)]);
        r.ecr_registry_scanning = Read::Ok(RegistryScanning {
            scan_type: "ENHANCED".into(),
            rules: vec![RegistryScanRule {
                frequency: "SCAN_ON_PUSH".into(),
                filters: vec!["prod-*".into()],
            }],
        });
    });
    assert_eq!(
        status(&by_registry, id),
        PASS,
        "a registry rule matching the name counts"
    );
    let mixed = account(|r, _| {
        set(
            &mut r.ecr_repositories,
            vec![repo("api", true), repo("worker", false)],
        )
    });
    assert_eq!(status(&mixed, id), ItemStatus::Partial);
    let bad = account(|r, _| set(&mut r.ecr_repositories, vec![repo("worker", false)]));
    assert_eq!(status(&bad, id), FAIL);
    let denied_snap =
        account(|r, _| r.ecr_repositories = Read::Failed(denied("ecr:DescribeRepositories")));
    assert_could_not_check(&denied_snap, id, "ecr:DescribeRepositories");
    let registry_denied = account(|r, _| {
        set(&mut r.ecr_repositories, vec![repo("worker", false)]);
        r.ecr_registry_scanning = Read::Failed(denied("ecr:GetRegistryScanningConfiguration"));
    });
    assert_could_not_check(&registry_denied, id, "ecr:GetRegistryScanningConfiguration");
    assert_eq!(status(&account(|_, _| {}), id), NA, "no repositories");
}

#[test]
fn rds_performance_insights() {
    let id = "rds-performance-insights";
    let good = account(|r, _| {
        let mut d = db("main", "postgres");
        d.performance_insights = true;
        set(&mut r.rds_instances, vec![d]);
    });
    assert_eq!(status(&good, id), PASS);
    let bad = account(|r, _| set(&mut r.rds_instances, vec![db("main", "postgres")]));
    assert_eq!(status(&bad, id), FAIL);
    let denied_snap =
        account(|r, _| r.rds_instances = Read::Failed(denied("rds:DescribeDBInstances")));
    assert_could_not_check(&denied_snap, id, "rds:DescribeDBInstances");
    assert_eq!(status(&account(|_, _| {}), id), NA, "no instances");
    // A class that cannot run Performance Insights is not a failure (checklist parameter).
    let mut small = db("tiny", "aurora-mysql");
    small.class = "db.t3.small".into();
    let unsupported = account(|r, _| set(&mut r.rds_instances, vec![small]));
    assert_eq!(status(&unsupported, id), NA);
}

fn routed(r: &mut RegionSnapshot) -> Vec<String> {
    vec![add_topic(r, "ops", true)]
}

#[test]
fn rds_storage_headroom() {
    let id = "rds-storage-headroom";
    let autoscaling = account(|r, _| {
        let mut d = db("main", "postgres");
        d.max_allocated_storage = Some(100);
        set(&mut r.rds_instances, vec![d]);
    });
    assert_eq!(status(&autoscaling, id), PASS);
    let alarmed = account(|r, _| {
        let t = routed(r);
        add_alarm(
            r,
            alarm(
                "disk",
                "AWS/RDS",
                "FreeStorageSpace",
                &[("DBInstanceIdentifier", "main")],
                &t,
            ),
        );
        set(&mut r.rds_instances, vec![db("main", "postgres")]);
    });
    assert_eq!(
        status(&alarmed, id),
        PASS,
        "fixed storage with a routed free-space alarm"
    );
    let bad = account(|r, _| set(&mut r.rds_instances, vec![db("main", "postgres")]));
    assert_eq!(status(&bad, id), FAIL);
    let alarms_denied = account(|r, _| {
        set(&mut r.rds_instances, vec![db("main", "postgres")]);
        r.alarms = Read::Failed(denied("cloudwatch:DescribeAlarms"));
    });
    assert_could_not_check(&alarms_denied, id, "cloudwatch:DescribeAlarms");
    let aurora = account(|r, _| set(&mut r.rds_instances, vec![db("main", "aurora-postgresql")]));
    assert_eq!(status(&aurora, id), NA);
}

#[test]
fn rds_cpu_alarm() {
    let id = "rds-cpu-alarm";
    let good = account(|r, _| {
        let t = routed(r);
        add_alarm(
            r,
            alarm(
                "cpu",
                "AWS/RDS",
                "CPUUtilization",
                &[("DBInstanceIdentifier", "main")],
                &t,
            ),
        );
        set(&mut r.rds_instances, vec![db("main", "postgres")]);
    });
    assert_eq!(status(&good, id), PASS);
    let other_db = account(|r, _| {
        let t = routed(r);
        add_alarm(
            r,
            alarm(
                "cpu",
                "AWS/RDS",
                "CPUUtilization",
                &[("DBInstanceIdentifier", "other")],
                &t,
            ),
        );
        set(&mut r.rds_instances, vec![db("main", "postgres")]);
    });
    assert_eq!(
        status(&other_db, id),
        FAIL,
        "an alarm on another instance does not count"
    );
    let unrouted = account(|r, _| {
        add_alarm(
            r,
            alarm(
                "cpu",
                "AWS/RDS",
                "CPUUtilization",
                &[("DBInstanceIdentifier", "main")],
                &[],
            ),
        );
        set(&mut r.rds_instances, vec![db("main", "postgres")]);
    });
    assert_eq!(status(&unrouted, id), FAIL, "an alarm with no action");
    let denied_snap = account(|r, _| {
        set(&mut r.rds_instances, vec![db("main", "postgres")]);
        r.alarms = Read::Failed(denied("cloudwatch:DescribeAlarms"));
    });
    assert_could_not_check(&denied_snap, id, "cloudwatch:DescribeAlarms");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

#[test]
fn ecs_container_insights() {
    let id = "ecs-container-insights";
    let good = account(|r, _| {
        set(
            &mut r.ecs_clusters,
            vec![cluster("prod", Some("enhanced"), &[])],
        )
    });
    assert_eq!(status(&good, id), PASS);
    let bad = account(|r, _| set(&mut r.ecs_clusters, vec![cluster("prod", None, &[])]));
    assert_eq!(status(&bad, id), FAIL);
    let disabled = account(|r, _| {
        set(
            &mut r.ecs_clusters,
            vec![cluster("prod", Some("disabled"), &[])],
        )
    });
    assert_eq!(status(&disabled, id), FAIL);
    let denied_snap = account(|r, _| r.ecs_clusters = Read::Failed(denied("ecs:DescribeClusters")));
    assert_could_not_check(&denied_snap, id, "ecs:DescribeClusters");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

#[test]
fn ecs_service_alarms() {
    let id = "ecs-service-alarms";
    let dims = [("ClusterName", "prod"), ("ServiceName", "api")];
    let good = account(|r, _| {
        let t = routed(r);
        add_alarm(r, alarm("cpu", "AWS/ECS", "CPUUtilization", &dims, &t));
        add_alarm(r, alarm("mem", "AWS/ECS", "MemoryUtilization", &dims, &t));
        set(
            &mut r.ecs_clusters,
            vec![cluster("prod", Some("enabled"), &["api"])],
        );
    });
    assert_eq!(status(&good, id), PASS);
    let cpu_only = account(|r, _| {
        let t = routed(r);
        add_alarm(r, alarm("cpu", "AWS/ECS", "CPUUtilization", &dims, &t));
        set(
            &mut r.ecs_clusters,
            vec![cluster("prod", Some("enabled"), &["api"])],
        );
    });
    assert_eq!(status(&cpu_only, id), FAIL, "memory is not watched");
    let services_denied = account(|r, _| {
        let mut c = cluster("prod", Some("enabled"), &[]);
        c.services = Read::Failed(denied("ecs:ListServices"));
        set(&mut r.ecs_clusters, vec![c]);
    });
    assert_could_not_check(&services_denied, id, "ecs:ListServices");
    let no_services = account(|r, _| {
        set(
            &mut r.ecs_clusters,
            vec![cluster("prod", Some("enabled"), &[])],
        )
    });
    assert_eq!(status(&no_services, id), NA);
}

#[test]
fn synthetics_canary() {
    let id = "synthetics-canary";
    let canary = |state: &str| Canary {
        name: "homepage".into(),
        state: state.into(),
        schedule: Some("rate(5 minutes)".into()),
    };
    let good = account(|r, _| {
        let t = routed(r);
        add_alarm(
            r,
            alarm(
                "canary",
                "CloudWatchSynthetics",
                "SuccessPercent",
                &[("CanaryName", "homepage")],
                &t,
            ),
        );
        set(
            &mut r.load_balancers,
            vec![load_balancer("web", "application", "internet-facing")],
        );
        set(&mut r.canaries, vec![canary("RUNNING")]);
    });
    assert_eq!(status(&good, id), PASS);
    let unprobed = account(|r, _| {
        set(
            &mut r.load_balancers,
            vec![load_balancer("web", "application", "internet-facing")],
        )
    });
    assert_eq!(
        status(&unprobed, id),
        FAIL,
        "public endpoint without a canary"
    );
    let stopped = account(|r, _| {
        set(
            &mut r.load_balancers,
            vec![load_balancer("web", "application", "internet-facing")],
        );
        set(&mut r.canaries, vec![canary("STOPPED")]);
    });
    assert_eq!(
        status(&stopped, id),
        FAIL,
        "a stopped canary probes nothing"
    );
    let denied_snap = account(|r, _| {
        set(
            &mut r.load_balancers,
            vec![load_balancer("web", "application", "internet-facing")],
        );
        r.canaries = Read::Failed(denied("synthetics:DescribeCanaries"));
    });
    assert_could_not_check(&denied_snap, id, "synthetics:DescribeCanaries");
    let internal_only = account(|r, _| {
        set(
            &mut r.load_balancers,
            vec![load_balancer("web", "application", "internal")],
        )
    });
    assert_eq!(status(&internal_only, id), NA, "nothing public to probe");
}

#[test]
fn alb_alarms() {
    let id = "alb-alarms";
    let lb = load_balancer("web", "application", "internet-facing");
    let dim = lb
        .metric_dimension()
        .expect("ARN has loadbalancer/")
        .to_string();
    let good = account(|r, _| {
        let t = routed(r);
        let d = [("LoadBalancer", dim.as_str())];
        add_alarm(
            r,
            alarm(
                "5xx",
                "AWS/ApplicationELB",
                "HTTPCode_Target_5XX_Count",
                &d,
                &t,
            ),
        );
        add_alarm(
            r,
            alarm(
                "latency",
                "AWS/ApplicationELB",
                "TargetResponseTime",
                &d,
                &t,
            ),
        );
        set(&mut r.load_balancers, vec![lb.clone()]);
    });
    assert_eq!(status(&good, id), PASS);
    let bad = account(|r, _| set(&mut r.load_balancers, vec![lb.clone()]));
    assert_eq!(status(&bad, id), FAIL);
    let denied_snap = account(|r, _| {
        r.load_balancers = Read::Failed(denied("elasticloadbalancing:DescribeLoadBalancers"))
    });
    assert_could_not_check(
        &denied_snap,
        id,
        "elasticloadbalancing:DescribeLoadBalancers",
    );
    let nlb = account(|r, _| {
        set(
            &mut r.load_balancers,
            vec![load_balancer("tcp", "network", "internal")],
        )
    });
    assert_eq!(
        status(&nlb, id),
        NA,
        "a network load balancer has no HTTP metrics"
    );
}

#[test]
fn ecs_logging() {
    let id = "ecs-logging";
    let good = account(|r, _| {
        set(
            &mut r.ecs_task_definitions,
            vec![task_definition("api", Some("awslogs"), &[])],
        )
    });
    assert_eq!(status(&good, id), PASS);
    let bad = account(|r, _| {
        set(
            &mut r.ecs_task_definitions,
            vec![task_definition("api", None, &[])],
        )
    });
    assert_eq!(status(&bad, id), FAIL);
    let denied_snap =
        account(|r, _| r.ecs_task_definitions = Read::Failed(denied("ecs:DescribeTaskDefinition")));
    assert_could_not_check(&denied_snap, id, "ecs:DescribeTaskDefinition");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

#[test]
fn log_retention() {
    let id = "log-retention";
    let group = |days: Option<i64>| LogGroup {
        name: "/ecs/api".into(),
        arn: arn("logs", "log-group:/ecs/api"),
        retention_days: days,
        stored_bytes: Some(1024),
    };
    let good = account(|r, _| set(&mut r.log_groups, vec![group(Some(30))]));
    assert_eq!(status(&good, id), PASS);
    let forever = account(|r, _| set(&mut r.log_groups, vec![group(None)]));
    assert_eq!(status(&forever, id), FAIL, "never expire");
    let short = account(|r, _| set(&mut r.log_groups, vec![group(Some(3))]));
    assert_eq!(status(&short, id), FAIL, "shorter than the 7-day minimum");
    let denied_snap = account(|r, _| r.log_groups = Read::Failed(denied("logs:DescribeLogGroups")));
    assert_could_not_check(&denied_snap, id, "logs:DescribeLogGroups");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

#[test]
fn error_tracking_is_found_or_answered() {
    use onwatch::answers::{Answer, Answers, YesNo};
    let id = "error-tracking";
    let good = account(|r, _| {
        set(
            &mut r.ecs_task_definitions,
            vec![task_definition("api", Some("awslogs"), &["SENTRY_DSN"])],
        )
    });
    assert_eq!(status(&good, id), PASS);
    // No evidence in configuration: the tracker may live in code, so the user answers.
    let silent = account(|r, _| {
        set(
            &mut r.ecs_task_definitions,
            vec![task_definition("api", Some("awslogs"), &["PORT"])],
        )
    });
    let report = item(&silent, id);
    assert_eq!(report.status, ItemStatus::NotAnswered);
    let f = &report.findings[0];
    assert_eq!(
        f.status,
        FindingStatus::NotApplicable,
        "no evidence is neither pass nor fail, so an answer can decide: {f:?}"
    );
    assert!(f.evidence.contains("SENTRY_DSN"), "{f:?}");
    for (answer, expected) in [
        (YesNo::Yes, ItemStatus::AnsweredYes),
        (YesNo::No, ItemStatus::AnsweredNo),
    ] {
        let mut answers = Answers::default();
        answers.answers.insert(
            id.into(),
            Answer {
                answer,
                note: Some("Sentry is initialised in main.ts".into()),
                date: Some("2026-11-01".into()),
            },
        );
        let report = onwatch::evaluate(&builtin(), &silent, &answers, now());
        assert_eq!(report.item(id).map(|i| i.status), Some(expected));
    }
    let denied_snap =
        account(|r, _| r.ecs_task_definitions = Read::Failed(denied("ecs:DescribeTaskDefinition")));
    assert_could_not_check(&denied_snap, id, "ecs:DescribeTaskDefinition");
    assert_eq!(
        item(&account(|_, _| {}), id).findings[0].status,
        FindingStatus::NotApplicable
    );
}

#[test]
fn alarm_actions() {
    let id = "alarm-actions";
    let good = account(|r, _| {
        let t = routed(r);
        add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &t));
    });
    assert_eq!(status(&good, id), PASS);
    let void = account(|r, _| add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &[])));
    assert_eq!(status(&void, id), FAIL);
    let disabled = account(|r, _| {
        let t = routed(r);
        let mut a = alarm("a", "AWS/RDS", "CPUUtilization", &[], &t);
        a.actions_enabled = false;
        add_alarm(r, a);
    });
    assert_eq!(status(&disabled, id), FAIL, "actions disabled");
    let denied_snap = account(|r, _| r.alarms = Read::Failed(denied("cloudwatch:DescribeAlarms")));
    assert_could_not_check(&denied_snap, id, "cloudwatch:DescribeAlarms");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

#[test]
fn sns_confirmed_subscriptions() {
    let id = "sns-confirmed-subscriptions";
    let good = account(|r, _| {
        let t = routed(r);
        add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &t));
    });
    assert_eq!(status(&good, id), PASS);
    let pending = account(|r, _| {
        let t = vec![add_topic(r, "ops", false)];
        add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &t));
    });
    assert_eq!(status(&pending, id), FAIL, "pending confirmation only");
    let missing = account(|r, _| {
        add_alarm(
            r,
            alarm("a", "AWS/RDS", "CPUUtilization", &[], &[topic_arn("gone")]),
        )
    });
    assert_eq!(status(&missing, id), FAIL, "topic deleted");
    let denied_snap = account(|r, _| {
        let t = routed(r);
        add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &t));
        r.sns_subscriptions = Read::Failed(denied("sns:ListSubscriptions"));
    });
    assert_could_not_check(&denied_snap, id, "sns:ListSubscriptions");
    let unused = account(|r, _| {
        routed(r);
    });
    assert_eq!(
        status(&unused, id),
        NA,
        "no topic is used by an alarm or rule"
    );
}

#[test]
fn alarm_stuck() {
    let id = "alarm-stuck";
    let in_alarm = |days: i64| {
        account(move |r, _| {
            let t = routed(r);
            let mut a = alarm("a", "AWS/RDS", "CPUUtilization", &[], &t);
            a.state = "ALARM".into();
            a.state_updated_at = Some(now() - Duration::days(days));
            add_alarm(r, a);
        })
    };
    assert_eq!(
        status(&in_alarm(2), id),
        PASS,
        "two days in ALARM is an incident, not neglect"
    );
    assert_eq!(status(&in_alarm(30), id), FAIL);
    let denied_snap = account(|r, _| r.alarms = Read::Failed(denied("cloudwatch:DescribeAlarms")));
    assert_could_not_check(&denied_snap, id, "cloudwatch:DescribeAlarms");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

#[test]
fn alarm_flapping() {
    let id = "alarm-flapping";
    let with_changes = |n: i64| {
        account(move |r, _| {
            let t = routed(r);
            add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &t));
            let history = (0..n)
                .map(|i| AlarmStateChange {
                    alarm_name: "a".into(),
                    timestamp: now() - Duration::hours(i * 3 + 1),
                    summary: None,
                })
                .collect();
            r.alarm_history = Read::Ok(history);
        })
    };
    assert_eq!(status(&with_changes(3), id), PASS);
    assert_eq!(status(&with_changes(24), id), FAIL);
    let denied_snap = account(|r, _| {
        add_alarm(r, alarm("a", "AWS/RDS", "CPUUtilization", &[], &[]));
        r.alarm_history = Read::Failed(denied("cloudwatch:DescribeAlarmHistory"));
    });
    assert_could_not_check(&denied_snap, id, "cloudwatch:DescribeAlarmHistory");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

#[test]
fn alarm_response_pattern() {
    let id = "alarm-response-pattern";
    let tagged = |pattern: Option<&str>, routed_to_person: bool| {
        let pattern = pattern.map(str::to_string);
        account(move |r, _| {
            let t = if routed_to_person { routed(r) } else { vec![] };
            let mut a = alarm("a", "AWS/RDS", "CPUUtilization", &[], &t);
            a.tags = Read::Ok(
                pattern
                    .iter()
                    .map(|p| ("response-pattern".to_string(), p.clone()))
                    .collect::<BTreeMap<_, _>>(),
            );
            add_alarm(r, a);
        })
    };
    // The fixture's topic has one confirmed email subscription: a person, but nobody
    // is reached at once (rules/alerting.rs covers the channels act-now needs).
    assert_eq!(
        status(&tagged(Some("act-now"), true), id),
        FAIL,
        "act-now by email only"
    );
    assert_eq!(status(&tagged(Some("next-business-day"), true), id), PASS);
    assert_eq!(status(&tagged(Some("record-only"), false), id), PASS);
    assert_eq!(status(&tagged(None, true), id), FAIL, "untagged");
    assert_eq!(
        status(&tagged(Some("act-now"), false), id),
        FAIL,
        "act-now that reaches nobody"
    );
    assert_eq!(
        status(&tagged(Some("record-only"), true), id),
        FAIL,
        "record-only that pages people"
    );
    assert_eq!(status(&tagged(Some("know"), false), id), PASS);
    assert_eq!(
        status(&tagged(Some("know"), true), id),
        FAIL,
        "know notifies nobody"
    );
    assert_eq!(
        status(&tagged(Some("whenever"), true), id),
        FAIL,
        "unknown pattern"
    );
    let denied_snap = account(|r, _| {
        let mut a = alarm("a", "AWS/RDS", "CPUUtilization", &[], &[]);
        a.tags = Read::Failed(denied("cloudwatch:ListTagsForResource"));
        add_alarm(r, a);
    });
    assert_could_not_check(&denied_snap, id, "cloudwatch:ListTagsForResource");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

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

#[test]
fn every_built_in_automated_item_is_covered_here() {
    // The tests above name these items; a new item needs its own test.
    let tested = [
        "guardduty-enabled",
        "guardduty-findings-routed",
        "cloudtrail-multi-region",
        "config-recording",
        "ecr-scan-on-push",
        "rds-performance-insights",
        "rds-storage-headroom",
        "rds-cpu-alarm",
        "ecs-container-insights",
        "ecs-service-alarms",
        "synthetics-canary",
        "alb-alarms",
        "ecs-logging",
        "log-retention",
        "error-tracking",
        "alarm-actions",
        "sns-confirmed-subscriptions",
        "alarm-stuck",
        "alarm-flapping",
        "alarm-response-pattern",
        "budget-notification",
        "cost-anomaly-detection",
    ];
    let automated: Vec<String> = builtin()
        .items
        .iter()
        .filter(|i| !i.is_practice())
        .map(|i| i.id.clone())
        .collect();
    let mut a = automated.clone();
    a.sort();
    let mut t: Vec<String> = tested.iter().map(|s| s.to_string()).collect();
    t.sort();
    assert_eq!(a, t);
}

#[test]
fn practice_items_take_the_users_answer() {
    use onwatch::answers::{Answer, Answers, YesNo};
    // One passing item, so the score is neither 0 nor 100 before the answer.
    let snapshot = account(|r, _| {
        set(
            &mut r.guardduty_detectors,
            vec![GuardDutyDetector {
                id: "d1".into(),
                status: "ENABLED".into(),
                finding_publishing_frequency: None,
            }],
        )
    });
    let status_with = |answer: Option<YesNo>| {
        let mut answers = Answers::default();
        if let Some(a) = answer {
            answers.answers.insert(
                "practice-on-call-rotation".into(),
                Answer {
                    answer: a,
                    note: Some("weekly rotation in PagerDuty".into()),
                    date: Some("2026-11-01".into()),
                },
            );
        }
        let report = onwatch::evaluate(&builtin(), &snapshot, &answers, now());
        let item = report
            .item("practice-on-call-rotation")
            .expect("practice item")
            .clone();
        (item, report.score.overall)
    };
    let (unanswered, s0) = status_with(None);
    let (yes, s1) = status_with(Some(YesNo::Yes));
    let (no, s2) = status_with(Some(YesNo::No));
    assert_eq!(unanswered.status, ItemStatus::NotAnswered);
    assert_eq!(yes.status, ItemStatus::AnsweredYes);
    assert_eq!(no.status, ItemStatus::AnsweredNo);
    assert_eq!(
        yes.answer.as_ref().and_then(|a| a.date.as_deref()),
        Some("2026-11-01")
    );
    let (s0, s1, s2) = (
        s0.expect("scored"),
        s1.expect("scored"),
        s2.expect("scored"),
    );
    assert!(
        s1 > s0 && s0 > s2,
        "yes raises, no lowers the score: {s2} < {s0} < {s1}"
    );
}

mod alerting;
mod security;
