//! `onwatch fix`: plan, preview, confirm, apply, re-check, log and undo.
//! Exit codes: 0 every step ran and the items pass; 1 it ran but an item still fails;
//! 2 refusal or error (naming the step and the missing permission).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead as _, IsTerminal as _};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::t;
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use super::{say, write_stdout};
use crate::answers::Answers;
use crate::collect::{self, ScanOptions};
use crate::execute::{self, RunResult, Runner};
use crate::fix::audit::{AuditLog, Outcome, undo_plan};
use crate::fix::{self, Channel, Choices, FixPlan, NoPlan, Undo, shell};
use crate::output::escape::terminal;
use crate::report::{ItemStatus, Report};

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct FixArgs {
    #[command(subcommand)]
    pub command: Option<FixCommand>,
    /// Items to fix (ids as `onwatch checklist list` shows them).
    pub items: Vec<String>,
    /// Plan a fix for every failing item that has one.
    #[arg(long, conflicts_with = "items")]
    pub all_failing: bool,
    /// Accepted risks to leave alone, beside those kept for the account (a TOML or JSON
    /// file of `[[accepted]]` entries).
    #[arg(long, value_name = "FILE")]
    pub accepted: Option<PathBuf>,
    #[command(flatten)]
    pub target: Target,
    /// log-retention: days to keep (one of the periods CloudWatch Logs accepts).
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub retention_days: i32,
    /// alarm-response-pattern: the pattern to tag untagged alarms with
    /// (act-now, next-business-day, know, record-only).
    #[arg(long, value_name = "PATTERN")]
    pub response_pattern: Option<String>,
    /// The alert channel: an address for which onwatch creates the topic
    /// onwatch-alerts in each region that needs one and subscribes it.
    #[arg(long, value_name = "ADDRESS", conflicts_with = "channel_topic")]
    pub channel_email: Option<String>,
    /// The alert channel: an existing topic whose confirmed subscriber is a person;
    /// repeat for one topic per region (alarms and rules publish in their own region).
    #[arg(long, value_name = "ARN")]
    pub channel_topic: Vec<String>,
    /// New alarms: a threshold instead of the default, as METRIC=VALUE (repeatable):
    /// CPUUtilization=80, MemoryUtilization=85, DatabaseConnections=400,
    /// FreeStorageSpace=5 (GiB), HTTPCode_ELB_5XX_Count=20, TargetResponseTime=1.5 (s).
    #[arg(long = "threshold", value_name = "METRIC=VALUE", value_parser = parse_threshold)]
    pub thresholds: Vec<(String, f64)>,
    /// rds-performance-insights: turn it on at each instance's next maintenance window
    /// instead of now (now would also apply the changes already waiting there).
    #[arg(long)]
    pub at_maintenance_window: bool,
    /// budget-notification: US dollars a month for the budget onwatch creates when the
    /// account has no cost budget.
    #[arg(long, value_name = "USD")]
    pub budget_amount: Option<f64>,
    /// cost-anomaly-detection: alert on anomalies whose total impact reaches this many
    /// US dollars.
    #[arg(long, value_name = "USD", default_value_t = 100.0)]
    pub anomaly_threshold: f64,
    /// config-recording: a new recorder records once a day instead of each change
    /// (fewer, dearer configuration items: cheaper where resources change often).
    #[arg(long)]
    pub config_daily: bool,
    /// synthetics-canary: the page a heartbeat canary loads every 5 minutes, as URL
    /// (for the region whose load balancer it names, or the only region needing one)
    /// or REGION=URL; repeatable.
    #[arg(long = "canary-url", value_name = "[REGION=]URL", value_parser = parse_canary_url)]
    pub canary_urls: Vec<(Option<String>, String)>,
    /// rds-storage-headroom: turn storage autoscaling on, up to this many GiB (at least
    /// 10 % above each instance's allocated storage), instead of adding a free-storage
    /// alarm.
    #[arg(long, value_name = "GIB")]
    pub storage_autoscaling_max: Option<i64>,
    /// How to print the plan.
    #[arg(long, value_enum, default_value = "text")]
    pub format: PlanFormat,
}

#[derive(Args, Debug, Clone)]
pub struct Target {
    /// AWS profile (default: the standard credential chain).
    #[arg(long, value_name = "NAME", global = true)]
    pub profile: Option<String>,
    /// Only this region; repeat for more (default: every enabled region).
    #[arg(long = "region", value_name = "REGION", global = true)]
    pub regions: Vec<String>,
    /// Region to ask STS and EC2 in.
    #[arg(long, value_name = "REGION", global = true)]
    pub home_region: Option<String>,
    /// Run the plan (after typing the account id on a terminal, or with --yes).
    #[arg(long, global = true)]
    pub apply: bool,
    /// With --apply: do not ask (for scripts and CI).
    #[arg(long, requires = "apply", global = true)]
    pub yes: bool,
}

