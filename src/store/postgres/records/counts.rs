//! What a list's filter matches in all, rather than a page of it: the count and amounts
//! (`list_totals_in`), the count alone, the count per value of a field, and the activities
//! board's counts. The filter is `list::list_where`'s.

use super::list::next_activity_sql;
use super::*;
use crate::store::custom_fields::{CondParam, Dialect};

/// What `filter` matches in all: its count and the sum of its amounts per currency.
pub(crate) fn list_totals_in(
    c: &mut impl GenericClient,
    stmts: &StatementCache,
    entity: Entity,
    vis: &Visibility,
    filter: &ListFilter,
) -> Result<ListTotals> {
    let whole = ListFilter { before_id: None, after_id: None, ..filter.clone() };
    let Some((wheres, params)) = list_where(c, stmts, entity, vis, &whole)? else {
        return Ok(ListTotals::default());
    };
    // The whole lead list of a user who sees every lead: the Kanban's kept column totals say
    // it in a few rows, as on a file (counting 100k leads took 39 ms). A column whose sum
    // the database could not keep (NULL: past 64 bits) is counted from the leads, and so is
    // everything when no kept row is read: an empty file, or a role row-level security keeps
    // from the kept totals (they are read by roles reading every lead and every deal).
    if entity == Entity::Lead && wheres == "TRUE" {
        let st = super::super::prepared(
            c,
            stmts,
            "SELECT st.currency, st.records, st.amount_minor FROM stage_totals st \
             JOIN stages s ON s.id = st.stage_id JOIN pipelines p ON p.id = s.pipeline_id \
             WHERE p.entity = 'lead' AND st.records <> 0",
        )?;
        let rows = c.query(&st, &[])?;
        let kept: Vec<(String, i64, Option<i64>)> =
            rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect::<Result<_>>()?;
        if !kept.is_empty()
            && let Some(totals) = ListTotals::from_kept(kept)
        {
            return Ok(totals);
        }
    }
    let table = entity.table();
    let sql = match entity {
        Entity::Contact => format!("SELECT NULL::text, count(*), NULL::text FROM {table} t WHERE {wheres}"),
        Entity::Company => format!(
            "SELECT t.currency, count(*), sum(t.revenue_minor::numeric)::text FROM {table} t WHERE {wheres} GROUP BY t.currency"
        ),
        Entity::Lead | Entity::Deal => format!(
            "SELECT t.currency, count(*), sum(t.amount_minor::numeric)::text FROM {table} t WHERE {wheres} GROUP BY t.currency"
        ),
    };
    let mut totals = ListTotals::default();
    for r in c.query(&sql, &refs(&params))? {
        totals.count += r.try_get::<_, i64>(1)?;
        let sum = r.try_get::<_, Option<String>>(2)?.and_then(|t| t.parse::<i128>().ok());
        if let (Some(currency), Some(sum)) = (r.try_get::<_, Option<String>>(0)?, sum.filter(|s| *s != 0)) {
            totals.sums.push((currency, sum));
        }
    }
    totals.sums.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(totals)
}

/// How many records `filter` and `within` match per value of its field
/// (`Records::count_by_value`).
pub(crate) fn count_by_value_in(
    c: &mut impl GenericClient,
    stmts: &StatementCache,
    entity: Entity,
    vis: &Visibility,
    filter: &ListFilter,
    within: &crate::domain::field_filter::FieldCondition,
) -> Result<Vec<(String, i64)>> {
    let whole = ListFilter { before_id: None, after_id: None, ..filter.clone() };
    let Some((wheres, mut params)) = list_where(c, stmts, entity, vis, &whole)? else {
        return Ok(vec![]);
    };
    let mut param = |p: CondParam| {
        params.push(match p {
            CondParam::Int(n) => Box::new(n),
            CondParam::Text(t) => Box::new(t),
        });
        format!("${}", params.len())
    };
    let sql =
        crate::store::custom_fields::count_by_value_sql(entity.table(), &wheres, within, Dialect::Postgres, &mut param);
    let rows = c.query(&sql, &refs(&params))?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

/// How many records `filter` matches (ignoring its limit and pages).
pub(crate) fn list_count_in(
    c: &mut impl GenericClient,
    stmts: &StatementCache,
    entity: Entity,
    vis: &Visibility,
    filter: &ListFilter,
) -> Result<i64> {
    // Counting uses the same WHERE builder as listing, so the two cannot disagree.
    let Some((wheres, params)) = list_where(c, stmts, entity, vis, filter)? else {
        return Ok(0);
    };
    let sql = format!("SELECT count(*) FROM {} t WHERE {wheres}", counted_rows(entity, vis));
    let st = prepared(c, stmts, &sql)?;
    Ok(c.query_one(&st, &refs(&params))?.try_get(0)?)
}

/// What a count reads: the table, or for a user who sees some responsibles' records (`$1`,
/// as `list_where` numbers it) their records and nobody's as two index-only scans of
/// `(responsible_id, stage_id, next_activity_at, …)`. Written as one condition with OR, the
/// server read every matching row from the table (14 ms for a tenth of 100k leads, against
/// 4.5 ms).
fn counted_rows(entity: Entity, vis: &Visibility) -> String {
    let table = entity.table();
    match vis {
        Visibility::ResponsibleIn(_) => format!(
            "(SELECT * FROM {table} WHERE responsible_id = ANY($1) UNION ALL SELECT * FROM {table} WHERE responsible_id IS NULL)"
        ),
        _ => table.to_string(),
    }
}

/// The activities board's six counts of open records (`Engine::activity_board_counts`): by
/// next activity before `bounds[0]`, between each two bounds, after the last, and none. One
/// statement: one snapshot, one pass over the open stages' index, one round trip.
pub(crate) fn board_counts_in(
    c: &mut impl GenericClient,
    stmts: &StatementCache,
    entity: Entity,
    vis: &Visibility,
    bounds: [UnixMs; 4],
) -> Result<[i64; 6]> {
    // A deal's board (CRM simple mode) holds every pipeline's.
    let filter = ListFilter { open_stages_only: true, all_pipelines: entity == Entity::Deal, ..Default::default() };
    let Some((wheres, mut params)) = list_where(c, stmts, entity, vis, &filter)? else {
        return Ok([0; 6]);
    };
    let first = params.len() + 1;
    let b: Vec<String> = (first..first + bounds.len()).map(|n| format!("${n}")).collect();
    for v in bounds {
        params.push(Box::new(v));
    }
    let next = next_activity_sql();
    let sql = format!(
        "SELECT count(*) FILTER (WHERE {next} < {b0}), \
         count(*) FILTER (WHERE {next} >= {b0} AND {next} < {b1}), \
         count(*) FILTER (WHERE {next} >= {b1} AND {next} < {b2}), \
         count(*) FILTER (WHERE {next} >= {b2} AND {next} < {b3}), \
         count(*) FILTER (WHERE {next} >= {b3}), count(*) FILTER (WHERE {next} IS NULL) \
         FROM {table} t WHERE {wheres}",
        b0 = b[0],
        b1 = b[1],
        b2 = b[2],
        b3 = b[3],
        table = counted_rows(entity, vis),
    );
    let st = prepared(c, stmts, &sql)?;
    let r = c.query_one(&st, &refs(&params))?;
    let mut out = [0i64; 6];
    for (i, n) in out.iter_mut().enumerate() {
        *n = r.try_get(i)?;
    }
    Ok(out)
}
