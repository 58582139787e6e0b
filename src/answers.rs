//! The user's answers to answerable items (practice items and the like). One format,
//! TOML or JSON by file extension, shared by the CLI's `--answers` and the window.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YesNo {
    Yes,
    No,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub answer: YesNo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The day the answer was given, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// The account the answers belong to, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Item id -> answer. An item without an entry is not answered.
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    /// Fire drills: route class (`security`, `alarms`, `cost`) -> route (a region, a
    /// topic ARN or an address) -> what the person said after the test went out.
    /// `[drills.alarms."arn:aws:sns:us-east-1:123456789012:alerts"]` in TOML.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub drills: BTreeMap<String, BTreeMap<String, Drill>>,
    /// Risks the user accepted (`[[accepted]]` in TOML): see [`crate::accepted`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<crate::accepted::Acceptance>,
}

/// The record of one fire drill: did the test alert reach a person?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drill {
    /// Whether it reached someone.
    pub answer: YesNo,
    /// Who it reached (or who checked), in the person's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    /// The day of the drill, `YYYY-MM-DD`.
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The route classes a drill can test.
pub const DRILL_CLASSES: [&str; 3] = ["security", "alarms", "cost"];

#[derive(Debug, thiserror::Error)]
pub enum AnswersError {
    #[error("{}", t!("answers.io", path = .path, source = .source))]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{}", t!("answers.parse", path = .path, message = .message))]
    Parse { path: String, message: String },
    #[error("{}", t!("answers.encode", error = .0))]
    Encode(String),
}

/// `YYYY-MM-DD` with zero-padded fields, naming a day that exists.
fn is_iso_date(text: &str) -> bool {
    let shape = text.len() == 10
        && text.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    shape && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

impl Answers {
    /// Records one drill answer for each (class, route), dated `date`; a route's
    /// earlier record is replaced (the latest drill is the one that counts).
    pub fn record_drills(
        &mut self,
        routes: &[(String, String)],
        answer: YesNo,
        who: Option<String>,
        note: Option<String>,
        date: &str,
    ) {
        for (class, route) in routes {
            self.drills.entry(class.clone()).or_default().insert(
                route.clone(),
                Drill {
                    answer,
                    who: who.clone(),
                    date: date.to_string(),
                    note: note.clone(),
                },
            );
        }
    }

    pub fn parse(text: &str, json: bool, name: &str) -> Result<Self, AnswersError> {
        let parsed = if json {
            serde_json::from_str(text).map_err(|e| e.to_string())
        } else {
            toml::from_str(text).map_err(|e| e.to_string())
        };
        let answers: Answers = parsed.map_err(|message| AnswersError::Parse {
            path: name.to_string(),
            message,
        })?;
        answers.check_dates(name)?;
        Ok(answers)
    }

    /// Every `date` is a real day written `YYYY-MM-DD`, and drills name a known class.
    fn check_dates(&self, name: &str) -> Result<(), AnswersError> {
        for (class, routes) in &self.drills {
            if !DRILL_CLASSES.contains(&class.as_str()) {
                return Err(AnswersError::Parse {
                    path: name.to_string(),
                    message: t!(
                        "answers.drill_class",
                        class = class,
                        classes = DRILL_CLASSES.join(", ")
                    )
                    .into_owned(),
                });
            }
            for (route, drill) in routes {
                if !is_iso_date(&drill.date) {
                    return Err(AnswersError::Parse {
                        path: name.to_string(),
                        message: t!(
                            "answers.drill_date",
                            class = class,
                            route = format!("{route:?}"),
                            date = format!("{:?}", drill.date)
                        )
                        .into_owned(),
                    });
                }
            }
        }
        for (n, a) in self.accepted.iter().enumerate() {
            if let Some(problem) = a.problem() {
                return Err(AnswersError::Parse {
                    path: name.to_string(),
                    message: t!(
                        "answers.accepted_problem",
                        n = n + 1,
                        item = a.item,
                        problem = problem
                    )
                    .into_owned(),
                });
            }
        }
        for (id, answer) in &self.answers {
            if let Some(date) = &answer.date
                && !is_iso_date(date)
            {
                return Err(AnswersError::Parse {
                    path: name.to_string(),
                    message: t!("answers.answer_date", id = id, date = format!("{date:?}"))
                        .into_owned(),
                });
            }
        }
        Ok(())
    }

    pub fn load(path: &Path) -> Result<Self, AnswersError> {
        let text = std::fs::read_to_string(path).map_err(|source| AnswersError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, is_json(path), &path.display().to_string())
    }

    pub fn to_toml(&self) -> Result<String, AnswersError> {
        toml::to_string_pretty(self).map_err(|e| AnswersError::Encode(e.to_string()))
    }

    pub fn save(&self, path: &Path) -> Result<(), AnswersError> {
        let text = if is_json(path) {
            serde_json::to_string_pretty(self).map_err(|e| AnswersError::Encode(e.to_string()))?
        } else {
            self.to_toml()?
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| AnswersError::Io {
                path: parent.display().to_string(),
                source,
            })?;
        }
        std::fs::write(path, text).map_err(|source| AnswersError::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// Answer ids that name no item of the checklist (typos, removed items).
    pub fn unknown_ids<'a>(&'a self, checklist: &crate::checklist::Checklist) -> Vec<&'a str> {
        self.answers
            .keys()
            .filter(|id| checklist.item(id).is_none_or(|i| !i.answerable))
            .map(String::as_str)
            .collect()
    }
}

/// Answers live in `<data dir>/answers/<account id>.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerStore {
    pub data_dir: Option<PathBuf>,
}

impl AnswerStore {
    /// The user's XDG data dir (`~/.local/share/onwatch` on Linux).
    pub fn user() -> Self {
        AnswerStore {
            data_dir: directories::ProjectDirs::from("", "", "onwatch")
                .map(|d| d.data_dir().to_path_buf()),
        }
    }

    /// The answers file of an account.
    pub fn path_for(&self, account_id: &str) -> Option<PathBuf> {
        self.data_dir.as_ref().map(|d| {
            d.join("answers")
                .join(format!("{}.toml", file_name_of(account_id)))
        })
    }
}

/// An account id as a file name. The id comes from AWS or a file, so only safe
/// characters reach the file name.
pub fn file_name_of(account_id: &str) -> String {
    let safe: String = account_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if safe.is_empty() {
        "unknown".to_string()
    } else {
        safe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_days_in_iso_form() {
        assert!(is_iso_date("2026-11-02"));
        assert!(is_iso_date("2024-02-29"));
        for bad in [
            "2026-11-2",
            "02/11/2026",
            "2026-13-01",
            "2025-02-29",
            "yesterday",
            "2026-11-02T10:00",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
