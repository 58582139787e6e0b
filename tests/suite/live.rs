//! The live scan against the local AWS endpoint (scripts/local-aws): the real SDK code,
//! the real collectors, then evaluation. Each test starts its own server.

mod budget;
mod cli;
mod drill;
mod errors;
mod fix;
mod fix_alarms;
mod fix_budget;
mod fix_canary;
mod fix_config;
mod fix_rds;
mod fix_routes;
mod paging;
pub(crate) mod permissions;
mod scenarios;
mod tags;
mod verdicts;

use std::collections::BTreeSet;

use onwatch::answers::Answers;
use onwatch::checklist::{self, Checklist};
use onwatch::collect::{self, CallRecorder, ProgressEvent};
use onwatch::report::{FindingStatus, ItemReport, ItemStatus, Report};
use onwatch::snapshot::{AccountSnapshot, Read, ReadError, RegionSnapshot};

use crate::local_aws::{ACCOUNT, LocalAws, SEEDED};

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

/// The items AWS alone decides. alert-path-tested also needs a person's drill answer
/// (tests/suite/live/drill.rs and the errors test cover it).
fn automated_ids() -> Vec<String> {
    builtin()
        .items
        .iter()
        .filter(|i| !i.is_practice() && i.id != "alert-path-tested")
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
    ("tagging", "AccessDeniedException"),
    ("kms", "AccessDeniedException"),
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
        if id == "error-tracking" {
            // No tracker key in any task definition is not proof there is no tracker
            // (it may be configured in code): the user is asked, as DOMAIN.md says.
            assert_eq!(it.status, ItemStatus::NotAnswered, "{:#?}", it.findings);
            assert_eq!(it.count(FindingStatus::Pass), 0, "{:#?}", it.findings);
            continue;
        }
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
    // A duplicate is the same request from two operation calls (or one resource read
    // from two regions); the SDK's retries of one call are not duplicates.
    assert_eq!(calls["duplicates"], serde_json::json!([]), "{calls}");
    let invocations = calls["invocations"].as_u64().expect("invocations");
    assert_eq!(
        invocations as usize,
        recorder.calls().len(),
        "the recorder sees every operation call: {calls}"
    );
    assert!(calls["total"].as_u64() >= Some(invocations));
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
    let Some(ProgressEvent::Started { total, planned }) = events.first().cloned() else {
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
    let planned: BTreeSet<(String, String)> = planned.into_iter().collect();
    assert_eq!(planned, pairs, "what Started announced is what finished");
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
    // ... and noted as a shadow where it is only listed.
    let shadows = both.regions["eu-west-1"]
        .trail_shadows
        .clone()
        .expect("shadows recorded");
    assert_eq!(shadows.len(), 1, "{shadows:?}");
    assert_eq!(shadows[0].home_region, "us-east-1");
    assert_eq!(
        both.regions["us-east-1"].trail_shadows,
        Some(Vec::new()),
        "a trail read in full is not a shadow"
    );
    // Home out of scope and two regions see the shadow: read in the first one only,
    // its status asked once.
    aws.clear_calls();
    let two = aws.collect(&["us-west-2", "eu-west-1"]).await;
    assert_eq!(two.regions["eu-west-1"].trails.ok().map(Vec::len), Some(1));
    assert_eq!(two.regions["us-west-2"].trails, Read::Ok(Vec::new()));
    let calls = aws.calls();
    assert_eq!(calls["calls"]["cloudtrail"]["GetTrailStatus"], 1, "{calls}");
    assert_eq!(calls["duplicates"], serde_json::json!([]), "{calls}");
}

/// A home region the user picked is where STS and EC2 are asked, even when the SDK's
/// own config (profile or environment) names another region.
#[tokio::test(flavor = "multi_thread")]
async fn a_chosen_home_region_is_asked_instead_of_the_profiles() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    aws.clear_calls();
    let mut opts = aws.options(&[]);
    opts.regions = None;
    opts.home_region = Some("eu-west-1".to_string());
    let regions = collect::enabled_regions(&opts).await.expect("regions");
    assert!(regions.contains(&"us-east-1".to_string()), "{regions:?}");
    collect::resolve_identity(&opts).await.expect("identity");
    let calls = aws.calls();
    let n = |region: &str, service: &str, op: &str| {
        calls["regions"][region][service][op].as_u64().unwrap_or(0)
    };
    assert_eq!(n("eu-west-1", "ec2", "DescribeRegions"), 1, "{calls}");
    assert_eq!(n("eu-west-1", "sts", "GetCallerIdentity"), 1, "{calls}");
    assert_eq!(n("us-east-1", "ec2", "DescribeRegions"), 0, "{calls}");
    assert_eq!(n("us-east-1", "sts", "GetCallerIdentity"), 0, "{calls}");
}

/// With the trails of one region denied, the listing of the others decides: a
/// multi-region trail homed in the denied region is could-not-check; an account whose
/// regions list no multi-region trail fails.
#[tokio::test(flavor = "multi_thread")]
async fn a_denied_trail_home_is_unknown_but_no_multi_region_trail_anywhere_fails() {
    let deny_us_east = |aws: &LocalAws| {
        aws.fault(crate::local_aws::Fault {
            service: "cloudtrail",
            region: "us-east-1",
            paged: false,
            operation: None,
            status: 400,
            code: "AccessDeniedException",
            message: "not authorized",
        })
    };
    let aws = LocalAws::start();
    aws.seed("healthy"); // a multi-region trail homed in us-east-1
    deny_us_east(&aws);
    let snapshot = aws.collect(&SEEDED).await;
    let it = evaluate(&snapshot);
    let trail = item(&it, "cloudtrail-multi-region");
    assert_eq!(
        trail.status,
        ItemStatus::CouldNotCheck,
        "{:#?}",
        trail.findings
    );
    assert_eq!(trail.findings[0].region, "us-east-1");

    aws.clear_faults();
    aws.reset();
    aws.seed("neglected"); // one single-region trail, in us-east-1
    deny_us_east(&aws);
    let snapshot = aws.collect(&SEEDED).await;
    let it = evaluate(&snapshot);
    let trail = item(&it, "cloudtrail-multi-region");
    assert_eq!(trail.status, ItemStatus::Fail, "{:#?}", trail.findings);
}
