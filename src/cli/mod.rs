//! The headless command line. Exit codes: 0 ok (score at or above --fail-under),
//! 1 score below --fail-under, 2 error.

use std::fmt::Write as _;
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};

use crate::answers::Answers;
use crate::checklist::{self, Checklist};
use crate::output::{self, Format};
use crate::report::{FindingStatus, Report};
use crate::snapshot::AccountSnapshot;

mod drill;
mod fix;
mod history;
mod scan;

pub use drill::DrillArgs;
pub use fix::{FixArgs, FixCommand, PlanFormat};
pub use history::HistoryArgs;

const EXIT_HELP: &str = "Exit codes: 0 = success (score at or above --fail-under, or no threshold), \
1 = score below --fail-under, 2 = error (bad arguments, unreadable file, failed scan).";

#[derive(Parser, Debug)]
#[command(
    name = "onwatch",
    version,
    about = "Is this AWS account ready to be monitored? Scans, scores and explains.",
    long_about = "Is this AWS account ready to be monitored? onwatch scans an account, scores a \
monitoring checklist, and explains every gap. With no subcommand it opens the window.",
    after_help = EXIT_HELP
)]
pub struct Cli {
    /// Open the window on the bundled demo account.
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan an account (or the bundled demo with --demo) and print the scored checklist.
    #[command(after_help = EXIT_HELP)]
    Scan(ScanArgs),
    /// Re-evaluate a saved snapshot.
    #[command(after_help = EXIT_HELP)]
    Evaluate(EvaluateArgs),
    /// What changed between two saved snapshots of an account, both judged by today's
    /// checklist: findings fixed, new, still failing, and changed.
    Diff(DiffArgs),
    /// An account's saved scans (the window's and `scan --history`'s): when, the score
    /// recorded then, and the score under today's checklist.
    History(HistoryArgs),
    /// Inspect or validate checklists.
    #[command(subcommand)]
    Checklist(ChecklistCommand),
    /// Plan (and with --apply, run) the fix of failing items; `fix log`, `fix undo RUN`.
    #[command(
        after_help = "Exit codes: 0 = every step ran and the items pass (or the plan was only printed), \
1 = the steps ran but an item still fails, 2 = refused or failed (the step and the missing permission are named)."
    )]
    Fix(FixArgs),
    /// Fire drill: send a real test alert through an item's routes (previewed; --apply
    /// to send), then record whether it reached a person.
    Drill(DrillArgs),
}

#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with code 1 when the overall score is below N (0-100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub fail_under: Option<u8>,
    /// Exit with code 1 when less than this share (0-1) of what is judged from AWS
    /// could be read (default 0.8 whenever --fail-under is given).
    #[arg(long, value_name = "SHARE", value_parser = share)]
    pub min_coverage: Option<f64>,
    /// Answers to practice items (TOML or JSON).
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Accepted risks: a TOML or JSON file of `[[accepted]]` entries (the answers
    /// file's format; the window keeps them in the account's answers file).
    #[arg(long, value_name = "FILE")]
    pub accepted: Option<PathBuf>,
    /// --fail-under compares the strict score, which counts accepted risks as failing.
    #[arg(long, requires = "fail_under")]
    pub strict: bool,
    /// An earlier snapshot of the account: the report says what changed since it
    /// (fixed, new, still failing), both judged by today's checklist.
    #[arg(long, value_name = "SNAPSHOT")]
    pub since: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Evaluate the bundled demo account instead of a live account.
    #[arg(long)]
    pub demo: bool,
    /// AWS profile to scan with (default: the standard credential chain).
    #[arg(long, value_name = "NAME", conflicts_with = "demo")]
    pub profile: Option<String>,
    /// Scan only this region; repeat for more (default: every region enabled for the account).
    #[arg(long = "region", value_name = "REGION", conflicts_with = "demo")]
    pub regions: Vec<String>,
    /// Region to ask STS and EC2 in (who am I, which regions are enabled); default: the
    /// profile's or AWS_REGION, else the first --region.
    #[arg(long, value_name = "REGION", conflicts_with = "demo")]
    pub home_region: Option<String>,
    /// Also save the scanned snapshot as JSON (re-evaluate it with `onwatch evaluate FILE`).
    #[arg(long, value_name = "FILE")]
    pub save_snapshot: Option<PathBuf>,
    /// Save the scan into the account's history (where the window keeps its scans; list
    /// them with `onwatch history`), and report what changed since the last saved scan.
    #[arg(long)]
    pub history: bool,
    /// No progress bar and no summary line on standard error.
    #[arg(long)]
    pub quiet: bool,
    /// AWS requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct EvaluateArgs {
    /// A snapshot saved by `onwatch scan --save-snapshot` or by the window.
    pub snapshot: PathBuf,
    /// Add the snapshot to the account's history (a scan CI saved, say), and report
    /// what changed since the scan saved before it.
    #[arg(long)]
    pub history: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The older snapshot.
    pub old: PathBuf,
    /// The newer snapshot.
    pub new: PathBuf,
    /// Your answers (TOML or JSON), applied to both.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Print the diff as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum ChecklistCommand {
    /// Validate a checklist file or folder; errors name file, line and column.
    Validate { path: PathBuf },
    /// List the items of the effective checklist (built-in plus your folder).
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// One line on standard error. Unlike `eprintln!`, a closed stderr (`2>&1 | head`) is
/// not a panic: the line is dropped.
pub(crate) fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// What the binary's `main` calls when a subcommand is given.
pub fn run(command: Command) -> ExitCode {
    match dispatch(command) {
        Ok(code) => code,
        Err(e) => {
            say(&format!("onwatch: error: {e:#}"));
            ExitCode::from(2)
        }
    }
}

fn dispatch(command: Command) -> Result<ExitCode> {
    match command {
        Command::Scan(args) => {
            if !args.demo {
                return scan::live(&args);
            }
            let snapshot = crate::demo::snapshot()?;
            if let Some(path) = &args.save_snapshot {
                snapshot.save(path)?;
            }
            let answers = match &args.out.answers {
                Some(path) => Answers::load(path)?,
                None => crate::demo::answers()?,
            };
            report_out(
                &snapshot,
                &answers,
                &args.out,
                args.history.then_some(args.quiet),
            )
        }
        Command::Evaluate(args) => {
            let snapshot = AccountSnapshot::load(&args.snapshot)?;
            let answers = match &args.out.answers {
                Some(path) => Answers::load(path)?,
                None => Answers::default(),
            };
            report_out(
                &snapshot,
                &answers,
                &args.out,
                args.history.then_some(false),
            )
        }
        Command::Diff(args) => diff(&args),
        Command::History(args) => history::run(&args),
        Command::Checklist(ChecklistCommand::Validate { path }) => validate(&path),
        Command::Checklist(ChecklistCommand::List { format }) => list(format),
        Command::Fix(args) => fix::run(args),
        Command::Drill(args) => drill::run(args),
    }
}

pub(crate) fn effective_checklist() -> Result<Checklist> {
    checklist::load_effective().map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow!("the checklist is invalid:\n{}", lines.join("\n"))
    })
}

