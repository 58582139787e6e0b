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

use serde::{Deserialize, Serialize};

use crate::checklist::Checklist;
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
    #[error("could not encode the report: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Lens(String),
    #[error("{0}")]
    Pdf(String),
    #[error("a PDF is not text: write it to a file (--output report.pdf)")]
    Binary,
}

/// Renders a report as the bytes of a file in a format (any format, PDF included).
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
    match report.score.accepted {
        0 => String::new(),
        n => format!(
            ", strict score {} with {n} accepted risk{} counted as failing",
            score_label(report.score.strict),
            if n == 1 { "" } else { "s" }
        ),
    }
}

/// "72.5" or "n/a" when nothing could be scored.
pub fn score_label(score: Option<f64>) -> String {
    score.map_or_else(|| "n/a".to_string(), |s| format!("{s:.1}"))
}

/// "83%", or "n/a" when there is nothing to cover (every item not applicable).
pub fn percent(coverage: Option<f64>) -> String {
    coverage.map_or_else(|| "n/a".to_string(), |c| format!("{:.0}%", c * 100.0))
}
