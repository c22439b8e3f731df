//! Each record's history and comments: entries as a file keeps them (JSON payload text).

use super::{Result, Store, StoreError, WriteCtx, log_change};
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::Entity;
use crate::domain::timeline::TimelineKind;
use crate::store::engine::*;
use crate::store::records::RecordRef;
use crate::store::rule::Rule;
pub(crate) use crate::store::timeline::*;
use postgres::GenericClient;
use serde::Serialize;
use serde_json::Value as Json;

/// Appends an entry for a record; the payload is any serializable value.
pub fn add(
    c: &mut impl GenericClient,
    entity: Entity,
    id: i64,
    kind: TimelineKind,
    ctx: &WriteCtx,
    payload: impl Serialize,
) -> Result<()> {
    let payload = serde_json::to_string(&payload)
        .map_err(|e| StoreError::Rule(Rule::TimelineEntry { kind: kind.code().to_string(), detail: e.to_string() }))?;
    let st = ctx.prepared(
        c,
        "INSERT INTO timeline (entity, entity_id, kind, at, user_id, payload) VALUES ($1, $2, $3, $4, $5, $6)",
    )?;
    c.execute(&st, &[&entity.code(), &id, &kind.code(), &ctx.now, &ctx.user_id, &payload])?;
    Ok(())
}

/// Entries of a record, newest first.
pub fn for_record(c: &mut impl GenericClient, entity: Entity, id: i64, limit: usize) -> Result<Vec<TimelineEntry>> {
    let rows = c.query(
        "SELECT t.id, t.kind, t.at, u.login::text, t.payload FROM timeline t LEFT JOIN users u ON u.id = t.user_id \
         WHERE t.entity = $1 AND t.entity_id = $2 ORDER BY t.id DESC LIMIT $3",
        &[&entity.code(), &id, &(limit as i64)],
    )?;
    Ok(rows
        .iter()
        .map(|r| {
            let kind: String = r.get(1);
            let payload: String = r.get(4);
            TimelineEntry {
                id: r.get(0),
                kind: TimelineKind::parse(&kind).unwrap_or(TimelineKind::Comment),
                at: r.get(2),
                user: r.get(3),
                payload: serde_json::from_str(&payload).unwrap_or(Json::Null),
            }
        })
        .collect())
}

impl Timeline for Store {
    fn timeline(&self, record: RecordRef, limit: usize) -> Result<Vec<TimelineEntry>> {
        self.reading(|s| {
            let mut c = s.client();
            // The record must be there (and, under row security, seen): one statement, not
            // the whole record read again.
            let sql = format!("SELECT 1 FROM {} WHERE id = $1", record.entity.table());
            if c.query_typed_opt(&sql, &[(&record.id, super::INT8)])?.is_none() {
                return Err(StoreError::NotFound { entity: record.entity, id: record.id });
            }
            for_record(&mut *c, record.entity, record.id, limit)
        })
    }

    /// Adds a comment; comments do not change the record's version, so they never conflict
    /// with someone editing its fields.
    fn comment(&mut self, record: RecordRef, text: &str) -> Result<()> {
        let RecordRef { entity, id } = record;
        let text = crate::domain::text::clean_multiline(text).trim().to_string();
        if text.is_empty() {
            return Err(StoreError::Field(FieldError::new("comment", Problem::Required)));
        }
        if text.chars().count() > 10_000 {
            return Err(StoreError::Field(FieldError::new("comment", Problem::TooLong { max: 10_000 })));
        }
        self.write(|tx, ctx| {
            let sql = format!("SELECT 1 FROM {} WHERE id = $1", entity.table());
            if tx.query_opt(&sql, &[&id])?.is_none() {
                return Err(StoreError::NotFound { entity, id });
            }
            add(tx, entity, id, TimelineKind::Comment, ctx, serde_json::json!({"text": text}))?;
            log_change(tx, ctx, entity, id)?;
            Ok(())
        })
    }
}
