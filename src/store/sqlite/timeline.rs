//! Per-record history (SPEC A3): written in the same transaction as the change it records,
//! read newest first.

use super::rule::Rule;
use super::{Result, Store, StoreError, WriteCtx, log_change};
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::Entity;
use crate::domain::record::RecordRef;
use crate::domain::timeline::TimelineKind;
use crate::store::engine::*;
pub(crate) use crate::store::timeline::*;
use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::Value as Json;

/// Appends an entry for a record. The payload is any serializable value: `json!` where it
/// is built once, a struct (`Created`, `ActivityEntry`) where a bulk load writes hundreds of
/// thousands, which spares building a JSON tree for each.
pub fn add(
    conn: &Connection,
    entity: Entity,
    id: i64,
    kind: TimelineKind,
    ctx: &WriteCtx,
    payload: impl Serialize,
) -> Result<()> {
    let payload = serde_json::to_string(&payload)
        .map_err(|e| StoreError::Rule(Rule::TimelineEntry { kind: kind.code().to_string(), detail: e.to_string() }))?;
    conn.prepare_cached(
        "INSERT INTO timeline (entity, entity_id, kind, at, user_id, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![entity.code(), id, kind.code(), ctx.now, ctx.user_id, payload])?;
    Ok(())
}

/// Payload of a `created` entry: where the record came from (manual, import, demo...).
#[derive(Serialize)]
pub(crate) struct Created<'a> {
    /// The origin.
    pub origin: &'a str,
}

/// Payload of an activity's entry on a bound record. Fields in the order `json!` wrote them
/// (alphabetical), so entries read the same whichever wrote them.
#[derive(Serialize)]
pub(crate) struct ActivityEntry<'a> {
    /// The activity's id.
    pub activity: i64,
    /// Its deadline (unix ms).
    pub deadline: i64,
    /// Its kind's code.
    pub kind: &'a str,
    /// Its subject.
    pub subject: &'a str,
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

impl Timeline for Store {
    /// Timeline of a record, newest first.
    fn timeline(&self, record: RecordRef, limit: usize) -> Result<Vec<TimelineEntry>> {
        self.reading(|s| {
            // The record must be there: one statement, not the whole record read again.
            let sql = format!("SELECT 1 FROM {} WHERE id = ?1", record.entity.table());
            if !s.conn().prepare_cached(&sql)?.exists([record.id])? {
                return Err(StoreError::NotFound { entity: record.entity, id: record.id });
            }
            for_record(s.conn(), record.entity, record.id, limit)
        })
    }

    /// Adds a comment to a record's timeline. Comments do not change the record's version, so
    /// they never conflict with someone editing its fields.
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_payloads_are_written_as_json_wrote_them() {
        let typed = ActivityEntry { activity: 7, deadline: 1_795_000_000_000, kind: "call", subject: "Appeler" };
        let built = json!({"activity": 7, "kind": "call", "subject": "Appeler", "deadline": 1_795_000_000_000i64});
        assert_eq!(serde_json::to_string(&typed).unwrap(), built.to_string());
        assert_eq!(
            serde_json::to_string(&Created { origin: "import" }).unwrap(),
            json!({"origin": "import"}).to_string()
        );
    }
}
