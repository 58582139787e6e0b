//! Issue 11: fix plans run on the local endpoint through the executor users run:
//! plan -> apply -> the item passes -> planning again gives no step -> undo -> the item
//! fails again; a target changed since the plan is refused; a denied write stops the
//! run with the audit log showing exactly what ran.

use onwatch::execute::{self, Runner};
use onwatch::fix::audit::{AuditLog, Outcome, undo_plan};
use onwatch::fix::{self, Choices, FixPlan};
use onwatch::report::ItemStatus;

use super::{evaluate, item};
use crate::local_aws::{Fault, LocalAws};

pub(super) const REGION: &str = "us-east-1";

pub(super) async fn plan_for(aws: &LocalAws, id: &str) -> FixPlan {
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    fix::plan(id, &report, &snapshot, &Choices::default()).expect("a plan")
}

/// The executor as a user runs it, logging to `log`.
pub(super) fn runner<'a>(aws: &LocalAws, log: &'a AuditLog) -> Runner<'a> {
    Runner {
        sdk: aws.sdk.clone(),
        caller: "arn:aws:iam::123456789012:user/test".into(),
        log,
    }
}

pub(super) async fn status(aws: &LocalAws, id: &str) -> ItemStatus {
    item(&evaluate(&aws.collect(&[REGION]).await), id).status
}

#[tokio::test(flavor = "multi_thread")]
async fn each_fix_passes_its_item_and_undo_brings_the_failure_back() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), "123456789012");
    let runner = runner(&aws, &log);
    for id in [
        "log-retention",
        "ecr-scan-on-push",
        "guardduty-enabled",
        "ecs-container-insights",
        "rds-performance-insights",
        "cloudtrail-multi-region",
    ] {
        assert_eq!(status(&aws, id).await, ItemStatus::Fail, "{id} fails first");
        let plan = plan_for(&aws, id).await;
        assert!(!plan.steps.is_empty(), "{id}: {plan:#?}");
        let ran = execute::run(&runner, &plan, None)
            .await
            .expect("the run is logged");
        assert!(ran.complete(), "{id}: {ran:#?}");
        assert_eq!(
            status(&aws, id).await,
            ItemStatus::Pass,
            "{id} passes after the fix"
        );
        let again = plan_for(&aws, id).await;
        assert!(
            again.steps.is_empty(),
            "{id}: nothing left to do: {again:#?}"
        );

        let entries = log.read().expect("the log reads");
        let undo = undo_plan(&entries, &ran.run).expect("an undo plan");
        assert_eq!(undo.steps.len(), plan.steps.len(), "{id}: {undo:#?}");
        let undone = execute::run(&runner, &undo, Some(&ran.run))
            .await
            .expect("logged");
        assert!(undone.complete(), "{id}: {undone:#?}");
        assert_eq!(
            status(&aws, id).await,
            ItemStatus::Fail,
            "{id} fails again after undo"
        );
        let entries = log.read().expect("the log reads");
        assert!(
            undo_plan(&entries, &ran.run).is_err(),
            "{id}: a run is undone once"
        );
    }
    // Every step of every run and undo is one line, and no secret is in the log.
    let text = std::fs::read_to_string(log.path()).expect("the log exists");
    assert!(!text.contains("testing"), "no credentials in the audit log");
    let entries = log.read().expect("the log reads");
    assert!(entries.iter().all(|e| e.outcome == Outcome::Done));
    // GuardDuty was undone by suspending the detector onwatch created, not deleting it.
    let detectors = aws_sdk_guardduty::Client::new(&aws.sdk)
        .list_detectors()
        .send()
        .await
        .expect("ListDetectors");
    assert!(!detectors.detector_ids().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_target_changed_since_the_plan_is_refused() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let plan = plan_for(&aws, "ecr-scan-on-push").await;
    assert_eq!(plan.steps.len(), 2, "{plan:#?}");
    // Someone turns scanning on for the first repository meanwhile.
    let first = plan.steps[0].op.target();
    aws_sdk_ecr::Client::new(&aws.sdk)
        .put_image_scanning_configuration()
        .repository_name(&first)
        .image_scanning_configuration(
            aws_sdk_ecr::types::ImageScanningConfiguration::builder()
                .scan_on_push(true)
                .build(),
        )
        .send()
        .await
        .expect("PutImageScanningConfiguration");
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), "123456789012");
    let runner = runner(&aws, &log);
    aws.clear_calls();
    let ran = execute::run(&runner, &plan, None).await.expect("logged");
    assert_eq!(ran.steps.len(), 1, "stops at the refused step: {ran:#?}");
    assert_eq!(ran.steps[0].outcome, Outcome::Refused);
    assert!(
        ran.steps[0]
            .message
            .as_deref()
            .unwrap_or_default()
            .contains("changed since the plan")
    );
    let calls = aws.calls().to_string();
    assert!(
        !calls.contains("PutImageScanningConfiguration"),
        "nothing written: {calls}"
    );
    assert_eq!(log.read().expect("reads").len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_denied_write_stops_the_run_and_names_the_permission() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let plan = plan_for(&aws, "log-retention").await;
    assert!(plan.steps.len() >= 2, "{plan:#?}");
    aws.fault(Fault {
        service: "logs",
        region: "*",
        paged: false,
        operation: Some("PutRetentionPolicy"),
        status: 400,
        code: "AccessDeniedException",
        message: "not authorized to perform: logs:PutRetentionPolicy",
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), "123456789012");
    let runner = runner(&aws, &log);
    let ran = execute::run(&runner, &plan, None).await.expect("logged");
    assert_eq!(ran.steps.len(), 1, "{ran:#?}");
    assert_eq!(ran.steps[0].outcome, Outcome::Failed);
    assert_eq!(
        ran.steps[0].missing_permission.as_deref(),
        Some("logs:PutRetentionPolicy")
    );
    let entries = log.read().expect("reads");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].outcome, Outcome::Failed);
    aws.clear_faults();
    // Nothing changed: every group still keeps its events forever.
    assert_eq!(
        plan_for(&aws, "log-retention").await.steps.len(),
        plan.steps.len()
    );
}

