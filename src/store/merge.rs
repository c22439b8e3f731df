//! Merging duplicates: which side wins each field, the preview, and the result.

use crate::domain::fields::Entity;
use serde::Serialize;
use std::collections::BTreeMap;

/// Which side's value a differing field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Prefer {
    /// The kept record's value.
    Keep,
    /// The other record's value.
    Other,
}

impl Prefer {
    /// Parses `keep` / `other` (also `garder` / `autre`).
    pub fn parse(s: &str) -> Option<Prefer> {
        match s.trim().to_lowercase().as_str() {
            "keep" | "garder" | "k" => Some(Prefer::Keep),
            "other" | "autre" | "o" => Some(Prefer::Other),
            _ => None,
        }
    }
}

/// The user's choices for differing fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeChoices {
    /// Per field key.
    pub fields: BTreeMap<String, Prefer>,
    /// For every other differing field; `None` refuses a merge with an unchosen difference.
    pub fallback: Option<Prefer>,
}

/// A field whose values differ between the kept record and another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MergeConflict {
    /// Field key.
    pub field: String,
    /// Kept record's value, as shown.
    pub keep: String,
    /// The other record's value, as shown.
    pub other: String,
    /// Which other record holds it.
    pub other_id: i64,
}

/// What a merge will do, for the user to choose before it runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MergePreview {
    /// Empty fields of the kept record that will be filled: (field, value, from id).
    pub fills: Vec<(String, String, i64)>,
    /// Fields whose values differ: the user chooses.
    pub conflicts: Vec<MergeConflict>,
}

/// What a merge did.
#[derive(Clone, Debug, Serialize)]
pub struct Merged {
    /// Kind.
    pub entity: Entity,
    /// The kept record.
    pub id: i64,
    /// Its version after the merge.
    pub version: i64,
    /// Records merged into it and deleted.
    pub merged: Vec<i64>,
    /// Fields that changed on the kept record.
    pub changed: Vec<String>,
}
