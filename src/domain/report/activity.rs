//! The activity report (SPEC V8, issue 29): per person (or department) and kind, the
//! activities planned in a period (their deadline in it), those done in it (completed in
//! it, whatever their deadline), of those done the ones done late (after their deadline),
//! and those overdue now (open, deadline passed).

use crate::domain::when::UnixMs;
use std::collections::BTreeMap;

/// What the activity report needs of an activity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityFact {
    /// Id.
    pub id: i64,
    /// `call`, `meeting`, `task`, `email`.
    pub kind: String,
    /// Responsible's login.
    pub responsible: Option<String>,
    /// Responsible's department.
    pub department: Option<String>,
    /// Deadline.
    pub deadline: UnixMs,
    /// When it was done (none: open).
    pub completed_at: Option<UnixMs>,
    /// Whether it is done (an activity done before completion times were kept has none).
    pub completed: bool,
}

/// What the report counts of activities alike (one kind, one responsible): an activity's
/// own share (`ActivityTally::of`), or the sum an engine keeps for many.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityTally {
    /// `call`, `meeting`, `task`, `email`.
    pub kind: String,
    /// Responsible's login.
    pub responsible: Option<String>,
    /// Responsible's department.
    pub department: Option<String>,
    /// Deadline in the period.
    pub planned: i64,
    /// Completed in the period.
    pub done: i64,
    /// Of those done, done after their deadline.
    pub done_late: i64,
    /// Open with the deadline passed, now.
    pub overdue: i64,
}

impl ActivityTally {
    /// What `a` counts for in the period `[from, to)` at `now` (the definitions of the
    /// module), none when nothing. The engines' `activity_tallies` keep these sums ahead
    /// (migration 23 / 13); the contract case `report_tallies_agree_with_the_records` holds
    /// them to this.
    pub fn of(a: &ActivityFact, (from, to): (UnixMs, UnixMs), now: UnixMs) -> Option<ActivityTally> {
        let planned = from <= a.deadline && a.deadline < to;
        let done = a.completed_at.is_some_and(|t| from <= t && t < to);
        let overdue = !a.completed && a.deadline < now;
        (planned || done || overdue).then(|| ActivityTally {
            kind: a.kind.clone(),
            responsible: a.responsible.clone(),
            department: a.department.clone(),
            planned: planned as i64,
            done: done as i64,
            done_late: (done && a.completed_at.is_some_and(|t| t > a.deadline)) as i64,
            overdue: overdue as i64,
        })
    }
}

/// One person's (or department's) activities of one kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityRow {
    /// Login or department (`None`: nobody's).
    pub who: Option<String>,
    /// Kind code.
    pub kind: String,
    /// Deadline in the period.
    pub planned: i64,
    /// Completed in the period.
    pub done: i64,
    /// Of those done, done after their deadline.
    pub done_late: i64,
    /// Open with the deadline passed, now.
    pub overdue: i64,
}

/// The report of `tallies` keyed by `who` (each row's person or department), in order of key
/// (nobody's last) then kind; a row that counts nothing is left out.
pub fn activity_report(tallies: &[ActivityTally], who: impl Fn(&ActivityTally) -> Option<String>) -> Vec<ActivityRow> {
    let mut rows: BTreeMap<(bool, Option<String>, String), ActivityRow> = BTreeMap::new();
    for a in tallies {
        let key = who(a);
        let row = rows.entry((key.is_none(), key.clone(), a.kind.clone())).or_insert_with(|| ActivityRow {
            who: key,
            kind: a.kind.clone(),
            ..Default::default()
        });
        row.planned += a.planned;
        row.done += a.done;
        row.done_late += a.done_late;
        row.overdue += a.overdue;
    }
    rows.into_values().filter(|r| r.planned != 0 || r.done != 0 || r.overdue != 0).collect()
}
