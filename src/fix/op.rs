//! One AWS API call of a fix, as plain data: which service and operation, the IAM
//! action it needs, the read the executor makes right before it, and its target.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::t;

/// A metric alarm onwatch creates (PutMetricAlarm), with every field it sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAlarm {
    pub name: String,
    pub description: String,
    pub namespace: String,
    pub metric: String,
    /// Dimension name → value.
    pub dimensions: BTreeMap<String, String>,
    /// "Average", "Sum", "Minimum", "Maximum", or a percentile such as "p90"
    /// (sent as ExtendedStatistic).
    pub statistic: String,
    /// Seconds.
    pub period: i32,
    pub evaluation_periods: i32,
    pub datapoints_to_alarm: i32,
    pub threshold: f64,
    /// GreaterThanThreshold, LessThanThreshold, ...
    pub comparison: String,
    /// "missing", "notBreaching", "breaching" or "ignore".
    pub treat_missing_data: String,
    /// The topics the alarm notifies when it goes into ALARM.
    pub actions: Vec<String>,
    pub tags: BTreeMap<String, String>,
}

/// Who a budget notification tells: "EMAIL" and an address, or "SNS" and a topic ARN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetAddress {
    pub kind: String,
    pub address: String,
}

impl NewAlarm {
    /// Percentiles (p90, p99.9) go in ExtendedStatistic, the rest in Statistic.
    pub fn is_percentile(&self) -> bool {
        self.statistic.starts_with('p')
    }
}

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
    /// CloudWatch: a new metric alarm, tagged managed-by = onwatch.
    PutMetricAlarm { alarm: Box<NewAlarm> },
    /// CloudWatch: add one topic to a metric alarm's alarm actions (PutMetricAlarm with
    /// every other field as DescribeAlarms shows it right before the write).
    AddAlarmAction { alarm: String, topic_arn: String },
    /// CloudWatch: remove one topic from a metric alarm's alarm actions, the same way.
    RemoveAlarmAction { alarm: String, topic_arn: String },
    /// RDS: turn Performance Insights on (ModifyDBInstance), keeping `retention_days` of
    /// history; `apply_immediately` also applies any pending modification.
    EnablePerformanceInsights {
        instance: String,
        retention_days: i32,
        apply_immediately: bool,
    },
    /// RDS: turn Performance Insights off again.
    DisablePerformanceInsights {
        instance: String,
        apply_immediately: bool,
    },
    /// RDS: the storage autoscaling ceiling (MaxAllocatedStorage, GiB); a ceiling equal
    /// to the allocated storage turns autoscaling off.
    SetStorageCeiling {
        instance: String,
        max_gib: i64,
        apply_immediately: bool,
    },
    /// Budgets: a new monthly cost budget, tagged managed-by = onwatch, telling
    /// `subscriber` at 80 % of actual cost and 100 % of forecast cost.
    CreateBudget {
        budget: String,
        /// USD a month.
        amount: String,
        subscriber: BudgetAddress,
    },
    /// Budgets: delete a budget onwatch created.
    DeleteBudget { budget: String },
    /// Budgets: a new notification on an existing budget (its others stay).
    CreateBudgetNotification {
        budget: String,
        notification_type: String,
        threshold: f64,
        subscriber: BudgetAddress,
    },
    /// Budgets: delete a notification onwatch added.
    DeleteBudgetNotification {
        budget: String,
        notification_type: String,
        threshold: f64,
    },
    /// Budgets: one more subscriber on an existing notification (its others stay).
    AddBudgetSubscriber {
        budget: String,
        notification_type: String,
        threshold: f64,
        subscriber: BudgetAddress,
    },
    /// Budgets: remove the subscriber onwatch added.
    RemoveBudgetSubscriber {
        budget: String,
        notification_type: String,
        threshold: f64,
        subscriber: BudgetAddress,
    },
    /// Cost Anomaly Detection: a monitor of spend per AWS service, tagged
    /// managed-by = onwatch.
    CreateAnomalyMonitor { monitor: String },
    /// Cost Anomaly Detection: delete a monitor onwatch created.
    DeleteAnomalyMonitor { monitor_arn: String },
    /// Cost Anomaly Detection: an alert subscription on a monitor (named, or its ARN),
    /// for anomalies with a total impact of at least `threshold` US dollars.
    CreateAnomalySubscription {
        subscription: String,
        monitor: String,
        /// "IMMEDIATE" (SNS only) or "DAILY".
        frequency: String,
        subscriber: BudgetAddress,
        threshold: f64,
    },
    /// Cost Anomaly Detection: delete a subscription onwatch created.
    DeleteAnomalySubscription { subscription_arn: String },
    /// CloudTrail: a trail's multi-region and log file validation settings (UpdateTrail
    /// changes only the settings it names), in the trail's home region.
    UpdateTrail {
        trail: String,
        multi_region: bool,
        validation: bool,
    },
    /// CloudTrail: a new multi-region trail with log file validation, delivering to
    /// a bucket onwatch created, tagged managed-by = onwatch, in its home region.
    CreateTrail { trail: String, bucket: String },
    /// CloudTrail: delete a trail onwatch created (undo only; its logs stay).
    DeleteTrail { trail: String },
    /// CloudTrail: add a selector recording management events (read and write) to a
    /// trail's selectors, keeping every selector it has (GetEventSelectors right
    /// before PutEventSelectors).
    AddManagementEvents { trail: String },
    /// CloudTrail: remove the selector AddManagementEvents added, keeping the rest.
    RemoveManagementEvents { trail: String },
    /// CloudTrail: start recording.
    StartLogging { trail: String },
    /// CloudTrail: stop recording (undo only).
    StopLogging { trail: String },
    /// S3: a new bucket in the step's region (kept on undo: it holds evidence).
    CreateBucket { bucket: String },
    /// S3: block every kind of public access to a bucket onwatch created.
    BlockPublicAccess { bucket: String },
    /// S3: the policy of a bucket onwatch created (it has none before).
    PutBucketPolicy { bucket: String, policy: String },
    /// S3: tag a bucket onwatch created managed-by = onwatch (it has no tags before).
    TagBucket { bucket: String },
    /// AWS Config: a recorder of every supported resource type, using Config's
    /// service-linked role (Config creates it if missing).
    PutConfigurationRecorder {
        recorder: String,
        role_arn: String,
        /// Global types (IAM) are recorded in one region only.
        include_global: bool,
        /// DAILY instead of CONTINUOUS recording, to cut cost.
        daily: bool,
    },
    /// AWS Config: delete a recorder onwatch created.
    DeleteConfigurationRecorder { recorder: String },
    /// AWS Config: a delivery channel to a bucket.
    PutDeliveryChannel { channel: String, bucket: String },
    /// AWS Config: delete a delivery channel onwatch created.
    DeleteDeliveryChannel { channel: String },
    /// AWS Config: start recording.
    StartConfigurationRecorder { recorder: String },
    /// AWS Config: stop recording (undo only).
    StopConfigurationRecorder { recorder: String },
    /// CloudWatch: delete an alarm onwatch created.
    DeleteAlarm { alarm: String, alarm_arn: String },
    /// SNS: a new topic, tagged managed-by = onwatch, with this access policy.
    CreateTopic { topic_arn: String, policy: String },
    /// SNS: delete a topic onwatch created (and so its subscriptions).
    DeleteTopic { topic_arn: String },
    /// SNS: subscribe an endpoint; e-mail stays pending until its owner confirms.
    Subscribe {
        topic_arn: String,
        protocol: String,
        endpoint: String,
    },
    /// SNS: remove one subscription onwatch made.
    Unsubscribe { subscription_arn: String },
    /// SNS: add one statement (identified by its Sid) to the topic's policy, keeping
    /// every other statement as it is at that moment (SetTopicAttributes Policy).
    AllowPublish {
        topic_arn: String,
        sid: String,
        /// The statement, as JSON.
        statement: String,
    },
    /// SNS: remove the statement with this Sid from the topic's policy, keeping the rest.
    DisallowPublish { topic_arn: String, sid: String },
    /// EventBridge: a new rule on the default bus, tagged managed-by = onwatch.
    PutRule {
        rule: String,
        pattern: String,
        description: String,
    },
    /// EventBridge: delete a rule onwatch created (its targets removed first).
    DeleteRule { rule: String, rule_arn: String },
    /// EventBridge: add one target to a rule (its other targets are kept).
    PutTarget {
        rule: String,
        id: String,
        arn: String,
    },
    /// EventBridge: remove one target from a rule.
    RemoveTarget { rule: String, id: String },
    /// IAM: a new role, tagged managed-by = onwatch, with this trust policy.
    CreateRole { role: String, trust: String },
    /// IAM: delete a role onwatch created (undo only; its inline policy goes first).
    DeleteRole { role: String },
    /// IAM: an inline policy on a role onwatch created.
    PutRolePolicy {
        role: String,
        name: String,
        policy: String,
    },
    /// IAM: delete that inline policy (undo only).
    DeleteRolePolicy { role: String, name: String },
    /// Synthetics: a heartbeat canary that loads `url` every 5 minutes, on the newest
    /// Node.js Puppeteer runtime the region offers (read right before the write),
    /// keeping its artifacts under `bucket`/canary/, tagged managed-by = onwatch.
    CreateCanary {
        canary: String,
        url: String,
        bucket: String,
        role_arn: String,
    },
    /// Synthetics: start a canary (once it is READY).
    StartCanary { canary: String },
    /// Synthetics: stop a canary (undo only).
    StopCanary { canary: String },
    /// Synthetics: delete a canary onwatch created, with its Lambda function and layer;
    /// its log group stays (undo only).
    DeleteCanary { canary: String },
    /// Fire drill: GuardDuty makes a sample finding of this type (EventBridge routes it
    /// like a real one).
    CreateSampleFindings {
        detector_id: String,
        finding_type: String,
    },
    /// Fire drill: a metric alarm set to ALARM with this reason; CloudWatch puts it back
    /// at its next evaluation.
    SetAlarmState { alarm: String, reason: String },
    /// Fire drill: a test message on a topic.
    PublishTest {
        topic_arn: String,
        subject: String,
        message: String,
    },
}

