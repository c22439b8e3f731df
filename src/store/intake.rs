//! What an incoming e-mail became.

use crate::domain::fields::Entity;
use serde::Serialize;

/// What a message became.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum IntakeOutcome {
    /// A new lead.
    Created {
        /// Its id.
        id: i64,
        /// It repeats an existing client (contact or company with that e-mail).
        repeat: bool,
    },
    /// A comment on the record this sender already has open: their lead (in CRM simple
    /// mode, their deal).
    Commented {
        /// That record.
        id: i64,
        /// Its kind.
        entity: Entity,
    },
    /// Read before (same Message-ID): nothing done.
    AlreadyImported {
        /// The record it went to then.
        id: i64,
        /// Its kind.
        entity: Entity,
    },
}

/// SQL of the newest deal in progress whose contact (primary, or one of its others) is
/// `{c}` (the engine's placeholder): where a sender's message goes in CRM simple mode.
pub(crate) fn open_deal_sql(placeholder: &str) -> String {
    format!(
        "SELECT d.id FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.semantics = 'in_progress' \
         AND (d.contact_id = {placeholder} OR EXISTS (SELECT 1 FROM deal_contacts dc WHERE dc.deal_id = d.id \
         AND dc.contact_id = {placeholder})) ORDER BY d.id DESC LIMIT 1"
    )
}
