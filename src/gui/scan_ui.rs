//! The scan in progress: reads per service and region as they finish, and Cancel.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::t;
use egui::{RichText, Ui};

use super::widgets::named;
use super::{Action, ScanState, ScanStep};
use crate::snapshot::GLOBAL_REGION;

pub fn apply_step(state: &mut ScanState, step: ScanStep) {
    match step {
        ScanStep::Started { total, planned } => {
            state.total = total;
            state.planned = planned;
        }
        ScanStep::TaskFinished {
            service,
            region,
            ok,
            done,
            total,
        } => {
            state.done = done;
            state.total = total;
            state.tasks.push((service, region, ok));
        }
        ScanStep::Finished => state.done = state.total,
    }
}

pub fn scan_ui(ui: &mut Ui, state: &ScanState, actions: &mut Vec<Action>) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.label(RichText::new(t!("scan.scanning")).heading());
        let who = match state.profile.as_deref() {
            Some(profile) => Cow::Borrowed(profile),
            None => t!("scan.default_credentials"),
        };
        ui.label(t!("scan.reading", who = who));
        let fraction = if state.total == 0 {
            0.0
        } else {
            state.done as f32 / state.total as f32
        };
        ui.add(
            egui::ProgressBar::new(fraction)
                .text(t!("scan.reads", done = state.done, total = state.total))
                .animate(state.done < state.total || state.total == 0),
        );
        let cancel = ui.button(t!("scan.cancel"));
        if named(cancel, &t!("scan.cancel"), &t!("scan.cancel_name")).clicked() {
            actions.push(Action::CancelScan);
        }
        ui.add_space(8.0);
        let failed = state.tasks.iter().filter(|t| !t.2).count();
        if failed > 0 {
            ui.label(t!("scan.failed_so_far", failed = failed));
        }
        // One line per service: how far it has got, and where a read failed (the rest
        // are fine, and listing them all only hides those).
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("scan-progress")
                    .striped(true)
                    .num_columns(3)
                    .spacing([24.0, 6.0])
                    .show(ui, |ui| {
                        for line in service_lines(state) {
                            ui.label(RichText::new(display_name(line.service)).strong());
                            ui.label(line.progress);
                            if line.failed.is_empty() {
                                ui.label("");
                            } else {
                                ui.label(
                                    RichText::new(t!(
                                        "scan.failed_in",
                                        regions = line.failed.join(", ")
                                    ))
                                    .color(ui.visuals().error_fg_color),
                                );
                            }
                            ui.end_row();
                        }
                    });
            });
    });
}

/// What the progress screen says about one service.
#[derive(Debug, PartialEq, Eq)]
struct ServiceLine<'a> {
    service: &'a str,
    progress: String,
    failed: Vec<&'a str>,
}

/// A line per service, in the order of the names the window shows: the services the
/// scan announced, and any it reported without announcing them.
fn service_lines(state: &ScanState) -> Vec<ServiceLine<'_>> {
    /// One service's reads: how many are planned, whether it is account-wide, and
    /// region -> ok for those finished.
    #[derive(Default)]
    struct Tally<'a> {
        planned: usize,
        global: bool,
        finished: BTreeMap<&'a str, bool>,
    }
    let mut by_service: BTreeMap<&str, Tally<'_>> = BTreeMap::new();
    for (service, region) in &state.planned {
        let tally = by_service.entry(service.as_str()).or_default();
        tally.planned += 1;
        tally.global |= region == GLOBAL_REGION;
    }
    for (service, region, ok) in &state.tasks {
        by_service
            .entry(service.as_str())
            .or_default()
            .finished
            .insert(region.as_str(), *ok);
    }
    let mut lines: Vec<ServiceLine<'_>> = by_service
        .into_iter()
        .map(|(service, tally)| {
            let read = tally.finished.values().filter(|ok| **ok).count();
            let failed: Vec<&str> = tally
                .finished
                .iter()
                .filter(|(_, ok)| !**ok)
                .map(|(region, _)| *region)
                .collect();
            if tally.global {
                let progress = match (tally.finished.is_empty(), failed.is_empty()) {
                    (true, _) => t!("scan.global_waiting"),
                    (false, true) => t!("scan.global_read"),
                    (false, false) => t!("scan.global_failed"),
                };
                return ServiceLine {
                    service,
                    progress: progress.into_owned(),
                    failed: Vec::new(),
                };
            }
            ServiceLine {
                service,
                progress: read_count(read, tally.planned.max(tally.finished.len())),
                failed,
            }
        })
        .collect();
    lines.sort_by_key(|l| display_name(l.service).to_lowercase());
    lines
}

/// The name AWS's console uses for a service the scan reads (product names stay as
/// they are; what describes one follows the language).
fn display_name(service: &str) -> Cow<'_, str> {
    Cow::Borrowed(match service {
        "budgets" => "Budgets",       // i18n: technical
        "cloudtrail" => "CloudTrail", // i18n: technical
        "cloudwatch" => return t!("scan.service_cloudwatch"),
        "config" => "AWS Config", // i18n: technical
        "costexplorer" => return t!("scan.service_costexplorer"),
        "ecr" => "ECR",
        "ecs" => "ECS",
        "elbv2" => return t!("scan.service_elbv2"),
        "eventbridge" => "EventBridge", // i18n: technical
        "guardduty" => "GuardDuty",     // i18n: technical
        "logs" => "CloudWatch Logs",    // i18n: technical
        "rds" => "RDS",
        "sns" => "SNS",
        "synthetics" => return t!("scan.service_synthetics"),
        other => other,
    })
}

/// "3 of 17 regions read".
fn read_count(read: usize, planned: usize) -> String {
    if planned == 1 {
        t!("scan.read_count_one", read = read, planned = planned).into_owned()
    } else {
        t!("scan.read_count_many", read = read, planned = planned).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(planned: &[(&str, &str)], finished: &[(&str, &str, bool)]) -> ScanState {
        ScanState {
            id: 1,
            profile: None,
            total: planned.len(),
            done: finished.len(),
            planned: planned
                .iter()
                .map(|(s, r)| (s.to_string(), r.to_string()))
                .collect(),
            tasks: finished
                .iter()
                .map(|(s, r, ok)| (s.to_string(), r.to_string(), *ok))
                .collect(),
            task: None,
        }
    }

    #[test]
    fn each_service_says_how_far_it_got_and_where_it_failed() {
        let s = state(
            &[
                ("ecr", "eu-west-1"),
                ("ecr", "us-east-1"),
                ("ecr", "us-west-2"),
                ("rds", "eu-west-1"),
                ("config", "eu-west-1"),
                ("budgets", GLOBAL_REGION),
                ("costexplorer", GLOBAL_REGION),
            ],
            &[
                ("ecr", "us-east-1", true),
                ("ecr", "eu-west-1", false),
                ("budgets", GLOBAL_REGION, true),
                ("costexplorer", GLOBAL_REGION, false),
            ],
        );
        let line = |service: &'static str, progress: &str, failed: &[&'static str]| ServiceLine {
            service,
            progress: progress.to_string(),
            failed: failed.to_vec(),
        };
        assert_eq!(
            service_lines(&s),
            [
                line("config", "0 of 1 region read", &[]),
                line("budgets", "account-wide: read", &[]),
                line("costexplorer", "account-wide: failed", &[]),
                line("ecr", "1 of 3 regions read", &["eu-west-1"]),
                line("rds", "0 of 1 region read", &[]),
            ]
        );
    }
}
