//! The checklist in Japanese: `checklists/ja/<file>.toml` holds, for every item of
//! `checklists/<file>.toml`, its title, why, question, fix steps and cost; `ja/onwatch.toml`
//! holds the Well-Architected best-practice titles. Ids, rules, parameters, CLI commands,
//! CloudFormation and IAM actions are not translated and are never read from here.
//!
//! In a checklist folder that has a `ja/` folder (the built-in one does), a missing
//! translation is an error naming the file, the item and the field. A user's own
//! checklist files may be English only: their items keep their English texts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_spanned::Spanned;

use super::load::{ChecklistError, Source, load_dir};
use super::raw::Located;
use super::{Checklist, Item};
use crate::i18n::Lang;
use crate::t;

const BUILTIN_JA: &[(&str, &str)] = &[
    (
        "onwatch.toml",
        include_str!("../../checklists/ja/onwatch.toml"),
    ),
    (
        "security.toml",
        include_str!("../../checklists/ja/security.toml"),
    ),
    (
        "resources.toml",
        include_str!("../../checklists/ja/resources.toml"),
    ),
    (
        "external.toml",
        include_str!("../../checklists/ja/external.toml"),
    ),
    (
        "application.toml",
        include_str!("../../checklists/ja/application.toml"),
    ),
    (
        "alerting.toml",
        include_str!("../../checklists/ja/alerting.toml"),
    ),
    ("cost.toml", include_str!("../../checklists/ja/cost.toml")),
    (
        "practice.toml",
        include_str!("../../checklists/ja/practice.toml"),
    ),
];

/// One item's texts in another language.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemText {
    pub title: String,
    pub why: String,
    pub question: Option<String>,
    pub steps: Vec<String>,
    pub cost: String,
}

/// A checklist's texts in one language: item id -> texts, best-practice id -> title.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Translation {
    pub items: BTreeMap<String, ItemText>,
    pub practices: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    item: Vec<RawItem>,
    practices: Option<BTreeMap<String, Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Spanned<String>,
    title: Option<String>,
    why: Option<String>,
    question: Option<String>,
    steps: Option<Vec<String>>,
    cost: Option<String>,
}

