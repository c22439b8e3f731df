//! Leads, contacts, companies and deals on PostgreSQL through the one generic path of
//! `sqlite::records`, driven by the field specs of `domain::fields`: validate, resolve
//! references, write the row, its communications, its search entry and its timeline entry in
//! one transaction, checking `version` on updates. The other aggregates (activities,
//! conversion, intake, import) call `create_in`, `update_in`, `move_in`, `get_in`…: keep
//! their signatures.

use super::refs::{self, RefShown};
use super::{Result, StatementCache, Store, StoreError, WriteCtx, log_change, prepared, search, timeline};
use crate::domain::access::{Sight, Visibility};
use crate::domain::comm::{Comm, CommKind};
use crate::domain::custom_field::{CustomField, FieldType, ParseContext};
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::{
    Entity, FieldKind, FieldSpec, FieldValue, InputContext, RefKind, display_title, validate_input,
};
use crate::domain::money::{Currency, Money};
use crate::domain::timeline::TimelineKind;
use crate::domain::when::UnixMs;
use crate::store::custom_fields::{local_instant, names_custom, split_input};
use crate::store::engine::*;
pub(crate) use crate::store::records::*;
use crate::store::rule::Rule;
pub(crate) use crate::store::sqlite::records::apply_comms;
use crate::store::sqlite::records::derived_columns;
use postgres::types::private::BytesMut;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{GenericClient, Row};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

mod counts;
pub(crate) mod list;
pub(crate) mod many;
mod moves;
mod read;
mod write;

pub(crate) use counts::*;
pub(crate) use list::*;
pub(crate) use moves::*;
pub(crate) use read::*;
pub(crate) use write::*;

/// A parameter list built at run time: `refs(&params)` gives what `query` takes.
pub(crate) type Params = Vec<Box<dyn ToSql + Sync>>;

/// The borrowed form of `Params`, for `query(sql, &refs(&params))`.
pub(crate) fn refs(params: &Params) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect()
}

/// One column value of a record row, of whichever type its column has (what `rusqlite`'s
/// `Value` is to the file): compared before and after an edit, and bound back.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val {
    /// NULL.
    Null,
    /// BIGINT.
    Int(i64),
    /// TEXT.
    Text(String),
    /// BOOLEAN.
    Bool(bool),
}

impl ToSql for Val {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Val::Null => Ok(IsNull::Yes),
            Val::Int(i) => i.to_sql_checked(ty, out),
            Val::Text(t) => t.to_sql_checked(ty, out),
            Val::Bool(b) => b.to_sql_checked(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

impl Val {
    /// The value of column `i` of `row`, by the column's type.
    pub(crate) fn read(row: &Row, i: usize) -> Result<Val> {
        let ty = row.columns()[i].type_().clone();
        Ok(if ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)?.map_or(Val::Null, Val::Int)
        } else if ty == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)?.map_or(Val::Null, Val::Bool)
        } else {
            row.try_get::<_, Option<String>>(i)?.map_or(Val::Null, Val::Text)
        })
    }

    fn text(v: Option<String>) -> Val {
        v.map_or(Val::Null, Val::Text)
    }
}

fn val_of(v: &FieldValue) -> Val {
    match v {
        FieldValue::Null => Val::Null,
        FieldValue::Text(t) => Val::Text(t.clone()),
        FieldValue::Int(i) => Val::Int(*i),
        FieldValue::Bool(b) => Val::Bool(*b),
        FieldValue::Date(d) => Val::Text(d.format("%Y-%m-%d").to_string()),
        FieldValue::Ref(_, t) => Val::Text(t.clone()),
    }
}

/// A stored value as a form shows it.
pub(crate) fn shown_of(
    c: &mut impl GenericClient,
    spec: &FieldSpec,
    raw: &Val,
    currency: Option<Currency>,
) -> Result<Shown> {
    Ok(match (raw, spec.kind) {
        (Val::Null, _) => Shown::Null,
        (Val::Int(i), FieldKind::Ref(kind)) => Shown::Ref(refs::describe(c, kind, *i)?),
        (Val::Int(i), FieldKind::Amount) => {
            Shown::Money(Money { minor: *i, currency: currency.unwrap_or(Currency::EUR) })
        }
        (Val::Int(i), FieldKind::Bool) => Shown::Bool(*i != 0),
        (Val::Int(i), _) => Shown::Int(*i),
        (Val::Bool(b), _) => Shown::Bool(*b),
        (Val::Text(t), FieldKind::Date) => match chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            Ok(day) => Shown::Date(day),
            Err(_) => Shown::Text(t.clone()),
        },
        (Val::Text(t), _) => Shown::Text(t.clone()),
    })
}

