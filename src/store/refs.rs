//! Pipelines, stages and sources as rows; a reference shown with its code and name.

use crate::domain::fields::Entity;
pub use crate::domain::record::RefShown;
use crate::domain::stage::StageSemantics;
use serde::Serialize;

/// A stage of a pipeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StageRow {
    /// Row id.
    pub id: i64,
    /// Pipeline it belongs to.
    pub pipeline_id: i64,
    /// Stable code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
    /// In progress, success or failure.
    pub semantics: StageSemantics,
    /// Position (ascending).
    pub sort: i64,
    /// Its probability in percent, as set (`None`: the default of its place,
    /// `domain::report::stage_probabilities`).
    pub probability: Option<i64>,
    /// Days without activity or change after which a record in it rots (`None`: never).
    pub rot_days: Option<i64>,
}

/// A pipeline of lead or deal stages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PipelineRow {
    /// Row id.
    pub id: i64,
    /// `lead` or `deal`.
    pub entity: Entity,
    /// Display name.
    pub name: String,
}

/// A lead source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceRow {
    /// Row id.
    pub id: i64,
    /// Stable code.
    pub code: String,
    /// Display name.
    pub name: String,
}
