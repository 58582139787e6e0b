//! Elastic Load Balancing v2: application, network and gateway load balancers.

use aws_sdk_elasticloadbalancingv2 as elb;

use super::context::{Ctx, Pages, client};
use super::error::iam_action;
use crate::snapshot::{LoadBalancer, ReadError};

const SERVICE: &str = "Elastic Load Balancing v2"; // i18n: technical

pub(crate) async fn load_balancers(
    ctx: &Ctx,
    region: &str,
) -> Result<Vec<LoadBalancer>, ReadError> {
    let client = client!(ctx, elb, region);
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeLoadBalancers")); // i18n: technical
    // PageSize 1..400: pages are sequential round trips.
    let mut pages = client
        .describe_load_balancers()
        .page_size(400)
        .into_paginator()
        .send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "DescribeLoadBalancers", region))?; // i18n: technical
        guard.next(page.next_marker())?;
        out.extend(page.load_balancers().iter().map(|lb| {
            LoadBalancer {
                name: lb.load_balancer_name().unwrap_or_default().to_string(),
                arn: lb.load_balancer_arn().unwrap_or_default().to_string(),
                kind: lb
                    .r#type()
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default(),
                scheme: lb
                    .scheme()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                dns_name: lb.dns_name().map(str::to_string),
            }
        }));
    }
    Ok(out)
}
