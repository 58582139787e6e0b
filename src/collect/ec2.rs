//! EC2 DescribeRegions: the regions enabled for the account.

use aws_sdk_ec2 as ec2;

use super::context::{Ctx, client};
use super::error::{CollectError, collect_error};

const SERVICE: &str = "EC2";

/// A region and whether the account may use it.
pub(crate) struct AccountRegion {
    pub name: String,
    pub enabled: bool,
}

/// With `all`, opt-in regions that are not enabled are listed too (as not enabled).
pub(crate) async fn regions(
    ctx: &Ctx,
    region: &str,
    all: bool,
    profile: Option<&str>,
) -> Result<Vec<AccountRegion>, CollectError> {
    let client = client!(ctx, ec2, region);
    let answer = ctx
        .call(client.describe_regions().all_regions(all).send())
        .await
        .map_err(|e| collect_error(SERVICE, "DescribeRegions", profile, e))?; // i18n: technical
    let mut out: Vec<AccountRegion> = answer
        .regions()
        .iter()
        .filter_map(|r| {
            let name = r.region_name()?.to_string();
            // "opt-in-not-required", "opted-in" or "not-opted-in".
            let enabled = r.opt_in_status().is_none_or(|s| s != "not-opted-in");
            Some(AccountRegion { name, enabled })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
