//! Activities and their bindings to records on PostgreSQL (SPEC A1-A3): the same rules as
//! `sqlite::activities`. Every change writes the timeline of each bound record and keeps
//! its `next_activity_at` (derived data: no new version of the record).

use super::records::{Params, refs as args};
use super::{Result, StatementCache, Store, StoreError, WriteCtx, log_change, prepared, refs, timeline};
use crate::domain::activity::ActivityKind;
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::Entity;
use crate::domain::record::RecordRef;
use crate::domain::text::{clean_line, clean_multiline};
use crate::domain::timeline::TimelineKind;
use crate::domain::when::UnixMs;
pub(crate) use crate::store::activities::*;
use crate::store::engine::*;
use crate::store::rule::Rule;
use postgres::GenericClient;
use serde_json::json;

const KINDS: [ActivityKind; 4] = [ActivityKind::Call, ActivityKind::Meeting, ActivityKind::Task, ActivityKind::Email];

fn kind_of(code: &str) -> ActivityKind {
    KINDS.into_iter().find(|k| k.code() == code).unwrap_or(ActivityKind::Task)
}

/// Recomputes a record's nearest open activity deadline (`next_activity_at`), writing the
/// row only when it changes (a row written for nothing would make concurrent writers of
/// the record conflict for nothing). Called after any activity of the record is planned,
/// done, rescheduled or deleted, and by a move to a final stage that completed them.
pub(crate) fn refresh_next(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<()> {
    let sql = format!(
        "UPDATE {t} SET next_activity_at = m.at FROM (SELECT min(a.deadline) AS at FROM activity_bindings b \
         JOIN activities a ON a.id = b.activity_id WHERE b.entity = $1 AND b.entity_id = $2 AND NOT a.completed) AS m \
         WHERE {t}.id = $2 AND {t}.next_activity_at IS DISTINCT FROM m.at",
        t = entity.table()
    );
    c.execute(&sql, &[&entity.code(), &id])?;
    Ok(())
}

/// Recomputes `next_activity_at` of every record in one grouped pass over the bindings (hash
/// joins, not a lookup per record): the end of a bulk load, which plans activities without
/// refreshing each record. Rows whose value stays are not written.
pub(crate) fn refresh_all_next(c: &mut impl GenericClient) -> Result<()> {
    for entity in Entity::ALL {
        c.batch_execute(&format!(
            "UPDATE {t} SET next_activity_at = m.at FROM (SELECT r.id, g.at FROM {t} r LEFT JOIN \
             (SELECT b.entity_id AS id, min(a.deadline) AS at FROM activity_bindings b JOIN activities a ON a.id = b.activity_id \
             WHERE b.entity = '{code}' AND NOT a.completed GROUP BY b.entity_id) g ON g.id = r.id) AS m \
             WHERE {t}.id = m.id AND {t}.next_activity_at IS DISTINCT FROM m.at",
            t = entity.table(),
            code = entity.code()
        ))?;
    }
    Ok(())
}

/// A call or meeting's start and end; other kinds have none.
fn times_of(a: &NewActivity) -> (Option<UnixMs>, Option<UnixMs>) {
    if matches!(a.kind, ActivityKind::Call | ActivityKind::Meeting) {
        (Some(a.deadline), Some(a.deadline + a.duration_minutes.unwrap_or(30) * 60_000))
    } else {
        (None, None)
    }
}

/// Inserts an activity with its bindings and a timeline entry on each bound record;
/// `refresh` false leaves each record's `next_activity_at` and change log to the caller (a
/// bulk load does all at the end, `refresh_all_next`).
pub(crate) fn insert_with(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    a: &NewActivity,
    more: &ActivityDetails,
    refresh: bool,
) -> Result<i64> {
    let (start, end) = times_of(a);
    let completed_at = a.completed.then_some(ctx.now);
    // The id is taken first, not returned: a restricted connection may plan an activity for
    // someone out of its sight (a stage rule handing a record on), which row-level security
    // would not let it read back before its binding exists.
    let id: i64 = c.query_one("SELECT nextval(pg_get_serial_sequence('activities', 'id'))", &[])?.get(0);
    c.execute(
            "INSERT INTO activities (kind, subject, description, start_at, end_at, deadline, direction, priority, responsible_id, \
             completed, completed_at, reminder_minutes, location, created_at, created_by, modified_at, modified_by, id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $14, $15, $16)",
            &[
                &a.kind.code(),
                &a.subject,
                &more.description,
                &start,
                &end,
                &a.deadline,
                &more.direction,
                &a.priority.code(),
                &a.responsible_id,
                &a.completed,
                &completed_at,
                &more.reminder_minutes,
                &more.location,
                &ctx.now,
                &ctx.user_id,
                &id,
            ],
        )?;
    let kind = if a.completed { TimelineKind::ActivityDone } else { TimelineKind::ActivityPlanned };
    for RecordRef { entity, id: rid } in &a.bindings {
        c.execute(
            "INSERT INTO activity_bindings (activity_id, entity, entity_id) VALUES ($1, $2, $3)",
            &[&id, &entity.code(), rid],
        )?;
        let payload = json!({"activity": id, "deadline": a.deadline, "kind": a.kind.code(), "subject": a.subject});
        timeline::add(c, *entity, *rid, kind, ctx, payload)?;
        if refresh {
            refresh_next(c, *entity, *rid)?;
            log_change(c, ctx, *entity, *rid)?;
        }
    }
    Ok(id)
}

/// Adds a parameter and gives its placeholder.
fn push(params: &mut Params, v: Box<dyn postgres::types::ToSql + Sync>) -> String {
    params.push(v);
    format!("${}", params.len())
}

const SELECT: &str = "SELECT a.id, a.kind, a.subject, a.description, a.deadline, a.start_at, a.end_at, a.priority, a.direction, \
     (SELECT login::text FROM users WHERE id = a.responsible_id), a.completed, a.reminder_minutes, a.location, a.version, a.uid \
     FROM activities a";

/// The activities `sql` (a `SELECT` selecting `SELECT`'s columns) gives, with their bindings.
fn rows(c: &mut impl GenericClient, stmts: &StatementCache, sql: &str, params: &Params) -> Result<Vec<ActivityRow>> {
    let st = prepared(c, stmts, sql)?;
    let mut out: Vec<ActivityRow> = c
        .query(&st, &args(params))?
        .iter()
        .map(|r| {
            let kind: String = r.get(1);
            ActivityRow {
                id: r.get(0),
                kind: kind_of(&kind),
                subject: r.get(2),
                description: r.get(3),
                deadline: r.get(4),
                start_at: r.get(5),
                end_at: r.get(6),
                priority: r.get(7),
                direction: r.get(8),
                responsible: r.get(9),
                completed: r.get(10),
                reminder_minutes: r.get(11),
                location: r.get(12),
                bindings: vec![],
                version: r.get(13),
                uid: r.get(14),
            }
        })
        .collect();
    if out.is_empty() {
        return Ok(out);
    }
    // Every row's bindings with their titles in one statement.
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
         WHERE b.activity_id = ANY($1) ORDER BY b.activity_id, b.entity, b.entity_id",
        titles.join(" ")
    );
    let ids: Vec<i64> = out.iter().map(|r| r.id).collect();
    let mut by_activity: std::collections::HashMap<i64, Vec<(Entity, i64, String)>> = std::collections::HashMap::new();
    let st = prepared(c, stmts, &sql)?;
    for r in c.query(&st, &[&ids])? {
        let (activity, code, id, title): (i64, String, i64, Option<String>) = (r.get(0), r.get(1), r.get(2), r.get(3));
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

/// One activity, inside a transaction or not.
pub(crate) fn activity_in(c: &mut impl GenericClient, stmts: &StatementCache, id: i64) -> Result<ActivityRow> {
    let params: Params = vec![Box::new(id)];
    rows(c, stmts, &format!("{SELECT} WHERE a.id = $1"), &params)?
        .into_iter()
        .next()
        .ok_or(StoreError::Rule(Rule::NoActivity { id }))
}

/// Each bound record: a timeline entry `kind` with `payload`, its next activity, the log.
fn touch_bound(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    bound: &[(Entity, i64, String)],
    kind: TimelineKind,
    payload: &serde_json::Value,
) -> Result<()> {
    for (entity, rid, _) in bound {
        timeline::add(c, *entity, *rid, kind, ctx, payload)?;
        refresh_next(c, *entity, *rid)?;
        log_change(c, ctx, *entity, *rid)?;
    }
    Ok(())
}

fn check_duration(minutes: Option<i64>) -> Result<()> {
    match minutes {
        Some(d) if !(1..=24 * 60).contains(&d) => {
            Err(FieldError::new("duration", Problem::Integer { value: d.to_string(), min: 1, max: 1440 }).into())
        }
        _ => Ok(()),
    }
}

/// "<Kind> <record>": the subject of an activity planned without one.
fn subject_of_first(c: &mut impl GenericClient, lang: crate::i18n::Lang, a: &NewActivity) -> Result<Option<String>> {
    let Some(&first) = a.bindings.first() else { return Ok(None) };
    let title = super::records::title_of(c, first.entity, first.id)?;
    Ok(Some(crate::store::activities::default_subject(lang, a.kind, &title)))
}

impl Activities for Store {
    /// Plans an activity on records (SPEC A1). An empty subject becomes "<Kind> <record>".
    /// The records are checked and named inside the write: one that another user deletes
    /// meanwhile cannot end up with an activity bound to nothing.
    fn plan_activity(&mut self, mut a: NewActivity, more: &ActivityDetails) -> Result<i64> {
        if a.bindings.is_empty() {
            return Err(FieldError::new("record", Problem::refused("activity_record", &[])).into());
        }
        a.subject = clean_line(&a.subject).trim().to_string();
        let more = &ActivityDetails {
            description: more.description.as_deref().map(|d| clean_multiline(d).into_owned()),
            direction: more.direction.clone(),
            reminder_minutes: more.reminder_minutes,
            location: more.location.as_deref().map(|l| clean_line(l).into_owned()),
        };
        if a.responsible_id.is_none() {
            a.responsible_id = self.user().map(|u| u.id);
        }
        let lang = self.options().lang;
        self.write(|tx, ctx| {
            for r in &a.bindings {
                let sql = format!("SELECT 1 FROM {} WHERE id = $1", r.entity.table());
                if tx.query_opt(&sql, &[&r.id])?.is_none() {
                    return Err(StoreError::NotFound { entity: r.entity, id: r.id });
                }
            }
            let mut a = a.clone();
            if a.subject.is_empty() {
                a.subject = subject_of_first(tx, lang, &a)?.unwrap_or_default();
            }
            if a.subject.chars().count() > 255 {
                return Err(FieldError::new("subject", Problem::TooLong { max: 255 }).into());
            }
            check_duration(a.duration_minutes)?;
            insert_with(tx, ctx, &a, more, true)
        })
    }

    /// One activity.
    fn take_due_reminders(&mut self) -> Result<Vec<i64>> {
        let Some(user) = self.user().map(|u| u.id) else { return Ok(vec![]) };
        let now = self.now();
        // Read first: a screen asks every few seconds, and most times nothing is due.
        const DUE: &str = "responsible_id = $1 AND reminder_minutes IS NOT NULL AND reminded_at IS NULL AND NOT completed \
             AND deadline >= $2 AND deadline - reminder_minutes * 60000 <= $2";
        let any: bool = self
            .client()
            .query_one(&format!("SELECT EXISTS (SELECT 1 FROM activities WHERE {DUE})"), &[&user, &now])?
            .get(0);
        if !any {
            return Ok(vec![]);
        }
        self.write(|tx, ctx| {
            let sql = format!("UPDATE activities SET reminded_at = $2 WHERE {DUE} RETURNING id");
            Ok(tx.query(&sql, &[&user, &ctx.now])?.iter().map(|r| r.get(0)).collect())
        })
    }

    fn activity(&self, id: i64) -> Result<ActivityRow> {
        activity_in(&mut *self.client(), &self.stmts, id).map_err(|e| self.fill_path(e))
    }

    /// Activities by deadline, soonest first.
    fn activities(&self, f: &ActivityFilter) -> Result<Vec<ActivityRow>> {
        let mut wheres = vec!["TRUE".to_string()];
        let mut params: Params = vec![];
        if !f.include_done {
            wheres.push("NOT a.completed".into());
        }
        if let Some(from) = f.from {
            wheres.push(format!("a.deadline >= {}", push(&mut params, Box::new(from))));
        }
        if let Some(to) = f.to {
            wheres.push(format!("a.deadline < {}", push(&mut params, Box::new(to))));
        }
        if let Some(u) = f.responsible_id {
            wheres.push(format!("a.responsible_id = {}", push(&mut params, Box::new(u))));
        }
        if let Some(r) = f.record {
            let e = push(&mut params, Box::new(r.entity.code()));
            let i = push(&mut params, Box::new(r.id));
            wheres.push(format!(
                "a.id IN (SELECT activity_id FROM activity_bindings WHERE entity = {e} AND entity_id = {i})"
            ));
        }
        if let Some((deadline, id)) = f.after {
            let d = push(&mut params, Box::new(deadline));
            let i = push(&mut params, Box::new(id));
            wheres.push(format!("(a.deadline, a.id) > ({d}, {i})"));
        }
        let limit = if f.limit == 0 { 500 } else { f.limit };
        let sql = format!("{SELECT} WHERE {} ORDER BY a.deadline, a.id LIMIT {limit}", wheres.join(" AND "));
        rows(&mut *self.client(), &self.stmts, &sql, &params).map_err(|e| self.fill_path(e))
    }

    /// Marks an activity done, with an entry on each bound record's timeline. The activity
    /// and its bindings are read inside the write, so every record bound by then is told.
    fn complete_activity(&mut self, id: i64) -> Result<()> {
        self.write(|tx, ctx| {
            let a = activity_in(tx, ctx.stmts, id)?;
            if a.completed {
                return Err(StoreError::Rule(Rule::ActivityDone { id }));
            }
            let n = tx.execute(
                "UPDATE activities SET completed = TRUE, completed_at = $1, modified_at = $1, modified_by = $2, \
                 version = version + 1 WHERE id = $3 AND version = $4",
                &[&ctx.now, &ctx.user_id, &id, &a.version],
            )?;
            if n == 0 {
                return Err(StoreError::Rule(Rule::ActivityChanged { id }));
            }
            let payload = json!({"activity": id, "kind": a.kind.code(), "subject": a.subject});
            touch_bound(tx, ctx, &a.bindings, TimelineKind::ActivityDone, &payload)
        })
    }

    /// Reschedules or edits an activity, with an entry on each bound record's timeline (the
    /// activity read inside the write, as it is when the change lands).
    fn update_activity(&mut self, id: i64, change: &ActivityChange) -> Result<()> {
        if let Some(s) = &change.subject
            && clean_line(s).trim().is_empty()
        {
            return Err(FieldError::new("subject", Problem::Required).into());
        }
        check_duration(change.duration_minutes)?;
        self.write(|tx, ctx| {
            let a = activity_in(tx, ctx.stmts, id)?;
            let deadline = change.deadline.unwrap_or(a.deadline);
            let length =
                change.duration_minutes.map(|m| m * 60_000).or_else(|| a.start_at.zip(a.end_at).map(|(s, e)| e - s));
            let (start, end) = match a.start_at {
                Some(_) => (Some(deadline), length.map(|l| deadline + l)),
                None => (None, None),
            };
            let subject = change
                .subject
                .as_deref()
                .map(|s| clean_line(s).trim().to_string())
                .unwrap_or_else(|| a.subject.clone());
            let priority = change.priority.map(|p| p.code().to_string()).unwrap_or_else(|| a.priority.clone());
            // The responsible stays unless the change names one.
            let n = tx.execute(
                "UPDATE activities SET deadline = $1, start_at = $2, end_at = $3, subject = $4, priority = $5, \
                 modified_at = $6, modified_by = $7, responsible_id = coalesce($10, responsible_id), version = version + 1 \
                 WHERE id = $8 AND version = $9",
                &[&deadline, &start, &end, &subject, &priority, &ctx.now, &ctx.user_id, &id, &a.version, &change.responsible_id],
            )?;
            if n == 0 {
                return Err(StoreError::Rule(Rule::ActivityChanged { id }));
            }
            let payload = json!({"activity": id, "subject": subject, "old_deadline": a.deadline, "deadline": deadline});
            touch_bound(tx, ctx, &a.bindings, TimelineKind::ActivityChanged, &payload)
        })
    }

    /// Deletes an activity; the timelines of its records keep a note of it.
    fn delete_activity(&mut self, id: i64) -> Result<()> {
        self.write(|tx, ctx| {
            let a = activity_in(tx, ctx.stmts, id)?;
            tx.execute("DELETE FROM activities WHERE id = $1", &[&id])?;
            let payload = json!({"activity": id, "subject": a.subject});
            touch_bound(tx, ctx, &a.bindings, TimelineKind::ActivityDeleted, &payload)
        })
    }

    /// Overdue / today / incoming counts of a user's open activities.
    fn counters(&self, user_id: i64, now: UnixMs, tomorrow: UnixMs) -> Result<Counters> {
        let mut c = self.client();
        let st = self
            .prepared(
                &mut c,
                // Each count a range of the index (`activities_open`), rather than every open
                // activity of the user tested against three filters (a third slower at 18k).
                "SELECT (SELECT count(*) FROM activities WHERE NOT completed AND responsible_id = $1 AND deadline < $2), \
                        (SELECT count(*) FROM activities WHERE NOT completed AND responsible_id = $1 \
                            AND deadline >= $2 AND deadline < $3), \
                        (SELECT count(*) FROM activities WHERE NOT completed AND responsible_id = $1 AND deadline >= $3), \
                        coalesce((SELECT min(deadline) FROM activities WHERE NOT completed AND responsible_id = $1 \
                            AND deadline >= $2 AND deadline < $3), $3)",
            )
            .map_err(|e| self.fill_path(e))?;
        let r = c.query_one(&st, &[&user_id, &now, &tomorrow]).map_err(|e| self.pg_err(e))?;
        Ok(Counters { overdue: r.get(0), today: r.get(1), incoming: r.get(2), holds_until: r.get(3) })
    }

    /// A user's activities per day (done ones included) for the calendar: every day's range
    /// counted in one statement (one round trip to the server, not one per day).
    fn activity_day_counts(
        &self,
        responsible_id: i64,
        days: &[(chrono::NaiveDate, UnixMs, UnixMs)],
    ) -> Result<Vec<(chrono::NaiveDate, i64)>> {
        let from: Vec<i64> = days.iter().map(|d| d.1).collect();
        let to: Vec<i64> = days.iter().map(|d| d.2).collect();
        let mut c = self.client();
        let st = self.prepared(
            &mut c,
            "SELECT s.i, (SELECT count(*) FROM activities a WHERE a.responsible_id = $3 \
             AND a.deadline >= s.f AND a.deadline < s.t) FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS s(f, t, i) \
             ORDER BY s.i",
        )?;
        let found = c.query(&st, &[&from, &to, &responsible_id]).map_err(|e| self.pg_err(e))?;
        let mut out = Vec::with_capacity(days.len());
        for r in found {
            let (i, n): (i64, i64) = (r.get(0), r.get(1));
            if n > 0
                && let Some(day) = usize::try_from(i - 1).ok().and_then(|i| days.get(i))
            {
                out.push((day.0, n));
            }
        }
        Ok(out)
    }

    /// For each `[from, to)` of `slots` (the week grid's hours), the user's activities in it:
    /// how many, whether one is overdue at `now`, and the only one's time and subject when
    /// there is one. Every slot in one statement.
    fn activity_slots(
        &self,
        responsible_id: i64,
        slots: &[(UnixMs, UnixMs)],
        now: UnixMs,
    ) -> Result<Vec<ActivitySlot>> {
        let from: Vec<i64> = slots.iter().map(|s| s.0).collect();
        let to: Vec<i64> = slots.iter().map(|s| s.1).collect();
        // Per slot, an index-only scan (`activities_responsible_deadline` includes
        // `completed`); the subject is read only for a slot holding one activity.
        let mut c = self.client();
        let st = self.prepared(
            &mut c,
            "SELECT s.i, x.n, x.overdue, x.first, CASE WHEN x.n = 1 THEN (SELECT a.subject FROM activities a \
             WHERE a.responsible_id = $3 AND a.deadline >= s.f AND a.deadline < s.t LIMIT 1) END \
             FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS s(f, t, i) CROSS JOIN LATERAL \
             (SELECT count(*) AS n, coalesce(bool_or(NOT a.completed AND a.deadline < $4), FALSE) AS overdue, \
             min(a.deadline) AS first FROM activities a \
             WHERE a.responsible_id = $3 AND a.deadline >= s.f AND a.deadline < s.t) x ORDER BY s.i",
        )?;
        let found = c.query(&st, &[&from, &to, &responsible_id, &now]).map_err(|e| self.pg_err(e))?;
        Ok(found
            .iter()
            .map(|r| {
                let count: i64 = r.get(1);
                let only = match (count, r.get::<_, Option<i64>>(3), r.get::<_, Option<String>>(4)) {
                    (1, Some(at), Some(subject)) => Some((at, subject)),
                    _ => None,
                };
                ActivitySlot { count, overdue: r.get(2), only }
            })
            .collect())
    }

    /// A user id by login or name.
    fn user_id_of(&self, text: &str) -> Result<i64> {
        Ok(refs::resolve_user(&mut *self.client(), text).map_err(|e| self.fill_path(e))?.0)
    }

    /// Writes a calendar's entries in one transaction (see the trait).
    fn import_calendar(&mut self, entries: &[CalendarWrite], dry_run: bool) -> Result<Vec<CalendarWritten>> {
        super::calendar::import(self, entries, dry_run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::activity::Priority;
    use crate::store::postgres::scratch::{ScratchDb, server};
    use crate::store::{OpenOptions, RecordInput};

    /// The bulk loads' grouped pass gives every record what the per-record refresh gives.
    #[test]
    fn the_grouped_refresh_is_the_per_record_one() {
        let Some(admin) = server() else { return };
        let db = ScratchDb::create(&admin).unwrap();
        let mut store = Store::open(&db.url, OpenOptions::default()).unwrap();
        store.sign_in("alice").unwrap();
        let lead = |store: &mut Store, title: &str| {
            let input = RecordInput { fields: vec![("title".into(), title.into())], ..Default::default() };
            RecordRef::new(Entity::Lead, store.create(Entity::Lead, &input).unwrap().id)
        };
        let (a, b, c) = (lead(&mut store, "A"), lead(&mut store, "B"), lead(&mut store, "C"));
        let plan = |store: &mut Store, on: Vec<RecordRef>, at: i64, done: bool| {
            let a = NewActivity {
                kind: ActivityKind::Task,
                subject: "x".into(),
                deadline: at,
                duration_minutes: None,
                priority: Priority::Medium,
                responsible_id: None,
                completed: done,
                bindings: on,
            };
            store.plan_activity(a, &ActivityDetails::default()).unwrap()
        };
        plan(&mut store, vec![a, b], 5_000, false);
        plan(&mut store, vec![a], 3_000, true);
        plan(&mut store, vec![b], 4_000, false);
        plan(&mut store, vec![c], 1_000, true);
        let next = |store: &Store| -> Vec<Option<i64>> {
            let rows = store.client().query("SELECT next_activity_at FROM leads ORDER BY id", &[]).unwrap();
            rows.iter().map(|r| r.get(0)).collect()
        };
        let per_record = next(&store);
        assert_eq!(per_record, vec![Some(5_000), Some(4_000), None]);
        store
            .client()
            .batch_execute("UPDATE leads SET next_activity_at = CASE id % 2 WHEN 0 THEN NULL ELSE 7 END")
            .unwrap();
        refresh_all_next(&mut *store.client()).unwrap();
        assert_eq!(next(&store), per_record);
    }
}
