//! The live scan against the local AWS endpoint (scripts/local-aws): the real SDK code,
//! the real collectors, then evaluation. Each test starts its own server.

use std::collections::{BTreeMap, BTreeSet};

use onwatch::answers::Answers;
use onwatch::checklist::{self, Checklist};
use onwatch::collect::{self, CallRecorder, CollectError, ProgressEvent};
use onwatch::report::{FindingStatus, ItemReport, ItemStatus, Report};
use onwatch::snapshot::{AccountSnapshot, Read, ReadError, RegionSnapshot};

use crate::local_aws::{ACCOUNT, Fault, LocalAws, SEEDED};

fn builtin() -> Checklist {
    checklist::load_builtin().expect("the built-in checklist loads")
}

fn evaluate(snapshot: &AccountSnapshot) -> Report {
    onwatch::evaluate(
        &builtin(),
        snapshot,
        &Answers::default(),
        snapshot.collected_at,
    )
}

fn automated_ids() -> Vec<String> {
    builtin()
        .items
        .iter()
        .filter(|i| !i.is_practice())
        .map(|i| i.id.clone())
        .collect()
}

fn item<'a>(report: &'a Report, id: &str) -> &'a ItemReport {
    report
        .items
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no item {id} in the report"))
}

/// Every read of a region, by field name.
fn reads(r: &RegionSnapshot) -> Vec<(&'static str, Result<(), &ReadError>)> {
    fn st<T>(r: &Read<T>) -> Result<(), &ReadError> {
        r.as_result().map(|_| ())
    }
    vec![
        ("guardduty_detectors", st(&r.guardduty_detectors)),
        ("event_rules", st(&r.event_rules)),
        ("sns_topics", st(&r.sns_topics)),
        ("sns_subscriptions", st(&r.sns_subscriptions)),
        ("trails", st(&r.trails)),
        ("config_recorders", st(&r.config_recorders)),
        ("config_delivery_channels", st(&r.config_delivery_channels)),
        ("ecr_repositories", st(&r.ecr_repositories)),
        ("ecr_registry_scanning", st(&r.ecr_registry_scanning)),
        ("rds_instances", st(&r.rds_instances)),
        ("ecs_clusters", st(&r.ecs_clusters)),
        ("ecs_task_definitions", st(&r.ecs_task_definitions)),
        ("alarms", st(&r.alarms)),
        ("alarm_history", st(&r.alarm_history)),
        ("canaries", st(&r.canaries)),
        ("load_balancers", st(&r.load_balancers)),
        ("log_groups", st(&r.log_groups)),
    ]
}

fn policy_actions() -> BTreeSet<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/iam/onwatch-scan-policy.json"
    );
    let text = std::fs::read_to_string(path).expect("the scan policy exists");
    let policy: serde_json::Value = serde_json::from_str(&text).expect("the scan policy is JSON");
    policy["Statement"]
        .as_array()
        .expect("Statement is a list")
        .iter()
        .flat_map(|s| s["Action"].as_array().expect("Action is a list").clone())
        .map(|a| a.as_str().expect("actions are strings").to_string())
        .collect()
}

/// The SigV4 service names and the access-denied code each protocol answers with.
const DENIED: &[(&str, &str)] = &[
    ("guardduty", "AccessDeniedException"),
    ("events", "AccessDeniedException"),
    ("sns", "AuthorizationError"),
    ("cloudtrail", "AccessDeniedException"),
    ("config", "AccessDeniedException"),
    ("ecr", "AccessDeniedException"),
    ("rds", "AccessDenied"),
    ("ecs", "AccessDeniedException"),
    ("monitoring", "AccessDenied"),
    ("synthetics", "AccessDeniedException"),
    ("elasticloadbalancing", "AccessDenied"),
    ("logs", "AccessDeniedException"),
    ("budgets", "AccessDeniedException"),
    ("ce", "AccessDeniedException"),
];

