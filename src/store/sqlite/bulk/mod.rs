//! Bulk loads (demo data, large imports): one transaction in which the secondary indexes of
//! the tables being filled are set aside and built once at the end. Updating an index row by
//! row at random places (name keys, phones) cost several times more than building it once
//! from sorted data: at 100k leads, most of an import. The duplicate lookups that would
//! need those indexes read `MatchIndex`, a copy in memory of every record's match keys.
//!
//! Every bulk load runs one sequence (`load`): the bulk page cache and SQLite's reference
//! checks off, `BulkLoad::begin`, the caller's rows, `BulkLoad::finish` with the search
//! entries kept aside (`search::PendingEntries`), one change logged, a new connection. A bulk
//! import hands it CSV rows (`import.rs`), the demo hands it records (`load_records`).

mod facts;

use super::activities;
use super::duplicates::{MatchIndex, MatchKey};
use super::records::{CheckedNew, create_checked, create_in};
use super::rule::Rule;
use super::search;
use super::{Result, StoreError};
use super::{Store, WriteCtx, log_bulk_change};
use crate::domain::fields::{Entity, RefKind};
use crate::memory::KeepFreedMemory;
use crate::store::RecordRef;
use crate::store::bulk::{BulkLoaded, BulkRecord, BulkSetting, BulkUser, RecordMaker};
use facts::{FACT_TABLES, FACT_TRIGGERS, sets_off_anything};
use rusqlite::{Connection, Transaction};
use std::cell::RefCell;
use std::collections::HashMap;

/// The page cache of a bulk load, in KiB. It was 128 MB, so that a transaction of hundreds of
/// thousands of rows would not spill pages to the file; at 100k leads a 32 MB cache measured
/// as fast (the pages spilled are written once, in order), and the load's peak memory stays
/// flat up to a million leads (docs/PERFORMANCE.md, session 13).
pub(crate) const BULK_CACHE_KIB: i64 = 32_768;

/// The page cache while a bulk load rebuilds its indexes (`BulkLoad::finish`), in KiB: also
/// how much of an index's keys SQLite sorts in memory before it spills them.
const FINISH_CACHE_KIB: i64 = 16_384;

/// The one index a bulk load may keep: reading a record's phones and e-mails back, which an
/// import that merges into or replaces records does. Other loads set it aside too: inserting
/// every comm into it was more than a tenth of a 100k import's writing, building it at the
/// end (its key starts with the record's id, migration 0011) a few tens of milliseconds.
const COMMS_OWNER: &str = "comms_owner";

/// The triggers that keep the Kanban's column totals (`stage_totals`, migration 0009). A bulk
/// load sets them aside too and counts the totals once at its end: firing them for every row
/// was 3-5% of a load's writing.
const TOTALS_TRIGGERS: &[&str] = &[
    "leads_totals_insert",
    "leads_totals_delete",
    "leads_totals_update",
    "deals_totals_insert",
    "deals_totals_delete",
    "deals_totals_update",
];

/// Tables a bulk load fills: it sets their secondary indexes aside, and checks their
/// references at its end.
const FILLED_TABLES: &[&str] = &[
    "leads",
    "contacts",
    "companies",
    "deals",
    "comms",
    "activities",
    "activity_bindings",
    "timeline",
    "contact_companies",
    "deal_contacts",
];

/// `'a', 'b'`: names (of this file, never typed by anyone) as an SQL list.
fn sql_list(names: &[&str]) -> String {
    names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")
}

/// A bulk load in progress, inside its transaction. A failed load rolls everything back,
/// the dropped indexes included.
#[derive(Debug)]
pub(crate) struct BulkLoad {
    dropped: Vec<String>,
    /// The highest id of each of `FACT_TABLES` when the load began, when it set the
    /// `FACT_TRIGGERS` aside (a load that only adds records).
    facts_after: Option<Vec<i64>>,
    /// The search index held no entry when the load began: its entries are indexed aside
    /// (`search::IndexAside`).
    search_was_empty: bool,
    matches: RefCell<MatchIndex>,
    looked_up: RefCell<HashMap<LookedUp, i64, foldhash::fast::RandomState>>,
    /// Freed memory is reused, not handed back, until the load ends.
    _memory: KeepFreedMemory,
}

/// What a bulk load remembers having looked up: nothing it writes can change these.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum LookedUp {
    /// A stage (of a pipeline), source, user or pipeline by the text given.
    Reference(RefKind, Option<i64>, String),
    /// The pipeline of an entity that has one only (leads).
    OnlyPipeline(Entity),
    /// The first stage of a pipeline.
    FirstStage(i64),
}

