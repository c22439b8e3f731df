//! Merging duplicates (SPEC D2) on PostgreSQL, as `sqlite::merge` does: the kept record gets
//! empty fields filled and the values the user chose; links, activities, communications and
//! timeline move to it; the others go. One transaction.

use super::records::{
    CommsChange, RecordRef, Val, apply_comms, comms_of, raw_row, refresh_derived, refresh_next_activity, shown_of,
    title_of, write_comms,
};
use super::{Result, Store, StoreError, WriteCtx, log_change, search, timeline};
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::{Entity, FieldKind, FieldSpec};
use crate::domain::money::Currency;
use crate::domain::timeline::TimelineKind;
use crate::store::engine::*;
use crate::store::merge::CustomSides;
pub(crate) use crate::store::merge::*;
use crate::store::rule::Rule;
use postgres::GenericClient;
use postgres::types::ToSql;
use serde_json::json;
use std::collections::BTreeMap;

/// Fields a merge compares: yes/no flags keep the kept record's value, and the currency
/// travels with the amount it belongs to.
fn compared(entity: Entity) -> impl Iterator<Item = &'static FieldSpec> {
    entity.fields().iter().filter(|s| !matches!(s.kind, FieldKind::Bool | FieldKind::Currency))
}

fn currency_of(row: &BTreeMap<&'static str, Val>) -> Option<Currency> {
    match row.get("currency") {
        Some(Val::Text(c)) => Currency::parse(c),
        _ => None,
    }
}

fn is_empty(v: &Val) -> bool {
    match v {
        Val::Null => true,
        Val::Text(t) => t.trim().is_empty(),
        _ => false,
    }
}

type Row = BTreeMap<&'static str, Val>;

/// The kept record's version and row, and the others' rows.
type Rows = (i64, Row, Vec<(i64, Row)>);

