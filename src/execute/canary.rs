//! Re-reads and writes of a heartbeat canary and its IAM role. A role or canary is
//! deleted only when it carries onwatch's managed-by tag. Canary state changes are
//! asynchronous (CREATING → READY, STOPPING → STOPPED), so the re-read before a start or
//! a delete waits, bounded, for the canary to settle.

use std::time::Duration;

use aws_sdk_iam as iam;
use aws_sdk_synthetics as syn;
use aws_types::SdkConfig;
use aws_types::request_id::RequestId;

use super::StepError;
use super::ops::{
    MANAGED_KEY, MANAGED_VALUE, Written, build_error, client, code, failed, gone, not_handled,
};
use crate::fix::canary::{HANDLER, RUNTIME_PREFIX, zip};
use crate::fix::{Op, State};
use crate::t;

/// How long a canary may stay in a transitional state before the step gives up.
const SETTLE: Duration = Duration::from_secs(180);
const POLL: Duration = Duration::from_secs(2);

// Error codes AWS answers with, matched as they are.
const RESOURCE_NOT_FOUND: &str = "ResourceNotFoundException"; // i18n: technical (an error code)
const NO_SUCH_ENTITY: &str = "NoSuchEntity"; // i18n: technical (an error code)
const VALIDATION: &str = "ValidationException"; // i18n: technical (an error code)

fn iam_client(sdk: &SdkConfig, region: &str) -> iam::Client {
    client!(sdk, iam, region)
}

fn syn_client(sdk: &SdkConfig, region: &str) -> syn::Client {
    client!(sdk, syn, region)
}

/// The canary's state and whether onwatch made it; None when there is no such canary.
async fn canary(c: &syn::Client, name: &str) -> Result<Option<(String, bool)>, StepError> {
    match c.get_canary().name(name).send().await {
        Ok(out) => {
            let Some(canary) = out.canary() else {
                return Ok(None);
            };
            let state = canary
                .status()
                .and_then(|s| s.state())
                .map(|s| s.as_str().to_string())
                .unwrap_or_default();
            let managed = canary
                .tags()
                .and_then(|t| t.get(MANAGED_KEY))
                .is_some_and(|v| v == MANAGED_VALUE);
            Ok(Some((state, managed)))
        }
        Err(e) if code(&e) == Some(RESOURCE_NOT_FOUND) => Ok(None),
        Err(e) => Err(failed("synthetics:GetCanary")(e)),
    }
}

/// The canary's state once it is no longer changing (bounded by [`SETTLE`]).
async fn settled(c: &syn::Client, name: &str) -> Result<(String, bool), StepError> {
    let start = std::time::Instant::now();
    loop {
        let (state, managed) = canary(c, name)
            .await?
            .ok_or_else(|| gone(t!("execute_canary.gone_canary", name = name).into_owned()))?;
        let moving = matches!(
            state.as_str(),
            "CREATING" | "UPDATING" | "STARTING" | "STOPPING" | "DELETING"
        );
        if !moving || start.elapsed() > SETTLE {
            return Ok((state, managed));
        }
        tokio::time::sleep(POLL).await;
    }
}

pub(super) async fn read_state(sdk: &SdkConfig, region: &str, op: &Op) -> Result<State, StepError> {
    match op {
        Op::CreateRole { role, .. } | Op::DeleteRole { role } => {
            match iam_client(sdk, region)
                .get_role()
                .role_name(role)
                .send()
                .await
            {
                Ok(out) => match op {
                    Op::CreateRole { .. } => Ok(State::RoleExists(true)),
                    _ => Ok(State::Managed(out.role().is_some_and(|r| {
                        r.tags()
                            .iter()
                            .any(|t| t.key() == MANAGED_KEY && t.value() == MANAGED_VALUE)
                    }))),
                },
                Err(e) if code(&e) == Some(NO_SUCH_ENTITY) => match op {
                    Op::CreateRole { .. } => Ok(State::RoleExists(false)),
                    _ => Err(gone(
                        t!("execute_canary.gone_role", name = role).into_owned(),
                    )),
                },
                Err(e) => Err(failed("iam:GetRole")(e)),
            }
        }
        Op::PutRolePolicy { role, name, .. } | Op::DeleteRolePolicy { role, name } => {
            match iam_client(sdk, region)
                .get_role_policy()
                .role_name(role)
                .policy_name(name)
                .send()
                .await
            {
                Ok(_) => Ok(State::RolePolicy(true)),
                Err(e) if code(&e) == Some(NO_SUCH_ENTITY) => Ok(State::RolePolicy(false)),
                Err(e) => Err(failed("iam:GetRolePolicy")(e)),
            }
        }
        Op::CreateCanary { canary: name, .. } => Ok(State::CanaryExists(
            canary(&syn_client(sdk, region), name).await?.is_some(),
        )),
        Op::StartCanary { canary } | Op::StopCanary { canary } => Ok(State::CanaryState(
            settled(&syn_client(sdk, region), canary).await?.0,
        )),
        Op::DeleteCanary { canary } => Ok(State::Managed(
            settled(&syn_client(sdk, region), canary).await?.1,
        )),
        other => Err(not_handled(other, &t!("execute_canary.what"))),
    }
}

