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

impl Board for Store {
    fn board(&self, entity: Entity, pipeline: Option<&str>, sight: &Sight) -> Result<(PipelineRow, Vec<ColumnHead>)> {
        Err(not_yet("board"))
    }
}

impl Merging for Store {
    fn merge_preview(&self, entity: Entity, keep: i64, others: &[i64]) -> Result<MergePreview> {
        Err(not_yet("merge_preview"))
    }

    fn merge(
        &mut self,
        entity: Entity,
        keep: i64,
        others: &[i64],
        choices: &MergeChoices,
        expected_version: Option<i64>,
    ) -> Result<Merged> {
        Err(not_yet("merge"))
    }
}

impl Pipelines for Store {
    fn stages(&self, entity: Entity, pipeline: Option<&str>) -> Result<(PipelineRow, Vec<StageCount>)> {
        Err(not_yet("stages"))
    }

    fn sibling_stages(&self, stage_id: i64) -> Result<Vec<StageRow>> {
        Err(not_yet("sibling_stages"))
    }

    fn pipeline(&self, entity: Entity, name: Option<&str>) -> Result<PipelineRow> {
        Err(not_yet("pipeline"))
    }

    fn pipelines(&self, entity: Entity) -> Result<Vec<PipelineRow>> {
        Err(not_yet("pipelines"))
    }

    fn add_pipeline(&mut self, name: &str) -> Result<PipelineRow> {
        Err(not_yet("add_pipeline"))
    }

    fn add_stage(&mut self, entity: Entity, pipeline: Option<&str>, new: &NewStage) -> Result<StageRow> {
        Err(not_yet("add_stage"))
    }

    fn rename_stage(&mut self, entity: Entity, pipeline: Option<&str>, stage: &str, name: &str) -> Result<StageRow> {
        Err(not_yet("rename_stage"))
    }

    fn recolor_stage(&mut self, entity: Entity, pipeline: Option<&str>, stage: &str, color: &str) -> Result<StageRow> {
        Err(not_yet("recolor_stage"))
    }

    fn reorder_stage(
        &mut self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        position: usize,
    ) -> Result<Vec<StageRow>> {
        Err(not_yet("reorder_stage"))
    }

    fn delete_stage(
        &mut self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        move_to: Option<&str>,
    ) -> Result<i64> {
        Err(not_yet("delete_stage"))
    }

    fn sources(&self) -> Result<Vec<SourceRow>> {
        Err(not_yet("sources"))
    }

    fn add_source(&mut self, name: &str, code: Option<&str>) -> Result<SourceRow> {
        Err(not_yet("add_source"))
    }
}