impl Op {
    /// The API the call goes to, as the AWS CLI names it.
    pub fn service(&self) -> &'static str {
        match self {
            Op::PutRetentionPolicy { .. } | Op::DeleteRetentionPolicy { .. } => "logs",
            Op::PutImageScanningConfiguration { .. } => "ecr",
            Op::CreateDetector {} | Op::UpdateDetector { .. } => "guardduty",
            Op::UpdateClusterSettings { .. } => "ecs",
            Op::CreateBudget { .. }
            | Op::DeleteBudget { .. }
            | Op::CreateBudgetNotification { .. }
            | Op::DeleteBudgetNotification { .. }
            | Op::AddBudgetSubscriber { .. }
            | Op::RemoveBudgetSubscriber { .. } => "budgets",
            Op::CreateAnomalyMonitor { .. }
            | Op::DeleteAnomalyMonitor { .. }
            | Op::CreateAnomalySubscription { .. }
            | Op::DeleteAnomalySubscription { .. } => "ce",
            Op::CreateRole { .. }
            | Op::DeleteRole { .. }
            | Op::PutRolePolicy { .. }
            | Op::DeleteRolePolicy { .. } => "iam",
            Op::CreateCanary { .. }
            | Op::StartCanary { .. }
            | Op::StopCanary { .. }
            | Op::DeleteCanary { .. } => "synthetics",
            Op::CreateSampleFindings { .. } => "guardduty",
            Op::SetAlarmState { .. } => "cloudwatch",
            Op::PublishTest { .. } => "sns",
            Op::UpdateTrail { .. }
            | Op::CreateTrail { .. }
            | Op::DeleteTrail { .. }
            | Op::AddManagementEvents { .. }
            | Op::RemoveManagementEvents { .. }
            | Op::StartLogging { .. }
            | Op::StopLogging { .. } => "cloudtrail",
            Op::CreateBucket { .. }
            | Op::BlockPublicAccess { .. }
            | Op::PutBucketPolicy { .. }
            | Op::TagBucket { .. } => "s3",
            Op::PutConfigurationRecorder { .. }
            | Op::DeleteConfigurationRecorder { .. }
            | Op::PutDeliveryChannel { .. }
            | Op::DeleteDeliveryChannel { .. }
            | Op::StartConfigurationRecorder { .. }
            | Op::StopConfigurationRecorder { .. } => "config",
            Op::EnablePerformanceInsights { .. }
            | Op::DisablePerformanceInsights { .. }
            | Op::SetStorageCeiling { .. } => "rds",
            Op::EnableAlarmActions { .. }
            | Op::DisableAlarmActions { .. }
            | Op::TagAlarm { .. }
            | Op::UntagAlarm { .. }
            | Op::PutMetricAlarm { .. }
            | Op::AddAlarmAction { .. }
            | Op::RemoveAlarmAction { .. }
            | Op::DeleteAlarm { .. } => "cloudwatch",
            Op::CreateTopic { .. }
            | Op::DeleteTopic { .. }
            | Op::Subscribe { .. }
            | Op::Unsubscribe { .. }
            | Op::AllowPublish { .. }
            | Op::DisallowPublish { .. } => "sns",
            Op::PutRule { .. }
            | Op::DeleteRule { .. }
            | Op::PutTarget { .. }
            | Op::RemoveTarget { .. } => "events",
        }
    }

    /// The operation's name, as in the API reference.
    pub fn name(&self) -> &'static str {
        match self {
            Op::PutRetentionPolicy { .. } => "PutRetentionPolicy", // i18n: technical
            Op::DeleteRetentionPolicy { .. } => "DeleteRetentionPolicy", // i18n: technical
            Op::PutImageScanningConfiguration { .. } => "PutImageScanningConfiguration", // i18n: technical
            Op::CreateDetector {} => "CreateDetector", // i18n: technical
            Op::UpdateDetector { .. } => "UpdateDetector", // i18n: technical
            Op::UpdateClusterSettings { .. } => "UpdateClusterSettings", // i18n: technical
            Op::CreateBudget { .. } => "CreateBudget", // i18n: technical
            Op::DeleteBudget { .. } => "DeleteBudget", // i18n: technical
            Op::CreateBudgetNotification { .. } => "CreateNotification", // i18n: technical
            Op::DeleteBudgetNotification { .. } => "DeleteNotification", // i18n: technical
            Op::AddBudgetSubscriber { .. } => "CreateSubscriber", // i18n: technical
            Op::RemoveBudgetSubscriber { .. } => "DeleteSubscriber", // i18n: technical
            Op::CreateAnomalyMonitor { .. } => "CreateAnomalyMonitor", // i18n: technical
            Op::DeleteAnomalyMonitor { .. } => "DeleteAnomalyMonitor", // i18n: technical
            Op::CreateAnomalySubscription { .. } => "CreateAnomalySubscription", // i18n: technical
            Op::DeleteAnomalySubscription { .. } => "DeleteAnomalySubscription", // i18n: technical
            Op::UpdateTrail { .. } => "UpdateTrail",   // i18n: technical
            Op::CreateTrail { .. } => "CreateTrail",   // i18n: technical
            Op::AddManagementEvents { .. } | Op::RemoveManagementEvents { .. } => {
                "PutEventSelectors" // i18n: technical
            }
            Op::CreateRole { .. } => "CreateRole", // i18n: technical
            Op::DeleteRole { .. } => "DeleteRole", // i18n: technical
            Op::PutRolePolicy { .. } => "PutRolePolicy", // i18n: technical
            Op::DeleteRolePolicy { .. } => "DeleteRolePolicy", // i18n: technical
            Op::CreateCanary { .. } => "CreateCanary", // i18n: technical
            Op::StartCanary { .. } => "StartCanary", // i18n: technical
            Op::StopCanary { .. } => "StopCanary", // i18n: technical
            Op::DeleteCanary { .. } => "DeleteCanary", // i18n: technical
            Op::CreateSampleFindings { .. } => "CreateSampleFindings", // i18n: technical
            Op::SetAlarmState { .. } => "SetAlarmState", // i18n: technical
            Op::PublishTest { .. } => "Publish",   // i18n: technical
            Op::DeleteTrail { .. } => "DeleteTrail", // i18n: technical
            Op::StartLogging { .. } => "StartLogging", // i18n: technical
            Op::StopLogging { .. } => "StopLogging", // i18n: technical
            Op::CreateBucket { .. } => "CreateBucket", // i18n: technical
            Op::BlockPublicAccess { .. } => "PutPublicAccessBlock", // i18n: technical
            Op::PutBucketPolicy { .. } => "PutBucketPolicy", // i18n: technical
            Op::TagBucket { .. } => "PutBucketTagging", // i18n: technical
            Op::PutConfigurationRecorder { .. } => "PutConfigurationRecorder", // i18n: technical
            Op::DeleteConfigurationRecorder { .. } => "DeleteConfigurationRecorder", // i18n: technical
            Op::PutDeliveryChannel { .. } => "PutDeliveryChannel", // i18n: technical
            Op::DeleteDeliveryChannel { .. } => "DeleteDeliveryChannel", // i18n: technical
            Op::StartConfigurationRecorder { .. } => "StartConfigurationRecorder", // i18n: technical
            Op::StopConfigurationRecorder { .. } => "StopConfigurationRecorder", // i18n: technical
            Op::EnablePerformanceInsights { .. }
            | Op::DisablePerformanceInsights { .. }
            | Op::SetStorageCeiling { .. } => "ModifyDBInstance", // i18n: technical
            Op::EnableAlarmActions { .. } => "EnableAlarmActions",               // i18n: technical
            Op::DisableAlarmActions { .. } => "DisableAlarmActions",             // i18n: technical
            Op::TagAlarm { .. } => "TagResource",                                // i18n: technical
            Op::UntagAlarm { .. } => "UntagResource",                            // i18n: technical
            Op::PutMetricAlarm { .. }
            | Op::AddAlarmAction { .. }
            | Op::RemoveAlarmAction { .. } => "PutMetricAlarm", // i18n: technical
            Op::DeleteAlarm { .. } => "DeleteAlarms",                            // i18n: technical
            Op::CreateTopic { .. } => "CreateTopic",                             // i18n: technical
            Op::DeleteTopic { .. } => "DeleteTopic",                             // i18n: technical
            Op::Subscribe { .. } => "Subscribe",                                 // i18n: technical
            Op::Unsubscribe { .. } => "Unsubscribe",                             // i18n: technical
            Op::AllowPublish { .. } | Op::DisallowPublish { .. } => "SetTopicAttributes", // i18n: technical
            Op::PutRule { .. } => "PutRule",       // i18n: technical
            Op::DeleteRule { .. } => "DeleteRule", // i18n: technical
            Op::PutTarget { .. } => "PutTargets",  // i18n: technical
            Op::RemoveTarget { .. } => "RemoveTargets", // i18n: technical
        }
    }

    /// The IAM action the call needs.
    pub fn iam_action(&self) -> String {
        // Budgets authorises every change with one action
        // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbudgetservice.html).
        if self.service() == "budgets" {
            return "budgets:ModifyBudget".to_string();
        }
        // PutPublicAccessBlock on a bucket is authorised by this action.
        if let Op::BlockPublicAccess { .. } = self {
            return "s3:PutBucketPublicAccessBlock".to_string();
        }
        format!("{}:{}", self.service(), self.name())
    }

    /// The resource the call changes (a name, or the region for a new detector).
    pub fn target(&self) -> String {
        match self {
            Op::PutRetentionPolicy { log_group, .. } | Op::DeleteRetentionPolicy { log_group } => {
                log_group.clone()
            }
            Op::PutImageScanningConfiguration { repository, .. } => repository.clone(),
            Op::CreateDetector {} => t!("fix_op.new_detector").into_owned(),
            Op::UpdateDetector { detector_id, .. } => detector_id.clone(),
            Op::UpdateClusterSettings { cluster, .. } => cluster.clone(),
            Op::CreateBudget { budget, .. }
            | Op::DeleteBudget { budget }
            | Op::CreateBudgetNotification { budget, .. }
            | Op::DeleteBudgetNotification { budget, .. }
            | Op::AddBudgetSubscriber { budget, .. }
            | Op::RemoveBudgetSubscriber { budget, .. } => {
                t!("fix_op.budget", budget = budget).into_owned()
            }
            Op::CreateBucket { bucket }
            | Op::BlockPublicAccess { bucket }
            | Op::PutBucketPolicy { bucket, .. }
            | Op::TagBucket { bucket } => t!("fix_op.bucket", bucket = bucket).into_owned(),
            Op::PutConfigurationRecorder { recorder, .. }
            | Op::DeleteConfigurationRecorder { recorder }
            | Op::StartConfigurationRecorder { recorder }
            | Op::StopConfigurationRecorder { recorder } => {
                t!("fix_op.config_recorder", recorder = recorder).into_owned()
            }
            Op::PutDeliveryChannel { channel, .. } | Op::DeleteDeliveryChannel { channel } => {
                t!("fix_op.delivery_channel", channel = channel).into_owned()
            }
            Op::UpdateTrail { trail, .. }
            | Op::CreateTrail { trail, .. }
            | Op::DeleteTrail { trail }
            | Op::AddManagementEvents { trail }
            | Op::RemoveManagementEvents { trail }
            | Op::StartLogging { trail }
            | Op::StopLogging { trail } => t!("fix_op.trail", trail = trail).into_owned(),
            Op::CreateRole { role, .. } | Op::DeleteRole { role } => {
                t!("fix_op.role", role = role).into_owned()
            }
            Op::PutRolePolicy { role, name, .. } | Op::DeleteRolePolicy { role, name } => {
                t!("fix_op.role_policy", name = name, role = role).into_owned()
            }
            Op::CreateCanary { canary, .. }
            | Op::StartCanary { canary }
            | Op::StopCanary { canary }
            | Op::DeleteCanary { canary } => t!("fix_op.canary", canary = canary).into_owned(),
            Op::CreateSampleFindings { detector_id, .. } => {
                t!("fix_op.detector", detector = detector_id).into_owned()
            }
            Op::SetAlarmState { alarm, .. } => t!("fix_op.alarm", alarm = alarm).into_owned(),
            Op::PublishTest { topic_arn, .. } => topic_arn.clone(),
            Op::CreateAnomalyMonitor { monitor } => {
                t!("fix_op.anomaly_monitor", monitor = monitor).into_owned()
            }
            Op::DeleteAnomalyMonitor { monitor_arn } => monitor_arn.clone(),
            Op::CreateAnomalySubscription { subscription, .. } => {
                t!("fix_op.anomaly_subscription", subscription = subscription).into_owned()
            }
            Op::DeleteAnomalySubscription { subscription_arn } => subscription_arn.clone(),
            Op::EnablePerformanceInsights { instance, .. }
            | Op::DisablePerformanceInsights { instance, .. }
            | Op::SetStorageCeiling { instance, .. } => {
                t!("fix_op.db_instance", instance = instance).into_owned()
            }
            Op::EnableAlarmActions { alarm } | Op::DisableAlarmActions { alarm } => alarm.clone(),
            Op::TagAlarm { alarm_arn, .. } | Op::UntagAlarm { alarm_arn, .. } => alarm_arn.clone(),
            Op::PutMetricAlarm { alarm } => t!("fix_op.alarm", alarm = alarm.name).into_owned(),
            Op::DeleteAlarm { alarm, .. }
            | Op::AddAlarmAction { alarm, .. }
            | Op::RemoveAlarmAction { alarm, .. } => t!("fix_op.alarm", alarm = alarm).into_owned(),
            Op::CreateTopic { topic_arn, .. }
            | Op::DeleteTopic { topic_arn }
            | Op::Subscribe { topic_arn, .. }
            | Op::AllowPublish { topic_arn, .. }
            | Op::DisallowPublish { topic_arn, .. } => topic_arn.clone(),
            Op::Unsubscribe { subscription_arn } => subscription_arn.clone(),
            Op::PutRule { rule, .. }
            | Op::DeleteRule { rule, .. }
            | Op::PutTarget { rule, .. }
            | Op::RemoveTarget { rule, .. } => t!("fix_op.rule", rule = rule).into_owned(),
        }
    }
}
