//! Activities and their bindings to records (SPEC A1-A3): plan, list by bucket or range,
//! complete, counters. Every change writes the timeline of each bound record.

use super::rule::Rule;
use super::{Result, Store, StoreError, WriteCtx, log_change, refs, timeline};
use crate::domain::access::Sight;
use crate::domain::activity::ActivityKind;
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::Entity;
use crate::domain::record::RecordRef;
use crate::domain::text::{clean_line, clean_multiline};
use crate::domain::timeline::TimelineKind;
use crate::domain::when::UnixMs;
use crate::store::activities::default_subject;
pub(crate) use crate::store::activities::*;
use crate::store::engine::*;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde_json::json;

/// How many activities of user `?3` fall in `[?1, ?2)`: the calendar's day counts and week
/// cells (index only, `activities_responsible_deadline`).
const COUNT_IN_RANGE: &str =
    "SELECT count(*) FROM activities WHERE responsible_id = ?3 AND deadline >= ?1 AND deadline < ?2";

const KINDS: [ActivityKind; 4] = [ActivityKind::Call, ActivityKind::Meeting, ActivityKind::Task, ActivityKind::Email];

fn kind_of(code: &str) -> ActivityKind {
    KINDS.into_iter().find(|k| k.code() == code).unwrap_or(ActivityKind::Task)
}

/// Recomputes a record's nearest open activity deadline (`next_activity_at`).
pub(crate) fn refresh_next(conn: &Connection, entity: Entity, id: i64) -> Result<()> {
    let sql = format!(
        "UPDATE {} SET next_activity_at = (SELECT min(a.deadline) FROM activity_bindings b JOIN activities a ON a.id = b.activity_id \
         WHERE b.entity = ?1 AND b.entity_id = ?2 AND a.completed = 0) WHERE id = ?2",
        entity.table()
    );
    conn.prepare_cached(&sql)?.execute(params![entity.code(), id])?;
    Ok(())
}

/// Recomputes `next_activity_at` of every record: at the end of a bulk load, before its
/// indexes are built again. One pass over the bindings, grouped, rather than a lookup per
/// record: the lookup needs the bindings' index, which the load has set aside.
pub(crate) fn refresh_all_next(conn: &Connection) -> Result<()> {
    for entity in Entity::ALL {
        conn.execute_batch(&format!(
            "UPDATE {t} SET next_activity_at = NULL WHERE next_activity_at IS NOT NULL; \
             UPDATE {t} SET next_activity_at = m.at FROM (SELECT b.entity_id AS id, min(a.deadline) AS at \
             FROM activity_bindings b JOIN activities a ON a.id = b.activity_id \
             WHERE b.entity = '{code}' AND a.completed = 0 GROUP BY b.entity_id) AS m WHERE {t}.id = m.id",
            t = entity.table(),
            code = entity.code()
        ))?;
    }
    Ok(())
}

/// Inserts an activity with its bindings and a timeline entry on each bound record.
pub fn insert(tx: &Connection, ctx: &WriteCtx, a: &NewActivity) -> Result<i64> {
    insert_with(tx, ctx, a, &ActivityDetails::default())
}

fn insert_with(tx: &Connection, ctx: &WriteCtx, a: &NewActivity, more: &ActivityDetails) -> Result<i64> {
    let timed = matches!(a.kind, ActivityKind::Call | ActivityKind::Meeting);
    let (start, end) = if timed {
        (Some(a.deadline), Some(a.deadline + a.duration_minutes.unwrap_or(30) * 60_000))
    } else {
        (None, None)
    };
    tx.prepare_cached(
        "INSERT INTO activities (kind, subject, description, start_at, end_at, deadline, direction, priority, responsible_id, \
         completed, completed_at, reminder_minutes, location, created_at, created_by, modified_at, modified_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?14, ?15)",
    )?
    .execute(params![
        a.kind.code(),
        a.subject,
        more.description,
        start,
        end,
        a.deadline,
        more.direction,
        a.priority.code(),
        a.responsible_id,
        a.completed,
        a.completed.then_some(ctx.now),
        more.reminder_minutes,
        more.location,
        ctx.now,
        ctx.user_id
    ])?;
    let id = tx.last_insert_rowid();
    let mut bind =
        tx.prepare_cached("INSERT INTO activity_bindings (activity_id, entity, entity_id) VALUES (?1, ?2, ?3)")?;
    for RecordRef { entity, id: rid } in &a.bindings {
        bind.execute(params![id, entity.code(), rid])?;
        let kind = if a.completed { TimelineKind::ActivityDone } else { TimelineKind::ActivityPlanned };
        timeline::add(
            tx,
            *entity,
            *rid,
            kind,
            ctx,
            timeline::ActivityEntry { activity: id, deadline: a.deadline, kind: a.kind.code(), subject: &a.subject },
        )?;
        // A bulk load refreshes every record once at the end (`refresh_all_next`).
        if !ctx.bulk {
            refresh_next(tx, *entity, *rid)?;
            log_change(tx, ctx, *entity, *rid)?;
        }
    }
    Ok(id)
}

