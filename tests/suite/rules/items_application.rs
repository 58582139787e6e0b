//! The external and application items: canaries, load balancers, container logs,
//! log retention, error tracking.

use onwatch::report::{FindingStatus, ItemStatus};
use onwatch::snapshot::*;

use super::{FAIL, NA, PASS, routed};
use crate::fixtures::*;

#[test]
fn synthetics_canary() {
    let id = "synthetics-canary";
    let canary = |state: &str| Canary {
        name: "homepage".into(),
        state: state.into(),
        schedule: Some("rate(5 minutes)".into()),
    };
    let good = account(|r, _| {
        let t = routed(r);
        add_alarm(
            r,
            alarm(
                "canary",
                "CloudWatchSynthetics",
                "SuccessPercent",
                &[("CanaryName", "homepage")],
                &t,
            ),
        );
        set(
            &mut r.load_balancers,
            vec![load_balancer("web", "application", "internet-facing")],
        );
        set(&mut r.canaries, vec![canary("RUNNING")]);
    });
    assert_eq!(status(&good, id), PASS);
    let unprobed = account(|r, _| {
        set(
            &mut r.load_balancers,
            vec![load_balancer("web", "application", "internet-facing")],
        )
    });
    assert_eq!(
        status(&unprobed, id),
        FAIL,
        "public endpoint without a canary"
    );
    let stopped = account(|r, _| {
        set(
            &mut r.load_balancers,
            vec![load_balancer("web", "application", "internet-facing")],
        );
        set(&mut r.canaries, vec![canary("STOPPED")]);
    });
    assert_eq!(
        status(&stopped, id),
        FAIL,
        "a stopped canary probes nothing"
    );
    let denied_snap = account(|r, _| {
        set(
            &mut r.load_balancers,
            vec![load_balancer("web", "application", "internet-facing")],
        );
        r.canaries = Read::Failed(denied("synthetics:DescribeCanaries"));
    });
    assert_could_not_check(&denied_snap, id, "synthetics:DescribeCanaries");
    let internal_only = account(|r, _| {
        set(
            &mut r.load_balancers,
            vec![load_balancer("web", "application", "internal")],
        )
    });
    assert_eq!(status(&internal_only, id), NA, "nothing public to probe");
}

#[test]
fn alb_alarms() {
    let id = "alb-alarms";
    let lb = load_balancer("web", "application", "internet-facing");
    let dim = lb
        .metric_dimension()
        .expect("ARN has loadbalancer/")
        .to_string();
    let good = account(|r, _| {
        let t = routed(r);
        let d = [("LoadBalancer", dim.as_str())];
        add_alarm(
            r,
            alarm(
                "5xx",
                "AWS/ApplicationELB",
                "HTTPCode_Target_5XX_Count",
                &d,
                &t,
            ),
        );
        add_alarm(
            r,
            alarm(
                "latency",
                "AWS/ApplicationELB",
                "TargetResponseTime",
                &d,
                &t,
            ),
        );
        set(&mut r.load_balancers, vec![lb.clone()]);
    });
    assert_eq!(status(&good, id), PASS);
    let bad = account(|r, _| set(&mut r.load_balancers, vec![lb.clone()]));
    assert_eq!(status(&bad, id), FAIL);
    let denied_snap = account(|r, _| {
        r.load_balancers = Read::Failed(denied("elasticloadbalancing:DescribeLoadBalancers"))
    });
    assert_could_not_check(
        &denied_snap,
        id,
        "elasticloadbalancing:DescribeLoadBalancers",
    );
    let nlb = account(|r, _| {
        set(
            &mut r.load_balancers,
            vec![load_balancer("tcp", "network", "internal")],
        )
    });
    assert_eq!(
        status(&nlb, id),
        NA,
        "a network load balancer has no HTTP metrics"
    );
}

#[test]
fn ecs_logging() {
    let id = "ecs-logging";
    let good = account(|r, _| {
        set(
            &mut r.ecs_task_definitions,
            vec![task_definition("api", Some("awslogs"), &[])],
        )
    });
    assert_eq!(status(&good, id), PASS);
    let bad = account(|r, _| {
        set(
            &mut r.ecs_task_definitions,
            vec![task_definition("api", None, &[])],
        )
    });
    assert_eq!(status(&bad, id), FAIL);
    let denied_snap =
        account(|r, _| r.ecs_task_definitions = Read::Failed(denied("ecs:DescribeTaskDefinition")));
    assert_could_not_check(&denied_snap, id, "ecs:DescribeTaskDefinition");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

#[test]
fn log_retention() {
    let id = "log-retention";
    let group = |days: Option<i64>| LogGroup {
        name: "/ecs/api".into(),
        arn: arn("logs", "log-group:/ecs/api"),
        retention_days: days,
        stored_bytes: Some(1024),
        class: None,
    };
    let good = account(|r, _| set(&mut r.log_groups, vec![group(Some(30))]));
    assert_eq!(status(&good, id), PASS);
    let forever = account(|r, _| set(&mut r.log_groups, vec![group(None)]));
    assert_eq!(status(&forever, id), FAIL, "never expire");
    let short = account(|r, _| set(&mut r.log_groups, vec![group(Some(3))]));
    assert_eq!(status(&short, id), FAIL, "shorter than the 7-day minimum");
    let denied_snap = account(|r, _| r.log_groups = Read::Failed(denied("logs:DescribeLogGroups")));
    assert_could_not_check(&denied_snap, id, "logs:DescribeLogGroups");
    assert_eq!(status(&account(|_, _| {}), id), NA);
}

#[test]
fn error_tracking_is_found_or_answered() {
    use onwatch::answers::{Answer, Answers, YesNo};
    let id = "error-tracking";
    let good = account(|r, _| {
        set(
            &mut r.ecs_task_definitions,
            vec![task_definition("api", Some("awslogs"), &["SENTRY_DSN"])],
        )
    });
    assert_eq!(status(&good, id), PASS);
    // No evidence in configuration: the tracker may live in code, so the user answers.
    let silent = account(|r, _| {
        set(
            &mut r.ecs_task_definitions,
            vec![task_definition("api", Some("awslogs"), &["PORT"])],
        )
    });
    let report = item(&silent, id);
    assert_eq!(report.status, ItemStatus::NotAnswered);
    let f = &report.findings[0];
    assert_eq!(
        f.status,
        FindingStatus::NotApplicable,
        "no evidence is neither pass nor fail, so an answer can decide: {f:?}"
    );
    assert!(f.evidence.contains("SENTRY_DSN"), "{f:?}");
    for (answer, expected) in [
        (YesNo::Yes, ItemStatus::AnsweredYes),
        (YesNo::No, ItemStatus::AnsweredNo),
    ] {
        let mut answers = Answers::default();
        answers.answers.insert(
            id.into(),
            Answer {
                answer,
                note: Some("Sentry is initialised in main.ts".into()),
                date: Some("2026-11-01".into()),
            },
        );
        let report = onwatch::evaluate(&builtin(), &silent, &answers, now());
        assert_eq!(report.item(id).map(|i| i.status), Some(expected));
    }
    let denied_snap =
        account(|r, _| r.ecs_task_definitions = Read::Failed(denied("ecs:DescribeTaskDefinition")));
    assert_could_not_check(&denied_snap, id, "ecs:DescribeTaskDefinition");
    assert_eq!(
        item(&account(|_, _| {}), id).findings[0].status,
        FindingStatus::NotApplicable
    );
}
