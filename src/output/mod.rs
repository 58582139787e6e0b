//! Report formatters. Everything that came from AWS is untrusted text: each formatter
//! escapes it for its medium.

pub mod csv;
pub mod escape;
pub mod html;
pub mod lens;
mod markdown;
pub mod pdf;
mod since;
mod svg;
mod text;

use std::borrow::Cow;

use crate::t;
use serde::{Deserialize, Serialize};

use crate::checklist::Checklist;
use crate::i18n::Lang;
use crate::report::Report;

pub use escape::{markdown_cell, terminal};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Text,
    Json,
    Markdown,
    /// One row per finding, for spreadsheets (RFC 4180, formulas neutralised).
    Csv,
    /// One self-contained HTML file (inline CSS and SVG charts), printable.
    Html,
    /// A custom lens to import in the AWS Well-Architected Tool (JSON, `.lens.json`).
    WaLens,
    /// A PDF document: cover, contents, summary, Well-Architected review, evidence.
    Pdf,
}

/// Why a report could not be written in a format.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{}", t!("output.encode_failed", error = .0))]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Lens(String),
    #[error("{0}")]
    Pdf(String),
    #[error("{}", t!("output.pdf_not_text"))]
    Binary,
}

/// Renders a report as the bytes of a file in a format (any format, PDF included).
/// Every format but JSON is for people: give it the report and checklist in their
/// language (evaluated with [`Checklist::localized`] under [`crate::i18n::current`]);
/// give JSON the report evaluated in English, which never changes with the language.
pub fn render_bytes(
    report: &Report,
    checklist: &Checklist,
    format: Format,
) -> Result<Vec<u8>, RenderError> {
    match format {
        Format::Pdf => pdf::render(report, checklist).map_err(RenderError::Pdf),
        text => render(report, checklist, text).map(String::into_bytes),
    }
}

/// Renders a report in a text format. The checklist supplies the why and the fix.
pub fn render(
    report: &Report,
    checklist: &Checklist,
    format: Format,
) -> Result<String, RenderError> {
    if format == Format::Json {
        return Ok(report.to_json()? + "\n");
    }
    Ok(match format {
        Format::Text => text::render(report),
        Format::Markdown => markdown::render(report, checklist),
        Format::Json => report.to_json()? + "\n",
        Format::Csv => csv::render(report),
        Format::Html => html::render(report, checklist),
        Format::WaLens => lens::render(checklist).map_err(RenderError::Lens)?,
        Format::Pdf => return Err(RenderError::Binary),
    })
}

/// ", strict score 61.0 with 3 accepted risks counted as failing", or nothing when no
/// risk is accepted.
pub fn accepted_note(report: &Report) -> String {
    let score = score_label(report.score.strict);
    match report.score.accepted {
        0 => String::new(),
        1 => t!("output.accepted_note_one", score = score, n = 1).into_owned(),
        n => t!("output.accepted_note_other", score = score, n = n).into_owned(),
    }
}

/// "72.5" or "n/a" when nothing could be scored.
pub fn score_label(score: Option<f64>) -> String {
    score.map_or_else(
        || t!("output.not_available").into_owned(),
        |s| format!("{s:.1}"),
    )
}

/// "83%", or "n/a" when there is nothing to cover (every item not applicable).
pub fn percent(coverage: Option<f64>) -> String {
    coverage.map_or_else(
        || t!("output.not_available").into_owned(),
        |c| format!("{:.0}%", c * 100.0),
    )
}

/// A status id where the English reports have always shown one ("could_not_check"),
/// the status in words in the other languages.
pub(crate) fn status_word(id: &'static str, label: Cow<'static, str>) -> Cow<'static, str> {
    match crate::i18n::current() {
        Lang::En => Cow::Borrowed(id),
        Lang::Ja => label,
    }
}

/// How many terminal columns a text takes: East Asian wide characters (kana, kanji,
/// full-width forms) take two, everything else one, as `{:<n}` counts it.
pub(crate) fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| {
            let wide = matches!(
                u32::from(c),
                0x1100..=0x115F
                    | 0x2E80..=0x303E
                    | 0x3041..=0x33FF
                    | 0x3400..=0x4DBF
                    | 0x4E00..=0x9FFF
                    | 0xA000..=0xA4CF
                    | 0xAC00..=0xD7A3
                    | 0xF900..=0xFAFF
                    | 0xFE30..=0xFE4F
                    | 0xFF00..=0xFF60
                    | 0xFFE0..=0xFFE6
                    | 0x20000..=0x3FFFD
            );
            if wide { 2 } else { 1 }
        })
        .sum()
}

/// `text` then spaces up to `width` columns (`{:<width}` that knows wide characters).
pub(crate) fn pad_end(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(columns(text))))
}

/// Spaces then `text` up to `width` columns (`{:>width}` that knows wide characters).
pub(crate) fn pad_start(text: &str, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(columns(text))))
}
