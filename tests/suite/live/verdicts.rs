//! Verdicts an AWS operations engineer would sign: the scan and the rules together, on
//! the local endpoint, for the cases where a naive reading passes what cannot alert or
//! fails what is healthy.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use onwatch::report::{FindingStatus, ItemReport};

use super::{evaluate, item};
use crate::local_aws::LocalAws;

const REGION: &str = "us-east-1";

/// `n` backdated state changes of `alarm`, alternating between `a` and `b`, spread
/// over the last six days and ending in `a`.
fn alternate(aws: &LocalAws, alarm: &str, a: &str, b: &str, n: usize) {
    let now = Utc::now();
    let step = Duration::hours(6 * 24) / i32::try_from(n + 1).unwrap_or(1);
    let at = |i: usize| -> DateTime<Utc> {
        now - Duration::days(6) + step * i32::try_from(i + 1).unwrap_or(0)
    };
    let changes: Vec<Value> = (0..n)
        .map(|i| {
            let (old, new) = if i % 2 == 0 { (a, b) } else { (b, a) };
            json!({"timestamp": at(i).to_rfc3339(), "old": old, "new": new})
        })
        .collect();
    aws.post(
        "/_onwatch/cloudwatch/history",
        &json!({"alarm_name": alarm, "region": REGION, "changes": changes}),
    );
}

fn finding_of<'a>(it: &'a ItemReport, alarm: &str) -> &'a onwatch::report::Finding {
    it.findings
        .iter()
        .find(|f| f.resource.ends_with(&format!(":alarm:{alarm}")))
        .unwrap_or_else(|| panic!("no finding for {alarm}: {:#?}", it.findings))
}

/// Issue 10, point 11: only changes into and out of ALARM run alarm actions; an alarm
/// on a metric that reports now and then goes OK <-> INSUFFICIENT_DATA all day and
/// tells nobody, so it does not flap.
#[tokio::test(flavor = "multi_thread")]
async fn flapping_counts_only_changes_into_and_out_of_alarm() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    alternate(&aws, "shop-db-cpu", "OK", "INSUFFICIENT_DATA", 24);
    alternate(&aws, "shop-db-free-storage", "OK", "ALARM", 24);
    let snapshot = aws.collect(&[REGION]).await;
    let history = snapshot.regions[REGION]
        .alarm_history
        .ok()
        .expect("history");
    assert!(
        history
            .iter()
            .filter(|c| c.alarm_name == "shop-db-cpu")
            .all(|c| c.old_state.is_some() && c.new_state.is_some()),
        "the states come from HistoryData: {history:#?}"
    );

    let report = evaluate(&snapshot);
    let it = item(&report, "alarm-flapping");
    let quiet = finding_of(it, "shop-db-cpu");
    assert_eq!(quiet.status, FindingStatus::Pass, "{quiet:#?}");
    assert!(quiet.evidence.starts_with("0 changes into or out of ALARM"));
    let noisy = finding_of(it, "shop-db-free-storage");
    assert_eq!(noisy.status, FindingStatus::Fail, "{noisy:#?}");
    assert!(noisy.evidence.starts_with("24 changes"), "{noisy:#?}");
}
