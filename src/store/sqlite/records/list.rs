//! The list query planner: a filter, a sort and a page of records as SQL (keyset or offset,
//! the order's index when the filter keeps many records, a page group by group), limited to
//! what the user may see.

use super::by_field::{field_page, fill_field_columns};
use super::*;
use crate::store::custom_fields::{CondParam, Dialect, condition_sql};
use crate::store::records::{client_ref_of, client_ref_sql};

/// SQL condition (and its parameters) limiting `alias` to what `vis` allows.
pub(crate) fn visibility_sql(vis: &Visibility, alias: &str) -> (String, Vec<Sql>) {
    match vis {
        Visibility::All => ("1".into(), vec![]),
        Visibility::None => ("0".into(), vec![]),
        Visibility::ResponsibleIn(ids) => {
            let marks = vec!["?"; ids.len()].join(", ");
            (
                format!("({alias}.responsible_id IN ({marks}) OR {alias}.responsible_id IS NULL)"),
                ids.iter().map(|i| Sql::Integer(*i)).collect(),
            )
        }
    }
}

/// `sql` with each bare `?` numbered, the first `?{first}`.
fn numbered(sql: &str, first: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = first;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '?' && !chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            out.push_str(&next.to_string());
            next += 1;
        }
    }
    out
}

/// SQL (over alias `t`) of the deadline of a record's nearest open activity: a column kept
/// up to date by `activities::refresh_next` (schema version 2).
pub(super) fn next_activity_sql(_entity: Entity) -> String {
    "t.next_activity_at".to_string()
}

