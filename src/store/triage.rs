//! The next unprocessed lead, with what triage shows beside it.

use crate::store::{duplicates::DuplicateMatch, records::Record, timeline::TimelineEntry};

/// The lead to triage now, with what helps decide.
#[derive(Clone, Debug)]
pub struct TriageItem {
    /// The lead.
    pub record: Record,
    /// Its history, newest first.
    pub timeline: Vec<TimelineEntry>,
    /// Other leads that look like the same person or company.
    pub duplicates: Vec<DuplicateMatch>,
    /// Unprocessed leads left, this one included.
    pub remaining: i64,
}
