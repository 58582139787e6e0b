//! Verdicts an AWS operations engineer would sign: the scan and the rules together, on
//! the local endpoint, for the cases where a naive reading passes what cannot alert or
//! fails what is healthy.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use onwatch::report::{FindingStatus, ItemReport};

use super::{evaluate, item};
use crate::local_aws::LocalAws;

const REGION: &str = "us-east-1";

/// `n` backdated state changes of `alarm`, alternating between `a` and `b`, spread
/// over the last six days and ending in `a`.
fn alternate(aws: &LocalAws, alarm: &str, a: &str, b: &str, n: usize) {
    let now = Utc::now();
    let step = Duration::hours(6 * 24) / i32::try_from(n + 1).unwrap_or(1);
    let at = |i: usize| -> DateTime<Utc> {
        now - Duration::days(6) + step * i32::try_from(i + 1).unwrap_or(0)
    };
    let changes: Vec<Value> = (0..n)
        .map(|i| {
            let (old, new) = if i % 2 == 0 { (a, b) } else { (b, a) };
            json!({"timestamp": at(i).to_rfc3339(), "old": old, "new": new})
        })
        .collect();
    aws.post(
        "/_onwatch/cloudwatch/history",
        &json!({"alarm_name": alarm, "region": REGION, "changes": changes}),
    );
}

fn finding_of<'a>(it: &'a ItemReport, alarm: &str) -> &'a onwatch::report::Finding {
    it.findings
        .iter()
        .find(|f| f.resource.ends_with(&format!(":alarm:{alarm}")))
        .unwrap_or_else(|| panic!("no finding for {alarm}: {:#?}", it.findings))
}

/// Issue 10, point 11: only changes into and out of ALARM run alarm actions; an alarm
/// on a metric that reports now and then goes OK <-> INSUFFICIENT_DATA all day and
/// tells nobody, so it does not flap.
#[tokio::test(flavor = "multi_thread")]
async fn flapping_counts_only_changes_into_and_out_of_alarm() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    alternate(&aws, "shop-db-cpu", "OK", "INSUFFICIENT_DATA", 24);
    alternate(&aws, "shop-db-free-storage", "OK", "ALARM", 24);
    let snapshot = aws.collect(&[REGION]).await;
    let history = snapshot.regions[REGION]
        .alarm_history
        .ok()
        .expect("history");
    assert!(
        history
            .iter()
            .filter(|c| c.alarm_name == "shop-db-cpu")
            .all(|c| c.old_state.is_some() && c.new_state.is_some()),
        "the states come from HistoryData: {history:#?}"
    );

    let report = evaluate(&snapshot);
    let it = item(&report, "alarm-flapping");
    let quiet = finding_of(it, "shop-db-cpu");
    assert_eq!(quiet.status, FindingStatus::Pass, "{quiet:#?}");
    assert!(quiet.evidence.starts_with("0 changes into or out of ALARM"));
    let noisy = finding_of(it, "shop-db-free-storage");
    assert_eq!(noisy.status, FindingStatus::Fail, "{noisy:#?}");
    assert!(noisy.evidence.starts_with("24 changes"), "{noisy:#?}");
}

