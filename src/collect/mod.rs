//! Live collection: reads an AWS account into an [`AccountSnapshot`] with the official
//! SDK. The only module (with the remediation executor) that talks to AWS.
//!
//! Every (service, region) pair is one task; all run concurrently under one in-flight
//! request limit and one shared SDK config. A failed read is stored as a [`ReadError`]
//! in its place, so one service or region failing never hides the others. Cancel a scan
//! by dropping (or aborting) the future.

mod budgets;
mod cloudtrail;
mod cloudwatch;
mod config;
mod context;
mod costexplorer;
mod ec2;
mod ecr;
mod ecs;
mod elbv2;
mod error;
mod eventbridge;
mod guardduty;
mod iam;
mod logs;
pub mod permissions;
pub(crate) mod rds;
mod recorder;
mod scope;
mod sns;
mod sts;
mod synthetics;
mod tasks;
mod topics;

use std::collections::BTreeMap;

use aws_types::SdkConfig;
use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

pub use error::{CollectError, iam_action, is_access_denied};
pub use recorder::{ApiCall, CallRecorder};

use crate::snapshot::{
    Account, AccountSnapshot, GlobalSnapshot, Read, ReadError, RegionSnapshot,
    SNAPSHOT_SCHEMA_VERSION,
};
use context::Ctx;
use scope::{home_region, load_sdk, partition_of, profile_name, regions_in_scope};
use tasks::{not_collected, region_filled, tasks};

/// The default number of AWS requests in flight at once.
pub const DEFAULT_CONCURRENCY: usize = 16;

/// Attempts per request, the first included, under [`scan_retry_config`].
pub const SCAN_ATTEMPTS: u32 = 5;

/// How the scan retries: the SDK's standard mode (exponential backoff with jitter on
/// throttling and transient errors,
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html) with
/// five attempts instead of three, so a throttle is ridden out (about 15 s of backoff)
/// before the read is recorded as throttled. Not the adaptive mode: its client-side
/// rate limiter, once throttled, slowed every later request of that client so much
/// that a two-region scan with two throttled requests took 44 s instead of 7 s, and a
/// persistent throttle 69 s instead of 17 s (tests/suite/live/errors.rs, measured);
/// the per-service in-flight limits in `SERVICE_LIMITS` (src/collect/context.rs) keep the request
/// rate low instead. AWS_RETRY_MODE or AWS_MAX_ATTEMPTS in the environment replace it,
/// as for the AWS CLI.
pub fn scan_retry_config() -> aws_smithy_types::retry::RetryConfig {
    aws_smithy_types::retry::RetryConfig::standard().with_max_attempts(SCAN_ATTEMPTS)
}

/// What to scan, and as whom.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// A named profile from ~/.aws/config; None = the default credential chain.
    pub profile: Option<String>,
    /// Regions to scan; None = every region enabled for the account.
    pub regions: Option<Vec<String>>,
    /// The region STS and EC2 are asked in (who am I, which regions are enabled).
    /// None = the profile's or the environment's region, else the first of `regions`.
    pub home_region: Option<String>,
    /// AWS requests in flight at once (at least 1).
    pub concurrency: usize,
    /// An SDK config built by the caller (credentials, region, endpoint, retries), used
    /// as it is instead of loading the standard chain; `profile` then only names the
    /// profile in messages. None in the CLI and the window; for embedding onwatch, and
    /// for tests that point it at a local AWS endpoint without touching the process
    /// environment.
    pub sdk_config: Option<SdkConfig>,
    /// Records every operation called (for the least-privilege policy check).
    pub recorder: Option<CallRecorder>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            profile: None,
            regions: None,
            home_region: None,
            concurrency: DEFAULT_CONCURRENCY,
            sdk_config: None,
            recorder: None,
        }
    }
}

/// Who the scan runs as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub account_id: String,
    pub arn: String,
    pub profile: Option<String>,
    /// The default region of the credential chain, if any.
    pub region: Option<String>,
}

/// Progress of a scan, for a progress bar or the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressEvent {
    /// The scan is about to read: `total` reads, one per (service, region) in
    /// `planned` (account-wide services are in [`crate::snapshot::GLOBAL_REGION`]).
    Started {
        total: usize,
        planned: Vec<(String, String)>,
    },
    TaskFinished {
        service: String,
        region: String,
        ok: bool,
        done: usize,
        total: usize,
    },
    Finished,
}

/// The longest the account alias may take (it starts with the other reads, first in
/// line for a slot); a slower answer leaves the report naming the account by its id.
const ALIAS_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The SDK config a scan with these options uses (the executor of fixes uses the same).
pub async fn sdk_config(opts: &ScanOptions) -> SdkConfig {
    load_sdk(opts).await
}

/// Checks the credentials: who they belong to.
pub async fn resolve_identity(opts: &ScanOptions) -> Result<Identity, CollectError> {
    let sdk = load_sdk(opts).await;
    let home = home_region(&sdk, opts)?;
    let ctx = Ctx::new(sdk, opts.concurrency, opts.recorder.clone());
    let who = sts::caller_identity(&ctx, &home, opts.profile.as_deref()).await?;
    Ok(Identity {
        account_id: who.account_id,
        arn: who.arn,
        profile: profile_name(opts),
        region: ctx.sdk.region().map(|r| r.to_string()),
    })
}

