//! Activities: plan, list, complete, reschedule and delete calls, meetings and tasks.

use super::Service;
use crate::domain::activity::ActivityRow;
use crate::domain::when::UnixMs;
use crate::store::Result;
use crate::store::activities::{ActivityChange, ActivityDetails, ActivityFilter, ActivitySlot, Counters, NewActivity};

impl Service {
    /// Plans an activity on records (SPEC A1). An empty subject becomes "<Kind> <record>".
    pub fn plan_activity(&mut self, a: NewActivity, more: &ActivityDetails) -> Result<i64> {
        for r in &a.bindings {
            self.require_visible(*r)?;
        }
        self.engine.plan_activity(a, more)
    }

    /// One activity.
    pub fn activity(&self, id: i64) -> Result<ActivityRow> {
        self.engine.activity(id)
    }

    /// Activities by deadline, soonest first.
    pub fn activities(&self, f: &ActivityFilter) -> Result<Vec<ActivityRow>> {
        self.engine.activities(f)
    }

    /// Marks an activity done, with an entry on each bound record's timeline.
    pub fn complete_activity(&mut self, id: i64) -> Result<()> {
        self.engine.complete_activity(id)
    }

    /// Reschedules or edits an activity, with an entry on each bound record's timeline.
    pub fn update_activity(&mut self, id: i64, change: &ActivityChange) -> Result<()> {
        self.engine.update_activity(id, change)
    }

    /// Deletes an activity; the timelines of its records keep a note of it.
    pub fn delete_activity(&mut self, id: i64) -> Result<()> {
        self.engine.delete_activity(id)
    }

    /// Overdue / today / incoming counts of a user's open activities.
    pub fn counters(&self, user_id: i64, now: UnixMs, tomorrow: UnixMs) -> Result<Counters> {
        self.engine.counters(user_id, now, tomorrow)
    }

    /// A user's activities per day (done ones included) for the calendar: one indexed range
    /// count per day between the given local day starts.
    pub fn activity_day_counts(
        &self,
        responsible_id: i64,
        days: &[(chrono::NaiveDate, UnixMs, UnixMs)],
    ) -> Result<Vec<(chrono::NaiveDate, i64)>> {
        self.engine.activity_day_counts(responsible_id, days)
    }

    /// For each `[from, to)` of `slots` (the week grid's hours), the user's activities in it:
    /// how many, whether one is overdue at `now`, and the only one's time and subject when
    /// there is one. Counted here rather than from a list: a week of the dense 100k demo
    /// holds 4,900 activities of one user, and the grid read at most 1,000 of them.
    pub fn activity_slots(
        &self,
        responsible_id: i64,
        slots: &[(UnixMs, UnixMs)],
        now: UnixMs,
    ) -> Result<Vec<ActivitySlot>> {
        self.engine.activity_slots(responsible_id, slots, now)
    }

    /// A user id by login or name.
    pub fn user_id_of(&self, text: &str) -> Result<i64> {
        self.engine.user_id_of(text)
    }
}
