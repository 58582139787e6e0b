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

/// A trail that records only data events gets a management-events selector; every
/// selector it had stays (basic and advanced alike), and undo removes only onwatch's.
#[tokio::test(flavor = "multi_thread")]
async fn a_trail_without_management_events_gets_them_and_keeps_its_selectors() {
    use aws_sdk_cloudtrail::types::{
        AdvancedEventSelector, AdvancedFieldSelector, DataResource, EventSelector, ReadWriteType,
    };
    const TRAIL_ITEM: &str = "cloudtrail-multi-region";
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let ct = aws_sdk_cloudtrail::Client::new(&aws.sdk);
    let trails = ct.describe_trails().send().await.expect("DescribeTrails");
    let name = trails.trail_list()[0]
        .name()
        .unwrap_or_default()
        .to_string();
    ct.update_trail()
        .name(&name)
        .is_multi_region_trail(true)
        .enable_log_file_validation(true)
        .send()
        .await
        .expect("UpdateTrail");
    ct.start_logging()
        .name(&name)
        .send()
        .await
        .expect("StartLogging");
    let data_only = EventSelector::builder()
        .read_write_type(ReadWriteType::All)
        .include_management_events(false)
        .data_resources(
            DataResource::builder()
                .r#type("AWS::S3::Object")
                .values("arn:aws:s3:::payments/")
                .build(),
        )
        .build();
    ct.put_event_selectors()
        .trail_name(&name)
        .event_selectors(data_only)
        .send()
        .await
        .expect("PutEventSelectors");
    assert_eq!(status(&aws, TRAIL_ITEM).await, ItemStatus::Fail);

    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), ACCOUNT);
    let runner = runner(&aws, &log);
    let fix_and_undo = |label: &'static str| {
        let (aws, ct, runner, log, name) = (&aws, &ct, &runner, &log, name.clone());
        async move {
            let snapshot = aws.collect(&[REGION]).await;
            let plan = fix::plan(
                TRAIL_ITEM,
                &evaluate(&snapshot),
                &snapshot,
                &Choices::default(),
            )
            .expect("a plan");
            let ops: Vec<_> = plan.steps.iter().map(|s| s.op.name()).collect();
            assert_eq!(ops, ["PutEventSelectors"], "{label}: {plan:#?}");
            let ran = execute::run(runner, &plan, None).await.expect("logged");
            assert!(ran.complete(), "{label}: {ran:#?}");
            assert_eq!(status(aws, TRAIL_ITEM).await, ItemStatus::Pass, "{label}");
            let now = ct
                .get_event_selectors()
                .trail_name(&name)
                .send()
                .await
                .expect("GetEventSelectors");
            let undo = undo_plan(&log.read().expect("reads"), &ran.run).expect("undo");
            let undone = execute::run(runner, &undo, Some(&ran.run))
                .await
                .expect("logged");
            assert!(undone.complete(), "{label}: {undone:#?}");
            assert_eq!(status(aws, TRAIL_ITEM).await, ItemStatus::Fail, "{label}");
            let after = ct
                .get_event_selectors()
                .trail_name(&name)
                .send()
                .await
                .expect("GetEventSelectors");
            (now, after)
        }
    };
    let (now, after) = fix_and_undo("basic").await;
    assert_eq!(now.event_selectors().len(), 2, "{now:#?}");
    assert_eq!(
        now.event_selectors()[0].data_resources()[0].values(),
        ["arn:aws:s3:::payments/"],
        "the data selector stays"
    );
    assert_eq!(
        after.event_selectors().len(),
        1,
        "undo removed only onwatch's"
    );
    assert_eq!(
        after.event_selectors()[0].include_management_events(),
        Some(false)
    );

    // The same with advanced selectors: an advanced one is added and removed.
    let data_events = AdvancedEventSelector::builder()
        .name("payments objects")
        .field_selectors(
            AdvancedFieldSelector::builder()
                .field("eventCategory")
                .equals("Data")
                .build()
                .expect("field"),
        )
        .field_selectors(
            AdvancedFieldSelector::builder()
                .field("resources.type")
                .equals("AWS::S3::Object")
                .build()
                .expect("field"),
        )
        .build()
        .expect("selector");
    ct.put_event_selectors()
        .trail_name(&name)
        .advanced_event_selectors(data_events)
        .send()
        .await
        .expect("PutEventSelectors");
    let (now, after) = fix_and_undo("advanced").await;
    let names: Vec<_> = now
        .advanced_event_selectors()
        .iter()
        .filter_map(|a| a.name())
        .collect();
    assert_eq!(names, ["payments objects", "onwatch: management events"]);
    let names: Vec<_> = after
        .advanced_event_selectors()
        .iter()
        .filter_map(|a| a.name())
        .collect();
    assert_eq!(names, ["payments objects"]);
}
