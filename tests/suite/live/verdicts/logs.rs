//! Logs: DELIVERY log groups, log drivers other than awslogs, services the scan cannot see.

use onwatch::report::FindingStatus;

use super::{REGION, evaluate, item};
use crate::local_aws::LocalAws;

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
