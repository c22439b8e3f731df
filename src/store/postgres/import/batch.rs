//! Import rows written a handful at a time: checked in Rust by the rule of a create
//! (`records::new_row`, references through the import's memo), matched against the database
//! in one statement per handful (`duplicates::Found`) and against the rows before them in
//! the handful, and the new records written in a few statements (`records::many`, which the
//! demo's load shares). Row by row, a record was about ten round
//! trips to the server (125 rows a second); a row that matches a record to merge into or
//! replace still goes the row's own way (`import_row`), as matches are few in a first import.

use super::super::duplicates::{Found, MatchKey, import_keys};
use super::super::records::many::{Fail, NewRecord, set, write_new};
use super::super::records::{Val, new_row};
use super::super::{Result, StoreError, WriteCtx};
use super::import_row;
use super::memo::Known;
use crate::domain::dedup::MatchKeys;
use crate::domain::fields::Entity;
use crate::domain::import::DuplicateMode;
use crate::store::import::{ImportOptions, ImportRow, RowOutcome};
use crate::store::records::RecordInput;
use crate::store::sqlite::duplicates::{PER_KEY, ranked_matches};
use crate::store::sqlite::import::{is_refusal, refusal_reason};
use postgres::{GenericClient, Transaction};
use std::collections::HashMap;

/// What one import writes with (one attempt of its transaction): its kind, options and memo.
pub(super) struct Batch {
    pub(super) entity: Entity,
    pub(super) opts: ImportOptions,
    pub(super) known: Known,
    /// The match keys of every record the import created, by (key, value), while its kind
    /// held no record before it and none was changed a row at a time: rows are then matched
    /// here, without a query (a first import). `None`: matched in the database.
    pub(super) created: Option<Keys>,
    /// Whether any contact or company exists, which a new lead may repeat (an import of
    /// leads makes neither).
    pub(super) clients: bool,
    /// Whether a field of the team's own has a default for this kind of record: every row is
    /// then written a row at a time (`create_in`), which gives new records the defaults.
    pub(super) defaults: bool,
    /// What a new record sets off (stage rules, CRM simple mode's conversion): then too,
    /// rows are written one at a time.
    pub(super) on: crate::store::rules::OnEntering,
}

/// Ids by (key, value).
pub(super) type Keys = HashMap<(MatchKey, String), Vec<i64>>;

impl Batch {
    /// The import of `entity` about to start in `c`'s transaction.
    pub(super) fn new(c: &mut impl GenericClient, entity: Entity, opts: ImportOptions) -> Result<Batch> {
        let row = c.query_one(
            &format!(
                "SELECT EXISTS (SELECT 1 FROM {}), EXISTS (SELECT 1 FROM contacts) OR EXISTS (SELECT 1 FROM companies)",
                entity.table()
            ),
            &[],
        )?;
        let (filled, clients): (bool, bool) = (row.try_get(0)?, row.try_get(1)?);
        let defaults =
            crate::store::postgres::custom_fields::fields_of(c, Some(entity))?.iter().any(|f| f.default.is_some());
        let on = crate::store::postgres::records::on_entering(c, entity)?;
        Ok(Batch { entity, opts, known: Known::new(entity), created: (!filled).then(Keys::new), clients, defaults, on })
    }
}

/// Writes `rows` (a handful) under one savepoint and says what became of each, in order.
/// When the database refuses one of the handful's statements for a row's sake, the handful
/// is taken back and written again a row at a time, so that row alone is rejected.
pub(super) fn write_rows(
    tx: &mut Transaction<'_>,
    ctx: &WriteCtx,
    b: &mut Batch,
    rows: &[ImportRow],
) -> Result<Vec<RowOutcome>> {
    let mut sp = tx.transaction()?;
    b.known.mark();
    match write_handful(&mut sp, ctx, b, rows) {
        Ok(outcomes) => {
            sp.commit()?;
            return Ok(outcomes);
        }
        Err(Fail::Row(_)) => {
            sp.rollback()?;
            b.known.undo();
            // It may hold records taken back: the database answers from now on.
            b.created = None;
        }
        // Dropping the savepoint rolls it back; the transaction ends with the error.
        Err(Fail::Store(e)) => return Err(e),
    }
    let mut outcomes = Vec::with_capacity(rows.len());
    for row in rows {
        let mut sp = tx.transaction()?;
        b.known.mark();
        match write_handful(&mut sp, ctx, b, std::slice::from_ref(row)) {
            Ok(mut one) => {
                sp.commit()?;
                outcomes.append(&mut one);
            }
            Err(Fail::Row(e)) => {
                sp.rollback()?;
                b.known.undo();
                outcomes.push(RowOutcome::Rejected { reason: refusal_reason(&StoreError::from(e)) });
            }
            Err(Fail::Store(e)) => return Err(e),
        }
    }
    Ok(outcomes)
}

