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
mod logs;
mod rds;
mod sns;
mod sts;
mod synthetics;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use aws_config::BehaviorVersion;
use aws_types::SdkConfig;
use aws_types::region::Region;
use futures::StreamExt;
use futures::future::BoxFuture;
use tokio::sync::mpsc::UnboundedSender;

pub use context::{ApiCall, CallRecorder};
pub use error::{CollectError, iam_action};

use crate::snapshot::{
    Account, AccountSnapshot, GlobalSnapshot, Read, ReadError, RegionSnapshot,
    SNAPSHOT_SCHEMA_VERSION,
};
use context::{Ctx, ok, to_read};

/// The default number of AWS requests in flight at once.
pub const DEFAULT_CONCURRENCY: usize = 16;

/// What to scan, and as whom.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// A named profile from ~/.aws/config; None = the default credential chain.
    pub profile: Option<String>,
    /// Regions to scan; None = every region enabled for the account.
    pub regions: Option<Vec<String>>,
    /// AWS requests in flight at once (at least 1).
    pub concurrency: usize,
    /// Send every request to this endpoint with these fixed credentials instead of the
    /// default chain: for a local AWS endpoint (scripts/local-aws) without touching the
    /// process environment. None in normal use.
    pub endpoint: Option<LocalEndpoint>,
    /// Records every operation called (for the least-privilege policy check).
    pub recorder: Option<CallRecorder>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            profile: None,
            regions: None,
            concurrency: DEFAULT_CONCURRENCY,
            endpoint: None,
            recorder: None,
        }
    }
}

