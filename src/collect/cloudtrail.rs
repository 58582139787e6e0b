//! CloudTrail: trails and whether each is logging.
//!
//! A multi-region trail is also listed in every other region as a "shadow". It is read
//! once: in its home region when that region is in scope, otherwise in each region that
//! sees it, so a narrowed scan still finds the account's trail.

use aws_sdk_cloudtrail as ct;

use super::context::{Ctx, client, to_read};
use super::error::read_error;
use crate::snapshot::{ReadError, Trail};

const SERVICE: &str = "CloudTrail";

pub(crate) async fn trails(ctx: &Ctx, region: &str) -> Result<Vec<Trail>, ReadError> {
    let client = client!(ctx, ct, region);
    let listed = ctx
        .call(client.describe_trails().include_shadow_trails(true).send())
        .await
        .map_err(|e| read_error(SERVICE, "DescribeTrails", e))?;
    let mut out = Vec::new();
    for trail in listed.trail_list() {
        let home = trail.home_region().unwrap_or(region).to_string();
        if home != region && ctx.scope.contains(&home) {
            continue;
        }
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
            .map_err(|e| read_error(SERVICE, "GetTrailStatus", e));
        out.push(Trail {
            name,
            arn,
            home_region: home,
            is_multi_region: trail.is_multi_region_trail().unwrap_or(false),
            log_file_validation: trail.log_file_validation_enabled().unwrap_or(false),
            is_logging: to_read(status),
        });
    }
    Ok(out)
}
