//! The binary, pointed at the local endpoint through the environment as a user would:
//! AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, exit codes, Ctrl-C.

use std::collections::BTreeMap;

use onwatch::snapshot::AccountSnapshot;

use super::automated_ids;
use crate::local_aws::LocalAws;

/// The binary with dummy credentials, no AWS config files and `env` on top.
pub(super) fn onwatch_with(
    url: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_onwatch"));
    cmd.args(args)
        .env("AWS_ENDPOINT_URL", url)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/onwatch-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/onwatch-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// The binary against `aws` with its data (audit log, answers) in `data_home`, no
/// terminal on stdin.
pub(super) fn onwatch_in(aws: &LocalAws, data_home: &str, args: &[&str]) -> std::process::Output {
    onwatch_with(&aws.url, args, &[("XDG_DATA_HOME", data_home)])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run onwatch")
}

/// What a run printed, stdout then stderr.
pub(super) fn printed(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn onwatch(aws: &LocalAws, args: &[&str]) -> std::process::Output {
    onwatch_with(&aws.url, args, &[])
        .output()
        .expect("run onwatch")
}

/// Item id -> status from a JSON report.
fn statuses(report: &serde_json::Value) -> BTreeMap<String, String> {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap_or_default().to_string(),
                i["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn cli_scans_the_endpoint_from_the_environment_and_saves_the_snapshot() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("scan.json");
    let saved_arg = saved.to_str().expect("utf-8 path");
    let out = onwatch(
        &aws,
        &[
            "scan",
            "--region",
            "us-east-1",
            "--region",
            "eu-west-1",
            "--format",
            "json",
            "--save-snapshot",
            saved_arg,
            "--fail-under",
            "100",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let statuses = statuses(&report);
    for id in automated_ids() {
        assert_eq!(statuses.get(&id).map(String::as_str), Some("pass"), "{id}");
    }
    let snapshot = AccountSnapshot::load(&saved).expect("the saved snapshot loads");
    assert_eq!(snapshot.region_names(), vec!["eu-west-1", "us-east-1"]);
    assert!(
        !stderr.contains("testing"),
        "no credential on stderr: {stderr}"
    );
    let text = std::fs::read_to_string(&saved).expect("saved");
    assert!(!text.contains("testing"), "no credential in the snapshot");
}

#[test]
fn cli_exit_codes_for_findings_and_for_errors() {
    let aws = LocalAws::start();
    aws.seed("neglected");
    let out = onwatch(
        &aws,
        &[
            "scan",
            "--region",
            "us-east-1",
            "--quiet",
            "--fail-under",
            "50",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "--quiet: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = onwatch(&aws, &["scan", "--region", "us-eest-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown region"));

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_onwatch"))
        .args(["scan", "--region", "us-east-1"])
        .env("AWS_ENDPOINT_URL", &aws.url)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/onwatch-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/onwatch-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        .env_remove("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        .env_remove("AWS_WEB_IDENTITY_TOKEN_FILE")
        .output()
        .expect("run onwatch");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no AWS credentials found"), "{stderr}");
}

#[test]
fn cli_a_service_endpoint_that_does_not_resolve_could_not_be_checked() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    // AWS_ENDPOINT_URL_<SERVICE> moves one service; `.invalid` never resolves (RFC
    // 6761). A name that does not resolve is not "the service is not offered here"
    // unless it is AWS's own endpoint: the item could not be checked.
    let out = onwatch_with(
        &aws.url,
        &[
            "scan",
            "--region",
            "us-east-1",
            "--format",
            "json",
            "--quiet",
        ],
        &[(
            "AWS_ENDPOINT_URL_GUARDDUTY",
            "http://guardduty.something.invalid",
        )],
    )
    .output()
    .expect("run onwatch");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let statuses = statuses(&report);
    assert_eq!(
        statuses.get("guardduty-enabled").map(String::as_str),
        Some("could_not_check"),
        "{statuses:?}"
    );
    let gd = report["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["id"] == "guardduty-enabled"))
        .expect("guardduty-enabled");
    let reason = gd["findings"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("guardduty:ListDetectors"), "{reason}");
    assert!(reason.contains("NetworkError"), "{reason}");
    // The other services still went to AWS_ENDPOINT_URL.
    assert_eq!(
        statuses.get("cloudtrail-multi-region").map(String::as_str),
        Some("pass")
    );
}

#[test]
fn cli_ctrl_c_stops_the_scan_with_exit_code_2() {
    // An endpoint that accepts connections and never answers: the scan waits forever.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", silent.local_addr().expect("addr"));
    let (accepted, first_request) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Hand the connection (never answered) and the listener to the test, which
        // keeps both open until it ends.
        let conn = silent.accept();
        let _ = accepted.send((conn, silent));
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("never.json");
    let mut child = onwatch_with(
        &url,
        &["scan", "--region", "us-east-1", "--save-snapshot"],
        &[],
    )
    .arg(&saved)
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .expect("run onwatch");
    // The scan's first request reached the endpoint: it is running, with its Ctrl-C
    // handler installed, and waiting.
    let held = first_request
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("the scan sends its first request");
    assert!(
        child.try_wait().expect("poll").is_none(),
        "the scan is still waiting on the silent endpoint"
    );
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(kill.success());
    let started = std::time::Instant::now();
    let out = child.wait_with_output().expect("wait");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "stops promptly"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("stopped by Ctrl-C"), "{stderr}");
    assert!(out.stdout.is_empty(), "no report");
    assert!(!saved.exists(), "nothing saved");
    drop(held);
}

/// `--home-region` is where the binary asks who it is, whatever AWS_REGION says.
#[test]
fn cli_home_region_is_asked_instead_of_aws_region() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    aws.clear_calls();
    let out = onwatch(
        &aws,
        &[
            "scan",
            "--home-region",
            "eu-west-1",
            "--region",
            "us-east-1",
            "--quiet",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(2), "stderr: {stderr}");
    let calls = aws.calls();
    let n = |region: &str| {
        calls["regions"][region]["sts"]["GetCallerIdentity"]
            .as_u64()
            .unwrap_or(0)
    };
    assert_eq!(n("eu-west-1"), 1, "{calls}");
    assert_eq!(n("us-east-1"), 0, "{calls}");
}

/// Issue 10, point 16: with every service denied but CloudWatch Logs, log-retention
/// alone scores 100: `--fail-under` would let a scan that read almost nothing pass.
/// The coverage gate (0.8 by default with `--fail-under`) fails it and names what
/// could not be read; the healthy account, read in full, still passes.
#[test]
fn a_scan_that_read_almost_nothing_does_not_pass_the_gate() {
    let aws = LocalAws::start();
    aws.seed("healthy");
    for (service, code) in super::DENIED.iter().filter(|(s, _)| *s != "logs") {
        aws.fault(crate::local_aws::Fault {
            service,
            region: "*",
            paged: false,
            operation: None,
            status: 403,
            code,
            message: "not authorized",
        });
    }
    let args = [
        "scan",
        "--region",
        "us-east-1",
        "--quiet",
        "--format",
        "json",
        "--fail-under",
        "50",
    ];
    let out = onwatch(&aws, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["score"]["overall"].as_f64(), Some(100.0), "{report}");
    assert!(
        report["score"]["aws_coverage"]
            .as_f64()
            .is_some_and(|c| c < 0.8),
        "{}",
        report["score"]
    );
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("is below --min-coverage 0.80")
            && stderr.contains("guardduty-enabled (guardduty:ListDetectors)"),
        "{stderr}"
    );
    // The gate can be lowered on purpose.
    let mut lowered = args.to_vec();
    lowered.extend(["--min-coverage", "0"]);
    assert_eq!(onwatch(&aws, &lowered).status.code(), Some(0));
    // The README's CI example on a healthy account read in full.
    aws.clear_faults();
    let ok = onwatch(&aws, &args);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}
