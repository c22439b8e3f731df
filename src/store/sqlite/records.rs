//! Leads, contacts, companies and deals through one generic path driven by the field specs of
//! `domain::fields`: validate, resolve references, write the row, its communications, its
//! search entry and its timeline entry in one transaction, checking `version` on updates.

use super::bulk::LookedUp;
use super::refs::{self, RefShown};
use super::rule::Rule;
use super::{Result, Store, StoreError, WriteCtx, log_change, search, timeline};
use crate::domain::access::{self, Visibility};
use crate::domain::comm::{Comm, CommKind};
use crate::domain::dedup;
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::{
    Entity, FieldKind, FieldSpec, FieldValue, InputContext, RefKind, display_title, validate_input,
};
use crate::domain::money::{Currency, Money};
use crate::domain::new_record::{NewPipeline, new_defaults};
use crate::domain::stage::{StageAt, plan_move};
use crate::domain::timeline::TimelineKind;
use crate::domain::when::{self, UnixMs};
use crate::store::engine::*;
pub(crate) use crate::store::records::*;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, Transaction, params, params_from_iter};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

fn sql_of(v: &FieldValue) -> Sql {
    match v {
        FieldValue::Null => Sql::Null,
        FieldValue::Text(t) => Sql::Text(t.clone()),
        FieldValue::Int(i) => Sql::Integer(*i),
        FieldValue::Bool(b) => Sql::Integer(*b as i64),
        FieldValue::Date(d) => Sql::Text(d.format("%Y-%m-%d").to_string()),
        FieldValue::Ref(_, t) => Sql::Text(t.clone()),
    }
}

pub(crate) fn shown_of(conn: &Connection, spec: &FieldSpec, raw: &Sql, currency: Option<Currency>) -> Result<Shown> {
    Ok(match (raw, spec.kind) {
        (Sql::Null, _) => Shown::Null,
        (Sql::Integer(i), FieldKind::Ref(kind)) => Shown::Ref(refs::describe(conn, kind, *i)?),
        (Sql::Integer(i), FieldKind::Amount) => {
            Shown::Money(Money { minor: *i, currency: currency.unwrap_or(Currency::EUR) })
        }
        (Sql::Integer(i), FieldKind::Bool) => Shown::Bool(*i != 0),
        (Sql::Integer(i), _) => Shown::Int(*i),
        (Sql::Text(t), _) => Shown::Text(t.clone()),
        (Sql::Real(r), _) => Shown::Text(r.to_string()),
        (Sql::Blob(_), _) => Shown::Null,
    })
}

