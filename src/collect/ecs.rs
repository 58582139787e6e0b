//! ECS: clusters (Container Insights), their services, and the task definitions those
//! services run (log drivers, environment and secret NAMES; values are never read).

use std::collections::BTreeSet;

use aws_sdk_ecs as ecs;
use aws_sdk_ecs::types::Failure;

use super::context::{Ctx, Pages, all, client, to_read};
use super::error::iam_action;
use crate::snapshot::{
    ContainerDefinition, EcsCluster, EcsService, Read, ReadError, TaskDefinition,
};

const SERVICE: &str = "ECS";
/// ListClusters' and ListServices' largest page
/// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServices.html).
const LIST_PAGE: i32 = 100;
/// DescribeClusters takes at most 100 clusters, DescribeServices 10 services.
const CLUSTER_BATCH: usize = 100;
const SERVICE_BATCH: usize = 10;

pub(crate) struct EcsData {
    pub clusters: Read<Vec<EcsCluster>>,
    pub task_definitions: Read<Vec<TaskDefinition>>,
}

pub(crate) async fn collect(ctx: &Ctx, region: &str) -> EcsData {
    let client = client!(ctx, ecs, region);
    let clusters = match clusters(ctx, &client, region).await {
        Ok(c) => c,
        Err(e) => {
            return EcsData {
                clusters: Read::Failed(e.clone()),
                task_definitions: Read::Failed(e),
            };
        }
    };
    let mut used = BTreeSet::new();
    let mut services_failed = None;
    for cluster in &clusters {
        match &cluster.services {
            Read::Ok(services) => used.extend(services.iter().map(|s| s.task_definition.clone())),
            Read::Failed(e) => {
                services_failed.get_or_insert_with(|| e.clone());
            }
        }
    }
    // Without every cluster's services the set of task definitions in use is unknown.
    let task_definitions = match services_failed {
        Some(e) => Read::Failed(e),
        None => to_read(task_definitions(ctx, &client, region, used).await),
    };
    EcsData {
        clusters: Read::Ok(clusters),
        task_definitions,
    }
}

async fn clusters(
    ctx: &Ctx,
    client: &ecs::Client,
    region: &str,
) -> Result<Vec<EcsCluster>, ReadError> {
    let mut arns = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "ListClusters")); // i18n: technical
    // maxResults 1..100; without it AWS answers 100 clusters a page.
    let mut pages = client
        .list_clusters()
        .max_results(LIST_PAGE)
        .into_paginator()
        .send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "ListClusters", region))?; // i18n: technical
        guard.next(page.next_token())?;
        arns.extend(page.cluster_arns().iter().cloned());
    }
    let batches: Vec<Vec<String>> = arns.chunks(CLUSTER_BATCH).map(<[_]>::to_vec).collect();
    let described = all(ctx
        .each(batches, |batch| async move {
            let answer = ctx
                .call(
                    client
                        .describe_clusters()
                        .set_clusters(Some(batch))
                        .include(ecs::types::ClusterField::Settings)
                        .send(),
                )
                .await
                .map_err(ctx.failed(SERVICE, "DescribeClusters", region))?; // i18n: technical
            failures("DescribeClusters", answer.failures())?; // i18n: technical
            Ok(answer.clusters().to_vec())
        })
        .await)?;
    let described: Vec<_> = described.into_iter().flatten().collect();
    Ok(ctx
        .each(described, |cluster| async move {
            let arn = cluster.cluster_arn().unwrap_or_default().to_string();
            let services = to_read(services(ctx, client, region, &arn).await);
            EcsCluster {
                name: cluster.cluster_name().unwrap_or_default().to_string(),
                container_insights: cluster
                    .settings()
                    .iter()
                    .find(|s| s.name().is_some_and(|n| n.as_str() == "containerInsights"))
                    .and_then(|s| s.value())
                    .map(str::to_string),
                services,
                arn,
            }
        })
        .await)
}

