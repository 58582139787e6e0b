//! Who publishes to an alert topic, and what the topic must let in for the message to
//! arrive. The one table of it (README's "Who may publish to an alert topic" says the
//! same):
//!
//! | publisher | service principal | the topic policy must allow | KMS |
//! | --- | --- | --- | --- |
//! | CloudWatch alarms | cloudwatch.amazonaws.com | sns:Publish; the default topic policy does (its condition `AWS:SourceOwner` = the account is met by an alarm of the account) | a customer managed key whose policy allows the principal kms:Decrypt and kms:GenerateDataKey* |
//! | EventBridge rules | events.amazonaws.com | sns:Publish to the service principal; the default policy does not | as above |
//! | AWS Budgets | budgets.amazonaws.com | sns:Publish to the service principal | as above |
//! | Cost Anomaly Detection | costalerts.amazonaws.com | sns:Publish to the service principal | as above |
//!
//! None of them can use the AWS managed key `alias/aws/sns`: its key policy cannot be
//! changed and lets only principals of the account use it through SNS.
//!
//! Sources:
//! https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html,
//! https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions,
//! https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html,
//! https://docs.aws.amazon.com/cost-management/latest/userguide/ad-SNS.html,
//! https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
//! (the key policy for AWS services publishing to an encrypted topic, and that the AWS
//! managed key cannot be used by them).

use std::borrow::Cow;

use crate::t;

/// A service that publishes alerts to SNS topics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publisher {
    Alarms,
    EventBridge,
    Budgets,
    CostAnomaly,
}

/// What one publisher is and what its requests carry.
pub struct PublisherSpec {
    pub publisher: Publisher,
    /// "CloudWatch alarms", in English; [`Publisher::label`] says it in the language in use.
    pub label: &'static str,
    pub principal: &'static str,
    /// Whether its sns:Publish request carries `AWS:SourceOwner` (the account), which
    /// is what lets the default topic policy admit it.
    pub source_owner: bool,
    /// Whether its KMS requests carry aws:SourceAccount / aws:SourceArn: None when AWS
    /// does not document it (a key policy conditioned on them is then unknown). AWS
    /// documents that EventBridge's do not.
    pub key_source_keys: Option<bool>,
}

pub const PUBLISHERS: [PublisherSpec; 4] = [
    PublisherSpec {
        publisher: Publisher::Alarms,
        label: "CloudWatch alarms", // i18n: technical (English name; Publisher::label translates)
        principal: "cloudwatch.amazonaws.com",
        source_owner: true,
        key_source_keys: Some(true),
    },
    PublisherSpec {
        publisher: Publisher::EventBridge,
        label: "EventBridge", // i18n: technical (English name; Publisher::label translates)
        principal: "events.amazonaws.com",
        source_owner: false,
        key_source_keys: Some(false),
    },
    PublisherSpec {
        publisher: Publisher::Budgets,
        label: "AWS Budgets", // i18n: technical (English name; Publisher::label translates)
        principal: "budgets.amazonaws.com",
        source_owner: false,
        key_source_keys: None,
    },
    PublisherSpec {
        publisher: Publisher::CostAnomaly,
        label: "Cost Anomaly Detection", // i18n: technical (English name; Publisher::label translates)
        principal: "costalerts.amazonaws.com",
        source_owner: false,
        key_source_keys: None,
    },
];

impl Publisher {
    pub fn spec(self) -> &'static PublisherSpec {
        // PUBLISHERS lists them in the enum's order (tested below).
        &PUBLISHERS[self as usize]
    }

    /// The publisher's name in the language in use ("CloudWatch alarms"); product
    /// names that the AWS console does not translate stay as they are.
    pub fn label(self) -> Cow<'static, str> {
        match self {
            Publisher::Alarms => t!("rules_publishers.alarms"),
            Publisher::CostAnomaly => t!("rules_publishers.cost_anomaly"),
            Publisher::EventBridge | Publisher::Budgets => Cow::Borrowed(self.spec().label),
        }
    }
}

/// One route's sender: the publisher and the ARN of what publishes (the alarm, the
/// rule, the budget, the anomaly subscription), which is the request's aws:SourceArn.
#[derive(Debug, Clone, Copy)]
pub struct Sender<'a> {
    pub publisher: Publisher,
    pub source_arn: &'a str,
}

impl<'a> Sender<'a> {
    pub fn alarm(alarm: &'a crate::snapshot::Alarm) -> Self {
        Sender {
            publisher: Publisher::Alarms,
            source_arn: &alarm.arn,
        }
    }
}

pub use crate::snapshot::is_aws_managed_sns_alias;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_enum_order() {
        for p in [
            Publisher::Alarms,
            Publisher::EventBridge,
            Publisher::Budgets,
            Publisher::CostAnomaly,
        ] {
            assert_eq!(p.spec().publisher, p);
        }
        assert!(is_aws_managed_sns_alias("alias/aws/sns"));
        assert!(is_aws_managed_sns_alias(
            "arn:aws:kms:eu-west-1:123456789012:alias/aws/sns"
        ));
        assert!(!is_aws_managed_sns_alias("alias/aws/sns-custom"));
    }
}