/// The regions enabled for the account, sorted.
pub async fn enabled_regions(opts: &ScanOptions) -> Result<Vec<String>, CollectError> {
    let sdk = load_sdk(opts).await;
    let home = home_region(&sdk, opts)?;
    let ctx = Ctx::new(sdk, opts.concurrency, opts.recorder.clone());
    let regions = ec2::regions(&ctx, &home, false, opts.profile.as_deref()).await?;
    Ok(regions
        .into_iter()
        .filter(|r| r.enabled)
        .map(|r| r.name)
        .collect())
}

/// Reads the account. Progress events go to `progress` when given (a closed receiver is
/// ignored).
pub async fn collect(
    opts: &ScanOptions,
    progress: Option<UnboundedSender<ProgressEvent>>,
) -> Result<AccountSnapshot, CollectError> {
    let report = |event: ProgressEvent| {
        if let Some(tx) = &progress {
            let _ = tx.send(event);
        }
    };
    let sdk = load_sdk(opts).await;
    let home = home_region(&sdk, opts)?;
    let mut ctx = Ctx::new(sdk, opts.concurrency, opts.recorder.clone());
    let profile = opts.profile.as_deref();
    let who = sts::caller_identity(&ctx, &home, profile).await?;
    ctx.account_id = who.account_id.clone();
    ctx.partition = partition_of(&who.arn);
    let (scan, disabled) =
        regions_in_scope(&mut ctx, &home, opts.regions.as_deref(), profile).await?;
    ctx.scope = scan.iter().cloned().collect();

    let mut regions: BTreeMap<String, RegionSnapshot> = BTreeMap::new();
    for r in &scan {
        regions.insert(r.clone(), region_filled(&not_collected()));
    }
    for r in &disabled {
        let e = ReadError::RegionNotEnabled {
            message: format!("{r} is not enabled for account {}", ctx.account_id), // i18n: technical
        };
        regions.insert(r.clone(), region_filled(&e));
    }
    let mut global = GlobalSnapshot {
        budgets: Read::Failed(not_collected()),
        anomaly_monitors: Read::Failed(not_collected()),
        anomaly_subscriptions: Read::Failed(not_collected()),
    };

    let mut planned = Vec::new();
    let mut runs = Vec::new();
    for task in tasks(&ctx, &scan) {
        planned.push((task.service.to_string(), task.region));
        runs.push(task.run);
    }
    let total = runs.len();
    report(ProgressEvent::Started { total, planned });
    let reads = async {
        let mut finished = futures::stream::iter(runs).buffer_unordered(opts.concurrency.max(1));
        let mut done = 0;
        while let Some(result) = finished.next().await {
            done += 1;
            report(ProgressEvent::TaskFinished {
                service: result.service.to_string(),
                region: result.region.clone(),
                ok: result.part.ok(),
                done,
                total,
            });
            result
                .part
                .apply(regions.get_mut(&result.region), &mut global);
        }
    };
    // The alias only names the account; it is read alongside, not as a check, and
    // never holds the scan up for more than ALIAS_WAIT.
    let alias = async {
        tokio::time::timeout(ALIAS_WAIT, iam::account_alias(&ctx, ctx.global_region()))
            .await
            .ok()
            .flatten()
    };
    let (alias, ()) = futures::join!(alias, reads);
    // Which topics alerts go to is known only now.
    topics::read_access(&ctx, &mut regions, &global).await;
    report(ProgressEvent::Finished);

    Ok(AccountSnapshot {
        schema_version: SNAPSHOT_SCHEMA_VERSION,
        collected_at: ctx.now,
        account: Account {
            id: who.account_id,
            alias,
            partition: ctx.partition.clone(),
            caller_arn: Some(who.arn),
        },
        regions,
        global,
    })
}

/// Last calendar month's cost in USD, or None when Cost Explorer has none; the read
/// error (with the missing permission) otherwise. A paid read ($0.01 a request): only
/// a fix that creates a budget without an amount asks for it.
pub async fn last_month_cost(
    opts: &ScanOptions,
    today: chrono::NaiveDate,
) -> Result<Option<f64>, crate::snapshot::ReadError> {
    let sdk = load_sdk(opts).await;
    let ctx = Ctx::new(sdk, opts.concurrency, opts.recorder.clone());
    costexplorer::last_month_cost(&ctx, today).await
}

/// Each topic's (confirmed, pending) subscriptions, one call a topic, not a scan: the
/// window's "Check again" after a fix subscribed an address.
pub async fn subscription_states(
    opts: &ScanOptions,
    topics: &[String],
) -> Vec<(String, Result<(usize, usize), crate::snapshot::ReadError>)> {
    let sdk = load_sdk(opts).await;
    let ctx = Ctx::new(sdk, opts.concurrency, opts.recorder.clone());
    let reads = topics.iter().map(|t| sns::topic_subscriptions(&ctx, t));
    let states = futures::future::join_all(reads).await;
    topics.iter().cloned().zip(states).collect()
}