/// The WHERE clause and parameters of a list filter (visibility included); `None` when the
/// filter can match nothing (an empty search). Shared by listing and counting.
pub(crate) fn list_where(
    conn: &Connection,
    entity: Entity,
    vis: &Visibility,
    filter: &ListFilter,
) -> Result<Option<(String, Vec<Sql>)>> {
    let tag = search::tag(entity);
    let (vis_sql, mut params) = visibility_sql(vis, "t");
    // Numbered, as every parameter of the clause is: a page query puts the clause after
    // parameters of its own (a sort by a field), where a bare `?` would take their numbers.
    let mut wheres = vec![numbered(&vis_sql, 1)];
    let mut add = |cond: String, v: Sql, params: &mut Vec<Sql>| {
        params.push(v);
        wheres.push(cond.replace("?", &format!("?{}", params.len())));
    };
    let pipeline = if entity == Entity::Deal || entity == Entity::Lead {
        Some(refs::resolve_pipeline(conn, entity, filter.pipeline.as_deref())?)
    } else {
        None
    };
    if entity == Entity::Deal
        && !filter.all_pipelines
        && let Some(p) = &pipeline
    {
        add("t.pipeline_id = ?".into(), Sql::Integer(p.id), &mut params);
    }
    if let Some(stage) = &filter.stage {
        let p = pipeline.as_ref().ok_or(StoreError::Rule(Rule::NoStages { entity }))?;
        let s = refs::resolve_stage(conn, p.id, stage)?;
        add("t.stage_id = ?".into(), Sql::Integer(s.id), &mut params);
    }
    if let Some(u) = &filter.responsible {
        let (id, _) = refs::resolve_user(conn, u).map_err(|e| rename_field(e, "responsible"))?;
        add("t.responsible_id = ?".into(), Sql::Integer(id), &mut params);
    }
    if let Some(s) = &filter.source {
        let src = refs::resolve_source(conn, s)?;
        add("t.source_id = ?".into(), Sql::Integer(src.id), &mut params);
    }
    if let Some(r) = filter.repeat {
        if entity != Entity::Lead {
            return Err(StoreError::Rule(Rule::OnlyLeadsRepeat));
        }
        add("t.is_repeat = ?".into(), Sql::Integer(r as i64), &mut params);
    }
    if let Some(from) = filter.created_from {
        add("t.created_at >= ?".into(), Sql::Integer(from), &mut params);
    }
    if let Some(to) = filter.created_to {
        add("t.created_at < ?".into(), Sql::Integer(to), &mut params);
    }
    if (filter.stage_kind.is_some() || filter.closed_from.is_some() || filter.closed_to.is_some())
        && !entity.has_stages()
    {
        return Err(StoreError::Rule(Rule::NoStages { entity }));
    }
    if let Some(kind) = filter.stage_kind {
        add(
            "t.stage_id IN (SELECT id FROM stages WHERE semantics = ?)".into(),
            Sql::Text(kind.code().into()),
            &mut params,
        );
    }
    if let Some(from) = filter.closed_from {
        add("t.closed_at >= ?".into(), Sql::Integer(from), &mut params);
    }
    if let Some(to) = filter.closed_to {
        add("t.closed_at < ?".into(), Sql::Integer(to), &mut params);
    }
    if let Some(text) = &filter.search {
        match search::fts_query(text) {
            Some(q) => add(
                format!("t.id IN (SELECT rowid / 4 FROM search WHERE search MATCH ? AND rowid % 4 = {tag})"),
                Sql::Text(q),
                &mut params,
            ),
            None => return Ok(None),
        }
    }
    if let Some(reason) = filter.reason.as_ref().filter(|_| entity.has_stages()) {
        add(
            "lower(t.stage_description) = lower(?) AND t.stage_id IN (SELECT id FROM stages WHERE semantics = 'failure')"
                .into(),
            Sql::Text(reason.clone()),
            &mut params,
        );
    }
    if let Some(before) = filter.before_id {
        add("t.id < ?".into(), Sql::Integer(before), &mut params);
    }
    if let Some(after) = filter.after_id {
        add("t.id > ?".into(), Sql::Integer(after), &mut params);
    }
    // Conditions without parameters join after the last `add`.
    let mut plain: Vec<String> = Vec::new();
    if filter.open_stages_only && entity.has_stages() {
        plain.push("t.stage_id IN (SELECT id FROM stages WHERE semantics = 'in_progress')".into());
    }
    if filter.hide_failed && entity.has_stages() {
        plain.push("t.stage_id NOT IN (SELECT id FROM stages WHERE semantics = 'failure')".into());
    }
    match filter.next_activity {
        Some(NextActivity::Nothing) => plain.push(format!("{} IS NULL", next_activity_sql(entity))),
        Some(NextActivity::Between(from, to)) => {
            plain.push(format!("{} IS NOT NULL", next_activity_sql(entity)));
            if let Some(f) = from {
                add(format!("{} >= ?", next_activity_sql(entity)), Sql::Integer(f), &mut params);
            }
            if let Some(t) = to {
                add(format!("{} < ?", next_activity_sql(entity)), Sql::Integer(t), &mut params);
            }
        }
        None => {}
    }
    wheres.extend(plain);
    for c in &filter.fields {
        let mut param = |p: CondParam| {
            params.push(match p {
                CondParam::Int(id) => Sql::Integer(id),
                CondParam::Text(t) => Sql::Text(t),
            });
            format!("?{}", params.len())
        };
        wheres.push(condition_sql(c, Dialect::Sqlite, &mut param));
    }
    Ok(Some((wheres.join(" AND "), params)))
}

/// `INDEXED BY` the index of the lead list's order (title, amount: migration 0008), when
/// walking it in order beats what SQLite picks by itself: with a filter (a stage, a user),
/// SQLite reads the filter's index and sorts what it finds, which took 80 ms for the 30,000
/// new leads of the 100k demo sorted by title. Walking the order's index and skipping the
/// others finds a page after about 100 × (all / kept) entries: the better way when the
/// filter keeps one record in 20 or more. Empty for other orders, or without a filter.
pub(super) fn order_index_hint(
    conn: &Connection,
    entity: Entity,
    filter: &ListFilter,
    wheres: &str,
    params: &[Sql],
) -> Result<&'static str> {
    let index = match filter.sort {
        Some(ListSort { key: SortField::Title, .. }) => " INDEXED BY leads_title_order",
        Some(ListSort { key: SortField::Amount, .. }) => " INDEXED BY leads_amount_order",
        _ => return Ok(""),
    };
    if entity != Entity::Lead || wheres == "1" {
        return Ok("");
    }
    Ok(if keeps_many(conn, entity, wheres, params)? { index } else { "" })
}

