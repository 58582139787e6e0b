//! Per-service data. AWS enum values (states, statuses) are kept as the strings AWS sent,
//! so a value newer than this build (Config's "PENDING", say) is data, not a crash.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Read, ReadError};

/// Everything read in one region. Each field is one read (or one group of reads that
/// succeed or fail together) so a failure in one service never hides the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSnapshot {
    pub guardduty_detectors: Read<Vec<GuardDutyDetector>>,
    pub event_rules: Read<Vec<EventRule>>,
    pub sns_topics: Read<Vec<SnsTopic>>,
    pub sns_subscriptions: Read<Vec<SnsSubscription>>,
    pub trails: Read<Vec<Trail>>,
    /// Multi-region trails DescribeTrails listed here but left to be read in another
    /// region (their home, or the scan's first region). None when `trails` failed, and
    /// in snapshots saved before onwatch recorded them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail_shadows: Option<Vec<TrailShadow>>,
    pub config_recorders: Read<Vec<ConfigRecorder>>,
    pub config_delivery_channels: Read<Vec<ConfigDeliveryChannel>>,
    pub ecr_repositories: Read<Vec<EcrRepository>>,
    pub ecr_registry_scanning: Read<RegistryScanning>,
    pub rds_instances: Read<Vec<DbInstance>>,
    pub ecs_clusters: Read<Vec<EcsCluster>>,
    pub ecs_task_definitions: Read<Vec<TaskDefinition>>,
    pub alarms: Read<Vec<Alarm>>,
    /// How the alarms' tags were read. None when the alarms could not be listed, and in
    /// snapshots saved before onwatch recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_tags_read: Option<AlarmTagsRead>,
    /// State changes of all alarms in the 7 days before the scan.
    pub alarm_history: Read<Vec<AlarmStateChange>>,
    pub canaries: Read<Vec<Canary>>,
    pub load_balancers: Read<Vec<LoadBalancer>>,
    pub log_groups: Read<Vec<LogGroup>>,
}

/// Account-wide reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalSnapshot {
    pub budgets: Read<Vec<Budget>>,
    pub anomaly_monitors: Read<Vec<AnomalyMonitor>>,
    pub anomaly_subscriptions: Read<Vec<AnomalySubscription>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardDutyDetector {
    pub id: String,
    /// "ENABLED" or "DISABLED".
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding_publishing_frequency: Option<String>,
    /// The detector's filters (ListFilters, GetFilter), read for an enabled detector:
    /// an ARCHIVE filter is a suppression rule, whose findings never reach EventBridge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Read<Vec<GuardDutyFilter>>>,
}

/// A GuardDuty filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardDutyFilter {
    pub name: String,
    /// "ARCHIVE" (a suppression rule: matching findings are archived as they arrive)
    /// or "NOOP".
    pub action: String,
    /// The finding criteria: field ("severity", "type", ...) → operator → values. The
    /// operators are Eq, Neq, Gt, Gte, Lt, Lte, Matches and NotMatches; GetFilter's
    /// legacy forms (Equals, GreaterThanOrEqual, ...) are stored under these names.
    #[serde(default)]
    pub criteria: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRule {
    pub name: String,
    pub arn: String,
    pub event_bus: String,
    /// "ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", ...
    pub state: String,
    /// The raw event pattern JSON, as AWS returns it (untrusted text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_pattern: Option<String>,
    pub targets: Vec<EventTarget>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventTarget {
    pub id: String,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnsTopic {
    pub arn: String,
    /// The topic's access policy and encryption (GetTopicAttributes), read only for the
    /// topics an alarm, a rule, a budget or an anomaly subscription publishes to. None
    /// when no route uses it (or the snapshot predates the read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Read<TopicAccess>>,
}

/// Who may publish to a topic, and whether its messages are encrypted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicAccess {
    /// The topic's access policy (JSON), as AWS returns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// KmsMasterKeyId: a key id, key ARN, alias name or alias ARN; None when the topic
    /// is not encrypted with KMS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<String>,
    /// The key (DescribeKey, GetKeyPolicy), when the topic names one other than the
    /// alias `alias/aws/sns`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Read<KmsKey>>,
}

/// Whether `kms_key` (a topic's KmsMasterKeyId) names the AWS managed key for SNS, by
/// alias name or alias ARN.
pub fn is_aws_managed_sns_alias(kms_key: &str) -> bool {
    kms_key == "alias/aws/sns" || kms_key.ends_with(":alias/aws/sns")
}

/// A KMS key a topic is encrypted with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KmsKey {
    pub arn: String,
    /// "CUSTOMER" or "AWS" (an AWS managed key, whose policy cannot be changed).
    pub manager: String,
    /// The key policy named "default", read for a customer managed key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Read<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnsSubscription {
    pub topic_arn: String,
    /// email, email-json, sms, https, http, lambda, sqs, application, firehose.
    pub protocol: String,
    /// Where it delivers (an address, URL or ARN), as AWS returns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// False while AWS reports the subscription ARN as "PendingConfirmation".
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trail {
    pub name: String,
    pub arn: String,
    pub home_region: String,
    pub is_multi_region: bool,
    pub log_file_validation: bool,
    /// From GetTrailStatus, which can fail on its own.
    pub is_logging: Read<bool>,
    /// GetTrailStatus's LatestDeliveryError ("NoSuchBucket", "AccessDenied", ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_error: Option<String>,
    /// GetEventSelectors, read only for a multi-region trail that is logging (any other
    /// trail fails without it). None: not read, or a snapshot from before onwatch read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_selectors: Option<Read<EventSelectors>>,
}

/// What a trail records, as GetEventSelectors answers: basic or advanced selectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSelectors {
    #[serde(default)]
    pub basic: Vec<BasicEventSelector>,
    #[serde(default)]
    pub advanced: Vec<AdvancedEventSelector>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicEventSelector {
    /// "All", "ReadOnly" or "WriteOnly".
    pub read_write_type: String,
    pub include_management_events: bool,
}

/// An advanced selector, reduced to what decides management events: the values its
/// `eventCategory` field equals, and those its `readOnly` field equals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvancedEventSelector {
    #[serde(default)]
    pub event_categories: Vec<String>,
    #[serde(default)]
    pub read_only: Vec<String>,
}

