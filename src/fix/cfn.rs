//! `onwatch fix --format cloudformation`: what the plans would create, as one JSON
//! CloudFormation template. A stack lives in one region, so every resource carries a
//! condition on `AWS::Region`: the same template is deployed once in each region it
//! lists, and each stack creates that region's resources. Changes to resources that
//! already exist (a retention, a trail's settings, a merged topic policy) cannot be
//! expressed in a template that creates things; they are listed in
//! `Metadata.onwatch.NotExpressed` and left to `onwatch fix` or the shell script.
//! Pure: the plans in, a JSON value out.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{FixPlan, Op, Step};

const MANAGED: [(&str, &str); 1] = [("managed-by", "onwatch")];

/// Kinds of resource (the start of their logical ids) that later steps look up.
const TOPIC: &str = "Topic"; // i18n: technical
const RULE: &str = "Rule"; // i18n: technical
const BUCKET: &str = "Bucket"; // i18n: technical
const MONITOR: &str = "AnomalyMonitor"; // i18n: technical
const ROLE: &str = "Role"; // i18n: technical
/// Properties later steps add to.
const TARGETS: &str = "Targets"; // i18n: technical
const POLICIES: &str = "Policies"; // i18n: technical

/// A CloudFormation logical id from a resource name: letters and digits only, unique.
fn logical_id(kind: &str, name: &str, taken: &mut BTreeMap<String, usize>) -> String {
    let mut id: String = kind.to_string();
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    id.truncate(240);
    let n = taken.entry(id.clone()).or_insert(0);
    *n += 1;
    if *n > 1 { format!("{id}{n}") } else { id }
}

fn condition(region: &str) -> String {
    let mut id = String::from("In"); // i18n: technical
    for part in region.split('-') {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            id.push(first.to_ascii_uppercase());
            id.extend(chars.filter(char::is_ascii_alphanumeric));
        }
    }
    id
}

fn tags(extra: &BTreeMap<String, String>) -> Value {
    let mut all: BTreeMap<&str, &str> = MANAGED.into_iter().collect();
    for (k, v) in extra {
        all.insert(k, v);
    }
    Value::Array(
        all.into_iter()
            .map(|(k, v)| json!({"Key": k, "Value": v})) // i18n: technical
            .collect(),
    )
}

