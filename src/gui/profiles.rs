//! The AWS profiles a user can pick on the start screen, read from the shared config
//! and credentials files (the same files the AWS CLI and SDK read).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::t;

/// How a profile gets its credentials; shown next to its name so the user knows what
/// to expect (an SSO profile may need `aws sso login`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProfileKind {
    /// IAM Identity Center (`sso_session` or the legacy `sso_start_url`).
    Sso,
    /// Assumes a role from another profile or a web identity.
    Role,
    /// Access keys in the credentials or config file.
    Keys,
    /// `credential_process` or anything else the SDK resolves.
    Other,
}

impl ProfileKind {
    pub fn label(self) -> Cow<'static, str> {
        match self {
            ProfileKind::Sso => Cow::Borrowed("SSO"),
            ProfileKind::Role => t!("profiles.kind_role"),
            ProfileKind::Keys => t!("profiles.kind_keys"),
            ProfileKind::Other => t!("profiles.kind_other"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsProfile {
    pub name: String,
    pub kind: ProfileKind,
    /// The profile's default region, when it names one.
    pub region: Option<String>,
}

/// Where the AWS files live: `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`, else
/// `~/.aws/config` and `~/.aws/credentials`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsFiles {
    pub config: Option<PathBuf>,
    pub credentials: Option<PathBuf>,
}

impl AwsFiles {
    pub fn from_env() -> Self {
        let home = directories::BaseDirs::new().map(|d| d.home_dir().join(".aws"));
        let env_path = |var: &str| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        AwsFiles {
            config: env_path("AWS_CONFIG_FILE").or_else(|| home.as_ref().map(|h| h.join("config"))),
            credentials: env_path("AWS_SHARED_CREDENTIALS_FILE")
                .or_else(|| home.as_ref().map(|h| h.join("credentials"))),
        }
    }

    /// The profiles of both files, sorted by name. A file that does not exist holds no
    /// profiles; one that cannot be read is reported (the list still holds the rest).
    pub fn profiles(&self) -> (Vec<AwsProfile>, Vec<String>) {
        let mut problems = Vec::new();
        let mut read = |path: &Option<PathBuf>| -> String {
            let Some(path) = path else {
                return String::new();
            };
            match std::fs::read_to_string(path) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
                Err(e) => {
                    problems
                        .push(t!("profiles.unreadable", path = shown(path), e = e).into_owned());
                    String::new()
                }
            }
        };
        let config = read(&self.config);
        let credentials = read(&self.credentials);
        (parse_profiles(&config, &credentials), problems)
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// `[section]` -> key -> value, for the INI dialect the AWS files use. Keys are
/// lower-cased; nested (indented) sub-settings are skipped.
fn sections(text: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let mut out: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    for raw in text.lines() {
        if raw.starts_with([' ', '\t']) {
            continue;
        }
        let line = raw.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            out.push((name.trim().to_string(), BTreeMap::new()));
        } else if let (Some((key, value)), Some((_, section))) =
            (line.split_once('='), out.last_mut())
        {
            section.insert(key.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    out
}

fn kind_of(settings: &BTreeMap<String, String>) -> ProfileKind {
    let has = |k: &str| settings.contains_key(k);
    if has("sso_session") || has("sso_start_url") {
        ProfileKind::Sso
    } else if has("role_arn") {
        ProfileKind::Role
    } else if has("aws_access_key_id") {
        ProfileKind::Keys
    } else {
        ProfileKind::Other
    }
}

/// Profiles named in the config file (`[default]`, `[profile NAME]`; `[sso-session]`
/// and `[services]` sections are not profiles) and the credentials file (`[NAME]`).
pub fn parse_profiles(config: &str, credentials: &str) -> Vec<AwsProfile> {
    let mut by_name: BTreeMap<String, AwsProfile> = BTreeMap::new();
    for (section, settings) in sections(config) {
        let name = if section == "default" {
            Some("default".to_string())
        } else {
            section
                .strip_prefix("profile")
                .filter(|rest| rest.starts_with(char::is_whitespace))
                .map(|rest| rest.trim().to_string())
        };
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            continue;
        };
        by_name.insert(
            name.clone(),
            AwsProfile {
                name,
                kind: kind_of(&settings),
                region: settings.get("region").cloned(),
            },
        );
    }
    for (name, settings) in sections(credentials) {
        if name.is_empty() {
            continue;
        }
        let kind = kind_of(&settings);
        by_name
            .entry(name.clone())
            .and_modify(|p| {
                if p.kind == ProfileKind::Other {
                    p.kind = kind;
                }
            })
            .or_insert(AwsProfile {
                name,
                kind,
                region: settings.get("region").cloned(),
            });
    }
    by_name.into_values().collect()
}
