//! Reports a reviewer receives: the HTML and CSV of the demo account (golden files),
//! and hostile names from AWS, answers and user checklists through every section.

use onwatch::output::{Format, render};

use crate::fixtures::{builtin, demo_report};

#[test]
fn demo_html_report_golden() {
    let html = render(&demo_report(), &builtin(), Format::Html).expect("renders");
    insta::assert_snapshot!("demo_html", html);
}

#[test]
fn demo_csv_report_golden() {
    let csv = render(&demo_report(), &builtin(), Format::Csv).expect("renders");
    insta::assert_snapshot!("demo_csv", csv);
}

const TAGS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "header", "footer", "nav", "section",
    "article", "div", "h1", "h2", "h3", "h4", "p", "dl", "dt", "dd", "ol", "li", "a", "strong",
    "code", "pre", "br", "span", "table", "thead", "tbody", "tr", "th", "td", "svg", "circle",
    "rect", "text", "g",
];
const ATTRIBUTES: &[&str] = &[
    "lang",
    "charset",
    "name",
    "content",
    "http-equiv",
    "class",
    "id",
    "href",
    "viewBox",
    "width",
    "height",
    "role",
    "aria-label",
    "cx",
    "cy",
    "r",
    "rx",
    "x",
    "y",
    "fill",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "transform",
    "text-anchor",
    "font-size",
    "font-weight",
];

/// Every markup construct of `html`: (tag, attributes with values). Panics on what a
/// browser would read as markup the report never writes: an unknown tag or attribute,
/// an unquoted value, a comment or a stray `<`.
fn markup(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let body = html
        .strip_prefix("<!DOCTYPE html>\n")
        .expect("starts with the doctype");
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let closing = rest.starts_with('/');
        let after = rest.trim_start_matches('/');
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            TAGS.contains(&name.as_str()),
            "unexpected markup <{}",
            &rest[..rest.len().min(60)]
        );
        let mut attrs = Vec::new();
        let mut tail = &after[name.len()..];
        loop {
            tail = tail.trim_start();
            if let Some(t) = tail.strip_prefix("/>").or_else(|| tail.strip_prefix('>')) {
                tail = t;
                break;
            }
            assert!(!closing, "a closing tag has no attributes: {name}");
            let attr: String = tail
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            assert!(
                ATTRIBUTES.contains(&attr.as_str()),
                "unexpected attribute {attr:?} on <{name}>: {}",
                &tail[..tail.len().min(80)]
            );
            tail = tail[attr.len()..]
                .strip_prefix("=\"")
                .unwrap_or_else(|| panic!("attribute {attr} on <{name}> has a quoted value"));
            let end = tail.find('"').expect("the value is closed");
            attrs.push((attr, tail[..end].to_string()));
            tail = &tail[end + 1..];
        }
        out.push((name, attrs));
        rest = tail;
    }
    out
}

#[test]
fn hostile_text_cannot_add_markup_to_any_section_of_the_html_report() {
    let hostile = "<script>alert(1)</script>\"' onmouseover=\"x\" <img src=x onerror=alert(2)>";
    let mut report = demo_report();
    let mut checklist = builtin();
    report.account.alias = Some(hostile.into());
    report.account.regions.push(hostile.into());
    report.checklist_version = hostile.into();
    report.well_architected_version = hostile.into();
    for item in &mut report.items {
        item.title = format!("{hostile} {}", item.title);
        for f in &mut item.findings {
            f.resource = hostile.into();
            f.evidence = hostile.into();
            f.reason = Some(hostile.into());
            f.missing_permission = Some(hostile.into());
        }
        if let Some(f) = item.findings.first_mut() {
            f.region = hostile.into();
        }
        if let Some(a) = &mut item.answer {
            a.note = Some(hostile.into());
            a.date = Some(hostile.into());
        }
    }
    for def in &mut checklist.items {
        def.why = hostile.into();
        def.fix.steps.push(hostile.into());
        def.fix.cli = hostile.into();
        def.fix.cloudformation = Some(hostile.into());
        def.fix.permissions.push(hostile.into());
        def.fix.cost = hostile.into();
        def.docs.push("javascript:alert(3)".into());
        def.docs
            .push(format!("https://docs.aws.amazon.com/\"{hostile}"));
    }
    for title in checklist.practices.values_mut() {
        *title = hostile.into();
    }
    let html = render(&report, &checklist, Format::Html).expect("renders");
    let tags = markup(&html);
    assert!(!tags.iter().any(|(t, _)| t == "script"));
    for (tag, attrs) in &tags {
        for (name, value) in attrs {
            if name == "href" {
                assert!(
                    value.starts_with('#') || value.starts_with("https://"),
                    "<{tag} href={value:?}> is an anchor or a web address"
                );
            }
        }
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39; onmouseover=&quot;x&quot;"),
        "the names are shown, as text"
    );
    assert!(
        html.contains("javascript:alert(3)"),
        "a non-web link is shown as text"
    );
    assert!(
        html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""),
        "the browser is told to run nothing and fetch nothing"
    );
}

/// What a reviewer reads first: the account, the score, each category and each
/// Well-Architected best practice with the items behind it.
#[test]
fn html_report_has_the_sections_a_reviewer_reads() {
    let report = demo_report();
    let checklist = builtin();
    let html = render(&report, &checklist, Format::Html).expect("renders");
    let tags = markup(&html);
    let ids: Vec<&str> = tags
        .iter()
        .flat_map(|(_, attrs)| attrs)
        .filter(|(n, _)| n == "id")
        .map(|(_, v)| v.as_str())
        .collect();
    for id in [
        "summary",
        "regions",
        "well-architected",
        "cat-security",
        "cat-practice",
    ] {
        assert!(ids.contains(&id), "section {id}");
    }
    for item in &report.items {
        assert!(
            ids.contains(&format!("item-{}", item.id).as_str()),
            "{} has a section",
            item.id
        );
    }
    for (tag, attrs) in &tags {
        for (name, value) in attrs {
            if name == "href"
                && let Some(target) = value.strip_prefix('#')
            {
                assert!(
                    ids.contains(&target),
                    "<{tag}> links to #{target}, which exists"
                );
            }
        }
    }
    let score = onwatch::output::score_label(report.score.overall);
    assert!(html.contains(&format!("Score {score} / 100")));
    for bp in checklist.practices.keys() {
        assert!(
            html.contains(&format!("<strong>{bp}</strong>")),
            "{bp} in the review"
        );
    }
    assert!(html.contains(&report.well_architected_version));
}
