//! The Well-Architected custom lens (`--format wa-lens`): golden file of the built-in
//! checklist's lens, and a check of every documented limit of the lens format
//! (https://docs.aws.amazon.com/wellarchitected/latest/userguide/lenses-format-specification.html;
//! 500 KB from ImportLens), written here from the documentation, apart from the code
//! that builds the lens.

use std::collections::{BTreeMap, BTreeSet};

use onwatch::output::{Format, render};
use serde_json::Value;

use crate::fixtures::{builtin, demo_report};

const FRAMEWORK_PILLARS: &[&str] = &[
    "operationalExcellence",
    "security",
    "reliability",
    "performance",
    "costOptimization",
    "sustainability",
];

fn is_id(id: &str) -> bool {
    (3..=128).contains(&id.chars().count())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn resource_problems(at: &str, r: &Value, out: &mut Vec<String>) {
    if chars(&r["displayText"]) == 0 || chars(&r["displayText"]) > 2048 {
        out.push(format!("{at}: displayText must be 1-2048 characters"));
    }
    if let Some(url) = r.get("url") {
        let url = url.as_str().unwrap_or("");
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            out.push(format!(
                "{at}: url {url:?} must start with http:// or https://"
            ));
        }
    }
}

/// Every way a lens file breaks the documented format.
fn lens_problems(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    if text.len() > 500_000 {
        out.push(format!("{} bytes, more than 500 KB", text.len()));
    }
    let lens: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return vec![format!("not JSON: {e}")],
    };
    if lens["schemaVersion"] != "2021-11-01" {
        out.push("schemaVersion is not 2021-11-01".into());
    }
    if !(1..=128).contains(&chars(&lens["name"])) {
        out.push("name must be 1-128 characters".into());
    }
    if chars(&lens["description"]) > 2048 {
        out.push("description over 2048 characters".into());
    }
    let pillars = lens["pillars"].as_array().cloned().unwrap_or_default();
    if pillars.is_empty() || pillars.len() > 10 {
        out.push(format!("{} pillars (1-10)", pillars.len()));
    }
    let mut question_ids = BTreeSet::new();
    let mut pillar_ids = BTreeSet::new();
    for p in &pillars {
        let pid = p["id"].as_str().unwrap_or("");
        if !is_id(pid) || !pillar_ids.insert(pid) {
            out.push(format!("pillar id {pid:?} invalid or repeated"));
        }
        if !(1..=128).contains(&chars(&p["name"])) {
            out.push(format!("pillar {pid}: name must be 1-128 characters"));
        }
        let questions = p["questions"].as_array().cloned().unwrap_or_default();
        if questions.is_empty() || questions.len() > 20 {
            out.push(format!(
                "pillar {pid}: {} questions (1-20)",
                questions.len()
            ));
        }
        for q in &questions {
            let qid = q["id"].as_str().unwrap_or("").to_string();
            if !is_id(&qid) || !question_ids.insert(qid.clone()) {
                out.push(format!("question id {qid:?} invalid or repeated"));
            }
            if !(1..=128).contains(&chars(&q["title"])) {
                out.push(format!("{qid}: title must be 1-128 characters"));
            }
            if chars(&q["description"]) > 2048 {
                out.push(format!("{qid}: description over 2048 characters"));
            }
            let choices = q["choices"].as_array().cloned().unwrap_or_default();
            if choices.len() < 2 || choices.len() > 15 {
                out.push(format!("{qid}: {} choices (2-15)", choices.len()));
            }
            let mut choice_ids = BTreeSet::new();
            for c in &choices {
                let cid = c["id"].as_str().unwrap_or("").to_string();
                let at = format!("{qid}/{cid}");
                if !is_id(&cid) || !choice_ids.insert(cid.clone()) {
                    out.push(format!("{at}: choice id invalid or repeated"));
                }
                if !(1..=128).contains(&chars(&c["title"])) {
                    out.push(format!("{at}: title must be 1-128 characters"));
                }
                if let Some(r) = c.get("helpfulResource") {
                    resource_problems(&format!("{at} helpfulResource"), r, &mut out);
                }
                match c.get("improvementPlan") {
                    Some(r) => resource_problems(&format!("{at} improvementPlan"), r, &mut out),
                    None if cid.ends_with("_no") => {}
                    None => out.push(format!(
                        "{at}: every choice but None of these needs an improvementPlan"
                    )),
                }
            }
            let rules = q["riskRules"].as_array().cloned().unwrap_or_default();
            let risks: BTreeSet<&str> = rules.iter().filter_map(|r| r["risk"].as_str()).collect();
            if rules.is_empty() || rules.len() > 3 || risks.len() != rules.len() {
                out.push(format!("{qid}: 1-3 risk rules, one per risk"));
            }
            if !risks
                .iter()
                .all(|r| ["HIGH_RISK", "MEDIUM_RISK", "NO_RISK"].contains(r))
            {
                out.push(format!("{qid}: unknown risk in {risks:?}"));
            }
            if !rules.iter().any(|r| r["condition"] == "default") {
                out.push(format!("{qid}: no default rule"));
            }
            for r in &rules {
                let condition = r["condition"].as_str().unwrap_or("");
                if condition == "default" {
                    continue;
                }
                for token in condition
                    .split(|c: char| "&|!() ".contains(c))
                    .filter(|t| !t.is_empty())
                {
                    if !choice_ids.contains(token) {
                        out.push(format!("{qid}: condition names {token:?}, not a choice"));
                    }
                }
            }
        }
    }
    out
}

