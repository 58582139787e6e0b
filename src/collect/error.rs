//! SDK errors turned into data: a [`ReadError`] for one read, or a [`CollectError`] when
//! the scan cannot start at all.

use std::error::Error as StdError;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::snapshot::ReadError;
use crate::t;

/// Why a scan could not run. Each message says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("{}", no_credentials(profile, detail))]
    NoCredentials {
        profile: Option<String>,
        detail: String,
    },
    #[error("{}", t!("collect_error.sso_expired", profile = .profile))]
    SsoExpired { profile: String },
    #[error("{}", t!("collect_error.network", detail = .detail))]
    Network { detail: String },
    #[error("{}", t!("collect_error.access_denied", action = .action, message = .message))]
    AccessDenied { action: String, message: String },
    #[error("{}", t!("collect_error.credentials_rejected", code = .code, message = .message))]
    CredentialsRejected { code: String, message: String },
    #[error("{}", t!("collect_error.no_region"))]
    NoRegion,
    #[error("{context}: {message}")]
    Other { context: String, message: String },
}

fn no_credentials(profile: &Option<String>, detail: &str) -> String {
    match profile {
        Some(p) => t!(
            "collect_error.no_credentials_profile",
            profile = p,
            detail = detail
        ),
        None => t!("collect_error.no_credentials", detail = detail),
    }
    .into_owned()
}

/// The IAM action that authorises an SDK operation. `service` is the SDK's service id
/// (as in the operation's `Metadata`, e.g. "GuardDuty", "CloudWatch Logs").
pub fn iam_action(service: &str, operation: &str) -> String {
    let prefix = match service {
        "STS" => "sts",
        "EC2" => "ec2",
        "GuardDuty" => "guardduty", // i18n: technical
        "EventBridge" => "events",  // i18n: technical
        "SNS" => "sns",
        "CloudTrail" => "cloudtrail", // i18n: technical
        "Config Service" => "config", // i18n: technical
        "ECR" => "ecr",
        "RDS" => "rds",
        "ECS" => "ecs",
        "CloudWatch" => "cloudwatch", // i18n: technical
        "synthetics" => "synthetics",
        "Elastic Load Balancing v2" => "elasticloadbalancing", // i18n: technical
        "CloudWatch Logs" => "logs",                           // i18n: technical
        // Every read of the Budgets API is authorised by one action.
        "Budgets" => return "budgets:ViewBudget".to_string(), // i18n: technical
        "Cost Explorer" => "ce",                              // i18n: technical
        "IAM" => "iam",
        "KMS" => "kms",
        "Resource Groups Tagging API" => "tag", // i18n: technical
        other => return format!("{}:{operation}", other.to_lowercase().replace(' ', "")),
    };
    format!("{prefix}:{operation}")
}

const ACCESS_DENIED: &[&str] = &[
    "AccessDenied",                // i18n: technical
    "AccessDeniedException",       // i18n: technical
    "UnauthorizedOperation",       // i18n: technical
    "UnauthorizedAccess",          // i18n: technical
    "UnauthorizedException",       // i18n: technical
    "AuthorizationError",          // i18n: technical
    "AuthorizationErrorException", // i18n: technical
    "NotAuthorized",               // i18n: technical
    "Forbidden",                   // i18n: technical
];

const THROTTLED: &[&str] = &[
    "Throttling",                // i18n: technical
    "ThrottlingException",       // i18n: technical
    "ThrottledException",        // i18n: technical
    "RequestLimitExceeded",      // i18n: technical
    "RequestThrottled",          // i18n: technical
    "RequestThrottledException", // i18n: technical
    "TooManyRequestsException",  // i18n: technical
    "SlowDown",                  // i18n: technical
];

/// Codes AWS answers when it does not know the credentials: in an opt-in region that is
/// not enabled (the account's credentials are unknown there), or anywhere when they
/// were revoked or expired after STS accepted them.
const TOKEN_REJECTED: &[&str] = &[
    "UnrecognizedClientException", // i18n: technical
    "InvalidClientTokenId",        // i18n: technical
    "AuthFailure",                 // i18n: technical
];

