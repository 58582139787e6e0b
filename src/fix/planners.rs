//! One planner per fixable item: which failing findings it changes, with which call,
//! and which it leaves alone (and why). A planner reads the snapshot only; a finding
//! that could not be checked is never planned for (unknown is not failing).

use super::channel::{Setup, channel_for};
use super::{Choices, FixPlan, NoPlan, Op, RETENTION_DAYS, State, Step, Undo};
use crate::report::{Finding, FindingStatus, ItemReport};
use crate::rules::publishers::Publisher;
use crate::snapshot::{AccountSnapshot, Read, RegionSnapshot};

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
                    None => skipped.push(format!("{}: not in the scan's regions", f.resource)),
                },
                FindingStatus::CouldNotCheck => skipped.push(format!(
                    "{} ({}): could not be checked, so onwatch changes nothing there",
                    f.resource, f.region
                )),
                FindingStatus::Accepted => skipped.push(format!(
                    "{} ({}): an accepted risk, left as it is",
                    f.resource, f.region
                )),
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
        return Err(NoPlan::BadChoice(format!(
            "{days} days is not a retention CloudWatch Logs accepts; pick one of {RETENTION_DAYS:?}"
        )));
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
            p.skipped.push(format!(
                "{}: keeps {current} days, longer than the {days} chosen",
                group.name
            ));
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
        let was = group
            .retention_days
            .map_or("never expires".to_string(), |d| format!("keeps {d} days"));
        p.steps.push(Step::new(
            &f.region,
            Op::PutRetentionPolicy {
                log_group: group.name.clone(),
                days,
            },
            format!(
                "Keep {days} days of events in log group {} (now it {was})",
                group.name
            ),
            State::Retention(group.retention_days),
            undo,
        ));
    }
    if !p.steps.is_empty() {
        p.warnings.push(format!(
            "CloudWatch Logs deletes events older than {days} days from these groups once the policy is set (within about 72 hours); undo removes the policy but cannot bring deleted events back"
        ));
    }
    p.cost = "No charge for the change; it lowers log storage cost (about $0.03 per GB-month of stored events in us-east-1)".into();
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
            p.skipped.push(format!(
                "{}: the registry in {} uses enhanced scanning, where only registry rules decide; onwatch does not change registry rules yet",
                repo.name, f.region
            ));
            continue;
        }
        p.steps.push(Step::new(
            &f.region,
            Op::PutImageScanningConfiguration {
                repository: repo.name.clone(),
                scan_on_push: true,
            },
            format!(
                "Scan every image pushed to repository {} for known vulnerabilities",
                repo.name
            ),
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
    p.cost = "Free: basic scanning on push has no charge".into();
    Ok(p)
}

fn guardduty_enabled(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let mut p = Planned::default();
    for (f, data) in ctx.failing(&mut p.skipped) {
        let Read::Ok(detectors) = &data.guardduty_detectors else {
            continue;
        };
        match detectors.iter().find(|d| f.resource.ends_with(&format!("/{}", d.id))) {
            Some(d) => p.steps.push(Step::new(
                &f.region,
                Op::UpdateDetector {
                    detector_id: d.id.clone(),
                    enable: true,
                },
                format!(
                    "Turn GuardDuty detector {} in {} back on",
                    d.id, f.region
                ),
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
                format!("Turn GuardDuty on in {} (a new detector)", f.region),
                State::Detectors(Vec::new()),
                Undo::AfterRun {
                    says: "suspends the new detector (UpdateDetector, enable false), which keeps its findings; onwatch never deletes a detector".into(),
                },
            )),
            None => {}
        }
    }
    p.cost = "GuardDuty: a 30-day free trial per region, then billed by the CloudTrail events, VPC flow logs and DNS queries it analyses (for a small startup account usually a few dollars a month per region; the console's Usage page shows the estimate during the trial)".into();
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
            format!(
                "Turn Container Insights on for ECS cluster {} (per-task CPU, memory and restarts)",
                cluster.name
            ),
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
    p.cost = "Container Insights is billed as CloudWatch custom metrics and performance log events: for a cluster with a few services roughly $5 to $15 a month (see the CloudWatch pricing page's Container Insights example)".into();
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
                p.skipped.push(format!(
                    "composite alarm {}: has no action; onwatch adds actions to metric alarms only",
                    alarm.name
                ));
                continue;
            }
            let topic = match channel_for(ctx, &f.region, Publisher::Alarms, &alarm.arn, &mut p) {
                Ok(t) => t,
                Err(why) => {
                    p.skipped.push(format!("alarm {}: {why}", alarm.name));
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
                format!(
                    "Notify topic {name} when alarm {} goes into ALARM (every other setting of the alarm stays as it is)",
                    alarm.name
                ),
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
            format!(
                "Run the actions of alarm {} again when it changes state",
                alarm.name
            ),
            State::ActionsEnabled(false),
            Undo::Call {
                op: Op::DisableAlarmActions {
                    alarm: alarm.name.clone(),
                },
                expect: State::ActionsEnabled(true),
            },
        ));
    }
    p.cost = "No charge".into();
    Ok(p)
}

