//! Per-record history (SPEC A3): written in the same transaction as the change it records,
//! read newest first.

use super::{Result, Store, StoreError, WriteCtx, log_change};
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::Entity;
use crate::domain::timeline::TimelineKind;
use crate::domain::when::{self, UnixMs};
use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::Value as Json;

/// One timeline entry.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineEntry {
    /// Row id (ascending with time).
    pub id: i64,
    /// What happened.
    pub kind: TimelineKind,
    /// When (unix ms).
    #[serde(serialize_with = "as_rfc3339")]
    pub at: UnixMs,
    /// Who (login), if known.
    pub user: Option<String>,
    /// Details, by kind.
    pub payload: Json,
}

fn as_rfc3339<S: serde::Serializer>(ms: &UnixMs, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&when::rfc3339(*ms))
}

/// Appends an entry for a record.
pub fn add(
    conn: &Connection,
    entity: Entity,
    id: i64,
    kind: TimelineKind,
    ctx: &WriteCtx,
    payload: Json,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO timeline (entity, entity_id, kind, at, user_id, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![entity.code(), id, kind.code(), ctx.now, ctx.user_id, payload.to_string()])?;
    Ok(())
}

/// Entries of a record, newest first.
pub fn for_record(conn: &Connection, entity: Entity, id: i64, limit: usize) -> Result<Vec<TimelineEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.kind, t.at, u.login, t.payload FROM timeline t LEFT JOIN users u ON u.id = t.user_id \
         WHERE t.entity = ?1 AND t.entity_id = ?2 ORDER BY t.id DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![entity.code(), id, limit as i64], |r| {
        let kind: String = r.get(1)?;
        let payload: String = r.get(4)?;
        Ok(TimelineEntry {
            id: r.get(0)?,
            kind: TimelineKind::parse(&kind).unwrap_or(TimelineKind::Comment),
            at: r.get(2)?,
            user: r.get(3)?,
            payload: serde_json::from_str(&payload).unwrap_or(Json::Null),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

impl Store {
    /// Timeline of a record, newest first.
    pub fn timeline(&self, entity: Entity, id: i64, limit: usize) -> Result<Vec<TimelineEntry>> {
        self.get(entity, id)?;
        for_record(self.conn(), entity, id, limit)
    }

    /// Adds a comment to a record's timeline. Comments do not change the record's version, so
    /// they never conflict with someone editing its fields.
    pub fn comment(&mut self, entity: Entity, id: i64, text: &str) -> Result<()> {
        let text = text.trim().to_string();
        if text.is_empty() {
            return Err(StoreError::Field(FieldError::new("comment", Problem::Required)));
        }
        if text.chars().count() > 10_000 {
            return Err(StoreError::Field(FieldError::new("comment", Problem::TooLong { max: 10_000 })));
        }
        self.write(|tx, ctx| {
            let sql = format!("SELECT 1 FROM {} WHERE id = ?1", entity.table());
            if !tx.prepare_cached(&sql)?.exists([id])? {
                return Err(StoreError::NotFound { entity, id });
            }
            add(tx, entity, id, TimelineKind::Comment, ctx, serde_json::json!({"text": text}))?;
            log_change(tx, ctx, entity, id)?;
            Ok(())
        })
    }
}