#[tokio::test(flavor = "multi_thread")]
async fn healthy_account_passes_every_automated_item() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    let snapshot = aws.collect(&SEEDED).await;
    assert_eq!(snapshot.account.id, ACCOUNT);
    assert_eq!(snapshot.region_names(), vec!["eu-west-1", "us-east-1"]);
    for (region, data) in &snapshot.regions {
        for (field, read) in reads(data) {
            assert!(read.is_ok(), "{region} {field}: {read:?}");
        }
    }
    let report = evaluate(&snapshot);
    for id in automated_ids() {
        let it = item(&report, &id);
        assert_eq!(it.status, ItemStatus::Pass, "{id}: {:#?}", it.findings);
        assert!(it.count(FindingStatus::Pass) > 0, "{id} passes on evidence");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn neglected_account_fails_every_automated_item() {
    let aws = LocalAws::start();
    aws.seed("neglected");
    let snapshot = aws.collect(&SEEDED).await;
    let report = evaluate(&snapshot);
    for id in automated_ids() {
        let it = item(&report, &id);
        assert!(
            it.count(FindingStatus::Fail) > 0,
            "{id} should fail: {:#?}",
            it.findings
        );
        assert_eq!(
            it.count(FindingStatus::CouldNotCheck),
            0,
            "{id}: {:#?}",
            it.findings
        );
        assert_ne!(it.status, ItemStatus::Pass, "{id}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn one_server_serves_both_scenarios_after_a_reset() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    let healthy = evaluate(&aws.collect(&SEEDED).await);
    aws.reset();
    aws.seed("neglected");
    let neglected = evaluate(&aws.collect(&SEEDED).await);
    assert_eq!(item(&healthy, "guardduty-enabled").status, ItemStatus::Pass);
    assert_eq!(
        item(&neglected, "guardduty-enabled").status,
        ItemStatus::Fail
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn access_denied_on_one_service_is_could_not_check_naming_the_action() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    aws.fault(Fault {
        service: "guardduty",
        region: "*",
        operation: Some("ListDetectors"),
        status: 403,
        code: "AccessDeniedException",
        message: "User: arn:aws:iam::123456789012:user/scan is not authorized to perform: guardduty:ListDetectors",
    });
    let snapshot = aws.collect(&SEEDED).await;
    for region in SEEDED {
        assert!(
            matches!(
                &snapshot.regions[region].guardduty_detectors,
                Read::Failed(ReadError::AccessDenied { action, .. }) if action == "guardduty:ListDetectors"
            ),
            "{region}: {:?}",
            snapshot.regions[region].guardduty_detectors
        );
    }
    let report = evaluate(&snapshot);
    // guardduty-findings-routed reads EventBridge and SNS, not the detectors.
    let it = item(&report, "guardduty-enabled");
    assert_eq!(it.status, ItemStatus::CouldNotCheck, "{:#?}", it.findings);
    assert_eq!(it.count(FindingStatus::Pass), 0, "no false pass");
    assert!(
        it.findings
            .iter()
            .all(|f| f.missing_permission.as_deref() == Some("guardduty:ListDetectors")),
        "every finding names the action: {:#?}",
        it.findings
    );
    // The other services are untouched.
    assert_eq!(
        item(&report, "cloudtrail-multi-region").status,
        ItemStatus::Pass
    );
    assert_eq!(item(&report, "alarm-actions").status, ItemStatus::Pass);
}

#[tokio::test(flavor = "multi_thread")]
async fn access_denied_on_a_per_resource_read_is_could_not_check() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    aws.fault(Fault {
        service: "monitoring",
        region: "*",
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
    assert_eq!(item(&report, "alarm-actions").status, ItemStatus::Pass);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_service_denied_leaves_nothing_passing() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    for (service, code) in DENIED {
        aws.fault(Fault {
            service,
            region: "*",
            operation: None,
            status: 403,
            code,
            message: "not authorized",
        });
    }
    let snapshot = aws.collect(&SEEDED).await;
    let policy = policy_actions();
    let mut named = BTreeSet::new();
    for (region, data) in &snapshot.regions {
        for (field, read) in reads(data) {
            match read {
                Err(ReadError::AccessDenied { action, .. }) => {
                    assert!(policy.contains(action), "{action} is in the policy");
                    named.insert(action.clone());
                }
                other => panic!("{region} {field}: expected access denied, got {other:?}"),
            }
        }
    }
    for read in [
        snapshot.global.budgets.as_result().err(),
        snapshot.global.anomaly_monitors.as_result().err(),
        snapshot.global.anomaly_subscriptions.as_result().err(),
    ] {
        match read {
            Some(ReadError::AccessDenied { action, .. }) => {
                named.insert(action.clone());
            }
            other => panic!("global read: expected access denied, got {other:?}"),
        }
    }
    assert!(named.contains("budgets:ViewBudget"), "{named:?}");
    assert!(named.contains("ce:GetAnomalyMonitors"), "{named:?}");
    let report = evaluate(&snapshot);
    for id in automated_ids() {
        let it = item(&report, &id);
        assert_eq!(it.count(FindingStatus::Pass), 0, "{id}: {:#?}", it.findings);
        assert_eq!(it.count(FindingStatus::Fail), 0, "{id}: {:#?}", it.findings);
        assert_eq!(it.status, ItemStatus::CouldNotCheck, "{id}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_region_that_errors_does_not_lose_the_others() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    for (service, _) in DENIED {
        aws.fault(Fault {
            service,
            region: "eu-west-1",
            operation: None,
            status: 403,
            code: "UnrecognizedClientException",
            message: "The security token included in the request is invalid.",
        });
    }
    let snapshot = aws.collect(&SEEDED).await;
    for (field, read) in reads(&snapshot.regions["eu-west-1"]) {
        assert!(
            matches!(read, Err(ReadError::RegionNotEnabled { .. })),
            "eu-west-1 {field}: {read:?}"
        );
    }
    for (field, read) in reads(&snapshot.regions["us-east-1"]) {
        assert!(read.is_ok(), "us-east-1 {field}: {read:?}");
    }
    let report = evaluate(&snapshot);
    let gd = item(&report, "guardduty-enabled");
    assert!(
        gd.findings
            .iter()
            .any(|f| f.region == "us-east-1" && f.status == FindingStatus::Pass),
        "{:#?}",
        gd.findings
    );
    assert!(
        gd.findings
            .iter()
            .any(|f| f.region == "eu-west-1" && f.status == FindingStatus::CouldNotCheck),
        "{:#?}",
        gd.findings
    );
    for it in &report.items {
        assert_eq!(
            it.count(FindingStatus::Fail),
            0,
            "{}: {:#?}",
            it.id,
            it.findings
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_service_error_in_one_region_is_recorded_with_its_code() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    aws.fault(Fault {
        service: "rds",
        region: "us-east-1",
        operation: Some("DescribeDBInstances"),
        status: 400,
        code: "InvalidParameterCombination",
        message: "something AWS did not like",
    });
    let snapshot = aws.collect(&SEEDED).await;
    match &snapshot.regions["us-east-1"].rds_instances {
        Read::Failed(ReadError::Other {
            action,
            code,
            message,
        }) => {
            assert_eq!(action, "rds:DescribeDBInstances");
            assert_eq!(code, "InvalidParameterCombination");
            assert!(message.contains("did not like"), "{message}");
        }
        other => panic!("expected Other, got {other:?}"),
    }
    assert!(snapshot.regions["eu-west-1"].rds_instances.ok().is_some());
    let report = evaluate(&snapshot);
    let pi = item(&report, "rds-performance-insights");
    assert_eq!(pi.count(FindingStatus::Pass), 0, "{:#?}", pi.findings);
    assert_eq!(pi.status, ItemStatus::CouldNotCheck);
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_is_retried_then_recorded() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    aws.fault(Fault {
        service: "logs",
        region: "eu-west-1",
        operation: Some("DescribeLogGroups"),
        status: 400,
        code: "ThrottlingException",
        message: "Rate exceeded",
    });
    let snapshot = aws.collect(&SEEDED).await;
    assert!(
        matches!(
            &snapshot.regions["eu-west-1"].log_groups,
            Read::Failed(ReadError::Throttled { action, .. }) if action == "logs:DescribeLogGroups"
        ),
        "{:?}",
        snapshot.regions["eu-west-1"].log_groups
    );
    assert!(snapshot.regions["us-east-1"].log_groups.ok().is_some());
    let calls = aws.calls();
    let attempts = calls["calls"]["logs"]["DescribeLogGroups"]
        .as_u64()
        .unwrap_or(0);
    // One call in us-east-1, and the SDK's retries in eu-west-1.
    assert!(attempts >= 3, "the SDK retried: {calls}");
}

#[tokio::test(flavor = "multi_thread")]
async fn config_pending_status_is_data_not_a_crash() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    let snapshot = aws.collect(&["us-east-1"]).await;
    let recorders = snapshot.regions["us-east-1"]
        .config_recorders
        .ok()
        .expect("recorders are read despite the unknown lastStatus");
    assert_eq!(recorders.len(), 1);
    assert!(recorders[0].recording);
    // moto answers "PENDING", a value the SDK's RecorderStatus enum does not know.
    assert_eq!(recorders[0].last_status.as_deref(), Some("PENDING"));
    assert_eq!(
        item(&evaluate(&snapshot), "config-recording").status,
        ItemStatus::Pass
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_api_call_is_made_twice_and_every_call_is_recorded() {
    let aws = LocalAws::start();
    aws.seed("demo");
    aws.clear_calls();
    let recorder = CallRecorder::default();
    let mut opts = aws.options(&[]);
    opts.regions = None;
    opts.recorder = Some(recorder.clone());
    let snapshot = collect::collect(&opts, None).await.expect("scan");
    assert_eq!(snapshot.regions.len(), 17, "every default-enabled region");
    let calls = aws.calls();
    assert_eq!(calls["duplicates"], serde_json::json!([]), "{calls}");
    let total = calls["total"].as_u64().expect("total");
    assert_eq!(
        total as usize,
        recorder.calls().len(),
        "the recorder sees every request"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_scan_policy_lists_exactly_the_actions_the_scan_calls() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    let recorder = CallRecorder::default();
    let mut opts = aws.options(&SEEDED);
    opts.recorder = Some(recorder.clone());
    collect::collect(&opts, None).await.expect("scan");
    let called = recorder.iam_actions();
    let policy = policy_actions();
    let missing: Vec<_> = called.difference(&policy).collect();
    let unused: Vec<_> = policy.difference(&called).collect();
    assert!(
        missing.is_empty(),
        "called but not in the policy: {missing:?}"
    );
    assert!(
        unused.is_empty(),
        "in the policy but never called: {unused:?}"
    );
    for action in &policy {
        let verb = action.split(':').nth(1).unwrap_or_default();
        assert!(
            ["Describe", "List", "Get", "View"]
                .iter()
                .any(|v| verb.starts_with(v)),
            "{action} is not a read"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn progress_reports_every_task_once() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    collect::collect(&aws.options(&SEEDED), Some(tx))
        .await
        .expect("scan");
    let mut events = Vec::new();
    while let Some(e) = rx.recv().await {
        events.push(e);
    }
    let Some(ProgressEvent::Started { total }) = events.first().cloned() else {
        panic!("first event is Started: {events:?}");
    };
    assert_eq!(events.last(), Some(&ProgressEvent::Finished));
    let finished: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            ProgressEvent::TaskFinished {
                service,
                region,
                ok,
                done,
                total: t,
            } => {
                assert_eq!(*t, total);
                assert!(ok, "{service} {region} read everything");
                Some((service.clone(), region.clone(), *done))
            }
            _ => None,
        })
        .collect();
    // 12 regional services in 2 regions, plus Budgets and Cost Explorer once.
    assert_eq!(total, 12 * 2 + 2);
    assert_eq!(finished.len(), total);
    let done: Vec<usize> = finished.iter().map(|f| f.2).collect();
    assert_eq!(done, (1..=total).collect::<Vec<_>>());
    let pairs: BTreeSet<(String, String)> = finished
        .iter()
        .map(|f| (f.0.clone(), f.1.clone()))
        .collect();
    assert_eq!(pairs.len(), total, "each (service, region) once");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_opt_in_region_that_is_not_enabled_is_marked_without_calls() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    let recorder = CallRecorder::default();
    let mut opts = aws.options(&["us-east-1", "ap-east-1"]);
    opts.recorder = Some(recorder.clone());
    let snapshot = collect::collect(&opts, None).await.expect("scan");
    for (field, read) in reads(&snapshot.regions["ap-east-1"]) {
        assert!(
            matches!(read, Err(ReadError::RegionNotEnabled { .. })),
            "ap-east-1 {field}: {read:?}"
        );
    }
    let calls = recorder.calls();
    assert!(calls.iter().any(|c| c.region == "us-east-1"));
    assert!(calls.iter().all(|c| c.region != "ap-east-1"), "{calls:?}");
    assert!(
        snapshot.regions["us-east-1"]
            .guardduty_detectors
            .ok()
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_region_and_denied_region_list_are_clear_errors() {
    let aws = LocalAws::start();
    let err = collect::collect(&aws.options(&["us-eest-1"]), None)
        .await
        .expect_err("a typo in a region is an error");
    assert!(
        err.to_string().contains("unknown region `us-eest-1`"),
        "{err}"
    );

    aws.fault(Fault {
        service: "ec2",
        region: "*",
        operation: Some("DescribeRegions"),
        status: 403,
        code: "UnauthorizedOperation",
        message: "You are not authorized to perform this operation.",
    });
    let mut all = aws.options(&[]);
    all.regions = None;
    match collect::collect(&all, None).await {
        Err(CollectError::AccessDenied { action, .. }) => assert_eq!(action, "ec2:DescribeRegions"),
        other => panic!(
            "expected access denied, got {:?}",
            other.map(|s| s.regions.len())
        ),
    }
    // With explicit regions the scan goes on without the region list.
    let snapshot = aws.collect(&["us-east-1"]).await;
    assert_eq!(snapshot.region_names(), vec!["us-east-1"]);
    aws.clear_faults();
    let snapshot = collect::collect(&all, None)
        .await
        .expect("the region list is readable again");
    assert_eq!(snapshot.regions.len(), 17);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_region_in_scope_without_the_setup_fails_there_only() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &["us-east-1"]);
    let report = evaluate(&aws.collect(&SEEDED).await);
    let gd = item(&report, "guardduty-enabled");
    assert_eq!(gd.status, ItemStatus::Partial, "{:#?}", gd.findings);
    let failing: Vec<&str> = gd
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Fail)
        .map(|f| f.region.as_str())
        .collect();
    assert_eq!(failing, vec!["eu-west-1"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn identity_and_enabled_regions() {
    let aws = LocalAws::start();
    let opts = aws.options(&[]);
    let who = collect::resolve_identity(&opts).await.expect("identity");
    assert_eq!(who.account_id, ACCOUNT);
    assert!(who.arn.starts_with("arn:aws:"), "{}", who.arn);
    let regions = collect::enabled_regions(&opts).await.expect("regions");
    assert_eq!(regions.len(), 17, "{regions:?}");
    assert!(regions.contains(&"eu-west-1".to_string()));
    assert!(
        !regions.contains(&"ap-east-1".to_string()),
        "opt-in regions are not enabled"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_endpoint_is_a_network_error() {
    // A port nothing listens on: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let opts = collect::ScanOptions {
        regions: Some(vec!["us-east-1".to_string()]),
        endpoint: Some(collect::LocalEndpoint {
            url: format!("http://127.0.0.1:{port}"),
            region: "us-east-1".to_string(),
            access_key_id: "testing".to_string(),
            secret_access_key: "testing".to_string(),
        }),
        ..collect::ScanOptions::default()
    };
    match collect::collect(&opts, None).await {
        Err(e @ CollectError::Network { .. }) => {
            assert!(e.to_string().contains("could not reach AWS"), "{e}")
        }
        other => panic!("expected a network error, got {:?}", other.map(|_| ())),
    }
}

/// The binary, pointed at the server through the environment as a user would.
fn onwatch(aws: &LocalAws, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_onwatch"))
        .args(args)
        .env("AWS_ENDPOINT_URL", &aws.url)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/onwatch-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/onwatch-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .output()
        .expect("run onwatch")
}

#[test]
fn cli_scans_the_endpoint_from_the_environment_and_saves_the_snapshot() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("scan.json");
    let saved_arg = saved.to_str().expect("utf-8 path");
    let out = onwatch(
        &aws,
        &[
            "scan",
            "--region",
            "us-east-1",
            "--region",
            "eu-west-1",
            "--format",
            "json",
            "--save-snapshot",
            saved_arg,
            "--fail-under",
            "100",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let statuses: BTreeMap<String, String> = report["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap_or_default().to_string(),
                i["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    for id in automated_ids() {
        assert_eq!(statuses.get(&id).map(String::as_str), Some("pass"), "{id}");
    }
    let snapshot = AccountSnapshot::load(&saved).expect("the saved snapshot loads");
    assert_eq!(snapshot.region_names(), vec!["eu-west-1", "us-east-1"]);
    assert!(
        !stderr.contains("testing"),
        "no credential on stderr: {stderr}"
    );
    let text = std::fs::read_to_string(&saved).expect("saved");
    assert!(!text.contains("testing"), "no credential in the snapshot");
}

#[test]
fn cli_exit_codes_for_findings_and_for_errors() {
    let aws = LocalAws::start();
    aws.seed("neglected");
    let out = onwatch(
        &aws,
        &[
            "scan",
            "--region",
            "us-east-1",
            "--quiet",
            "--fail-under",
            "50",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "--quiet: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = onwatch(&aws, &["scan", "--region", "us-eest-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown region"));

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_onwatch"))
        .args(["scan", "--region", "us-east-1"])
        .env("AWS_ENDPOINT_URL", &aws.url)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/onwatch-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/onwatch-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        .env_remove("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        .env_remove("AWS_WEB_IDENTITY_TOKEN_FILE")
        .output()
        .expect("run onwatch");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no AWS credentials found"), "{stderr}");
}

#[test]
fn cli_ctrl_c_stops_the_scan_with_exit_code_2() {
    // An endpoint that accepts connections and never answers: the scan waits forever.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", silent.local_addr().expect("addr"));
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("never.json");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_onwatch"))
        .args(["scan", "--region", "us-east-1", "--save-snapshot"])
        .arg(&saved)
        .env("AWS_ENDPOINT_URL", &url)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/onwatch-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/onwatch-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run onwatch");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        child.try_wait().expect("poll").is_none(),
        "the scan is still waiting on the silent endpoint"
    );
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(kill.success());
    let started = std::time::Instant::now();
    let out = child.wait_with_output().expect("wait");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "stops promptly"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("stopped by Ctrl-C"), "{stderr}");
    assert!(out.stdout.is_empty(), "no report");
    assert!(!saved.exists(), "nothing saved");
    drop(silent);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_multi_region_trail_is_read_once_even_when_its_home_is_out_of_scope() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    // Home region us-east-1 out of scope: eu-west-1 sees the shadow and reads its status.
    let only_eu = aws.collect(&["eu-west-1"]).await;
    let trails = only_eu.regions["eu-west-1"].trails.ok().expect("trails");
    assert_eq!(trails.len(), 1);
    assert_eq!(trails[0].home_region, "us-east-1");
    assert_eq!(trails[0].is_logging, Read::Ok(true));
    assert_eq!(
        item(&evaluate(&only_eu), "cloudtrail-multi-region").status,
        ItemStatus::Pass
    );
    // Home in scope: listed once, in its home region.
    let both = aws.collect(&SEEDED).await;
    assert_eq!(both.regions["eu-west-1"].trails, Read::Ok(Vec::new()));
    assert_eq!(both.regions["us-east-1"].trails.ok().map(Vec::len), Some(1));
}
