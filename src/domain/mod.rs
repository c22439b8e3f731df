//! Types and rules of the CRM, free of I/O so that the TUI, the CLI and the store share one
//! source of truth for every rule (stage semantics, money, duplicate matching, access).

pub mod access;
pub mod activity;
pub mod agenda;
pub mod automation;
pub mod calendar_in;
pub mod column_filter;
pub mod comm;
pub mod convert;
pub mod crm_mode;
pub mod custom_field;
pub mod dated;
pub mod dedup;
pub mod document;
pub mod error;
pub mod field_filter;
pub mod fields;
pub mod import;
pub mod import_rows;
pub mod intake;
pub mod layout;
pub mod lines;
pub mod list_view;
pub mod money;
pub mod new_record;
#[cfg(test)]
mod parsers_prop;
pub mod product;
pub mod queue;
pub mod record;
pub mod report;
pub mod search;
pub mod stage;
pub mod text;
pub mod timeline;
pub mod triage;
pub mod when;

pub use error::{FieldError, Problem};
