//! The start screen: profiles, the home region, messages that say what to do, saved
//! snapshots, file dialogs, and what the window remembers.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT as _, Queryable};
use onwatch::collect::{CollectError, ScanOptions};
use onwatch::gui::{
    Action, Background, FileDialogs, OnwatchApp, Pending, Problem, ProblemKind, ProfileKind,
    SETTINGS_KEY, Screen, Settings, ThemeChoice, parse_profiles,
};

use super::{assert_named, config, copied, harness, wait_until};

#[test]
fn aws_profiles_include_sso_and_credentials_file_profiles() {
    let config = "[default]\nregion = eu-west-1\n\n[profile dev]\nsso_session = acme\nsso_account_id = 1\n\
        [sso-session acme]\nsso_start_url = https://acme.awsapps.com/start\n\
        [profile deploy]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n\
        [services local]\ns3 =\n  endpoint_url = http://localhost\n";
    let credentials = "[default]\naws_access_key_id = AKIA\naws_secret_access_key = x\n[ci]\naws_access_key_id = AKIB\n";
    let profiles = parse_profiles(config, credentials);
    let names: Vec<(&str, ProfileKind)> =
        profiles.iter().map(|p| (p.name.as_str(), p.kind)).collect();
    assert_eq!(
        names,
        vec![
            ("ci", ProfileKind::Keys),
            ("default", ProfileKind::Keys),
            ("deploy", ProfileKind::Role),
            ("dev", ProfileKind::Sso),
        ]
    );
    assert_eq!(profiles[1].region.as_deref(), Some("eu-west-1"));
}

#[test]
fn start_screen_lists_profiles_from_the_aws_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("aws")).expect("mkdir");
    std::fs::write(
        dir.path().join("aws/config"),
        "[profile prod-sso]\nsso_session = acme\n",
    )
    .expect("write");
    let mut h = harness(OnwatchApp::new(config(dir.path())));
    h.run();
    assert_named(&h, "start screen");
    let names: Vec<&str> = h
        .state()
        .start_state()
        .profiles
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, vec!["prod-sso"]);
    h.get_by_role_and_label(Role::ComboBox, "Profile");
    h.get_by_role_and_label(Role::ComboBox, "Home region");
    h.get_by_role_and_label(Role::Button, "Open the demo account");
    h.get_by_role_and_label(Role::Button, "Browse for a snapshot");
}

#[test]
fn a_bad_snapshot_path_says_what_failed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness(OnwatchApp::new(config(dir.path())));
    let missing = dir.path().join("no-such-scan.json");
    let field = h.get_by_role_and_label(Role::TextInput, "File");
    field.focus();
    field.type_text(&missing.display().to_string());
    h.run();
    h.get_by_role_and_label(Role::Button, "Open snapshot")
        .click();
    h.run();
    assert!(matches!(h.state().screen(), Screen::Start));
    let notice = h.state().notice().expect("an error is shown");
    assert!(
        notice.error && notice.text.contains("no-such-scan.json"),
        "{notice:?}"
    );
    // Also next to the field it is about.
    let error = h.state().start_state().snapshot_error.clone();
    let error = error.expect("the snapshot card shows the error");
    assert_eq!(
        h.query_all_by_label(&error).count(),
        2,
        "in the message bar and in the snapshot card"
    );
    assert_named(&h, "snapshot error");

    // A real snapshot opens.
    let good = dir.path().join("demo.json");
    onwatch::demo::snapshot()
        .expect("demo")
        .save(&good)
        .expect("save");
    h.state_mut().push(Action::OpenSnapshot(good));
    h.run();
    assert!(h.state().report().is_some());
}

/// A message longer than the card is wrapped inside it (a row would cut it off).
fn assert_fits_the_scan_card(h: &egui_kittest::Harness<'_, OnwatchApp>, text: &str) {
    let label = h.get_by_label(text);
    let rect = label.rect();
    assert!(
        rect.max.x <= 1400.0 / 2.0 + 1.0 && rect.height() > 20.0,
        "the message is one clipped line ({rect:?}): {text}"
    );
}

