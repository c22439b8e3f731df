//! Reads for the sales head's reports on the server (`engine::Reports`), as a file's.

use super::records::{Params, refs, visibility_sql};
use super::{Result, Store};
use crate::domain::access::Sight;
use crate::domain::fields::Entity;
use crate::domain::report::{DealFact, LeadFact, StaleFact};
use crate::domain::when::UnixMs;
use crate::store::engine::*;

impl Reports for Store {
    fn deal_facts(&self, query: &DealQuery, sight: &Sight) -> Result<Vec<DealFact>> {
        let (vis, vis_params) = visibility_sql(sight.of(Entity::Deal), "d", 5);
        let (from, to) = query.closed.unwrap_or((0, 0));
        let sql = format!(
            "SELECT d.id, d.stage_id, d.amount_minor, d.currency, d.probability::bigint, d.close_date, d.closed_at, \
                    u.login::text, src.code::text, d.stage_description \
             FROM deals d LEFT JOIN users u ON u.id = d.responsible_id LEFT JOIN sources src ON src.id = d.source_id \
             WHERE ($1::bigint IS NULL OR d.pipeline_id = $1) \
               AND (($2 AND d.closed_at IS NULL) OR (d.closed_at >= $3 AND d.closed_at < $4)) AND {vis} \
             ORDER BY d.id"
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
                    }
                })
                .collect())
        })
    }

    fn lead_facts(&self, created: (UnixMs, UnixMs), sight: &Sight) -> Result<Vec<LeadFact>> {
        let (vis, vis_params) = visibility_sql(sight.of(Entity::Lead), "t", 3);
        let sql = format!(
            "SELECT t.id, t.stage_id, t.created_at, t.closed_at, u.login::text, src.code::text FROM leads t \
             LEFT JOIN users u ON u.id = t.responsible_id LEFT JOIN sources src ON src.id = t.source_id \
             WHERE t.created_at >= $1 AND t.created_at < $2 AND {vis} ORDER BY t.id"
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
}
