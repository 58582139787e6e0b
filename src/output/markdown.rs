//! A Markdown document for a Well-Architected review.

use std::fmt::Write;

use super::{markdown_cell as md, percent, score_label};
use crate::checklist::{Category, Checklist};
use crate::report::{FindingStatus, ItemReport, Report};

pub fn render(report: &Report, checklist: &Checklist) -> String {
    let mut out = String::new();
    let account = match &report.account.alias {
        Some(alias) => format!("{} ({})", md(alias), md(&report.account.id)),
        None => md(&report.account.id),
    };
    let _ = writeln!(out, "# Monitoring readiness: account {account}\n");
    let _ = writeln!(
        out,
        "Collected {} in {}. Checklist {}, citing the {}.\n",
        report.collected_at.format("%Y-%m-%d %H:%M UTC"),
        md(&report.account.regions.join(", ")),
        report.checklist_version,
        report.well_architected_version
    );
    let _ = writeln!(
        out,
        "**Score: {} / 100** (coverage {}){}\n",
        score_label(report.score.overall),
        percent(report.score.coverage),
        super::accepted_note(report)
    );
    super::since::markdown(&mut out, report);
    let _ = writeln!(out, "| Category | Score | Coverage |\n|---|---:|---:|");
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
    let _ = writeln!(out, "| Item | Severity | Status |\n|---|---|---|");
    for item in &report.items {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            md(&item.title),
            item.severity.id(),
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
            "Answer: **{}**{}{}\n",
            if answer.answer { "yes" } else { "no" },
            answer
                .date
                .as_deref()
                .map(|d| format!(" ({})", md(d)))
                .unwrap_or_default(),
            answer
                .note
                .as_deref()
                .map(|n| format!(": {}", md(n)))
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
            "| Region | Resource | Status | Evidence | Reason |\n|---|---|---|---|---|"
        );
        for f in shown {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                md(&f.region),
                md(&f.resource),
                f.status.id(),
                md(&f.evidence),
                md(&f.reason_with_acceptance())
            );
        }
        out.push('\n');
    }
    if item.status.is_failing() || item.status.is_undecided() {
        let _ = writeln!(out, "**How to fix**\n");
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
            let _ = writeln!(out, "\nPermissions: `{}`", def.fix.permissions.join("`, `"));
        }
        if !def.fix.cost.is_empty() {
            let _ = writeln!(out, "\nCost: {}", def.fix.cost.trim());
        }
    }
    if !def.well_architected.is_empty() {
        let ids: Vec<String> = def
            .well_architected
            .iter()
            .map(|id| checklist.practice_label(id))
            .collect();
        let _ = writeln!(out, "\nWell-Architected: {}", ids.join("; "));
    }
    out.push('\n');
}
