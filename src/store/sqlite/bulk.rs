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

/// The insert triggers that keep the reports' facts (a closed record's `closed_at`, its first
/// stage move, the record and activity tallies; migrations 21 to 24). A load that only adds
/// records sets them aside and writes the facts of its new records at its end, set-based
/// (`FACTS_OF_NEW`): fired for every row they were half of a 100k-lead import.
const FACT_TRIGGERS: &[&str] = &[
    "leads_closed_insert",
    "leads_open_insert",
    "deals_closed_insert",
    "deals_open_insert",
    "leads_tally_insert",
    "deals_tally_insert",
    "activities_tally_insert",
    "deals_forecast_insert",
];

/// What `FACT_TRIGGERS` would have written, for the rows past an id: (table whose id counts,
/// statement with `?1` that id). Each mirrors its trigger, a group of rows at a time.
const FACTS_OF_NEW: &[(&str, &str)] = &[
    (
        "leads",
        "UPDATE leads SET closed_at = moved_at WHERE id > ?1 AND closed_at IS NULL \
               AND stage_id IN (SELECT id FROM stages WHERE semantics <> 'in_progress')",
    ),
    (
        "leads",
        "UPDATE leads SET closed_at = NULL WHERE id > ?1 AND closed_at IS NOT NULL \
               AND stage_id IN (SELECT id FROM stages WHERE semantics = 'in_progress')",
    ),
    (
        "deals",
        "UPDATE deals SET closed_at = moved_at WHERE id > ?1 AND closed_at IS NULL \
               AND stage_id IN (SELECT id FROM stages WHERE semantics <> 'in_progress')",
    ),
    (
        "deals",
        "UPDATE deals SET closed_at = NULL WHERE id > ?1 AND closed_at IS NOT NULL \
               AND stage_id IN (SELECT id FROM stages WHERE semantics = 'in_progress')",
    ),
    (
        "leads",
        "INSERT INTO stage_moves (entity, record_id, stage_id, at, first) \
               SELECT 'lead', id, stage_id, moved_at, 1 FROM leads WHERE id > ?1 ORDER BY id",
    ),
    (
        "deals",
        "INSERT INTO stage_moves (entity, record_id, stage_id, at, first) \
               SELECT 'deal', id, stage_id, moved_at, 1 FROM deals WHERE id > ?1 ORDER BY id",
    ),
    (
        "leads",
        "INSERT INTO record_tallies \
               SELECT 'lead', unit, bucket, -1, 0, responsible, source, stage_id, CAST(stage_id AS TEXT), currency, \
                      count(*), sum(amount) \
                 FROM (SELECT u.unit, l.created_at / u.unit AS bucket, coalesce(l.responsible_id, 0) AS responsible, \
                              coalesce(l.source_id, 0) AS source, l.stage_id, coalesce(l.currency, '') AS currency, \
                              coalesce(l.amount_minor, 0) AS amount \
                         FROM leads l, tally_units u WHERE l.id > ?1) \
                GROUP BY unit, bucket, responsible, source, stage_id, currency \
               ON CONFLICT DO UPDATE SET records = records + excluded.records, \
                                         amount_minor = amount_minor + excluded.amount_minor",
    ),
    (
        "deals",
        "INSERT INTO record_tallies \
               SELECT 'deal', unit, bucket, lead_bucket, pipeline_id, responsible, source, stage_id, \
                      CAST(stage_id AS TEXT), currency, count(*), sum(amount) \
                 FROM (SELECT u.unit, d.created_at / u.unit AS bucket, \
                              coalesce((SELECT created_at / u.unit FROM leads WHERE id = d.lead_id), -1) AS lead_bucket, \
                              d.pipeline_id, coalesce(d.responsible_id, 0) AS responsible, \
                              coalesce(d.source_id, 0) AS source, d.stage_id, coalesce(d.currency, '') AS currency, \
                              coalesce(d.amount_minor, 0) AS amount \
                         FROM deals d, tally_units u WHERE d.id > ?1) \
                GROUP BY unit, bucket, lead_bucket, pipeline_id, responsible, source, stage_id, currency \
               ON CONFLICT DO UPDATE SET records = records + excluded.records, \
                                         amount_minor = amount_minor + excluded.amount_minor",
    ),
    (
        "deals",
        "INSERT INTO forecast_tallies \
               SELECT pipeline_id, stage_id, coalesce(responsible_id, 0), coalesce(source_id, 0), \
                      coalesce(substr(close_date, 1, 7), ''), coalesce(probability, -1), coalesce(currency, ''), \
                      count(*), sum(coalesce(amount_minor, 0)) \
                 FROM deals WHERE id > ?1 GROUP BY 1, 2, 3, 4, 5, 6, 7 \
               ON CONFLICT DO UPDATE SET deals = deals + excluded.deals, \
                                         amount_minor = amount_minor + excluded.amount_minor",
    ),
    (
        "activities",
        "INSERT INTO activity_tallies \
               SELECT CASE WHEN a.completed THEN 'due_done' ELSE 'due_open' END, u.unit, a.deadline / u.unit, \
                      coalesce(a.responsible_id, 0), a.kind, count(*) \
                 FROM activities a, tally_units u WHERE a.id > ?1 GROUP BY 1, 2, 3, 4, 5 \
               ON CONFLICT DO UPDATE SET n = n + excluded.n",
    ),
    (
        "activities",
        "INSERT INTO activity_tallies \
               SELECT CASE WHEN a.completed_at > a.deadline THEN 'late' ELSE 'done' END, u.unit, \
                      a.completed_at / u.unit, coalesce(a.responsible_id, 0), a.kind, count(*) \
                 FROM activities a, tally_units u WHERE a.id > ?1 AND a.completed_at IS NOT NULL \
                GROUP BY 1, 2, 3, 4, 5 \
               ON CONFLICT DO UPDATE SET n = n + excluded.n",
    ),
];

