//! Issue 10, point 18: checks the baseline asks for. rds-connections-alarm judges the
//! threshold against max_connections when the parameter group sets it; a GuardDuty
//! suppression rule that archives high findings wholesale fails the routing item.

use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, Statistic};

use onwatch::report::{FindingStatus, ItemStatus};

use super::{REGION, evaluate, item};
use crate::local_aws::LocalAws;

const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:ops-alerts";

async fn connections_alarm(aws: &LocalAws, db: &str, threshold: f64) {
    aws_sdk_cloudwatch::Client::new(&aws.sdk)
        .put_metric_alarm()
        .alarm_name(format!("{db}-connections"))
        .namespace("AWS/RDS")
        .metric_name("DatabaseConnections")
        .dimensions(
            Dimension::builder()
                .name("DBInstanceIdentifier")
                .value(db)
                .build(),
        )
        .statistic(Statistic::Maximum)
        .period(300)
        .evaluation_periods(1)
        .threshold(threshold)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .alarm_actions(TOPIC)
        .send()
        .await
        .expect("PutMetricAlarm");
}

fn finding<'a>(
    report: &'a onwatch::report::Report,
    id: &str,
    db: &str,
) -> &'a onwatch::report::Finding {
    let it = item(report, id);
    it.findings
        .iter()
        .find(|f| f.resource.ends_with(&format!(":db:{db}")))
        .unwrap_or_else(|| panic!("no {id} finding for {db}: {:#?}", it.findings))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_connections_alarm_must_fire_before_max_connections() {
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    // The healthy database's own parameter group allows 200 connections; its alarm
    // fires at 150.
    let report = evaluate(&aws.collect(&[REGION]).await);
    let shop = finding(&report, "rds-connections-alarm", "shop-db");
    assert_eq!(shop.status, FindingStatus::Pass, "{shop:#?}");
    assert!(
        shop.evidence
            .contains("150 connections = 75% of max_connections 200 (parameter group shop-db-pg)"),
        "{shop:#?}"
    );

    // At 190 of 200 the alarm warns when connections are about to be refused.
    connections_alarm(&aws, "shop-db", 190.0).await;
    let report = evaluate(&aws.collect(&[REGION]).await);
    let shop = finding(&report, "rds-connections-alarm", "shop-db");
    assert_eq!(shop.status, FindingStatus::Fail, "{shop:#?}");
    assert!(
        shop.evidence
            .contains("fires at 190 connections, 95% of max_connections 200")
            && shop.reason.as_deref().unwrap_or_default().contains(
                "at or below 80% of max_connections (160 of 200, parameter group shop-db-pg)"
            ),
        "{shop:#?}"
    );

    // A database on its engine's default group: max_connections is a formula of its
    // memory, so only the alarm's existence is judged, and the evidence says so.
    aws_sdk_rds::Client::new(&aws.sdk)
        .create_db_instance()
        .db_instance_identifier("ledger-db")
        .engine("postgres")
        .engine_version("16.3")
        .db_instance_class("db.t4g.medium")
        .allocated_storage(100)
        .max_allocated_storage(200)
        .master_username("dbadmin")
        .master_user_password("not-a-real-password-1")
        .send()
        .await
        .expect("CreateDBInstance");
    let report = evaluate(&aws.collect(&[REGION]).await);
    let ledger = finding(&report, "rds-connections-alarm", "ledger-db");
    assert_eq!(ledger.status, FindingStatus::Fail, "no alarm: {ledger:#?}");
    connections_alarm(&aws, "ledger-db", 400.0).await;
    let report = evaluate(&aws.collect(&[REGION]).await);
    let ledger = finding(&report, "rds-connections-alarm", "ledger-db");
    assert_eq!(ledger.status, FindingStatus::Pass, "{ledger:#?}");
    assert!(
        ledger.evidence.contains(
            "max_connections is the engine's default in parameter group default.postgres16"
        ) && ledger
            .evidence
            .contains("only the alarm's existence is judged"),
        "{ledger:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suppression_rule_that_archives_high_findings_fails_the_route() {
    use aws_sdk_guardduty::types::{Condition, FilterAction, FindingCriteria};
    let aws = LocalAws::start();
    aws.seed_regions("healthy", &[REGION]);
    let gd = aws_sdk_guardduty::Client::new(&aws.sdk);
    let detector = gd
        .list_detectors()
        .send()
        .await
        .expect("ListDetectors")
        .detector_ids()[0]
        .clone();
    let severity = |gte: i64| Condition::builder().greater_than_or_equal(gte).build();
    // Narrowed to one finding type: a deliberate suppression, not judged.
    gd.create_filter()
        .detector_id(&detector)
        .name("known-scanner")
        .action(FilterAction::Archive)
        .finding_criteria(
            FindingCriteria::builder()
                .criterion("severity", severity(7))
                .criterion(
                    "type",
                    Condition::builder()
                        .equals("Recon:EC2/PortProbeUnprotectedPort")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("CreateFilter");
    let report = evaluate(&aws.collect(&[REGION]).await);
    let routed = item(&report, "guardduty-findings-routed");
    assert_eq!(routed.status, ItemStatus::Pass, "{:#?}", routed.findings);

    gd.create_filter()
        .detector_id(&detector)
        .name("quiet-please")
        .action(FilterAction::Archive)
        .finding_criteria(
            FindingCriteria::builder()
                .criterion("severity", severity(4))
                .build(),
        )
        .send()
        .await
        .expect("CreateFilter");
    let report = evaluate(&aws.collect(&[REGION]).await);
    let routed = item(&report, "guardduty-findings-routed");
    assert_ne!(routed.status, ItemStatus::Pass, "{:#?}", routed.findings);
    let failing: Vec<_> = routed
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Fail)
        .collect();
    assert!(
        failing.len() == 1
            && failing[0].resource.ends_with("/filter/quiet-please")
            && failing[0].evidence.contains("ARCHIVE severity Gte 4"),
        "{failing:#?}"
    );
}
