//! rds-connections-alarm: each RDS instance has a routed alarm on DatabaseConnections
//! that fires before the connections run out. When the instance's parameter group sets
//! max_connections to a number, the alarm's threshold must be at most `max_fraction` of
//! it; the engines' defaults are formulas of the instance's memory
//! (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections),
//! which onwatch does not evaluate: then only the alarm is judged, and the evidence says so.

use super::can_fire;
use super::needs;
use super::resources::not_rds;
use super::routing::{Reach, Routing, alarms_for, routed_alarms_finding};
use super::{RuleInput, RuleSpec, per_region};
use crate::checklist::{ParamDefault, ParamKind, ParamSpec};
use crate::report::{Finding, FindingStatus};
use crate::snapshot::{Alarm, DbInstance, Read};
use crate::t;

const MAX_FRACTION: ParamSpec = ParamSpec {
    name: "max_fraction",
    kind: ParamKind::Float,
    default: ParamDefault::Float(0.8),
    range: Some((0.1, 1.0)),
    help: "param_help.max_fraction",
};

pub static RDS_CONNECTIONS_ALARM: RuleSpec = RuleSpec {
    id: "rds_connections_alarm",
    params: &[MAX_FRACTION],
    eval: rds_connections_alarm,
};

fn rds_connections_alarm(input: &RuleInput) -> Vec<Finding> {
    let routing = Routing::new(input);
    let fraction = input.params.float(&MAX_FRACTION);
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
                let need = needs::rds_connections(db);
                let finding = routed_alarms_finding(
                    &routing,
                    region,
                    &data.alarms,
                    &db.arn,
                    std::slice::from_ref(&need),
                );
                let Read::Ok(alarms) = &data.alarms else {
                    out.push(finding);
                    continue;
                };
                if finding.status != FindingStatus::Pass {
                    out.push(finding);
                    continue;
                }
                let now = input.snapshot.collected_at;
                let mut routed: Vec<&Alarm> = alarms_for(alarms, &need)
                    .into_iter()
                    .filter(|a| can_fire::why_not(a, Some(data), now).is_none())
                    .filter(|a| matches!(routing.alarm(a), Reach::Person(_)))
                    .collect();
                routed.sort_by(|a, b| a.name.cmp(&b.name));
                out.push(judge(region, db, &routed, fraction, finding));
            }
        },
    )
}

/// max_connections as a number, or what it is instead (for the evidence).
pub(crate) fn max_connections(db: &DbInstance) -> Result<(f64, String), String> {
    let group = match db.parameter_group.as_deref() {
        Some(g) => g.to_string(),
        None => t!("rules_rds_connections.unknown").into_owned(),
    };
    match &db.max_connections {
        Some(Read::Ok(Some(value))) => match value.trim().parse::<f64>() {
            Ok(n) if n > 0.0 => Ok((n, group)),
            _ => Err(t!(
                "rules_rds_connections.formula",
                value = value,
                group = group
            )
            .into_owned()),
        },
        Some(Read::Failed(e)) => Err(t!(
            "rules_rds_connections.unreadable",
            group = group,
            reason = e.reason()
        )
        .into_owned()),
        Some(Read::Ok(None)) | None if db.parameter_group.is_some() => {
            Err(t!("rules_rds_connections.engine_default", group = group).into_owned())
        }
        _ => Err(t!("rules_rds_connections.no_group").into_owned()),
    }
}

fn judge(
    region: &str,
    db: &DbInstance,
    routed: &[&Alarm],
    fraction: f64,
    existence: Finding,
) -> Finding {
    let (max, group) = match max_connections(db) {
        Ok(m) => m,
        Err(why) => {
            let mut f = existence;
            f.evidence = t!(
                "rules_rds_connections.existence_only",
                evidence = f.evidence,
                why = why
            )
            .into_owned();
            return f;
        }
    };
    let limit = fraction * max;
    let mut late = Vec::new();
    for alarm in routed {
        let Some(threshold) = alarm.condition.as_ref().and_then(|c| c.threshold) else {
            // An anomaly detection band follows the usual level: accepted.
            return existence;
        };
        let share = threshold / max * 100.0;
        if threshold <= limit {
            return Finding::pass(
                region,
                &db.arn,
                t!(
                    "rules_rds_connections.pass",
                    alarm = alarm.name,
                    threshold = threshold,
                    share = format!("{share:.0}"),
                    max = max,
                    group = group
                ),
            );
        }
        late.push(
            t!(
                "rules_rds_connections.late",
                alarm = alarm.name,
                threshold = threshold,
                share = format!("{share:.0}"),
                max = max
            )
            .into_owned(),
        );
    }
    Finding::fail(
        region,
        &db.arn,
        late.join("; "),
        t!(
            "rules_rds_connections.too_late",
            percent = format!("{:.0}", fraction * 100.0),
            limit = format!("{limit:.0}"),
            max = max,
            group = group
        ),
    )
}
