//! Frame time of the window on an account with 10,000 findings (issue 4, "large
//! accounts"). Runs the real window code headless and times what the CPU does per frame:
//! egui layout and tessellation into triangles. Not measured: uploading and drawing the
//! triangles on the GPU, and the window system. Each frame scrolls the evidence table
//! (about 6,670 failing rows) or the checklist by one wheel step.
//!
//!     cargo run --release --example frame_time [FINDINGS]
//!
//! With `--while-fixing [LOG_GROUPS]` it times the frames while a fix runs against the
//! local AWS endpoint instead (see frame_time/fixing.rs).
//!
//!     cargo run --release --example frame_time -- --while-fixing [LOG_GROUPS]

#[path = "frame_time/fixing.rs"]
mod fixing;

use std::time::{Duration, Instant};

use egui::{Event, Pos2, RawInput, Rect, vec2};
use onwatch::checklist::load_builtin;
use onwatch::gui::{
    Action, AnswerStore, AppConfig, AwsFiles, FileDialogs, OnwatchApp, Origin, Settings,
};

/// One frame of the window: its input events and time; what the CPU took for it.
pub type Frame<'a> = dyn FnMut(&mut OnwatchApp, Vec<Event>, f64) -> Duration + 'a;

/// One wheel step at a point.
pub fn wheel(at: Pos2, dy: f32) -> Vec<Event> {
    vec![
        Event::PointerMoved(at),
        Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: vec2(0.0, dy),
            phase: egui::TouchPhase::Move,
            modifiers: egui::Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        },
    ]
}

/// Prints the mean, 95th percentile and maximum of some frame times.
pub fn summary(name: &str, times: &[Duration]) {
    let mut times = times.to_vec();
    if times.is_empty() {
        println!("{name:<34} (no frames)");
        return;
    }
    times.sort();
    let n = times.len();
    let mean = times.iter().sum::<Duration>() / n as u32;
    let p95 = times[n * 95 / 100];
    let max = times[n - 1];
    println!("{name:<34} mean {mean:>9.2?}  p95 {p95:>9.2?}  max {max:>9.2?}  ({n} frames)");
}

/// The window's frames: egui layout and tessellation at 1320×860, without a GPU.
fn frames(ctx: &egui::Context) -> impl FnMut(&mut OnwatchApp, Vec<Event>, f64) -> Duration + '_ {
    let screen = Rect::from_min_size(Pos2::ZERO, vec2(1320.0, 860.0));
    move |app: &mut OnwatchApp, events: Vec<Event>, t: f64| -> Duration {
        let input = RawInput {
            screen_rect: Some(screen),
            time: Some(t),
            events,
            ..Default::default()
        };
        let start = Instant::now();
        let mut output = ctx.run_ui(input, |ui| app.ui(ui));
        // No GPU here: font atlas uploads are dropped on purpose.
        output.textures_delta.clear();
        let _meshes = ctx.tessellate(output.shapes, output.pixels_per_point);
        start.elapsed()
    }
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("--while-fixing") {
        let log_groups: usize = args
            .nth(1)
            .map(|n| n.parse())
            .transpose()?
            .unwrap_or(10_000);
        let ctx = egui::Context::default();
        return fixing::run(log_groups, &mut frames(&ctx));
    }
    let findings: usize = args
        .next()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(10_000);
    let snapshot = onwatch::demo::with_log_groups(findings)?;
    let checklist = load_builtin().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut app = OnwatchApp::new(AppConfig {
        answers: AnswerStore { data_dir: None },
        aws_files: AwsFiles::default(),
        runtime: None,
        scan_base: Default::default(),
        checklist: Some(checklist),
        settings: Settings::default(),
        dialogs: FileDialogs::new(|_| None),
    });
    let started = Instant::now();
    app.open_snapshot(Origin::Demo, snapshot);
    let open_time = started.elapsed();
    let report = app.report().ok_or_else(|| anyhow::anyhow!("no report"))?;
    let total: usize = report.items.iter().map(|i| i.findings.len()).sum();
    let (index, item) = report
        .items
        .iter()
        .enumerate()
        .max_by_key(|(_, i)| i.findings.len())
        .ok_or_else(|| anyhow::anyhow!("no items"))?;
    println!(
        "{total} findings in the report; item `{}` has {}",
        item.id,
        item.findings.len()
    );
    app.push(Action::Select(index));

    let ctx = egui::Context::default();
    let screen = Rect::from_min_size(Pos2::ZERO, vec2(1320.0, 860.0));
    let mut frame = frames(&ctx);
    // Warm up: fonts, first layout. The table shows the failing rows (passing ones are
    // hidden until the user ticks "Show passing").
    for i in 0..5 {
        frame(&mut app, vec![], i as f64 / 60.0);
    }
    let mut measure = |name: &str, at: Pos2, frames: usize, app: &mut OnwatchApp, t0: f64| {
        let times: Vec<Duration> = (0..frames)
            .map(|i| frame(app, wheel(at, -60.0), t0 + i as f64 / 60.0))
            .collect();
        summary(name, &times);
    };
    measure(
        "scrolling the evidence table",
        Pos2::new(900.0, 300.0),
        300,
        &mut app,
        1.0,
    );
    // Proof the wheel moved the table: the first evidence row on screen (its Copy
    // button is named "Copy finding N"), read from one frame with AccessKit on.
    ctx.enable_accesskit();
    let output = ctx.run_ui(
        RawInput {
            screen_rect: Some(screen),
            time: Some(6.0),
            ..Default::default()
        },
        |ui| app.ui(ui),
    );
    ctx.disable_accesskit();
    let first_row = output
        .platform_output
        .accesskit_update
        .iter()
        .flat_map(|u| u.nodes.iter())
        .filter_map(|(_, node)| {
            node.label()?
                .strip_prefix("Copy finding ")?
                .parse::<usize>()
                .ok()
        })
        .min();
    match first_row {
        Some(n) if n > 1 => println!("  (the table scrolled: row {n} is the first on screen)"),
        other => {
            anyhow::bail!("the evidence table did not scroll (first row on screen: {other:?})")
        }
    }
    measure(
        "scrolling the checklist",
        Pos2::new(200.0, 500.0),
        300,
        &mut app,
        10.0,
    );
    measure(
        "idle (no input)",
        Pos2::new(1300.0, 850.0),
        300,
        &mut app,
        20.0,
    );
    println!("opening the account (evaluate {total} findings): {open_time:.2?}");
    Ok(())
}