/// What is known about where a failed request went.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    pub region: String,
    /// The endpoint is not AWS's standard one for the region: set by the user
    /// (AWS_ENDPOINT_URL...), or a FIPS or dual-stack variant the user asked for, which
    /// not every service offers in every region. Its name not resolving says nothing
    /// about whether the service is offered.
    pub custom_endpoint: bool,
    /// An opt-in region that DescribeRegions did not list as enabled.
    pub region_may_be_disabled: bool,
}

/// Turns the error of one SDK call into the snapshot's [`ReadError`]. Its messages are
/// snapshot data: English whatever the language ([`ReadError::reason`] is translated).
pub(crate) fn read_error<E, R>(
    service: &str,
    operation: &str,
    facts: &Facts,
    err: SdkError<E, R>,
) -> ReadError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let action = iam_action(service, operation);
    if let SdkError::ServiceError(_) = &err {
        let code = err.code().unwrap_or("Unknown").to_string(); // i18n: technical
        let message = err
            .message()
            .map(str::to_string)
            .unwrap_or_else(|| error_chain(&err));
        if TOKEN_REJECTED.contains(&code.as_str()) {
            return token_rejected(action, code, message, facts);
        }
        return from_code(action, code, message);
    }
    let chain = error_chain(&err);
    match &err {
        // AWS's own endpoint for a service that is not offered in a region has no DNS
        // name at all. Only that answer (the name does not exist), for AWS's own
        // endpoint, means "not offered"; a resolver that is down or slow, or a
        // user-set endpoint that does not resolve, is a network error.
        SdkError::DispatchFailure(_) if !facts.custom_endpoint && is_no_such_host(&chain) => {
            ReadError::NotOffered {
                message: format!(
                    "{action}: AWS has no endpoint for this service in {} ({chain})", // i18n: technical
                    facts.region
                ),
            }
        }
        SdkError::DispatchFailure(f) if f.is_timeout() => other(action, "Timeout", chain), // i18n: technical
        SdkError::DispatchFailure(_) => other(action, "NetworkError", chain), // i18n: technical
        SdkError::TimeoutError(_) => other(action, "Timeout", chain),         // i18n: technical
        SdkError::ResponseError(_) => other(action, "InvalidResponse", chain), // i18n: technical
        _ => other(action, "RequestFailed", chain),                           // i18n: technical
    }
}

fn other(action: String, code: &str, message: String) -> ReadError {
    ReadError::Other {
        action,
        code: code.to_string(),
        message,
    }
}

/// Unknown credentials: the region is not enabled when it may not be, otherwise the
/// credentials themselves were rejected (the scan's other reads say which).
fn token_rejected(action: String, code: String, message: String, facts: &Facts) -> ReadError {
    if facts.region_may_be_disabled {
        return ReadError::RegionNotEnabled {
            message: format!(
                "{action}: {code}: {message} ({} is an opt-in region: enable it in the account settings to scan it)", // i18n: technical
                facts.region
            ),
        };
    }
    ReadError::Other {
        action,
        message: format!(
            "AWS rejected the scan's credentials in {} ({message}); they may be expired or revoked: refresh them, or choose another profile", // i18n: technical
            facts.region
        ),
        code,
    }
}

/// Whether an AWS error code means the caller lacks a permission.
pub fn is_access_denied(code: &str) -> bool {
    ACCESS_DENIED.contains(&code)
}

fn from_code(action: String, code: String, message: String) -> ReadError {
    let c = code.as_str();
    if ACCESS_DENIED.contains(&c) {
        ReadError::AccessDenied { action, message }
    } else if THROTTLED.contains(&c) {
        ReadError::Throttled { action, message }
    } else {
        ReadError::Other {
            action,
            code,
            message,
        }
    }
}

