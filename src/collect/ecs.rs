//! ECS: clusters (Container Insights), their services, and the task definitions those
//! services run (log drivers, environment and secret NAMES; values are never read).

use std::collections::BTreeSet;

use aws_sdk_ecs as ecs;

use super::context::{Ctx, client, to_read};
use super::error::read_error;
use crate::snapshot::{
    ContainerDefinition, EcsCluster, EcsService, Read, ReadError, TaskDefinition,
};

const SERVICE: &str = "ECS";
/// DescribeClusters takes at most 100 clusters, DescribeServices 10 services.
const CLUSTER_BATCH: usize = 100;
const SERVICE_BATCH: usize = 10;

pub(crate) struct EcsData {
    pub clusters: Read<Vec<EcsCluster>>,
    pub task_definitions: Read<Vec<TaskDefinition>>,
}

pub(crate) async fn collect(ctx: &Ctx, region: &str) -> EcsData {
    let client = client!(ctx, ecs, region);
    let clusters = match clusters(ctx, &client).await {
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
        None => to_read(task_definitions(ctx, &client, used).await),
    };
    EcsData {
        clusters: Read::Ok(clusters),
        task_definitions,
    }
}

async fn clusters(ctx: &Ctx, client: &ecs::Client) -> Result<Vec<EcsCluster>, ReadError> {
    let mut arns = Vec::new();
    let mut pages = client.list_clusters().into_paginator().send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(|e| read_error(SERVICE, "ListClusters", e))?;
        arns.extend(page.cluster_arns().iter().cloned());
    }
    let mut out = Vec::with_capacity(arns.len());
    for batch in arns.chunks(CLUSTER_BATCH) {
        let described = ctx
            .call(
                client
                    .describe_clusters()
                    .set_clusters(Some(batch.to_vec()))
                    .include(ecs::types::ClusterField::Settings)
                    .send(),
            )
            .await
            .map_err(|e| read_error(SERVICE, "DescribeClusters", e))?;
        for cluster in described.clusters() {
            let arn = cluster.cluster_arn().unwrap_or_default().to_string();
            let services = to_read(services(ctx, client, &arn).await);
            out.push(EcsCluster {
                name: cluster.cluster_name().unwrap_or_default().to_string(),
                container_insights: cluster
                    .settings()
                    .iter()
                    .find(|s| s.name().is_some_and(|n| n.as_str() == "containerInsights"))
                    .and_then(|s| s.value())
                    .map(str::to_string),
                services,
                arn,
            });
        }
    }
    Ok(out)
}

async fn services(
    ctx: &Ctx,
    client: &ecs::Client,
    cluster: &str,
) -> Result<Vec<EcsService>, ReadError> {
    let mut arns = Vec::new();
    let mut pages = client
        .list_services()
        .cluster(cluster)
        .into_paginator()
        .send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(|e| read_error(SERVICE, "ListServices", e))?;
        arns.extend(page.service_arns().iter().cloned());
    }
    let mut out = Vec::with_capacity(arns.len());
    for batch in arns.chunks(SERVICE_BATCH) {
        let described = ctx
            .call(
                client
                    .describe_services()
                    .cluster(cluster)
                    .set_services(Some(batch.to_vec()))
                    .send(),
            )
            .await
            .map_err(|e| read_error(SERVICE, "DescribeServices", e))?;
        out.extend(described.services().iter().map(|s| EcsService {
            name: s.service_name().unwrap_or_default().to_string(),
            arn: s.service_arn().unwrap_or_default().to_string(),
            task_definition: s.task_definition().unwrap_or_default().to_string(),
            launch_type: s.launch_type().map(|l| l.as_str().to_string()),
        }));
    }
    Ok(out)
}

async fn task_definitions(
    ctx: &Ctx,
    client: &ecs::Client,
    arns: BTreeSet<String>,
) -> Result<Vec<TaskDefinition>, ReadError> {
    let mut out = Vec::with_capacity(arns.len());
    for arn in arns.into_iter().filter(|a| !a.is_empty()) {
        let described = ctx
            .call(
                client
                    .describe_task_definition()
                    .task_definition(&arn)
                    .send(),
            )
            .await
            .map_err(|e| read_error(SERVICE, "DescribeTaskDefinition", e))?;
        let Some(td) = described.task_definition() else {
            continue;
        };
        out.push(TaskDefinition {
            arn: td.task_definition_arn().unwrap_or(&arn).to_string(),
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
                    environment_names: c
                        .environment()
                        .iter()
                        .filter_map(|kv| kv.name())
                        .map(str::to_string)
                        .collect(),
                    secret_names: c.secrets().iter().map(|s| s.name().to_string()).collect(),
                })
                .collect(),
        });
    }
    Ok(out)
}
