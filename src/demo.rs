//! The bundled demo account: what a founder sees before connecting an account.

use crate::answers::{Answers, AnswersError};
use crate::snapshot::{AccountSnapshot, SnapshotError};
use crate::t;

const SNAPSHOT: &str = include_str!("../assets/demo/snapshot.json");
const ANSWERS: &str = include_str!("../assets/demo/answers.toml");

pub fn snapshot() -> Result<AccountSnapshot, SnapshotError> {
    AccountSnapshot::from_json(SNAPSHOT, &t!("demo.snapshot"))
}

pub fn answers() -> Result<Answers, AnswersError> {
    Answers::parse(ANSWERS, false, &t!("demo.answers"))
}

/// The demo account with `n` log groups in place of its first region's, every third
/// with a retention policy (a mix of passing and failing rows): a large account for the
/// report and window benchmarks and for tests of long evidence tables. Names are
/// `/ecs/svc00000` onwards (no dash, so a name is never wrapped inside itself).
pub fn with_log_groups(n: usize) -> Result<AccountSnapshot, SnapshotError> {
    use crate::snapshot::{LogGroup, Read};
    let mut snapshot = snapshot()?;
    if let Some((region, r)) = snapshot.regions.iter_mut().next() {
        let groups = (0..n)
            .map(|i| LogGroup {
                name: format!("/ecs/svc{i:05}"),
                arn: format!("arn:aws:logs:{region}:111122223333:log-group:/ecs/svc{i:05}"),
                retention_days: (i % 3 == 0).then_some(30),
                stored_bytes: Some(1_000_000),
                class: None,
            })
            .collect();
        r.log_groups = Read::Ok(groups);
    }
    Ok(snapshot)
}
