//! Custom field definitions and values on PostgreSQL (SPEC F1), as `sqlite::custom_fields`.

use super::{Result, Store};
use crate::domain::custom_field::{CustomField, check_code};
use crate::domain::field_filter::sort_key;
use crate::domain::fields::Entity;
use crate::store::custom_fields::{COLUMNS, FieldRow, json_lists, link_to, named};
use crate::store::engine::*;
use crate::store::{Rule, StoreError};
use postgres::GenericClient;

/// The custom fields of `entity` (all: `None`), by entity then position.
pub(crate) fn fields_of(c: &mut impl GenericClient, entity: Option<Entity>) -> Result<Vec<CustomField>> {
    let sql =
        format!("SELECT {COLUMNS} FROM custom_fields WHERE $1::text IS NULL OR entity = $1 ORDER BY entity, sort, id");
    // Asked at every record's reading: sent with its type, in one round trip.
    let rows = c.query_typed(&sql, &[(&entity.map(Entity::code), super::TEXT)])?;
    let rows = rows.iter().map(|r| FieldRow {
        id: r.get(0),
        entity: r.get(1),
        code: r.get(2),
        label: r.get(3),
        kind: r.get(4),
        section: r.get(5),
        position: r.get(6),
        options: r.get(7),
        label_fr: r.get(8),
        link_to: r.get(9),
        default: r.get(10),
        in_list: r.get(11),
        required_from: r.get(12),
    });
    Ok(rows.filter_map(FieldRow::field).collect())
}