#[test]
fn an_unreachable_endpoint_says_to_check_the_network() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cfg = config(dir.path());
    cfg.runtime = Some(runtime.handle().clone());
    // Nothing listens on port 1.
    cfg.scan_base = ScanOptions {
        sdk_config: Some(crate::local_aws::sdk_config_for("http://127.0.0.1:1")),
        ..ScanOptions::default()
    };
    let mut h = harness(OnwatchApp::new(cfg));
    h.get_by_role_and_label(Role::Button, "Check identity")
        .click();
    h.step();
    wait_until(&mut h, "the identity check to fail", |app| {
        matches!(app.start_state().identity, Pending::Done(_))
    });
    let problem = match &h.state().start_state().identity {
        Pending::Done(Err(p)) => p.clone(),
        other => panic!("expected a failure, got {other:?}"),
    };
    assert_eq!(problem.kind, ProblemKind::Network, "{problem:?}");
    assert!(
        problem
            .text
            .starts_with("Could not reach AWS. Check the network")
    );
    assert_fits_the_scan_card(&h, &problem.text);
    let detail = problem.detail.expect("the error underneath is shown");
    h.get_by_label(&detail);
    assert!(
        h.query_by_label_contains("--region").is_none() && !problem.text.contains("--"),
        "the window does not talk about command-line flags"
    );
    assert_named(&h, "start screen with a network error");
    let scan = h.get_by_role_and_label(Role::Button, "Scan the account");
    assert!(scan.accesskit_node().is_disabled());
}

#[test]
fn an_expired_sso_session_shows_the_login_command_with_a_copy_button() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("aws")).expect("mkdir");
    std::fs::write(
        dir.path().join("aws/config"),
        "[profile dev]\nsso_session = acme\n",
    )
    .expect("write");
    let mut h = harness(OnwatchApp::new(config(dir.path())));
    h.state_mut().push(Action::PickProfile(Some("dev".into())));
    h.run();
    // What collect returns for an expired session, as the window gets it.
    let expired = CollectError::SsoExpired {
        profile: "dev".into(),
    };
    let problem = Problem::from_collect(&expired, Some(ProfileKind::Sso));
    h.state_mut().deliver(Background::Identity {
        profile: Some("dev".into()),
        result: Err(problem.clone()),
    });
    h.run();
    assert_fits_the_scan_card(&h, &problem.text);
    h.get_by_label("aws sso login --profile dev");
    assert_named(&h, "start screen with an expired SSO session");
    h.get_by_role_and_label(Role::Button, "Copy the command aws sso login --profile dev")
        .click();
    h.step();
    assert_eq!(copied(&h), vec!["aws sso login --profile dev".to_string()]);
}

#[test]
fn a_profile_without_a_region_asks_for_a_home_region_in_the_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness(OnwatchApp::new(config(dir.path())));
    h.run();
    let problem = Problem::from_collect(&CollectError::NoRegion, None);
    assert_eq!(problem.kind, ProblemKind::NoRegion);
    h.state_mut().deliver(Background::Identity {
        profile: None,
        result: Err(problem.clone()),
    });
    h.run();
    assert_fits_the_scan_card(&h, &problem.text);
    assert!(
        problem.text.contains("Choose a home region above"),
        "{problem:?}"
    );
    assert!(!problem.text.contains("--region"));
    // The home region is picked right there.
    h.get_by_role_and_label(Role::ComboBox, "Home region")
        .click();
    h.run();
    assert_named(&h, "home region list");
    h.get_by_label("ap-south-1").click();
    h.run();
    assert_eq!(
        h.state().start_state().home_region.as_deref(),
        Some("ap-south-1")
    );
    assert_eq!(
        h.state().start_state().identity,
        Pending::Idle,
        "a new home region asks for a new check"
    );
}

/// eframe's storage, in memory.
#[derive(Default)]
struct Memory(BTreeMap<String, String>);

