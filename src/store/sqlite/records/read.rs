//! Reading one record: its fields as shown, its phones and e-mails, the records linked to it.

use super::*;

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
    let custom = custom_of(conn, entity, id)?;
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
        custom,
        created_at: meta.0,
        created_by: meta.1,
        modified_at: meta.2,
        modified_by: meta.3,
        moved_at: meta.4,
        moved_by: meta.5,
        next_activity_at: meta.6,
    })
}

/// The entity's custom fields with the record's values (SPEC F1).
pub(crate) fn custom_of(conn: &Connection, entity: Entity, id: i64) -> Result<Vec<(CustomField, Option<String>)>> {
    let fields = crate::store::sqlite::custom_fields::fields_of(conn, Some(entity))?;
    if fields.is_empty() {
        return Ok(vec![]);
    }
    let values = crate::store::sqlite::custom_fields::values_of(conn, entity, id)?;
    Ok(crate::store::custom_fields::paired(fields, &values))
}

/// Most linked records of one kind listed on a form.
pub(super) const MAX_LINKS: i64 = 50;

/// Records linked to a record, both ways: a lead's client and the deal it became; a contact's
/// companies, deals and leads; a company's contacts, deals and leads; a deal's client (its
/// primary contact first, then the others) and lead.
pub(super) fn links_of(conn: &Connection, entity: Entity, id: i64) -> Result<Vec<(Entity, RefShown)>> {
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
            // As primary contact or as another one.
            (
                Entity::Deal,
                "SELECT id FROM deals WHERE contact_id = ?1 \
                 UNION SELECT deal_id FROM deal_contacts WHERE contact_id = ?1 ORDER BY 1 DESC LIMIT ?2",
            ),
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
            // The primary contact first, then the others (SPEC E3).
            (Entity::Contact, "SELECT contact_id FROM deals WHERE id = ?1 AND contact_id IS NOT NULL"),
            (Entity::Contact, "SELECT contact_id FROM deal_contacts WHERE deal_id = ?1 ORDER BY contact_id LIMIT ?2"),
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
