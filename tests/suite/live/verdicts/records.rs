//! Records: CloudTrail trails and AWS Config recorders that record less than they seem.

use onwatch::report::FindingStatus;

use super::{REGION, evaluate, item};
use crate::local_aws::LocalAws;

/// Issue 10, point 17: a multi-region trail that is logging but has no log file
/// validation loses half the critical item (one failing finding, for validation),
/// not all of it.
#[tokio::test(flavor = "multi_thread")]
async fn a_trail_without_only_log_file_validation_is_partial() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    aws_sdk_cloudtrail::Client::new(&aws.sdk)
        .update_trail()
        .name("org-trail")
        .enable_log_file_validation(false)
        .send()
        .await
        .expect("UpdateTrail");
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    let it = item(&report, "cloudtrail-multi-region");
    assert_eq!(
        it.status,
        onwatch::report::ItemStatus::Partial,
        "{:#?}",
        it.findings
    );
    assert_eq!(it.count(FindingStatus::Pass), 1, "{:#?}", it.findings);
    let failing: Vec<_> = it
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Fail)
        .collect();
    assert_eq!(failing.len(), 1, "{:#?}", it.findings);
    assert!(
        failing[0].evidence.contains("log file validation = false"),
        "{failing:#?}"
    );
}
/// Issue 10, point 2: a recorder that records only a list of types fails and names
/// them; one that records every supported type but excludes some passes with the
/// exclusions in the evidence, and daily recording is said in the evidence.
#[tokio::test(flavor = "multi_thread")]
async fn config_that_records_only_part_of_the_account_fails() {
    use aws_sdk_config::types::{
        ConfigurationRecorder, ExclusionByResourceTypes, RecordingFrequency, RecordingGroup,
        RecordingMode, RecordingStrategy, RecordingStrategyType, ResourceType,
    };
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION, "eu-west-1"]);
    let role = "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";
    let put = |region: &'static str, group: RecordingGroup, mode: Option<RecordingMode>| {
        let sdk = aws.sdk.clone();
        async move {
            let config = aws_sdk_config::config::Builder::from(&sdk)
                .region(aws_types::region::Region::new(region))
                .build();
            aws_sdk_config::Client::from_conf(config)
                .put_configuration_recorder()
                .configuration_recorder(
                    ConfigurationRecorder::builder()
                        .name("default")
                        .role_arn(role)
                        .recording_group(group)
                        .set_recording_mode(mode)
                        .build(),
                )
                .send()
                .await
                .expect("PutConfigurationRecorder")
        }
    };
    // us-east-1 records two types only.
    put(
        REGION,
        RecordingGroup::builder()
            .all_supported(false)
            .include_global_resource_types(false)
            .resource_types(ResourceType::Instance)
            .resource_types(ResourceType::Bucket)
            .recording_strategy(
                RecordingStrategy::builder()
                    .use_only(RecordingStrategyType::InclusionByResourceTypes)
                    .build(),
            )
            .build(),
        None,
    )
    .await;
    // eu-west-1 records everything but one type, once a day.
    put(
        "eu-west-1",
        RecordingGroup::builder()
            .all_supported(false)
            .include_global_resource_types(false)
            .exclusion_by_resource_types(
                ExclusionByResourceTypes::builder()
                    .resource_types(ResourceType::NetworkInterface)
                    .build(),
            )
            .recording_strategy(
                RecordingStrategy::builder()
                    .use_only(RecordingStrategyType::ExclusionByResourceTypes)
                    .build(),
            )
            .build(),
        Some(
            RecordingMode::builder()
                .recording_frequency(RecordingFrequency::Daily)
                .build()
                .expect("recording mode"),
        ),
    )
    .await;
    let snapshot = aws.collect(&[REGION, "eu-west-1"]).await;
    let report = evaluate(&snapshot);
    let it = item(&report, "config-recording");
    let in_region = |region: &str| {
        it.findings
            .iter()
            .find(|f| f.region == region)
            .unwrap_or_else(|| panic!("{region}: {:#?}", it.findings))
    };
    let us = in_region(REGION);
    assert_eq!(us.status, FindingStatus::Fail, "{us:#?}");
    assert!(
        us.evidence
            .contains("records only 2 resource types (AWS::EC2::Instance, AWS::S3::Bucket)"),
        "{us:#?}"
    );
    let eu = in_region("eu-west-1");
    assert_eq!(eu.status, FindingStatus::Pass, "{eu:#?}");
    assert!(
        eu.evidence.contains(
            "all supported types except 1 (AWS::EC2::NetworkInterface), recording frequency = DAILY"
        ),
        "{eu:#?}"
    );
}
fn trail_finding(report: &onwatch::report::Report) -> (onwatch::report::ItemStatus, String) {
    let it = item(report, "cloudtrail-multi-region");
    let evidence: Vec<&str> = it.findings.iter().map(|f| f.evidence.as_str()).collect();
    (it.status, evidence.join(" | "))
}
/// Issue 10, point 3: a trail that records no management events, or whose last
/// delivery failed (its bucket is gone), is no record of who did what, whatever its
/// other properties say.
#[tokio::test(flavor = "multi_thread")]
async fn a_trail_without_management_events_or_delivery_does_not_pass() {
    use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};
    use onwatch::report::ItemStatus;
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let ct = aws_sdk_cloudtrail::Client::new(&aws.sdk);
    let (status, _) = trail_finding(&evaluate(&aws.collect(&[REGION]).await));
    assert_eq!(status, ItemStatus::Pass, "the healthy trail passes first");
    let calls = aws.calls();
    assert_eq!(
        calls["regions"][REGION]["cloudtrail"]["GetEventSelectors"].as_u64(),
        Some(1),
        "{calls}"
    );

    ct.put_event_selectors()
        .trail_name("org-trail")
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::All)
                .include_management_events(false)
                .build(),
        )
        .send()
        .await
        .expect("PutEventSelectors");
    let (status, evidence) = trail_finding(&evaluate(&aws.collect(&[REGION]).await));
    assert_eq!(status, ItemStatus::Fail, "{evidence}");
    assert!(
        evidence.contains("management events = not recorded"),
        "{evidence}"
    );

    // Management events back on; then the bucket goes away.
    ct.put_event_selectors()
        .trail_name("org-trail")
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::All)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .expect("PutEventSelectors");
    aws.delete_bucket("cloudtrail-123456789012");
    aws.clear_calls();
    let (status, evidence) = trail_finding(&evaluate(&aws.collect(&[REGION]).await));
    assert_eq!(status, ItemStatus::Fail, "{evidence}");
    assert!(
        evidence.contains("last delivery error = NoSuchBucket"),
        "{evidence}"
    );
    let calls = aws.calls();
    assert_eq!(
        calls["regions"][REGION]["cloudtrail"]["GetEventSelectors"].as_u64(),
        Some(1),
        "{calls}"
    );
}

/// ... and a trail that fails anyway costs no GetEventSelectors call.
#[tokio::test(flavor = "multi_thread")]
async fn a_failing_trail_costs_no_event_selector_read() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let (status, _) = trail_finding(&evaluate(&aws.collect(&[REGION]).await));
    assert_eq!(status, onwatch::report::ItemStatus::Fail);
    let calls = aws.calls();
    assert_eq!(
        calls["regions"][REGION]["cloudtrail"]["GetEventSelectors"].as_u64(),
        None,
        "{calls}"
    );
}
