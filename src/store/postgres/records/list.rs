//! The list query: a filter, a sort and a page of records as SQL (keyset or offset), limited
//! to what the user may see. The rows and their order are `sqlite::records::list`'s; the
//! file's index hints and group-by-group pages are its own tricks, which PostgreSQL's planner
//! does not need.

use super::*;
use crate::store::custom_fields::{CondParam, Dialect, condition_sql, fill_columns};
use crate::store::records::{ListSort, NextActivity, SortField};
use crate::store::records::{client_ref_of, client_ref_sql};

/// SQL (over alias `t`) of the deadline of a record's nearest open activity.
pub(super) fn next_activity_sql() -> &'static str {
    "t.next_activity_at"
}

/// Adds condition `cond` whose one `?` is `v`.
fn add(wheres: &mut Vec<String>, cond: &str, v: Box<dyn ToSql + Sync>, params: &mut Params) {
    params.push(v);
    wheres.push(cond.replace('?', &format!("${}", params.len())));
}

/// The WHERE clause and parameters of a list filter (visibility included); `None` when the
/// filter can match nothing (an empty search). Shared by listing and counting.
pub(crate) fn list_where(
    c: &mut impl GenericClient,
    stmts: &StatementCache,
    entity: Entity,
    vis: &Visibility,
    filter: &ListFilter,
) -> Result<Option<(String, Params)>> {
    let (vis_sql, mut params) = visibility_sql(vis, "t", 1);
    let mut wheres = vec![vis_sql];
    // The pipeline matters to deals, to a stage's code and to a named pipeline: a lead list
    // without them does not ask for it (one round trip less).
    let wanted = entity == Entity::Deal || filter.stage.is_some() || filter.pipeline.is_some();
    let pipeline = if entity.has_stages() && wanted {
        Some(match filter.pipeline.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(_) => refs::resolve_pipeline(c, entity, filter.pipeline.as_deref())?,
            None => first_pipeline(c, stmts, entity)?,
        })
    } else {
        None
    };
    if entity == Entity::Deal
        && !filter.all_pipelines
        && let Some(p) = &pipeline
    {
        add(&mut wheres, "t.pipeline_id = ?", Box::new(p.id), &mut params);
    }
    if let Some(stage) = &filter.stage {
        let p = pipeline.as_ref().ok_or(StoreError::Rule(Rule::NoStages { entity }))?;
        let s = refs::resolve_stage(c, p.id, stage)?;
        add(&mut wheres, "t.stage_id = ?", Box::new(s.id), &mut params);
    }
    if let Some(u) = &filter.responsible {
        let (id, _) = refs::resolve_user(c, u).map_err(|e| rename_field(e, "responsible"))?;
        add(&mut wheres, "t.responsible_id = ?", Box::new(id), &mut params);
    }
    if let Some(s) = &filter.source {
        let src = refs::resolve_source(c, s)?;
        add(&mut wheres, "t.source_id = ?", Box::new(src.id), &mut params);
    }
    if let Some(reason) = filter.reason.as_ref().filter(|_| entity.has_stages()) {
        add(
            &mut wheres,
            "lower(t.stage_description) = lower(?) AND t.stage_id IN (SELECT id FROM stages WHERE semantics = 'failure')",
            Box::new(reason.clone()),
            &mut params,
        );
    }
    if let Some(r) = filter.repeat {
        if entity != Entity::Lead {
            return Err(StoreError::Rule(Rule::OnlyLeadsRepeat));
        }
        add(&mut wheres, "t.is_repeat = ?", Box::new(r), &mut params);
    }
    if let Some(from) = filter.created_from {
        add(&mut wheres, "t.created_at >= ?", Box::new(from), &mut params);
    }
    if let Some(to) = filter.created_to {
        add(&mut wheres, "t.created_at < ?", Box::new(to), &mut params);
    }
    if (filter.stage_kind.is_some() || filter.closed_from.is_some() || filter.closed_to.is_some())
        && !entity.has_stages()
    {
        return Err(StoreError::Rule(Rule::NoStages { entity }));
    }
    if let Some(kind) = filter.stage_kind {
        let cond = "t.stage_id IN (SELECT id FROM stages WHERE semantics = ?)";
        add(&mut wheres, cond, Box::new(kind.code().to_string()), &mut params);
    }
    if let Some(from) = filter.closed_from {
        add(&mut wheres, "t.closed_at >= ?", Box::new(from), &mut params);
    }
    if let Some(to) = filter.closed_to {
        add(&mut wheres, "t.closed_at < ?", Box::new(to), &mut params);
    }
    if let Some(text) = &filter.search {
        match search::list_condition(entity, text, params.len() + 1) {
            Some((cond, q)) => {
                params.push(Box::new(q));
                wheres.push(cond);
            }
            None => return Ok(None),
        }
    }
    if let Some(before) = filter.before_id {
        add(&mut wheres, "t.id < ?", Box::new(before), &mut params);
    }
    if let Some(after) = filter.after_id {
        add(&mut wheres, "t.id > ?", Box::new(after), &mut params);
    }
    let next = next_activity_sql();
    match filter.next_activity {
        Some(NextActivity::Nothing) => wheres.push(format!("{next} IS NULL")),
        Some(NextActivity::Between(from, to)) => {
            wheres.push(format!("{next} IS NOT NULL"));
            if let Some(f) = from {
                add(&mut wheres, &format!("{next} >= ?"), Box::new(f), &mut params);
            }
            if let Some(t) = to {
                add(&mut wheres, &format!("{next} < ?"), Box::new(t), &mut params);
            }
        }
        None => {}
    }
    if filter.open_stages_only && entity.has_stages() {
        wheres.push("t.stage_id IN (SELECT id FROM stages WHERE semantics = 'in_progress')".into());
    }
    if filter.hide_failed && entity.has_stages() {
        wheres.push("t.stage_id NOT IN (SELECT id FROM stages WHERE semantics = 'failure')".into());
    }
    for cond in &filter.fields {
        let mut param = |p: CondParam| {
            params.push(match p {
                CondParam::Int(id) => Box::new(id),
                CondParam::Text(t) => Box::new(t),
            });
            format!("${}", params.len())
        };
        wheres.push(condition_sql(cond, Dialect::Postgres, &mut param));
    }
    Ok(Some((wheres.join(" AND "), params)))
}

