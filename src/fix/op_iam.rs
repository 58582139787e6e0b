//! What each operation needs from IAM: the read made right before its write, the
//! actions AWS documents the call depends on, and one of each operation for the
//! policy file that lists them all (a test derives it and compares).

use std::collections::BTreeMap;

use super::op::{BudgetAddress, NewAlarm, Op};

impl Op {
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
            Op::CreateBudget { .. } | Op::DeleteBudget { .. } => "budgets:ViewBudget",
            Op::CreateBudgetNotification { .. }
            | Op::DeleteBudgetNotification { .. }
            | Op::AddBudgetSubscriber { .. }
            | Op::RemoveBudgetSubscriber { .. } => "budgets:ViewBudget",
            Op::CreateAnomalyMonitor { .. } | Op::DeleteAnomalyMonitor { .. } => {
                "ce:GetAnomalyMonitors"
            }
            Op::CreateAnomalySubscription { .. } | Op::DeleteAnomalySubscription { .. } => {
                "ce:GetAnomalySubscriptions"
            }
            Op::UpdateTrail { .. } | Op::CreateTrail { .. } => "cloudtrail:GetTrail",
            Op::DeleteTrail { .. } => "cloudtrail:ListTags",
            Op::AddManagementEvents { .. } | Op::RemoveManagementEvents { .. } => {
                "cloudtrail:GetEventSelectors"
            }
            Op::CreateRole { .. } | Op::DeleteRole { .. } => "iam:GetRole",
            Op::PutRolePolicy { .. } | Op::DeleteRolePolicy { .. } => "iam:GetRolePolicy",
            Op::CreateCanary { .. }
            | Op::StartCanary { .. }
            | Op::StopCanary { .. }
            | Op::DeleteCanary { .. } => "synthetics:GetCanary",
            Op::CreateSampleFindings { .. } => "guardduty:GetDetector",
            Op::SetAlarmState { .. } => "cloudwatch:DescribeAlarms",
            Op::PublishTest { .. } => "sns:GetTopicAttributes",
            Op::StartLogging { .. } | Op::StopLogging { .. } => "cloudtrail:GetTrailStatus",
            // HeadBucket is authorised by s3:ListBucket.
            Op::CreateBucket { .. } => "s3:ListBucket",
            Op::BlockPublicAccess { .. } => "s3:GetBucketPublicAccessBlock",
            Op::PutBucketPolicy { .. } => "s3:GetBucketPolicy",
            Op::TagBucket { .. } => "s3:GetBucketTagging",
            Op::PutConfigurationRecorder { .. }
            | Op::DeleteConfigurationRecorder { .. }
            | Op::StartConfigurationRecorder { .. }
            | Op::StopConfigurationRecorder { .. } => "config:DescribeConfigurationRecorderStatus",
            Op::PutDeliveryChannel { .. } | Op::DeleteDeliveryChannel { .. } => {
                "config:DescribeDeliveryChannels"
            }
            Op::EnablePerformanceInsights { .. }
            | Op::DisablePerformanceInsights { .. }
            | Op::SetStorageCeiling { .. } => "rds:DescribeDBInstances",
            Op::EnableAlarmActions { .. } | Op::DisableAlarmActions { .. } => {
                "cloudwatch:DescribeAlarms"
            }
            Op::PutMetricAlarm { .. }
            | Op::AddAlarmAction { .. }
            | Op::RemoveAlarmAction { .. } => "cloudwatch:DescribeAlarms",
            Op::TagAlarm { .. } | Op::UntagAlarm { .. } | Op::DeleteAlarm { .. } => {
                "cloudwatch:ListTagsForResource"
            }
            Op::CreateTopic { .. } | Op::AllowPublish { .. } | Op::DisallowPublish { .. } => {
                "sns:GetTopicAttributes"
            }
            Op::DeleteTopic { .. } => "sns:ListTagsForResource",
            Op::Subscribe { .. } => "sns:ListSubscriptionsByTopic",
            Op::Unsubscribe { .. } => "sns:GetSubscriptionAttributes",
            Op::PutRule { .. } => "events:DescribeRule",
            Op::DeleteRule { .. } => "events:ListTagsForResource",
            Op::PutTarget { .. } | Op::RemoveTarget { .. } => "events:ListTargetsByRule",
        }
    }

    /// Actions AWS documents the call also needs: creating a tagged detector, topic or
    /// rule needs the service's TagResource, and GuardDuty's service-linked role is
    /// created on first use (https://docs.aws.amazon.com/guardduty/latest/ug/slr-permissions.html).
    pub fn dependent_actions(&self) -> &'static [&'static str] {
        match self {
            Op::CreateDetector {} => &["guardduty:TagResource", "iam:CreateServiceLinkedRole"],
            Op::CreateTopic { .. } => &["sns:TagResource"],
            Op::PutRule { .. } => &["events:TagResource"],
            // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html:
            // creating an alarm with tags needs cloudwatch:TagResource.
            Op::PutMetricAlarm { .. } => &["cloudwatch:TagResource"],
            Op::CreateBudget { .. } => &["budgets:TagResource"],
            // The subscription names its monitor; the executor finds its ARN.
            Op::CreateAnomalyMonitor { .. } => &["ce:TagResource"],
            Op::CreateAnomalySubscription { .. } => &["ce:GetAnomalyMonitors"],
            // Config creates its service-linked role on first use and passes it
            // (https://docs.aws.amazon.com/config/latest/developerguide/using-service-linked-roles.html).
            Op::PutConfigurationRecorder { .. } => &["iam:CreateServiceLinkedRole", "iam:PassRole"],
            Op::CreateRole { .. } => &["iam:TagRole"],
            // CreateCanary picks the runtime, passes the role and makes the canary's
            // Lambda function and layer as the caller
            // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_Roles.html,
            // CloudWatchSyntheticsFullAccess).
            Op::CreateCanary { .. } => &[
                "synthetics:DescribeRuntimeVersions",
                "synthetics:TagResource",
                "iam:PassRole",
                "lambda:CreateFunction",
                "lambda:AddPermission",
                "lambda:PublishVersion",
                "lambda:UpdateFunctionConfiguration",
                "lambda:GetFunctionConfiguration",
                "lambda:GetLayerVersion",
                "lambda:PublishLayerVersion",
                "lambda:TagResource",
            ],
            Op::DeleteCanary { .. } => &["lambda:DeleteFunction", "lambda:DeleteLayerVersion"],
            // A trail created with TagsList needs cloudtrail:AddTags.
            Op::CreateTrail { .. } => &["cloudtrail:AddTags"],
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
            Op::PutMetricAlarm {
                alarm: Box::new(NewAlarm {
                    name: s(),
                    description: s(),
                    namespace: s(),
                    metric: s(),
                    dimensions: BTreeMap::new(),
                    statistic: s(),
                    period: 60,
                    evaluation_periods: 5,
                    datapoints_to_alarm: 5,
                    threshold: 0.0,
                    comparison: s(),
                    treat_missing_data: s(),
                    actions: Vec::new(),
                    tags: BTreeMap::new(),
                }),
            },
            Op::SetStorageCeiling {
                instance: s(),
                max_gib: 0,
                apply_immediately: true,
            },
            Op::EnablePerformanceInsights {
                instance: s(),
                retention_days: 7,
                apply_immediately: true,
            },
            Op::DisablePerformanceInsights {
                instance: s(),
                apply_immediately: true,
            },
            Op::CreateBudget {
                budget: s(),
                amount: s(),
                subscriber: BudgetAddress {
                    kind: s(),
                    address: s(),
                },
            },
            Op::DeleteBudget { budget: s() },
            Op::CreateBudgetNotification {
                budget: s(),
                notification_type: s(),
                threshold: 0.0,
                subscriber: BudgetAddress {
                    kind: s(),
                    address: s(),
                },
            },
            Op::DeleteBudgetNotification {
                budget: s(),
                notification_type: s(),
                threshold: 0.0,
            },
            Op::AddBudgetSubscriber {
                budget: s(),
                notification_type: s(),
                threshold: 0.0,
                subscriber: BudgetAddress {
                    kind: s(),
                    address: s(),
                },
            },
            Op::RemoveBudgetSubscriber {
                budget: s(),
                notification_type: s(),
                threshold: 0.0,
                subscriber: BudgetAddress {
                    kind: s(),
                    address: s(),
                },
            },
            Op::CreateBucket { bucket: s() },
            Op::BlockPublicAccess { bucket: s() },
            Op::PutBucketPolicy {
                bucket: s(),
                policy: s(),
            },
            Op::TagBucket { bucket: s() },
            Op::PutConfigurationRecorder {
                recorder: s(),
                role_arn: s(),
                include_global: true,
                daily: false,
            },
            Op::DeleteConfigurationRecorder { recorder: s() },
            Op::PutDeliveryChannel {
                channel: s(),
                bucket: s(),
            },
            Op::DeleteDeliveryChannel { channel: s() },
            Op::StartConfigurationRecorder { recorder: s() },
            Op::StopConfigurationRecorder { recorder: s() },
            Op::UpdateTrail {
                trail: s(),
                multi_region: true,
                validation: true,
            },
            Op::CreateTrail {
                trail: s(),
                bucket: s(),
            },
            Op::DeleteTrail { trail: s() },
            Op::AddManagementEvents { trail: s() },
            Op::RemoveManagementEvents { trail: s() },
            Op::CreateRole {
                role: s(),
                trust: s(),
            },
            Op::DeleteRole { role: s() },
            Op::PutRolePolicy {
                role: s(),
                name: s(),
                policy: s(),
            },
            Op::DeleteRolePolicy {
                role: s(),
                name: s(),
            },
            Op::CreateCanary {
                canary: s(),
                url: s(),
                bucket: s(),
                role_arn: s(),
            },
            Op::StartCanary { canary: s() },
            Op::StopCanary { canary: s() },
            Op::DeleteCanary { canary: s() },
            Op::CreateSampleFindings {
                detector_id: s(),
                finding_type: s(),
            },
            Op::SetAlarmState {
                alarm: s(),
                reason: s(),
            },
            Op::PublishTest {
                topic_arn: s(),
                subject: s(),
                message: s(),
            },
            Op::StartLogging { trail: s() },
            Op::StopLogging { trail: s() },
            Op::CreateAnomalyMonitor { monitor: s() },
            Op::DeleteAnomalyMonitor { monitor_arn: s() },
            Op::CreateAnomalySubscription {
                subscription: s(),
                monitor: s(),
                frequency: s(),
                subscriber: BudgetAddress {
                    kind: s(),
                    address: s(),
                },
                threshold: 0.0,
            },
            Op::DeleteAnomalySubscription {
                subscription_arn: s(),
            },
            Op::AddAlarmAction {
                alarm: s(),
                topic_arn: s(),
            },
            Op::RemoveAlarmAction {
                alarm: s(),
                topic_arn: s(),
            },
            Op::DeleteAlarm {
                alarm: s(),
                alarm_arn: s(),
            },
            Op::CreateTopic {
                topic_arn: s(),
                policy: s(),
            },
            Op::DeleteTopic { topic_arn: s() },
            Op::Subscribe {
                topic_arn: s(),
                protocol: s(),
                endpoint: s(),
            },
            Op::Unsubscribe {
                subscription_arn: s(),
            },
            Op::AllowPublish {
                topic_arn: s(),
                sid: s(),
                statement: s(),
            },
            Op::DisallowPublish {
                topic_arn: s(),
                sid: s(),
            },
            Op::PutRule {
                rule: s(),
                pattern: s(),
                description: s(),
            },
            Op::DeleteRule {
                rule: s(),
                rule_arn: s(),
            },
            Op::PutTarget {
                rule: s(),
                id: s(),
                arn: s(),
            },
            Op::RemoveTarget { rule: s(), id: s() },
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
                | Op::UntagAlarm { .. }
                | Op::PutMetricAlarm { .. }
                | Op::AddAlarmAction { .. }
                | Op::RemoveAlarmAction { .. }
                | Op::EnablePerformanceInsights { .. }
                | Op::DisablePerformanceInsights { .. }
                | Op::SetStorageCeiling { .. }
                | Op::CreateBudget { .. }
                | Op::DeleteBudget { .. }
                | Op::CreateBudgetNotification { .. }
                | Op::DeleteBudgetNotification { .. }
                | Op::AddBudgetSubscriber { .. }
                | Op::RemoveBudgetSubscriber { .. }
                | Op::CreateBucket { .. }
                | Op::BlockPublicAccess { .. }
                | Op::PutBucketPolicy { .. }
                | Op::TagBucket { .. }
                | Op::PutConfigurationRecorder { .. }
                | Op::DeleteConfigurationRecorder { .. }
                | Op::PutDeliveryChannel { .. }
                | Op::DeleteDeliveryChannel { .. }
                | Op::StartConfigurationRecorder { .. }
                | Op::StopConfigurationRecorder { .. }
                | Op::UpdateTrail { .. }
                | Op::CreateTrail { .. }
                | Op::DeleteTrail { .. }
                | Op::AddManagementEvents { .. }
                | Op::RemoveManagementEvents { .. }
                | Op::CreateRole { .. }
                | Op::DeleteRole { .. }
                | Op::PutRolePolicy { .. }
                | Op::DeleteRolePolicy { .. }
                | Op::CreateCanary { .. }
                | Op::StartCanary { .. }
                | Op::StopCanary { .. }
                | Op::DeleteCanary { .. }
                | Op::CreateSampleFindings { .. }
                | Op::SetAlarmState { .. }
                | Op::PublishTest { .. }
                | Op::StartLogging { .. }
                | Op::StopLogging { .. }
                | Op::CreateAnomalyMonitor { .. }
                | Op::DeleteAnomalyMonitor { .. }
                | Op::CreateAnomalySubscription { .. }
                | Op::DeleteAnomalySubscription { .. }
                | Op::DeleteAlarm { .. }
                | Op::CreateTopic { .. }
                | Op::DeleteTopic { .. }
                | Op::Subscribe { .. }
                | Op::Unsubscribe { .. }
                | Op::AllowPublish { .. }
                | Op::DisallowPublish { .. }
                | Op::PutRule { .. }
                | Op::DeleteRule { .. }
                | Op::PutTarget { .. }
                | Op::RemoveTarget { .. } => {}
            }
        }
        all
    }
}