impl BulkLoad {
    /// Reads the match keys of the entities the load `looks_up` (`MatchIndex`), then drops the
    /// indexes; but the one that finds a record's phones and e-mails when the load
    /// `reads_comms` of records it did not make.
    pub(crate) fn begin(tx: &Transaction, plan: &Plan) -> Result<BulkLoad> {
        // Scratch indexes of loads that were killed (`search::IndexAside`) go first.
        search::remove_leftovers(&std::env::temp_dir());
        let matches = RefCell::new(MatchIndex::load(tx, &plan.looks_up)?);
        let search_was_empty = search::index_is_empty(tx)?;
        let mut dropped = set_aside(tx, if plan.reads_comms { &[COMMS_OWNER] } else { &[] })?;
        // A record the load changes after making it would be told to the report triggers it
        // keeps (a rule's move, a merge into a row before): then every trigger stays.
        let facts_after = if plan.only_adds && !sets_off_anything(tx)? {
            dropped.extend(drop_triggers(tx, FACT_TRIGGERS)?);
            let highest = |table: &str| {
                tx.query_row(&format!("SELECT coalesce(max(id), 0) FROM {table}"), [], |r| r.get::<_, i64>(0))
            };
            Some(FACT_TABLES.iter().map(|t| highest(t)).collect::<rusqlite::Result<Vec<i64>>>()?)
        } else {
            None
        };
        Ok(BulkLoad {
            dropped,
            facts_after,
            search_was_empty,
            matches,
            looked_up: RefCell::default(),
            _memory: KeepFreedMemory::new(),
        })
    }

    /// `find()`, the first time `what` is asked for; its answer from then on. Records (a
    /// contact by id…) are not remembered: the load creates and changes them.
    pub(crate) fn look_up(&self, what: LookedUp, find: impl FnOnce() -> Result<i64>) -> Result<i64> {
        // Listed in full, so that a new kind of reference has to be placed on one side.
        let remembered = match &what {
            LookedUp::Reference(kind, ..) => match kind {
                RefKind::Stage | RefKind::Source | RefKind::User | RefKind::Pipeline => true,
                RefKind::Contact | RefKind::Company | RefKind::Lead => false,
            },
            LookedUp::OnlyPipeline(_) | LookedUp::FirstStage(_) => true,
        };
        if !remembered {
            return find();
        }
        if let Some(id) = self.looked_up.borrow().get(&what) {
            return Ok(*id);
        }
        let id = find()?;
        self.looked_up.borrow_mut().insert(what, id);
        Ok(id)
    }

    /// The match keys, for `WriteCtx::matches`.
    pub(crate) fn matches(&self) -> &RefCell<MatchIndex> {
        &self.matches
    }

    /// Builds the indexes again, counts the column totals, checks the foreign keys of the
    /// tables it filled (`Store::set_foreign_keys`), and writes the search `entries`
    /// (`search::packed_entry`) in place of those at `replaced` rowids. When the search index
    /// was empty, the entries are indexed on a second thread meanwhile (`search::IndexAside`),
    /// and the store must open the file again once the load is over (`Store::reconnect`).
    pub(crate) fn finish(&self, tx: &Connection, entries: search::Entries, replaced: &[i64]) -> Result<()> {
        // SQLite sorts an index's keys in memory up to the cache's size before it spills them
        // to a temporary file: with the load's cache, rebuilding the indexes of a large load
        // held that much again (the connection is opened anew after the load).
        tx.execute_batch(&format!("PRAGMA cache_size = -{FINISH_CACHE_KIB}"))?;
        if !self.search_was_empty || entries.is_empty() {
            // Before the triggers are back: its closing times would set off their updates'.
            self.write_facts(tx)?;
            restore(tx, &self.dropped)?;
            check_foreign_keys(tx)?;
            return search::write_replacing(tx, entries, replaced);
        }
        // Nothing to replace in an empty index: `replaced` are records this load made, whose
        // entries `entries` already holds as the file has them.
        let definition = search::definition(tx)?;
        std::thread::scope(|scope| {
            let aside = scope.spawn(move || search::IndexAside::build(&definition, entries));
            let rebuilt =
                self.write_facts(tx).and_then(|()| restore(tx, &self.dropped)).and_then(|()| check_foreign_keys(tx));
            let built = aside.join();
            rebuilt?;
            match built {
                Ok(Ok(aside)) => aside.take_into(tx),
                // No scratch file (a full or read-only temporary directory…): the entries are
                // made again from the records, here.
                Ok(Err(_)) | Err(_) => search::reindex_all(tx),
            }
        })
    }
}

