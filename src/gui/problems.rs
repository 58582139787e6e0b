//! Why the start screen cannot go on, in the window's words: what happened, what to do
//! in the window (not which command-line flag to pass), and a command to copy when the
//! fix happens in a terminal.

use crate::t;

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
            Some(ProfileKind::Sso) => format!("aws sso login --profile {p}"), // i18n: technical
            _ => format!("aws configure --profile {p}"),                      // i18n: technical
        };
        let (kind, text, detail, command) = match e {
            CollectError::NoCredentials {
                profile: Some(p),
                detail,
            } => (
                ProblemKind::NoCredentials,
                t!("problems.no_credentials_profile", profile = p).into_owned(),
                Some(detail.clone()),
                Some(sign_in(p)),
            ),
            CollectError::NoCredentials {
                profile: None,
                detail,
            } => (
                ProblemKind::NoCredentials,
                t!("problems.no_credentials").into_owned(),
                Some(detail.clone()),
                Some("aws configure".to_string()), // i18n: technical
            ),
            CollectError::SsoExpired { profile } => (
                ProblemKind::SsoExpired,
                t!("problems.sso_expired", profile = profile).into_owned(),
                None,
                Some(format!("aws sso login --profile {profile}")), // i18n: technical
            ),
            CollectError::Network { detail } => (
                ProblemKind::Network,
                t!("problems.network").into_owned(),
                Some(detail.clone()),
                None,
            ),
            CollectError::AccessDenied { action, message } => (
                ProblemKind::AccessDenied,
                t!("problems.access_denied", action = action).into_owned(),
                Some(message.clone()),
                None,
            ),
            CollectError::CredentialsRejected { code, message } => (
                ProblemKind::CredentialsRejected,
                t!("problems.credentials_rejected", code = code).into_owned(),
                Some(message.clone()),
                None,
            ),
            CollectError::NoRegion => (
                ProblemKind::NoRegion,
                t!("problems.no_region").into_owned(),
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
