//! One search hit.

use crate::domain::fields::Entity;
use serde::Serialize;

/// One search result.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Hit {
    /// Kind of record.
    pub entity: Entity,
    /// Id.
    pub id: i64,
    /// Title shown.
    pub title: String,
}
