//! The main view on the demo account: score, list, filters, detail, copy, links,
//! practice answers.

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT as _, Queryable};
use onwatch::answers::{Answers, YesNo};
use onwatch::report::{FindingStatus, ItemStatus};

use super::{
    assert_named, click_item, copied, demo, item_row_count, opened_urls, report, score_label,
};

#[test]
fn demo_shows_the_score_the_engine_computes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let h = demo(dir.path());
    let checklist = onwatch::checklist::load_builtin().expect("checklist");
    let snapshot = onwatch::demo::snapshot().expect("demo snapshot");
    let answers = onwatch::demo::answers().expect("demo answers");
    let expected = onwatch::evaluate(&checklist, &snapshot, &answers, chrono::Utc::now());
    let shown = score_label(&expected);
    assert_ne!(shown, "n/a", "the demo has a score");
    h.get_by_label(&shown);
    h.get_by_label(&format!(
        "coverage {} of the checklist",
        onwatch::output::percent(expected.score.coverage)
    ));
    h.get_by_label_contains(&snapshot.account.id);
}

/// Issue 10, point 16: a score read from little of the account is flagged beside it.
#[test]
fn low_coverage_is_a_warning_beside_the_score() {
    const WARNING: &str = "of what AWS is asked could be read";
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    assert!(
        h.query_by_label_contains(WARNING).is_none(),
        "the demo read 93.5%: no warning"
    );
    // The demo with every region's reads denied but its log groups'.
    let mut snapshot = onwatch::demo::snapshot().expect("demo snapshot");
    let denied = onwatch::snapshot::ReadError::AccessDenied {
        action: "x:Y".to_string(),
        message: "denied".to_string(),
    };
    for r in snapshot.regions.values_mut() {
        deny_all_but_logs(r, &denied);
    }
    h.state_mut()
        .open_snapshot(onwatch::gui::Origin::Demo, snapshot);
    h.run();
    let coverage = report(&h).score.aws_coverage.expect("coverage");
    assert!(coverage < 0.8, "{coverage}");
    h.get_by_label_contains(WARNING);
}

fn deny_all_but_logs(r: &mut onwatch::snapshot::RegionSnapshot, e: &onwatch::snapshot::ReadError) {
    use onwatch::snapshot::Read;
    r.guardduty_detectors = Read::Failed(e.clone());
    r.event_rules = Read::Failed(e.clone());
    r.sns_topics = Read::Failed(e.clone());
    r.sns_subscriptions = Read::Failed(e.clone());
    r.trails = Read::Failed(e.clone());
    r.config_recorders = Read::Failed(e.clone());
    r.config_delivery_channels = Read::Failed(e.clone());
    r.ecr_repositories = Read::Failed(e.clone());
    r.ecr_registry_scanning = Read::Failed(e.clone());
    r.rds_instances = Read::Failed(e.clone());
    r.ecs_clusters = Read::Failed(e.clone());
    r.ecs_task_definitions = Read::Failed(e.clone());
    r.alarms = Read::Failed(e.clone());
    r.alarm_history = Read::Failed(e.clone());
    r.canaries = Read::Failed(e.clone());
    r.load_balancers = Read::Failed(e.clone());
}

