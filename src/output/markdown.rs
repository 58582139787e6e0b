//! A Markdown document for a Well-Architected review.

use std::fmt::Write;

use crate::t;

use super::{markdown_cell as md, percent, score_label};
use crate::checklist::{Category, Checklist};
use crate::report::{FindingStatus, ItemReport, Report};

pub fn render(report: &Report, checklist: &Checklist) -> String {
    let mut out = String::new();
    let account = match &report.account.alias {
        Some(alias) => format!("{} ({})", md(alias), md(&report.account.id)),
        None => md(&report.account.id),
    };
    let _ = writeln!(out, "# {}\n", t!("markdown.title", account = account));
    let _ = writeln!(
        out,
        "{}\n",
        t!(
            "markdown.collected",
            at = crate::i18n::datetime_utc(report.collected_at),
            regions = md(&report.account.regions.join(", ")),
            checklist = report.checklist_version,
            framework = report.well_architected_version
        )
    );
    let _ = writeln!(
        out,
        "{}\n",
        t!(
            "markdown.score",
            score = score_label(report.score.overall),
            coverage = percent(report.score.coverage),
            accepted = super::accepted_note(report)
        )
    );
    super::since::markdown(&mut out, report);
    let _ = writeln!(
        out,
        "| {} | {} | {} |\n|---|---:|---:|",
        t!("output.col_category"),
        t!("output.col_score"),
        t!("output.col_coverage")
    );
    for (category, s) in &report.score.categories {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            category.title(),
            score_label(s.score),
            percent(s.coverage)
        );
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "| {} | {} | {} |\n|---|---|---|",
        t!("output.col_item"),
        t!("output.col_severity"),
        t!("output.col_status")
    );
    for item in &report.items {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            md(&item.title),
            item.severity.label(),
            item.status.label()
        );
    }
    for category in Category::ALL {
        let items = report.items_in(category);
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {}\n", category.title());
        for item in items {
            item_section(&mut out, item, checklist);
        }
    }
    out
}

fn item_section(out: &mut String, item: &ItemReport, checklist: &Checklist) {
    let _ = writeln!(out, "### {}: {}\n", md(&item.title), item.status.label());
    let Some(def) = checklist.item(&item.id) else {
        return;
    };
    let _ = writeln!(out, "{}\n", def.why.trim());
    if let Some(answer) = &item.answer {
        let _ = writeln!(
            out,
            "{}\n",
            t!(
                "markdown.answer",
                answer = if answer.answer {
                    t!("output.yes")
                } else {
                    t!("output.no")
                },
                date = answer
                    .date
                    .as_deref()
                    .map(|d| format!(" ({})", md(d)))
                    .unwrap_or_default(),
                note = answer
                    .note
                    .as_deref()
                    .map(|n| format!(": {}", md(n)))
                    .unwrap_or_default()
            )
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
            "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
            t!("output.col_region"),
            t!("output.col_resource"),
            t!("output.col_status"),
            t!("output.col_evidence"),
            t!("output.col_reason")
        );
        for f in shown {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                md(&f.region),
                md(&f.resource),
                super::status_word(f.status.id(), f.status.label()),
                md(&f.evidence),
                md(&f.reason_with_acceptance())
            );
        }
        out.push('\n');
    }
    if item.status.is_failing() || item.status.is_undecided() {
        let _ = writeln!(out, "**{}**\n", t!("output.how_to_fix"));
        for (i, step) in def.fix.steps.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, step);
        }
        if !def.fix.cli.trim().is_empty() {
            let _ = writeln!(out, "\n```sh\n{}\n```", def.fix.cli.trim());
        }
        if let Some(cfn) = &def.fix.cloudformation {
            let _ = writeln!(out, "\n```yaml\n{}\n```", cfn.trim());
        }
        if !def.fix.permissions.is_empty() {
            let _ = writeln!(
                out,
                "\n{}",
                t!(
                    "markdown.permissions",
                    permissions = def.fix.permissions.join("`, `")
                )
            );
        }
        if !def.fix.cost.is_empty() {
            let _ = writeln!(out, "\n{}", t!("output.cost", cost = def.fix.cost.trim()));
        }
    }
    if !def.well_architected.is_empty() {
        let ids: Vec<String> = def
            .well_architected
            .iter()
            .map(|id| checklist.practice_label(id))
            .collect();
        let _ = writeln!(out, "\nWell-Architected: {}", ids.join("; ")); // i18n: technical
    }
    out.push('\n');
}
