//! Where a scan runs: the SDK config, the home region, the regions in scope and the
//! partition's account-wide endpoints.

use std::collections::BTreeSet;

use aws_config::BehaviorVersion;
use aws_types::SdkConfig;

use super::ScanOptions;
use super::context::Ctx;
use super::ec2::{self, AccountRegion};
use super::error::CollectError;
use crate::t;

/// The region Budgets and Cost Explorer are served from: their single endpoint per
/// partition (as the SDKs' endpoint rules resolve it: budgets.amazonaws.com and
/// ce.us-east-1.amazonaws.com sign for us-east-1, the China endpoints for
/// cn-northwest-1, the GovCloud ones for us-gov-west-1).
pub(crate) fn global_region(partition: &str) -> &'static str {
    crate::regions::global_region(partition)
}

/// The SDK config: the one given in the options, or the standard chain.
pub(crate) async fn load_sdk(opts: &ScanOptions) -> SdkConfig {
    if let Some(sdk) = &opts.sdk_config {
        return sdk.clone();
    }
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    // A retry mode or attempt count the user set in the environment wins.
    if std::env::var_os("AWS_RETRY_MODE").is_none()
        && std::env::var_os("AWS_MAX_ATTEMPTS").is_none()
    {
        loader = loader.retry_config(super::scan_retry_config());
    }
    if let Some(profile) = &opts.profile {
        // A named profile wins over credentials in the environment, as with the AWS CLI.
        let creds = aws_config::profile::ProfileFileCredentialsProvider::builder()
            .profile_name(profile)
            .build();
        loader = loader.profile_name(profile).credentials_provider(creds);
    }
    loader.load().await
}

pub(crate) fn home_region(sdk: &SdkConfig, opts: &ScanOptions) -> Result<String, CollectError> {
    if let Some(r) = opts
        .home_region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        return Ok(r.to_string());
    }
    if let Some(r) = sdk.region() {
        return Ok(r.to_string());
    }
    opts.regions
        .as_ref()
        .and_then(|r| r.first().cloned())
        .ok_or(CollectError::NoRegion)
}

pub(crate) fn profile_name(opts: &ScanOptions) -> Option<String> {
    opts.profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok())
}

/// The regions to scan and the requested ones that are not enabled (marked, never
/// called); records in `ctx` which regions the account lists as enabled.
pub(crate) async fn regions_in_scope(
    ctx: &mut Ctx,
    home: &str,
    wanted: Option<&[String]>,
    profile: Option<&str>,
) -> Result<(Vec<String>, Vec<String>), CollectError> {
    let Some(wanted) = wanted else {
        let all = ec2::regions(ctx, home, false, profile).await?;
        let enabled: Vec<String> = all
            .into_iter()
            .filter(|r| r.enabled)
            .map(|r| r.name)
            .collect();
        ctx.enabled = enabled.iter().cloned().collect();
        return Ok((enabled, Vec::new()));
    };
    let wanted: BTreeSet<String> = wanted.iter().cloned().collect();
    // When the account's region list cannot be read, every requested region is scanned.
    let known = match ec2::regions(ctx, home, true, profile).await {
        Ok(known) => known,
        Err(
            e @ (CollectError::Network { .. }
            | CollectError::NoCredentials { .. }
            | CollectError::SsoExpired { .. }),
        ) => return Err(e),
        Err(_) => return Ok((wanted.into_iter().collect(), Vec::new())),
    };
    ctx.enabled = known
        .iter()
        .filter(|r| r.enabled)
        .map(|r| r.name.clone())
        .collect();
    split(&known, wanted)
}

fn split(
    known: &[AccountRegion],
    wanted: BTreeSet<String>,
) -> Result<(Vec<String>, Vec<String>), CollectError> {
    let mut scan = Vec::new();
    let mut disabled = Vec::new();
    for name in wanted {
        match known.iter().find(|r| r.name == name) {
            Some(r) if r.enabled => scan.push(name),
            Some(_) => disabled.push(name),
            None => {
                let names: Vec<&str> = known.iter().map(|r| r.name.as_str()).collect();
                return Err(CollectError::Other {
                    context: t!("collect_scope.unknown_region", name = name).into_owned(),
                    message: t!("collect_scope.known_regions", names = names.join(", "))
                        .into_owned(),
                });
            }
        }
    }
    Ok((scan, disabled))
}

pub(crate) fn partition_of(arn: &str) -> String {
    arn.split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn partition_comes_from_the_caller_arn() {
        assert_eq!(super::partition_of("arn:aws-cn:iam::1:user/x"), "aws-cn");
        assert_eq!(super::partition_of("garbage"), "aws");
    }

    #[test]
    fn account_wide_services_are_read_in_the_partitions_region() {
        assert_eq!(super::global_region("aws"), "us-east-1");
        assert_eq!(super::global_region("aws-cn"), "cn-northwest-1");
        assert_eq!(super::global_region("aws-us-gov"), "us-gov-west-1");
    }
}
