//! External and synthetic monitoring: canaries and load balancer alarms.

use super::needs;
use super::routing::{MetricNeed, Routing, routed_alarms_finding};
use super::{RuleInput, RuleSpec, per_region};
use crate::report::Finding;
use crate::snapshot::Read;

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
        "load balancers",
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
                            &format!("Synthetics in {region}"),
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
                        format!("internet-facing; running canaries in {region} = none"),
                        "nothing probes this endpoint the way a user does",
                    ));
                } else {
                    out.push(Finding::pass(
                        region,
                        &lb.arn,
                        format!("running canaries in {region}: {}", running.join(", ")),
                    ));
                }
            }
            for canary in canaries {
                let resource = format!("canary {}", canary.name);
                if canary.state != "RUNNING" {
                    out.push(Finding::fail(
                        region,
                        &resource,
                        format!("state = {}", canary.state),
                        "the canary is not running",
                    ));
                    continue;
                }
                let need = MetricNeed {
                    label: "SuccessPercent",
                    sources: &[("CloudWatchSynthetics", &["SuccessPercent"])],
                    dimension_sets: vec![vec![("CanaryName", canary.name.as_str())]],
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
        "load balancers",
        |r| &r.load_balancers,
        |region, data, lbs, out| {
            for lb in lbs {
                if lb.kind != "application" {
                    out.push(Finding::not_applicable(
                        region,
                        &lb.arn,
                        format!("a {} load balancer has no HTTP 5xx metrics", lb.kind),
                    ));
                    continue;
                }
                let Some(dimension) = lb.metric_dimension() else {
                    out.push(Finding::fail(
                        region,
                        &lb.arn,
                        "ARN without a loadbalancer/ part",
                        "cannot tell which alarms watch this load balancer",
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
