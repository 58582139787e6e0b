//! The security items: GuardDuty, CloudTrail, AWS Config, ECR.

use onwatch::report::ItemStatus;
use onwatch::snapshot::*;

use super::{FAIL, NA, PASS};
use crate::fixtures::*;

#[test]
fn guardduty_enabled() {
    let id = "guardduty-enabled";
    let on = account(|r, _| {
        set(
            &mut r.guardduty_detectors,
            vec![GuardDutyDetector {
                id: "d1".into(),
                status: "ENABLED".into(),
                finding_publishing_frequency: None,
                filters: None,
            }],
        )
    });
    assert_eq!(status(&on, id), PASS);
    assert_eq!(status(&account(|_, _| {}), id), FAIL, "no detector");
    let suspended = account(|r, _| {
        set(
            &mut r.guardduty_detectors,
            vec![GuardDutyDetector {
                id: "d1".into(),
                status: "DISABLED".into(),
                finding_publishing_frequency: None,
                filters: None,
            }],
        )
    });
    assert_eq!(status(&suspended, id), FAIL, "a disabled detector");
    let denied_snap =
        account(|r, _| r.guardduty_detectors = Read::Failed(denied("guardduty:ListDetectors")));
    assert_could_not_check(&denied_snap, id, "guardduty:ListDetectors");
    let absent = account(|r, _| r.guardduty_detectors = Read::Failed(not_offered()));
    assert_eq!(status(&absent, id), NA);
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

const HIGH: &str = r#"{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",7]}]}}"#;

#[test]
fn guardduty_findings_routed() {
    let id = "guardduty-findings-routed";
    let routed = account(|r, _| {
        let t = add_topic(r, "security", true);
        set(&mut r.event_rules, vec![guardduty_rule(HIGH, &t)]);
    });
    assert_eq!(status(&routed, id), PASS);
    let pending = account(|r, _| {
        let t = add_topic(r, "security", false);
        set(&mut r.event_rules, vec![guardduty_rule(HIGH, &t)]);
    });
    assert_eq!(
        status(&pending, id),
        FAIL,
        "a pending subscription reaches nobody"
    );
    let only_critical = account(|r, _| {
        let t = add_topic(r, "security", true);
        let p = r#"{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",9]}]}}"#;
        set(&mut r.event_rules, vec![guardduty_rule(p, &t)]);
    });
    assert_eq!(
        status(&only_critical, id),
        FAIL,
        "severity 7-8.9 is not covered"
    );
    assert_eq!(status(&account(|_, _| {}), id), FAIL, "no rule");
    let rules_denied = account(|r, _| r.event_rules = Read::Failed(denied("events:ListRules")));
    assert_could_not_check(&rules_denied, id, "events:ListRules");
    let subs_denied = account(|r, _| {
        let t = add_topic(r, "security", true);
        set(&mut r.event_rules, vec![guardduty_rule(HIGH, &t)]);
        r.sns_subscriptions = Read::Failed(denied("sns:ListSubscriptions"));
    });
    assert_could_not_check(&subs_denied, id, "sns:ListSubscriptions");
    let absent = account(|r, _| r.event_rules = Read::Failed(not_offered()));
    assert_eq!(status(&absent, id), NA);
}

fn trail(multi: bool, validation: bool, logging: Read<bool>) -> Trail {
    Trail {
        name: "main".into(),
        arn: arn("cloudtrail", "trail/main"),
        home_region: "us-east-1".into(),
        is_multi_region: multi,
        log_file_validation: validation,
        is_logging: logging,
        delivery_error: None,
        event_selectors: None,
    }
}

#[test]
fn cloudtrail_multi_region() {
    let id = "cloudtrail-multi-region";
    let good = account(|r, _| set(&mut r.trails, vec![trail(true, true, Read::Ok(true))]));
    assert_eq!(status(&good, id), PASS);
    let single = account(|r, _| set(&mut r.trails, vec![trail(false, true, Read::Ok(true))]));
    assert_eq!(status(&single, id), FAIL, "single-region trail");
    let stopped = account(|r, _| set(&mut r.trails, vec![trail(true, true, Read::Ok(false))]));
    assert_eq!(status(&stopped, id), FAIL, "trail not logging");
    assert_eq!(status(&account(|_, _| {}), id), FAIL, "no trail");
    let status_denied = account(|r, _| {
        set(
            &mut r.trails,
            vec![trail(
                true,
                true,
                Read::Failed(denied("cloudtrail:GetTrailStatus")),
            )],
        )
    });
    assert_could_not_check(&status_denied, id, "cloudtrail:GetTrailStatus");
    let absent = account(|r, _| r.trails = Read::Failed(not_offered()));
    assert_eq!(status(&absent, id), NA);
}

#[test]
fn config_recording() {
    let id = "config-recording";
    let recorder = |recording: bool, last: &str| ConfigRecorder {
        name: "default".into(),
        recording,
        last_status: Some(last.into()),
        all_supported: true,
        strategy: None,
        resource_types: vec![],
        excluded_types: vec![],
        frequency: None,
    };
    let channel = ConfigDeliveryChannel {
        name: "default".into(),
        s3_bucket: Some("config-bucket".into()),
    };
    let good = account(|r, _| {
        set(&mut r.config_recorders, vec![recorder(true, "SUCCESS")]);
        set(&mut r.config_delivery_channels, vec![channel.clone()]);
    });
    assert_eq!(status(&good, id), PASS);
    // A status newer than this build's SDK enum ("PENDING") is data, not a failure.
    let pending = account(|r, _| {
        set(&mut r.config_recorders, vec![recorder(true, "PENDING")]);
        set(&mut r.config_delivery_channels, vec![channel.clone()]);
    });
    assert_eq!(status(&pending, id), PASS);
    let stopped = account(|r, _| {
        set(&mut r.config_recorders, vec![recorder(false, "SUCCESS")]);
        set(&mut r.config_delivery_channels, vec![channel.clone()]);
    });
    assert_eq!(status(&stopped, id), FAIL);
    let no_channel = account(|r, _| set(&mut r.config_recorders, vec![recorder(true, "SUCCESS")]));
    assert_eq!(status(&no_channel, id), FAIL);
    assert_eq!(status(&account(|_, _| {}), id), FAIL, "no recorder");
    let denied_snap = account(|r, _| {
        r.config_recorders = Read::Failed(denied("config:DescribeConfigurationRecorders"))
    });
    assert_could_not_check(&denied_snap, id, "config:DescribeConfigurationRecorders");
    let absent = account(|r, _| r.config_recorders = Read::Failed(not_offered()));
    assert_eq!(status(&absent, id), NA);
}

#[test]
fn ecr_scan_on_push() {
    let id = "ecr-scan-on-push";
    let repo = |name: &str, scan: bool| EcrRepository {
        name: name.into(),
        arn: arn("ecr", &format!("repository/{name}")),
        scan_on_push: scan,
    };
    let good = account(|r, _| set(&mut r.ecr_repositories, vec![repo("api", true)]));
    assert_eq!(status(&good, id), PASS);
    let by_registry = account(|r, _| {
        set(&mut r.ecr_repositories, vec![repo("prod-api", false)]);
        r.ecr_registry_scanning = Read::Ok(RegistryScanning {
            scan_type: "ENHANCED".into(),
            rules: vec![RegistryScanRule {
                frequency: "SCAN_ON_PUSH".into(),
                filters: vec!["prod-*".into()],
            }],
        });
    });
    assert_eq!(
        status(&by_registry, id),
        PASS,
        "a registry rule matching the name counts"
    );
    let mixed = account(|r, _| {
        set(
            &mut r.ecr_repositories,
            vec![repo("api", true), repo("worker", false)],
        )
    });
    assert_eq!(status(&mixed, id), ItemStatus::Partial);
    let bad = account(|r, _| set(&mut r.ecr_repositories, vec![repo("worker", false)]));
    assert_eq!(status(&bad, id), FAIL);
    let denied_snap =
        account(|r, _| r.ecr_repositories = Read::Failed(denied("ecr:DescribeRepositories")));
    assert_could_not_check(&denied_snap, id, "ecr:DescribeRepositories");
    let registry_denied = account(|r, _| {
        set(&mut r.ecr_repositories, vec![repo("worker", false)]);
        r.ecr_registry_scanning = Read::Failed(denied("ecr:GetRegistryScanningConfiguration"));
    });
    assert_could_not_check(&registry_denied, id, "ecr:GetRegistryScanningConfiguration");
    assert_eq!(status(&account(|_, _| {}), id), NA, "no repositories");
}