#[test]
fn clicking_a_failing_item_shows_its_evidence_and_copy_puts_it_on_the_clipboard() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let report = report(&h);
    let selected = h.state().selected();
    // A failing item other than the one selected on opening, whose evidence is unique.
    let (item, finding) = report
        .items
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != selected)
        .flat_map(|(_, item)| item.findings.iter().map(move |f| (item, f)))
        .find(|(_, f)| {
            f.status == FindingStatus::Fail
                && !f.evidence.is_empty()
                && report
                    .items
                    .iter()
                    .flat_map(|i| &i.findings)
                    .filter(|g| g.evidence == f.evidence)
                    .count()
                    == 1
        })
        .expect("the demo has a failing finding with unique evidence");
    assert!(
        h.query_by_label(&finding.evidence).is_none(),
        "not shown before the click"
    );
    click_item(&mut h, &item.title);
    assert_named(&h, "failing item detail");
    h.get_by_label(&finding.evidence);
    h.get_by_label(&finding.region);
    if onwatch::fix::has_fix(&item.id) {
        h.get_by_role_and_label(Role::Button, &format!("Fix {}", item.title));
    } else {
        h.get_by_label_contains("No one-click fix");
    }

    // The first evidence row is a failing finding; its Copy button copies the row.
    let first = item
        .findings
        .iter()
        .find(|f| f.status == FindingStatus::Fail)
        .expect("a failing finding");
    h.get_by_role_and_label(Role::Button, "Copy finding 1")
        .click();
    h.step();
    let clipboard = copied(&h);
    assert_eq!(clipboard.len(), 1, "one copy: {clipboard:?}");
    let line = &clipboard[0];
    assert!(
        line.starts_with("Fail\t")
            && line.contains(&first.region)
            && line.contains(&first.resource)
            && line.contains(&first.evidence),
        "{line:?}"
    );

    // The fix's CLI commands copy exactly as the checklist has them.
    h.run();
    let item_def = onwatch::checklist::load_builtin()
        .expect("checklist")
        .item(&item.id)
        .expect("item")
        .clone();
    h.get_by_role_and_label(Role::Button, "Copy AWS CLI commands")
        .click();
    h.step();
    assert_eq!(copied(&h), vec![item_def.fix.cli.trim_end().to_string()]);
}

/// The Reason column is cut to its width, so each distinct reason is written out in
/// full under the table, once, with how many findings give it.
#[test]
fn the_reasons_of_failing_findings_are_written_out_once_each() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let report = report(&h);
    let (item, reason, n) = report
        .items
        .iter()
        .find_map(|item| {
            let reasons: Vec<&str> = item
                .findings
                .iter()
                .filter(|f| f.status == FindingStatus::Fail)
                .filter_map(|f| f.reason.as_deref())
                .collect();
            let shared = reasons
                .iter()
                .find(|r| reasons.iter().filter(|o| o == r).count() > 1)?;
            let n = reasons.iter().filter(|o| o == &shared).count();
            Some((item, shared.to_string(), n))
        })
        .expect("the demo has an item whose failing findings share a reason");
    click_item(&mut h, &item.title);
    h.get_by_label(&format!("\u{2022} {reason} ({n} findings)"));
}

#[test]
fn documentation_links_open_in_the_browser() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let report = report(&h);
    let checklist = onwatch::checklist::load_builtin().expect("checklist");
    let index = h
        .state()
        .selected()
        .expect("an item is selected on opening");
    let item = checklist
        .item(&report.items[index].id)
        .expect("the item is in the checklist");
    let url = item.docs.first().expect("the item has documentation");
    let link = h.get_by_role_and_label(Role::Link, url);
    link.scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Link, url).click();
    h.step();
    assert_eq!(opened_urls(&h), vec![url.clone()]);
}

#[test]
fn answering_a_practice_item_rescores_and_persists() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let before = report(&h);
    let checklist = onwatch::checklist::load_builtin().expect("checklist");
    let open = before
        .items
        .iter()
        .find(|i| {
            i.status == ItemStatus::NotAnswered
                && checklist.item(&i.id).is_some_and(|c| c.answerable)
        })
        .expect("the demo has an unanswered practice item");
    click_item(&mut h, &open.title);
    assert_named(&h, "practice item detail");
    h.get_by_role_and_label(Role::Button, "Answer yes").click();
    h.run();
    let after = report(&h);
    assert_eq!(
        after.item(&open.id).map(|i| i.status),
        Some(ItemStatus::AnsweredYes)
    );
    let (b, a) = (
        before.score.overall.expect("score"),
        after.score.overall.expect("score"),
    );
    assert!(a > b, "a yes raises the score: {b} -> {a}");
    h.get_by_label(&score_label(&after));

    let account = &after.account.id;
    let file = dir
        .path()
        .join("data/answers")
        .join(format!("{account}.toml"));
    let saved = Answers::load(&file).expect("the answers file is written");
    let answer = saved.answers.get(&open.id).expect("the answer is saved");
    assert_eq!(answer.answer, YesNo::Yes);
    assert!(answer.date.is_some(), "the answer is dated");
    assert_eq!(saved.account.as_deref(), Some(account.as_str()));

    // A new window on the same data folder reads the answer back.
    let again = demo(dir.path());
    assert_eq!(
        report(&again).item(&open.id).map(|i| i.status),
        Some(ItemStatus::AnsweredYes)
    );

    // Clearing it puts the score back.
    click_item(&mut h, &open.title);
    h.get_by_role_and_label(Role::Button, "Clear answer")
        .click();
    h.run();
    assert_eq!(report(&h).score.overall, before.score.overall);
}

