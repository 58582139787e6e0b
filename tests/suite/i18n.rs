//! Japanese: the string catalogue is complete in both languages, every key the code asks
//! for exists, the modules that speak to people have no English left outside the
//! catalogue, and the built-in checklist is translated item by item.

mod checklist;
mod cli;
mod help;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every key of `assets/locales/*.toml`: key -> (language -> text).
fn catalogue() -> BTreeMap<String, BTreeMap<String, String>> {
    fn walk(
        prefix: &str,
        table: &toml::Table,
        file: &Path,
        out: &mut BTreeMap<String, BTreeMap<String, String>>,
    ) {
        for (key, value) in table {
            if prefix.is_empty() && key == "_version" {
                continue;
            }
            let full = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            let toml::Value::Table(inner) = value else {
                panic!("{}: `{full}` is not a table of texts", file.display());
            };
            if inner.values().all(toml::Value::is_str) {
                let texts = inner
                    .iter()
                    .map(|(lang, text)| {
                        (lang.clone(), text.as_str().unwrap_or_default().to_string())
                    })
                    .collect();
                assert!(
                    out.insert(full.clone(), texts).is_none(),
                    "{}: `{full}` is defined twice",
                    file.display()
                );
            } else {
                walk(&full, inner, file, out);
            }
        }
    }
    let mut out = BTreeMap::new();
    let dir = root().join("assets/locales");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("assets/locales is readable")
        .map(|e| e.expect("a readable entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the catalogue has files");
    for file in files {
        assert_eq!(
            file.extension().and_then(|e| e.to_str()),
            Some("toml"),
            "{}: the catalogue is TOML (the tests read it)",
            file.display()
        );
        let text = std::fs::read_to_string(&file).expect("readable");
        let table: toml::Table = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", file.display()));
        assert_eq!(
            table.get("_version").and_then(toml::Value::as_integer),
            Some(2),
            "{}: `_version = 2` (one key, both languages)",
            file.display()
        );
        walk("", &table, &file, &mut out);
    }
    out
}

fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find("%{") {
        let after = &rest[start + 2..];
        match after.find('}') {
            Some(end) => {
                out.insert(after[..end].to_string());
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

#[test]
fn every_catalogue_key_has_english_and_japanese_with_the_same_placeholders() {
    let catalogue = catalogue();
    assert!(
        catalogue.len() > 40,
        "the catalogue holds the texts ({} keys)",
        catalogue.len()
    );
    let mut problems = Vec::new();
    for (key, texts) in &catalogue {
        let langs: BTreeSet<&str> = texts.keys().map(String::as_str).collect();
        if langs != BTreeSet::from(["en", "ja"]) {
            problems.push(format!("{key}: has {langs:?}, wants en and ja"));
            continue;
        }
        let (en, ja) = (&texts["en"], &texts["ja"]);
        if en.trim().is_empty() || ja.trim().is_empty() {
            problems.push(format!("{key}: an empty text"));
        }
        if placeholders(en) != placeholders(ja) {
            problems.push(format!(
                "{key}: placeholders differ: en {:?}, ja {:?}",
                placeholders(en),
                placeholders(ja)
            ));
        }
        // Japanese text is Japanese (a key whose text is a name, such as "English",
        // may say so by being the same in both).
        if en != ja && !ja.chars().any(|c| ('\u{3000}'..='\u{9fff}').contains(&c)) {
            problems.push(format!("{key}: the Japanese text has no Japanese: {ja:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "catalogue problems:\n{}",
        problems.join("\n")
    );
}

/// The `.rs` files under `src/`.
fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("src"), &mut out);
    out.sort();
    out
}

/// The keys a source asks for with `t!("key"`.
fn keys_used(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("t!(") {
        // `t!(`, not the end of `format!(` or `print!(`.
        let before = rest[..at].strip_suffix("crate::").unwrap_or(&rest[..at]);
        let alone = !before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        let after = rest[at + 3..].trim_start();
        if !alone {
            rest = &rest[at + 3..];
            continue;
        }
        if let Some(body) = after.strip_prefix('"')
            && let Some(end) = body.find('"')
        {
            out.push(body[..end].to_string());
        }
        rest = &rest[at + 3..];
    }
    out
}

#[test]
fn every_key_the_code_asks_for_is_in_the_catalogue() {
    let catalogue = catalogue();
    let mut missing = Vec::new();
    let mut used = 0;
    for file in sources() {
        let text = std::fs::read_to_string(&file).expect("readable");
        for key in keys_used(&text) {
            used += 1;
            if !catalogue.contains_key(&key) {
                missing.push(format!("{}: {key}", file.display()));
            }
        }
    }
    assert!(used > 40, "the code reads the catalogue ({used} uses)");
    assert!(
        missing.is_empty(),
        "keys not in the catalogue:\n{}",
        missing.join("\n")
    );
}

/// The modules whose every user-facing text goes through the catalogue.
const SPEAKING: &[&str] = &[
    "src/checklist/mod.rs",
    "src/report/mod.rs",
    "src/output/pdf/layout.rs",
    "src/cli/drill.rs",
    "src/cli/fix.rs",
    "src/cli/history.rs",
    "src/cli/mod.rs",
    "src/cli/scan.rs",
    "src/gui/accept_ui.rs",
    "src/gui/actions.rs",
    "src/gui/app.rs",
    "src/gui/dialogs.rs",
    "src/gui/evidence_ui.rs",
    "src/gui/export_ui.rs",
    "src/gui/fix_run.rs",
    "src/gui/fix_run_ui.rs",
    "src/gui/fix_ui.rs",
    "src/gui/fixing.rs",
    "src/gui/fonts.rs",
    "src/gui/history_ui.rs",
    "src/gui/item_ui.rs",
    "src/gui/list_ui.rs",
    "src/gui/live.rs",
    "src/gui/plan_ui.rs",
    "src/gui/problems.rs",
    "src/gui/profiles.rs",
    "src/gui/regions.rs",
    "src/gui/regions_ui.rs",
    "src/gui/report_ui.rs",
    "src/gui/scan_ui.rs",
    "src/gui/scans.rs",
    "src/gui/scans_ui.rs",
    "src/gui/session.rs",
    "src/gui/settings.rs",
    "src/gui/start_ui.rs",
    "src/gui/widgets.rs",
    "src/output/csv.rs",
    "src/output/html.rs",
    "src/output/lens.rs",
    "src/output/markdown.rs",
    "src/output/mod.rs",
    "src/output/pdf/mod.rs",
    "src/output/pdf/render.rs",
    "src/output/since.rs",
    "src/output/svg.rs",
    "src/output/text.rs",
    "src/collect/budgets.rs",
    "src/collect/cloudtrail.rs",
    "src/collect/cloudwatch.rs",
    "src/collect/config.rs",
    "src/collect/context.rs",
    "src/collect/costexplorer.rs",
    "src/collect/ec2.rs",
    "src/collect/ecr.rs",
    "src/collect/ecs.rs",
    "src/collect/elbv2.rs",
    "src/collect/error.rs",
    "src/collect/eventbridge.rs",
    "src/collect/guardduty.rs",
    "src/collect/iam.rs",
    "src/collect/logs.rs",
    "src/collect/mod.rs",
    "src/collect/rds.rs",
    "src/collect/recorder.rs",
    "src/collect/scope.rs",
    "src/collect/sns.rs",
    "src/collect/sts.rs",
    "src/collect/synthetics.rs",
    "src/collect/tasks.rs",
    "src/collect/topics.rs",
    "src/fix/alarms.rs",
    "src/fix/audit.rs",
    "src/fix/budget.rs",
    "src/fix/canary.rs",
    "src/fix/cfn.rs",
    "src/fix/channel.rs",
    "src/fix/config.rs",
    "src/fix/drill.rs",
    "src/fix/mod.rs",
    "src/fix/op.rs",
    "src/fix/op_iam.rs",
    "src/fix/planners.rs",
    "src/fix/rds.rs",
    "src/fix/shell.rs",
    "src/fix/topics.rs",
    "src/fix/trail.rs",
    "src/rules/alert_topics.rs",
    "src/rules/alerting.rs",
    "src/rules/application.rs",
    "src/rules/aws_owned.rs",
    "src/rules/can_fire.rs",
    "src/rules/composite.rs",
    "src/rules/cost.rs",
    "src/rules/drills.rs",
    "src/rules/external.rs",
    "src/rules/guardduty_pattern.rs",
    "src/rules/mod.rs",
    "src/rules/needs.rs",
    "src/rules/policy.rs",
    "src/rules/publishers.rs",
    "src/rules/rds_connections.rs",
    "src/rules/resources.rs",
    "src/rules/routing.rs",
    "src/rules/security.rs",
    "src/rules/suppression.rs",
    "src/rules/topic_access.rs",
    "src/rules/trail.rs",
    "src/rules/unwatched.rs",
    "src/answers.rs",
    "src/accepted.rs",
    "src/report/diff.rs",
    "src/evaluate.rs",
    "src/history.rs",
    "src/demo.rs",
    "src/checklist/load.rs",
    "src/checklist/params.rs",
    "src/checklist/raw.rs",
    "src/checklist/translate.rs",
    "src/cli/help.rs",
    "src/collect/permissions.rs",
    "src/execute/alarms.rs",
    "src/execute/anomaly.rs",
    "src/execute/budgets.rs",
    "src/execute/canary.rs",
    "src/execute/config.rs",
    "src/execute/drill.rs",
    "src/execute/mod.rs",
    "src/execute/ops.rs",
    "src/execute/rds.rs",
    "src/execute/routes.rs",
    "src/execute/trail.rs",
    "src/gui/permissions.rs",
    "src/snapshot/mod.rs",
];

/// Words that are not English to translate: names of products, AWS operations and ids.
const TECHNICAL: &[&str] = &["IPAexGothic", "English"];

/// A string literal that reads as English prose: two words, or a capitalised word.
fn is_prose(literal: &str) -> bool {
    if TECHNICAL.contains(&literal) {
        return false;
    }
    // Format arguments (`{name}`, `{:>8}`) are not words.
    let mut bare = String::with_capacity(literal.len());
    let mut depth = 0usize;
    for c in literal.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    let literal = bare.as_str();
    let words: Vec<&str> = literal
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
        .collect();
    let capitalised = literal
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase())
        && literal
            .chars()
            .nth(1)
            .is_some_and(|c| c.is_ascii_lowercase());
    (words.len() >= 2 && literal.contains(' ')) || capitalised
}

/// The string literals of the code before its tests, with their line numbers; lines
/// marked `// i18n: technical` (an id, a format, a product name) are left out.
fn literals(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            break;
        }
        // Comments, attributes (`#[serde(skip_serializing_if = "...")]`) and marked ids.
        if code.starts_with("//") || code.starts_with("#[") || line.contains("// i18n: technical") {
            continue;
        }
        if [
            "tracing::",
            "debug!(",
            "warn!(",
            "info!(",
            "t!(",
            "crate::t!(",
        ]
        .iter()
        .any(|m| code.starts_with(m))
        {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find('"') {
            let body = &rest[start + 1..];
            let mut end = None;
            let mut escaped = false;
            for (i, c) in body.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = Some(i);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            let Some(end) = end else { break };
            let before = rest[..start].trim_end();
            let is_key = before.strip_suffix("t!(").is_some_and(|b| {
                let b = b.strip_suffix("crate::").unwrap_or(b);
                !b.chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            if !is_key {
                out.push((n + 1, body[..end].to_string()));
            }
            rest = &body[end + 1..];
        }
    }
    out
}

#[test]
fn modules_that_speak_to_people_have_no_english_outside_the_catalogue() {
    let mut found = Vec::new();
    for file in SPEAKING {
        let text =
            std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        for (line, literal) in literals(&text) {
            if is_prose(&literal) {
                found.push(format!("{file}:{line}: {literal:?}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English text outside the catalogue (move it to assets/locales, or mark an id or \
         format `// i18n: technical`):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_literal_check_finds_english_and_lets_keys_and_ids_through() {
    let code = "let a = \"Open the demo\";\nlet b = t!(\"start.open_demo\");\nlet c = \"top-bar\";\n\
                let d = \"Dismiss\";\nlet e = \"%Y-%m-%d %H:%M\";\nlet f = \"Skip me\"; // i18n: technical\n\
                let g = format!(\"Fixed {n} items\");\n";
    let prose: Vec<String> = literals(code)
        .into_iter()
        .filter(|(_, l)| is_prose(l))
        .map(|(_, l)| l)
        .collect();
    assert_eq!(prose, ["Open the demo", "Dismiss", "Fixed {n} items"]);
    assert!(
        !is_prose("{name} ({region})"),
        "format arguments are not words"
    );
    assert_eq!(keys_used(code), ["start.open_demo"]);
    assert_eq!(keys_used("crate::t!(\"a.b\", n = 1)"), ["a.b"]);
}

/// Runs `body` in a child process of this test binary (`name`: the test's path, e.g.
/// `gui::japanese::start_screen`), so switching the process-wide language cannot reach
/// tests that plain `cargo test` runs on other threads of this process.
pub fn in_own_process(name: &str, body: impl FnOnce()) {
    if std::env::var_os("ONWATCH_TEST_CHILD").is_some() {
        body();
        return;
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = std::process::Command::new(exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env("ONWATCH_TEST_CHILD", "1")
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{name} failed in its own process:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("1 passed"),
        "{name} ran exactly one test in its own process:\n{stdout}"
    );
}
