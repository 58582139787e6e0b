//! IAM: the account's alias, the name people know the account by.

use aws_sdk_iam as iam;

use super::context::{Ctx, client};

/// The account alias (ListAccountAliases; an account has at most one), asked in the
/// partition's home region for IAM. It only names the account in reports: when it
/// cannot be read the report shows the account id alone, and no check depends on it.
pub(crate) async fn account_alias(ctx: &Ctx, region: &str) -> Option<String> {
    let client = client!(ctx, iam, region);
    let answer = ctx.call(client.list_account_aliases().send()).await.ok()?;
    answer
        .account_aliases()
        .iter()
        .find(|a| !a.trim().is_empty())
        .cloned()
}