/// Ids that stand for records of the handful not yet written, ordered as their ids will be
/// (after every id in the database): `BASE + place among the new records`.
const BASE: i64 = i64::MAX / 2;

/// The rows of one handful: the records it creates, waiting, and what matches them.
struct Handful<'r> {
    outcomes: Vec<Option<RowOutcome>>,
    /// The records it creates, waiting to be written together (`flush`).
    new: Vec<NewRecord<'r>>,
    /// The place of each one's row in the handful, and what the rows after it match it by.
    places: Vec<(usize, &'r MatchKeys)>,
    /// Key values of the records waiting, and their places in `new`.
    waiting: HashMap<(MatchKey, String), Vec<usize>>,
}

fn write_handful(
    c: &mut Transaction<'_>,
    ctx: &WriteCtx,
    b: &mut Batch,
    rows: &[ImportRow],
) -> std::result::Result<Vec<RowOutcome>, Fail> {
    let (entity, opts) = (b.entity, b.opts);
    let matching = opts.duplicates != DuplicateMode::All;
    let keys: Vec<MatchKeys> = rows
        .iter()
        .map(|r| match &r.input {
            Ok(input) if matching => import_keys(entity, input, opts.match_on),
            _ => MatchKeys::default(),
        })
        .collect();
    let mut found = match b.created {
        Some(_) => Found::default(),
        None => Found::look_up(c, ctx.stmts, entity, &keys)?,
    };
    let mut h =
        Handful { outcomes: vec![None; rows.len()], new: Vec::new(), places: Vec::new(), waiting: HashMap::new() };
    for (at, row) in rows.iter().enumerate() {
        let input = match &row.input {
            Ok(input) => input,
            Err(reason) => {
                h.outcomes[at] = Some(RowOutcome::Rejected { reason: reason.clone() });
                continue;
            }
        };
        // A contact's companies named by id are looked up first, as row by row.
        if entity == Entity::Contact
            && let Some(e) = companies_by_id(c, ctx, b, input)
        {
            h.outcomes[at] = Some(rejected(e)?);
            continue;
        }
        if let Some((id, matched_by)) = first_match(entity, &keys[at], &found, b.created.as_ref(), &h.waiting) {
            if opts.duplicates == DuplicateMode::Skip {
                companies_of(c, ctx, b, input)?;
                h.outcomes[at] = Some(RowOutcome::Skipped { id, matched_by });
                continue;
            }
            // Merged into or replacing a record: row by row, on the data as it is now, which
            // answers the rows after it (the keys in memory may no longer be the record's).
            flush(c, ctx, b, &mut h)?;
            h.outcomes[at] = Some(import_row(c, ctx, entity, row, (opts, b.on))?);
            b.created = None;
            found = Found::look_up(c, ctx.stmts, entity, &keys[at + 1..])?;
            continue;
        }
        // A deal naming other contacts, a row naming fields of the team's own or taking their
        // defaults, or setting off stage rules or an intake's conversion: row by row, which
        // links and writes them (`create_in`, `entered`).
        if (entity == Entity::Deal && !input.contacts.is_empty())
            || b.defaults
            || b.on.rules
            || b.on.simple
            || crate::store::custom_fields::names_custom(entity, &input.fields)
        {
            flush(c, ctx, b, &mut h)?;
            h.outcomes[at] = Some(import_row(c, ctx, entity, row, (opts, b.on))?);
            b.created = None;
            found = Found::look_up(c, ctx.stmts, entity, &keys[at + 1..])?;
            continue;
        }
        let mut made = match new_row(&mut b.known.on(c), ctx, entity, input) {
            Ok(made) => made,
            Err(e) => {
                h.outcomes[at] = Some(rejected(e)?);
                continue;
            }
        };
        let companies = companies_of(c, ctx, b, input)?;
        let place = h.new.len();
        for (key, value) in key_values(&keys[at]) {
            h.waiting.entry((key, value.to_string())).or_default().push(place);
        }
        if let Some(at) = row.created_at {
            set(&mut made.columns, "created_at", Val::Int(at));
        }
        h.places.push((at, &keys[at]));
        h.new.push(NewRecord {
            row: made,
            companies,
            origin: input.origin.clone().unwrap_or_else(|| "manual".into()),
            at: ctx.now,
            by: ctx.user_id,
            left_out: &row.left_out,
        });
    }
    flush(c, ctx, b, &mut h)?;
    Ok(h.outcomes.into_iter().map(|o| o.unwrap_or(RowOutcome::Rejected { reason: String::new() })).collect())
}

/// A refusal as a row's outcome; any other error stops the handful.
fn rejected(e: StoreError) -> std::result::Result<RowOutcome, Fail> {
    if is_refusal(&e) { Ok(RowOutcome::Rejected { reason: refusal_reason(&e) }) } else { Err(Fail::Store(e)) }
}

