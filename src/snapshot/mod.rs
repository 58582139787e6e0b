//! The account snapshot: plain serde data of everything the rules read.
//!
//! Collection fills it, rules read it, and it is saved with every scan so a scan can be
//! re-evaluated later. Every part that comes from one AWS read is a [`Read`]: either the
//! data, or why it could not be read. A failed read is data, never an empty list.

mod services;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use services::*;

/// Bump when the snapshot's shape changes in a way old files cannot be read as.
pub const SNAPSHOT_SCHEMA_VERSION: u32 = 1;

/// Days of alarm history a scan reads (DescribeAlarmHistory, state updates).
pub const ALARM_HISTORY_DAYS: i64 = 7;

/// The region name used for account-wide (global) findings and reads.
pub const GLOBAL_REGION: &str = "global";

/// Everything onwatch read from one account in one scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSnapshot {
    pub schema_version: u32,
    /// When the scan ran. Rules measure ages ("in ALARM for 9 days") from this instant,
    /// so re-evaluating a saved scan gives the same answer next month.
    pub collected_at: DateTime<Utc>,
    pub account: Account,
    /// Regional data, keyed by region name ("eu-west-1"): the scan's region scope.
    pub regions: BTreeMap<String, RegionSnapshot>,
    /// Account-wide services (Budgets, Cost Explorer).
    pub global: GlobalSnapshot,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// The identity the scan ran as (sts:GetCallerIdentity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_arn: Option<String>,
    #[serde(default = "default_partition")]
    pub partition: String,
}

fn default_partition() -> String {
    "aws".to_string()
}

/// The result of one read: the data, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Read<T> {
    Ok(T),
    Failed(ReadError),
}

impl<T> Read<T> {
    pub fn ok(&self) -> Option<&T> {
        match self {
            Read::Ok(v) => Some(v),
            Read::Failed(_) => None,
        }
    }

    pub fn as_result(&self) -> Result<&T, &ReadError> {
        match self {
            Read::Ok(v) => Ok(v),
            Read::Failed(e) => Err(e),
        }
    }
}

/// Why a read failed. Each kind maps to "could not check" (or "not applicable" for a
/// service the region does not offer), never to pass or fail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReadError {
    /// The credentials lack an IAM permission; `action` names it ("guardduty:ListDetectors").
    AccessDenied { action: String, message: String },
    /// AWS kept throttling after the SDK's retries.
    Throttled { action: String, message: String },
    /// The region is not enabled for this account (an opt-in region).
    RegionNotEnabled { message: String },
    /// The service is not offered in this region.
    NotOffered { message: String },
    /// Anything else: network, an unexpected answer, a service error.
    Other {
        action: String,
        code: String,
        message: String,
    },
}

impl ReadError {
    /// One sentence a user can act on.
    pub fn reason(&self) -> String {
        match self {
            ReadError::AccessDenied { action, .. } => {
                crate::t!("read_error.access_denied", action = action).into_owned()
            }
            ReadError::Throttled { action, .. } => {
                crate::t!("read_error.throttled", action = action).into_owned()
            }
            ReadError::RegionNotEnabled { .. } => {
                crate::t!("read_error.region_not_enabled").into_owned()
            }
            ReadError::NotOffered { .. } => crate::t!("read_error.not_offered").into_owned(),
            ReadError::Other {
                action,
                code,
                message,
            } => crate::t!(
                "read_error.other",
                action = action,
                code = code,
                message = message
            )
            .into_owned(),
        }
    }

    /// The IAM action the scan needs, when missing permission is the cause.
    pub fn missing_permission(&self) -> Option<&str> {
        match self {
            ReadError::AccessDenied { action, .. } => Some(action),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("{}", crate::t!("snapshot.io", path = .path, source = .source))]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{}", crate::t!("snapshot.version", path = .path, found = .found, expected = .expected))]
    Version {
        path: String,
        found: u64,
        expected: u32,
    },
    #[error("{}", crate::t!("snapshot.parse", path = .path, source = .source))]
    Parse {
        path: String,
        source: serde_json::Error,
    },
}

impl AccountSnapshot {
    /// Takes in a re-scan of some regions (the re-check after a fix): their data and the
    /// account-wide data replace what this snapshot holds, the other regions stay as
    /// they were read, and the scan time becomes the re-scan's.
    pub fn merge_rescan(&mut self, fresh: AccountSnapshot) -> Result<(), String> {
        if fresh.account.id != self.account.id {
            return Err(crate::t!(
                "snapshot.other_account",
                fresh = fresh.account.id,
                expected = self.account.id
            )
            .into_owned());
        }
        self.collected_at = fresh.collected_at;
        self.global = fresh.global;
        self.regions.extend(fresh.regions);
        Ok(())
    }

    /// Parses a snapshot, checking the schema version before the shape so an old or new
    /// file gets a clear message instead of a field error.
    pub fn from_json(text: &str, path: &str) -> Result<Self, SnapshotError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|source| SnapshotError::Parse {
                path: path.to_string(),
                source,
            })?;
        let found = value.get("schema_version").and_then(|v| v.as_u64());
        match found {
            Some(v) if v == u64::from(SNAPSHOT_SCHEMA_VERSION) => {}
            Some(found) => {
                return Err(SnapshotError::Version {
                    path: path.to_string(),
                    found,
                    expected: SNAPSHOT_SCHEMA_VERSION,
                });
            }
            None => {
                return Err(SnapshotError::Parse {
                    path: path.to_string(),
                    source: serde::de::Error::custom(crate::t!("snapshot.missing_version")),
                });
            }
        }
        serde_json::from_value(value).map_err(|source| SnapshotError::Parse {
            path: path.to_string(),
            source,
        })
    }

    pub fn load(path: &Path) -> Result<Self, SnapshotError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SnapshotError::Io {
            path: shown.clone(),
            source,
        })?;
        Self::from_json(&text, &shown)
    }

    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }

    pub fn save(&self, path: &Path) -> Result<(), SnapshotError> {
        let shown = path.display().to_string();
        let text = self.to_json().map_err(|source| SnapshotError::Parse {
            path: shown.clone(),
            source,
        })?;
        std::fs::write(path, text).map_err(|source| SnapshotError::Io {
            path: shown,
            source,
        })
    }

    /// Region names in scope, sorted.
    pub fn region_names(&self) -> Vec<String> {
        self.regions.keys().cloned().collect()
    }
}