/// Issue 10, point 14: a log group of the DELIVERY class has a retention AWS sets, so
/// log-retention does not judge it; containers that ship logs to Splunk or Fluentd
/// pass ecs-logging, with the destination (never the token) as evidence, and a driver
/// that writes to the instance's disk does not.
#[tokio::test(flavor = "multi_thread")]
async fn delivery_log_groups_and_log_services_other_than_cloudwatch() {
    use aws_sdk_ecs::types::{
        Compatibility, ContainerDefinition, LogConfiguration, LogDriver, NetworkMode,
    };
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    aws_sdk_cloudwatchlogs::Client::new(&aws.sdk)
        .create_log_group()
        .log_group_name("/aws/vendedlogs/delivery-sink")
        .log_group_class(aws_sdk_cloudwatchlogs::types::LogGroupClass::Delivery)
        .send()
        .await
        .expect("CreateLogGroup DELIVERY");

    let ecs = aws_sdk_ecs::Client::new(&aws.sdk);
    let container = |name: &str, driver: LogDriver, options: &[(&str, &str)]| {
        let mut log = LogConfiguration::builder().log_driver(driver);
        for (k, v) in options {
            log = log.options(*k, *v);
        }
        ContainerDefinition::builder()
            .name(name)
            .image("public.ecr.aws/docker/library/nginx:latest")
            .essential(true)
            .memory(256)
            .log_configuration(log.build().expect("log configuration"))
            .build()
    };
    let register = |family: &str, containers: Vec<ContainerDefinition>| {
        ecs.register_task_definition()
            .family(family)
            .set_container_definitions(Some(containers))
            .requires_compatibilities(Compatibility::Fargate)
            .network_mode(NetworkMode::Awsvpc)
            .cpu("256")
            .memory("512")
            .send()
    };
    let shipped = register(
        "shop-worker",
        vec![
            container(
                "worker",
                LogDriver::Splunk,
                &[
                    ("splunk-url", "https://splunk.example.com:8088"),
                    ("splunk-token", "00000000-secret-token"),
                ],
            ),
            container(
                "sidecar",
                LogDriver::Fluentd,
                &[("fluentd-address", "fluentd.internal:24224")],
            ),
        ],
    )
    .await
    .expect("RegisterTaskDefinition");
    let on_disk = register(
        "shop-cron",
        vec![container("cron", LogDriver::JsonFile, &[])],
    )
    .await
    .expect("RegisterTaskDefinition");
    for (name, td) in [("shop-worker", shipped), ("shop-cron", on_disk)] {
        let arn = td
            .task_definition()
            .and_then(|t| t.task_definition_arn())
            .expect("arn")
            .to_string();
        ecs.create_service()
            .cluster("shop")
            .service_name(name)
            .task_definition(arn)
            .desired_count(1)
            .launch_type(aws_sdk_ecs::types::LaunchType::Fargate)
            .send()
            .await
            .expect("CreateService");
    }

    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);

    let retention = item(&report, "log-retention");
    let delivery = retention
        .findings
        .iter()
        .find(|f| f.resource.contains("delivery-sink"))
        .expect("the DELIVERY group is listed");
    assert_eq!(
        delivery.status,
        FindingStatus::NotApplicable,
        "{delivery:#?}"
    );

    let logging = item(&report, "ecs-logging");
    let worker = logging
        .findings
        .iter()
        .find(|f| f.resource.contains("task-definition/shop-worker"))
        .expect("shop-worker is judged");
    assert_eq!(worker.status, FindingStatus::Pass, "{worker:#?}");
    assert!(
        worker
            .evidence
            .contains("worker: splunk → https://splunk.example.com:8088")
            && worker
                .evidence
                .contains("sidecar: fluentd → fluentd.internal:24224"),
        "{worker:#?}"
    );
    let json = serde_json::to_string(&snapshot).expect("snapshot JSON");
    assert!(!json.contains("secret-token"), "a token is never kept");
    let cron = logging
        .findings
        .iter()
        .find(|f| f.resource.contains("task-definition/shop-cron"))
        .expect("shop-cron is judged");
    assert_eq!(cron.status, FindingStatus::Fail, "{cron:#?}");
}

