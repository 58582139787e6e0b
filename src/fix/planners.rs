//! One planner per fixable item: which failing findings it changes, with which call,
//! and which it leaves alone (and why). A planner reads the snapshot only; a finding
//! that could not be checked is never planned for (unknown is not failing).

use super::channel::{Setup, channel_for};
use super::{Choices, FixPlan, NoPlan, Op, RETENTION_DAYS, State, Step, Undo};
use crate::report::{Finding, FindingStatus, ItemReport};
use crate::rules::publishers::Publisher;
use crate::snapshot::{AccountSnapshot, Read, RegionSnapshot};
use crate::t;

type Planner = fn(&Ctx) -> Result<Planned, NoPlan>;

/// The item's planner; None when onwatch has no fix for it.
pub(super) fn planner(id: &str) -> Option<Planner> {
    Some(match id {
        "log-retention" => log_retention,
        "ecr-scan-on-push" => ecr_scan_on_push,
        "guardduty-enabled" => guardduty_enabled,
        "ecs-container-insights" => ecs_container_insights,
        "alarm-actions" => alarm_actions,
        "alarm-response-pattern" => response_pattern,
        "guardduty-findings-routed" => guardduty_routed,
        "rds-cpu-alarm" => super::alarms::rds_cpu,
        "rds-storage-headroom" => super::alarms::rds_storage,
        "rds-connections-alarm" => super::alarms::rds_connections,
        "ecs-service-alarms" => super::alarms::ecs_services,
        "alb-alarms" => super::alarms::load_balancers,
        "sns-confirmed-subscriptions" => super::topics::subscribe_channel,
        "rds-performance-insights" => super::rds::performance_insights,
        "budget-notification" => super::budget::budget_notification,
        "cost-anomaly-detection" => super::budget::anomaly_alerts,
        "cloudtrail-multi-region" => super::trail::cloudtrail,
        "config-recording" => super::config::config_recording,
        "synthetics-canary" => super::canary::synthetics_canary,
        _ => return None,
    })
}

/// None when onwatch has no planner for the item yet.
pub(super) fn plan(
    judged: &ItemReport,
    snapshot: &AccountSnapshot,
    choices: &Choices,
    setup: &Setup,
) -> Option<Result<FixPlan, NoPlan>> {
    let planner = planner(&judged.id)?;
    let ctx = Ctx {
        judged,
        snapshot,
        choices,
        setup,
    };
    Some(planner(&ctx).map(|p| FixPlan {
        item: judged.id.clone(),
        account: snapshot.account.id.clone(),
        steps: p.steps,
        cost: p.cost,
        warnings: p.warnings,
        skipped: p.skipped,
    }))
}

pub(super) struct Ctx<'a> {
    pub judged: &'a ItemReport,
    pub snapshot: &'a AccountSnapshot,
    pub choices: &'a Choices,
    pub setup: &'a Setup,
}

impl Ctx<'_> {
    /// Whether the item has a failing finding: an account-wide item (budgets, the
    /// trail) is planned for only then; could-not-check is never planned for.
    pub(super) fn fails(&self) -> bool {
        self.judged
            .findings
            .iter()
            .any(|f| f.status == FindingStatus::Fail)
    }

    /// The failing findings, each with its region's data; findings that could not be
    /// checked are listed as skipped.
    pub(super) fn failing(&self, skipped: &mut Vec<String>) -> Vec<(&Finding, &RegionSnapshot)> {
        let mut out = Vec::new();
        for f in &self.judged.findings {
            match f.status {
                FindingStatus::Fail => match self.snapshot.regions.get(&f.region) {
                    Some(data) => out.push((f, data)),
                    None => skipped.push(
                        t!("fix_planners.not_in_regions", resource = f.resource).into_owned(),
                    ),
                },
                FindingStatus::CouldNotCheck => skipped.push(
                    t!(
                        "fix_planners.could_not_check",
                        resource = f.resource,
                        region = f.region
                    )
                    .into_owned(),
                ),
                FindingStatus::Accepted => skipped.push(
                    t!(
                        "fix_planners.accepted",
                        resource = f.resource,
                        region = f.region
                    )
                    .into_owned(),
                ),
                _ => {}
            }
        }
        out
    }
}

#[derive(Default)]
pub(super) struct Planned {
    pub steps: Vec<Step>,
    pub cost: String,
    pub warnings: Vec<String>,
    pub skipped: Vec<String>,
}

