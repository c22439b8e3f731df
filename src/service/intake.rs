//! Leads that come in by themselves: imports, e-mail intake, the distribution queue and
//! triage of unprocessed leads.

use super::Service;
use crate::store::AdminTask;
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
    /// Takes one message in. `always_new` makes a lead even when the sender already has one.
    pub fn intake_email(&mut self, msg: &Message, always_new: bool) -> Result<IntakeOutcome> {
        self.engine.intake_email(msg, always_new)
    }

    /// The next lead to triage (`first` when it is given and still exists: an undone
    /// decision shows its lead again), or `None` when the inbox is clear.
    pub fn triage_next(&self, exclude: &[i64], first: Option<i64>) -> Result<Option<TriageItem>> {
        self.engine.triage_next(exclude, first)
    }

    /// The queue's configuration.
    pub fn queue(&self) -> Result<QueueConfig> {
        self.engine.queue()
    }

    /// Configures the queue (administrators): its mode and users in order, each of whom must
    /// be in the file.
    pub fn set_queue(&mut self, mode: QueueMode, users: &[String]) -> Result<QueueConfig> {
        self.require_admin(AdminTask::ConfigureQueue)?;
        self.engine.set_queue(mode, users)
    }

    /// Takes an unassigned lead ("to all" queue): the current user becomes responsible,
    /// unless someone took it first. The change goes through the normal update (version,
    /// timeline, change log).
    pub fn take_lead(&mut self, id: i64) -> Result<()> {
        self.engine.take_lead(id)
    }
}
