//! `onwatch scan` of a live account: collect (with a progress bar on a terminal), save the
//! snapshot when asked, evaluate, print. Ctrl-C stops the scan with exit code 2.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use crate::t;
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::mpsc;

use super::{ScanArgs, report_out};
use crate::answers::Answers;
use crate::collect::{self, ProgressEvent, ScanOptions};
use crate::snapshot::{AccountSnapshot, Read, ReadError};

pub fn live(args: &ScanArgs) -> Result<ExitCode> {
    for region in args.home_region.iter().chain(&args.regions) {
        if !crate::regions::is_region_name(region.trim()) {
            bail!("{}", t!("cli_scan.not_a_region", region = region));
        }
    }
    // A bad answers file fails before the scan, not after it.
    let answers = match &args.out.answers {
        Some(path) => Answers::load(path)?,
        None => Answers::default(),
    };
    let opts = ScanOptions {
        profile: args.profile.clone(),
        regions: (!args.regions.is_empty()).then(|| args.regions.clone()),
        home_region: args.home_region.clone(),
        concurrency: usize::from(args.concurrency),
        ..ScanOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .with_context(|| t!("cli.no_runtime"))?;
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(new_bar);
    let outcome = runtime.block_on(scan(&opts, bar.clone()));
    // Do not wait for in-flight DNS lookups of a cancelled scan.
    runtime.shutdown_timeout(Duration::from_millis(200));
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let snapshot = match outcome {
        Outcome::Cancelled => {
            super::say(&t!("cli_scan.cancelled"));
            return Ok(ExitCode::from(2));
        }
        Outcome::Failed(e) => {
            return Err(anyhow::Error::new(e).context(t!("cli.scan_could_not_start")));
        }
        Outcome::Done(snapshot) => snapshot,
    };
    if !args.quiet {
        super::say(&summary(&snapshot));
    }
    if let Some(path) = &args.save_snapshot {
        snapshot
            .save(path)
            .with_context(|| t!("cli_scan.save_failed", path = path.display()))?;
    }
    report_out(
        &snapshot,
        &answers,
        &args.out,
        args.history.then_some(args.quiet),
    )
}

enum Outcome {
    Done(Box<AccountSnapshot>),
    Failed(collect::CollectError),
    Cancelled,
}

async fn scan(opts: &ScanOptions, bar: Option<ProgressBar>) -> Outcome {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let draw = async move {
        while let Some(event) = rx.recv().await {
            if let Some(bar) = &bar {
                draw(bar, &event);
            }
        }
    };
    let work = async {
        let result = collect::collect(opts, Some(tx)).await;
        // The sender is dropped with the collect future: the drawing loop ends.
        result
    };
    // `biased`: the Ctrl-C listener is polled, and so installed, before the scan sends
    // its first request; unbiased, select! may start the scan first, and a Ctrl-C in
    // that moment killed the process without the exit code and message it promises.
    tokio::select! {
        biased;
        _ = tokio::signal::ctrl_c() => Outcome::Cancelled,
        (result, ()) = async { tokio::join!(work, draw) } => match result {
            Ok(s) => Outcome::Done(Box::new(s)),
            Err(e) => Outcome::Failed(e),
        },
    }
}

fn new_bar() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(&t!("cli_scan.bar"))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(t!("cli_scan.checking_credentials"));
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn draw(bar: &ProgressBar, event: &ProgressEvent) {
    match event {
        ProgressEvent::Started { total, .. } => {
            bar.set_length(*total as u64);
            bar.set_message("");
        }
        ProgressEvent::TaskFinished {
            service,
            region,
            ok,
            done,
            ..
        } => {
            bar.set_position(*done as u64);
            let mark = if *ok {
                std::borrow::Cow::Borrowed("")
            } else {
                t!("cli_scan.partly_read")
            };
            bar.set_message(format!("{service} {region}{mark}")); // i18n: technical
        }
        ProgressEvent::Finished => bar.finish_and_clear(),
    }
}

/// "scanned account 123 as arn:...: 17 regions, 3 reads failed (2 access denied)".
fn summary(s: &AccountSnapshot) -> String {
    let mut failed = Vec::new();
    for r in s.regions.values() {
        collect_failures(r, &mut failed);
    }
    for e in [
        err(&s.global.budgets),
        err(&s.global.anomaly_monitors),
        err(&s.global.anomaly_subscriptions),
    ]
    .into_iter()
    .flatten()
    {
        failed.push(e.clone());
    }
    let denied = failed
        .iter()
        .filter(|e| matches!(e, ReadError::AccessDenied { .. }))
        .count();
    let caller = match s.account.caller_arn.as_deref() {
        Some(arn) => std::borrow::Cow::Borrowed(arn),
        None => t!("cli_scan.unknown_caller"),
    };
    let line = if failed.is_empty() {
        t!(
            "cli_scan.summary",
            account = s.account.id,
            caller = caller,
            n = s.regions.len()
        )
    } else {
        t!(
            "cli_scan.summary_failed",
            account = s.account.id,
            caller = caller,
            n = s.regions.len(),
            failed = failed.len(),
            denied = denied
        )
    };
    line.into_owned()
}

fn err<T>(r: &Read<T>) -> Option<&ReadError> {
    r.as_result().err()
}

fn collect_failures(r: &crate::snapshot::RegionSnapshot, out: &mut Vec<ReadError>) {
    let all = [
        err(&r.guardduty_detectors),
        err(&r.event_rules),
        err(&r.sns_topics),
        err(&r.sns_subscriptions),
        err(&r.trails),
        err(&r.config_recorders),
        err(&r.config_delivery_channels),
        err(&r.ecr_repositories),
        err(&r.ecr_registry_scanning),
        err(&r.rds_instances),
        err(&r.ecs_clusters),
        err(&r.ecs_task_definitions),
        err(&r.alarms),
        err(&r.alarm_history),
        err(&r.canaries),
        err(&r.load_balancers),
        err(&r.log_groups),
    ];
    out.extend(all.into_iter().flatten().cloned());
}
