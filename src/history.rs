//! An account's saved scans: the window saves every live scan, and `onwatch scan
//! --history` does the same, to `<data dir>/snapshots/<account>-<UTC time>.json`. Each
//! save also appends one line to `<data dir>/snapshots/history.jsonl` recording the
//! score shown at the time, so `onwatch history` and the window's trend can show it
//! beside the score the same scan gets under today's checklist.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::answers::file_name_of;
use crate::report::Report;
use crate::snapshot::AccountSnapshot;
use crate::t;

/// The index of saved scans, one JSON object per line.
pub const INDEX: &str = "history.jsonl";

/// File-name times: seconds (older saves) or milliseconds.
const STAMP_MS: &str = "%Y%m%dT%H%M%S%3fZ";
const STAMP_S: &str = "%Y%m%dT%H%M%SZ";

/// One line of the index: what the report said when the scan was saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// The snapshot's file name, in the same folder.
    pub file: String,
    pub account: String,
    pub collected_at: DateTime<Utc>,
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict_score: Option<f64>,
    #[serde(default)]
    pub failing_items: usize,
    pub checklist_version: String,
}

/// One saved scan of an account, oldest first in a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub path: PathBuf,
    pub collected_at: DateTime<Utc>,
    /// What was recorded when it was saved; None for scans saved before the index
    /// existed, or when the index line was lost.
    pub recorded: Option<Recorded>,
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{}", t!("history.folder", path = .path.display(), source = .source))]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", t!("history.snapshot", error = .0))]
    Snapshot(String),
    #[error("{}", t!("history.index", path = .path.display(), source = .source))]
    Index {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", t!("history.list", path = .path.display(), source = .source))]
    List {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// `<data dir>/snapshots`.
pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("snapshots")
}

/// Saves a scan into the history with the score its report shows, and returns the
/// snapshot's path.
pub fn save(
    data_dir: &Path,
    snapshot: &AccountSnapshot,
    report: &Report,
) -> Result<PathBuf, HistoryError> {
    let dir = folder(data_dir);
    std::fs::create_dir_all(&dir).map_err(|source| HistoryError::Folder {
        path: dir.clone(),
        source,
    })?;
    let file = format!(
        "{}-{}.json",
        file_name_of(&snapshot.account.id),
        snapshot.collected_at.format(STAMP_MS)
    );
    let path = dir.join(&file);
    snapshot
        .save(&path)
        .map_err(|e| HistoryError::Snapshot(e.to_string()))?;
    let line = Recorded {
        file,
        account: snapshot.account.id.clone(),
        collected_at: snapshot.collected_at,
        score: report.score.overall,
        strict_score: (report.score.accepted > 0)
            .then_some(report.score.strict)
            .flatten(),
        failing_items: report
            .items
            .iter()
            .filter(|i| i.status.is_failing())
            .count(),
        checklist_version: report.checklist_version.clone(),
    };
    let index = dir.join(INDEX);
    let mut text = serde_json::to_string(&line).map_err(|e| HistoryError::Index {
        path: index.clone(),
        source: std::io::Error::other(e),
    })?;
    text.push('\n');
    // One short append per scan: the window and the CLI may both add lines.
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&index)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|source| HistoryError::Index {
            path: index,
            source,
        })?;
    Ok(path)
}

/// When a history file name says its scan was collected, if it is a scan of `stem`.
fn stamp_of(name: &str, stem: &str) -> Option<DateTime<Utc>> {
    let rest = name.strip_prefix(stem)?.strip_prefix('-')?;
    let stamp = rest.strip_suffix(".json")?;
    NaiveDateTime::parse_from_str(stamp, STAMP_MS)
        .or_else(|_| NaiveDateTime::parse_from_str(stamp, STAMP_S))
        .ok()
        .map(|t| t.and_utc())
}

