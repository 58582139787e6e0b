//! The demo account's report, the JSON report's shape, and snapshot loading.

use onwatch::answers::Answers;
use onwatch::report::ItemStatus;
use onwatch::snapshot::{AccountSnapshot, SnapshotError};

use crate::fixtures::{builtin, demo_report, now};

#[test]
fn demo_report_snapshot() {
    let report = demo_report();
    insta::assert_json_snapshot!("demo_report", report, {
        ".generated_at" => "[generated_at]",
    });
}

/// Fix plans are pure data: the demo account's plans, as JSON, change only on purpose.
#[test]
fn demo_fix_plans_snapshot() {
    let snapshot = onwatch::demo::snapshot().expect("the demo snapshot loads");
    let report = demo_report();
    let plans: Vec<onwatch::fix::FixPlan> = [
        "log-retention",
        "guardduty-enabled",
        "ecr-scan-on-push",
        "ecs-container-insights",
        "alarm-actions",
        "rds-performance-insights",
        "rds-cpu-alarm",
        "alb-alarms",
        "guardduty-findings-routed",
        "sns-confirmed-subscriptions",
    ]
    .iter()
    .map(|id| {
        let choices = onwatch::fix::Choices {
            channel: Some(onwatch::fix::Channel::Email("oncall@example.com".into())),
            ..onwatch::fix::Choices::default()
        };
        onwatch::fix::plan(id, &report, &snapshot, &choices).expect("a plan")
    })
    .collect();
    insta::assert_json_snapshot!("demo_fix_plans", plans);
}

/// Turning Performance Insights on with ApplyImmediately would also apply what waits
/// for the maintenance window: such an instance is left alone unless the user picks
/// the window, and then the change waits too.
#[test]
fn performance_insights_never_applies_pending_changes_by_surprise() {
    use onwatch::fix::{Choices, Op, plan};
    let mut snapshot = onwatch::demo::snapshot().expect("the demo snapshot loads");
    let mut touched = 0;
    for region in snapshot.regions.values_mut() {
        if let onwatch::snapshot::Read::Ok(dbs) = &mut region.rds_instances {
            for db in dbs.iter_mut().filter(|d| !d.performance_insights) {
                db.pending_modifications = vec!["instance class".into()];
                touched += 1;
            }
        }
    }
    assert!(
        touched > 0,
        "the demo has an instance without Performance Insights"
    );
    let report = onwatch::evaluate(
        &builtin(),
        &snapshot,
        &onwatch::demo::answers().expect("answers"),
        now(),
    );
    let now_plan = plan(
        "rds-performance-insights",
        &report,
        &snapshot,
        &Choices::default(),
    )
    .expect("a plan");
    assert!(now_plan.steps.is_empty(), "{now_plan:#?}");
    assert!(
        now_plan
            .skipped
            .iter()
            .any(|s| s.contains("instance class") && s.contains("--at-maintenance-window")),
        "{now_plan:#?}"
    );
    let later = Choices {
        at_maintenance_window: true,
        ..Choices::default()
    };
    let later_plan = plan("rds-performance-insights", &report, &snapshot, &later).expect("a plan");
    assert_eq!(later_plan.steps.len(), touched, "{later_plan:#?}");
    for step in &later_plan.steps {
        assert!(
            matches!(
                step.op,
                Op::EnablePerformanceInsights {
                    apply_immediately: false,
                    retention_days: 7,
                    ..
                }
            ),
            "{step:#?}"
        );
        assert!(step.cli.contains("--no-apply-immediately"), "{}", step.cli);
    }
    assert!(
        later_plan
            .warnings
            .iter()
            .any(|w| w.contains("maintenance window")),
        "{later_plan:#?}"
    );
}