/// Evaluates, writes the report where asked, and turns the score into the exit code.
/// `history` (Some(quiet)) saves the scan into the account's history and compares the
/// report with the last scan saved there.
pub fn report_out(
    snapshot: &AccountSnapshot,
    answers: &Answers,
    out: &OutputArgs,
    history: Option<bool>,
) -> Result<ExitCode> {
    if let Some(theirs) = answers
        .account
        .as_deref()
        .filter(|a| *a != snapshot.account.id)
    {
        bail!(
            "the answers are for account {theirs}, but the scan is of account {ours}: pass \
             that account's answers (the window keeps them in \
             ~/.local/share/onwatch/answers/{ours}.toml), or remove the `account` line if \
             they really apply",
            ours = snapshot.account.id
        );
    }
    let mut answers = answers.clone();
    answers
        .accepted
        .extend(load_accepted(out.accepted.as_deref())?);
    let answers = &answers;
    let checklist = effective_checklist()?;
    for id in answers.unknown_ids(&checklist) {
        say(&format!(
            "onwatch: warning: the answers name `{id}`, which is not an answerable item; ignored"
        ));
    }
    let mut report = crate::evaluate(&checklist, snapshot, answers, chrono::Utc::now());
    let dir = history.map(|_| history::data_dir()).transpose()?;
    report.since_last = history::since_last(
        &report,
        &checklist,
        answers,
        out.since.as_deref(),
        dir.as_deref(),
    )?;
    if let (Some(dir), Some(quiet)) = (&dir, history) {
        history::record(dir, snapshot, &report, quiet)?;
    }
    if out.format == output::Format::Pdf
        && out.output.is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        anyhow::bail!("a PDF is not for a terminal: add --output report.pdf (or pipe it)");
    }
    let bytes = output::render_bytes(&report, &checklist, out.format)?;
    match &out.output {
        Some(path) => write_file(path, &bytes)?,
        None => write_stdout_bytes(&bytes)?,
    }
    Ok(exit_for(
        &report,
        out.fail_under,
        out.min_coverage,
        out.strict,
    ))
}

/// The `[[accepted]]` entries of a file (`--accepted FILE`), checked like answers.
pub(crate) fn load_accepted(path: Option<&Path>) -> Result<Vec<crate::accepted::Acceptance>> {
    Ok(match path {
        Some(path) => Answers::load(path)?.accepted,
        None => Vec::new(),
    })
}

/// Writes to standard output. A reader that went away early (`onwatch scan --demo |
/// head -1`) ends the output quietly, as for any Unix filter: the exit code still says
/// what the score was, and print! would have panicked.
pub(crate) fn write_stdout(text: &str) -> Result<()> {
    write_stdout_bytes(text.as_bytes())
}

pub(crate) fn write_stdout_bytes(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        written => written.context("could not write to standard output"),
    }
}

fn write_file(path: &Path, text: &[u8]) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("could not write {}", path.display()))
}

