//! The PDF report, read as a reader would read it: poppler's pdfinfo, pdftotext and
//! pdffonts on the file onwatch wrote (scripts/install-deps installs poppler-utils).

use std::path::{Path, PathBuf};
use std::process::Command;

use onwatch::output::{Format, render_bytes, score_label};
use onwatch::report::Report;

use crate::fixtures::{builtin, demo_report};

fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| {
            panic!("{tool} did not run ({e}): install poppler-utils with scripts/install-deps")
        });
    assert!(
        out.status.success(),
        "{tool} could not read {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pages(pdf: &Path) -> usize {
    poppler("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count")
}

fn page_text(pdf: &Path, page: usize) -> String {
    let n = page.to_string();
    poppler("pdftotext", &["-layout", "-f", &n, "-l", &n], pdf)
}

/// The whole text with runs of whitespace made one space, so a wrapped line reads on.
fn flat_text(pdf: &Path) -> String {
    poppler("pdftotext", &[], pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn write(report: &Report, dir: &Path) -> PathBuf {
    let bytes = render_bytes(report, &builtin(), Format::Pdf).expect("the PDF renders");
    let path = dir.join("report.pdf");
    std::fs::write(&path, bytes).expect("write the PDF");
    path
}

#[test]
fn scan_demo_format_pdf_has_a_cover_contents_that_point_right_and_every_item() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = dir.path().join("demo.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_onwatch"))
        .args(["scan", "--demo", "--format", "pdf", "--output"])
        .arg(&pdf)
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .output()
        .expect("onwatch runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = demo_report();
    let n = pages(&pdf);
    assert!(
        n >= 8,
        "cover, contents, summary, review and categories: {n} pages"
    );
    let cover = page_text(&pdf, 1);
    assert!(cover.contains("Monitoring readiness report"), "{cover}");
    assert!(cover.contains("acme-analytics (111122223333)"), "{cover}");
    let score = format!("{} / 100", score_label(report.score.overall));
    assert!(
        cover.contains(&score),
        "the engine's score {score} is on the cover: {cover}"
    );
    for page in 2..=n {
        let text = page_text(&pdf, page);
        assert!(
            text.contains(&format!("Page {page} of {n}")),
            "page {page} is numbered: {text}"
        );
    }
    // Every section the contents lists is on the page it names.
    let contents = page_text(&pdf, 2);
    let mut sections: Vec<String> = [
        "Summary",
        "Well-Architected review",
        "Operational excellence",
    ]
    .map(String::from)
    .to_vec();
    sections.extend(
        onwatch::checklist::Category::ALL
            .iter()
            .map(|c| c.title().into_owned())
            // The Security pillar and the Security category share a name.
            .filter(|t| *t != "Security"),
    );
    for title in &sections {
        let title = title.as_str();
        let page: usize = contents
            .lines()
            .find_map(|l| {
                let (name, page) = l.trim().rsplit_once(' ')?;
                (name.trim() == title).then(|| page.parse().ok())?
            })
            .unwrap_or_else(|| panic!("{title} and its page are in the contents: {contents}"));
        let there = page_text(&pdf, page);
        assert!(
            there.contains(title),
            "the contents send {title} to page {page}, which reads: {there}"
        );
    }
    let text = flat_text(&pdf);
    for item in &report.items {
        assert!(text.contains(&item.title), "{} is in the PDF", item.title);
    }
    let fonts = poppler("pdffonts", &[], &pdf);
    let font = fonts
        .lines()
        .find(|l| l.contains("IPAexGothic"))
        .unwrap_or_else(|| panic!("the bundled font is used: {fonts}"));
    assert!(
        font.split_whitespace().filter(|w| *w == "yes").count() >= 2,
        "the font is embedded and subset: {font}"
    );
}

#[test]
fn an_evidence_table_longer_than_a_page_repeats_its_header_and_loses_no_row() {
    let snapshot = onwatch::demo::with_log_groups(400).expect("demo");
    let answers = onwatch::demo::answers().expect("demo answers");
    let report = onwatch::evaluate(&builtin(), &snapshot, &answers, chrono::Utc::now());
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = write(&report, dir.path());
    let with_rows: Vec<usize> = (1..=pages(&pdf))
        .filter(|p| page_text(&pdf, *p).contains("svc0"))
        .collect();
    assert!(with_rows.len() >= 3, "400 rows take pages: {with_rows:?}");
    for page in &with_rows {
        let text = page_text(&pdf, *page);
        let header = text
            .lines()
            .find(|l| l.contains("Resource"))
            .unwrap_or_else(|| panic!("page {page} has the header row: {text}"));
        for column in ["Region", "Resource", "Status", "Evidence", "Reason"] {
            assert!(header.contains(column), "page {page} header: {header}");
        }
    }
    let text = flat_text(&pdf);
    for i in 0..400 {
        assert!(
            text.contains(&format!("svc{i:05}")),
            "log group {i} is in the PDF"
        );
    }
}

#[test]
fn hostile_and_japanese_text_is_drawn_as_text_and_a_huge_value_is_cut_saying_so() {
    let mut report = demo_report();
    report.account.alias = Some("<script>alert(1)</script> 本番環境".into());
    let huge = "x".repeat(20_000);
    if let Some(item) = report.items.iter_mut().find(|i| !i.findings.is_empty()) {
        item.title = "ロググループの保持期間 \u{1b}[31mred\u{7} =cmd|' /C calc'!A0".into();
        item.findings[0].resource = huge.clone();
        item.findings[0].evidence = "\u{202e}evil\u{0}".into();
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = write(&report, dir.path());
    let text = poppler("pdftotext", &[], &pdf);
    assert!(
        text.contains("<script>alert(1)</script> 本番環境"),
        "{}",
        &text[..400.min(text.len())]
    );
    assert!(text.contains("ロググループの保持期間"));
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "control characters are not drawn"
    );
    assert!(
        text.contains("more lines: see the JSON or HTML report"),
        "the huge value says it was cut"
    );
    assert!(
        pages(&pdf) < 60,
        "a 20,000-character name does not run for pages"
    );
}
