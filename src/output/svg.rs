//! Inline SVG charts for the HTML report: the score, the categories, and a region x
//! item status grid. Every text that came from AWS or a user checklist is escaped.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write;

use crate::t;

use super::escape::html as esc;
use super::score_label;
use crate::checklist::Category;
use crate::report::{FindingStatus, Report};

/// The colour a score is drawn in: green from 80, amber from 50, red below.
fn score_colour(score: f64) -> &'static str {
    if score >= 80.0 {
        "#1a7f37"
    } else if score >= 50.0 {
        "#9a6700"
    } else {
        "#cf222e"
    }
}

/// A ring filled to the score, with the number in the middle.
pub fn score_ring(score: Option<f64>) -> String {
    const R: f64 = 52.0;
    let circumference = 2.0 * std::f64::consts::PI * R;
    let (dash, colour) = match score {
        Some(s) => (circumference * s.clamp(0.0, 100.0) / 100.0, score_colour(s)),
        None => (0.0, "#6e7781"),
    };
    format!(
        concat!(
            r##"<svg class="ring" viewBox="0 0 128 128" width="128" height="128" role="img" aria-label="{aria}">"##, // i18n: technical
            r##"<circle cx="64" cy="64" r="{r}" fill="none" stroke="#d0d7de" stroke-width="12"/>"##, // i18n: technical
            r##"<circle cx="64" cy="64" r="{r}" fill="none" stroke="{colour}" stroke-width="12" "##, // i18n: technical
            r##"stroke-dasharray="{dash:.1} {circumference:.1}" transform="rotate(-90 64 64)"/>"##, // i18n: technical
            r##"<text x="64" y="72" text-anchor="middle" font-size="26" font-weight="700">{label}</text>"##, // i18n: technical
            "</svg>"
        ),
        r = R,
        colour = colour,
        dash = dash,
        circumference = circumference,
        label = score_label(score),
        aria = esc(&t!("svg.score_aria", score = score_label(score))),
    )
}

/// One horizontal bar per category that has items, its length the category's score.
pub fn category_bars(report: &Report) -> String {
    let rows: Vec<(Category, Option<f64>)> = Category::ALL
        .iter()
        .filter(|c| report.items.iter().any(|i| i.category == **c))
        .map(|c| (*c, report.score.categories.get(c).and_then(|s| s.score)))
        .collect();
    let (label_w, bar_w, row_h) = (200.0, 300.0, 26.0);
    let height = row_h * rows.len() as f64 + 4.0;
    let width = label_w + bar_w + 60.0;
    let mut out = format!(
        r##"<svg class="bars" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{aria}">"##, // i18n: technical
        aria = esc(&t!("svg.bars_aria")),
    );
    for (n, (category, score)) in rows.iter().enumerate() {
        let y = n as f64 * row_h + 4.0;
        let _ = write!(
            out,
            r##"<text x="0" y="{ty}" font-size="13">{title}</text><rect x="{label_w}" y="{y}" width="{bar_w}" height="16" fill="#eaeef2"/>"##, // i18n: technical
            ty = y + 13.0,
            title = esc(&category.title()),
        );
        if let Some(s) = score {
            let _ = write!(
                out,
                r##"<rect x="{label_w}" y="{y}" width="{w:.1}" height="16" fill="{c}"/>"##, // i18n: technical
                w = bar_w * s.clamp(0.0, 100.0) / 100.0,
                c = score_colour(*s),
            );
        }
        let _ = write!(
            out,
            r##"<text x="{x}" y="{ty}" font-size="13">{v}</text>"##, // i18n: technical
            x = label_w + bar_w + 8.0,
            ty = y + 13.0,
            v = score_label(*score),
        );
    }
    out.push_str("</svg>");
    out
}

/// How a grid cell is drawn: the worst status among the item's findings there (its
/// colour, symbol and word).
fn cell(statuses: &[FindingStatus]) -> Option<(&'static str, &'static str, Cow<'static, str>)> {
    let has = |s| statuses.contains(&s);
    Some(if has(FindingStatus::Fail) {
        ("#cf222e", "\u{2717}", t!("svg.fail"))
    } else if has(FindingStatus::CouldNotCheck) {
        ("#8250df", "?", t!("svg.could_not_check"))
    } else if has(FindingStatus::ToAnswer) {
        ("#9a6700", "!", t!("svg.to_answer"))
    } else if has(FindingStatus::Pass) {
        ("#1a7f37", "\u{2713}", t!("svg.pass"))
    } else if has(FindingStatus::NotApplicable) {
        ("#d0d7de", "", t!("svg.not_applicable"))
    } else {
        return None;
    })
}

/// Rows: items with findings; columns: the scanned regions (and "global" when an item
/// has account-wide findings). Each cell carries its meaning as a symbol and a title,
/// not only a colour.
pub fn region_grid(report: &Report) -> String {
    let mut columns: Vec<String> = report.account.regions.clone();
    let any_global = report
        .items
        .iter()
        .flat_map(|i| &i.findings)
        .any(|f| !columns.contains(&f.region));
    if any_global {
        let mut extra: Vec<String> = report
            .items
            .iter()
            .flat_map(|i| &i.findings)
            .filter(|f| !columns.contains(&f.region))
            .map(|f| f.region.clone())
            .collect();
        extra.sort();
        extra.dedup();
        columns.extend(extra);
    }
    let rows: Vec<_> = report
        .items
        .iter()
        .filter(|i| !i.findings.is_empty())
        .collect();
    let (label_w, cell_w, head_h) = (260.0, 20.0, 96.0);
    let width = label_w + cell_w * columns.len() as f64 + 8.0;
    let height = head_h + cell_w * rows.len() as f64 + 4.0;
    let mut out = format!(
        r##"<svg class="grid" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{aria}">"##, // i18n: technical
        aria = esc(&t!("svg.grid_aria")),
    );
    for (n, region) in columns.iter().enumerate() {
        let x = label_w + cell_w * n as f64 + 14.0;
        let _ = write!(
            out,
            r##"<text x="{x}" y="{y}" font-size="11" transform="rotate(-60 {x} {y})">{r}</text>"##, // i18n: technical
            y = head_h - 6.0,
            r = esc(region),
        );
    }
    for (row, item) in rows.iter().enumerate() {
        let y = head_h + cell_w * row as f64;
        let _ = write!(
            out,
            r##"<text x="0" y="{ty}" font-size="11"><title>{t}</title>{id}</text>"##, // i18n: technical
            ty = y + 14.0,
            t = esc(&item.title),
            id = esc(&item.id),
        );
        let mut by_region: BTreeMap<&str, Vec<FindingStatus>> = BTreeMap::new();
        for f in &item.findings {
            by_region.entry(&f.region).or_default().push(f.status);
        }
        for (n, region) in columns.iter().enumerate() {
            let Some((fill, symbol, word)) = by_region.get(region.as_str()).and_then(|s| cell(s))
            else {
                continue;
            };
            let x = label_w + cell_w * n as f64;
            let _ = write!(
                out,
                r##"<g><title>{title}</title><rect x="{x}" y="{y}" width="18" height="18" rx="3" fill="{fill}"/><text x="{tx}" y="{ty}" font-size="12" fill="#fff" text-anchor="middle">{symbol}</text></g>"##, // i18n: technical
                title = esc(&t!(
                    "svg.cell_title",
                    id = item.id,
                    region = region,
                    status = word
                )),
                tx = x + 9.0,
                ty = y + 13.5,
            );
        }
    }
    out.push_str("</svg>");
    out
}
