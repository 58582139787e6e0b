//! Records every API operation a scan sends, from the SDK's own operation metadata, so
//! the least-privilege policy can be checked against what the code really calls.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use super::error::iam_action;

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

impl RecordingInterceptor {
    pub fn new(recorder: CallRecorder, region: &str) -> Self {
        RecordingInterceptor {
            recorder,
            region: region.to_string(),
        }
    }
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
