//! External and synthetic monitoring: canaries and load balancer alarms.

use super::needs;
use super::routing::{MetricNeed, Routing, routed_alarms_finding};
use super::{RuleInput, RuleSpec, per_region};
use crate::report::Finding;
use crate::snapshot::Read;
use crate::t;

pub static SYNTHETICS_CANARY: RuleSpec = RuleSpec {
    id: "synthetics_canary",
    params: &[],
    eval: synthetics_canary,
};

/// A canary's target URL lives in its script, which the API does not describe, so an
/// internet-facing load balancer counts as probed when its region runs a canary. Every
/// canary must also have a routed alarm on its success rate.
fn synthetics_canary(input: &RuleInput) -> Vec<Finding> {
    let routing = Routing::new(input);
    per_region(
        input.snapshot,
        "load balancers", // i18n: technical (resource label)
        |r| &r.load_balancers,
        |region, data, lbs, out| {
            let public: Vec<_> = lbs
                .iter()
                .filter(|lb| lb.scheme == "internet-facing")
                .collect();
            let canaries = match &data.canaries {
                Read::Ok(c) => c,
                Read::Failed(e) => {
                    for lb in &public {
                        out.push(Finding::unreadable(region, &lb.arn, e));
                    }
                    if public.is_empty() {
                        out.push(Finding::unreadable(
                            region,
                            &format!("Synthetics in {region}"), // i18n: technical (resource label)
                            e,
                        ));
                    }
                    return;
                }
            };
            let mut running: Vec<&str> = canaries
                .iter()
                .filter(|c| c.state == "RUNNING")
                .map(|c| c.name.as_str())
                .collect();
            running.sort_unstable();
            for lb in &public {
                if running.is_empty() {
                    out.push(Finding::fail(
                        region,
                        &lb.arn,
                        t!("rules_external.no_canaries", region = region),
                        t!("rules_external.no_probe"),
                    ));
                } else {
                    out.push(Finding::pass(
                        region,
                        &lb.arn,
                        t!(
                            "rules_external.running_canaries",
                            region = region,
                            names = running.join(", ")
                        ),
                    ));
                }
            }
            for canary in canaries {
                let resource = format!("canary {}", canary.name); // i18n: technical (resource label)
                if canary.state != "RUNNING" {
                    out.push(Finding::fail(
                        region,
                        &resource,
                        t!("rules_external.state", state = canary.state),
                        t!("rules_external.not_running"),
                    ));
                    continue;
                }
                let need = MetricNeed {
                    label: "SuccessPercent",                                   // i18n: technical
                    sources: &[("CloudWatchSynthetics", &["SuccessPercent"])], // i18n: technical
                    dimension_sets: vec![vec![("CanaryName", canary.name.as_str())]], // i18n: technical
                };
                out.push(routed_alarms_finding(
                    &routing,
                    region,
                    &data.alarms,
                    &resource,
                    &[need],
                ));
            }
        },
    )
}

pub static ALB_ALARMS: RuleSpec = RuleSpec {
    id: "alb_alarms",
    params: &[],
    eval: alb_alarms,
};

fn alb_alarms(input: &RuleInput) -> Vec<Finding> {
    let routing = Routing::new(input);
    per_region(
        input.snapshot,
        "load balancers", // i18n: technical (resource label)
        |r| &r.load_balancers,
        |region, data, lbs, out| {
            for lb in lbs {
                if lb.kind != "application" {
                    out.push(Finding::not_applicable(
                        region,
                        &lb.arn,
                        t!("rules_external.no_5xx_metrics", kind = lb.kind),
                    ));
                    continue;
                }
                let Some(dimension) = lb.metric_dimension() else {
                    out.push(Finding::fail(
                        region,
                        &lb.arn,
                        t!("rules_external.no_dimension"),
                        t!("rules_external.no_dimension_reason"),
                    ));
                    continue;
                };
                let needs = needs::alb(dimension);
                out.push(routed_alarms_finding(
                    &routing,
                    region,
                    &data.alarms,
                    &lb.arn,
                    &needs,
                ));
            }
        },
    )
}
