//! Fix plans: a pure function from a checklist item, the evaluated report, the snapshot
//! and the user's choices to the exact AWS calls that would make the item pass, each
//! with a sentence in plain words, its AWS CLI equivalent, the IAM action it needs, what
//! it changes, what it costs and how it is undone. No SDK here: the executor
//! (`crate::execute`) runs a plan; this module only decides it.

mod alarms;
pub mod audit;
mod budget;
pub mod canary;
pub mod cfn;
pub mod drill;
pub use budget::{needs_last_month_cost, suggested_budget};
mod channel;
mod config;
mod op;
mod op_iam;
mod planners;
mod rds;
pub mod shell;
mod topics;
mod trail;

pub use channel::{CHANNEL_TOPIC, Channel, has_statement, merge_statement, remove_statement};
pub use op::{BudgetAddress, NewAlarm, Op};

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::report::Report;
use crate::snapshot::AccountSnapshot;
use crate::t;

/// The state of a step's target, as planned and as re-read right before the write.
/// The executor refuses a step whose target no longer matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", content = "value", rename_all = "snake_case")]
pub enum State {
    /// A log group's retention in days (None: never expires).
    Retention(Option<i64>),
    /// A repository's scan-on-push flag.
    ScanOnPush(bool),
    /// The ids of the region's GuardDuty detectors.
    Detectors(Vec<String>),
    /// A detector's status, "ENABLED" or "DISABLED".
    DetectorStatus(String),
    /// A cluster's containerInsights setting (None: not set, which means disabled).
    ContainerInsights(Option<String>),
    /// Whether an alarm's actions are enabled.
    ActionsEnabled(bool),
    /// The value of one tag of an alarm (None: no such tag).
    Tag(Option<String>),
    /// Whether the topic exists.
    TopicExists(bool),
    /// Whether the resource is tagged managed-by = onwatch (onwatch created it).
    Managed(bool),
    /// Whether the endpoint is subscribed to the topic (pending or confirmed).
    Subscribed(bool),
    /// Whether the topic's policy has a statement with the step's Sid.
    Statement(bool),
    /// Whether the EventBridge rule exists.
    RuleExists(bool),
    /// Whether the rule has a target with the step's id.
    Target(bool),
    /// Whether an alarm with the step's name exists.
    AlarmExists(bool),
    /// A metric alarm's alarm actions, sorted.
    AlarmActions(Vec<String>),
    /// Whether a DB instance has Performance Insights on, and the settings waiting
    /// for its maintenance window (which ApplyImmediately would apply too).
    PerformanceInsights { enabled: bool, pending: Vec<String> },
    /// A DB instance's storage autoscaling ceiling in GiB (None: autoscaling off), and
    /// the settings waiting for its maintenance window.
    StorageCeiling {
        max_gib: Option<i64>,
        pending: Vec<String>,
    },
    /// Whether the budget exists.
    BudgetExists(bool),
    /// Whether the budget has a notification of the step's type and threshold.
    BudgetNotification(bool),
    /// Whether that notification has the step's subscriber.
    BudgetSubscriber(bool),
    /// A trail's multi-region and log file validation settings.
    TrailSettings {
        multi_region: bool,
        validation: bool,
    },
    /// Whether a trail with the step's name exists in the step's region.
    TrailExists(bool),
    /// Whether an IAM role with the step's name exists.
    RoleExists(bool),
    /// Whether the role has an inline policy with the step's name.
    RolePolicy(bool),
    /// Whether a canary with the step's name exists in the region.
    CanaryExists(bool),
    /// A canary's state: READY, RUNNING, STOPPED, ...
    CanaryState(String),
    /// A metric alarm a drill may set to ALARM: in OK now, and every action an SNS
    /// topic or an Incident Manager plan (never EC2, Auto Scaling, Lambda or SSM).
    AlarmDrillable(bool),
    /// Whether the trail records management events (write events at least).
    ManagementEvents(bool),
    /// Whether the trail is recording.
    TrailLogging(bool),
    /// Whether the bucket exists (and is this account's).
    BucketExists(bool),
    /// Whether the bucket blocks all four kinds of public access.
    PublicAccessBlocked(bool),
    /// Whether the bucket has a policy.
    BucketPolicy(bool),
    /// Whether the bucket has any tag.
    BucketTagged(bool),
    /// Whether the region has a configuration recorder with the step's name.
    RecorderExists(bool),
    /// Whether the recorder is recording.
    Recording(bool),
    /// Whether the region has a delivery channel with the step's name.
    DeliveryChannelExists(bool),
    /// Whether the anomaly monitor (by name to create, by ARN to delete) exists.
    AnomalyMonitor(bool),
    /// Whether the anomaly subscription (by name to create, by ARN to delete) exists.
    AnomalySubscription(bool),
}