/// 1 when the score is below the threshold (a report with no score at all, nothing
/// could be evaluated, is below any threshold), or when less than the minimum share
/// of what is judged from AWS could be read: a scan that read almost nothing must not
/// pass a gate on the little it saw. The second says on standard error what could not
/// be read.
pub fn exit_for(
    report: &Report,
    fail_under: Option<u8>,
    min_coverage: Option<f64>,
    strict: bool,
) -> ExitCode {
    let mut code = ExitCode::SUCCESS;
    let score = if strict {
        report.score.strict
    } else {
        report.score.overall
    };
    if let Some(min) = fail_under
        && score.is_none_or(|s| s < f64::from(min))
    {
        code = ExitCode::from(1);
    }
    let min_coverage = min_coverage.or(fail_under.map(|_| crate::report::LOW_COVERAGE));
    if let (Some(min), Some(coverage)) = (min_coverage, report.score.aws_coverage)
        && coverage < min
    {
        say(&format!(
            "onwatch: coverage {coverage:.2} is below --min-coverage {min:.2}: could not check {}",
            unread(report)
        ));
        code = ExitCode::from(1);
    }
    code
}

/// The items that could not be checked, each with the permission it lacked.
fn unread(report: &Report) -> String {
    const SHOWN: usize = 8;
    let items: Vec<String> = report
        .items
        .iter()
        .filter(|i| {
            i.findings
                .iter()
                .any(|f| f.status == FindingStatus::CouldNotCheck)
        })
        .map(|i| {
            let mut missing: Vec<&str> = i
                .findings
                .iter()
                .filter_map(|f| f.missing_permission.as_deref())
                .collect();
            missing.sort_unstable();
            missing.dedup();
            if missing.is_empty() {
                i.id.clone()
            } else {
                format!("{} ({})", i.id, missing.join(", "))
            }
        })
        .collect();
    let mut text = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("{text} is not a share between 0 and 1 (e.g. 0.8)")),
    }
}

fn validate(path: &Path) -> Result<ExitCode> {
    match checklist::load_path(path) {
        Ok(checklist) => {
            write_stdout(&format!(
                "{}: valid ({} items, checklist {}, {})\n",
                path.display(),
                checklist.items.len(),
                checklist.version,
                checklist.well_architected
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for e in &errors {
                say(&e.to_string());
            }
            Err(anyhow!("{} error(s) in {}", errors.len(), path.display()))
        }
    }
}

fn list(format: ListFormat) -> Result<ExitCode> {
    let checklist = effective_checklist()?;
    let text = match format {
        ListFormat::Json => format!("{}\n", serde_json::to_string_pretty(&checklist)?),
        ListFormat::Text => {
            let mut text = String::new();
            for item in &checklist.items {
                let _ = writeln!(
                    text,
                    "{:<30} {:<12} {:<9} {}",
                    item.id,
                    item.category.id(),
                    item.severity.id(),
                    item.title
                );
            }
            text
        }
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn diff(args: &DiffArgs) -> Result<ExitCode> {
    use crate::output::terminal;
    let old = AccountSnapshot::load(&args.old)?;
    let new = AccountSnapshot::load(&args.new)?;
    if old.account.id != new.account.id {
        bail!(
            "{} is account {} and {} is account {}: a diff compares two scans of one account",
            args.old.display(),
            old.account.id,
            args.new.display(),
            new.account.id
        );
    }
    let answers = match &args.answers {
        Some(path) => Answers::load(path)?,
        None => Answers::default(),
    };
    let checklist = effective_checklist()?;
    let now = chrono::Utc::now();
    let before = crate::evaluate(&checklist, &old, &answers, now);
    let after = crate::evaluate(&checklist, &new, &answers, now);
    let d = crate::report::diff::diff(&before, &after);
    if args.json {
        write_stdout(&format!("{}\n", serde_json::to_string_pretty(&d)?))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = format!(
        "Account {}: {} ({}) -> {} ({}), score {} -> {}\n",
        terminal(&new.account.id),
        old.collected_at.format("%Y-%m-%d %H:%M UTC"),
        terminal(&args.old.display().to_string()),
        new.collected_at.format("%Y-%m-%d %H:%M UTC"),
        terminal(&args.new.display().to_string()),
        crate::output::score_label(d.old_score),
        crate::output::score_label(d.new_score),
    );
    let list = |title: &str, keys: &[crate::report::diff::Key], out: &mut String| {
        out.push_str(&format!("{title} ({}):\n", keys.len()));
        for k in keys {
            out.push_str(&format!(
                "  {}  {}  {}\n",
                terminal(&k.item),
                terminal(&k.region),
                terminal(&k.resource)
            ));
        }
    };
    list("Fixed", &d.fixed, &mut out);
    list("New", &d.new, &mut out);
    list("Still failing", &d.still_failing, &mut out);
    out.push_str(&format!("Changed ({}):\n", d.changed.len()));
    for (k, was, now) in &d.changed {
        out.push_str(&format!(
            "  {}  {}  {}: {} -> {}\n",
            terminal(&k.item),
            terminal(&k.region),
            terminal(&k.resource),
            was.id(),
            now.id()
        ));
    }
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}