/// How a bulk load runs (`load`).
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    /// The load reads back the phones and e-mails of records it did not make (an import that
    /// merges or replaces): their index stays.
    pub reads_comms: bool,
    /// `false`: everything is rolled back at the end (a dry run).
    pub commit: bool,
    /// The entities whose records the load looks up, and by which keys (`MatchIndex`).
    pub looks_up: Vec<(Entity, Vec<MatchKey>)>,
    /// The load adds records and never changes one (no merge into or replacing a record):
    /// the reports' facts can be written at its end (`FACT_TRIGGERS`).
    pub only_adds: bool,
}

/// What every load looks up: the contacts and companies a lead repeats, a contact's company,
/// by every key.
pub(crate) fn repeats() -> Vec<(Entity, Vec<MatchKey>)> {
    vec![(Entity::Contact, MatchKey::ALL.to_vec()), (Entity::Company, MatchKey::ALL.to_vec())]
}

/// What a bulk load's rows did, for its end.
#[derive(Debug)]
pub(crate) struct Written<T> {
    /// What the caller answers.
    pub value: T,
    /// Records of this entity it merged into or replaced: their search entries are read again.
    pub changed: Option<(Entity, Vec<i64>)>,
    /// Whether anything was written (then one change is logged).
    pub wrote: bool,
}

/// The one sequence of a bulk load, for imports and the demo alike: the bulk page cache and
/// SQLite's reference checks off (`Store::set_foreign_keys`), then in one transaction (retried
/// whole on a busy file) `BulkLoad::begin`, `rows` (with a `WriteCtx` that carries the load
/// and where search entries go), `BulkLoad::finish` with the search entries, one change
/// logged; then a new connection with the usual settings (`Store::reconnect`). `rows` must call
/// `WriteCtx::spill_search` where no savepoint is open, so that the search entries it keeps
/// stay within a chunk in memory.
pub(crate) fn load<T>(
    store: &mut Store,
    plan: Plan,
    mut rows: impl FnMut(&Transaction, &WriteCtx) -> Result<Written<T>>,
) -> Result<T> {
    let result = store.set_bulk_cache(true).and_then(|()| store.set_foreign_keys(false)).and_then(|()| {
        store.write_or_try(plan.commit, |tx, base| {
            let load = BulkLoad::begin(tx, &plan)?;
            let pending = search::PendingEntries::default();
            let ctx = WriteCtx { bulk: true, load: Some(&load), search_later: Some(&pending), ..*base };
            let written = rows(tx, &ctx)?;
            let (entity, changed) = written.changed.unwrap_or((Entity::Lead, Vec::new()));
            let (entries, replaced) = search::entries_after_changes(tx, pending, entity, &changed)?;
            load.finish(tx, entries, &replaced)?;
            if written.wrote {
                log_bulk_change(tx, base.now)?;
            }
            Ok(written.value)
        })
    });
    // A bulk load ends on a new connection (`BulkLoad::finish`), which has the usual settings;
    // the first error met is the one told.
    let settled = store.reconnect();
    let value = result?;
    settled?;
    Ok(value)
}

/// Records handed from the maker's thread to the writer at a time: one hand-over per record
/// would cost a wake-up each.
const HANDFUL: usize = 256;

/// A record as the maker's thread hands it over, checked as a new record when it is one the
/// writer creates as given (`CheckedNew`; a deal's company and lead come from the writer).
type Made = (Result<BulkRecord>, Option<Result<CheckedNew>>);

/// The ids of the n-th records a load made, kept as runs of consecutive ids: a load into a
/// file makes consecutive ids, so a million leads take a few bytes instead of 8 MB.
#[derive(Debug, Default)]
pub(crate) struct Positions {
    /// (position of the run's first record, its id, how many).
    runs: Vec<(usize, i64, usize)>,
    len: usize,
}

impl Positions {
    /// The next record's id.
    pub(crate) fn push(&mut self, id: i64) {
        match self.runs.last_mut() {
            Some((_, first, n)) if *first + *n as i64 == id => *n += 1,
            _ => self.runs.push((self.len, id, 1)),
        }
        self.len += 1;
    }