/// How a step is undone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Undo {
    /// This call, when the target is still as the step left it.
    Call { op: Op, expect: State },
    /// Known only once the step ran (the id of what it creates): the executor records
    /// the call in the audit log.
    AfterRun { says: String },
    /// It cannot be undone, and why.
    Cannot { why: String },
}

/// One step: one AWS call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub region: String,
    pub service: String,
    #[serde(flatten)]
    pub op: Op,
    /// What it does, in plain words.
    pub says: String,
    /// The AWS CLI command that does the same (shell-quoted).
    pub cli: String,
    pub iam_action: String,
    /// What the target must still be right before the write.
    pub expect: State,
    pub undo: Undo,
}

impl Step {
    pub fn new(region: &str, op: Op, says: String, expect: State, undo: Undo) -> Self {
        Step {
            region: region.to_string(),
            service: op.service().to_string(),
            cli: shell::cli(region, &op),
            iam_action: op.iam_action(),
            op,
            says,
            expect,
            undo,
        }
    }
}

/// What a plan would do to fix one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FixPlan {
    /// The item id, or "undo RUN" for an undo plan.
    pub item: String,
    pub account: String,
    pub steps: Vec<Step>,
    /// What it costs, in plain words.
    pub cost: String,
    /// Said before, not after: data lost, changes undo cannot take back.
    pub warnings: Vec<String>,
    /// Findings the plan leaves alone, and why (could not be read, managed by AWS,
    /// needs a choice or a fix onwatch does not automate yet).
    pub skipped: Vec<String>,
}

impl FixPlan {
    /// Every IAM action the plan needs: the writes and the reads right before them.
    pub fn permissions(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .steps
            .iter()
            .flat_map(|s| {
                let mut a = vec![s.iam_action.clone(), s.op.check_action().to_string()];
                a.extend(s.op.dependent_actions().iter().map(|d| d.to_string()));
                a
            })
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// Every IAM action some plans need together, sorted, each once.
    pub fn permissions_of<'a>(plans: impl IntoIterator<Item = &'a FixPlan>) -> Vec<String> {
        let mut all: Vec<String> = plans.into_iter().flat_map(FixPlan::permissions).collect();
        all.sort();
        all.dedup();
        all
    }

    /// The regions the plan writes in.
    pub fn regions(&self) -> Vec<String> {
        let mut r: Vec<String> = self.steps.iter().map(|s| s.region.clone()).collect();
        r.sort();
        r.dedup();
        r
    }
}

/// The user's choices for a fix.
#[derive(Debug, Clone, PartialEq)]
pub struct Choices {
    /// log-retention: days to keep (must be one AWS accepts).
    pub retention_days: i32,
    /// alarm-response-pattern: the pattern to tag untagged alarms with.
    pub response_pattern: Option<String>,
    /// Where the alerts a fix routes go; None until the user names it.
    pub channel: Option<Channel>,
    /// guardduty-findings-routed: the lowest severity the new rule sends (the item's
    /// `min_severity` parameter).
    pub min_severity: f64,
    /// New alarms: thresholds the user sets, by metric name (FreeStorageSpace in GiB,
    /// the others in the metric's unit).
    pub thresholds: std::collections::BTreeMap<String, f64>,
    /// rds-connections-alarm: the share of max_connections a new alarm fires at (the
    /// item's `max_fraction` parameter).
    pub connections_fraction: f64,
    /// RDS changes wait for the instance's next maintenance window instead of applying
    /// at once (which would also apply whatever else is pending).
    pub at_maintenance_window: bool,
    /// budget-notification: USD a month for a new budget, when the account has none.
    pub budget_amount: Option<f64>,
    /// rds-storage-headroom: turn storage autoscaling on up to this many GiB instead of
    /// adding a FreeStorageSpace alarm.
    pub storage_ceiling_gib: Option<i64>,
    /// synthetics-canary: the URLs to probe, each for a region (`REGION=URL`) or for
    /// the region whose load balancer it names (or the only region that needs one).
    pub canary_urls: Vec<(Option<String>, String)>,
    /// budget-notification: last month's cost in USD (read only when a budget is to be
    /// created without an amount), from which an amount is suggested.
    pub last_month_cost: Option<f64>,
    /// cost-anomaly-detection: alert on anomalies whose total impact reaches this many
    /// US dollars.
    pub anomaly_threshold: f64,
    /// config-recording: a new recorder records daily instead of continuously.
    pub config_daily: bool,
}