fn pipeline_of(c: &mut impl GenericClient, entity: Entity, id: Option<i64>) -> Result<Option<i64>> {
    match entity {
        Entity::Lead => Ok(Some(refs::resolve_pipeline(c, Entity::Lead, None)?.id)),
        Entity::Deal => match id {
            Some(id) => match c.query_opt("SELECT pipeline_id FROM deals WHERE id = $1", &[&id])? {
                Some(r) => Ok(Some(r.try_get(0)?)),
                None => Ok(None),
            },
            None => Ok(None),
        },
        _ => Ok(None),
    }
}

/// Raw column values of a record, by column name, plus version.
pub(crate) fn raw_row(
    c: &mut impl GenericClient,
    entity: Entity,
    id: i64,
) -> Result<(i64, BTreeMap<&'static str, Val>)> {
    let cols: Vec<&str> = entity.fields().iter().map(|f| f.column).collect();
    let sql = format!("SELECT version, {} FROM {} WHERE id = $1", cols.join(", "), entity.table());
    // Sent with its type, in one round trip (as the rest of a record's reading).
    let row = c.query_typed_opt(&sql, &[(&id, super::INT8)])?.ok_or(StoreError::NotFound { entity, id })?;
    let version: i64 = row.try_get(0)?;
    let mut map = BTreeMap::new();
    for (i, col) in cols.iter().enumerate() {
        map.insert(*col, Val::read(&row, i + 1)?);
    }
    Ok((version, map))
}

/// A record's phones, e-mails, websites and messengers, in order.
pub(crate) fn comms_of(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<Vec<Comm>> {
    let rows = c.query_typed(
        "SELECT kind, label, value, normalized FROM comms WHERE entity = $1 AND entity_id = $2 \
         ORDER BY CASE kind WHEN 'phone' THEN 0 WHEN 'email' THEN 1 WHEN 'web' THEN 2 ELSE 3 END, sort, id",
        &[(&entity.code(), super::TEXT), (&id, super::INT8)],
    )?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get(0)?;
            Ok(Comm {
                kind: CommKind::parse(&kind).unwrap_or(CommKind::Phone),
                label: r.try_get(1)?,
                value: r.try_get(2)?,
                normalized: r.try_get(3)?,
            })
        })
        .collect()
}

/// Replaces a record's phones, e-mails… by `comms`.
pub(crate) fn write_comms(c: &mut impl GenericClient, entity: Entity, id: i64, comms: &[Comm]) -> Result<()> {
    c.execute("DELETE FROM comms WHERE entity = $1 AND entity_id = $2", &[&entity.code(), &id])?;
    insert_comms(c, entity, id, comms)
}

/// Adds the phones, e-mails… of a record that has none yet (a new one).
pub(crate) fn insert_comms(c: &mut impl GenericClient, entity: Entity, id: i64, comms: &[Comm]) -> Result<()> {
    for (i, m) in comms.iter().enumerate() {
        c.execute(
            "INSERT INTO comms (entity, entity_id, kind, label, value, normalized, sort) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[&entity.code(), &id, &m.kind.code(), &m.label, &m.value, &m.normalized, &(i as i64)],
        )?;
    }
    Ok(())
}

