//! Issue 11: config-recording on the local endpoint: a private, policied bucket, a
//! delivery channel and a started recorder; undo stops and removes what onwatch made
//! but keeps the bucket and the history in it.

use onwatch::execute;
use onwatch::fix::audit::{AuditLog, undo_plan};
use onwatch::fix::{self, Choices};
use onwatch::report::ItemStatus;

use super::evaluate;
use super::fix::{REGION, runner, status};
use crate::local_aws::LocalAws;

const ITEM: &str = "config-recording";
const ACCOUNT: &str = "123456789012";

#[tokio::test(flavor = "multi_thread")]
async fn config_gets_a_private_bucket_a_channel_and_starts_and_undo_keeps_the_bucket() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Fail);
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    let plan = fix::plan(ITEM, &report, &snapshot, &Choices::default()).expect("a plan");
    let ops: Vec<_> = plan.steps.iter().map(|s| s.op.name()).collect();
    assert_eq!(
        ops,
        [
            "CreateBucket",
            "PutPublicAccessBlock",
            "PutBucketPolicy",
            "PutBucketTagging",
            "PutDeliveryChannel",
            "StartConfigurationRecorder"
        ],
        "the seed's recorder exists, stopped, with no channel: {plan:#?}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), ACCOUNT);
    let runner = runner(&aws, &log);
    let ran = execute::run(&runner, &plan, None).await.expect("logged");
    assert!(ran.complete(), "{ran:#?}");
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Pass);
    let snapshot = aws.collect(&[REGION]).await;
    let again =
        fix::plan(ITEM, &evaluate(&snapshot), &snapshot, &Choices::default()).expect("a plan");
    assert!(again.steps.is_empty(), "{again:#?}");

    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&aws.sdk)
            .force_path_style(true)
            .build(),
    );
    let bucket = format!("onwatch-config-{ACCOUNT}-{REGION}");
    let policy = s3
        .get_bucket_policy()
        .bucket(&bucket)
        .send()
        .await
        .expect("GetBucketPolicy");
    let policy = policy.policy().unwrap_or_default();
    assert!(policy.contains("config.amazonaws.com") && policy.contains(ACCOUNT));
    let block = s3
        .get_public_access_block()
        .bucket(&bucket)
        .send()
        .await
        .expect("GetPublicAccessBlock");
    assert_eq!(
        block
            .public_access_block_configuration()
            .and_then(|b| b.block_public_policy()),
        Some(true)
    );

    let undo = undo_plan(&log.read().expect("reads"), &ran.run).expect("an undo plan");
    let ops: Vec<_> = undo.steps.iter().map(|s| s.op.name()).collect();
    assert_eq!(
        ops,
        ["StopConfigurationRecorder", "DeleteDeliveryChannel"],
        "the bucket is kept: {undo:#?}"
    );
    let undone = execute::run(&runner, &undo, Some(&ran.run))
        .await
        .expect("logged");
    assert!(undone.complete(), "{undone:#?}");
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Fail);
    assert!(
        s3.head_bucket().bucket(&bucket).send().await.is_ok(),
        "the bucket and its history stay"
    );

    // Fixing again uses the kept bucket as it is: its steps are already in place.
    let snapshot = aws.collect(&[REGION]).await;
    let again =
        fix::plan(ITEM, &evaluate(&snapshot), &snapshot, &Choices::default()).expect("a plan");
    let rerun = execute::run(&runner, &again, None).await.expect("logged");
    assert!(rerun.complete(), "{rerun:#?}");
    assert!(
        rerun.steps[0]
            .message
            .as_deref()
            .is_some_and(|m| m.contains("already as this step leaves it")),
        "{rerun:#?}"
    );
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Pass);
}

/// cloudtrail-multi-region on an account with no trail: a private bucket whose policy
/// lets only the new trail write, a multi-region validated trail, and StartLogging;
/// undo stops and deletes the trail and keeps the bucket.
#[tokio::test(flavor = "multi_thread")]
async fn an_account_without_a_trail_gets_one_that_logs_and_undo_keeps_its_bucket() {
    const TRAIL_ITEM: &str = "cloudtrail-multi-region";
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let ct = aws_sdk_cloudtrail::Client::new(&aws.sdk);
    let seeded = ct.describe_trails().send().await.expect("DescribeTrails");
    for t in seeded.trail_list() {
        let name = t.name().unwrap_or_default();
        ct.delete_trail()
            .name(name)
            .send()
            .await
            .expect("DeleteTrail");
    }
    assert_eq!(status(&aws, TRAIL_ITEM).await, ItemStatus::Fail);
    let snapshot = aws.collect(&[REGION]).await;
    let plan = fix::plan(
        TRAIL_ITEM,
        &evaluate(&snapshot),
        &snapshot,
        &Choices::default(),
    )
    .expect("a plan");
    let ops: Vec<_> = plan.steps.iter().map(|s| s.op.name()).collect();
    assert_eq!(
        ops,
        [
            "CreateBucket",
            "PutPublicAccessBlock",
            "PutBucketPolicy",
            "PutBucketTagging",
            "CreateTrail",
            "StartLogging"
        ],
        "{plan:#?}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), ACCOUNT);
    let runner = runner(&aws, &log);
    let ran = execute::run(&runner, &plan, None).await.expect("logged");
    assert!(ran.complete(), "{ran:#?}");
    let after = aws.collect(&[REGION]).await;
    let report = evaluate(&after);
    let it = super::item(&report, TRAIL_ITEM);
    assert_eq!(it.status, ItemStatus::Pass, "{it:#?}");
    let snapshot = aws.collect(&[REGION]).await;
    let again = fix::plan(
        TRAIL_ITEM,
        &evaluate(&snapshot),
        &snapshot,
        &Choices::default(),
    )
    .expect("a plan");
    assert!(again.steps.is_empty(), "{again:#?}");

    let trail = ct
        .get_trail()
        .name("onwatch-trail")
        .send()
        .await
        .expect("GetTrail");
    let trail = trail.trail().expect("the trail");
    assert_eq!(trail.is_multi_region_trail(), Some(true));
    assert_eq!(trail.log_file_validation_enabled(), Some(true));
    let bucket = format!("onwatch-trail-{ACCOUNT}-{REGION}");
    assert_eq!(trail.s3_bucket_name(), Some(bucket.as_str()));
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&aws.sdk)
            .force_path_style(true)
            .build(),
    );
    let policy = s3
        .get_bucket_policy()
        .bucket(&bucket)
        .send()
        .await
        .expect("GetBucketPolicy");
    let policy = policy.policy().unwrap_or_default();
    assert!(
        policy.contains("cloudtrail.amazonaws.com")
            && policy.contains(&format!(
                "arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/onwatch-trail"
            )),
        "scoped to the new trail: {policy}"
    );

    let undo = undo_plan(&log.read().expect("reads"), &ran.run).expect("an undo plan");
    let ops: Vec<_> = undo.steps.iter().map(|s| s.op.name()).collect();
    assert_eq!(ops, ["StopLogging", "DeleteTrail"], "the bucket is kept");
    let undone = execute::run(&runner, &undo, Some(&ran.run))
        .await
        .expect("logged");
    assert!(undone.complete(), "{undone:#?}");
    assert_eq!(status(&aws, TRAIL_ITEM).await, ItemStatus::Fail);
    let left = ct.describe_trails().send().await.expect("DescribeTrails");
    assert!(left.trail_list().is_empty(), "{left:#?}");
    assert!(
        s3.head_bucket().bucket(&bucket).send().await.is_ok(),
        "the bucket and its logs stay"
    );
}
