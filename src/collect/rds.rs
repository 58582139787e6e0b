//! RDS: DB instances with Performance Insights and storage autoscaling.

use aws_sdk_rds as rds;

use super::context::{Ctx, Pages, client};
use super::error::iam_action;
use crate::snapshot::{DbInstance, ReadError};

const SERVICE: &str = "RDS";

pub(crate) async fn instances(ctx: &Ctx, region: &str) -> Result<Vec<DbInstance>, ReadError> {
    let client = client!(ctx, rds, region);
    let mut out = Vec::new();
    let mut guard = Pages::new(iam_action(SERVICE, "DescribeDBInstances"));
    let mut pages = client.describe_db_instances().into_paginator().send();
    while let Some(page) = ctx.call(pages.next()).await {
        let page = page.map_err(ctx.failed(SERVICE, "DescribeDBInstances", region))?;
        guard.next(page.marker())?;
        out.extend(page.db_instances().iter().map(|db| DbInstance {
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
        }));
    }
    Ok(out)
}
