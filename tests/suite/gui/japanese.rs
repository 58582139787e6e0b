//! Issue 14: the window in Japanese. The user picks 日本語 in the Language menu on the
//! start screen; from then on the start screen, the main view, an item's detail and a
//! fix plan speak Japanese (AccessKit names included), and the choice is remembered.
//! Each test runs in its own process: the language is process-wide.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use onwatch::gui::OnwatchApp;
use onwatch::i18n::Lang;

use super::{assert_named, config, harness};
use crate::i18n::in_own_process;

fn ja_item(id: &str) -> onwatch::checklist::Item {
    onwatch::checklist::load_builtin()
        .expect("checklist")
        .localized(Lang::Ja)
        .item(id)
        .expect("item")
        .clone()
}

fn pick_japanese(h: &mut Harness<'_, OnwatchApp>) {
    h.get_by_role_and_label(Role::ComboBox, "Language").click();
    h.run();
    h.get_by_label("日本語").click();
    h.run();
}

#[test]
fn the_window_speaks_japanese_once_picked_and_remembers_it() {
    in_own_process(
        "gui::japanese::the_window_speaks_japanese_once_picked_and_remembers_it",
        || {
            let dir = tempfile::tempdir().expect("temp dir");
            let mut h = harness(OnwatchApp::new(config(dir.path())));
            h.run();
            // English first (the test machine's locale is not Japanese).
            h.get_by_role_and_label(Role::Button, "Open the demo account");
            pick_japanese(&mut h);
            assert_eq!(
                h.state().settings_to_save().language,
                Some(Lang::Ja),
                "remembered"
            );
            // The start screen.
            h.get_by_role_and_label(Role::ComboBox, "言語 (Language)");
            h.get_by_label("AWS アカウントをスキャン");
            assert!(
                h.query_by_role_and_label(Role::Button, "Open the demo account")
                    .is_none(),
                "no English button left on the start screen"
            );
            assert_named(&h, "start screen in Japanese");
            h.get_by_role_and_label(Role::Button, "デモアカウントを開く")
                .click();
            h.run();
            assert!(h.state().report().is_some(), "the demo account is open");

            // The main view: the top bar, the filter, and the checklist's own texts.
            h.get_by_role_and_label(Role::Button, "レポートを書き出し");
            h.get_by_role_and_label(Role::Button, "スタート画面に戻る");
            h.get_by_role_and_label(Role::TextInput, "検索");
            let title = ja_item("log-retention").title;
            assert_eq!(
                h.state()
                    .report()
                    .expect("report")
                    .item("log-retention")
                    .expect("item")
                    .title,
                title,
                "the report the window shows has the Japanese title"
            );
            assert_named(&h, "main view in Japanese");
            let search = h.get_by_role_and_label(Role::TextInput, "検索");
            search.focus();
            search.type_text(&title);
            h.run();
            h.get_by(|n| {
                n.role() == Role::Button
                    && n.label()
                        .is_some_and(|l| l.contains(&title) && !l.contains("修正"))
            })
            .click();
            h.run();
            // The item's why, in Japanese, from checklists/ja.
            let why = ja_item("log-retention").why;
            let start: String = why.chars().take(12).collect();
            h.get_by_label_contains(&start);

            // A fix plan in Japanese.
            let fix = format!("{title} を修正");
            h.get_by_role_and_label(Role::Button, &fix).scroll_to_me();
            h.run_steps(3);
            h.get_by_role_and_label(Role::Button, &fix).click();
            h.run_steps(4);
            assert!(h.state().fixer().is_some(), "the fix window opened");
            h.get_by_label_contains("これはデモアカウントです");
            h.get_by_role_and_label(Role::ComboBox, "ログイベントの保持期間");
            h.get_by_label_contains("警告: ");
            assert_named(&h, "fix plan in Japanese");
            h.get_by_role_and_label(Role::Button, "修正ウィンドウを閉じる")
                .click();
            h.run();

            // Back to English from the main view's menu: the same report in English.
            h.get_by_role_and_label(Role::ComboBox, "言語 (Language)")
                .click();
            h.run();
            h.get_by_label("English").click();
            h.run();
            h.get_by_role_and_label(Role::Button, "Export report");
            let english = onwatch::checklist::load_builtin()
                .expect("checklist")
                .item("log-retention")
                .expect("item")
                .title
                .clone();
            assert_eq!(
                h.state()
                    .report()
                    .expect("report")
                    .item("log-retention")
                    .expect("item")
                    .title,
                english
            );
        },
    );
}

#[test]
fn a_saved_language_opens_the_window_in_it_and_json_exports_stay_english() {
    in_own_process(
        "gui::japanese::a_saved_language_opens_the_window_in_it_and_json_exports_stay_english",
        || {
            let dir = tempfile::tempdir().expect("temp dir");
            let mut cfg = config(dir.path());
            cfg.settings.language = Some(Lang::Ja);
            let mut h = harness(OnwatchApp::new(cfg));
            h.run();
            h.get_by_role_and_label(Role::Button, "デモアカウントを開く")
                .click();
            h.run();
            let shown = h.state().report().expect("report").clone();
            let session = h.state().session().expect("session");
            let neutral = session.neutral_report();
            let english = onwatch::checklist::load_builtin().expect("checklist");
            for item in &neutral.items {
                assert_eq!(item.title, english.item(&item.id).expect("item").title);
            }
            assert_ne!(
                shown.items[0].title, neutral.items[0].title,
                "the window shows Japanese"
            );
            assert_eq!(
                shown.score, neutral.score,
                "the same verdicts in both languages"
            );
            let verdicts = |r: &onwatch::report::Report| {
                r.items
                    .iter()
                    .map(|i| (i.id.clone(), i.status))
                    .collect::<Vec<_>>()
            };
            assert_eq!(verdicts(&shown), verdicts(&neutral));
            // The evidence the rules write follows the language too, and JSON keeps English.
            let evidence = |r: &onwatch::report::Report| {
                r.items
                    .iter()
                    .flat_map(|i| i.findings.iter().map(|f| f.evidence.clone()))
                    .collect::<Vec<_>>()
            };
            let (ja, en) = (evidence(&shown), evidence(&neutral));
            assert!(
                ja.iter().any(|e| e.contains("ありません")),
                "Japanese evidence: {ja:?}"
            );
            assert!(en.iter().any(|e| e == "no routed alarm"), "{en:?}");
        },
    );
}