/// A local AWS endpoint and the dummy credentials it accepts.
#[derive(Clone)]
pub struct LocalEndpoint {
    pub url: String,
    /// The default region (STS, EC2 DescribeRegions).
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl fmt::Debug for LocalEndpoint {
    // Never print a secret, even a dummy one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalEndpoint")
            .field("url", &self.url)
            .field("region", &self.region)
            .finish_non_exhaustive()
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
    Started {
        total: usize,
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

/// Checks the credentials: who they belong to.
pub async fn resolve_identity(opts: &ScanOptions) -> Result<Identity, CollectError> {
    let sdk = load_sdk(opts).await;
    let home = home_region(&sdk, opts)?;
    let ctx = Ctx::new(
        sdk,
        String::new(),
        BTreeSet::new(),
        opts.concurrency,
        opts.recorder.clone(),
    );
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
    let ctx = Ctx::new(
        sdk,
        String::new(),
        BTreeSet::new(),
        opts.concurrency,
        opts.recorder.clone(),
    );
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
    let mut ctx = Ctx::new(
        sdk,
        String::new(),
        BTreeSet::new(),
        opts.concurrency,
        opts.recorder.clone(),
    );
    let profile = opts.profile.as_deref();
    let who = sts::caller_identity(&ctx, &home, profile).await?;
    ctx.account_id = who.account_id.clone();

    // Region scope: the given regions (those not enabled are marked, not called), or
    // every enabled region.
    let (scan, disabled) = match &opts.regions {
        Some(wanted) => scope_of(&ctx, &home, wanted, profile).await?,
        None => {
            let all = ec2::regions(&ctx, &home, false, profile).await?;
            (
                all.into_iter()
                    .filter(|r| r.enabled)
                    .map(|r| r.name)
                    .collect(),
                Vec::new(),
            )
        }
    };
    ctx.scope = scan.iter().cloned().collect();

    let mut regions: BTreeMap<String, RegionSnapshot> = BTreeMap::new();
    for r in &scan {
        regions.insert(r.clone(), region_filled(&not_collected()));
    }
    for r in &disabled {
        let e = ReadError::RegionNotEnabled {
            message: format!("{r} is not enabled for account {}", ctx.account_id),
        };
        regions.insert(r.clone(), region_filled(&e));
    }
    let mut global = GlobalSnapshot {
        budgets: Read::Failed(not_collected()),
        anomaly_monitors: Read::Failed(not_collected()),
        anomaly_subscriptions: Read::Failed(not_collected()),
    };

    let tasks = tasks(&ctx, &scan);
    let total = tasks.len();
    report(ProgressEvent::Started { total });
    let mut finished = futures::stream::iter(tasks).buffer_unordered(opts.concurrency.max(1));
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
    report(ProgressEvent::Finished);

    Ok(AccountSnapshot {
        schema_version: SNAPSHOT_SCHEMA_VERSION,
        collected_at: ctx.now,
        account: Account {
            id: who.account_id,
            alias: None,
            partition: partition_of(&who.arn),
            caller_arn: Some(who.arn),
        },
        regions,
        global,
    })
}

async fn load_sdk(opts: &ScanOptions) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(profile) = &opts.profile {
        // A named profile wins over credentials in the environment, as with the AWS CLI.
        let creds = aws_config::profile::ProfileFileCredentialsProvider::builder()
            .profile_name(profile)
            .build();
        loader = loader.profile_name(profile).credentials_provider(creds);
    }
    if let Some(ep) = &opts.endpoint {
        let creds = aws_sdk_sts::config::Credentials::new(
            ep.access_key_id.clone(),
            ep.secret_access_key.clone(),
            None,
            None,
            "onwatch-local-endpoint",
        );
        loader = loader
            .endpoint_url(ep.url.clone())
            .region(Region::new(ep.region.clone()))
            .credentials_provider(creds);
    }
    loader.load().await
}

fn home_region(sdk: &SdkConfig, opts: &ScanOptions) -> Result<String, CollectError> {
    if let Some(r) = sdk.region() {
        return Ok(r.to_string());
    }
    opts.regions
        .as_ref()
        .and_then(|r| r.first().cloned())
        .ok_or(CollectError::NoRegion)
}

fn profile_name(opts: &ScanOptions) -> Option<String> {
    opts.profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok())
}

/// Splits the requested regions into those to scan and those not enabled. When the
/// account's region list cannot be read, every requested region is scanned.
async fn scope_of(
    ctx: &Ctx,
    home: &str,
    wanted: &[String],
    profile: Option<&str>,
) -> Result<(Vec<String>, Vec<String>), CollectError> {
    let wanted: BTreeSet<String> = wanted.iter().cloned().collect();
    let known = match ec2::regions(ctx, home, true, profile).await {
        Ok(known) => known,
        Err(
            e @ (CollectError::Network { .. }
            | CollectError::NoCredentials { .. }
            | CollectError::SsoExpired { .. }),
        ) => {
            return Err(e);
        }
        Err(_) => return Ok((wanted.into_iter().collect(), Vec::new())),
    };
    let mut scan = Vec::new();
    let mut disabled = Vec::new();
    for name in wanted {
        match known.iter().find(|r| r.name == name) {
            Some(r) if r.enabled => scan.push(name),
            Some(_) => disabled.push(name),
            None => {
                let names: Vec<&str> = known.iter().map(|r| r.name.as_str()).collect();
                return Err(CollectError::Other {
                    context: format!("unknown region `{name}`"),
                    message: format!("this account knows: {}", names.join(", ")),
                });
            }
        }
    }
    Ok((scan, disabled))
}

fn partition_of(arn: &str) -> String {
    arn.split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
        .to_string()
}

fn not_collected() -> ReadError {
    ReadError::Other {
        action: "onwatch".to_string(),
        code: "NotCollected".to_string(),
        message: "the scan ended before this was read".to_string(),
    }
}

fn region_filled(e: &ReadError) -> RegionSnapshot {
    let f = || e.clone();
    RegionSnapshot {
        guardduty_detectors: Read::Failed(f()),
        event_rules: Read::Failed(f()),
        sns_topics: Read::Failed(f()),
        sns_subscriptions: Read::Failed(f()),
        trails: Read::Failed(f()),
        config_recorders: Read::Failed(f()),
        config_delivery_channels: Read::Failed(f()),
        ecr_repositories: Read::Failed(f()),
        ecr_registry_scanning: Read::Failed(f()),
        rds_instances: Read::Failed(f()),
        ecs_clusters: Read::Failed(f()),
        ecs_task_definitions: Read::Failed(f()),
        alarms: Read::Failed(f()),
        alarm_history: Read::Failed(f()),
        canaries: Read::Failed(f()),
        load_balancers: Read::Failed(f()),
        log_groups: Read::Failed(f()),
    }
}

/// What one task read.
enum Part {
    GuardDuty(Read<Vec<crate::snapshot::GuardDutyDetector>>),
    Events(Read<Vec<crate::snapshot::EventRule>>),
    Sns(
        Read<Vec<crate::snapshot::SnsTopic>>,
        Read<Vec<crate::snapshot::SnsSubscription>>,
    ),
    Trails(Read<Vec<crate::snapshot::Trail>>),
    Config(
        Read<Vec<crate::snapshot::ConfigRecorder>>,
        Read<Vec<crate::snapshot::ConfigDeliveryChannel>>,
    ),
    Ecr(
        Read<Vec<crate::snapshot::EcrRepository>>,
        Read<crate::snapshot::RegistryScanning>,
    ),
    Rds(Read<Vec<crate::snapshot::DbInstance>>),
    Ecs(ecs::EcsData),
    CloudWatch(
        Read<Vec<crate::snapshot::Alarm>>,
        Read<Vec<crate::snapshot::AlarmStateChange>>,
    ),
    Canaries(Read<Vec<crate::snapshot::Canary>>),
    LoadBalancers(Read<Vec<crate::snapshot::LoadBalancer>>),
    Logs(Read<Vec<crate::snapshot::LogGroup>>),
    Budgets(Read<Vec<crate::snapshot::Budget>>),
    CostAnomaly(
        Read<Vec<crate::snapshot::AnomalyMonitor>>,
        Read<Vec<crate::snapshot::AnomalySubscription>>,
    ),
}

impl Part {
    fn ok(&self) -> bool {
        match self {
            Part::GuardDuty(a) => ok(a),
            Part::Events(a) => ok(a),
            Part::Sns(a, b) => ok(a) && ok(b),
            Part::Trails(a) => ok(a) && a.ok().is_none_or(|t| t.iter().all(|t| ok(&t.is_logging))),
            Part::Config(a, b) => ok(a) && ok(b),
            Part::Ecr(a, b) => ok(a) && ok(b),
            Part::Rds(a) => ok(a),
            Part::Ecs(d) => {
                ok(&d.clusters)
                    && ok(&d.task_definitions)
                    && d.clusters
                        .ok()
                        .is_none_or(|c| c.iter().all(|c| ok(&c.services)))
            }
            Part::CloudWatch(a, b) => {
                ok(a) && ok(b) && a.ok().is_none_or(|a| a.iter().all(|a| ok(&a.tags)))
            }
            Part::Canaries(a) => ok(a),
            Part::LoadBalancers(a) => ok(a),
            Part::Logs(a) => ok(a),
            Part::Budgets(a) => {
                ok(a)
                    && a.ok().is_none_or(|b| {
                        b.iter().all(|b| {
                            ok(&b.notifications)
                                && b.notifications
                                    .ok()
                                    .is_none_or(|n| n.iter().all(|n| ok(&n.subscribers)))
                        })
                    })
            }
            Part::CostAnomaly(a, b) => ok(a) && ok(b),
        }
    }

