//! The funnel (SPEC V8, issue 29): of the leads or deals that came in in a period, how many
//! stand in each stage at its end, and how many had reached each stage by then. Definitions:
//!
//! - **Reached** an in-progress stage: the record was, at some moment before the period's
//!   end, in that stage, in a later in-progress stage or in the success stage (a lead that
//!   went from New straight to Converted passed through the stages between). A lead that
//!   reached "In progress" then went to Junk still counts as having reached it: this comes
//!   from the stage moves kept, so a later move does not rewrite the past.
//! - **Reached** the success stage or a failure stage: the record was in it at some moment
//!   before the period's end.
//! - **Count and amount**: the records in the stage at the period's end (their amount now).
//! - **Share**: reached / the records that came in (for deals made from a period's leads,
//!   the leads that came in), in tenths of a percent.

use super::{StageFact, Sums};
use crate::domain::stage::StageSemantics;
use std::collections::BTreeMap;

/// What the funnel needs of a lead or deal that came in in the period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunnelFact {
    /// Id.
    pub id: i64,
    /// The stage it was in at the period's end.
    pub stage_id: i64,
    /// Every stage it had been in by then (the one it came in in included).
    pub visited: Vec<i64>,
    /// Amount, minor units (of a tally, the sum of its records').
    pub amount_minor: Option<i64>,
    /// Its currency code.
    pub currency: Option<String>,
    /// Responsible's login.
    pub responsible: Option<String>,
    /// Source code.
    pub source: Option<String>,
    /// Responsible's department.
    pub department: Option<String>,
    /// How many records this stands for: 1 for one record, more for a tally of records alike
    /// (`-1` takes one back: a past period's record moved since).
    pub records: i64,
}

/// One stage of a funnel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunnelRow {
    /// The stage.
    pub stage: StageFact,
    /// Records in it at the period's end.
    pub count: i64,
    /// Their amounts per currency.
    pub amounts: Sums,
    /// Records that had reached it by the period's end (see the module's definitions).
    pub reached: i64,
}

/// A pipeline's funnel.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Funnel {
    /// Records followed (those that came in).
    pub records: i64,
    /// Each stage, in the pipeline's order.
    pub rows: Vec<FunnelRow>,
}

impl Funnel {
    /// The currency most of its amounts are in (the first by code among equals).
    pub fn main_currency(&self) -> Option<String> {
        let mut per: Sums = Sums::new();
        for row in &self.rows {
            for c in row.amounts.keys() {
                *per.entry(c.clone()).or_default() += row.count.max(1);
            }
        }
        per.iter().filter(|(c, _)| !c.is_empty()).max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(c, _)| c.clone())
    }
}

/// `part / base` in tenths of a percent, none when `base` is 0.
pub fn share_tenths(part: i64, base: i64) -> Option<i64> {
    (base > 0).then(|| crate::domain::lines::div_round(part as i128 * 1000, base as i128) as i64)
}

/// The funnel of `records` over `stages` (one pipeline's, in order).
pub fn funnel(records: &[FunnelFact], stages: &[StageFact]) -> Funnel {
    // Each stage's place among the open stages; the success stage is past them all.
    let place = |id: i64| -> Option<usize> {
        let mut k = 0;
        for s in stages {
            match s.semantics {
                StageSemantics::InProgress => {
                    if s.id == id {
                        return Some(k);
                    }
                    k += 1;
                }
                StageSemantics::Success if s.id == id => return Some(usize::MAX),
                _ => {}
            }
        }
        None
    };
    let mut rows: Vec<FunnelRow> =
        stages.iter().map(|s| FunnelRow { stage: s.clone(), count: 0, amounts: Sums::new(), reached: 0 }).collect();
    // Records per stage and currency: a currency whose records were all taken back is no
    // currency of the stage's.
    let mut held: BTreeMap<(i64, String), i64> = BTreeMap::new();
    for r in records {
        if let Some(row) = rows.iter_mut().find(|row| row.stage.id == r.stage_id) {
            row.count += r.records;
            let currency = r.currency.clone().unwrap_or_default();
            *held.entry((row.stage.id, currency.clone())).or_default() += r.records;
            *row.amounts.entry(currency).or_default() += r.amount_minor.unwrap_or(0);
        }
        let furthest = r.visited.iter().chain([&r.stage_id]).filter_map(|id| place(*id)).max();
        let mut k = 0;
        for row in rows.iter_mut() {
            let reached = match row.stage.semantics {
                StageSemantics::InProgress => {
                    k += 1;
                    furthest.is_some_and(|f| f >= k - 1)
                }
                _ => r.visited.contains(&row.stage.id) || r.stage_id == row.stage.id,
            };
            row.reached += reached as i64 * r.records;
        }
    }
    for row in rows.iter_mut() {
        row.amounts.retain(|c, _| held.get(&(row.stage.id, c.clone())).is_some_and(|n| *n != 0));
    }
    Funnel { records: records.iter().map(|r| r.records).sum(), rows }
}
