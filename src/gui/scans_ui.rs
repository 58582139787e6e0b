//! The "Scan history" window: the score of every saved scan of the account over time
//! (under today's checklist, and as recorded then), the list of scans, and what changed
//! since the previous one.

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};
use egui_plot::{Legend, Line, Plot, Points};

use super::Action;
use super::scans::{Scans, TrendPoint, days};
use super::session::Session;
use crate::output::score_label;
use crate::report::Report;
use crate::report::diff::{Key, SinceLast};

pub fn scans_ui(ui: &mut Ui, session: &Session, actions: &mut Vec<Action>) {
    let mut open = true;
    egui::Window::new("Scan history")
        .collapsible(false)
        .resizable([true, false])
        .default_width(760.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            egui::ScrollArea::vertical()
                .max_height(620.0)
                .min_scrolled_height(560.0)
                .show(ui, |ui| body(ui, session));
        });
    if !open {
        actions.push(Action::CloseScans);
    }
}

fn body(ui: &mut Ui, session: &Session) {
    match &session.scans {
        Scans::None => {
            ui.label("There is no data folder, so no scan is kept and there is no history.");
        }
        Scans::Loading => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading the saved scans…");
            });
        }
        Scans::Failed(e) => {
            ui.label(
                RichText::new(format!("The saved scans could not be read: {e}"))
                    .color(ui.visuals().error_fg_color),
            );
        }
        Scans::Loaded(points) if points.is_empty() => {
            ui.label(
                "No scan of this account is saved yet. Every live scan is kept; so is \
                 `onwatch scan --history` from the command line.",
            );
        }
        Scans::Loaded(points) => {
            let current = (session.snapshot.collected_at, session.report.score.overall);
            trend(ui, points, current);
            ui.add_space(6.0);
            table(ui, points, session.snapshot.collected_at);
        }
    }
    ui.add_space(8.0);
    ui.heading("Since the last scan");
    match &session.report.since_last {
        Some(since) => since_ui(ui, since, &session.report),
        None => {
            ui.label("No earlier scan of this account is saved, so there is nothing to compare.");
        }
    }
}

/// The saved scans' scores, and the opened scan's (saved or not) as its own mark.
fn trend(ui: &mut Ui, points: &[TrendPoint], current: (DateTime<Utc>, Option<f64>)) {
    let today: Vec<[f64; 2]> = points
        .iter()
        .filter_map(|p| p.score_today.map(|s| [days(p.collected_at), s]))
        .collect();
    let then: Vec<[f64; 2]> = points
        .iter()
        .filter_map(|p| p.score_then.map(|s| [days(p.collected_at), s]))
        .collect();
    let this: Vec<[f64; 2]> = current
        .1
        .map(|s| vec![[days(current.0), s]])
        .unwrap_or_default();
    Plot::new("score-trend")
        .height(200.0)
        .include_y(0.0)
        .include_y(100.0)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_drag(false)
        .legend(Legend::default())
        .x_axis_formatter(|mark, _| date_of(mark.value))
        .label_formatter(|pos| match pos {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => Some(format!(
                "{plot_name}\n{}: {:.1}",
                date_of(position.x),
                position.y
            )),
            egui_plot::HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot| {
            plot.line(Line::new("score under today's checklist", today.clone()).width(2.0));
            plot.points(
                Points::new("score when it was saved", then.clone())
                    .radius(4.0)
                    .shape(egui_plot::MarkerShape::Diamond),
            );
            plot.points(Points::new("this scan", this.clone()).radius(6.0));
        });
    let last = points.iter().rev().find_map(|p| p.score_today);
    let first = points.iter().find_map(|p| p.score_today);
    let summary = format!(
        "Score trend over {} saved scan(s): {} first, {} last, under today's checklist",
        points.len(),
        score_label(first),
        score_label(last)
    );
    ui.label(RichText::new(summary).weak());
}

fn date_of(day: f64) -> String {
    DateTime::<Utc>::from_timestamp((day * 86_400.0) as i64, 0)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn table(ui: &mut Ui, points: &[TrendPoint], current: DateTime<Utc>) {
    egui::Grid::new("saved-scans").striped(true).show(ui, |ui| {
        for title in [
            "Collected",
            "Score then",
            "Score today",
            "Failing today",
            "",
        ] {
            ui.label(RichText::new(title).strong());
        }
        ui.end_row();
        for p in points.iter().rev() {
            ui.label(p.collected_at.format("%Y-%m-%d %H:%M UTC").to_string());
            ui.label(
                p.score_then
                    .map_or_else(|| "-".into(), |s| format!("{s:.1}")),
            );
            ui.label(score_label(p.score_today));
            ui.label(
                p.failing_today
                    .map_or_else(|| "-".into(), |n| n.to_string()),
            );
            match (&p.problem, p.collected_at == current) {
                (Some(e), _) => ui.label(
                    RichText::new(format!("could not read: {e}"))
                        .color(ui.visuals().error_fg_color),
                ),
                (None, true) => ui.label(RichText::new("this scan").strong()),
                (None, false) => ui.label(""),
            };
            ui.end_row();
        }
    });
}

fn since_ui(ui: &mut Ui, since: &SinceLast, report: &Report) {
    let d = &since.diff;
    ui.label(format!(
        "Compared with the scan of {}: score {} -> {}; {}.",
        since.collected_at.format("%Y-%m-%d %H:%M UTC"),
        score_label(d.old_score),
        score_label(d.new_score),
        d.counts()
    ));
    ui.label(RichText::new("Both scans are judged by today's checklist and your answers.").weak());
    keys(ui, "Fixed", &d.fixed, report);
    keys(ui, "New", &d.new, report);
    keys(ui, "Still failing", &d.still_failing, report);
    if !d.changed.is_empty() {
        egui::CollapsingHeader::new(format!("Changed ({})", d.changed.len()))
            .id_salt("since-changed")
            .show(ui, |ui| {
                for (key, was, now) in &d.changed {
                    ui.label(format!(
                        "{}: {} -> {}",
                        describe(key, report),
                        was.label(),
                        now.label()
                    ));
                }
            });
    }
}

fn keys(ui: &mut Ui, title: &str, keys: &[Key], report: &Report) {
    let header = egui::CollapsingHeader::new(format!("{title} ({})", keys.len()))
        .id_salt(("since", title))
        .default_open(title != "Still failing" && keys.len() <= 12);
    header.show(ui, |ui| {
        if keys.is_empty() {
            ui.label(RichText::new("none").weak());
        }
        for key in keys {
            ui.label(describe(key, report));
        }
    });
}

/// "Every log group has a retention policy: /aws/lambda/x in eu-west-1".
pub fn describe(key: &Key, report: &Report) -> String {
    let title = report
        .item(&key.item)
        .map_or(key.item.as_str(), |i| &i.title);
    format!("{title}: {} in {}", key.resource, key.region)
}
