//! Timeline entry kinds (SPEC A3). The timeline is append-only in normal use.

use serde::{Deserialize, Serialize};

/// What a timeline entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// Record created (payload: how: manual, import, e-mail, conversion, demo).
    Created,
    /// Fields changed (payload: list of field, old, new).
    FieldsChanged,
    /// Stage moved (payload: from, to, reason).
    StageMoved,
    /// A person wrote a comment (payload: text).
    Comment,
    /// An activity was planned.
    ActivityPlanned,
    /// An activity was completed.
    ActivityDone,
    /// An activity was rescheduled or edited (payload: old and new values).
    ActivityChanged,
    /// An activity was deleted (payload: its subject).
    ActivityDeleted,
    /// A lead was converted (payload: created/linked records).
    Converted,
    /// Record came in through an import.
    Imported,
    /// A document (quote, invoice) was created.
    Document,
    /// A link to another record was made (repeat lead, contact-company).
    Linked,
    /// Duplicates were merged into this record (payload: merged ids and titles, changes).
    Merged,
    /// Record deleted; the entry keeps a summary so history survives.
    Deleted,
    /// A stage rule ran on entering a stage (payload: the rule, what it did or why it was
    /// skipped).
    RuleRan,
    /// In CRM simple mode, an intake the conversion refused stays a lead (payload: why).
    IntakeKept,
}

impl TimelineKind {
    /// Stored form.
    pub fn code(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::FieldsChanged => "fields_changed",
            Self::StageMoved => "stage_moved",
            Self::Comment => "comment",
            Self::ActivityPlanned => "activity_planned",
            Self::ActivityDone => "activity_done",
            Self::ActivityChanged => "activity_changed",
            Self::ActivityDeleted => "activity_deleted",
            Self::Converted => "converted",
            Self::Imported => "imported",
            Self::Document => "document",
            Self::Linked => "linked",
            Self::Merged => "merged",
            Self::Deleted => "deleted",
            Self::RuleRan => "rule_ran",
            Self::IntakeKept => "intake_kept",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        ALL.into_iter().find(|k| k.code() == s)
    }
}

const ALL: [TimelineKind; 16] = [
    TimelineKind::Created,
    TimelineKind::FieldsChanged,
    TimelineKind::StageMoved,
    TimelineKind::Comment,
    TimelineKind::ActivityPlanned,
    TimelineKind::ActivityDone,
    TimelineKind::ActivityChanged,
    TimelineKind::ActivityDeleted,
    TimelineKind::Converted,
    TimelineKind::Imported,
    TimelineKind::Document,
    TimelineKind::Linked,
    TimelineKind::Merged,
    TimelineKind::Deleted,
    TimelineKind::RuleRan,
    TimelineKind::IntakeKept,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in ALL {
            assert_eq!(TimelineKind::parse(k.code()), Some(k));
        }
    }
}