    fn apply(self, region: Option<&mut RegionSnapshot>, global: &mut GlobalSnapshot) {
        match self {
            Part::Budgets(a) => global.budgets = a,
            Part::CostAnomaly(a, b) => {
                global.anomaly_monitors = a;
                global.anomaly_subscriptions = b;
            }
            regional => {
                if let Some(r) = region {
                    regional.apply_region(r);
                }
            }
        }
    }

    fn apply_region(self, r: &mut RegionSnapshot) {
        match self {
            Part::GuardDuty(a) => r.guardduty_detectors = a,
            Part::Events(a) => r.event_rules = a,
            Part::Sns(a, b) => {
                r.sns_topics = a;
                r.sns_subscriptions = b;
            }
            Part::Trails(a) => r.trails = a,
            Part::Config(a, b) => {
                r.config_recorders = a;
                r.config_delivery_channels = b;
            }
            Part::Ecr(a, b) => {
                r.ecr_repositories = a;
                r.ecr_registry_scanning = b;
            }
            Part::Rds(a) => r.rds_instances = a,
            Part::Ecs(d) => {
                r.ecs_clusters = d.clusters;
                r.ecs_task_definitions = d.task_definitions;
            }
            Part::CloudWatch(a, b) => {
                r.alarms = a;
                r.alarm_history = b;
            }
            Part::Canaries(a) => r.canaries = a,
            Part::LoadBalancers(a) => r.load_balancers = a,
            Part::Logs(a) => r.log_groups = a,
            Part::Budgets(_) | Part::CostAnomaly(..) => {}
        }
    }
}

struct Finished {
    service: &'static str,
    region: String,
    part: Part,
}

/// One task per (service, region), plus the account-wide services once.
fn tasks<'a>(ctx: &'a Ctx, regions: &[String]) -> Vec<BoxFuture<'a, Finished>> {
    let mut out: Vec<BoxFuture<'a, Finished>> = Vec::new();
    macro_rules! task {
        ($service:expr, $region:expr, |$c:ident, $r:ident| $body:expr) => {{
            let region: String = $region;
            out.push(Box::pin(async move {
                let part = {
                    let $c = ctx;
                    let $r = region.as_str();
                    $body
                };
                Finished {
                    service: $service,
                    region,
                    part,
                }
            }));
        }};
    }
    for r in regions {
        task!("guardduty", r.clone(), |c, r| Part::GuardDuty(to_read(
            guardduty::detectors(c, r).await
        )));
        task!("eventbridge", r.clone(), |c, r| Part::Events(to_read(
            eventbridge::rules(c, r).await
        )));
        task!("sns", r.clone(), |c, r| {
            let (t, s) = futures::join!(sns::topics(c, r), sns::subscriptions(c, r));
            Part::Sns(to_read(t), to_read(s))
        });
        task!("cloudtrail", r.clone(), |c, r| Part::Trails(to_read(
            cloudtrail::trails(c, r).await
        )));
        task!("config", r.clone(), |c, r| {
            let (a, b) = futures::join!(config::recorders(c, r), config::delivery_channels(c, r));
            Part::Config(to_read(a), to_read(b))
        });
        task!("ecr", r.clone(), |c, r| {
            let (a, b) = futures::join!(ecr::repositories(c, r), ecr::registry_scanning(c, r));
            Part::Ecr(to_read(a), to_read(b))
        });
        task!("rds", r.clone(), |c, r| Part::Rds(to_read(
            rds::instances(c, r).await
        )));
        task!("ecs", r.clone(), |c, r| Part::Ecs(ecs::collect(c, r).await));
        task!("cloudwatch", r.clone(), |c, r| {
            let (a, b) = futures::join!(cloudwatch::alarms(c, r), cloudwatch::history(c, r));
            Part::CloudWatch(to_read(a), to_read(b))
        });
        task!("synthetics", r.clone(), |c, r| Part::Canaries(to_read(
            synthetics::canaries(c, r).await
        )));
        task!("elbv2", r.clone(), |c, r| Part::LoadBalancers(to_read(
            elbv2::load_balancers(c, r).await
        )));
        task!("logs", r.clone(), |c, r| Part::Logs(to_read(
            logs::log_groups(c, r).await
        )));
    }
    let global = crate::snapshot::GLOBAL_REGION.to_string();
    task!("budgets", global.clone(), |c, _r| Part::Budgets(to_read(
        budgets::budgets(c).await
    )));
    task!("costexplorer", global, |c, _r| {
        let (a, b) = futures::join!(costexplorer::monitors(c), costexplorer::subscriptions(c));
        Part::CostAnomaly(to_read(a), to_read(b))
    });
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn partition_comes_from_the_caller_arn() {
        assert_eq!(super::partition_of("arn:aws-cn:iam::1:user/x"), "aws-cn");
        assert_eq!(super::partition_of("garbage"), "aws");
    }
}
