//! "Since the last scan" in the human-readable reports: the score then and now, and
//! the findings fixed, new and changed (still failing is counted; the item sections
//! list them).

use std::fmt::Write;

use crate::t;

use super::escape::{html as esc, markdown_cell as md, terminal};
use super::score_label;
use crate::report::Report;
use crate::report::diff::{Key, SinceLast};

/// "Since the last scan (2026-11-30 10:00 UTC): score 61.0 -> 72.5; 3 fixed, 1 new, 5
/// still failing, 0 changed".
pub fn line(since: &SinceLast) -> String {
    t!(
        "since.line",
        at = crate::i18n::datetime_utc(since.collected_at),
        old = score_label(since.diff.old_score),
        new = score_label(since.diff.new_score),
        counts = since.diff.counts()
    )
    .into_owned()
}

/// The changes, one row each: what happened, the item's title, resource, region.
pub(super) fn rows<'a>(
    since: &'a SinceLast,
    report: &'a Report,
) -> Vec<(String, &'a str, &'a Key)> {
    let title = |key: &'a Key| {
        report
            .item(&key.item)
            .map_or(key.item.as_str(), |i| i.title.as_str())
    };
    let d = &since.diff;
    let mut rows = Vec::new();
    for key in &d.fixed {
        rows.push((t!("since.fixed").into_owned(), title(key), key));
    }
    for key in &d.new {
        rows.push((t!("since.new").into_owned(), title(key), key));
    }
    for (key, was, now) in &d.changed {
        rows.push((
            format!("{} -> {}", was.label(), now.label()),
            title(key),
            key,
        ));
    }
    rows
}

pub fn text(out: &mut String, report: &Report) {
    let Some(since) = &report.since_last else {
        return;
    };
    let _ = writeln!(out, "{}", terminal(&line(since)));
    for (what, title, key) in rows(since, report) {
        let _ = writeln!(
            out,
            "  {} {}  {}  {}",
            super::pad_end(&what, 8),
            terminal(title),
            terminal(&key.resource),
            terminal(&key.region)
        );
    }
    out.push('\n');
}

pub fn markdown(out: &mut String, report: &Report) {
    let Some(since) = &report.since_last else {
        return;
    };
    let _ = writeln!(out, "## {}\n\n{}\n", t!("since.heading"), md(&line(since)));
    let rows = rows(since, report);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |\n|---|---|---|---|",
        t!("output.col_change"),
        t!("output.col_item"),
        t!("output.col_resource"),
        t!("output.col_region")
    );
    for (what, title, key) in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            md(&what),
            md(title),
            md(&key.resource),
            md(&key.region)
        );
    }
    out.push('\n');
}

pub fn html(out: &mut String, report: &Report) {
    let Some(since) = &report.since_last else {
        return;
    };
    let _ = writeln!(
        out,
        "<h3 id=\"since\">{}</h3>\n<p>{}</p>", // i18n: technical
        esc(&t!("since.heading")),
        esc(&line(since))
    );
    let rows = rows(since, report);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(&t!("output.col_change")),
        esc(&t!("output.col_item")),
        esc(&t!("output.col_resource")),
        esc(&t!("output.col_region"))
    );
    for (what, title, key) in rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&what),
            esc(title),
            esc(&key.resource),
            esc(&key.region)
        );
    }
    out.push_str("</tbody></table>\n");
}