/// The error and its sources, joined, so a user sees the root cause ("dns error ...").
pub fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

/// The resolver's answer that the name does not exist (NXDOMAIN), as the system
/// resolver words it on Linux (EAI_NONAME), macOS and Windows. A temporary failure
/// ("Temporary failure in name resolution", EAI_AGAIN) is not one of them.
fn is_no_such_host(chain: &str) -> bool {
    let lower = chain.to_lowercase();
    lower.contains("dns error") // i18n: technical
        && [
            "name or service not known", // i18n: technical
            "nodename nor servname provided, or not known", // i18n: technical
            "no such host is known", // i18n: technical
        ]
        .iter()
        .any(|needle| lower.contains(needle))
}

/// Classifies the failure of the first call (STS GetCallerIdentity, EC2 DescribeRegions),
/// where nothing can be scanned without it.
pub fn collect_error<E, R>(
    service: &str,
    operation: &str,
    profile: Option<&str>,
    err: SdkError<E, R>,
) -> CollectError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let chain = error_chain(&err);
    let lower = chain.to_lowercase();
    let action = iam_action(service, operation);
    let profile_name = || {
        profile
            .map(str::to_string)
            .or_else(|| std::env::var("AWS_PROFILE").ok())
            .unwrap_or_else(|| "default".to_string())
    };
    let sso_token = "sso token"; // i18n: technical
    if lower.contains("sso")
        && (lower.contains("expired") || lower.contains("refresh") || lower.contains(sso_token))
    {
        return CollectError::SsoExpired {
            profile: profile_name(),
        };
    }
    // Credential providers fail inside the request ("dispatch failure"), before any
    // byte reaches AWS: that is a credentials problem, not a network one.
    if [
        "no providers in chain provided credentials", // i18n: technical
        "credential provider was not enabled",        // i18n: technical
        "no credentials",                             // i18n: technical
        "loading credentials",                        // i18n: technical
        "load credentials",                           // i18n: technical
        "profile file",                               // i18n: technical
        "could not find source profile",              // i18n: technical
    ]
    .iter()
    .any(|needle| lower.contains(needle))
    {
        return CollectError::NoCredentials {
            profile: profile.map(str::to_string),
            detail: chain,
        };
    }
    match &err {
        SdkError::ServiceError(_) => {
            let code = err.code().unwrap_or("Unknown").to_string(); // i18n: technical
            let message = err.message().unwrap_or_default().to_string();
            match from_code(action.clone(), code.clone(), message.clone()) {
                ReadError::AccessDenied { action, message } => {
                    CollectError::AccessDenied { action, message }
                }
                _ if matches!(
                    code.as_str(),
                    "InvalidClientTokenId" // i18n: technical
                        | "UnrecognizedClientException" // i18n: technical
                        | "ExpiredToken" // i18n: technical
                        | "ExpiredTokenException" // i18n: technical
                        | "SignatureDoesNotMatch" // i18n: technical
                        | "AuthFailure" // i18n: technical
                ) =>
                {
                    CollectError::CredentialsRejected { code, message }
                }
                _ => CollectError::Other {
                    context: t!("collect_error.failed", action = action).into_owned(),
                    message: format!("{code}: {message}"),
                },
            }
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
            CollectError::Network { detail: chain }
        }
        _ => CollectError::Other {
            context: t!("collect_error.failed", action = action).into_owned(),
            message: chain,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_reads_need_view_budget() {
        assert_eq!(
            iam_action("Budgets", "DescribeBudgets"),
            "budgets:ViewBudget"
        );
        assert_eq!(
            iam_action("CloudWatch Logs", "DescribeLogGroups"),
            "logs:DescribeLogGroups"
        );
        assert_eq!(
            iam_action("Elastic Load Balancing v2", "DescribeLoadBalancers"),
            "elasticloadbalancing:DescribeLoadBalancers"
        );
    }

    #[test]
    fn codes_map_to_kinds() {
        let a = || "guardduty:ListDetectors".to_string();
        assert!(matches!(
            from_code(a(), "AccessDeniedException".into(), "no".into()),
            ReadError::AccessDenied { action, .. } if action == "guardduty:ListDetectors"
        ));
        assert!(matches!(
            from_code(a(), "ThrottlingException".into(), "slow".into()),
            ReadError::Throttled { .. }
        ));
        assert!(matches!(
            from_code(a(), "InternalError".into(), "boom".into()),
            ReadError::Other { code, .. } if code == "InternalError"
        ));
    }

    fn credential_failure(text: &str) -> CollectError {
        use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;
        use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
        use aws_smithy_runtime_api::client::result::ConnectorError;
        let err: SdkError<GetCallerIdentityError, HttpResponse> =
            SdkError::dispatch_failure(ConnectorError::other(text.to_string().into(), None));
        collect_error("STS", "GetCallerIdentity", Some("dev"), err)
    }

    #[test]
    fn credential_failures_say_what_to_do() {
        let sso = credential_failure(
            "an error occurred while loading credentials: failed to load the cached SSO token",
        );
        assert_eq!(
            sso.to_string(),
            "the SSO session for profile dev has expired: run `aws sso login --profile dev`"
        );
        let none = credential_failure("the credential provider was not enabled");
        assert!(matches!(none, CollectError::NoCredentials { .. }), "{none}");
        assert!(
            none.to_string().contains("aws configure list-profiles"),
            "{none}"
        );
        let network = credential_failure("tcp connect error: Connection refused");
        assert!(matches!(network, CollectError::Network { .. }), "{network}");
    }

    fn facts(custom_endpoint: bool, region_may_be_disabled: bool) -> Facts {
        Facts {
            region: "ap-east-1".to_string(),
            custom_endpoint,
            region_may_be_disabled,
        }
    }

    fn dispatch(text: &str) -> SdkError<GetCallerIdentityError, HttpResponse> {
        SdkError::dispatch_failure(ConnectorError::io(text.to_string().into()))
    }

    use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::client::result::ConnectorError;

    const NXDOMAIN: &str = "io error: client error (Connect): dns error: failed to lookup address information: Name or service not known";
    const EAI_AGAIN: &str = "io error: client error (Connect): dns error: failed to lookup address information: Temporary failure in name resolution";

    #[test]
    fn only_a_missing_aws_host_is_not_offered() {
        let read = |custom, text| {
            read_error(
                "GuardDuty",
                "ListDetectors",
                &facts(custom, false),
                dispatch(text),
            )
        };
        assert!(matches!(
            read(false, NXDOMAIN),
            ReadError::NotOffered { .. }
        ));
        // A resolver hiccup, or a user-set endpoint that does not resolve, is a network
        // error: could not check, never "not applicable".
        assert!(
            matches!(read(false, EAI_AGAIN), ReadError::Other { code, .. } if code == "NetworkError")
        );
        assert!(
            matches!(read(true, NXDOMAIN), ReadError::Other { code, .. } if code == "NetworkError")
        );
        assert!(matches!(
            read(false, "io error: connection refused"),
            ReadError::Other { code, .. } if code == "NetworkError"
        ));
    }

    #[test]
    fn rejected_credentials_are_a_disabled_region_only_where_one_may_be() {
        let a = || "guardduty:ListDetectors".to_string();
        let code = || "UnrecognizedClientException".to_string();
        let msg = || "The security token included in the request is invalid".to_string();
        assert!(matches!(
            token_rejected(a(), code(), msg(), &facts(false, true)),
            ReadError::RegionNotEnabled { .. }
        ));
        match token_rejected(a(), code(), msg(), &facts(false, false)) {
            ReadError::Other { code, message, .. } => {
                assert_eq!(code, "UnrecognizedClientException");
                assert!(
                    message.contains("rejected the scan's credentials"),
                    "{message}"
                );
            }
            other => panic!("expected a credentials error, got {other:?}"),
        }
    }
}
