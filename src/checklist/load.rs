//! Reading checklist TOML: the raw (unvalidated) shape, then validation into
//! [`Checklist`], with every error pointing at file, line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde_spanned::Spanned;

use super::raw::{
    Located, RawFile, RawHeader, RawOverride, check_weight, line_col, resolve_param, validate_item,
    validate_trusted,
};
use super::{Checklist, Item};
use crate::rules;
use crate::t;

/// The built-in checklist, embedded in the binary. `onwatch.toml` holds the header.
const BUILTIN: &[(&str, &str)] = &[
    (
        "onwatch.toml",
        include_str!("../../checklists/onwatch.toml"),
    ),
    (
        "security.toml",
        include_str!("../../checklists/security.toml"),
    ),
    (
        "resources.toml",
        include_str!("../../checklists/resources.toml"),
    ),
    (
        "external.toml",
        include_str!("../../checklists/external.toml"),
    ),
    (
        "application.toml",
        include_str!("../../checklists/application.toml"),
    ),
    (
        "alerting.toml",
        include_str!("../../checklists/alerting.toml"),
    ),
    ("cost.toml", include_str!("../../checklists/cost.toml")),
    (
        "practice.toml",
        include_str!("../../checklists/practice.toml"),
    ),
];

/// One checklist file's text and where it came from.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    pub fn read(path: &Path) -> Result<Self, ChecklistError> {
        let text = std::fs::read_to_string(path).map_err(|e| ChecklistError {
            file: path.display().to_string(),
            line: 0,
            column: 0,
            message: t!("checklist_load.read_file", error = e).into_owned(),
        })?;
        Ok(Source {
            name: path.display().to_string(),
            text,
        })
    }
}

/// A checklist error, with the place it points at (line and column count from 1; 0 when
/// the error is about the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ChecklistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for ChecklistError {}

pub fn load_builtin() -> Result<Checklist, Vec<ChecklistError>> {
    load_files(&builtin_sources())
}

fn builtin_sources() -> Vec<Source> {
    BUILTIN
        .iter()
        .map(|(name, text)| Source {
            name: format!("builtin:{name}"),
            text: (*text).to_string(),
        })
        .collect()
}