/// The first error of a contact's companies named `#id` that are not there, if any.
fn companies_by_id(c: &mut Transaction<'_>, ctx: &WriteCtx, b: &mut Batch, input: &RecordInput) -> Option<StoreError> {
    let mut memo = b.known.on(c);
    input.companies.iter().filter(|t| t.trim().starts_with('#')).find_map(|t| memo.company(ctx, t).err())
}

/// The ids of a contact's companies (titles not yet in the data become companies).
fn companies_of(
    c: &mut Transaction<'_>,
    ctx: &WriteCtx,
    b: &mut Batch,
    input: &RecordInput,
) -> std::result::Result<Vec<i64>, Fail> {
    if b.entity != Entity::Contact {
        return Ok(Vec::new());
    }
    let mut memo = b.known.on(c);
    Ok(input.companies.iter().map(|t| memo.company(ctx, t)).collect::<Result<_>>()?)
}

/// Each (key, value) of `keys`.
fn key_values(keys: &MatchKeys) -> impl Iterator<Item = (MatchKey, &str)> {
    let phones = keys.phones.iter().map(|v| (MatchKey::Phone, v.as_str()));
    let emails = keys.emails.iter().map(|v| (MatchKey::Email, v.as_str()));
    let name = keys.name.iter().map(|v| (MatchKey::Name, v.as_str()));
    let company = keys.company.iter().map(|v| (MatchKey::Company, v.as_str()));
    phones.chain(emails).chain(name).chain(company)
}

/// The record a row matches, by the duplicate rule (`ranked_matches`): among those `found`
/// in the database or `created` by the import, and those of the handful waiting to be
/// written (`BASE + place`).
fn first_match(
    entity: Entity,
    keys: &MatchKeys,
    found: &Found,
    created: Option<&Keys>,
    waiting: &HashMap<(MatchKey, String), Vec<usize>>,
) -> Option<(i64, Vec<String>)> {
    if keys.is_empty() {
        return None;
    }
    let matches = ranked_matches(entity, keys, None, |key, value| {
        let key_value = (key, value.to_string());
        let mut ids = found.ids(key, value).to_vec();
        if let Some(made) = created.and_then(|k| k.get(&key_value)) {
            ids.extend(made);
        }
        if let Some(places) = waiting.get(&key_value) {
            ids.extend(places.iter().map(|p| BASE + *p as i64));
        }
        ids.truncate(PER_KEY);
        Ok(ids)
    });
    matches.ok()?.into_iter().next().map(|m| (m.id, m.matched_by))
}

