//! Security rules against AWS's documented behaviour: ECR scanning filters and scan
//! types, CloudTrail across regions, GuardDuty severity patterns, ARN partitions.

use onwatch::report::{FindingStatus, ItemStatus};
use onwatch::snapshot::*;

use crate::fixtures::*;

const PASS: ItemStatus = ItemStatus::Pass;
const FAIL: ItemStatus = ItemStatus::Fail;

fn repo(name: &str, scan_on_push: bool) -> EcrRepository {
    EcrRepository {
        name: name.into(),
        arn: arn("ecr", &format!("repository/{name}")),
        scan_on_push,
    }
}

fn registry(scan_type: &str, rules: &[(&str, &str)]) -> Read<RegistryScanning> {
    Read::Ok(RegistryScanning {
        scan_type: scan_type.into(),
        rules: rules
            .iter()
            .map(|(frequency, filter)| RegistryScanRule {
                frequency: frequency.to_string(),
                filters: vec![filter.to_string()],
            })
            .collect(),
    })
}

fn ecr(repos: Vec<EcrRepository>, scanning: Read<RegistryScanning>) -> AccountSnapshot {
    account(|r, _| {
        set(&mut r.ecr_repositories, repos);
        r.ecr_registry_scanning = scanning;
    })
}

#[test]
fn an_ecr_filter_without_a_wildcard_matches_names_that_contain_it() {
    // ECR User Guide: "a filter with no wildcard will match all repository names that
    // contain the filter".
    let id = "ecr-scan-on-push";
    let snap = ecr(
        vec![repo("acme/prod-api", false)],
        registry("BASIC", &[("SCAN_ON_PUSH", "prod")]),
    );
    assert_eq!(status(&snap, id), PASS);
    let other = ecr(
        vec![repo("acme/staging-api", false)],
        registry("BASIC", &[("SCAN_ON_PUSH", "prod")]),
    );
    assert_eq!(status(&other, id), FAIL);
    // With a wildcard the filter is anchored: "prod*" does not match "acme/prod-api".
    let anchored = ecr(
        vec![repo("acme/prod-api", false)],
        registry("BASIC", &[("SCAN_ON_PUSH", "prod*")]),
    );
    assert_eq!(status(&anchored, id), FAIL);
}

#[test]
fn with_enhanced_scanning_only_registry_rules_decide() {
    let id = "ecr-scan-on-push";
    // Enhanced scanning turns scanning off for repositories no rule matches, whatever
    // the repository's own (deprecated) scanOnPush flag says.
    let unmatched = ecr(
        vec![repo("acme/api", true)],
        registry("ENHANCED", &[("CONTINUOUS_SCAN", "billing*")]),
    );
    let report = item(&unmatched, id);
    assert_eq!(report.status, FAIL, "{:#?}", report.findings);
    assert!(
        report.findings[0].evidence.contains("ENHANCED"),
        "{:#?}",
        report.findings
    );
    let no_rules = ecr(vec![repo("acme/api", true)], registry("ENHANCED", &[]));
    assert_eq!(status(&no_rules, id), FAIL);
    let continuous = ecr(
        vec![repo("acme/api", false)],
        registry("ENHANCED", &[("CONTINUOUS_SCAN", "*")]),
    );
    assert_eq!(status(&continuous, id), PASS);
    // Under basic scanning the repository flag still counts, and a CONTINUOUS_SCAN
    // rule (enhanced only) does not.
    let basic = ecr(vec![repo("acme/api", true)], registry("BASIC", &[]));
    assert_eq!(status(&basic, id), PASS);
    let basic_continuous = ecr(
        vec![repo("acme/api", false)],
        registry("BASIC", &[("CONTINUOUS_SCAN", "*")]),
    );
    assert_eq!(status(&basic_continuous, id), FAIL);
}

#[test]
fn an_unreadable_registry_configuration_leaves_even_a_flagged_repository_unchecked() {
    // Without the scan type, onwatch cannot know whether the repository flag is used.
    let snap = ecr(
        vec![repo("acme/api", true)],
        Read::Failed(denied("ecr:GetRegistryScanningConfiguration")),
    );
    assert_could_not_check(
        &snap,
        "ecr-scan-on-push",
        "ecr:GetRegistryScanningConfiguration",
    );
    let f = &item(&snap, "ecr-scan-on-push").findings[0];
    assert_eq!(f.status, FindingStatus::CouldNotCheck);
}

fn trail(name: &str, multi: bool, validation: bool, logging: Read<bool>) -> Trail {
    Trail {
        name: name.into(),
        arn: arn("cloudtrail", &format!("trail/{name}")),
        home_region: "us-east-1".into(),
        is_multi_region: multi,
        log_file_validation: validation,
        is_logging: logging,
        delivery_error: None,
        event_selectors: None,
    }
}

