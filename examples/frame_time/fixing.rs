//! `frame_time --while-fixing [LOG_GROUPS]`: the window's frame time while a fix runs
//! (issue 12). Starts the local AWS endpoint (scripts/local-aws) seeded `fixbench`: the
//! neglected account plus LOG_GROUPS log groups without retention (default 10,000), in
//! us-east-1. Then, as a user would: Check identity, Scan, select log-retention (its
//! evidence table has every log group), Fix, confirm, run. The run is one
//! PutRetentionPolicy per log group, each step's progress arriving over the app's
//! channel; then the re-check scans the region again. Every frame from the click on
//! the confirmation to the end of the re-check is timed, with one wheel step over the
//! fix window's step list, paced at 60 Hz as a window's vsync would.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use aws_config::BehaviorVersion;
use aws_sdk_sts::config::{Credentials, Region};
use egui::{Event, Pos2};
use onwatch::gui::fixing::{FixPhase, StepState};
use onwatch::gui::{
    Action, AnswerStore, AppConfig, AwsFiles, FileDialogs, OnwatchApp, Pending, Settings,
};
use onwatch::report::ItemStatus;

use super::{Frame, summary, wheel};

const ITEM: &str = "log-retention";
const PACE: Duration = Duration::from_micros(16_667);

/// The local endpoint, stopped when dropped.
struct LocalAws(Child);

impl Drop for LocalAws {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_local_aws(log_groups: usize) -> anyhow::Result<(LocalAws, String)> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/local-aws");
    let mut child = Command::new(&script)
        .args(["--port", "0", "--seed", "fixbench", "--n"])
        .arg(log_groups.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("starting {}", script.display()))?;
    let stdout = child.stdout.take().context("the endpoint's stdout")?;
    let server = LocalAws(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .context("reading the endpoint's `ready` line")?;
    let Some(url) = line.trim().strip_prefix("ready ") else {
        bail!("scripts/local-aws printed {line:?}, expected `ready http://127.0.0.1:PORT`");
    };
    Ok((server, url.to_string()))
}

/// Runs frames (paced at 60 Hz) until `done` holds after one; the times of those
/// frames. (Actions pushed before take effect in the first.)
fn frames_until(
    app: &mut OnwatchApp,
    frame: &mut Frame<'_>,
    t: &mut f64,
    what: &str,
    events: impl Fn() -> Vec<Event>,
    mut done: impl FnMut(&OnwatchApp) -> bool,
) -> anyhow::Result<Vec<Duration>> {
    let started = Instant::now();
    let mut times = Vec::new();
    loop {
        if started.elapsed() > Duration::from_secs(1800) {
            bail!("{what} did not end within 30 minutes");
        }
        *t += PACE.as_secs_f64();
        let took = frame(app, events(), *t);
        times.push(took);
        std::thread::sleep(PACE.saturating_sub(took));
        if done(app) {
            return Ok(times);
        }
    }
}

pub fn run(log_groups: usize, frame: &mut Frame<'_>) -> anyhow::Result<()> {
    let (_server, url) = start_local_aws(log_groups)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let sdk = runtime.block_on(
        aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(&url)
            .region(Region::new("us-east-1"))
            .retry_config(onwatch::collect::scan_retry_config())
            .credentials_provider(Credentials::new("testing", "testing", None, None, "local"))
            .load(),
    );
    let data = tempfile::tempdir()?;
    let mut app = OnwatchApp::new(AppConfig {
        answers: AnswerStore {
            data_dir: Some(data.path().to_path_buf()),
        },
        aws_files: AwsFiles::default(),
        runtime: Some(runtime.handle().clone()),
        scan_base: onwatch::collect::ScanOptions {
            sdk_config: Some(sdk),
            ..Default::default()
        },
        checklist: None,
        settings: Settings {
            regions: vec!["us-east-1".into()],
            ..Settings::default()
        },
        dialogs: FileDialogs::new(|_| None),
    });
    let mut t = 0.0;
    let none = Vec::new;
    app.push(Action::ResolveIdentity);
    frames_until(
        &mut app,
        frame,
        &mut t,
        "checking the identity",
        none,
        |a| matches!(a.start_state().regions, Pending::Done(_)),
    )?;
    let chosen: Vec<&String> = app.start_state().chosen_regions.iter().collect();
    if chosen != ["us-east-1"] {
        bail!("the start screen chose {chosen:?}, expected us-east-1");
    }
    app.push(Action::StartScan);
    let scanning = frames_until(&mut app, frame, &mut t, "the scan", none, |a| {
        a.report().is_some()
    })?;
    let report = app.report().context("no report")?;
    let index = report
        .items
        .iter()
        .position(|i| i.id == ITEM)
        .context("no log-retention item")?;
    let item = &report.items[index];
    println!(
        "scanned {} log groups: `{ITEM}` is {:?} with {} findings",
        log_groups + 3,
        item.status,
        item.findings.len()
    );
    summary("the scan (progress screen)", &scanning);
    app.push(Action::Select(index));
    app.push(Action::OpenFix(ITEM.into()));
    // The plan: 120 frames, each a wheel step over its list of steps.
    let over_plan = || wheel(Pos2::new(660.0, 500.0), -60.0);
    let mut n = 0;
    let review = frames_until(&mut app, frame, &mut t, "the plan", over_plan, |_| {
        n += 1;
        n >= 120
    })?;
    let fixer = app.fixer().context("the fix window did not open")?;
    let steps: usize = fixer
        .rows
        .iter()
        .filter_map(|r| r.plan.as_ref().ok())
        .map(|p| p.steps.len())
        .sum();
    if let Some(why) = &fixer.cannot_run {
        bail!("the fix cannot run: {why}");
    }
    println!("the plan has {steps} steps");
    summary("the plan (scrolling its steps)", &review);
    app.push(Action::ConfirmFix);
    app.push(Action::RunFix);
    let over_steps = || wheel(Pos2::new(660.0, 430.0), -60.0);
    let started = Instant::now();
    let running = frames_until(&mut app, frame, &mut t, "the fix", over_steps, |a| {
        !matches!(
            a.fixer().map(|f| &f.phase),
            Some(FixPhase::Running { .. } | FixPhase::Confirm)
        )
    })?;
    let took = started.elapsed();
    let Some(FixPhase::Done(outcome)) = app.fixer().map(|f| &f.phase) else {
        bail!("the fix window closed before the run ended");
    };
    let done = outcome
        .steps
        .values()
        .filter(
            |s| matches!(s, StepState::Ended(r) if r.outcome == onwatch::fix::audit::Outcome::Done),
        )
        .count();
    let after = outcome.items.iter().find(|(id, _, _)| id == ITEM);
    println!(
        "the run: {done} of {steps} steps done in {took:.1?}; {ITEM}: {after:?}; error: {:?}",
        outcome.error
    );
    if done != steps || !matches!(after, Some((_, _, ItemStatus::Pass))) {
        bail!("the fix did not complete: the numbers above do not describe a full run");
    }
    summary("while the fix runs and re-checks", &running);
    let over = running
        .iter()
        .filter(|d| **d > Duration::from_millis(16))
        .count();
    println!("  frames over 16 ms: {over} of {}", running.len());
    let mut slowest: Vec<(usize, Duration)> = running.iter().copied().enumerate().collect();
    slowest.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    let slowest: Vec<String> = slowest
        .iter()
        .take(5)
        .map(|(i, d)| format!("#{} {d:.2?}", i + 1))
        .collect();
    println!("  slowest: {}", slowest.join(", "));
    Ok(())
}