/// The entity's first pipeline (`refs::resolve_pipeline` without a name), by a prepared
/// statement.
fn first_pipeline(c: &mut impl GenericClient, stmts: &StatementCache, entity: Entity) -> Result<refs::PipelineRow> {
    let st = prepared(c, stmts, "SELECT id, name::text FROM pipelines WHERE entity = $1 ORDER BY sort, id LIMIT 1")?;
    c.query_opt(&st, &[&entity.code()])?
        .map(|r| Ok::<_, StoreError>(refs::PipelineRow { id: r.try_get(0)?, entity, name: r.try_get(1)? }))
        .transpose()?
        .ok_or(StoreError::Rule(Rule::NoPipeline { entity }))
}

/// ORDER BY of a list page (over alias `t`) for the orders `group_page` does not take: the
/// order `sqlite::records::list` gives, ties by id the way the sort goes. Text compares by
/// code point (`COLLATE "C"`), as in a file.
fn order_sql(entity: Entity, title: &str, filter: &ListFilter) -> String {
    let Some(ListSort { key, reverse }) = filter.sort else {
        return if filter.after_id.is_some() || filter.oldest_first { "t.id ASC" } else { "t.id DESC" }.into();
    };
    let amount_col = if entity == Entity::Company { "t.revenue_minor" } else { "t.amount_minor" };
    let next = next_activity_sql();
    let dir = if reverse { "DESC" } else { "ASC" };
    let exprs: Vec<String> = match key {
        SortField::Title => vec![format!("lower(coalesce({title}, '')) COLLATE \"C\"")],
        SortField::Amount if entity != Entity::Contact => vec![format!("coalesce({amount_col}, -1)")],
        SortField::NextActivity if matches!(filter.next_activity, Some(NextActivity::Between(..))) => {
            vec![next.to_string()]
        }
        // Nothing planned: all equal, so newest first.
        SortField::NextActivity if filter.next_activity == Some(NextActivity::Nothing) => {
            return "t.id DESC".into();
        }
        SortField::NextActivity => vec![format!("coalesce({next}, 9223372036854775807)")],
        // Records without a value last, whichever way the sort goes.
        SortField::Column { column, text } => {
            let value = if text { format!("lower(t.{column}::text) COLLATE \"C\"") } else { format!("t.{column}") };
            let empty = if reverse { "IS NOT NULL" } else { "IS NULL" };
            vec![format!("(t.{column} {empty})"), value]
        }
        _ => vec![],
    };
    if exprs.is_empty() {
        // Newest, or an order the entity lacks (a contact's amount): by id.
        let ascending = (key != SortField::Newest) != reverse;
        return format!("t.id {}", if ascending { "ASC" } else { "DESC" });
    }
    let mut parts: Vec<String> = exprs.into_iter().map(|e| format!("{e} {dir}")).collect();
    parts.push(format!("t.id {dir}"));
    parts.join(", ")
}

