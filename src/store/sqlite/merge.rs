//! Merging duplicates (SPEC D2): the kept record gets empty fields filled and the values the
//! user chose; links, activities, communications and timeline move to it; the others go. One
//! transaction.

use super::records::{CommsChange, apply_comms, comms_of, raw_row, refresh_derived, shown_of, title_of, write_comms};
use super::rule::Rule;
use super::{Result, Store, StoreError, WriteCtx, activities, log_change, search, timeline};
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::{Entity, FieldKind, FieldSpec};
use crate::domain::money::Currency;
use crate::domain::timeline::TimelineKind;
use crate::store::engine::*;
use crate::store::merge::CustomSides;
pub(crate) use crate::store::merge::*;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, Transaction, params, params_from_iter};
use serde_json::json;
use std::collections::BTreeMap;

/// Fields a merge compares: yes/no flags keep the kept record's value, and the currency
/// travels with the amount it belongs to.
fn compared(entity: Entity) -> impl Iterator<Item = &'static FieldSpec> {
    entity.fields().iter().filter(|s| !matches!(s.kind, FieldKind::Bool | FieldKind::Currency))
}

fn currency_of(row: &BTreeMap<&'static str, Sql>) -> Option<Currency> {
    match row.get("currency") {
        Some(Sql::Text(c)) => Currency::parse(c),
        _ => None,
    }
}

fn is_empty(v: &Sql) -> bool {
    match v {
        Sql::Null => true,
        Sql::Text(t) => t.trim().is_empty(),
        _ => false,
    }
}

type Row = BTreeMap<&'static str, Sql>;

/// The kept record's version and row, and the others' rows.
type Rows = (i64, Row, Vec<(i64, Row)>);

fn check_ids(conn: &Connection, entity: Entity, keep: i64, others: &[i64]) -> Result<Rows> {
    if !matches!(entity, Entity::Lead | Entity::Contact | Entity::Company) {
        return Err(StoreError::Rule(Rule::NotMergeable { entity }));
    }
    if others.is_empty() {
        return Err(StoreError::Rule(Rule::NothingToMerge));
    }
    if others.contains(&keep) {
        return Err(StoreError::Rule(Rule::MergeIntoItself { entity, id: keep }));
    }
    let (version, keep_row) = raw_row(conn, entity, keep)?;
    let mut rows = Vec::new();
    for o in others {
        if rows.iter().any(|(id, _)| id == o) {
            continue;
        }
        rows.push((*o, raw_row(conn, entity, *o)?.1));
    }
    Ok((version, keep_row, rows))
}

fn preview_in(conn: &Connection, entity: Entity, keep: i64, others: &[i64]) -> Result<MergePreview> {
    let (_, keep_row, rows) = check_ids(conn, entity, keep, others)?;
    let mut preview = preview_of(conn, entity, &keep_row, &rows)?;
    let (fields, keep_values, others) = custom_values(conn, entity, keep, &rows)?;
    CustomSides { fields: &fields, keep: keep_values, others }.preview(&mut preview);
    Ok(preview)
}

/// The fields of the team's own of `entity`, the kept record's values and each other's.
type CustomValues = (Vec<crate::domain::custom_field::CustomField>, Vec<(i64, String)>, Vec<(i64, Vec<(i64, String)>)>);

fn custom_values(conn: &Connection, entity: Entity, keep: i64, rows: &[(i64, Row)]) -> Result<CustomValues> {
    use crate::store::sqlite::custom_fields::{fields_of, values_of};
    let fields = fields_of(conn, Some(entity))?;
    if fields.is_empty() {
        return Ok((fields, vec![], vec![]));
    }
    let others = rows.iter().map(|(id, _)| Ok((*id, values_of(conn, entity, *id)?))).collect::<Result<_>>()?;
    Ok((fields, values_of(conn, entity, keep)?, others))
}

