//! The local AWS endpoint (scripts/local-aws) for tests: one server per `LocalAws`, on a
//! free port, killed on drop. Control endpoints: scripts/local_aws/README.md.
//!
//! ```ignore
//! let aws = LocalAws::start();
//! aws.seed("healthy");
//! let snapshot = aws.collect(&["us-east-1"]).await;
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_sdk_sts::config::{Credentials, Region};
use aws_types::SdkConfig;
use onwatch::collect::{self, ScanOptions};
use onwatch::snapshot::AccountSnapshot;
use serde_json::{Value, json};

mod gaps;

/// The account id moto answers with.
pub const ACCOUNT: &str = "123456789012";
/// The regions the healthy and neglected seeds fill.
pub const SEEDED: [&str; 2] = ["us-east-1", "eu-west-1"];

/// First start may build the harness's virtual environment.
const START_TIMEOUT: Duration = Duration::from_secs(600);

pub struct LocalAws {
    child: Child,
    pub url: String,
    addr: String,
    /// The SDK config a user would get from AWS_ENDPOINT_URL=url and the dummy
    /// credentials: what the scans and the gap tests run with.
    pub sdk: SdkConfig,
}

/// One injected error: matching requests get it until the faults are cleared.
pub struct Fault<'a> {
    /// The SigV4 service name: guardduty, events, sns, monitoring, logs, ...
    pub service: &'a str,
    /// A region, or "*".
    pub region: &'a str,
    /// Only requests that carry a page token (NextToken, nextToken, Marker...): the
    /// first page of a listing succeeds, a later one fails.
    pub paged: bool,
    /// One operation ("ListDetectors"), or None for all of the service's.
    pub operation: Option<&'a str>,
    pub status: u16,
    pub code: &'a str,
    pub message: &'a str,
}