#[test]
fn demo_tells_the_story_of_a_typical_account() {
    let report = demo_report();
    let counts = report.status_counts();
    let n = |s: ItemStatus| counts.get(&s).copied().unwrap_or(0);
    assert!(
        n(ItemStatus::Pass) >= 3,
        "some things are right: {counts:?}"
    );
    assert!(
        n(ItemStatus::Fail) + n(ItemStatus::Partial) >= 5,
        "several gaps: {counts:?}"
    );
    assert!(
        n(ItemStatus::CouldNotCheck) >= 1,
        "a permission is missing: {counts:?}"
    );
    assert!(
        n(ItemStatus::AnsweredYes) >= 1 && n(ItemStatus::NotAnswered) >= 1,
        "{counts:?}"
    );
    let overall = report.score.overall.expect("scored");
    assert!(
        (20.0..90.0).contains(&overall),
        "a typical, improvable score: {overall}"
    );
    assert!(
        report.score.coverage.is_some_and(|c| c < 1.0),
        "coverage shows what could not be checked"
    );
    assert!(report.account.regions.len() >= 2);
}

#[test]
fn json_report_has_the_documented_shape() {
    let json = demo_report().to_json().expect("serialises");
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(v["schema_version"], 1);
    assert!(v["account"]["id"].is_string());
    assert!(v["account"]["alias"].is_string());
    assert!(v["account"]["regions"].is_array());
    assert!(v["generated_at"].is_string());
    assert!(v["checklist_version"].is_string());
    assert!(v["score"]["overall"].is_number());
    assert!(v["score"]["coverage"].is_number());
    let categories = v["score"]["categories"]
        .as_object()
        .expect("categories object");
    for id in [
        "security",
        "external",
        "resources",
        "application",
        "alerting",
        "cost",
        "practice",
    ] {
        let c = &categories[id];
        assert!(c["coverage"].is_number(), "category {id}");
        assert!(
            c.get("score").is_some(),
            "category {id} has a score (null when nothing was evaluated)"
        );
    }
    let statuses = [
        "pass",
        "fail",
        "partial",
        "could_not_check",
        "not_applicable",
        "answered_yes",
        "answered_no",
        "not_answered",
    ];
    let items = v["items"].as_array().expect("items array");
    assert_eq!(items.len(), builtin().items.len());
    for item in items {
        for key in ["id", "title", "category", "severity"] {
            assert!(item[key].is_string(), "{key} in {item}");
        }
        assert!(
            statuses.contains(&item["status"].as_str().expect("status")),
            "{item}"
        );
        for f in item["findings"].as_array().expect("findings") {
            for key in ["region", "resource", "status", "evidence"] {
                assert!(f[key].is_string(), "{key} in {f}");
            }
            assert!(
                f.get("reason").is_some(),
                "reason present (null for a pass): {f}"
            );
        }
    }
}

#[test]
fn a_snapshot_of_another_schema_version_is_refused_clearly() {
    let json = onwatch::demo::snapshot()
        .expect("demo")
        .to_json()
        .expect("json");
    let other = json.replacen("\"schema_version\": 1", "\"schema_version\": 99", 1);
    assert_ne!(json, other, "the version field was found");
    match AccountSnapshot::from_json(&other, "old.json") {
        Err(e @ SnapshotError::Version { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("99") && msg.contains("old.json"), "{msg}");
        }
        other => panic!("expected a version error, got {other:?}"),
    }
}

#[test]
fn answers_round_trip_in_toml_and_json() {
    let answers = onwatch::demo::answers().expect("demo answers");
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["a.toml", "a.json"] {
        let path = dir.path().join(name);
        answers.save(&path).expect("saves");
        assert_eq!(Answers::load(&path).expect("loads"), answers, "{name}");
    }
}