fn rows(conn: &Connection, sql: &str, params: &[Sql]) -> Result<Vec<ActivityRow>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut out: Vec<ActivityRow> = stmt
        .query_map(params_from_iter(params.iter()), |r| {
            let kind: String = r.get(1)?;
            Ok(ActivityRow {
                id: r.get(0)?,
                kind: kind_of(&kind),
                subject: r.get(2)?,
                description: r.get(3)?,
                deadline: r.get(4)?,
                start_at: r.get(5)?,
                end_at: r.get(6)?,
                priority: r.get(7)?,
                direction: r.get(8)?,
                responsible: r.get(9)?,
                completed: r.get(10)?,
                reminder_minutes: r.get(11)?,
                location: r.get(12)?,
                bindings: vec![],
                version: r.get(13)?,
                uid: r.get(14)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Every row's bindings with their titles in one statement (a day of a busy calendar
    // holds hundreds of activities; two queries per row were most of its time).
    let titles: Vec<String> = Entity::ALL
        .iter()
        .map(|e| {
            format!(
                "WHEN '{code}' THEN (SELECT {title} FROM {table} WHERE id = b.entity_id)",
                code = e.code(),
                title = refs::title_sql(*e),
                table = e.table()
            )
        })
        .collect();
    let sql = format!(
        "SELECT b.activity_id, b.entity, b.entity_id, CASE b.entity {} END FROM activity_bindings b \
         WHERE b.activity_id IN (SELECT value FROM json_each(?1)) ORDER BY b.activity_id, b.entity, b.entity_id",
        titles.join(" ")
    );
    let ids = serde_json::to_string(&out.iter().map(|r| r.id).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into());
    let mut by_activity: std::collections::HashMap<i64, Vec<(Entity, i64, String)>> = std::collections::HashMap::new();
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut q = stmt.query([ids])?;
    while let Some(r) = q.next()? {
        let (activity, code, id, title): (i64, String, i64, Option<String>) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        if let Some(entity) = Entity::parse(&code) {
            let title = crate::domain::fields::display_title(entity, id, title.as_deref());
            by_activity.entry(activity).or_default().push((entity, id, title));
        }
    }
    for row in &mut out {
        row.bindings = by_activity.remove(&row.id).unwrap_or_default();
    }
    Ok(out)
}

const SELECT: &str = "SELECT a.id, a.kind, a.subject, a.description, a.deadline, a.start_at, a.end_at, a.priority, a.direction, \
     (SELECT login FROM users WHERE id = a.responsible_id), a.completed, a.reminder_minutes, a.location, a.version, a.uid \
     FROM activities a";

impl Activities for Store {
    /// Plans an activity on records (SPEC A1). An empty subject becomes "<Kind> <record>".
    fn plan_activity(&mut self, mut a: NewActivity, more: &ActivityDetails) -> Result<i64> {
        if a.bindings.is_empty() {
            return Err(FieldError::new("record", Problem::refused("activity_record", &[])).into());
        }
        for r in &a.bindings {
            self.get(*r, &Sight::everything())?;
        }
        a.subject = clean_line(&a.subject).trim().to_string();
        let more = &ActivityDetails {
            description: more.description.as_deref().map(|d| clean_multiline(d).into_owned()),
            direction: more.direction.clone(),
            reminder_minutes: more.reminder_minutes,
            location: more.location.as_deref().map(|l| clean_line(l).into_owned()),
        };
        if a.subject.trim().is_empty() {
            let first = a.bindings[0];
            let title = super::records::title_of(self.conn(), first.entity, first.id)?;
            a.subject = default_subject(self.options().lang, a.kind, &title);
        }
        if a.subject.chars().count() > 255 {
            return Err(FieldError::new("subject", Problem::TooLong { max: 255 }).into());
        }
        if let Some(d) = a.duration_minutes
            && !(1..=24 * 60).contains(&d)
        {
            return Err(
                FieldError::new("duration", Problem::Integer { value: d.to_string(), min: 1, max: 1440 }).into()
            );
        }
        if a.responsible_id.is_none() {
            a.responsible_id = self.user().map(|u| u.id);
        }
        self.write(|tx, ctx| insert_with(tx, ctx, &a, more))
    }

    /// One activity.
    fn take_due_reminders(&mut self) -> Result<Vec<i64>> {
        let Some(user) = self.user().map(|u| u.id) else { return Ok(vec![]) };
        let now = self.now();
        // Read first: a screen asks every few seconds, and a write would lock the shared file.
        const DUE: &str = "responsible_id = ?1 AND reminder_minutes IS NOT NULL AND reminded_at IS NULL AND completed = 0 \
             AND deadline >= ?2 AND deadline - reminder_minutes * 60000 <= ?2";
        let any: bool = self
            .conn()
            .prepare_cached(&format!("SELECT EXISTS (SELECT 1 FROM activities WHERE {DUE})"))?
            .query_row(rusqlite::params![user, now], |r| r.get(0))?;
        if !any {
            return Ok(vec![]);
        }
        self.write(|tx, ctx| {
            let sql = format!("UPDATE activities SET reminded_at = ?2 WHERE {DUE} RETURNING id");
            let mut st = tx.prepare_cached(&sql)?;
            let ids = st
                .query_map(rusqlite::params![user, ctx.now], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(ids)
        })
    }

    fn activity(&self, id: i64) -> Result<ActivityRow> {
        rows(self.conn(), &format!("{SELECT} WHERE a.id = ?"), &[Sql::Integer(id)])?
            .into_iter()
            .next()
            .ok_or(StoreError::Rule(Rule::NoActivity { id }))
    }

    /// Activities by deadline, soonest first.
    fn activities(&self, f: &ActivityFilter) -> Result<Vec<ActivityRow>> {
        let mut wheres = vec!["1".to_string()];
        let mut params: Vec<Sql> = vec![];
        if !f.include_done {
            wheres.push("a.completed = 0".into());
        }
        if let Some(from) = f.from {
            params.push(Sql::Integer(from));
            wheres.push("a.deadline >= ?".into());
        }
        if let Some(to) = f.to {
            params.push(Sql::Integer(to));
            wheres.push("a.deadline < ?".into());
        }
        if let Some(u) = f.responsible_id {
            params.push(Sql::Integer(u));
            wheres.push("a.responsible_id = ?".into());
        }
        if let Some(r) = f.record {
            params.push(Sql::Text(r.entity.code().into()));
            params.push(Sql::Integer(r.id));
            wheres
                .push("a.id IN (SELECT activity_id FROM activity_bindings WHERE entity = ? AND entity_id = ?)".into());
        }
        if let Some((deadline, id)) = f.after {
            params.push(Sql::Integer(deadline));
            params.push(Sql::Integer(id));
            wheres.push("(a.deadline, a.id) > (?, ?)".into());
        }
        let limit = if f.limit == 0 { 500 } else { f.limit };
        let sql = format!("{SELECT} WHERE {} ORDER BY a.deadline, a.id LIMIT {limit}", wheres.join(" AND "));
        rows(self.conn(), &sql, &params)
    }

    /// Marks an activity done, with an entry on each bound record's timeline.
    fn complete_activity(&mut self, id: i64) -> Result<()> {
        let a = self.activity(id)?;
        if a.completed {
            return Err(StoreError::Rule(Rule::ActivityDone { id }));
        }
        self.write(|tx, ctx| {
            let n = tx
                .prepare_cached(
                    "UPDATE activities SET completed = 1, completed_at = ?1, modified_at = ?1, modified_by = ?2, version = version + 1 \
                     WHERE id = ?3 AND version = ?4",
                )?
                .execute(params![ctx.now, ctx.user_id, id, a.version])?;
            if n == 0 {
                return Err(StoreError::Rule(Rule::ActivityChanged { id }));
            }
            for (entity, rid, _) in &a.bindings {
                timeline::add(tx, *entity, *rid, TimelineKind::ActivityDone, ctx, json!({"activity": id, "kind": a.kind.code(), "subject": a.subject}))?;
                refresh_next(tx, *entity, *rid)?;
                log_change(tx, ctx, *entity, *rid)?;
            }
            Ok(())
        })
    }

    /// Reschedules or edits an activity, with an entry on each bound record's timeline.
    fn update_activity(&mut self, id: i64, change: &ActivityChange) -> Result<()> {
        let a = self.activity(id)?;
        if let Some(s) = &change.subject
            && clean_line(s).trim().is_empty()
        {
            return Err(FieldError::new("subject", Problem::Required).into());
        }
        if let Some(d) = change.duration_minutes
            && !(1..=24 * 60).contains(&d)
        {
            return Err(
                FieldError::new("duration", Problem::Integer { value: d.to_string(), min: 1, max: 1440 }).into()
            );
        }
        let deadline = change.deadline.unwrap_or(a.deadline);
        let length =
            change.duration_minutes.map(|m| m * 60_000).or_else(|| a.start_at.zip(a.end_at).map(|(s, e)| e - s));
        let (start, end) = match a.start_at {
            Some(_) => (Some(deadline), length.map(|l| deadline + l)),
            None => (None, None),
        };
        let subject =
            change.subject.as_deref().map(|s| clean_line(s).trim().to_string()).unwrap_or_else(|| a.subject.clone());
        let priority = change.priority.map(|p| p.code().to_string()).unwrap_or_else(|| a.priority.clone());
        let responsible = match change.responsible_id {
            Some(r) => Some(r),
            None => self.conn().query_row("SELECT responsible_id FROM activities WHERE id = ?1", [id], |r| r.get(0))?,
        };
        self.write(|tx, ctx| {
            let n = tx
                .prepare_cached(
                    "UPDATE activities SET deadline = ?1, start_at = ?2, end_at = ?3, subject = ?4, priority = ?5, \
                     modified_at = ?6, modified_by = ?7, responsible_id = ?10, version = version + 1 WHERE id = ?8 AND version = ?9",
                )?
                .execute(params![deadline, start, end, subject, priority, ctx.now, ctx.user_id, id, a.version, responsible])?;
            if n == 0 {
                return Err(StoreError::Rule(Rule::ActivityChanged { id }));
            }
            for (entity, rid, _) in &a.bindings {
                let payload =
                    json!({"activity": id, "subject": subject, "old_deadline": a.deadline, "deadline": deadline});
                timeline::add(tx, *entity, *rid, TimelineKind::ActivityChanged, ctx, payload)?;
                refresh_next(tx, *entity, *rid)?;
                log_change(tx, ctx, *entity, *rid)?;
            }
            Ok(())
        })
    }

    /// Deletes an activity; the timelines of its records keep a note of it.
    fn delete_activity(&mut self, id: i64) -> Result<()> {
        let a = self.activity(id)?;
        self.write(|tx, ctx| {
            tx.prepare_cached("DELETE FROM activities WHERE id = ?1")?.execute([id])?;
            for (entity, rid, _) in &a.bindings {
                timeline::add(
                    tx,
                    *entity,
                    *rid,
                    TimelineKind::ActivityDeleted,
                    ctx,
                    json!({"activity": id, "subject": a.subject}),
                )?;
                refresh_next(tx, *entity, *rid)?;
                log_change(tx, ctx, *entity, *rid)?;
            }
            Ok(())
        })
    }

    /// Overdue / today / incoming counts of a user's open activities.
    fn counters(&self, user_id: i64, now: UnixMs, tomorrow: UnixMs) -> Result<Counters> {
        let row = self
            .conn()
            .prepare_cached(
                "SELECT coalesce(sum(deadline < ?2), 0), coalesce(sum(deadline >= ?2 AND deadline < ?3), 0), coalesce(sum(deadline >= ?3), 0), \
                        coalesce(min(CASE WHEN deadline >= ?2 AND deadline < ?3 THEN deadline END), ?3) \
                 FROM activities WHERE completed = 0 AND responsible_id = ?1",
            )?
            .query_row(params![user_id, now, tomorrow], |r| {
                Ok(Counters { overdue: r.get(0)?, today: r.get(1)?, incoming: r.get(2)?, holds_until: r.get(3)? })
            })
            .optional()?;
        Ok(row.unwrap_or(Counters { holds_until: tomorrow, ..Default::default() }))
    }

    /// A user's activities per day (done ones included) for the calendar: one indexed range
    /// count per day between the given local day starts.
    fn activity_day_counts(
        &self,
        responsible_id: i64,
        days: &[(chrono::NaiveDate, UnixMs, UnixMs)],
    ) -> Result<Vec<(chrono::NaiveDate, i64)>> {
        let mut stmt = self.conn().prepare_cached(COUNT_IN_RANGE)?;
        let mut out = Vec::with_capacity(days.len());
        for (day, from, to) in days {
            let n: i64 = stmt.query_row(params![from, to, responsible_id], |r| r.get(0))?;
            if n > 0 {
                out.push((*day, n));
            }
        }
        Ok(out)
    }

    /// For each `[from, to)` of `slots` (the week grid's hours), the user's activities in it:
    /// how many, whether one is overdue at `now`, and the only one's time and subject when
    /// there is one. Counted here rather than from a list: a week of the dense 100k demo
    /// holds 4,900 activities of one user, and the grid read at most 1,000 of them.
    fn activity_slots(
        &self,
        responsible_id: i64,
        slots: &[(UnixMs, UnixMs)],
        now: UnixMs,
    ) -> Result<Vec<ActivitySlot>> {
        // Each question read from an index only (`activities_responsible_deadline`,
        // `activities_open`): reading every activity's row for its state and subject made a
        // week of the 100k demo cost twice as much.
        let conn = self.conn();
        let mut count = conn.prepare_cached(COUNT_IN_RANGE)?;
        let mut overdue = conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM activities WHERE completed = 0 AND responsible_id = ?3 \
             AND deadline >= ?1 AND deadline < ?2)",
        )?;
        let mut only = conn.prepare_cached(
            "SELECT deadline, subject FROM activities WHERE responsible_id = ?3 AND deadline >= ?1 AND deadline < ?2",
        )?;
        let mut out = Vec::with_capacity(slots.len());
        for &(from, to) in slots {
            let n: i64 = count.query_row(params![from, to, responsible_id], |r| r.get(0))?;
            let late = n > 0
                && from < now
                && overdue.query_row(params![from, to.min(now), responsible_id], |r| r.get::<_, bool>(0))?;
            let one = if n == 1 {
                Some(only.query_row(params![from, to, responsible_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
            } else {
                None
            };
            out.push(ActivitySlot { count: n, overdue: late, only: one });
        }
        Ok(out)
    }

    /// A user id by login or name.
    fn user_id_of(&self, text: &str) -> Result<i64> {
        Ok(refs::resolve_user(self.conn(), text)?.0)
    }

    /// Writes a calendar's entries in one transaction (see the trait).
    fn import_calendar(&mut self, entries: &[CalendarWrite], dry_run: bool) -> Result<Vec<CalendarWritten>> {
        let lang = self.options().lang;
        let me = self.user().map(|u| u.id);
        let tidy: Vec<_> = entries.iter().map(|e| (e, e.tidied(me))).collect();
        self.write_or_try(!dry_run, |tx, ctx| {
            let mut out = Vec::with_capacity(tidy.len());
            for (e, (a, more)) in &tidy {
                let mut a = a.clone();
                if a.subject.is_empty()
                    && let Some(&first) = a.bindings.first()
                {
                    let title = super::records::title_of(tx, first.entity, first.id)?;
                    a.subject = default_subject(lang, a.kind, &title).chars().take(255).collect();
                }
                for r in &a.bindings {
                    let sql = format!("SELECT EXISTS (SELECT 1 FROM {} WHERE id = ?1)", r.entity.table());
                    if !tx.prepare_cached(&sql)?.query_row([r.id], |row| row.get::<_, bool>(0))? {
                        return Err(StoreError::NotFound { entity: r.entity, id: r.id });
                    }
                }
                let found: Option<i64> = tx
                    .prepare_cached("SELECT id FROM activities WHERE uid = ?1")?
                    .query_row([&e.uid], |r| r.get(0))
                    .optional()?;
                let found = match (found, e.own_id) {
                    (Some(id), _) => Some(id),
                    (None, Some(own)) => tx
                        .prepare_cached("SELECT id FROM activities WHERE id = ?1")?
                        .query_row([own], |r| r.get(0))
                        .optional()?,
                    (None, None) => None,
                };
                match found {
                    None if a.bindings.is_empty() => out.push(CalendarWritten::NoRecord),
                    None => {
                        let id = insert_with(tx, ctx, &a, more)?;
                        tx.prepare_cached("UPDATE activities SET uid = ?1 WHERE id = ?2")?
                            .execute(params![e.uid, id])?;
                        out.push(CalendarWritten::Created(id));
                    }
                    Some(id) => {
                        update_from_calendar(tx, ctx, id, &a, more)?;
                        out.push(CalendarWritten::Updated(id));
                    }
                }
            }
            Ok(out)
        })
    }
}

/// Updates activity `id` with what a calendar says of it (`Activities::import_calendar`):
/// its bindings are added to the activity's, and every bound record's timeline says so. Its
/// UID stays (one found by this file's export UID keeps the one it came with, if any).
fn update_from_calendar(
    tx: &Connection,
    ctx: &WriteCtx,
    id: i64,
    a: &NewActivity,
    more: &ActivityDetails,
) -> Result<()> {
    let timed = matches!(a.kind, ActivityKind::Call | ActivityKind::Meeting);
    let (start, end) = if timed {
        (Some(a.deadline), Some(a.deadline + a.duration_minutes.unwrap_or(30) * 60_000))
    } else {
        (None, None)
    };
    let old_deadline: UnixMs = tx.query_row("SELECT deadline FROM activities WHERE id = ?1", [id], |r| r.get(0))?;
    tx.prepare_cached(
        "UPDATE activities SET kind = ?2, subject = ?3, description = ?4, location = ?5, start_at = ?6, end_at = ?7, \
         deadline = ?8, priority = ?9, completed = (completed OR ?10), \
         completed_at = CASE WHEN completed THEN completed_at WHEN ?10 THEN ?11 END, \
         reminder_minutes = coalesce(?13, reminder_minutes), modified_at = ?11, modified_by = ?12, \
         version = version + 1 WHERE id = ?1",
    )?
    .execute(params![
        id,
        a.kind.code(),
        a.subject,
        more.description,
        more.location,
        start,
        end,
        a.deadline,
        a.priority.code(),
        a.completed,
        ctx.now,
        ctx.user_id,
        more.reminder_minutes
    ])?;
    let mut bind = tx.prepare_cached(
        "INSERT OR IGNORE INTO activity_bindings (activity_id, entity, entity_id) VALUES (?1, ?2, ?3)",
    )?;
    for r in &a.bindings {
        bind.execute(params![id, r.entity.code(), r.id])?;
    }
    let bound: Vec<(String, i64)> = tx
        .prepare_cached("SELECT entity, entity_id FROM activity_bindings WHERE activity_id = ?1")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (code, rid) in bound {
        let Some(entity) = Entity::parse(&code) else { continue };
        let payload =
            json!({"activity": id, "subject": a.subject, "old_deadline": old_deadline, "deadline": a.deadline});
        timeline::add(tx, entity, rid, TimelineKind::ActivityChanged, ctx, payload)?;
        refresh_next(tx, entity, rid)?;
        log_change(tx, ctx, entity, rid)?;
    }
    Ok(())
}
