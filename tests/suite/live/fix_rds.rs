//! Issue 11: rds-storage-headroom with storage autoscaling instead of an alarm: the
//! ceiling AWS accepts, the change, the re-check, and undo turning it off.

use onwatch::execute;
use onwatch::fix::audit::{AuditLog, undo_plan};
use onwatch::fix::{self, Choices};
use onwatch::report::ItemStatus;

use super::evaluate;
use super::fix::{REGION, runner, status};
use crate::local_aws::LocalAws;

const ITEM: &str = "rds-storage-headroom";

#[tokio::test(flavor = "multi_thread")]
async fn storage_autoscaling_passes_the_item_and_undo_turns_it_off() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Fail);
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    // legacy-db has 100 GiB: AWS needs a ceiling at least 10 % above it.
    let low = Choices {
        storage_ceiling_gib: Some(105),
        ..Choices::default()
    };
    let refused = fix::plan(ITEM, &report, &snapshot, &low).expect_err("too low");
    assert!(refused.to_string().contains("110 GiB"), "{refused}");
    let choices = Choices {
        storage_ceiling_gib: Some(200),
        ..Choices::default()
    };
    let plan = fix::plan(ITEM, &report, &snapshot, &choices).expect("a plan");
    let ops: Vec<_> = plan.steps.iter().map(|s| s.op.name()).collect();
    assert_eq!(ops, ["ModifyDBInstance"], "no alarm beside it: {plan:#?}");

    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), "123456789012");
    let runner = runner(&aws, &log);
    let ran = execute::run(&runner, &plan, None).await.expect("logged");
    assert!(ran.complete(), "{ran:#?}");
    let rds = aws_sdk_rds::Client::new(&aws.sdk);
    let db = rds
        .describe_db_instances()
        .db_instance_identifier("legacy-db")
        .send()
        .await
        .expect("DescribeDBInstances");
    assert_eq!(db.db_instances()[0].max_allocated_storage(), Some(200));
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Pass);
    let snapshot = aws.collect(&[REGION]).await;
    let again = fix::plan(ITEM, &evaluate(&snapshot), &snapshot, &choices).expect("a plan");
    assert!(again.steps.is_empty(), "{again:#?}");

    let undo = undo_plan(&log.read().expect("reads"), &ran.run).expect("an undo plan");
    let undone = execute::run(&runner, &undo, Some(&ran.run))
        .await
        .expect("logged");
    assert!(undone.complete(), "{undone:#?}");
    assert_eq!(
        status(&aws, ITEM).await,
        ItemStatus::Fail,
        "autoscaling is off again"
    );
}
