//! The PDF report, generated in-process: a cover, the contents (with links), the
//! summary, the Well-Architected review by pillar, one section per category with
//! each item's evidence table, page numbers, and an outline (bookmarks). The font is
//! IPAexGothic, bundled, so Latin and Japanese text render on any machine and the PDF
//! embeds the subset it uses.
//!
//! Text from AWS or the user is drawn as text: PDF has no markup to escape, and
//! control characters are replaced before layout.

mod layout;
mod render;

use crate::t;

use layout::{CONTENT_W, Cell, INK, Layout, MARGIN_X, MUTED, Metrics, Op, Rgb, Style};

use super::html::{accepted_rows, practices_by_pillar, worst};
use super::{percent, score_label};
use crate::checklist::{Category, Checklist};
use crate::report::{FindingStatus, ItemReport, ItemStatus, Report};

/// IPAexGothic (IPA Font License v1.0, see assets/fonts): Latin, kana and kanji.
pub const FONT: &[u8] = include_bytes!("../../../assets/fonts/ipaexg.ttf");

fn status_color(status: ItemStatus) -> Rgb {
    match status {
        ItemStatus::Pass | ItemStatus::AnsweredYes => Rgb(0x1a, 0x7f, 0x37),
        ItemStatus::Fail | ItemStatus::AnsweredNo => Rgb(0xc0, 0x1c, 0x28),
        ItemStatus::Partial => Rgb(0xb3, 0x5c, 0x00),
        ItemStatus::CouldNotCheck => Rgb(0x6f, 0x42, 0xc1),
        ItemStatus::NotAnswered => Rgb(0x0b, 0x5c, 0xad),
        ItemStatus::Accepted | ItemStatus::NotApplicable => MUTED,
    }
}

fn finding_color(status: FindingStatus) -> Rgb {
    match status {
        FindingStatus::Pass => Rgb(0x1a, 0x7f, 0x37),
        FindingStatus::Fail => Rgb(0xc0, 0x1c, 0x28),
        FindingStatus::CouldNotCheck => Rgb(0x6f, 0x42, 0xc1),
        FindingStatus::ToAnswer => Rgb(0x0b, 0x5c, 0xad),
        FindingStatus::Accepted | FindingStatus::NotApplicable => MUTED,
    }
}

/// The report as PDF bytes.
pub fn render(report: &Report, checklist: &Checklist) -> Result<Vec<u8>, String> {
    let metrics = Metrics::new(FONT)?;
    let mut body = Layout::new(&metrics);
    summary(&mut body, report);
    well_architected(&mut body, report, checklist);
    for category in Category::ALL {
        let items = report.items_in(category);
        if items.is_empty() {
            continue;
        }
        body.page_break();
        body.heading(1, &category.title());
        for item in items {
            item_section(&mut body, item, checklist);
        }
    }
    // The cover and one page of contents come first; the body's pages follow them.
    const FRONT_PAGES: usize = 2;
    let mut front = Layout::new(&metrics);
    cover(&mut front, report);
    front.new_page();
    contents(&mut front, &body, FRONT_PAGES);
    if front.pages.len() != FRONT_PAGES {
        return Err(t!("pdf.contents_too_long").into_owned());
    }
    let mut pages = front.pages;
    pages.extend(body.pages);
    let marks = body
        .marks
        .into_iter()
        .map(|mut m| {
            m.page += FRONT_PAGES;
            m
        })
        .collect::<Vec<_>>();
    render::pdf(&pages, &marks, report, &report.account.name())
}

fn cover(l: &mut Layout, report: &Report) {
    l.gap(150.0);
    l.text(
        &t!("pdf.cover_title"),
        Style {
            size: 26.0,
            color: layout::ACCENT,
            indent: 0.0,
        },
    );
    l.gap(6.0);
    l.text(
        &t!("pdf.cover_account", account = report.account.name()),
        Style::BODY.color(INK).indent(0.0),
    );
    l.gap(30.0);
    l.text(
        &format!("{} / 100", score_label(report.score.overall)),
        Style {
            size: 40.0,
            color: INK,
            indent: 0.0,
        },
    );
    l.text(
        &t!(
            "pdf.cover_coverage",
            coverage = percent(report.score.coverage),
            accepted = super::accepted_note(report)
        ),
        Style::BODY,
    );
    l.gap(30.0);
    let rows = vec![
        (
            t!("pdf.collected"),
            crate::i18n::datetime_utc(report.collected_at),
        ),
        (t!("pdf.regions"), report.account.regions.join(", ")),
        (
            t!("pdf.checklist"),
            format!("onwatch {}", report.checklist_version),
        ),
        (t!("pdf.framework"), report.well_architected_version.clone()),
        (
            t!("pdf.generated"),
            t!(
                "pdf.generated_by",
                at = crate::i18n::datetime_utc(report.generated_at),
                version = env!("CARGO_PKG_VERSION")
            )
            .into_owned(),
        ),
    ];
    l.table(
        &["", ""],
        &[1.0, 4.0],
        rows.into_iter()
            .map(|(k, v)| vec![Cell::colored(k, MUTED), Cell::new(v)])
            .collect(),
    );
}

