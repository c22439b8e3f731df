//! Reads for the sales head's reports on the server (`engine::Reports`), as a file's.

use super::records::{Params, refs, visibility_sql};
use super::{Result, Store};
use crate::domain::access::{Sight, Visibility};
use crate::domain::fields::Entity;
use crate::domain::report::activity::ActivityFact;
use crate::domain::report::funnel::FunnelFact;
use crate::domain::report::reasons::{self, LostReason};
use crate::domain::report::{DealFact, LeadFact, StaleFact};
use crate::domain::when::UnixMs;
use crate::store::engine::*;

/// The lost reasons, in order.
fn reasons_in(c: &mut impl postgres::GenericClient) -> Result<Vec<LostReason>> {
    let rows = c.query("SELECT id, name::text, name_fr FROM lost_reasons ORDER BY sort, id", &[])?;
    Ok(rows.iter().map(|r| LostReason { id: r.get(0), name: r.get(1), name_fr: r.get(2) }).collect())
}

impl Reports for Store {
    fn deal_facts(&self, query: &DealQuery, sight: &Sight) -> Result<Vec<DealFact>> {
        let (vis, vis_params) = visibility_sql(sight.of(Entity::Deal), "d", 5);
        let (from, to) = query.closed.unwrap_or((0, 0));
        let sql = format!(
            "SELECT d.id, d.stage_id, d.amount_minor, d.currency, d.probability::bigint, d.close_date, d.closed_at, \
                    u.login::text, src.code::text, d.stage_description, dep.name::text \
             FROM deals d {people} \
             WHERE ($1::bigint IS NULL OR d.pipeline_id = $1) \
               AND (($2 AND d.closed_at IS NULL) OR (d.closed_at >= $3 AND d.closed_at < $4)) AND {vis} \
             ORDER BY d.id",
            people = crate::store::reports::people_joins("d"),
        );
        let mut params: Params = vec![Box::new(query.pipeline), Box::new(query.open), Box::new(from), Box::new(to)];
        params.extend(vis_params);
        self.reading(|s| {
            let rows = s.client().query(&sql, &refs(&params)).map_err(|e| s.pg_err(e))?;
            Ok(rows
                .iter()
                .map(|r| {
                    let close: Option<String> = r.get(5);
                    DealFact {
                        id: r.get(0),
                        stage_id: r.get(1),
                        amount_minor: r.get(2),
                        currency: r.get(3),
                        probability: r.get(4),
                        close_date: close.and_then(|c| chrono::NaiveDate::parse_from_str(&c, "%Y-%m-%d").ok()),
                        closed_at: r.get(6),
                        responsible: r.get(7),
                        source: r.get(8),
                        reason: r.get(9),
                        department: r.get(10),
                    }
                })
                .collect())
        })
    }

    fn lead_facts(&self, created: (UnixMs, UnixMs), sight: &Sight) -> Result<Vec<LeadFact>> {
        let (vis, vis_params) = visibility_sql(sight.of(Entity::Lead), "t", 3);
        let sql = format!(
            "SELECT t.id, t.stage_id, t.created_at, t.closed_at, u.login::text, src.code::text, dep.name::text FROM leads t \
             {people} \
             WHERE t.created_at >= $1 AND t.created_at < $2 AND {vis} ORDER BY t.id",
            people = crate::store::reports::people_joins("t"),
        );
        let mut params: Params = vec![Box::new(created.0), Box::new(created.1)];
        params.extend(vis_params);
        self.reading(|s| {
            let rows = s.client().query(&sql, &refs(&params)).map_err(|e| s.pg_err(e))?;
            Ok(rows
                .iter()
                .map(|r| LeadFact {
                    id: r.get(0),
                    stage_id: r.get(1),
                    created_at: r.get(2),
                    closed_at: r.get(3),
                    responsible: r.get(4),
                    source: r.get(5),
                    department: r.get(6),
                })
                .collect())
        })
    }

    fn funnel_facts(&self, query: &FunnelQuery, sight: &Sight) -> Result<Vec<FunnelFact>> {
        let entity = query.entity;
        let (vis, vis_params) = visibility_sql(sight.of(entity), "t", 6);
        // A deal made after the period's end was not there then (made from one of its leads).
        let cohort = if query.from_leads {
            "t.lead_id IN (SELECT id FROM leads WHERE created_at >= $2 AND created_at < $3)"
        } else {
            "t.created_at >= $2 AND t.created_at < $3"
        };
        let pipeline =
            if entity == Entity::Deal { "($5::bigint IS NULL OR t.pipeline_id = $5)" } else { "$5::bigint IS NULL" };
        let sql = format!(
            "SELECT t.id, t.stage_id, t.amount_minor, t.currency, u.login::text, src.code::text, dep.name::text, \
                CASE WHEN $4::bigint IS NULL THEN t.stage_id ELSE (SELECT m.stage_id FROM stage_moves m \
                  WHERE m.entity = $1 AND m.record_id = t.id AND m.at < $4 ORDER BY m.at DESC, m.id DESC LIMIT 1) END, \
                (SELECT string_agg(DISTINCT m.stage_id::text, ',') FROM stage_moves m \
                  WHERE m.entity = $1 AND m.record_id = t.id AND ($4::bigint IS NULL OR m.at < $4)) \
             FROM {table} t {people} \
             WHERE {cohort} AND {pipeline} AND ($4::bigint IS NULL OR t.created_at < $4) AND {vis} ORDER BY t.id",
            table = entity.table(),
            people = crate::store::reports::people_joins("t"),
        );
        let mut params: Params = vec![
            Box::new(entity.code().to_string()),
            Box::new(query.created.0),
            Box::new(query.created.1),
            Box::new(query.end),
            Box::new(query.pipeline),
        ];
        params.extend(vis_params);
        self.reading(|s| {
            let rows = s.client().query(&sql, &refs(&params)).map_err(|e| s.pg_err(e))?;
            Ok(rows
                .iter()
                .map(|r| {
                    let now: i64 = r.get(1);
                    let visited: Option<String> = r.get(8);
                    crate::store::reports::funnel_fact(
                        r.get(0),
                        r.get::<_, Option<i64>>(7).unwrap_or(now),
                        visited.as_deref(),
                        FunnelFact {
                            id: 0,
                            stage_id: 0,
                            visited: vec![],
                            amount_minor: r.get(2),
                            currency: r.get(3),
                            responsible: r.get(4),
                            source: r.get(5),
                            department: r.get(6),
                        },
                    )
                })
                .collect())
        })
    }

