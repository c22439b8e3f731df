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
    /// The other record's value: the first of the others (in the order given) whose value
    /// differs.
    Other,
    /// The value of this record, the kept one or one merged into it: any of a field's
    /// `MergeConflict::values` (three records may hold three values), or another value than
    /// the first for a field the merge fills (`MergePreview::alternatives`).
    Record(i64),
}

impl Prefer {
    /// Parses `keep` / `other` (also `garder` / `autre`), or a record's id (`#12`, `12`).
    pub fn parse(s: &str) -> Option<Prefer> {
        match s.trim().to_lowercase().as_str() {
            "keep" | "garder" | "k" => Some(Prefer::Keep),
            "other" | "autre" | "o" => Some(Prefer::Other),
            id => id.strip_prefix('#').unwrap_or(id).parse().ok().filter(|id| *id > 0).map(Prefer::Record),
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
    /// The other record's value, as shown: the first of `values`.
    pub other: String,
    /// Which other record holds it.
    pub other_id: i64,
    /// Every value the other records hold that differs from the kept one, once each, with
    /// the first record (in the order given) holding it: what the user chooses among, by
    /// record (`Prefer::Record`), besides the kept value.
    pub values: Vec<(i64, String)>,
}

/// What a merge will do, for the user to choose before it runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MergePreview {
    /// Empty fields of the kept record that will be filled: (field, value, from id).
    pub fills: Vec<(String, String, i64)>,
    /// Fields whose values differ: the user chooses.
    pub conflicts: Vec<MergeConflict>,
    /// Fills (above) for which the others hold different values: filled with the first
    /// unless another record's is chosen (`Prefer::Record`). `keep` is empty.
    pub alternatives: Vec<MergeConflict>,
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