fn log_retention(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let days = ctx.choices.retention_days;
    if !RETENTION_DAYS.contains(&days) {
        return Err(NoPlan::BadChoice(
            t!(
                "fix_planners.bad_retention",
                days = days,
                allowed = format!("{RETENTION_DAYS:?}")
            )
            .into_owned(),
        ));
    }
    let mut p = Planned::default();
    for (f, data) in ctx.failing(&mut p.skipped) {
        let Read::Ok(groups) = &data.log_groups else {
            continue;
        };
        let Some(group) = groups.iter().find(|g| g.arn == f.resource) else {
            continue;
        };
        // Never shortens a policy the group already has.
        if let Some(current) = group.retention_days
            && current >= i64::from(days)
        {
            p.skipped.push(
                t!(
                    "fix_planners.keeps_longer",
                    group = group.name,
                    current = current,
                    days = days
                )
                .into_owned(),
            );
            continue;
        }
        let undo = match group.retention_days {
            None => Undo::Call {
                op: Op::DeleteRetentionPolicy {
                    log_group: group.name.clone(),
                },
                expect: State::Retention(Some(i64::from(days))),
            },
            Some(d) => Undo::Call {
                op: Op::PutRetentionPolicy {
                    log_group: group.name.clone(),
                    days: i32::try_from(d).unwrap_or(days),
                },
                expect: State::Retention(Some(i64::from(days))),
            },
        };
        let says = match group.retention_days {
            None => t!(
                "fix_planners.retention_step_never",
                days = days,
                group = group.name
            ),
            Some(was) => t!(
                "fix_planners.retention_step_was",
                days = days,
                group = group.name,
                was = was
            ),
        };
        p.steps.push(Step::new(
            &f.region,
            Op::PutRetentionPolicy {
                log_group: group.name.clone(),
                days,
            },
            says.into_owned(),
            State::Retention(group.retention_days),
            undo,
        ));
    }
    if !p.steps.is_empty() {
        p.warnings
            .push(t!("fix_planners.retention_warning", days = days).into_owned());
    }
    p.cost = t!("fix_planners.retention_cost").into_owned();
    Ok(p)
}

fn ecr_scan_on_push(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let mut p = Planned::default();
    for (f, data) in ctx.failing(&mut p.skipped) {
        let (Read::Ok(repos), Read::Ok(registry)) =
            (&data.ecr_repositories, &data.ecr_registry_scanning)
        else {
            continue;
        };
        let Some(repo) = repos.iter().find(|r| r.arn == f.resource) else {
            continue;
        };
        if registry.scan_type.eq_ignore_ascii_case("ENHANCED") {
            p.skipped.push(
                t!(
                    "fix_planners.ecr_enhanced",
                    repo = repo.name,
                    region = f.region
                )
                .into_owned(),
            );
            continue;
        }
        p.steps.push(Step::new(
            &f.region,
            Op::PutImageScanningConfiguration {
                repository: repo.name.clone(),
                scan_on_push: true,
            },
            t!("fix_planners.ecr_step", repo = repo.name).into_owned(),
            State::ScanOnPush(false),
            Undo::Call {
                op: Op::PutImageScanningConfiguration {
                    repository: repo.name.clone(),
                    scan_on_push: false,
                },
                expect: State::ScanOnPush(true),
            },
        ));
    }
    p.cost = t!("fix_planners.ecr_cost").into_owned();
    Ok(p)
}

fn guardduty_enabled(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let mut p = Planned::default();
    for (f, data) in ctx.failing(&mut p.skipped) {
        let Read::Ok(detectors) = &data.guardduty_detectors else {
            continue;
        };
        match detectors
            .iter()
            .find(|d| f.resource.ends_with(&format!("/{}", d.id)))
        {
            Some(d) => p.steps.push(Step::new(
                &f.region,
                Op::UpdateDetector {
                    detector_id: d.id.clone(),
                    enable: true,
                },
                t!(
                    "fix_planners.guardduty_on_again",
                    detector = d.id,
                    region = f.region
                )
                .into_owned(),
                State::DetectorStatus(d.status.clone()),
                Undo::Call {
                    op: Op::UpdateDetector {
                        detector_id: d.id.clone(),
                        enable: false,
                    },
                    expect: State::DetectorStatus("ENABLED".into()),
                },
            )),
            None if detectors.is_empty() => p.steps.push(Step::new(
                &f.region,
                Op::CreateDetector {},
                t!("fix_planners.guardduty_create", region = f.region).into_owned(),
                State::Detectors(Vec::new()),
                Undo::AfterRun {
                    says: t!("fix_planners.guardduty_undo").into_owned(),
                },
            )),
            None => {}
        }
    }
    p.cost = t!("fix_planners.guardduty_cost").into_owned();
    Ok(p)
}