/// The contents: every level-1 and level-2 heading with its page number, each line a
/// link to its place.
fn contents(l: &mut Layout, body: &Layout, offset: usize) {
    l.heading(1, &t!("pdf.contents"));
    l.marks.clear();
    for mark in &body.marks {
        if mark.level > 2 {
            continue;
        }
        let indent = if mark.level == 1 { 0.0 } else { 16.0 };
        let size = if mark.level == 1 { 10.5 } else { 9.5 };
        let page = (mark.page + offset + 1).to_string();
        let y = l.y();
        let width = l.metrics().width(&page, size);
        l.push(Op::Text {
            x: MARGIN_X + CONTENT_W - width,
            y: y + size,
            size,
            color: MUTED,
            text: page,
        });
        l.text(
            &mark.title,
            Style {
                size,
                color: INK,
                indent,
            },
        );
        l.push(Op::Link {
            x: MARGIN_X,
            y,
            w: CONTENT_W,
            h: l.y() - y,
            page: mark.page + offset,
            to_y: mark.y,
        });
        l.gap(2.0);
    }
}

fn summary(l: &mut Layout, report: &Report) {
    l.heading(1, &t!("pdf.summary"));
    l.text(
        &t!(
            "pdf.summary_score",
            score = score_label(report.score.overall),
            coverage = percent(report.score.coverage),
            aws = percent(report.score.aws_coverage),
            accepted = super::accepted_note(report)
        ),
        Style::BODY,
    );
    l.gap(6.0);
    let counts = report
        .status_counts()
        .into_iter()
        .map(|(s, n)| {
            vec![
                Cell::colored(s.label(), status_color(s)),
                Cell::new(n.to_string()),
            ]
        })
        .collect();
    l.table(
        &[&t!("output.col_status"), &t!("output.col_items")],
        &[3.0, 1.0],
        counts,
    );
    let categories = Category::ALL
        .iter()
        .filter_map(|c| report.score.categories.get(c).map(|s| (c, s)))
        .map(|(c, s)| {
            vec![
                Cell::new(c.title()),
                Cell::new(score_label(s.score)),
                Cell::new(percent(s.coverage)),
            ]
        })
        .collect();
    l.table(
        &[
            &t!("output.col_category"),
            &t!("output.col_score"),
            &t!("output.col_coverage"),
        ],
        &[3.0, 1.0, 1.0],
        categories,
    );
    let mut failing: Vec<_> = report
        .items
        .iter()
        .filter(|i| i.status.is_failing())
        .collect();
    if !failing.is_empty() {
        failing.sort_by_key(|i| std::cmp::Reverse(i.severity));
        l.heading(3, &t!("pdf.fix_first"));
        let rows = failing
            .into_iter()
            .map(|i| {
                vec![
                    Cell::new(i.title.clone()),
                    Cell::new(i.severity.label()),
                    Cell::colored(i.status.label(), status_color(i.status)),
                ]
            })
            .collect();
        l.table(
            &[
                &t!("output.col_item"),
                &t!("output.col_severity"),
                &t!("output.col_status"),
            ],
            &[6.0, 1.2, 1.2],
            rows,
        );
    }
    if let Some(since) = &report.since_last {
        l.heading(2, &t!("since.heading"));
        l.text(&super::since::line(since), Style::BODY);
        l.gap(4.0);
        let rows: Vec<Vec<Cell>> = super::since::rows(since, report)
            .into_iter()
            .map(|(what, title, key)| {
                vec![
                    Cell::new(what),
                    Cell::new(title),
                    Cell::new(key.resource.clone()),
                    Cell::new(key.region.clone()),
                ]
            })
            .collect();
        if !rows.is_empty() {
            l.table(
                &[
                    &t!("output.col_change"),
                    &t!("output.col_item"),
                    &t!("output.col_resource"),
                    &t!("output.col_region"),
                ],
                &[1.2, 3.0, 3.0, 1.2],
                rows,
            );
        }
    }
    let accepted = accepted_rows(report);
    if !accepted.is_empty() {
        l.heading(2, &t!("pdf.accepted_risks"));
        let rows = accepted
            .into_iter()
            .map(|(item, resource, a)| {
                let until = if a.expired {
                    t!("pdf.until_ended", until = a.until).into_owned()
                } else {
                    a.until.clone()
                };
                vec![
                    Cell::new(item.title.clone()),
                    Cell::new(resource),
                    Cell::new(a.reason.clone()),
                    Cell::new(a.by.clone()),
                    Cell::new(a.date.clone()),
                    Cell::new(until),
                ]
            })
            .collect();
        l.table(
            &[
                &t!("output.col_item"),
                &t!("output.col_resource"),
                &t!("output.col_reason"),
                &t!("pdf.col_by"),
                &t!("pdf.col_accepted"),
                &t!("pdf.col_until"),
            ],
            &[2.5, 2.0, 2.5, 1.2, 1.1, 1.3],
            rows,
        );
    }
}