/// The index's lines; a damaged line (a crash mid-append) is skipped, not fatal.
fn recorded(dir: &Path) -> Vec<Recorded> {
    std::fs::read_to_string(dir.join(INDEX))
        .map(|text| {
            text.lines()
                .filter_map(|l| serde_json::from_str::<Recorded>(l).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The saved scans of one account, oldest first. No folder yet is an empty history.
pub fn list(data_dir: &Path, account: &str) -> Result<Vec<Saved>, HistoryError> {
    let dir = folder(data_dir);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(HistoryError::List { path: dir, source }),
    };
    let stem = file_name_of(account);
    let index = recorded(&dir);
    let mut scans: Vec<Saved> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let collected_at = stamp_of(&name, &stem)?;
            // The last line about a file wins (a scan saved twice).
            let recorded = index
                .iter()
                .rev()
                .find(|r| r.file == name && r.account == account)
                .cloned();
            Some(Saved {
                path: entry.path(),
                // The name keeps milliseconds; the index the exact instant.
                collected_at: recorded.as_ref().map_or(collected_at, |r| r.collected_at),
                recorded,
            })
        })
        .collect();
    scans.sort_by(|a, b| (a.collected_at, &a.path).cmp(&(b.collected_at, &b.path)));
    Ok(scans)
}

/// The accounts with saved scans (from the index and the file names), sorted.
pub fn accounts(data_dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = recorded(&folder(data_dir))
        .into_iter()
        .map(|r| r.account)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Whether a saved scan was collected before `instant`. A file name keeps only
/// milliseconds, so a scan is never "before" itself.
pub fn is_before(saved: &Saved, instant: DateTime<Utc>) -> bool {
    let ms = DateTime::from_timestamp_millis(instant.timestamp_millis()).unwrap_or(instant);
    saved.collected_at < ms
}

/// The latest scan saved before `before`: what "since the last scan" compares with.
pub fn previous(
    data_dir: &Path,
    account: &str,
    before: DateTime<Utc>,
) -> Result<Option<Saved>, HistoryError> {
    Ok(list(data_dir, account)?
        .into_iter()
        .rfind(|s| is_before(s, before)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_of_both_precisions_parse_and_other_accounts_do_not() {
        let ms = stamp_of("123-20261201T101112345Z.json", "123");
        assert_eq!(
            ms.map(|t| t.to_rfc3339()),
            Some("2026-12-01T10:11:12.345+00:00".to_string())
        );
        assert!(stamp_of("123-20261201T101112Z.json", "123").is_some());
        assert!(stamp_of("1234-20261201T101112Z.json", "123").is_none());
        assert!(stamp_of("123-20261201T101112Z.json.tmp", "123").is_none());
        assert!(stamp_of("history.jsonl", "123").is_none());
    }

    #[test]
    fn a_scan_is_not_the_scan_before_itself() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut snapshot = crate::demo::snapshot().expect("the demo loads");
        // A live scan's instant has nanoseconds; the file name keeps milliseconds.
        snapshot.collected_at += chrono::Duration::nanoseconds(123_456_789);
        let checklist = crate::checklist::load_builtin().expect("the checklist loads");
        let report = crate::evaluate(
            &checklist,
            &snapshot,
            &crate::answers::Answers::default(),
            snapshot.collected_at,
        );
        save(dir.path(), &snapshot, &report).expect("saves");
        let id = &snapshot.account.id;
        assert_eq!(list(dir.path(), id).map(|l| l.len()).ok(), Some(1));
        assert!(
            previous(dir.path(), id, snapshot.collected_at)
                .expect("lists")
                .is_none()
        );
        // Without its index line, the name alone still does not make it earlier.
        std::fs::remove_file(folder(dir.path()).join(INDEX)).expect("removes");
        assert!(
            previous(dir.path(), id, snapshot.collected_at)
                .expect("lists")
                .is_none()
        );
        let later = snapshot.collected_at + chrono::Duration::milliseconds(1);
        assert!(previous(dir.path(), id, later).expect("lists").is_some());
    }
}
