//! Re-reads and writes of CloudTrail trails, in their home region. A trail is deleted
//! only when it carries onwatch's managed-by tag.

use aws_sdk_cloudtrail as ct;
use aws_types::SdkConfig;
use aws_types::request_id::RequestId;

use super::StepError;
use super::ops::{
    MANAGED_KEY, MANAGED_VALUE, Written, build_error, client, failed, gone, not_handled,
};
use crate::fix::{Op, State};
use crate::t;

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
            let t = out
                .trail()
                .ok_or_else(|| gone(t!("execute_trail.gone_trail", name = trail).into_owned()))?;
            Ok(State::TrailSettings {
                multi_region: t.is_multi_region_trail().unwrap_or(false),
                validation: t.log_file_validation_enabled().unwrap_or(false),
            })
        }
        Op::CreateTrail { trail, .. } => match c.get_trail().name(trail).send().await {
            Ok(out) => Ok(State::TrailExists(out.trail().is_some())),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_trail_not_found_exception()) =>
            {
                Ok(State::TrailExists(false))
            }
            Err(e) => Err(failed("cloudtrail:GetTrail")(e)),
        },
        Op::DeleteTrail { trail } => {
            let arn = c
                .get_trail()
                .name(trail)
                .send()
                .await
                .map_err(failed("cloudtrail:GetTrail"))?
                .trail()
                .and_then(|t| t.trail_arn())
                .map(str::to_string)
                .ok_or_else(|| gone(t!("execute_trail.gone_trail", name = trail).into_owned()))?;
            let out = c
                .list_tags()
                .resource_id_list(&arn)
                .send()
                .await
                .map_err(failed("cloudtrail:ListTags"))?;
            let managed = out.resource_tag_list().iter().any(|r| {
                r.tags_list()
                    .iter()
                    .any(|t| t.key() == MANAGED_KEY && t.value() == Some(MANAGED_VALUE))
            });
            Ok(State::Managed(managed))
        }
        Op::AddManagementEvents { trail } | Op::RemoveManagementEvents { trail } => {
            let (basic, advanced) = selectors(&c, trail).await?;
            Ok(State::ManagementEvents(records_management(
                &basic, &advanced,
            )))
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
        other => Err(not_handled(other, &t!("execute_trail.what"))),
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
        Op::CreateTrail { trail, bucket } => {
            let tag = ct::types::Tag::builder()
                .key(MANAGED_KEY)
                .value(MANAGED_VALUE)
                .build()
                .map_err(|e| build_error(&t!("execute_ops.part_managed_by_tag"), e))?;
            c.create_trail()
                .name(trail)
                .s3_bucket_name(bucket)
                .is_multi_region_trail(true)
                .include_global_service_events(true)
                .enable_log_file_validation(true)
                .tags_list(tag)
                .send()
                .await
                .map_err(failed(&action))?
                .request_id()
                .map(str::to_string)
        }
        Op::DeleteTrail { trail } => c
            .delete_trail()
            .name(trail)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::AddManagementEvents { trail } => {
            let (mut basic, mut advanced) = selectors(&c, trail).await?;
            let put = c.put_event_selectors().trail_name(trail);
            let put = if advanced.is_empty() {
                basic.push(
                    ct::types::EventSelector::builder()
                        .read_write_type(ct::types::ReadWriteType::All)
                        .include_management_events(true)
                        .build(),
                );
                put.set_event_selectors(Some(basic))
            } else {
                // A trail with advanced selectors ignores basic ones: add an advanced one.
                advanced.push(management_selector()?);
                put.set_advanced_event_selectors(Some(advanced))
            };
            put.send()
                .await
                .map_err(failed(&action))?
                .request_id()
                .map(str::to_string)
        }
        Op::RemoveManagementEvents { trail } => {
            let (mut basic, mut advanced) = selectors(&c, trail).await?;
            let put = c.put_event_selectors().trail_name(trail);
            let put = if advanced.is_empty() {
                // The last plain all-management selector: the one onwatch added.
                let Some(i) = basic.iter().rposition(is_plain_management) else {
                    return Err(gone(
                        t!("execute_trail.gone_management_selector", name = trail).into_owned(),
                    ));
                };
                basic.remove(i);
                put.set_event_selectors(Some(basic))
            } else {
                let Some(i) = advanced
                    .iter()
                    .position(|a| a.name() == Some(SELECTOR_NAME))
                else {
                    return Err(gone(
                        t!(
                            "execute_trail.gone_selector",
                            selector = SELECTOR_NAME,
                            name = trail
                        )
                        .into_owned(),
                    ));
                };
                advanced.remove(i);
                put.set_advanced_event_selectors(Some(advanced))
            };
            put.send()
                .await
                .map_err(failed(&action))?
                .request_id()
                .map(str::to_string)
        }
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
        other => return Err(not_handled(other, &t!("execute_trail.what"))),
    };
    Ok(Written {
        request_id,
        undo: None,
    })
}

/// The name of the advanced selector onwatch adds (and alone removes).
const SELECTOR_NAME: &str = "onwatch: management events"; // i18n: technical (sent to AWS)

/// The eventCategory value of management events, as AWS writes it.
const MANAGEMENT: &str = "Management"; // i18n: technical (sent to AWS)

fn management_selector() -> Result<ct::types::AdvancedEventSelector, StepError> {
    let field = ct::types::AdvancedFieldSelector::builder()
        .field("eventCategory")
        .equals(MANAGEMENT)
        .build()
        .map_err(|e| build_error(&t!("execute_trail.part_field_selector"), e))?;
    ct::types::AdvancedEventSelector::builder()
        .name(SELECTOR_NAME)
        .field_selectors(field)
        .build()
        .map_err(|e| build_error(&t!("execute_trail.part_advanced_selector"), e))
}

/// The trail's selectors as they are now, every field kept for the write.
async fn selectors(
    c: &ct::Client,
    trail: &str,
) -> Result<
    (
        Vec<ct::types::EventSelector>,
        Vec<ct::types::AdvancedEventSelector>,
    ),
    StepError,
> {
    let out = c
        .get_event_selectors()
        .trail_name(trail)
        .send()
        .await
        .map_err(failed("cloudtrail:GetEventSelectors"))?;
    Ok((
        out.event_selectors().to_vec(),
        out.advanced_event_selectors().to_vec(),
    ))
}

fn is_plain_management(s: &ct::types::EventSelector) -> bool {
    s.include_management_events() == Some(true)
        && matches!(
            s.read_write_type(),
            Some(ct::types::ReadWriteType::All) | None
        )
        && s.data_resources().is_empty()
        && s.exclude_management_event_sources().is_empty()
}

/// The rule's test on the selectors as AWS holds them: write management events at
/// least (advanced selectors decide when there are any).
fn records_management(
    basic: &[ct::types::EventSelector],
    advanced: &[ct::types::AdvancedEventSelector],
) -> bool {
    if !advanced.is_empty() {
        return advanced.iter().any(|a| {
            let fields = a.field_selectors();
            let management = fields.iter().any(|f| {
                f.field() == "eventCategory" && f.equals().iter().any(|v| v == MANAGEMENT)
            });
            let read_only_only = fields.iter().any(|f| {
                f.field() == "readOnly"
                    && f.equals().iter().all(|v| v == "true")
                    && !f.equals().is_empty()
            });
            management && !read_only_only
        });
    }
    basic.iter().any(|s| {
        s.include_management_events() != Some(false)
            && !matches!(
                s.read_write_type(),
                Some(ct::types::ReadWriteType::ReadOnly)
            )
    })
}
