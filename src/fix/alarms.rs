//! New alarms for resources that have none on a metric their item needs: RDS CPU, free
//! storage and connections, ECS service CPU and memory, load balancer 5xx and response
//! time. The defaults follow AWS's recommended alarms
//! (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html):
//! one-minute periods, five of five datapoints, and missing data treated as not
//! breaching on the sparse load balancer metrics; `--threshold METRIC=VALUE` changes a
//! threshold. Each alarm notifies the alert channel, is tagged managed-by = onwatch and
//! with the response pattern the channel can keep, and undo deletes only it.
//!
//! A metric that already has an alarm is left alone: onwatch does not add a second
//! alarm next to yours (the alarm-actions fix routes an alarm that notifies nobody).

use std::collections::BTreeMap;

use super::channel::{channel_for, pattern_for};
use super::planners::{Ctx, Planned};
use super::{NewAlarm, NoPlan, Op, State, Step, Undo};
use crate::report::Finding;
use crate::rules::needs;
use crate::rules::publishers::Publisher;
use crate::rules::rds_connections::max_connections;
use crate::rules::routing::{MetricNeed, NeedState, Routing, alarms_for, need_state};
use crate::snapshot::{Alarm, Read, RegionSnapshot};

/// What one new alarm watches and when it fires.
pub(super) struct Template {
    /// The end of the alarm's name: `onwatch-<resource>-<suffix>`.
    suffix: &'static str,
    /// Seconds per period, and how many periods (all breaching) fire the alarm.
    period: i32,
    periods: i32,
    namespace: &'static str,
    metric: &'static str,
    statistic: &'static str,
    comparison: &'static str,
    threshold: f64,
    missing: &'static str,
    /// When it fires, in plain words, with `{}` for the threshold.
    fires: &'static str,
}

impl Template {
    const fn high(
        suffix: &'static str,
        namespace: &'static str,
        metric: &'static str,
        threshold: f64,
        fires: &'static str,
    ) -> Self {
        Template {
            suffix,
            period: 60,
            periods: 5,
            namespace,
            metric,
            statistic: "Average",
            comparison: "GreaterThanThreshold",
            threshold,
            missing: "missing",
            fires,
        }
    }
}

/// One resource: its name for alarm names, the dimensions of its metrics, and each
/// need with the alarms that meet it.
pub(super) struct Resource<'a> {
    pub(super) label: String,
    pub(super) dimensions: BTreeMap<String, String>,
    pub(super) wants: Vec<(MetricNeed<'a>, Vec<Template>)>,
}

/// A canary's success rate below 90 % for two 5-minute periods (a canary runs every
/// 5 minutes, so shorter periods would be mostly empty); no data means it stopped
/// running, which is breaching.
pub(super) const SUCCESS_PERCENT: Template = Template {
    suffix: "success",
    period: 300,
    periods: 2,
    namespace: "CloudWatchSynthetics",
    metric: "SuccessPercent",
    statistic: "Average",
    comparison: "LessThanThreshold",
    threshold: 90.0,
    missing: "breaching",
    fires: "fewer than {}% of the canary's runs succeed for 10 minutes, or it stops reporting",
};

/// CPU above 90 % for five minutes.
const RDS_CPU: Template = Template::high(
    "cpu",
    "AWS/RDS",
    "CPUUtilization",
    90.0,
    "average CPU above {}% for 5 minutes in a row",
);

pub(super) fn rds_cpu(ctx: &Ctx) -> Result<Planned, NoPlan> {
    rds_alarms(ctx, |_, db| Ok((needs::rds_cpu(db), vec![RDS_CPU])))
}

/// Free storage below 10 % of the allocated storage (AWS's recommendation).
pub(super) fn rds_storage(ctx: &Ctx) -> Result<Planned, NoPlan> {
    if ctx.choices.storage_ceiling_gib.is_some() {
        return super::rds::storage_autoscaling(ctx);
    }
    rds_alarms(ctx, |ctx, db| {
        let gib = ctx
            .choices
            .thresholds
            .get("FreeStorageSpace")
            .copied()
            .unwrap_or(db.allocated_storage as f64 * 0.1);
        let template = Template {
            suffix: "free-storage",
            period: 60,
            periods: 5,
            namespace: "AWS/RDS",
            metric: "FreeStorageSpace",
            statistic: "Minimum",
            comparison: "LessThanThreshold",
            threshold: (gib * GIB).round(),
            missing: "missing",
            fires: "free storage below {} bytes for 5 minutes in a row",
        };
        Ok((needs::rds_storage(db), vec![template]))
    })
}

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// DatabaseConnections above the item's `max_fraction` of max_connections, when the
/// parameter group sets it to a number; else the user gives the threshold.
pub(super) fn rds_connections(ctx: &Ctx) -> Result<Planned, NoPlan> {
    rds_alarms(ctx, |ctx, db| {
        let threshold = match ctx.choices.thresholds.get("DatabaseConnections") {
            Some(t) => *t,
            None => match max_connections(db) {
                Ok((max, _)) => (max * ctx.choices.connections_fraction).floor(),
                Err(why) => {
                    return Err(format!(
                        "{why}; pass --threshold DatabaseConnections=N to choose when it fires"
                    ));
                }
            },
        };
        let template = Template::high(
            "connections",
            "AWS/RDS",
            "DatabaseConnections",
            threshold,
            "more than {} connections for 5 minutes in a row",
        );
        Ok((needs::rds_connections(db), vec![template]))
    })
}

