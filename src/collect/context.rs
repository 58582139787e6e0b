//! What every collector shares: one SDK config, the in-flight request limit, the clock,
//! what is known about the account's regions, and an optional call recorder.

use std::collections::{BTreeSet, HashMap};
use std::error::Error as StdError;
use std::future::Future;
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::SdkConfig;
use aws_types::service_config::ServiceConfigKey;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use tokio::sync::Semaphore;

use super::error::{Facts, read_error};
use super::recorder::{CallRecorder, RecordingInterceptor};
use super::scope;
use crate::snapshot::{Read, ReadError};

pub(crate) struct Ctx {
    pub sdk: SdkConfig,
    pub account_id: String,
    /// "aws", "aws-cn", "aws-us-gov": where the account-wide services are served.
    pub partition: String,
    /// The scan's instant: alarm history is read for the 7 days before it.
    pub now: DateTime<Utc>,
    /// Regions in scope, so a trail seen as a shadow is read once.
    pub scope: BTreeSet<String>,
    /// Regions EC2 DescribeRegions listed as enabled for the account.
    pub enabled: BTreeSet<String>,
    concurrency: usize,
    limit: Semaphore,
    /// The in-flight limit of each (service, region) in [`SERVICE_LIMITS`].
    service_limits: Mutex<HashMap<(&'static str, String), Arc<Semaphore>>>,
    recorder: Option<CallRecorder>,
}

/// Requests in flight at once to one service in one region, for the services whose
/// request rates are low and shared by the whole account: the CloudWatch API's
/// per-account, per-region TPS quotas
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html),
/// and Budgets and Cost Explorer, which answer from one endpoint for the whole account
/// and publish no rate (their ThrottlingException: "the maximum allowed API request
/// throttling limit for the account"). Keys are the SDK service ids. A throttled
/// request is retried with backoff (see [`super::scan_retry_config`]); these limits
/// keep a scan of a large account from being throttled in the first place.
pub(crate) const SERVICE_LIMITS: &[(&str, usize)] = &[
    ("CloudWatch", 4),                  // i18n: technical
    ("Resource Groups Tagging API", 4), // i18n: technical
    ("Budgets", 2),                     // i18n: technical
    ("Cost Explorer", 2),               // i18n: technical
];

impl Ctx {
    pub fn new(sdk: SdkConfig, concurrency: usize, recorder: Option<CallRecorder>) -> Self {
        Ctx {
            sdk,
            account_id: String::new(),
            partition: "aws".to_string(),
            now: Utc::now(),
            scope: BTreeSet::new(),
            enabled: BTreeSet::new(),
            concurrency: concurrency.max(1),
            limit: Semaphore::new(concurrency.max(1)),
            service_limits: Mutex::new(HashMap::new()),
            recorder,
        }
    }

    /// Runs one request under the scan's in-flight limit. The permit is held only for
    /// the request itself, never across another wait, so nesting cannot deadlock.
    pub async fn call<F: Future>(&self, request: F) -> F::Output {
        let _permit = self.limit.acquire().await.ok();
        request.await
    }

    /// Runs one request to `service` in `region` under that pair's own limit (when
    /// [`SERVICE_LIMITS`] has one) and the scan's. The service permit is taken first, so
    /// a request waiting for its service never holds one of the scan's slots.
    pub async fn call_to<F: Future>(
        &self,
        service: &'static str,
        region: &str,
        request: F,
    ) -> F::Output {
        let Some(limit) = self.service_limit(service, region) else {
            return self.call(request).await;
        };
        let _service = limit.acquire().await.ok();
        self.call(request).await
    }

    fn service_limit(&self, service: &'static str, region: &str) -> Option<Arc<Semaphore>> {
        let (_, n) = SERVICE_LIMITS.iter().find(|(s, _)| *s == service)?;
        let mut limits = match self.service_limits.lock() {
            Ok(l) => l,
            Err(poisoned) => poisoned.into_inner(),
        };
        Some(
            limits
                .entry((service, region.to_string()))
                .or_insert_with(|| Arc::new(Semaphore::new(*n)))
                .clone(),
        )
    }

    /// Runs `read` for each item concurrently, in order; every request still waits for
    /// the scan-wide limit.
    pub async fn each<I, T, F, Fut>(&self, items: I, read: F) -> Vec<T>
    where
        I: IntoIterator,
        F: FnMut(I::Item) -> Fut,
        Fut: Future<Output = T>,
    {
        futures::stream::iter(items)
            .map(read)
            .buffered(self.concurrency)
            .collect()
            .await
    }

    pub fn interceptor(&self, region: &str) -> Option<RecordingInterceptor> {
        self.recorder
            .as_ref()
            .map(|recorder| RecordingInterceptor::new(recorder.clone(), region))
    }

