//! The engine's share of the sales head's reports (SPEC V8): the facts of the records a
//! report counts, limited to what the user may see; `domain::report` makes the figures.

use super::Result;
use crate::domain::access::Sight;
use crate::domain::fields::Entity;
use crate::domain::report::{DealFact, LeadFact, StaleFact};
use crate::domain::when::UnixMs;

/// Which deals a report reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DealQuery {
    /// One pipeline (`None`: every one).
    pub pipeline: Option<i64>,
    /// The open ones (in an in-progress stage).
    pub open: bool,
    /// Those that reached a final stage in `[from, to)`.
    pub closed: Option<(UnixMs, UnixMs)>,
}

/// Reads for reports.
pub trait Reports {
    /// The deals `query` names that `sight` lets the user see, by id.
    fn deal_facts(&self, query: &DealQuery, sight: &Sight) -> Result<Vec<DealFact>>;

    /// The leads created in `[from, to)` that `sight` lets the user see, by id.
    fn lead_facts(&self, created: (UnixMs, UnixMs), sight: &Sight) -> Result<Vec<LeadFact>>;

    /// The leads or deals `sight` lets the user see that are stale at `now` (see
    /// `domain::report::StaleFact`), the longest left alone first.
    fn stale(&self, entity: Entity, now: UnixMs, sight: &Sight) -> Result<Vec<StaleFact>>;
}
