//! CloudTrail: trails and whether each is logging.
//!
//! A multi-region trail is also listed in every other region as a "shadow". It is read
//! once: in its home region when that region is in scope, otherwise only in the first
//! region of the scope (every region of the scope sees the shadow), so a narrowed scan
//! still finds the account's trail and never asks for its status twice.

use aws_sdk_cloudtrail as ct;

use super::context::{Ctx, client, to_read};
use crate::snapshot::{ReadError, Trail, TrailShadow};

const SERVICE: &str = "CloudTrail";

/// The trails read in `region`, and the multi-region trails it lists but leaves to be
/// read in another region (their shadows).
pub(crate) async fn trails(
    ctx: &Ctx,
    region: &str,
) -> Result<(Vec<Trail>, Vec<TrailShadow>), ReadError> {
    let client = client!(ctx, ct, region);
    let listed = ctx
        .call(client.describe_trails().include_shadow_trails(true).send())
        .await
        .map_err(ctx.failed(SERVICE, "DescribeTrails", region))?;
    let (mine, elsewhere): (Vec<ct::types::Trail>, Vec<ct::types::Trail>) = listed
        .trail_list()
        .iter()
        .cloned()
        .partition(|t| reads_here(ctx, region, t.home_region().unwrap_or(region)));
    let shadows = elsewhere
        .iter()
        .filter(|t| t.is_multi_region_trail().unwrap_or(false))
        .map(|t| TrailShadow {
            arn: t.trail_arn().unwrap_or_default().to_string(),
            home_region: t.home_region().unwrap_or_default().to_string(),
        })
        .collect();
    let client = &client;
    let trails = ctx
        .each(mine, |trail| async move {
            let arn = trail.trail_arn().unwrap_or_default().to_string();
            let name = trail.name().unwrap_or_default().to_string();
            let id = if arn.is_empty() {
                name.clone()
            } else {
                arn.clone()
            };
            let status = ctx
                .call(client.get_trail_status().name(id).send())
                .await
                .map(|s| s.is_logging().unwrap_or(false))
                .map_err(ctx.failed(SERVICE, "GetTrailStatus", region));
            Trail {
                name,
                arn,
                home_region: trail.home_region().unwrap_or(region).to_string(),
                is_multi_region: trail.is_multi_region_trail().unwrap_or(false),
                log_file_validation: trail.log_file_validation_enabled().unwrap_or(false),
                is_logging: to_read(status),
            }
        })
        .await;
    Ok((trails, shadows))
}

/// Whether a trail with this home region is read in `region`.
fn reads_here(ctx: &Ctx, region: &str, home: &str) -> bool {
    home == region
        || (!ctx.scope.contains(home) && ctx.scope.first().map(String::as_str) == Some(region))
}
