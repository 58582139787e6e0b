//! Re-reads and writes of RDS instances: Performance Insights, the storage
//! autoscaling ceiling.

use aws_sdk_rds as rds;
use aws_types::SdkConfig;
use aws_types::request_id::RequestId;

use super::StepError;
use super::ops::{Written, client, failed, gone, not_handled};
use crate::collect::rds::pending_names;
use crate::fix::{Op, State};
use crate::t;

fn client(sdk: &SdkConfig, region: &str) -> rds::Client {
    client!(sdk, rds, region)
}

pub(super) async fn read_state(sdk: &SdkConfig, region: &str, op: &Op) -> Result<State, StepError> {
    let (Op::EnablePerformanceInsights { instance, .. }
    | Op::DisablePerformanceInsights { instance, .. }
    | Op::SetStorageCeiling { instance, .. }) = op
    else {
        return Err(not_handled(op, &t!("execute_rds.what")));
    };
    let out = client(sdk, region)
        .describe_db_instances()
        .db_instance_identifier(instance)
        .send()
        .await
        .map_err(failed("rds:DescribeDBInstances"))?;
    let db = out
        .db_instances()
        .iter()
        .find(|d| d.db_instance_identifier() == Some(instance.as_str()))
        .ok_or_else(|| gone(t!("execute_rds.gone_instance", name = instance).into_owned()))?;
    let pending = db
        .pending_modified_values()
        .map(pending_names)
        .unwrap_or_default();
    if let Op::SetStorageCeiling { .. } = op {
        // AWS reports no ceiling, or one equal to the allocated storage, when
        // autoscaling is off.
        let allocated = i64::from(db.allocated_storage().unwrap_or(0));
        let max_gib = db
            .max_allocated_storage()
            .map(i64::from)
            .filter(|m| *m > allocated);
        return Ok(State::StorageCeiling { max_gib, pending });
    }
    Ok(State::PerformanceInsights {
        enabled: db.performance_insights_enabled().unwrap_or(false),
        pending,
    })
}

pub(super) async fn write(sdk: &SdkConfig, region: &str, op: &Op) -> Result<Written, StepError> {
    let action = op.iam_action();
    let req = match op {
        Op::EnablePerformanceInsights {
            instance,
            retention_days,
            apply_immediately,
        } => client(sdk, region)
            .modify_db_instance()
            .db_instance_identifier(instance)
            .enable_performance_insights(true)
            .performance_insights_retention_period(*retention_days)
            .apply_immediately(*apply_immediately),
        Op::SetStorageCeiling {
            instance,
            max_gib,
            apply_immediately,
        } => client(sdk, region)
            .modify_db_instance()
            .db_instance_identifier(instance)
            .max_allocated_storage(i32::try_from(*max_gib).unwrap_or(i32::MAX))
            .apply_immediately(*apply_immediately),
        Op::DisablePerformanceInsights {
            instance,
            apply_immediately,
        } => client(sdk, region)
            .modify_db_instance()
            .db_instance_identifier(instance)
            .enable_performance_insights(false)
            .apply_immediately(*apply_immediately),
        other => return Err(not_handled(other, &t!("execute_rds.what"))),
    };
    let out = req.send().await.map_err(failed(&action))?;
    Ok(Written {
        request_id: out.request_id().map(str::to_string),
        undo: None,
    })
}