/// A log group name with quotes and `$(…)` is one shell word in `--format sh`.
#[tokio::test(flavor = "multi_thread")]
async fn hostile_names_are_safe_in_the_shell_script() {
    const NAME: &str = "/app/it's $(touch pwned) `x`";
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    aws_sdk_cloudwatchlogs::Client::new(&aws.sdk)
        .create_log_group()
        .log_group_name(NAME)
        .send()
        .await
        .expect("CreateLogGroup");
    let plan = plan_for(&aws, "log-retention").await;
    let step = plan
        .steps
        .iter()
        .find(|s| s.op.target() == NAME)
        .expect("the hostile group is planned");
    let script = fix::shell::script(&plan);
    assert!(script.contains(&step.cli));
    // The shell reads the quoted name back as exactly the name.
    let word = fix::shell::quote(NAME);
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("printf '%s' {word}"))
        .current_dir(tempfile::tempdir().expect("tempdir").path())
        .output()
        .expect("sh runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), NAME);
    let check = std::process::Command::new("sh")
        .arg("-n")
        .arg("-c")
        .arg(&script)
        .status()
        .expect("sh -n");
    assert!(check.success(), "the script parses:\n{script}");
}

/// `onwatch fix` from the command line: the plan without --apply, a refusal without
/// confirmation, apply with --yes and its re-check, the audit log, undo.
#[test]
fn the_cli_plans_applies_logs_and_undoes() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let data = tempfile::tempdir().expect("tempdir");
    let data_home = data.path().to_string_lossy().to_string();
    let run = |args: &[&str]| super::cli::onwatch_in(&aws, &data_home, args);
    let text = super::cli::printed;
    let plan = run(&["fix", "ecr-scan-on-push", "--region", REGION]);
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
    assert!(
        text(&plan).contains("aws ecr put-image-scanning-configuration --region us-east-1"),
        "{}",
        text(&plan)
    );
    let refused = run(&["fix", "ecr-scan-on-push", "--region", REGION, "--apply"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(
        text(&refused).contains("without confirmation"),
        "{}",
        text(&refused)
    );

    let applied = run(&[
        "fix",
        "ecr-scan-on-push",
        "--region",
        REGION,
        "--apply",
        "--yes",
    ]);
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied));
    assert!(
        text(&applied).contains("ecr-scan-on-push: fail -> pass"),
        "{}",
        text(&applied)
    );
    let log = run(&["fix", "log", "--region", REGION]);
    assert_eq!(log.status.code(), Some(0), "{}", text(&log));
    let line = String::from_utf8_lossy(&log.stdout).to_string();
    let run_id = line
        .split_whitespace()
        .skip_while(|w| *w != "run")
        .nth(1)
        .expect("a run id")
        .to_string();
    assert!(line.contains("PutImageScanningConfiguration"), "{line}");

    let undone = run(&[
        "fix", "undo", &run_id, "--region", REGION, "--apply", "--yes",
    ]);
    assert_eq!(undone.status.code(), Some(0), "{}", text(&undone));
    let again = run(&[
        "fix",
        "ecr-scan-on-push",
        "--region",
        REGION,
        "--format",
        "json",
    ]);
    let plans: serde_json::Value = serde_json::from_slice(&again.stdout).expect("JSON plans");
    assert_eq!(
        plans[0]["steps"].as_array().map(Vec::len),
        Some(2),
        "undo brought both repositories back: {plans:#}"
    );
    assert_eq!(
        plans[0]["steps"][0]["operation"],
        "PutImageScanningConfiguration"
    );
}

