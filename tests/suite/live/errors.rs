//! Failed reads are data: access denied, service errors, throttling, rejected
//! credentials, unreachable endpoints, an account without budgets.

use std::collections::BTreeSet;

use onwatch::collect::{self, CollectError};
use onwatch::report::{FindingStatus, ItemStatus};
use onwatch::snapshot::{Read, ReadError};

use super::{DENIED, automated_ids, evaluate, item, policy_actions, reads};
use crate::local_aws::{Fault, LocalAws, SEEDED, sdk_config_for};

#[tokio::test(flavor = "multi_thread")]
async fn access_denied_on_one_service_is_could_not_check_naming_the_action() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    aws.fault(Fault {
        service: "guardduty",
        region: "*",
        paged: false,
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
async fn every_service_denied_leaves_nothing_passing() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    for (service, code) in DENIED {
        aws.fault(Fault {
            service,
            region: "*",
            paged: false,
            operation: None,
            status: 403,
            code,
            message: "not authorized",
        });
    }
    // The alias only names the account: denied, the report shows the id alone.
    aws_sdk_iam::Client::new(&aws.sdk)
        .create_account_alias()
        .account_alias("healthy-co")
        .send()
        .await
        .expect("CreateAccountAlias");
    aws.fault(Fault {
        service: "iam",
        region: "*",
        paged: false,
        operation: None,
        status: 403,
        code: "AccessDenied",
        message: "not authorized",
    });
    let snapshot = aws.collect(&SEEDED).await;
    assert_eq!(snapshot.account.alias, None);
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
    let mut ids = automated_ids();
    ids.push("alert-path-tested".into());
    for id in ids {
        let it = item(&report, &id);
        assert_eq!(it.count(FindingStatus::Pass), 0, "{id}: {:#?}", it.findings);
        assert_eq!(it.count(FindingStatus::Fail), 0, "{id}: {:#?}", it.findings);
        assert_eq!(it.status, ItemStatus::CouldNotCheck, "{id}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_service_error_in_one_region_is_recorded_with_its_code() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    aws.fault(Fault {
        service: "rds",
        region: "us-east-1",
        paged: false,
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
        paged: false,
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
async fn a_region_that_rejects_the_credentials_does_not_lose_the_others() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    for (service, _) in DENIED {
        aws.fault(Fault {
            service,
            region: "eu-west-1",
            paged: false,
            operation: None,
            status: 403,
            code: "UnrecognizedClientException",
            message: "The security token included in the request is invalid.",
        });
    }
    let snapshot = aws.collect(&SEEDED).await;
    // eu-west-1 is enabled for every account: the credentials were rejected there, the
    // region is not "not enabled".
    for (field, read) in reads(&snapshot.regions["eu-west-1"]) {
        assert!(
            matches!(
                read,
                Err(ReadError::Other { code, message, .. })
                    if code == "UnrecognizedClientException"
                        && message.contains("rejected the scan's credentials in eu-west-1")
            ),
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
async fn an_opt_in_region_that_rejects_the_credentials_is_not_enabled() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    // Without the region list, whether ap-east-1 is enabled is unknown; it is opt-in.
    aws.fault(Fault {
        service: "ec2",
        region: "*",
        paged: false,
        operation: Some("DescribeRegions"),
        status: 403,
        code: "UnauthorizedOperation",
        message: "You are not authorized to perform this operation.",
    });
    for (service, _) in DENIED {
        aws.fault(Fault {
            service,
            region: "ap-east-1",
            paged: false,
            operation: None,
            status: 403,
            code: "UnrecognizedClientException",
            message: "The security token included in the request is invalid.",
        });
    }
    let snapshot = aws.collect(&["us-east-1", "ap-east-1"]).await;
    for (field, read) in reads(&snapshot.regions["ap-east-1"]) {
        assert!(
            matches!(read, Err(ReadError::RegionNotEnabled { message }) if message.contains("opt-in")),
            "ap-east-1 {field}: {read:?}"
        );
    }
    assert!(
        snapshot.regions["us-east-1"]
            .guardduty_detectors
            .ok()
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_is_retried_as_configured_then_recorded() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    aws.fault(Fault {
        service: "logs",
        region: "eu-west-1",
        paged: false,
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
    let attempts = |region: &str| calls["regions"][region]["logs"]["DescribeLogGroups"].as_u64();
    // Every attempt the retry policy allows, then recorded; one call where AWS answered.
    assert_eq!(attempts("eu-west-1"), Some(aws.max_attempts()), "{calls}");
    assert_eq!(attempts("us-east-1"), Some(1), "{calls}");
    assert_eq!(
        calls["duplicates"],
        serde_json::json!([]),
        "a retry is not a duplicate"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_throttle_that_a_retry_gets_past_does_not_fail_the_read() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    // CloudWatch throttles the first two DescribeAlarms in eu-west-1, then answers.
    aws.post(
        "/_onwatch/fault",
        &serde_json::json!({
            "service": "monitoring", "region": "eu-west-1", "operation": "DescribeAlarms",
            "times": 2, "status": 400, "code": "Throttling", "message": "Rate exceeded",
        }),
    );
    let snapshot = aws.collect(&SEEDED).await;
    for region in SEEDED {
        assert!(
            snapshot.regions[region].alarms.ok().is_some(),
            "{region}: {:?}",
            snapshot.regions[region].alarms
        );
    }
    let calls = aws.calls();
    let n = |region: &str| calls["regions"][region]["monitoring"]["DescribeAlarms"].as_u64();
    assert_eq!(
        n("eu-west-1"),
        Some(3),
        "two throttled, one answered: {calls}"
    );
    assert_eq!(n("us-east-1"), Some(1), "{calls}");
    assert_eq!(
        item(&evaluate(&snapshot), "alarm-actions").status,
        ItemStatus::Pass
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_without_budgets_fails_the_budget_item() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    // What DescribeBudgets documents for an account with nothing to list.
    aws.fault(Fault {
        service: "budgets",
        region: "*",
        paged: false,
        operation: Some("DescribeBudgets"),
        status: 400,
        code: "NotFoundException",
        message: "Unable to get budgets for account: 123456789012 - the budget doesn't exist.",
    });
    let snapshot = aws.collect(&["us-east-1"]).await;
    assert_eq!(snapshot.global.budgets, Read::Ok(Vec::new()));
    let report = evaluate(&snapshot);
    let it = item(&report, "budget-notification");
    assert_eq!(it.status, ItemStatus::Fail, "{:#?}", it.findings);
    // Any other error still could not check.
    aws.clear_faults();
    aws.fault(Fault {
        service: "budgets",
        region: "*",
        paged: false,
        operation: Some("DescribeBudgets"),
        status: 400,
        code: "InternalErrorException",
        message: "boom",
    });
    let snapshot = aws.collect(&["us-east-1"]).await;
    assert!(matches!(
        snapshot.global.budgets,
        Read::Failed(ReadError::Other { .. })
    ));
    let report = evaluate(&snapshot);
    let it = item(&report, "budget-notification");
    assert_eq!(it.status, ItemStatus::CouldNotCheck, "{:#?}", it.findings);
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
        sdk_config: Some(sdk_config_for(&format!("http://127.0.0.1:{port}"))),
        ..collect::ScanOptions::default()
    };
    match collect::collect(&opts, None).await {
        Err(e @ CollectError::Network { .. }) => {
            assert!(e.to_string().contains("could not reach AWS"), "{e}")
        }
        other => panic!("expected a network error, got {:?}", other.map(|_| ())),
    }
}