/// Whether a filter keeps one record in 20 or more: then walking an order's index and
/// skipping the others finds a page sooner than reading what the filter keeps and sorting
/// it. The highest id stands for the number of records, without counting them; the kept
/// ones are counted up to the threshold only (a filter's columns may need a lookup per
/// record).
pub(super) fn keeps_many(conn: &Connection, entity: Entity, wheres: &str, params: &[Sql]) -> Result<bool> {
    let table = entity.table();
    let all: i64 =
        conn.prepare_cached(&format!("SELECT coalesce(max(id), 0) FROM {table}"))?.query_row([], |r| r.get(0))?;
    let enough = (all / 20).max(1);
    let kept: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM (SELECT 1 FROM {table} t WHERE {wheres} LIMIT {enough})"))?
        .query_row(params_from_iter(params.iter()), |r| r.get(0))?;
    Ok(kept >= enough)
}

/// ORDER BY of a list page (over alias `t`), for the orders `group_page` and `merged_page`
/// do not take.
pub(super) fn order_sql(entity: Entity, title: &str, filter: &ListFilter) -> String {
    let Some(ListSort { key, reverse }) = filter.sort else {
        return if filter.after_id.is_some() || filter.oldest_first { "t.id ASC" } else { "t.id DESC" }.into();
    };
    let amount_col = if entity == Entity::Company { "t.revenue_minor" } else { "t.amount_minor" };
    let expr = match key {
        SortField::Title => format!("lower(coalesce({title}, ''))"),
        SortField::Amount if entity != Entity::Contact => format!("coalesce({amount_col}, -1)"),
        // Within a due range there are no NULLs: the bare column lets SQLite read the index
        // in order; elsewhere records without an activity go last.
        SortField::NextActivity if matches!(filter.next_activity, Some(NextActivity::Between(..))) => {
            next_activity_sql(entity)
        }
        // Nothing planned: all equal, so newest first without sorting thousands of NULLs.
        SortField::NextActivity if filter.next_activity == Some(NextActivity::Nothing) => {
            return "t.id DESC".into();
        }
        SortField::NextActivity => format!("coalesce({}, 9223372036854775807)", next_activity_sql(entity)),
        // Records without a value last, whichever way the sort goes (the first term is
        // always ascending).
        SortField::Column { column, text } => {
            let value = if text { format!("prospect_fold(t.{column})") } else { format!("t.{column}") };
            format!("(t.{column} IS NULL), {value}")
        }
        // Newest; stage and responsible pages come from `group_page`, and an order the
        // entity lacks (a contact's amount) is newest too.
        _ => "t.id".to_string(),
    };
    let ascending = (key != SortField::Newest) != reverse;
    // Ties go the same way as the sort, so one index on the expression (which ends with the
    // rowid) serves both directions without sorting.
    let dir = if ascending { "ASC" } else { "DESC" };
    format!("{expr} {dir}, t.id {dir}")
}

/// What a sorted page is asked for: the list's filter and its SQL (`list_where`), the
/// order, and which rows.
#[derive(Clone, Copy)]
pub(super) struct PageQuery<'a> {
    pub(super) conn: &'a Connection,
    pub(super) entity: Entity,
    pub(super) filter: &'a ListFilter,
    pub(super) sort: ListSort,
    pub(super) wheres: &'a str,
    pub(super) params: &'a [Sql],
    pub(super) limit: usize,
    pub(super) offset: usize,
}

/// The stages of the list's pipeline, in their order (of every pipeline, one after the
/// other, for a list of them all).
pub(super) fn stages_in_order(conn: &Connection, entity: Entity, filter: &ListFilter) -> Result<Vec<i64>> {
    let pipelines = if filter.all_pipelines && entity == Entity::Deal {
        refs::pipelines(conn, entity)?
    } else {
        vec![refs::resolve_pipeline(conn, entity, filter.pipeline.as_deref())?]
    };
    let mut ids = Vec::new();
    for p in pipelines {
        ids.extend(refs::stages(conn, p.id)?.into_iter().map(|s| s.id));
    }
    Ok(ids)
}

