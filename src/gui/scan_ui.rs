//! The scan in progress: reads per service and region as they finish, and Cancel.

use std::collections::BTreeMap;

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
        ui.label(RichText::new("Scanning").heading());
        let who = state.profile.as_deref().unwrap_or("default credentials");
        ui.label(format!(
            "Reading the account with {who}. onwatch only reads; nothing is changed."
        ));
        let fraction = if state.total == 0 {
            0.0
        } else {
            state.done as f32 / state.total as f32
        };
        ui.add(
            egui::ProgressBar::new(fraction)
                .text(format!("{} of {} reads", state.done, state.total))
                .animate(state.done < state.total || state.total == 0),
        );
        if named(ui.button("Cancel"), "Cancel", "Cancel scan").clicked() {
            actions.push(Action::CancelScan);
        }
        ui.add_space(8.0);
        let failed = state.tasks.iter().filter(|t| !t.2).count();
        if failed > 0 {
            ui.label(format!(
                "{failed} reads failed so far; their checks will say \"could not check\" and why."
            ));
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
                                    RichText::new(format!("failed in {}", line.failed.join(", ")))
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
                    (true, _) => "account-wide: waiting",
                    (false, true) => "account-wide: read",
                    (false, false) => "account-wide: failed",
                };
                return ServiceLine {
                    service,
                    progress: progress.to_string(),
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

/// The name AWS's console uses for a service the scan reads.
fn display_name(service: &str) -> &str {
    match service {
        "budgets" => "Budgets",
        "cloudtrail" => "CloudTrail",
        "cloudwatch" => "CloudWatch alarms",
        "config" => "AWS Config",
        "costexplorer" => "Cost Anomaly Detection",
        "ecr" => "ECR",
        "ecs" => "ECS",
        "elbv2" => "Load balancers",
        "eventbridge" => "EventBridge",
        "guardduty" => "GuardDuty",
        "logs" => "CloudWatch Logs",
        "rds" => "RDS",
        "sns" => "SNS",
        "synthetics" => "Synthetics canaries",
        other => other,
    }
}

/// "3 of 17 regions read".
fn read_count(read: usize, planned: usize) -> String {
    let noun = if planned == 1 { "region" } else { "regions" };
    format!("{read} of {planned} {noun} read")
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
