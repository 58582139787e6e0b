//! Which of a plan's IAM actions the profile lacks, asked before anything runs: IAM's
//! policy simulator (SimulatePrincipalPolicy) on the caller's user or role.
//!
//! The simulator evaluates the principal's identity-based policies (with permissions
//! boundaries and the organization's SCPs, where AWS includes them), not resource
//! policies or a role session's own policy: its answer is a strong hint, and a step
//! AWS denies still stops the run, naming the permission. When it cannot be asked (the
//! root user, a federated user, a profile that may not call the simulator or
//! iam:GetRole) the answer says why, and nothing else changes.
//! https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html

use aws_sdk_iam as iam;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::ScanOptions;
use super::context::{Ctx, client};
use super::scope::{home_region, load_sdk};
use crate::t;

/// What the simulator said about a plan's actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermissionCheck {
    /// The actions the profile lacks (empty: it has them all), and the principal asked
    /// about.
    Known {
        lacks: Vec<String>,
        principal: String,
    },
    /// Why it could not be known up front.
    Unknown(String),
}

/// The simulator takes the actions in pages of this many (AWS's default MaxItems).
const PAGE: usize = 100;

/// The IAM user or role to simulate for the caller's ARN: a user as it is, an assumed
/// role through iam:GetRole (the role's ARN carries a path the session's does not).
async fn principal(ctx: &Ctx, region: &str, caller: &str) -> Result<String, String> {
    let resource = caller.splitn(6, ':').nth(5).unwrap_or_default();
    let service = caller.split(':').nth(2).unwrap_or_default();
    if service == "iam" && resource.starts_with("user/") {
        return Ok(caller.to_string());
    }
    if service == "iam" && resource == "root" {
        return Err(t!("permissions.root").into_owned());
    }
    let Some(role) = resource
        .strip_prefix("assumed-role/")
        .and_then(|r| r.split('/').next())
        .filter(|_| service == "sts")
    else {
        return Err(t!("permissions.not_simulated", caller = caller).into_owned());
    };
    let client = client!(ctx, iam, region);
    match ctx.call(client.get_role().role_name(role).send()).await {
        Ok(answer) => answer
            .role()
            .map(|r| r.arn().to_string())
            .ok_or_else(|| t!("permissions.no_role", role = role).into_owned()),
        Err(e) => Err(t!(
            "permissions.get_role_failed",
            role = role,
            error = e.code().unwrap_or_else(|| e.message().unwrap_or("?")) // i18n: technical
        )
        .into_owned()),
    }
}

/// Asks the simulator which of `actions` the profile behind `opts` lacks. `known` is
/// the principal an earlier answer named, when asking again for the same profile (it
/// spares sts:GetCallerIdentity and iam:GetRole).
pub async fn missing_permissions(
    opts: &ScanOptions,
    known: Option<&str>,
    actions: &[String],
) -> PermissionCheck {
    let sdk = load_sdk(opts).await;
    let region = match home_region(&sdk, opts) {
        Ok(r) => r,
        Err(e) => return PermissionCheck::Unknown(e.to_string()),
    };
    let ctx = Ctx::new(sdk, opts.concurrency, opts.recorder.clone());
    let principal = match known {
        Some(p) => p.to_string(),
        None => {
            let caller =
                match super::sts::caller_identity(&ctx, &region, opts.profile.as_deref()).await {
                    Ok(who) => who.arn,
                    Err(e) => return PermissionCheck::Unknown(e.to_string()),
                };
            match principal(&ctx, &region, &caller).await {
                Ok(p) => p,
                Err(why) => return PermissionCheck::Unknown(why),
            }
        }
    };
    let client = client!(ctx, iam, &region);
    let mut lacks = Vec::new();
    for chunk in actions.chunks(PAGE) {
        let mut marker: Option<String> = None;
        loop {
            let request = client
                .simulate_principal_policy()
                .policy_source_arn(&principal)
                .set_action_names(Some(chunk.to_vec()))
                .set_marker(marker.clone());
            let answer = match ctx.call(request.send()).await {
                Ok(a) => a,
                Err(e) => {
                    let code = e.code().unwrap_or_default().to_string();
                    let why = if super::error::is_access_denied(&code) {
                        t!("permissions.simulator_denied").into_owned()
                    } else {
                        t!(
                            "permissions.simulator_failed",
                            error = e.message().unwrap_or(&code)
                        )
                        .into_owned()
                    };
                    return PermissionCheck::Unknown(why);
                }
            };
            lacks.extend(
                answer
                    .evaluation_results()
                    .iter()
                    .filter(|r| {
                        r.eval_decision() != &iam::types::PolicyEvaluationDecisionType::Allowed
                    })
                    .map(|r| r.eval_action_name().to_string()),
            );
            marker = answer
                .marker()
                .filter(|_| answer.is_truncated())
                .map(str::to_string);
            if marker.is_none() {
                break;
            }
        }
    }
    lacks.sort();
    lacks.dedup();
    PermissionCheck::Known { lacks, principal }
}
