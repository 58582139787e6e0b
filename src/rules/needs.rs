//! The metrics each resource item needs a routed alarm on. The rules judge them and
//! the alarm fixes create what is missing, so both read this one list.

use super::routing::MetricNeed;
use crate::snapshot::DbInstance;

/// A routed alarm on `metric` for an instance: on its own metric (DBInstanceIdentifier)
/// or, for an Aurora instance, on its cluster's (DBClusterIdentifier).
pub fn rds<'a>(
    db: &'a DbInstance,
    label: &'a str,
    sources: &'a [(&'a str, &'a [&'a str])],
) -> MetricNeed<'a> {
    let mut dimension_sets = vec![vec![("DBInstanceIdentifier", db.identifier.as_str())]];
    if let Some(cluster) = &db.cluster {
        dimension_sets.push(vec![("DBClusterIdentifier", cluster.as_str())]);
    }
    MetricNeed {
        label,
        sources,
        dimension_sets,
    }
}

pub fn rds_cpu(db: &DbInstance) -> MetricNeed<'_> {
    rds(db, "CPUUtilization", &[("AWS/RDS", &["CPUUtilization"])])
}

pub fn rds_connections(db: &DbInstance) -> MetricNeed<'_> {
    rds(
        db,
        "DatabaseConnections",                    // i18n: technical
        &[("AWS/RDS", &["DatabaseConnections"])], // i18n: technical
    )
}

/// Free storage is per instance (Aurora storage grows on its own and is not judged).
pub fn rds_storage(db: &DbInstance) -> MetricNeed<'_> {
    MetricNeed {
        label: "FreeStorageSpace",                      // i18n: technical
        sources: &[("AWS/RDS", &["FreeStorageSpace"])], // i18n: technical
        dimension_sets: vec![vec![("DBInstanceIdentifier", db.identifier.as_str())]],
    }
}

/// A service's CPU and memory, through the standard AWS/ECS service metrics or
/// Container Insights' per-service metrics (ClusterName and ServiceName dimensions).
pub fn ecs_service<'a>(cluster: &'a str, service: &'a str) -> [MetricNeed<'a>; 2] {
    let dims = vec![("ClusterName", cluster), ("ServiceName", service)]; // i18n: technical
    [
        MetricNeed {
            label: "CPUUtilization",
            sources: &[
                ("AWS/ECS", &["CPUUtilization"]),
                ("ECS/ContainerInsights", &["CpuUtilized"]), // i18n: technical
            ],
            dimension_sets: vec![dims.clone()],
        },
        MetricNeed {
            label: "MemoryUtilization", // i18n: technical
            sources: &[
                ("AWS/ECS", &["MemoryUtilization"]),            // i18n: technical
                ("ECS/ContainerInsights", &["MemoryUtilized"]), // i18n: technical
            ],
            dimension_sets: vec![dims],
        },
    ]
}

/// An Application Load Balancer's 5xx responses (its own or its targets') and its
/// targets' response time; `dimension` is the LoadBalancer dimension value.
pub fn alb(dimension: &str) -> [MetricNeed<'_>; 2] {
    [
        MetricNeed {
            label: "5xx count", // i18n: technical (MetricNeed.label is a &str; the fixes read it too)
            sources: &[(
                "AWS/ApplicationELB",
                &["HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count"],
            )],
            dimension_sets: vec![vec![("LoadBalancer", dimension)]], // i18n: technical
        },
        MetricNeed {
            label: "TargetResponseTime", // i18n: technical
            sources: &[("AWS/ApplicationELB", &["TargetResponseTime"])], // i18n: technical
            dimension_sets: vec![vec![("LoadBalancer", dimension)]], // i18n: technical
        },
    ]
}
