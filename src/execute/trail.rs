//! Re-reads and writes of CloudTrail trails, in their home region.

use aws_sdk_cloudtrail as ct;
use aws_types::SdkConfig;
use aws_types::request_id::RequestId;

use super::StepError;
use super::ops::{Written, client, failed, gone, not_handled};
use crate::fix::{Op, State};

fn client(sdk: &SdkConfig, region: &str) -> ct::Client {
    client!(sdk, ct, region)
}

pub(super) async fn read_state(sdk: &SdkConfig, region: &str, op: &Op) -> Result<State, StepError> {
    let c = client(sdk, region);
    match op {
        Op::UpdateTrail { trail, .. } => {
            let out = c
                .get_trail()
                .name(trail)
                .send()
                .await
                .map_err(failed("cloudtrail:GetTrail"))?;
            let t = out.trail().ok_or_else(|| gone(format!("trail {trail}")))?;
            Ok(State::TrailSettings {
                multi_region: t.is_multi_region_trail().unwrap_or(false),
                validation: t.log_file_validation_enabled().unwrap_or(false),
            })
        }
        Op::StartLogging { trail } | Op::StopLogging { trail } => {
            let out = c
                .get_trail_status()
                .name(trail)
                .send()
                .await
                .map_err(failed("cloudtrail:GetTrailStatus"))?;
            Ok(State::TrailLogging(out.is_logging().unwrap_or(false)))
        }
        other => Err(not_handled(other, "a CloudTrail")),
    }
}

pub(super) async fn write(sdk: &SdkConfig, region: &str, op: &Op) -> Result<Written, StepError> {
    let action = op.iam_action();
    let c = client(sdk, region);
    let request_id = match op {
        Op::UpdateTrail {
            trail,
            multi_region,
            validation,
        } => c
            .update_trail()
            .name(trail)
            .is_multi_region_trail(*multi_region)
            .enable_log_file_validation(*validation)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::StartLogging { trail } => c
            .start_logging()
            .name(trail)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::StopLogging { trail } => c
            .stop_logging()
            .name(trail)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        other => return Err(not_handled(other, "a CloudTrail")),
    };
    Ok(Written {
        request_id,
        undo: None,
    })
}
