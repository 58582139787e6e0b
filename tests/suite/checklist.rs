//! Checklist loading: every kind of bad file gives an error naming file, line and
//! column; user files add items and override parameters.

use std::path::{Path, PathBuf};

use onwatch::checklist::{self, ChecklistError, ParamValue};

/// A valid user item; `extra` lines go after `rule`, and `rule`/`id` can be replaced.
fn user_item(id: &str, rule: &str, extra: &str) -> String {
    format!(
        r#"# a user's own checklist item
[[item]]
id = "{id}"
title = "Queue depth alarm"
category = "resources"
severity = "medium"
why = "A growing queue means consumers have stopped."
rule = "{rule}"
{extra}
well_architected = ["REL06-BP01"]
docs = ["https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/"]

[item.fix]
steps = ["Create an alarm on ApproximateAgeOfOldestMessage."]
cli = "aws cloudwatch put-metric-alarm ..."
permissions = ["cloudwatch:PutMetricAlarm"]
cost = "$0.10 per alarm per month"
"#
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write temp file");
    path
}

/// Loads `text` as a user file and returns the errors.
fn errors_of(text: &str) -> (PathBuf, Vec<ChecklistError>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "mine.toml", text);
    let errors = checklist::load_path(&path).expect_err("the file is invalid");
    (path, errors)
}

/// The 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle} is in the text"))
}

fn assert_points_at(text: &str, needle: &str, message_part: &str) {
    let (path, errors) = errors_of(text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(
        e.file,
        path.display().to_string(),
        "the error names the file"
    );
    assert_eq!(
        e.line,
        line_of(text, needle),
        "the error names the line of {needle}: {e}"
    );
    assert!(e.column >= 1, "{e}");
    assert!(
        e.message.contains(message_part),
        "{e} mentions {message_part}"
    );
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!("{}:{}:", path.display(), e.line)),
        "shown as file:line:column: {shown}"
    );
}

#[test]
fn a_valid_user_item_is_added_to_the_builtin_checklist() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "queue.toml",
        &user_item(
            "queue-depth",
            "practice",
            "answerable = true\nquestion = \"Do you alarm on queue age?\"",
        ),
    );
    let loaded = checklist::load_path(dir.path()).expect("valid");
    let builtin = checklist::load_builtin().expect("builtin");
    assert_eq!(loaded.items.len(), builtin.items.len() + 1);
    assert!(loaded.item("queue-depth").is_some());
}

#[test]
fn toml_syntax_error_names_the_line() {
    let text = user_item(
        "queue-depth",
        "practice",
        "answerable = true\nquestion = \"unterminated",
    );
    assert_points_at(&text, "question = ", "");
}

#[test]
fn unknown_key_names_the_line() {
    let text = user_item(
        "queue-depth",
        "practice",
        "answerable = true\nquestion = \"q?\"\ncolour = \"red\"",
    );
    assert_points_at(&text, "colour", "colour");
}

#[test]
fn duplicate_id_names_the_line() {
    let text = user_item("guardduty-enabled", "guardduty_enabled", "");
    assert_points_at(&text, "id = \"guardduty-enabled\"", "guardduty-enabled");
}

#[test]
fn unknown_rule_names_the_line() {
    let text = user_item("queue-depth", "sqs_queue_age", "");
    assert_points_at(&text, "rule = ", "sqs_queue_age");
}

#[test]
fn parameter_of_the_wrong_type_names_the_line() {
    let text = user_item(
        "short-logs",
        "log_retention",
        "params = { min_days = \"seven\" }",
    );
    assert_points_at(&text, "min_days", "min_days");
}

#[test]
fn unknown_parameter_names_the_line() {
    let text = user_item("short-logs", "log_retention", "params = { minimum = 30 }");
    assert_points_at(&text, "minimum", "minimum");
}

#[test]
fn unknown_well_architected_id_names_the_line() {
    let text = user_item("short-logs", "log_retention", "").replace("REL06-BP01", "REL99-BP99");
    assert_points_at(&text, "REL99-BP99", "REL99-BP99");
}

#[test]
fn override_of_an_unknown_item_names_the_line() {
    let text = "[[override]]\nid = \"no-such-item\"\nseverity = \"high\"\n";
    assert_points_at(text, "no-such-item", "no-such-item");
}