/// The file an item was defined in, without folder or `builtin:` ("alerting.toml").
fn base_name(source: &str) -> &str {
    let name = source.strip_prefix("builtin:").unwrap_or(source);
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Checks the translation files `ja` against `checklist` (whose items came from the
/// files beside them) and returns the translation, or every error found.
pub fn check(checklist: &Checklist, ja: &[Source]) -> Result<Translation, Vec<ChecklistError>> {
    let mut errors = Vec::new();
    // Items an error above already names, so they are not also reported untranslated.
    let mut named: BTreeSet<String> = BTreeSet::new();
    let mut out = Translation::default();
    // The built-in translation covers the built-in items; a user's folder covers its
    // own items (a folder without a [checklist] header is loaded on top of the
    // built-in checklist, whose items it need not translate), and the best practices
    // only when the header, and so [checklist.practices], is its own.
    let builtin = !ja.is_empty() && ja.iter().all(|s| s.name.starts_with("builtin:"));
    let own = |item: &&Item| item.source.starts_with("builtin:") == builtin;
    let own_practices = builtin
        || !checklist
            .items
            .iter()
            .any(|i| i.source.starts_with("builtin:"));
    let mut by_file: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
    for item in checklist.items.iter().filter(own) {
        by_file
            .entry(base_name(&item.source))
            .or_default()
            .push(item);
    }
    let mut files_seen = BTreeSet::new();
    for source in ja {
        let at = Located { source };
        let file = base_name(&source.name);
        files_seen.insert(file.to_string());
        let raw: RawFile = match toml::from_str(&source.text) {
            Ok(raw) => raw,
            Err(e) => {
                errors.push(at.error(e.span().unwrap_or(0..0), e.message().to_string()));
                continue;
            }
        };
        for (id, title) in raw.practices.unwrap_or_default() {
            if !own_practices || !checklist.practices.contains_key(&id) {
                errors.push(at.error(
                    title.span(),
                    t!("checklist_translate.practice_not_in_checklist", id = id),
                ));
            } else if title.get_ref().trim().is_empty() {
                errors.push(at.error(
                    title.span(),
                    t!("checklist_translate.practice_empty", id = id),
                ));
            } else {
                out.practices.insert(id, title.into_inner());
            }
        }
        let english = by_file.get(file).map(Vec::as_slice).unwrap_or_default();
        for raw_item in raw.item {
            let id = raw_item.id.get_ref().clone();
            let span = raw_item.id.span();
            let Some(item) = english.iter().find(|i| i.id == id) else {
                errors.push(at.error(
                    raw_item.id.span(),
                    t!("checklist_translate.not_in_file", id = id, file = file),
                ));
                named.insert(id);
                continue;
            };
            if out.items.contains_key(&id) {
                errors.push(at.error(
                    raw_item.id.span(),
                    t!("checklist_translate.translated_twice", id = id),
                ));
                named.insert(id);
                continue;
            }
            match check_item(item, raw_item) {
                Ok(text) => {
                    out.items.insert(id, text);
                }
                Err(problems) => {
                    for problem in problems {
                        errors.push(at.error(
                            span.clone(),
                            t!(
                                "checklist_translate.item_problem",
                                id = id,
                                problem = problem
                            ),
                        ));
                    }
                    named.insert(id);
                }
            }
        }
    }
    for (file, items) in &by_file {
        for item in items {
            if !out.items.contains_key(&item.id) && !named.contains(&item.id) {
                let where_ = if files_seen.contains(*file) {
                    format!("ja/{file}")
                } else {
                    t!("checklist_translate.file_missing", file = file).into_owned()
                };
                errors.push(ChecklistError {
                    file: where_,
                    line: 0,
                    column: 0,
                    message: if item.question.is_some() {
                        t!("checklist_translate.no_japanese_question", id = item.id)
                    } else {
                        t!("checklist_translate.no_japanese", id = item.id)
                    }
                    .into_owned(),
                });
            }
        }
    }
    let missing: Vec<&String> = checklist
        .practices
        .keys()
        .filter(|id| own_practices && !out.practices.contains_key(*id))
        .collect();
    if !missing.is_empty() {
        errors.push(ChecklistError {
            file: "ja/onwatch.toml".to_string(),
            line: 0,
            column: 0,
            message: t!(
                "checklist_translate.practices_missing",
                ids = missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
            .into_owned(),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn check_item(item: &Item, raw: RawItem) -> Result<ItemText, Vec<String>> {
    let mut problems = Vec::new();
    let mut field = |name: &str, value: Option<String>| -> String {
        match value {
            Some(v) if !v.trim().is_empty() => v,
            Some(_) => {
                problems.push(t!("checklist_translate.field_empty", name = name).into_owned());
                String::new()
            }
            None => {
                problems.push(t!("checklist_translate.field_missing", name = name).into_owned());
                String::new()
            }
        }
    };
    let title = field("title", raw.title);
    let why = field("why", raw.why);
    let cost = field("cost", raw.cost);
    let question = match (&item.question, raw.question) {
        (Some(_), q) => Some(field("question", q)),
        (None, Some(_)) => {
            problems.push(t!("checklist_translate.question_not_asked").into_owned());
            None
        }
        (None, None) => None,
    };
    let steps = raw.steps.unwrap_or_else(|| {
        problems.push(t!("checklist_translate.field_missing", name = "steps").into_owned());
        Vec::new()
    });
    if !steps.is_empty() && steps.len() != item.fix.steps.len() {
        problems.push(
            t!(
                "checklist_translate.steps_count",
                found = steps.len(),
                expected = item.fix.steps.len()
            )
            .into_owned(),
        );
    }
    if steps.iter().any(|s| s.trim().is_empty()) {
        problems.push(t!("checklist_translate.empty_step").into_owned());
    }
    if problems.is_empty() {
        Ok(ItemText {
            title,
            why,
            question,
            steps,
            cost,
        })
    } else {
        Err(problems)
    }
}

/// The built-in checklist's translation files.
pub fn builtin_sources() -> Vec<Source> {
    BUILTIN_JA
        .iter()
        .map(|(name, text)| Source {
            name: format!("builtin:ja/{name}"),
            text: (*text).to_string(),
        })
        .collect()
}

/// Checks `<folder>/ja/` against the checklist loaded from `<folder>`; Ok(None) when the
/// folder has no `ja/` (an English-only checklist).
pub fn check_folder(
    checklist: &Checklist,
    folder: &Path,
) -> Result<Option<Translation>, Vec<ChecklistError>> {
    let ja = folder.join("ja");
    if !ja.is_dir() {
        return Ok(None);
    }
    let sources = load_dir(&ja).map_err(|e| vec![e])?;
    check(checklist, &sources).map(Some)
}

/// The built-in Japanese texts (checked by the tests; should they ever fail to load, the
/// items keep their English texts and the reason is logged).
pub fn builtin() -> &'static Translation {
    static CELL: OnceLock<Translation> = OnceLock::new();
    CELL.get_or_init(|| {
        let english = match super::load_builtin() {
            Ok(c) => c,
            Err(_) => return Translation::default(),
        };
        match check(&english, &builtin_sources()) {
            Ok(t) => t,
            Err(errors) => {
                for e in errors {
                    tracing::warn!("built-in Japanese checklist: {e}");
                }
                Translation::default()
            }
        }
    })
}

/// The Japanese texts of the user's checklist folder (`ja/` beside its files), checked
/// as `onwatch checklist validate <folder>` checks them. Empty when there are none, or
/// when they do not validate: the user's items then keep their English texts (the
/// reason is logged, and validate names it).
pub fn user() -> &'static Translation {
    static CELL: OnceLock<Translation> = OnceLock::new();
    CELL.get_or_init(|| {
        let Some(dir) = super::load::user_dir().filter(|d| d.join("ja").is_dir()) else {
            return Translation::default();
        };
        let checked = super::load_path(&dir).and_then(|c| check_folder(&c, &dir));
        match checked {
            Ok(t) => t.unwrap_or_default(),
            Err(errors) => {
                for e in errors {
                    tracing::warn!("{}: {e}", dir.display());
                }
                Translation::default()
            }
        }
    })
}

impl Checklist {
    /// This checklist with its texts in `lang`: built-in items and best-practice titles
    /// take the bundled translation, the user's own items the translation in their
    /// folder's `ja/` when it validates; other items keep their English texts.
    pub fn localized(&self, lang: Lang) -> Checklist {
        let mut out = self.clone();
        if lang == Lang::Ja {
            apply(&mut out, builtin(), true);
            apply(&mut out, user(), false);
        }
        out
    }
}

fn apply(checklist: &mut Checklist, t: &Translation, builtin: bool) {
    for item in &mut checklist.items {
        if item.source.starts_with("builtin:") != builtin {
            continue;
        }
        if let Some(text) = t.items.get(&item.id) {
            item.title = text.title.clone();
            item.why = text.why.clone();
            if item.question.is_some() {
                item.question = text.question.clone();
            }
            item.fix.steps = text.steps.clone();
            item.fix.cost = text.cost.clone();
        }
    }
    for (id, title) in &t.practices {
        if let Some(slot) = checklist.practices.get_mut(id) {
            *slot = title.clone();
        }
    }
}
