//! RDS: DB instances with Performance Insights, storage autoscaling and the
//! max_connections their parameter group sets.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_rds as rds;

use super::context::{Ctx, Pages, client, to_read};
use super::error::iam_action;
use crate::snapshot::{DbInstance, Read, ReadError};

const SERVICE: &str = "RDS";

/// The settings a DB instance will change at its next maintenance window (or at once,
/// with the next change that applies immediately), by name; never their values. The
/// names are snapshot data: English whatever the language of the window.
pub(crate) fn pending_names(p: &rds::types::PendingModifiedValues) -> Vec<String> {
    let mut names: Vec<&str> = Vec::new();
    let mut set = |on: bool, name| {
        if on {
            names.push(name);
        }
    };
    set(p.db_instance_class().is_some(), "instance class"); // i18n: technical
    set(p.allocated_storage().is_some(), "allocated storage"); // i18n: technical
    set(p.master_user_password().is_some(), "master password"); // i18n: technical
    set(p.port().is_some(), "port");
    set(p.backup_retention_period().is_some(), "backup retention"); // i18n: technical
    set(p.multi_az().is_some(), "Multi-AZ"); // i18n: technical
    set(p.engine_version().is_some(), "engine version"); // i18n: technical
    set(p.license_model().is_some(), "license model"); // i18n: technical
    set(p.iops().is_some(), "IOPS");
    set(p.storage_throughput().is_some(), "storage throughput"); // i18n: technical
    set(p.db_instance_identifier().is_some(), "identifier");
    set(p.storage_type().is_some(), "storage type"); // i18n: technical
    set(p.ca_certificate_identifier().is_some(), "CA certificate"); // i18n: technical
    set(p.db_subnet_group_name().is_some(), "subnet group"); // i18n: technical
    set(p.pending_cloudwatch_logs_exports().is_some(), "log exports"); // i18n: technical
    set(!p.processor_features().is_empty(), "processor features"); // i18n: technical
    set(
        p.iam_database_authentication_enabled().is_some(),
        "IAM authentication", // i18n: technical
    );
    set(p.engine().is_some(), "engine");
    set(p.dedicated_log_volume().is_some(), "dedicated log volume"); // i18n: technical
    names.into_iter().map(str::to_string).collect()
}

pub(crate) async fn instances(ctx: &Ctx, region: &str) -> Result<Vec<DbInstance>, ReadError> {
    let client = client!(ctx, rds, region);
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeDBInstances")); // i18n: technical
    let mut pages = client.describe_db_instances().into_paginator().send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "DescribeDBInstances", region))?; // i18n: technical
        guard.next(page.marker())?;
        out.extend(page.db_instances().iter().map(|db| {
            DbInstance {
                identifier: db.db_instance_identifier().unwrap_or_default().to_string(),
                arn: db.db_instance_arn().unwrap_or_default().to_string(),
                engine: db.engine().unwrap_or_default().to_string(),
                engine_version: db.engine_version().map(str::to_string),
                class: db.db_instance_class().unwrap_or_default().to_string(),
                cluster: db.db_cluster_identifier().map(str::to_string),
                performance_insights: db.performance_insights_enabled().unwrap_or(false),
                database_insights_mode: db.database_insights_mode().map(|m| m.as_str().to_string()),
                allocated_storage: i64::from(db.allocated_storage().unwrap_or(0)),
                max_allocated_storage: db.max_allocated_storage().map(i64::from),
                status: db.db_instance_status().map(str::to_string),
                parameter_group: db
                    .db_parameter_groups()
                    .first()
                    .and_then(|g| g.db_parameter_group_name())
                    .map(str::to_string),
                max_connections: None,
                pending_modifications: db
                    .pending_modified_values()
                    .map(pending_names)
                    .unwrap_or_default(),
            }
        }));
    }
    // One read per custom parameter group, however many instances share it.
    let groups: BTreeSet<String> = out
        .iter()
        .filter_map(|db| db.parameter_group.clone())
        .filter(|g| !g.starts_with("default."))
        .collect();
    let client = &client;
    let read: BTreeMap<String, Read<Option<String>>> = ctx
        .each(groups, |group| async move {
            let value = to_read(max_connections(ctx, client, region, &group).await);
            (group, value)
        })
        .await
        .into_iter()
        .collect();
    for db in &mut out {
        if let Some(group) = &db.parameter_group {
            db.max_connections = read.get(group).cloned();
        }
    }
    Ok(out)
}

/// The max_connections a custom group sets, if it sets one. Only the parameters the
/// user changed are listed (Source "user"), so the answer is a page or two.
async fn max_connections(
    ctx: &Ctx,
    client: &rds::Client,
    region: &str,
    group: &str,
) -> Result<Option<String>, ReadError> {
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeDBParameters")); // i18n: technical
    let mut pages = client
        .describe_db_parameters()
        .db_parameter_group_name(group)
        .source("user")
        .into_paginator()
        .send();
    let mut found = None;
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "DescribeDBParameters", region))?; // i18n: technical
        guard.next(page.marker())?;
        if let Some(p) = page
            .parameters()
            .iter()
            .find(|p| p.parameter_name() == Some("max_connections"))
        {
            found = p.parameter_value().map(str::to_string);
        }
    }
    Ok(found)
}