/// Issue 10, point 10: the alarms a target-tracking scaling policy creates belong to
/// AWS (their low alarm sits in ALARM whenever load is low, and tells nobody by
/// design): they are listed as managed by AWS, not judged, and the healthy account
/// stays healthy.
#[tokio::test(flavor = "multi_thread")]
async fn target_tracking_alarms_are_aws_s_and_not_judged() {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, Statistic};
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let policy = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:6d8972f3-efc8-437c-92d1-6270f29a66e7:resource/ecs/service/shop/shop-api:policyName/cpu-target";
    let cw = aws_sdk_cloudwatch::Client::new(&aws.sdk);
    for (suffix, op, threshold) in [
        ("AlarmHigh", ComparisonOperator::GreaterThanThreshold, 60.0),
        ("AlarmLow", ComparisonOperator::LessThanThreshold, 54.0),
    ] {
        cw.put_metric_alarm()
            .alarm_name(format!(
                "TargetTracking-service/shop/shop-api-{suffix}-0d5b4f2c-3c1e-4f6e-9d63-2f1f4b0b7e11"
            ))
            .alarm_description(format!(
                "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {policy}."
            ))
            .namespace("AWS/ECS")
            .metric_name("CPUUtilization")
            .dimensions(
                Dimension::builder()
                    .name("ClusterName")
                    .value("shop")
                    .build(),
            )
            .dimensions(
                Dimension::builder()
                    .name("ServiceName")
                    .value("shop-api")
                    .build(),
            )
            .statistic(Statistic::Average)
            .period(60)
            .evaluation_periods(3)
            .threshold(threshold)
            .comparison_operator(op)
            .alarm_actions(policy)
            .send()
            .await
            .expect("PutMetricAlarm");
    }
    // The low alarm has been in ALARM for ten days: the service is quiet.
    aws.post(
        "/_onwatch/cloudwatch/history",
        &json!({
            "alarm_name": "TargetTracking-service/shop/shop-api-AlarmLow-0d5b4f2c-3c1e-4f6e-9d63-2f1f4b0b7e11",
            "region": REGION,
            "changes": [{"timestamp": (Utc::now() - Duration::days(10)).to_rfc3339(), "old": "OK", "new": "ALARM"}],
        }),
    );
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    for id in [
        "alarm-actions",
        "alarm-stuck",
        "alarm-flapping",
        "alarm-response-pattern",
    ] {
        let it = item(&report, id);
        let owned: Vec<_> = it
            .findings
            .iter()
            .filter(|f| f.resource.contains(":alarm:TargetTracking-"))
            .collect();
        assert_eq!(owned.len(), 2, "{id}: {:#?}", it.findings);
        for f in owned {
            assert_eq!(f.status, FindingStatus::NotApplicable, "{id}: {f:#?}");
            assert!(
                f.reason
                    .as_deref()
                    .is_some_and(|r| r.starts_with("managed by Auto Scaling")),
                "{f:#?}"
            );
        }
        assert_eq!(
            it.status,
            onwatch::report::ItemStatus::Pass,
            "{id}: the healthy account stays healthy: {:#?}",
            it.findings
        );
    }
}

/// Issue 10, point 17: a multi-region trail that is logging but has no log file
/// validation loses half the critical item (one failing finding, for validation),
/// not all of it.
#[tokio::test(flavor = "multi_thread")]
async fn a_trail_without_only_log_file_validation_is_partial() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    aws_sdk_cloudtrail::Client::new(&aws.sdk)
        .update_trail()
        .name("org-trail")
        .enable_log_file_validation(false)
        .send()
        .await
        .expect("UpdateTrail");
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    let it = item(&report, "cloudtrail-multi-region");
    assert_eq!(
        it.status,
        onwatch::report::ItemStatus::Partial,
        "{:#?}",
        it.findings
    );
    assert_eq!(it.count(FindingStatus::Pass), 1, "{:#?}", it.findings);
    let failing: Vec<_> = it
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Fail)
        .collect();
    assert_eq!(failing.len(), 1, "{:#?}", it.findings);
    assert!(
        failing[0].evidence.contains("log file validation = false"),
        "{failing:#?}"
    );
}

