//! The evidence table: one row per finding, failing first, virtualised so an item with
//! thousands of resources scrolls smoothly. All text in it came from AWS: it is shown
//! as plain text, never as markup or links.

use std::borrow::Cow;

use crate::t;
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::widgets::{finding_item_status, named, status_color};
use crate::i18n::Lang;
use crate::report::{Finding, FindingStatus, ItemReport};

pub const EVIDENCE_ROW_HEIGHT: f32 = 22.0;

#[derive(Default)]
pub struct EvidenceState {
    pub show_passing: bool,
    /// (generation, item, show_passing) -> finding indices in display order.
    cache: Option<(u64, usize, bool, Vec<usize>)>,
    /// (generation, item, language) -> the distinct reasons of the failing and
    /// unchecked findings, with how many findings give each, in table order.
    reasons: Option<(u64, usize, Lang, Reasons)>,
}

/// Distinct reasons with the number of findings giving each.
type Reasons = Vec<(String, usize)>;

/// How many distinct reasons are written out under the table.
const REASONS_SHOWN: usize = 5;

fn rank(status: FindingStatus) -> u8 {
    match status {
        FindingStatus::Fail => 0,
        FindingStatus::CouldNotCheck => 1,
        FindingStatus::ToAnswer => 1,
        FindingStatus::Accepted => 2,
        FindingStatus::Pass => 2,
        FindingStatus::NotApplicable => 3,
    }
}

impl EvidenceState {
    fn order(&mut self, generation: u64, index: usize, report: &ItemReport) -> &[usize] {
        let key = (generation, index, self.show_passing);
        if self.cache.as_ref().map(|(g, i, p, _)| (*g, *i, *p)) != Some(key) {
            let mut order: Vec<usize> = (0..report.findings.len())
                .filter(|&i| {
                    self.show_passing
                        || !matches!(
                            report.findings[i].status,
                            FindingStatus::Pass | FindingStatus::NotApplicable
                        )
                })
                .collect();
            order.sort_by_key(|&i| rank(report.findings[i].status));
            self.cache = Some((generation, index, self.show_passing, order));
        }
        self.cache
            .as_ref()
            .map_or(&[], |(_, _, _, order)| order.as_slice())
    }

    fn reasons(
        &mut self,
        generation: u64,
        index: usize,
        report: &ItemReport,
    ) -> &[(String, usize)] {
        let key = (generation, index, crate::i18n::current());
        if self.reasons.as_ref().map(|(g, i, l, _)| (*g, *i, *l)) != Some(key) {
            self.reasons = Some((key.0, key.1, key.2, distinct_reasons(report)));
        }
        self.reasons
            .as_ref()
            .map_or(&[], |(_, _, _, r)| r.as_slice())
    }
}

/// The reasons failing and unchecked findings give, each once with its count, failing
/// ones first and otherwise in the order the findings come.
fn distinct_reasons(report: &ItemReport) -> Reasons {
    let mut findings: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| matches!(f.status, FindingStatus::Fail | FindingStatus::CouldNotCheck))
        .collect();
    findings.sort_by_key(|f| rank(f.status));
    let mut out: Reasons = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in findings {
        let reason = reason_text(f);
        if reason.is_empty() {
            continue;
        }
        match at.get(&reason) {
            Some(&i) => out[i].1 += 1,
            None => {
                at.insert(reason.clone(), out.len());
                out.push((reason, 1));
            }
        }
    }
    out
}

/// A resource as the evidence table shows it: an ARN without its
/// `arn:partition:service:region:account:` prefix (the region is a column of its own)
/// and without a log group's trailing `:*`; anything else as it is.
pub fn short_resource(resource: &str) -> &str {
    if !resource.starts_with("arn:") {
        return resource;
    }
    match resource.splitn(6, ':').nth(5) {
        Some(rest) if !rest.is_empty() => rest.strip_suffix(":*").unwrap_or(rest),
        _ => resource,
    }
}

/// What the copy buttons put on the clipboard: one tab-separated line per finding.
pub fn finding_line(f: &Finding) -> String {
    let mut line = format!(
        "{}\t{}\t{}\t{}",
        f.status.label(),
        f.region,
        f.resource,
        f.evidence
    );
    if let Some(reason) = &f.reason {
        line.push('\t');
        line.push_str(reason);
    }
    if let Some(permission) = &f.missing_permission {
        line.push('\t');
        line.push_str(&t!(
            "evidence_ui.missing_permission",
            permission = permission
        ));
    }
    line
}

fn reason_text(f: &Finding) -> String {
    match (&f.reason, &f.missing_permission) {
        (Some(r), Some(p)) if !r.contains(p.as_str()) => {
            t!("evidence_ui.reason_needs", reason = r, permission = p).into_owned()
        }
        (Some(r), _) => r.clone(),
        (None, Some(p)) => t!("evidence_ui.needs", permission = p).into_owned(),
        (None, None) => String::new(),
    }
}