#[derive(Subcommand, Debug)]
pub enum FixCommand {
    /// Print this account's audit log of fixes and undos, oldest first.
    Log,
    /// Undo one run (its id from `onwatch fix log`), with the same preview and confirmation.
    Undo {
        /// The run to undo: its id, as `onwatch fix log` shows it.
        run: String,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum PlanFormat {
    Text,
    Json,
    /// A shell script of AWS CLI commands, to review and run yourself.
    Sh,
    /// A CloudFormation template (JSON) of what the plans create, to deploy once in
    /// each region it lists; changes to existing resources are listed, not made.
    Cloudformation,
}

fn parse_canary_url(s: &str) -> Result<(Option<String>, String), String> {
    let (region, url) = if s.starts_with("http://") || s.starts_with("https://") {
        (None, s.to_string())
    } else {
        let (region, url) = s
            .split_once('=')
            .ok_or_else(|| t!("cli_fix.not_a_url", text = s).into_owned())?;
        if !crate::regions::is_region_name(region) {
            return Err(t!("cli_fix.not_a_region_eg", region = region).into_owned());
        }
        (Some(region.to_string()), url.to_string())
    };
    fix::canary::check_url(&url)?;
    Ok((region, url))
}

fn parse_threshold(s: &str) -> Result<(String, f64), String> {
    let (metric, value) = s
        .split_once('=')
        .ok_or_else(|| t!("cli_fix.not_a_threshold", text = s).into_owned())?;
    let value: f64 = value
        .trim()
        .parse()
        .map_err(|_| t!("cli_fix.not_a_number", text = value).into_owned())?;
    if !value.is_finite() || value < 0.0 {
        return Err(t!("cli_fix.threshold_positive", metric = metric).into_owned());
    }
    Ok((metric.trim().to_string(), value))
}

/// A number parameter of a checklist item, as the user's checklist sets it.
pub(super) fn data_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "onwatch")
        .map(|d| d.data_dir().to_path_buf())
        .with_context(|| t!("cli_fix.no_data_dir"))
}

pub(super) fn scan_options(t: &Target) -> Result<ScanOptions> {
    for region in t.home_region.iter().chain(&t.regions) {
        if !crate::regions::is_region_name(region.trim()) {
            bail!("{}", t!("cli_fix.not_a_region", region = region));
        }
    }
    Ok(ScanOptions {
        profile: t.profile.clone(),
        regions: (!t.regions.is_empty()).then(|| t.regions.clone()),
        home_region: t.home_region.clone(),
        ..ScanOptions::default()
    })
}

pub(super) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .with_context(|| t!("cli.no_runtime"))
}

pub fn run(args: FixArgs) -> Result<ExitCode> {
    let opts = scan_options(&args.target)?;
    let rt = runtime()?;
    match &args.command {
        Some(FixCommand::Log) => return rt.block_on(log(&opts)),
        Some(FixCommand::Undo { run }) => return rt.block_on(undo(&opts, &args.target, run)),
        None => {}
    }
    if args.items.is_empty() && !args.all_failing {
        bail!("{}", t!("cli_fix.no_items"));
    }
    let channel = match (&args.channel_email, args.channel_topic.is_empty()) {
        (Some(address), _) => {
            if !address.contains('@') || address.chars().any(char::is_whitespace) {
                bail!(
                    "{}",
                    t!("cli_fix.not_an_email", address = terminal(address))
                );
            }
            Some(Channel::Email(address.clone()))
        }
        (None, false) => {
            for arn in &args.channel_topic {
                if crate::rules::routing::arn_service(arn) != Some("sns") {
                    bail!("{}", t!("cli_fix.not_a_topic_arn", arn = terminal(arn)));
                }
            }
            Some(Channel::Topics(args.channel_topic.clone()))
        }
        (None, true) => None,
    };
    let checklist = super::effective_checklist()?;
    let defaults = Choices::default();
    let choices = Choices {
        retention_days: args.retention_days,
        response_pattern: args.response_pattern.clone(),
        channel,
        min_severity: checklist
            .float_param("guardduty-findings-routed", "min_severity")
            .unwrap_or(defaults.min_severity),
        thresholds: args.thresholds.iter().cloned().collect(),
        connections_fraction: checklist
            .float_param("rds-connections-alarm", "max_fraction")
            .unwrap_or(defaults.connections_fraction),
        at_maintenance_window: args.at_maintenance_window,
        budget_amount: args.budget_amount,
        last_month_cost: None,
        canary_urls: args.canary_urls.clone(),
        storage_ceiling_gib: args.storage_autoscaling_max,
        anomaly_threshold: args.anomaly_threshold,
        config_daily: args.config_daily,
    };
    rt.block_on(fix(&opts, &args, &choices))
}