fn rds_alarms<'s>(
    ctx: &Ctx<'s>,
    want: impl for<'d> Fn(
        &Ctx,
        &'d crate::snapshot::DbInstance,
    ) -> Result<(MetricNeed<'d>, Vec<Template>), String>,
) -> Result<Planned, NoPlan> {
    plan_each(ctx, |_, data, f| {
        let Read::Ok(dbs) = &data.rds_instances else {
            return Ok(None);
        };
        let Some(db) = dbs.iter().find(|d| d.arn == f.resource) else {
            return Ok(None);
        };
        let (need, templates) = want(ctx, db)?;
        Ok(Some(Resource {
            label: db.identifier.clone(),
            dimensions: BTreeMap::from([(
                "DBInstanceIdentifier".to_string(),
                db.identifier.clone(),
            )]),
            wants: vec![(need, templates)],
        }))
    })
}

pub(super) fn ecs_services(ctx: &Ctx) -> Result<Planned, NoPlan> {
    plan_each(ctx, |_, data, f| {
        let Read::Ok(clusters) = &data.ecs_clusters else {
            return Ok(None);
        };
        for cluster in clusters {
            let Read::Ok(services) = &cluster.services else {
                continue;
            };
            let Some(service) = services.iter().find(|s| s.arn == f.resource) else {
                continue;
            };
            let [cpu, memory] = needs::ecs_service(&cluster.name, &service.name);
            return Ok(Some(Resource {
                label: format!("{}-{}", cluster.name, service.name),
                dimensions: BTreeMap::from([
                    ("ClusterName".to_string(), cluster.name.clone()),
                    ("ServiceName".to_string(), service.name.clone()),
                ]),
                wants: vec![
                    (
                        cpu,
                        vec![Template::high(
                            "cpu",
                            "AWS/ECS",
                            "CPUUtilization",
                            90.0,
                            "average CPU above {}% of what the tasks reserve for 5 minutes in a row",
                        )],
                    ),
                    (
                        memory,
                        vec![Template::high(
                            "memory",
                            "AWS/ECS",
                            "MemoryUtilization",
                            90.0,
                            "average memory above {}% of what the tasks reserve for 5 minutes in a row",
                        )],
                    ),
                ],
            }));
        }
        Ok(None)
    })
}

/// 5xx answers (from the load balancer itself, such as 502 and 503 when targets fail,
/// and from the targets) and the targets' 90th percentile response time.
pub(super) fn load_balancers(ctx: &Ctx) -> Result<Planned, NoPlan> {
    plan_each(ctx, |_, data, f| {
        let Read::Ok(lbs) = &data.load_balancers else {
            return Ok(None);
        };
        let Some(lb) = lbs.iter().find(|l| l.arn == f.resource) else {
            return Ok(None);
        };
        let Some(dimension) = lb.metric_dimension() else {
            return Ok(None);
        };
        let count = |suffix, metric| Template {
            suffix,
            period: 60,
            periods: 5,
            namespace: "AWS/ApplicationELB",
            metric,
            statistic: "Sum",
            comparison: "GreaterThanThreshold",
            threshold: 10.0,
            missing: "notBreaching",
            fires: "more than {} 5xx answers a minute for 5 minutes in a row",
        };
        let [errors, latency] = needs::alb(dimension);
        Ok(Some(Resource {
            label: lb.name.clone(),
            dimensions: BTreeMap::from([("LoadBalancer".to_string(), dimension.to_string())]),
            wants: vec![
                (
                    errors,
                    vec![
                        count("elb-5xx", "HTTPCode_ELB_5XX_Count"),
                        count("target-5xx", "HTTPCode_Target_5XX_Count"),
                    ],
                ),
                (
                    latency,
                    vec![Template {
                        suffix: "response-time",
                        period: 60,
                        periods: 5,
                        namespace: "AWS/ApplicationELB",
                        metric: "TargetResponseTime",
                        statistic: "p90",
                        comparison: "GreaterThanThreshold",
                        threshold: 2.0,
                        missing: "notBreaching",
                        fires: "the slowest 10% of answers take over {} seconds for 5 minutes in a row",
                    }],
                ),
            ],
        }))
    })
}