fn parsed(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

#[derive(Default)]
struct Builder {
    resources: Map<String, Value>,
    regions: Vec<String>,
    not_expressed: Vec<String>,
    ids: BTreeMap<String, usize>,
    /// (region, name) of what the template creates → its logical id, so later steps
    /// (a target on a new rule, a notification on a new budget) join it.
    made: BTreeMap<(String, String), String>,
    /// Whether a canary needs the runtime parameter.
    runtime: bool,
}

impl Builder {
    fn add(&mut self, step: &Step, kind: &str, name: &str, ty: &str, props: Value) -> String {
        let id = logical_id(kind, name, &mut self.ids);
        if !self.regions.contains(&step.region) {
            self.regions.push(step.region.clone());
        }
        self.resources.insert(
            id.clone(),
            json!({"Type": ty, "Condition": condition(&step.region), "Properties": props}), // i18n: technical
        );
        self.made
            .insert((step.region.clone(), format!("{kind}:{name}")), id.clone());
        id
    }

    fn made(&self, step: &Step, kind: &str, name: &str) -> Option<String> {
        self.made
            .get(&(step.region.clone(), format!("{kind}:{name}")))
            .cloned()
    }

    fn props(&mut self, id: &str) -> Option<&mut Map<String, Value>> {
        self.resources
            .get_mut(id)
            .and_then(|r| r.get_mut("Properties")) // i18n: technical
            .and_then(Value::as_object_mut)
    }

    fn skip(&mut self, plan: &FixPlan, step: &Step) {
        self.not_expressed
            .push(format!("{} ({}): {}", plan.item, step.region, step.says));
    }

    fn step(&mut self, plan: &FixPlan, step: &Step) {
        match &step.op {
            Op::CreateTopic { topic_arn, policy } => {
                let name = topic_arn
                    .rsplit(':')
                    .next()
                    .unwrap_or(topic_arn)
                    .to_string();
                let topic = self.add(
                    step,
                    TOPIC,
                    &name,
                    "AWS::SNS::Topic",
                    json!({"TopicName": name, "Tags": tags(&BTreeMap::new())}), // i18n: technical
                );
                self.add(
                    step,
                    "TopicPolicy", // i18n: technical
                    &name,
                    "AWS::SNS::TopicPolicy",
                    json!({"Topics": [{"Ref": topic}], "PolicyDocument": parsed(policy)}), // i18n: technical
                );
            }
            Op::Subscribe {
                topic_arn,
                protocol,
                endpoint,
            } => {
                let name = topic_arn
                    .rsplit(':')
                    .next()
                    .unwrap_or(topic_arn)
                    .to_string();
                let topic = match self.made(step, TOPIC, &name) {
                    Some(id) => json!({"Ref": id}), // i18n: technical
                    None => json!(topic_arn),
                };
                self.add(
                    step,
                    "Subscription", // i18n: technical
                    &format!("{name}-{endpoint}"),
                    "AWS::SNS::Subscription",
                    json!({"TopicArn": topic, "Protocol": protocol, "Endpoint": endpoint}), // i18n: technical
                );
            }
            Op::PutRule {
                rule,
                pattern,
                description,
            } => {
                self.add(
                    step,
                    RULE,
                    rule,
                    "AWS::Events::Rule",
                    json!({"Name": rule, "Description": description, // i18n: technical
                           "EventPattern": parsed(pattern), "State": "ENABLED", // i18n: technical
                           "Targets": []}), // i18n: technical
                );
            }
            Op::PutTarget { rule, id, arn } => match self.made(step, RULE, rule) {
                Some(logical) => {
                    let target = json!({"Id": id, "Arn": arn}); // i18n: technical
                    if let Some(Value::Array(targets)) =
                        self.props(&logical).and_then(|p| p.get_mut(TARGETS))
                    {
                        targets.push(target);
                    }
                }
                None => self.skip(plan, step),
            },
            Op::CreateDetector {} => {
                self.add(
                    step,
                    "Detector", // i18n: technical
                    &step.region,
                    "AWS::GuardDuty::Detector",
                    json!({"Enable": true, "Tags": tags(&BTreeMap::new())}), // i18n: technical
                );
            }
            Op::PutMetricAlarm { alarm } => {
                let mut props = json!({
                    "AlarmName": alarm.name, "AlarmDescription": alarm.description, // i18n: technical
                    "Namespace": alarm.namespace, "MetricName": alarm.metric, // i18n: technical
                    "Dimensions": alarm.dimensions.iter() // i18n: technical
                        .map(|(k, v)| json!({"Name": k, "Value": v})).collect::<Vec<_>>(), // i18n: technical
                    "Period": alarm.period, "EvaluationPeriods": alarm.evaluation_periods, // i18n: technical
                    "DatapointsToAlarm": alarm.datapoints_to_alarm, // i18n: technical
                    "Threshold": alarm.threshold, "ComparisonOperator": alarm.comparison, // i18n: technical
                    "TreatMissingData": alarm.treat_missing_data, // i18n: technical
                    "AlarmActions": alarm.actions, "Tags": tags(&alarm.tags), // i18n: technical
                });
                let key = if alarm.is_percentile() {
                    "ExtendedStatistic" // i18n: technical
                } else {
                    "Statistic" // i18n: technical
                };
                props[key] = json!(alarm.statistic);
                self.add(step, "Alarm", &alarm.name, "AWS::CloudWatch::Alarm", props); // i18n: technical
            }
            Op::CreateBucket { bucket } => {
                self.add(
                    step,
                    BUCKET,
                    bucket,
                    "AWS::S3::Bucket",
                    json!({"BucketName": bucket, "Tags": tags(&BTreeMap::new())}), // i18n: technical
                );
            }
            Op::BlockPublicAccess { bucket } => match self.made(step, BUCKET, bucket) {
                Some(id) => {
                    if let Some(p) = self.props(&id) {
                        p.insert(
                            "PublicAccessBlockConfiguration".into(), // i18n: technical
                            json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, // i18n: technical
                                   "IgnorePublicAcls": true, "RestrictPublicBuckets": true}), // i18n: technical
                        );
                    }
                }
                None => self.skip(plan, step),
            },
            // Tags are on the bucket resource already.
            Op::TagBucket { bucket } if self.made(step, BUCKET, bucket).is_some() => {}
            Op::PutBucketPolicy { bucket, policy } => match self.made(step, BUCKET, bucket) {
                Some(id) => {
                    self.add(
                        step,
                        "BucketPolicy", // i18n: technical
                        bucket,
                        "AWS::S3::BucketPolicy",
                        json!({"Bucket": {"Ref": id}, "PolicyDocument": parsed(policy)}), // i18n: technical
                    );
                }
                None => self.skip(plan, step),
            },
            Op::CreateTrail { trail, bucket } => {
                let id = self.add(
                    step,
                    "Trail", // i18n: technical
                    trail,
                    "AWS::CloudTrail::Trail",
                    json!({"TrailName": trail, "S3BucketName": bucket, "IsLogging": true, // i18n: technical
                           "IsMultiRegionTrail": true, "IncludeGlobalServiceEvents": true, // i18n: technical
                           "EnableLogFileValidation": true, "Tags": tags(&BTreeMap::new())}), // i18n: technical
                );
                // CloudTrail checks the bucket policy when the trail is created.
                if let Some(policy) = self.made(step, "BucketPolicy", bucket) // i18n: technical
                    && let Some(r) = self.resources.get_mut(&id)
                {
                    r["DependsOn"] = json!(policy); // i18n: technical
                }
            }
            // A trail the template creates logs from the start (IsLogging).
            Op::StartLogging { trail } if self.made(step, "Trail", trail).is_some() => {} // i18n: technical
            Op::PutConfigurationRecorder {
                recorder,
                role_arn,
                include_global,
                daily,
            } => {
                self.add(
                    step,
                    "Recorder", // i18n: technical
                    recorder,
                    "AWS::Config::ConfigurationRecorder",
                    json!({"Name": recorder, "RoleARN": role_arn, // i18n: technical
                           "RecordingGroup": {"AllSupported": true, // i18n: technical
                                              "IncludeGlobalResourceTypes": include_global}, // i18n: technical
                           "RecordingMode": {"RecordingFrequency": // i18n: technical
                               if *daily { "DAILY" } else { "CONTINUOUS" }}}),
                );
            }
            Op::PutDeliveryChannel { channel, bucket } => {
                let bucket_ref = match self.made(step, BUCKET, bucket) {
                    Some(id) => json!({"Ref": id}), // i18n: technical
                    None => json!(bucket),
                };
                self.add(
                    step,
                    "DeliveryChannel", // i18n: technical
                    channel,
                    "AWS::Config::DeliveryChannel",
                    json!({"Name": channel, "S3BucketName": bucket_ref}), // i18n: technical
                );
            }
            // CloudFormation starts a recorder it creates once its channel exists.
            Op::StartConfigurationRecorder { recorder }
                if self.made(step, "Recorder", recorder).is_some() => {} // i18n: technical
            Op::CreateBudget {
                budget,
                amount,
                subscriber,
            } => {
                let who =
                    json!([{"SubscriptionType": subscriber.kind, "Address": subscriber.address}]); // i18n: technical
                let notify = |kind: &str, pct: u32| {
                    json!({"Notification": {"NotificationType": kind, // i18n: technical
                        "ComparisonOperator": "GREATER_THAN", "Threshold": pct, // i18n: technical
                        "ThresholdType": "PERCENTAGE"}, "Subscribers": who}) // i18n: technical
                };
                self.add(
                    step,
                    "Budget", // i18n: technical
                    budget,
                    "AWS::Budgets::Budget",
                    json!({"Budget": {"BudgetName": budget, "BudgetType": "COST", // i18n: technical
                                      "TimeUnit": "MONTHLY", // i18n: technical
                                      "BudgetLimit": {"Amount": parsed(amount), "Unit": "USD"}}, // i18n: technical
                           "NotificationsWithSubscribers": // i18n: technical
                               [notify("ACTUAL", 80), notify("FORECASTED", 100)],
                           "ResourceTags": tags(&BTreeMap::new())}), // i18n: technical
                );
            }
            Op::CreateAnomalyMonitor { monitor } => {
                self.add(
                    step,
                    MONITOR,
                    monitor,
                    "AWS::CE::AnomalyMonitor",
                    json!({"MonitorName": monitor, "MonitorType": "DIMENSIONAL", // i18n: technical
                           "MonitorDimension": "SERVICE", "ResourceTags": tags(&BTreeMap::new())}), // i18n: technical
                );
            }
            Op::CreateAnomalySubscription {
                subscription,
                monitor,
                frequency,
                subscriber,
                threshold,
            } => {
                let monitor_ref = match self.made(step, MONITOR, monitor) {
                    Some(id) => json!({"Ref": id}), // i18n: technical
                    None => json!(monitor),
                };
                let expression = json!({"Dimensions": {"Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE", // i18n: technical
                    "MatchOptions": ["GREATER_THAN_OR_EQUAL"], "Values": [threshold.to_string()]}}); // i18n: technical
                self.add(
                    step,
                    "AnomalySubscription", // i18n: technical
                    subscription,
                    "AWS::CE::AnomalySubscription",
                    json!({"SubscriptionName": subscription, "MonitorArnList": [monitor_ref], // i18n: technical
                           "Frequency": frequency, // i18n: technical
                           "Subscribers": [{"Type": subscriber.kind, "Address": subscriber.address}], // i18n: technical
                           "ThresholdExpression": expression.to_string(), // i18n: technical
                           "ResourceTags": tags(&BTreeMap::new())}), // i18n: technical
                );
            }
            Op::CreateRole { role, trust } => {
                self.add(
                    step,
                    ROLE,
                    role,
                    "AWS::IAM::Role",
                    json!({"RoleName": role, "AssumeRolePolicyDocument": parsed(trust), // i18n: technical
                           "Policies": [], "Tags": tags(&BTreeMap::new())}), // i18n: technical
                );
            }
            Op::PutRolePolicy { role, name, policy } => match self.made(step, ROLE, role) {
                Some(id) => {
                    let policy = json!({"PolicyName": name, "PolicyDocument": parsed(policy)}); // i18n: technical
                    if let Some(Value::Array(all)) =
                        self.props(&id).and_then(|p| p.get_mut(POLICIES))
                    {
                        all.push(policy);
                    }
                }
                None => self.skip(plan, step),
            },
            Op::CreateCanary {
                canary,
                url,
                bucket,
                role_arn,
            } => {
                let role = role_arn.rsplit('/').next().unwrap_or(role_arn);
                let role_ref = match self.made(step, ROLE, role) {
                    Some(id) => json!({"Fn::GetAtt": [id, "Arn"]}), // i18n: technical
                    None => json!(role_arn),
                };
                self.runtime = true;
                self.add(
                    step,
                    "Canary", // i18n: technical
                    canary,
                    "AWS::Synthetics::Canary",
                    json!({"Name": canary, // i18n: technical
                           "Code": {"Handler": super::canary::HANDLER, // i18n: technical
                                    "Script": super::canary::script(url)}, // i18n: technical
                           "ArtifactS3Location": format!("s3://{bucket}/canary/"), // i18n: technical
                           "ExecutionRoleArn": role_ref, // i18n: technical
                           "RuntimeVersion": {"Ref": "CanaryRuntimeVersion"}, // i18n: technical
                           "Schedule": {"Expression": "rate(5 minutes)"}, // i18n: technical
                           "RunConfig": {"TimeoutInSeconds": 60}, // i18n: technical
                           "SuccessRetentionPeriod": 7, "FailureRetentionPeriod": 14, // i18n: technical
                           "StartCanaryAfterCreation": true, // i18n: technical
                           "Tags": tags(&BTreeMap::new())}), // i18n: technical
                );
            }
            // StartCanaryAfterCreation starts a canary the template creates.
            Op::StartCanary { canary } if self.made(step, "Canary", canary).is_some() => {} // i18n: technical
            _ => self.skip(plan, step),
        }
    }
}

