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

pub(crate) fn not_yet(what: &str) -> StoreError {
    StoreError::Engine(std::path::PathBuf::new(), format!("{what}: not yet on PostgreSQL"))
}

impl Activities for Store {
    fn plan_activity(&mut self, a: NewActivity, more: &ActivityDetails) -> Result<i64> {
        Err(not_yet("plan_activity"))
    }

    fn activity(&self, id: i64) -> Result<ActivityRow> {
        Err(not_yet("activity"))
    }

    fn activities(&self, f: &ActivityFilter) -> Result<Vec<ActivityRow>> {
        Err(not_yet("activities"))
    }

    fn complete_activity(&mut self, id: i64) -> Result<()> {
        Err(not_yet("complete_activity"))
    }

    fn update_activity(&mut self, id: i64, change: &ActivityChange) -> Result<()> {
        Err(not_yet("update_activity"))
    }

    fn delete_activity(&mut self, id: i64) -> Result<()> {
        Err(not_yet("delete_activity"))
    }

    fn counters(&self, user_id: i64, now: UnixMs, tomorrow: UnixMs) -> Result<Counters> {
        Err(not_yet("counters"))
    }

    fn activity_day_counts(
        &self,
        responsible_id: i64,
        days: &[(chrono::NaiveDate, UnixMs, UnixMs)],
    ) -> Result<Vec<(chrono::NaiveDate, i64)>> {
        Err(not_yet("activity_day_counts"))
    }

    fn activity_slots(
        &self,
        responsible_id: i64,
        slots: &[(UnixMs, UnixMs)],
        now: UnixMs,
    ) -> Result<Vec<ActivitySlot>> {
        Err(not_yet("activity_slots"))
    }

    fn user_id_of(&self, text: &str) -> Result<i64> {
        Err(not_yet("user_id_of"))
    }

    fn import_calendar(&mut self, entries: &[CalendarWrite], dry_run: bool) -> Result<Vec<CalendarWritten>> {
        Err(not_yet("import_calendar"))
    }
}

impl Conversion for Store {
    fn convert_lead(&mut self, lead_id: i64, plan: &ConversionPlan) -> Result<Converted> {
        Err(not_yet("convert_lead"))
    }
}

impl Intake for Store {
    fn intake_email(&mut self, msg: &Message, always_new: bool) -> Result<IntakeOutcome> {
        Err(not_yet("intake_email"))
    }
}

impl Maintenance for Store {
    fn free_bytes(&self) -> Result<u64> {
        Err(not_yet("free_bytes"))
    }

    fn vacuum(&mut self) -> Result<Vacuumed> {
        Err(not_yet("vacuum"))
    }

    fn repair(&mut self) -> Result<()> {
        Err(not_yet("repair"))
    }

    fn check(&self) -> Result<CheckReport> {
        Err(not_yet("check"))
    }

    fn backup_to(&self, dest: &Path) -> Result<()> {
        Err(not_yet("backup_to"))
    }
}

impl Triage for Store {
    fn triage_next(&self, exclude: &[i64], first: Option<i64>, sight: &Sight) -> Result<Option<TriageItem>> {
        Err(not_yet("triage_next"))
    }
}

impl BulkSink for Store {
    fn import(
        &mut self,
        entity: Entity,
        rows: &RowSource<'_>,
        opts: ImportOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportReport> {
        Err(not_yet("import"))
    }

    fn load_records(&mut self, users: &[BulkUser], make: &RecordMaker<'_>) -> Result<BulkLoaded> {
        Err(not_yet("load_records"))
    }
}
