//! Conversion of a lead (SPEC L6) and merging of duplicates: what may be given with a
//! conversion is checked here (`domain::convert::check_given`) before anything is read.

use super::Service;
use crate::store::engine::*;
use crate::demo::{DemoOptions, DemoReport};
use crate::domain::fields::Entity;
use crate::domain::import_rows::{ImportReport, ImportRow};
use crate::domain::intake::Message;
use crate::domain::queue::QueueMode;
use crate::domain::when::UnixMs;
use crate::store::activities::{ActivityChange, ActivityDetails, ActivityFilter, ActivitySlot, Counters, NewActivity};
use crate::store::convert::{ConversionPlan, Converted};
use crate::store::duplicates::{DuplicateGroup, DuplicateMatch};
use crate::store::import::ImportOptions;
use crate::store::intake::IntakeOutcome;
use crate::store::maintenance::{CheckReport, Vacuumed};
use crate::store::merge::{MergeChoices, MergePreview, Merged};
use crate::store::queue::QueueConfig;
use crate::store::records::{ChangedRecords, ListFilter, Moved, Record, RecordInput, RecordSummary, Saved};
use crate::store::refs::{PipelineRow, SourceRow, StageRow};
use crate::store::search::Hit;
use crate::store::stages::{NewStage, StageCount};
use crate::store::timeline::TimelineEntry;
use crate::store::totals::ColumnHead;
use crate::store::triage::TriageItem;
use crate::store::users::{NewUser, UserRow};
use crate::store::{CurrentUser, OpenOptions, Result, mount};
use std::path::Path;

impl Service {
    /// Converts a lead (SPEC L6): all or nothing.
    pub fn convert_lead(&mut self, lead_id: i64, plan: &ConversionPlan) -> Result<Converted> {
        // What may be given with the chosen targets is the input's own rule: refused before
        // anything is read.
        crate::domain::convert::check_given(
            plan.targets,
            plan.contact.is_some(),
            plan.company.is_some(),
            plan.pipeline.is_some(),
        )?;
        self.engine.convert_lead(lead_id, plan)
    }

    /// What merging `others` into `keep` would fill and which differing fields need a choice.
    pub fn merge_preview(&self, entity: Entity, keep: i64, others: &[i64]) -> Result<MergePreview> {
        self.engine.merge_preview(entity, keep, others)
    }

    /// Merges `others` into `keep` (SPEC D2). Differing fields take the user's choice; a differing field with neither is refused and nothing is written.
    pub fn merge(&mut self, entity: Entity, keep: i64, others: &[i64], choices: &MergeChoices, expected_version: Option<i64>) -> Result<Merged> {
        self.engine.merge(entity, keep, others, choices, expected_version)
    }
}
