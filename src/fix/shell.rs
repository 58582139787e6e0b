//! The AWS CLI equivalent of each call, safe to paste into a POSIX shell: every value
//! that came from AWS (names are untrusted: `$(…)`, quotes and newlines are legal in
//! some of them) is single-quoted.

use super::{FixPlan, NewAlarm, Op};

/// `s` as one POSIX shell word: single quotes around it, each `'` written as `'\''`.
/// A plain word made only of safe characters stays as it is, for readability.
pub fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The AWS CLI command for one call.
pub fn cli(region: &str, op: &Op) -> String {
    let r = quote(region);
    match op {
        Op::PutRetentionPolicy { log_group, days } => format!(
            "aws logs put-retention-policy --region {r} --log-group-name {} --retention-in-days {days}", // i18n: technical
            quote(log_group)
        ),
        Op::DeleteRetentionPolicy { log_group } => format!(
            "aws logs delete-retention-policy --region {r} --log-group-name {}", // i18n: technical
            quote(log_group)
        ),
        Op::PutImageScanningConfiguration {
            repository,
            scan_on_push,
        } => format!(
            "aws ecr put-image-scanning-configuration --region {r} --repository-name {} --image-scanning-configuration scanOnPush={scan_on_push}", // i18n: technical
            quote(repository)
        ),
        Op::CreateDetector {} => {
            format!("aws guardduty create-detector --region {r} --enable --tags managed-by=onwatch") // i18n: technical
        }
        Op::UpdateDetector {
            detector_id,
            enable,
        } => format!(
            "aws guardduty update-detector --region {r} --detector-id {} {}", // i18n: technical
            quote(detector_id),
            if *enable { "--enable" } else { "--no-enable" }
        ),
        Op::UpdateClusterSettings {
            cluster,
            container_insights,
        } => format!(
            "aws ecs update-cluster-settings --region {r} --cluster {} --settings name=containerInsights,value={}", // i18n: technical
            quote(cluster),
            quote(container_insights)
        ),
        Op::EnablePerformanceInsights {
            instance,
            retention_days,
            apply_immediately,
        } => format!(
            "aws rds modify-db-instance --region {r} --db-instance-identifier {} --enable-performance-insights --performance-insights-retention-period {retention_days} {}", // i18n: technical
            quote(instance),
            when(*apply_immediately)
        ),
        Op::DisablePerformanceInsights {
            instance,
            apply_immediately,
        } => format!(
            "aws rds modify-db-instance --region {r} --db-instance-identifier {} --no-enable-performance-insights {}", // i18n: technical
            quote(instance),
            when(*apply_immediately)
        ),
        Op::CreateBudget {
            budget,
            amount,
            subscriber,
        } => {
            let budget_json = serde_json::json!({
                "BudgetName": budget, "BudgetType": "COST", "TimeUnit": "MONTHLY", // i18n: technical
                "BudgetLimit": {"Amount": amount, "Unit": "USD"}, // i18n: technical
            });
            let notifications = serde_json::json!([
                {"Notification": notification_json("ACTUAL", 80.0), // i18n: technical
                 "Subscribers": [subscriber_json(subscriber)]}, // i18n: technical
                {"Notification": notification_json("FORECASTED", 100.0), // i18n: technical
                 "Subscribers": [subscriber_json(subscriber)]}, // i18n: technical
            ]);
            format!(
                "aws budgets create-budget --region {r} --account-id \"$(aws sts get-caller-identity --query Account --output text)\" --budget {} --notifications-with-subscribers {} --resource-tags Key=managed-by,Value=onwatch", // i18n: technical
                quote(&budget_json.to_string()),
                quote(&notifications.to_string())
            )
        }
        Op::DeleteBudget { budget } => format!(
            "aws budgets delete-budget --region {r} --account-id \"$(aws sts get-caller-identity --query Account --output text)\" --budget-name {}", // i18n: technical
            quote(budget)
        ),
        Op::CreateBudgetNotification {
            budget,
            notification_type,
            threshold,
            subscriber,
        } => format!(
            "aws budgets create-notification --region {r} --account-id \"$(aws sts get-caller-identity --query Account --output text)\" --budget-name {} --notification {} --subscribers {}", // i18n: technical
            quote(budget),
            quote(&notification_json(notification_type, *threshold).to_string()),
            quote(&serde_json::json!([subscriber_json(subscriber)]).to_string())
        ),
        Op::DeleteBudgetNotification {
            budget,
            notification_type,
            threshold,
        } => format!(
            "aws budgets delete-notification --region {r} --account-id \"$(aws sts get-caller-identity --query Account --output text)\" --budget-name {} --notification {}", // i18n: technical
            quote(budget),
            quote(&notification_json(notification_type, *threshold).to_string())
        ),
        Op::AddBudgetSubscriber {
            budget,
            notification_type,
            threshold,
            subscriber,
        }
        | Op::RemoveBudgetSubscriber {
            budget,
            notification_type,
            threshold,
            subscriber,
        } => format!(
            "aws budgets {} --region {r} --account-id \"$(aws sts get-caller-identity --query Account --output text)\" --budget-name {} --notification {} --subscriber {}", // i18n: technical
            if matches!(op, Op::AddBudgetSubscriber { .. }) {
                "create-subscriber"
            } else {
                "delete-subscriber"
            },
            quote(budget),
            quote(&notification_json(notification_type, *threshold).to_string()),
            quote(&subscriber_json(subscriber).to_string())
        ),
        Op::CreateAnomalyMonitor { monitor } => format!(
            "aws ce create-anomaly-monitor --region {r} --anomaly-monitor {} --resource-tags Key=managed-by,Value=onwatch", // i18n: technical
            quote(
                &serde_json::json!({"MonitorName": monitor, "MonitorType": "DIMENSIONAL", // i18n: technical
                                    "MonitorDimension": "SERVICE"}) // i18n: technical
                .to_string()
            )
        ),
        Op::DeleteAnomalyMonitor { monitor_arn } => format!(
            "aws ce delete-anomaly-monitor --region {r} --monitor-arn {}", // i18n: technical
            quote(monitor_arn)
        ),
        Op::CreateAnomalySubscription {
            subscription,
            monitor,
            frequency,
            subscriber,
            threshold,
        } => {
            let monitor_arn = if monitor.starts_with("arn:") {
                quote(monitor)
            } else {
                format!(
                    "\"$(aws ce get-anomaly-monitors --region {r} --query {} --output text)\"", // i18n: technical
                    quote(&format!(
                        "AnomalyMonitors[?MonitorName=={}].MonitorArn | [0]", // i18n: technical
                        serde_json::Value::String(monitor.clone())
                    ))
                )
            };
            format!(
                "aws ce create-anomaly-subscription --region {r} --anomaly-subscription \"$(jq -n -c --arg m {monitor_arn} --argjson s {} '$s + {{MonitorArnList: [$m]}}')\" --resource-tags Key=managed-by,Value=onwatch", // i18n: technical
                quote(
                    &serde_json::json!({
                        "SubscriptionName": subscription, "Frequency": frequency, // i18n: technical
                        "Subscribers": [{"Type": subscriber.kind, "Address": subscriber.address}], // i18n: technical
                        "ThresholdExpression": {"Dimensions": { // i18n: technical
                            "Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE", // i18n: technical
                            "MatchOptions": ["GREATER_THAN_OR_EQUAL"], // i18n: technical
                            "Values": [threshold.to_string()]}}, // i18n: technical
                    })
                    .to_string()
                )
            )
        }
        Op::DeleteAnomalySubscription { subscription_arn } => format!(
            "aws ce delete-anomaly-subscription --region {r} --subscription-arn {}", // i18n: technical
            quote(subscription_arn)
        ),
        Op::UpdateTrail {
            trail,
            multi_region,
            validation,
        } => format!(
            "aws cloudtrail update-trail --region {r} --name {} {} {}", // i18n: technical
            quote(trail),
            if *multi_region {
                "--is-multi-region-trail"
            } else {
                "--no-is-multi-region-trail"
            },
            if *validation {
                "--enable-log-file-validation"
            } else {
                "--no-enable-log-file-validation"
            }
        ),
        Op::CreateTrail { trail, bucket } => format!(
            "aws cloudtrail create-trail --region {r} --name {} --s3-bucket-name {} --is-multi-region-trail --enable-log-file-validation --tags-list Key=managed-by,Value=onwatch", // i18n: technical
            quote(trail),
            quote(bucket)
        ),
        Op::DeleteTrail { trail } => format!(
            "aws cloudtrail delete-trail --region {r} --name {}", // i18n: technical
            quote(trail)
        ),
        Op::CreateRole { role, trust } => format!(
            "aws iam create-role --role-name {} --assume-role-policy-document {} --tags Key=managed-by,Value=onwatch", // i18n: technical
            quote(role),
            quote(trust)
        ),
        Op::DeleteRole { role } => format!("aws iam delete-role --role-name {}", quote(role)), // i18n: technical
        Op::PutRolePolicy { role, name, policy } => format!(
            "aws iam put-role-policy --role-name {} --policy-name {} --policy-document {}", // i18n: technical
            quote(role),
            quote(name),
            quote(policy)
        ),
        Op::DeleteRolePolicy { role, name } => format!(
            "aws iam delete-role-policy --role-name {} --policy-name {}", // i18n: technical
            quote(role),
            quote(name)
        ),
        Op::CreateCanary {
            canary,
            url,
            bucket,
            role_arn,
        } => {
            let key = format!("canary/code/{canary}.zip");
            let runtime = format!(
                "\"$(aws synthetics describe-runtime-versions --region {r} --query \"sort_by(RuntimeVersions[?starts_with(VersionName, '{}') && DeprecationDate == null], &ReleaseDate)[-1].VersionName\" --output text)\"", // i18n: technical
                super::canary::RUNTIME_PREFIX
            );
            format!(
                "d=\"$(mktemp -d)\" && mkdir -p \"$d/nodejs/node_modules\" && printf '%s' {} > \"$d/nodejs/node_modules/onwatchHeartbeat.js\" && (cd \"$d\" && zip -qr canary.zip nodejs) && aws s3 cp \"$d/canary.zip\" {} --region {r} && aws synthetics create-canary --region {r} --name {} --code {} --artifact-s3-location {} --execution-role-arn {} --schedule 'Expression=rate(5 minutes)' --run-config TimeoutInSeconds=60 --success-retention-period-in-days 7 --failure-retention-period-in-days 14 --runtime-version {runtime} --tags managed-by=onwatch", // i18n: technical
                quote(&super::canary::script(url)),
                quote(&format!("s3://{bucket}/{key}")),
                quote(canary),
                quote(&format!(
                    "S3Bucket={bucket},S3Key={key},Handler={}",
                    super::canary::HANDLER
                )),
                quote(&format!("s3://{bucket}/canary/")),
                quote(role_arn)
            )
        }
        Op::StartCanary { canary } => format!(
            "aws synthetics start-canary --region {r} --name {}", // i18n: technical
            quote(canary)
        ),
        Op::StopCanary { canary } => format!(
            "aws synthetics stop-canary --region {r} --name {}", // i18n: technical
            quote(canary)
        ),
        Op::DeleteCanary { canary } => format!(
            "aws synthetics delete-canary --region {r} --name {} --delete-lambda", // i18n: technical
            quote(canary)
        ),
        Op::CreateSampleFindings {
            detector_id,
            finding_type,
        } => format!(
            "aws guardduty create-sample-findings --region {r} --detector-id {} --finding-types {}", // i18n: technical
            quote(detector_id),
            quote(finding_type)
        ),
        Op::SetAlarmState { alarm, reason } => format!(
            "aws cloudwatch set-alarm-state --region {r} --alarm-name {} --state-value ALARM --state-reason {}", // i18n: technical
            quote(alarm),
            quote(reason)
        ),
        Op::PublishTest {
            topic_arn,
            subject,
            message,
        } => format!(
            "aws sns publish --region {r} --topic-arn {} --subject {} --message {}", // i18n: technical
            quote(topic_arn),
            quote(subject),
            quote(message)
        ),
        Op::AddManagementEvents { trail } => format!(
            "# keeps the trail's selectors and adds one for management events; with advanced selectors use --advanced-event-selectors instead\naws cloudtrail get-event-selectors --region {r} --trail-name {t}\naws cloudtrail put-event-selectors --region {r} --trail-name {t} --event-selectors '<THE SELECTORS ABOVE>' '{{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}}'", // i18n: technical
            t = quote(trail)
        ),
        Op::RemoveManagementEvents { trail } => format!(
            "# put back the selectors the trail had before onwatch added one for management events\naws cloudtrail put-event-selectors --region {r} --trail-name {} --event-selectors '<THE SELECTORS BEFORE>'", // i18n: technical
            quote(trail)
        ),
        Op::SetStorageCeiling {
            instance,
            max_gib,
            apply_immediately,
        } => format!(
            "aws rds modify-db-instance --region {r} --db-instance-identifier {} --max-allocated-storage {max_gib} {}", // i18n: technical
            quote(instance),
            if *apply_immediately {
                "--apply-immediately"
            } else {
                "--no-apply-immediately"
            }
        ),
        Op::StartLogging { trail } => format!(
            "aws cloudtrail start-logging --region {r} --name {}", // i18n: technical
            quote(trail)
        ),
        Op::StopLogging { trail } => format!(
            "aws cloudtrail stop-logging --region {r} --name {}", // i18n: technical
            quote(trail)
        ),
        Op::CreateBucket { bucket } => format!(
            "aws s3api create-bucket --region {r} --bucket {}{}", // i18n: technical
            quote(bucket),
            if region == "us-east-1" {
                String::new()
            } else {
                format!(" --create-bucket-configuration LocationConstraint={r}") // i18n: technical
            }
        ),
        Op::BlockPublicAccess { bucket } => format!(
            "aws s3api put-public-access-block --region {r} --bucket {} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true", // i18n: technical
            quote(bucket)
        ),
        Op::PutBucketPolicy { bucket, policy } => format!(
            "aws s3api put-bucket-policy --region {r} --bucket {} --policy {}", // i18n: technical
            quote(bucket),
            quote(policy)
        ),
        Op::TagBucket { bucket } => format!(
            "aws s3api put-bucket-tagging --region {r} --bucket {} --tagging 'TagSet=[{{Key=managed-by,Value=onwatch}}]'", // i18n: technical
            quote(bucket)
        ),
        Op::PutConfigurationRecorder {
            recorder,
            role_arn,
            include_global,
            daily,
        } => format!(
            "aws configservice put-configuration-recorder --region {r} --configuration-recorder {} --recording-group {}", // i18n: technical
            quote(
                &serde_json::json!({"name": recorder, "roleARN": role_arn,
                    "recordingMode": {"recordingFrequency": if *daily { "DAILY" } else { "CONTINUOUS" }}})
                .to_string()
            ),
            quote(
                &serde_json::json!({"allSupported": true, "includeGlobalResourceTypes": include_global})
                    .to_string()
            )
        ),
        Op::DeleteConfigurationRecorder { recorder } => format!(
            "aws configservice delete-configuration-recorder --region {r} --configuration-recorder-name {}", // i18n: technical
            quote(recorder)
        ),
        Op::PutDeliveryChannel { channel, bucket } => format!(
            "aws configservice put-delivery-channel --region {r} --delivery-channel {}", // i18n: technical
            quote(&serde_json::json!({"name": channel, "s3BucketName": bucket}).to_string())
        ),
        Op::DeleteDeliveryChannel { channel } => format!(
            "aws configservice delete-delivery-channel --region {r} --delivery-channel-name {}", // i18n: technical
            quote(channel)
        ),
        Op::StartConfigurationRecorder { recorder } => format!(
            "aws configservice start-configuration-recorder --region {r} --configuration-recorder-name {}", // i18n: technical
            quote(recorder)
        ),
        Op::StopConfigurationRecorder { recorder } => format!(
            "aws configservice stop-configuration-recorder --region {r} --configuration-recorder-name {}", // i18n: technical
            quote(recorder)
        ),
        Op::EnableAlarmActions { alarm } => format!(
            "aws cloudwatch enable-alarm-actions --region {r} --alarm-names {}", // i18n: technical
            quote(alarm)
        ),
        Op::DisableAlarmActions { alarm } => format!(
            "aws cloudwatch disable-alarm-actions --region {r} --alarm-names {}", // i18n: technical
            quote(alarm)
        ),
        Op::TagAlarm {
            alarm_arn,
            key,
            value,
        } => format!(
            "aws cloudwatch tag-resource --region {r} --resource-arn {} --tags {}", // i18n: technical
            quote(alarm_arn),
            quote(&format!("Key={key},Value={value}")) // i18n: technical
        ),
        Op::UntagAlarm { alarm_arn, key } => format!(
            "aws cloudwatch untag-resource --region {r} --resource-arn {} --tag-keys {}", // i18n: technical
            quote(alarm_arn),
            quote(key)
        ),
        Op::PutMetricAlarm { alarm } => put_metric_alarm(&r, alarm),
        // PutMetricAlarm replaces the whole alarm: the script rebuilds it from what
        // DescribeAlarms shows when it runs, with the action list changed (needs jq).
        Op::AddAlarmAction { alarm, topic_arn } => rewrite_actions(
            &r,
            alarm,
            &format!(".AlarmActions += [{}]", json_string(topic_arn)),
        ),
        Op::RemoveAlarmAction { alarm, topic_arn } => rewrite_actions(
            &r,
            alarm,
            &format!(".AlarmActions -= [{}]", json_string(topic_arn)),
        ),
        Op::DeleteAlarm { alarm, .. } => format!(
            "aws cloudwatch delete-alarms --region {r} --alarm-names {}", // i18n: technical
            quote(alarm)
        ),
        Op::CreateTopic { topic_arn, policy } => format!(
            "aws sns create-topic --region {r} --name {} --attributes {} --tags Key=managed-by,Value=onwatch", // i18n: technical
            quote(topic_arn.rsplit(':').next().unwrap_or(topic_arn)),
            quote(&serde_json::json!({ "Policy": policy }).to_string()) // i18n: technical
        ),
        Op::DeleteTopic { topic_arn } => format!(
            "aws sns delete-topic --region {r} --topic-arn {}", // i18n: technical
            quote(topic_arn)
        ),
        Op::Subscribe {
            topic_arn,
            protocol,
            endpoint,
        } => format!(
            "aws sns subscribe --region {r} --topic-arn {} --protocol {} --notification-endpoint {} --return-subscription-arn", // i18n: technical
            quote(topic_arn),
            quote(protocol),
            quote(endpoint)
        ),
        Op::Unsubscribe { subscription_arn } => format!(
            "aws sns unsubscribe --region {r} --subscription-arn {}", // i18n: technical
            quote(subscription_arn)
        ),
        // The policy is merged as it is when the script runs (needs jq).
        Op::AllowPublish {
            topic_arn,
            statement,
            ..
        } => format!(
            "aws sns set-topic-attributes --region {r} --topic-arn {t} --attribute-name Policy --attribute-value \"$(aws sns get-topic-attributes --region {r} --topic-arn {t} --query Attributes.Policy --output text | jq -c --argjson s {} '.Statement |= ((if type == \"array\" then . else [.] end) + [$s])')\"", // i18n: technical
            quote(statement),
            t = quote(topic_arn)
        ),
        Op::DisallowPublish { topic_arn, sid } => format!(
            "aws sns set-topic-attributes --region {r} --topic-arn {t} --attribute-name Policy --attribute-value \"$(aws sns get-topic-attributes --region {r} --topic-arn {t} --query Attributes.Policy --output text | jq -c --arg sid {} '.Statement |= map(select(.Sid != $sid))')\"", // i18n: technical
            quote(sid),
            t = quote(topic_arn)
        ),
        Op::PutRule {
            rule,
            pattern,
            description,
        } => format!(
            "aws events put-rule --region {r} --name {} --event-pattern {} --description {} --state ENABLED --tags Key=managed-by,Value=onwatch", // i18n: technical
            quote(rule),
            quote(pattern),
            quote(description)
        ),
        Op::DeleteRule { rule, .. } => {
            format!("aws events delete-rule --region {r} --name {}", quote(rule)) // i18n: technical
        }
        Op::PutTarget { rule, id, arn } => format!(
            "aws events put-targets --region {r} --rule {} --targets {}", // i18n: technical
            quote(rule),
            quote(&serde_json::json!([{ "Id": id, "Arn": arn }]).to_string()) // i18n: technical
        ),
        Op::RemoveTarget { rule, id } => format!(
            "aws events remove-targets --region {r} --rule {} --ids {}", // i18n: technical
            quote(rule),
            quote(id)
        ),
    }
}

