//! The raw (unvalidated) shape of a checklist file and the validation of one item, with
//! every error pointing at file, line and column.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use serde_spanned::Spanned;

use super::load::{ChecklistError, Source};
use super::{Category, Fix, Item, Params, Severity};
use crate::rules;
use crate::t;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    pub(super) checklist: Option<RawHeader>,
    #[serde(default)]
    pub(super) item: Vec<RawItem>,
    #[serde(default, rename = "override")]
    pub(super) overrides: Vec<RawOverride>,
    #[serde(default, rename = "trusted_route")]
    pub(super) trusted: Vec<RawTrusted>,
}

/// A route the user vouches for (`[[trusted_route]]`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTrusted {
    pub(super) arn: Option<Spanned<String>>,
    pub(super) account: Option<Spanned<String>>,
    pub(super) note: Spanned<String>,
    #[serde(default)]
    pub(super) urgent: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHeader {
    pub(super) version: String,
    pub(super) well_architected: String,
    /// Best-practice id -> title, of the pinned framework version.
    pub(super) practices: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawItem {
    pub(super) id: Spanned<String>,
    pub(super) title: String,
    pub(super) category: Category,
    pub(super) severity: Severity,
    pub(super) weight: Option<Spanned<f64>>,
    pub(super) why: String,
    pub(super) rule: Spanned<String>,
    #[serde(default)]
    pub(super) params: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    pub(super) answerable: bool,
    pub(super) question: Option<String>,
    pub(super) fix: RawFix,
    pub(super) well_architected: Vec<Spanned<String>>,
    pub(super) docs: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFix {
    pub(super) steps: Vec<String>,
    pub(super) cli: String,
    pub(super) cloudformation: Option<String>,
    pub(super) permissions: Vec<String>,
    pub(super) cost: String,
}

/// A user file's change to an existing item.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOverride {
    pub(super) id: Spanned<String>,
    pub(super) severity: Option<Severity>,
    pub(super) weight: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) params: BTreeMap<String, Spanned<toml::Value>>,
}

pub(super) struct Located<'a> {
    pub(super) source: &'a Source,
}

impl Located<'_> {
    pub(super) fn error(&self, span: Range<usize>, message: impl Into<String>) -> ChecklistError {
        let (line, column) = line_col(&self.source.text, span.start);
        ChecklistError {
            file: self.source.name.clone(),
            line,
            column,
            message: message.into(),
        }
    }

    pub(super) fn whole(&self, message: impl Into<String>) -> ChecklistError {
        ChecklistError {
            file: self.source.name.clone(),
            line: 0,
            column: 0,
            message: message.into(),
        }
    }
}

pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The built-in checklist.
pub(super) fn check_weight(at: &Located, weight: &Spanned<f64>) -> Result<f64, ChecklistError> {
    let w = *weight.get_ref();
    if w.is_finite() && w > 0.0 && w <= 100.0 {
        Ok(w)
    } else {
        Err(at.error(weight.span(), t!("checklist_raw.weight_range", weight = w)))
    }
}

pub(super) fn resolve_param(
    at: &Located,
    specs: &[super::ParamSpec],
    name: &str,
    value: &Spanned<toml::Value>,
) -> Result<super::ParamValue, ChecklistError> {
    let Some(spec) = specs.iter().find(|s| s.name == name) else {
        let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
        let known = if known.is_empty() {
            t!("checklist_raw.takes_none")
        } else {
            t!("checklist_raw.takes", names = known.join(", "))
        };
        return Err(at.error(
            value.span(),
            t!("checklist_raw.unknown_param", name = name, known = known),
        ));
    };
    spec.accept(value.get_ref())
        .map_err(|m| at.error(value.span(), m))
}

pub(super) fn validate_item(at: &Located, raw: RawItem) -> Result<Item, Vec<ChecklistError>> {
    let mut errors = Vec::new();
    let id = raw.id.get_ref();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errors.push(at.error(raw.id.span(), t!("checklist_raw.bad_id", id = id)));
    }
    let weight = match &raw.weight {
        Some(w) => check_weight(at, w).unwrap_or_else(|e| {
            errors.push(e);
            1.0
        }),
        None => 1.0,
    };
    let mut params = Params::default();
    match rules::find(raw.rule.get_ref()) {
        None => errors.push(at.error(
            raw.rule.span(),
            t!(
                "checklist_raw.unknown_rule",
                rule = raw.rule.get_ref(),
                rules = rules::ids().join(", ")
            ),
        )),
        Some(rule) => {
            for spec in rule.params {
                params.0.insert(spec.name.to_string(), spec.default_value());
            }
            for (name, value) in &raw.params {
                match resolve_param(at, rule.params, name, value) {
                    Ok(v) => {
                        params.0.insert(name.clone(), v);
                    }
                    Err(e) => errors.push(e),
                }
            }
        }
    }
    let practice = raw.rule.get_ref() == rules::PRACTICE_RULE;
    let answerable = raw.answerable || practice;
    if answerable && raw.question.is_none() {
        errors.push(at.error(raw.id.span(), t!("checklist_raw.needs_question")));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Item {
        id: raw.id.into_inner(),
        title: raw.title,
        category: raw.category,
        severity: raw.severity,
        weight,
        why: raw.why,
        rule: raw.rule.into_inner(),
        params,
        answerable,
        question: raw.question,
        fix: Fix {
            steps: raw.fix.steps,
            cli: raw.fix.cli,
            cloudformation: raw.fix.cloudformation,
            permissions: raw.fix.permissions,
            cost: raw.fix.cost,
        },
        well_architected: raw
            .well_architected
            .into_iter()
            .map(Spanned::into_inner)
            .collect(),
        docs: raw.docs,
        source: at.source.name.clone(),
    })
}

/// Validates one `[[trusted_route]]`: exactly one of `arn` (a whole ARN) or `account`
/// (a 12-digit account id), and a note saying why.
pub(super) fn validate_trusted(
    at: &Located,
    raw: RawTrusted,
) -> Result<super::TrustedRoute, ChecklistError> {
    use super::{TrustTarget, TrustedRoute};
    let target = match (raw.arn, raw.account) {
        (Some(arn), None) => {
            let parts = arn.get_ref().split(':').count();
            if !arn.get_ref().starts_with("arn:") || parts < 6 {
                return Err(at.error(
                    arn.span(),
                    t!("checklist_raw.trusted_not_arn", arn = arn.get_ref()),
                ));
            }
            TrustTarget::Arn(arn.into_inner())
        }
        (None, Some(account)) => {
            let id = account.get_ref();
            if id.len() != 12 || !id.chars().all(|c| c.is_ascii_digit()) {
                return Err(at.error(
                    account.span(),
                    t!("checklist_raw.trusted_bad_account", id = id),
                ));
            }
            TrustTarget::Account(account.into_inner())
        }
        (Some(arn), Some(_)) => {
            return Err(at.error(arn.span(), t!("checklist_raw.trusted_both")));
        }
        (None, None) => {
            return Err(at.error(raw.note.span(), t!("checklist_raw.trusted_neither")));
        }
    };
    if raw.note.get_ref().trim().is_empty() {
        return Err(at.error(raw.note.span(), t!("checklist_raw.trusted_no_note")));
    }
    Ok(TrustedRoute {
        target,
        note: raw.note.into_inner(),
        urgent: raw.urgent,
    })
}
