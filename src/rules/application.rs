//! Application: container logs, log retention, error tracking.

use super::{RuleInput, RuleSpec, per_region};
use crate::checklist::{ParamDefault, ParamKind, ParamSpec};
use crate::report::{Finding, FindingStatus};
use crate::snapshot::{GLOBAL_REGION, Read, ReadError, RegionSnapshot, TaskDefinition};
use crate::t;

const DRIVERS: ParamSpec = ParamSpec {
    name: "drivers",
    kind: ParamKind::TextList,
    default: ParamDefault::TextList(&[
        "awslogs",
        "awsfirelens",
        "splunk",
        "fluentd",
        "gelf",
        "syslog",
    ]),
    range: None,
    help: "param_help.drivers",
};

pub static ECS_LOGGING: RuleSpec = RuleSpec {
    id: "ecs_logging",
    params: &[DRIVERS],
    eval: ecs_logging,
};

fn ecs_logging(input: &RuleInput) -> Vec<Finding> {
    let drivers = input.params.text_list(&DRIVERS);
    per_region(
        input.snapshot,
        "ECS task definitions", // i18n: technical (resource label)
        |r| &r.ecs_task_definitions,
        |region, data, task_definitions, out| {
            out.extend(unread_services(region, data, task_definitions));
            for td in task_definitions {
                let silent: Vec<String> = td
                    .containers
                    .iter()
                    .filter(|c| !c.log_driver.as_ref().is_some_and(|d| drivers.contains(d)))
                    .map(|c| {
                        let driver = match c.log_driver.as_deref() {
                            Some(d) => d.to_string(),
                            None => t!("rules_application.none").into_owned(),
                        };
                        t!(
                            "rules_application.log_driver",
                            name = c.name,
                            driver = driver
                        )
                        .into_owned()
                    })
                    .collect();
                if silent.is_empty() {
                    let used: Vec<String> = td.containers.iter().map(shipped_to).collect();
                    out.push(Finding::pass(region, &td.arn, used.join(", ")));
                } else {
                    out.push(Finding::fail(
                        region,
                        &td.arn,
                        silent.join(", "),
                        t!("rules_application.logs_lost"),
                    ));
                }
            }
        },
    )
}

/// The services whose containers the scan could not see, so their logging is unknown:
/// an EXTERNAL deployment controller names no task definition (it runs task sets),
/// and a definition DescribeTaskDefinition did not return. Listed, never dropped.
fn unread_services(region: &str, data: &RegionSnapshot, read: &[TaskDefinition]) -> Vec<Finding> {
    let services = data
        .ecs_clusters
        .ok()
        .into_iter()
        .flatten()
        .flat_map(|c| c.services.ok().into_iter().flatten());
    services
        .filter_map(|s| {
            let why = if s.task_definition.is_empty() {
                let controller = match s.deployment_controller.as_deref() {
                    Some(c) => c.to_string(),
                    None => t!("rules_application.unknown").into_owned(),
                };
                t!(
                    "rules_application.no_task_definition",
                    service = s.name,
                    controller = controller
                )
            } else if !read.iter().any(|td| td.arn == s.task_definition) {
                t!(
                    "rules_application.not_described",
                    task_definition = s.task_definition,
                    service = s.name
                )
            } else {
                return None;
            };
            Some(Finding::could_not_check(
                region,
                &s.arn,
                t!(
                    "rules_application.task_definition",
                    task_definition = empty_as_none(&s.task_definition)
                ),
                why,
            ))
        })
        .collect()
}

fn empty_as_none(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_empty() {
        t!("rules_application.none")
    } else {
        text.into()
    }
}

/// "app: splunk → https://splunk.example.com:8088": the driver and the destination its
/// options name (the Docker logging drivers' address options, FireLens's output).
fn shipped_to(c: &crate::snapshot::ContainerDefinition) -> String {
    let driver = match c.log_driver.as_deref() {
        Some(d) => std::borrow::Cow::Borrowed(d),
        None => t!("rules_application.none"),
    };
    match (&c.log_destination, c.log_driver.as_deref()) {
        (Some(to), _) => format!("{}: {driver} → {to}", c.name),
        (None, Some("awsfirelens")) => t!("rules_application.firelens", name = c.name).into_owned(),
        (None, Some("fluentd")) => t!("rules_application.fluentd", name = c.name).into_owned(),
        (None, _) => format!("{}: {driver}", c.name),
    }
}

