//! GuardDuty: the detectors of a region and whether each is enabled.

use aws_sdk_guardduty as gd;

use super::context::{Ctx, client};
use super::error::read_error;
use crate::snapshot::{GuardDutyDetector, ReadError};

const SERVICE: &str = "GuardDuty";

pub(crate) async fn detectors(
    ctx: &Ctx,
    region: &str,
) -> Result<Vec<GuardDutyDetector>, ReadError> {
    let client = client!(ctx, gd, region);
    let mut ids = Vec::new();
    let mut pages = client.list_detectors().into_paginator().send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(|e| read_error(SERVICE, "ListDetectors", e))?;
        ids.extend(page.detector_ids().iter().cloned());
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let detector = ctx
            .call(client.get_detector().detector_id(&id).send())
            .await
            .map_err(|e| read_error(SERVICE, "GetDetector", e))?;
        out.push(GuardDutyDetector {
            id,
            status: detector
                .status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            finding_publishing_frequency: detector
                .finding_publishing_frequency()
                .map(|f| f.as_str().to_string()),
        });
    }
    Ok(out)
}
