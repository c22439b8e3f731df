//! The engine's share of the sales head's reports (SPEC V8): the facts of the records a
//! report counts, limited to what the user may see; `domain::report` makes the figures.

use super::Result;
use crate::domain::access::{Sight, Visibility};
use crate::domain::fields::Entity;
use crate::domain::report::activity::ActivityTally;
use crate::domain::report::funnel::FunnelFact;
use crate::domain::report::reasons::LostReason;
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

/// Which leads or deals a funnel follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunnelQuery {
    /// Leads, or deals.
    pub entity: Entity,
    /// One deal pipeline (`None`: every one).
    pub pipeline: Option<i64>,
    /// Those that came in in `[from, to)`; for deals with `from_leads`, those made from the
    /// leads that came in then.
    pub created: (UnixMs, UnixMs),
    /// Deals made from the period's leads (the leads-to-deals funnel).
    pub from_leads: bool,
    /// The moment the funnel is read at (the period's end): the stage each record was in
    /// then, and the stages it had been in; `None` for a period not ended yet (the stage it
    /// is in, every stage it has been in: one lookup less per record).
    pub end: Option<UnixMs>,
    /// Read from the tallies the engine keeps where they serve (a period of whole hours),
    /// else record by record: the same figures (a contract test compares both).
    pub tallied: bool,
}

/// Reads for reports.
pub trait Reports {
    /// The deals `query` names that `sight` lets the user see, by id.
    fn deal_facts(&self, query: &DealQuery, sight: &Sight) -> Result<Vec<DealFact>>;

    /// The deals in progress in `pipeline` (`None`: every one) that `sight` lets the user see,
    /// as the forecast counts them: with `tallied`, from the tallies the engine keeps (a fact
    /// per stage, responsible, source, close month, own probability and currency, standing
    /// for `records` deals); else each deal (`deal_facts`). The same forecast either way.
    fn open_deal_facts(&self, pipeline: Option<i64>, sight: &Sight, tallied: bool) -> Result<Vec<DealFact>>;

    /// The leads created in `[from, to)` that `sight` lets the user see: with `tallied`, over
    /// whole hours, the tallies of the leads not converted and the converted ones read from
    /// the records, together by stage and people with their times (`LeadFact::times`); else
    /// each lead, by id.
    fn lead_facts(&self, created: (UnixMs, UnixMs), sight: &Sight, tallied: bool) -> Result<Vec<LeadFact>>;

    /// The records `query` follows that `sight` lets the user see (tallies of records alike,
    /// or each record: `FunnelQuery::tallied`).
    fn funnel_facts(&self, query: &FunnelQuery, sight: &Sight) -> Result<Vec<FunnelFact>>;

    /// What the activities with a deadline or a completion in `[from, to)`, or open with a
    /// deadline before `now`, count for (`ActivityTally::of`), those `reach` (by their
    /// responsible) lets the user read: with `tallied`, over whole hours, from the tallies the
    /// engine keeps; else activity by activity.
    fn activity_tallies(
        &self,
        period: (UnixMs, UnixMs),
        now: UnixMs,
        reach: &Visibility,
        tallied: bool,
    ) -> Result<Vec<ActivityTally>>;

    /// The leads or deals `sight` lets the user see that are stale at `now` (see
    /// `domain::report::StaleFact`), the longest left alone first; only those of `among`
    /// when given (the cards a board shows: deciding it for every record read each one's
    /// activities, hundreds of milliseconds at 100k leads).
    fn stale(&self, entity: Entity, now: UnixMs, sight: &Sight, among: Option<&[i64]>) -> Result<Vec<StaleFact>>;

    /// The lost reasons' list, in its order.
    fn lost_reasons(&self) -> Result<Vec<LostReason>>;

    /// Adds a reason at the end of the list (`domain::report::reasons::check_new`; the
    /// service asks for an administrator).
    fn add_lost_reason(&mut self, name: &str, name_fr: Option<&str>) -> Result<LostReason>;

    /// Takes a reason (named in either language) off the list; the losses that kept it keep
    /// their text.
    fn remove_lost_reason(&mut self, name: &str) -> Result<LostReason>;
}
