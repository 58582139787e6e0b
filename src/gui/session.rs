//! One opened account: its snapshot, the user's answers, and the report evaluated from
//! them. Answers are saved per account, in the same format as the CLI's `--answers`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::t;
use chrono::{DateTime, Utc};

pub use crate::answers::AnswerStore;
use crate::answers::{Answer, Answers};
use crate::checklist::{Category, Checklist};
use crate::report::{FindingStatus, ItemReport, Report};
use crate::snapshot::AccountSnapshot;

/// Where an opened account came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Demo,
    File(PathBuf),
    Live { profile: Option<String> },
}

impl Origin {
    pub fn label(&self) -> String {
        match self {
            Origin::Demo => t!("session.origin_demo").into_owned(),
            Origin::File(path) => t!("session.origin_file", path = path.display()).into_owned(),
            Origin::Live { profile: Some(p) } => {
                t!("session.origin_live_profile", profile = p).into_owned()
            }
            Origin::Live { profile: None } => t!("session.origin_live_default").into_owned(),
        }
    }
}

/// What the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    All,
    Failing,
    CouldNotCheck,
    ToAnswer,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 4] = [
        StatusFilter::All,
        StatusFilter::Failing,
        StatusFilter::CouldNotCheck,
        StatusFilter::ToAnswer,
    ];

    pub fn label(self) -> std::borrow::Cow<'static, str> {
        match self {
            StatusFilter::All => t!("session.filter_all"),
            StatusFilter::Failing => t!("session.filter_failing"),
            StatusFilter::CouldNotCheck => t!("status.could_not_check"),
            StatusFilter::ToAnswer => t!("status.to_answer"),
        }
    }

    pub fn keeps(self, item: &ItemReport) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Failing => item.status.is_failing(),
            StatusFilter::CouldNotCheck => {
                item.status == crate::report::ItemStatus::CouldNotCheck
                    || item
                        .findings
                        .iter()
                        .any(|f| f.status == FindingStatus::CouldNotCheck)
            }
            StatusFilter::ToAnswer => item.status == crate::report::ItemStatus::NotAnswered,
        }
    }
}

/// One row of the checklist list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Category(Category),
    /// Index into `Report::items`.
    Item(usize),
}

/// Case-insensitive match of the search text against an item's id, title, and its
/// findings' resources, regions and evidence.
pub fn matches_search(item: &ItemReport, needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    let hit = |s: &str| s.to_lowercase().contains(needle_lower);
    hit(&item.title)
        || hit(&item.id)
        || item
            .findings
            .iter()
            .any(|f| hit(&f.resource) || hit(&f.evidence) || hit(&f.region))
}

/// The rows the list shows: category headers followed by their matching items.
pub fn visible_rows(report: &Report, filter: StatusFilter, search: &str) -> Vec<Row> {
    let needle = search.trim().to_lowercase();
    let mut rows = Vec::new();
    for category in Category::ALL {
        let mut header = false;
        for (index, item) in report.items.iter().enumerate() {
            if item.category != category || !filter.keeps(item) || !matches_search(item, &needle) {
                continue;
            }
            if !header {
                rows.push(Row::Category(category));
                header = true;
            }
            rows.push(Row::Item(index));
        }
    }
    rows
}

pub struct Session {
    pub origin: Origin,
    /// The checklist in the language in use; `report` is evaluated with it, so what the
    /// window shows (titles, why, fix steps, questions) follows the language.
    pub checklist: Checklist,
    /// The same checklist in English, for what must not change with the language (the
    /// JSON export).
    pub base: Checklist,
    /// Shared, so a fix's re-check can be merged and evaluated off the UI thread.
    pub snapshot: Arc<AccountSnapshot>,
    pub answers: Answers,
    /// Where answers are saved; None when there is no data dir or the existing file
    /// could not be read (it is then left alone).
    pub answers_path: Option<PathBuf>,
    pub report: Report,
    /// Bumped on every re-evaluation, so views can cache what they derive.
    pub generation: u64,
    /// Problems met while opening (an unreadable answers file): shown, not fatal.
    pub warnings: Vec<String>,
    /// The account's saved scans, read in the background.
    pub scans: super::scans::Scans,
    /// The latest saved scan before this one: the report's "since the last scan".
    pub previous: Option<Arc<AccountSnapshot>>,
}

