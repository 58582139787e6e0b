//! A custom lens for the AWS Well-Architected Tool (lens format schemaVersion
//! 2021-11-01): one question per best practice the checklist cites, under the
//! framework's own pillar ids, one choice per onwatch item behind that practice (its
//! why as the helpful resource, its fix steps as the improvement plan), a "None of
//! these" choice, and risk rules: every item done is no risk, every high and critical
//! item done is medium risk, anything else is high risk.
//!
//! Limits from the lens format specification
//! (<https://docs.aws.amazon.com/wellarchitected/latest/userguide/lenses-format-specification.html>):
//! ids 3-128 characters of letters, digits and `_`; names and titles up to 128
//! characters; descriptions and display texts up to 2048; up to 10 pillars, 20
//! questions per pillar, 15 choices per question, 3 risk rules with a `default`; the
//! file at most 500 KB (ImportLens). A practice with more items than fit in one
//! question is split into parts. The lens comes from the checklist, not from one
//! account: it is imported once and answered per workload.
//!
//! The display texts (names, titles, descriptions, helpful resources and improvement
//! plans) follow the language in use; ids, pillar ids, risk rules and URLs never do.
//! The limits are in characters, which `fit` counts, so Japanese text fits as English
//! does.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::t;
use serde::Serialize;

use crate::checklist::{Checklist, Item, Severity};

pub const SCHEMA_VERSION: &str = "2021-11-01";
pub const MAX_NAME: usize = 128;
pub const MAX_TEXT: usize = 2048;
pub const MAX_PILLARS: usize = 10;
pub const MAX_QUESTIONS: usize = 20;
pub const MAX_CHOICES: usize = 15;
pub const MAX_BYTES: usize = 500_000;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lens {
    pub schema_version: &'static str,
    pub name: String,
    pub description: String,
    pub pillars: Vec<Pillar>,
}

#[derive(Debug, Serialize)]
pub struct Pillar {
    pub id: &'static str,
    pub name: String,
    pub questions: Vec<Question>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    pub id: String,
    pub title: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")] // i18n: technical
    pub helpful_resource: Option<Resource>,
    pub choices: Vec<Choice>,
    pub risk_rules: Vec<RiskRule>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")] // i18n: technical
    pub helpful_resource: Option<Resource>,
    #[serde(skip_serializing_if = "Option::is_none")] // i18n: technical
    pub improvement_plan: Option<Resource>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    pub display_text: String,
    #[serde(skip_serializing_if = "Option::is_none")] // i18n: technical
    pub url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct RiskRule {
    pub condition: String,
    pub risk: &'static str,
}

/// The framework's pillar ids, which the format lets a custom lens map its questions
/// onto, by best-practice prefix.
const PILLARS: [(&str, &str); 6] = [
    ("OPS", "operationalExcellence"),
    ("SEC", "security"),
    ("REL", "reliability"),
    ("PERF", "performance"),
    ("COST", "costOptimization"),
    ("SUS", "sustainability"),
];

/// A pillar's name in the language in use, by its id.
fn pillar_name(id: &str) -> Cow<'static, str> {
    match id {
        "operationalExcellence" => t!("lens.pillar_ops"),
        "security" => t!("lens.pillar_sec"),
        "reliability" => t!("lens.pillar_rel"),
        "performance" => t!("lens.pillar_perf"),
        "costOptimization" => t!("lens.pillar_cost"),
        _ => t!("lens.pillar_sus"),
    }
}

/// At most `max` characters (not bytes), with an ellipsis when cut.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('\u{2026}');
    cut
}

/// Letters, digits and `_` only (a checklist id's `-` becomes `_`).
fn lens_id(text: &str) -> String {
    let id: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    fit(&id, MAX_NAME)
}

fn web(url: &str) -> Option<String> {
    (url.starts_with("https://") || url.starts_with("http://")).then(|| url.to_string())
}

fn choice(item: &Item) -> Choice {
    let docs = item.docs.iter().find_map(|d| web(d));
    let mut plan = item.fix.steps.join(" ");
    if plan.trim().is_empty() {
        plan = t!("lens.plan_fallback").into_owned();
    }
    Choice {
        id: fit(&format!("ow_{}", lens_id(&item.id)), MAX_NAME),
        title: fit(&item.title, MAX_NAME),
        helpful_resource: Some(Resource {
            display_text: fit(&item.why, MAX_TEXT),
            url: docs.clone(),
        }),
        improvement_plan: Some(Resource {
            display_text: fit(&plan, MAX_TEXT),
            url: docs,
        }),
    }
}