/// Issue 10, point 2: a recorder that records only a list of types fails and names
/// them; one that records every supported type but excludes some passes with the
/// exclusions in the evidence, and daily recording is said in the evidence.
#[tokio::test(flavor = "multi_thread")]
async fn config_that_records_only_part_of_the_account_fails() {
    use aws_sdk_config::types::{
        ConfigurationRecorder, ExclusionByResourceTypes, RecordingFrequency, RecordingGroup,
        RecordingMode, RecordingStrategy, RecordingStrategyType, ResourceType,
    };
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION, "eu-west-1"]);
    let role = "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";
    let put = |region: &'static str, group: RecordingGroup, mode: Option<RecordingMode>| {
        let sdk = aws.sdk.clone();
        async move {
            let config = aws_sdk_config::config::Builder::from(&sdk)
                .region(aws_types::region::Region::new(region))
                .build();
            aws_sdk_config::Client::from_conf(config)
                .put_configuration_recorder()
                .configuration_recorder(
                    ConfigurationRecorder::builder()
                        .name("default")
                        .role_arn(role)
                        .recording_group(group)
                        .set_recording_mode(mode)
                        .build(),
                )
                .send()
                .await
                .expect("PutConfigurationRecorder")
        }
    };
    // us-east-1 records two types only.
    put(
        REGION,
        RecordingGroup::builder()
            .all_supported(false)
            .include_global_resource_types(false)
            .resource_types(ResourceType::Instance)
            .resource_types(ResourceType::Bucket)
            .recording_strategy(
                RecordingStrategy::builder()
                    .use_only(RecordingStrategyType::InclusionByResourceTypes)
                    .build(),
            )
            .build(),
        None,
    )
    .await;
    // eu-west-1 records everything but one type, once a day.
    put(
        "eu-west-1",
        RecordingGroup::builder()
            .all_supported(false)
            .include_global_resource_types(false)
            .exclusion_by_resource_types(
                ExclusionByResourceTypes::builder()
                    .resource_types(ResourceType::NetworkInterface)
                    .build(),
            )
            .recording_strategy(
                RecordingStrategy::builder()
                    .use_only(RecordingStrategyType::ExclusionByResourceTypes)
                    .build(),
            )
            .build(),
        Some(
            RecordingMode::builder()
                .recording_frequency(RecordingFrequency::Daily)
                .build()
                .expect("recording mode"),
        ),
    )
    .await;
    let snapshot = aws.collect(&[REGION, "eu-west-1"]).await;
    let report = evaluate(&snapshot);
    let it = item(&report, "config-recording");
    let in_region = |region: &str| {
        it.findings
            .iter()
            .find(|f| f.region == region)
            .unwrap_or_else(|| panic!("{region}: {:#?}", it.findings))
    };
    let us = in_region(REGION);
    assert_eq!(us.status, FindingStatus::Fail, "{us:#?}");
    assert!(
        us.evidence
            .contains("records only 2 resource types (AWS::EC2::Instance, AWS::S3::Bucket)"),
        "{us:#?}"
    );
    let eu = in_region("eu-west-1");
    assert_eq!(eu.status, FindingStatus::Pass, "{eu:#?}");
    assert!(
        eu.evidence.contains(
            "all supported types except 1 (AWS::EC2::NetworkInterface), recording frequency = DAILY"
        ),
        "{eu:#?}"
    );
}

fn trail_finding(report: &onwatch::report::Report) -> (onwatch::report::ItemStatus, String) {
    let it = item(report, "cloudtrail-multi-region");
    let evidence: Vec<&str> = it.findings.iter().map(|f| f.evidence.as_str()).collect();
    (it.status, evidence.join(" | "))
}

/// Issue 10, point 3: a trail that records no management events, or whose last
/// delivery failed (its bucket is gone), is no record of who did what, whatever its
/// other properties say.
#[tokio::test(flavor = "multi_thread")]
async fn a_trail_without_management_events_or_delivery_does_not_pass() {
    use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};
    use onwatch::report::ItemStatus;
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let ct = aws_sdk_cloudtrail::Client::new(&aws.sdk);
    let (status, _) = trail_finding(&evaluate(&aws.collect(&[REGION]).await));
    assert_eq!(status, ItemStatus::Pass, "the healthy trail passes first");
    let calls = aws.calls();
    assert_eq!(
        calls["regions"][REGION]["cloudtrail"]["GetEventSelectors"].as_u64(),
        Some(1),
        "{calls}"
    );

    ct.put_event_selectors()
        .trail_name("org-trail")
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::All)
                .include_management_events(false)
                .build(),
        )
        .send()
        .await
        .expect("PutEventSelectors");
    let (status, evidence) = trail_finding(&evaluate(&aws.collect(&[REGION]).await));
    assert_eq!(status, ItemStatus::Fail, "{evidence}");
    assert!(
        evidence.contains("management events = not recorded"),
        "{evidence}"
    );

    // Management events back on; then the bucket goes away.
    ct.put_event_selectors()
        .trail_name("org-trail")
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::All)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .expect("PutEventSelectors");
    aws.delete_bucket("cloudtrail-123456789012");
    aws.clear_calls();
    let (status, evidence) = trail_finding(&evaluate(&aws.collect(&[REGION]).await));
    assert_eq!(status, ItemStatus::Fail, "{evidence}");
    assert!(
        evidence.contains("last delivery error = NoSuchBucket"),
        "{evidence}"
    );
    let calls = aws.calls();
    assert_eq!(
        calls["regions"][REGION]["cloudtrail"]["GetEventSelectors"].as_u64(),
        Some(1),
        "{calls}"
    );
}

