//! One self-contained HTML file for a Well-Architected reviewer: inline CSS and SVG,
//! no script, no external resource (a Content-Security-Policy says so to the browser,
//! so even text that escaped escaping could not run or fetch anything), printable
//! (each section starts a page; table headers repeat).
//!
//! Everything from AWS, the answers or a user checklist goes through [`esc`]; links
//! are kept only when they are web addresses.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write;

use crate::t;

use super::escape::{html as esc, web_href};
use super::{percent, score_label, svg};
use crate::checklist::{Category, Checklist};
use crate::report::{AcceptedRisk, FindingStatus, ItemReport, ItemStatus, Report};

const CSS: &str = include_str!("../../assets/report.css");

/// The framework's pillars in its order, by English name (what [`pillar`] returns and
/// [`practices_by_pillar`] groups by; [`pillar_title`] gives the name to show).
const PILLARS: [&str; 7] = [
    "Operational excellence", // i18n: technical (a key; shown through pillar_title)
    "Security",               // i18n: technical (a key; shown through pillar_title)
    "Reliability",            // i18n: technical (a key; shown through pillar_title)
    "Performance efficiency", // i18n: technical (a key; shown through pillar_title)
    "Cost optimization",      // i18n: technical (a key; shown through pillar_title)
    "Sustainability",         // i18n: technical (a key; shown through pillar_title)
    "Other",                  // i18n: technical (a key; shown through pillar_title)
];

/// The Well-Architected pillar a best-practice id belongs to ("OPS08-BP04" -> OPS), by
/// its English name, which stays the same in every language (show it with
/// [`pillar_title`]).
pub fn pillar(practice: &str) -> &'static str {
    let prefix: String = practice
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let n = match prefix.as_str() {
        "OPS" => 0,
        "SEC" => 1,
        "REL" => 2,
        "PERF" => 3,
        "COST" => 4,
        "SUS" => 5,
        _ => 6,
    };
    PILLARS[n]
}

/// A pillar's name (as [`pillar`] gives it) in the language in use.
pub fn pillar_title(name: &str) -> Cow<'static, str> {
    match PILLARS.iter().position(|p| *p == name) {
        Some(0) => t!("html.pillar_ops"),
        Some(1) => t!("html.pillar_sec"),
        Some(2) => t!("html.pillar_rel"),
        Some(3) => t!("html.pillar_perf"),
        Some(4) => t!("html.pillar_cost"),
        Some(5) => t!("html.pillar_sus"),
        _ => t!("html.pillar_other"),
    }
}