/// The ids of a page of a list sorted by stage or by responsible, in order; `None` for the
/// other sorts. Such a sort has a few groups (stages, users) of many records each: rather
/// than sorting every record by its group, the groups are taken in order, each read through
/// its index (`leads_stage`, `leads_responsible`…) newest… or oldest first, the way the sort
/// goes; groups before the page are only counted (the same rows and order as `order_sql`).
fn group_page(
    c: &mut impl GenericClient,
    entity: Entity,
    filter: &ListFilter,
    sort: ListSort,
    (wheres, params): (&str, &Params),
    limit: usize,
    offset: usize,
) -> Result<Option<Vec<i64>>> {
    let (column, mut groups): (&str, Vec<Option<i64>>) = match sort.key {
        SortField::Stage if entity.has_stages() => {
            // Every pipeline's stages, one pipeline after the other, for a list of them all.
            let pipelines = if filter.all_pipelines && entity == Entity::Deal {
                refs::pipelines(c, entity)?
            } else {
                vec![refs::resolve_pipeline(c, entity, filter.pipeline.as_deref())?]
            };
            let mut ids = Vec::new();
            for p in pipelines {
                ids.extend(refs::stages(c, p.id)?.into_iter().map(|s| Some(s.id)));
            }
            ("t.stage_id", ids)
        }
        SortField::Responsible => {
            // Nobody first, then by login (without case, as a file compares logins).
            let mut ids = vec![None];
            for r in c.query("SELECT id FROM users ORDER BY lower(login::text) COLLATE \"C\", id", &[])? {
                ids.push(Some(r.try_get(0)?));
            }
            ("t.responsible_id", ids)
        }
        _ => return Ok(None),
    };
    if sort.reverse {
        groups.reverse();
    }
    let dir = if sort.reverse { "DESC" } else { "ASC" };
    let table = entity.table();
    let n = params.len() + 1;
    let mut ids = Vec::with_capacity(limit);
    let mut skip = offset;
    for group in groups {
        if ids.len() >= limit {
            break;
        }
        let mut args = refs(params);
        let cond = match &group {
            Some(g) => {
                args.push(g);
                format!("{column} = ${n}")
            }
            None => format!("{column} IS NULL"),
        };
        if skip > 0 {
            let sql = format!("SELECT count(*) FROM {table} t WHERE {wheres} AND {cond}");
            let in_group: i64 = c.query_one(&sql, &args)?.try_get(0)?;
            if in_group as usize <= skip {
                skip -= in_group as usize;
                continue;
            }
        }
        let sql = format!(
            "SELECT t.id FROM {table} t WHERE {wheres} AND {cond} ORDER BY t.id {dir} LIMIT {} OFFSET {skip}",
            limit - ids.len()
        );
        skip = 0;
        for r in c.query(&sql, &args)? {
            ids.push(r.try_get::<_, i64>(0)?);
        }
    }
    Ok(Some(ids))
}