pub(super) async fn scan(opts: &ScanOptions) -> Result<(crate::snapshot::AccountSnapshot, Report)> {
    scan_accepting(opts, &[]).await
}

/// A scan judged with the accepted risks kept for the account (the window's answers
/// file) and `extra`: fixes leave accepted findings alone.
async fn scan_accepting(
    opts: &ScanOptions,
    extra: &[crate::accepted::Acceptance],
) -> Result<(crate::snapshot::AccountSnapshot, Report)> {
    let snapshot = collect::collect(opts, None)
        .await
        .with_context(|| t!("cli.scan_could_not_start"))?;
    let checklist = super::effective_checklist()?;
    let mut answers = Answers::default();
    if let Some(path) = crate::answers::AnswerStore::user().path_for(&snapshot.account.id)
        && path.exists()
    {
        answers.accepted = Answers::load(&path)?.accepted;
    }
    answers.accepted.extend_from_slice(extra);
    let report = crate::evaluate(&checklist, &snapshot, &answers, chrono::Utc::now());
    Ok((snapshot, report))
}

async fn fix(opts: &ScanOptions, args: &FixArgs, choices: &Choices) -> Result<ExitCode> {
    let accepted = super::load_accepted(args.accepted.as_deref())?;
    let (snapshot, before) = scan_accepting(opts, &accepted).await?;
    let ids: Vec<String> = if args.all_failing {
        before
            .items
            .iter()
            .filter(|i| matches!(i.status, ItemStatus::Fail | ItemStatus::Partial))
            .map(|i| i.id.clone())
            .collect()
    } else {
        args.items.clone()
    };
    let mut choices = choices.clone();
    if fix::needs_last_month_cost(&ids, &snapshot, &choices) {
        say(&t!("cli_fix.reading_cost"));
        match collect::last_month_cost(opts, chrono::Utc::now().date_naive()).await {
            Ok(Some(cost)) => choices.last_month_cost = Some(cost),
            Ok(None) => say(&t!("cli_fix.no_cost")),
            Err(e) => say(&t!(
                "cli_fix.cost_unreadable",
                reason = terminal(&e.reason())
            )),
        }
    }
    let mut plans = Vec::new();
    for (id, planned) in fix::plan_all(&ids, &before, &snapshot, &choices) {
        match planned {
            Ok(p) => plans.push(p),
            Err(NoPlan::UnknownItem(_)) if !args.all_failing => {
                bail!("{}", t!("cli_fix.unknown_item", id = terminal(&id)))
            }
            Err(NoPlan::BadChoice(why)) if !args.all_failing => bail!("{why}"),
            Err(e) => say(&format!("onwatch: {}", terminal(&e.to_string()))),
        }
    }
    let text = match args.format {
        PlanFormat::Json => format!("{}\n", serde_json::to_string_pretty(&plans)?),
        PlanFormat::Sh => plans
            .iter()
            .map(shell::script)
            .collect::<Vec<_>>()
            .join("\n"),
        PlanFormat::Text => plans.iter().map(render).collect::<Vec<_>>().join("\n"),
        PlanFormat::Cloudformation => {
            let template = fix::cfn::template(&plans);
            let not_expressed = template["Metadata"]["onwatch"]["NotExpressed"] // i18n: technical
                .as_array()
                .map_or(0, Vec::len);
            if not_expressed > 0 {
                say(&t!("cli_fix.not_expressed", n = not_expressed));
            }
            if template["Resources"] // i18n: technical
                .as_object()
                .is_some_and(|r| r.is_empty())
            {
                say(&t!("cli_fix.empty_template"));
            }
            format!("{}\n", serde_json::to_string_pretty(&template)?)
        }
    };
    write_stdout(&text)?;
    let steps: usize = plans.iter().map(|p| p.steps.len()).sum();
    if steps > 0 {
        say_permissions(opts, &plans).await;
    }
    if !args.target.apply {
        return Ok(ExitCode::SUCCESS);
    }
    if steps == 0 {
        say(&t!("cli_fix.nothing_to_apply"));
        return Ok(verdict(&before, &ids));
    }
    confirm(&args.target, &snapshot.account.id, steps)?;
    let who = identity(opts).await?;
    let log = AuditLog::new(&data_dir()?, &snapshot.account.id);
    let runner = Runner {
        sdk: collect::sdk_config(opts).await,
        caller: who.arn,
        log: &log,
    };
    let mut regions: Vec<String> = Vec::new();
    for plan in plans.iter().filter(|p| !p.steps.is_empty()) {
        let result = execute::run(&runner, plan, None)
            .await
            .map_err(anyhow::Error::msg)?;
        print_result(plan, &result);
        if !result.complete() {
            return Ok(ExitCode::from(2));
        }
        regions.extend(plan.regions());
    }
    // Re-check: read the regions the plans wrote in again and judge the items anew.
    regions.sort();
    regions.dedup();
    let recheck = ScanOptions {
        regions: Some(regions),
        ..opts.clone()
    };
    let (_, after) = scan_accepting(&recheck, &accepted).await?;
    let mut lines = format!("{}\n", t!("cli_fix.recheck"));
    for id in &ids {
        let status = |r: &Report| {
            r.items
                .iter()
                .find(|i| &i.id == id)
                .map(|i| i.status.id())
                .unwrap_or("?")
        };
        let _ = writeln!(lines, "  {id}: {} -> {}", status(&before), status(&after));
    }
    // One line per address, however many regions' topics it was subscribed to.
    let subscribed: Vec<String> = plans
        .iter()
        .flat_map(|p| &p.steps)
        .filter_map(|s| match &s.op {
            fix::Op::Subscribe { endpoint, .. } => Some(terminal(endpoint)),
            _ => None,
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !subscribed.is_empty() && still_failing(&after, &ids) {
        let _ = writeln!(
            lines,
            "  {}",
            t!(
                "cli_fix.subscription_pending",
                addresses = subscribed.join(", ")
            )
        );
    }
    write_stdout(&lines)?;
    Ok(verdict(&after, &ids))
}

fn still_failing(report: &Report, ids: &[String]) -> bool {
    report
        .items
        .iter()
        .filter(|i| ids.contains(&i.id))
        .any(|i| matches!(i.status, ItemStatus::Fail | ItemStatus::Partial))
}

/// 0 when every item passes (or has nothing left to judge), else 1.
fn verdict(report: &Report, ids: &[String]) -> ExitCode {
    if still_failing(report, ids) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub(super) fn confirm(t: &Target, account: &str, steps: usize) -> Result<()> {
    if t.yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        bail!("{}", t!("cli_fix.refusing", account = account));
    }
    say(&t!("cli_fix.confirm", steps = steps, account = account));
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .with_context(|| t!("cli_fix.confirmation_unreadable"))?;
    if line.trim() != account {
        bail!("{}", t!("cli_fix.not_confirmed"));
    }
    Ok(())
}

/// A plan in plain words, every name from AWS neutralised for the terminal.
pub fn render(plan: &FixPlan) -> String {
    let t = |s: &str| terminal(s);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        t!(
            "cli_fix.plan_header",
            item = t(&plan.item),
            account = t(&plan.account),
            n = plan.steps.len()
        )
    );
    for (i, s) in plan.steps.iter().enumerate() {
        let _ = writeln!(out, "  {}. [{}] {}", i + 1, t(&s.region), t(&s.says));
        let _ = writeln!(out, "     $ {}", t(&s.cli));
        let undo = match &s.undo {
            Undo::Call { op, .. } => t!(
                "cli_fix.undo_call",
                op = op.name(),
                target = t(&op.target())
            ),
            Undo::AfterRun { says } => t!("cli_fix.undo_after_run", says = t(says)),
            Undo::Cannot { why } => t!("cli_fix.cannot_undo", why = t(why)),
        };
        let _ = writeln!(
            out,
            "     {}",
            t!("cli_fix.needs", action = s.iam_action, undo = undo)
        );
    }
    let _ = writeln!(out, "  {}", t!("cli_fix.cost", cost = t(&plan.cost)));
    for w in &plan.warnings {
        // `WARNING:` stays English in both languages, as `warning:` does: scripts grep it.
        let _ = writeln!(out, "  WARNING: {}", t(w)); // i18n: technical
    }
    for s in &plan.skipped {
        let _ = writeln!(out, "  {}", t!("cli_fix.left_alone", what = t(s)));
    }
    if !plan.steps.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            t!("cli_fix.permissions", list = plan.permissions().join(", "))
        );
    }
    out
}

