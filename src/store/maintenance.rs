//! The file's health as `db check` reports it, and what compacting gave back.

use crate::domain::fields::Entity;
use serde::Serialize;

/// Findings of `db check`; empty lists mean healthy.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CheckReport {
    /// Lines of `PRAGMA integrity_check` other than `ok`.
    pub integrity: Vec<String>,
    /// Rows of `PRAGMA foreign_key_check`.
    pub foreign_keys: Vec<String>,
    /// Broken rules of Prospect itself (stage order, stages of another pipeline, search index).
    pub invariants: Vec<String>,
    /// Records per entity.
    pub counts: Vec<(Entity, i64)>,
    /// What is worth knowing but is not wrong (histories an upgrade set apart).
    pub notices: Vec<String>,
}

impl CheckReport {
    /// Whether nothing was found.
    pub fn is_ok(&self) -> bool {
        self.integrity.is_empty() && self.foreign_keys.is_empty() && self.invariants.is_empty()
    }
}

/// What `Store::vacuum` gave back.
#[derive(Clone, Debug, Serialize)]
pub struct Vacuumed {
    /// File size before, in bytes.
    pub bytes_before: u64,
    /// File size after, in bytes.
    pub bytes_after: u64,
}
