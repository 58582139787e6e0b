//! Alarm tags come from one Resource Groups Tagging API listing per region
//! (tag:GetResources), not one CloudWatch call per alarm; when that listing is denied,
//! the scan reads them alarm by alarm and says so; when both are denied, the items that
//! need tags could not check.

use std::collections::BTreeMap;

use onwatch::report::{FindingStatus, ItemStatus};
use onwatch::snapshot::{AccountSnapshot, AlarmTagsRead, Read, ReadError};

use super::{evaluate, item};
use crate::local_aws::{Fault, LocalAws, SEEDED};

const DEMO: [&str; 3] = ["us-east-1", "eu-west-1", "us-west-2"];

/// The items whose verdicts read alarm tags.
const TAG_ITEMS: [&str; 2] = ["alarm-actions", "alarm-response-pattern"];

fn deny_batch_tags(aws: &LocalAws) {
    aws.fault(Fault {
        service: "tagging",
        region: "*",
        paged: false,
        operation: Some("GetResources"),
        status: 400,
        code: "AccessDeniedException",
        message: "User: arn:aws:iam::123456789012:user/scan is not authorized to perform: tag:GetResources",
    });
}

fn tags_by_alarm(snapshot: &AccountSnapshot) -> BTreeMap<String, Read<BTreeMap<String, String>>> {
    snapshot
        .regions
        .values()
        .flat_map(|r| r.alarms.ok().into_iter().flatten())
        .map(|a| (a.arn.clone(), a.tags.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn alarm_tags_are_one_listing_per_region_not_one_call_per_alarm() {
    let aws = LocalAws::start();
    aws.seed("demo");
    let snapshot = aws.collect(&DEMO).await;
    let calls = aws.calls();
    let mut alarms = 0;
    for region in DEMO {
        let r = &snapshot.regions[region];
        assert_eq!(r.alarm_tags_read, Some(AlarmTagsRead::Batch), "{region}");
        alarms += r.alarms.ok().map_or(0, Vec::len);
        let n = |service: &str, op: &str| calls["regions"][region][service][op].as_u64();
        assert_eq!(n("tagging", "GetResources"), Some(1), "{region}: {calls}");
        assert_eq!(
            n("monitoring", "ListTagsForResource"),
            None,
            "{region}: {calls}"
        );
    }
    assert!(alarms > 5, "the demo has alarms to tag: {alarms}");
    // The tags are really read: the demo's tagged alarms carry their pattern.
    let tagged = tags_by_alarm(&snapshot)
        .into_values()
        .filter(|t| t.ok().is_some_and(|t| t.contains_key("response-pattern")))
        .count();
    assert!(tagged > 0, "some alarm carries a response-pattern tag");
    assert_eq!(calls["duplicates"], serde_json::json!([]), "{calls}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_denied_batch_tag_read_falls_back_to_one_read_per_alarm_with_the_same_verdicts() {
    let aws = LocalAws::start();
    aws.seed("demo");
    let batch = aws.collect(&DEMO).await;
    deny_batch_tags(&aws);
    aws.clear_calls();
    let fallback = aws.collect(&DEMO).await;

    // The same tags, alarm by alarm, whichever way they were read.
    assert_eq!(tags_by_alarm(&batch), tags_by_alarm(&fallback));
    let calls = aws.calls();
    for region in DEMO {
        let r = &fallback.regions[region];
        match &r.alarm_tags_read {
            Some(AlarmTagsRead::PerAlarm {
                batch_error: ReadError::AccessDenied { action, .. },
            }) => assert_eq!(action, "tag:GetResources"),
            other => panic!("{region}: expected the per-alarm fallback, got {other:?}"),
        }
        let alarms = r.alarms.ok().map_or(0, Vec::len) as u64;
        let per_alarm = calls["regions"][region]["monitoring"]["ListTagsForResource"]
            .as_u64()
            .unwrap_or(0);
        assert_eq!(per_alarm, alarms, "{region}: one read per alarm: {calls}");
    }

    // Same statuses; the evidence of tag verdicts says how the tags were read.
    let (before, after) = (evaluate(&batch), evaluate(&fallback));
    for id in TAG_ITEMS {
        let (b, a) = (item(&before, id), item(&after, id));
        assert_eq!(b.status, a.status, "{id}");
        let statuses = |i: &onwatch::report::ItemReport| {
            i.findings
                .iter()
                .map(|f| (f.resource.clone(), f.status))
                .collect::<Vec<_>>()
        };
        assert_eq!(statuses(b), statuses(a), "{id}");
    }
    let pattern = item(&after, "alarm-response-pattern");
    assert!(
        pattern
            .findings
            .iter()
            .all(|f| f.evidence.contains("tags read one alarm at a time")
                && f.evidence.contains("tag:GetResources")),
        "{:#?}",
        pattern.findings
    );
    assert!(
        item(&before, "alarm-response-pattern")
            .findings
            .iter()
            .all(|f| !f.evidence.contains("one alarm at a time")),
        "the batch read says nothing extra"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn both_tag_reads_denied_is_could_not_check_naming_the_action() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    deny_batch_tags(&aws);
    aws.fault(Fault {
        service: "monitoring",
        region: "*",
        paged: false,
        operation: Some("ListTagsForResource"),
        status: 403,
        code: "AccessDenied",
        message: "not authorized to perform: cloudwatch:ListTagsForResource",
    });
    let snapshot = aws.collect(&SEEDED).await;
    let alarms = snapshot.regions["us-east-1"]
        .alarms
        .ok()
        .expect("alarms are listed");
    assert!(!alarms.is_empty());
    for alarm in alarms {
        assert!(
            matches!(&alarm.tags, Read::Failed(ReadError::AccessDenied { action, .. }) if action == "cloudwatch:ListTagsForResource"),
            "{}: {:?}",
            alarm.name,
            alarm.tags
        );
    }
    let report = evaluate(&snapshot);
    let it = item(&report, "alarm-response-pattern");
    assert_eq!(
        it.count(FindingStatus::Pass),
        0,
        "no false pass: {:#?}",
        it.findings
    );
    assert_eq!(it.status, ItemStatus::CouldNotCheck);
    // Every healthy alarm has actions, so alarm-actions needs no tag.
    assert_eq!(item(&report, "alarm-actions").status, ItemStatus::Pass);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_tag_read_that_fails_otherwise_is_could_not_check_not_untagged() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    aws.fault(Fault {
        service: "tagging",
        region: "us-east-1",
        paged: false,
        operation: Some("GetResources"),
        // Not retried (a client error), and not a denial: no fallback.
        status: 400,
        code: "InvalidParameterException",
        message: "the request was rejected",
    });
    let snapshot = aws.collect(&SEEDED).await;
    let alarms = snapshot.regions["us-east-1"].alarms.ok().expect("listed");
    assert!(!alarms.is_empty());
    assert!(
        alarms
            .iter()
            .all(|a| matches!(&a.tags, Read::Failed(ReadError::Other { action, .. }) if action == "tag:GetResources")),
        "{alarms:#?}"
    );
    let report = evaluate(&snapshot);
    let it = item(&report, "alarm-response-pattern");
    assert!(!it.findings.is_empty());
    assert!(
        it.findings
            .iter()
            .all(|f| f.status == FindingStatus::CouldNotCheck),
        "{:#?}",
        it.findings
    );
}