/// assets/iam/onwatch-fix-policy.json lists exactly what the plans can use (the local
/// endpoint does not enforce IAM, so this test is the guard).
#[test]
fn the_fix_policy_lists_exactly_what_fixes_use() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/iam/onwatch-fix-policy.json"
    );
    let text = std::fs::read_to_string(path).expect("the fix policy exists");
    let policy: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let mut listed: Vec<String> = policy["Statement"][0]["Action"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| a.as_str().expect("a string").to_string())
        .collect();
    listed.sort();
    assert_eq!(listed, fix::policy_actions());
}

/// alarm-response-pattern: an untagged alarm gets the pattern the user picks; its other
/// tags stay; undo removes only that tag.
#[tokio::test(flavor = "multi_thread")]
async fn tagging_the_response_pattern_keeps_the_other_tags() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let cw = aws_sdk_cloudwatch::Client::new(&aws.sdk);
    let arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-db-cpu";
    cw.untag_resource()
        .resource_arn(arn)
        .tag_keys("response-pattern")
        .send()
        .await
        .expect("UntagResource");
    cw.tag_resource()
        .resource_arn(arn)
        .tags(
            aws_sdk_cloudwatch::types::Tag::builder()
                .key("team")
                .value("data")
                .build(),
        )
        .send()
        .await
        .expect("TagResource");
    let id = "alarm-response-pattern";
    assert_eq!(status(&aws, id).await, ItemStatus::Partial);
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    assert!(matches!(
        fix::plan(id, &report, &snapshot, &Choices::default()),
        Err(fix::NoPlan::BadChoice(_))
    ));
    let choices = Choices {
        response_pattern: Some("next-business-day".into()),
        ..Choices::default()
    };
    let plan = fix::plan(id, &report, &snapshot, &choices).expect("a plan");
    assert_eq!(plan.steps.len(), 1, "{plan:#?}");
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), "123456789012");
    let runner = runner(&aws, &log);
    let ran = execute::run(&runner, &plan, None).await.expect("logged");
    assert!(ran.complete(), "{ran:#?}");
    assert_eq!(status(&aws, id).await, ItemStatus::Pass);
    let tags = cw
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .expect("ListTagsForResource");
    assert!(
        tags.tags()
            .iter()
            .any(|t| t.key() == Some("team") && t.value() == Some("data"))
    );
    let undo = undo_plan(&log.read().expect("reads"), &ran.run).expect("undo");
    assert!(
        execute::run(&runner, &undo, Some(&ran.run))
            .await
            .expect("logged")
            .complete()
    );
    assert_eq!(status(&aws, id).await, ItemStatus::Partial);
    let tags = cw
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .expect("ListTagsForResource");
    assert!(
        tags.tags().iter().any(|t| t.key() == Some("team")),
        "the other tag stays"
    );
}

/// Cancel stops before the next step, never mid-call: what ran is done and logged,
/// nothing after it is attempted, and the run says it was cancelled.
#[tokio::test(flavor = "multi_thread")]
async fn cancel_stops_before_the_next_step_and_keeps_what_ran() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let snapshot = aws.collect(&[REGION]).await;
    let plan = fix::plan(
        "ecr-scan-on-push",
        &evaluate(&snapshot),
        &snapshot,
        &Choices::default(),
    )
    .expect("a plan");
    assert!(plan.steps.len() >= 2, "{plan:#?}");
    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), "123456789012");
    let runner = runner(&aws, &log);
    let cancel = AtomicBool::new(false);
    let mut seen = Vec::new();
    // The user presses Cancel while step 1 runs.
    let mut watch = |p: execute::Progress| {
        if p == execute::Progress::Started(1) {
            cancel.store(true, Ordering::SeqCst);
        }
        seen.push(p);
    };
    let ran = execute::run_watched(&runner, &plan, None, &mut watch, &cancel)
        .await
        .expect("logged");
    assert!(ran.cancelled && !ran.complete(), "{ran:#?}");
    assert_eq!(ran.steps.len(), 1, "step 1 finished, step 2 never started");
    assert_eq!(ran.steps[0].outcome, Outcome::Done);
    assert_eq!(seen.len(), 2, "started and finished step 1 only: {seen:?}");
    let logged = log.read().expect("reads");
    assert_eq!(logged.len(), 1, "the log holds exactly what ran");
}