/// A percentage notification as the Budgets API names it (the executor finds an
/// existing one's own comparison and threshold type; a script assumes these).
fn notification_json(kind: &str, threshold: f64) -> serde_json::Value {
    serde_json::json!({"NotificationType": kind, "ComparisonOperator": "GREATER_THAN", // i18n: technical
                       "Threshold": threshold, "ThresholdType": "PERCENTAGE"}) // i18n: technical
}

fn subscriber_json(s: &super::BudgetAddress) -> serde_json::Value {
    serde_json::json!({"SubscriptionType": s.kind, "Address": s.address}) // i18n: technical
}

fn when(apply_immediately: bool) -> &'static str {
    if apply_immediately {
        "--apply-immediately"
    } else {
        "--no-apply-immediately"
    }
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// The alarm as DescribeAlarms shows it, with `change` applied to its actions, put back
/// with every field the CLI's put-metric-alarm takes (the read-only ones dropped).
fn rewrite_actions(r: &str, alarm: &str, change: &str) -> String {
    let filter = format!(
        ".MetricAlarms[0] | {change} | {{AlarmName, AlarmDescription, ActionsEnabled, OKActions, AlarmActions, InsufficientDataActions, MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions, Period, Unit, EvaluationPeriods, DatapointsToAlarm, Threshold, ComparisonOperator, TreatMissingData, EvaluateLowSampleCountPercentile, Metrics, ThresholdMetricId}} | with_entries(select(.value != null))" // i18n: technical
    );
    format!(
        "aws cloudwatch put-metric-alarm --region {r} --cli-input-json \"$(aws cloudwatch describe-alarms --region {r} --alarm-names {} --alarm-types MetricAlarm --output json | jq -c {})\"", // i18n: technical
        quote(alarm),
        quote(&filter)
    )
}

