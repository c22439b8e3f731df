//! Activities and their bindings to records. The full planning API comes with the activities
//! issue; this is the write path the demo generator and stage moves already need.

use super::{Result, WriteCtx, log_change, timeline};
use crate::domain::activity::{ActivityKind, Priority};
use crate::domain::fields::Entity;
use crate::domain::timeline::TimelineKind;
use crate::domain::when::UnixMs;
use rusqlite::{Connection, params};
use serde_json::json;

/// An activity to plan.
#[derive(Clone, Debug)]
pub struct NewActivity {
    /// Kind.
    pub kind: ActivityKind,
    /// Subject line.
    pub subject: String,
    /// When it is due (unix ms); calls and meetings start then.
    pub deadline: UnixMs,
    /// Length in minutes for calls and meetings.
    pub duration_minutes: Option<i64>,
    /// Priority.
    pub priority: Priority,
    /// Responsible user id.
    pub responsible_id: Option<i64>,
    /// Already done (e.g. a call logged afterwards).
    pub completed: bool,
    /// Records it belongs to.
    pub bindings: Vec<(Entity, i64)>,
}

/// Inserts an activity with its bindings and a timeline entry on each bound record.
pub fn insert(tx: &Connection, ctx: &WriteCtx, a: &NewActivity) -> Result<i64> {
    let timed = matches!(a.kind, ActivityKind::Call | ActivityKind::Meeting);
    let (start, end) = if timed {
        (
            Some(a.deadline),
            Some(a.deadline + a.duration_minutes.unwrap_or(30) * 60_000),
        )
    } else {
        (None, None)
    };
    tx.prepare_cached(
        "INSERT INTO activities (kind, subject, start_at, end_at, deadline, priority, responsible_id, completed, completed_at, \
         created_at, created_by, modified_at, modified_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10, ?11)",
    )?
    .execute(params![
        a.kind.code(),
        a.subject,
        start,
        end,
        a.deadline,
        a.priority.code(),
        a.responsible_id,
        a.completed,
        a.completed.then_some(ctx.now),
        ctx.now,
        ctx.user_id
    ])?;
    let id = tx.last_insert_rowid();
    let mut bind =
        tx.prepare_cached("INSERT INTO activity_bindings (activity_id, entity, entity_id) VALUES (?1, ?2, ?3)")?;
    for (entity, rid) in &a.bindings {
        bind.execute(params![id, entity.code(), rid])?;
        let kind = if a.completed {
            TimelineKind::ActivityDone
        } else {
            TimelineKind::ActivityPlanned
        };
        timeline::add(
            tx,
            *entity,
            *rid,
            kind,
            ctx,
            json!({"activity": id, "kind": a.kind.code(), "subject": a.subject, "deadline": a.deadline}),
        )?;
        log_change(tx, *entity, *rid, ctx.now)?;
    }
    Ok(id)
}
