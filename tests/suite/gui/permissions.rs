//! Issue 12: the fix window says up front which permissions the profile lacks (IAM's
//! policy simulator), before the Apply button, and lets the user go on.

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT as _, Queryable};
use onwatch::gui::fixing::Permissions;

use super::fix::{press, runtime, scanned_with, title};
use super::{assert_named, click_item, wait_until};
use crate::live::permissions::{ALLOW_DESCRIBE, user_with};
use crate::local_aws::{LocalAws, sdk_config_as};

#[test]
fn the_fix_window_names_the_permissions_the_profile_lacks() {
    let aws = LocalAws::start();
    aws.seed_regions("neglected", &["us-east-1"]);
    let runtime = runtime();
    let key = runtime.block_on(user_with(&aws, "reader", ALLOW_DESCRIBE));
    let options = onwatch::collect::ScanOptions {
        sdk_config: Some(sdk_config_as(&aws.url, &key.0, &key.1)),
        ..aws.options(&[])
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = scanned_with(options, &runtime, dir.path());
    let title = title("log-retention");
    click_item(&mut h, &title);
    press(&mut h, &format!("Fix {title}"));
    wait_until(&mut h, "the permission check", |app| {
        matches!(
            app.fixer().map(|f| &f.permissions),
            Some(Permissions::Done(..))
        )
    });
    h.get_by_label_contains(
        "The profile lacks 1 permission(s) these steps need: logs:PutRetentionPolicy (IAM's policy simulator on arn:aws:iam::123456789012:user/reader)",
    );
    assert_named(&h, "the plan with the missing permission");
    // A warning, not a lock: the simulator does not see resource or session policies.
    let apply = h
        .get_by(|n| n.role() == Role::Button && n.label().is_some_and(|l| l.starts_with("Apply ")));
    assert!(!apply.accesskit_node().is_disabled());
}