/// A catalogue text with markup in it: the text is escaped like any other, then each
/// `%{name}` placeholder is replaced by its (already safe) markup, in one pass, so
/// nothing a value brings is read as a placeholder.
fn with_markup(text: &str, markup: &[(&str, &str)]) -> String {
    let text = esc(text);
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text.as_str();
    while let Some(start) = rest.find("%{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let found = after.find('}').and_then(|end| {
            let name = &after[..end];
            markup
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, m)| (end, *m))
        });
        match found {
            Some((end, m)) => {
                out.push_str(m);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str("%{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn badge(status: ItemStatus) -> String {
    format!(
        r#"<span class="badge s-{}">{}</span>"#, // i18n: technical
        status.id(),
        esc(&status.label())
    )
}

fn finding_badge(status: FindingStatus) -> String {
    format!(
        r#"<span class="badge s-{}">{}</span>"#, // i18n: technical
        status.id(),
        esc(&status.label())
    )
}

fn anchor(category: Category) -> String {
    format!("cat-{}", category.id())
}

/// An id safe in an `id` attribute and a fragment: item ids from a user checklist are
/// reduced to letters, digits and dashes.
fn item_anchor(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("item-{safe}")
}

pub fn render(report: &Report, checklist: &Checklist) -> String {
    let mut out = String::with_capacity(64 * 1024 + report.items.len() * 4096);
    let account = report.account.name();
    let _ = write!(
        out,
        concat!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n", // i18n: technical
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", // i18n: technical
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n", // i18n: technical
            "<meta name=\"generator\" content=\"onwatch {version}\">\n", // i18n: technical
            "<title>{title}</title>\n<style>\n{css}</style>\n</head>\n<body>\n"
        ),
        lang = crate::i18n::current().code(),
        version = env!("CARGO_PKG_VERSION"),
        title = esc(&t!("html.title", account = account)),
        css = CSS,
    );
    cover(&mut out, report, &account);
    contents(&mut out, report);
    summary(&mut out, report);
    let _ = write!(
        out,
        concat!(
            "<section class=\"page\" id=\"regions\">\n<h2>{heading}</h2>\n", // i18n: technical
            "<p class=\"legend\"><span>\u{2713} {pass}</span><span>\u{2717} {fail}</span>", // i18n: technical
            "<span>? {could_not_check}</span><span>! {to_answer}</span><span>{grey}</span></p>\n", // i18n: technical
            "<div class=\"grid-wrap\">{grid}</div>\n</section>\n" // i18n: technical
        ),
        heading = esc(&t!("html.status_by_region")),
        pass = esc(&t!("svg.pass")),
        fail = esc(&t!("svg.fail")),
        could_not_check = esc(&t!("svg.could_not_check")),
        to_answer = esc(&t!("svg.to_answer")),
        grey = esc(&t!("html.legend_grey")),
        grid = svg::region_grid(report)
    );
    well_architected(&mut out, report, checklist);
    for category in Category::ALL {
        let items = report.items_in(category);
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<section class=\"page\" id=\"{}\">\n<h2>{}</h2>", // i18n: technical
            anchor(category),
            esc(&category.title())
        );
        for item in items {
            item_section(&mut out, item, checklist);
        }
        out.push_str("</section>\n");
    }
    let _ = writeln!(
        out,
        "<footer class=\"muted\"><p>{}</p></footer>\n</body>\n</html>", // i18n: technical
        esc(&t!(
            "html.generated",
            version = env!("CARGO_PKG_VERSION"),
            at = crate::i18n::datetime_utc(report.generated_at)
        ))
    );
    out
}

fn cover(out: &mut String, report: &Report, account: &str) {
    let _ = write!(
        out,
        concat!(
            "<header class=\"cover\">\n<h1>{heading}</h1>\n", // i18n: technical
            "<p>{account}</p>\n<dl>\n",
            "<dt>{collected_label}</dt><dd>{collected}</dd>\n",
            "<dt>{regions_label}</dt><dd>{regions}</dd>\n",
            "<dt>{checklist_label}</dt><dd>onwatch {checklist}</dd>\n", // i18n: technical
            "<dt>{framework_label}</dt><dd>{wa}</dd>\n",
            "</dl>\n</header>\n"
        ),
        heading = esc(&t!("html.cover_title")),
        account = esc(&t!("html.cover_account", account = account)),
        collected_label = esc(&t!("html.collected")),
        regions_label = esc(&t!("html.regions")),
        checklist_label = esc(&t!("html.checklist")),
        framework_label = esc(&t!("html.framework")),
        collected = crate::i18n::datetime_utc(report.collected_at),
        regions = esc(&report.account.regions.join(", ")),
        checklist = esc(&report.checklist_version),
        wa = esc(&report.well_architected_version),
    );
}

fn contents(out: &mut String, report: &Report) {
    let _ = write!(
        out,
        concat!(
            "<nav>\n<h2>{}</h2>\n<ol>\n<li><a href=\"#summary\">{}</a></li>\n", // i18n: technical
            "<li><a href=\"#regions\">{}</a></li>\n",                           // i18n: technical
            "<li><a href=\"#well-architected\">{}</a></li>\n"                   // i18n: technical
        ),
        esc(&t!("html.contents")),
        esc(&t!("html.summary")),
        esc(&t!("html.status_by_region")),
        esc(&t!("html.well_architected_review")),
    );
    for category in Category::ALL {
        if report.items.iter().any(|i| i.category == category) {
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\">{}</a></li>", // i18n: technical
                anchor(category),
                esc(&category.title())
            );
        }
    }
    out.push_str("</ol>\n</nav>\n");
}