#[test]
fn failing_filter_hides_passing_items_and_search_narrows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let report = report(&h);
    let passing = report
        .items
        .iter()
        .find(|i| i.status == ItemStatus::Pass)
        .expect("a passing item");
    let failing = report
        .items
        .iter()
        .find(|i| i.status == ItemStatus::Fail)
        .expect("a failing item");
    let row = item_row_count;
    assert_eq!(row(&h, &passing.title), 1);
    let n = report
        .items
        .iter()
        .filter(|i| i.status.is_failing())
        .count();
    // The filter's accessible name is what it shows.
    h.get_by_role_and_label(Role::Button, &format!("Failing ({n})"))
        .click();
    h.run();
    assert_named(&h, "failing filter");
    assert_eq!(row(&h, &passing.title), 0, "passing items disappear");
    assert_eq!(row(&h, &failing.title), 1, "failing items stay");

    h.get_by_role_and_label(Role::Button, &format!("All ({})", report.items.len()))
        .click();
    h.run();
    let search = h.get_by_role_and_label(Role::TextInput, "Search");
    search.focus();
    search.type_text(&failing.title.to_uppercase());
    h.run();
    assert_eq!(row(&h, &failing.title), 1);
    assert_eq!(
        row(&h, &passing.title),
        0,
        "search is case-insensitive and narrows the list"
    );
}

#[test]
fn could_not_check_filter_shows_exactly_the_items_with_unchecked_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let report = report(&h);
    let unchecked: Vec<&str> = report
        .items
        .iter()
        .filter(|i| {
            i.status == ItemStatus::CouldNotCheck
                || i.findings
                    .iter()
                    .any(|f| f.status == FindingStatus::CouldNotCheck)
        })
        .map(|i| i.title.as_str())
        .collect();
    assert!(!unchecked.is_empty(), "the demo has reads that failed");
    h.get_by_role_and_label(
        Role::Button,
        &format!("Could not check ({})", unchecked.len()),
    )
    .click();
    h.run();
    assert_named(&h, "could-not-check filter");
    for item in &report.items {
        let shown = item_row_count(&h, &item.title);
        let expected = usize::from(unchecked.contains(&item.title.as_str()));
        assert_eq!(shown, expected, "{}", item.title);
    }
    // An item nothing could be read for says so in words, not in symbols.
    let fully = report
        .items
        .iter()
        .find(|i| i.status == ItemStatus::CouldNotCheck)
        .expect("the demo has an item that could not be checked at all");
    let row = h.get_by(|n| {
        n.role() == Role::Button && n.label().is_some_and(|l| l.contains(&fully.title))
    });
    let name = row.accesskit_node().label().unwrap_or_default();
    assert!(name.starts_with("UNCHECKED"), "{name:?}");
    assert!(!name.contains('?'), "{name:?}");
    // Its detail never says there is nothing to fix: onwatch does not know.
    click_item(&mut h, &fully.title);
    assert!(
        h.query_by_label_contains("Nothing to fix").is_none(),
        "an item that could not be checked must not read as fine"
    );
    assert!(h.query_by_label_contains("Not known yet").is_some());
}

