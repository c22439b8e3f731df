//! The Kanban's column heads on PostgreSQL: how many records each stage holds and their
//! amounts per currency. Kept by the database (`stage_totals`, triggers of schema 1) for a
//! user who sees every record, counted from the records otherwise; sums as NUMERIC read in
//! 128 bits, so no number of amounts can overflow a column (as `sqlite::totals`).

use super::records::{Params, refs as bound, visibility_sql};
use super::refs::{self, PipelineRow};
use super::{Result, Store, StoreError};
use crate::domain::access::{Sight, Visibility};
use crate::domain::fields::Entity;
use crate::store::engine::*;
pub(crate) use crate::store::totals::*;
use postgres::GenericClient;

/// A NUMERIC sum read as text (`sum(x)::text`) in 128 bits; `None` when NULL.
fn sum_of(text: Option<String>) -> Result<Option<i128>> {
    match text {
        None => Ok(None),
        Some(t) => t.parse::<i128>().map(Some).map_err(|_| {
            StoreError::Engine(std::path::PathBuf::new(), format!("a sum that is not a whole number: {t}"))
        }),
    }
}

/// The amounts of one column (stage, currency) summed from its records, for a column whose
/// total `stage_totals` could not keep.
fn column_sum(c: &mut impl GenericClient, table: &str, stage: i64, currency: Option<&str>) -> Result<i128> {
    let sql = format!(
        "SELECT sum(amount_minor)::text FROM {table} WHERE stage_id = $1 AND coalesce(currency, '') = coalesce($2, '')"
    );
    Ok(sum_of(c.query_one(&sql, &[&stage, &currency])?.try_get(0)?)?.unwrap_or(0))
}

/// Per (stage, currency) of pipeline `pipeline`: records and summed amount.
type Rows = Vec<(i64, i64, Option<String>, Option<i128>)>;

fn column_rows(c: &mut impl GenericClient, entity: Entity, pipeline: i64, vis: &Visibility) -> Result<Rows> {
    if *vis == Visibility::All {
        let rows = read_column_rows(c, entity, pipeline, vis, true)?;
        // None read: an empty pipeline, or a role row-level security keeps from the kept
        // totals (read by roles reading every lead and every deal): counted from the records.
        if !rows.is_empty() {
            return Ok(rows);
        }
    }
    read_column_rows(c, entity, pipeline, vis, false)
}

/// `column_rows` from the kept totals (`kept`) or counted from the records.
fn read_column_rows(
    c: &mut impl GenericClient,
    entity: Entity,
    pipeline: i64,
    vis: &Visibility,
    kept: bool,
) -> Result<Rows> {
    let (sql, params): (String, Params) = if kept {
        let sql = "SELECT stage_id, records, nullif(currency, ''), amount_minor::text FROM stage_totals \
                   WHERE stage_id IN (SELECT id FROM stages WHERE pipeline_id = $1) AND records > 0";
        (sql.to_string(), vec![Box::new(pipeline)])
    } else {
        let (cond, vparams) = visibility_sql(vis, "t", 2);
        let sql = format!(
            "SELECT t.stage_id, count(*), t.currency, coalesce(sum(t.amount_minor), 0)::text FROM {} t WHERE t.stage_id IN \
             (SELECT id FROM stages WHERE pipeline_id = $1) AND {cond} GROUP BY t.stage_id, t.currency",
            entity.table()
        );
        let mut all: Params = vec![Box::new(pipeline)];
        all.extend(vparams);
        (sql, all)
    };
    let mut rows: Rows = Vec::new();
    for r in c.query(&sql, &bound(&params))? {
        rows.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, sum_of(r.try_get(3)?)?));
    }
    // stage_totals: NULL where the sum did not fit in 64 bits: counted from the records.
    for row in rows.iter_mut().filter(|r| r.3.is_none()) {
        row.3 = Some(column_sum(c, entity.table(), row.0, row.2.as_deref())?);
    }
    Ok(rows)
}

impl Board for Store {
    /// Column heads of a Kanban board: every stage of the pipeline with count and sums, by
    /// SQL aggregate (no card is loaded).
    fn board(&self, entity: Entity, pipeline: Option<&str>, sight: &Sight) -> Result<(PipelineRow, Vec<ColumnHead>)> {
        let p = self.pipeline(entity, pipeline)?;
        let visibility = sight.of(entity).clone();
        let (stages, rows) = self.reading(|s| {
            let mut c = s.client();
            Ok((refs::stages(&mut *c, p.id)?, column_rows(&mut *c, entity, p.id, &visibility)?))
        })?;
        let heads = stages
            .into_iter()
            .map(|stage| {
                let mine: Vec<_> = rows.iter().filter(|r| r.0 == stage.id).collect();
                let mut sums: Vec<(String, i128)> =
                    mine.iter().filter_map(|r| Some((r.2.clone()?, r.3?))).filter(|(_, v)| *v != 0).collect();
                sums.sort_by_key(|s| std::cmp::Reverse(s.1));
                ColumnHead { count: mine.iter().map(|r| r.1).sum(), stage, sums }
            })
            .collect();
        Ok((p, heads))
    }
}
