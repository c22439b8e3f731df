//! Lists by fields of the team's own (SPEC V2): a page sorted by a field, read from its order
//! index, and the values of the fields a list shows as columns.

use super::list::{PageQuery, keeps_many};
use super::*;
use crate::store::custom_fields::fill_columns;

/// The ids of a page of a list sorted by a field of the team's own; `None` for the other
/// sorts. The records holding a value come first, in the order of their keys read from the
/// field's order index (`custom_values_order`); those without one after them, newest first
/// (whichever way the sort goes: an empty value is never the answer sought).
pub(super) fn field_page(q: &PageQuery) -> Result<Option<Vec<i64>>> {
    let PageQuery { conn, entity, filter, sort, wheres, params, limit, offset } = *q;
    let SortField::Field(field) = sort.key else { return Ok(None) };
    let dir = if sort.reverse { "DESC" } else { "ASC" };
    let table = entity.table();
    let n = params.len();
    // A range on the sorted field itself bounds the walk of its index (the condition stays
    // in the filter too).
    let mut bounds = String::new();
    let mut bound_args: Vec<Sql> = Vec::new();
    let on_field = crate::domain::field_filter::ConditionOn::Custom(field);
    for c in filter.fields.iter().filter(|c| c.on == on_field) {
        if let crate::domain::field_filter::FieldTest::Range { from, to } = &c.test {
            for (bound, op_in, op_out) in [(from, ">=", ">"), (to, "<=", "<")] {
                if let Some((key, included)) = bound {
                    bound_args.push(Sql::Text(key.clone()));
                    let op = if *included { op_in } else { op_out };
                    bounds.push_str(&format!(" AND v.sort_key {op} ?{}", n + 3 + bound_args.len()));
                }
            }
        }
    }
    // Which of the field's values belong to records the filter keeps. A filter that keeps
    // many (`keeps_many`), or bounds the walk, walks the field's order index and looks each
    // record up until the page is full; one that keeps few is read first, as a set the values are checked
    // against. A join let SQLite look each value up in that set the slow way: 48 s for the
    // hot leads of the New stage at 100k. Unfiltered, every value is one.
    let kept = if wheres == "1" {
        String::new()
    } else if !bounds.is_empty() || keeps_many(conn, entity, wheres, params)? {
        format!(" AND EXISTS (SELECT 1 FROM {table} t WHERE t.id = v.entity_id AND {wheres})")
    } else {
        format!(" AND v.entity_id IN (SELECT t.id FROM {table} t WHERE {wheres})")
    };
    let hint = if kept.starts_with(" AND EXISTS") { " INDEXED BY custom_values_order" } else { "" };
    let holding = format!("FROM custom_values v{hint} WHERE v.field_id = ?{}{kept}{bounds}", n + 1);
    let page_sql = format!(
        "SELECT v.entity_id {holding} ORDER BY v.sort_key {dir}, v.entity_id {dir} LIMIT ?{} OFFSET ?{}",
        n + 2,
        n + 3
    );
    let mut args = params.to_vec();
    args.extend([Sql::Integer(field), Sql::Integer(limit as i64), Sql::Integer(offset as i64)]);
    args.extend(bound_args.iter().cloned());
    let mut ids: Vec<i64> = conn
        .prepare_cached(&page_sql)?
        .query_map(params_from_iter(args.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if ids.len() >= limit {
        return Ok(Some(ids));
    }
    // The records holding a value end on this page: the page goes on with the others.
    let holders = if ids.is_empty() {
        let count_sql = format!("SELECT count(*) FROM custom_values v WHERE v.field_id = ?{}{kept}", n + 1);
        let n: i64 =
            conn.prepare_cached(&count_sql)?.query_row(params_from_iter(args[..n + 1].iter()), |r| r.get(0))?;
        // (The bounds only shorten the walk: every record holding a value in range is one the
        // condition keeps, the others are not kept at all.)
        n as usize
    } else {
        offset + ids.len()
    };
    let skip = offset.saturating_sub(holders);
    let rest_sql = format!(
        "SELECT t.id FROM {table} t WHERE {wheres} AND t.id NOT IN (SELECT entity_id FROM custom_values WHERE field_id = ?{}) \
         ORDER BY t.id DESC LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2,
        n + 3
    );
    let mut args = params.to_vec();
    args.extend([Sql::Integer(field), Sql::Integer((limit - ids.len()) as i64), Sql::Integer(skip as i64)]);
    let mut stmt = conn.prepare_cached(&rest_sql)?;
    for id in stmt.query_map(params_from_iter(args.iter()), |r| r.get::<_, i64>(0))? {
        ids.push(id?);
    }
    Ok(Some(ids))
}

/// The values of the fields a list shows as columns (`ListFilter::columns`), put on its rows.
pub(super) fn fill_field_columns(
    conn: &Connection,
    entity: Entity,
    filter: &ListFilter,
    rows: &mut [RecordSummary],
) -> Result<()> {
    if filter.columns.is_empty() || rows.is_empty() {
        return Ok(());
    }
    let fields: Vec<_> = crate::store::sqlite::custom_fields::fields_of(conn, Some(entity))?
        .into_iter()
        .filter(|f| filter.columns.contains(&f.id))
        .collect();
    let json = |ids: Vec<i64>| serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(
        "SELECT v.field_id, v.entity_id, v.value FROM custom_values v \
         WHERE v.field_id IN (SELECT value FROM json_each(?1)) AND v.entity_id IN (SELECT value FROM json_each(?2)) \
         AND v.value IS NOT NULL",
    )?;
    let values = stmt
        .query_map(
            params![json(fields.iter().map(|f| f.id).collect()), json(rows.iter().map(|r| r.id).collect())],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    fill_columns(rows, &fields, values);
    Ok(())
}