fn check_ids(conn: &mut impl GenericClient, entity: Entity, keep: i64, others: &[i64]) -> Result<Rows> {
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

fn preview_in(conn: &mut impl GenericClient, entity: Entity, keep: i64, others: &[i64]) -> Result<MergePreview> {
    let (_, keep_row, rows) = check_ids(conn, entity, keep, others)?;
    let mut preview = preview_of(conn, entity, &keep_row, &rows)?;
    let (fields, keep_values, others) = custom_values(conn, entity, keep, &rows)?;
    CustomSides { fields: &fields, keep: keep_values, others }.preview(&mut preview);
    Ok(preview)
}

/// The fields of the team's own of `entity`, the kept record's values and each other's.
type CustomValues = (Vec<crate::domain::custom_field::CustomField>, Vec<(i64, String)>, Vec<(i64, Vec<(i64, String)>)>);

fn custom_values(c: &mut impl GenericClient, entity: Entity, keep: i64, rows: &[(i64, Row)]) -> Result<CustomValues> {
    use crate::store::postgres::custom_fields::{fields_of, values_of};
    let fields = fields_of(c, Some(entity))?;
    if fields.is_empty() {
        return Ok((fields, vec![], vec![]));
    }
    let mut others = Vec::new();
    for (id, _) in rows {
        others.push((*id, values_of(c, entity, *id)?));
    }
    Ok((fields, values_of(c, entity, keep)?, others))
}

/// Fills and differing fields between rows already read.
fn preview_of(
    conn: &mut impl GenericClient,
    entity: Entity,
    keep_row: &Row,
    rows: &[(i64, Row)],
) -> Result<MergePreview> {
    let mut out = MergePreview::default();
    for spec in compared(entity) {
        let mine = keep_row.get(spec.column).cloned().unwrap_or(Val::Null);
        // Each value of the others that differs from the kept one, once, with its first record.
        let mut values: Vec<(i64, Val)> = Vec::new();
        for (id, row) in rows {
            let theirs = row.get(spec.column).cloned().unwrap_or(Val::Null);
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
    let value = |row: &Row| row.get(spec.column).cloned().unwrap_or(Val::Null);
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
fn repoint(c: &mut impl GenericClient, table: &str, column: &str, keep: i64, other: i64) -> Result<()> {
    c.execute(&format!("UPDATE {table} SET {column} = $1 WHERE {column} = $2"), &[&keep, &other])?;
    Ok(())
}

/// A merged record's value of a field, as shown.
fn shown_in(c: &mut impl GenericClient, rows: &[(i64, Row)], spec: &FieldSpec, from: i64) -> Result<String> {
    let row = rows.iter().find(|(id, _)| *id == from).map(|(_, row)| row);
    let value = row.and_then(|row| row.get(spec.column).cloned()).unwrap_or(Val::Null);
    Ok(shown_of(c, spec, &value, row.and_then(currency_of))?.text())
}

/// Moves what points at `other` (links, activities, custom values, history) to `keep`, then
/// deletes `other`.
fn absorb(c: &mut impl GenericClient, ctx: &WriteCtx, entity: Entity, keep: i64, other: i64) -> Result<()> {
    let code = entity.code();
    match entity {
        Entity::Contact => {
            c.execute(
                "INSERT INTO contact_companies (contact_id, company_id) \
                 SELECT $1, company_id FROM contact_companies WHERE contact_id = $2 ON CONFLICT DO NOTHING",
                &[&keep, &other],
            )?;
            repoint(c, "leads", "contact_id", keep, other)?;
            repoint(c, "deals", "contact_id", keep, other)?;
            // A deal's other contacts, as SQLite's merge.
            c.execute(
                "INSERT INTO deal_contacts (deal_id, contact_id) \
                 SELECT deal_id, $1 FROM deal_contacts WHERE contact_id = $2 ON CONFLICT DO NOTHING",
                &[&keep, &other],
            )?;
            c.execute(
                "DELETE FROM deal_contacts WHERE contact_id = $1 \
                 AND deal_id IN (SELECT id FROM deals WHERE contact_id = $1)",
                &[&keep],
            )?;
        }
        Entity::Company => {
            c.execute(
                "INSERT INTO contact_companies (contact_id, company_id) \
                 SELECT contact_id, $1 FROM contact_companies WHERE company_id = $2 ON CONFLICT DO NOTHING",
                &[&keep, &other],
            )?;
            repoint(c, "leads", "company_id", keep, other)?;
            repoint(c, "deals", "company_id", keep, other)?;
        }
        Entity::Lead => {
            c.execute(
                "UPDATE leads SET is_repeat = is_repeat OR coalesce((SELECT is_repeat FROM leads WHERE id = $2), FALSE), \
                 contact_id = coalesce(contact_id, (SELECT contact_id FROM leads WHERE id = $2)), \
                 company_id = coalesce(company_id, (SELECT company_id FROM leads WHERE id = $2)) WHERE id = $1",
                &[&keep, &other],
            )?;
            repoint(c, "deals", "lead_id", keep, other)?;
            repoint(c, "contacts", "lead_id", keep, other)?;
            repoint(c, "companies", "lead_id", keep, other)?;
        }
        // Deals are not merged (refused before).
        Entity::Deal => {}
    }
    // Bindings and values the kept record already has stay as they are (the file's
    // `UPDATE OR IGNORE`); the others' leftovers go.
    c.execute(
        "UPDATE activity_bindings b SET entity_id = $1 WHERE b.entity = $3 AND b.entity_id = $2 \
         AND NOT EXISTS (SELECT 1 FROM activity_bindings o WHERE o.activity_id = b.activity_id AND o.entity = $3 AND o.entity_id = $1)",
        &[&keep, &other, &code],
    )?;
    c.execute("DELETE FROM activity_bindings WHERE entity = $2 AND entity_id = $1", &[&other, &code])?;
    c.execute(
        "UPDATE custom_values v SET entity_id = $1 WHERE v.entity_id = $2 \
         AND v.field_id IN (SELECT id FROM custom_fields WHERE entity = $3) \
         AND NOT EXISTS (SELECT 1 FROM custom_values o WHERE o.field_id = v.field_id AND o.entity_id = $1)",
        &[&keep, &other, &code],
    )?;
    c.execute(
        "DELETE FROM custom_values WHERE entity_id = $1 AND field_id IN (SELECT id FROM custom_fields WHERE entity = $2)",
        &[&other, &code],
    )?;
    // Links to it from fields of the team's own now name the kept record.
    c.execute(
        "UPDATE custom_values SET value = $1, sort_key = $4 WHERE value = $2 \
         AND field_id IN (SELECT id FROM custom_fields WHERE link_to = $3)",
        &[&keep.to_string(), &other.to_string(), &code, &crate::domain::field_filter::link_key(keep)],
    )?;
    // History follows the record it is now part of.
    c.execute("UPDATE timeline SET entity_id = $1 WHERE entity = $3 AND entity_id = $2", &[&keep, &other, &code])?;
    c.execute("DELETE FROM comms WHERE entity = $1 AND entity_id = $2", &[&code, &other])?;
    search::remove(c, entity, other)?;
    c.execute(&format!("DELETE FROM {} WHERE id = $1", entity.table()), &[&other])?;
    log_change(c, ctx, entity, other)?;
    Ok(())
}

/// The field a merge's choice names must be one it compares (built-in, or of the team's own).
fn check_choices(
    entity: Entity,
    choices: &MergeChoices,
    fields: &[crate::domain::custom_field::CustomField],
) -> Result<()> {
    for key in choices.fields.keys() {
        if !compared(entity).any(|s| s.key == key) && !fields.iter().any(|f| f.code == *key) {
            let mut accepted: Vec<String> = compared(entity).map(|s| s.key.to_string()).collect();
            accepted.extend(fields.iter().map(|f| f.code.clone()));
            return Err(StoreError::Field(FieldError::new(key.clone(), Problem::NoSuchField { accepted })));
        }
    }
    Ok(())
}

/// The refusal of a differing field the user chose nothing for.
fn unchosen(keep: i64, c: &MergeConflict) -> StoreError {
    StoreError::Field(FieldError::new(
        c.field.clone(),
        Problem::refused(
            "merge_differs",
            &[
                ("keep", &keep.to_string()),
                ("kept", &c.keep),
                ("others", &c.values.iter().map(|(id, v)| format!("#{id}: '{v}'")).collect::<Vec<_>>().join(", ")),
                ("field", &c.field),
            ],
        ),
    ))
}

#[allow(clippy::too_many_arguments)]
fn merge_in(
    tx: &mut impl GenericClient,
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
    check_choices(entity, choices, &fields)?;
    let sides = CustomSides { fields: &fields, keep: keep_values, others: other_values };
    let mut preview = preview_of(tx, entity, &keep_row, &rows)?;
    sides.preview(&mut preview);
    let mut sets: Vec<(&'static str, Val)> = Vec::new();
    let mut changes = Vec::new();
    let take = |sets: &mut Vec<(&'static str, Val)>, spec: &FieldSpec, from: i64| {
        if let Some((_, row)) = rows.iter().find(|(id, _)| *id == from) {
            sets.push((spec.column, row.get(spec.column).cloned().unwrap_or(Val::Null)));
            if spec.kind == FieldKind::Amount {
                sets.push(("currency", row.get("currency").cloned().unwrap_or(Val::Null)));
            }
        }
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
        let value = if from == *from_first { value.clone() } else { shown_in(tx, &rows, spec, from)? };
        take(&mut sets, spec, from);
        changes.push(json!({"field": key, "old": "", "new": value}));
    }
    for c in &preview.conflicts {
        let prefer = choices.fields.get(&c.field).copied().or(choices.fallback).ok_or_else(|| unchosen(keep, c))?;
        let Some(spec) = entity.field(&c.field) else { continue };
        let from = match prefer {
            Prefer::Keep => None,
            Prefer::Other => Some(c.other_id),
            Prefer::Record(id) => chosen_record(spec, id, keep, &keep_row, &rows)?,
        };
        if let Some(from) = from {
            take(&mut sets, spec, from);
            changes.push(json!({"field": c.field, "old": c.keep, "new": shown_in(tx, &rows, spec, from)?}));
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
        let title = title_of(tx, entity, *other)?;
        absorb(tx, ctx, entity, keep, *other)?;
        merged.push(json!({"id": other, "title": title}));
    }

    let mut sql = format!("UPDATE {} SET ", entity.table());
    let mut p: Vec<Val> = Vec::new();
    for (col, v) in &sets {
        p.push(v.clone());
        sql.push_str(&format!("{col} = ${}, ", p.len()));
    }
    p.extend([Val::Int(ctx.now), ctx.user_id.map_or(Val::Null, Val::Int), Val::Int(keep)]);
    let n = p.len();
    sql.push_str(&format!("modified_at = ${}, modified_by = ${}, version = version + 1 WHERE id = ${n}", n - 2, n - 1));
    let bound: Vec<&(dyn ToSql + Sync)> = p.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
    tx.execute(&sql, &bound)?;
    refresh_derived(tx, entity, keep)?;
    refresh_next_activity(tx, &[RecordRef::new(entity, keep)])?;
    let changed: Vec<String> = changes.iter().filter_map(|c| c["field"].as_str().map(str::to_string)).collect();
    timeline::add(tx, entity, keep, TimelineKind::Merged, ctx, json!({"merged": merged, "changes": changes}))?;
    log_change(tx, ctx, entity, keep)?;
    Ok(Merged { entity, id: keep, version: version + 1, merged: rows.iter().map(|(id, _)| *id).collect(), changed })
}

impl Merging for Store {
    /// What merging `others` into `keep` would fill and which differing fields need a choice.
    fn merge_preview(&self, entity: Entity, keep: i64, others: &[i64]) -> Result<MergePreview> {
        self.reading(|s| preview_in(&mut *s.client(), entity, keep, others))
    }

    /// Merges `others` into `keep` (SPEC D2). Differing fields take the user's choice; a
    /// differing field with neither is refused and nothing is written.
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