async fn services(
    ctx: &Ctx,
    client: &ecs::Client,
    region: &str,
    cluster: &str,
) -> Result<Vec<EcsService>, ReadError> {
    let mut arns = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "ListServices")); // i18n: technical
    let mut pages = client
        .list_services()
        .cluster(cluster)
        // maxResults 1..100; without it AWS answers 10 services a page.
        .max_results(LIST_PAGE)
        .into_paginator()
        .send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "ListServices", region))?; // i18n: technical
        guard.next(page.next_token())?;
        arns.extend(page.service_arns().iter().cloned());
    }
    let batches: Vec<Vec<String>> = arns.chunks(SERVICE_BATCH).map(<[_]>::to_vec).collect();
    let described = all(ctx
        .each(batches, |batch| async move {
            let answer = ctx
                .call(
                    client
                        .describe_services()
                        .cluster(cluster)
                        .set_services(Some(batch))
                        .send(),
                )
                .await
                .map_err(ctx.failed(SERVICE, "DescribeServices", region))?; // i18n: technical
            failures("DescribeServices", answer.failures())?; // i18n: technical
            Ok(answer
                .services()
                .iter()
                .map(|s| EcsService {
                    name: s.service_name().unwrap_or_default().to_string(),
                    arn: s.service_arn().unwrap_or_default().to_string(),
                    task_definition: s.task_definition().unwrap_or_default().to_string(),
                    launch_type: s.launch_type().map(|l| l.as_str().to_string()),
                    deployment_controller: s
                        .deployment_controller()
                        .map(|d| d.r#type().as_str().to_string()),
                })
                .collect::<Vec<_>>())
        })
        .await)?;
    Ok(described.into_iter().flatten().collect())
}

/// A Describe call answers 200 with the resources it could not describe in `failures`
/// (a cluster or service deleted since it was listed, or one it could not read): the
/// listing is then incomplete, which is a failed read, not a shorter list.
fn failures(operation: &str, failed: &[Failure]) -> Result<(), ReadError> {
    let Some(first) = failed.first() else {
        return Ok(());
    };
    let which: Vec<String> = failed
        .iter()
        .map(|f| {
            format!(
                "{} ({})",
                f.arn().unwrap_or("?"),
                f.detail().or(f.reason()).unwrap_or("no reason given") // i18n: technical
            )
        })
        .collect();
    Err(ReadError::Other {
        action: iam_action(SERVICE, operation),
        code: first.reason().unwrap_or("Failure").to_string(), // i18n: technical
        message: format!("could not describe {}", which.join(", ")), // i18n: technical
    })
}

async fn task_definitions(
    ctx: &Ctx,
    client: &ecs::Client,
    region: &str,
    arns: BTreeSet<String>,
) -> Result<Vec<TaskDefinition>, ReadError> {
    let arns: Vec<String> = arns.into_iter().filter(|a| !a.is_empty()).collect();
    let described = all(ctx
        .each(arns, |arn| async move {
            let answer = ctx
                .call(
                    client
                        .describe_task_definition()
                        .task_definition(&arn)
                        .send(),
                )
                .await
                .map_err(ctx.failed(SERVICE, "DescribeTaskDefinition", region))?; // i18n: technical
            Ok(answer.task_definition().map(|td| task_definition(td, &arn)))
        })
        .await)?;
    Ok(described.into_iter().flatten().collect())
}

fn task_definition(td: &ecs::types::TaskDefinition, arn: &str) -> TaskDefinition {
    TaskDefinition {
        arn: td.task_definition_arn().unwrap_or(arn).to_string(),
        family: td.family().unwrap_or_default().to_string(),
        revision: i64::from(td.revision()),
        containers: td
            .container_definitions()
            .iter()
            .map(|c| ContainerDefinition {
                name: c.name().unwrap_or_default().to_string(),
                log_driver: c
                    .log_configuration()
                    .map(|l| l.log_driver().as_str().to_string()),
                log_destination: c.log_configuration().and_then(log_destination),
                environment_names: c
                    .environment()
                    .iter()
                    .filter_map(|kv| kv.name())
                    .map(str::to_string)
                    .collect(),
                secret_names: c.secrets().iter().map(|s| s.name().to_string()).collect(),
            })
            .collect(),
    }
}

/// The option that names where a log driver sends the logs (Docker's logging driver
/// options, and FireLens's `Name`, the Fluent Bit output:
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html).
/// Only that one value is kept: other options may hold tokens (`splunk-token`).
fn log_destination(config: &ecs::types::LogConfiguration) -> Option<String> {
    let key = match config.log_driver().as_str() {
        "awslogs" => "awslogs-group",
        "splunk" => "splunk-url",
        "fluentd" => "fluentd-address",
        "gelf" => "gelf-address",
        "syslog" => "syslog-address",
        "awsfirelens" => "Name", // i18n: technical
        _ => return None,
    };
    config.options()?.get(key).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_failures_are_a_failed_read() {
        assert_eq!(failures("DescribeServices", &[]), Ok(()));
        let missing = Failure::builder()
            .arn("arn:aws:ecs:us-east-1:123456789012:service/shop/api")
            .reason("MISSING")
            .build();
        match failures("DescribeServices", &[missing]) {
            Err(ReadError::Other {
                action,
                code,
                message,
            }) => {
                assert_eq!(action, "ecs:DescribeServices");
                assert_eq!(code, "MISSING");
                assert!(message.contains("service/shop/api (MISSING)"), "{message}");
            }
            other => panic!("expected a failed read, got {other:?}"),
        }
    }
}