/// us-east-1 as `f` shapes it, plus eu-west-1 whose trails could not be read.
fn with_unreadable_second_region(f: impl FnOnce(&mut RegionSnapshot)) -> AccountSnapshot {
    let mut snap = account(|r, _| f(r));
    let mut eu = region();
    eu.trails = Read::Failed(denied("cloudtrail:DescribeTrails"));
    snap.regions.insert("eu-west-1".into(), eu);
    snap
}

#[test]
fn cloudtrail_is_decided_by_a_good_trail_anywhere_or_by_every_region_read() {
    let id = "cloudtrail-multi-region";
    // A multi-region trail is read only in its home region (when in scope): us-east-1
    // only lists its shadow, and eu-west-1, its home, could not be read.
    let shadow_of_eu = |r: &mut RegionSnapshot| {
        r.trail_shadows = Some(vec![TrailShadow {
            arn: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/main".into(),
            home_region: "eu-west-1".into(),
        }])
    };
    let none = with_unreadable_second_region(shadow_of_eu);
    assert_could_not_check(&none, id, "cloudtrail:DescribeTrails");
    let report = item(&none, id);
    let evidence = &report.findings[0].evidence;
    assert!(
        evidence.contains("us-east-1") && evidence.contains("eu-west-1"),
        "the evidence says what was read and what was not: {evidence}"
    );
    let single = with_unreadable_second_region(|r| {
        shadow_of_eu(r);
        set(
            &mut r.trails,
            vec![trail("local", false, true, Read::Ok(true))],
        )
    });
    assert_could_not_check(&single, id, "cloudtrail:DescribeTrails");
    // us-east-1 lists no multi-region trail at all, so eu-west-1 holds none: fail.
    let single_only = with_unreadable_second_region(|r| {
        set(
            &mut r.trails,
            vec![trail("local", false, true, Read::Ok(true))],
        )
    });
    assert_eq!(status(&single_only, id), FAIL);
    // Every region read and no good trail: fail. A region where CloudTrail is not
    // offered holds no trail and does not stop the item from failing.
    let mut all_read = one_region(|r| {
        set(
            &mut r.trails,
            vec![trail("local", false, true, Read::Ok(true))],
        )
    });
    let mut absent = region();
    absent.trails = Read::Failed(not_offered());
    all_read.regions.insert("eu-west-1".into(), absent);
    assert_eq!(status(&all_read, id), FAIL);
    // A good trail seen anywhere passes.
    let good = with_unreadable_second_region(|r| {
        set(
            &mut r.trails,
            vec![trail("main", true, true, Read::Ok(true))],
        )
    });
    assert_eq!(status(&good, id), PASS);
    // Nothing read anywhere: could not check.
    let mut nothing = with_unreadable_second_region(|_| {});
    if let Some(r) = nothing.regions.get_mut("us-east-1") {
        r.trails = Read::Failed(denied("cloudtrail:DescribeTrails"));
    }
    assert_could_not_check(&nothing, id, "cloudtrail:DescribeTrails");
    // The only trail that could pass has an unreadable status: could not check.
    let status_unknown = one_region(|r| {
        set(
            &mut r.trails,
            vec![
                trail(
                    "main",
                    true,
                    true,
                    Read::Failed(denied("cloudtrail:GetTrailStatus")),
                ),
                trail("local", false, false, Read::Ok(true)),
            ],
        )
    });
    assert_could_not_check(&status_unknown, id, "cloudtrail:GetTrailStatus");
    // An unreadable status on a trail that fails anyway does not hide the failure.
    let failing_anyway = one_region(|r| {
        set(
            &mut r.trails,
            vec![trail(
                "local",
                false,
                true,
                Read::Failed(denied("cloudtrail:GetTrailStatus")),
            )],
        )
    });
    assert_eq!(status(&failing_anyway, id), FAIL);
}

#[test]
fn a_trail_whose_home_region_could_not_be_read_is_not_reported_missing() {
    // The collector reads the multi-region trail in its home region, us-east-1; in
    // eu-west-1 it only notes the shadow. With us-east-1 denied, the trail is unknown.
    let mut snap = one_region(|r| r.trails = Read::Failed(denied("cloudtrail:DescribeTrails")));
    let mut eu = region();
    eu.trail_shadows = Some(vec![TrailShadow {
        arn: arn("cloudtrail", "trail/org-trail"),
        home_region: "us-east-1".into(),
    }]);
    snap.regions.insert("eu-west-1".into(), eu);
    assert_could_not_check(
        &snap,
        "cloudtrail-multi-region",
        "cloudtrail:DescribeTrails",
    );
    let report = item(&snap, "cloudtrail-multi-region");
    assert_eq!(
        report.findings[0].region, "us-east-1",
        "{:#?}",
        report.findings
    );
}

