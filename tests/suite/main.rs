//! onwatch's one integration-test binary (one binary keeps link time and disk down).
//! Each area of the product has its own module.

mod accepted;
mod checklist;
mod cli;
mod engine;
mod fixtures;
mod gui;
mod history;
mod i18n;
mod lens;
mod live;
mod local_aws;
mod pdf;
mod props;
mod reports;
mod rules;
