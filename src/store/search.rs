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
    /// Who a lead is about, when its title may not say: its person and company
    /// (`Zoë Lindqvist · Acme`), so a hit found by a name shows that name. Empty otherwise.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub client: String,
    /// The quote, invoice or credit note of a deal found by its number (`F-2026-00042`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}
