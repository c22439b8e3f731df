//! The Kanban's column heads: how many records each stage holds and their amounts per
//! currency. Kept by the file (`stage_totals`, triggers of migrations 0009 and 0012) for a
//! user who sees every record, counted from the records otherwise; sums in 128 bits, so no
//! number of amounts can overflow a column (issue 21).

use super::records::visibility_sql;
use super::refs::{self};
use super::{Result, Store};
use crate::domain::access::Sight;
use crate::domain::access::Visibility;
use crate::domain::fields::Entity;
use crate::store::engine::*;
pub(crate) use crate::store::totals::*;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, params, params_from_iter};

/// Kanban column totals: (stage, currency, '' for none) -> (records, amount in minor units;
/// `None` where the sum does not fit in 64 bits, which `stage_totals` keeps as NULL).
pub(crate) type StageTotals = std::collections::BTreeMap<(i64, String), (i64, Option<i64>)>;

/// The Kanban's column totals as the records give them: what the triggers of migration 0012
/// keep in `stage_totals`. `db check` compares the two, and a bulk load (which sets the
/// triggers aside) counts them with it. Counted here in one pass over the records, in 128 bits:
/// a GROUP BY sorted every lead first, 5x the time at 100k leads once no index gave that order
/// (migration 0010), and SQLite's `sum` fails on overflow. A record has no currency as NULL,
/// never '' (a currency is a checked code).
pub(crate) fn stage_totals_of_records(conn: &Connection) -> Result<StageTotals> {
    // A few dozen columns and currencies: a list looked through, without a key made per record.
    let mut counted: Vec<((i64, String), (i64, i128))> = Vec::new();
    for table in ["leads", "deals"] {
        let mut stmt = conn.prepare(&format!("SELECT stage_id, currency, amount_minor FROM {table}"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let stage: i64 = r.get(0)?;
            let currency = r.get_ref(1)?.as_str_or_null().map_err(rusqlite::Error::from)?.unwrap_or("");
            let amount = i128::from(r.get_ref(2)?.as_i64_or_null().unwrap_or(None).unwrap_or(0));
            match counted.iter_mut().find(|((s, c), _)| *s == stage && c == currency) {
                Some((_, (n, sum))) => (*n, *sum) = (*n + 1, *sum + amount),
                None => counted.push(((stage, currency.to_string()), (1, amount))),
            }
        }
    }
    Ok(counted.into_iter().map(|(k, (n, sum))| (k, (n, i64::try_from(sum).ok()))).collect())
}

/// The Kanban's column totals as `stage_totals` keeps them (columns without records left out;
/// an amount that is not a whole number, as SQLite's `+` made on overflow before migration
/// 0012, reads as `None`: "count the records").
pub(crate) fn stage_totals_kept(conn: &Connection) -> Result<StageTotals> {
    let mut stmt =
        conn.prepare("SELECT stage_id, currency, records, amount_minor FROM stage_totals WHERE records <> 0")?;
    let rows = stmt
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get_ref(3)?.as_i64_or_null().unwrap_or(None)))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Counts `stage_totals` again from the records.
pub(crate) fn recount_stage_totals(tx: &Connection) -> Result<()> {
    let totals = stage_totals_of_records(tx)?;
    tx.execute("DELETE FROM stage_totals", [])?;
    let mut insert =
        tx.prepare("INSERT INTO stage_totals (stage_id, currency, records, amount_minor) VALUES (?1, ?2, ?3, ?4)")?;
    for ((stage, currency), (records, amount)) in &totals {
        insert.execute(params![stage, currency, records, amount])?;
    }
    Ok(())
}

/// `SUM(column)` without overflow: SQLite's `sum` fails past 64 bits, so the amounts are summed
/// as millions and remainders (each sum far from the limit), put together in 128 bits.
/// `split_sum_sql("t.amount_minor")` gives the two SQL columns; `split_sum` joins them.
pub(crate) fn split_sum_sql(column: &str) -> String {
    // Only whole numbers are summed: another tool's 12.5 would make the sums REAL.
    let whole = format!("(CASE WHEN typeof({column}) = 'integer' THEN {column} END)");
    format!("sum({whole} / 1000000), sum({whole} % 1000000)")
}

pub(crate) fn split_sum(r: &rusqlite::Row, first: usize) -> rusqlite::Result<Option<i128>> {
    let high: Option<i64> = r.get(first)?;
    let low: Option<i64> = r.get(first + 1)?;
    Ok(high.map(|h| i128::from(h) * 1_000_000 + i128::from(low.unwrap_or(0))))
}

/// The amounts of one column (stage, currency) summed from its records, for a column whose
/// total `stage_totals` could not keep.
fn column_sum(conn: &Connection, table: &str, stage: i64, currency: Option<&str>) -> Result<i128> {
    let sql = format!(
        "SELECT {} FROM {table} WHERE stage_id = ?1 AND coalesce(currency, '') = coalesce(?2, '')",
        split_sum_sql("amount_minor")
    );
    Ok(conn.prepare_cached(&sql)?.query_row(params![stage, currency], |r| split_sum(r, 0))?.unwrap_or(0))
}

impl Board for Store {
    /// Column heads of a Kanban board: every stage of the pipeline with count and sums, by
    /// SQL aggregate (no card is loaded).
    fn board(
        &self,
        entity: Entity,
        pipeline: Option<&str>,
        sight: &Sight,
    ) -> Result<(refs::PipelineRow, Vec<ColumnHead>)> {
        let p = self.pipeline(entity, pipeline)?;
        let visibility = sight.of(entity).clone();
        let stages = refs::stages(self.conn(), p.id)?;
        // Someone who sees every record reads the totals the file keeps (migration 0009); the
        // records of someone who sees some only are counted.
        let (sql, all) = if visibility == Visibility::All {
            let sql = "SELECT stage_id, records, nullif(currency, ''), amount_minor FROM stage_totals \
                       WHERE stage_id IN (SELECT id FROM stages WHERE pipeline_id = ?) AND records > 0";
            (sql.to_string(), vec![Sql::Integer(p.id)])
        } else {
            let (cond, vparams) = visibility_sql(&visibility, "t");
            let sql = format!(
                "SELECT t.stage_id, count(*), t.currency, {} FROM {} t WHERE t.stage_id IN \
                 (SELECT id FROM stages WHERE pipeline_id = ?) AND {cond} GROUP BY t.stage_id, t.currency",
                split_sum_sql("t.amount_minor"),
                entity.table()
            );
            let mut all = vec![Sql::Integer(p.id)];
            all.extend(vparams);
            (sql, all)
        };
        let kept = visibility == Visibility::All;
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows: Vec<(i64, i64, Option<String>, Option<i128>)> = stmt
            .query_map(params_from_iter(all.iter()), |r| {
                let sum = if kept {
                    // stage_totals: NULL (or a number that is not whole, from an older file)
                    // where the sum did not fit: counted from the records below.
                    r.get_ref(3)?.as_i64_or_null().unwrap_or(None).map(i128::from)
                } else {
                    Some(split_sum(r, 3)?.unwrap_or(0))
                };
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, sum))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for row in rows.iter_mut().filter(|r| r.3.is_none()) {
            row.3 = Some(column_sum(self.conn(), entity.table(), row.0, row.2.as_deref())?);
        }
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
