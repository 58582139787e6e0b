//! A fix over thousands of resources (retention for every log group of a large
//! account): the plan lists one line per step, lays out only the lines on screen, and
//! copies the AWS CLI of every step at once.

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT as _, Queryable};
use onwatch::gui::{OnwatchApp, Origin};

use super::{assert_named, click_item, config, copied, harness};

#[test]
fn a_plan_of_thousands_of_steps_is_one_line_each_laid_out_only_on_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = OnwatchApp::new(config(dir.path()));
    let snapshot = onwatch::demo::with_log_groups(3000).expect("the demo with 3,000 log groups");
    app.open_snapshot(Origin::Demo, snapshot);
    let mut h = harness(app);
    h.run();
    let title = onwatch::checklist::load_builtin()
        .expect("checklist")
        .item("log-retention")
        .expect("item")
        .title
        .clone();
    click_item(&mut h, &title);
    let fix = format!("Fix {title}");
    h.get_by_role_and_label(Role::Button, &fix).scroll_to_me();
    h.run_steps(3);
    h.get_by_role_and_label(Role::Button, &fix).click();
    h.run_steps(4);
    let steps = h
        .state()
        .fixer()
        .and_then(|f| f.rows.first())
        .and_then(|r| r.plan.as_ref().ok())
        .map(|p| p.steps.len())
        .expect("the plan");
    assert!(
        steps >= 2000,
        "two in three of 3,000 groups keep logs forever: {steps}"
    );
    assert_named(&h, "a plan of thousands of steps");
    h.get_by_label_contains(&format!("{steps} steps, one line each"));
    // The first line, with its region, IAM action and undo; the last is not laid out.
    let first = h.get_by(|n| {
        n.role() == Role::Label
            && n.value()
                .is_some_and(|l| l.starts_with("1. Keep 30 days of events in log group"))
    });
    let line = first.accesskit_node().value().unwrap_or_default();
    assert!(line.contains("logs:PutRetentionPolicy"), "{line}");
    assert!(
        h.query_by(|n| n
            .value()
            .is_some_and(|l| l.starts_with(&format!("{steps}. "))))
            .is_none(),
        "only the lines on screen are laid out"
    );
    // Every step's AWS CLI command in one copy.
    let copy = format!("Copy the AWS CLI commands of all {steps} steps");
    h.get_by_role_and_label(Role::Button, &copy).click();
    h.step();
    let text = copied(&h).pop().expect("something was copied");
    let commands: Vec<&str> = text.lines().collect();
    assert_eq!(commands.len(), steps);
    assert!(
        commands
            .iter()
            .all(|c| c.starts_with("aws logs put-retention-policy")),
        "{}",
        commands[0]
    );
}