/// Fills and differing fields between rows already read.
fn preview_of(conn: &Connection, entity: Entity, keep_row: &Row, rows: &[(i64, Row)]) -> Result<MergePreview> {
    let mut out = MergePreview::default();
    for spec in compared(entity) {
        let mine = keep_row.get(spec.column).cloned().unwrap_or(Sql::Null);
        // Each value of the others that differs from the kept one, once, with its first record.
        let mut values: Vec<(i64, Sql)> = Vec::new();
        for (id, row) in rows {
            let theirs = row.get(spec.column).cloned().unwrap_or(Sql::Null);
            if !is_empty(&theirs) && theirs != mine && !values.iter().any(|(_, v)| *v == theirs) {
                values.push((*id, theirs));
            }
        }
        let Some((first_id, _)) = values.first() else { continue };
        let first_id = *first_id;
        let mut shown = Vec::new();
        for (id, v) in &values {
            let row = rows.iter().find(|(r, _)| r == id).map(|(_, row)| row);
            shown.push((*id, shown_of(conn, spec, v, row.and_then(currency_of))?.text()));
        }
        let conflict = |keep: String| MergeConflict {
            field: spec.key.to_string(),
            keep,
            other: shown[0].1.clone(),
            other_id: first_id,
            values: shown.clone(),
        };
        if is_empty(&mine) {
            out.fills.push((spec.key.to_string(), shown[0].1.clone(), first_id));
            if shown.len() > 1 {
                out.alternatives.push(conflict(String::new()));
            }
        } else {
            out.conflicts.push(conflict(shown_of(conn, spec, &mine, currency_of(keep_row))?.text()));
        }
    }
    Ok(out)
}

/// The record whose value a field takes when the user named one (`Prefer::Record`): `None`
/// for the kept record's own value. Refused, naming the field and the records to choose
/// from, when the record is not in the merge or holds no value of its own for the field.
fn chosen_record(spec: &FieldSpec, id: i64, keep: i64, keep_row: &Row, rows: &[(i64, Row)]) -> Result<Option<i64>> {
    let value = |row: &Row| row.get(spec.column).cloned().unwrap_or(Sql::Null);
    let mine = value(keep_row);
    if id == keep {
        return Ok(None);
    }
    match rows.iter().find(|(r, _)| *r == id) {
        Some((_, row)) if !is_empty(&value(row)) => Ok((value(row) != mine).then_some(id)),
        _ => {
            let holding = std::iter::once((keep, keep_row)).chain(rows.iter().map(|(r, row)| (*r, row)));
            let accepted = holding.filter(|(_, row)| !is_empty(&value(row))).map(|(r, _)| format!("#{r}")).collect();
            Err(StoreError::Field(FieldError::new(spec.key, Problem::Choice { value: format!("#{id}"), accepted })))
        }
    }
}

/// Moves rows pointing at `other` to `keep` in `table.column`.
fn repoint(tx: &Transaction, table: &str, column: &str, keep: i64, other: i64) -> Result<()> {
    let sql = format!("UPDATE {table} SET {column} = ?1 WHERE {column} = ?2");
    tx.prepare_cached(&sql)?.execute(params![keep, other])?;
    Ok(())
}