const MIN_DAYS: ParamSpec = ParamSpec {
    name: "min_days",
    kind: ParamKind::Int,
    default: ParamDefault::Int(7),
    range: Some((1.0, 3653.0)),
    help: "param_help.log_retention_min_days",
};

pub static LOG_RETENTION: RuleSpec = RuleSpec {
    id: "log_retention",
    params: &[MIN_DAYS],
    eval: log_retention,
};

fn log_retention(input: &RuleInput) -> Vec<Finding> {
    let min = input.params.int(&MIN_DAYS);
    per_region(
        input.snapshot,
        "log groups", // i18n: technical (resource label)
        |r| &r.log_groups,
        |region, _, groups, out| {
            for group in groups {
                // A DELIVERY log group's retention is set by AWS and cannot be changed
                // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch_Logs_Log_Classes.html).
                if group.class.as_deref() == Some("DELIVERY") {
                    out.push(Finding::not_applicable(
                        region,
                        &group.arn,
                        t!("rules_application.delivery_class"),
                    ));
                    continue;
                }
                match group.retention_days {
                    None => out.push(Finding::fail(
                        region,
                        &group.arn,
                        t!("rules_application.never_expire"),
                        t!("rules_application.stored_forever"),
                    )),
                    Some(days) if days < min => out.push(Finding::fail(
                        region,
                        &group.arn,
                        t!("rules_application.retention_days", days = days),
                        t!("rules_application.too_short", min = min),
                    )),
                    Some(days) => out.push(Finding::pass(
                        region,
                        &group.arn,
                        t!("rules_application.retention_days", days = days),
                    )),
                }
            }
        },
    )
}

const NAMES: ParamSpec = ParamSpec {
    name: "names",
    kind: ParamKind::TextList,
    default: ParamDefault::TextList(&["SENTRY_DSN"]),
    range: None,
    help: "param_help.error_tracking_names",
};

pub static ERROR_TRACKING: RuleSpec = RuleSpec {
    id: "error_tracking",
    params: &[NAMES],
    eval: error_tracking,
};

/// Evidence of an error tracker in the task definitions. Without evidence the item
/// falls back to the user's answer (it is answerable), since the tracker may be
/// configured in code.
fn error_tracking(input: &RuleInput) -> Vec<Finding> {
    let names = input.params.text_list(&NAMES);
    let mut found = Vec::new();
    let mut checked = 0;
    let mut unknown: Option<(String, ReadError)> = None;
    for (region, data) in &input.snapshot.regions {
        let tds = match &data.ecs_task_definitions {
            Read::Ok(t) => t,
            Read::Failed(e) => {
                unknown.get_or_insert_with(|| (region.clone(), e.clone()));
                continue;
            }
        };
        for td in tds {
            checked += 1;
            for c in &td.containers {
                let hits = c
                    .environment_names
                    .iter()
                    .map(|n| (n, false))
                    .chain(c.secret_names.iter().map(|n| (n, true)))
                    .filter(|(n, _)| names.contains(n));
                for (name, secret) in hits {
                    let evidence = if secret {
                        t!(
                            "rules_application.tracker_secret",
                            name = name,
                            container = c.name
                        )
                    } else {
                        t!(
                            "rules_application.tracker_environment",
                            name = name,
                            container = c.name
                        )
                    };
                    found.push(Finding::pass(region, &td.arn, evidence));
                }
            }
        }
    }
    if !found.is_empty() {
        return found;
    }
    if let Some((region, e)) = unknown {
        return vec![Finding::unreadable(&region, "ECS task definitions", &e)]; // i18n: technical (resource label)
    }
    if checked == 0 {
        return vec![Finding::not_applicable(
            GLOBAL_REGION,
            "ECS task definitions", // i18n: technical (resource label)
            t!("rules_application.no_task_definitions"),
        )];
    }
    // No evidence is not a failure: the tracker may be set up in code. The finding is
    // neither pass nor fail, so the user's answer decides the item.
    vec![Finding {
        region: GLOBAL_REGION.to_string(),
        resource: "ECS task definitions".to_string(), // i18n: technical (resource label)
        status: FindingStatus::NotApplicable,
        evidence: t!(
            "rules_application.tracker_none",
            names = names.join(", "),
            count = checked
        )
        .into_owned(),
        reason: Some(t!("rules_application.tracker_answer").into_owned()),
        missing_permission: None,
        accepted: None,
    }]
}