    /// Whether `id` is one of the records'.
    pub(crate) fn holds(&self, id: i64) -> bool {
        self.runs.iter().any(|&(_, first, n)| id >= first && id - first < n as i64)
    }

    /// The id of the `n`-th record.
    pub(crate) fn get(&self, n: usize) -> Option<i64> {
        let i = self.runs.partition_point(|(start, ..)| *start <= n).checked_sub(1)?;
        let (start, first, count) = self.runs[i];
        (n - start < count).then(|| first + (n - start) as i64)
    }
}

/// Makes the users (and their departments) the file lacks; their ids, in order.
fn ensure_users(tx: &Connection, users: &[BulkUser], now: i64) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(users.len());
    for u in users {
        tx.execute("INSERT OR IGNORE INTO departments (name) VALUES (?1)", [&u.department])?;
        tx.execute(
            "INSERT OR IGNORE INTO users (login, display_name, department_id, created_at) \
             VALUES (?1, ?2, (SELECT id FROM departments WHERE name = ?3), ?4)",
            rusqlite::params![u.login, u.name, u.department, now],
        )?;
        let id = tx.query_row("SELECT id FROM users WHERE login = ?1", [&u.login], |r| r.get::<_, i64>(0))?;
        tx.execute(
            "INSERT OR IGNORE INTO user_roles (user_id, role_id) SELECT ?1, id FROM roles WHERE name = ?2 \
             AND NOT EXISTS (SELECT 1 FROM user_roles WHERE user_id = ?1)",
            rusqlite::params![id, u.role],
        )?;
        ids.push(id);
    }
    Ok(ids)
}

impl Store {
    /// `BulkSink::load_records`: two threads, one running `make` (and checking the records it
    /// makes), the other writing them through `load`.
    pub(crate) fn load_records_now(&mut self, users: &[BulkUser], make: &RecordMaker<'_>) -> Result<BulkLoaded> {
        load(self, Plan { reads_comms: false, commit: true, looks_up: repeats(), only_adds: true }, |tx, ctx| {
            let user_ids = ensure_users(tx, users, ctx.now)?;
            let sources = super::refs::sources(tx)?.into_iter().map(|s| s.code).collect();
            let setting = BulkSetting { now: ctx.now, region: ctx.region, currency: ctx.currency, sources };
            let mut loaded = BulkLoaded::default();
            let mut companies = Positions::default();
            let mut leads = Positions::default();
            let currency = ctx.currency;
            std::thread::scope(|scope| {
                let (send, made) = std::sync::mpsc::sync_channel::<Vec<Made>>(8);
                let setting = &setting;
                scope.spawn(move || {
                    let mut handful = Vec::with_capacity(HANDFUL);
                    make(setting, &mut |r| {
                        let checked = match &r {
                            Ok(BulkRecord::Company { input, .. }) => Some((Entity::Company, input)),
                            Ok(BulkRecord::Contact { input, .. }) => Some((Entity::Contact, input)),
                            Ok(BulkRecord::Lead { input, .. }) => Some((Entity::Lead, input)),
                            Ok(BulkRecord::Deal { .. }) | Err(_) => None,
                        }
                        .map(|(entity, input)| CheckedNew::check(entity, input, currency));
                        handful.push((r, checked));
                        handful.len() < HANDFUL
                            || send.send(std::mem::replace(&mut handful, Vec::with_capacity(HANDFUL))).is_ok()
                    });
                    let _ = send.send(handful);
                });
                // Ends early on the first error: dropping `made` stops the maker.
                for (record, checked) in made.into_iter().flatten() {
                    let stamped = |stamp: crate::store::bulk::Stamp| WriteCtx {
                        now: stamp.created,
                        user_id: user_ids.get(stamp.user).copied(),
                        ..*ctx
                    };
                    // A position the maker never made: a reference to nothing.
                    let missing = |parent: &str, n: usize| {
                        StoreError::Rule(Rule::BrokenReference {
                            table: "bulk".into(),
                            rowid: n as i64,
                            parent: parent.into(),
                        })
                    };
                    let check = |checked: Option<Result<CheckedNew>>, entity, input: &_| {
                        checked.unwrap_or_else(|| CheckedNew::check(entity, input, currency))
                    };
                    match record? {
                        BulkRecord::Company { stamp, input } => {
                            let checked = check(checked, Entity::Company, &input)?;
                            companies.push(create_checked(tx, &stamped(stamp), &input, checked)?.id);
                        }
                        BulkRecord::Contact { stamp, mut input, company } => {
                            // The check does not read the companies.
                            if let Some(c) = company {
                                input
                                    .companies
                                    .push(companies.get(c).ok_or_else(|| missing("companies", c))?.to_string());
                            }
                            let checked = check(checked, Entity::Contact, &input)?;
                            create_checked(tx, &stamped(stamp), &input, checked)?;
                        }
                        BulkRecord::Lead { stamp, input, activities: planned } => {
                            let ctx = stamped(stamp);
                            let checked = check(checked, Entity::Lead, &input)?;
                            let id = create_checked(tx, &ctx, &input, checked)?.id;
                            leads.push(id);
                            for mut a in planned {
                                a.responsible_id = ctx.user_id;
                                a.bindings.push(RecordRef::new(Entity::Lead, id));
                                activities::insert(tx, &ctx, &a)?;
                                loaded.activities += 1;
                            }
                        }
                        BulkRecord::Deal { stamp, mut input, company, lead } => {
                            let company = companies.get(company).ok_or_else(|| missing("companies", company))?;
                            input.fields.push(("company".into(), company.to_string()));
                            let lead = lead.and_then(|l| leads.get(l)).map(|l| l.to_string()).unwrap_or_default();
                            input.fields.push(("lead".into(), lead));
                            create_in(tx, &stamped(stamp), Entity::Deal, &input)?;
                        }
                    }
                    loaded.records += 1;
                    ctx.spill_search()?;
                }
                Ok::<_, StoreError>(())
            })?;
            // Before the indexes are built: it would otherwise update two indexes of every record.
            activities::refresh_all_next(tx)?;
            Ok(Written { value: loaded, changed: None, wrote: true })
        })
    }
}

