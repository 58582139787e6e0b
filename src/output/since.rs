//! "Since the last scan" in the human-readable reports: the score then and now, and
//! the findings fixed, new and changed (still failing is counted; the item sections
//! list them).

use std::fmt::Write;

use super::escape::{html as esc, markdown_cell as md, terminal};
use super::score_label;
use crate::report::Report;
use crate::report::diff::{Key, SinceLast};

/// "Since the last scan (2026-11-30 10:00 UTC): score 61.0 -> 72.5; 3 fixed, 1 new, 5
/// still failing, 0 changed".
pub fn line(since: &SinceLast) -> String {
    format!(
        "Since the last scan ({}): score {} -> {}; {}",
        since.collected_at.format("%Y-%m-%d %H:%M UTC"),
        score_label(since.diff.old_score),
        score_label(since.diff.new_score),
        since.diff.counts()
    )
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
        rows.push(("fixed".to_string(), title(key), key));
    }
    for key in &d.new {
        rows.push(("new".to_string(), title(key), key));
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
            "  {what:<8} {}  {}  {}",
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
    let _ = writeln!(out, "## Since the last scan\n\n{}\n", md(&line(since)));
    let rows = rows(since, report);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "| Change | Item | Resource | Region |\n|---|---|---|---|"
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
        "<h3 id=\"since\">Since the last scan</h3>\n<p>{}</p>",
        esc(&line(since))
    );
    let rows = rows(since, report);
    if rows.is_empty() {
        return;
    }
    out.push_str("<table><thead><tr><th>Change</th><th>Item</th><th>Resource</th><th>Region</th></tr></thead><tbody>\n");
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
