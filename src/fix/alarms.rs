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
use crate::t;

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
    /// When it fires, in plain words, given the threshold (in the language in use).
    fires: fn(&str) -> String,
}

impl Template {
    const fn high(
        suffix: &'static str,
        namespace: &'static str,
        metric: &'static str,
        threshold: f64,
        fires: fn(&str) -> String,
    ) -> Self {
        Template {
            suffix,
            period: 60,
            periods: 5,
            namespace,
            metric,
            statistic: "Average",               // i18n: technical
            comparison: "GreaterThanThreshold", // i18n: technical
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
    namespace: "CloudWatchSynthetics", // i18n: technical
    metric: "SuccessPercent",          // i18n: technical
    statistic: "Average",              // i18n: technical
    comparison: "LessThanThreshold",   // i18n: technical
    threshold: 90.0,
    missing: "breaching",
    fires: |n| t!("fix_alarms.fires_canary", n = n).into_owned(),
};

/// CPU above 90 % for five minutes.
const RDS_CPU: Template = Template::high("cpu", "AWS/RDS", "CPUUtilization", 90.0, |n| {
    t!("fix_alarms.fires_rds_cpu", n = n).into_owned()
});

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
            .get("FreeStorageSpace") // i18n: technical
            .copied()
            .unwrap_or(db.allocated_storage as f64 * 0.1);
        let template = Template {
            suffix: "free-storage",
            period: 60,
            periods: 5,
            namespace: "AWS/RDS",
            metric: "FreeStorageSpace",      // i18n: technical
            statistic: "Minimum",            // i18n: technical
            comparison: "LessThanThreshold", // i18n: technical
            threshold: (gib * GIB).round(),
            missing: "missing",
            fires: |n| t!("fix_alarms.fires_free_storage", n = n).into_owned(),
        };
        Ok((needs::rds_storage(db), vec![template]))
    })
}

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// DatabaseConnections above the item's `max_fraction` of max_connections, when the
/// parameter group sets it to a number; else the user gives the threshold.
pub(super) fn rds_connections(ctx: &Ctx) -> Result<Planned, NoPlan> {
    rds_alarms(ctx, |ctx, db| {
        let chosen = ctx.choices.thresholds.get("DatabaseConnections"); // i18n: technical
        let threshold = match chosen {
            Some(t) => *t,
            None => match max_connections(db) {
                Ok((max, _)) => (max * ctx.choices.connections_fraction).floor(),
                Err(why) => {
                    return Err(t!("fix_alarms.connections_threshold", why = why).into_owned());
                }
            },
        };
        let template = Template::high(
            "connections",
            "AWS/RDS",
            "DatabaseConnections", // i18n: technical
            threshold,
            |n| t!("fix_alarms.fires_connections", n = n).into_owned(),
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
                    ("ClusterName".to_string(), cluster.name.clone()), // i18n: technical
                    ("ServiceName".to_string(), service.name.clone()), // i18n: technical
                ]),
                wants: vec![
                    (
                        cpu,
                        vec![Template::high(
                            "cpu",
                            "AWS/ECS",
                            "CPUUtilization",
                            90.0,
                            |n| t!("fix_alarms.fires_ecs_cpu", n = n).into_owned(),
                        )],
                    ),
                    (
                        memory,
                        vec![Template::high(
                            "memory",
                            "AWS/ECS",
                            "MemoryUtilization", // i18n: technical
                            90.0,
                            |n| t!("fix_alarms.fires_ecs_memory", n = n).into_owned(),
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
            statistic: "Sum",                   // i18n: technical
            comparison: "GreaterThanThreshold", // i18n: technical
            threshold: 10.0,
            missing: "notBreaching",
            fires: |n| t!("fix_alarms.fires_5xx", n = n).into_owned(),
        };
        let [errors, latency] = needs::alb(dimension);
        Ok(Some(Resource {
            label: lb.name.clone(),
            dimensions: BTreeMap::from([("LoadBalancer".to_string(), dimension.to_string())]), // i18n: technical
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
                        metric: "TargetResponseTime", // i18n: technical
                        statistic: "p90",
                        comparison: "GreaterThanThreshold", // i18n: technical
                        threshold: 2.0,
                        missing: "notBreaching",
                        fires: |n| t!("fix_alarms.fires_response_time", n = n).into_owned(),
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
                p.skipped.push(
                    t!(
                        "fix_alarms.resource_why",
                        resource = f.resource,
                        region = f.region,
                        why = why
                    )
                    .into_owned(),
                );
                continue;
            }
        };
        let mut said = false;
        for (need, templates) in &resource.wants {
            if !alarms_for(alarms, need).is_empty() {
                let why = match need_state(&routing, &f.region, alarms, need) {
                    NeedState::Met(_) => continue,
                    NeedState::Missing(why) => why,
                    NeedState::Unknown(e) => {
                        t!("fix_alarms.could_not_be_checked", why = e.reason()).into_owned()
                    }
                };
                said = true;
                p.skipped.push(
                    t!(
                        "fix_alarms.already_watched",
                        resource = resource.label,
                        region = f.region,
                        why = why,
                        metric = need.label
                    )
                    .into_owned(),
                );
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
            p.skipped.push(
                t!(
                    "fix_alarms.yours_to_change",
                    resource = resource.label,
                    region = f.region,
                    why = f.reason.clone().unwrap_or_default()
                )
                .into_owned(),
            );
        }
    }
    p.cost = if count == 0 {
        t!("fix_alarms.cost_none").into_owned()
    } else {
        t!(
            "fix_alarms.cost",
            count = count,
            total = format!("{:.2}", count as f64 * 0.10)
        )
        .into_owned()
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
        p.skipped.push(
            t!(
                "fix_alarms.name_taken",
                resource = resource.label,
                region = region,
                name = name
            )
            .into_owned(),
        );
        return false;
    }
    let arn = format!(
        "arn:{}:cloudwatch:{region}:{}:alarm:{name}",
        account.partition, account.id
    );
    let topic = match channel_for(ctx, region, Publisher::Alarms, &arn, p) {
        Ok(t) => t,
        Err(why) => {
            p.skipped.push(
                t!(
                    "fix_alarms.alarm_why",
                    name = name,
                    region = region,
                    why = why
                )
                .into_owned(),
            );
            return false;
        }
    };
    let threshold = match t.metric {
        // FreeStorageSpace is chosen in GiB and already converted.
        "FreeStorageSpace" | "DatabaseConnections" => t.threshold, // i18n: technical
        m => ctx
            .choices
            .thresholds
            .get(m)
            .copied()
            .unwrap_or(t.threshold),
    };
    let pattern = pattern_for(ctx, &topic);
    let n = threshold.to_string();
    let fires = (t.fires)(&n);
    // The description is written to AWS (and into the CLI equivalent and the
    // CloudFormation template): English whatever the window shows.
    let fires_en = crate::i18n::with_lang(crate::i18n::Lang::En, || (t.fires)(&n));
    let alarm = NewAlarm {
        name: name.clone(),
        description: format!(
            "Created by onwatch: {fires_en}. Defaults from AWS's recommended alarms; change the threshold to fit this workload." // i18n: technical
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
        t!(
            "fix_alarms.create_alarm",
            name = name,
            namespace = t.namespace,
            metric = t.metric,
            topic = topic_name,
            fires = fires,
            pattern = pattern
        )
        .into_owned(),
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
