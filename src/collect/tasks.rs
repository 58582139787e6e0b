//! One task per (service, region), plus the account-wide services once; what each task
//! read, and where it goes in the snapshot.

use futures::future::BoxFuture;

use super::context::{Ctx, ok, to_read};
use super::{
    budgets, cloudtrail, cloudwatch, config, costexplorer, ecr, ecs, elbv2, eventbridge, guardduty,
    logs, rds, sns, synthetics,
};
use crate::snapshot::{GlobalSnapshot, Read, ReadError, RegionSnapshot};

pub(crate) fn not_collected() -> ReadError {
    ReadError::Other {
        action: "onwatch".to_string(),
        code: "NotCollected".to_string(), // i18n: technical
        message: "the scan ended before this was read".to_string(), // i18n: technical
    }
}

pub(crate) fn region_filled(e: &ReadError) -> RegionSnapshot {
    let f = || e.clone();
    RegionSnapshot {
        guardduty_detectors: Read::Failed(f()),
        event_rules: Read::Failed(f()),
        sns_topics: Read::Failed(f()),
        sns_subscriptions: Read::Failed(f()),
        trails: Read::Failed(f()),
        trail_shadows: None,
        config_recorders: Read::Failed(f()),
        config_delivery_channels: Read::Failed(f()),
        ecr_repositories: Read::Failed(f()),
        ecr_registry_scanning: Read::Failed(f()),
        rds_instances: Read::Failed(f()),
        ecs_clusters: Read::Failed(f()),
        ecs_task_definitions: Read::Failed(f()),
        alarms: Read::Failed(f()),
        alarm_tags_read: None,
        alarm_history: Read::Failed(f()),
        canaries: Read::Failed(f()),
        load_balancers: Read::Failed(f()),
        log_groups: Read::Failed(f()),
    }
}

/// What one task read.
pub(crate) enum Part {
    GuardDuty(Read<Vec<crate::snapshot::GuardDutyDetector>>),
    Events(Read<Vec<crate::snapshot::EventRule>>),
    Sns(
        Read<Vec<crate::snapshot::SnsTopic>>,
        Read<Vec<crate::snapshot::SnsSubscription>>,
    ),
    Trails(
        Read<Vec<crate::snapshot::Trail>>,
        Option<Vec<crate::snapshot::TrailShadow>>,
    ),
    Config(
        Read<Vec<crate::snapshot::ConfigRecorder>>,
        Read<Vec<crate::snapshot::ConfigDeliveryChannel>>,
    ),
    Ecr(
        Read<Vec<crate::snapshot::EcrRepository>>,
        Read<crate::snapshot::RegistryScanning>,
    ),
    Rds(Read<Vec<crate::snapshot::DbInstance>>),
    Ecs(ecs::EcsData),
    CloudWatch(
        Read<Vec<crate::snapshot::Alarm>>,
        Option<crate::snapshot::AlarmTagsRead>,
        Read<Vec<crate::snapshot::AlarmStateChange>>,
    ),
    Canaries(Read<Vec<crate::snapshot::Canary>>),
    LoadBalancers(Read<Vec<crate::snapshot::LoadBalancer>>),
    Logs(Read<Vec<crate::snapshot::LogGroup>>),
    Budgets(Read<Vec<crate::snapshot::Budget>>),
    CostAnomaly(
        Read<Vec<crate::snapshot::AnomalyMonitor>>,
        Read<Vec<crate::snapshot::AnomalySubscription>>,
    ),
}

impl Part {
    pub fn ok(&self) -> bool {
        match self {
            Part::GuardDuty(a) => ok(a),
            Part::Events(a) => ok(a),
            Part::Sns(a, b) => ok(a) && ok(b),
            Part::Trails(a, _) => {
                ok(a) && a.ok().is_none_or(|t| t.iter().all(|t| ok(&t.is_logging)))
            }
            Part::Config(a, b) => ok(a) && ok(b),
            Part::Ecr(a, b) => ok(a) && ok(b),
            Part::Rds(a) => ok(a),
            Part::Ecs(d) => {
                ok(&d.clusters)
                    && ok(&d.task_definitions)
                    && d.clusters
                        .ok()
                        .is_none_or(|c| c.iter().all(|c| ok(&c.services)))
            }
            Part::CloudWatch(a, _, b) => {
                ok(a) && ok(b) && a.ok().is_none_or(|a| a.iter().all(|a| ok(&a.tags)))
            }
            Part::Canaries(a) => ok(a),
            Part::LoadBalancers(a) => ok(a),
            Part::Logs(a) => ok(a),
            Part::Budgets(a) => {
                ok(a)
                    && a.ok().is_none_or(|b| {
                        b.iter().all(|b| {
                            ok(&b.notifications)
                                && b.notifications
                                    .ok()
                                    .is_none_or(|n| n.iter().all(|n| ok(&n.subscribers)))
                        })
                    })
            }
            Part::CostAnomaly(a, b) => ok(a) && ok(b),
        }
    }

    pub fn apply(self, region: Option<&mut RegionSnapshot>, global: &mut GlobalSnapshot) {
        match self {
            Part::Budgets(a) => global.budgets = a,
            Part::CostAnomaly(a, b) => {
                global.anomaly_monitors = a;
                global.anomaly_subscriptions = b;
            }
            regional => {
                if let Some(r) = region {
                    regional.apply_region(r);
                }
            }
        }
    }

