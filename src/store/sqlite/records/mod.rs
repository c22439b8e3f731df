//! Leads, contacts, companies and deals through one generic path driven by the field specs of
//! `domain::fields`: validate, resolve references, write the row, its communications, its
//! search entry and its timeline entry in one transaction, checking `version` on updates.

use super::bulk::LookedUp;
use super::refs::{self, RefShown};
use super::rule::Rule;
use super::{Result, Store, StoreError, WriteCtx, log_change, search, timeline};
use crate::domain::access::{Sight, Visibility};
use crate::domain::comm::{Comm, CommKind};
use crate::domain::custom_field::{CustomField, FieldType, ParseContext};
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
use crate::store::custom_fields::{local_instant, names_custom, split_input};
use crate::store::engine::*;
pub(crate) use crate::store::records::*;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, Transaction, params, params_from_iter};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

mod by_field;
pub(crate) mod list;
mod moves;
mod read;
mod write;

pub(crate) use list::*;
pub(crate) use moves::*;
pub(crate) use read::*;
pub(crate) use write::*;
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
        (Sql::Text(t), FieldKind::Date) => match chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            Ok(day) => Shown::Date(day),
            Err(_) => Shown::Text(t.clone()),
        },
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
pub(crate) fn derived_columns(entity: Entity, get: impl Fn(&str) -> String) -> Vec<(&'static str, Option<String>)> {
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

/// Applies a change to a deal's other contacts (SPEC E3) against its primary contact as it
/// was and as it will be, returning the timeline change (`contacts`, names before and after) when the list
/// changed. A name or id matching no contact is refused, naming the field.
fn link_contacts(
    tx: &Transaction,
    deal_id: i64,
    (was_primary, primary): (Option<i64>, Option<i64>),
    change: &LinksChange,
) -> Result<Option<Json>> {
    let resolve = |texts: &[String]| -> Result<Vec<i64>> {
        texts
            .iter()
            .map(|t| refs::resolve_record(tx, Entity::Contact, t).map_err(|e| rename_field(e, "contacts")))
            .collect()
    };
    let current: Vec<i64> = tx
        .prepare_cached("SELECT contact_id FROM deal_contacts WHERE deal_id = ?1 ORDER BY contact_id")?
        .query_map([deal_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let replace = change.replace.as_deref().map(resolve).transpose()?;
    let mut next = LinksChange::apply(
        &current,
        was_primary,
        primary,
        replace.as_deref(),
        &resolve(&change.add)?,
        &resolve(&change.remove)?,
    );
    // Kept in id order, as read back.
    next.sort_unstable();
    if next == current {
        return Ok(None);
    }
    tx.prepare_cached("DELETE FROM deal_contacts WHERE deal_id = ?1")?.execute([deal_id])?;
    for c in &next {
        tx.prepare_cached("INSERT INTO deal_contacts (deal_id, contact_id) VALUES (?1, ?2)")?
            .execute(params![deal_id, c])?;
    }
    let names = |ids: &[i64]| -> Result<String> {
        Ok(ids
            .iter()
            .map(|c| refs::describe(tx, RefKind::Contact, *c).map(|r| r.name))
            .collect::<Result<Vec<_>>>()?
            .join(", "))
    };
    Ok(Some(json!({"field": "contacts", "old": names(&current)?, "new": names(&next)?})))
}

/// `INSERT INTO table (a, b) VALUES (?, ?)`: made for every new record, so without a
/// `format!` per placeholder (that was 2% of the demo); bare `?` are numbered in order.
fn insert_sql(table: &str, cols: &[&str]) -> String {
    format!("INSERT INTO {table} ({}) VALUES ({})", cols.join(", "), vec!["?"; cols.len()].join(", "))
}

impl Store {
    pub(crate) fn get_now(&self, entity: Entity, id: i64, sight: &Sight) -> Result<Record> {
        let vis = sight.of(entity);
        if *vis != Visibility::All {
            let (cond, params) = visibility_sql(vis, "t");
            let sql = format!("SELECT 1 FROM {} t WHERE t.id = ? AND {cond}", entity.table());
            let mut all = vec![Sql::Integer(id)];
            all.extend(params);
            if !self.conn().prepare(&sql.replacen('?', "?1", 1))?.exists(params_from_iter(all.iter()))? {
                return Err(StoreError::NotFound { entity, id });
            }
        }
        let mut record = get_in(self.conn(), entity, id).map_err(|e| self.fill_path(e))?;
        let lang = self.options().lang;
        crate::store::records::hide_unseen(&mut record, sight, lang, |e, ids| self.seen_now(e, ids, sight))?;
        Ok(record)
    }

    /// Which of `ids` the sight reaches, in one statement.
    pub(crate) fn seen_now(&self, entity: Entity, ids: &[i64], sight: &Sight) -> Result<Vec<i64>> {
        let vis = sight.of(entity);
        if *vis == Visibility::All || ids.is_empty() {
            return Ok(if *vis == Visibility::All { ids.to_vec() } else { vec![] });
        }
        let (cond, params) = visibility_sql(vis, "t");
        let marks = vec!["?"; ids.len()].join(", ");
        let sql = format!("SELECT t.id FROM {} t WHERE t.id IN ({marks}) AND {cond}", entity.table());
        let mut all: Vec<Sql> = ids.iter().map(|i| Sql::Integer(*i)).collect();
        all.extend(params);
        let mut stmt = self.conn().prepare(&sql)?;
        let seen = stmt.query_map(params_from_iter(all.iter()), |r| r.get(0))?;
        Ok(seen.collect::<rusqlite::Result<Vec<i64>>>()?)
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

impl Records for Store {
    /// Records per activities-board column (SPEC V3): by nearest open activity, against the
    /// bucket bounds `[now, tomorrow, next week, week after]`, in-progress stages only.
    fn activity_board_counts(&self, entity: Entity, bounds: [UnixMs; 4], sight: &Sight) -> Result<[i64; 6]> {
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
                // A deal's board (CRM simple mode) holds every pipeline's.
                all_pipelines: entity == Entity::Deal,
                ..Default::default()
            };
            out[i] = self.list_count(entity, &f, sight)?;
        }
        let f = ListFilter {
            next_activity: Some(NextActivity::Nothing),
            open_stages_only: true,
            all_pipelines: entity == Entity::Deal,
            ..Default::default()
        };
        out[5] = self.list_count(entity, &f, sight)?;
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
    fn get(&self, record: RecordRef, sight: &Sight) -> Result<Record> {
        // Its fields, phones, links and stage come from one state of the file.
        self.reading(|s| s.get_now(record.entity, record.id, sight))
    }

    fn seen_among(&self, entity: Entity, ids: &[i64], sight: &Sight) -> Result<Vec<i64>> {
        self.seen_now(entity, ids, sight)
    }

    /// Lists records newest first, filtered and limited to what the current user may see.
    fn list(&self, entity: Entity, filter: &ListFilter, sight: &Sight) -> Result<Vec<RecordSummary>> {
        list_in(self.conn(), entity, sight.of(entity), filter).map_err(|e| self.fill_path(e))
    }

    /// How many records a list filter matches (ignoring its limit and pages).
    fn list_count(&self, entity: Entity, filter: &ListFilter, sight: &Sight) -> Result<i64> {
        // Counting uses the same WHERE builder as listing, so the two cannot disagree.
        let Some((wheres, params)) = list_where(self.conn(), entity, sight.of(entity), filter)? else {
            return Ok(0);
        };
        let sql = format!("SELECT count(*) FROM {} t WHERE {wheres}", entity.table());
        Ok(self.conn().prepare_cached(&sql)?.query_row(params_from_iter(params.iter()), |r| r.get(0))?)
    }

    fn list_totals(&self, entity: Entity, filter: &ListFilter, sight: &Sight) -> Result<ListTotals> {
        list_totals_in(self.conn(), entity, sight.of(entity), filter).map_err(|e| self.fill_path(e))
    }

    fn count_by_value(
        &self,
        entity: Entity,
        filter: &ListFilter,
        within: &crate::domain::field_filter::FieldCondition,
        sight: &Sight,
    ) -> Result<Vec<(String, i64)>> {
        use crate::store::custom_fields::{CondParam, Dialect, count_by_value_sql};
        let whole = ListFilter { before_id: None, after_id: None, ..filter.clone() };
        let Some((wheres, mut params)) = list_where(self.conn(), entity, sight.of(entity), &whole)? else {
            return Ok(vec![]);
        };
        // `wheres` numbers its parameters: these follow them.
        let mut param = |p: CondParam| {
            params.push(match p {
                CondParam::Int(n) => Sql::Integer(n),
                CondParam::Text(t) => Sql::Text(t),
            });
            format!("?{}", params.len())
        };
        let sql = count_by_value_sql(entity.table(), &wheres, within, Dialect::Sqlite, &mut param);
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params.iter()), |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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
    fn count(&self, entity: Entity, sight: &Sight) -> Result<i64> {
        let (cond, params) = visibility_sql(sight.of(entity), "t");
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
