//! Administration: users, pipelines, stages and sources, settings, and the file's health.
//! Which tasks need an administrator is decided here (`Service::require_admin`).

use super::Service;
use crate::domain::fields::Entity;
use crate::store::AdminTask;
use crate::store::copy::{self, Migrated};
use crate::store::maintenance::{CheckReport, Vacuumed};
use crate::store::refs::{PipelineRow, SourceRow, StageRow};
use crate::store::stages::{NewStage, StageCount};
use crate::store::users::{NewUser, UserRow};
use crate::store::{OpenOptions, Result, StoreError};
use std::path::Path;

impl Service {
    /// Pages of the file that hold nothing (left by deletions and upgrades), in bytes: what
    /// `vacuum` would give back.
    pub fn free_bytes(&self) -> Result<u64> {
        self.engine.free_bytes()
    }

    /// Rewrites the file without its free pages (`VACUUM`): an upgrade that rebuilt the
    /// search index, or many deletions, leave pages that only a rewrite gives back. A
    /// signed-in user must be an administrator (`db` commands sign no one in, like `db
    /// backup`). Others wait while it runs (it locks the whole file); it waits for them like
    /// a write.
    pub fn vacuum(&mut self) -> Result<Vacuumed> {
        self.require_admin(AdminTask::Compact)?;
        self.engine.vacuum()
    }

    /// Remakes what the file keeps aside from its records and can always count again: the
    /// Kanban's column totals and the search index (`db check --repair`, administrators).
    pub fn repair(&mut self) -> Result<()> {
        self.require_admin(AdminTask::Repair)?;
        self.engine.repair()
    }

    /// Checks the file: SQLite integrity, foreign keys, and Prospect's invariants.
    pub fn check(&self) -> Result<CheckReport> {
        self.engine.check()
    }