fn pipeline_of(conn: &Connection, entity: Entity, id: Option<i64>) -> Result<Option<i64>> {
    match entity {
        Entity::Lead => Ok(Some(refs::resolve_pipeline(conn, Entity::Lead, None)?.id)),
        Entity::Deal => match id {
            Some(id) => Ok(conn
                .prepare_cached("SELECT pipeline_id FROM deals WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?),
            None => Ok(None),
        },
        _ => Ok(None),
    }
}

/// Raw column values of a record, by column name, plus version.
pub(crate) fn raw_row(conn: &Connection, entity: Entity, id: i64) -> Result<(i64, BTreeMap<&'static str, Sql>)> {
    let cols: Vec<&str> = entity.fields().iter().map(|f| f.column).collect();
    let sql = format!("SELECT version, {} FROM {} WHERE id = ?1", cols.join(", "), entity.table());
    let row = conn
        .prepare_cached(&sql)?
        .query_row([id], |r| {
            let version: i64 = r.get(0)?;
            let mut map = BTreeMap::new();
            for (i, c) in cols.iter().enumerate() {
                map.insert(*c, r.get::<_, Sql>(i + 1)?);
            }
            Ok((version, map))
        })
        .optional()?;
    row.ok_or(StoreError::NotFound { entity, id })
}

pub(crate) fn comms_of(conn: &Connection, entity: Entity, id: i64) -> Result<Vec<Comm>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, label, value, normalized FROM comms WHERE entity = ?1 AND entity_id = ?2 \
         ORDER BY CASE kind WHEN 'phone' THEN 0 WHEN 'email' THEN 1 WHEN 'web' THEN 2 ELSE 3 END, sort, id",
    )?;
    let rows = stmt.query_map(params![entity.code(), id], |r| {
        let kind: String = r.get(0)?;
        Ok(Comm {
            kind: CommKind::parse(&kind).unwrap_or(CommKind::Phone),
            label: r.get(1)?,
            value: r.get(2)?,
            normalized: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn write_comms(tx: &Transaction, entity: Entity, id: i64, comms: &[Comm]) -> Result<()> {
    tx.prepare_cached("DELETE FROM comms WHERE entity = ?1 AND entity_id = ?2")?.execute(params![entity.code(), id])?;
    insert_comms(tx, entity, id, comms)
}

/// Adds the phones, e-mails… of a record that has none yet (a new one).
fn insert_comms(tx: &Transaction, entity: Entity, id: i64, comms: &[Comm]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO comms (entity, entity_id, kind, label, value, normalized, sort) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, c) in comms.iter().enumerate() {
        stmt.execute(params![entity.code(), id, c.kind.code(), c.label, c.value, c.normalized, i as i64])?;
    }
    Ok(())
}

pub(crate) fn apply_comms(current: &[Comm], change: &CommsChange) -> Vec<Comm> {
    let mut out: Vec<Comm> = current
        .iter()
        .filter(|c| !change.replace.contains_key(&c.kind))
        .filter(|c| !change.remove.iter().any(|r| r.kind == c.kind && r.normalized == c.normalized))
        .cloned()
        .collect();
    for list in change.replace.values() {
        out.extend(list.iter().cloned());
    }
    for c in &change.add {
        if !out.iter().any(|o| o.kind == c.kind && o.normalized == c.normalized) {
            out.push(c.clone());
        }
    }
    out.sort_by_key(|c| c.kind);
    out
}

/// Recomputes match keys and (unless bulk loading) the search entry after a write.
pub(crate) fn refresh_derived(tx: &Transaction, ctx: &WriteCtx, entity: Entity, id: i64) -> Result<()> {
    let sources = derived_sources(entity);
    if !sources.is_empty() {
        let sql = format!("SELECT {} FROM {} WHERE id = ?1", sources.join(", "), entity.table());
        let row: Vec<Option<String>> = tx.prepare_cached(&sql)?.query_row([id], |r| {
            (0..sources.len()).map(|i| r.get::<_, Option<String>>(i)).collect::<rusqlite::Result<Vec<_>>>()
        })?;
        let get = |key: &str| sources.iter().position(|s| *s == key).and_then(|i| row[i].clone()).unwrap_or_default();
        let derived = derived_columns(entity, get);
        let sets: Vec<String> = derived.iter().enumerate().map(|(i, (c, _))| format!("{c} = ?{}", i + 1)).collect();
        let sql = format!("UPDATE {} SET {} WHERE id = ?{}", entity.table(), sets.join(", "), derived.len() + 1);
        let mut params: Vec<Sql> = derived.into_iter().map(|(_, v)| v.map_or(Sql::Null, Sql::Text)).collect();
        params.push(Sql::Integer(id));
        tx.prepare_cached(&sql)?.execute(params_from_iter(params.iter()))?;
    }
    if !ctx.bulk {
        search::reindex(tx, entity, id)?;
    }
    Ok(())
}

/// Columns the derived match keys (and so a record's name keys) are computed from.
pub(crate) fn derived_sources(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Lead => &["first_name", "middle_name", "last_name", "company_title"],
        Entity::Contact => &["first_name", "middle_name", "last_name"],
        Entity::Company => &["title"],
        Entity::Deal => &[],
    }
}

/// The derived match-key columns of a record from its field values (`get(key)`): one rule
/// for inserts (from the input, in the INSERT itself) and updates (from the row).
fn derived_columns(entity: Entity, get: impl Fn(&str) -> String) -> Vec<(&'static str, Option<String>)> {
    match entity {
        Entity::Lead => vec![
            ("name_key", dedup::name_key([get("first_name").as_str(), &get("middle_name"), &get("last_name")])),
            ("company_key", dedup::name_key([get("company_title").as_str()])),
        ],
        Entity::Contact => {
            vec![("name_key", dedup::name_key([get("first_name").as_str(), &get("middle_name"), &get("last_name")]))]
        }
        Entity::Company => vec![("title_key", dedup::name_key([get("title").as_str()]))],
        Entity::Deal => vec![],
    }
}

/// Finds the existing client a new lead repeats: contacts and companies matching it by the
/// duplicate rules (SPEC L5, D1). Phone/e-mail matches win over names.
fn repeat_match(tx: &Transaction, ctx: &WriteCtx, keys: &crate::domain::dedup::MatchKeys) -> Result<Vec<RepeatLink>> {
    let mut found: Vec<RepeatLink> = Vec::new();
    let push = |found: &mut Vec<RepeatLink>, entity: Entity, id: i64, by: &str| {
        if !found.iter().any(|f| f.entity == entity) {
            found.push(RepeatLink { entity, id, matched_by: by.to_string() });
        }
    };
    if keys.is_empty() {
        return Ok(found);
    }
    for target in [Entity::Contact, Entity::Company] {
        let index = ctx.matches().map(|m| m.borrow());
        let hits = super::duplicates::find_for_writer(tx, index.as_deref(), target, keys)?;
        if let Some(m) = hits.first() {
            push(&mut found, target, m.id, m.matched_by.first().map(String::as_str).unwrap_or("name"));
        }
    }
    // A matched contact brings its company as the client when none matched directly.
    if let Some(contact) = found.iter().find(|f| f.entity == Entity::Contact).map(|f| f.id)
        && !found.iter().any(|f| f.entity == Entity::Company)
    {
        let company: Option<i64> = tx
            .prepare_cached(
                "SELECT company_id FROM contact_companies WHERE contact_id = ?1 ORDER BY company_id LIMIT 1",
            )?
            .query_row([contact], |r| r.get(0))
            .optional()?;
        if let Some(id) = company {
            push(&mut found, Entity::Company, id, "contact");
        }
    }
    Ok(found)
}

fn resolve_value(
    tx: &Connection,
    ctx: &WriteCtx,
    spec: &FieldSpec,
    value: &FieldValue,
    pipeline_id: Option<i64>,
) -> Result<Sql> {
    match value {
        FieldValue::Ref(kind, text) => {
            let id = ctx
                .look_up(LookedUp::Reference(*kind, pipeline_id, text.clone()), || {
                    refs::resolve(tx, *kind, text, pipeline_id)
                })
                .map_err(|e| rename_field(e, spec.key))?;
            Ok(Sql::Integer(id))
        }
        other => Ok(sql_of(other)),
    }
}

/// Reference errors are raised with the reference kind as field; name the field instead.
fn rename_field(e: StoreError, key: &str) -> StoreError {
    match e {
        StoreError::Field(mut f) => {
            f.field = key.to_string();
            StoreError::Field(f)
        }
        other => other,
    }
}

fn link_companies(tx: &Transaction, contact_id: i64, companies: &[String]) -> Result<()> {
    for c in companies {
        let company = refs::resolve_record(tx, Entity::Company, c).map_err(|e| rename_field(e, "company"))?;
        tx.prepare_cached("INSERT OR IGNORE INTO contact_companies (contact_id, company_id) VALUES (?1, ?2)")?
            .execute(params![contact_id, company])?;
    }
    Ok(())
}

/// `INSERT INTO table (a, b) VALUES (?, ?)`: made for every new record, so without a
/// `format!` per placeholder (that was 2% of the demo); bare `?` are numbered in order.
fn insert_sql(table: &str, cols: &[&str]) -> String {
    format!("INSERT INTO {table} ({}) VALUES ({})", cols.join(", "), vec!["?"; cols.len()].join(", "))
}

/// A new record's input, checked and turned into what its row needs, before the writer has
/// it: its field values, match-key columns, phones and e-mails, and a lead's match keys. A
/// bulk load makes these on its reading or generating thread, so that the writer (the one
/// thread SQLite lets write) only resolves references and writes; this was about a fifth of
/// an import's writing. Nothing in it depends on the file.
#[derive(Debug)]
pub(crate) struct CheckedNew {
    entity: Entity,
    values: Vec<(&'static FieldSpec, FieldValue)>,
    derived: Vec<(&'static str, Option<String>)>,
    comms: Vec<Comm>,
    /// A lead's match keys, for the repeat-lead check (empty for the other kinds).
    keys: dedup::MatchKeys,
    /// Its search entry's text (`search::entry_text`).
    search_text: String,
}

impl CheckedNew {
    /// Checks `input` for a new record of `entity`; an amount without a currency is in
    /// `currency` (the file's default, `WriteCtx::currency`).
    pub(crate) fn check(entity: Entity, input: &RecordInput, currency: Currency) -> Result<CheckedNew> {
        let values = validate_input(entity, &input.fields, InputContext { currency, creating: true })?;
        // The match keys go in with the row (computed from the input as refresh_derived would
        // from the stored values), saving an UPDATE of every new record.
        let typed = |key: &str| {
            input
                .fields
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| crate::domain::text::clean_line(v).trim().to_string())
                .unwrap_or_default()
        };
        let derived = derived_columns(entity, typed);
        let comms = apply_comms(&[], &input.comms);
        let keys = match entity {
            Entity::Lead => super::duplicates::keys_of_new(entity, input),
            _ => dedup::MatchKeys::default(),
        };
        let search_text = search::entry_text_of_new(
            entity,
            |column| {
                values.iter().rev().find(|(s, _)| s.column == column).and_then(|(_, v)| match v {
                    FieldValue::Text(t) => Some(t.as_str()),
                    _ => None,
                })
            },
            &comms,
        );
        Ok(CheckedNew { entity, values, derived, comms, keys, search_text })
    }
}

/// Creates a record from `input` (checked here).
pub(crate) fn create_in(tx: &Transaction, ctx: &WriteCtx, entity: Entity, input: &RecordInput) -> Result<Saved> {
    create_checked(tx, ctx, input, CheckedNew::check(entity, input, ctx.currency)?)
}

/// Creates a record from `input`, already checked (`CheckedNew::check` of the same input, or
/// of one that differs in its companies only).
pub(crate) fn create_checked(
    tx: &Transaction,
    ctx: &WriteCtx,
    input: &RecordInput,
    checked: CheckedNew,
) -> Result<Saved> {
    let CheckedNew { entity, values, derived, comms, keys, search_text } = checked;
    let today = when::from_ms(ctx.now).date_naive();
    let defaults = new_defaults(entity, &values, input.origin.as_deref(), today, ctx.currency);
    let pipeline_id = match defaults.pipeline {
        NewPipeline::Chosen(named) => {
            Some(refs::resolve_pipeline(tx, entity, named).map_err(|e| rename_field(e, "pipeline"))?.id)
        }
        NewPipeline::OnlyOne => {
            Some(ctx.look_up(LookedUp::OnlyPipeline(entity), || Ok(refs::resolve_pipeline(tx, entity, None)?.id))?)
        }
        NewPipeline::None => None,
    };
    let mut cols: Vec<&str> = Vec::new();
    let mut vals: Vec<Sql> = Vec::new();
    for (spec, value) in &values {
        // On a new record an empty value means the field's default (the first stage, you as
        // responsible, not opened…), as if it had not been given.
        if spec.key == "pipeline" || *value == FieldValue::Null {
            continue;
        }
        cols.push(spec.column);
        vals.push(resolve_value(tx, ctx, spec, value, pipeline_id)?);
    }
    // The defaults are domain's (`new_record::new_defaults`); this only writes them.
    if let Some(currency) = defaults.currency {
        cols.push("currency");
        vals.push(Sql::Text(currency.code().into()));
    }
    if let Some(p) = pipeline_id {
        if entity == Entity::Deal {
            cols.push("pipeline_id");
            vals.push(Sql::Integer(p));
        }
        if defaults.first_stage {
            cols.push("stage_id");
            vals.push(Sql::Integer(ctx.look_up(LookedUp::FirstStage(p), || Ok(refs::first_stage(tx, p)?.id))?));
        }
        cols.extend(["moved_at", "moved_by"]);
        vals.extend([Sql::Integer(ctx.now), ctx.user_id.map_or(Sql::Null, Sql::Integer)]);
    }
    if defaults.responsible_is_creator
        && let Some(u) = ctx.user_id
    {
        cols.push("responsible_id");
        vals.push(Sql::Integer(u));
    }
    for (col, day) in [("begin_date", defaults.begin_date), ("close_date", defaults.close_date)] {
        if let Some(day) = day {
            cols.push(col);
            vals.push(Sql::Text(day.format("%Y-%m-%d").to_string()));
        }
    }
    for (col, v) in &derived {
        cols.push(col);
        vals.push(v.clone().map_or(Sql::Null, Sql::Text));
    }
    cols.retain(|c| !c.is_empty());
    cols.extend(["created_at", "created_by", "modified_at", "modified_by"]);
    let by = ctx.user_id.map_or(Sql::Null, Sql::Integer);
    vals.extend([Sql::Integer(ctx.now), by.clone(), Sql::Integer(ctx.now), by]);
    tx.prepare_cached(&insert_sql(entity.table(), &cols))?.execute(params_from_iter(vals.iter()))?;
    let id = tx.last_insert_rowid();
    insert_comms(tx, entity, id, &comms)?;
    if let Some(m) = ctx.matches() {
        m.borrow_mut().add(entity, id, derived.iter().map(|(c, v)| (*c, v.as_deref())), &comms);
    }
    if entity == Entity::Contact {
        link_companies(tx, id, &input.companies)?;
    }
    match ctx.search_later {
        Some(later) => later.add(entity, id, search_text),
        None if !ctx.bulk => search::write_new(tx, entity, id, search_text)?,
        None => {}
    }
    let mut repeat_of = Vec::new();
    if entity == Entity::Lead {
        repeat_of = repeat_match(tx, ctx, &keys)?;
        if !repeat_of.is_empty() {
            let contact = repeat_of.iter().find(|r| r.entity == Entity::Contact).map(|r| r.id);
            let company = repeat_of.iter().find(|r| r.entity == Entity::Company).map(|r| r.id);
            tx.prepare_cached("UPDATE leads SET is_repeat = 1, contact_id = ?1, company_id = ?2 WHERE id = ?3")?
                .execute(params![contact, company, id])?;
        }
    }
    let origin = input.origin.clone().unwrap_or_else(|| "manual".into());
    timeline::add(tx, entity, id, TimelineKind::Created, ctx, timeline::Created { origin: &origin })?;
    if !repeat_of.is_empty() {
        timeline::add(tx, entity, id, TimelineKind::Linked, ctx, json!({"repeat_of": repeat_of}))?;
    }
    // A lead that arrived by itself goes to whoever the distribution queue says (SPEC I6).
    if defaults.by_queue {
        super::queue::assign_new(tx, id)?;
    }
    log_change(tx, ctx, entity, id)?;
    Ok(Saved { id, version: 1, changed: values.iter().map(|(s, _)| s.key.to_string()).collect(), repeat_of })
}

pub(crate) fn update_in(
    tx: &Transaction,
    ctx: &WriteCtx,
    entity: Entity,
    id: i64,
    expected: Option<i64>,
    input: &RecordInput,
) -> Result<Saved> {
    let (version, old) = raw_row(tx, entity, id)?;
    if let Some(exp) = expected
        && exp != version
    {
        return Err(StoreError::Conflict { entity, id, expected: exp, actual: version });
    }
    if let Some(m) = ctx.matches() {
        m.borrow_mut().forget(tx, entity, id)?;
    }
    let old_currency = match old.get("currency") {
        Some(Sql::Text(c)) => Currency::parse(c),
        _ => None,
    };
    let values = validate_input(
        entity,
        &input.fields,
        InputContext { currency: old_currency.unwrap_or(ctx.currency), creating: false },
    )?;
    let pipeline_id = pipeline_of(tx, entity, Some(id))?;
    let mut sets: Vec<(&str, Sql)> = Vec::new();
    let mut changes: Vec<Json> = Vec::new();
    let mut new_currency = old_currency;
    for (spec, value) in &values {
        if spec.kind == FieldKind::Currency
            && let FieldValue::Text(c) = value
        {
            new_currency = Currency::parse(c);
        }
    }
    for (spec, value) in &values {
        if spec.kind == FieldKind::Bool && *value == FieldValue::Null {
            // A yes/no field cannot be cleared: say what is accepted instead of failing in SQL.
            return Err(FieldError::new(spec.key, Problem::Bool { value: String::new() }).into());
        }
        let new = resolve_value(tx, ctx, spec, value, pipeline_id)?;
        let before = old.get(spec.column).cloned().unwrap_or(Sql::Null);
        if new == before {
            continue;
        }
        let old_shown = shown_of(tx, spec, &before, old_currency)?.text();
        let new_shown = shown_of(tx, spec, &new, new_currency)?.text();
        changes.push(json!({"field": spec.key, "old": old_shown, "new": new_shown}));
        sets.push((spec.column, new));
    }
    let amount_set = sets.iter().any(|(c, v)| *c == "amount_minor" && *v != Sql::Null);
    if amount_set && old_currency.is_none() && !sets.iter().any(|(c, _)| *c == "currency") {
        sets.push(("currency", Sql::Text(ctx.currency.code().into())));
    }
    let current_comms = comms_of(tx, entity, id)?;
    if !input.comms.is_empty() {
        let next = apply_comms(&current_comms, &input.comms);
        if next != current_comms {
            for kind in [CommKind::Phone, CommKind::Email, CommKind::Web, CommKind::Messenger] {
                let list = |cs: &[Comm]| {
                    cs.iter().filter(|c| c.kind == kind).map(|c| c.value.clone()).collect::<Vec<_>>().join(", ")
                };
                let (a, b) = (list(&current_comms), list(&next));
                if a != b {
                    changes.push(json!({"field": format!("{}s", kind.code()), "old": a, "new": b}));
                }
            }
            write_comms(tx, entity, id, &next)?;
        }
    }
    if entity == Entity::Contact && !input.companies.is_empty() {
        link_companies(tx, id, &input.companies)?;
        changes.push(json!({"field": "companies", "old": "", "new": input.companies.join(", ")}));
    }
    if changes.is_empty() {
        if let Some(m) = ctx.matches() {
            m.borrow_mut().remember(tx, entity, id)?;
        }
        return Ok(Saved { id, version, changed: vec![], repeat_of: vec![] });
    }
    let mut sql = format!("UPDATE {} SET ", entity.table());
    let mut params: Vec<Sql> = Vec::new();
    for (i, (col, v)) in sets.iter().enumerate() {
        sql.push_str(&format!("{col} = ?{}, ", i + 1));
        params.push(v.clone());
    }
    let n = params.len();
    sql.push_str(&format!(
        "modified_at = ?{}, modified_by = ?{}, version = version + 1 WHERE id = ?{} AND version = ?{}",
        n + 1,
        n + 2,
        n + 3,
        n + 4
    ));
    params.extend([
        Sql::Integer(ctx.now),
        ctx.user_id.map_or(Sql::Null, Sql::Integer),
        Sql::Integer(id),
        Sql::Integer(version),
    ]);
    let updated = tx.prepare_cached(&sql)?.execute(params_from_iter(params.iter()))?;
    if updated == 0 {
        let (actual, _) = raw_row(tx, entity, id)?;
        return Err(StoreError::Conflict { entity, id, expected: version, actual });
    }
    refresh_derived(tx, ctx, entity, id)?;
    let changed: Vec<String> = changes.iter().filter_map(|c| c["field"].as_str().map(str::to_string)).collect();
    timeline::add(tx, entity, id, TimelineKind::FieldsChanged, ctx, json!({"changes": changes}))?;
    log_change(tx, ctx, entity, id)?;
    if let Some(m) = ctx.matches() {
        m.borrow_mut().remember(tx, entity, id)?;
    }
    Ok(Saved { id, version: version + 1, changed, repeat_of: vec![] })
}

pub(crate) fn move_in(
    tx: &Transaction,
    ctx: &WriteCtx,
    entity: Entity,
    id: i64,
    stage: &str,
    reason: Option<&str>,
    expected: Option<i64>,
) -> Result<Moved> {
    if !entity.has_stages() {
        return Err(StoreError::Rule(Rule::NoStages { entity }));
    }
    let sql = format!("SELECT version, stage_id FROM {} WHERE id = ?1", entity.table());
    let (version, from_id): (i64, i64) = tx
        .prepare_cached(&sql)?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(StoreError::NotFound { entity, id })?;
    if let Some(exp) = expected
        && exp != version
    {
        return Err(StoreError::Conflict { entity, id, expected: exp, actual: version });
    }
    let from = refs::stage_by_id(tx, from_id)?;
    let to = refs::resolve_stage(tx, from.pipeline_id, stage)?;
    let plan = plan_move(from.id, StageAt { id: to.id, name: &to.name, semantics: to.semantics }, reason)?;
    if plan.unchanged {
        // Six scripts moving one lead to one stage all get what they asked for: a success
        // that writes nothing (no timeline entry, no new version).
        return Ok(Moved { id, from, to, version, completed_activities: 0, unchanged: true });
    }
    let reason = plan.reason.as_deref();
    let sql = format!(
        "UPDATE {} SET stage_id = ?1, stage_description = coalesce(?2, stage_description), moved_at = ?3, moved_by = ?4, \
         modified_at = ?3, modified_by = ?4, version = version + 1 WHERE id = ?5 AND version = ?6",
        entity.table()
    );
    tx.prepare_cached(&sql)?.execute(params![to.id, reason, ctx.now, ctx.user_id, id, version])?;
    let mut completed = 0;
    if plan.complete_activities {
        completed = tx
            .prepare_cached(
                "UPDATE activities SET completed = 1, completed_at = ?1, modified_at = ?1, modified_by = ?2, version = version + 1 \
                 WHERE completed = 0 AND id IN (SELECT activity_id FROM activity_bindings WHERE entity = ?3 AND entity_id = ?4)",
            )?
            .execute(params![ctx.now, ctx.user_id, entity.code(), id])?;
        super::activities::refresh_next(tx, entity, id)?;
    }
    timeline::add(
        tx,
        entity,
        id,
        TimelineKind::StageMoved,
        ctx,
        json!({
            "from": {"code": from.code, "name": from.name},
            "to": {"code": to.code, "name": to.name, "semantics": to.semantics.code()},
            "reason": reason,
            "completed_activities": completed,
        }),
    )?;
    log_change(tx, ctx, entity, id)?;
    Ok(Moved { id, from, to, version: version + 1, completed_activities: completed, unchanged: false })
}

fn delete_in(tx: &Transaction, ctx: &WriteCtx, entity: Entity, id: i64, expected: Option<i64>) -> Result<()> {
    let (version, _) = raw_row(tx, entity, id)?;
    if let Some(exp) = expected
        && exp != version
    {
        return Err(StoreError::Conflict { entity, id, expected: exp, actual: version });
    }
    let title = title_of(tx, entity, id)?;
    tx.prepare_cached("DELETE FROM comms WHERE entity = ?1 AND entity_id = ?2")?.execute(params![entity.code(), id])?;
    // Activities that belonged only to this record go with it.
    tx.prepare_cached(
        "DELETE FROM activities WHERE id IN (SELECT activity_id FROM activity_bindings WHERE entity = ?1 AND entity_id = ?2) \
         AND NOT EXISTS (SELECT 1 FROM activity_bindings b WHERE b.activity_id = activities.id AND NOT (b.entity = ?1 AND b.entity_id = ?2))",
    )?
    .execute(params![entity.code(), id])?;
    tx.prepare_cached("DELETE FROM activity_bindings WHERE entity = ?1 AND entity_id = ?2")?
        .execute(params![entity.code(), id])?;
    tx.prepare_cached("DELETE FROM custom_values WHERE entity_id = ?2 AND field_id IN (SELECT id FROM custom_fields WHERE entity = ?1)")?
        .execute(params![entity.code(), id])?;
    search::remove(tx, entity, id)?;
    tx.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", entity.table()))?.execute([id])?;
    timeline::add(tx, entity, id, TimelineKind::Deleted, ctx, json!({"title": title}))?;
    log_change(tx, ctx, entity, id)?;
    Ok(())
}

/// Display title of a record from its row.
pub fn title_of(conn: &Connection, entity: Entity, id: i64) -> Result<String> {
    let kind = match entity {
        Entity::Lead => RefKind::Lead,
        Entity::Contact => RefKind::Contact,
        Entity::Company => RefKind::Company,
        Entity::Deal => {
            let t: Option<String> = conn
                .prepare_cached("SELECT title FROM deals WHERE id = ?1")?
                .query_row([id], |r| r.get::<_, Option<String>>(0))
                .optional()?
                .flatten();
            return Ok(display_title(entity, id, t.as_deref()));
        }
    };
    Ok(refs::describe(conn, kind, id)?.name)
}

pub(crate) fn get_in(conn: &Connection, entity: Entity, id: i64) -> Result<Record> {
    let (version, raw) = raw_row(conn, entity, id)?;
    let currency = match raw.get("currency") {
        Some(Sql::Text(c)) => Currency::parse(c),
        _ => None,
    };
    let mut values = Vec::new();
    for spec in entity.fields() {
        let v = raw.get(spec.column).cloned().unwrap_or(Sql::Null);
        values.push((spec, shown_of(conn, spec, &v, currency)?));
    }
    let staged = entity.has_stages();
    let sql = format!(
        "SELECT created_at, (SELECT login FROM users WHERE id = t.created_by), modified_at, \
         (SELECT login FROM users WHERE id = t.modified_by), {}, next_activity_at FROM {} t WHERE id = ?1",
        if staged { "moved_at, (SELECT login FROM users WHERE id = t.moved_by)" } else { "NULL, NULL" },
        entity.table()
    );
    type Meta = (i64, Option<String>, i64, Option<String>, Option<i64>, Option<String>, Option<i64>);
    let meta: Meta = conn
        .prepare_cached(&sql)?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?;
    let stage_semantics = match values.iter().find(|(s, _)| s.key == "stage") {
        Some((_, Shown::Ref(r))) => Some(refs::stage_by_id(conn, r.id)?.semantics),
        _ => None,
    };
    let mut is_repeat = false;
    if entity == Entity::Lead {
        is_repeat = conn.prepare_cached("SELECT is_repeat FROM leads WHERE id = ?1")?.query_row([id], |r| r.get(0))?;
    }
    let links = links_of(conn, entity, id)?;
    Ok(Record {
        entity,
        id,
        version,
        title: title_of(conn, entity, id)?,
        values,
        comms: comms_of(conn, entity, id)?,
        stage_semantics,
        is_repeat,
        links,
        created_at: meta.0,
        created_by: meta.1,
        modified_at: meta.2,
        modified_by: meta.3,
        moved_at: meta.4,
        moved_by: meta.5,
        next_activity_at: meta.6,
    })
}

/// Most linked records of one kind listed on a form.
const MAX_LINKS: i64 = 50;

/// Records linked to a record, both ways: a lead's client and the deal it became; a contact's
/// companies, deals and leads; a company's contacts, deals and leads; a deal's client and lead.
fn links_of(conn: &Connection, entity: Entity, id: i64) -> Result<Vec<(Entity, RefShown)>> {
    let queries: &[(Entity, &str)] = match entity {
        Entity::Lead => &[
            (Entity::Contact, "SELECT contact_id FROM leads WHERE id = ?1 AND contact_id IS NOT NULL"),
            (Entity::Company, "SELECT company_id FROM leads WHERE id = ?1 AND company_id IS NOT NULL"),
            (Entity::Deal, "SELECT id FROM deals WHERE lead_id = ?1 ORDER BY id LIMIT ?2"),
        ],
        Entity::Contact => &[
            (
                Entity::Company,
                "SELECT company_id FROM contact_companies WHERE contact_id = ?1 ORDER BY company_id LIMIT ?2",
            ),
            (Entity::Deal, "SELECT id FROM deals WHERE contact_id = ?1 ORDER BY id DESC LIMIT ?2"),
            (Entity::Lead, "SELECT id FROM leads WHERE contact_id = ?1 ORDER BY id DESC LIMIT ?2"),
        ],
        Entity::Company => &[
            (
                Entity::Contact,
                "SELECT contact_id FROM contact_companies WHERE company_id = ?1 ORDER BY contact_id LIMIT ?2",
            ),
            (Entity::Deal, "SELECT id FROM deals WHERE company_id = ?1 ORDER BY id DESC LIMIT ?2"),
            (Entity::Lead, "SELECT id FROM leads WHERE company_id = ?1 ORDER BY id DESC LIMIT ?2"),
        ],
        Entity::Deal => &[
            (Entity::Contact, "SELECT contact_id FROM deals WHERE id = ?1 AND contact_id IS NOT NULL"),
            (Entity::Company, "SELECT company_id FROM deals WHERE id = ?1 AND company_id IS NOT NULL"),
            (Entity::Lead, "SELECT lead_id FROM deals WHERE id = ?1 AND lead_id IS NOT NULL"),
        ],
    };
    let mut links = Vec::new();
    for (target, sql) in queries {
        let mut stmt = conn.prepare_cached(sql)?;
        let ids: Vec<i64> = if stmt.parameter_count() == 2 {
            stmt.query_map(params![id, MAX_LINKS], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        } else {
            stmt.query_map(params![id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        for linked in ids {
            let shown = match target {
                Entity::Deal => {
                    RefShown { id: linked, code: linked.to_string(), name: title_of(conn, *target, linked)? }
                }
                Entity::Contact => refs::describe(conn, RefKind::Contact, linked)?,
                Entity::Company => refs::describe(conn, RefKind::Company, linked)?,
                Entity::Lead => refs::describe(conn, RefKind::Lead, linked)?,
            };
            links.push((*target, shown));
        }
    }
    Ok(links)
}

/// SQL condition (and its parameters) limiting `alias` to what `vis` allows.
pub(crate) fn visibility_sql(vis: &Visibility, alias: &str) -> (String, Vec<Sql>) {
    match vis {
        Visibility::All => ("1".into(), vec![]),
        Visibility::None => ("0".into(), vec![]),
        Visibility::ResponsibleIn(ids) => {
            let marks = vec!["?"; ids.len()].join(", ");
            (format!("{alias}.responsible_id IN ({marks})"), ids.iter().map(|i| Sql::Integer(*i)).collect())
        }
    }
}

/// SQL (over alias `t`) of the deadline of a record's nearest open activity: a column kept
/// up to date by `activities::refresh_next` (schema version 2).
fn next_activity_sql(_entity: Entity) -> String {
    "t.next_activity_at".to_string()
}

/// The WHERE clause and parameters of a list filter (visibility included); `None` when the
/// filter can match nothing (an empty search). Shared by listing and counting.
fn list_where(
    conn: &Connection,
    entity: Entity,
    vis: &Visibility,
    filter: &ListFilter,
) -> Result<Option<(String, Vec<Sql>)>> {
    let tag = search::tag(entity);
    let (vis_sql, mut params) = visibility_sql(vis, "t");
    let mut wheres = vec![vis_sql];
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
    Ok(Some((wheres.join(" AND "), params)))
}

/// `INDEXED BY` the index of the lead list's order (title, amount: migration 0008), when
/// walking it in order beats what SQLite picks by itself: with a filter (a stage, a user),
/// SQLite reads the filter's index and sorts what it finds, which took 80 ms for the 30,000
/// new leads of the 100k demo sorted by title. Walking the order's index and skipping the
/// others finds a page after about 100 × (all / kept) entries: the better way when the
/// filter keeps one record in 20 or more. Empty for other orders, or without a filter.
fn order_index_hint(
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
    // The highest id stands for the number of leads, without counting them; the kept ones
    // are counted up to the threshold only (a filter's columns may need a lookup per record).
    let all: i64 = conn.prepare_cached("SELECT coalesce(max(id), 0) FROM leads")?.query_row([], |r| r.get(0))?;
    let enough = (all / 20).max(1);
    let kept: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM (SELECT 1 FROM leads t WHERE {wheres} LIMIT {enough})"))?
        .query_row(params_from_iter(params.iter()), |r| r.get(0))?;
    Ok(if kept >= enough { index } else { "" })
}

/// ORDER BY of a list page (over alias `t`), for the orders `group_page` and `merged_page`
/// do not take.
fn order_sql(entity: Entity, title: &str, filter: &ListFilter) -> String {
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
struct PageQuery<'a> {
    conn: &'a Connection,
    entity: Entity,
    filter: &'a ListFilter,
    sort: ListSort,
    wheres: &'a str,
    params: &'a [Sql],
    limit: usize,
    offset: usize,
}

/// The stages of the list's pipeline, in their order.
fn stages_in_order(conn: &Connection, entity: Entity, filter: &ListFilter) -> Result<Vec<i64>> {
    let pipeline = refs::resolve_pipeline(conn, entity, filter.pipeline.as_deref())?;
    Ok(refs::stages(conn, pipeline.id)?.into_iter().map(|s| s.id).collect())
}

/// The ids of a page of records due in a range, by next activity (an activities-board
/// column); `None` for other lists. SQLite read every record of the range from the
/// `(stage_id, next_activity_at, …)` index, one stage after the other, and sorted them all
/// (20,000 in a column of the 100k demo: 1–3 ms, five columns a board). Each stage's
/// records come in order from that index, so the first `offset + limit` of each are read
/// and merged here.
fn merged_page(q: &PageQuery) -> Result<Option<Vec<i64>>> {
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
fn group_page(q: &PageQuery) -> Result<Option<Vec<i64>>> {
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

fn list_in(conn: &Connection, entity: Entity, vis: &Visibility, filter: &ListFilter) -> Result<Vec<RecordSummary>> {
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
                None => merged_page(&q)?,
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
         {phone}, {email}, {repeat}, t.created_at, t.version, {next} \
         FROM ({page}) page \
         JOIN {table} t ON t.id = page.page_id {stage_join} ORDER BY {order}",
        phone = first_comm("phone"),
        email = first_comm("email"),
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
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

impl Store {
    fn get_now(&self, entity: Entity, id: i64) -> Result<Record> {
        let vis = self.visibility(entity);
        if vis != Visibility::All {
            let (cond, params) = visibility_sql(&vis, "t");
            let sql = format!("SELECT 1 FROM {} t WHERE t.id = ? AND {cond}", entity.table());
            let mut all = vec![Sql::Integer(id)];
            all.extend(params);
            if !self.conn().prepare(&sql.replacen('?', "?1", 1))?.exists(params_from_iter(all.iter()))? {
                return Err(StoreError::NotFound { entity, id });
            }
        }
        get_in(self.conn(), entity, id).map_err(|e| self.fill_path(e))
    }

    pub(crate) fn fill_path(&self, e: StoreError) -> StoreError {
        e.with_path(self.path())
    }
}

impl Changes for Store {
    /// `PRAGMA data_version`: changes when another connection commits to the file.
    fn data_version(&self) -> Result<i64> {
        Ok(self.conn().query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// The newest entry of the change log (0 when empty): where `changes_since` starts.
    fn last_change(&self) -> Result<i64> {
        Ok(self.conn().query_row("SELECT coalesce(max(id), 0) FROM changes", [], |r| r.get(0))?)
    }

    /// Records written after change `after`, and the newest change id, so a screen reloads
    /// only when what it shows was touched. `None` when the log cannot say (it was trimmed
    /// past `after`, or holds more than `limit` entries since): then everything may have changed.
    fn changes_since(&self, after: i64, limit: usize) -> Result<(i64, Option<ChangedRecords>)> {
        let (first, last, n): (Option<i64>, Option<i64>, i64) =
            self.conn().query_row("SELECT min(id), max(id), count(*) FROM changes WHERE id > ?1", [after], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        let Some(last) = last else { return Ok((after, Some(vec![]))) };
        if n as usize > limit || first != Some(after + 1) {
            return Ok((last, None));
        }
        let mut stmt = self.conn().prepare_cached("SELECT DISTINCT entity, entity_id FROM changes WHERE id > ?1")?;
        let rows = stmt.query_map([after], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (code, id) = row?;
            match Entity::parse(&code) {
                Some(e) => out.push(RecordRef::new(e, id)),
                // A bulk load ('*'): anything may have changed.
                None => return Ok((last, None)),
            }
        }
        Ok((last, Some(out)))
    }
}

impl Store {
    /// Which records of `entity` the current user may see (SPEC R, one place).
    pub(crate) fn visibility(&self, entity: Entity) -> Visibility {
        match self.user() {
            Some(u) => access::visibility(&access::Viewer { user_id: u.id, is_admin: u.is_admin }, entity),
            None => Visibility::All,
        }
    }
}

impl Records for Store {
    /// Records per activities-board column (SPEC V3): by nearest open activity, against the
    /// bucket bounds `[now, tomorrow, next week, week after]`, in-progress stages only.
    fn activity_board_counts(&self, entity: Entity, bounds: [UnixMs; 4]) -> Result<[i64; 6]> {
        // Six counts over the (stage, next activity) index, one per bucket.
        let ranges = [
            (None, Some(bounds[0])),
            (Some(bounds[0]), Some(bounds[1])),
            (Some(bounds[1]), Some(bounds[2])),
            (Some(bounds[2]), Some(bounds[3])),
            (Some(bounds[3]), None),
        ];
        let mut out = [0i64; 6];
        for (i, (from, to)) in ranges.into_iter().enumerate() {
            let f = ListFilter {
                next_activity: Some(NextActivity::Between(from, to)),
                open_stages_only: true,
                ..Default::default()
            };
            out[i] = self.list_count(entity, &f)?;
        }
        let f = ListFilter { next_activity: Some(NextActivity::Nothing), open_stages_only: true, ..Default::default() };
        out[5] = self.list_count(entity, &f)?;
        Ok(out)
    }

    /// Creates a record; a new lead is checked for repeat-lead matches (SPEC L5).
    fn create(&mut self, entity: Entity, input: &RecordInput) -> Result<Saved> {
        self.write(|tx, ctx| create_in(tx, ctx, entity, input))
    }

    /// Updates fields and communications. With `expected_version`, a record changed since
    /// that version is refused with `StoreError::Conflict` and nothing is written.
    fn update(&mut self, record: RecordRef, expected_version: Option<i64>, input: &RecordInput) -> Result<Saved> {
        let RecordRef { entity, id } = record;
        self.write(|tx, ctx| update_in(tx, ctx, entity, id, expected_version, input))
    }

    /// Moves a lead or deal to a stage of its pipeline (SPEC L4), with an optional reason for
    /// failure stages; a final stage completes the record's open activities.
    fn move_stage(
        &mut self,
        record: RecordRef,
        stage: &str,
        reason: Option<&str>,
        expected_version: Option<i64>,
    ) -> Result<Moved> {
        let RecordRef { entity, id } = record;
        self.write(|tx, ctx| move_in(tx, ctx, entity, id, stage, reason, expected_version))
    }

    /// Moves a record the user saw in stage `seen_stage` (SPEC S1): another user's edit of
    /// other fields does not stop it, another user's move does (`StoreError::MovedMeanwhile`,
    /// nothing written). Check and move are one transaction.
    fn move_seen(&mut self, record: RecordRef, seen_stage: i64, stage: &str, reason: Option<&str>) -> Result<Moved> {
        let RecordRef { entity, id } = record;
        self.write(|tx, ctx| {
            let sql = format!(
                "SELECT t.stage_id, s.name, coalesce((SELECT login FROM users WHERE id = coalesce(t.moved_by, t.modified_by)), '?'), \
                 coalesce(t.moved_at, t.modified_at) FROM {} t JOIN stages s ON s.id = t.stage_id WHERE t.id = ?1",
                entity.table()
            );
            let (now, name, by, at): (i64, String, String, i64) = tx
                .prepare_cached(&sql)?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .optional()?
                .ok_or(StoreError::NotFound { entity, id })?;
            if now != seen_stage {
                return Err(StoreError::MovedMeanwhile { entity, id, stage: name, by, at });
            }
            move_in(tx, ctx, entity, id, stage, reason, None)
        })
    }

    /// Deletes a record, its communications and its own activities; its timeline stays.
    fn delete(&mut self, record: RecordRef, expected_version: Option<i64>) -> Result<()> {
        let RecordRef { entity, id } = record;
        self.write(|tx, ctx| delete_in(tx, ctx, entity, id, expected_version))
    }

    /// Reads one record, if the current user may see it.
    fn get(&self, record: RecordRef) -> Result<Record> {
        // Its fields, phones, links and stage come from one state of the file.
        self.reading(|s| s.get_now(record.entity, record.id))
    }

    /// Lists records newest first, filtered and limited to what the current user may see.
    fn list(&self, entity: Entity, filter: &ListFilter) -> Result<Vec<RecordSummary>> {
        list_in(self.conn(), entity, &self.visibility(entity), filter).map_err(|e| self.fill_path(e))
    }

    /// How many records a list filter matches (ignoring its limit and pages).
    fn list_count(&self, entity: Entity, filter: &ListFilter) -> Result<i64> {
        // Counting uses the same WHERE builder as listing, so the two cannot disagree.
        let Some((wheres, params)) = list_where(self.conn(), entity, &self.visibility(entity), filter)? else {
            return Ok(0);
        };
        let sql = format!("SELECT count(*) FROM {} t WHERE {wheres}", entity.table());
        Ok(self.conn().prepare_cached(&sql)?.query_row(params_from_iter(params.iter()), |r| r.get(0))?)
    }

    /// Whether the file holds no lead, contact, company or deal at all (the TUI then welcomes a
    /// new user). One row looked up per table: counting them took 1-2 ms at 100k leads, paid at
    /// every board reload.
    fn holds_no_records(&self) -> Result<bool> {
        let sql = Entity::ALL.iter().map(|e| format!("EXISTS (SELECT 1 FROM {})", e.table())).collect::<Vec<_>>();
        let any: bool =
            self.conn().prepare_cached(&format!("SELECT {}", sql.join(" OR ")))?.query_row([], |r| r.get(0))?;
        Ok(!any)
    }

    /// Counts records of `entity` the current user may see.
    fn count(&self, entity: Entity) -> Result<i64> {
        let (cond, params) = visibility_sql(&self.visibility(entity), "t");
        let sql = format!("SELECT count(*) FROM {} t WHERE {cond}", entity.table());
        Ok(self.conn().prepare_cached(&sql)?.query_row(params_from_iter(params.iter()), |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_insert_names_every_column_and_numbers_every_value() {
        let cols: Vec<&str> = (0..12).map(|_| "c").collect();
        assert_eq!(
            super::insert_sql("leads", &cols),
            "INSERT INTO leads (c, c, c, c, c, c, c, c, c, c, c, c) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        );
        assert_eq!(super::insert_sql("t", &["a"]), "INSERT INTO t (a) VALUES (?)");
    }
}