/// A question over some of a practice's items; `part` is (n, of) when split.
fn question(
    practice: &str,
    title: &str,
    items: &[&Item],
    part: Option<(usize, usize)>,
    version: &str,
) -> Question {
    let base = lens_id(practice);
    let (id, full_title) = match part {
        Some((n, of)) => (
            format!("{base}_part{n}"),
            t!(
                "lens.question_title_part",
                practice = practice,
                title = title,
                n = n,
                of = of
            )
            .into_owned(),
        ),
        None => (base, format!("{practice} {title}")),
    };
    let mut choices: Vec<Choice> = items.iter().map(|i| choice(i)).collect();
    let all: Vec<&str> = choices.iter().map(|c| c.id.as_str()).collect();
    let high: Vec<&str> = items
        .iter()
        .zip(&choices)
        .filter(|(i, _)| i.severity >= Severity::High)
        .map(|(_, c)| c.id.as_str())
        .collect();
    let mut risk_rules = vec![RiskRule {
        condition: all.join(" && "),
        risk: "NO_RISK",
    }];
    if !high.is_empty() && high.len() < all.len() {
        risk_rules.push(RiskRule {
            condition: high.join(" && "),
            risk: "MEDIUM_RISK",
        });
    }
    risk_rules.push(RiskRule {
        condition: "default".into(),
        risk: "HIGH_RISK",
    });
    // The format's "None of these": an id ending `_no`, no improvement plan.
    choices.push(Choice {
        id: fit(&format!("{id}_no"), MAX_NAME),
        title: t!("lens.none_of_these").into_owned(),
        helpful_resource: None,
        improvement_plan: None,
    });
    Question {
        title: fit(&full_title, MAX_NAME),
        description: fit(
            &t!(
                "lens.question_description",
                practice = practice,
                version = version
            ),
            MAX_TEXT,
        ),
        helpful_resource: None,
        id,
        choices,
        risk_rules,
    }
}

/// The lens for a checklist.
pub fn build(checklist: &Checklist) -> Lens {
    let mut by_practice: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
    for item in &checklist.items {
        for bp in &item.well_architected {
            by_practice.entry(bp.as_str()).or_default().push(item);
        }
    }
    let per_question = MAX_CHOICES - 1;
    let mut pillars = Vec::new();
    for (prefix, id) in PILLARS {
        let mut questions = Vec::new();
        for (bp, items) in by_practice.iter().filter(|(bp, _)| {
            bp.strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        }) {
            let title = checklist.practices.get(*bp).map_or("", String::as_str);
            let parts: Vec<&[&Item]> = items.chunks(per_question).collect();
            let of = parts.len();
            for (n, chunk) in parts.into_iter().enumerate() {
                let part = (of > 1).then_some((n + 1, of));
                questions.push(question(
                    bp,
                    title,
                    chunk,
                    part,
                    &checklist.well_architected,
                ));
            }
        }
        if !questions.is_empty() {
            pillars.push(Pillar {
                id,
                name: fit(&pillar_name(id), MAX_NAME),
                questions,
            });
        }
    }
    Lens {
        schema_version: SCHEMA_VERSION,
        name: fit(&t!("lens.name"), MAX_NAME),
        description: fit(
            &t!(
                "lens.description",
                checklist = checklist.version,
                framework = checklist.well_architected
            ),
            MAX_TEXT,
        ),
        pillars,
    }
}

/// What in a lens breaks the documented limits; empty when it can be imported.
pub fn problems(lens: &Lens, json_len: usize) -> Vec<String> {
    let mut out = Vec::new();
    if lens.pillars.len() > MAX_PILLARS {
        out.push(
            t!(
                "lens.too_many_pillars",
                n = lens.pillars.len(),
                max = MAX_PILLARS
            )
            .into_owned(),
        );
    }
    for p in &lens.pillars {
        if p.questions.len() > MAX_QUESTIONS {
            out.push(
                t!(
                    "lens.too_many_questions",
                    pillar = p.id,
                    n = p.questions.len(),
                    max = MAX_QUESTIONS
                )
                .into_owned(),
            );
        }
    }
    if json_len > MAX_BYTES {
        out.push(t!("lens.too_large", bytes = json_len, max = MAX_BYTES).into_owned());
    }
    out
}

/// The lens as JSON, or what keeps it from being imported.
pub fn render(checklist: &Checklist) -> Result<String, String> {
    let lens = build(checklist);
    let json = serde_json::to_string_pretty(&lens).map_err(|e| e.to_string())?;
    let problems = problems(&lens, json.len());
    if problems.is_empty() {
        Ok(json + "\n")
    } else {
        Err(t!("lens.does_not_fit", problems = problems.join("; ")).into_owned())
    }
}
