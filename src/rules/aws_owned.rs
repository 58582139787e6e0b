//! Alarms that AWS services create and own. Target-tracking scaling policies (EC2 Auto
//! Scaling, and Application Auto Scaling for ECS services, DynamoDB tables, Aurora
//! replicas, ...) create a pair of alarms named `TargetTracking-...-AlarmHigh-...` /
//! `...-AlarmLow-...` whose only actions are the scaling policy, with the description
//! "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ...": "Do not edit or
//! delete the CloudWatch alarms that are configured for the target tracking scaling
//! policy"
//! (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html,
//! https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html).
//! Their low alarm sits in ALARM whenever the load is low, and nobody is meant to be
//! told: judging them by the alerting items would fail every autoscaled service forever.

use std::borrow::Cow;

use crate::report::Finding;
use crate::snapshot::Alarm;
use crate::t;

/// The AWS service that owns the alarm, if one does. Both marks are needed: every
/// action is a scaling policy, and the name or description is the one AWS writes.
/// The owner is named in the language in use.
pub(crate) fn owner(alarm: &Alarm) -> Option<Cow<'static, str>> {
    let scaling_only = !alarm.alarm_actions.is_empty()
        && alarm
            .alarm_actions
            .iter()
            .chain(&alarm.ok_actions)
            .chain(&alarm.insufficient_data_actions)
            .all(|a| is_scaling_policy(a));
    let marked = alarm.name.starts_with("TargetTracking-") // i18n: technical
        || alarm
            .description
            .as_deref()
            .is_some_and(|d| d.starts_with("DO NOT EDIT OR DELETE. For TargetTrackingScaling")); // i18n: technical
    (scaling_only && marked).then(|| t!("rules_aws_owned.target_tracking"))
}

/// `arn:aws:autoscaling:REGION:ACCOUNT:scalingPolicy:...` (both EC2 Auto Scaling and
/// Application Auto Scaling policies), in any partition.
fn is_scaling_policy(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    matches!(
        parts.as_slice(),
        ["arn", _, "autoscaling", _, _, resource] if resource.starts_with("scalingPolicy:")
    )
}

/// The finding for an alarm an AWS service owns: seen, not judged.
pub(crate) fn not_judged(region: &str, alarm: &Alarm, owner: impl std::fmt::Display) -> Finding {
    let mut finding = Finding::not_applicable(
        region,
        &alarm.arn,
        t!("rules_aws_owned.not_judged", owner = owner),
    );
    finding.evidence = t!("rules_aws_owned.evidence").into_owned();
    finding
}

#[cfg(test)]
mod tests {
    use super::is_scaling_policy;

    #[test]
    fn scaling_policy_arns() {
        assert!(is_scaling_policy(
            "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:6d8972f3-efc8-437c-92d1-6270f29a66e7:resource/ecs/service/shop/api:policyName/cpu"
        ));
        assert!(is_scaling_policy(
            "arn:aws-cn:autoscaling:cn-north-1:123456789012:scalingPolicy:abc:autoScalingGroupName/web:policyName/tt"
        ));
        assert!(!is_scaling_policy("arn:aws:sns:us-east-1:123456789012:ops"));
        assert!(!is_scaling_policy(
            "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x"
        ));
        assert!(!is_scaling_policy("autoscaling"));
    }
}
