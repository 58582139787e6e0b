//! Issue 11: synthetics-canary on the neglected account of the local endpoint: a
//! heartbeat canary for the URL the user gives, with its bucket, role and routed
//! success-rate alarm; undo removes the canary, role and alarm and keeps the bucket.

use onwatch::execute;
use onwatch::fix::audit::{AuditLog, undo_plan};
use onwatch::fix::{self, Channel, Choices};
use onwatch::report::ItemStatus;
use serde_json::json;

use super::evaluate;
use super::fix::{REGION, runner, status};
use crate::local_aws::LocalAws;

const ITEM: &str = "synthetics-canary";
const ACCOUNT: &str = "123456789012";
/// Quotes and `$(…)` are legal in a URL's query: they must stay data everywhere.
const URL: &str = "https://shop.example.com/health?probe='$(id)'";

#[tokio::test(flavor = "multi_thread")]
async fn a_public_endpoint_gets_a_running_canary_with_a_routed_alarm_and_undo_removes_it() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Fail);
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    let email = Choices {
        channel: Some(Channel::Email("oncall@example.com".into())),
        ..Choices::default()
    };
    let asks = fix::plan(ITEM, &report, &snapshot, &email).expect("a plan");
    assert!(asks.steps.is_empty(), "{asks:#?}");
    assert!(
        asks.skipped
            .iter()
            .any(|s| s.contains("--canary-url us-east-1=") && s.contains("elb.amazonaws.com")),
        "asks for the URL and offers the load balancer's name: {asks:#?}"
    );
    assert!(
        fix::plan(
            ITEM,
            &report,
            &snapshot,
            &Choices {
                canary_urls: vec![(None, "ftp://shop.example.com".into())],
                ..email.clone()
            }
        )
        .is_err(),
        "not an http(s) URL"
    );

    let choices = Choices {
        canary_urls: vec![(None, URL.into())],
        ..email
    };
    let plan = fix::plan(ITEM, &report, &snapshot, &choices).expect("a plan");
    let ops: Vec<_> = plan.steps.iter().map(|s| s.op.name()).collect();
    assert_eq!(
        ops,
        [
            "CreateBucket",
            "PutPublicAccessBlock",
            "PutBucketPolicy",
            "PutBucketTagging",
            "CreateRole",
            "PutRolePolicy",
            "CreateCanary",
            "StartCanary",
            "CreateTopic",
            "Subscribe",
            "PutMetricAlarm"
        ],
        "{plan:#?}"
    );
    assert!(plan.cost.contains("$10.37"), "{}", plan.cost);
    // The script carries the URL as a JavaScript string, and the shell line writes
    // exactly that script: run the same printf through sh and compare.
    let script = fix::canary::script(URL);
    assert!(
        script.contains(r#"const url = "https://shop.example.com/health?probe='$(id)'";"#),
        "{script}"
    );
    let create = plan
        .steps
        .iter()
        .find(|s| s.op.name() == "CreateCanary")
        .expect("CreateCanary");
    let quoted = fix::shell::quote(&script);
    assert!(
        create.cli.contains(&format!("printf '%s' {quoted} >")),
        "{}",
        create.cli
    );
    let echoed = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("printf '%s' {quoted}"))
        .output()
        .expect("sh");
    assert_eq!(String::from_utf8_lossy(&echoed.stdout), script);

    let dir = tempfile::tempdir().expect("tempdir");
    let log = AuditLog::new(dir.path(), ACCOUNT);
    let runner = runner(&aws, &log);
    let ran = execute::run(&runner, &plan, None).await.expect("logged");
    assert!(ran.complete(), "{ran:#?}");

    let syn = aws_sdk_synthetics::Client::new(&aws.sdk);
    let canary = syn
        .get_canary()
        .name("onwatch-heartbeat")
        .send()
        .await
        .expect("GetCanary");
    let canary = canary.canary().expect("the canary");
    assert_eq!(
        canary.runtime_version(),
        Some("syn-nodejs-puppeteer-10.0"),
        "the newest runtime that is not deprecated"
    );
    assert_eq!(
        canary.status().and_then(|s| s.state()).map(|s| s.as_str()),
        Some("RUNNING")
    );
    assert_eq!(
        canary.schedule().and_then(|s| s.expression()),
        Some("rate(5 minutes)")
    );
    assert_eq!(
        canary.artifact_s3_location(),
        Some(format!("s3://onwatch-canary-{ACCOUNT}-{REGION}/canary/").as_str())
    );
    let alarm = aws_sdk_cloudwatch::Client::new(&aws.sdk)
        .describe_alarms()
        .alarm_names("onwatch-onwatch-heartbeat-success")
        .send()
        .await
        .expect("DescribeAlarms");
    let alarm = alarm.metric_alarms().first().expect("the success alarm");
    assert_eq!(alarm.period(), Some(300));
    assert_eq!(alarm.treat_missing_data(), Some("breaching"));

    // The endpoint is probed now, but the alarm reaches no one until the person
    // confirms the e-mail: partial; then the item passes.
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Partial);
    let topic = format!("arn:aws:sns:{REGION}:{ACCOUNT}:onwatch-alerts");
    aws.post("/_onwatch/sns/confirm", &json!({ "topic_arn": topic }));
    let snapshot = aws.collect(&[REGION]).await;
    let report = evaluate(&snapshot);
    let judged = super::item(&report, ITEM);
    assert_eq!(judged.status, ItemStatus::Pass, "{judged:#?}");
    let again = fix::plan(ITEM, &report, &snapshot, &choices).expect("a plan");
    assert!(again.steps.is_empty(), "{again:#?}");

    let undo = undo_plan(&log.read().expect("reads"), &ran.run).expect("an undo plan");
    let ops: Vec<_> = undo.steps.iter().map(|s| s.op.name()).collect();
    assert_eq!(
        ops,
        [
            "DeleteAlarms",
            "Unsubscribe",
            "DeleteTopic",
            "StopCanary",
            "DeleteCanary",
            "DeleteRolePolicy",
            "DeleteRole"
        ],
        "the bucket is kept: {undo:#?}"
    );
    let undone = execute::run(&runner, &undo, Some(&ran.run))
        .await
        .expect("logged");
    assert!(undone.complete(), "{undone:#?}");
    assert_eq!(status(&aws, ITEM).await, ItemStatus::Fail);
    assert!(
        syn.get_canary()
            .name("onwatch-heartbeat")
            .send()
            .await
            .is_err(),
        "the canary is gone"
    );
    let iam = aws_sdk_iam::Client::new(&aws.sdk);
    assert!(
        iam.get_role()
            .role_name(format!("onwatch-canary-{REGION}"))
            .send()
            .await
            .is_err(),
        "the role is gone"
    );
}