fn summary(out: &mut String, report: &Report) {
    let _ = write!(
        out,
        "<section id=\"summary\">\n<h2>{}</h2>\n<div class=\"summary\">\n{}\n<div>\n<p><strong>{}</strong>{}</p>\n<table class=\"counts\"><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>\n", // i18n: technical
        esc(&t!("html.summary")),
        svg::score_ring(report.score.overall),
        esc(&t!("html.score", score = score_label(report.score.overall))),
        esc(&t!(
            "html.coverage",
            coverage = percent(report.score.coverage),
            aws = percent(report.score.aws_coverage),
            accepted = super::accepted_note(report)
        )),
        esc(&t!("html.status")),
        esc(&t!("html.items")),
    );
    for (status, n) in report.status_counts() {
        let _ = writeln!(out, "<tr><td>{}</td><td>{n}</td></tr>", badge(status));
    }
    let _ = write!(
        out,
        "</tbody></table>\n</div>\n{}\n</div>\n",
        svg::category_bars(report)
    );
    let failing: Vec<_> = report
        .items
        .iter()
        .filter(|i| i.status.is_failing())
        .collect();
    if !failing.is_empty() {
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            esc(&t!("html.to_fix_first")),
            esc(&t!("html.item")),
            esc(&t!("html.severity")),
            esc(&t!("html.status")),
        );
        let mut failing = failing;
        failing.sort_by_key(|i| std::cmp::Reverse(i.severity));
        for item in failing {
            let _ = writeln!(
                out,
                "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td></tr>", // i18n: technical
                item_anchor(&item.id),
                esc(&item.title),
                esc(&item.severity.label()),
                badge(item.status)
            );
        }
        out.push_str("</tbody></table>\n");
    }
    super::since::html(out, report);
    accepted_risks(out, report);
    out.push_str("</section>\n");
}

/// Every acceptance the report holds, holding or expired (what a reviewer asks about):
/// the item, the resource ("(the whole item)" or "name (region)") and the acceptance.
pub(super) fn accepted_rows(report: &Report) -> Vec<(&ItemReport, String, &AcceptedRisk)> {
    let mut rows = Vec::new();
    for item in &report.items {
        if let Some(a) = item.accepted.as_ref().filter(|_| item.findings.is_empty()) {
            rows.push((item, t!("html.whole_item").into_owned(), a));
        }
        for f in &item.findings {
            if let Some(a) = &f.accepted {
                rows.push((item, format!("{} ({})", f.resource, f.region), a));
            }
        }
    }
    rows
}

fn accepted_risks(out: &mut String, report: &Report) {
    let rows = accepted_rows(report);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<h3 id=\"accepted\">{}</h3>\n<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>", // i18n: technical
        esc(&t!("html.accepted_risks")),
        esc(&t!("html.item")),
        esc(&t!("html.resource")),
        esc(&t!("html.reason")),
        esc(&t!("html.by")),
        esc(&t!("html.accepted")),
        esc(&t!("html.until")),
    );
    for (item, resource, a) in rows {
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>", // i18n: technical
            item_anchor(&item.id),
            esc(&item.title),
            esc(&resource),
            esc(&a.reason),
            esc(&a.by),
            esc(&a.date),
            esc(&a.until),
            if a.expired {
                esc(&t!("html.ended"))
            } else {
                String::new()
            }
        );
    }
    out.push_str("</tbody></table>\n");
}

