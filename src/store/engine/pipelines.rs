//! The engine's pipelines, stages and sources: read, and administered (the service decides
//! who may).

use super::*;

/// Pipelines, stages and sources, and their administration.
pub trait Pipelines {
    /// Stages of a lead pipeline or deal pipeline with their record counts.
    fn stages(&self, entity: Entity, pipeline: Option<&str>) -> Result<(PipelineRow, Vec<StageCount>)>;

    /// The stages of the pipeline a stage belongs to, in order (the form's stage bar).
    fn sibling_stages(&self, stage_id: i64) -> Result<Vec<StageRow>>;

    /// A pipeline's stages, in order, without counting their records (what a report needs).
    fn stages_of(&self, pipeline_id: i64) -> Result<Vec<StageRow>>;

    /// A pipeline of `entity` by name (leads have one).
    fn pipeline(&self, entity: Entity, name: Option<&str>) -> Result<PipelineRow>;

    /// Every pipeline of `entity`.
    fn pipelines(&self, entity: Entity) -> Result<Vec<PipelineRow>>;

    /// Adds a deal pipeline with the default deal stages (the service asks for an administrator).
    fn add_pipeline(&mut self, name: &str) -> Result<PipelineRow>;

    /// Adds a stage, keeping in-progress / success / failure order.
    fn add_stage(&mut self, entity: Entity, pipeline: Option<&str>, new: &NewStage) -> Result<StageRow>;

    /// Renames a stage (its code stays, so scripts keep working).
    fn rename_stage(&mut self, entity: Entity, pipeline: Option<&str>, stage: &str, name: &str) -> Result<StageRow>;

    /// Sets a stage's probability and rotting limit (`Some(None)`: back to the default /
    /// never; `None`: unchanged), values already checked by `domain::report`.
    fn set_stage_terms(
        &mut self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        probability: Option<Option<i64>>,
        rot_days: Option<Option<i64>>,
    ) -> Result<StageRow>;

    /// Changes a stage's colour.
    fn recolor_stage(&mut self, entity: Entity, pipeline: Option<&str>, stage: &str, color: &str) -> Result<StageRow>;

    /// Moves a stage to a 1-based position, refusing orders that break the semantics rule.
    fn reorder_stage(
        &mut self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        position: usize,
    ) -> Result<Vec<StageRow>>;

    /// Deletes a stage. Records in it must be moved to `move_to` (each move is written to
    /// their timeline); without it, a non-empty stage is refused with the count.
    fn delete_stage(
        &mut self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        move_to: Option<&str>,
    ) -> Result<i64>;

    /// Every source.
    fn sources(&self) -> Result<Vec<SourceRow>>;

    /// Adds a source (the service asks for an administrator).
    fn add_source(&mut self, name: &str, code: Option<&str>) -> Result<SourceRow>;

    /// Renames a source found by code or name (its code stays, so scripts keep working); the
    /// name follows `store::ref_admin::new_name` (the service asks for an administrator).
    fn rename_source(&mut self, source: &str, name: &str) -> Result<SourceRow>;

    /// Moves a source to a 1-based position among the sources; the new order.
    fn reorder_source(&mut self, source: &str, position: usize) -> Result<Vec<SourceRow>>;

    /// Deletes a source. The records using it (`ref_admin::WITH_SOURCE`) move to `move_to` in
    /// the same transaction, each with a timeline entry and a change logged; without it, a
    /// source in use is refused with the count. The number of records moved.
    fn delete_source(&mut self, source: &str, move_to: Option<&str>) -> Result<i64>;

    /// Renames a deal pipeline (by name or id), its name following `ref_admin::new_name`.
    fn rename_pipeline(&mut self, pipeline: &str, name: &str) -> Result<PipelineRow>;

    /// Deletes a deal pipeline and its stages. Its deals move to `move_to`, each to the stage
    /// `ref_admin::stage_for` says, with a timeline entry (the column totals follow through
    /// their triggers); without it, a pipeline holding deals is refused with the count, and
    /// the last deal pipeline always is. The number of deals moved.
    fn delete_pipeline(&mut self, pipeline: &str, move_to: Option<&str>) -> Result<i64>;
}
