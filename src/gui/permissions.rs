//! The fix window's up-front permission check: which of the plans' IAM actions the
//! profile lacks, from IAM's policy simulator, asked in the background when the plans
//! to run change, and said above the Apply button.

use egui::{RichText, Ui};

use super::fix_run::FixMessage;
use super::fix_ui::warn;
use super::fixing::{FixPhase, FixState, Permissions};
use super::{Background, OnwatchApp, Origin, Screen, send};
use crate::collect::permissions::{self, PermissionCheck};
use crate::t;

impl OnwatchApp {
    /// Asks the simulator about the plans to run when they need other actions than
    /// those last asked about (live accounts, before anything runs).
    pub(super) fn check_permissions(&mut self) {
        let (Some(fixer), Screen::Report(session), Some(runtime)) =
            (&mut self.fixer, &self.screen, self.runtime.clone())
        else {
            return;
        };
        let Origin::Live { profile } = &session.origin else {
            return;
        };
        if !matches!(fixer.phase, FixPhase::Review)
            || fixer.cannot_run.is_some()
            || fixer.permissions_looked_at == fixer.plans_made
        {
            return;
        }
        fixer.permissions_looked_at = fixer.plans_made;
        let needed = fixer.needed_permissions();
        if needed.is_empty() || fixer.permissions.asked() == Some(needed.as_slice()) {
            return;
        }
        // The principal an earlier answer in this window named: asked again directly.
        let known = match &fixer.permissions {
            Permissions::Done(_, PermissionCheck::Known { principal, .. }) => {
                Some(principal.clone())
            }
            _ => None,
        };
        fixer.permissions = Permissions::Checking(needed.clone());
        let opts = crate::collect::ScanOptions {
            profile: profile.clone(),
            home_region: self.start.home_region.clone(),
            ..self.scan_base.clone()
        };
        let (fix, tx, ctx) = (fixer.id, self.tx.clone(), self.ctx.clone());
        runtime.spawn(async move {
            let check = permissions::missing_permissions(&opts, known.as_deref(), &needed).await;
            let message = FixMessage::Permissions {
                asked: needed,
                check,
            };
            send(&tx, ctx.as_ref(), Background::Fix { fix, message });
        });
    }
}

/// Takes in the simulator's answer, if it is about the actions last asked about.
pub(super) fn take_answer(state: &mut FixState, asked: Vec<String>, check: PermissionCheck) {
    if state.permissions.asked() == Some(asked.as_slice()) {
        state.permissions = Permissions::Done(asked, check);
    }
}

/// What the check found, in one line above the Apply button.
pub(super) fn permissions_ui(ui: &mut Ui, state: &FixState) {
    let text = match &state.permissions {
        Permissions::NotAsked => return,
        Permissions::Checking(_) => RichText::new(t!("gui_permissions.checking")).weak(),
        Permissions::Done(_, PermissionCheck::Known { lacks, principal }) if lacks.is_empty() => {
            RichText::new(t!("gui_permissions.has_all", principal = principal)).weak()
        }
        Permissions::Done(_, PermissionCheck::Known { lacks, principal }) => RichText::new(t!(
            "gui_permissions.lacks",
            n = lacks.len(),
            actions = lacks.join(", "),
            principal = principal
        ))
        .color(warn(ui)),
        Permissions::Done(_, PermissionCheck::Unknown(why)) => {
            RichText::new(t!("gui_permissions.unknown", why = why)).weak()
        }
    };
    ui.add(egui::Label::new(text).wrap());
}