/// The worst status among items: what a reviewer should read a best practice as.
pub(super) fn worst(statuses: impl Iterator<Item = ItemStatus>) -> Option<ItemStatus> {
    let rank = |s: ItemStatus| match s {
        ItemStatus::Fail | ItemStatus::AnsweredNo => 0,
        ItemStatus::Partial => 1,
        ItemStatus::CouldNotCheck => 2,
        ItemStatus::NotAnswered => 3,
        ItemStatus::Pass | ItemStatus::AnsweredYes => 4,
        ItemStatus::Accepted => 5,
        ItemStatus::NotApplicable => 6,
    };
    let worst = statuses.min_by_key(|s| rank(*s))?;
    // A best practice is not a question: an answer reads as pass or fail.
    Some(match worst {
        ItemStatus::AnsweredNo => ItemStatus::Fail,
        ItemStatus::AnsweredYes => ItemStatus::Pass,
        s => s,
    })
}

/// The framework's pillars in its order, each with its best practices (sorted by id)
/// and the items that cite them.
pub(super) type Practices<'a> = Vec<(&'static str, Vec<(&'a str, Vec<&'a ItemReport>)>)>;

pub(super) fn practices_by_pillar<'a>(
    report: &'a Report,
    checklist: &'a Checklist,
) -> Practices<'a> {
    let mut by_practice: BTreeMap<&str, Vec<&ItemReport>> = BTreeMap::new();
    for item in &report.items {
        if let Some(def) = checklist.item(&item.id) {
            for bp in &def.well_architected {
                by_practice.entry(bp.as_str()).or_default().push(item);
            }
        }
    }
    let mut pillars: BTreeMap<&str, Vec<(&str, Vec<&ItemReport>)>> = BTreeMap::new();
    for (bp, items) in by_practice {
        pillars.entry(pillar(bp)).or_default().push((bp, items));
    }
    PILLARS
        .into_iter()
        .filter_map(|name| pillars.remove(name).map(|p| (name, p)))
        .collect()
}

