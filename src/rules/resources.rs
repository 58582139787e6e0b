//! Resources: RDS and ECS.

use super::needs;
use super::routing::{Routing, routed_alarms_finding};
use super::{RuleInput, RuleSpec, per_region};
use crate::checklist::{ParamDefault, ParamKind, ParamSpec};
use crate::report::Finding;
use crate::snapshot::{DbInstance, Read};
use crate::t;

/// DescribeDBInstances also lists Amazon DocumentDB (engine `docdb`) and Amazon Neptune
/// (engine `neptune`) instances. Their storage grows on its own and their metrics are
/// published under AWS/DocDB and AWS/Neptune, so the RDS items do not judge them; the
/// finding still lists the instance, so the user sees it was read.
pub(super) fn not_rds(region: &str, db: &DbInstance) -> Option<Finding> {
    let product = match db.engine.to_ascii_lowercase().as_str() {
        "docdb" => "Amazon DocumentDB", // i18n: technical
        "neptune" => "Amazon Neptune",  // i18n: technical
        _ => return None,
    };
    let mut finding = Finding::not_applicable(
        region,
        &db.arn,
        t!("rules_resources.not_rds", product = product),
    );
    finding.evidence = t!("rules_resources.engine", engine = db.engine).into_owned();
    Some(finding)
}

const UNSUPPORTED: ParamSpec = ParamSpec {
    name: "unsupported",
    kind: ParamKind::TextList,
    default: ParamDefault::TextList(&[]),
    range: None,
    help: "param_help.rds_unsupported",
};

pub static RDS_PERFORMANCE_INSIGHTS: RuleSpec = RuleSpec {
    id: "rds_performance_insights",
    params: &[UNSUPPORTED],
    eval: rds_performance_insights,
};

fn rds_performance_insights(input: &RuleInput) -> Vec<Finding> {
    let unsupported = input.params.text_list(&UNSUPPORTED);
    per_region(
        input.snapshot,
        "RDS instances", // i18n: technical (resource label)
        |r| &r.rds_instances,
        |region, _, instances, out| {
            for db in instances {
                if let Some(finding) = not_rds(region, db) {
                    out.push(finding);
                    continue;
                }
                let blocked = unsupported.iter().any(|pair| {
                    pair.split_once(':').is_some_and(|(engine, class)| {
                        db.engine.starts_with(engine) && db.class == class
                    })
                });
                let evidence = t!(
                    "rules_resources.pi_evidence",
                    engine = db.engine,
                    class = db.class,
                    enabled = db.performance_insights
                );
                if blocked {
                    out.push(Finding::not_applicable(
                        region,
                        &db.arn,
                        t!(
                            "rules_resources.pi_unsupported",
                            engine = db.engine,
                            class = db.class
                        ),
                    ));
                } else if db.performance_insights {
                    out.push(Finding::pass(region, &db.arn, evidence));
                } else {
                    out.push(Finding::fail(
                        region,
                        &db.arn,
                        evidence,
                        t!("rules_resources.pi_off"),
                    ));
                }
            }
        },
    )
}

pub static RDS_STORAGE_HEADROOM: RuleSpec = RuleSpec {
    id: "rds_storage_headroom",
    params: &[],
    eval: rds_storage_headroom,
};

fn rds_storage_headroom(input: &RuleInput) -> Vec<Finding> {
    let routing = Routing::new(input);
    per_region(
        input.snapshot,
        "RDS instances", // i18n: technical (resource label)
        |r| &r.rds_instances,
        |region, data, instances, out| {
            for db in instances {
                if let Some(finding) = not_rds(region, db) {
                    out.push(finding);
                    continue;
                }
                if db.engine.starts_with("aurora") {
                    out.push(Finding::not_applicable(
                        region,
                        &db.arn,
                        t!("rules_resources.aurora_storage"),
                    ));
                    continue;
                }
                if let Some(max) = db
                    .max_allocated_storage
                    .filter(|m| *m > db.allocated_storage)
                {
                    out.push(Finding::pass(
                        region,
                        &db.arn,
                        t!(
                            "rules_resources.autoscaling",
                            now = db.allocated_storage,
                            max = max
                        ),
                    ));
                    continue;
                }
                let need = needs::rds_storage(db);
                let mut finding =
                    routed_alarms_finding(&routing, region, &data.alarms, &db.arn, &[need]);
                if finding.status == crate::report::FindingStatus::Fail {
                    finding.evidence = t!(
                        "rules_resources.autoscaling_off",
                        size = db.allocated_storage,
                        evidence = finding.evidence
                    )
                    .into_owned();
                }
                out.push(finding);
            }
        },
    )
}