/// Recomputes match keys and the search entry after a write.
pub(crate) fn refresh_derived(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<()> {
    let sources = crate::store::sqlite::records::derived_sources(entity);
    if !sources.is_empty() {
        let sql = format!("SELECT {} FROM {} WHERE id = $1", sources.join(", "), entity.table());
        let row = c.query_one(&sql, &[&id])?;
        let mut got: Vec<Option<String>> = Vec::new();
        for i in 0..sources.len() {
            got.push(row.try_get(i)?);
        }
        let get = |key: &str| sources.iter().position(|s| *s == key).and_then(|i| got[i].clone()).unwrap_or_default();
        let derived = derived_columns(entity, get);
        let sets: Vec<String> = derived.iter().enumerate().map(|(i, (c, _))| format!("{c} = ${}", i + 1)).collect();
        let sql = format!("UPDATE {} SET {} WHERE id = ${}", entity.table(), sets.join(", "), derived.len() + 1);
        let mut params: Params = derived.into_iter().map(|(_, v)| Box::new(v) as Box<dyn ToSql + Sync>).collect();
        params.push(Box::new(id));
        c.execute(&sql, &refs(&params))?;
    }
    search::reindex(c, entity, id)
}

fn resolve_value(
    look: &mut impl Lookup,
    spec: &FieldSpec,
    value: &FieldValue,
    pipeline_id: Option<i64>,
) -> Result<Val> {
    match value {
        FieldValue::Ref(kind, text) => {
            let id = look.reference(*kind, text, pipeline_id).map_err(|e| rename_field(e, spec.key))?;
            Ok(Val::Int(id))
        }
        other => Ok(val_of(other)),
    }
}

/// Reference errors are raised with the reference kind as field; name the field instead.
pub(crate) fn rename_field(e: StoreError, key: &str) -> StoreError {
    match e {
        StoreError::Field(mut f) => {
            f.field = key.to_string();
            StoreError::Field(f)
        }
        other => other,
    }
}

fn link_companies(c: &mut impl GenericClient, contact_id: i64, companies: &[String]) -> Result<()> {
    for name in companies {
        let company = refs::resolve_record(c, Entity::Company, name).map_err(|e| rename_field(e, "company"))?;
        c.execute(
            "INSERT INTO contact_companies (contact_id, company_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&contact_id, &company],
        )?;
    }
    Ok(())
}

/// Applies a change to a deal's other contacts (SPEC E3) against its primary contact as it
/// was and as it will be, returning the timeline change (`contacts`, names before and after) when the list
/// changed; as SQLite's `link_contacts`.
fn link_contacts(
    c: &mut impl GenericClient,
    deal_id: i64,
    (was_primary, primary): (Option<i64>, Option<i64>),
    change: &LinksChange,
) -> Result<Option<Json>> {
    let resolve = |c: &mut _, texts: &[String]| -> Result<Vec<i64>> {
        texts
            .iter()
            .map(|t| refs::resolve_record(c, Entity::Contact, t).map_err(|e| rename_field(e, "contacts")))
            .collect()
    };
    let current: Vec<i64> = c
        .query("SELECT contact_id FROM deal_contacts WHERE deal_id = $1 ORDER BY contact_id", &[&deal_id])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let replace = match &change.replace {
        Some(texts) => Some(resolve(&mut *c, texts)?),
        None => None,
    };
    let (add, remove) = (resolve(&mut *c, &change.add)?, resolve(&mut *c, &change.remove)?);
    let mut next = LinksChange::apply(&current, was_primary, primary, replace.as_deref(), &add, &remove);
    // Kept in id order, as read back.
    next.sort_unstable();
    if next == current {
        return Ok(None);
    }
    c.execute("DELETE FROM deal_contacts WHERE deal_id = $1", &[&deal_id])?;
    c.execute("INSERT INTO deal_contacts (deal_id, contact_id) SELECT $1, unnest($2::bigint[])", &[&deal_id, &next])?;
    let mut names = |ids: &[i64]| -> Result<String> {
        let mut out = Vec::new();
        for id in ids {
            out.push(refs::describe(&mut *c, RefKind::Contact, *id)?.name);
        }
        Ok(out.join(", "))
    };
    let (old, new) = (names(&current)?, names(&next)?);
    Ok(Some(json!({"field": "contacts", "old": old, "new": new})))
}

/// The SQL condition (on table alias `alias`) of what `vis` lets a user see, with its
/// parameters numbered from `$first`.
pub(crate) fn visibility_sql(vis: &Visibility, alias: &str, first: usize) -> (String, Params) {
    match vis {
        Visibility::All => ("TRUE".into(), Vec::new()),
        Visibility::None => ("FALSE".into(), Vec::new()),
        Visibility::ResponsibleIn(ids) => {
            let cond = format!("({alias}.responsible_id = ANY(${first}) OR {alias}.responsible_id IS NULL)");
            (cond, vec![Box::new(ids.clone()) as Box<dyn ToSql + Sync>])
        }
    }
}

/// Sets `next_activity_at` of each record from its open activities (after an activity is
/// planned, done, moved or deleted): `activities::refresh_next`, the one rule of it.
pub(crate) fn refresh_next_activity(c: &mut impl GenericClient, records: &[RecordRef]) -> Result<()> {
    for r in records {
        super::activities::refresh_next(c, r.entity, r.id)?;
    }
    Ok(())
}

impl Store {
    /// One record if `sight` lets the user see it, read on the current snapshot.
    pub(crate) fn get_now(&self, entity: Entity, id: i64, sight: &Sight) -> Result<Record> {
        let mut c = self.client();
        let vis = sight.of(entity);
        if *vis != Visibility::All {
            let (cond, params) = visibility_sql(vis, "t", 2);
            let sql = format!("SELECT 1 FROM {} t WHERE t.id = $1 AND {cond}", entity.table());
            let mut all: Params = vec![Box::new(id)];
            all.extend(params);
            if c.query_opt(&sql, &refs(&all)).map_err(|e| self.pg_err(e))?.is_none() {
                return Err(self.fill_path(StoreError::NotFound { entity, id }));
            }
        }
        let mut record = get_in(&mut *c, entity, id).map_err(|e| self.fill_path(e))?;
        drop(c);
        let lang = self.options().lang;
        crate::store::records::hide_unseen(&mut record, sight, lang, |e, ids| self.seen_now(e, ids, sight))?;
        Ok(record)
    }

    /// Which of `ids` the sight (and the server's row security) reaches, in one statement.
    pub(crate) fn seen_now(&self, entity: Entity, ids: &[i64], sight: &Sight) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let (cond, params) = visibility_sql(sight.of(entity), "t", 2);
        let sql = format!("SELECT t.id FROM {} t WHERE t.id = ANY($1) AND {cond}", entity.table());
        let mut all: Params = vec![Box::new(ids.to_vec())];
        all.extend(params);
        let rows = self.client().query(&sql, &refs(&all)).map_err(|e| self.pg_err(e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}

impl Records for Store {
    /// Records per activities-board column (SPEC V3): by nearest open activity, against the
    /// bucket bounds `[now, tomorrow, next week, week after]`, in-progress stages only.
    fn activity_board_counts(&self, entity: Entity, bounds: [UnixMs; 4], sight: &Sight) -> Result<[i64; 6]> {
        // The six counts in one statement: one state of the data, so the columns add up.
        board_counts_in(&mut *self.client(), &self.stmts, entity, sight.of(entity), bounds)
            .map_err(|e| self.fill_path(e))
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
        if !entity.has_stages() {
            return Err(StoreError::Rule(Rule::NoStages { entity }));
        }
        self.write(|tx, ctx| {
            let sql = format!(
                "SELECT t.stage_id, s.name, coalesce((SELECT login::text FROM users WHERE id = coalesce(t.moved_by, t.modified_by)), '?'), \
                 coalesce(t.moved_at, t.modified_at) FROM {} t JOIN stages s ON s.id = t.stage_id WHERE t.id = $1",
                entity.table()
            );
            let row = tx.query_opt(&sql, &[&id])?.ok_or(StoreError::NotFound { entity, id })?;
            let now: i64 = row.try_get(0)?;
            if now != seen_stage {
                return Err(StoreError::MovedMeanwhile {
                    entity,
                    id,
                    stage: row.try_get(1)?,
                    by: row.try_get(2)?,
                    at: row.try_get(3)?,
                });
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
        // Its fields, phones, links and stage come from one state of the data.
        self.reading(|s| s.get_now(record.entity, record.id, sight))
    }

    fn seen_among(&self, entity: Entity, ids: &[i64], sight: &Sight) -> Result<Vec<i64>> {
        self.seen_now(entity, ids, sight)
    }

    /// Lists records newest first, filtered and limited to what the current user may see.
    fn list(&self, entity: Entity, filter: &ListFilter, sight: &Sight) -> Result<Vec<RecordSummary>> {
        list_in(&mut *self.client(), &self.stmts, entity, sight.of(entity), filter).map_err(|e| self.fill_path(e))
    }

    /// How many records a list filter matches (ignoring its limit and pages).
    fn list_count(&self, entity: Entity, filter: &ListFilter, sight: &Sight) -> Result<i64> {
        list_count_in(&mut *self.client(), &self.stmts, entity, sight.of(entity), filter).map_err(|e| self.fill_path(e))
    }

    fn list_totals(&self, entity: Entity, filter: &ListFilter, sight: &Sight) -> Result<ListTotals> {
        list_totals_in(&mut *self.client(), &self.stmts, entity, sight.of(entity), filter)
            .map_err(|e| self.fill_path(e))
    }

    fn count_by_value(
        &self,
        entity: Entity,
        filter: &ListFilter,
        within: &crate::domain::field_filter::FieldCondition,
        sight: &Sight,
    ) -> Result<Vec<(String, i64)>> {
        count_by_value_in(&mut *self.client(), &self.stmts, entity, sight.of(entity), filter, within)
            .map_err(|e| self.fill_path(e))
    }

    /// Whether the database holds no lead, contact, company or deal at all (the TUI then
    /// welcomes a new user).
    fn holds_no_records(&self) -> Result<bool> {
        let sql = Entity::ALL.iter().map(|e| format!("EXISTS (SELECT 1 FROM {})", e.table())).collect::<Vec<_>>();
        let any: bool = self
            .client()
            .query_one(&format!("SELECT {}", sql.join(" OR ")), &[])
            .and_then(|r| r.try_get(0))
            .map_err(|e| self.pg_err(e))?;
        Ok(!any)
    }

    /// Counts records of `entity` the current user may see.
    fn count(&self, entity: Entity, sight: &Sight) -> Result<i64> {
        let (cond, params) = visibility_sql(sight.of(entity), "t", 1);
        let sql = format!("SELECT count(*) FROM {} t WHERE {cond}", entity.table());
        let row = self.client().query_one(&sql, &refs(&params)).map_err(|e| self.pg_err(e))?;
        row.try_get(0).map_err(|e| self.pg_err(e))
    }
}