#[test]
fn names_from_aws_are_neutralised_in_every_format() {
    use crate::fixtures::{account, add_alarm, alarm};
    use onwatch::output::{Format, render};
    let hostile = "db\u{1b}[2J|<img src=x onerror=alert(1)>\n# injected";
    let snapshot =
        account(|r, _| add_alarm(r, alarm(hostile, "AWS/RDS", "CPUUtilization", &[], &[])));
    let report = crate::fixtures::evaluate(&snapshot);
    let checklist = builtin();
    let text = render(&report, &checklist, Format::Text).expect("text");
    assert!(
        !text.contains('\u{1b}'),
        "no terminal escape reaches the screen"
    );
    let md = render(&report, &checklist, Format::Markdown).expect("markdown");
    assert!(!md.contains("<img"), "no HTML reaches a rendered report");
    assert!(md.contains("&lt;img"), "the name is shown, escaped");
    assert!(
        !md.contains("\n# injected"),
        "a name cannot start a heading"
    );
    let json = render(&report, &checklist, Format::Json).expect("json");
    let back: serde_json::Value = serde_json::from_str(&json).expect("still valid JSON");
    assert!(
        back.to_string().contains("onerror"),
        "JSON keeps the value as data (escaped by the encoder)"
    );
}

/// The built-in checklist with `id` made answerable, as a user folder may declare it.
fn answerable(id: &str) -> onwatch::checklist::Checklist {
    let mut checklist = builtin();
    for item in checklist.items.iter_mut().filter(|i| i.id == id) {
        item.answerable = true;
        item.question = Some("Is it handled some other way?".into());
    }
    checklist
}

fn yes(id: &str) -> Answers {
    let mut answers = Answers::default();
    answers.answers.insert(
        id.into(),
        onwatch::answers::Answer {
            answer: onwatch::answers::YesNo::Yes,
            note: None,
            date: Some("2026-11-01".into()),
        },
    );
    answers
}

#[test]
fn an_answer_never_overrides_evidence_so_fixing_a_resource_never_lowers_the_score() {
    use crate::fixtures::{account, set, task_definition};
    let id = "ecs-logging";
    let checklist = answerable(id);
    let answers = yes(id);
    let both_silent = account(|r, _| {
        set(
            &mut r.ecs_task_definitions,
            vec![
                task_definition("api", None, &[]),
                task_definition("worker", None, &[]),
            ],
        )
    });
    let one_fixed = account(|r, _| {
        set(
            &mut r.ecs_task_definitions,
            vec![
                task_definition("api", Some("awslogs"), &[]),
                task_definition("worker", None, &[]),
            ],
        )
    });
    let before = onwatch::evaluate(&checklist, &both_silent, &answers, now());
    let after = onwatch::evaluate(&checklist, &one_fixed, &answers, now());
    assert_eq!(
        before.item(id).map(|i| i.status),
        Some(ItemStatus::Fail),
        "a 'yes' does not turn two failing task definitions into a pass"
    );
    assert_eq!(after.item(id).map(|i| i.status), Some(ItemStatus::Partial));
    let (b, a) = (
        before.score.overall.expect("scored"),
        after.score.overall.expect("scored"),
    );
    assert!(
        a > b,
        "fixing one task definition raises the score: {b} -> {a}"
    );
    // With nothing to evaluate, the answer decides.
    let none = account(|_, _| {});
    let report = onwatch::evaluate(&checklist, &none, &answers, now());
    assert_eq!(
        report.item(id).map(|i| i.status),
        Some(ItemStatus::AnsweredYes)
    );
}

#[test]
fn status_is_the_worst_known_outcome() {
    use onwatch::evaluate::derive_status;
    use onwatch::report::{Finding, FindingStatus as F};
    let f = |s: F| Finding {
        region: "us-east-1".into(),
        resource: "r".into(),
        status: s,
        evidence: String::new(),
        reason: None,
        missing_permission: None,
        accepted: None,
    };
    let cases = [
        (vec![F::Pass], ItemStatus::Pass),
        (vec![F::Pass, F::NotApplicable], ItemStatus::Pass),
        (vec![F::Fail], ItemStatus::Fail),
        (vec![F::Fail, F::CouldNotCheck], ItemStatus::Fail),
        (vec![F::Pass, F::Fail], ItemStatus::Partial),
        (
            vec![F::Pass, F::Fail, F::CouldNotCheck],
            ItemStatus::Partial,
        ),
        (vec![F::Pass, F::CouldNotCheck], ItemStatus::CouldNotCheck),
        (vec![F::CouldNotCheck], ItemStatus::CouldNotCheck),
        (vec![F::NotApplicable], ItemStatus::NotApplicable),
        (vec![], ItemStatus::NotApplicable),
    ];
    for (findings, expected) in cases {
        let findings: Vec<Finding> = findings.into_iter().map(f).collect();
        assert_eq!(derive_status(&findings), expected, "{findings:?}");
    }
}

