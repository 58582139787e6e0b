//! AWS Config: recorders (with their status) and delivery channels.
//!
//! `lastStatus` is kept as the string AWS sent: a value newer than the SDK's enum
//! ("PENDING") arrives as an unknown variant and is data, not an error.

use std::collections::HashMap;

use aws_sdk_config as cfg;

use super::context::{Ctx, client};
use crate::snapshot::{ConfigDeliveryChannel, ConfigRecorder, ReadError};

const SERVICE: &str = "Config Service"; // i18n: technical

pub(crate) async fn recorders(ctx: &Ctx, region: &str) -> Result<Vec<ConfigRecorder>, ReadError> {
    let client = client!(ctx, cfg, region);
    let recorders = ctx
        .call(client.describe_configuration_recorders().send())
        .await
        .map_err(ctx.failed(SERVICE, "DescribeConfigurationRecorders", region))?; // i18n: technical
    let statuses = ctx
        .call(client.describe_configuration_recorder_status().send())
        .await
        .map_err(ctx.failed(SERVICE, "DescribeConfigurationRecorderStatus", region))?; // i18n: technical
    let by_name: HashMap<&str, _> = statuses
        .configuration_recorders_status()
        .iter()
        .filter_map(|s| s.name().map(|n| (n, s)))
        .collect();
    Ok(recorders
        .configuration_recorders()
        .iter()
        .map(|r| {
            let name = r.name().unwrap_or_default().to_string();
            let status = by_name.get(name.as_str());
            let group = r.recording_group();
            let types = |t: &[cfg::types::ResourceType]| -> Vec<String> {
                t.iter().map(|t| t.as_str().to_string()).collect()
            };
            ConfigRecorder {
                recording: status.is_some_and(|s| s.recording()),
                last_status: status
                    .and_then(|s| s.last_status())
                    .map(|s| s.as_str().to_string()),
                all_supported: group.is_some_and(|g| g.all_supported()),
                strategy: group
                    .and_then(|g| g.recording_strategy())
                    .and_then(|s| s.use_only())
                    .map(|u| u.as_str().to_string()),
                resource_types: group.map(|g| types(g.resource_types())).unwrap_or_default(),
                excluded_types: group
                    .and_then(|g| g.exclusion_by_resource_types())
                    .map(|e| types(e.resource_types()))
                    .unwrap_or_default(),
                frequency: r
                    .recording_mode()
                    .map(|m| m.recording_frequency().as_str().to_string()),
                name,
            }
        })
        .collect())
}

pub(crate) async fn delivery_channels(
    ctx: &Ctx,
    region: &str,
) -> Result<Vec<ConfigDeliveryChannel>, ReadError> {
    let client = client!(ctx, cfg, region);
    let channels = ctx
        .call(client.describe_delivery_channels().send())
        .await
        .map_err(ctx.failed(SERVICE, "DescribeDeliveryChannels", region))?; // i18n: technical
    Ok(channels
        .delivery_channels()
        .iter()
        .map(|c| ConfigDeliveryChannel {
            name: c.name().unwrap_or_default().to_string(),
            s3_bucket: c.s3_bucket_name().map(str::to_string),
        })
        .collect())
}