/// The ids of a page of records due in a range, by next activity (an activities-board
/// column); `None` for other lists. SQLite read every record of the range from the
/// `(stage_id, next_activity_at, …)` index, one stage after the other, and sorted them all
/// (20,000 in a column of the 100k demo: 1–3 ms, five columns a board). Each stage's
/// records come in order from that index, so the first `offset + limit` of each are read
/// and merged here.
pub(super) fn merged_page(q: &PageQuery) -> Result<Option<Vec<i64>>> {
    let PageQuery { conn, entity, filter, sort, wheres, params, limit, offset } = *q;
    let due_in_range = matches!(filter.next_activity, Some(NextActivity::Between(..)));
    if sort.key != SortField::NextActivity || !due_in_range || !entity.has_stages() {
        return Ok(None);
    }
    let dir = if sort.reverse { "DESC" } else { "ASC" };
    let next = next_activity_sql(entity);
    let sql = format!(
        "SELECT {next}, t.id FROM {table} t WHERE {wheres} AND t.stage_id = ?{} ORDER BY {next} {dir}, t.id {dir} LIMIT ?{}",
        params.len() + 1,
        params.len() + 2,
        table = entity.table()
    );
    let mut found: Vec<(i64, i64)> = Vec::new();
    for stage in stages_in_order(conn, entity, filter)? {
        let mut args = params.to_vec();
        args.extend([Sql::Integer(stage), Sql::Integer((offset + limit) as i64)]);
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| Ok((r.get(0)?, r.get(1)?)))?;
        for row in rows {
            found.push(row?);
        }
    }
    found.sort_unstable();
    if sort.reverse {
        found.reverse();
    }
    Ok(Some(found.into_iter().skip(offset).take(limit).map(|(_, id)| id).collect()))
}

/// The ids of a page of a list sorted by stage or by responsible, in order; `None` for the
/// other sorts. Such a sort has a few groups (stages, users): sorting every record by its
/// group took 15 ms at 100k leads, as each group holds thousands. Here the groups are taken
/// in order, each read through its index newest… or oldest first: within a group, records
/// go the way the sort goes. Groups before the page are only counted.
pub(super) fn group_page(q: &PageQuery) -> Result<Option<Vec<i64>>> {
    let PageQuery { conn, entity, filter, sort, wheres, params, limit, offset } = *q;
    let (column, mut groups): (&str, Vec<Option<i64>>) = match sort.key {
        SortField::Stage if entity.has_stages() => {
            ("t.stage_id", stages_in_order(conn, entity, filter)?.into_iter().map(Some).collect())
        }
        SortField::Responsible => {
            // Nobody first, then by login (as the column compares: without case).
            let mut stmt = conn.prepare_cached("SELECT id FROM users ORDER BY login, id")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
            ("t.responsible_id", std::iter::once(None).chain(ids.into_iter().map(Some)).collect())
        }
        _ => return Ok(None),
    };
    if sort.reverse {
        groups.reverse();
    }
    let dir = if sort.reverse { "DESC" } else { "ASC" };
    let table = entity.table();
    let group_where = format!("{wheres} AND {column} IS ?{}", params.len() + 1);
    let count_sql = format!("SELECT count(*) FROM {table} t WHERE {group_where}");
    let page_sql = format!(
        "SELECT t.id FROM {table} t WHERE {group_where} ORDER BY t.id {dir} LIMIT ?{} OFFSET ?{}",
        params.len() + 2,
        params.len() + 3
    );
    let mut ids = Vec::with_capacity(limit);
    let mut skip = offset;
    for group in groups {
        if ids.len() >= limit {
            break;
        }
        let mut args = params.to_vec();
        args.push(group.map_or(Sql::Null, Sql::Integer));
        if skip > 0 {
            let n: i64 = conn.prepare_cached(&count_sql)?.query_row(params_from_iter(args.iter()), |r| r.get(0))?;
            if n as usize <= skip {
                skip -= n as usize;
                continue;
            }
        }
        args.push(Sql::Integer((limit - ids.len()) as i64));
        args.push(Sql::Integer(skip as i64));
        skip = 0;
        let mut stmt = conn.prepare_cached(&page_sql)?;
        let found = stmt.query_map(params_from_iter(args.iter()), |r| r.get::<_, i64>(0))?;
        for id in found {
            ids.push(id?);
        }
    }
    Ok(Some(ids))
}

