//! The store: what every engine keeps and answers, in types that name no engine. The
//! records, activities, timeline, search, change feed, bulk loads and administration of a
//! file or database; errors as `StoreError`, whose rule errors are said in the user's
//! language. `sqlite/` is the embedded engine.

pub mod activities;
pub mod bulk;
pub mod convert;
pub mod copy;
pub mod custom_fields;
pub mod documents;
pub mod duplicates;
pub mod engine;
mod error;
pub mod import;
pub mod intake;
pub mod lines;
pub mod maintenance;
pub mod merge;
pub mod mount;
mod options;
pub mod postgres;
pub mod queue;
pub mod records;
pub mod ref_admin;
pub mod refs;
pub mod reports;
pub mod roles;
pub mod rule;
pub mod rules;
pub mod search;
pub mod sqlite;
pub mod stages;
pub mod timeline;
pub mod totals;
pub mod triage;
pub mod users;
pub mod wait;

pub use engine::Engine;
pub use error::StoreError;
pub use maintenance::CheckReport;
pub use mount::{FileSystem, MountWarning};
pub use options::{Clock, CurrentUser, Journal, OpenOptions, Result, WaitNotice};
pub use records::{CommsChange, LinksChange, ListFilter, Record, RecordInput, RecordRef, RecordSummary, Saved};
pub use rule::{AdminTask, Rule};
pub use totals::ColumnHead;
