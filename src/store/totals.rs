//! One Kanban column's head: its stage, count and sums.

use crate::store::refs::StageRow;
use serde::Serialize;

/// A Kanban column head: a stage with its record count and amount sums.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ColumnHead {
    /// The stage.
    pub stage: StageRow,
    /// Records in it (visible to the user).
    pub count: i64,
    /// Sum of amounts per currency, largest first, in 128 bits (many large amounts may not
    /// fit in 64).
    pub sums: Vec<(String, i128)>,
}
