//! Issue 12: the plan says up front which of its permissions the profile lacks, from
//! IAM's policy simulator (SimulatePrincipalPolicy, a harness patch: moto lacks it),
//! for an IAM user and for an assumed role; and says why when it cannot know.

use aws_sdk_iam as iam;
use onwatch::collect::ScanOptions;
use onwatch::collect::permissions::{PermissionCheck, missing_permissions};

use super::fix::{REGION, plan_for};
use crate::local_aws::{LocalAws, sdk_config_as};

pub(crate) const ALLOW_DESCRIBE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:Describe*","Resource":"*"}]}"#;
const ALLOW_PUT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:PutRetentionPolicy","Resource":"*"}]}"#;

/// An IAM user with an inline policy, and its access key.
pub(crate) async fn user_with(aws: &LocalAws, name: &str, policy: &str) -> (String, String) {
    let iam = iam::Client::new(&aws.sdk);
    iam.create_user()
        .user_name(name)
        .send()
        .await
        .expect("CreateUser");
    iam.put_user_policy()
        .user_name(name)
        .policy_name("fixer")
        .policy_document(policy)
        .send()
        .await
        .expect("PutUserPolicy");
    let key = iam
        .create_access_key()
        .user_name(name)
        .send()
        .await
        .expect("CreateAccessKey");
    let key = key.access_key().expect("a key");
    (
        key.access_key_id().to_string(),
        key.secret_access_key().to_string(),
    )
}

fn options_as(aws: &LocalAws, key: &(String, String)) -> ScanOptions {
    ScanOptions {
        regions: Some(vec![REGION.to_string()]),
        sdk_config: Some(sdk_config_as(&aws.url, &key.0, &key.1)),
        ..ScanOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_plan_says_which_permissions_the_profile_lacks() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let plan = plan_for(&aws, "log-retention").await;
    let needed = plan.permissions();
    assert!(
        needed.contains(&"logs:PutRetentionPolicy".to_string()),
        "{needed:?}"
    );

    // A user who may read log groups but not set their retention.
    let key = user_with(&aws, "reader", ALLOW_DESCRIBE).await;
    let check = missing_permissions(&options_as(&aws, &key), None, &needed).await;
    assert_eq!(
        check,
        PermissionCheck::Known {
            lacks: vec!["logs:PutRetentionPolicy".to_string()],
            principal: "arn:aws:iam::123456789012:user/reader".to_string(),
        }
    );

    // Given the write too, nothing is missing.
    let iam = iam::Client::new(&aws.sdk);
    iam.put_user_policy()
        .user_name("reader")
        .policy_name("writer")
        .policy_document(ALLOW_PUT)
        .send()
        .await
        .expect("PutUserPolicy");
    let check = missing_permissions(&options_as(&aws, &key), None, &needed).await;
    assert!(
        matches!(&check, PermissionCheck::Known { lacks, .. } if lacks.is_empty()),
        "{check:?}"
    );
    // Asked again with the principal an earlier answer named: one call, the simulator.
    let before = aws.calls()["total"].as_u64().expect("total");
    let again = missing_permissions(
        &options_as(&aws, &key),
        Some("arn:aws:iam::123456789012:user/reader"),
        &needed,
    )
    .await;
    assert_eq!(again, check);
    assert_eq!(aws.calls()["total"].as_u64().expect("total") - before, 1);

    // An assumed role (an SSO profile's): simulated as the role, with its path.
    iam.create_role()
        .role_name("AWSReservedSSO_Admin_0123")
        .path("/aws-reserved/sso.amazonaws.com/")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#)
        .send()
        .await
        .expect("CreateRole");
    iam.put_role_policy()
        .role_name("AWSReservedSSO_Admin_0123")
        .policy_name("describe")
        .policy_document(ALLOW_DESCRIBE)
        .send()
        .await
        .expect("PutRolePolicy");
    let sts = aws_sdk_sts::Client::new(&sdk_config_as(&aws.url, &key.0, &key.1));
    let assumed = sts
        .assume_role()
        .role_arn("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123")
        .role_session_name("founder")
        .send()
        .await
        .expect("AssumeRole");
    let creds = assumed.credentials().expect("credentials");
    let role_sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(&aws.url)
        .region(aws_sdk_sts::config::Region::new(REGION))
        .credentials_provider(aws_sdk_sts::config::Credentials::new(
            creds.access_key_id(),
            creds.secret_access_key(),
            Some(creds.session_token().to_string()),
            None,
            "assumed",
        ))
        .load()
        .await;
    let opts = ScanOptions {
        regions: Some(vec![REGION.to_string()]),
        sdk_config: Some(role_sdk),
        ..ScanOptions::default()
    };
    assert_eq!(
        missing_permissions(&opts, None, &needed).await,
        PermissionCheck::Known {
            lacks: vec!["logs:PutRetentionPolicy".to_string()],
            principal: "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123".to_string(),
        }
    );

    // The harness's own credentials are no IAM user: it cannot be known, and it says why.
    match missing_permissions(&aws.options(&[REGION]), None, &needed).await {
        PermissionCheck::Unknown(why) => {
            assert!(why.contains("only users and roles"), "{why}")
        }
        known => panic!("{known:?}"),
    }
}

/// `onwatch fix` says it on standard error, before anything runs.
#[test]
fn the_cli_plan_names_the_missing_permission() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &[REGION]);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let key = runtime.block_on(user_with(&aws, "reader", ALLOW_DESCRIBE));
    let home = tempfile::tempdir().expect("temp dir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_onwatch"))
        .args(["fix", "log-retention", "--region", REGION])
        .env("AWS_ENDPOINT_URL", &aws.url)
        .env("AWS_ACCESS_KEY_ID", &key.0)
        .env("AWS_SECRET_ACCESS_KEY", &key.1)
        .env("AWS_REGION", REGION)
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", home.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.path().join("none"))
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("LANG", "C")
        .env_remove("ONWATCH_LANG")
        .output()
        .expect("onwatch runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "The profile lacks 1 permission(s) the plan needs: logs:PutRetentionPolicy (IAM's policy simulator on arn:aws:iam::123456789012:user/reader)"
        ),
        "{err}"
    );
}
