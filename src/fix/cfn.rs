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
    let mut id = String::from("In");
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
            .map(|(k, v)| json!({"Key": k, "Value": v}))
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
            json!({"Type": ty, "Condition": condition(&step.region), "Properties": props}),
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
            .and_then(|r| r.get_mut("Properties"))
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
                    "Topic",
                    &name,
                    "AWS::SNS::Topic",
                    json!({"TopicName": name, "Tags": tags(&BTreeMap::new())}),
                );
                self.add(
                    step,
                    "TopicPolicy",
                    &name,
                    "AWS::SNS::TopicPolicy",
                    json!({"Topics": [{"Ref": topic}], "PolicyDocument": parsed(policy)}),
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
                let topic = match self.made(step, "Topic", &name) {
                    Some(id) => json!({"Ref": id}),
                    None => json!(topic_arn),
                };
                self.add(
                    step,
                    "Subscription",
                    &format!("{name}-{endpoint}"),
                    "AWS::SNS::Subscription",
                    json!({"TopicArn": topic, "Protocol": protocol, "Endpoint": endpoint}),
                );
            }
            Op::PutRule {
                rule,
                pattern,
                description,
            } => {
                self.add(
                    step,
                    "Rule",
                    rule,
                    "AWS::Events::Rule",
                    json!({"Name": rule, "Description": description,
                           "EventPattern": parsed(pattern), "State": "ENABLED",
                           "Targets": []}),
                );
            }
            Op::PutTarget { rule, id, arn } => match self.made(step, "Rule", rule) {
                Some(logical) => {
                    let target = json!({"Id": id, "Arn": arn});
                    if let Some(Value::Array(targets)) =
                        self.props(&logical).and_then(|p| p.get_mut("Targets"))
                    {
                        targets.push(target);
                    }
                }
                None => self.skip(plan, step),
            },
            Op::CreateDetector {} => {
                self.add(
                    step,
                    "Detector",
                    &step.region,
                    "AWS::GuardDuty::Detector",
                    json!({"Enable": true, "Tags": tags(&BTreeMap::new())}),
                );
            }
            Op::PutMetricAlarm { alarm } => {
                let mut props = json!({
                    "AlarmName": alarm.name, "AlarmDescription": alarm.description,
                    "Namespace": alarm.namespace, "MetricName": alarm.metric,
                    "Dimensions": alarm.dimensions.iter()
                        .map(|(k, v)| json!({"Name": k, "Value": v})).collect::<Vec<_>>(),
                    "Period": alarm.period, "EvaluationPeriods": alarm.evaluation_periods,
                    "DatapointsToAlarm": alarm.datapoints_to_alarm,
                    "Threshold": alarm.threshold, "ComparisonOperator": alarm.comparison,
                    "TreatMissingData": alarm.treat_missing_data,
                    "AlarmActions": alarm.actions, "Tags": tags(&alarm.tags),
                });
                let key = if alarm.is_percentile() {
                    "ExtendedStatistic"
                } else {
                    "Statistic"
                };
                props[key] = json!(alarm.statistic);
                self.add(step, "Alarm", &alarm.name, "AWS::CloudWatch::Alarm", props);
            }
            Op::CreateBucket { bucket } => {
                self.add(
                    step,
                    "Bucket",
                    bucket,
                    "AWS::S3::Bucket",
                    json!({"BucketName": bucket, "Tags": tags(&BTreeMap::new())}),
                );
            }
            Op::BlockPublicAccess { bucket } => match self.made(step, "Bucket", bucket) {
                Some(id) => {
                    if let Some(p) = self.props(&id) {
                        p.insert(
                            "PublicAccessBlockConfiguration".into(),
                            json!({"BlockPublicAcls": true, "BlockPublicPolicy": true,
                                   "IgnorePublicAcls": true, "RestrictPublicBuckets": true}),
                        );
                    }
                }
                None => self.skip(plan, step),
            },
            // Tags are on the bucket resource already.
            Op::TagBucket { bucket } if self.made(step, "Bucket", bucket).is_some() => {}
            Op::PutBucketPolicy { bucket, policy } => match self.made(step, "Bucket", bucket) {
                Some(id) => {
                    self.add(
                        step,
                        "BucketPolicy",
                        bucket,
                        "AWS::S3::BucketPolicy",
                        json!({"Bucket": {"Ref": id}, "PolicyDocument": parsed(policy)}),
                    );
                }
                None => self.skip(plan, step),
            },
            Op::CreateTrail { trail, bucket } => {
                let id = self.add(
                    step,
                    "Trail",
                    trail,
                    "AWS::CloudTrail::Trail",
                    json!({"TrailName": trail, "S3BucketName": bucket, "IsLogging": true,
                           "IsMultiRegionTrail": true, "IncludeGlobalServiceEvents": true,
                           "EnableLogFileValidation": true, "Tags": tags(&BTreeMap::new())}),
                );
                // CloudTrail checks the bucket policy when the trail is created.
                if let Some(policy) = self.made(step, "BucketPolicy", bucket)
                    && let Some(r) = self.resources.get_mut(&id)
                {
                    r["DependsOn"] = json!(policy);
                }
            }
            // A trail the template creates logs from the start (IsLogging).
            Op::StartLogging { trail } if self.made(step, "Trail", trail).is_some() => {}
            Op::PutConfigurationRecorder {
                recorder,
                role_arn,
                include_global,
                daily,
            } => {
                self.add(
                    step,
                    "Recorder",
                    recorder,
                    "AWS::Config::ConfigurationRecorder",
                    json!({"Name": recorder, "RoleARN": role_arn,
                           "RecordingGroup": {"AllSupported": true,
                                              "IncludeGlobalResourceTypes": include_global},
                           "RecordingMode": {"RecordingFrequency":
                               if *daily { "DAILY" } else { "CONTINUOUS" }}}),
                );
            }
            Op::PutDeliveryChannel { channel, bucket } => {
                let bucket_ref = match self.made(step, "Bucket", bucket) {
                    Some(id) => json!({"Ref": id}),
                    None => json!(bucket),
                };
                self.add(
                    step,
                    "DeliveryChannel",
                    channel,
                    "AWS::Config::DeliveryChannel",
                    json!({"Name": channel, "S3BucketName": bucket_ref}),
                );
            }
            // CloudFormation starts a recorder it creates once its channel exists.
            Op::StartConfigurationRecorder { recorder }
                if self.made(step, "Recorder", recorder).is_some() => {}
            Op::CreateBudget {
                budget,
                amount,
                subscriber,
            } => {
                let who =
                    json!([{"SubscriptionType": subscriber.kind, "Address": subscriber.address}]);
                let notify = |kind: &str, pct: u32| {
                    json!({"Notification": {"NotificationType": kind,
                        "ComparisonOperator": "GREATER_THAN", "Threshold": pct,
                        "ThresholdType": "PERCENTAGE"}, "Subscribers": who})
                };
                self.add(
                    step,
                    "Budget",
                    budget,
                    "AWS::Budgets::Budget",
                    json!({"Budget": {"BudgetName": budget, "BudgetType": "COST",
                                      "TimeUnit": "MONTHLY",
                                      "BudgetLimit": {"Amount": parsed(amount), "Unit": "USD"}},
                           "NotificationsWithSubscribers":
                               [notify("ACTUAL", 80), notify("FORECASTED", 100)],
                           "ResourceTags": tags(&BTreeMap::new())}),
                );
            }
            Op::CreateAnomalyMonitor { monitor } => {
                self.add(
                    step,
                    "AnomalyMonitor",
                    monitor,
                    "AWS::CE::AnomalyMonitor",
                    json!({"MonitorName": monitor, "MonitorType": "DIMENSIONAL",
                           "MonitorDimension": "SERVICE", "ResourceTags": tags(&BTreeMap::new())}),
                );
            }
            Op::CreateAnomalySubscription {
                subscription,
                monitor,
                frequency,
                subscriber,
                threshold,
            } => {
                let monitor_ref = match self.made(step, "AnomalyMonitor", monitor) {
                    Some(id) => json!({"Ref": id}),
                    None => json!(monitor),
                };
                let expression = json!({"Dimensions": {"Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                    "MatchOptions": ["GREATER_THAN_OR_EQUAL"], "Values": [threshold.to_string()]}});
                self.add(
                    step,
                    "AnomalySubscription",
                    subscription,
                    "AWS::CE::AnomalySubscription",
                    json!({"SubscriptionName": subscription, "MonitorArnList": [monitor_ref],
                           "Frequency": frequency,
                           "Subscribers": [{"Type": subscriber.kind, "Address": subscriber.address}],
                           "ThresholdExpression": expression.to_string(),
                           "ResourceTags": tags(&BTreeMap::new())}),
                );
            }
            Op::CreateRole { role, trust } => {
                self.add(
                    step,
                    "Role",
                    role,
                    "AWS::IAM::Role",
                    json!({"RoleName": role, "AssumeRolePolicyDocument": parsed(trust),
                           "Policies": [], "Tags": tags(&BTreeMap::new())}),
                );
            }
            Op::PutRolePolicy { role, name, policy } => match self.made(step, "Role", role) {
                Some(id) => {
                    let policy = json!({"PolicyName": name, "PolicyDocument": parsed(policy)});
                    if let Some(Value::Array(all)) =
                        self.props(&id).and_then(|p| p.get_mut("Policies"))
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
                let role_ref = match self.made(step, "Role", role) {
                    Some(id) => json!({"Fn::GetAtt": [id, "Arn"]}),
                    None => json!(role_arn),
                };
                self.runtime = true;
                self.add(
                    step,
                    "Canary",
                    canary,
                    "AWS::Synthetics::Canary",
                    json!({"Name": canary,
                           "Code": {"Handler": super::canary::HANDLER,
                                    "Script": super::canary::script(url)},
                           "ArtifactS3Location": format!("s3://{bucket}/canary/"),
                           "ExecutionRoleArn": role_ref,
                           "RuntimeVersion": {"Ref": "CanaryRuntimeVersion"},
                           "Schedule": {"Expression": "rate(5 minutes)"},
                           "RunConfig": {"TimeoutInSeconds": 60},
                           "SuccessRetentionPeriod": 7, "FailureRetentionPeriod": 14,
                           "StartCanaryAfterCreation": true,
                           "Tags": tags(&BTreeMap::new())}),
                );
            }
            // StartCanaryAfterCreation starts a canary the template creates.
            Op::StartCanary { canary } if self.made(step, "Canary", canary).is_some() => {}
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
                json!({"Fn::Equals": [{"Ref": "AWS::Region"}, r]}),
            )
        })
        .collect();
    let items: Vec<&str> = plans.iter().map(|p| p.item.as_str()).collect();
    let mut template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!(
            "What onwatch fix would create for {}. Deploy this template once in each region of Metadata.onwatch.Regions; changes to existing resources are listed in Metadata.onwatch.NotExpressed and are not made by it.",
            items.join(", ")
        ),
        "Metadata": {"onwatch": {
            "Regions": b.regions,
            "NotExpressed": b.not_expressed,
        }},
        "Resources": b.resources,
    });
    if !conditions.is_empty() {
        template["Conditions"] = Value::Object(conditions);
    }
    if b.runtime {
        template["Parameters"] = json!({"CanaryRuntimeVersion": {
            "Type": "String",
            "Default": "syn-nodejs-puppeteer-10.0",
            "AllowedPattern": "^syn-nodejs-puppeteer-[0-9.]+$",
            "Description": "A current Node.js Puppeteer runtime: the newest `aws synthetics describe-runtime-versions` lists without a DeprecationDate",
        }});
    }
    template
}
