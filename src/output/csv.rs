//! CSV: one row per finding (item, title, severity, item status, finding status,
//! region, resource, observed, reason, muted-until), RFC 4180 (every field quoted,
//! quotes doubled, CRLF line ends). Everything is untrusted text: a cell a spreadsheet
//! would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return) is prefixed with an apostrophe, as OWASP's CSV-injection advice says.

use std::borrow::Cow;

use crate::t;

use crate::report::Report;

/// The header row's fields in English, which double as column ids. The row written
/// follows the language in use ([`header`]); the status columns stay ids in every
/// language.
pub const HEADER: [&str; 10] = [
    "item",
    "title",
    "severity",
    "item_status",
    "finding_status",
    "region",
    "resource",
    "observed",
    "reason",
    "muted_until",
];

/// The header row in the language in use ([`HEADER`] in English).
pub fn header() -> [Cow<'static, str>; 10] {
    [
        t!("csv.item"),
        t!("csv.title"),
        t!("csv.severity"),
        t!("csv.item_status"),
        t!("csv.finding_status"),
        t!("csv.region"),
        t!("csv.resource"),
        t!("csv.observed"),
        t!("csv.reason"),
        t!("csv.muted_until"),
    ]
}

/// One cell: formula-neutralised, then quoted.
pub fn cell(value: &str) -> String {
    let neutral = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    format!("\"{}\"", neutral.replace('"', "\"\""))
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let row = |fields: &[&str], out: &mut String| {
        let cells: Vec<String> = fields.iter().map(|f| cell(f)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    let header = header();
    row(&header.each_ref().map(|h| &**h), &mut out);
    for item in &report.items {
        if item.findings.is_empty() {
            row(
                &[
                    &item.id,
                    &item.title,
                    item.severity.id(),
                    item.status.id(),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ],
                &mut out,
            );
        }
        for f in &item.findings {
            row(
                &[
                    &item.id,
                    &item.title,
                    item.severity.id(),
                    item.status.id(),
                    f.status.id(),
                    &f.region,
                    &f.resource,
                    &f.evidence,
                    &f.reason_with_acceptance(),
                    f.accepted
                        .as_ref()
                        .filter(|a| !a.expired)
                        .map_or("", |a| a.until.as_str()),
                ],
                &mut out,
            );
        }
    }
    out
}