/// For each failing finding, the resource `find` describes (None: not in the scan, Err:
/// why no alarm can be planned), and a new alarm for each need that has none.
fn plan_each<'s>(
    ctx: &Ctx<'s>,
    find: impl for<'d> Fn(&Ctx, &'d RegionSnapshot, &Finding) -> Result<Option<Resource<'d>>, String>,
) -> Result<Planned, NoPlan> {
    let routing = Routing::of(ctx.snapshot, &[]);
    let mut p = Planned::default();
    let mut count = 0usize;
    for (f, data) in ctx.failing(&mut p.skipped) {
        let Read::Ok(alarms) = &data.alarms else {
            continue;
        };
        let resource = match find(ctx, data, f) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(why) => {
                p.skipped
                    .push(format!("{} ({}): {why}", f.resource, f.region));
                continue;
            }
        };
        let mut said = false;
        for (need, templates) in &resource.wants {
            if !alarms_for(alarms, need).is_empty() {
                let why = match need_state(&routing, &f.region, alarms, need) {
                    NeedState::Met(_) => continue,
                    NeedState::Missing(why) => why,
                    NeedState::Unknown(e) => format!("could not be checked: {}", e.reason()),
                };
                said = true;
                p.skipped.push(format!(
                    "{} ({}): {why}; an alarm already watches {}, so onwatch adds none next to it: fix where it goes instead (alarm-actions adds the channel to an alarm without actions, sns-confirmed-subscriptions subscribes you to a topic that reaches nobody)",
                    resource.label, f.region, need.label
                ));
                continue;
            }
            for t in templates {
                said = true;
                if plan_alarm(ctx, &f.region, alarms, &resource, t, &mut p) {
                    count += 1;
                }
            }
        }
        if !said {
            // Every metric has a routed alarm, yet the item fails (a threshold too high
            // for max_connections): changing someone's alarm is their decision.
            p.skipped.push(format!(
                "{} ({}): {}; changing an existing alarm is your decision",
                resource.label,
                f.region,
                f.reason.clone().unwrap_or_default()
            ));
        }
    }
    p.cost = if count == 0 {
        "No charge: no new alarm".to_string()
    } else {
        format!(
            "{count} new CloudWatch alarm(s) at $0.10 a month each (standard resolution, us-east-1 price): about ${:.2} a month; SNS e-mail notifications are free for the first 1,000 a month",
            count as f64 * 0.10
        )
    };
    Ok(p)
}

/// Plans one alarm; false when it is skipped (the reason is in `p.skipped`).
pub(super) fn plan_alarm(
    ctx: &Ctx,
    region: &str,
    alarms: &[Alarm],
    resource: &Resource,
    t: &Template,
    p: &mut Planned,
) -> bool {
    let account = &ctx.snapshot.account;
    let name = format!("onwatch-{}-{}", resource.label, t.suffix);
    if alarms.iter().any(|a| a.name == name) {
        p.skipped.push(format!(
            "{} ({region}): an alarm named {name} already exists",
            resource.label
        ));
        return false;
    }
    let arn = format!(
        "arn:{}:cloudwatch:{region}:{}:alarm:{name}",
        account.partition, account.id
    );
    let topic = match channel_for(ctx, region, Publisher::Alarms, &arn, p) {
        Ok(t) => t,
        Err(why) => {
            p.skipped.push(format!("alarm {name} ({region}): {why}"));
            return false;
        }
    };
    let threshold = match t.metric {
        // FreeStorageSpace is chosen in GiB and already converted.
        "FreeStorageSpace" | "DatabaseConnections" => t.threshold,
        m => ctx
            .choices
            .thresholds
            .get(m)
            .copied()
            .unwrap_or(t.threshold),
    };
    let pattern = pattern_for(ctx, &topic);
    let fires = t.fires.replace("{}", &threshold.to_string());
    let alarm = NewAlarm {
        name: name.clone(),
        description: format!(
            "Created by onwatch: {fires}. Defaults from AWS's recommended alarms; change the threshold to fit this workload."
        ),
        namespace: t.namespace.to_string(),
        metric: t.metric.to_string(),
        dimensions: resource.dimensions.clone(),
        statistic: t.statistic.to_string(),
        period: t.period,
        evaluation_periods: t.periods,
        datapoints_to_alarm: t.periods,
        threshold,
        comparison: t.comparison.to_string(),
        treat_missing_data: t.missing.to_string(),
        actions: vec![topic.clone()],
        tags: BTreeMap::from([
            ("managed-by".to_string(), "onwatch".to_string()),
            ("response-pattern".to_string(), pattern.to_string()),
        ]),
    };
    let topic_name = topic.rsplit(':').next().unwrap_or(&topic);
    p.steps.push(Step::new(
        region,
        Op::PutMetricAlarm {
            alarm: Box::new(alarm),
        },
        format!(
            "Create alarm {name} on {} {}: it notifies topic {topic_name} when {fires}; tagged managed-by = onwatch and response-pattern = {pattern}",
            t.namespace, t.metric
        ),
        State::AlarmExists(false),
        Undo::Call {
            op: Op::DeleteAlarm {
                alarm: name,
                alarm_arn: arn,
            },
            expect: State::Managed(true),
        },
    ));
    true
}
