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
pub mod i18n;
pub mod report;
pub mod rules;
pub mod snapshot;

// The string catalogue: assets/locales/*.yml, English and Japanese side by side; English
// is what a missing key falls back to (a test keeps both languages complete).
rust_i18n::i18n!("assets/locales", fallback = "en");

pub use evaluate::evaluate;
pub mod cli;
pub mod collect;
pub mod demo;
pub mod gui;
pub mod output;
pub mod regions;