    fn apply_region(self, r: &mut RegionSnapshot) {
        match self {
            Part::GuardDuty(a) => r.guardduty_detectors = a,
            Part::Events(a) => r.event_rules = a,
            Part::Sns(a, b) => {
                r.sns_topics = a;
                r.sns_subscriptions = b;
            }
            Part::Trails(a, shadows) => {
                r.trails = a;
                r.trail_shadows = shadows;
            }
            Part::Config(a, b) => {
                r.config_recorders = a;
                r.config_delivery_channels = b;
            }
            Part::Ecr(a, b) => {
                r.ecr_repositories = a;
                r.ecr_registry_scanning = b;
            }
            Part::Rds(a) => r.rds_instances = a,
            Part::Ecs(d) => {
                r.ecs_clusters = d.clusters;
                r.ecs_task_definitions = d.task_definitions;
            }
            Part::CloudWatch(a, how, b) => {
                r.alarms = a;
                r.alarm_tags_read = how;
                r.alarm_history = b;
            }
            Part::Canaries(a) => r.canaries = a,
            Part::LoadBalancers(a) => r.load_balancers = a,
            Part::Logs(a) => r.log_groups = a,
            Part::Budgets(_) | Part::CostAnomaly(..) => {}
        }
    }
}

pub(crate) struct Finished {
    pub service: &'static str,
    pub region: String,
    pub part: Part,
}

/// A read to run: which service, in which region, and the future that reads it.
pub(crate) struct Task<'a> {
    pub service: &'static str,
    pub region: String,
    pub run: BoxFuture<'a, Finished>,
}

/// One task per (service, region), plus the account-wide services once.
pub(crate) fn tasks<'a>(ctx: &'a Ctx, regions: &[String]) -> Vec<Task<'a>> {
    let mut out: Vec<Task<'a>> = Vec::new();
    macro_rules! task {
        ($service:expr, $region:expr, |$c:ident, $r:ident| $body:expr) => {{
            let region: String = $region;
            let planned = region.clone();
            let run: BoxFuture<'a, Finished> = Box::pin(async move {
                let part = {
                    let $c = ctx;
                    let $r = region.as_str();
                    $body
                };
                Finished {
                    service: $service,
                    region,
                    part,
                }
            });
            out.push(Task {
                service: $service,
                region: planned,
                run,
            });
        }};
    }
    for r in regions {
        task!("guardduty", r.clone(), |c, r| Part::GuardDuty(to_read(
            guardduty::detectors(c, r).await
        )));
        task!("eventbridge", r.clone(), |c, r| Part::Events(to_read(
            eventbridge::rules(c, r).await
        )));
        task!("sns", r.clone(), |c, r| {
            let (t, s) = futures::join!(sns::topics(c, r), sns::subscriptions(c, r));
            Part::Sns(to_read(t), to_read(s))
        });
        task!(
            "cloudtrail",
            r.clone(),
            |c, r| match cloudtrail::trails(c, r).await {
                Ok((trails, shadows)) => Part::Trails(Read::Ok(trails), Some(shadows)),
                Err(e) => Part::Trails(Read::Failed(e), None),
            }
        );
        task!("config", r.clone(), |c, r| {
            let (a, b) = futures::join!(config::recorders(c, r), config::delivery_channels(c, r));
            Part::Config(to_read(a), to_read(b))
        });
        task!("ecr", r.clone(), |c, r| {
            let (a, b) = futures::join!(ecr::repositories(c, r), ecr::registry_scanning(c, r));
            Part::Ecr(to_read(a), to_read(b))
        });
        task!("rds", r.clone(), |c, r| Part::Rds(to_read(
            rds::instances(c, r).await
        )));
        task!("ecs", r.clone(), |c, r| Part::Ecs(ecs::collect(c, r).await));
        task!("cloudwatch", r.clone(), |c, r| {
            let (a, b) = futures::join!(cloudwatch::alarms(c, r), cloudwatch::history(c, r));
            match a {
                Ok((alarms, how)) => Part::CloudWatch(Read::Ok(alarms), Some(how), to_read(b)),
                Err(e) => Part::CloudWatch(Read::Failed(e), None, to_read(b)),
            }
        });
        task!("synthetics", r.clone(), |c, r| Part::Canaries(to_read(
            synthetics::canaries(c, r).await
        )));
        task!("elbv2", r.clone(), |c, r| Part::LoadBalancers(to_read(
            elbv2::load_balancers(c, r).await
        )));
        task!("logs", r.clone(), |c, r| Part::Logs(to_read(
            logs::log_groups(c, r).await
        )));
    }
    let global = crate::snapshot::GLOBAL_REGION.to_string();
    task!("budgets", global.clone(), |c, _r| Part::Budgets(to_read(
        budgets::budgets(c).await
    )));
    task!("costexplorer", global, |c, _r| {
        let (a, b) = futures::join!(costexplorer::monitors(c), costexplorer::subscriptions(c));
        Part::CostAnomaly(to_read(a), to_read(b))
    });
    out
}
