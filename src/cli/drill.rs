//! `onwatch drill ITEM`: the fire drill of the routes an item's alerts travel, with the
//! same preview and confirmation rules as a fix (it reaches real people), then the
//! person's answer recorded with the answers as `[drills.<class>.<route>]`.
//! Exit codes: 0 the drill ran (and its answer was recorded, when given); 2 refusal or
//! error.

use std::io::{BufRead as _, IsTerminal as _};
use std::process::ExitCode;

use crate::t;
use anyhow::{Result, bail};
use clap::Args;

use super::fix::{
    Target, confirm, data_dir, identity, print_result, render, runtime, scan, scan_options,
};
use super::{say, write_stdout};
use crate::answers::{Answers, YesNo};
use crate::collect;
use crate::execute::{self, Runner};
use crate::fix::audit::AuditLog;
use crate::fix::drill;
use crate::output::escape::terminal;

#[derive(Args, Debug)]
pub struct DrillArgs {
    /// A routed item (guardduty-findings-routed, alarm-actions, budget-notification,
    /// alert-path-tested for every route class, ...).
    pub item: String,
    #[command(flatten)]
    pub target: Target,
    /// The person's answer: did the test reach them? (Asked on a terminal otherwise.)
    #[arg(long, value_enum, value_name = "yes|no")]
    pub answer: Option<YesNoArg>,
    /// Who it reached, or who checked.
    #[arg(long, value_name = "TEXT")]
    pub who: Option<String>,
    /// A note recorded with the answer.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Send nothing: record --answer for the routes AWS cannot test (an address
    /// Budgets e-mails itself), after asking the person whether those alerts reach them.
    #[arg(long, requires = "answer", conflicts_with = "apply")]
    pub record_manual: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum YesNoArg {
    Yes,
    No,
}

pub fn run(args: DrillArgs) -> Result<ExitCode> {
    let classes = drill::classes_for(&args.item);
    if classes.is_empty() {
        bail!("{}", t!("cli_drill.no_route", item = terminal(&args.item)));
    }
    let opts = scan_options(&args.target)?;
    runtime()?.block_on(go(&opts, &args, classes))
}

async fn go(opts: &collect::ScanOptions, args: &DrillArgs, classes: &[&str]) -> Result<ExitCode> {
    let (snapshot, _) = scan(opts).await?;
    let drills: Vec<drill::DrillPlan> = classes.iter().map(|c| drill::plan(c, &snapshot)).collect();
    let text: Vec<String> = drills.iter().map(|d| render(&d.plan)).collect();
    write_stdout(&text.join("\n"))?;
    let steps: usize = drills.iter().map(|d| d.plan.steps.len()).sum();
    if args.record_manual {
        let routes: Vec<(String, String)> = drills
            .iter()
            .flat_map(|d| d.manual.iter().map(|m| (d.class.clone(), m.clone())))
            .collect();
        if routes.is_empty() {
            bail!("{}", t!("cli_drill.no_manual_route"));
        }
        let answer = match args.answer {
            Some(YesNoArg::Yes) => YesNo::Yes,
            _ => YesNo::No,
        };
        return save(&snapshot.account.id, &routes, answer, args);
    }
    if !args.target.apply {
        return Ok(ExitCode::SUCCESS);
    }
    if steps == 0 {
        say(&t!("cli_drill.nothing_to_send"));
        return Ok(ExitCode::SUCCESS);
    }
    confirm(&args.target, &snapshot.account.id, steps)?;
    let who = identity(opts).await?;
    let log = AuditLog::new(&data_dir()?, &snapshot.account.id);
    let runner = Runner {
        sdk: collect::sdk_config(opts).await,
        caller: who.arn,
        log: &log,
    };
    let mut sent: Vec<(String, String)> = Vec::new();
    for d in drills.iter().filter(|d| !d.plan.steps.is_empty()) {
        let result = execute::run(&runner, &d.plan, None)
            .await
            .map_err(anyhow::Error::msg)?;
        print_result(&d.plan, &result);
        // Only the routes whose test went out can be answered for.
        for (step, route) in result.steps.iter().zip(&d.routes) {
            if step.outcome == crate::fix::audit::Outcome::Done {
                sent.push((d.class.clone(), route.clone()));
            }
        }
        if !result.complete() {
            return Ok(ExitCode::from(2));
        }
    }
    let answer = match args.answer {
        Some(YesNoArg::Yes) => Some(YesNo::Yes),
        Some(YesNoArg::No) => Some(YesNo::No),
        None => ask()?,
    };
    let Some(answer) = answer else {
        say(&t!("cli_drill.answer_later"));
        return Ok(ExitCode::SUCCESS);
    };
    save(&snapshot.account.id, &sent, answer, args)
}

/// Records the answer for each (class, route) in the account's answers file.
fn save(
    account: &str,
    routes: &[(String, String)],
    answer: YesNo,
    args: &DrillArgs,
) -> Result<ExitCode> {
    let path = crate::answers::AnswerStore::user()
        .path_for(account)
        .ok_or_else(|| anyhow::anyhow!("{}", t!("cli_drill.no_data_dir")))?;
    let mut answers = if path.exists() {
        Answers::load(&path)?
    } else {
        Answers::default()
    };
    answers.account = Some(account.to_string());
    let date = chrono::Utc::now().format("%Y-%m-%d").to_string();
    answers.record_drills(routes, answer, args.who.clone(), args.note.clone(), &date);
    answers.save(&path)?;
    say(&t!(
        "cli_drill.recorded",
        n = routes.len(),
        path = path.display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// On a terminal: did it reach a person? None when there is no terminal or no answer.
fn ask() -> Result<Option<YesNo>> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    say(&t!("cli_drill.ask"));
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(match line.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" => Some(YesNo::Yes),
        "no" | "n" => Some(YesNo::No),
        _ => None,
    })
}
