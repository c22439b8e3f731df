//! A stage with its record count, and a new stage as asked.

use crate::domain::stage::StageSemantics;
use crate::store::refs::StageRow;
use serde::Serialize;

/// A stage with how many records sit in it.
#[derive(Clone, Debug, Serialize)]
pub struct StageCount {
    /// The stage.
    #[serde(flatten)]
    pub stage: StageRow,
    /// Records in it.
    pub count: i64,
}

/// A new stage.
#[derive(Clone, Debug)]
pub struct NewStage {
    /// Display name.
    pub name: String,
    /// Code (derived from the name when `None`).
    pub code: Option<String>,
    /// Semantics.
    pub semantics: StageSemantics,
    /// `#rrggbb` (a default per semantics when `None`).
    pub color: Option<String>,
    /// 1-based position; `None` puts it at the end of its semantic group.
    pub position: Option<usize>,
}
