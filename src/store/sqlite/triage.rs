//! Triage (SPEC V6): the oldest unprocessed lead of the signed-in user, one at a time. A lead
//! is unprocessed while it sits in the first stage with nothing planned, and is the user's
//! or nobody's; the session's handled and skipped leads are left out.

use super::{Result, Store};
use crate::domain::access::Sight;
use crate::domain::fields::Entity;
use crate::domain::triage::{Unprocessed, unprocessed};
use crate::store::RecordRef;
use crate::store::engine::*;
pub(crate) use crate::store::triage::*;
use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;

/// The one translation of `domain::triage`'s conditions into SQL over `leads`: the text
/// (numbered parameters from ?1) and its parameters. Triage's index covers exactly this
/// filter (migration 0008).
fn unprocessed_sql(conditions: &[Unprocessed]) -> (String, Vec<Sql>) {
    let mut parts = Vec::with_capacity(conditions.len());
    let mut args = Vec::with_capacity(conditions.len() + 1);
    for c in conditions {
        match *c {
            Unprocessed::InStage(stage) => {
                args.push(Sql::Integer(stage));
                parts.push(format!("stage_id = ?{}", args.len()));
            }
            Unprocessed::NothingPlanned => parts.push("next_activity_at IS NULL".to_string()),
            Unprocessed::MineOrNobody(me) => {
                // Ids start at 1: 0 is nobody's id, so only unassigned leads match.
                args.push(Sql::Integer(me.unwrap_or(0)));
                parts.push(format!("(responsible_id = ?{} OR responsible_id IS NULL)", args.len()));
            }
        }
    }
    (parts.join(" AND "), args)
}

impl Triage for Store {
    /// The next lead to triage (`first` when it is given and still exists: an undone
    /// decision shows its lead again), or `None` when the inbox is clear.
    fn triage_next(&self, exclude: &[i64], first: Option<i64>, sight: &Sight) -> Result<Option<TriageItem>> {
        let pipeline = super::refs::resolve_pipeline(self.conn(), Entity::Lead, None)?;
        let stage = super::refs::first_stage(self.conn(), pipeline.id)?;
        let me = self.user().map(|u| u.id);
        let ex = serde_json::to_string(exclude).unwrap_or_else(|_| "[]".into());
        let (cond, mut args) = unprocessed_sql(&unprocessed(stage.id, me));
        let cond = format!("{cond} AND id NOT IN (SELECT value FROM json_each(?{}))", args.len() + 1);
        args.push(Sql::Text(ex));
        let remaining: i64 = self
            .conn()
            .prepare_cached(&format!("SELECT count(*) FROM leads WHERE {cond}"))?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
        let id: Option<i64> = match first {
            Some(id) => Some(id),
            None => self
                .conn()
                .prepare_cached(&format!("SELECT id FROM leads WHERE {cond} ORDER BY created_at, id LIMIT 1"))?
                .query_row(params_from_iter(args.iter()), |r| r.get(0))
                .ok(),
        };
        let Some(id) = id else { return Ok(None) };
        let record = self.get(RecordRef::new(Entity::Lead, id), sight)?;
        let timeline = self.timeline(RecordRef::new(Entity::Lead, id), 20)?;
        let duplicates = self.duplicates_of_record(RecordRef::new(Entity::Lead, id), Entity::Lead, sight)?;
        Ok(Some(TriageItem { record, timeline, duplicates, remaining }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::triage::{LeadState, is_unprocessed};
    use rusqlite::Connection;

    #[test]
    fn the_query_is_the_domain_rule() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("triage.db")).unwrap();
        conn.execute_batch(
            "CREATE TABLE leads (id INTEGER PRIMARY KEY, stage_id INTEGER, next_activity_at INTEGER, responsible_id INTEGER)",
        )
        .unwrap();
        let mut leads = Vec::new();
        for stage in [1, 2] {
            for next in [None, Some(5_000)] {
                for responsible in [None, Some(7), Some(8)] {
                    leads.push(LeadState { stage, next_activity_at: next, responsible });
                }
            }
        }
        for (i, l) in leads.iter().enumerate() {
            conn.execute(
                "INSERT INTO leads VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![i as i64 + 1, l.stage, l.next_activity_at, l.responsible],
            )
            .unwrap();
        }
        for me in [Some(7), None] {
            let (cond, args) = unprocessed_sql(&unprocessed(1, me));
            let mut stmt = conn.prepare(&format!("SELECT id FROM leads WHERE {cond} ORDER BY id")).unwrap();
            let found: Vec<i64> =
                stmt.query_map(params_from_iter(args.iter()), |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
            let expected: Vec<i64> =
                (1..=leads.len() as i64).filter(|i| is_unprocessed(&leads[*i as usize - 1], 1, me)).collect();
            assert!(!expected.is_empty());
            assert_eq!(found, expected, "me = {me:?}");
        }
        // The text triage's index was made for.
        assert_eq!(
            unprocessed_sql(&unprocessed(1, None)).0,
            "stage_id = ?1 AND next_activity_at IS NULL AND (responsible_id = ?2 OR responsible_id IS NULL)"
        );
    }
}