/// Checks, once at the end, the references of every row a bulk load wrote with SQLite's
/// foreign keys off (`Store::set_foreign_keys`): the load resolves each reference itself
/// (stages, users and sources it looked up, records it made), and checking them row by row
/// was 6% of the demo's writing; this pass costs about 150 ms at 100k leads. A reference to
/// nothing fails the load, which then writes nothing.
fn check_foreign_keys(tx: &Connection) -> Result<()> {
    for table in FILLED_TABLES {
        let mut stmt = tx.prepare(&format!("PRAGMA foreign_key_check(\"{table}\")"))?;
        let broken: Option<(i64, String)> = stmt.query_map([], |r| Ok((r.get(1)?, r.get(2)?)))?.next().transpose()?;
        if let Some((rowid, parent)) = broken {
            return Err(StoreError::Rule(Rule::BrokenReference { table: table.to_string(), rowid, parent }));
        }
    }
    Ok(())
}

/// Drops, inside the caller's transaction, the secondary indexes (but those `kept`) and the
/// column-total triggers a bulk load sets aside, and gives the statements that make them again
/// (`restore`). Public for the bulk-load floor benchmark, which must do what a load does.
pub fn set_aside(tx: &Connection, kept: &[&str]) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND \
         ((type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({})) \
          OR (type = 'trigger' AND name IN ({})))",
        sql_list(FILLED_TABLES),
        sql_list(TOTALS_TRIGGERS)
    );
    let found: Vec<(String, String, String)> =
        tx.prepare(&sql)?.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut dropped = Vec::new();
    for (kind, name, sql) in found.into_iter().filter(|(_, n, _)| !kept.contains(&n.as_str())) {
        let what = if kind == "trigger" { "TRIGGER" } else { "INDEX" };
        tx.execute_batch(&format!("DROP {what} \"{}\"", name.replace('"', "\"\"")))?;
        dropped.push(sql);
    }
    Ok(dropped)
}

/// Drops the triggers named, those the file has; their definitions, for `restore`.
fn drop_triggers(tx: &Connection, names: &[&str]) -> Result<Vec<String>> {
    let sql = format!("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({})", sql_list(names));
    let found: Vec<(String, String)> =
        tx.prepare(&sql)?.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    for (name, _) in &found {
        tx.execute_batch(&format!("DROP TRIGGER \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(found.into_iter().map(|(_, sql)| sql).collect())
}

/// Makes again what `set_aside` dropped, and counts the column totals its triggers would have
/// kept during the load.
pub fn restore(tx: &Connection, dropped: &[String]) -> Result<()> {
    for sql in dropped {
        tx.execute_batch(sql)?;
    }
    super::totals::recount_stage_totals(tx)
}

#[cfg(test)]
mod tests;