pub(super) fn list_in(
    conn: &Connection,
    entity: Entity,
    vis: &Visibility,
    filter: &ListFilter,
) -> Result<Vec<RecordSummary>> {
    let first_comm = |kind: &str| {
        format!(
            "(SELECT value FROM comms c WHERE c.entity = '{}' AND c.entity_id = t.id AND c.kind = '{kind}' ORDER BY c.sort LIMIT 1)",
            entity.code()
        )
    };
    let (title, stage_join, stage_cols, amount, client, repeat) = match entity {
        Entity::Lead => (
            "t.title",
            "JOIN stages s ON s.id = t.stage_id",
            "s.name, s.code",
            "t.amount_minor, t.currency",
            "coalesce(nullif(t.company_title, ''), trim(coalesce(t.first_name, '') || ' ' || coalesce(t.last_name, '')))",
            "t.is_repeat",
        ),
        Entity::Deal => (
            "t.title",
            "JOIN stages s ON s.id = t.stage_id",
            "s.name, s.code",
            "t.amount_minor, t.currency",
            "coalesce((SELECT title FROM companies WHERE id = t.company_id), (SELECT trim(first_name || ' ' || last_name) FROM contacts WHERE id = t.contact_id), '')",
            "0",
        ),
        Entity::Contact => (
            "trim(t.first_name || ' ' || t.last_name)",
            "",
            "NULL, NULL",
            "NULL, NULL",
            "coalesce((SELECT co.title FROM contact_companies cc JOIN companies co ON co.id = cc.company_id WHERE cc.contact_id = t.id ORDER BY co.id LIMIT 1), '')",
            "0",
        ),
        Entity::Company => {
            ("t.title", "", "NULL, NULL", "t.revenue_minor, t.currency", "coalesce(t.industry, '')", "0")
        }
    };
    let Some((wheres, params)) = list_where(conn, entity, vis, filter)? else {
        return Ok(vec![]);
    };
    let offset = if filter.sort.is_some() { filter.offset } else { 0 };
    let limit = if filter.limit == 0 { 50 } else { filter.limit };
    let next = next_activity_sql(entity);
    // Sorted by stage or responsible, the page is picked group by group (`group_page`); by
    // next activity within a due range, stage by stage and merged (`merged_page`). Either
    // way it is then read in that order.
    let grouped = match filter.sort {
        Some(sort) => {
            let q = PageQuery { conn, entity, filter, sort, wheres: &wheres, params: &params, limit, offset };
            match group_page(&q)? {
                Some(ids) => Some(ids),
                None => match merged_page(&q)? {
                    Some(ids) => Some(ids),
                    None => field_page(&q)?,
                },
            }
        }
        None => None,
    };
    let (page, order, params) = match grouped {
        Some(ids) => (
            "SELECT value AS page_id, key AS page_at FROM json_each(?1)".to_string(),
            "page.page_at".to_string(),
            vec![Sql::Text(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()))],
        ),
        None => {
            let order = order_sql(entity, title, filter);
            let hint = order_index_hint(conn, entity, filter, &wheres, &params)?;
            (
                format!(
                    "SELECT t.id AS page_id FROM {table} t{hint} WHERE {wheres} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
                    table = entity.table()
                ),
                order,
                params,
            )
        }
    };
    // The page's ids first, then its columns: the per-row subqueries (phone, e-mail, client,
    // responsible) run for the rows shown, not for every row the sort had to look at. The
    // page needs no stage (no condition reads `s`): with the join, SQLite read the whole
    // table through a stage index, a lookup per record (a sort by title took 131 ms at 100k).
    let sql = format!(
        "SELECT t.id, {title}, {stage_cols}, {amount}, (SELECT login FROM users WHERE id = t.responsible_id), {client}, \
         {phone}, {email}, {repeat}, t.created_at, t.version, {next}, {client_ref} \
         FROM ({page}) page \
         JOIN {table} t ON t.id = page.page_id {stage_join} ORDER BY {order}",
        phone = first_comm("phone"),
        email = first_comm("email"),
        client_ref = client_ref_sql(entity),
        table = entity.table(),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
        let id: i64 = r.get(0)?;
        let title: Option<String> = r.get(1)?;
        Ok(RecordSummary {
            id,
            title: display_title(entity, id, title.as_deref()),
            stage: r.get(2)?,
            stage_code: r.get(3)?,
            // Anything but a whole number (written by another tool: `db check` names it)
            // reads as no amount rather than failing the whole page.
            amount_minor: r.get_ref(4)?.as_i64_or_null().unwrap_or(None),
            currency: r.get(5)?,
            responsible: r.get(6)?,
            client: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
            phone: r.get(8)?,
            email: r.get(9)?,
            is_repeat: r.get(10)?,
            created_at: r.get(11)?,
            version: r.get(12)?,
            next_activity: r.get(13)?,
            client_ref: client_ref_of(r.get::<_, Option<String>>(14)?, r.get(15)?),
            fields: Default::default(),
        })
    })?;
    let mut rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    fill_field_columns(conn, entity, filter, &mut rows)?;
    Ok(rows)
}

