//! A readable terminal table.

use std::fmt::Write;

use super::{percent, score_label, terminal};
use crate::checklist::Category;
use crate::report::{FindingStatus, ItemStatus, Report};

fn badge(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Pass | ItemStatus::AnsweredYes => "PASS",
        ItemStatus::Fail | ItemStatus::AnsweredNo => "FAIL",
        ItemStatus::Partial => "PART",
        ItemStatus::CouldNotCheck => "????",
        ItemStatus::NotApplicable => " n/a",
        ItemStatus::NotAnswered => " ask",
        ItemStatus::Accepted => " acc",
    }
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let account = match &report.account.alias {
        Some(alias) => format!("{} ({})", terminal(alias), terminal(&report.account.id)),
        None => terminal(&report.account.id),
    };
    let _ = writeln!(out, "onwatch: account {account}");
    let _ = writeln!(
        out,
        "regions: {}",
        terminal(&report.account.regions.join(", "))
    );
    let _ = writeln!(
        out,
        "collected: {}",
        report.collected_at.format("%Y-%m-%d %H:%M UTC")
    );
    let _ = writeln!(
        out,
        "\nScore {} / 100   coverage {}{}\n",
        score_label(report.score.overall),
        percent(report.score.coverage),
        terminal(&super::accepted_note(report))
    );
    super::since::text(&mut out, report);
    for category in Category::ALL {
        let items = report.items_in(category);
        if items.is_empty() {
            continue;
        }
        let score = report.score.categories.get(&category);
        let _ = writeln!(
            out,
            "{:<28} score {:>5}  coverage {:>4}",
            category.title(),
            score_label(score.and_then(|s| s.score)),
            score.map_or_else(|| "-".into(), |s| percent(s.coverage))
        );
        for item in items {
            let counts = [
                (FindingStatus::Pass, "pass"),
                (FindingStatus::Fail, "fail"),
                (FindingStatus::CouldNotCheck, "unchecked"),
                (FindingStatus::Accepted, "accepted"),
            ]
            .iter()
            .filter_map(|(s, label)| {
                let n = item.count(*s);
                (n > 0).then(|| format!("{n} {label}"))
            })
            .collect::<Vec<_>>()
            .join(", ");
            let _ = writeln!(
                out,
                "  [{}] {:<8} {:<22} {}",
                badge(item.status),
                item.severity.id(),
                counts,
                item.title
            );
            // The first failing finding: where to start.
            if let Some(f) = item
                .findings
                .iter()
                .find(|f| f.status == FindingStatus::Fail)
            {
                let more = item.count(FindingStatus::Fail) - 1;
                let _ = writeln!(
                    out,
                    "{:9}{}: {}{}",
                    "",
                    terminal(&f.resource),
                    terminal(&match &f.accepted {
                        Some(_) => f.reason_with_acceptance(),
                        None => f.reason.clone().unwrap_or_else(|| f.evidence.clone()),
                    }),
                    if more > 0 {
                        format!(" (+{more} more)")
                    } else {
                        String::new()
                    }
                );
            }
            if item.status == ItemStatus::CouldNotCheck
                && let Some(f) = item
                    .findings
                    .iter()
                    .find(|f| f.status == FindingStatus::CouldNotCheck)
            {
                let _ = writeln!(
                    out,
                    "{:9}could not check: {}",
                    "",
                    terminal(f.reason.as_deref().unwrap_or(""))
                );
            }
            if let Some(a) = item.accepted.as_ref().filter(|_| item.findings.is_empty()) {
                let _ = writeln!(out, "{:9}{}", "", terminal(&a.describe()));
            }
        }
        out.push('\n');
    }
    let counts = report.status_counts();
    let n = |s: &[ItemStatus]| {
        s.iter()
            .map(|s| counts.get(s).copied().unwrap_or(0))
            .sum::<usize>()
    };
    let _ = writeln!(
        out,
        "{} passing, {} failing or partial, {} could not check, {} to answer, {} not applicable, {} accepted",
        n(&[ItemStatus::Pass, ItemStatus::AnsweredYes]),
        n(&[
            ItemStatus::Fail,
            ItemStatus::Partial,
            ItemStatus::AnsweredNo
        ]),
        n(&[ItemStatus::CouldNotCheck]),
        n(&[ItemStatus::NotAnswered]),
        n(&[ItemStatus::NotApplicable]),
        n(&[ItemStatus::Accepted]),
    );
    out
}
