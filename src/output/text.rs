//! A readable terminal table.

use std::borrow::Cow;
use std::fmt::Write;

use crate::t;

use super::{pad_end, pad_start, percent, score_label, terminal};
use crate::checklist::Category;
use crate::report::{FindingStatus, ItemStatus, Report};

fn badge(status: ItemStatus) -> Cow<'static, str> {
    match status {
        ItemStatus::Pass | ItemStatus::AnsweredYes => t!("text.badge_pass"),
        ItemStatus::Fail | ItemStatus::AnsweredNo => t!("text.badge_fail"),
        ItemStatus::Partial => t!("text.badge_partial"),
        ItemStatus::CouldNotCheck => Cow::Borrowed("????"),
        ItemStatus::NotApplicable => t!("text.badge_not_applicable"),
        ItemStatus::NotAnswered => t!("text.badge_to_answer"),
        ItemStatus::Accepted => t!("text.badge_accepted"),
    }
}

/// The columns a badge takes: the widest badge in the language in use (4 in English),
/// shorter ones right-aligned.
fn badge_width() -> usize {
    [
        ItemStatus::Pass,
        ItemStatus::Fail,
        ItemStatus::Partial,
        ItemStatus::CouldNotCheck,
        ItemStatus::NotApplicable,
        ItemStatus::NotAnswered,
        ItemStatus::Accepted,
    ]
    .into_iter()
    .map(|s| super::columns(&badge(s)))
    .max()
    .unwrap_or(4)
}

/// "3 fail": how many findings of an item have a status.
type CountLabel = fn(usize) -> Cow<'static, str>;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let account = match &report.account.alias {
        Some(alias) => format!("{} ({})", terminal(alias), terminal(&report.account.id)),
        None => terminal(&report.account.id),
    };
    let _ = writeln!(out, "{}", t!("text.account", account = account));
    let _ = writeln!(
        out,
        "{}",
        t!(
            "text.regions",
            regions = terminal(&report.account.regions.join(", "))
        )
    );
    let _ = writeln!(
        out,
        "{}",
        t!(
            "text.collected",
            at = crate::i18n::datetime_utc(report.collected_at)
        )
    );
    let _ = writeln!(
        out,
        "\n{}\n",
        t!(
            "text.score",
            score = score_label(report.score.overall),
            coverage = percent(report.score.coverage),
            accepted = terminal(&super::accepted_note(report))
        )
    );
    let badge_width = badge_width();
    // Lines under an item start under its severity ("  [PASS] ": 9 columns in English).
    let indent = " ".repeat(badge_width + 5);
    super::since::text(&mut out, report);
    for category in Category::ALL {
        let items = report.items_in(category);
        if items.is_empty() {
            continue;
        }
        let score = report.score.categories.get(&category);
        let _ = writeln!(
            out,
            "{}",
            t!(
                "text.category_line",
                title = pad_end(&category.title(), 28),
                score = pad_start(&score_label(score.and_then(|s| s.score)), 5),
                coverage = pad_start(
                    &score.map_or_else(|| "-".into(), |s| percent(s.coverage)),
                    4
                )
            )
        );
        for item in items {
            let labels: [(FindingStatus, CountLabel); 4] = [
                (FindingStatus::Pass, |n| t!("text.count_pass", n = n)),
                (FindingStatus::Fail, |n| t!("text.count_fail", n = n)),
                (FindingStatus::CouldNotCheck, |n| {
                    t!("text.count_unchecked", n = n)
                }),
                (FindingStatus::Accepted, |n| {
                    t!("text.count_accepted", n = n)
                }),
            ];
            let counts = labels
                .iter()
                .filter_map(|(s, label)| {
                    let n = item.count(*s);
                    (n > 0).then(|| label(n))
                })
                .collect::<Vec<_>>()
                .join(&t!("output.list_separator"));
            let _ = writeln!(
                out,
                "  [{}] {} {} {}",
                pad_start(&badge(item.status), badge_width),
                pad_end(&item.severity.label(), 8),
                pad_end(&counts, 22),
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
                    "{indent}{}: {}{}",
                    terminal(&f.resource),
                    terminal(&match &f.accepted {
                        Some(_) => f.reason_with_acceptance(),
                        None => f.reason.clone().unwrap_or_else(|| f.evidence.clone()),
                    }),
                    if more > 0 {
                        t!("text.more", n = more).into_owned()
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
                    "{indent}{}",
                    t!(
                        "text.could_not_check",
                        reason = terminal(f.reason.as_deref().unwrap_or(""))
                    )
                );
            }
            if let Some(a) = item.accepted.as_ref().filter(|_| item.findings.is_empty()) {
                let _ = writeln!(out, "{indent}{}", terminal(&a.describe()));
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
        "{}",
        t!(
            "text.totals",
            pass = n(&[ItemStatus::Pass, ItemStatus::AnsweredYes]),
            fail = n(&[
                ItemStatus::Fail,
                ItemStatus::Partial,
                ItemStatus::AnsweredNo
            ]),
            unchecked = n(&[ItemStatus::CouldNotCheck]),
            answer = n(&[ItemStatus::NotAnswered]),
            na = n(&[ItemStatus::NotApplicable]),
            accepted = n(&[ItemStatus::Accepted]),
        )
    );
    out
}