#[test]
fn a_selected_item_hidden_by_the_filter_is_marked_and_can_be_brought_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let report = report(&h);
    let passing = report
        .items
        .iter()
        .find(|i| i.status == ItemStatus::Pass)
        .expect("a passing item");
    click_item(&mut h, &passing.title);
    assert!(h.query_by_label_contains("not in the list").is_none());
    let n = report
        .items
        .iter()
        .filter(|i| i.status.is_failing())
        .count();
    h.get_by_role_and_label(Role::Button, &format!("Failing ({n})"))
        .click();
    h.run();
    assert_eq!(
        item_row_count(&h, &passing.title),
        0,
        "the row is filtered out"
    );
    // The detail still shows the item, and says why the list does not.
    h.get_by_label_contains("not in the list: the \u{201c}Failing\u{201d} filter hides it");
    assert_named(&h, "hidden selection");
    h.get_by_role_and_label(Role::Button, "Show all items")
        .click();
    h.run();
    assert_eq!(item_row_count(&h, &passing.title), 1);
    assert!(h.query_by_label_contains("not in the list").is_none());
}

/// Accepting a failing item's risk in the window: the item leaves the failing count,
/// the score rises, the strict score is shown beside it, the acceptance is saved with
/// the answers; withdrawing it puts everything back.
#[test]
fn accepting_a_risk_rescores_shows_the_strict_score_and_persists() {
    const ID: &str = "rds-connections-alarm";
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = demo(dir.path());
    let before = report(&h);
    let item = before.item(ID).expect("the demo has the item");
    assert_eq!(item.status, ItemStatus::Fail);
    let title = item.title.clone();
    click_item(&mut h, &title);
    let press = |h: &mut egui_kittest::Harness<'_, onwatch::gui::OnwatchApp>, name: &str| {
        h.get_by_role_and_label(Role::Button, name).scroll_to_me();
        h.run_steps(3);
        h.get_by_role_and_label(Role::Button, name).click();
        h.run_steps(4);
    };
    press(&mut h, "Accept risk");
    assert!(
        h.query_by_role_and_label(Role::Button, "Accept this risk")
            .is_some_and(|b| b.accesskit_node().is_disabled()),
        "nothing is accepted without a reason and a name"
    );
    for (field, text) in [
        ("Reason", "Read replica only; the primary is alarmed"),
        ("Accepted by", "Aiko Tanaka"),
    ] {
        let input = h.get_by_role_and_label(Role::TextInput, field);
        input.focus();
        input.type_text(text);
        h.run_steps(2);
    }
    press(&mut h, "Accept this risk");
    h.run();
    let after = report(&h);
    assert_eq!(after.item(ID).map(|i| i.status), Some(ItemStatus::Accepted));
    let failing = item.count(FindingStatus::Fail);
    assert_eq!(
        after.score.accepted, failing,
        "each failure accepted counts"
    );
    assert_eq!(after.score.strict, before.score.overall);
    assert!(after.score.overall > before.score.overall);
    h.get_by_label(&score_label(&after));
    h.get_by_label_contains(&format!("with {failing} accepted risk"));
    let file = dir
        .path()
        .join("data/answers")
        .join(format!("{}.toml", after.account.id));
    let saved = Answers::load(&file).expect("the answers file is written");
    let a = saved.accepted.first().expect("the acceptance is saved");
    assert_eq!(
        (a.item.as_str(), a.by.as_str(), a.resource.as_deref()),
        (ID, "Aiko Tanaka", None)
    );
    assert_eq!(
        report(&demo(dir.path())).item(ID).map(|i| i.status),
        Some(ItemStatus::Accepted),
        "a new window reads it back"
    );
    press(&mut h, "Withdraw accepted risk");
    h.run();
    assert_eq!(
        report(&h).item(ID).map(|i| i.status),
        Some(ItemStatus::Fail)
    );
    assert_eq!(report(&h).score.overall, before.score.overall);
    assert!(Answers::load(&file).expect("readable").accepted.is_empty());
}
