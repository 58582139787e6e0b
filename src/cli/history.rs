//! `onwatch history`: an account's saved scans with the score recorded then and the
//! score under today's checklist; and "since the last scan" for reports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::t;
use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::Args;
use serde::Serialize;

use super::{effective_checklist, say, write_stdout};
use crate::answers::{AnswerStore, Answers};
use crate::checklist::Checklist;
use crate::history;
use crate::output::{columns, pad_end, pad_start, score_label, terminal};
use crate::report::Report;
use crate::report::diff::SinceLast;
use crate::snapshot::AccountSnapshot;

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// The account (default: the only account with saved scans).
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// Answers (TOML or JSON) for today's scores (default: the answers the window keeps
    /// for the account, with its accepted risks).
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Print the list as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The data folder the window and `--history` share.
pub(super) fn data_dir() -> Result<PathBuf> {
    AnswerStore::user()
        .data_dir
        .with_context(|| t!("cli_history.no_data_dir"))
}

/// The answers the window keeps for an account, or none.
fn stored_answers(account: &str) -> Result<Answers> {
    match AnswerStore::user().path_for(account) {
        Some(path) if path.exists() => Ok(Answers::load(&path)?),
        _ => Ok(Answers::default()),
    }
}

/// "Since the last scan" for a report: against `since` when given, else (with
/// `history`) against the account's latest saved scan before this one.
pub(super) fn since_last(
    report: &Report,
    checklist: &Checklist,
    answers: &Answers,
    since: Option<&Path>,
    history: Option<&Path>,
) -> Result<Option<SinceLast>> {
    let path = match (since, history) {
        (Some(path), _) => path.to_path_buf(),
        (None, Some(dir)) => {
            match history::previous(dir, &report.account.id, report.collected_at)? {
                Some(saved) => saved.path,
                None => return Ok(None),
            }
        }
        (None, None) => return Ok(None),
    };
    let old = AccountSnapshot::load(&path)?;
    if old.account.id != report.account.id {
        bail!(
            "{}",
            t!(
                "cli_history.since_other_account",
                path = path.display(),
                old = old.account.id,
                new = report.account.id
            )
        );
    }
    let before = crate::evaluate(checklist, &old, answers, report.generated_at);
    Ok(Some(crate::report::diff::since(&before, report)))
}

#[derive(Debug, Serialize)]
struct Row {
    file: String,
    collected_at: DateTime<Utc>,
    /// The score when the scan was saved (None: not recorded).
    score_then: Option<f64>,
    checklist_then: Option<String>,
    score_today: Option<f64>,
    failing_today: Option<usize>,
    /// Why the scan could not be judged today.
    #[serde(skip_serializing_if = "Option::is_none")] // i18n: technical
    error: Option<String>,
}

pub fn run(args: &HistoryArgs) -> Result<ExitCode> {
    let dir = data_dir()?;
    let account = match &args.account {
        Some(a) => a.clone(),
        None => {
            let known = history::accounts(&dir);
            match known.as_slice() {
                [one] => one.clone(),
                [] => bail!(
                    "{}",
                    t!(
                        "cli_history.no_scans",
                        folder = history::folder(&dir).display()
                    )
                ),
                many => bail!(
                    "{}",
                    t!("cli_history.several_accounts", accounts = many.join(", "))
                ),
            }
        }
    };
    let scans = history::list(&dir, &account)?;
    if scans.is_empty() {
        bail!(
            "{}",
            t!(
                "cli_history.no_scans_of_account",
                account = account,
                folder = history::folder(&dir).display()
            )
        );
    }
    let answers = match &args.answers {
        Some(path) => Answers::load(path)?,
        None => stored_answers(&account)?,
    };
    let checklist = effective_checklist()?;
    let now = Utc::now();
    let rows: Vec<Row> = scans
        .iter()
        .map(|saved| {
            let judged = AccountSnapshot::load(&saved.path)
                .map(|s| crate::evaluate(&checklist, &s, &answers, now));
            let (score_today, failing_today, error) = match judged {
                Ok(r) => (
                    r.score.overall,
                    Some(r.items.iter().filter(|i| i.status.is_failing()).count()),
                    None,
                ),
                Err(e) => (None, None, Some(e.to_string())),
            };
            Row {
                file: saved.path.display().to_string(),
                collected_at: saved.collected_at,
                score_then: saved.recorded.as_ref().and_then(|r| r.score),
                checklist_then: saved.recorded.as_ref().map(|r| r.checklist_version.clone()),
                score_today,
                failing_today,
                error,
            }
        })
        .collect();
    if args.json {
        write_stdout(&format!("{}\n", serde_json::to_string_pretty(&rows)?))?;
        return Ok(ExitCode::SUCCESS);
    }
    // 22 columns, or wider when the dates are (a Japanese date is).
    let dates: Vec<String> = rows
        .iter()
        .map(|r| crate::i18n::datetime_utc(r.collected_at))
        .collect();
    let date_width = dates.iter().map(|d| columns(d) + 2).fold(22, usize::max);
    let mut out = format!(
        "{}\n{} {} {} {}  {}\n",
        t!(
            "cli_history.header",
            account = terminal(&account),
            n = rows.len(),
            version = terminal(&checklist.version)
        ),
        pad_end(&t!("cli_history.col_collected"), date_width),
        pad_start(&t!("cli_history.col_score_then"), 10),
        pad_start(&t!("cli_history.col_score_today"), 11),
        pad_start(&t!("cli_history.col_failing_today"), 13),
        t!("cli_history.col_file")
    );
    for (r, date) in rows.iter().zip(&dates) {
        let then = match (&r.score_then, &r.checklist_then) {
            (_, None) => "-".to_string(),
            (score, Some(_)) => score_label(*score),
        };
        out.push_str(&format!(
            "{} {:>10} {:>11} {:>13}  {}\n",
            pad_end(date, date_width),
            then,
            score_label(r.score_today),
            r.failing_today
                .map_or_else(|| "-".to_string(), |n| n.to_string()),
            terminal(&r.file)
        ));
        if let Some(e) = &r.error {
            out.push_str(&format!(
                "    {}\n",
                t!("cli_history.could_not_judge", error = terminal(e))
            ));
        }
    }
    if rows.iter().any(|r| r.checklist_then.is_none()) {
        out.push_str(&t!("cli_history.not_recorded"));
        out.push('\n');
    }
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Saves a scan into the history (`scan --history`), saying where on standard error.
pub(super) fn record(
    dir: &Path,
    snapshot: &AccountSnapshot,
    report: &Report,
    quiet: bool,
) -> Result<()> {
    let path = history::save(dir, snapshot, report)?;
    if !quiet {
        say(&t!("cli_history.saved", path = path.display()));
    }
    Ok(())
}
