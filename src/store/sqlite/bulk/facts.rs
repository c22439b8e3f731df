//! The reports' facts of a bulk load's new records (closing times, first stage moves,
//! tallies), written once at its end rather than by a trigger per row.

use super::super::Result;
use super::BulkLoad;
use crate::domain::fields::Entity;
use rusqlite::{Connection, Transaction};

/// The insert triggers that keep the reports' facts (a closed record's `closed_at`, its first
/// stage move, the record and activity tallies; migrations 21 to 24). A load that only adds
/// records sets them aside and writes the facts of its new records at its end, set-based
/// (`FACTS_OF_NEW`): fired for every row they were half of a 100k-lead import.
pub(super) const FACT_TRIGGERS: &[&str] = &[
    "leads_closed_insert",
    "leads_open_insert",
    "deals_closed_insert",
    "deals_open_insert",
    "leads_tally_insert",
    "deals_tally_insert",
    "activities_tally_insert",
    "deals_forecast_insert",
];

/// What `FACT_TRIGGERS` would have written, for the rows past an id: (table whose id counts,
/// statement with `?1` that id). Each mirrors its trigger, a group of rows at a time.
const FACTS_OF_NEW: &[(&str, &str)] = &[
    (
        "leads",
        "UPDATE leads SET closed_at = moved_at WHERE id > ?1 AND closed_at IS NULL \
               AND stage_id IN (SELECT id FROM stages WHERE semantics <> 'in_progress')",
    ),
    (
        "leads",
        "UPDATE leads SET closed_at = NULL WHERE id > ?1 AND closed_at IS NOT NULL \
               AND stage_id IN (SELECT id FROM stages WHERE semantics = 'in_progress')",
    ),
    (
        "deals",
        "UPDATE deals SET closed_at = moved_at WHERE id > ?1 AND closed_at IS NULL \
               AND stage_id IN (SELECT id FROM stages WHERE semantics <> 'in_progress')",
    ),
    (
        "deals",
        "UPDATE deals SET closed_at = NULL WHERE id > ?1 AND closed_at IS NOT NULL \
               AND stage_id IN (SELECT id FROM stages WHERE semantics = 'in_progress')",
    ),
    (
        "leads",
        "INSERT INTO stage_moves (entity, record_id, stage_id, at, first) \
               SELECT 'lead', id, stage_id, moved_at, 1 FROM leads WHERE id > ?1 ORDER BY id",
    ),
    (
        "deals",
        "INSERT INTO stage_moves (entity, record_id, stage_id, at, first) \
               SELECT 'deal', id, stage_id, moved_at, 1 FROM deals WHERE id > ?1 ORDER BY id",
    ),
    (
        "leads",
        "INSERT INTO record_tallies \
               SELECT 'lead', unit, bucket, -1, 0, responsible, source, stage_id, CAST(stage_id AS TEXT), currency, \
                      count(*), sum(amount) \
                 FROM (SELECT u.unit, l.created_at / u.unit AS bucket, coalesce(l.responsible_id, 0) AS responsible, \
                              coalesce(l.source_id, 0) AS source, l.stage_id, coalesce(l.currency, '') AS currency, \
                              coalesce(l.amount_minor, 0) AS amount \
                         FROM leads l, tally_units u WHERE l.id > ?1) \
                GROUP BY unit, bucket, responsible, source, stage_id, currency \
               ON CONFLICT DO UPDATE SET records = records + excluded.records, \
                                         amount_minor = amount_minor + excluded.amount_minor",
    ),
    (
        "deals",
        "INSERT INTO record_tallies \
               SELECT 'deal', unit, bucket, lead_bucket, pipeline_id, responsible, source, stage_id, \
                      CAST(stage_id AS TEXT), currency, count(*), sum(amount) \
                 FROM (SELECT u.unit, d.created_at / u.unit AS bucket, \
                              coalesce((SELECT created_at / u.unit FROM leads WHERE id = d.lead_id), -1) AS lead_bucket, \
                              d.pipeline_id, coalesce(d.responsible_id, 0) AS responsible, \
                              coalesce(d.source_id, 0) AS source, d.stage_id, coalesce(d.currency, '') AS currency, \
                              coalesce(d.amount_minor, 0) AS amount \
                         FROM deals d, tally_units u WHERE d.id > ?1) \
                GROUP BY unit, bucket, lead_bucket, pipeline_id, responsible, source, stage_id, currency \
               ON CONFLICT DO UPDATE SET records = records + excluded.records, \
                                         amount_minor = amount_minor + excluded.amount_minor",
    ),
    (
        "deals",
        "INSERT INTO forecast_tallies \
               SELECT pipeline_id, stage_id, coalesce(responsible_id, 0), coalesce(source_id, 0), \
                      coalesce(substr(close_date, 1, 7), ''), coalesce(probability, -1), coalesce(currency, ''), \
                      count(*), sum(coalesce(amount_minor, 0)) \
                 FROM deals WHERE id > ?1 GROUP BY 1, 2, 3, 4, 5, 6, 7 \
               ON CONFLICT DO UPDATE SET deals = deals + excluded.deals, \
                                         amount_minor = amount_minor + excluded.amount_minor",
    ),
    (
        "activities",
        "INSERT INTO activity_tallies \
               SELECT CASE WHEN a.completed THEN 'due_done' ELSE 'due_open' END, u.unit, a.deadline / u.unit, \
                      coalesce(a.responsible_id, 0), a.kind, count(*) \
                 FROM activities a, tally_units u WHERE a.id > ?1 GROUP BY 1, 2, 3, 4, 5 \
               ON CONFLICT DO UPDATE SET n = n + excluded.n",
    ),
    (
        "activities",
        "INSERT INTO activity_tallies \
               SELECT CASE WHEN a.completed_at > a.deadline THEN 'late' ELSE 'done' END, u.unit, \
                      a.completed_at / u.unit, coalesce(a.responsible_id, 0), a.kind, count(*) \
                 FROM activities a, tally_units u WHERE a.id > ?1 AND a.completed_at IS NOT NULL \
                GROUP BY 1, 2, 3, 4, 5 \
               ON CONFLICT DO UPDATE SET n = n + excluded.n",
    ),
];

/// The tables whose new rows `FACTS_OF_NEW` reads.
pub(super) const FACT_TABLES: [&str; 3] = ["leads", "deals", "activities"];

impl BulkLoad {
    /// The reports' facts of the load's new records and activities, when it set their
    /// triggers aside (`FACTS_OF_NEW`).
    pub(super) fn write_facts(&self, tx: &Connection) -> Result<()> {
        let Some(after) = &self.facts_after else { return Ok(()) };
        for (table, sql) in FACTS_OF_NEW {
            let i = FACT_TABLES.iter().position(|t| t == table).unwrap_or(0);
            tx.prepare(sql)?.execute([after[i]])?;
        }
        Ok(())
    }
}

/// Whether a new lead or deal sets anything off in this file (an enabled stage rule, CRM
/// simple mode's conversion), which may change it after it is made.
pub(super) fn sets_off_anything(tx: &Transaction) -> Result<bool> {
    let rules = |entity: Entity| {
        tx.prepare_cached(crate::store::rules::ANY_ENABLED_SQL)?.query_row([entity.code()], |r| r.get::<_, bool>(0))
    };
    Ok(rules(Entity::Lead)? || rules(Entity::Deal)? || super::super::convert::simple_mode(tx)?)
}
