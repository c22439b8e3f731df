//! New records written a handful at a time, in a few statements: their rows, comms, a
//! contact's companies, timeline entries and search entries, and for leads the clients they
//! repeat and the queue's picks. One record at a time (`create_in`) is about ten round trips
//! to the server; the import (`import::batch`) and the demo's load (`bulk`) write hundreds
//! of records this way, each made by the rule of a create (`new_row`), and a create
//! (`create_in`) its one record: one rule of what a new record writes.

use super::super::duplicates::Found;
use super::super::{Result, StoreError, WriteCtx, queue, search};
use super::{NewRow, Val, repeat_links};
use crate::domain::dedup::MatchKeys;
use crate::domain::fields::Entity;
use crate::domain::timeline::TimelineKind;
use crate::store::duplicates::DuplicateMatch;
use crate::store::import::LeftOut;
use crate::store::records::RepeatLink;
use crate::store::sqlite::duplicates::ranked_matches;
use crate::store::sqlite::search::entry_text_of_new;
use postgres::GenericClient;
use postgres::types::ToSql;
use serde_json::json;

/// Why a handful stopped: the database refused something of one of its rows (a value, a
/// constraint), which an import answers by writing the handful again a row at a time, or
/// anything else, which stops the load.
pub(crate) enum Fail {
    Row(postgres::Error),
    Store(StoreError),
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Self {
        Fail::Store(e)
    }
}

impl From<postgres::Error> for Fail {
    fn from(e: postgres::Error) -> Self {
        // Data exceptions (22), constraint violations (23), a value past a limit (54).
        let class = e.code().map(|c| &c.code()[..2]);
        if matches!(class, Some("22" | "23" | "54")) { Fail::Row(e) } else { Fail::Store(e.into()) }
    }
}

impl From<Fail> for StoreError {
    fn from(f: Fail) -> Self {
        match f {
            Fail::Row(e) => e.into(),
            Fail::Store(e) => e,
        }
    }
}

/// A new record waiting to be written with others (`write_new`).
pub(crate) struct NewRecord<'r> {
    /// Its row, comms and match keys, as `new_row` made them.
    pub(crate) row: NewRow,
    /// The ids of a contact's companies.
    pub(crate) companies: Vec<i64>,
    /// Where it came from, said by its `created` timeline entry.
    pub(crate) origin: String,
    /// When and by whom its timeline entries are: the import's instant and user, or a demo
    /// record's stamp.
    pub(crate) at: i64,
    pub(crate) by: Option<i64>,
    /// Values of an imported row left out, said by an `imported` timeline entry.
    pub(crate) left_out: &'r [LeftOut],
}