/// Pillar -> best practice -> the items that cite it, with the framework version.
fn well_architected(out: &mut String, report: &Report, checklist: &Checklist) {
    let _ = writeln!(
        out,
        "<section class=\"page\" id=\"well-architected\">\n<h2>{}</h2>\n<p>{}</p>", // i18n: technical
        esc(&t!("html.well_architected_review")),
        esc(&t!(
            "html.well_architected_intro",
            framework = report.well_architected_version
        ))
    );
    for (name, practices) in practices_by_pillar(report, checklist) {
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            esc(&pillar_title(name)),
            esc(&t!("html.best_practice")),
            esc(&t!("html.reads_as")),
            esc(&t!("html.onwatch_items")),
        );
        for (bp, items) in practices {
            let title = checklist.practices.get(bp).map(String::as_str);
            let items_html: Vec<String> = items
                .iter()
                .map(|i| {
                    format!(
                        "<a href=\"#{}\">{}</a> {}", // i18n: technical
                        item_anchor(&i.id),
                        esc(&i.title),
                        badge(i.status)
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "<tr><td><strong>{}</strong> {}</td><td>{}</td><td>{}</td></tr>", // i18n: technical
                esc(bp),
                esc(title.unwrap_or("")),
                worst(items.iter().map(|i| i.status)).map_or_else(String::new, badge),
                items_html.join("<br>")
            );
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");
}

fn item_section(out: &mut String, item: &ItemReport, checklist: &Checklist) {
    let class = if item.status.is_failing() {
        "item failing" // i18n: technical (CSS classes)
    } else if item.status.is_undecided() {
        "item undecided" // i18n: technical (CSS classes)
    } else {
        "item"
    };
    let _ = writeln!(
        out,
        "<article class=\"{class}\" id=\"{}\">\n<h3>{} {}</h3>\n<p class=\"sev\">{} &middot; <code>{}</code></p>", // i18n: technical
        item_anchor(&item.id),
        esc(&item.title),
        badge(item.status),
        esc(&t!("html.item_severity", severity = item.severity.label())),
        esc(&item.id),
    );
    let def = checklist.item(&item.id);
    if let Some(def) = def {
        let _ = writeln!(out, "<p>{}</p>", esc(def.why.trim()));
    }
    if let Some(a) = &item.accepted {
        let _ = writeln!(out, "<p><strong>{}</strong></p>", esc(&a.describe()));
    }
    if let Some(answer) = &item.answer {
        let _ = writeln!(
            out,
            "<p>{} <strong>{}</strong>{}{}</p>", // i18n: technical
            esc(&t!("html.answer")),
            esc(&if answer.answer {
                t!("html.yes")
            } else {
                t!("html.no")
            }),
            answer
                .date
                .as_deref()
                .map(|d| format!(" ({})", esc(d)))
                .unwrap_or_default(),
            answer
                .note
                .as_deref()
                .map(|n| format!(": {}", esc(n)))
                .unwrap_or_default()
        );
    }
    let shown: Vec<_> = item
        .findings
        .iter()
        .filter(|f| f.status != FindingStatus::NotApplicable)
        .collect();
    if !shown.is_empty() {
        let _ = writeln!(
            out,
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            esc(&t!("html.region")),
            esc(&t!("html.resource")),
            esc(&t!("html.status")),
            esc(&t!("html.evidence")),
            esc(&t!("html.reason")),
        );
        for f in shown {
            let text = f.reason_with_acceptance();
            let reason = match &f.missing_permission {
                Some(p) => {
                    let code = format!("<code>{}</code>", esc(p));
                    if text.is_empty() {
                        with_markup(&t!("html.needs"), &[("permission", &code)])
                    } else {
                        with_markup(
                            &t!("html.reason_needs"),
                            &[("reason", &esc(&text)), ("permission", &code)],
                        )
                    }
                }
                None => esc(&text),
            };
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&f.region),
                esc(&f.resource),
                finding_badge(f.status),
                esc(&f.evidence),
                reason
            );
        }
        out.push_str("</tbody></table>\n");
    }
    let Some(def) = def else {
        out.push_str("</article>\n");
        return;
    };
    if item.status.is_failing() || item.status.is_undecided() {
        let _ = writeln!(out, "<h4>{}</h4>\n<ol>", esc(&t!("html.how_to_fix")));
        for step in &def.fix.steps {
            let _ = writeln!(out, "<li>{}</li>", esc(step));
        }
        out.push_str("</ol>\n");
        if !def.fix.cli.trim().is_empty() {
            let _ = writeln!(out, "<pre><code>{}</code></pre>", esc(def.fix.cli.trim()));
        }
        if let Some(cfn) = &def.fix.cloudformation {
            let _ = writeln!(out, "<pre><code>{}</code></pre>", esc(cfn.trim()));
        }
        if !def.fix.permissions.is_empty() {
            let perms: Vec<String> = def
                .fix
                .permissions
                .iter()
                .map(|p| format!("<code>{}</code>", esc(p)))
                .collect();
            let _ = writeln!(
                out,
                "<p>{}</p>",
                with_markup(
                    &t!("html.permissions"),
                    &[("permissions", &perms.join(", "))]
                )
            );
        }
        if !def.fix.cost.is_empty() {
            let _ = writeln!(
                out,
                "<p>{}</p>",
                esc(&t!("html.cost", cost = def.fix.cost.trim()))
            );
        }
    }
    if !def.well_architected.is_empty() {
        let ids: Vec<String> = def
            .well_architected
            .iter()
            .map(|id| esc(&checklist.practice_label(id)))
            .collect();
        let _ = writeln!(
            out,
            "<p class=\"muted\">{}</p>", // i18n: technical
            with_markup(
                &t!("html.well_architected_practices"),
                &[("practices", &ids.join("; "))]
            )
        );
    }
    if !def.docs.is_empty() {
        let links: Vec<String> = def
            .docs
            .iter()
            .map(|d| match web_href(d) {
                Some(href) => format!("<a href=\"{href}\">{}</a>", esc(d)), // i18n: technical
                None => esc(d),
            })
            .collect();
        let _ = writeln!(
            out,
            "<p class=\"muted\">{}</p>", // i18n: technical
            with_markup(
                &t!("html.aws_docs"),
                &[("links", &links.join(" &middot; "))]
            )
        );
    }
    out.push_str("</article>\n");
}