/// Every region lists every multi-region trail: when the regions read list none, a
/// region that could not be read hides none, and no trail is a failure. A snapshot
/// from a build that did not record the listing stays could-not-check.
#[test]
fn regions_that_list_no_multi_region_trail_decide_despite_a_failed_region() {
    let mut snap = one_region(|r| r.trails = Read::Failed(denied("cloudtrail:DescribeTrails")));
    snap.regions.insert("eu-west-1".into(), region());
    assert_eq!(status(&snap, "cloudtrail-multi-region"), ItemStatus::Fail);
    if let Some(eu) = snap.regions.get_mut("eu-west-1") {
        eu.trail_shadows = None;
    }
    assert_could_not_check(
        &snap,
        "cloudtrail-multi-region",
        "cloudtrail:DescribeTrails",
    );
}

/// A region that is not enabled holds no trail (a trail whose home is out of scope is
/// read in the first region scanned), so it cannot turn "no trail" into "unknown".
#[test]
fn a_region_that_is_not_enabled_does_not_hide_a_missing_trail() {
    let mut snap = one_region(|_| {});
    let mut disabled = region();
    disabled.trails = Read::Failed(ReadError::RegionNotEnabled {
        message: "ap-east-1 is not enabled".into(),
    });
    snap.regions.insert("ap-east-1".into(), disabled);
    assert_eq!(status(&snap, "cloudtrail-multi-region"), ItemStatus::Fail);
}

fn one_region(f: impl FnOnce(&mut RegionSnapshot)) -> AccountSnapshot {
    account(|r, _| f(r))
}

fn guardduty_rule(pattern: &str, topic: &str) -> EventRule {
    EventRule {
        name: "guardduty-high".into(),
        arn: arn("events", "rule/guardduty-high"),
        event_bus: "default".into(),
        state: "ENABLED".into(),
        event_pattern: Some(pattern.into()),
        targets: vec![EventTarget {
            id: "t".into(),
            arn: topic.into(),
        }],
    }
}

fn routed_pattern(pattern: &str) -> ItemStatus {
    let snap = one_region(|r| {
        let t = add_topic(r, "security", true);
        set(&mut r.event_rules, vec![guardduty_rule(pattern, &t)]);
    });
    status(&snap, "guardduty-findings-routed")
}