/// Writes the records waiting (`Handful::new`) in a few statements, in row order so their ids
/// follow the file's, and gives their rows (and the rows that matched them) their ids.
fn flush(c: &mut Transaction<'_>, ctx: &WriteCtx, b: &mut Batch, h: &mut Handful<'_>) -> std::result::Result<(), Fail> {
    if h.new.is_empty() {
        return Ok(());
    }
    let (ids, _) = write_new(c, ctx, b.entity, &mut h.new, b.clients)?;
    for ((new, (at, keys)), id) in h.new.iter().zip(&h.places).zip(&ids) {
        h.outcomes[*at] = Some(RowOutcome::Created { id: *id, left_out: new.left_out.to_vec() });
        if let Some(created) = b.created.as_mut() {
            for (key, value) in key_values(keys) {
                created.entry((key, value.to_string())).or_default().push(*id);
            }
        }
    }
    for outcome in h.outcomes.iter_mut().flatten() {
        if let RowOutcome::Skipped { id, .. } = outcome
            && *id >= BASE
        {
            *id = ids[(*id - BASE) as usize];
        }
    }
    h.new.clear();
    h.places.clear();
    h.waiting.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::super::Store;
    use crate::domain::fields::Entity;
    use crate::store::engine::*;
    use crate::store::import::{ImportOptions, ImportRow, RowOutcome};
    use crate::store::records::RecordInput;
    use crate::store::users::NewUser;

    /// A row the database refuses although its values pass every rule (here a constraint
    /// added for the test) is rejected alone, with the server's reason: its handful is
    /// written again a row at a time. On the server `PROSPECT_TEST_PG` names.
    #[test]
    fn a_row_the_database_refuses_is_rejected_alone() {
        let Some(server) = super::super::super::scratch::server() else { return };
        let db = super::super::super::scratch::ScratchDb::create(&server).unwrap();
        let mut store = Store::open(&db.url, Default::default()).unwrap();
        store.add_user(&NewUser { login: "alice".into(), ..Default::default() }).unwrap();
        store.sign_in("alice").unwrap();
        store.client().batch_execute("ALTER TABLE leads ADD CONSTRAINT no_refused CHECK (title <> 'refused')").unwrap();
        let rows: Vec<ImportRow> = (0..20)
            .map(|i| {
                let title = if i == 7 { "refused".to_string() } else { format!("Lead {i}") };
                let input = RecordInput { fields: vec![("title".into(), title)], ..Default::default() };
                ImportRow::new(i + 2, Ok(input))
            })
            .collect();
        let source = |from: usize| -> Box<dyn Iterator<Item = ImportRow> + Send> {
            Box::new(rows[from.min(rows.len())..].iter().cloned())
        };
        for bulk in [true, false] {
            let opts = ImportOptions { bulk, ..Default::default() };
            let report = store.import_now(Entity::Lead, &source, opts, &mut |_| {}).unwrap();
            assert_eq!((report.created, report.rejected), (19, 1), "bulk={bulk}");
            let (line, reason) = report.rows.rejected().next().unwrap();
            assert_eq!(line, 9);
            assert!(reason.contains("no_refused"), "the server's reason: {reason}");
            let created: Vec<i64> = report
                .rows
                .iter()
                .filter_map(|(_, o)| match o {
                    RowOutcome::Created { id, .. } => Some(id),
                    _ => None,
                })
                .collect();
            assert!(created.windows(2).all(|w| w[0] < w[1]), "in file order: {created:?}");
        }
        assert_eq!(store.count(Entity::Lead, &crate::domain::access::Sight::everything()).unwrap(), 38);
    }

    type Totals = Vec<(i64, String, i64, Option<i64>)>;

    /// The Kanban's totals (records and amount per stage and currency).
    fn totals(c: &mut impl postgres::GenericClient) -> Totals {
        let rows = c
            .query(
                "SELECT stage_id, currency, records, amount_minor FROM stage_totals WHERE records <> 0 ORDER BY 1, 2",
                &[],
            )
            .unwrap();
        rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))).collect()
    }

    /// The Kanban's totals as kept, and as counted again from the records.
    fn totals_kept_and_counted(c: &mut postgres::Client) -> (Totals, Totals) {
        let kept = totals(c);
        let mut tx = c.transaction().unwrap();
        super::super::super::maintenance::recount_stage_totals(&mut tx).unwrap();
        let counted = totals(&mut tx);
        tx.rollback().unwrap();
        (kept, counted)
    }

    /// A member signed in as their own database role imports in bulk (one transaction, as
    /// from 20,000 rows): the tables' owner alone could set the totals' triggers aside, so
    /// it was refused. The totals stay exact, counted per statement, for the import and for
    /// a statement removing several records.
    #[test]
    fn a_member_on_their_own_role_imports_in_bulk_and_the_totals_stay_exact() {
        let Some(server) = super::super::super::scratch::server() else { return };
        let db = super::super::super::scratch::ScratchDb::create(&server).unwrap();
        let (login, password) = ("prospect_bulk_member_test", "bulk-member-pw-1");
        {
            let mut owner = Store::open(&db.url, Default::default()).unwrap();
            owner.add_user(&NewUser { login: "alice".into(), ..Default::default() }).unwrap();
            super::super::super::scratch::add_member(&mut owner, login, password);
        }
        let url = super::super::super::scratch::with_user(&db.url, login, password);
        let mut member = Store::open(&url, Default::default()).unwrap();
        let rows: Vec<ImportRow> = (0..30)
            .map(|i| {
                let mut fields = vec![("title".into(), format!("Lead {i}"))];
                if i % 3 != 0 {
                    fields.push(("amount".into(), format!("{}.50", 100 + i)));
                    fields.push(("currency".into(), if i % 2 == 0 { "EUR" } else { "USD" }.into()));
                }
                ImportRow::new(i + 2, Ok(RecordInput { fields, ..Default::default() }))
            })
            .collect();
        let source = |from: usize| -> Box<dyn Iterator<Item = ImportRow> + Send> {
            Box::new(rows[from.min(rows.len())..].iter().cloned())
        };
        let opts = ImportOptions { bulk: true, ..Default::default() };
        let report = member.import_now(Entity::Lead, &source, opts, &mut |_| {}).expect("a member's bulk import");
        assert_eq!(report.created, 30);
        drop(member);
        let owner = Store::open(&db.url, Default::default()).unwrap();
        let mut c = owner.client();
        let (kept, counted) = totals_kept_and_counted(&mut c);
        assert_eq!(kept, counted);
        assert_eq!(kept.iter().map(|t| t.2).sum::<i64>(), 30, "{kept:?}");
        c.execute("DELETE FROM leads WHERE id % 4 = 0", &[]).unwrap();
        let (kept, counted) = totals_kept_and_counted(&mut c);
        assert_eq!(kept, counted, "after a statement removing several leads");
        assert!(kept.iter().map(|t| t.2).sum::<i64>() < 30);
    }
}