impl Default for Choices {
    fn default() -> Self {
        Choices {
            retention_days: 30,
            response_pattern: None,
            channel: None,
            min_severity: 7.0,
            thresholds: std::collections::BTreeMap::new(),
            connections_fraction: 0.8,
            at_maintenance_window: false,
            budget_amount: None,
            last_month_cost: None,
            canary_urls: Vec::new(),
            storage_ceiling_gib: None,
            anomaly_threshold: 100.0,
            config_daily: false,
        }
    }
}

/// The retention periods CloudWatch Logs accepts
/// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
pub const RETENTION_DAYS: [i32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// Why no plan can be made.
#[derive(Debug, Clone, PartialEq)]
pub enum NoPlan {
    /// No such item in the checklist or report.
    UnknownItem(String),
    /// The item has no safe one-click fix; the text says why and what to do.
    NotFixable(String),
    /// A choice is out of range.
    BadChoice(String),
}

impl std::fmt::Display for NoPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoPlan::UnknownItem(id) => f.write_str(&t!("fix_mod.unknown_item", id = id)),
            NoPlan::NotFixable(why) | NoPlan::BadChoice(why) => f.write_str(why),
        }
    }
}

/// Why an item has no safe one-click fix, in the current language, when onwatch knows
/// (its CLI and IaC text remains).
pub fn not_fixable_why(item: &str) -> Option<Cow<'static, str>> {
    Some(match item {
        "ecs-logging" => t!("fix_mod.ecs_logging"),
        "error-tracking" => t!("fix_mod.error_tracking"),
        "alarm-stuck" => t!("fix_mod.alarm_stuck"),
        "alarm-flapping" => t!("fix_mod.alarm_flapping"),
        _ => return None,
    })
}

/// The plan that fixes `item` in the account `snapshot` read, judged by `report`.
pub fn plan(
    item: &str,
    report: &Report,
    snapshot: &AccountSnapshot,
    choices: &Choices,
) -> Result<FixPlan, NoPlan> {
    let setup = channel::Setup::default();
    plan_one(item, report, snapshot, choices, &setup)
}

/// Whether onwatch has a one-click fix for the item.
pub fn has_fix(item: &str) -> bool {
    planners::planner(item).is_some()
}

/// The plans for several items at once (`fix --all-failing`, "Fix everything"): the
/// alert channel's topic, subscription and policy statements are planned once, in the
/// first plan that needs them.
pub fn plan_all(
    items: &[String],
    report: &Report,
    snapshot: &AccountSnapshot,
    choices: &Choices,
) -> Vec<(String, Result<FixPlan, NoPlan>)> {
    let setup = channel::Setup::default();
    items
        .iter()
        .map(|id| (id.clone(), plan_one(id, report, snapshot, choices, &setup)))
        .collect()
}

fn plan_one(
    item: &str,
    report: &Report,
    snapshot: &AccountSnapshot,
    choices: &Choices,
    setup: &channel::Setup,
) -> Result<FixPlan, NoPlan> {
    let Some(judged) = report.items.iter().find(|i| i.id == item) else {
        return Err(NoPlan::UnknownItem(item.to_string()));
    };
    if let Some(why) = not_fixable_why(item) {
        return Err(NoPlan::NotFixable(format!("{item}: {why}")));
    }
    if item.starts_with("practice-") {
        return Err(NoPlan::NotFixable(
            t!("fix_mod.practice", item = item).into_owned(),
        ));
    }
    planners::plan(judged, snapshot, choices, setup)
        .ok_or_else(|| NoPlan::NotFixable(t!("fix_mod.not_yet", item = item).into_owned()))?
}

/// Every IAM action a fix or an undo may need: each operation, the read right before
/// it, what AWS documents it depends on, and sts:GetCallerIdentity for the audit log.
pub fn policy_actions() -> Vec<String> {
    let mut all: Vec<String> = Op::every()
        .iter()
        .flat_map(|op| {
            let mut a = vec![op.iam_action(), op.check_action().to_string()];
            a.extend(op.dependent_actions().iter().map(|d| d.to_string()));
            a
        })
        .collect();
    all.push("sts:GetCallerIdentity".to_string());
    // Read before planning a new budget without an amount, to suggest one.
    all.push("ce:GetCostAndUsage".to_string());
    all.sort();
    all.dedup();
    all
}