fn lens_text() -> String {
    render(&demo_report(), &builtin(), Format::WaLens).expect("renders")
}

#[test]
fn demo_lens_golden() {
    insta::assert_snapshot!("demo_lens", lens_text());
}

#[test]
fn the_lens_is_within_every_documented_limit_and_covers_every_cited_item() {
    let text = lens_text();
    let problems = lens_problems(&text);
    assert!(problems.is_empty(), "{problems:#?}");
    let lens: Value = serde_json::from_str(&text).expect("JSON");
    // Questions map onto the framework's own pillars.
    let mut choices: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in lens["pillars"].as_array().expect("pillars") {
        assert!(FRAMEWORK_PILLARS.contains(&p["id"].as_str().unwrap_or("")));
        for q in p["questions"].as_array().expect("questions") {
            let title = q["title"].as_str().unwrap_or("");
            let practice = title.split(' ').next().unwrap_or("").to_string();
            for c in q["choices"].as_array().expect("choices") {
                choices
                    .entry(practice.clone())
                    .or_default()
                    .insert(c["title"].as_str().unwrap_or("").to_string());
            }
        }
    }
    let checklist = builtin();
    for item in &checklist.items {
        for bp in &item.well_architected {
            assert!(
                choices.get(bp).is_some_and(|c| c.contains(&item.title)),
                "{} is a choice under {bp}",
                item.id
            );
        }
    }
}

#[test]
fn a_practice_with_more_items_than_a_question_holds_is_split_not_cut() {
    let mut checklist = builtin();
    let template = checklist
        .items
        .iter()
        .find(|i| i.well_architected.iter().any(|bp| bp == "OPS08-BP04"))
        .cloned()
        .expect("an item cites OPS08-BP04");
    for n in 0..12 {
        let mut extra = template.clone();
        extra.id = format!("my-alarm-{n}");
        extra.title = format!("My alarm check {n}");
        checklist.items.push(extra);
    }
    let cited = checklist
        .items
        .iter()
        .filter(|i| i.well_architected.iter().any(|bp| bp == "OPS08-BP04"))
        .count();
    assert!(cited > 14, "{cited} items need two questions");
    let text = render(&demo_report(), &checklist, Format::WaLens).expect("renders");
    let problems = lens_problems(&text);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(text.contains("OPS08-BP04 Create actionable alerts (part 1 of 2)"));
    assert!(text.contains("OPS08-BP04 Create actionable alerts (part 2 of 2)"));
    for n in 0..12 {
        assert!(
            text.contains(&format!("\"My alarm check {n}\"")),
            "item {n} kept"
        );
    }
}

#[test]
fn the_checker_catches_what_the_tool_would_refuse() {
    // The limits test above is only as good as its checker: feed it broken lenses.
    let good: Value = serde_json::from_str(&lens_text()).expect("JSON");
    let broken = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        lens_problems(&v.to_string())
    };
    fn q(v: &mut Value) -> &mut Value {
        &mut v["pillars"][0]["questions"][0]
    }
    type Break = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Break)> = vec![
        (
            "long title",
            Box::new(|v| q(v)["title"] = Value::from("x".repeat(129))),
        ),
        ("bad id", Box::new(|v| q(v)["id"] = Value::from("OPS-1"))),
        (
            "no default",
            Box::new(|v| {
                q(v)["riskRules"] = serde_json::json!([{"condition": "x", "risk": "NO_RISK"}]);
            }),
        ),
        (
            "16 choices",
            Box::new(|v| {
                let c = q(v)["choices"][0].clone();
                q(v)["choices"] = (0..16)
                    .map(|n| {
                        let mut c = c.clone();
                        c["id"] = Value::from(format!("c_{n:02}"));
                        c
                    })
                    .collect();
            }),
        ),
        (
            "no plan",
            Box::new(|v| {
                if let Some(c) = q(v)["choices"][0].as_object_mut() {
                    c.remove("improvementPlan");
                }
            }),
        ),
        (
            "javascript url",
            Box::new(|v| {
                q(v)["choices"][0]["helpfulResource"]["url"] = Value::from("javascript:alert(1)");
            }),
        ),
    ];
    for (what, f) in cases {
        assert!(!broken(&*f).is_empty(), "the checker misses: {what}");
    }
}

#[test]
fn hostile_checklist_text_stays_text_in_the_lens() {
    let hostile = "\"}], \"pillars\": [] <script>\u{0}\u{202e}";
    let mut checklist = builtin();
    for item in &mut checklist.items {
        item.title = format!("{hostile}{}", item.title);
        item.why = hostile.repeat(200);
        item.docs = vec!["javascript:alert(1)".into()];
    }
    let text = render(&demo_report(), &checklist, Format::WaLens).expect("renders");
    let problems = lens_problems(&text);
    assert!(problems.is_empty(), "{problems:#?}");
    let lens: Value = serde_json::from_str(&text).expect("JSON");
    let first = &lens["pillars"][0]["questions"][0]["choices"][0];
    assert!(
        first["title"]
            .as_str()
            .is_some_and(|t| t.starts_with(hostile))
    );
    assert!(
        first["helpfulResource"].get("url").is_none(),
        "only web links"
    );
}