/// The ids of a page of a list sorted by a field of the team's own; `None` for the other
/// sorts: `sqlite::records::list::field_page`'s rows and order (records holding a value by
/// its key, from `custom_values_order`; the others after them, newest first).
fn field_page(
    c: &mut impl GenericClient,
    entity: Entity,
    sort: ListSort,
    (wheres, params): (&str, &Params),
    limit: usize,
    offset: usize,
) -> Result<Option<Vec<i64>>> {
    let SortField::Field(field) = sort.key else { return Ok(None) };
    let dir = if sort.reverse { "DESC" } else { "ASC" };
    let table = entity.table();
    let n = params.len() + 1;
    let mut args = refs(params);
    args.push(&field);
    // The records the filter keeps, as a set the field's values are checked against.
    let holding = format!(
        "FROM custom_values v WHERE v.field_id = ${n} AND v.entity_id IN (SELECT t.id FROM {table} t WHERE {wheres})"
    );
    let sql = format!(
        "SELECT v.entity_id {holding} ORDER BY v.sort_key {dir}, v.entity_id {dir} LIMIT {limit} OFFSET {offset}"
    );
    let mut ids: Vec<i64> =
        c.query(&sql, &args)?.iter().map(|r| r.try_get(0)).collect::<std::result::Result<_, _>>()?;
    if ids.len() >= limit {
        return Ok(Some(ids));
    }
    let holders = if ids.is_empty() {
        let n: i64 = c.query_one(&format!("SELECT count(*) {holding}"), &args)?.try_get(0)?;
        n as usize
    } else {
        offset + ids.len()
    };
    let skip = offset.saturating_sub(holders);
    let sql = format!(
        "SELECT t.id FROM {table} t WHERE {wheres} AND t.id NOT IN (SELECT entity_id FROM custom_values WHERE field_id = ${n}) \
         ORDER BY t.id DESC LIMIT {} OFFSET {skip}",
        limit - ids.len()
    );
    for r in c.query(&sql, &args)? {
        ids.push(r.try_get::<_, i64>(0)?);
    }
    Ok(Some(ids))
}