impl Session {
    pub fn open(
        origin: Origin,
        checklist: Checklist,
        snapshot: AccountSnapshot,
        store: &AnswerStore,
    ) -> Self {
        let mut warnings = Vec::new();
        let account = snapshot.account.id.clone();
        let mut answers_path = store.path_for(&account);
        let mut answers = match answers_path.as_deref().filter(|p| p.exists()) {
            Some(path) => match Answers::load(path) {
                Ok(a) => a,
                Err(e) => {
                    warnings.push(t!("session.answers_unreadable", e = e).into_owned());
                    answers_path = None;
                    Answers::default()
                }
            },
            None if origin == Origin::Demo => crate::demo::answers().unwrap_or_default(),
            None => Answers::default(),
        };
        answers.account = Some(account);
        for id in answers.unknown_ids(&checklist) {
            warnings.push(t!("session.unknown_answer", id = id).into_owned());
        }
        let base = checklist;
        let checklist = base.localized(crate::i18n::current());
        let report = crate::evaluate(&checklist, &snapshot, &answers, Utc::now());
        Session {
            origin,
            base,
            checklist,
            snapshot: Arc::new(snapshot),
            answers,
            answers_path,
            report,
            generation: 0,
            warnings,
            scans: super::scans::Scans::None,
            previous: None,
        }
    }

    /// Shows the account in the language now in use.
    pub fn relocalize(&mut self) {
        self.checklist = self.base.localized(crate::i18n::current());
        self.reevaluate(Utc::now());
    }

    /// The report evaluated in English: what a JSON export holds, whatever the window's
    /// language.
    pub fn neutral_report(&self) -> Report {
        let mut report = crate::i18n::with_lang(crate::i18n::Lang::En, || {
            crate::evaluate(
                &self.base,
                &self.snapshot,
                &self.answers,
                self.report.generated_at,
            )
        });
        report.since_last.clone_from(&self.report.since_last);
        report
    }

    fn reevaluate(&mut self, now: DateTime<Utc>) {
        self.report = evaluate_since(
            &self.checklist,
            &self.snapshot,
            &self.answers,
            self.previous.as_deref(),
            now,
        );
        self.generation += 1;
    }

    /// Takes in the saved scans read in the background; the report then says what
    /// changed since the previous one.
    pub fn take_scans(&mut self, loaded: Result<super::scans::Loaded, String>) {
        match loaded {
            Ok(loaded) => {
                self.scans = super::scans::Scans::Loaded(loaded.points);
                self.previous = loaded.previous.map(|p| Arc::new(*p));
                if self.previous.is_some() {
                    self.reevaluate(Utc::now());
                }
            }
            Err(e) => self.scans = super::scans::Scans::Failed(e),
        }
    }

    /// Sets (or clears) an answer, re-scores at once, and saves the answers file.
    /// The new score stands even when saving fails; the error says where.
    pub fn set_answer(&mut self, id: &str, answer: Option<Answer>) -> Result<(), String> {
        match answer {
            Some(a) => self.answers.answers.insert(id.to_string(), a),
            None => self.answers.answers.remove(id),
        };
        self.reevaluate(Utc::now());
        match &self.answers_path {
            Some(path) => self
                .answers
                .save(path)
                .map_err(|e| t!("session.answer_not_saved", e = e).into_owned()),
            None => Err(t!("session.answers_off").into_owned()),
        }
    }

    /// Accepts a risk (replacing an acceptance of the same scope) and/or withdraws one,
    /// re-scores at once, and saves the answers file.
    pub fn change_acceptances(
        &mut self,
        accept: Option<crate::accepted::Acceptance>,
        withdraw: Option<&crate::accepted::Acceptance>,
    ) -> Result<(), String> {
        let list = &mut self.answers.accepted;
        if let Some(gone) = withdraw {
            list.retain(|a| a != gone);
        }
        if let Some(new) = accept {
            list.retain(|a| {
                (&a.item, &a.resource, &a.region) != (&new.item, &new.resource, &new.region)
            });
            list.push(new);
        }
        self.reevaluate(Utc::now());
        match &self.answers_path {
            Some(path) => self
                .answers
                .save(path)
                .map_err(|e| t!("session.change_not_saved", e = e).into_owned()),
            None => Err(t!("session.accepted_off").into_owned()),
        }
    }

