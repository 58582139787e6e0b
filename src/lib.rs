//! onwatch: is this AWS account ready to be monitored?
//!
//! Data flows one way: collect -> [`snapshot::AccountSnapshot`] -> [`evaluate()`] ->
//! [`report::Report`] -> views, exporters and remediation plans.

pub mod accepted;
pub mod answers;
pub mod checklist;
pub mod evaluate;
pub mod execute;
pub mod fix;
pub mod history;
pub mod report;
pub mod rules;
pub mod snapshot;

pub use evaluate::evaluate;
pub mod cli;
pub mod collect;
pub mod demo;
pub mod gui;
pub mod output;
pub mod regions;
