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

/// The values of the fields of the team's own a merge compares: the fields of the kind of
/// record merged, the kept record's values and each other record's, in the merge's order
/// (each value as (field id, stored)).
pub(crate) struct CustomSides<'a> {
    /// The fields.
    pub fields: &'a [crate::domain::custom_field::CustomField],
    /// The kept record's values.
    pub keep: Vec<(i64, String)>,
    /// Each other record's values, by record id.
    pub others: Vec<(i64, Vec<(i64, String)>)>,
}

impl CustomSides<'_> {
    fn value_of(values: &[(i64, String)], field: i64) -> Option<&str> {
        values.iter().find(|(f, v)| *f == field && !v.trim().is_empty()).map(|(_, v)| v.as_str())
    }

    /// Each other record's value of `field` that differs from the kept one's, once, with its
    /// first record.
    fn differing(&self, field: i64) -> Vec<(i64, &str)> {
        let mine = Self::value_of(&self.keep, field);
        let mut out: Vec<(i64, &str)> = Vec::new();
        for (id, values) in &self.others {
            if let Some(v) = Self::value_of(values, field)
                && Some(v) != mine
                && !out.iter().any(|(_, w)| *w == v)
            {
                out.push((*id, v));
            }
        }
        out
    }

    /// Adds the fields of the team's own to a merge's preview, under their codes, as the
    /// built-in ones are: a value the kept record lacks is filled (from the first other
    /// holding one; another's may be chosen), a value it holds that another differs from is
    /// a difference to choose.
    pub(crate) fn preview(&self, out: &mut MergePreview) {
        for f in self.fields {
            let values = self.differing(f.id);
            let Some((first_id, _)) = values.first().copied() else { continue };
            let shown: Vec<(i64, String)> = values.iter().map(|(id, v)| (*id, f.plain(v))).collect();
            let conflict = |keep: String| MergeConflict {
                field: f.code.clone(),
                keep,
                other: shown[0].1.clone(),
                other_id: first_id,
                values: shown.clone(),
            };
            match Self::value_of(&self.keep, f.id) {
                None => {
                    out.fills.push((f.code.clone(), shown[0].1.clone(), first_id));
                    if shown.len() > 1 {
                        out.alternatives.push(conflict(String::new()));
                    }
                }
                Some(mine) => out.conflicts.push(conflict(f.plain(mine))),
            }
        }
    }

    /// The values the merge writes on the kept record itself, each with its history, as
    /// `choices` settle them: every fill (the first other's value, or the one named), and a
    /// difference settled for another record's value. A difference left unchosen is refused
    /// by the caller's check of the preview; a record named that holds no value of its own
    /// for the field, here, naming the field.
    pub(crate) fn chosen(
        &self,
        keep: i64,
        choices: &MergeChoices,
    ) -> crate::store::Result<Vec<(&crate::domain::custom_field::CustomField, Option<String>)>> {
        let mut out = Vec::new();
        for f in self.fields {
            let values = self.differing(f.id);
            let Some((first_id, _)) = values.first().copied() else { continue };
            let mine = Self::value_of(&self.keep, f.id);
            // A fill takes the first other's value unless another is named; a difference
            // what is chosen (unchosen ones are refused by the caller).
            let prefer = match choices.fields.get(&f.code).copied() {
                Some(p) => p,
                None if mine.is_none() => Prefer::Other,
                None => match choices.fallback {
                    Some(p) => p,
                    None => continue,
                },
            };
            let from = match prefer {
                Prefer::Keep => continue,
                Prefer::Other => first_id,
                Prefer::Record(id) if id == keep => continue,
                Prefer::Record(id) => id,
            };
            let theirs = self.others.iter().find(|(id, _)| *id == from).and_then(|(_, v)| Self::value_of(v, f.id));
            let Some(value) = theirs else {
                let holding: Vec<String> = std::iter::once((keep, mine))
                    .chain(self.others.iter().map(|(id, v)| (*id, Self::value_of(v, f.id))))
                    .filter_map(|(id, v)| v.map(|v| format!("#{id}: '{}'", f.plain(v))))
                    .collect();
                return Err(crate::store::StoreError::Field(crate::domain::FieldError::new(
                    f.code.clone(),
                    crate::domain::Problem::refused(
                        "merge_differs",
                        &[
                            ("keep", &keep.to_string()),
                            ("kept", &mine.map(|m| f.plain(m)).unwrap_or_default()),
                            ("others", &holding.join(", ")),
                            ("field", &f.code),
                        ],
                    ),
                )));
            };
            if Some(value) != mine {
                out.push((f, Some(value.to_string())));
            }
        }
        Ok(out)
    }
}
