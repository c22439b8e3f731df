//! Triage (SPEC V6) on PostgreSQL: the oldest unprocessed lead of the signed-in user, one at
//! a time; `domain::triage` says what unprocessed means, as for a file.

use super::records::{Params, refs as args};
use super::{Result, Store};
use crate::domain::access::Sight;
use crate::domain::fields::Entity;
use crate::domain::triage::{Unprocessed, unprocessed};
use crate::store::RecordRef;
use crate::store::engine::*;
pub(crate) use crate::store::triage::*;

/// The one translation of `domain::triage`'s conditions into SQL over `leads`: the text
/// (parameters numbered from $1) and its parameters. The index
/// `leads_stage_next_activity` covers this filter.
fn unprocessed_sql(conditions: &[Unprocessed]) -> (String, Params) {
    let mut parts = Vec::with_capacity(conditions.len());
    let mut params: Params = Vec::with_capacity(conditions.len() + 1);
    for c in conditions {
        match *c {
            Unprocessed::InStage(stage) => {
                params.push(Box::new(stage));
                parts.push(format!("stage_id = ${}", params.len()));
            }
            Unprocessed::NothingPlanned => parts.push("next_activity_at IS NULL".to_string()),
            Unprocessed::MineOrNobody(me) => {
                // Ids start at 1: 0 is nobody's id, so only unassigned leads match.
                params.push(Box::new(me.unwrap_or(0)));
                parts.push(format!("(responsible_id = ${} OR responsible_id IS NULL)", params.len()));
            }
        }
    }
    (parts.join(" AND "), params)
}

impl Store {
    /// How many leads are left to triage and which comes next (`first` when given).
    fn triage_pick(&self, exclude: &[i64], first: Option<i64>) -> Result<(i64, Option<i64>)> {
        let mut c = self.client();
        let pipeline = super::refs::resolve_pipeline(&mut *c, Entity::Lead, None)?;
        let stage = super::refs::first_stage(&mut *c, pipeline.id)?;
        let me = self.user().map(|u| u.id);
        let (cond, mut params) = unprocessed_sql(&unprocessed(stage.id, me));
        params.push(Box::new(exclude.to_vec()));
        let cond = format!("{cond} AND NOT (id = ANY(${}))", params.len());
        let remaining: i64 = c.query_one(&format!("SELECT count(*) FROM leads WHERE {cond}"), &args(&params))?.get(0);
        let id = match first {
            Some(id) => Some(id),
            None => c
                .query_opt(
                    &format!("SELECT id FROM leads WHERE {cond} ORDER BY created_at, id LIMIT 1"),
                    &args(&params),
                )?
                .map(|r| r.get(0)),
        };
        Ok((remaining, id))
    }
}

impl Triage for Store {
    /// The next lead to triage (`first` when it is given and still exists: an undone
    /// decision shows its lead again), or `None` when the inbox is clear.
    fn triage_next(&self, exclude: &[i64], first: Option<i64>, sight: &Sight) -> Result<Option<TriageItem>> {
        // One snapshot: the count, the lead and what is shown beside it agree.
        self.reading(|s| {
            let (remaining, id) = s.triage_pick(exclude, first)?;
            let Some(id) = id else { return Ok(None) };
            let lead = RecordRef::new(Entity::Lead, id);
            let record = s.get(lead, sight)?;
            let timeline = s.timeline(lead, 20)?;
            let duplicates = s.duplicates_of_record(lead, Entity::Lead, sight)?;
            Ok(Some(TriageItem { record, timeline, duplicates, remaining }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::triage::{LeadState, is_unprocessed};
    use crate::store::postgres::scratch::{ScratchDb, server};

    #[test]
    fn the_query_is_the_domain_rule() {
        let (sql, _) = unprocessed_sql(&unprocessed(1, None));
        assert_eq!(
            sql,
            "stage_id = $1 AND next_activity_at IS NULL AND (responsible_id = $2 OR responsible_id IS NULL)"
        );
        let Some(admin) = server() else { return };
        let db = ScratchDb::create(&admin).unwrap();
        let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
        c.batch_execute(
            "CREATE TABLE leads (id BIGINT PRIMARY KEY, stage_id BIGINT, next_activity_at BIGINT, responsible_id BIGINT)",
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
            c.execute(
                "INSERT INTO leads VALUES ($1, $2, $3, $4)",
                &[&(i as i64 + 1), &l.stage, &l.next_activity_at, &l.responsible],
            )
            .unwrap();
        }
        for me in [Some(7), None] {
            let (cond, params) = unprocessed_sql(&unprocessed(1, me));
            let found: Vec<i64> = c
                .query(&format!("SELECT id FROM leads WHERE {cond} ORDER BY id"), &args(&params))
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect();
            let expected: Vec<i64> =
                (1..=leads.len() as i64).filter(|i| is_unprocessed(&leads[*i as usize - 1], 1, me)).collect();
            assert!(!expected.is_empty());
            assert_eq!(found, expected, "me = {me:?}");
        }
    }
}
