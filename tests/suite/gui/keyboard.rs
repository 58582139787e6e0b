//! The main view without a mouse: Ctrl+F, Escape, the arrow keys and Tab.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use onwatch::gui::{OnwatchApp, Row, StatusFilter, visible_rows};

use super::{assert_named, demo, report};

fn search_focused(h: &Harness<'_, OnwatchApp>) -> bool {
    h.get_by_role_and_label(Role::TextInput, "Search")
        .is_focused()
}

/// The items in the order the list shows them.
fn list_order(h: &Harness<'_, OnwatchApp>) -> Vec<usize> {
    visible_rows(&report(h), StatusFilter::All, "")
        .into_iter()
        .filter_map(|r| match r {
            Row::Item(i) => Some(i),
            Row::Category(_) => None,
        })
        .collect()
}

#[test]
fn ctrl_f_focuses_search_and_escape_clears_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    assert!(!search_focused(&h));
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    assert!(
        search_focused(&h),
        "Ctrl+F puts the cursor in the search field"
    );
    h.get_by_role_and_label(Role::TextInput, "Search")
        .type_text("guardduty");
    h.run();
    let rows = report(&h)
        .items
        .iter()
        .filter(|i| i.title.to_lowercase().contains("guardduty"))
        .count();
    assert!(rows > 0);
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "Search")
            .value()
            .as_deref(),
        Some("guardduty")
    );
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "Search")
            .value()
            .as_deref(),
        Some(""),
        "Escape clears the search"
    );
    assert!(!search_focused(&h), "and leaves the field");
}

#[test]
fn arrow_keys_move_the_selection_through_the_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let order = list_order(&h);
    let start = h
        .state()
        .selected()
        .expect("an item is selected on opening");
    let at = order
        .iter()
        .position(|i| *i == start)
        .expect("the selection is listed");
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(h.state().selected(), Some(order[at + 1]));
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(h.state().selected(), Some(order[at + 2]));
    h.key_press(Key::ArrowUp);
    h.run();
    assert_eq!(h.state().selected(), Some(order[at + 1]));
    // The detail follows: the selected item's title is the heading.
    let title = &report(&h).items[order[at + 1]].title;
    assert!(h.query_all_by_label(title).count() >= 1);

    // While the search field has the keyboard, the arrows are the field's.
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(h.state().selected(), Some(order[at + 1]));
}

#[test]
fn tab_reaches_the_buttons_and_enter_presses_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let mut reached = false;
    for _ in 0..200 {
        h.key_press(Key::Tab);
        h.run();
        if h.get_by_role_and_label(Role::Button, "Export report")
            .is_focused()
        {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab reaches the Export button");
    h.key_press(Key::Enter);
    h.run();
    h.get_by_role_and_label(Role::Window, "Export report");
    h.get_by_role_and_label(Role::Button, "Save export");
    assert_named(&h, "export dialog opened from the keyboard");
    // Escape closes the dialog without saving.
    h.key_press(Key::Escape);
    h.run();
    assert!(
        h.query_by_role_and_label(Role::Button, "Save export")
            .is_none()
    );
    assert!(h.state().notice().is_none(), "nothing was exported");
}

/// Tab walks from the selected item's Fix button into the fix window and to its
/// Close button; Enter presses each. The same keys reach Fix everything.
#[test]
fn the_fix_window_is_reachable_and_closable_from_the_keyboard() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let tab_to = |h: &mut Harness<'_, OnwatchApp>, name: &str| {
        for _ in 0..300 {
            h.key_press(Key::Tab);
            h.run();
            if h.query_by_role_and_label(Role::Button, name)
                .is_some_and(|b| b.is_focused())
            {
                return true;
            }
        }
        false
    };
    let fix_all = format!(
        "Fix everything: {} failing item(s) with a fix",
        onwatch::gui::fixing::fixable_failing(&report(&h)).len()
    );
    assert!(tab_to(&mut h, &fix_all), "Tab reaches Fix everything");
    h.key_press(Key::Enter);
    h.run();
    assert!(h.state().fixer().is_some(), "Enter opens the fix window");
    assert!(
        tab_to(&mut h, "Close the fix window"),
        "Tab reaches the window's Close button"
    );
    h.key_press(Key::Enter);
    h.run();
    assert!(h.state().fixer().is_none(), "Enter closes it");
}