/// The newest runtime of the family that AWS has not deprecated, by release date.
async fn runtime(c: &syn::Client) -> Result<String, StepError> {
    let mut best: Option<(i64, String)> = None;
    let mut token: Option<String> = None;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    loop {
        let out = c
            .describe_runtime_versions()
            .set_next_token(token.take())
            .send()
            .await
            .map_err(failed("synthetics:DescribeRuntimeVersions"))?;
        for v in out.runtime_versions() {
            let Some(name) = v.version_name() else {
                continue;
            };
            let deprecated = v.deprecation_date().is_some_and(|d| d.secs() <= now);
            if !name.starts_with(RUNTIME_PREFIX) || deprecated {
                continue;
            }
            let released = v.release_date().map_or(0, |d| d.secs());
            if best.as_ref().is_none_or(|(r, _)| released > *r) {
                best = Some((released, name.to_string()));
            }
        }
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    best.map(|(_, name)| name).ok_or_else(|| StepError {
        message: t!("execute_canary.no_runtime", prefix = RUNTIME_PREFIX).into_owned(),
        missing_permission: None,
    })
}

pub(super) async fn write(sdk: &SdkConfig, region: &str, op: &Op) -> Result<Written, StepError> {
    let action = op.iam_action();
    let request_id = match op {
        Op::CreateRole { role, trust } => {
            let tag = iam::types::Tag::builder()
                .key(MANAGED_KEY)
                .value(MANAGED_VALUE)
                .build()
                .map_err(|e| build_error(&t!("execute_ops.part_managed_by_tag"), e))?;
            iam_client(sdk, region)
                .create_role()
                .role_name(role)
                .assume_role_policy_document(trust)
                .description("Runs onwatch's heartbeat canary") // i18n: technical (sent to AWS)
                .tags(tag)
                .send()
                .await
                .map_err(failed(&action))?
                .request_id()
                .map(str::to_string)
        }
        Op::DeleteRole { role } => iam_client(sdk, region)
            .delete_role()
            .role_name(role)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::PutRolePolicy { role, name, policy } => iam_client(sdk, region)
            .put_role_policy()
            .role_name(role)
            .policy_name(name)
            .policy_document(policy)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::DeleteRolePolicy { role, name } => iam_client(sdk, region)
            .delete_role_policy()
            .role_name(role)
            .policy_name(name)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::CreateCanary {
            canary,
            url,
            bucket,
            role_arn,
        } => create_canary(sdk, region, canary, url, bucket, role_arn).await?,
        Op::StartCanary { canary } => syn_client(sdk, region)
            .start_canary()
            .name(canary)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::StopCanary { canary } => syn_client(sdk, region)
            .stop_canary()
            .name(canary)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        Op::DeleteCanary { canary } => syn_client(sdk, region)
            .delete_canary()
            .name(canary)
            .delete_lambda(true)
            .send()
            .await
            .map_err(failed(&action))?
            .request_id()
            .map(str::to_string),
        other => return Err(not_handled(other, &t!("execute_canary.what"))),
    };
    Ok(Written {
        request_id,
        undo: None,
    })
}

async fn create_canary(
    sdk: &SdkConfig,
    region: &str,
    name: &str,
    url: &str,
    bucket: &str,
    role_arn: &str,
) -> Result<Option<String>, StepError> {
    let c = syn_client(sdk, region);
    let runtime = runtime(&c).await?;
    let script = syn::types::CanaryCodeInput::builder()
        .handler(HANDLER)
        .zip_file(aws_smithy_types::Blob::new(zip(url)))
        .build();
    let schedule = syn::types::CanaryScheduleInput::builder()
        .expression("rate(5 minutes)") // i18n: technical (sent to AWS)
        .build()
        .map_err(|e| build_error(&t!("execute_canary.part_schedule"), e))?;
    let run = syn::types::CanaryRunConfigInput::builder()
        .timeout_in_seconds(60)
        .build();
    // A role created seconds ago may not be assumable by Lambda yet (IAM is eventually
    // consistent): CreateCanary is retried a few times on that answer only.
    let mut tries = 0;
    loop {
        tries += 1;
        let sent = c
            .create_canary()
            .name(name)
            .code(script.clone())
            .artifact_s3_location(format!("s3://{bucket}/canary/"))
            .execution_role_arn(role_arn)
            .schedule(schedule.clone())
            .run_config(run.clone())
            .success_retention_period_in_days(7)
            .failure_retention_period_in_days(14)
            .runtime_version(&runtime)
            .tags(MANAGED_KEY, MANAGED_VALUE)
            .send()
            .await;
        match sent {
            Ok(out) => return Ok(out.request_id().map(str::to_string)),
            Err(e)
                if tries < 6
                    && code(&e) == Some(VALIDATION)
                    && message_of(&e).to_ascii_lowercase().contains("role") =>
            {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            Err(e) => return Err(failed("synthetics:CreateCanary")(e)),
        }
    }
}

fn message_of<E: aws_smithy_types::error::metadata::ProvideErrorMetadata, R>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> String {
    e.as_service_error()
        .and_then(|s| s.message())
        .unwrap_or_default()
        .to_string()
}