pub fn evidence_ui(
    ui: &mut Ui,
    generation: u64,
    index: usize,
    report: &ItemReport,
    state: &mut EvidenceState,
) {
    if report.findings.is_empty() {
        ui.label(t!("evidence_ui.no_findings"));
        return;
    }
    let hidden = report
        .findings
        .iter()
        .filter(|f| matches!(f.status, FindingStatus::Pass | FindingStatus::NotApplicable))
        .count();
    let mut show_passing = state.show_passing;
    let order = state.order(generation, index, report).to_vec();
    ui.horizontal(|ui| {
        ui.checkbox(
            &mut show_passing,
            t!("evidence_ui.show_passing", n = hidden),
        );
        let visible = t!("evidence_ui.copy_rows");
        let copy = ui.button(&*visible);
        if named(copy, &visible, &t!("evidence_ui.copy_rows_name")).clicked() {
            let text: Vec<String> = order
                .iter()
                .map(|&i| finding_line(&report.findings[i]))
                .collect();
            ui.ctx().copy_text(text.join("\n"));
        }
    });
    state.show_passing = show_passing;
    if order.is_empty() {
        ui.label(t!("evidence_ui.all_pass"));
        return;
    }
    let dark = ui.visuals().dark_mode;
    let height = (order.len() as f32 + 1.5) * (EVIDENCE_ROW_HEIGHT + 2.0);
    // The text columns share what the fixed ones leave, so the table never grows
    // wider than the panel (which would push everything below it off the edge).
    let fixed = 54.0 + 100.0 + 90.0 + 6.0 * ui.spacing().item_spacing.x + 12.0;
    let wide = (ui.available_width() - fixed).max(240.0);
    ui.push_id(("evidence", index), |ui| {
        TableBuilder::new(ui)
            .striped(true)
            .resizable(true)
            .max_scroll_height(height.min(380.0))
            .min_scrolled_height(height.min(380.0))
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(54.0))
            .column(Column::initial(100.0).at_least(60.0).clip(true))
            .column(Column::initial(90.0).at_least(50.0).clip(true))
            .column(Column::initial(wide * 0.42).at_least(60.0).clip(true))
            .column(Column::initial(wide * 0.22).at_least(60.0).clip(true))
            .column(Column::remainder().at_least(60.0).clip(true))
            .header(20.0, |mut header| {
                let titles: [Cow<'static, str>; 6] = [
                    Cow::Borrowed(""),
                    t!("evidence_ui.col_status"),
                    t!("evidence_ui.col_region"),
                    t!("evidence_ui.col_resource"),
                    t!("evidence_ui.col_observed"),
                    t!("evidence_ui.col_reason"),
                ];
                for title in titles {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(EVIDENCE_ROW_HEIGHT, order.len(), |mut row| {
                    let Some(f) = order.get(row.index()).and_then(|&i| report.findings.get(i))
                    else {
                        return;
                    };
                    let n = row.index() + 1;
                    row.col(|ui| {
                        let visible = t!("evidence_ui.copy");
                        let copy = ui.small_button(&*visible);
                        if named(copy, &visible, &t!("evidence_ui.copy_finding_name", n = n))
                            .clicked()
                        {
                            ui.ctx().copy_text(finding_line(f));
                        }
                    });
                    row.col(|ui| {
                        let color = status_color(finding_item_status(f.status), dark);
                        ui.label(RichText::new(f.status.label()).color(color));
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(f.region.as_str()).truncate());
                    });
                    row.col(|ui| {
                        // The region has its own column: show what names the resource,
                        // the whole ARN on hover (and in what Copy copies).
                        ui.add(egui::Label::new(short_resource(&f.resource)).truncate())
                            .on_hover_text(f.resource.as_str());
                    });
                    for text in [&f.evidence, &reason_text(f)] {
                        row.col(|ui| {
                            ui.add(egui::Label::new(text.as_str()).truncate());
                        });
                    }
                });
            });
    });
    // The Reason column is cut to its width; the reasons in full, once each.
    let reasons = state.reasons(generation, index, report);
    if !reasons.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new(t!("evidence_ui.reasons")).strong());
        for (reason, n) in reasons.iter().take(REASONS_SHOWN) {
            let text = if *n == 1 {
                reason.clone()
            } else {
                t!("evidence_ui.reason_count", reason = reason, n = n).into_owned()
            };
            ui.add(egui::Label::new(format!("• {text}")).wrap());
        }
        if reasons.len() > REASONS_SHOWN {
            ui.label(
                RichText::new(t!(
                    "evidence_ui.more_reasons",
                    n = reasons.len() - REASONS_SHOWN
                ))
                .weak(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::short_resource;

    #[test]
    fn resources_are_named_without_the_arn_prefix() {
        assert_eq!(
            short_resource("arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/api:*"),
            "log-group:/ecs/api"
        );
        assert_eq!(
            short_resource("arn:aws:rds:us-east-1:111122223333:db:acme-prod"),
            "db:acme-prod"
        );
        assert_eq!(
            short_resource("arn:aws:ecs:us-east-1:1:service/prod/api"),
            "service/prod/api"
        );
        assert_eq!(
            short_resource("arn:aws:s3:::acme-trail-logs"),
            "acme-trail-logs"
        );
        assert_eq!(
            short_resource("GuardDuty in us-west-2"),
            "GuardDuty in us-west-2"
        );
        assert_eq!(
            short_resource("arn:aws:sns"),
            "arn:aws:sns",
            "not a whole ARN"
        );
        assert_eq!(
            short_resource("arn:aws:sns:us-east-1:1:"),
            "arn:aws:sns:us-east-1:1:"
        );
    }
}