/// What `filter` matches in all: its count and the sum of its amounts per currency (the
/// list's header).
pub(super) fn list_totals_in(
    conn: &Connection,
    entity: Entity,
    vis: &Visibility,
    filter: &ListFilter,
) -> Result<ListTotals> {
    let whole = ListFilter { before_id: None, after_id: None, ..filter.clone() };
    let Some((wheres, params)) = list_where(conn, entity, vis, &whole)? else {
        return Ok(ListTotals::default());
    };
    let amount = match entity {
        Entity::Contact => None,
        Entity::Company => Some("t.revenue_minor"),
        Entity::Lead | Entity::Deal => Some("t.amount_minor"),
    };
    // The whole lead list of a user who sees every lead: the Kanban's kept column
    // totals say it in a few rows (counting 100k leads took 27 ms). A column whose sum
    // the file could not keep (NULL: past 64 bits) is counted from the leads.
    if entity == Entity::Lead && wheres == "1" {
        let mut stmt = conn.prepare_cached(
            "SELECT st.currency, st.records, st.amount_minor FROM stage_totals st \
             JOIN stages s ON s.id = st.stage_id JOIN pipelines p ON p.id = s.pipeline_id \
             WHERE p.entity = 'lead' AND st.records <> 0",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get_ref(2)?.as_i64_or_null().unwrap_or(None)))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if let Some(totals) = ListTotals::from_kept(rows) {
            return Ok(totals);
        }
    }
    let Some(amount) = amount else {
        let sql = format!("SELECT count(*) FROM {} t WHERE {wheres}", entity.table());
        let count = conn.prepare_cached(&sql)?.query_row(params_from_iter(params.iter()), |r| r.get(0))?;
        return Ok(ListTotals { count, sums: vec![] });
    };
    let sql = format!(
        "SELECT t.currency, count(*), {} FROM {} t WHERE {wheres} GROUP BY t.currency",
        super::super::totals::split_sum_sql(amount),
        entity.table()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
        Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?, super::super::totals::split_sum(r, 2)?))
    })?;
    let mut totals = ListTotals::default();
    for row in rows {
        let (currency, count, sum) = row?;
        totals.count += count;
        if let (Some(c), Some(sum)) = (currency, sum.filter(|s| *s != 0)) {
            totals.sums.push((c, sum));
        }
    }
    totals.sums.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(totals)
}