    fn activity_facts(&self, period: (UnixMs, UnixMs), now: UnixMs, reach: &Visibility) -> Result<Vec<ActivityFact>> {
        let (vis, vis_params) = visibility_sql(reach, "a", 4);
        let sql = format!(
            "SELECT a.id, a.kind, u.login::text, dep.name::text, a.deadline, a.completed_at, a.completed FROM activities a \
             LEFT JOIN users u ON u.id = a.responsible_id LEFT JOIN departments dep ON dep.id = u.department_id \
             WHERE ((a.deadline >= $1 AND a.deadline < $2) OR (a.completed_at >= $1 AND a.completed_at < $2) \
                    OR (NOT a.completed AND a.deadline < $3)) AND {vis} ORDER BY a.id"
        );
        let mut params: Params = vec![Box::new(period.0), Box::new(period.1), Box::new(now)];
        params.extend(vis_params);
        self.reading(|s| {
            let rows = s.client().query(&sql, &refs(&params)).map_err(|e| s.pg_err(e))?;
            Ok(rows
                .iter()
                .map(|r| ActivityFact {
                    id: r.get(0),
                    kind: r.get(1),
                    responsible: r.get(2),
                    department: r.get(3),
                    deadline: r.get(4),
                    completed_at: r.get(5),
                    completed: r.get(6),
                })
                .collect())
        })
    }

    fn stale(&self, entity: Entity, now: UnixMs, sight: &Sight) -> Result<Vec<StaleFact>> {
        if !entity.has_stages() {
            return Ok(vec![]);
        }
        let (vis, vis_params) = visibility_sql(sight.of(entity), "t", 3);
        let title = crate::store::reports::title_sql(entity);
        let sql = format!(
            "SELECT id, title, stage_id, touched, login, amount_minor, currency FROM ( \
               SELECT t.id, {title} AS title, t.stage_id, t.amount_minor, t.currency, u.login::text AS login, s.rot_days, \
                      greatest(t.modified_at, coalesce((SELECT max(a.modified_at) FROM activity_bindings b \
                          JOIN activities a ON a.id = b.activity_id WHERE b.entity_id = t.id AND b.entity = $2), 0)) AS touched \
               FROM {table} t JOIN stages s ON s.id = t.stage_id LEFT JOIN users u ON u.id = t.responsible_id \
               WHERE s.rot_days IS NOT NULL AND s.semantics = 'in_progress' AND {vis}) x \
             WHERE touched < $1 - rot_days * 86400000 ORDER BY touched, id",
            table = entity.table(),
        );
        let mut params: Params = vec![Box::new(now), Box::new(entity.code().to_string())];
        params.extend(vis_params);
        self.reading(|s| {
            let rows = s.client().query(&sql, &refs(&params)).map_err(|e| s.pg_err(e))?;
            Ok(rows
                .iter()
                .map(|r| StaleFact {
                    id: r.get(0),
                    title: r.get::<_, Option<String>>(1).unwrap_or_default(),
                    stage_id: r.get(2),
                    last_touch: r.get(3),
                    responsible: r.get(4),
                    amount_minor: r.get(5),
                    currency: r.get(6),
                })
                .collect())
        })
    }

    fn lost_reasons(&self) -> Result<Vec<LostReason>> {
        reasons_in(&mut *self.client()).map_err(|e| self.fill_path(e))
    }

    fn add_lost_reason(&mut self, name: &str, name_fr: Option<&str>) -> Result<LostReason> {
        self.write(|tx, _| {
            let (name, name_fr) = reasons::check_new(&reasons_in(tx)?, name, name_fr)?;
            let id: i64 = tx
                .query_one(
                    "INSERT INTO lost_reasons (name, name_fr, sort) VALUES ($1::text::citext, $2, \
                     (SELECT coalesce(max(sort), 0) + 1 FROM lost_reasons)) RETURNING id",
                    &[&name, &name_fr],
                )?
                .try_get(0)?;
            Ok(LostReason { id, name, name_fr })
        })
    }

    fn remove_lost_reason(&mut self, name: &str) -> Result<LostReason> {
        self.write(|tx, _| {
            let list = reasons_in(tx)?;
            let found = crate::store::reports::reason_named(&list, name)?;
            tx.execute("DELETE FROM lost_reasons WHERE id = $1", &[&found.id])?;
            Ok(found)
        })
    }
}
