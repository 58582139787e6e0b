//! CloudTrail: trails and whether each is logging.
//!
//! A multi-region trail is also listed in every other region as a "shadow". It is read
//! once: in its home region when that region is in scope, otherwise only in the first
//! region of the scope (every region of the scope sees the shadow), so a narrowed scan
//! still finds the account's trail and never asks for its status twice.

use aws_sdk_cloudtrail as ct;

use super::context::{Ctx, client, to_read};
use crate::snapshot::{
    AdvancedEventSelector, BasicEventSelector, EventSelectors, ReadError, Trail, TrailShadow,
};

const SERVICE: &str = "CloudTrail"; // i18n: technical

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
        .map_err(ctx.failed(SERVICE, "DescribeTrails", region))?; // i18n: technical
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
                .call(client.get_trail_status().name(&id).send())
                .await
                .map_err(ctx.failed(SERVICE, "GetTrailStatus", region)); // i18n: technical
            let is_logging = status
                .as_ref()
                .map(|s| s.is_logging().unwrap_or(false))
                .map_err(Clone::clone);
            let delivery_error = status
                .as_ref()
                .ok()
                .and_then(|s| s.latest_delivery_error())
                .filter(|e| !e.is_empty())
                .map(str::to_string);
            let is_multi_region = trail.is_multi_region_trail().unwrap_or(false);
            let home = trail.home_region().unwrap_or(region);
            // Only a trail that could pass needs its selectors: no call for one that
            // fails anyway.
            let event_selectors = if is_multi_region && is_logging == Ok(true) {
                Some(to_read(selectors(ctx, home, &id).await))
            } else {
                None
            };
            Trail {
                name,
                arn,
                home_region: home.to_string(),
                is_multi_region,
                log_file_validation: trail.log_file_validation_enabled().unwrap_or(false),
                is_logging: to_read(is_logging),
                delivery_error,
                event_selectors,
            }
        })
        .await;
    Ok((trails, shadows))
}

/// The trail's event selectors, reduced to what decides whether it records management
/// events (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html).
/// Asked in the trail's home region, where its configuration lives (the event
/// selector calls belong to the region the trail was created in), even when the scan
/// reads the trail from another region.
async fn selectors(ctx: &Ctx, home: &str, trail: &str) -> Result<EventSelectors, ReadError> {
    let region = home;
    let client = client!(ctx, ct, region);
    let answer = ctx
        .call(client.get_event_selectors().trail_name(trail).send())
        .await
        .map_err(ctx.failed(SERVICE, "GetEventSelectors", region))?; // i18n: technical
    let equals = |s: &ct::types::AdvancedEventSelector, field: &str| -> Vec<String> {
        s.field_selectors()
            .iter()
            .filter(|f| f.field() == field)
            .flat_map(|f| f.equals().iter().cloned())
            .collect()
    };
    Ok(EventSelectors {
        basic: answer
            .event_selectors()
            .iter()
            .map(|s| BasicEventSelector {
                read_write_type: s
                    .read_write_type()
                    .map_or("All", |t| t.as_str()) // i18n: technical
                    .to_string(),
                include_management_events: s.include_management_events().unwrap_or(true),
            })
            .collect(),
        advanced: answer
            .advanced_event_selectors()
            .iter()
            .map(|s| AdvancedEventSelector {
                event_categories: equals(s, "eventCategory"),
                read_only: equals(s, "readOnly"),
            })
            .collect(),
    })
}

/// Whether a trail with this home region is read in `region`.
fn reads_here(ctx: &Ctx, region: &str, home: &str) -> bool {
    home == region
        || (!ctx.scope.contains(home) && ctx.scope.first().map(String::as_str) == Some(region))
}
