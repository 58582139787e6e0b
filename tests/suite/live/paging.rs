//! Every page of every paginated read is read, and a page that fails fails the read:
//! never a silently shorter list.

use onwatch::report::{FindingStatus, ItemStatus};
use onwatch::snapshot::{Read, ReadError};

use super::{evaluate, item};
use crate::local_aws::{Fault, LocalAws};

/// What the `paged` seed holds in us-east-1 (scripts/local_aws/seeds.py, PAGED): more
/// than one page of each (DescribeAlarms and DescribeAlarmHistory at the 100 onwatch
/// asks for, ListTopics / ListSubscriptions / DescribeRepositories at 100,
/// DescribeLogGroups and ListRules at 50).
const ALARMS: usize = 120;
const HISTORY: usize = 130;
const LOG_GROUPS: usize = 60;
const TOPICS: usize = 110;
const REPOSITORIES: usize = 105;
const RULES: usize = 55;

/// The SigV4 services whose listings the `paged` seed pages, and the error each answers.
const PAGED_SERVICES: &[&str] = &["monitoring", "logs", "sns", "ecr", "events"];

#[tokio::test(flavor = "multi_thread")]
async fn every_page_of_every_listing_is_read() {
    let aws = LocalAws::start();
    aws.seed("paged");
    let snapshot = aws.collect(&["us-east-1"]).await;
    let r = &snapshot.regions["us-east-1"];
    let alarms = r.alarms.ok().expect("alarms");
    assert_eq!(alarms.len(), ALARMS);
    assert!(
        alarms.iter().all(|a| a.tags.ok().is_some()),
        "every alarm's tags"
    );
    assert_eq!(r.alarm_history.ok().map(Vec::len), Some(HISTORY));
    assert_eq!(r.log_groups.ok().map(Vec::len), Some(LOG_GROUPS));
    assert_eq!(r.sns_topics.ok().map(Vec::len), Some(TOPICS));
    assert_eq!(r.sns_subscriptions.ok().map(Vec::len), Some(TOPICS));
    assert_eq!(r.ecr_repositories.ok().map(Vec::len), Some(REPOSITORIES));
    let rules = r.event_rules.ok().expect("rules");
    assert_eq!(rules.len(), RULES);
    assert!(rules.iter().all(|rule| rule.targets.len() == 1));
    // It took more than one request each: the listings really were paged.
    let calls = aws.calls();
    let n = |service: &str, op: &str| calls["regions"]["us-east-1"][service][op].as_u64();
    // onwatch asks for the largest page, 100 (MaxRecords 1..100).
    assert_eq!(n("monitoring", "DescribeAlarms"), Some(2), "{calls}");
    assert_eq!(n("monitoring", "DescribeAlarmHistory"), Some(2), "{calls}");
    assert_eq!(n("logs", "DescribeLogGroups"), Some(2), "{calls}");
    assert_eq!(n("sns", "ListTopics"), Some(2), "{calls}");
    assert_eq!(n("sns", "ListSubscriptions"), Some(2), "{calls}");
    assert_eq!(n("ecr", "DescribeRepositories"), Some(2), "{calls}");
    assert_eq!(n("events", "ListRules"), Some(2), "{calls}");
    assert_eq!(calls["duplicates"], serde_json::json!([]), "{calls}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_later_page_that_fails_fails_the_read() {
    let aws = LocalAws::start();
    aws.seed("paged");
    for service in PAGED_SERVICES {
        aws.fault(Fault {
            service,
            region: "*",
            paged: true,
            operation: None,
            status: 400,
            code: "InvalidNextToken",
            message: "The service could not continue the listing",
        });
    }
    let snapshot = aws.collect(&["us-east-1"]).await;
    let r = &snapshot.regions["us-east-1"];
    fn failed<T: std::fmt::Debug>(field: &str, read: &Read<T>) {
        assert!(
            matches!(read, Read::Failed(ReadError::Other { code, .. }) if code == "InvalidNextToken"),
            "{field}: {read:?}"
        );
    }
    failed("alarms", &r.alarms);
    failed("alarm_history", &r.alarm_history);
    failed("log_groups", &r.log_groups);
    failed("sns_topics", &r.sns_topics);
    failed("sns_subscriptions", &r.sns_subscriptions);
    failed("ecr_repositories", &r.ecr_repositories);
    failed("event_rules", &r.event_rules);
    // The first pages were answered, yet nothing from them is judged.
    let report = evaluate(&snapshot);
    for id in ["log-retention", "alarm-actions", "ecr-scan-on-push"] {
        let it = item(&report, id);
        assert_eq!(
            it.status,
            ItemStatus::CouldNotCheck,
            "{id}: {:#?}",
            it.findings
        );
        assert_eq!(it.count(FindingStatus::Pass), 0, "{id}");
        assert_eq!(it.count(FindingStatus::Fail), 0, "{id}");
    }
}