/// ... and a trail that fails anyway costs no GetEventSelectors call.
#[tokio::test(flavor = "multi_thread")]
async fn a_failing_trail_costs_no_event_selector_read() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let (status, _) = trail_finding(&evaluate(&aws.collect(&[REGION]).await));
    assert_eq!(status, onwatch::report::ItemStatus::Fail);
    let calls = aws.calls();
    assert_eq!(
        calls["regions"][REGION]["cloudtrail"]["GetEventSelectors"].as_u64(),
        None,
        "{calls}"
    );
}

/// Issue 10, point 6: an account that runs a database, a service and a load balancer
/// and has not one alarm is not "nothing to check": nothing will ever alert.
#[tokio::test(flavor = "multi_thread")]
async fn workloads_without_a_single_alarm_fail_alarm_actions() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let cw = aws_sdk_cloudwatch::Client::new(&aws.sdk);
    let names: Vec<String> = cw
        .describe_alarms()
        .send()
        .await
        .expect("DescribeAlarms")
        .metric_alarms()
        .iter()
        .filter_map(|a| a.alarm_name().map(str::to_string))
        .collect();
    assert!(!names.is_empty());
    cw.delete_alarms()
        .set_alarm_names(Some(names))
        .send()
        .await
        .expect("DeleteAlarms");
    let report = evaluate(&aws.collect(&[REGION]).await);
    let it = item(&report, "alarm-actions");
    assert_eq!(
        it.status,
        onwatch::report::ItemStatus::Fail,
        "{:#?}",
        it.findings
    );
    let finding = &it.findings[0];
    assert_eq!(
        finding.reason.as_deref(),
        Some("no alarm exists: nothing will ever alert")
    );
    assert!(
        finding
            .evidence
            .contains("1 DB instances, 1 ECS services, 1 load balancers"),
        "{finding:#?}"
    );
}

/// Issue 10, point 12: an application's fan-out topic (EventBridge -> SNS -> SQS
/// workers) is not an alert topic; the GuardDuty route's topic still is.
#[tokio::test(flavor = "multi_thread")]
async fn an_applications_fan_out_topic_is_not_an_alert_topic() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let sns = aws_sdk_sns::Client::new(&aws.sdk);
    let topic = sns
        .create_topic()
        .name("orders-fanout")
        .send()
        .await
        .expect("CreateTopic")
        .topic_arn()
        .expect("arn")
        .to_string();
    sns.subscribe()
        .topic_arn(&topic)
        .protocol("sqs")
        .endpoint("arn:aws:sqs:us-east-1:123456789012:order-workers")
        .send()
        .await
        .expect("Subscribe");
    let events = aws_sdk_eventbridge::Client::new(&aws.sdk);
    events
        .put_rule()
        .name("orders-created")
        .event_pattern(r#"{"source":["shop.orders"],"detail-type":["OrderCreated"]}"#)
        .send()
        .await
        .expect("PutRule");
    events
        .put_targets()
        .rule("orders-created")
        .targets(
            aws_sdk_eventbridge::types::Target::builder()
                .id("fanout")
                .arn(&topic)
                .build()
                .expect("target"),
        )
        .send()
        .await
        .expect("PutTargets");
    let report = evaluate(&aws.collect(&[REGION]).await);
    let it = item(&report, "sns-confirmed-subscriptions");
    assert!(
        it.findings
            .iter()
            .all(|f| !f.resource.contains("orders-fanout")),
        "{:#?}",
        it.findings
    );
    assert!(
        it.findings
            .iter()
            .any(|f| f.resource.ends_with(":ops-alerts")
                && f.evidence.contains("rule guardduty-high-findings")),
        "the GuardDuty route's topic is judged: {:#?}",
        it.findings
    );
    assert_eq!(it.status, onwatch::report::ItemStatus::Pass);
}

