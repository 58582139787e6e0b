//! Fix plans: a pure function from a checklist item, the evaluated report, the snapshot
//! and the user's choices to the exact AWS calls that would make the item pass, each
//! with a sentence in plain words, its AWS CLI equivalent, the IAM action it needs, what
//! it changes, what it costs and how it is undone. No SDK here: the executor
//! (`crate::execute`) runs a plan; this module only decides it.

pub mod audit;
mod planners;
pub mod shell;

use serde::{Deserialize, Serialize};

use crate::report::Report;
use crate::snapshot::AccountSnapshot;

/// One AWS API call, as plain data. Serialized as `{"operation": ..., "parameters":
/// {...}}`; [`Op::service`] names its API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "operation", content = "parameters")]
pub enum Op {
    /// CloudWatch Logs: set a log group's retention (days AWS accepts: 1, 3, 5, 7, 14,
    /// 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    /// 3288, 3653).
    PutRetentionPolicy { log_group: String, days: i32 },
    /// CloudWatch Logs: the group keeps its events forever again.
    DeleteRetentionPolicy { log_group: String },
    /// ECR: the repository's scan-on-push flag (basic scanning).
    PutImageScanningConfiguration {
        repository: String,
        scan_on_push: bool,
    },
    /// GuardDuty: a new, enabled detector in the region.
    CreateDetector {},
    /// GuardDuty: enable or suspend a detector (suspending keeps its findings).
    UpdateDetector { detector_id: String, enable: bool },
    /// ECS: a cluster's Container Insights setting.
    UpdateClusterSettings {
        cluster: String,
        container_insights: String,
    },
    /// CloudWatch: run the alarm's actions again.
    EnableAlarmActions { alarm: String },
    /// CloudWatch: stop running the alarm's actions.
    DisableAlarmActions { alarm: String },
    /// CloudWatch: add or change one tag of an alarm (its other tags are kept).
    TagAlarm {
        alarm_arn: String,
        key: String,
        value: String,
    },
    /// CloudWatch: remove one tag of an alarm.
    UntagAlarm { alarm_arn: String, key: String },
}