/// The `.toml` files of a folder, in name order.
pub fn load_dir(dir: &Path) -> Result<Vec<Source>, ChecklistError> {
    let entries = std::fs::read_dir(dir).map_err(|e| ChecklistError {
        file: dir.display().to_string(),
        line: 0,
        column: 0,
        message: t!("checklist_load.read_folder", error = e).into_owned(),
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths.iter().map(|p| Source::read(p)).collect()
}

/// Validates a file or a folder on its own terms: a folder with a `[checklist]` header is
/// a whole checklist; otherwise the files are user additions, checked on top of the
/// built-in checklist.
pub fn load_path(path: &Path) -> Result<Checklist, Vec<ChecklistError>> {
    let sources = if path.is_dir() {
        load_dir(path).map_err(|e| vec![e])?
    } else {
        vec![Source::read(path).map_err(|e| vec![e])?]
    };
    let has_header = sources
        .iter()
        .any(|s| s.text.lines().any(|l| l.trim() == "[checklist]"));
    if has_header {
        load_files(&sources)
    } else {
        let mut all = builtin_sources();
        all.extend(sources);
        load_files(&all)
    }
}

/// Validates a set of files into one checklist. Exactly one file carries the header;
/// the others add items or override them. All errors are returned, not just the first.
pub fn load_files(sources: &[Source]) -> Result<Checklist, Vec<ChecklistError>> {
    let mut errors = Vec::new();
    let mut header: Option<RawHeader> = None;
    let mut items: Vec<Item> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut invalid: BTreeSet<String> = BTreeSet::new();
    let mut overrides: Vec<(usize, RawOverride)> = Vec::new();
    let mut wa_refs: Vec<(usize, Spanned<String>)> = Vec::new();
    let mut trusted = Vec::new();

    for (index, source) in sources.iter().enumerate() {
        let at = Located { source };
        let raw: RawFile = match toml::from_str(&source.text) {
            Ok(raw) => raw,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                errors.push(at.error(span, e.message().to_string()));
                continue;
            }
        };
        if let Some(h) = raw.checklist {
            if header.is_some() {
                errors.push(at.whole(t!("checklist_load.second_header")));
            } else {
                header = Some(h);
            }
        }
        for item in raw.item {
            let id_span = item.id.span();
            if let Some(first) = seen.get(item.id.get_ref()) {
                errors.push(at.error(
                    id_span,
                    t!(
                        "checklist_load.duplicate_id",
                        id = item.id.get_ref(),
                        first = first
                    ),
                ));
                continue;
            }
            wa_refs.extend(item.well_architected.iter().map(|w| (index, w.clone())));
            // Invalid items take their id too, so a second item with it is still a
            // duplicate and an override of it does not claim it is unknown.
            let (line, _) = line_col(&source.text, id_span.start);
            seen.insert(item.id.get_ref().clone(), format!("{}:{line}", source.name));
            let id = item.id.get_ref().clone();
            match validate_item(&at, item) {
                Ok(item) => items.push(item),
                Err(mut e) => {
                    invalid.insert(id);
                    errors.append(&mut e);
                }
            }
        }
        overrides.extend(raw.overrides.into_iter().map(|o| (index, o)));
        for t in raw.trusted {
            match validate_trusted(&at, t) {
                Ok(t) => trusted.push(t),
                Err(e) => errors.push(e),
            }
        }
    }

    for (index, o) in overrides {
        let at = Located {
            source: &sources[index],
        };
        if invalid.contains(o.id.get_ref()) {
            // The item's own errors are reported; its parameters cannot be checked.
            continue;
        }
        let Some(item) = items.iter_mut().find(|i| &i.id == o.id.get_ref()) else {
            errors.push(at.error(
                o.id.span(),
                t!("checklist_load.unknown_override", id = o.id.get_ref()),
            ));
            continue;
        };
        if let Some(severity) = o.severity {
            item.severity = severity;
        }
        if let Some(weight) = o.weight {
            match check_weight(&at, &weight) {
                Ok(w) => item.weight = w,
                Err(e) => errors.push(e),
            }
        }
        let Some(rule) = rules::find(&item.rule) else {
            continue;
        };
        for (name, value) in &o.params {
            match resolve_param(&at, rule.params, name, value) {
                Ok(v) => {
                    item.params.0.insert(name.clone(), v);
                }
                Err(e) => errors.push(e),
            }
        }
    }

    let Some(header) = header else {
        errors.push(ChecklistError {
            file: sources.first().map_or_else(
                || t!("checklist_load.no_files").into_owned(),
                |s| s.name.clone(),
            ),
            line: 0,
            column: 0,
            message: t!("checklist_load.no_header").into_owned(),
        });
        return Err(errors);
    };
    for (index, wa) in wa_refs {
        if !header.practices.contains_key(wa.get_ref()) {
            let at = Located {
                source: &sources[index],
            };
            errors.push(at.error(
                wa.span(),
                t!(
                    "checklist_load.unknown_practice",
                    id = wa.get_ref(),
                    version = header.well_architected
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Checklist {
        version: header.version,
        well_architected: header.well_architected,
        practices: header.practices,
        items,
        trusted,
    })
}

/// Every id in the built-in checklist, for tests that want to hold it stable.
pub fn builtin_item_ids() -> BTreeSet<String> {
    load_builtin()
        .map(|c| c.items.into_iter().map(|i| i.id).collect())
        .unwrap_or_default()
}

/// The user's checklist folder: `$XDG_CONFIG_HOME/onwatch/checklists` on Linux.
pub fn user_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "onwatch").map(|d| d.config_dir().join("checklists"))
}

/// The built-in checklist plus the user's additions and overrides, when the folder
/// exists.
pub fn load_effective() -> Result<Checklist, Vec<ChecklistError>> {
    let mut sources = builtin_sources();
    if let Some(dir) = user_dir().filter(|d| d.is_dir()) {
        sources.extend(load_dir(&dir).map_err(|e| vec![e])?);
    }
    load_files(&sources)
}
