//! Reads for the sales head's reports on a file (`engine::Reports`).

use super::records::list::visibility_sql;
use super::{Result, Store};
use crate::domain::access::Sight;
use crate::domain::fields::Entity;
use crate::domain::report::DealFact;
use crate::store::engine::*;
use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;

impl Reports for Store {
    fn deal_facts(&self, query: &DealQuery, sight: &Sight) -> Result<Vec<DealFact>> {
        let (vis, vis_params) = visibility_sql(sight.of(Entity::Deal), "d");
        let (from, to) = query.closed.unwrap_or((0, 0));
        let sql = format!(
            "SELECT d.id, d.stage_id, d.amount_minor, d.currency, d.probability, d.close_date, d.closed_at, \
                    u.login, src.code, d.stage_description \
             FROM deals d LEFT JOIN users u ON u.id = d.responsible_id LEFT JOIN sources src ON src.id = d.source_id \
             WHERE (?1 IS NULL OR d.pipeline_id = ?1) \
               AND ((?2 AND d.closed_at IS NULL) OR (d.closed_at >= ?3 AND d.closed_at < ?4)) AND {vis} \
             ORDER BY d.id"
        );
        let mut params: Vec<Sql> = vec![
            query.pipeline.map_or(Sql::Null, Sql::Integer),
            Sql::Integer(query.open as i64),
            Sql::Integer(from),
            Sql::Integer(to),
        ];
        params.extend(vis_params);
        self.reading(|s| {
            let mut stmt = s.conn().prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
                let close: Option<String> = r.get(5)?;
                Ok(DealFact {
                    id: r.get(0)?,
                    stage_id: r.get(1)?,
                    amount_minor: r.get(2)?,
                    currency: r.get(3)?,
                    probability: r.get(4)?,
                    close_date: close.and_then(|c| chrono::NaiveDate::parse_from_str(&c, "%Y-%m-%d").ok()),
                    closed_at: r.get(6)?,
                    responsible: r.get(7)?,
                    source: r.get(8)?,
                    reason: r.get(9)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}
