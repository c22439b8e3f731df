//! What an incoming e-mail became.

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
    /// A comment on the lead this sender already has.
    Commented {
        /// That lead.
        id: i64,
    },
    /// Read before (same Message-ID): nothing done.
    AlreadyImported {
        /// The lead it went to then.
        id: i64,
    },
}