#[test]
fn a_partly_checked_item_is_could_not_check_and_scores_what_was_checked() {
    use crate::fixtures::{account, denied};
    use onwatch::snapshot::{GuardDutyDetector, Read};
    // GuardDuty on in us-east-1, unreadable in eu-west-1.
    let mut snap = account(|r, _| {
        r.guardduty_detectors = Read::Ok(vec![GuardDutyDetector {
            id: "d1".into(),
            status: "ENABLED".into(),
            finding_publishing_frequency: None,
            filters: None,
        }])
    });
    let mut eu = crate::fixtures::region();
    eu.guardduty_detectors = Read::Failed(denied("guardduty:ListDetectors"));
    snap.regions.insert("eu-west-1".into(), eu);
    let report = crate::fixtures::evaluate(&snap);
    let item = report.item("guardduty-enabled").expect("item");
    assert_eq!(item.status, ItemStatus::CouldNotCheck);
    let (credit, evaluated) = onwatch::report::item_credit(item).expect("takes part");
    assert_eq!(credit, 1.0, "the region that was read passes");
    assert_eq!(evaluated, 0.5, "half of it was checked");
}

#[test]
fn a_category_with_nothing_applicable_has_no_score_and_no_coverage() {
    use onwatch::checklist::Category;
    let empty = crate::fixtures::account(|_, _| {});
    let report = crate::fixtures::evaluate(&empty);
    // An empty account: no load balancer to probe or alarm, so External is all n/a.
    let external = report
        .score
        .categories
        .get(&Category::External)
        .expect("category listed");
    assert_eq!(external.score, None);
    assert_eq!(external.coverage, None, "not 0%: there is nothing to cover");
    let json: serde_json::Value =
        serde_json::from_str(&report.to_json().expect("json")).expect("valid");
    assert!(json["score"]["categories"]["external"]["coverage"].is_null());
    let text =
        onwatch::output::render(&report, &builtin(), onwatch::output::Format::Text).expect("text");
    assert!(
        text.lines()
            .any(|l| l.starts_with("External") && l.matches("n/a").count() == 2),
        "{text}"
    );
}

#[test]
fn an_answers_date_must_be_a_day_written_yyyy_mm_dd() {
    let text = "[answers.practice-on-call-rotation]\nanswer = \"yes\"\ndate = \"02/11/2026\"\n";
    let err = Answers::parse(text, false, "team-answers.toml")
        .expect_err("a date in another form is refused");
    let msg = err.to_string();
    assert!(
        msg.contains("team-answers.toml")
            && msg.contains("practice-on-call-rotation")
            && msg.contains("YYYY-MM-DD"),
        "names the file, the item and the form: {msg}"
    );
    let impossible =
        "[answers.practice-on-call-rotation]\nanswer = \"no\"\ndate = \"2026-02-30\"\n";
    assert!(Answers::parse(impossible, false, "a.toml").is_err());
    let json = r#"{"answers":{"practice-monitoring-plan":{"answer":"yes","date":"2026-11-02"}}}"#;
    assert!(Answers::parse(json, true, "a.json").is_ok());
}

