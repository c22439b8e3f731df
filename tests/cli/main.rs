//! The command line through the real `prospect` binary on files in temp dirs, one module per
//! area. One test binary rather than one per file: a change to the library relinks it once.
#[path = "../common/mod.rs"]
mod common;

mod activities;
mod admin;
mod calendar;
mod cards;
mod concurrency;
mod convert;
mod crm_mode;
mod documents;
mod errors;
mod import;
mod import_corpus;
mod intake;
mod migrate;
mod postgres;
mod products;
mod queue;
mod records;
mod reports;
mod rules;
mod shared;