fn ecs_container_insights(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let mut p = Planned::default();
    for (f, data) in ctx.failing(&mut p.skipped) {
        let Read::Ok(clusters) = &data.ecs_clusters else {
            continue;
        };
        let Some(cluster) = clusters.iter().find(|c| c.arn == f.resource) else {
            continue;
        };
        let undo_to = cluster
            .container_insights
            .clone()
            .unwrap_or_else(|| "disabled".to_string());
        p.steps.push(Step::new(
            &f.region,
            Op::UpdateClusterSettings {
                cluster: cluster.name.clone(),
                container_insights: "enabled".into(),
            },
            t!("fix_planners.insights_step", cluster = cluster.name).into_owned(),
            State::ContainerInsights(cluster.container_insights.clone()),
            Undo::Call {
                op: Op::UpdateClusterSettings {
                    cluster: cluster.name.clone(),
                    container_insights: undo_to,
                },
                expect: State::ContainerInsights(Some("enabled".into())),
            },
        ));
    }
    p.cost = t!("fix_planners.insights_cost").into_owned();
    Ok(p)
}

/// Alarms whose actions are disabled get them enabled again; a metric alarm with no
/// action gets the alert channel's topic (its other fields stay as AWS holds them right
/// before the write). A composite alarm without actions is left to a person: its rule
/// decides what it means.
fn alarm_actions(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let mut p = Planned::default();
    for (f, data) in ctx.failing(&mut p.skipped) {
        let Read::Ok(alarms) = &data.alarms else {
            continue;
        };
        let Some(alarm) = alarms.iter().find(|a| a.arn == f.resource) else {
            p.skipped.push(format!(
                "{}: {}",
                f.resource,
                f.reason.clone().unwrap_or_default()
            ));
            continue;
        };
        if alarm.alarm_actions.is_empty() {
            if alarm.kind != "metric" {
                p.skipped
                    .push(t!("fix_planners.composite", alarm = alarm.name).into_owned());
                continue;
            }
            let topic = match channel_for(ctx, &f.region, Publisher::Alarms, &alarm.arn, &mut p) {
                Ok(t) => t,
                Err(why) => {
                    p.skipped.push(
                        t!("fix_planners.alarm_why", alarm = alarm.name, why = why).into_owned(),
                    );
                    continue;
                }
            };
            let name = topic.rsplit(':').next().unwrap_or(&topic).to_string();
            p.steps.push(Step::new(
                &f.region,
                Op::AddAlarmAction {
                    alarm: alarm.name.clone(),
                    topic_arn: topic.clone(),
                },
                t!("fix_planners.notify_step", topic = name, alarm = alarm.name).into_owned(),
                State::AlarmActions(Vec::new()),
                Undo::Call {
                    op: Op::RemoveAlarmAction {
                        alarm: alarm.name.clone(),
                        topic_arn: topic.clone(),
                    },
                    expect: State::AlarmActions(vec![topic]),
                },
            ));
        }
        if alarm.actions_enabled {
            continue;
        }
        p.steps.push(Step::new(
            &f.region,
            Op::EnableAlarmActions {
                alarm: alarm.name.clone(),
            },
            t!("fix_planners.enable_actions", alarm = alarm.name).into_owned(),
            State::ActionsEnabled(false),
            Undo::Call {
                op: Op::DisableAlarmActions {
                    alarm: alarm.name.clone(),
                },
                expect: State::ActionsEnabled(true),
            },
        ));
    }
    p.cost = t!("fix_planners.no_charge").into_owned();
    Ok(p)
}

/// The tag key the built-in item reads (its `key` parameter's default).
const PATTERN_KEY: &str = "response-pattern";

/// Untagged alarms get the response pattern the user picks. Alarms with a tag that is
/// wrong, or whose routing does not fit their pattern, need a person's decision.
fn response_pattern(ctx: &Ctx) -> Result<Planned, NoPlan> {
    use crate::rules::RESPONSE_PATTERNS;
    let Some(pattern) = ctx.choices.response_pattern.clone() else {
        return Err(NoPlan::BadChoice(
            t!(
                "fix_planners.pick_pattern",
                patterns = RESPONSE_PATTERNS.join("|")
            )
            .into_owned(),
        ));
    };
    if !RESPONSE_PATTERNS.contains(&pattern.as_str()) {
        return Err(NoPlan::BadChoice(
            t!(
                "fix_planners.not_a_pattern",
                pattern = pattern,
                patterns = RESPONSE_PATTERNS.join(", ")
            )
            .into_owned(),
        ));
    }
    let mut p = Planned::default();
    for (f, data) in ctx.failing(&mut p.skipped) {
        let Read::Ok(alarms) = &data.alarms else {
            continue;
        };
        let Some(alarm) = alarms.iter().find(|a| a.arn == f.resource) else {
            continue;
        };
        let Read::Ok(tags) = &alarm.tags else {
            continue;
        };
        if let Some(v) = tags.get(PATTERN_KEY) {
            p.skipped.push(
                t!(
                    "fix_planners.tagged_decides",
                    alarm = alarm.name,
                    value = v,
                    reason = f.reason.clone().unwrap_or_default()
                )
                .into_owned(),
            );
            continue;
        }
        p.steps.push(Step::new(
            &f.region,
            Op::TagAlarm {
                alarm_arn: alarm.arn.clone(),
                key: PATTERN_KEY.into(),
                value: pattern.clone(),
            },
            t!(
                "fix_planners.tag_step",
                alarm = alarm.name,
                key = PATTERN_KEY,
                pattern = pattern
            )
            .into_owned(),
            State::Tag(None),
            Undo::Call {
                op: Op::UntagAlarm {
                    alarm_arn: alarm.arn.clone(),
                    key: PATTERN_KEY.into(),
                },
                expect: State::Tag(Some(pattern.clone())),
            },
        ));
    }
    if pattern == "act-now" && !p.steps.is_empty() {
        p.warnings
            .push(t!("fix_planners.act_now_warning").into_owned());
    }
    p.cost = t!("fix_planners.no_charge").into_owned();
    Ok(p)
}

