//! What the PostgreSQL engine does not do yet: each method says so (`not_yet`), so the
//! engine compiles as a whole while its aggregates are written one by one.

#![allow(unused_variables, unused_imports)]

use super::Store;
use crate::domain::access::Sight;
use crate::domain::activity::ActivityRow;
use crate::domain::fields::Entity;
use crate::domain::import_rows::{ImportReport, ImportRow};
use crate::domain::intake::Message;
use crate::domain::queue::QueueMode;
use crate::domain::when::UnixMs;
use crate::store::activities::{
    ActivityChange, ActivityDetails, ActivityFilter, ActivitySlot, CalendarWrite, CalendarWritten, Counters,
    NewActivity,
};
use crate::store::bulk::{BulkLoaded, BulkUser, RecordMaker};
use crate::store::convert::{ConversionPlan, Converted};
use crate::store::duplicates::{DuplicateGroup, DuplicateMatch};
use crate::store::engine::*;
use crate::store::import::ImportOptions;
use crate::store::intake::IntakeOutcome;
use crate::store::maintenance::{CheckReport, Vacuumed};
use crate::store::merge::{MergeChoices, MergePreview, Merged};
use crate::store::queue::QueueConfig;
use crate::store::records::{ChangedRecords, ListFilter, Moved, Record, RecordInput, RecordRef, RecordSummary, Saved};
use crate::store::refs::{PipelineRow, SourceRow, StageRow};
use crate::store::search::Hit;
use crate::store::stages::{NewStage, StageCount};
use crate::store::timeline::TimelineEntry;
use crate::store::totals::ColumnHead;
use crate::store::triage::TriageItem;
use crate::store::users::{NewUser, UserRow};
use crate::store::{Result, StoreError};
use std::path::Path;

#[allow(dead_code)] // every aggregate is written; kept for a method added to a trait later
pub(crate) fn not_yet(what: &str) -> StoreError {
    StoreError::Engine(std::path::PathBuf::new(), format!("{what}: not yet on PostgreSQL"))
}
