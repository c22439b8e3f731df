//! Activities: plan, list, complete, reschedule and delete calls, meetings and tasks.

use super::Service;
use crate::domain::access::{Action, Level, Rights, Subject};
use crate::domain::activity::ActivityRow;
use crate::domain::calendar_in::{CalendarEntry, CalendarItem, CalendarOutcome, CalendarRefusal, CalendarReport};
use crate::domain::comm::{Comm, CommKind};
use crate::domain::fields::Entity;
use crate::domain::record::{CommsChange, RecordInput, RecordRef};
use crate::domain::when::UnixMs;
use crate::store::Result;
use crate::store::activities::{
    ActivityChange, ActivityDetails, ActivityFilter, ActivitySlot, CalendarWrite, CalendarWritten, Counters,
    NewActivity,
};
use std::collections::HashMap;

impl Service {
    /// The signed-in user's reminders due now, each given once (`Activities::take_due_reminders`):
    /// a screen's notice, `prospect remind --due` for cron or a status bar.
    pub fn take_due_reminders(&mut self) -> Result<Vec<crate::domain::activity::ActivityRow>> {
        let ids = self.engine.take_due_reminders()?;
        ids.into_iter().map(|id| self.engine.activity(id)).collect()
    }

    /// Plans an activity on records (SPEC A1). An empty subject becomes "<Kind> <record>".
    pub fn plan_activity(&mut self, a: NewActivity, more: &ActivityDetails) -> Result<i64> {
        for r in &a.bindings {
            self.require(Action::Update, *r)?;
        }
        // The activity's responsible (the planner by default) must be within the add level.
        let responsible = a.responsible_id.or_else(|| self.engine.user().map(|u| u.id));
        self.require_subject(Action::Add, Subject::Activity, responsible)?;
        self.engine.plan_activity(a, more)
    }

    /// One activity.
    pub fn activity(&self, id: i64) -> Result<ActivityRow> {
        let row = self.engine.activity(id)?;
        self.require_activity(Action::Read, &row)?;
        let mut rows = [row];
        self.hide_unseen_bindings(&mut rows)?;
        let [row] = rows;
        Ok(row)
    }

    /// Activities by deadline, soonest first; the records the user may not see named "a
    /// record you cannot see".
    pub fn activities(&self, f: &ActivityFilter) -> Result<Vec<ActivityRow>> {
        let mut rows = self.readable_activities(f)?;
        self.hide_unseen_bindings(&mut rows)?;
        Ok(rows)
    }

