//! Why the start screen cannot go on, in the window's words: what happened, what to do
//! in the window (not which command-line flag to pass), and a command to copy when the
//! fix happens in a terminal.

use crate::collect::CollectError;

use super::profiles::ProfileKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    NoCredentials,
    SsoExpired,
    Network,
    AccessDenied,
    CredentialsRejected,
    NoRegion,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// What happened and what to do next.
    pub text: String,
    /// The error underneath, shown smaller (and copied with the command).
    pub detail: Option<String>,
    /// A command to run in a terminal, shown with a Copy button.
    pub command: Option<String>,
}

impl Problem {
    pub fn other(text: impl Into<String>) -> Self {
        Problem {
            kind: ProblemKind::Other,
            text: text.into(),
            detail: None,
            command: None,
        }
    }

    /// `kind`: the kind of the chosen profile, when it is in the AWS files (an SSO
    /// profile is fixed by signing in, a key profile by `aws configure`).
    pub fn from_collect(e: &CollectError, kind: Option<ProfileKind>) -> Self {
        let sign_in = |p: &str| match kind {
            Some(ProfileKind::Sso) => format!("aws sso login --profile {p}"),
            _ => format!("aws configure --profile {p}"),
        };
        let (kind, text, detail, command) = match e {
            CollectError::NoCredentials {
                profile: Some(p),
                detail,
            } => (
                ProblemKind::NoCredentials,
                format!(
                    "No AWS credentials found for profile {p}. Check that the profile has credentials: run the command below in a terminal, then check again."
                ),
                Some(detail.clone()),
                Some(sign_in(p)),
            ),
            CollectError::NoCredentials {
                profile: None,
                detail,
            } => (
                ProblemKind::NoCredentials,
                "No AWS credentials found. Pick a profile above, or set up credentials with the command below in a terminal, then check again.".to_string(),
                Some(detail.clone()),
                Some("aws configure".to_string()),
            ),
            CollectError::SsoExpired { profile } => (
                ProblemKind::SsoExpired,
                format!(
                    "The SSO session for profile {profile} has expired. Sign in again with the command below in a terminal, then check again."
                ),
                None,
                Some(format!("aws sso login --profile {profile}")),
            ),
            CollectError::Network { detail } => (
                ProblemKind::Network,
                "Could not reach AWS. Check the network connection and any proxy (and AWS_ENDPOINT_URL, if it is set), then check again.".to_string(),
                Some(detail.clone()),
                None,
            ),
            CollectError::AccessDenied { action, message } => (
                ProblemKind::AccessDenied,
                format!(
                    "Access denied: these credentials may not call {action}. Attach the read-only policy assets/iam/onwatch-scan-policy.json (or SecurityAudit, or ReadOnlyAccess) to this user or role, then check again."
                ),
                Some(message.clone()),
                None,
            ),
            CollectError::CredentialsRejected { code, message } => (
                ProblemKind::CredentialsRejected,
                format!(
                    "AWS rejected the credentials ({code}). They may be expired or revoked: refresh them, or pick another profile, then check again."
                ),
                Some(message.clone()),
                None,
            ),
            CollectError::NoRegion => (
                ProblemKind::NoRegion,
                "This profile names no AWS region and AWS_REGION is not set. Choose a home region above (any region enabled in the account), then check again.".to_string(),
                None,
                None,
            ),
            CollectError::Other { .. } => (ProblemKind::Other, e.to_string(), None, None),
        };
        Problem {
            kind,
            text,
            detail,
            command,
        }
    }
}
