//! ECR: repositories (scan on push) and the registry-level scanning rules.

use aws_sdk_ecr as ecr;

use super::context::{Ctx, Pages, client};
use super::error::iam_action;
use crate::snapshot::{EcrRepository, ReadError, RegistryScanRule, RegistryScanning};

const SERVICE: &str = "ECR";

pub(crate) async fn repositories(ctx: &Ctx, region: &str) -> Result<Vec<EcrRepository>, ReadError> {
    let client = client!(ctx, ecr, region);
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeRepositories")); // i18n: technical
    let mut pages = client.describe_repositories().into_paginator().send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "DescribeRepositories", region))?; // i18n: technical
        guard.next(page.next_token())?;
        out.extend(page.repositories().iter().map(|r| {
            EcrRepository {
                name: r.repository_name().unwrap_or_default().to_string(),
                arn: r.repository_arn().unwrap_or_default().to_string(),
                scan_on_push: r
                    .image_scanning_configuration()
                    .is_some_and(|c| c.scan_on_push()),
            }
        }));
    }
    Ok(out)
}

pub(crate) async fn registry_scanning(
    ctx: &Ctx,
    region: &str,
) -> Result<RegistryScanning, ReadError> {
    let client = client!(ctx, ecr, region);
    let answer = ctx
        .call(client.get_registry_scanning_configuration().send())
        .await
        .map_err(ctx.failed(SERVICE, "GetRegistryScanningConfiguration", region))?; // i18n: technical
    let Some(config) = answer.scanning_configuration() else {
        // No configuration at all is the registry default: basic scanning, no rules.
        return Ok(RegistryScanning {
            scan_type: "BASIC".to_string(),
            rules: Vec::new(),
        });
    };
    Ok(RegistryScanning {
        scan_type: config
            .scan_type()
            .map(|t| t.as_str().to_string())
            .unwrap_or_else(|| "BASIC".to_string()),
        rules: config
            .rules()
            .iter()
            .map(|r| RegistryScanRule {
                frequency: r.scan_frequency().as_str().to_string(),
                filters: r
                    .repository_filters()
                    .iter()
                    .map(|f| f.filter().to_string())
                    .collect(),
            })
            .collect(),
    })
}
