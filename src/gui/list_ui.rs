//! The left panel: score, per-category scores, filters, search, and the checklist.

use egui::{AtomExt as _, Key, RichText, Ui};

use super::Action;
use super::session::{Row, Session, StatusFilter, visible_rows};
use super::widgets::{padded_badge, score_text};
use crate::checklist::Category;
use crate::output::percent;
use crate::report::{FindingStatus, ItemReport};

pub const ROW_HEIGHT: f32 = 22.0;

#[derive(Default)]
pub struct ListState {
    pub filter: StatusFilter,
    pub search: String,
    /// Index into the report's items.
    pub selected: Option<usize>,
    /// (generation, filter, search) -> rows: filtering 10,000 findings every frame
    /// would cost more than drawing them.
    cache: Option<(u64, StatusFilter, String, Vec<Row>)>,
    scroll_to_selected: bool,
}

impl ListState {
    /// Whether the list shows the item now.
    pub fn shows(&mut self, session: &Session, index: usize) -> bool {
        self.rows(session).contains(&Row::Item(index))
    }

    /// No filter, no search: every item.
    pub fn show_all(&mut self) {
        self.filter = StatusFilter::All;
        self.search.clear();
        self.scroll_to_selected = true;
    }

    fn rows(&mut self, session: &Session) -> &[Row] {
        let fresh = matches!(&self.cache, Some((g, f, s, _)) if *g == session.generation && *f == self.filter && *s == self.search);
        if !fresh {
            let rows = visible_rows(&session.report, self.filter, &self.search);
            self.cache = Some((session.generation, self.filter, self.search.clone(), rows));
        }
        self.cache
            .as_ref()
            .map_or(&[], |(_, _, _, rows)| rows.as_slice())
    }
}

pub fn score_ui(ui: &mut Ui, session: &Session) {
    let score = &session.report.score;
    ui.horizontal(|ui| {
        ui.label(RichText::new(score_text(score.overall)).size(34.0).strong())
            .on_hover_text("Overall score, 0 to 100: the weighted share of checks that pass");
        ui.vertical(|ui| {
            ui.label("/ 100 overall");
            ui.label(format!(
                "coverage {} of the checklist",
                percent(score.coverage)
            ))
            .on_hover_text("The share of the checklist's weight onwatch could evaluate");
            if score.accepted > 0 {
                ui.label(format!(
                    "strict {} with {} accepted risk{}",
                    score_text(score.strict),
                    score.accepted,
                    if score.accepted == 1 { "" } else { "s" }
                ))
                .on_hover_text("The score with every accepted risk counted as failing");
            }
            if let Some(since) = &session.report.since_last {
                ui.label(format!(
                    "since {}: {} -> {}, {} fixed, {} new",
                    since.collected_at.format("%Y-%m-%d"),
                    score_text(since.diff.old_score),
                    score_text(since.diff.new_score),
                    since.diff.fixed.len(),
                    since.diff.new.len()
                ))
                .on_hover_text(
                    "Compared with the previous saved scan of this account, both judged by \
                     today's checklist; Scan history shows the details",
                );
            }
            if let Some(low) = score
                .aws_coverage
                .filter(|c| *c < crate::report::LOW_COVERAGE)
            {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!(
                        "Low coverage: only {} of what AWS is asked could be read, so the score rests on little",
                        percent(Some(low))
                    ),
                )
                .on_hover_text(
                    "Items that could not be checked say why and which permission is missing. \
                     The CLI's --fail-under refuses a score read from less than 80%.",
                );
            }
        });
    });
    egui::Grid::new("category-scores")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for (category, cs) in &score.categories {
                ui.label(category.title());
                ui.label(RichText::new(score_text(cs.score)).strong());
                ui.label(format!("coverage {}", percent(cs.coverage)));
                ui.end_row();
            }
        });
}

fn counts_text(item: &ItemReport) -> String {
    let parts: Vec<String> = [
        (FindingStatus::Fail, "fail"),
        (FindingStatus::Pass, "pass"),
        (FindingStatus::CouldNotCheck, "unchecked"),
    ]
    .iter()
    .filter_map(|(status, word)| {
        let n = item.count(*status);
        (n > 0).then(|| format!("{n} {word}"))
    })
    .collect();
    parts.join(" · ")
}

