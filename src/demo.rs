//! The bundled demo account: what a founder sees before connecting an account.

use crate::answers::{Answers, AnswersError};
use crate::snapshot::{AccountSnapshot, SnapshotError};

const SNAPSHOT: &str = include_str!("../assets/demo/snapshot.json");
const ANSWERS: &str = include_str!("../assets/demo/answers.toml");

pub fn snapshot() -> Result<AccountSnapshot, SnapshotError> {
    AccountSnapshot::from_json(SNAPSHOT, "demo snapshot")
}

pub fn answers() -> Result<Answers, AnswersError> {
    Answers::parse(ANSWERS, false, "demo answers")
}