/// Issue 10, point 15: the children of a composite alarm that acts need no actions of
/// their own (AWS's own recipe against alarm noise), and an alarm tagged `know` whose
/// actions are disabled is what alarm-response-pattern asks for, so alarm-actions
/// agrees.
#[tokio::test(flavor = "multi_thread")]
async fn composite_children_and_know_alarms_need_no_actions() {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic, Tag};
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let cw = aws_sdk_cloudwatch::Client::new(&aws.sdk);
    let quiet = |name: &'static str| {
        cw.put_metric_alarm()
            .alarm_name(name)
            .namespace("AWS/ApplicationELB")
            .metric_name("TargetResponseTime")
            .statistic(Statistic::Average)
            .period(60)
            .evaluation_periods(3)
            .threshold(2.0)
            .comparison_operator(ComparisonOperator::GreaterThanThreshold)
            .send()
    };
    for name in ["api-latency-high", "api-errors-high", "batch-slow"] {
        quiet(name).await.expect("PutMetricAlarm");
    }
    let topic = "arn:aws:sns:us-east-1:123456789012:ops-alerts";
    cw.put_composite_alarm()
        .alarm_name("api-degraded")
        .alarm_rule(r#"ALARM("api-latency-high") OR ALARM(api-errors-high)"#)
        .alarm_actions(topic)
        .tags(
            Tag::builder()
                .key("response-pattern")
                .value("act-now")
                .build(),
        )
        .send()
        .await
        .expect("PutCompositeAlarm");
    // A composite without actions does not speak for its child.
    cw.put_composite_alarm()
        .alarm_name("batch-watch")
        .alarm_rule(r#"ALARM("batch-slow")"#)
        .send()
        .await
        .expect("PutCompositeAlarm");
    // Known abnormal, shown in CloudWatch, nobody told: actions kept but disabled.
    cw.put_metric_alarm()
        .alarm_name("nightly-export-duration")
        .namespace("Custom/Batch")
        .metric_name("ExportSeconds")
        .statistic(Statistic::Maximum)
        .period(3600)
        .evaluation_periods(1)
        .threshold(3600.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .actions_enabled(false)
        .alarm_actions(topic)
        .tags(Tag::builder().key("response-pattern").value("know").build())
        .send()
        .await
        .expect("PutMetricAlarm");

    let report = evaluate(&aws.collect(&[REGION]).await);
    let it = item(&report, "alarm-actions");
    for child in ["api-latency-high", "api-errors-high"] {
        let f = finding_of(it, child);
        assert_eq!(f.status, FindingStatus::Pass, "{f:#?}");
        assert!(
            f.evidence
                .contains("composite alarm api-degraded watches it"),
            "{f:#?}"
        );
    }
    assert_eq!(finding_of(it, "batch-slow").status, FindingStatus::Fail);
    let know = finding_of(it, "nightly-export-duration");
    assert_eq!(know.status, FindingStatus::Pass, "{know:#?}");
    assert!(
        know.evidence
            .starts_with("actions disabled; tagged response-pattern = know")
    );
    let pattern = item(&report, "alarm-response-pattern");
    assert_eq!(
        finding_of(pattern, "nightly-export-duration").status,
        FindingStatus::Pass
    );
}

/// Issue 10, point 9: a service whose containers the scan cannot see (an EXTERNAL
/// deployment controller names no task definition) is listed as could-not-check, not
/// silently dropped from ecs-logging.
#[tokio::test(flavor = "multi_thread")]
async fn an_external_ecs_service_is_could_not_check_not_dropped() {
    use aws_sdk_ecs::types::{DeploymentController, DeploymentControllerType};
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    aws_sdk_ecs::Client::new(&aws.sdk)
        .create_service()
        .cluster("shop")
        .service_name("shop-canary-sets")
        .desired_count(1)
        .deployment_controller(
            DeploymentController::builder()
                .r#type(DeploymentControllerType::External)
                .build()
                .expect("controller"),
        )
        .send()
        .await
        .expect("CreateService EXTERNAL");
    let report = evaluate(&aws.collect(&[REGION]).await);
    let it = item(&report, "ecs-logging");
    let external = it
        .findings
        .iter()
        .find(|f| f.resource.ends_with("/shop-canary-sets"))
        .unwrap_or_else(|| panic!("the service is listed: {:#?}", it.findings));
    assert_eq!(
        external.status,
        FindingStatus::CouldNotCheck,
        "{external:#?}"
    );
    assert!(
        external
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("deployment controller = EXTERNAL")),
        "{external:#?}"
    );
    // The service that is read still passes.
    assert!(it.count(FindingStatus::Pass) > 0);
}

/// Issue 10, point 7: an alarm routed to a topic in another account (a central
/// alerting account) cannot be judged from this one: could-not-check naming the ARN,
/// never "topic does not exist".
#[tokio::test(flavor = "multi_thread")]
async fn a_topic_in_another_account_is_unknown_not_missing() {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic, Tag};
    const CENTRAL: &str = "arn:aws:sns:us-east-1:999999999999:central-alerts";
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    aws_sdk_cloudwatch::Client::new(&aws.sdk)
        .put_metric_alarm()
        .alarm_name("payments-errors")
        .namespace("Custom/Payments")
        .metric_name("Errors")
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(5.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .alarm_actions(CENTRAL)
        .tags(
            Tag::builder()
                .key("response-pattern")
                .value("act-now")
                .build(),
        )
        .send()
        .await
        .expect("PutMetricAlarm");
    let report = evaluate(&aws.collect(&[REGION]).await);
    let pattern = finding_of(item(&report, "alarm-response-pattern"), "payments-errors");
    assert_eq!(pattern.status, FindingStatus::CouldNotCheck, "{pattern:#?}");
    let reason = pattern.reason.as_deref().unwrap_or_default();
    assert!(
        reason.contains(CENTRAL) && reason.contains("999999999999"),
        "{pattern:#?}"
    );
    let topics = item(&report, "sns-confirmed-subscriptions");
    let central = topics
        .findings
        .iter()
        .find(|f| f.resource == CENTRAL)
        .expect("the central topic is listed");
    assert_eq!(central.status, FindingStatus::CouldNotCheck, "{central:#?}");
    assert!(
        topics
            .findings
            .iter()
            .all(|f| !f.evidence.contains("does not exist")),
        "{:#?}",
        topics.findings
    );
}

/// Issue 10, point 5: a budget whose only subscriber is a topic nobody confirmed
/// notifies no one; the anomaly subscription's threshold is said in the evidence.
#[tokio::test(flavor = "multi_thread")]
async fn a_budget_that_only_tells_an_unconfirmed_topic_fails() {
    use aws_sdk_budgets::types::{
        ComparisonOperator, Notification, NotificationType, Subscriber, SubscriptionType,
        ThresholdType,
    };
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let sns = aws_sdk_sns::Client::new(&aws.sdk);
    let topic = sns
        .create_topic()
        .name("budget-alerts")
        .send()
        .await
        .expect("CreateTopic")
        .topic_arn()
        .expect("arn")
        .to_string();
    sns.subscribe()
        .topic_arn(&topic)
        .protocol("email")
        .endpoint("founder@example.com")
        .send()
        .await
        .expect("Subscribe (stays pending)");
    let budgets = aws_sdk_budgets::Client::new(&aws.sdk);
    let notification = Notification::builder()
        .notification_type(NotificationType::Actual)
        .comparison_operator(ComparisonOperator::GreaterThan)
        .threshold(80.0)
        .threshold_type(ThresholdType::Percentage)
        .build()
        .expect("notification");
    let subscriber = |kind: SubscriptionType, address: &str| {
        Subscriber::builder()
            .subscription_type(kind)
            .address(address)
            .build()
            .expect("subscriber")
    };
    budgets
        .create_subscriber()
        .account_id("123456789012")
        .budget_name("monthly-cost")
        .notification(notification.clone())
        .subscriber(subscriber(SubscriptionType::Sns, &topic))
        .send()
        .await
        .expect("CreateSubscriber");
    budgets
        .delete_subscriber()
        .account_id("123456789012")
        .budget_name("monthly-cost")
        .notification(notification)
        .subscriber(subscriber(SubscriptionType::Email, "finance@example.com"))
        .send()
        .await
        .expect("DeleteSubscriber");

    let report = evaluate(&aws.collect(&[REGION]).await);
    let budget = item(&report, "budget-notification");
    assert_eq!(
        budget.status,
        onwatch::report::ItemStatus::Fail,
        "{:#?}",
        budget.findings
    );
    assert!(
        budget.findings[0].evidence.contains("budget-alerts")
            && budget.findings[0].evidence.contains("reach nobody"),
        "{:#?}",
        budget.findings
    );
    let anomaly = item(&report, "cost-anomaly-detection");
    assert!(
        anomaly.findings[0]
            .evidence
            .contains("alerts when total impact >= 100"),
        "{:#?}",
        anomaly.findings
    );
}

/// Issue 10, point 13: GuardDuty routing accepts what alarm routing accepts, and an
/// EventBridge API destination (PagerDuty, Opsgenie) reaches someone; a rule that
/// forwards findings to an event bus in a security account cannot be followed from
/// here: could-not-check, not a fail.
#[tokio::test(flavor = "multi_thread")]
async fn guardduty_findings_to_an_api_destination_or_a_central_bus() {
    use aws_sdk_eventbridge::types::Target;
    let aws = LocalAws::start();
    aws.seed("healthy");
    let retarget = |region: &'static str, arn: &'static str| {
        let sdk = aws.sdk.clone();
        async move {
            let config = aws_sdk_eventbridge::config::Builder::from(&sdk)
                .region(aws_types::region::Region::new(region))
                .build();
            let events = aws_sdk_eventbridge::Client::from_conf(config);
            let old: Vec<String> = events
                .list_targets_by_rule()
                .rule("guardduty-high-findings")
                .send()
                .await
                .expect("ListTargetsByRule")
                .targets()
                .iter()
                .map(|t| t.id().to_string())
                .collect();
            events
                .remove_targets()
                .rule("guardduty-high-findings")
                .set_ids(Some(old))
                .send()
                .await
                .expect("RemoveTargets");
            events
                .put_targets()
                .rule("guardduty-high-findings")
                .targets(
                    Target::builder()
                        .id("next")
                        .arn(arn)
                        .build()
                        .expect("target"),
                )
                .send()
                .await
                .expect("PutTargets");
        }
    };
    retarget(
        "us-east-1",
        "arn:aws:events:us-east-1:123456789012:api-destination/pagerduty/5d3c1a2b-0000-4c1e-9f00-1234567890ab",
    )
    .await;
    retarget(
        "eu-west-1",
        "arn:aws:events:eu-west-1:222233334444:event-bus/security-findings",
    )
    .await;
    let report = evaluate(&aws.collect(&["us-east-1", "eu-west-1"]).await);
    let it = item(&report, "guardduty-findings-routed");
    let in_region = |region: &str| {
        it.findings
            .iter()
            .find(|f| f.region == region)
            .unwrap_or_else(|| panic!("{region}: {:#?}", it.findings))
    };
    let us = in_region("us-east-1");
    assert_eq!(us.status, FindingStatus::Pass, "{us:#?}");
    assert!(us.evidence.contains("API destination pagerduty"), "{us:#?}");
    let eu = in_region("eu-west-1");
    assert_eq!(eu.status, FindingStatus::CouldNotCheck, "{eu:#?}");
    assert!(
        eu.reason
            .as_deref()
            .is_some_and(|r| r.contains("event-bus/security-findings")),
        "{eu:#?}"
    );
}