#[test]
fn an_answer_does_not_override_a_pass_beside_an_unchecked_finding() {
    // Found by the proptest: a failing finding fixed next to one that could not be
    // checked left no pass/fail *status*, and the answer "no" took over and lowered the
    // score. A passing finding is evidence too.
    use crate::fixtures::{account, denied, set, task_definition};
    use onwatch::snapshot::Read;
    let id = "ecs-logging";
    let checklist = answerable(id);
    let mut no = yes(id);
    if let Some(a) = no.answers.get_mut(id) {
        a.answer = onwatch::answers::YesNo::No;
    }
    let mut snap = account(|r, _| {
        set(
            &mut r.ecs_task_definitions,
            vec![task_definition("api", Some("awslogs"), &[])],
        )
    });
    let mut eu = crate::fixtures::region();
    eu.ecs_task_definitions = Read::Failed(denied("ecs:DescribeTaskDefinition"));
    snap.regions.insert("eu-west-1".into(), eu);
    let report = onwatch::evaluate(&checklist, &snap, &no, now());
    let item = report.item(id).expect("item");
    assert_eq!(
        item.status,
        ItemStatus::CouldNotCheck,
        "{:#?}",
        item.findings
    );
    assert_eq!(
        onwatch::report::item_credit(item).map(|(credit, _)| credit),
        Some(1.0),
        "the passing task definition keeps its credit"
    );
}