/// Writes `new`, records of `entity`, in order, so their ids follow it: their ids, ascending,
/// and the clients each repeats. A new lead repeats the contacts and companies it matches
/// (looked up only when `clients` may exist) and goes to whoever the queue picks when it
/// arrived by itself.
pub(crate) fn write_new(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    new: &mut [NewRecord<'_>],
    clients: bool,
) -> std::result::Result<(Vec<i64>, Vec<Vec<RepeatLink>>), Fail> {
    if new.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut links: Vec<Vec<RepeatLink>> = vec![Vec::new(); new.len()];
    if entity == Entity::Lead {
        if clients {
            links = repeats(c, ctx, new)?;
        }
        let mut picker = None;
        for (new, links) in new.iter_mut().zip(&links) {
            if !links.is_empty() {
                let contact = links.iter().find(|r| r.entity == Entity::Contact).map(|r| r.id);
                let company = links.iter().find(|r| r.entity == Entity::Company).map(|r| r.id);
                set(&mut new.row.columns, "is_repeat", Val::Bool(true));
                set(&mut new.row.columns, "contact_id", contact.map_or(Val::Null, Val::Int));
                set(&mut new.row.columns, "company_id", company.map_or(Val::Null, Val::Int));
            }
            if new.row.by_queue {
                if picker.is_none() {
                    picker = Some(queue::Picker::load(c)?);
                }
                if let Some(responsible) = picker.as_mut().and_then(|p| p.next()) {
                    set(&mut new.row.columns, "responsible_id", responsible.map_or(Val::Null, Val::Int));
                }
            }
        }
        if let Some(p) = picker {
            p.save(c)?;
        }
    }
    let ids = insert_rows(c, entity, new)?;
    insert_comms(c, ctx, entity, new, &ids)?;
    if entity == Entity::Contact {
        let (mut contact, mut company) = (Vec::new(), Vec::new());
        for (new, id) in new.iter().zip(&ids) {
            for co in &new.companies {
                contact.push(*id);
                company.push(*co);
            }
        }
        if !contact.is_empty() {
            let st = ctx.prepared(
                c,
                "INSERT INTO contact_companies (contact_id, company_id) \
                 SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING",
            )?;
            c.execute(&st, &[&contact, &company])?;
        }
    }
    insert_entries(c, ctx, entity, new, &ids, &links)?;
    // Their search entries from the values written (`entries_of` would read them back).
    let entries: Vec<(i64, String)> = new
        .iter()
        .zip(&ids)
        .map(|(n, id)| {
            let value_of = |col: &str| match n.row.columns.iter().find(|(c, _)| *c == col) {
                Some((_, Val::Text(t))) => Some(t.as_str()),
                _ => None,
            };
            (*id, entry_text_of_new(entity, value_of, &n.row.comms))
        })
        .collect();
    search::write_new_entries(c, entity, &entries)?;
    Ok((ids, links))
}

/// Sets a column of a new row, added when the row has none.
pub(crate) fn set(columns: &mut Vec<(&'static str, Val)>, column: &'static str, value: Val) {
    match columns.iter_mut().find(|(c, _)| *c == column) {
        Some((_, v)) => *v = value,
        None => columns.push((column, value)),
    }
}

/// The contacts and companies each new lead repeats (`records::repeat_links`), looked up for
/// the whole handful in one statement per kind.
fn repeats(c: &mut impl GenericClient, ctx: &WriteCtx, new: &[NewRecord<'_>]) -> Result<Vec<Vec<RepeatLink>>> {
    let keys: Vec<&MatchKeys> = new.iter().map(|n| &n.row.keys).collect();
    let contacts = Found::look_up(c, ctx.stmts, Entity::Contact, keys.iter().copied())?;
    let companies = Found::look_up(c, ctx.stmts, Entity::Company, keys.iter().copied())?;
    let mut out = Vec::with_capacity(new.len());
    for keys in keys {
        if keys.is_empty() {
            out.push(Vec::new());
            continue;
        }
        out.push(repeat_links(c, |_, target| {
            let found = if target == Entity::Contact { &contacts } else { &companies };
            let best: Vec<DuplicateMatch> =
                ranked_matches(target, keys, None, |key, value| Ok(found.ids(key, value).to_vec()))?;
            Ok(best.into_iter().next())
        })?);
    }
    Ok(out)
}

/// The new records' rows in one `INSERT`, in order; their ids, ascending as the rows.
fn insert_rows(
    c: &mut impl GenericClient,
    entity: Entity,
    new: &[NewRecord<'_>],
) -> std::result::Result<Vec<i64>, Fail> {
    // Every column any row has, in the order first met; a row without one takes its default.
    let mut columns: Vec<&'static str> = Vec::new();
    for n in new {
        for (col, _) in &n.row.columns {
            if !columns.contains(col) {
                columns.push(col);
            }
        }
    }
    // The ids are drawn first, not returned: a new record the queue hands out of its maker's
    // sight could not be read back under row-level security.
    let sql = format!(
        "SELECT nextval(pg_get_serial_sequence('{}', 'id')) FROM generate_series(1, $1::bigint)",
        entity.table()
    );
    let ids: Vec<i64> =
        c.query(&sql, &[&(new.len() as i64)])?.iter().map(|r| r.try_get(0)).collect::<std::result::Result<_, _>>()?;
    // In statements of even size, each within the protocol's 65,535 parameters.
    let most = u16::MAX as usize / (columns.len() + 1);
    let per = new.len().div_ceil(new.len().div_ceil(most));
    for (new, ids) in new.chunks(per).zip(ids.chunks(per)) {
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        let mut rows: Vec<String> = Vec::with_capacity(new.len());
        for (n, id) in new.iter().zip(ids) {
            params.push(id as &(dyn ToSql + Sync));
            let mut cells: Vec<String> = vec![format!("${}", params.len())];
            cells.extend(columns.iter().map(|col| match n.row.columns.iter().find(|(c, _)| c == col) {
                Some((_, v)) => {
                    params.push(v as &(dyn ToSql + Sync));
                    format!("${}", params.len())
                }
                None => "DEFAULT".to_string(),
            }));
            rows.push(format!("({})", cells.join(", ")));
        }
        let sql = format!("INSERT INTO {} (id, {}) VALUES {}", entity.table(), columns.join(", "), rows.join(", "));
        c.execute(&sql, &params)?;
    }
    Ok(ids)
}

/// The new records' phones, e-mails… in one statement.
fn insert_comms(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    new: &[NewRecord<'_>],
    ids: &[i64],
) -> std::result::Result<(), Fail> {
    let (mut owner, mut kind, mut label, mut value, mut normal, mut sort) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (n, id) in new.iter().zip(ids) {
        for (i, m) in n.row.comms.iter().enumerate() {
            owner.push(*id);
            kind.push(m.kind.code());
            label.push(m.label.as_str());
            value.push(m.value.as_str());
            normal.push(m.normalized.as_str());
            sort.push(i as i64);
        }
    }
    if owner.is_empty() {
        return Ok(());
    }
    let st = ctx.prepared(
        c,
        "INSERT INTO comms (entity, entity_id, kind, label, value, normalized, sort) \
         SELECT $1::text, u.i, u.k, u.l, u.v, u.n, u.s FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], \
                $6::text[], $7::bigint[]) WITH ORDINALITY AS u(i, k, l, v, n, s, o) ORDER BY u.o",
    )?;
    c.execute(&st, &[&entity.code(), &owner, &kind, &label, &value, &normal, &sort])?;
    Ok(())
}

/// The new records' timeline entries in one statement, each record's in the order a create
/// and an import write them: `created` (origin), `linked` (a repeat lead), `imported` (values
/// left out).
fn insert_entries(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    new: &[NewRecord<'_>],
    ids: &[i64],
    links: &[Vec<RepeatLink>],
) -> std::result::Result<(), Fail> {
    let (mut owner, mut kind, mut at, mut by, mut payload) = (Vec::new(), Vec::new(), vec![], vec![], Vec::new());
    for ((n, id), links) in new.iter().zip(ids).zip(links) {
        let mut entry = |k: TimelineKind, p: serde_json::Value| {
            owner.push(*id);
            kind.push(k.code());
            at.push(n.at);
            by.push(n.by);
            payload.push(p.to_string());
        };
        entry(TimelineKind::Created, json!({ "origin": n.origin }));
        if !links.is_empty() {
            entry(TimelineKind::Linked, json!({ "repeat_of": links }));
        }
        if !n.left_out.is_empty() {
            entry(TimelineKind::Imported, json!({ "not_accepted": n.left_out }));
        }
    }
    let st = ctx.prepared(
        c,
        "INSERT INTO timeline (entity, entity_id, kind, at, user_id, payload) \
         SELECT $1::text, u.i, u.k, u.a, u.u, u.p FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::bigint[], \
                $6::text[]) WITH ORDINALITY AS u(i, k, a, u, p, o) ORDER BY u.o",
    )?;
    c.execute(&st, &[&entity.code(), &owner, &kind, &at, &by, &payload])?;
    Ok(())
}