/// A record's custom values: (field id, stored value).
pub(crate) fn values_of(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<Vec<(i64, String)>> {
    let rows = c.query_typed(
        "SELECT v.field_id, v.value FROM custom_values v JOIN custom_fields f ON f.id = v.field_id \
         WHERE f.entity = $1 AND v.entity_id = $2 AND v.value IS NOT NULL",
        &[(&entity.code(), super::TEXT), (&id, super::INT8)],
    )?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Writes one value (`None`: clears it), with its order key (`field_filter::sort_key`).
pub(crate) fn write_value(c: &mut impl GenericClient, field: &CustomField, id: i64, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => c.execute(
            "INSERT INTO custom_values (field_id, entity_id, value, sort_key) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (field_id, entity_id) DO UPDATE SET value = excluded.value, sort_key = excluded.sort_key",
            &[&field.id, &id, &v, &sort_key(field, v)],
        )?,
        None => c.execute("DELETE FROM custom_values WHERE field_id = $1 AND entity_id = $2", &[&field.id, &id])?,
    };
    Ok(())
}

/// Writes the value of a record just made: a plain insert (one that may update is held to
/// the reading policy, and a record the queue handed out of its maker's sight is not theirs
/// to read).
pub(crate) fn insert_value(c: &mut impl GenericClient, field: &CustomField, id: i64, value: &str) -> Result<()> {
    c.execute(
        "INSERT INTO custom_values (field_id, entity_id, value, sort_key) VALUES ($1, $2, $3, $4)",
        &[&field.id, &id, &value, &sort_key(field, value)],
    )?;
    Ok(())
}

/// Makes the order keys of `fields`' values again (all fields: `None`): after the upgrade that
/// added them, and when a list's options change order.
pub(crate) fn refresh_sort_keys(c: &mut impl GenericClient, only: Option<&CustomField>) -> Result<()> {
    let fields = match only {
        Some(f) => vec![f.clone()],
        None => fields_of(c, None)?,
    };
    for field in &fields {
        let rows = c.query("SELECT entity_id, value FROM custom_values WHERE field_id = $1", &[&field.id])?;
        let (ids, keys): (Vec<i64>, Vec<Option<String>>) = rows
            .iter()
            .map(|r| (r.get::<_, i64>(0), r.get::<_, Option<String>>(1).map(|v| sort_key(field, &v))))
            .unzip();
        c.execute(
            "UPDATE custom_values v SET sort_key = k.key FROM unnest($2::bigint[], $3::text[]) AS k(id, key) \
             WHERE v.field_id = $1 AND v.entity_id = k.id",
            &[&field.id, &ids, &keys],
        )?;
    }
    Ok(())
}

impl CustomFields for Store {
    fn custom_fields(&self, entity: Option<Entity>) -> Result<Vec<CustomField>> {
        fields_of(&mut *self.client(), entity).map_err(|e| self.fill_path(e))
    }

    fn add_custom_field(&mut self, field: &CustomField) -> Result<CustomField> {
        let code = check_code(field.entity, &field.code)?;
        self.write(|tx, _| {
            let known = fields_of(tx, Some(field.entity))?;
            if known.iter().any(|f| f.code == code) {
                let taken = crate::domain::Problem::refused("field_code_taken", &[("value", &code)]);
                return Err(crate::domain::FieldError::new("code", taken).into());
            }
            let position = if field.position > 0 {
                field.position
            } else {
                known.iter().map(|f| f.position).max().unwrap_or(0) + 1
            };
            let (options, required) = json_lists(field);
            tx.execute(
                "INSERT INTO custom_fields (entity, code, label, kind, section, sort, options, label_fr, link_to, \
                 default_value, in_list, required_from) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                &[
                    &field.entity.code(),
                    &code,
                    &field.label,
                    &field.kind.code(),
                    &field.section,
                    &position,
                    &options,
                    &field.label_fr,
                    &link_to(field),
                    &field.default,
                    &field.in_list,
                    &required,
                ],
            )?;
            let all = fields_of(tx, Some(field.entity))?;
            named(&all, field.entity, &code).cloned()
        })
    }

    fn edit_custom_field(&mut self, field: &CustomField) -> Result<CustomField> {
        self.write(|tx, _| {
            let all = fields_of(tx, Some(field.entity))?;
            let before = named(&all, field.entity, &field.code)?.clone();
            let id = before.id;
            let (options, required) = json_lists(field);
            tx.execute(
                "UPDATE custom_fields SET label = $2, label_fr = $3, section = $4, sort = $5, options = $6, \
                 default_value = $7, in_list = $8, required_from = $9 WHERE id = $1",
                &[
                    &id,
                    &field.label,
                    &field.label_fr,
                    &field.section,
                    &field.position,
                    &options,
                    &field.default,
                    &field.in_list,
                    &required,
                ],
            )?;
            let all = fields_of(tx, Some(field.entity))?;
            let edited = named(&all, field.entity, &field.code)?.clone();
            // A list's options in another order: its values sort another way.
            if edited.kind.has_options() && edited.options != before.options {
                refresh_sort_keys(tx, Some(&edited))?;
            }
            Ok(edited)
        })
    }

    fn delete_custom_field(&mut self, entity: Entity, code: &str, force: bool) -> Result<i64> {
        self.write(|tx, _| {
            let all = fields_of(tx, Some(entity))?;
            let field = named(&all, entity, code)?;
            let count: i64 = tx
                .query_one(
                    "SELECT count(*) FROM custom_values WHERE field_id = $1 AND value IS NOT NULL",
                    &[&field.id],
                )?
                .get(0);
            if count > 0 && !force {
                return Err(StoreError::Rule(Rule::FieldHoldsValues { code: field.code.clone(), count }));
            }
            // Search no longer finds records by a deleted field's text.
            let held: Vec<i64> = if crate::store::custom_fields::searched(field) && count > 0 {
                tx.query("SELECT entity_id FROM custom_values WHERE field_id = $1", &[&field.id])?
                    .iter()
                    .map(|r| r.get(0))
                    .collect()
            } else {
                vec![]
            };
            tx.execute("DELETE FROM custom_fields WHERE id = $1", &[&field.id])?;
            for id in held {
                super::search::reindex(tx, entity, id)?;
            }
            Ok(count)
        })
    }
}