/// The tables whose new rows `FACTS_OF_NEW` reads.
const FACT_TABLES: [&str; 3] = ["leads", "deals", "activities"];

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

impl BulkLoad {
    /// The reports' facts of the load's new records and activities, when it set their
    /// triggers aside (`FACTS_OF_NEW`).
    fn write_facts(&self, tx: &Connection) -> Result<()> {
        let Some(after) = &self.facts_after else { return Ok(()) };
        for (table, sql) in FACTS_OF_NEW {
            let i = FACT_TABLES.iter().position(|t| t == table).unwrap_or(0);
            tx.prepare(sql)?.execute([after[i]])?;
        }
        Ok(())
    }
}

/// Whether a new lead or deal sets anything off in this file (an enabled stage rule, CRM
/// simple mode's conversion), which may change it after it is made.
fn sets_off_anything(tx: &Transaction) -> Result<bool> {
    let rules = |entity: Entity| {
        tx.prepare_cached(crate::store::rules::ANY_ENABLED_SQL)?.query_row([entity.code()], |r| r.get::<_, bool>(0))
    };
    Ok(rules(Entity::Lead)? || rules(Entity::Deal)? || super::convert::simple_mode(tx)?)
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
mod tests {
    use super::*;

    /// Every fact the report triggers keep, as text, in an order of its own.
    fn facts(store: &Store) -> Vec<String> {
        let queries = [
            "SELECT 'tally', * FROM record_tallies WHERE records <> 0 ORDER BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11",
            "SELECT 'activity', * FROM activity_tallies WHERE n <> 0 ORDER BY 2, 3, 4, 5, 6",
            "SELECT 'forecast', * FROM forecast_tallies WHERE deals <> 0 ORDER BY 2, 3, 4, 5, 6, 7, 8",
            // Moves and closing times as the instant of the load (each load has its own).
            "SELECT 'move', m.entity, m.record_id, m.stage_id, m.at = coalesce(l.moved_at, d.moved_at), m.first \
               FROM stage_moves m LEFT JOIN leads l ON m.entity = 'lead' AND l.id = m.record_id \
               LEFT JOIN deals d ON m.entity = 'deal' AND d.id = m.record_id ORDER BY 2, 3, m.id",
            "SELECT 'lead', id, closed_at IS NULL, closed_at = moved_at FROM leads ORDER BY id",
            "SELECT 'deal', id, closed_at IS NULL, closed_at = moved_at FROM deals ORDER BY id",
        ];
        let mut out = Vec::new();
        for sql in queries {
            let mut stmt = store.conn().prepare(sql).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            r.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                                rusqlite::types::Value::Integer(i) => i.to_string(),
                                rusqlite::types::Value::Text(t) => t,
                                other => format!("{other:?}"),
                            })
                        })
                        .collect()
                })
                .unwrap();
            out.extend(rows.map(|r: rusqlite::Result<Vec<String>>| r.unwrap().join("|")));
        }
        out
    }

    /// A bulk import that only adds records sets the report triggers aside and writes their
    /// facts at its end: the same tallies, first stage moves and closing times as an import
    /// row by row, for leads and deals in open, won and lost stages.
    #[test]
    fn a_bulk_import_leaves_the_facts_an_import_row_by_row_leaves() {
        use crate::domain::import::DuplicateMode;
        use crate::store::RecordInput;
        use crate::store::import::{ImportOptions, ImportRow};
        let rows = |entity: Entity| -> Vec<ImportRow> {
            let stages: &[&str] = match entity {
                Entity::Lead => &["NEW", "IN_PROCESS", "CONVERTED", "JUNK"],
                _ => &["NEW", "WON", "LOSE"],
            };
            (0..120)
                .map(|i| {
                    let fields = [
                        ("title", format!("Record {i}")),
                        ("stage", stages[i % stages.len()].to_string()),
                        ("amount", format!("{}", 100 + i * 7)),
                        ("currency", ["EUR", "USD"][i % 2].to_string()),
                        ("source", ["CALL", "WEB", "EMAIL"][i % 3].to_string()),
                    ];
                    let mut input = RecordInput {
                        fields: fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
                        ..Default::default()
                    };
                    if entity == Entity::Deal {
                        input.fields.push(("close_date".into(), format!("2026-{:02}-10", 1 + i % 12)));
                    }
                    let mut row = ImportRow::new(i as u64 + 2, Ok(input));
                    row.created_at = Some(1_780_000_000_000 + i as i64 * 5_000_000);
                    row
                })
                .collect()
        };
        let mut seen = Vec::new();
        for bulk in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let mut store = Store::open(&dir.path().join("crm.db"), Default::default()).unwrap();
            for entity in [Entity::Lead, Entity::Deal] {
                let list = rows(entity);
                let opts = ImportOptions { duplicates: DuplicateMode::Skip, bulk, ..Default::default() };
                let report = store.import_from(entity, |from| list[from.min(list.len())..].to_vec(), opts, |_| {});
                let report = report.unwrap();
                assert_eq!(report.created, 120, "bulk={bulk} {entity:?} {:?}", report.rows);
            }
            seen.push(facts(&store));
        }
        assert!(seen[0].iter().any(|f| f.starts_with("tally|")) && seen[0].iter().any(|f| f.starts_with("forecast|")));
        let only = |a: &Vec<String>, b: &Vec<String>| a.iter().filter(|f| !b.contains(f)).cloned().collect::<Vec<_>>();
        assert_eq!(
            seen[0],
            seen[1],
            "row by row, then in bulk: {:?} / {:?}",
            only(&seen[0], &seen[1]),
            only(&seen[1], &seen[0])
        );
    }

    /// The demo's load (records and activities, only added) leaves the tallies that counting
    /// them again from the records gives.
    #[test]
    fn the_demo_load_leaves_the_tallies_counting_them_again_gives() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("crm.db"), Default::default()).unwrap();
        crate::demo::generate(&mut store, crate::demo::DemoOptions { leads: 200, seed: 5 }).unwrap();
        let loaded = facts(&store);
        assert!(loaded.iter().any(|f| f.starts_with("activity|")) && loaded.iter().any(|f| f.starts_with("forecast|")));
        store.conn().execute_batch(super::super::migrate::TALLIES_REBUILD).unwrap();
        assert_eq!(loaded, facts(&store));
    }

    /// A bulk load keeps at most a chunk of search entries in memory (64 in unit tests), the
    /// rest in its scratch file, and every record is found all the same.
    #[test]
    fn a_bulk_load_keeps_at_most_a_chunk_of_search_entries_in_memory() {
        use crate::store::engine::Search;
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("crm.db"), Default::default()).unwrap();
        search::LAST_PEAK.set(0);
        let report = crate::demo::generate(&mut store, crate::demo::DemoOptions { leads: 300, seed: 3 }).unwrap();
        let peak = search::LAST_PEAK.get();
        assert!(peak > 0 && peak <= search::CHUNK, "{peak} entries in memory at once");
        let made = report.leads + report.contacts + report.companies + report.deals;
        let entries: i64 = store.conn().query_row("SELECT count(*) FROM search_docsize", [], |r| r.get(0)).unwrap();
        assert_eq!(entries as usize, made);
        // The first records made went to the scratch file: they are found.
        let first: String =
            store.conn().query_row("SELECT title FROM companies ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap();
        let word = first.split_whitespace().next().unwrap();
        assert!(
            store
                .search(word, 50, &crate::domain::access::Sight::everything())
                .unwrap()
                .iter()
                .any(|h| h.entity == Entity::Company),
            "{word}"
        );
    }

    /// Records handed to the sink by position: a contact's company, a deal's company and lead
    /// get the ids the load gave them, and a lead with a contact's phone is a repeat lead of
    /// it (the match keys in memory hold the contacts', not the leads').
    #[test]
    fn records_by_position_are_linked_and_a_repeat_lead_is_found() {
        use crate::domain::comm::{Comm, CommKind};
        use crate::domain::dedup::PhoneRegion;
        use crate::store::RecordInput;
        use crate::store::bulk::Stamp;
        use crate::store::engine::BulkSink;
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("crm.db"), Default::default()).unwrap();
        let input = |fields: &[(&str, &str)], phone: &str| {
            let mut i = RecordInput {
                fields: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                ..Default::default()
            };
            i.comms.add.push(Comm::new(CommKind::Phone, "", phone, PhoneRegion::FR).unwrap());
            i
        };
        let stamp = Stamp { created: 1_700_000_000_000, user: 0 };
        let users =
            [BulkUser {
                login: "zoe".into(), name: "Zoé".into(), department: "Ventes".into(), role: "Manager".into()
            }];
        let make = |_: &BulkSetting, send: &mut dyn FnMut(Result<BulkRecord>) -> bool| {
            let records = [
                BulkRecord::Company { stamp, input: input(&[("title", "Atelier Nord")], "01 40 00 00 01") },
                BulkRecord::Company { stamp, input: input(&[("title", "Atelier Sud")], "01 40 00 00 02") },
                BulkRecord::Contact {
                    stamp,
                    input: input(&[("first_name", "Anne"), ("last_name", "Roux")], "06 11 22 33 44"),
                    company: Some(1),
                },
                BulkRecord::Lead {
                    stamp,
                    input: input(&[("title", "Devis"), ("last_name", "Autre")], "06 11 22 33 44"),
                    activities: vec![],
                },
                BulkRecord::Deal {
                    stamp,
                    input: input(&[("title", "Contrat")], "01 40 00 00 03"),
                    company: 1,
                    lead: Some(0),
                },
            ];
            for r in records {
                if !send(Ok(r)) {
                    return;
                }
            }
        };
        let loaded = store.load_records(&users, &make).unwrap();
        assert_eq!(loaded.records, 5);
        let q = |sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
        let sud = q("SELECT id FROM companies WHERE title = 'Atelier Sud'");
        let contact = q("SELECT id FROM contacts");
        let lead = q("SELECT id FROM leads");
        assert_eq!(q("SELECT company_id FROM contact_companies"), sud);
        assert_eq!(q("SELECT company_id FROM deals"), sud);
        assert_eq!(q("SELECT lead_id FROM deals"), lead);
        assert_eq!(q("SELECT is_repeat FROM leads"), 1);
        assert_eq!(q("SELECT contact_id FROM leads"), contact);
        assert_eq!(q("SELECT count(*) FROM users WHERE login = 'zoe'"), 1);
    }

    /// The ids of a load's records by position, kept as runs.
    #[test]
    fn positions_keep_runs_of_ids() {
        let mut p = Positions::default();
        for id in [5, 6, 7, 20, 21, 3] {
            p.push(id);
        }
        let got: Vec<Option<i64>> = (0..7).map(|n| p.get(n)).collect();
        assert_eq!(got, vec![Some(5), Some(6), Some(7), Some(20), Some(21), Some(3), None]);
        assert_eq!(p.runs.len(), 3);
    }

    /// A bulk load writes with SQLite's checks of references off: its own check at the end
    /// must refuse a reference to nothing, and pass what the load resolved.
    #[test]
    fn a_reference_to_nothing_fails_the_load_at_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("crm.db");
        drop(crate::store::sqlite::Store::open(&path, Default::default()).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF; BEGIN").unwrap();
        let stage: i64 = conn.query_row("SELECT min(id) FROM stages", [], |r| r.get(0)).unwrap();
        let insert = "INSERT INTO leads (title, stage_id, created_at, modified_at, moved_at) VALUES ('x', ?1, 0, 0, 0)";
        conn.execute(insert, [stage]).unwrap();
        check_foreign_keys(&conn).unwrap();
        conn.execute(insert, [stage + 1000]).unwrap();
        let err = check_foreign_keys(&conn).unwrap_err().to_string();
        assert!(err.contains("leads row 2 pointing to a stages row that does not exist"), "{err}");
    }
}