    /// Records a fire drill's answer for each (class, route) tested today, scores
    /// again, and saves the answers file.
    pub fn record_drills(
        &mut self,
        sent: &[(String, String)],
        answer: crate::answers::YesNo,
        who: Option<String>,
    ) -> Result<(), String> {
        let date = Utc::now().format("%Y-%m-%d").to_string();
        self.answers.record_drills(sent, answer, who, None, &date);
        self.reevaluate(Utc::now());
        match &self.answers_path {
            Some(path) => self
                .answers
                .save(path)
                .map_err(|e| t!("session.drill_not_saved", e = e).into_owned()),
            None => Err(t!("session.drill_answers_off").into_owned()),
        }
    }

    /// Takes in the re-check after a fix (a re-scan of the regions it wrote in) and
    /// scores again.
    /// What a fix's re-check needs to be merged and evaluated in the background: taken
    /// on the UI thread without copying the snapshot (at 10,000 log groups, merging and
    /// evaluating take longer than a frame).
    pub fn recheck_base(&self) -> RecheckBase {
        RecheckBase {
            snapshot: self.snapshot.clone(),
            previous: self.previous.clone(),
            checklist: self.checklist.clone(),
            answers: self.answers.clone(),
            lang: crate::i18n::current(),
        }
    }

    /// Takes in a re-check evaluated in the background. If the answers, the language
    /// or the previous scan changed meanwhile, the report is evaluated again here.
    pub fn take_rechecked(&mut self, done: Rechecked) {
        let same = done.base.answers == self.answers
            && done.base.lang == crate::i18n::current()
            && match (&done.base.previous, &self.previous) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            };
        self.snapshot = done.snapshot;
        if same {
            self.report = done.report;
            self.generation += 1;
        } else {
            self.reevaluate(Utc::now());
        }
    }

    pub fn answers_path(&self) -> Option<&Path> {
        self.answers_path.as_deref()
    }
}

/// The report of a snapshot, saying what changed since `previous` when there is one.
fn evaluate_since(
    checklist: &Checklist,
    snapshot: &AccountSnapshot,
    answers: &Answers,
    previous: Option<&AccountSnapshot>,
    now: DateTime<Utc>,
) -> Report {
    let mut report = crate::evaluate(checklist, snapshot, answers, now);
    if let Some(previous) = previous {
        let before = crate::evaluate(checklist, previous, answers, now);
        report.since_last = Some(crate::report::diff::since(&before, &report));
    }
    report
}

/// A session's inputs for evaluating a re-check (see `Session::recheck_base`).
pub struct RecheckBase {
    snapshot: Arc<AccountSnapshot>,
    previous: Option<Arc<AccountSnapshot>>,
    checklist: Checklist,
    answers: Answers,
    lang: crate::i18n::Lang,
}

/// A re-check merged into the snapshot and evaluated.
pub struct Rechecked {
    snapshot: Arc<AccountSnapshot>,
    report: Report,
    base: RecheckBase,
}

impl std::fmt::Debug for Rechecked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rechecked") // i18n: technical
            .field("account", &self.snapshot.account.id)
            .field("score", &self.report.score.overall)
            .finish_non_exhaustive()
    }
}

impl RecheckBase {
    /// Merges what the re-check read into a copy of the snapshot and evaluates it, as
    /// the window would: with its checklist, answers, language and previous scan.
    pub fn evaluate(self, fresh: AccountSnapshot, now: DateTime<Utc>) -> Result<Rechecked, String> {
        let mut snapshot = (*self.snapshot).clone();
        snapshot.merge_rescan(fresh)?;
        let report = crate::i18n::with_lang(self.lang, || {
            evaluate_since(
                &self.checklist,
                &snapshot,
                &self.answers,
                self.previous.as_deref(),
                now,
            )
        });
        Ok(Rechecked {
            snapshot: Arc::new(snapshot),
            report,
            base: self,
        })
    }
}