pub(super) fn print_result(plan: &FixPlan, result: &RunResult) {
    for r in &result.steps {
        let step = &plan.steps[r.step - 1];
        let what = match r.outcome {
            Outcome::Done => t!("cli_fix.step_done"),
            Outcome::Failed => t!("cli_fix.step_failed"),
            Outcome::Refused => t!("cli_fix.step_refused"),
        };
        let mut line = format!(
            "  {}",
            t!(
                "cli_fix.step",
                n = r.step,
                what = what,
                says = terminal(&step.says)
            )
        );
        if let Some(m) = &r.message {
            let _ = write!(line, " ({})", terminal(m));
        }
        if let Some(p) = &r.missing_permission {
            line.push_str(&t!("cli_fix.add_permission", permission = p));
        }
        say(&line);
    }
    say(&t!("cli_fix.run_recorded", run = result.run));
}

/// Which of the plans' permissions the profile lacks, from IAM's policy simulator, on
/// standard error (nothing stops: a step AWS denies stops the run, naming it).
async fn say_permissions(opts: &ScanOptions, plans: &[FixPlan]) {
    use collect::permissions::PermissionCheck;
    let needed = FixPlan::permissions_of(plans);
    match collect::permissions::missing_permissions(opts, None, &needed).await {
        PermissionCheck::Known { lacks, principal } if lacks.is_empty() => say(&t!(
            "cli_fix.permissions_ok",
            principal = terminal(&principal)
        )),
        PermissionCheck::Known { lacks, principal } => say(&t!(
            "cli_fix.permissions_lacking",
            n = lacks.len(),
            actions = lacks.join(", "),
            principal = terminal(&principal)
        )),
        PermissionCheck::Unknown(why) => {
            say(&t!("cli_fix.permissions_unknown", why = terminal(&why)))
        }
    }
}

