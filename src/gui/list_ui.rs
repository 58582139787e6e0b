//! The left panel: score, per-category scores, filters, search, and the checklist.

use crate::t;
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
            .on_hover_text(t!("list.score_hover"));
        ui.vertical(|ui| {
            ui.label(t!("list.overall"));
            ui.label(t!("list.coverage", pct = percent(score.coverage)))
                .on_hover_text(t!("list.coverage_hover"));
            if score.accepted > 0 {
                let (strict, n) = (score_text(score.strict), score.accepted);
                let text = if n == 1 {
                    t!("list.strict_one", score = strict, n = n)
                } else {
                    t!("list.strict_many", score = strict, n = n)
                };
                ui.label(text).on_hover_text(t!("list.strict_hover"));
            }
            if let Some(since) = &session.report.since_last {
                // The date alone (a test finds the line by it); the order of its parts
                // follows the language.
                let date = match crate::i18n::current() {
                    crate::i18n::Lang::En => since.collected_at.format("%Y-%m-%d"),
                    crate::i18n::Lang::Ja => since.collected_at.format("%Y年%-m月%-d日"),
                };
                ui.label(t!(
                    "list.since",
                    date = date,
                    old = score_text(since.diff.old_score),
                    new = score_text(since.diff.new_score),
                    fixed = since.diff.fixed.len(),
                    added = since.diff.new.len()
                ))
                .on_hover_text(t!("list.since_hover"));
            }
            if let Some(low) = score
                .aws_coverage
                .filter(|c| *c < crate::report::LOW_COVERAGE)
            {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    t!("list.low_coverage", pct = percent(Some(low))),
                )
                .on_hover_text(t!("list.low_coverage_hover"));
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
                ui.label(t!("list.category_coverage", pct = percent(cs.coverage)));
                ui.end_row();
            }
        });
}

fn counts_text(item: &ItemReport) -> String {
    let parts: Vec<String> = [
        FindingStatus::Fail,
        FindingStatus::Pass,
        FindingStatus::CouldNotCheck,
    ]
    .iter()
    .filter_map(|status| {
        let n = item.count(*status);
        (n > 0).then(|| match status {
            FindingStatus::Fail => t!("list.count_fail", n = n).into_owned(),
            FindingStatus::Pass => t!("list.count_pass", n = n).into_owned(),
            _ => t!("list.count_unchecked", n = n).into_owned(),
        })
    })
    .collect();
    parts.join(" · ")
}

/// What a filter button's hover says: "Show failing items".
fn filter_hover(filter: StatusFilter) -> std::borrow::Cow<'static, str> {
    match filter {
        StatusFilter::All => t!("list.show_all"),
        StatusFilter::Failing => t!("list.show_failing"),
        StatusFilter::CouldNotCheck => t!("list.show_could_not_check"),
        StatusFilter::ToAnswer => t!("list.show_to_answer"),
    }
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
                .on_hover_text(filter_hover(filter));
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label(t!("list.search"));
        let response = ui.add(
            egui::TextEdit::singleline(&mut state.search)
                .hint_text(t!("list.search_hint"))
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
        ui.label(t!("list.no_match"));
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