/// The template of what `plans` would create, one condition per region.
pub fn template(plans: &[FixPlan]) -> Value {
    let mut b = Builder::default();
    for plan in plans {
        for step in &plan.steps {
            b.step(plan, step);
        }
    }
    let conditions: Map<String, Value> = b
        .regions
        .iter()
        .map(|r| {
            (
                condition(r),
                json!({"Fn::Equals": [{"Ref": "AWS::Region"}, r]}), // i18n: technical
            )
        })
        .collect();
    let items: Vec<&str> = plans.iter().map(|p| p.item.as_str()).collect();
    let mut template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!( // i18n: technical
            "What onwatch fix would create for {}. Deploy this template once in each region of Metadata.onwatch.Regions; changes to existing resources are listed in Metadata.onwatch.NotExpressed and are not made by it.", // i18n: technical
            items.join(", ")
        ),
        "Metadata": {"onwatch": { // i18n: technical
            "Regions": b.regions, // i18n: technical
            "NotExpressed": b.not_expressed, // i18n: technical
        }},
        "Resources": b.resources, // i18n: technical
    });
    if !conditions.is_empty() {
        template["Conditions"] = Value::Object(conditions); // i18n: technical
    }
    if b.runtime {
        template["Parameters"] = json!({"CanaryRuntimeVersion": { // i18n: technical
            "Type": "String", // i18n: technical
            "Default": "syn-nodejs-puppeteer-10.0", // i18n: technical
            "AllowedPattern": "^syn-nodejs-puppeteer-[0-9.]+$", // i18n: technical
            "Description": "A current Node.js Puppeteer runtime: the newest `aws synthetics describe-runtime-versions` lists without a DeprecationDate", // i18n: technical
        }});
    }
    template
}
