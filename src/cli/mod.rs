//! The headless command line. Exit codes: 0 ok (score at or above --fail-under),
//! 1 score below --fail-under, 2 error.

use std::fmt::Write as _;
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::t;
use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};

use crate::answers::Answers;
use crate::checklist::{self, Checklist};
use crate::output::{self, Format};
use crate::report::{FindingStatus, Report};
use crate::snapshot::AccountSnapshot;

mod drill;
mod fix;
pub mod help;
mod history;
mod scan;

pub use drill::DrillArgs;
pub use fix::{FixArgs, FixCommand, PlanFormat};
pub use history::HistoryArgs;

const EXIT_HELP: &str = concat!(
    "Exit codes: 0 = success (score at or above --fail-under, or no threshold), ", // i18n: technical
    "1 = score below --fail-under, 2 = error (bad arguments, unreadable file, failed scan).", // i18n: technical
);

#[derive(Parser, Debug)]
#[command(
    name = "onwatch",
    version,
    about = "Is this AWS account ready to be monitored? Scans, scores and explains.", // i18n: technical
    long_about = concat!(
        "Is this AWS account ready to be monitored? onwatch scans an account, scores a ", // i18n: technical
        "monitoring checklist, and explains every gap. With no subcommand it opens the window.", // i18n: technical
    ),
    after_help = EXIT_HELP
)]
pub struct Cli {
    /// Open the window on the bundled demo account.
    #[arg(long)]
    pub demo: bool,
    /// The language of texts, reports and the window: en or ja. Without it, ONWATCH_LANG,
    /// else the system locale (LC_ALL, LC_MESSAGES, LANG), else English. The window's own
    /// choice (its Language menu) wins over the locale but not over this flag. JSON
    /// output never changes with the language.
    #[arg(long, global = true, value_name = "LANG", value_parser = lang)]
    pub lang: Option<crate::i18n::Lang>,
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
        after_help = concat!(
            "Exit codes: 0 = every step ran and the items pass (or the plan was only printed), ", // i18n: technical
            "1 = the steps ran but an item still fails, 2 = refused or failed (the step and the missing permission are named).", // i18n: technical
        )
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
    Validate {
        /// The checklist file or folder to validate.
        path: PathBuf,
    },
    /// List the items of the effective checklist (built-in plus your folder).
    List {
        /// How to print the list.
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
            say(&format!("onwatch: error: {e:#}")); // i18n: technical
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
        anyhow!("{}", t!("cli.checklist_invalid", errors = lines.join("\n")))
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
            "{}",
            t!(
                "cli.answers_other_account",
                theirs = theirs,
                ours = snapshot.account.id
            )
        );
    }
    let mut answers = answers.clone();
    answers
        .accepted
        .extend(load_accepted(out.accepted.as_deref())?);
    let answers = &answers;
    let checklist = effective_checklist()?;
    for id in answers.unknown_ids(&checklist) {
        say(&t!("cli.unknown_answer", id = id));
    }
    // The report itself (history, JSON, the exit code) is in English whatever the
    // language; what people read is evaluated again in their language below.
    let now = chrono::Utc::now();
    let mut report = crate::i18n::with_lang(crate::i18n::Lang::En, || {
        crate::evaluate(&checklist, snapshot, answers, now)
    });
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
        anyhow::bail!("{}", t!("cli.pdf_terminal"));
    }
    let bytes = if out.format == output::Format::Json {
        output::render_bytes(&report, &checklist, out.format)?
    } else {
        let local = checklist.localized(crate::i18n::current());
        let mut shown = crate::evaluate(&local, snapshot, answers, now);
        shown.since_last.clone_from(&report.since_last);
        output::render_bytes(&shown, &local, out.format)?
    };
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
        written => written.with_context(|| t!("cli.stdout_failed")),
    }
}

fn write_file(path: &Path, text: &[u8]) -> Result<()> {
    std::fs::write(path, text).with_context(|| t!("cli.write_failed", path = path.display()))
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
        say(&t!(
            "cli.low_coverage",
            coverage = format!("{coverage:.2}"),
            min = format!("{min:.2}"),
            items = unread(report)
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
        text.push_str(&t!("cli.and_more", n = items.len() - SHOWN));
    }
    text
}

fn lang(text: &str) -> Result<crate::i18n::Lang, String> {
    match text {
        "en" => Ok(crate::i18n::Lang::En),
        "ja" => Ok(crate::i18n::Lang::Ja),
        _ => Err(t!("cli.not_a_language", text = text).into_owned()),
    }
}

fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(t!("cli.not_a_share", text = text).into_owned()),
    }
}

/// Validates a checklist file or folder; a folder's `ja/` translations are checked
/// against it (every item, every field).
fn validate(path: &Path) -> Result<ExitCode> {
    let checked = checklist::load_path(path).and_then(|checklist| {
        let translation = if path.is_dir() {
            checklist::translate::check_folder(&checklist, path)?
        } else {
            None
        };
        Ok((checklist, translation))
    });
    match checked {
        Ok((checklist, translation)) => {
            let japanese = match translation {
                Some(done) => t!(
                    "cli.valid_japanese",
                    items = done.items.len(),
                    practices = done.practices.len()
                )
                .into_owned(),
                None => String::new(),
            };
            write_stdout(&format!(
                "{}\n",
                t!(
                    "cli.valid",
                    path = path.display(),
                    items = checklist.items.len(),
                    version = checklist.version,
                    well_architected = checklist.well_architected,
                    japanese = japanese
                )
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for e in &errors {
                say(&e.to_string());
            }
            Err(anyhow!(
                "{}",
                t!("cli.errors_in", n = errors.len(), path = path.display())
            ))
        }
    }
}

fn list(format: ListFormat) -> Result<ExitCode> {
    let checklist = effective_checklist()?;
    let text = match format {
        ListFormat::Json => format!("{}\n", serde_json::to_string_pretty(&checklist)?),
        ListFormat::Text => {
            let checklist = checklist.localized(crate::i18n::current());
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
            "{}",
            t!(
                "cli.diff_other_account",
                old = args.old.display(),
                old_account = old.account.id,
                new = args.new.display(),
                new_account = new.account.id
            )
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
        "{}\n",
        t!(
            "cli.diff_header",
            account = terminal(&new.account.id),
            old_time = crate::i18n::datetime_utc(old.collected_at),
            old_file = terminal(&args.old.display().to_string()),
            new_time = crate::i18n::datetime_utc(new.collected_at),
            new_file = terminal(&args.new.display().to_string()),
            old_score = crate::output::score_label(d.old_score),
            new_score = crate::output::score_label(d.new_score)
        )
    );
    let list = |heading: &str, keys: &[crate::report::diff::Key], out: &mut String| {
        out.push_str(heading);
        out.push('\n');
        for k in keys {
            out.push_str(&format!(
                "  {}  {}  {}\n",
                terminal(&k.item),
                terminal(&k.region),
                terminal(&k.resource)
            ));
        }
    };
    list(&t!("cli.diff_fixed", n = d.fixed.len()), &d.fixed, &mut out);
    list(&t!("cli.diff_new", n = d.new.len()), &d.new, &mut out);
    list(
        &t!("cli.diff_still_failing", n = d.still_failing.len()),
        &d.still_failing,
        &mut out,
    );
    out.push_str(&t!("cli.diff_changed", n = d.changed.len()));
    out.push('\n');
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