/// The rule onwatch creates to send GuardDuty findings to the channel.
pub(super) const GUARDDUTY_RULE: &str = "onwatch-guardduty-findings";

/// In each region where no rule sends GuardDuty's high findings to a person: a rule on
/// the default bus matching every severity from the item's `min_severity` up, with the
/// channel topic as its target. A suppression rule that archives findings is a person's
/// decision and is left alone.
fn guardduty_routed(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let min = ctx.choices.min_severity;
    if !(0.0..=10.0).contains(&min) {
        return Err(NoPlan::BadChoice(
            t!("fix_planners.bad_severity", min = min).into_owned(),
        ));
    }
    let account = &ctx.snapshot.account;
    let mut p = Planned::default();
    let mut done: Vec<String> = Vec::new();
    for (f, data) in ctx.failing(&mut p.skipped) {
        if f.resource.contains(":guardduty:") {
            p.skipped.push(
                t!(
                    "fix_planners.suppression",
                    resource = f.resource,
                    region = f.region
                )
                .into_owned(),
            );
            continue;
        }
        if done.contains(&f.region) {
            continue;
        }
        let Read::Ok(rules) = &data.event_rules else {
            continue;
        };
        if rules.iter().any(|r| r.name == GUARDDUTY_RULE) {
            p.skipped.push(
                t!(
                    "fix_planners.rule_exists",
                    region = f.region,
                    rule = GUARDDUTY_RULE,
                    reason = f.reason.clone().unwrap_or_default()
                )
                .into_owned(),
            );
            continue;
        }
        let rule_arn = format!(
            "arn:{}:events:{}:{}:rule/{GUARDDUTY_RULE}",
            account.partition, f.region, account.id
        );
        let topic = match channel_for(ctx, &f.region, Publisher::EventBridge, &rule_arn, &mut p) {
            Ok(t) => t,
            Err(why) => {
                p.skipped.push(
                    t!("fix_planners.findings_why", region = f.region, why = why).into_owned(),
                );
                continue;
            }
        };
        done.push(f.region.clone());
        let pattern = serde_json::json!({
            "source": ["aws.guardduty"],
            "detail-type": ["GuardDuty Finding"], // i18n: technical
            "detail": {"severity": [{"numeric": [">=", min]}]},
        })
        .to_string();
        p.steps.push(Step::new(
            &f.region,
            Op::PutRule {
                rule: GUARDDUTY_RULE.into(),
                pattern,
                // Written to AWS as the rule's description: English whatever the language.
                description: format!(
                    "onwatch: GuardDuty findings of severity {min:.1} and above to the alert channel" // i18n: technical
                ),
            },
            t!(
                "fix_planners.rule_step",
                rule = GUARDDUTY_RULE,
                region = f.region,
                min = format!("{min:.1}")
            )
            .into_owned(),
            State::RuleExists(false),
            Undo::Call {
                op: Op::DeleteRule {
                    rule: GUARDDUTY_RULE.into(),
                    rule_arn,
                },
                expect: State::Managed(true),
            },
        ));
        let name = topic.rsplit(':').next().unwrap_or(&topic).to_string();
        p.steps.push(Step::new(
            &f.region,
            Op::PutTarget {
                rule: GUARDDUTY_RULE.into(),
                id: "onwatch-channel".into(),
                arn: topic.clone(),
            },
            t!(
                "fix_planners.target_step",
                rule = GUARDDUTY_RULE,
                topic = name
            )
            .into_owned(),
            State::Target(false),
            Undo::Call {
                op: Op::RemoveTarget {
                    rule: GUARDDUTY_RULE.into(),
                    id: "onwatch-channel".into(),
                },
                expect: State::Target(true),
            },
        ));
    }
    p.cost = t!("fix_planners.routed_cost").into_owned();
    Ok(p)
}