fn well_architected(l: &mut Layout, report: &Report, checklist: &Checklist) {
    l.page_break();
    l.heading(1, &t!("pdf.review"));
    l.text(
        &t!(
            "pdf.review_intro",
            framework = report.well_architected_version
        ),
        Style::BODY,
    );
    for (pillar, practices) in practices_by_pillar(report, checklist) {
        l.heading(2, &super::html::pillar_title(pillar));
        let rows = practices
            .into_iter()
            .map(|(bp, items)| {
                let reads = worst(items.iter().map(|i| i.status));
                let list: Vec<String> = items
                    .iter()
                    .map(|i| format!("{} ({})", i.title, i.status.label()))
                    .collect();
                vec![
                    Cell::new(checklist.practice_label(bp)),
                    reads.map_or_else(
                        || Cell::new(""),
                        |s| Cell::colored(s.label(), status_color(s)),
                    ),
                    Cell::new(list.join("\n")),
                ]
            })
            .collect();
        l.table(
            &[
                &t!("pdf.col_best_practice"),
                &t!("pdf.col_reads_as"),
                &t!("pdf.col_onwatch_items"),
            ],
            &[3.0, 1.1, 4.0],
            rows,
        );
    }
}

fn item_section(l: &mut Layout, item: &ItemReport, checklist: &Checklist) {
    l.heading(3, &item.title);
    l.text(
        &t!(
            "pdf.item_meta",
            status = item.status.label(),
            severity = item.severity.label(),
            id = item.id
        ),
        Style::SMALL.color(status_color(item.status)),
    );
    l.gap(3.0);
    let def = checklist.item(&item.id);
    if let Some(def) = def {
        l.text(def.why.trim(), Style::BODY);
    }
    if let Some(a) = &item.accepted {
        l.text(&a.describe(), Style::BODY);
    }
    if let Some(answer) = &item.answer {
        let mut text = t!(
            "pdf.answer",
            answer = if answer.answer {
                t!("output.yes")
            } else {
                t!("output.no")
            }
        )
        .into_owned();
        if let Some(d) = &answer.date {
            text.push_str(&format!(" ({d})"));
        }
        if let Some(n) = &answer.note {
            text.push_str(&format!(": {n}"));
        }
        l.text(&text, Style::BODY);
    }
    l.gap(4.0);
    let rows: Vec<Vec<Cell>> = item
        .findings
        .iter()
        .filter(|f| f.status != FindingStatus::NotApplicable)
        .map(|f| {
            let text = f.reason_with_acceptance();
            let reason = match &f.missing_permission {
                Some(p) if text.is_empty() => t!("pdf.needs", permission = p).into_owned(),
                Some(p) => t!("pdf.reason_needs", reason = text, permission = p).into_owned(),
                None => text,
            };
            vec![
                Cell::new(f.region.clone()),
                Cell::new(f.resource.clone()),
                Cell::colored(f.status.label(), finding_color(f.status)),
                Cell::new(f.evidence.clone()),
                Cell::new(reason),
            ]
        })
        .collect();
    if !rows.is_empty() {
        l.table(
            &[
                &t!("output.col_region"),
                &t!("output.col_resource"),
                &t!("output.col_status"),
                &t!("output.col_evidence"),
                &t!("output.col_reason"),
            ],
            &[1.1, 2.6, 1.0, 2.0, 2.6],
            rows,
        );
    }
    let Some(def) = def else {
        return;
    };
    if item.status.is_failing() || item.status.is_undecided() {
        l.text(&t!("output.how_to_fix"), Style::BODY.color(layout::ACCENT));
        for (n, step) in def.fix.steps.iter().enumerate() {
            l.text(&format!("{}. {step}", n + 1), Style::BODY.indent(8.0));
        }
        if !def.fix.cli.trim().is_empty() {
            l.gap(2.0);
            l.text(def.fix.cli.trim(), Style::SMALL.color(INK).indent(8.0));
        }
        if !def.fix.permissions.is_empty() {
            l.text(
                &t!(
                    "pdf.permissions",
                    permissions = def.fix.permissions.join(", ")
                ),
                Style::SMALL,
            );
        }
        if !def.fix.cost.is_empty() {
            l.text(&t!("output.cost", cost = def.fix.cost.trim()), Style::SMALL);
        }
    }
    if !def.well_architected.is_empty() {
        let ids: Vec<String> = def
            .well_architected
            .iter()
            .map(|id| checklist.practice_label(id))
            .collect();
        l.text(
            &format!("Well-Architected: {}", ids.join("; ")), // i18n: technical
            Style::SMALL,
        );
    }
    if !def.docs.is_empty() {
        l.text(&t!("pdf.docs", links = def.docs.join(" · ")), Style::SMALL);
    }
    l.gap(6.0);
}