/// The tag key the built-in item reads (its `key` parameter's default).
const PATTERN_KEY: &str = "response-pattern";

/// Untagged alarms get the response pattern the user picks. Alarms with a tag that is
/// wrong, or whose routing does not fit their pattern, need a person's decision.
fn response_pattern(ctx: &Ctx) -> Result<Planned, NoPlan> {
    use crate::rules::RESPONSE_PATTERNS;
    let Some(pattern) = ctx.choices.response_pattern.clone() else {
        return Err(NoPlan::BadChoice(format!(
            "alarm-response-pattern: pick the pattern to tag untagged alarms with: --response-pattern {}",
            RESPONSE_PATTERNS.join("|")
        )));
    };
    if !RESPONSE_PATTERNS.contains(&pattern.as_str()) {
        return Err(NoPlan::BadChoice(format!(
            "`{pattern}` is not a response pattern; pick one of {}",
            RESPONSE_PATTERNS.join(", ")
        )));
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
            p.skipped.push(format!(
                "alarm {}: tagged {v}, {}: a person decides",
                alarm.name,
                f.reason.clone().unwrap_or_default()
            ));
            continue;
        }
        p.steps.push(Step::new(
            &f.region,
            Op::TagAlarm {
                alarm_arn: alarm.arn.clone(),
                key: PATTERN_KEY.into(),
                value: pattern.clone(),
            },
            format!(
                "Tag alarm {} with {PATTERN_KEY} = {pattern} (its other tags stay)",
                alarm.name
            ),
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
        p.warnings.push("act-now asks that the alarm reach someone at once (phone, chat, paging tool): an alarm routed to e-mail only still fails after tagging".into());
    }
    p.cost = "No charge".into();
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
        return Err(NoPlan::BadChoice(format!(
            "min_severity {min} is outside GuardDuty's 0 to 10 scale"
        )));
    }
    let account = &ctx.snapshot.account;
    let mut p = Planned::default();
    let mut done: Vec<String> = Vec::new();
    for (f, data) in ctx.failing(&mut p.skipped) {
        if f.resource.contains(":guardduty:") {
            p.skipped.push(format!(
                "{} ({}): a suppression rule archives these findings before any rule sees them; deleting or narrowing it is your decision",
                f.resource, f.region
            ));
            continue;
        }
        if done.contains(&f.region) {
            continue;
        }
        let Read::Ok(rules) = &data.event_rules else {
            continue;
        };
        if rules.iter().any(|r| r.name == GUARDDUTY_RULE) {
            p.skipped.push(format!(
                "{}: rule {GUARDDUTY_RULE} already exists but {}: check its target",
                f.region,
                f.reason.clone().unwrap_or_default()
            ));
            continue;
        }
        let rule_arn = format!(
            "arn:{}:events:{}:{}:rule/{GUARDDUTY_RULE}",
            account.partition, f.region, account.id
        );
        let topic = match channel_for(ctx, &f.region, Publisher::EventBridge, &rule_arn, &mut p) {
            Ok(t) => t,
            Err(why) => {
                p.skipped
                    .push(format!("GuardDuty findings in {}: {why}", f.region));
                continue;
            }
        };
        done.push(f.region.clone());
        let pattern = serde_json::json!({
            "source": ["aws.guardduty"],
            "detail-type": ["GuardDuty Finding"],
            "detail": {"severity": [{"numeric": [">=", min]}]},
        })
        .to_string();
        p.steps.push(Step::new(
            &f.region,
            Op::PutRule {
                rule: GUARDDUTY_RULE.into(),
                pattern,
                description: format!(
                    "onwatch: GuardDuty findings of severity {min:.1} and above to the alert channel"
                ),
            },
            format!(
                "Create EventBridge rule {GUARDDUTY_RULE} in {} matching every GuardDuty finding of severity {min:.1} to 10, tagged managed-by = onwatch",
                f.region
            ),
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
            format!("Send what rule {GUARDDUTY_RULE} matches to topic {name}"),
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
    p.cost = "No charge: EventBridge does not bill rules matching AWS service events, and SNS e-mail notifications cost nothing for the first 1,000 a month".into();
    Ok(p)
}
