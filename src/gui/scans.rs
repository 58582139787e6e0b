//! The account's saved scans in the window: read off the UI thread, each judged by
//! today's checklist for the trend, and the latest earlier one kept for "since the
//! last scan". The "Scan history" window shows the trend and the diff.

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::answers::Answers;
use crate::checklist::Checklist;
use crate::snapshot::AccountSnapshot;

/// One saved scan on the trend.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    pub collected_at: DateTime<Utc>,
    /// The score shown when it was saved (None: not recorded).
    pub score_then: Option<f64>,
    /// Its score under today's checklist and answers (None: nothing could be scored,
    /// or the file could not be read).
    pub score_today: Option<f64>,
    pub failing_today: Option<usize>,
    /// Why the file could not be judged.
    pub problem: Option<String>,
}

/// What the window knows of the account's saved scans.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Scans {
    /// No data folder (or not asked yet).
    #[default]
    None,
    Loading,
    Loaded(Vec<TrendPoint>),
    Failed(String),
}

/// What the loader hands back.
#[derive(Debug)]
pub struct Loaded {
    pub points: Vec<TrendPoint>,
    /// The latest scan collected before the opened one.
    pub previous: Option<Box<AccountSnapshot>>,
}

/// Reads and judges every saved scan of the account (runs on a worker thread).
pub fn load(
    data_dir: &Path,
    account: &str,
    current: DateTime<Utc>,
    checklist: &Checklist,
    answers: &Answers,
) -> Result<Loaded, String> {
    let saved = crate::history::list(data_dir, account).map_err(|e| e.to_string())?;
    let now = Utc::now();
    let mut previous = None;
    let mut points = Vec::with_capacity(saved.len());
    for scan in &saved {
        let mut point = TrendPoint {
            collected_at: scan.collected_at,
            score_then: scan.recorded.as_ref().and_then(|r| r.score),
            score_today: None,
            failing_today: None,
            problem: None,
        };
        match AccountSnapshot::load(&scan.path) {
            Ok(snapshot) => {
                let report = crate::evaluate(checklist, &snapshot, answers, now);
                point.score_today = report.score.overall;
                point.failing_today = Some(
                    report
                        .items
                        .iter()
                        .filter(|i| i.status.is_failing())
                        .count(),
                );
                if crate::history::is_before(scan, current) {
                    previous = Some(Box::new(snapshot));
                }
            }
            Err(e) => point.problem = Some(e.to_string()),
        }
        points.push(point);
    }
    Ok(Loaded { points, previous })
}

/// The date on the trend's x axis: days since the Unix epoch.
pub fn days(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64 / 86_400.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_counts_days() {
        let t = DateTime::parse_from_rfc3339("1970-01-03T12:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .ok();
        assert_eq!(t.map(days), Some(2.5));
    }
}
