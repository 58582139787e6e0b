//! The "Scan history" window: the score of every saved scan of the account over time
//! (under today's checklist, and as recorded then), the list of scans, and what changed
//! since the previous one.

use crate::t;
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
    egui::Window::new(t!("scans_ui.title"))
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
            ui.label(t!("scans_ui.no_data_folder"));
        }
        Scans::Loading => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(t!("scans_ui.loading"));
            });
        }
        Scans::Failed(e) => {
            ui.label(
                RichText::new(t!("scans_ui.failed", error = e)).color(ui.visuals().error_fg_color),
            );
        }
        Scans::Loaded(points) if points.is_empty() => {
            ui.label(t!("scans_ui.none_saved"));
        }
        Scans::Loaded(points) => {
            let current = (session.snapshot.collected_at, session.report.score.overall);
            trend(ui, points, current);
            ui.add_space(6.0);
            table(ui, points, session.snapshot.collected_at);
        }
    }
    ui.add_space(8.0);
    ui.heading(t!("scans_ui.since_heading"));
    match &session.report.since_last {
        Some(since) => since_ui(ui, since, &session.report),
        None => {
            ui.label(t!("scans_ui.nothing_to_compare"));
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
                "{plot_name}\n{}: {:.1}", // i18n: technical
                date_of(position.x),
                position.y
            )),
            egui_plot::HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot| {
            plot.line(Line::new(t!("scans_ui.series_today"), today.clone()).width(2.0));
            plot.points(
                Points::new(t!("scans_ui.series_then"), then.clone())
                    .radius(4.0)
                    .shape(egui_plot::MarkerShape::Diamond),
            );
            plot.points(Points::new(t!("scans_ui.this_scan"), this.clone()).radius(6.0));
        });
    let last = points.iter().rev().find_map(|p| p.score_today);
    let first = points.iter().find_map(|p| p.score_today);
    let summary = t!(
        "scans_ui.summary",
        n = points.len(),
        first = score_label(first),
        last = score_label(last)
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
            t!("scans_ui.col_collected"),
            t!("scans_ui.col_score_then"),
            t!("scans_ui.col_score_today"),
            t!("scans_ui.col_failing_today"),
            "".into(),
        ] {
            ui.label(RichText::new(title).strong());
        }
        ui.end_row();
        for p in points.iter().rev() {
            ui.label(crate::i18n::datetime(p.collected_at));
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
                    RichText::new(t!("scans_ui.could_not_read", error = e))
                        .color(ui.visuals().error_fg_color),
                ),
                (None, true) => ui.label(RichText::new(t!("scans_ui.this_scan")).strong()),
                (None, false) => ui.label(""),
            };
            ui.end_row();
        }
    });
}

fn since_ui(ui: &mut Ui, since: &SinceLast, report: &Report) {
    let d = &since.diff;
    ui.label(t!(
        "scans_ui.compared",
        date = crate::i18n::datetime(since.collected_at),
        old = score_label(d.old_score),
        new = score_label(d.new_score),
        counts = d.counts()
    ));
    ui.label(RichText::new(t!("scans_ui.both_judged")).weak());
    keys(ui, "fixed", &t!("scans_ui.fixed"), &d.fixed, report);
    keys(ui, "new", &t!("scans_ui.new"), &d.new, report);
    keys(
        ui,
        "still-failing",
        &t!("scans_ui.still_failing"),
        &d.still_failing,
        report,
    );
    if !d.changed.is_empty() {
        egui::CollapsingHeader::new(t!("scans_ui.changed", n = d.changed.len()))
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

/// One list of changes; `id` names it for egui (the same in every language).
fn keys(ui: &mut Ui, id: &str, title: &str, keys: &[Key], report: &Report) {
    let header = egui::CollapsingHeader::new(format!("{title} ({})", keys.len()))
        .id_salt(("since", id))
        .default_open(id != "still-failing" && keys.len() <= 12);
    header.show(ui, |ui| {
        if keys.is_empty() {
            ui.label(RichText::new(t!("scans_ui.none")).weak());
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
    t!(
        "scans_ui.describe",
        title = title,
        resource = key.resource,
        region = key.region
    )
    .into_owned()
}