#[test]
fn guardduty_severity_filters_must_cover_high_and_critical() {
    let p = |severity: &str| {
        format!(
            r#"{{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{{"severity":{severity}}}}}"#
        )
    };
    assert_eq!(routed_pattern(&p(r#"[{"numeric":[">=",7]}]"#)), PASS);
    assert_eq!(
        routed_pattern(&p(r#"[{"numeric":[">=",7,"<=",10]}]"#)),
        PASS
    );
    assert_eq!(
        routed_pattern(&p(r#"[{"numeric":[">=",7,"<",9]}]"#)),
        FAIL,
        "critical findings (9.0 to 10.0) are left out"
    );
    assert_eq!(
        routed_pattern(&p(r#"[{"numeric":[">=",4,"<=",8]}]"#)),
        FAIL,
        "8.1 to 10 are left out"
    );
    assert_eq!(
        routed_pattern(&p("[7, 8, 9, 10]")),
        FAIL,
        "exact values miss 7.5"
    );
    let every_tenth: Vec<String> = (70..=100).map(|t| format!("{}", t as f64 / 10.0)).collect();
    assert_eq!(
        routed_pattern(&p(&format!("[{}]", every_tenth.join(",")))),
        PASS
    );
    let snap = one_region(|r| {
        let t = add_topic(r, "security", true);
        set(
            &mut r.event_rules,
            vec![guardduty_rule(&p(r#"[{"numeric":[">=",7,"<",9]}]"#), &t)],
        );
    });
    let report = item(&snap, "guardduty-findings-routed");
    assert!(
        report.findings[0].evidence.contains("not severity 9.0"),
        "the evidence names the first severity left out: {:#?}",
        report.findings
    );
}

#[test]
fn a_guardduty_rule_narrowed_by_another_filter_does_not_route_every_finding() {
    // Only SSH brute force findings reach the topic: every other high finding reaches nobody.
    let by_type = r#"{"source":["aws.guardduty"],"detail":{"type":["UnauthorizedAccess:EC2/SSHBruteForce"]}}"#;
    assert_eq!(routed_pattern(by_type), FAIL);
    let snap = one_region(|r| {
        let t = add_topic(r, "security", true);
        set(&mut r.event_rules, vec![guardduty_rule(by_type, &t)]);
    });
    let report = item(&snap, "guardduty-findings-routed");
    assert!(
        report.findings[0]
            .evidence
            .contains("narrowed by detail.type"),
        "the evidence names the narrowing key: {:#?}",
        report.findings
    );
    let by_resource_type = r#"{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",7]}],"resource":{"resourceType":["Instance"]}}}"#;
    assert_eq!(
        routed_pattern(by_resource_type),
        FAIL,
        "findings about S3 buckets or IAM keys are left out"
    );
    let by_account = r#"{"source":["aws.guardduty"],"account":["111122223333"],"detail":{"severity":[{"numeric":[">=",7]}]}}"#;
    assert_eq!(routed_pattern(by_account), FAIL);
    let by_region = r#"{"source":["aws.guardduty"],"region":["eu-west-1"],"detail":{"severity":[{"numeric":[">=",7]}]}}"#;
    assert_eq!(routed_pattern(by_region), FAIL);
    let high = r#"{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",7]}]}}"#;
    assert_eq!(
        routed_pattern(high),
        PASS,
        "the same rule without the narrowing"
    );
}

#[test]
fn an_unreadable_guardduty_route_is_not_a_failure_when_the_other_rules_reach_nobody() {
    let id = "guardduty-findings-routed";
    let high = r#"{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",7]}]}}"#;
    let named = |name: &str, topic: &str| EventRule {
        name: name.into(),
        arn: arn("events", &format!("rule/{name}")),
        ..guardduty_rule(high, topic)
    };
    let snap = one_region(|r| {
        let security = add_topic(r, "security", true);
        // One rule sends to a topic that was deleted (reaches nobody); the other to a
        // topic whose subscriptions could not be read (it may well reach a person).
        set(
            &mut r.event_rules,
            vec![
                named("guardduty-old", &topic_arn("deleted")),
                named("guardduty-high", &security),
            ],
        );
        r.sns_subscriptions = Read::Failed(denied("sns:ListSubscriptions"));
    });
    assert_could_not_check(&snap, id, "sns:ListSubscriptions");
    let report = item(&snap, id);
    assert_eq!(
        report.findings[0].resource,
        arn("events", "rule/guardduty-high"),
        "the finding names the rule whose route could not be read: {:#?}",
        report.findings
    );
    // Once the subscriptions are read, the same rules decide.
    let readable = one_region(|r| {
        let security = add_topic(r, "security", true);
        set(
            &mut r.event_rules,
            vec![
                named("guardduty-old", &topic_arn("deleted")),
                named("guardduty-high", &security),
            ],
        );
    });
    assert_eq!(status(&readable, id), PASS);
    let pending = one_region(|r| {
        let security = add_topic(r, "security", false);
        set(
            &mut r.event_rules,
            vec![
                named("guardduty-old", &topic_arn("deleted")),
                named("guardduty-high", &security),
            ],
        );
    });
    assert_eq!(status(&pending, id), FAIL);
}

#[test]
fn arns_follow_the_accounts_partition() {
    // AWS GovCloud and China use their own partitions: "arn:aws-us-gov:...".
    let gov = |s: &str| s.replacen("arn:aws:", "arn:aws-us-gov:", 1);
    let mut snap = one_region(|r| {
        let topic = gov(&add_topic(r, "security", true));
        if let Read::Ok(t) = &mut r.sns_topics {
            t[0].arn = topic.clone();
            t[0].access = open_access(&topic);
        }
        if let Read::Ok(s) = &mut r.sns_subscriptions {
            s[0].topic_arn = topic.clone();
        }
        set(
            &mut r.event_rules,
            vec![guardduty_rule(r#"{"source":["aws.guardduty"]}"#, &topic)],
        );
        set(
            &mut r.guardduty_detectors,
            vec![GuardDutyDetector {
                id: "d1".into(),
                status: "ENABLED".into(),
                finding_publishing_frequency: None,
                filters: None,
            }],
        );
    });
    snap.account.partition = "aws-us-gov".into();
    assert_eq!(status(&snap, "guardduty-findings-routed"), PASS);
    let detector = item(&snap, "guardduty-enabled");
    assert!(
        detector.findings[0]
            .resource
            .starts_with("arn:aws-us-gov:guardduty:"),
        "{:#?}",
        detector.findings
    );
    let topics = item(&snap, "sns-confirmed-subscriptions");
    assert_eq!(
        topics.status, PASS,
        "a GovCloud topic is still a topic: {:#?}",
        topics.findings
    );
}