impl LocalAws {
    pub fn start() -> LocalAws {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/local-aws");
        let mut child = Command::new(&script)
            .arg("--port")
            .arg("0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {}: {e}", script.display()));
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(START_TIMEOUT) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!("scripts/local-aws did not print `ready` within {START_TIMEOUT:?}");
            }
        };
        let Some(url) = line.trim().strip_prefix("ready ").map(str::to_string) else {
            let _ = child.kill();
            panic!("scripts/local-aws printed {line:?}, expected `ready http://127.0.0.1:PORT`");
        };
        let addr = url.trim_start_matches("http://").to_string();
        let sdk = sdk_config_for(&url);
        LocalAws {
            child,
            url,
            addr,
            sdk,
        }
    }

    /// Scan options that send every request here, with dummy credentials.
    pub fn options(&self, regions: &[&str]) -> ScanOptions {
        ScanOptions {
            regions: Some(regions.iter().map(|r| r.to_string()).collect()),
            sdk_config: Some(self.sdk.clone()),
            ..ScanOptions::default()
        }
    }

    /// The retry attempts the SDK config allows (the scan's policy).
    pub fn max_attempts(&self) -> u64 {
        u64::from(self.sdk.retry_config().map_or(3, |r| r.max_attempts()))
    }

    /// Collects the given regions; panics when the scan cannot start.
    pub async fn collect(&self, regions: &[&str]) -> AccountSnapshot {
        collect::collect(&self.options(regions), None)
            .await
            .unwrap_or_else(|e| panic!("scan failed: {e}"))
    }

    /// Forgets every resource, fault, call count and SNS confirmation.
    pub fn reset(&self) {
        self.post("/moto-api/reset", &json!({}));
    }

    /// Seeds a scenario (demo, healthy, neglected, large) into a reset server.
    pub fn seed(&self, scenario: &str) -> Value {
        self.post("/_onwatch/seed", &json!({ "scenario": scenario }))
    }

    pub fn seed_regions(&self, scenario: &str, regions: &[&str]) -> Value {
        self.post(
            "/_onwatch/seed",
            &json!({ "scenario": scenario, "regions": regions }),
        )
    }

    pub fn fault(&self, f: Fault<'_>) {
        let mut body = json!({
            "service": f.service,
            "region": f.region,
            "status": f.status,
            "code": f.code,
            "message": f.message,
            "paged": f.paged,
        });
        if let Some(op) = f.operation {
            body["operation"] = json!(op);
        }
        self.post("/_onwatch/fault", &body);
    }

    pub fn clear_faults(&self) {
        self.request("DELETE", "/_onwatch/fault", None);
    }

    /// `{calls: {service: {operation: n}}, regions: {region: {service: {operation: n}}},
    /// total, invocations, duplicates}` since the last reset/seed: `total` counts HTTP
    /// requests (retries included), `invocations` SDK operation calls.
    pub fn calls(&self) -> Value {
        self.request("GET", "/_onwatch/calls", None)
    }

    pub fn clear_calls(&self) {
        self.request("DELETE", "/_onwatch/calls", None);
    }

    pub fn post(&self, path: &str, body: &Value) -> Value {
        self.request("POST", path, Some(body))
    }

    /// A minimal HTTP/1.1 client: the control endpoints answer with Content-Length and
    /// close the connection.
    pub fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let body = body.map(Value::to_string).unwrap_or_default();
        let (status, payload) =
            self.send(method, path, "Content-Type: application/json\r\n", &body);
        assert!(
            status.starts_with('2'),
            "{method} {path} answered {status}: {payload}"
        );
        serde_json::from_str(&payload).unwrap_or(Value::String(payload))
    }

    /// Deletes an empty S3 bucket (onwatch has no S3 client): a path-style DeleteBucket
    /// whose credential scope names s3, which is how the harness dispatches; moto does
    /// not check signatures.
    pub fn delete_bucket(&self, bucket: &str) {
        let headers = "Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00\r\nx-amz-date: 20260101T000000Z\r\n";
        let (status, payload) = self.send("DELETE", &format!("/{bucket}"), headers, "");
        assert!(
            status.starts_with('2'),
            "DeleteBucket {bucket} answered {status}: {payload}"
        );
    }

    /// Sends one request (`headers`: extra header lines, each ending in CRLF); the
    /// status code and the body.
    fn send(&self, method: &str, path: &str, headers: &str, body: &str) -> (String, String) {
        let mut stream = TcpStream::connect(&self.addr)
            .unwrap_or_else(|e| panic!("could not connect to {}: {e}", self.url));
        stream
            .set_read_timeout(Some(Duration::from_secs(300)))
            .expect("set timeout");
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        );
        stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(body.as_bytes()))
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let mut answer = String::new();
        stream
            .read_to_string(&mut answer)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let (head, payload) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        let status = head.split(' ').nth(1).unwrap_or("?").to_string();
        (status, payload.to_string())
    }
}

/// The SDK config for an endpoint at `url` with the harness's dummy credentials and
/// us-east-1 as the default region, loaded by aws-config's own loader as for a user.
/// Loaded on a thread of its own, so that both sync and async tests can call it.
pub fn sdk_config_for(url: &str) -> SdkConfig {
    sdk_config_as(url, "testing", "testing")
}

/// The same, signed with these credentials (an IAM user's access key made in the
/// harness: STS and IAM then know who is calling).
pub fn sdk_config_as(url: &str, access_key: &str, secret: &str) -> SdkConfig {
    let (url, access_key, secret) = (url.to_string(), access_key.to_string(), secret.to_string());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime to load the SDK config");
        runtime.block_on(
            aws_config::defaults(BehaviorVersion::latest())
                .endpoint_url(url)
                .region(Region::new("us-east-1"))
                // The retry policy a user's scan runs with.
                .retry_config(collect::scan_retry_config())
                .credentials_provider(Credentials::new(
                    access_key,
                    secret,
                    None,
                    None,
                    "local-aws",
                ))
                .load(),
        )
    })
    .join()
    .expect("loading the SDK config")
}

impl Drop for LocalAws {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