/// A multi-region trail as another region lists it: which trail, and where it lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrailShadow {
    pub arn: String,
    pub home_region: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigRecorder {
    pub name: String,
    pub recording: bool,
    /// "SUCCESS", "FAILURE", "PENDING", or whatever AWS sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
    pub all_supported: bool,
    /// recordingStrategy.useOnly: "ALL_SUPPORTED_RESOURCE_TYPES",
    /// "INCLUSION_BY_RESOURCE_TYPES" or "EXCLUSION_BY_RESOURCE_TYPES" (None: not
    /// given, or a snapshot from before onwatch recorded it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// The only types recorded (an inclusion list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_types: Vec<String>,
    /// The types left out (the exclusion strategy).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_types: Vec<String>,
    /// recordingMode.recordingFrequency: "CONTINUOUS" or "DAILY".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigDeliveryChannel {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_bucket: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EcrRepository {
    pub name: String,
    pub arn: String,
    pub scan_on_push: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RegistryScanning {
    /// "BASIC" or "ENHANCED".
    pub scan_type: String,
    pub rules: Vec<RegistryScanRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryScanRule {
    /// "SCAN_ON_PUSH", "CONTINUOUS_SCAN" or "MANUAL".
    pub frequency: String,
    /// Repository name filters with `*` wildcards.
    pub filters: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbInstance {
    pub identifier: String,
    pub arn: String,
    pub engine: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine_version: Option<String>,
    pub class: String,
    /// The Aurora cluster the instance belongs to (DBClusterIdentifier), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    pub performance_insights: bool,
    /// "standard" or "advanced" (Database Insights), when AWS reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_insights_mode: Option<String>,
    /// GiB.
    pub allocated_storage: i64,
    /// GiB; set when storage autoscaling is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_allocated_storage: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The instance's DB parameter group (the first DescribeDBInstances lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_group: Option<String>,
    /// max_connections as the parameter group sets it (DescribeDBParameters, Source
    /// "user"): Ok(None) when the group leaves it at the engine's default, a formula of
    /// the instance's memory. Read for a custom group only: a `default.*` group cannot
    /// be changed, so it is None there and means the engine's default too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<Read<Option<String>>>,
    /// The settings waiting for the next maintenance window (PendingModifiedValues), by
    /// name: a change made with ApplyImmediately applies them too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_modifications: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EcsCluster {
    pub name: String,
    pub arn: String,
    /// The containerInsights setting: "enabled", "enhanced", "disabled", or absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_insights: Option<String>,
    pub services: Read<Vec<EcsService>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EcsService {
    pub name: String,
    pub arn: String,
    pub task_definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    /// "ECS", "CODE_DEPLOY" or "EXTERNAL" (an EXTERNAL service runs task sets and names
    /// no task definition of its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_controller: Option<String>,
}

/// A task definition used by a service. Environment and secret NAMES only: values are
/// never read into the snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskDefinition {
    pub arn: String,
    pub family: String,
    pub revision: i64,
    pub containers: Vec<ContainerDefinition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerDefinition {
    pub name: String,
    /// "awslogs", "awsfirelens", "splunk", ... or absent when no logging is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_driver: Option<String>,
    /// Where the driver sends the logs, from its options (`awslogs-group`,
    /// `splunk-url`, `fluentd-address`, ..., or FireLens's `Name`). Never a token: only
    /// the option that names the destination is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_destination: Option<String>,
    #[serde(default)]
    pub environment_names: Vec<String>,
    #[serde(default)]
    pub secret_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alarm {
    pub name: String,
    pub arn: String,
    /// "metric" or "composite".
    pub kind: String,
    /// AlarmDescription (untrusted text); AWS services mark the alarms they own here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// "OK", "ALARM" or "INSUFFICIENT_DATA".
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_updated_at: Option<DateTime<Utc>>,
    pub actions_enabled: bool,
    #[serde(default)]
    pub alarm_actions: Vec<String>,
    #[serde(default)]
    pub ok_actions: Vec<String>,
    #[serde(default)]
    pub insufficient_data_actions: Vec<String>,
    /// A composite alarm's rule (`ALARM("cpu") OR ALARM("memory")`); None for a metric
    /// alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_rule: Option<String>,
    /// The metric, or every metric of a metric-math alarm.
    #[serde(default)]
    pub metrics: Vec<AlarmMetric>,
    /// When a metric alarm goes into ALARM; None for a composite alarm (and in
    /// snapshots saved before onwatch recorded it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<AlarmCondition>,
    pub tags: Read<BTreeMap<String, String>>,
}

/// A metric alarm's condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlarmCondition {
    /// GreaterThanThreshold, LessThanOrEqualToThreshold, ..., or an anomaly detection
    /// band's LessThanLowerOrGreaterThanUpperThreshold.
    pub comparison: String,
    /// None for an anomaly detection alarm (its threshold is a band).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// "missing", "notBreaching", "breaching" or "ignore".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treat_missing_data: Option<String>,
}

/// How a region's alarm tags were read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "via", rename_all = "snake_case", deny_unknown_fields)]
pub enum AlarmTagsRead {
    /// One Resource Groups Tagging API listing for the whole region
    /// (tag:GetResources, resource type cloudwatch:alarm).
    Batch,
    /// One cloudwatch:ListTagsForResource per alarm, because the batch read was denied
    /// (`batch_error` says why).
    PerAlarm { batch_error: ReadError },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlarmMetric {
    pub namespace: String,
    pub metric_name: String,
    #[serde(default)]
    pub dimensions: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlarmStateChange {
    pub alarm_name: String,
    pub timestamp: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The state before and after ("OK", "ALARM", "INSUFFICIENT_DATA"), from the
    /// item's HistoryData. None when AWS did not say, and in snapshots saved before
    /// onwatch recorded them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_state: Option<String>,
    /// The change was an onwatch fire drill (SetAlarmState with the reason "onwatch
    /// fire drill"), not the metric.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub drill: bool,
}

impl AlarmStateChange {
    /// Whether the alarm went into or out of ALARM: the changes that run alarm
    /// actions and reach people. OK <-> INSUFFICIENT_DATA notifies nobody unless the
    /// alarm has actions for those states. A change whose states are unknown counts.
    pub fn touches_alarm(&self) -> bool {
        match (self.old_state.as_deref(), self.new_state.as_deref()) {
            (Some(old), Some(new)) => old == "ALARM" || new == "ALARM",
            _ => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Canary {
    pub name: String,
    /// "RUNNING", "STOPPED", "ERROR", ...
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancer {
    pub name: String,
    pub arn: String,
    /// "application", "network" or "gateway".
    pub kind: String,
    /// "internet-facing" or "internal".
    pub scheme: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_name: Option<String>,
}

impl LoadBalancer {
    /// The value CloudWatch uses for the LoadBalancer dimension: "app/name/id".
    pub fn metric_dimension(&self) -> Option<&str> {
        self.arn.split_once(":loadbalancer/").map(|(_, rest)| rest)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogGroup {
    pub name: String,
    pub arn: String,
    /// None: the group never expires its events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_bytes: Option<i64>,
    /// "STANDARD", "INFREQUENT_ACCESS" or "DELIVERY"; None in snapshots saved before
    /// onwatch recorded it (AWS's default is STANDARD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub name: String,
    /// "COST", "USAGE", ...
    pub budget_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    pub notifications: Read<Vec<BudgetNotification>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetNotification {
    /// "ACTUAL" or "FORECASTED".
    pub notification_type: String,
    pub threshold: f64,
    pub subscribers: Read<Vec<BudgetSubscriber>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetSubscriber {
    /// "EMAIL" or "SNS".
    pub kind: String,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnomalyMonitor {
    pub arn: String,
    pub name: String,
    /// "DIMENSIONAL" or "CUSTOM".
    pub monitor_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnomalySubscription {
    pub arn: String,
    pub name: String,
    pub monitor_arns: Vec<String>,
    /// Subscriber addresses (email addresses or SNS topic ARNs).
    pub subscribers: Vec<String>,
    /// "DAILY", "IMMEDIATE" or "WEEKLY".
    pub frequency: String,
    /// Subscribers whose status is DECLINED (they unsubscribed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declined: Vec<String>,
    /// The alert threshold in words ("total impact >= 100", "total impact >= 40%");
    /// None when AWS gave none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<String>,
}
