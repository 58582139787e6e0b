//! onwatch: is this AWS account ready to be monitored?
//!
//! Data flows one way: collect -> [`snapshot::AccountSnapshot`] -> [`evaluate()`] ->
//! [`report::Report`] -> views, exporters and remediation plans.

pub mod snapshot;
pub mod checklist;
pub mod report;
pub mod rules;
pub mod answers;
pub mod evaluate;

pub use evaluate::evaluate;
pub mod output;
pub mod cli;
pub mod demo;
pub mod collect;
pub mod gui;
