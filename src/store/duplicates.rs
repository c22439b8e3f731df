//! Records that may be the same (SPEC D1): one match, and a group of them.

use crate::domain::fields::Entity;
use serde::Serialize;

/// A record that matches another by the duplicate rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DuplicateMatch {
    /// Kind of the matching record.
    pub entity: Entity,
    /// Its id.
    pub id: i64,
    /// Its display title.
    pub title: String,
    /// What matched: `phone`, `email`, `name`, `company`.
    pub matched_by: Vec<String>,
    /// A record the user may not see (SPEC R2): said to exist, with what matched, but
    /// neither its id nor its title (both empty).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
}

impl DuplicateMatch {
    /// A match the user may not see, without its data.
    pub fn hidden(entity: Entity, matched_by: Vec<String>) -> DuplicateMatch {
        DuplicateMatch { entity, id: 0, title: String::new(), matched_by, hidden: true }
    }

    /// Matched by a phone or e-mail, which says more than a shared name.
    pub fn by_comm(&self) -> bool {
        self.matched_by.iter().any(|m| m == "phone" || m == "email")
    }
}

/// A group of records of one kind that match each other (`dedup scan`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DuplicateGroup {
    /// Kind of the records.
    pub entity: Entity,
    /// What made them match.
    pub matched_by: Vec<String>,
    /// Members as (id, title), lowest id first: the usual one to keep.
    pub members: Vec<(i64, String)>,
}