impl Op {
    /// The API the call goes to, as the AWS CLI names it.
    pub fn service(&self) -> &'static str {
        match self {
            Op::PutRetentionPolicy { .. } | Op::DeleteRetentionPolicy { .. } => "logs",
            Op::PutImageScanningConfiguration { .. } => "ecr",
            Op::CreateDetector {} | Op::UpdateDetector { .. } => "guardduty",
            Op::UpdateClusterSettings { .. } => "ecs",
            Op::EnableAlarmActions { .. }
            | Op::DisableAlarmActions { .. }
            | Op::TagAlarm { .. }
            | Op::UntagAlarm { .. } => "cloudwatch",
        }
    }

    /// The operation's name, as in the API reference.
    pub fn name(&self) -> &'static str {
        match self {
            Op::PutRetentionPolicy { .. } => "PutRetentionPolicy",
            Op::DeleteRetentionPolicy { .. } => "DeleteRetentionPolicy",
            Op::PutImageScanningConfiguration { .. } => "PutImageScanningConfiguration",
            Op::CreateDetector {} => "CreateDetector",
            Op::UpdateDetector { .. } => "UpdateDetector",
            Op::UpdateClusterSettings { .. } => "UpdateClusterSettings",
            Op::EnableAlarmActions { .. } => "EnableAlarmActions",
            Op::DisableAlarmActions { .. } => "DisableAlarmActions",
            Op::TagAlarm { .. } => "TagResource",
            Op::UntagAlarm { .. } => "UntagResource",
        }
    }

    /// The IAM action the call needs.
    pub fn iam_action(&self) -> String {
        format!("{}:{}", self.service(), self.name())
    }

    /// The IAM action of the read the executor makes right before the write, to see
    /// that the target is still as planned.
    pub fn check_action(&self) -> &'static str {
        match self {
            Op::PutRetentionPolicy { .. } | Op::DeleteRetentionPolicy { .. } => {
                "logs:DescribeLogGroups"
            }
            Op::PutImageScanningConfiguration { .. } => "ecr:DescribeRepositories",
            Op::CreateDetector {} => "guardduty:ListDetectors",
            Op::UpdateDetector { .. } => "guardduty:GetDetector",
            Op::UpdateClusterSettings { .. } => "ecs:DescribeClusters",
            Op::EnableAlarmActions { .. } | Op::DisableAlarmActions { .. } => {
                "cloudwatch:DescribeAlarms"
            }
            Op::TagAlarm { .. } | Op::UntagAlarm { .. } => "cloudwatch:ListTagsForResource",
        }
    }

    /// Actions AWS documents the call also needs: creating a tagged detector needs
    /// guardduty:TagResource, and GuardDuty's service-linked role is created on first
    /// use (https://docs.aws.amazon.com/guardduty/latest/ug/slr-permissions.html).
    pub fn dependent_actions(&self) -> &'static [&'static str] {
        match self {
            Op::CreateDetector {} => &["guardduty:TagResource", "iam:CreateServiceLinkedRole"],
            _ => &[],
        }
    }

    /// One of each operation, for the policy that lists what fixes need.
    pub fn every() -> Vec<Op> {
        let s = String::new;
        let all = vec![
            Op::PutRetentionPolicy {
                log_group: s(),
                days: 30,
            },
            Op::DeleteRetentionPolicy { log_group: s() },
            Op::PutImageScanningConfiguration {
                repository: s(),
                scan_on_push: true,
            },
            Op::CreateDetector {},
            Op::UpdateDetector {
                detector_id: s(),
                enable: true,
            },
            Op::UpdateClusterSettings {
                cluster: s(),
                container_insights: s(),
            },
            Op::EnableAlarmActions { alarm: s() },
            Op::DisableAlarmActions { alarm: s() },
            Op::TagAlarm {
                alarm_arn: s(),
                key: s(),
                value: s(),
            },
            Op::UntagAlarm {
                alarm_arn: s(),
                key: s(),
            },
        ];
        // Adding a variant without listing it here fails to compile.
        for op in &all {
            match op {
                Op::PutRetentionPolicy { .. }
                | Op::DeleteRetentionPolicy { .. }
                | Op::PutImageScanningConfiguration { .. }
                | Op::CreateDetector {}
                | Op::UpdateDetector { .. }
                | Op::UpdateClusterSettings { .. }
                | Op::EnableAlarmActions { .. }
                | Op::DisableAlarmActions { .. }
                | Op::TagAlarm { .. }
                | Op::UntagAlarm { .. } => {}
            }
        }
        all
    }

    /// The resource the call changes (a name, or the region for a new detector).
    pub fn target(&self) -> String {
        match self {
            Op::PutRetentionPolicy { log_group, .. } | Op::DeleteRetentionPolicy { log_group } => {
                log_group.clone()
            }
            Op::PutImageScanningConfiguration { repository, .. } => repository.clone(),
            Op::CreateDetector {} => "a new GuardDuty detector".to_string(),
            Op::UpdateDetector { detector_id, .. } => detector_id.clone(),
            Op::UpdateClusterSettings { cluster, .. } => cluster.clone(),
            Op::EnableAlarmActions { alarm } | Op::DisableAlarmActions { alarm } => alarm.clone(),
            Op::TagAlarm { alarm_arn, .. } | Op::UntagAlarm { alarm_arn, .. } => alarm_arn.clone(),
        }
    }
}

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
}

impl Default for Choices {
    fn default() -> Self {
        Choices {
            retention_days: 30,
            response_pattern: None,
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
            NoPlan::UnknownItem(id) => write!(f, "no item `{id}` in the checklist"),
            NoPlan::NotFixable(why) | NoPlan::BadChoice(why) => f.write_str(why),
        }
    }
}

/// Items whose fix onwatch does not run, and why (their CLI and IaC text remains).
const NOT_FIXABLE: &[(&str, &str)] = &[
    (
        "ecs-logging",
        "shipping a container's logs needs a new task definition revision and a redeploy of the service: see the item's CLI and CloudFormation text",
    ),
    (
        "error-tracking",
        "an error tracker is set up in your application's code",
    ),
    (
        "alarm-stuck",
        "an alarm stuck in ALARM needs someone to look at the cause or the threshold",
    ),
    (
        "alarm-flapping",
        "a flapping alarm needs a better threshold, period or datapoints-to-alarm, which only someone who knows the metric can choose",
    ),
];

/// The plan that fixes `item` in the account `snapshot` read, judged by `report`.
pub fn plan(
    item: &str,
    report: &Report,
    snapshot: &AccountSnapshot,
    choices: &Choices,
) -> Result<FixPlan, NoPlan> {
    let Some(judged) = report.items.iter().find(|i| i.id == item) else {
        return Err(NoPlan::UnknownItem(item.to_string()));
    };
    if let Some((_, why)) = NOT_FIXABLE.iter().find(|(id, _)| *id == item) {
        return Err(NoPlan::NotFixable(format!("{item}: {why}")));
    }
    if item.starts_with("practice-") {
        return Err(NoPlan::NotFixable(format!(
            "{item} is a practice your team answers, not a setting onwatch can change"
        )));
    }
    planners::plan(judged, snapshot, choices).ok_or_else(|| {
        NoPlan::NotFixable(format!(
            "{item}: onwatch does not run this fix yet; the item's CLI and CloudFormation text show how"
        ))
    })?
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
    all.sort();
    all.dedup();
    all
}