fn put_metric_alarm(r: &str, a: &NewAlarm) -> String {
    let statistic = if a.is_percentile() {
        format!("--extended-statistic {}", quote(&a.statistic)) // i18n: technical
    } else {
        format!("--statistic {}", quote(&a.statistic))
    };
    let dimensions: Vec<serde_json::Value> = a
        .dimensions
        .iter()
        .map(|(k, v)| serde_json::json!({"Name": k, "Value": v})) // i18n: technical
        .collect();
    let tags: Vec<serde_json::Value> = a
        .tags
        .iter()
        .map(|(k, v)| serde_json::json!({"Key": k, "Value": v})) // i18n: technical
        .collect();
    // The CLI takes a list flag once, with its values after it.
    let actions = if a.actions.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = a.actions.iter().map(|x| quote(x)).collect();
        format!(" --alarm-actions {}", list.join(" ")) // i18n: technical
    };
    format!(
        "aws cloudwatch put-metric-alarm --region {r} --alarm-name {} --alarm-description {} --namespace {} --metric-name {} --dimensions {} {statistic} --period {} --evaluation-periods {} --datapoints-to-alarm {} --threshold {} --comparison-operator {} --treat-missing-data {}{actions} --tags {}", // i18n: technical
        quote(&a.name),
        quote(&a.description),
        quote(&a.namespace),
        quote(&a.metric),
        quote(&serde_json::Value::Array(dimensions).to_string()),
        a.period,
        a.evaluation_periods,
        a.datapoints_to_alarm,
        a.threshold,
        quote(&a.comparison),
        quote(&a.treat_missing_data),
        quote(&serde_json::Value::Array(tags).to_string()),
    )
}

/// A reviewed shell script of the plan: comments say what each command does (comment
/// text has its line breaks removed, so a name cannot end the comment), `set -eu`
/// stops at the first failure.
pub fn script(plan: &FixPlan) -> String {
    let comment = |s: &str| s.replace(['\n', '\r'], " ");
    let mut out = String::from("#!/bin/sh\n");
    out.push_str(&format!(
        "# onwatch fix {} for account {}\n# Review before running. Cost: {}\n", // i18n: technical
        comment(&plan.item),
        comment(&plan.account),
        comment(&plan.cost)
    ));
    for w in &plan.warnings {
        out.push_str(&format!("# WARNING: {}\n", comment(w)));
    }
    out.push_str("set -eu\n"); // i18n: technical
    for step in &plan.steps {
        out.push_str(&format!("\n# {}\n{}\n", comment(&step.says), step.cli));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_one_word() {
        assert_eq!(quote("shop-api"), "shop-api");
        assert_eq!(quote("/ecs/shop api"), "'/ecs/shop api'");
        assert_eq!(quote("a'b"), r"'a'\''b'");
        assert_eq!(quote("$(rm -rf ~)"), "'$(rm -rf ~)'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("x\ny"), "'x\ny'");
    }
}
