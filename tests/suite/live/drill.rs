//! Issue 12: `onwatch drill` on the local endpoint: the preview names every test it
//! will send; with --apply it sends them through the real routes (a sample GuardDuty
//! finding, an alarm set to ALARM with the drill's reason, a message on a topic), and
//! the person's answer turns alert-path-tested from to-answer into pass, or fail.

use onwatch::answers::Answers;
use onwatch::report::{FindingStatus, ItemStatus};

use super::{builtin, item};
use crate::local_aws::{ACCOUNT, LocalAws};

const REGION: &str = "us-east-1";

#[test]
fn a_drill_sends_real_tests_and_its_answer_decides_alert_path_tested() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let data = tempfile::tempdir().expect("tempdir");
    let data_home = data.path().to_string_lossy().to_string();
    let run = |args: &[&str]| super::cli::onwatch_in(&aws, &data_home, args);
    let text = super::cli::printed;
    // The preview sends nothing.
    let preview = run(&["drill", "alert-path-tested", "--region", REGION]);
    assert_eq!(preview.status.code(), Some(0), "{}", text(&preview));
    let said = text(&preview);
    for op in ["CreateSampleFindings", "SetAlarmState"] {
        assert!(said.contains(op), "the preview names {op}: {said}");
    }
    assert!(said.contains("reaches real people"), "{said}");
    let samples = aws.request("GET", "/_onwatch/guardduty/samples", None);
    assert_eq!(samples["samples"].as_array().map(Vec::len), Some(0));

    let sent = run(&[
        "drill",
        "alert-path-tested",
        "--region",
        REGION,
        "--apply",
        "--yes",
        "--answer",
        "yes",
        "--who",
        "Aiko (on call), 3 minutes later",
    ]);
    assert_eq!(sent.status.code(), Some(0), "{}", text(&sent));
    let samples = aws.request("GET", "/_onwatch/guardduty/samples", None);
    assert_eq!(
        samples["samples"][0]["finding_types"][0], "Backdoor:EC2/C&CActivity.B!DNS",
        "{samples}"
    );
    // The alarm the drill set off says why.
    let rt = tokio::runtime::Runtime::new().expect("rt");
    let alarms = rt
        .block_on(
            aws_sdk_cloudwatch::Client::new(&aws.sdk)
                .describe_alarms()
                .state_value(aws_sdk_cloudwatch::types::StateValue::Alarm)
                .send(),
        )
        .expect("DescribeAlarms");
    assert!(
        alarms
            .metric_alarms()
            .iter()
            .any(|a| a.state_reason() == Some("onwatch fire drill")),
        "{alarms:#?}"
    );

    // The answer is recorded with the answers and decides the item.
    let path = data.path().join(format!("onwatch/answers/{ACCOUNT}.toml"));
    let answers = Answers::load(&path).expect("the answers file");
    assert!(answers.drills.contains_key("security"), "{answers:#?}");
    assert!(answers.drills.contains_key("alarms"), "{answers:#?}");
    let snapshot = rt.block_on(aws.collect(&[REGION]));
    let report = onwatch::evaluate(&builtin(), &snapshot, &answers, snapshot.collected_at);
    let judged = item(&report, "alert-path-tested");
    let of = |class: &str| {
        judged
            .findings
            .iter()
            .find(|f| f.resource == format!("{class} alerts"))
            .map(|f| f.status)
    };
    assert_eq!(of("security"), Some(FindingStatus::Pass), "{judged:#?}");
    assert_eq!(of("alarms"), Some(FindingStatus::Pass), "{judged:#?}");
    // Budgets e-mail an address directly: AWS has no test for it, so it stays open.
    assert_eq!(of("cost"), Some(FindingStatus::ToAnswer), "{judged:#?}");
    assert_eq!(judged.status, ItemStatus::NotAnswered);

    // The address Budgets e-mails itself: the person answers, nothing is sent.
    let sends = |aws: &LocalAws| {
        let calls = aws.calls();
        let n = |svc: &str, op: &str| calls["calls"][svc][op].as_u64().unwrap_or(0);
        n("sns", "Publish")
            + n("monitoring", "SetAlarmState")
            + n("cloudwatch", "SetAlarmState")
            + aws.request("GET", "/_onwatch/guardduty/samples", None)["samples"]
                .as_array()
                .map_or(0, |a| a.len() as u64)
    };
    let before = sends(&aws);
    let manual = run(&[
        "drill",
        "budget-notification",
        "--region",
        REGION,
        "--record-manual",
        "--answer",
        "yes",
        "--who",
        "finance, checked the inbox",
    ]);
    assert_eq!(manual.status.code(), Some(0), "{}", text(&manual));
    assert_eq!(sends(&aws), before, "nothing was sent");
    let answers = Answers::load(&path).expect("the answers file");
    let report = onwatch::evaluate(&builtin(), &snapshot, &answers, snapshot.collected_at);
    assert_eq!(
        item(&report, "alert-path-tested").status,
        ItemStatus::Pass,
        "every route class answered yes: {:#?}",
        item(&report, "alert-path-tested")
    );

    // A drill that reached nobody fails the item.
    let failed = run(&[
        "drill",
        "guardduty-findings-routed",
        "--region",
        REGION,
        "--apply",
        "--yes",
        "--answer",
        "no",
    ]);
    assert_eq!(failed.status.code(), Some(0), "{}", text(&failed));
    let answers = Answers::load(&path).expect("the answers file");
    let report = onwatch::evaluate(&builtin(), &snapshot, &answers, snapshot.collected_at);
    let judged = item(&report, "alert-path-tested");
    // Security fails, alarms still pass: partial, which is failing.
    assert_eq!(judged.status, ItemStatus::Partial, "{judged:#?}");
    assert!(judged.status.is_failing());
    assert!(
        judged
            .findings
            .iter()
            .any(|f| f.resource == "security alerts" && f.status == FindingStatus::Fail),
        "{judged:#?}"
    );
}