fn filters_ui(ui: &mut Ui, session: &Session, state: &mut ListState) {
    ui.horizontal_wrapped(|ui| {
        for filter in StatusFilter::ALL {
            let n = session
                .report
                .items
                .iter()
                .filter(|i| filter.keeps(i))
                .count();
            // Its accessible name is the visible text, "Failing (17)".
            let text = format!("{} ({n})", filter.label());
            ui.selectable_value(&mut state.filter, filter, text)
                .on_hover_text(format!("Show {} items", filter.label().to_lowercase()));
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("Search");
        let response = ui.add(
            egui::TextEdit::singleline(&mut state.search)
                .hint_text("items, resources, evidence (Ctrl+F)")
                .desired_width(f32::INFINITY),
        );
        let response = response.labelled_by(label.id);
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::F)) {
            response.request_focus();
        }
        // egui drops the keyboard focus on Escape before the frame is drawn, so the
        // field has just lost it.
        if (response.has_focus() || response.lost_focus())
            && ui.input(|i| i.key_pressed(Key::Escape))
        {
            state.search.clear();
        }
    });
}

/// Up/Down move the selection when no widget holds the keyboard.
fn keyboard_ui(ui: &Ui, rows: &[Row], state: &mut ListState, actions: &mut Vec<Action>) {
    if ui.memory(|m| m.focused().is_some()) {
        return;
    }
    let (down, up) = ui.input(|i| (i.key_pressed(Key::ArrowDown), i.key_pressed(Key::ArrowUp)));
    if !down && !up {
        return;
    }
    let items: Vec<usize> = rows
        .iter()
        .filter_map(|r| match r {
            Row::Item(i) => Some(*i),
            Row::Category(_) => None,
        })
        .collect();
    let at = state
        .selected
        .and_then(|s| items.iter().position(|i| *i == s));
    let next = match (at, down) {
        (None, _) => items.first(),
        (Some(p), true) => items.get(p + 1).or(items.last()),
        (Some(p), false) => items.get(p.saturating_sub(1)),
    };
    if let Some(next) = next {
        actions.push(Action::Select(*next));
        state.scroll_to_selected = true;
    }
}

fn category_header(ui: &mut Ui, session: &Session, category: Category) {
    let score = session
        .report
        .score
        .categories
        .get(&category)
        .and_then(|c| c.score);
    ui.horizontal(|ui| {
        ui.label(RichText::new(category.title()).strong().size(15.0));
        ui.label(RichText::new(score_text(score)).weak());
    });
}

pub fn list_ui(ui: &mut Ui, session: &Session, state: &mut ListState, actions: &mut Vec<Action>) {
    score_ui(ui, session);
    ui.separator();
    filters_ui(ui, session, state);
    ui.separator();
    let selected = state.selected;
    let scroll = std::mem::take(&mut state.scroll_to_selected);
    let rows = state.rows(session).to_vec();
    keyboard_ui(ui, &rows, state, actions);
    if rows.is_empty() {
        ui.label("No item matches this filter and search.");
        return;
    }
    let mut area = egui::ScrollArea::vertical()
        .id_salt("checklist")
        .auto_shrink([false, false]);
    if scroll && let Some(pos) = selected.and_then(|s| rows.iter().position(|r| *r == Row::Item(s)))
    {
        let spacing = ui.spacing().item_spacing.y;
        area = area.vertical_scroll_offset(
            ((ROW_HEIGHT + spacing) * pos as f32 - 3.0 * ROW_HEIGHT).max(0.0),
        );
    }
    area.show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
        for row in &rows[range] {
            match *row {
                Row::Category(category) => category_header(ui, session, category),
                Row::Item(index) => {
                    let Some(item) = session.report.items.get(index) else {
                        continue;
                    };
                    let button = egui::Button::selectable(
                        selected == Some(index),
                        (
                            padded_badge(ui, item.status),
                            item.title.as_str().atom_shrink(true),
                        ),
                    )
                    .right_text(RichText::new(counts_text(item)).weak())
                    .truncate()
                    .min_size(egui::vec2(ui.available_width(), ROW_HEIGHT));
                    let response = ui.add(button).on_hover_text(&item.title);
                    if response.clicked() {
                        actions.push(Action::Select(index));
                    }
                }
            }
        }
    });
}
