//! Reading one record: its fields as shown, its phones and e-mails, the records linked to it.

use super::*;
use crate::store::postgres::INT8;

/// A record's title as every screen names it.
pub(crate) fn title_of(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<String> {
    let kind = match entity {
        Entity::Lead => RefKind::Lead,
        Entity::Contact => RefKind::Contact,
        Entity::Company => RefKind::Company,
        Entity::Deal => {
            let t: Option<String> = match c.query_typed_opt("SELECT title FROM deals WHERE id = $1", &[(&id, INT8)])? {
                Some(r) => r.try_get(0)?,
                None => None,
            };
            return Ok(display_title(entity, id, t.as_deref()));
        }
    };
    Ok(refs::describe(c, kind, id)?.name)
}

/// One full record, whoever may see it.
pub(crate) fn get_in(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<Record> {
    let (version, raw) = raw_row(c, entity, id)?;
    let currency = match raw.get("currency") {
        Some(Val::Text(cur)) => Currency::parse(cur),
        _ => None,
    };
    let mut values = Vec::new();
    for spec in entity.fields() {
        let v = raw.get(spec.column).cloned().unwrap_or(Val::Null);
        values.push((spec, shown_of(c, spec, &v, currency)?));
    }
    let staged = entity.has_stages();
    let sql = format!(
        "SELECT created_at, (SELECT login::text FROM users WHERE id = t.created_by), modified_at, \
         (SELECT login::text FROM users WHERE id = t.modified_by), {}, next_activity_at, {} FROM {} t WHERE id = $1",
        if staged {
            "moved_at, (SELECT login::text FROM users WHERE id = t.moved_by)"
        } else {
            "NULL::bigint, NULL::text"
        },
        if entity == Entity::Lead { "is_repeat" } else { "FALSE" },
        entity.table()
    );
    let meta = c.query_typed_one(&sql, &[(&id, INT8)])?;
    let stage_semantics = match values.iter().find(|(s, _)| s.key == "stage") {
        Some((_, Shown::Ref(r))) => Some(refs::stage_by_id(c, r.id)?.semantics),
        _ => None,
    };
    let links = links_of(c, entity, id)?;
    let custom = custom_of(c, entity, id)?;
    Ok(Record {
        entity,
        id,
        version,
        title: title_of(c, entity, id)?,
        values,
        comms: comms_of(c, entity, id)?,
        stage_semantics,
        is_repeat: meta.try_get(7)?,
        links,
        custom,
        created_at: meta.try_get(0)?,
        created_by: meta.try_get(1)?,
        modified_at: meta.try_get(2)?,
        modified_by: meta.try_get(3)?,
        moved_at: meta.try_get(4)?,
        moved_by: meta.try_get(5)?,
        next_activity_at: meta.try_get(6)?,
    })
}

/// Most linked records of one kind listed on a form.
pub(super) const MAX_LINKS: i64 = 50;

/// The entity's custom fields with the record's values (SPEC F1).
pub(crate) fn custom_of(
    c: &mut impl GenericClient,
    entity: Entity,
    id: i64,
) -> Result<Vec<(CustomField, Option<String>)>> {
    let fields = crate::store::postgres::custom_fields::fields_of(c, Some(entity))?;
    if fields.is_empty() {
        return Ok(vec![]);
    }
    let values = crate::store::postgres::custom_fields::values_of(c, entity, id)?;
    Ok(crate::store::custom_fields::paired(fields, &values))
}

/// Records linked to a record, both ways: a lead's client and the deal it became; a contact's
/// companies, deals and leads; a company's contacts, deals and leads; a deal's client (its
/// primary contact first, then the others) and lead.
pub(super) fn links_of(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<Vec<(Entity, RefShown)>> {
    let queries: &[(Entity, &str)] = match entity {
        Entity::Lead => &[
            (Entity::Contact, "SELECT contact_id FROM leads WHERE id = $1 AND contact_id IS NOT NULL"),
            (Entity::Company, "SELECT company_id FROM leads WHERE id = $1 AND company_id IS NOT NULL"),
            (Entity::Deal, "SELECT id FROM deals WHERE lead_id = $1 ORDER BY id LIMIT $2"),
        ],
        Entity::Contact => &[
            (
                Entity::Company,
                "SELECT company_id FROM contact_companies WHERE contact_id = $1 ORDER BY company_id LIMIT $2",
            ),
            // As primary contact or as another one.
            (
                Entity::Deal,
                "SELECT id FROM deals WHERE contact_id = $1 \
                 UNION SELECT deal_id FROM deal_contacts WHERE contact_id = $1 ORDER BY 1 DESC LIMIT $2",
            ),
            (Entity::Lead, "SELECT id FROM leads WHERE contact_id = $1 ORDER BY id DESC LIMIT $2"),
        ],
        Entity::Company => &[
            (
                Entity::Contact,
                "SELECT contact_id FROM contact_companies WHERE company_id = $1 ORDER BY contact_id LIMIT $2",
            ),
            (Entity::Deal, "SELECT id FROM deals WHERE company_id = $1 ORDER BY id DESC LIMIT $2"),
            (Entity::Lead, "SELECT id FROM leads WHERE company_id = $1 ORDER BY id DESC LIMIT $2"),
        ],
        Entity::Deal => &[
            // The primary contact first, then the others (SPEC E3).
            (Entity::Contact, "SELECT contact_id FROM deals WHERE id = $1 AND contact_id IS NOT NULL"),
            (Entity::Contact, "SELECT contact_id FROM deal_contacts WHERE deal_id = $1 ORDER BY contact_id LIMIT $2"),
            (Entity::Company, "SELECT company_id FROM deals WHERE id = $1 AND company_id IS NOT NULL"),
            (Entity::Lead, "SELECT lead_id FROM deals WHERE id = $1 AND lead_id IS NOT NULL"),
        ],
    };
    let mut links = Vec::new();
    for (target, sql) in queries {
        let rows = if sql.contains("$2") {
            c.query_typed(sql, &[(&id, INT8), (&MAX_LINKS, INT8)])?
        } else {
            c.query_typed(sql, &[(&id, INT8)])?
        };
        let mut ids: Vec<i64> = Vec::with_capacity(rows.len());
        for r in &rows {
            ids.push(r.try_get(0)?);
        }
        for linked in ids {
            let shown = match target {
                Entity::Deal => RefShown { id: linked, code: linked.to_string(), name: title_of(c, *target, linked)? },
                Entity::Contact => refs::describe(c, RefKind::Contact, linked)?,
                Entity::Company => refs::describe(c, RefKind::Company, linked)?,
                Entity::Lead => refs::describe(c, RefKind::Lead, linked)?,
            };
            links.push((*target, shown));
        }
    }
    Ok(links)
}