fn merge_in(
    tx: &Transaction,
    ctx: &WriteCtx,
    entity: Entity,
    keep: i64,
    others: &[i64],
    choices: &MergeChoices,
    expected: Option<i64>,
) -> Result<Merged> {
    let (version, keep_row, rows) = check_ids(tx, entity, keep, others)?;
    if let Some(exp) = expected
        && exp != version
    {
        return Err(StoreError::Conflict { entity, id: keep, expected: exp, actual: version });
    }
    let (fields, keep_values, other_values) = custom_values(tx, entity, keep, &rows)?;
    for key in choices.fields.keys() {
        if !compared(entity).any(|s| s.key == key) && !fields.iter().any(|f| f.code == *key) {
            let mut accepted: Vec<String> = compared(entity).map(|s| s.key.to_string()).collect();
            accepted.extend(fields.iter().map(|f| f.code.clone()));
            return Err(StoreError::Field(FieldError::new(key.clone(), Problem::NoSuchField { accepted })));
        }
    }
    let sides = CustomSides { fields: &fields, keep: keep_values, others: other_values };
    let mut preview = preview_of(tx, entity, &keep_row, &rows)?;
    sides.preview(&mut preview);
    let mut sets: Vec<(&'static str, Sql)> = Vec::new();
    let mut changes = Vec::new();
    let take = |sets: &mut Vec<(&'static str, Sql)>, spec: &FieldSpec, from: i64| {
        if let Some((_, row)) = rows.iter().find(|(id, _)| *id == from) {
            sets.push((spec.column, row.get(spec.column).cloned().unwrap_or(Sql::Null)));
            if spec.kind == FieldKind::Amount {
                sets.push(("currency", row.get("currency").cloned().unwrap_or(Sql::Null)));
            }
        }
    };
    // A merged record's value of a field, as shown.
    let shown_in = |spec: &FieldSpec, from: i64| -> Result<String> {
        let row = rows.iter().find(|(id, _)| *id == from).map(|(_, row)| row);
        let value = row.and_then(|row| row.get(spec.column).cloned()).unwrap_or(Sql::Null);
        Ok(shown_of(tx, spec, &value, row.and_then(currency_of))?.text())
    };
    for (key, value, from_first) in &preview.fills {
        let Some(spec) = entity.field(key) else { continue };
        // Another record's value than the first, when the user named one.
        let from = match choices.fields.get(key) {
            Some(Prefer::Record(id)) => match chosen_record(spec, *id, keep, &keep_row, &rows)? {
                Some(id) => id,
                None => continue,
            },
            _ => *from_first,
        };
        let value = if from == *from_first { value.clone() } else { shown_in(spec, from)? };
        take(&mut sets, spec, from);
        changes.push(json!({"field": key, "old": "", "new": value}));
    }
    for c in &preview.conflicts {
        let prefer = choices.fields.get(&c.field).copied().or(choices.fallback).ok_or_else(|| {
            StoreError::Field(FieldError::new(
                c.field.clone(),
                Problem::refused(
                    "merge_differs",
                    &[
                        ("keep", &keep.to_string()),
                        ("kept", &c.keep),
                        (
                            "others",
                            &c.values.iter().map(|(id, v)| format!("#{id}: '{v}'")).collect::<Vec<_>>().join(", "),
                        ),
                        ("field", &c.field),
                    ],
                ),
            ))
        })?;
        let Some(spec) = entity.field(&c.field) else { continue };
        let from = match prefer {
            Prefer::Keep => None,
            Prefer::Other => Some(c.other_id),
            Prefer::Record(id) => chosen_record(spec, id, keep, &keep_row, &rows)?,
        };
        if let Some(from) = from {
            take(&mut sets, spec, from);
            changes.push(json!({"field": c.field, "old": c.keep, "new": shown_in(spec, from)?}));
        }
    }

    // Fields of the team's own as chosen (before the others' values move to the kept record,
    // which then keeps its own).
    let custom = sides.chosen(keep, choices)?;
    changes.extend(super::records::write_custom(tx, keep, &custom)?);

    // Communications: the union, the kept record's first.
    let mut comms = comms_of(tx, entity, keep)?;
    let before = comms.clone();
    for (id, _) in &rows {
        let theirs = comms_of(tx, entity, *id)?;
        comms = apply_comms(&comms, &CommsChange { add: theirs, ..Default::default() });
    }
    if comms != before {
        write_comms(tx, entity, keep, &comms)?;
        changes.push(json!({"field": "comms", "old": before.len().to_string(), "new": comms.len().to_string()}));
    }

    let mut merged = Vec::new();
    for (other, _) in &rows {
        let other = *other;
        let title = title_of(tx, entity, other)?;
        match entity {
            Entity::Contact => {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO contact_companies (contact_id, company_id) \
                     SELECT ?1, company_id FROM contact_companies WHERE contact_id = ?2",
                )?
                .execute(params![keep, other])?;
                repoint(tx, "leads", "contact_id", keep, other)?;
                repoint(tx, "deals", "contact_id", keep, other)?;
                // A deal's other contacts (its primary one was just repointed): the kept
                // contact instead, once, and never beside itself as primary.
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO deal_contacts (deal_id, contact_id) \
                     SELECT deal_id, ?1 FROM deal_contacts WHERE contact_id = ?2",
                )?
                .execute(params![keep, other])?;
                tx.prepare_cached(
                    "DELETE FROM deal_contacts WHERE contact_id = ?1 \
                     AND deal_id IN (SELECT id FROM deals WHERE contact_id = ?1)",
                )?
                .execute(params![keep])?;
            }
            Entity::Company => {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO contact_companies (contact_id, company_id) \
                     SELECT contact_id, ?1 FROM contact_companies WHERE company_id = ?2",
                )?
                .execute(params![keep, other])?;
                repoint(tx, "leads", "company_id", keep, other)?;
                repoint(tx, "deals", "company_id", keep, other)?;
            }
            Entity::Lead => {
                tx.prepare_cached(
                    "UPDATE leads SET is_repeat = max(is_repeat, (SELECT is_repeat FROM leads WHERE id = ?2)), \
                     contact_id = coalesce(contact_id, (SELECT contact_id FROM leads WHERE id = ?2)), \
                     company_id = coalesce(company_id, (SELECT company_id FROM leads WHERE id = ?2)) WHERE id = ?1",
                )?
                .execute(params![keep, other])?;
                repoint(tx, "deals", "lead_id", keep, other)?;
                repoint(tx, "contacts", "lead_id", keep, other)?;
                repoint(tx, "companies", "lead_id", keep, other)?;
            }
            // Deals are not merged (refused before).
            Entity::Deal => {}
        }
        tx.prepare_cached(
            "UPDATE OR IGNORE activity_bindings SET entity_id = ?1 WHERE entity = ?3 AND entity_id = ?2",
        )?
        .execute(params![keep, other, entity.code()])?;
        tx.prepare_cached("DELETE FROM activity_bindings WHERE entity = ?2 AND entity_id = ?1")?
            .execute(params![other, entity.code()])?;
        tx.prepare_cached(
            "UPDATE OR IGNORE custom_values SET entity_id = ?1 WHERE entity_id = ?2 \
             AND field_id IN (SELECT id FROM custom_fields WHERE entity = ?3)",
        )?
        .execute(params![keep, other, entity.code()])?;
        tx.prepare_cached(
            "DELETE FROM custom_values WHERE entity_id = ?1 AND field_id IN (SELECT id FROM custom_fields WHERE entity = ?2)",
        )?
        .execute(params![other, entity.code()])?;
        // Links to it from fields of the team's own now name the kept record.
        tx.prepare_cached(
            "UPDATE custom_values SET value = ?1, sort_key = ?4 WHERE value = ?2 \
             AND field_id IN (SELECT id FROM custom_fields WHERE link_to = ?3)",
        )?
        .execute(params![
            keep.to_string(),
            other.to_string(),
            entity.code(),
            crate::domain::field_filter::link_key(keep)
        ])?;
        // History follows the record it is now part of.
        tx.prepare_cached("UPDATE timeline SET entity_id = ?1 WHERE entity = ?3 AND entity_id = ?2")?
            .execute(params![keep, other, entity.code()])?;
        tx.prepare_cached("DELETE FROM comms WHERE entity = ?1 AND entity_id = ?2")?
            .execute(params![entity.code(), other])?;
        search::remove(tx, entity, other)?;
        tx.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", entity.table()))?.execute([other])?;
        log_change(tx, ctx, entity, other)?;
        merged.push(json!({"id": other, "title": title}));
    }

    let mut sql = format!("UPDATE {} SET ", entity.table());
    let mut p: Vec<Sql> = Vec::new();
    for (col, v) in &sets {
        p.push(v.clone());
        sql.push_str(&format!("{col} = ?{}, ", p.len()));
    }
    p.extend([Sql::Integer(ctx.now), ctx.user_id.map_or(Sql::Null, Sql::Integer), Sql::Integer(keep)]);
    let n = p.len();
    sql.push_str(&format!("modified_at = ?{}, modified_by = ?{}, version = version + 1 WHERE id = ?{n}", n - 2, n - 1));
    tx.prepare_cached(&sql)?.execute(params_from_iter(p.iter()))?;
    refresh_derived(tx, ctx, entity, keep)?;
    activities::refresh_next(tx, entity, keep)?;
    let changed: Vec<String> = changes.iter().filter_map(|c| c["field"].as_str().map(str::to_string)).collect();
    timeline::add(tx, entity, keep, TimelineKind::Merged, ctx, json!({"merged": merged, "changes": changes}))?;
    log_change(tx, ctx, entity, keep)?;
    Ok(Merged { entity, id: keep, version: version + 1, merged: rows.iter().map(|(id, _)| *id).collect(), changed })
}

impl Merging for Store {
    /// What merging `others` into `keep` would fill and which differing fields need a choice.
    fn merge_preview(&self, entity: Entity, keep: i64, others: &[i64]) -> Result<MergePreview> {
        preview_in(self.conn(), entity, keep, others).map_err(|e| self.fill_path(e))
    }

    /// Merges `others` into `keep` (SPEC D2). Differing fields take the user's choice; a differing field with neither is refused and nothing is written.
    fn merge(
        &mut self,
        entity: Entity,
        keep: i64,
        others: &[i64],
        choices: &MergeChoices,
        expected_version: Option<i64>,
    ) -> Result<Merged> {
        self.write(|tx, ctx| merge_in(tx, ctx, entity, keep, others, choices, expected_version))
    }
}