/// `--format cloudformation`: every resource the plans create is in the template once,
/// under a condition on its region; every Ref resolves; changes to existing resources
/// are listed as not expressed instead of being dropped silently.
#[test]
fn cloudformation_template_creates_what_the_plans_create_and_lists_the_rest() {
    use onwatch::fix::{Channel, Choices, Op, plan};
    use serde_json::Value;
    let snapshot = onwatch::demo::snapshot().expect("the demo snapshot loads");
    let report = demo_report();
    let choices = Choices {
        channel: Some(Channel::Email("oncall@example.com".into())),
        budget_amount: Some(50.0),
        ..Choices::default()
    };
    let plans: Vec<_> = report
        .items
        .iter()
        .filter_map(|i| plan(&i.id, &report, &snapshot, &choices).ok())
        .filter(|p| !p.steps.is_empty())
        .collect();
    let template = onwatch::fix::cfn::template(&plans);
    let resources = template["Resources"].as_object().expect("resources");
    let conditions = template["Conditions"].as_object().expect("conditions");
    let regions: Vec<&str> = template["Metadata"]["onwatch"]["Regions"]
        .as_array()
        .expect("regions")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let not_expressed: Vec<&str> = template["Metadata"]["onwatch"]["NotExpressed"]
        .as_array()
        .expect("not expressed")
        .iter()
        .filter_map(Value::as_str)
        .collect();

    let count = |pred: &dyn Fn(&Op) -> bool| {
        plans
            .iter()
            .flat_map(|p| &p.steps)
            .filter(|s| pred(&s.op))
            .count()
    };
    let of_type = |ty: &str| resources.values().filter(|r| r["Type"] == ty).count();
    let created = [
        (
            "AWS::SNS::Topic",
            count(&|o| matches!(o, Op::CreateTopic { .. })),
        ),
        (
            "AWS::SNS::Subscription",
            count(&|o| matches!(o, Op::Subscribe { .. })),
        ),
        (
            "AWS::Events::Rule",
            count(&|o| matches!(o, Op::PutRule { .. })),
        ),
        (
            "AWS::GuardDuty::Detector",
            count(&|o| matches!(o, Op::CreateDetector {})),
        ),
        (
            "AWS::CloudWatch::Alarm",
            count(&|o| matches!(o, Op::PutMetricAlarm { .. })),
        ),
    ];
    for (ty, n) in created {
        assert!(n > 0, "the demo plans create a {ty}");
        assert_eq!(of_type(ty), n, "{ty}");
    }
    // Rules carry their targets; alarms keep their actions and thresholds.
    for step in plans.iter().flat_map(|p| &p.steps) {
        if let Op::PutMetricAlarm { alarm } = &step.op {
            let r = resources
                .values()
                .find(|r| r["Properties"]["AlarmName"] == alarm.name.as_str())
                .expect("the alarm is in the template");
            assert_eq!(
                r["Properties"]["AlarmActions"],
                serde_json::json!(alarm.actions)
            );
            assert_eq!(
                r["Properties"]["Threshold"],
                serde_json::json!(alarm.threshold)
            );
        }
    }
    let targets: usize = resources
        .values()
        .filter(|r| r["Type"] == "AWS::Events::Rule")
        .map(|r| r["Properties"]["Targets"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(targets, count(&|o| matches!(o, Op::PutTarget { .. })));
    // Each resource is conditioned on a region the template lists.
    for (id, r) in resources {
        let c = r["Condition"].as_str().expect("a condition");
        let region = conditions[c]["Fn::Equals"][1].as_str().expect("a region");
        assert!(regions.contains(&region), "{id}: {region}");
    }
    // Every Ref names a resource of the template (or a pseudo parameter).
    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("Ref") {
                    out.push(r);
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&template["Resources"], &mut all);
    assert!(!all.is_empty());
    for r in all {
        assert!(resources.contains_key(r) || r.starts_with("AWS::"), "{r}");
    }
    // Changes to what exists are listed, one line per step.
    let changes = [
        (
            "log-retention",
            count(&|o| matches!(o, Op::PutRetentionPolicy { .. })),
        ),
        (
            "ecr-scan-on-push",
            count(&|o| matches!(o, Op::PutImageScanningConfiguration { .. })),
        ),
    ];
    for (item, n) in changes {
        assert!(n > 0, "the demo plans change {item}");
        assert_eq!(
            not_expressed.iter().filter(|l| l.starts_with(item)).count(),
            n,
            "{item}: {not_expressed:#?}"
        );
    }
}

/// Undoing the run that created the channel topic keeps the topic and its subscription
/// while another run's alarm still notifies it: undo never cuts someone else's route.
#[test]
fn undo_keeps_a_channel_topic_another_run_still_uses() {
    use onwatch::fix::audit::{Entry, Outcome, undo_plan};
    use onwatch::fix::{NewAlarm, Op, State, Undo};
    let topic = "arn:aws:sns:us-east-1:123456789012:onwatch-alerts";
    let entry = |run: &str, step: usize, op: Op, undo: Op| Entry {
        run: run.into(),
        time: now(),
        caller: "arn:aws:iam::123456789012:user/founder".into(),
        account: "123456789012".into(),
        item: "rds-cpu-alarm".into(),
        step,
        region: "us-east-1".into(),
        service: op.service().into(),
        says: format!("{} {}", op.name(), op.target()),
        op,
        outcome: Outcome::Done,
        message: None,
        request_id: None,
        undo: Undo::Call {
            op: undo,
            expect: State::Managed(true),
        },
        undoes: None,
    };
    let alarm = |name: &str| NewAlarm {
        name: name.into(),
        description: String::new(),
        namespace: "AWS/RDS".into(),
        metric: "CPUUtilization".into(),
        dimensions: Default::default(),
        statistic: "Average".into(),
        period: 60,
        evaluation_periods: 5,
        datapoints_to_alarm: 5,
        threshold: 90.0,
        comparison: "GreaterThanThreshold".into(),
        treat_missing_data: "missing".into(),
        actions: vec![topic.into()],
        tags: Default::default(),
    };
    let delete = |name: &str| Op::DeleteAlarm {
        alarm: name.into(),
        alarm_arn: format!("arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}"),
    };
    let entries = vec![
        entry(
            "a",
            1,
            Op::CreateTopic {
                topic_arn: topic.into(),
                policy: "{}".into(),
            },
            Op::DeleteTopic {
                topic_arn: topic.into(),
            },
        ),
        entry(
            "a",
            2,
            Op::Subscribe {
                topic_arn: topic.into(),
                protocol: "email".into(),
                endpoint: "oncall@example.com".into(),
            },
            Op::Unsubscribe {
                subscription_arn: format!("{topic}:5f0c"),
            },
        ),
        entry(
            "a",
            3,
            Op::PutMetricAlarm {
                alarm: Box::new(alarm("db-cpu")),
            },
            delete("db-cpu"),
        ),
        entry(
            "b",
            1,
            Op::PutMetricAlarm {
                alarm: Box::new(alarm("alb-5xx")),
            },
            delete("alb-5xx"),
        ),
    ];
    let ops = |plan: &onwatch::fix::FixPlan| -> Vec<&'static str> {
        plan.steps.iter().map(|s| s.op.name()).collect()
    };
    let undo_a = undo_plan(&entries, "a").expect("a plan");
    assert_eq!(ops(&undo_a), ["DeleteAlarms"], "{undo_a:#?}");
    assert_eq!(
        undo_a
            .warnings
            .iter()
            .filter(|w| w.contains("run b still routes alerts"))
            .count(),
        2,
        "{undo_a:#?}"
    );
    // Once run b is undone, undoing run a removes the topic and the subscription too.
    let mut after = entries.clone();
    let mut undid_b = entry("u", 1, delete("alb-5xx"), delete("alb-5xx"));
    undid_b.undoes = Some("b".into());
    after.push(undid_b);
    let undo_a = undo_plan(&after, "a").expect("a plan");
    assert_eq!(
        ops(&undo_a),
        ["DeleteAlarms", "Unsubscribe", "DeleteTopic"],
        "{undo_a:#?}"
    );
}

/// A fire drill sets an alarm off only when everything that runs because of it, in
/// ALARM and on its way back, just notifies, and no composite alarm is built on it.
#[test]
fn a_drill_sets_off_only_alarms_whose_every_action_notifies() {
    use onwatch::fix::drill::drillable;
    let topic = "arn:aws:sns:us-east-1:123456789012:ops".to_string();
    let mut sns_only = crate::fixtures::alarm("cpu", "AWS/RDS", "CPUUtilization", &[], &[topic]);
    sns_only.kind = "metric".into();
    assert!(drillable(&sns_only, std::slice::from_ref(&sns_only)));
    let mut scaling_back = sns_only.clone();
    scaling_back.ok_actions = vec![
        "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x:autoScalingGroupName/web:policyName/sns:down".into(),
    ];
    assert!(
        !drillable(&scaling_back, &[]),
        "an OK action that scales (whatever its name says) runs when the alarm returns"
    );
    let mut in_alarm = sns_only.clone();
    in_alarm.state = "ALARM".into();
    assert!(!drillable(&in_alarm, &[]), "only an alarm in OK");
    let mut parent = sns_only.clone();
    parent.name = "service-down".into();
    parent.kind = "composite".into();
    parent.alarm_rule = Some("ALARM(\"cpu\") OR ALARM(\"memory\")".into());
    assert!(
        !drillable(&sns_only, &[sns_only.clone(), parent]),
        "a composite alarm built on it would change too"
    );
}

/// RFC 4180 records of a CSV text (quoted fields, doubled quotes, CRLF or LF ends).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

/// CSV export: one row per finding, every cell survives hostile text intact except
/// that a spreadsheet formula is neutralised.
#[test]
fn csv_has_a_row_per_finding_and_neutralises_formulas() {
    let mut report = demo_report();
    let hostile = "=HYPERLINK(\"http://evil\",\"click\")\n\"quoted\", comma";
    report.items[0].findings[0].resource = hostile.to_string();
    report.items[0].findings[0].evidence = "@SUM(A1)".to_string();
    let text = onwatch::output::render(&report, &builtin(), onwatch::output::Format::Csv)
        .expect("renders");
    let rows = parse_csv(&text);
    assert_eq!(
        rows[0],
        onwatch::output::csv::HEADER.map(String::from).to_vec()
    );
    let expected: usize = report.items.iter().map(|i| i.findings.len().max(1)).sum();
    assert_eq!(rows.len() - 1, expected, "one row per finding");
    assert!(
        rows.iter().all(|r| r.len() == 10),
        "every row has every column"
    );
    let first = &rows[1];
    assert_eq!(first[0], report.items[0].id);
    assert_eq!(
        first[6],
        format!("'{hostile}"),
        "a formula starts with a quote mark"
    );
    assert_eq!(first[7], "'@SUM(A1)");
    for row in &rows[1..] {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
}
