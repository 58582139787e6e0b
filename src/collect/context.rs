//! What every collector shares: one SDK config, the in-flight request limit, the clock,
//! and an optional recorder of the operations called.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_types::SdkConfig;
use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;

use super::error::iam_action;
use crate::snapshot::ReadError;

/// One API operation the scan called, as IAM names it ("guardduty:ListDetectors").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ApiCall {
    /// The SDK's service id ("GuardDuty", "CloudWatch Logs").
    pub service: String,
    /// The API operation ("ListDetectors").
    pub operation: String,
    pub region: String,
}

impl ApiCall {
    pub fn iam_action(&self) -> String {
        iam_action(&self.service, &self.operation)
    }
}

/// Records every operation the scan sends, read from the SDK's own operation metadata,
/// so the least-privilege policy can be checked against what the code really calls.
#[derive(Debug, Clone, Default)]
pub struct CallRecorder {
    calls: Arc<Mutex<Vec<ApiCall>>>,
}

impl CallRecorder {
    pub fn calls(&self) -> Vec<ApiCall> {
        match self.calls.lock() {
            Ok(calls) => calls.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The distinct IAM actions called.
    pub fn iam_actions(&self) -> BTreeSet<String> {
        self.calls().iter().map(ApiCall::iam_action).collect()
    }

    /// Calls per IAM service prefix.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for call in self.calls() {
            let action = call.iam_action();
            let prefix = action.split(':').next().unwrap_or_default().to_string();
            *out.entry(prefix).or_insert(0) += 1;
        }
        out
    }

    fn push(&self, call: ApiCall) {
        match self.calls.lock() {
            Ok(mut calls) => calls.push(call),
            Err(poisoned) => poisoned.into_inner().push(call),
        }
    }
}

#[derive(Debug)]
pub(crate) struct RecordingInterceptor {
    recorder: CallRecorder,
    region: String,
}

impl Intercept for RecordingInterceptor {
    fn name(&self) -> &'static str {
        "onwatch::CallRecorder"
    }

    // Not `read_before_execution`: for a client-level interceptor that runs before the
    // operation's config (which holds its `Metadata`) is applied. Serialization happens
    // once per operation, before any retry.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(meta) = cfg.load::<Metadata>() {
            self.recorder.push(ApiCall {
                service: meta.service().to_string(),
                operation: meta.name().to_string(),
                region: self.region.clone(),
            });
        }
        Ok(())
    }
}

pub(crate) struct Ctx {
    pub sdk: SdkConfig,
    pub account_id: String,
    /// The scan's instant: alarm history is read for the 7 days before it.
    pub now: DateTime<Utc>,
    /// Regions in scope, so a trail seen as a shadow is read once, in its home region.
    pub scope: BTreeSet<String>,
    limit: Semaphore,
    recorder: Option<CallRecorder>,
}

impl Ctx {
    pub fn new(
        sdk: SdkConfig,
        account_id: String,
        scope: BTreeSet<String>,
        concurrency: usize,
        recorder: Option<CallRecorder>,
    ) -> Self {
        Ctx {
            sdk,
            account_id,
            now: Utc::now(),
            scope,
            limit: Semaphore::new(concurrency.max(1)),
            recorder,
        }
    }

    /// Runs one request under the scan's in-flight limit. The permit is held only for
    /// the request itself, never across another wait, so nesting cannot deadlock.
    pub async fn call<F: Future>(&self, request: F) -> F::Output {
        let _permit = self.limit.acquire().await.ok();
        request.await
    }

    pub fn interceptor(&self, region: &str) -> Option<RecordingInterceptor> {
        self.recorder.as_ref().map(|recorder| RecordingInterceptor {
            recorder: recorder.clone(),
            region: region.to_string(),
        })
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

/// Guards a hand-written pagination loop against a service that repeats its token.
pub(crate) fn next_token(
    action: &str,
    previous: &Option<String>,
    next: Option<String>,
) -> Result<Option<String>, ReadError> {
    match next {
        Some(t) if t.is_empty() => Ok(None),
        Some(t) if previous.as_deref() == Some(t.as_str()) => Err(ReadError::Other {
            action: action.to_string(),
            code: "PaginationLoop".to_string(),
            message: "the service returned the same page token twice; the list may be incomplete"
                .to_string(),
        }),
        other => Ok(other),
    }
}

/// Whether every read in a result succeeded, for progress reporting.
pub(crate) fn ok<T>(read: &crate::snapshot::Read<T>) -> bool {
    matches!(read, crate::snapshot::Read::Ok(_))
}

pub(crate) fn to_read<T>(result: Result<T, ReadError>) -> crate::snapshot::Read<T> {
    match result {
        Ok(v) => crate::snapshot::Read::Ok(v),
        Err(e) => crate::snapshot::Read::Failed(e),
    }
}
