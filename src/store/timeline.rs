//! One entry of a record's history.

use crate::domain::timeline::TimelineKind;
use crate::domain::when::{self, UnixMs};
use serde::Serialize;
use serde_json::Value as Json;

/// One timeline entry.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineEntry {
    /// Row id (ascending with time).
    pub id: i64,
    /// What happened.
    pub kind: TimelineKind,
    /// When (unix ms).
    #[serde(serialize_with = "as_rfc3339")]
    pub at: UnixMs,
    /// Who (login), if known.
    pub user: Option<String>,
    /// Details, by kind.
    pub payload: Json,
}

fn as_rfc3339<S: serde::Serializer>(ms: &UnixMs, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&when::rfc3339(*ms))
}