    /// Writes a consistent copy of the file to `dest` while others may be writing. Refuses to
    /// overwrite an existing file or to follow a symbolic link (dangling or not). The copy is
    /// made under a temporary name next to `dest` and put in place when complete, so a
    /// failure (a full disk) leaves nothing behind; it gets the data file's permission bits.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        self.engine.backup_to(dest)
    }

    /// Copies the whole data into `target` (`db migrate-to`): a `postgres://` URL names an
    /// empty PostgreSQL database, a path a new SQLite file. The target is opened as any data
    /// is (its tables made), refused when it holds users or records (nothing written), then
    /// filled in one transaction with the same rows and ids (`store::copy`) and read back:
    /// each table's count and checksum on both sides. A new file that could not be filled
    /// is removed.
    pub fn migrate_to(&self, target: &Path) -> Result<Migrated> {
        let is_file = !target.to_str().is_some_and(crate::store::postgres::is_url);
        let existed = is_file && std::fs::symlink_metadata(target).is_ok();
        if is_file && std::fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(StoreError::TargetIsSymlink(target.to_path_buf()));
        }
        let opts = OpenOptions { create: true, ..self.options().clone() };
        let copied = Service::open(target, opts).and_then(|mut to| {
            if to.engine.holds_rows(copy::IN_USE)? {
                return Err(StoreError::TargetNotEmpty(to.path().to_path_buf()));
            }
            let tables = copy::copy_all(&*self.engine, &mut *to.engine)?;
            Ok(Migrated { target: to.path().to_path_buf(), tables })
        });
        if copied.is_err() && is_file && !existed {
            for end in ["", "-journal", "-wal", "-shm"] {
                let mut name = target.as_os_str().to_owned();
                name.push(end);
                let _ = std::fs::remove_file(name);
            }
        }
        copied
    }

    /// The file's own random id (migration 13): the same in every copy of the file, unlike
    /// in any other file, so what is exported from it (iCalendar UIDs) never collides with
    /// another office's export.
    pub fn file_id(&self) -> Result<String> {
        self.engine.file_id()
    }

    /// Stages of a lead pipeline or deal pipeline with their record counts.
    pub fn stages(&self, entity: Entity, pipeline: Option<&str>) -> Result<(PipelineRow, Vec<StageCount>)> {
        let (row, mut stages) = self.engine.stages(entity, pipeline)?;
        let sight = self.sight()?;
        if *sight.of(entity) != crate::domain::access::Visibility::All {
            // Counted as the board counts them for this user: hidden records are not told.
            let (_, heads) = self.engine.board(entity, pipeline, &sight)?;
            for s in stages.iter_mut() {
                s.count = heads.iter().find(|h| h.stage.id == s.stage.id).map_or(0, |h| h.count);
            }
        }
        Ok((row, stages))
    }

    /// The stages of the pipeline a stage belongs to, in order (the form's stage bar).
    pub fn sibling_stages(&self, stage_id: i64) -> Result<Vec<StageRow>> {
        self.engine.sibling_stages(stage_id)
    }

    /// A pipeline of `entity` by name (leads have one).
    pub fn pipeline(&self, entity: Entity, name: Option<&str>) -> Result<PipelineRow> {
        self.engine.pipeline(entity, name)
    }

    /// Every pipeline of `entity`.
    pub fn pipelines(&self, entity: Entity) -> Result<Vec<PipelineRow>> {
        self.engine.pipelines(entity)
    }

    /// Adds a deal pipeline with the default deal stages (administrators only).
    pub fn add_pipeline(&mut self, name: &str) -> Result<PipelineRow> {
        self.require_admin(AdminTask::AddPipelines)?;
        self.engine.add_pipeline(name)
    }

    /// Adds a stage, keeping in-progress / success / failure order.
    pub fn add_stage(&mut self, entity: Entity, pipeline: Option<&str>, new: &NewStage) -> Result<StageRow> {
        self.require_admin(AdminTask::ChangeStages)?;
        self.engine.add_stage(entity, pipeline, new)
    }

    /// Renames a stage (its code stays, so scripts keep working).
    pub fn rename_stage(
        &mut self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        name: &str,
    ) -> Result<StageRow> {
        self.require_admin(AdminTask::ChangeStages)?;
        self.engine.rename_stage(entity, pipeline, stage, name)
    }

    /// Sets a stage's probability (`40`, `default`) and rotting limit (`14`, `never`) as
    /// typed (administrators only; `None`: unchanged).
    pub fn set_stage_terms(
        &mut self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        probability: Option<&str>,
        rot_days: Option<&str>,
    ) -> Result<StageRow> {
        self.require_admin(AdminTask::ChangeStages)?;
        let probability = probability.map(crate::domain::report::read_probability).transpose()?;
        let rot_days = rot_days.map(crate::domain::report::read_rot_days).transpose()?;
        self.engine.set_stage_terms(entity, pipeline, stage, probability, rot_days)
    }

    /// Changes a stage's colour (administrators only).
    pub fn recolor_stage(
        &mut self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        color: &str,
    ) -> Result<StageRow> {
        self.require_admin(AdminTask::ChangeStages)?;
        self.engine.recolor_stage(entity, pipeline, stage, color)
    }

    /// Moves a stage to a 1-based position, refusing orders that break the semantics rule.
    pub fn reorder_stage(
        &mut self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        position: usize,
    ) -> Result<Vec<StageRow>> {
        self.require_admin(AdminTask::ChangeStages)?;
        self.engine.reorder_stage(entity, pipeline, stage, position)
    }

    /// Deletes a stage. Records in it must be moved to `move_to` (each move is written to
    /// their timeline); without it, a non-empty stage is refused with the count.
    pub fn delete_stage(
        &mut self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        move_to: Option<&str>,
    ) -> Result<i64> {
        self.require_admin(AdminTask::ChangeStages)?;
        self.engine.delete_stage(entity, pipeline, stage, move_to)
    }

    /// Every source.
    pub fn sources(&self) -> Result<Vec<SourceRow>> {
        self.engine.sources()
    }

    /// The lost reasons a failure stage offers.
    pub fn lost_reasons(&self) -> Result<Vec<crate::domain::report::reasons::LostReason>> {
        self.engine.lost_reasons()
    }

    /// Adds a lost reason, in English and French (an administrator's, as stages are).
    pub fn add_lost_reason(
        &mut self,
        name: &str,
        name_fr: Option<&str>,
    ) -> Result<crate::domain::report::reasons::LostReason> {
        self.require_admin(AdminTask::ChangeLostReasons)?;
        self.engine.add_lost_reason(name, name_fr)
    }

    /// Takes a lost reason off the list (losses keep their text).
    pub fn remove_lost_reason(&mut self, name: &str) -> Result<crate::domain::report::reasons::LostReason> {
        self.require_admin(AdminTask::ChangeLostReasons)?;
        self.engine.remove_lost_reason(name)
    }

    /// Adds a source (administrators only).
    pub fn add_source(&mut self, name: &str, code: Option<&str>) -> Result<SourceRow> {
        self.require_admin(AdminTask::ChangeSources)?;
        self.engine.add_source(name, code)
    }

    /// Renames a source, by code or name (administrators only): its code stays, so scripts
    /// and imports naming it keep working.
    pub fn rename_source(&mut self, source: &str, name: &str) -> Result<SourceRow> {
        self.require_admin(AdminTask::ChangeSources)?;
        self.engine.rename_source(source, name)
    }

    /// Moves a source to a 1-based position (administrators only): the order lists and
    /// pickers offer them in.
    pub fn reorder_source(&mut self, source: &str, position: usize) -> Result<Vec<SourceRow>> {
        self.require_admin(AdminTask::ChangeSources)?;
        self.engine.reorder_source(source, position)
    }

    /// Deletes a source (administrators only). The leads, contacts, companies and deals using
    /// it move to `move_to` in the same transaction, each move in their history; a source in
    /// use without `move_to` is refused with the count, so no record silently loses its
    /// source. The number of records moved.
    pub fn delete_source(&mut self, source: &str, move_to: Option<&str>) -> Result<i64> {
        self.require_admin(AdminTask::ChangeSources)?;
        self.engine.delete_source(source, move_to)
    }

    /// Renames a deal pipeline (administrators only).
    pub fn rename_pipeline(&mut self, pipeline: &str, name: &str) -> Result<PipelineRow> {
        self.require_admin(AdminTask::ChangePipelines)?;
        self.engine.rename_pipeline(pipeline, name)
    }

    /// Deletes a deal pipeline (administrators only). Its deals move to `move_to`, each to
    /// the first stage of the same semantics there (else its first stage), each move in
    /// their history; one holding deals without `move_to`, and the last deal pipeline, are
    /// refused. The number of deals moved.
    pub fn delete_pipeline(&mut self, pipeline: &str, move_to: Option<&str>) -> Result<i64> {
        self.require_admin(AdminTask::ChangePipelines)?;
        self.engine.delete_pipeline(pipeline, move_to)
    }

    /// Marks a user active or not (administrators only): an inactive user keeps their records
    /// and is skipped by distribution queues.
    pub fn set_user_active(&mut self, login: &str, active: bool) -> Result<()> {
        self.require_admin(AdminTask::ChangeUsers)?;
        let done = self.engine.set_user_active(login, active);
        self.forget_rights();
        done
    }

    /// Adds a user (administrators only).
    pub fn add_user(&mut self, user: &NewUser) -> Result<i64> {
        self.require_admin(AdminTask::AddUsers)?;
        self.engine.add_user(user)
    }

    /// Every user, by login.
    pub fn users(&self) -> Result<Vec<UserRow>> {
        self.engine.users()
    }
}