#[test]
fn override_changes_parameters_and_severity() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(
        dir.path(),
        "strict.toml",
        "[[override]]\nid = \"log-retention\"\nseverity = \"high\"\nparams = { min_days = 90 }\n",
    );
    let loaded = checklist::load_path(&path).expect("valid override");
    let item = loaded.item("log-retention").expect("item");
    assert_eq!(item.severity.id(), "high");
    assert_eq!(item.params.0.get("min_days"), Some(&ParamValue::Int(90)));
}

#[test]
fn override_with_a_parameter_of_the_wrong_type_names_the_line() {
    let text = "[[override]]\nid = \"alarm-stuck\"\nparams = { max_days = 7.5 }\n";
    assert_points_at(text, "max_days", "max_days");
}

#[test]
fn the_shipped_checklist_folder_validates_and_covers_every_category() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists");
    let loaded = checklist::load_path(&dir).expect("checklists/ validates");
    let mut embedded = checklist::load_builtin().expect("builtin");
    let mut from_disk = loaded.clone();
    for item in embedded.items.iter_mut().chain(from_disk.items.iter_mut()) {
        item.source = item
            .source
            .rsplit(['/', ':'])
            .next()
            .unwrap_or_default()
            .to_string();
    }
    assert_eq!(embedded.version, from_disk.version);
    assert_eq!(embedded.practices, from_disk.practices);
    embedded.items.sort_by(|a, b| a.id.cmp(&b.id));
    from_disk.items.sort_by(|a, b| a.id.cmp(&b.id));
    let ids = |c: &checklist::Checklist| c.items.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&embedded), ids(&from_disk));
    for (a, b) in embedded.items.iter().zip(&from_disk.items) {
        assert!(
            a == b,
            "item {} differs between the binary and checklists/: {} vs {}",
            a.id,
            a.source,
            b.source
        );
    }
    for category in checklist::Category::ALL {
        assert!(
            loaded.items.iter().any(|i| i.category == category),
            "category {} has items",
            category.id()
        );
    }
    for item in &loaded.items {
        assert!(
            !item.why.trim().is_empty(),
            "{} says why it matters",
            item.id
        );
        assert!(!item.fix.steps.is_empty(), "{} says how to fix it", item.id);
        assert!(
            !item.well_architected.is_empty(),
            "{} cites Well-Architected",
            item.id
        );
        assert!(!item.docs.is_empty(), "{} links documentation", item.id);
    }
}

#[test]
fn parameters_out_of_range_point_at_the_value() {
    // The scan reads 7 days of alarm history: a longer window would count changes that
    // were never read.
    let text = "[[override]]\nid = \"alarm-flapping\"\nparams = { window_days = 14 }\n";
    assert_points_at(text, "window_days", "between 1 and 7");
    let severity =
        "[[override]]\nid = \"guardduty-findings-routed\"\nparams = { min_severity = 11 }\n";
    assert_points_at(severity, "min_severity", "between 1 and 10");
    let item = user_item("short-stuck", "alarm_stuck", "params = { max_days = 0 }");
    assert_points_at(&item, "max_days", "between 1");
    // The limits themselves are accepted.
    let dir = tempfile::tempdir().expect("temp dir");
    let ok = write(
        dir.path(),
        "ok.toml",
        "[[override]]\nid = \"alarm-flapping\"\nparams = { window_days = 7 }\n",
    );
    assert!(checklist::load_path(&ok).is_ok());
}

#[test]
fn an_invalid_item_still_owns_its_id() {
    // Two items with one id, the first invalid (unknown rule): both errors are reported,
    // and an override of the invalid item does not claim the item is unknown.
    let first = user_item("queue-depth", "no_such_rule", "");
    let second = user_item("queue-depth", "alarm_actions", "");
    let text = format!(
        "{first}\n{second}\n[[override]]\nid = \"queue-depth\"\nparams = {{ max_days = 3 }}\n"
    );
    let (_, errors) = errors_of(&text);
    let messages: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("unknown rule `no_such_rule`")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("duplicate item id `queue-depth`")),
        "{messages:#?}"
    );
    assert!(
        !messages
            .iter()
            .any(|m| m.contains("override of unknown item")),
        "{messages:#?}"
    );
    assert_eq!(errors.len(), 2, "{messages:#?}");
}