impl eframe::Storage for Memory {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn settings_are_saved_and_read_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("aws")).expect("mkdir");
    std::fs::write(
        dir.path().join("aws/config"),
        "[profile prod]\nregion = eu-west-1\n",
    )
    .expect("write");
    let mut cfg = config(dir.path());
    cfg.settings.regions = vec!["eu-west-1".into(), "us-east-1".into()];
    let mut h = harness(OnwatchApp::new(cfg));
    h.state_mut().push(Action::PickProfile(Some("prod".into())));
    h.state_mut()
        .push(Action::PickHomeRegion(Some("eu-west-1".into())));
    h.run();
    h.get_by_role_and_label(Role::Button, "Open the demo account")
        .click();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "Theme").click();
    h.run();
    assert_named(&h, "theme list");
    h.get_by_label("Dark").click();
    h.run();
    assert_eq!(h.state().settings.theme, ThemeChoice::Dark);

    let mut storage = Memory::default();
    eframe::App::save(h.state_mut(), &mut storage);
    let read: Settings = eframe::get_value(&storage, SETTINGS_KEY).expect("settings were saved");
    assert_eq!(read.theme, ThemeChoice::Dark);
    assert_eq!(read.profile.as_deref(), Some("prod"));
    assert_eq!(read.home_region.as_deref(), Some("eu-west-1"));
    assert_eq!(read.regions, ["eu-west-1", "us-east-1"]);
    assert_eq!(read.export_dir.as_deref(), Some(dir.path()));

    // A new window starts where this one stopped.
    let mut cfg = config(dir.path());
    cfg.settings = read;
    let again = harness(OnwatchApp::new(cfg));
    let start = again.state().start_state();
    assert_eq!(start.profile.as_deref(), Some("prod"));
    assert_eq!(start.home_region.as_deref(), Some("eu-west-1"));
    assert_eq!(start.chosen_regions.len(), 2);
    assert_eq!(again.state().settings.theme, ThemeChoice::Dark);
}

#[test]
fn without_a_file_dialog_the_window_says_so_once_and_focuses_the_path_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let calls = Arc::new(AtomicUsize::new(0));
    let mut cfg = config(dir.path());
    let counted = Arc::clone(&calls);
    // rfd without a portal or zenity: None, at once.
    cfg.dialogs = FileDialogs::new(move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
        None
    });
    let mut h = harness(OnwatchApp::new(cfg));
    h.get_by_role_and_label(Role::Button, "Browse for a snapshot")
        .click();
    h.step();
    wait_until(&mut h, "the dialog to close", |app| !app.dialog_open());
    assert!(h.state().dialogs_missing());
    let notice = h
        .state()
        .notice()
        .expect("the window says why nothing opened");
    assert!(notice.text.contains("No file dialog"), "{notice:?}");
    assert!(
        h.get_by_role_and_label(Role::TextInput, "File")
            .is_focused(),
        "the path field is where to go instead"
    );
    let browse = h.get_by_role_and_label(Role::Button, "Browse for a snapshot");
    assert!(browse.accesskit_node().is_disabled(), "no second try");
    h.state_mut().push(Action::BrowseSnapshot);
    h.run();
    assert_eq!(calls.load(Ordering::SeqCst), 1, "it is not asked again");
    assert_named(&h, "start screen without file dialogs");
}

#[test]
fn a_cancelled_file_dialog_is_quiet_and_only_one_opens_at_a_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let calls = Arc::new(AtomicUsize::new(0));
    let mut cfg = config(dir.path());
    let counted = Arc::clone(&calls);
    // A person who looks at the dialog, then cancels.
    cfg.dialogs = FileDialogs::new(move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(600));
        None
    });
    let mut h = harness(OnwatchApp::new(cfg));
    h.get_by_role_and_label(Role::Button, "Browse for a snapshot")
        .click();
    h.step();
    assert!(h.state().dialog_open());
    h.step();
    let browse = h.get_by_role_and_label(Role::Button, "Browse for a snapshot");
    assert!(
        browse.accesskit_node().is_disabled(),
        "one dialog at a time"
    );
    h.state_mut().push(Action::BrowseSnapshot);
    h.step();
    wait_until(&mut h, "the dialog to close", |app| !app.dialog_open());
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(!h.state().dialogs_missing());
    assert!(h.state().notice().is_none(), "a cancel needs no message");
    let browse = h.get_by_role_and_label(Role::Button, "Browse for a snapshot");
    assert!(!browse.accesskit_node().is_disabled());
}