    /// An activity's records the user may not see keep their id, not their title (SPEC R2):
    /// a Head's call bound to a lead of another department, a contact beside their deal's.
    fn hide_unseen_bindings(&self, rows: &mut [ActivityRow]) -> Result<()> {
        let sight = self.sight()?;
        let hidden = crate::i18n::tr_in(self.engine.options().lang, "access.hidden_record", &[]);
        for entity in [Entity::Lead, Entity::Contact, Entity::Company, Entity::Deal] {
            if *sight.of(entity) == crate::domain::access::Visibility::All {
                continue;
            }
            let mut ids: Vec<i64> =
                rows.iter().flat_map(|r| &r.bindings).filter(|b| b.0 == entity).map(|b| b.1).collect();
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                continue;
            }
            let seen = self.engine.seen_among(entity, &ids, &sight)?;
            for binding in rows.iter_mut().flat_map(|r| r.bindings.iter_mut()) {
                if binding.0 == entity && !seen.contains(&binding.1) {
                    binding.2 = hidden.clone();
                }
            }
        }
        Ok(())
    }

    /// Activities by deadline the user may read, pages read on past the ones left out.
    fn readable_activities(&self, f: &ActivityFilter) -> Result<Vec<ActivityRow>> {
        let rows = self.engine.activities(f)?;
        let Some(rights) = self.rights()? else { return Ok(rows) };
        if rights.level(Subject::Activity, Action::Read) == Level::All {
            return Ok(rows);
        }
        // A record's activities are seen with the record (own: its responsible's too);
        // otherwise each by its own responsible.
        if let Some(r) = f.record {
            self.require_visible(r)?;
            return Ok(rows);
        }
        // The page is filled with activities the user may read: the rows after the last
        // one read, page after page, until it is full or the rows run out.
        let limit = if f.limit == 0 { 500 } else { f.limit };
        let mut seen = Vec::with_capacity(rows.len());
        let mut rows = rows;
        loop {
            let full = rows.len() >= limit;
            let last = rows.last().map(|r| (r.deadline, r.id));
            for row in rows {
                if self.activity_allowed(&rights, Action::Read, &row, false)? {
                    seen.push(row);
                    if seen.len() == limit {
                        return Ok(seen);
                    }
                }
            }
            let (true, Some(after)) = (full, last) else { return Ok(seen) };
            rows = self.engine.activities(&ActivityFilter { after: Some(after), limit, ..f.clone() })?;
        }
    }

    /// Whether `rights` allow `action` on an activity: its responsible's level, or (with
    /// `bindings`) the level of one of its records' responsibles, whichever is lower ("own":
    /// the activity's or its record's).
    fn activity_allowed(&self, rights: &Rights, action: Action, row: &ActivityRow, bindings: bool) -> Result<bool> {
        let mut needed = Level::All;
        if let Some(login) = &row.responsible {
            needed = needed.min(rights.needed(Some(self.engine.user_id_of(login)?)));
        } else {
            needed = Level::Own;
        }
        if bindings && needed > Level::Own {
            for (entity, id, _) in &row.bindings {
                let record =
                    self.engine.get(RecordRef::new(*entity, *id), &crate::domain::access::Sight::everything())?;
                needed = needed.min(rights.needed(super::rights::responsible_of(&record)));
            }
        }
        let level = rights.level(Subject::Activity, action);
        Ok(level != Level::None && level >= needed)
    }

    /// Refuses `action` on an activity the user's level does not reach (not found when they
    /// may not even read it).
    fn require_activity(&self, action: Action, row: &ActivityRow) -> Result<()> {
        if action != Action::Read {
            self.require_writer()?;
        }
        let Some(rights) = self.rights()? else { return Ok(()) };
        if rights.level(Subject::Activity, Action::Read) == Level::All
            && rights.level(Subject::Activity, action) == Level::All
        {
            return Ok(());
        }
        if !self.activity_allowed(&rights, Action::Read, row, true)? {
            return Err(crate::store::StoreError::Rule(crate::store::Rule::NoActivity { id: row.id }));
        }
        if self.activity_allowed(&rights, action, row, true)? {
            return Ok(());
        }
        Err(self.refusal(action, Subject::Activity, Level::All, rights.level(Subject::Activity, action)))
    }

    /// Refuses reading user `user_id`'s activities (counters, calendar) unless the user's
    /// level for activities reaches them.
    fn require_activities_of(&self, user_id: i64) -> Result<()> {
        self.require_subject(Action::Read, Subject::Activity, Some(user_id))
    }

    /// Marks an activity done, with an entry on each bound record's timeline.
    pub fn complete_activity(&mut self, id: i64) -> Result<()> {
        self.require_activity(Action::Update, &self.engine.activity(id)?)?;
        self.engine.complete_activity(id)
    }

    /// Reschedules or edits an activity, with an entry on each bound record's timeline.
    pub fn update_activity(&mut self, id: i64, change: &ActivityChange) -> Result<()> {
        self.require_activity(Action::Update, &self.engine.activity(id)?)?;
        self.engine.update_activity(id, change)
    }

    /// Deletes an activity; the timelines of its records keep a note of it.
    pub fn delete_activity(&mut self, id: i64) -> Result<()> {
        self.require_activity(Action::Delete, &self.engine.activity(id)?)?;
        self.engine.delete_activity(id)
    }

    /// Overdue / today / incoming counts of a user's open activities.
    pub fn counters(&self, user_id: i64, now: UnixMs, tomorrow: UnixMs) -> Result<Counters> {
        self.require_activities_of(user_id)?;
        self.engine.counters(user_id, now, tomorrow)
    }

    /// A user's activities per day (done ones included) for the calendar: one indexed range
    /// count per day between the given local day starts.
    pub fn activity_day_counts(
        &self,
        responsible_id: i64,
        days: &[(chrono::NaiveDate, UnixMs, UnixMs)],
    ) -> Result<Vec<(chrono::NaiveDate, i64)>> {
        self.require_activities_of(responsible_id)?;
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
        self.require_activities_of(responsible_id)?;
        self.engine.activity_slots(responsible_id, slots, now)
    }

    /// A user id by login or name.
    pub fn user_id_of(&self, text: &str) -> Result<i64> {
        self.engine.user_id_of(text)
    }

    /// Imports a calendar's events and to-dos (`prospect import FILE.ics`) as activities, in
    /// one transaction. Each is bound to the records in `given` (checked first: a record that
    /// does not exist refuses the whole import) and to every contact and lead whose e-mail is
    /// one of its attendees' or its organiser's, found by the duplicate rules' e-mail match.
    /// An entry whose UID an activity already holds (or which this file's own export wrote)
    /// updates it, its bindings added; any other bound to no record is not imported, and the
    /// report says why, as it does for the entries io::ics_in could not read. `dry_run`:
    /// nothing kept.
    pub fn import_calendar(
        &mut self,
        entries: Vec<std::result::Result<CalendarEntry, CalendarRefusal>>,
        given: &[RecordRef],
        dry_run: bool,
    ) -> Result<CalendarReport> {
        if !dry_run {
            self.require_writer()?;
        }
        let sight = self.sight()?;
        for r in given {
            if dry_run {
                self.require_visible(*r)?;
            } else {
                self.require(Action::Update, *r)?;
            }
            self.engine.get(*r, &sight)?;
        }
        // An entry whose UID an activity holds updates it, whoever's it is: only for a user
        // who may change every activity (others' imports make new activities only after the
        // next issue; until then they are refused).
        if !dry_run {
            self.require_all(Action::Update, Subject::Activity)?;
        }
        let host = format!("{}.prospect", self.engine.file_id()?);
        let region = self.engine.options().region;
        let mut by_email: HashMap<String, Vec<RecordRef>> = HashMap::new();
        let mut report = CalendarReport { dry_run, ..Default::default() };
        let mut writes = Vec::new();
        let mut written = Vec::new();
        for entry in entries {
            let e = match entry {
                Ok(e) => e,
                Err(r) => {
                    report.add(CalendarItem {
                        line: r.line,
                        uid: r.uid,
                        subject: r.subject,
                        outcome: CalendarOutcome::NotImported,
                        id: None,
                        records: vec![],
                        reason: Some(r.reason),
                    });
                    continue;
                }
            };
            let mut bindings: Vec<RecordRef> = given.to_vec();
            for email in &e.emails {
                if !by_email.contains_key(email) {
                    let found = self.records_by_email(email, region)?;
                    by_email.insert(email.clone(), found);
                }
                for r in &by_email[email] {
                    if !bindings.contains(r) {
                        bindings.push(*r);
                    }
                }
            }
            let mut item = CalendarItem {
                line: e.line,
                uid: Some(e.uid.clone()),
                subject: (!e.subject.is_empty()).then(|| e.subject.clone()),
                outcome: CalendarOutcome::NotImported,
                id: None,
                records: bindings.iter().map(|r| r.to_string()).collect(),
                reason: None,
            };
            if e.recurring {
                item.reason = Some(crate::i18n::tr("cards.recurring", &[]));
            }
            let emails = if e.emails.is_empty() { "-".to_string() } else { e.emails.join(", ") };
            writes.push(CalendarWrite {
                uid: e.uid.clone(),
                own_id: crate::domain::activity::id_in_uid(&e.uid, &host),
                activity: NewActivity {
                    kind: e.kind,
                    subject: e.subject.clone(),
                    deadline: e.deadline,
                    duration_minutes: e.duration_minutes,
                    priority: e.priority,
                    responsible_id: None,
                    completed: e.completed,
                    bindings,
                },
                details: ActivityDetails {
                    description: e.description,
                    location: e.location,
                    reminder_minutes: e.reminder_minutes,
                    ..Default::default()
                },
            });
            written.push((item, emails));
        }
        let done = self.engine.import_calendar(&writes, dry_run)?;
        for ((mut item, emails), w) in written.into_iter().zip(done) {
            match w {
                CalendarWritten::Created(id) => (item.outcome, item.id) = (CalendarOutcome::Created, Some(id)),
                CalendarWritten::Updated(id) => (item.outcome, item.id) = (CalendarOutcome::Updated, Some(id)),
                CalendarWritten::NoRecord => {
                    item.reason = Some(crate::i18n::tr("cards.no_record", &[("emails", &emails)]));
                }
            }
            report.add(item);
        }
        report.items.sort_by_key(|i| i.line);
        Ok(report)
    }

    /// The contacts and leads the user sees whose e-mail is `email` (the duplicate rules'
    /// match by e-mail).
    fn records_by_email(&self, email: &str, region: crate::domain::dedup::PhoneRegion) -> Result<Vec<RecordRef>> {
        let Ok(comm) = Comm::new(CommKind::Email, "", email, region) else { return Ok(vec![]) };
        let input = RecordInput { comms: CommsChange { add: vec![comm], ..Default::default() }, ..Default::default() };
        let sight = self.sight()?;
        let mut out = Vec::new();
        for entity in [Entity::Contact, Entity::Lead] {
            for m in self.engine.duplicates_of_input(entity, None, &input, &sight)? {
                if m.matched_by.iter().any(|b| b == "email") {
                    out.push(RecordRef::new(m.entity, m.id));
                }
            }
        }
        Ok(out)
    }
}
