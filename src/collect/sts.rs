//! STS: who the scan runs as.

use aws_sdk_sts as sts;

use super::context::{Ctx, client};
use super::error::{CollectError, collect_error};
use crate::t;

const SERVICE: &str = "STS";

pub(crate) struct CallerIdentity {
    pub account_id: String,
    pub arn: String,
}

pub(crate) async fn caller_identity(
    ctx: &Ctx,
    region: &str,
    profile: Option<&str>,
) -> Result<CallerIdentity, CollectError> {
    let client = client!(ctx, sts, region);
    let answer = ctx
        .call(client.get_caller_identity().send())
        .await
        .map_err(|e| collect_error(SERVICE, "GetCallerIdentity", profile, e))?; // i18n: technical
    let account_id = answer.account().unwrap_or_default().to_string();
    if account_id.is_empty() {
        return Err(CollectError::Other {
            context: "sts:GetCallerIdentity".to_string(),
            message: t!("collect_sts.no_account_id").into_owned(),
        });
    }
    Ok(CallerIdentity {
        account_id,
        arn: answer.arn().unwrap_or_default().to_string(),
    })
}
