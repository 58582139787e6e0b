//! The checklist as data: items, their rules and parameters, fixes and references.
//!
//! The built-in checklist lives in `checklists/*.toml` and is embedded in the binary; a
//! user folder can add items and override parameters. Loading goes through an
//! unvalidated (raw TOML) step and a validated step ([`Checklist`]), so every error can
//! name the file, line and column it comes from.

mod load;
mod params;
mod raw;
pub mod translate;

use std::collections::BTreeMap;

use crate::t;
use serde::{Deserialize, Serialize};

pub use load::{
    ChecklistError, Source, builtin_item_ids, load_builtin, load_dir, load_effective, load_files,
    load_path, user_dir,
};
pub use params::{ParamDefault, ParamKind, ParamSpec, ParamValue, Params};

/// The checklist's categories, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Security,
    External,
    Resources,
    Application,
    Alerting,
    Cost,
    Practice,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Security,
        Category::External,
        Category::Resources,
        Category::Application,
        Category::Alerting,
        Category::Cost,
        Category::Practice,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::External => "external",
            Category::Resources => "resources",
            Category::Application => "application",
            Category::Alerting => "alerting",
            Category::Cost => "cost",
            Category::Practice => "practice",
        }
    }

    /// The category's name, in the language in use.
    pub fn title(self) -> std::borrow::Cow<'static, str> {
        match self {
            Category::Security => t!("category.security"),
            Category::External => t!("category.external"),
            Category::Resources => t!("category.resources"),
            Category::Application => t!("category.application"),
            Category::Alerting => t!("category.alerting"),
            Category::Cost => t!("category.cost"),
            Category::Practice => t!("category.practice"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// The weight a severity gives an item in the score (see README, "Scoring").
    pub fn weight(self) -> f64 {
        match self {
            Severity::Low => 1.0,
            Severity::Medium => 2.0,
            Severity::High => 3.0,
            Severity::Critical => 5.0,
        }
    }

    /// The severity in words, in the language in use.
    pub fn label(self) -> std::borrow::Cow<'static, str> {
        match self {
            Severity::Low => t!("severity.low"),
            Severity::Medium => t!("severity.medium"),
            Severity::High => t!("severity.high"),
            Severity::Critical => t!("severity.critical"),
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// How to fix an item.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Fix {
    pub steps: Vec<String>,
    /// AWS CLI commands, with `<PLACEHOLDERS>` for what the user fills in.
    pub cli: String,
    /// A CloudFormation (YAML) snippet, where one fits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloudformation: Option<String>,
    /// IAM actions the fix needs.
    pub permissions: Vec<String>,
    /// What the fix adds to the bill.
    pub cost: String,
}

/// One validated checklist item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    /// Multiplies the severity's weight; 1.0 unless the checklist says otherwise.
    pub weight: f64,
    pub why: String,
    /// The built-in rule that evaluates the item ("practice" for attested items).
    pub rule: String,
    pub params: Params,
    /// The user may answer this item (practice items, and automated items whose
    /// evidence may live outside AWS, such as error tracking).
    pub answerable: bool,
    /// The question the window asks for answerable items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    pub fix: Fix,
    /// Well-Architected best-practice ids (of [`Checklist::well_architected`]).
    pub well_architected: Vec<String>,
    pub docs: Vec<String>,
    /// Where the item was defined ("builtin:security.toml", or a user file path).
    pub source: String,
}

impl Item {
    /// The weight of the item in the score.
    pub fn score_weight(&self) -> f64 {
        self.severity.weight() * self.weight
    }

    pub fn is_practice(&self) -> bool {
        self.rule == crate::rules::PRACTICE_RULE
    }
}

/// The validated checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checklist {
    pub version: String,
    /// The pinned Well-Architected Framework version the ids refer to.
    pub well_architected: String,
    /// Best-practice id -> title, for the ids items cite.
    pub practices: BTreeMap<String, String>,
    pub items: Vec<Item>,
    /// Routes the user vouches for (`[[trusted_route]]` in their checklist folder):
    /// alert targets onwatch cannot read from this account.
    pub trusted: Vec<TrustedRoute>,
}

/// What a trusted route names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrustTarget {
    /// One target: an SNS topic, an event bus, a Lambda function.
    Arn(String),
    /// Every target in this account (a security or central alerting account).
    Account(String),
}

/// An alert route the user vouches for: a target onwatch cannot read (a central topic
/// or event bus in another account) that the user says reaches a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrustedRoute {
    pub target: TrustTarget,
    /// Who is reached and how, in the user's words (shown in the evidence).
    pub note: String,
    /// Whether it reaches someone at once (phone, chat, paging tool), which the
    /// `act-now` response pattern asks for.
    pub urgent: bool,
}

impl TrustedRoute {
    /// Whether this route covers `arn`.
    pub fn covers(&self, arn: &str) -> bool {
        match &self.target {
            TrustTarget::Arn(a) => a == arn,
            TrustTarget::Account(id) => arn.split(':').nth(4) == Some(id.as_str()),
        }
    }
}

impl Checklist {
    /// A number parameter of an item (ints widened), as the checklist resolves it.
    pub fn float_param(&self, item: &str, name: &str) -> Option<f64> {
        self.items
            .iter()
            .find(|i| i.id == item)
            .and_then(|i| match i.params.0.get(name) {
                Some(ParamValue::Float(v)) => Some(*v),
                Some(ParamValue::Int(v)) => Some(*v as f64),
                _ => None,
            })
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// "OPS08-BP04 Create actionable alerts", or the bare id when the checklist has no
    /// title for it.
    pub fn practice_label(&self, id: &str) -> String {
        match self.practices.get(id) {
            Some(title) => format!("{id} {title}"),
            None => id.to_string(),
        }
    }

    /// Items grouped by category, in display order.
    pub fn by_category(&self) -> BTreeMap<Category, Vec<&Item>> {
        let mut map: BTreeMap<Category, Vec<&Item>> = BTreeMap::new();
        for item in &self.items {
            map.entry(item.category).or_default().push(item);
        }
        map
    }
}