/// A page of records matching `filter`.
pub(crate) fn list_in(
    c: &mut impl GenericClient,
    stmts: &StatementCache,
    entity: Entity,
    vis: &Visibility,
    filter: &ListFilter,
) -> Result<Vec<RecordSummary>> {
    let code = entity.code();
    let first_comm = |kind: &str| {
        format!(
            "(SELECT value FROM comms c WHERE c.entity = '{code}' AND c.entity_id = t.id AND c.kind = '{kind}' ORDER BY c.sort, c.id LIMIT 1)"
        )
    };
    let (title, stage_join, stage_cols, amount, client, repeat) = match entity {
        Entity::Lead => (
            "t.title",
            "JOIN stages s ON s.id = t.stage_id",
            "s.name, s.code::text",
            "t.amount_minor, t.currency",
            "coalesce(nullif(t.company_title, ''), trim(coalesce(t.first_name, '') || ' ' || coalesce(t.last_name, '')))",
            "t.is_repeat",
        ),
        Entity::Deal => (
            "t.title",
            "JOIN stages s ON s.id = t.stage_id",
            "s.name, s.code::text",
            "t.amount_minor, t.currency",
            "coalesce((SELECT title FROM companies WHERE id = t.company_id), (SELECT trim(first_name || ' ' || last_name) FROM contacts WHERE id = t.contact_id), '')",
            "FALSE",
        ),
        Entity::Contact => (
            "trim(t.first_name || ' ' || t.last_name)",
            "",
            "NULL::text, NULL::text",
            "NULL::bigint, NULL::text",
            "coalesce((SELECT co.title FROM contact_companies cc JOIN companies co ON co.id = cc.company_id WHERE cc.contact_id = t.id ORDER BY co.id LIMIT 1), '')",
            "FALSE",
        ),
        Entity::Company => (
            "t.title",
            "",
            "NULL::text, NULL::text",
            "t.revenue_minor, t.currency",
            "coalesce(t.industry, '')",
            "FALSE",
        ),
    };
    let Some((wheres, params)) = list_where(c, stmts, entity, vis, filter)? else {
        return Ok(vec![]);
    };
    let offset = if filter.sort.is_some() { filter.offset } else { 0 };
    let limit = if filter.limit == 0 { 50 } else { filter.limit };
    let table = entity.table();
    // Sorted by stage or responsible, the page is picked group by group (`group_page`), then
    // read in that order; otherwise by one ORDER BY.
    let grouped = match filter.sort {
        Some(sort) => match group_page(c, entity, filter, sort, (&wheres, &params), limit, offset)? {
            Some(ids) => Some(ids),
            None => field_page(c, entity, sort, (&wheres, &params), limit, offset)?,
        },
        None => None,
    };
    let (page, order, params): (String, String, Params) = match grouped {
        Some(ids) => (
            "SELECT * FROM unnest($1::bigint[]) WITH ORDINALITY AS p(page_id, page_at)".into(),
            "page.page_at".into(),
            vec![Box::new(ids)],
        ),
        None => {
            let order = order_sql(entity, title, filter);
            let page = format!(
                "SELECT t.id AS page_id FROM {table} t WHERE {wheres} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
            );
            (page, order, params)
        }
    };
    // The page's ids first, then its columns: the per-row subqueries (phone, e-mail, client,
    // responsible) run for the rows shown, not for every row the sort looks at.
    let sql = format!(
        "SELECT t.id, {title}, {stage_cols}, {amount}, (SELECT login::text FROM users WHERE id = t.responsible_id), {client}, \
         {phone}, {email}, {repeat}, t.created_at, t.version, {next}, {client_ref} \
         FROM ({page}) page JOIN {table} t ON t.id = page.page_id {stage_join} ORDER BY {order}",
        phone = first_comm("phone"),
        email = first_comm("email"),
        client_ref = client_ref_sql(entity),
        next = next_activity_sql(),
    );
    let st = prepared(c, stmts, &sql)?;
    let rows = c.query(&st, &refs(&params))?;
    let mut rows = rows
        .iter()
        .map(|r| {
            let id: i64 = r.try_get(0)?;
            let title: Option<String> = r.try_get(1)?;
            Ok(RecordSummary {
                id,
                title: display_title(entity, id, title.as_deref()),
                stage: r.try_get(2)?,
                stage_code: r.try_get(3)?,
                amount_minor: r.try_get(4)?,
                currency: r.try_get(5)?,
                responsible: r.try_get(6)?,
                client: r.try_get::<_, Option<String>>(7)?.unwrap_or_default(),
                phone: r.try_get(8)?,
                email: r.try_get(9)?,
                is_repeat: r.try_get(10)?,
                created_at: r.try_get(11)?,
                version: r.try_get(12)?,
                next_activity: r.try_get(13)?,
                client_ref: client_ref_of(r.try_get::<_, Option<String>>(14)?, r.try_get(15)?),
                fields: Default::default(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if !filter.columns.is_empty() && !rows.is_empty() {
        let fields: Vec<_> = crate::store::postgres::custom_fields::fields_of(c, Some(entity))?
            .into_iter()
            .filter(|f| filter.columns.contains(&f.id))
            .collect();
        let field_ids: Vec<i64> = fields.iter().map(|f| f.id).collect();
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let values = c
            .query(
                "SELECT field_id, entity_id, value FROM custom_values \
                 WHERE field_id = ANY($1) AND entity_id = ANY($2) AND value IS NOT NULL",
                &[&field_ids, &ids],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        fill_columns(&mut rows, &fields, values);
    }
    Ok(rows)
}
