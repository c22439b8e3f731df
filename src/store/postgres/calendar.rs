//! A calendar's entries written as activities on PostgreSQL (`Activities::import_calendar`):
//! created, or the activity holding the entry's UID updated; one transaction.

use super::activities::{insert_with, refresh_next};
use super::{Result, Store, StoreError, WriteCtx, log_change, timeline};
use crate::domain::activity::ActivityKind;
use crate::domain::fields::Entity;
use crate::domain::timeline::TimelineKind;
use crate::domain::when::UnixMs;
use crate::store::activities::{ActivityDetails, CalendarWrite, CalendarWritten, NewActivity, default_subject};
use crate::store::engine::*;
use postgres::GenericClient;
use serde_json::json;

/// Writes a calendar's entries in one transaction (see the trait); `dry_run` keeps nothing.
pub(crate) fn import(store: &mut Store, entries: &[CalendarWrite], dry_run: bool) -> Result<Vec<CalendarWritten>> {
    let lang = store.options().lang;
    let me = store.user().map(|u| u.id);
    let tidy: Vec<_> = entries.iter().map(|e| (e, e.tidied(me))).collect();
    store.write_or_try(!dry_run, |tx, ctx| {
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
                let sql = format!("SELECT 1 FROM {} WHERE id = $1", r.entity.table());
                if tx.query_opt(&sql, &[&r.id])?.is_none() {
                    return Err(StoreError::NotFound { entity: r.entity, id: r.id });
                }
            }
            let found: Option<i64> =
                tx.query_opt("SELECT id FROM activities WHERE uid = $1", &[&e.uid])?.map(|r| r.get(0));
            let found = match (found, e.own_id) {
                (Some(id), _) => Some(id),
                (None, Some(own)) => {
                    tx.query_opt("SELECT id FROM activities WHERE id = $1", &[&own])?.map(|r| r.get(0))
                }
                (None, None) => None,
            };
            match found {
                None if a.bindings.is_empty() => out.push(CalendarWritten::NoRecord),
                None => {
                    let id = insert_with(tx, ctx, &a, more, true)?;
                    tx.execute("UPDATE activities SET uid = $1 WHERE id = $2", &[&e.uid, &id])?;
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

/// Updates activity `id` with what a calendar says of it: its bindings are added to the
/// activity's, and every bound record's timeline says so. Its UID stays.
fn update_from_calendar(
    tx: &mut impl GenericClient,
    ctx: &WriteCtx,
    id: i64,
    a: &NewActivity,
    more: &ActivityDetails,
) -> Result<()> {
    let (start, end) = if matches!(a.kind, ActivityKind::Call | ActivityKind::Meeting) {
        (Some(a.deadline), Some(a.deadline + a.duration_minutes.unwrap_or(30) * 60_000))
    } else {
        (None, None)
    };
    let old_deadline: UnixMs = tx.query_one("SELECT deadline FROM activities WHERE id = $1", &[&id])?.get(0);
    tx.execute(
        "UPDATE activities SET kind = $2, subject = $3, description = $4, location = $5, start_at = $6, end_at = $7, \
         deadline = $8, priority = $9, completed = (completed OR $10), \
         completed_at = CASE WHEN completed THEN completed_at WHEN $10 THEN $11 END, \
         reminder_minutes = coalesce($13, reminder_minutes), modified_at = $11, modified_by = $12, \
         version = version + 1 WHERE id = $1",
        &[
            &id,
            &a.kind.code(),
            &a.subject,
            &more.description,
            &more.location,
            &start,
            &end,
            &a.deadline,
            &a.priority.code(),
            &a.completed,
            &ctx.now,
            &ctx.user_id,
            &more.reminder_minutes,
        ],
    )?;
    for r in &a.bindings {
        tx.execute(
            "INSERT INTO activity_bindings (activity_id, entity, entity_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[&id, &r.entity.code(), &r.id],
        )?;
    }
    let bound: Vec<(String, i64)> = tx
        .query("SELECT entity, entity_id FROM activity_bindings WHERE activity_id = $1", &[&id])?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
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