    /// The region Budgets and Cost Explorer are served from in the account's partition.
    pub fn global_region(&self) -> &'static str {
        scope::global_region(&self.partition)
    }

    /// Turns the error of `operation` in `region` into data.
    pub fn failed<E, R>(
        &self,
        service: &'static str,
        operation: &'static str,
        region: &str,
    ) -> impl FnOnce(SdkError<E, R>) -> ReadError + use<E, R>
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        let facts = Facts {
            region: region.to_string(),
            custom_endpoint: self.custom_endpoint(service),
            region_may_be_disabled: !self.enabled.contains(region)
                && crate::regions::is_opt_in(&self.partition, region),
        };
        move |err| read_error(service, operation, &facts, err)
    }

    /// Whether requests to `service` go to an endpoint the user set (AWS_ENDPOINT_URL,
    /// AWS_ENDPOINT_URL_<SERVICE> or `endpoint_url` in the profile) rather than AWS's
    /// own. `service` is the SDK's service id, as the SDK itself resolves it.
    fn custom_endpoint(&self, service: &str) -> bool {
        // A FIPS or dual-stack endpoint (AWS_USE_FIPS_ENDPOINT, use_dualstack_endpoint)
        // is a variant AWS does not offer for every service in every region: its name
        // not resolving is not "the service is not offered here".
        if self.sdk.endpoint_url().is_some()
            || self.sdk.use_fips() == Some(true)
            || self.sdk.use_dual_stack() == Some(true)
        {
            return true;
        }
        let Ok(key) = ServiceConfigKey::builder()
            .service_id(service)
            .env("AWS_ENDPOINT_URL")
            .profile("endpoint_url")
            .build()
        else {
            return false;
        };
        self.sdk
            .service_config()
            .and_then(|config| config.load_config(key))
            .is_some()
    }
}

/// A client of one service for one region, from the shared config.
macro_rules! client {
    ($ctx:expr, $sdk:ident, $region:expr) => {{
        let mut builder = $sdk::config::Builder::from(&$ctx.sdk)
            .region(::aws_types::region::Region::new($region.to_string()));
        if let Some(interceptor) = $ctx.interceptor($region) {
            builder = builder.interceptor(interceptor);
        }
        $sdk::Client::from_conf(builder.build())
    }};
}
pub(crate) use client;

/// Follows the page tokens of one listing. A service that answers a page with the very
/// token it was sent would loop forever; the SDK's paginators stop there without a
/// word, which would pass a partial list off as the whole. Both the hand-written loops
/// and the SDK paginators check every page here, so that case is an error instead.
pub(crate) struct Pages {
    action: String,
    sent: Option<String>,
}

impl Pages {
    /// `action` is the IAM action of the listing ("logs:DescribeLogGroups").
    pub fn new(action: String) -> Self {
        Pages { action, sent: None }
    }

    /// The token to send for the next page, None when the listing is complete.
    pub fn next(&mut self, token: Option<&str>) -> Result<Option<String>, ReadError> {
        match token {
            None | Some("") => Ok(None),
            Some(t) if self.sent.as_deref() == Some(t) => Err(ReadError::Other {
                action: self.action.clone(),
                code: "PaginationLoop".to_string(), // i18n: technical
                message: "the service returned the same page token twice; the list may be incomplete" // i18n: technical
                    .to_string(),
            }),
            Some(t) => {
                self.sent = Some(t.to_string());
                Ok(self.sent.clone())
            }
        }
    }
}

/// Whether every read in a result succeeded, for progress reporting.
pub(crate) fn ok<T>(read: &Read<T>) -> bool {
    matches!(read, Read::Ok(_))
}

pub(crate) fn to_read<T>(result: Result<T, ReadError>) -> Read<T> {
    match result {
        Ok(v) => Read::Ok(v),
        Err(e) => Read::Failed(e),
    }
}

/// All the values, or the first error.
pub(crate) fn all<T>(results: Vec<Result<T, ReadError>>) -> Result<Vec<T>, ReadError> {
    results.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::Pages;
    use crate::snapshot::ReadError;

    #[test]
    fn a_repeated_page_token_is_an_error_not_the_end_of_the_list() {
        let mut pages = Pages::new("logs:DescribeLogGroups".to_string());
        assert_eq!(pages.next(Some("a")), Ok(Some("a".to_string())));
        assert_eq!(pages.next(Some("b")), Ok(Some("b".to_string())));
        match pages.next(Some("b")) {
            Err(ReadError::Other { action, code, .. }) => {
                assert_eq!(action, "logs:DescribeLogGroups");
                assert_eq!(code, "PaginationLoop");
            }
            other => panic!("expected PaginationLoop, got {other:?}"),
        }
        let mut done = Pages::new("x:Y".to_string());
        assert_eq!(done.next(Some("")), Ok(None));
        assert_eq!(done.next(None), Ok(None));
    }
}

#[cfg(test)]
mod endpoint_tests {
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::client::result::{ConnectorError, SdkError};

    use super::Ctx;
    use crate::snapshot::ReadError;

    const NXDOMAIN: &str = "io error: client error (Connect): dns error: failed to lookup address information: Name or service not known";

    fn nxdomain(sdk: aws_types::SdkConfig) -> ReadError {
        let ctx = Ctx::new(sdk, 1, None);
        let err: SdkError<
            aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError,
            HttpResponse,
        > = SdkError::dispatch_failure(ConnectorError::io(NXDOMAIN.to_string().into()));
        ctx.failed("GuardDuty", "ListDetectors", "us-east-1")(err)
    }

    /// Issue 10, point 8: only AWS's standard endpoint not resolving means the service
    /// is not offered; a FIPS or dual-stack endpoint that does not resolve could not
    /// be checked.
    #[test]
    fn a_fips_or_dual_stack_endpoint_that_does_not_resolve_is_a_network_error() {
        let standard = aws_types::SdkConfig::builder().build();
        assert!(matches!(nxdomain(standard), ReadError::NotOffered { .. }));
        for sdk in [
            aws_types::SdkConfig::builder().use_fips(true).build(),
            aws_types::SdkConfig::builder().use_dual_stack(true).build(),
        ] {
            assert!(
                matches!(nxdomain(sdk), ReadError::Other { ref code, .. } if code == "NetworkError"),
            );
        }
    }
}