/// An alarm on the instance's own CPUUtilization (DBInstanceIdentifier), or for an
/// instance of an Aurora cluster, on the cluster's (DBClusterIdentifier, which AWS/RDS
/// publishes per cluster and per cluster role).
pub static RDS_CPU_ALARM: RuleSpec = RuleSpec {
    id: "rds_cpu_alarm",
    params: &[],
    eval: rds_cpu_alarm,
};

fn rds_cpu_alarm(input: &RuleInput) -> Vec<Finding> {
    let routing = Routing::new(input);
    per_region(
        input.snapshot,
        "RDS instances", // i18n: technical (resource label)
        |r| &r.rds_instances,
        |region, data, instances, out| {
            for db in instances {
                if let Some(finding) = not_rds(region, db) {
                    out.push(finding);
                    continue;
                }
                let need = needs::rds_cpu(db);
                out.push(routed_alarms_finding(
                    &routing,
                    region,
                    &data.alarms,
                    &db.arn,
                    &[need],
                ));
            }
        },
    )
}

pub static ECS_CONTAINER_INSIGHTS: RuleSpec = RuleSpec {
    id: "ecs_container_insights",
    params: &[],
    eval: ecs_container_insights,
};

fn ecs_container_insights(input: &RuleInput) -> Vec<Finding> {
    per_region(
        input.snapshot,
        "ECS clusters", // i18n: technical (resource label)
        |r| &r.ecs_clusters,
        |region, _, clusters, out| {
            for cluster in clusters {
                let setting = cluster.container_insights.as_deref();
                let evidence = format!(
                    "containerInsights = {}",
                    setting.map_or_else(|| t!("rules_resources.not_set"), Into::into)
                );
                if matches!(setting, Some("enabled" | "enhanced")) {
                    out.push(Finding::pass(region, &cluster.arn, evidence));
                } else {
                    out.push(Finding::fail(
                        region,
                        &cluster.arn,
                        evidence,
                        t!("rules_resources.no_insights"),
                    ));
                }
            }
        },
    )
}

/// A service's CPU and memory are watched through the standard AWS/ECS service metrics
/// or through Container Insights' per-service metrics (ECS/ContainerInsights CpuUtilized
/// and MemoryUtilized, with the ClusterName and ServiceName dimensions).
pub static ECS_SERVICE_ALARMS: RuleSpec = RuleSpec {
    id: "ecs_service_alarms",
    params: &[],
    eval: ecs_service_alarms,
};

fn ecs_service_alarms(input: &RuleInput) -> Vec<Finding> {
    let routing = Routing::new(input);
    per_region(
        input.snapshot,
        "ECS clusters", // i18n: technical (resource label)
        |r| &r.ecs_clusters,
        |region, data, clusters, out| {
            for cluster in clusters {
                let services = match &cluster.services {
                    Read::Ok(s) => s,
                    Read::Failed(e) => {
                        out.push(Finding::unreadable(region, &cluster.arn, e));
                        continue;
                    }
                };
                for service in services {
                    let needs = needs::ecs_service(&cluster.name, &service.name);
                    out.push(routed_alarms_finding(
                        &routing,
                        region,
                        &data.alarms,
                        &service.arn,
                        &needs,
                    ));
                }
            }
        },
    )
}
