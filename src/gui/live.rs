//! Live AWS work started from the window: who am I, which regions, the scan itself.
//! Everything runs on the tokio runtime owned by the entry point; results come back
//! over the app's channel, each followed by a repaint request.

use crate::t;
use tokio::sync::mpsc::unbounded_channel;

use super::{
    Background, IdentityView, Notice, OnwatchApp, Pending, Problem, ProfileKind, ScanState,
    ScanStep, Screen, send,
};
use crate::collect::{self, ProgressEvent, ScanOptions};

impl OnwatchApp {
    /// What a live call is given. A home region the user picked is where STS and EC2
    /// are asked, even when the profile or the environment names another one.
    fn scan_options(&self, regions: Option<Vec<String>>) -> ScanOptions {
        ScanOptions {
            profile: self.start.profile.clone(),
            regions,
            home_region: self.start.home_region.clone(),
            ..self.scan_base.clone()
        }
    }

    fn profile_kind(&self) -> Option<ProfileKind> {
        let name = self.start.profile.as_ref()?;
        self.start
            .profiles
            .iter()
            .find(|p| &p.name == name)
            .map(|p| p.kind)
    }

    fn live_unavailable(&mut self) {
        self.start.error = Some(Problem::other(t!("live.unavailable")));
    }

    pub(super) fn resolve_identity(&mut self) {
        let Some(runtime) = self.runtime.clone() else {
            return self.live_unavailable();
        };
        self.start.error = None;
        self.start.identity = Pending::Loading;
        self.start.regions = Pending::Idle;
        let opts = self.scan_options(None);
        let kind = self.profile_kind();
        let (tx, ctx) = (self.tx.clone(), self.ctx.clone());
        runtime.spawn(async move {
            let result = collect::resolve_identity(&opts)
                .await
                .map(|id| IdentityView {
                    account_id: id.account_id,
                    arn: id.arn,
                })
                .map_err(|e| Problem::from_collect(&e, kind));
            send(
                &tx,
                ctx.as_ref(),
                Background::Identity {
                    profile: opts.profile,
                    result,
                },
            );
        });
    }

    pub(super) fn load_regions(&mut self) {
        let Some(runtime) = self.runtime.clone() else {
            return self.live_unavailable();
        };
        self.start.regions = Pending::Loading;
        let opts = self.scan_options(None);
        let kind = self.profile_kind();
        let (tx, ctx) = (self.tx.clone(), self.ctx.clone());
        runtime.spawn(async move {
            let result = collect::enabled_regions(&opts)
                .await
                .map_err(|e| Problem::from_collect(&e, kind));
            send(
                &tx,
                ctx.as_ref(),
                Background::Regions {
                    profile: opts.profile,
                    result,
                },
            );
        });
    }

    pub(super) fn start_scan(&mut self) {
        let Some(runtime) = self.runtime.clone() else {
            return self.live_unavailable();
        };
        if self.start.chosen_regions.is_empty() {
            self.start.error = Some(Problem::other(t!("live.no_regions")));
            return;
        }
        self.start.error = None;
        let chosen: Vec<String> = self.start.chosen_regions.iter().cloned().collect();
        self.settings.regions = chosen.clone();
        self.settings.profile = self.start.profile.clone();
        let opts = self.scan_options(Some(chosen));
        let kind = self.profile_kind();
        let scan = self.next_scan;
        self.next_scan += 1;
        let (tx, ctx) = (self.tx.clone(), self.ctx.clone());
        let task = runtime.spawn(async move {
            let (progress_tx, mut progress_rx) = unbounded_channel();
            let forward = {
                let (tx, ctx) = (tx.clone(), ctx.clone());
                async move {
                    while let Some(event) = progress_rx.recv().await {
                        send(
                            &tx,
                            ctx.as_ref(),
                            Background::ScanStep {
                                scan,
                                step: step_of(event),
                            },
                        );
                    }
                }
            };
            let (result, ()) = tokio::join!(
                async move { collect::collect(&opts, Some(progress_tx)).await },
                forward
            );
            let result = result
                .map(Box::new)
                .map_err(|e| Problem::from_collect(&e, kind));
            send(&tx, ctx.as_ref(), Background::ScanDone { scan, result });
        });
        self.screen = Screen::Scanning(ScanState {
            id: scan,
            profile: self.start.profile.clone(),
            total: 0,
            done: 0,
            planned: Vec::new(),
            tasks: Vec::new(),
            task: Some(task),
        });
    }

    pub(super) fn cancel_scan(&mut self) {
        if let Screen::Scanning(state) = &mut self.screen {
            if let Some(task) = state.task.take() {
                task.abort();
            }
            self.screen = Screen::Start;
            self.tell(t!("live.cancelled").into_owned());
        }
    }

    /// Keeps the opened live scan in the account's history (next to the answers, with
    /// the score it got), so it can be opened, re-judged and compared later.
    pub(super) fn save_scan(&self) -> Option<Notice> {
        let Screen::Report(session) = &self.screen else {
            return None;
        };
        let Some(dir) = self.answers.data_dir.as_ref() else {
            return Some(Notice {
                text: t!("live.no_data_folder").into_owned(),
                error: true,
            });
        };
        Some(
            match crate::history::save(dir, &session.snapshot, &session.report) {
                Ok(path) => Notice {
                    text: t!("live.saved", path = path.display()).into_owned(),
                    error: false,
                },
                Err(e) => Notice {
                    text: t!("live.not_saved", e = e).into_owned(),
                    error: true,
                },
            },
        )
    }
}

fn step_of(event: ProgressEvent) -> ScanStep {
    match event {
        ProgressEvent::Started { total, planned } => ScanStep::Started { total, planned },
        ProgressEvent::TaskFinished {
            service,
            region,
            ok,
            done,
            total,
        } => ScanStep::TaskFinished {
            service,
            region,
            ok,
            done,
            total,
        },
        ProgressEvent::Finished => ScanStep::Finished,
    }
}
