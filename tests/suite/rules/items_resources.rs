//! The resource items: RDS and ECS.

use onwatch::snapshot::*;

use super::{FAIL, NA, PASS, routed};
use crate::fixtures::*;

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

/// Aurora users alarm on the cluster's CPU (DBClusterIdentifier, often with Role =
/// WRITER): that watches the cluster's instances, and only theirs.
#[test]
fn rds_cpu_alarm_on_the_aurora_cluster() {
    let id = "rds-cpu-alarm";
    let in_cluster = |name: &str, cluster: &str| {
        let mut d = db(name, "aurora-postgresql");
        d.cluster = Some(cluster.into());
        d
    };
    let cluster_alarm = |cluster: &'static str| {
        move |r: &mut RegionSnapshot| {
            let t = routed(r);
            add_alarm(
                r,
                alarm(
                    "cluster-cpu",
                    "AWS/RDS",
                    "CPUUtilization",
                    &[("DBClusterIdentifier", cluster), ("Role", "WRITER")],
                    &t,
                ),
            );
        }
    };
    let watched = account(|r, _| {
        cluster_alarm("orders")(r);
        set(
            &mut r.rds_instances,
            vec![
                in_cluster("orders-1", "orders"),
                in_cluster("orders-2", "orders"),
            ],
        );
    });
    assert_eq!(status(&watched, id), PASS);
    let other_cluster = account(|r, _| {
        cluster_alarm("billing")(r);
        set(&mut r.rds_instances, vec![in_cluster("orders-1", "orders")]);
    });
    assert_eq!(
        status(&other_cluster, id),
        FAIL,
        "another cluster's alarm does not watch this one"
    );
    let standalone = account(|r, _| {
        cluster_alarm("orders")(r);
        set(&mut r.rds_instances, vec![db("orders", "postgres")]);
    });
    assert_eq!(
        status(&standalone, id),
        FAIL,
        "a cluster alarm does not watch an instance outside any cluster, even of the same name"
    );
}

#[test]
fn documentdb_and_neptune_instances_are_not_judged_as_rds() {
    // DescribeDBInstances lists them too: no Performance Insights, fixed storage and no
    // AWS/RDS alarm would fail all three items.
    let items = [
        "rds-performance-insights",
        "rds-storage-headroom",
        "rds-cpu-alarm",
        "rds-connections-alarm",
    ];
    for (engine, product) in [("docdb", "DocumentDB"), ("neptune", "Neptune")] {
        let mut instance = db("graph", engine);
        instance.class = "db.r6g.large".into();
        instance.cluster = Some("graph-cluster".into());
        let snap = account(|r, _| set(&mut r.rds_instances, vec![instance.clone()]));
        for id in items {
            let report = item(&snap, id);
            assert_eq!(
                report.status, NA,
                "{id} on {engine}: {:#?}",
                report.findings
            );
            let finding = &report.findings[0];
            assert_eq!(
                finding.resource, instance.arn,
                "{id}: the instance is listed"
            );
            let reason = finding.reason.as_deref().unwrap_or_default();
            assert!(
                reason.contains(product) && reason.contains("RDS and Aurora engines only"),
                "{id} on {engine}: {reason}"
            );
            assert_eq!(finding.evidence, format!("engine = {engine}"));
        }
        // Next to an RDS instance, the RDS instance is still judged.
        let mixed = account(|r, _| {
            set(
                &mut r.rds_instances,
                vec![instance.clone(), db("main", "postgres")],
            )
        });
        for id in items {
            assert_eq!(
                status(&mixed, id),
                FAIL,
                "{id}: the postgres instance fails"
            );
        }
    }
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

/// rds-connections-alarm: a routed DatabaseConnections alarm; its threshold at most 80%
/// of max_connections when the parameter group sets a number.
#[test]
fn rds_connections_alarm() {
    let id = "rds-connections-alarm";
    let with = |threshold: Option<f64>, max: Option<&str>| {
        account(move |r, _| {
            let t = routed(r);
            if let Some(threshold) = threshold {
                let mut a = alarm(
                    "conns",
                    "AWS/RDS",
                    "DatabaseConnections",
                    &[("DBInstanceIdentifier", "main")],
                    &t,
                );
                a.condition = Some(AlarmCondition {
                    comparison: "GreaterThanThreshold".into(),
                    threshold: Some(threshold),
                    treat_missing_data: None,
                });
                add_alarm(r, a);
            }
            let mut d = db("main", "postgres");
            d.parameter_group = Some(
                if max.is_some() {
                    "main-pg"
                } else {
                    "default.postgres16"
                }
                .into(),
            );
            d.max_connections = max.map(|m| Read::Ok(Some(m.to_string())));
            set(&mut r.rds_instances, vec![d]);
        })
    };
    let judged = item(&with(Some(150.0), Some("200")), id);
    assert_eq!(judged.status, PASS, "{:#?}", judged.findings);
    assert!(
        judged.findings[0]
            .evidence
            .contains("75% of max_connections 200")
    );
    let late = item(&with(Some(190.0), Some("200")), id);
    assert_eq!(late.status, FAIL, "{:#?}", late.findings);
    let formula = item(
        &with(Some(150.0), Some("{DBInstanceClassMemory/12582880}")),
        id,
    );
    assert_eq!(formula.status, PASS);
    assert!(
        formula.findings[0]
            .evidence
            .contains("a formula onwatch does not evaluate")
    );
    let default = item(&with(Some(5000.0), None), id);
    assert_eq!(default.status, PASS);
    assert!(default.findings[0].evidence.contains("engine's default"));
    assert_eq!(status(&with(None, Some("200")), id), FAIL, "no alarm");
    let denied_snap = account(|r, _| {
        set(&mut r.rds_instances, vec![db("main", "postgres")]);
        r.alarms = Read::Failed(denied("cloudwatch:DescribeAlarms"));
    });
    assert_could_not_check(&denied_snap, id, "cloudwatch:DescribeAlarms");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}