pub(super) async fn identity(opts: &ScanOptions) -> Result<collect::Identity> {
    collect::resolve_identity(opts)
        .await
        .with_context(|| t!("cli_fix.no_identity"))
}

async fn log(opts: &ScanOptions) -> Result<ExitCode> {
    let who = identity(opts).await?;
    let log = AuditLog::new(&data_dir()?, &who.account_id);
    let entries = log.read().map_err(anyhow::Error::msg)?;
    let mut runs: BTreeMap<&str, usize> = BTreeMap::new();
    let mut text = String::new();
    for e in &entries {
        *runs.entry(e.run.as_str()).or_default() += 1;
        let outcome = match e.outcome {
            Outcome::Done => t!("cli_fix.log_done"),
            Outcome::Failed => t!("cli_fix.log_failed"),
            Outcome::Refused => t!("cli_fix.log_refused"),
        };
        let _ = writeln!(
            text,
            "{}",
            t!(
                "cli_fix.log_line",
                time = e.time.format("%Y-%m-%d %H:%M:%S"),
                run = e.run,
                item = terminal(&e.item),
                step = e.step,
                region = terminal(&e.region),
                op = e.op.name(),
                target = terminal(&e.op.target()),
                outcome = outcome,
                message = e
                    .message
                    .as_deref()
                    .map(|m| format!(" ({})", terminal(m)))
                    .unwrap_or_default()
            )
        );
    }
    if entries.is_empty() {
        text = format!(
            "{}\n",
            t!(
                "cli_fix.no_fixes",
                account = who.account_id,
                path = log.path().display()
            )
        );
    }
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

async fn undo(opts: &ScanOptions, t: &Target, run: &str) -> Result<ExitCode> {
    let who = identity(opts).await?;
    let log = AuditLog::new(&data_dir()?, &who.account_id);
    let entries = log.read().map_err(anyhow::Error::msg)?;
    let plan = undo_plan(&entries, run).map_err(anyhow::Error::msg)?;
    write_stdout(&render(&plan))?;
    if !t.apply {
        return Ok(ExitCode::SUCCESS);
    }
    if plan.steps.is_empty() {
        say(&t!("cli_fix.nothing_to_undo"));
        return Ok(ExitCode::SUCCESS);
    }
    confirm(t, &who.account_id, plan.steps.len())?;
    let runner = Runner {
        sdk: collect::sdk_config(opts).await,
        caller: who.arn.clone(),
        log: &log,
    };
    let result = execute::run(&runner, &plan, Some(run))
        .await
        .map_err(anyhow::Error::msg)?;
    print_result(&plan, &result);
    Ok(if result.complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
