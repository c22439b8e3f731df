//! The PostgreSQL engine, for a team that outgrows a shared file: the same aggregates as
//! `sqlite`, through the `postgres` client (synchronous, which fits the store worker's
//! thread). Every write is one `SERIALIZABLE` transaction, retried while the server reports
//! a serialization failure or a deadlock, so each use case sees what a file's exclusive
//! writer would; reads inside `reading` share one `REPEATABLE READ` snapshot. A dropped
//! connection is made again before the next statement; a write that met one is retried on
//! the new connection while the busy limit lasts ("waiting for the server").

mod activities;
mod bulk;
mod calendar;
mod convert;
mod copy;
pub(crate) mod custom_fields;
mod db_roles;
mod documents;
mod duplicates;
mod error;
mod feed;
mod import;
mod intake;
mod lines;
mod maintenance;
mod merge;
mod migrate;
mod queue;
pub mod records;
pub mod refs;
mod reports;
mod roles;
mod rules;
pub mod scratch;
mod search;
mod service_file;
mod settings;
mod stages;
mod target;
mod timeline;
mod tls;
mod totals;
mod triage;
mod users;
mod views;

use crate::domain::access::Sight;
use crate::domain::dedup::PhoneRegion;
use crate::domain::fields::Entity;
use crate::domain::money::Currency;
use crate::domain::when::UnixMs;
use crate::store::engine::*;
use crate::store::options::{CurrentUser, OpenOptions, WaitNotice};
use crate::store::records::Record;
use crate::store::{Result, StoreError, mount, rule, wait};
use postgres::{Client, GenericClient, IsolationLevel, Statement, Transaction};
use std::cell::{Cell, RefCell, RefMut};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub use target::{is_url, redacted};

/// Schema version this build writes; databases with a higher one are refused.
pub const SCHEMA_VERSION: i64 = migrate::LATEST;

/// The channel every committed change is announced on (the `changes` table's trigger).
const CHANNEL: &str = "prospect_changes";

/// An open Prospect database on a PostgreSQL server. One per process (the TUI keeps it on
/// its store worker).
pub struct Store {
    client: RefCell<Client>,
    target: target::Target,
    /// The URL without its password: what messages name.
    shown: PathBuf,
    opts: OpenOptions,
    user: Option<CurrentUser>,
    busy_hook: Option<Box<dyn FnMut(bool) + Send>>,
    fs: mount::FileSystem,
    /// Changes other connections announced (`LISTEN`), counted: the change feed's
    /// `data_version`.
    heard: Cell<i64>,
    /// This connection's server process, whose own announcements are not news.
    own_pid: Cell<i32>,
    /// Whether a `reading` transaction is open on the connection.
    in_read: Cell<bool>,
    /// Statements prepared on this connection (cleared when it is made again).
    pub(crate) stmts: StatementCache,
}

/// Statements prepared on one connection, by SQL text: a statement run again is then one
/// round trip (bind and execute) instead of two (parse, then bind and execute). Prepared
/// statements outlive the transactions they were made in, so one cache serves reads and
/// writes alike.
#[derive(Default)]
pub(crate) struct StatementCache(RefCell<HashMap<String, Statement>>);

/// Distinct statements kept at most: texts built at run time (filters) could otherwise
/// grow the server's and the client's memory without end.
const CACHED_STATEMENTS: usize = 512;

/// Parameter types of the small statements sent with their types (`query_typed`): one round
/// trip to the server, where a statement not kept prepared costs a prepare, a run and a close.
pub(crate) const INT8: postgres::types::Type = postgres::types::Type::INT8;
pub(crate) const TEXT: postgres::types::Type = postgres::types::Type::TEXT;

impl StatementCache {
    fn clear(&self) {
        self.0.borrow_mut().clear();
    }
}

/// `sql` prepared on `c`'s connection, once: later calls with the same text reuse the
/// statement. `c` may be the client or one of its transactions; `cache` must be the one of
/// the same connection (`Store::stmts`, `WriteCtx::stmts`).
pub(crate) fn prepared(c: &mut impl GenericClient, cache: &StatementCache, sql: &str) -> Result<Statement> {
    if let Some(st) = cache.0.borrow().get(sql) {
        return Ok(st.clone());
    }
    let st = c.prepare(sql)?;
    let mut map = cache.0.borrow_mut();
    if map.len() >= CACHED_STATEMENTS {
        map.clear();
    }
    map.insert(sql.to_owned(), st.clone());
    Ok(st)
}

/// Prospect's statements are planned for a screen's few rows; the server's JIT compiler (on by
/// default) took some of them for big ones and compiled them at every call: the Kanban's stale
/// marks took 60-200 ms of compiling to find no row. Set after connecting rather than in the
/// connection's startup options, which connection poolers such as PgBouncer refuse.
const NO_JIT: &str = "SET jit = off;";

impl Store {
    /// Connects to the database `url` names (libpq's variables and `~/.pgpass` fill what it
    /// leaves out), creating Prospect's tables in an empty database and upgrading older
    /// ones. Waits for a server that does not answer yet up to the busy limit.
    pub fn open(url: &str, opts: OpenOptions) -> Result<Store> {
        let target = target::config_of(url)?;
        let shown = PathBuf::from(target::redacted_config(&target.config));
        let fs = mount::FileSystem { fs_type: Some("postgresql".into()), network: true, warnings: Vec::new() };
        let started = Instant::now();
        let mut told = false;
        let client = loop {
            match target::connect(&target, &shown) {
                Ok(c) => break c,
                Err(StoreError::Unreachable(..)) if started.elapsed() < opts.busy_limit && opts.create => {
                    if !told && opts.say_when_waiting != WaitNotice::Quiet {
                        told = true;
                        let file = shown.display().to_string();
                        if opts.say_when_waiting == WaitNotice::Json {
                            eprintln!("{}", serde_json::json!({ "waiting": file }));
                        } else {
                            eprintln!(
                                "prospect: {}",
                                crate::i18n::tr_in(opts.lang, "tui.waiting_server", &[("file", &file)])
                            );
                        }
                    }
                    std::thread::sleep(std::time::Duration::from_millis(500));
                }
                Err(e) => return Err(e),
            }
        };
        let mut store = Store {
            client: RefCell::new(client),
            target,
            shown,
            opts,
            user: None,
            busy_hook: None,
            fs,
            heard: Cell::new(0),
            own_pid: Cell::new(0),
            in_read: Cell::new(false),
            stmts: StatementCache::default(),
        };
        // A database already at this build's version (every open but the first) is told in
        // the round trip that starts listening; the others go through the locked migration.
        let current = match store.listen_reading_version() {
            Ok(v) => v == Some(SCHEMA_VERSION),
            Err(_) => {
                store.listen()?;
                false
            }
        };
        if !current {
            migrate::run(&mut store).map_err(|e| store.fill_path(e))?;
        }
        Ok(store)
    }

    /// Listens for other clients' changes on this connection, turns the JIT compiler off
    /// (`NO_JIT`) and notes its server process, in one round trip.
    fn listen(&self) -> Result<()> {
        let sql = format!("LISTEN {CHANNEL}; {NO_JIT} SELECT pg_backend_pid()::text");
        let pid = first_value(&self.client.borrow_mut().simple_query(&sql).map_err(|e| self.pg_err(e))?, 0);
        self.own_pid.set(pid.and_then(|p| p.parse().ok()).unwrap_or(0));
        Ok(())
    }

    /// `listen`, reading the schema version in the same round trip: an error when the
    /// database has no version table (nothing was listened to then).
    fn listen_reading_version(&self) -> Result<Option<i64>> {
        let sql = format!(
            "LISTEN {CHANNEL}; {NO_JIT} SELECT pg_backend_pid()::text, \
             (SELECT coalesce(max(version), 0) FROM prospect_schema)::text"
        );
        let msgs = self.client.borrow_mut().simple_query(&sql).map_err(|e| self.pg_err(e))?;
        self.own_pid.set(first_value(&msgs, 0).and_then(|p| p.parse().ok()).unwrap_or(0));
        Ok(first_value(&msgs, 1).and_then(|v| v.parse().ok()))
    }

    /// The connection, made again first when the server dropped it (a restart): the next
    /// statement then runs on a live connection, or says the server cannot be reached.
    pub(crate) fn client(&self) -> RefMut<'_, Client> {
        {
            let closed = self.client.borrow().is_closed();
            if closed
                && !self.in_read.get()
                && let Ok(c) = target::connect(&self.target, &self.shown)
            {
                // The old connection's statements died with it.
                self.stmts.clear();
                *self.client.borrow_mut() = c;
                let _ = self.listen();
            }
        }
        self.client.borrow_mut()
    }

    /// A PostgreSQL error as a store error naming this database.
    pub(crate) fn pg_err(&self, e: postgres::Error) -> StoreError {
        StoreError::from(e).with_path(&self.shown)
    }

    /// The same error naming this database where it names none.
    pub(crate) fn fill_path(&self, e: StoreError) -> StoreError {
        e.with_path(&self.shown)
    }

    fn user_id(&self) -> Option<i64> {
        self.user.as_ref().map(|u| u.id)
    }

    /// Announcements of other clients' commits heard so far (never decreasing).
    pub(crate) fn heard(&self) -> i64 {
        let own = self.own_pid.get();
        let mut c = self.client();
        let mut n = self.heard.get();
        // A round trip first: a commit that returned to its client has queued its
        // announcement, which the server sends before this answer (waiting on the socket
        // alone would race the other server process's delivery).
        if !self.in_read.get() && c.notifications().is_empty() {
            let _ = c.batch_execute("");
        }
        let mut notes = c.notifications();
        let mut it = notes.iter();
        while let Ok(Some(note)) = postgres::fallible_iterator::FallibleIterator::next(&mut it) {
            if note.process_id() != own {
                n += 1;
            }
        }
        self.heard.set(n);
        n
    }

    /// Runs `f`'s queries in one read-only `REPEATABLE READ` transaction: one state of the
    /// data for a screen's several reads. Nested calls run inside the outer one.
    pub fn reading<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        if self.in_read.get() {
            return f(self).map_err(|e| self.fill_path(e));
        }
        self.client().batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").map_err(|e| self.pg_err(e))?;
        self.in_read.set(true);
        let result = f(self).map_err(|e| self.fill_path(e));
        self.in_read.set(false);
        let ended = self.client.borrow_mut().batch_execute(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
        let value = result?;
        ended.map_err(|e| self.pg_err(e))?;
        Ok(value)
    }

    /// Runs `f` in one `SERIALIZABLE` transaction, retried (from the start) while the
    /// server reports a conflict with another writer or the connection was lost, up to the
    /// busy limit. Either all of `f` is written or none.
    pub fn write<T>(&mut self, f: impl FnMut(&mut Transaction<'_>, &WriteCtx) -> Result<T>) -> Result<T> {
        self.write_or_try(true, f)
    }

    /// Like `write`, but `commit: false` rolls everything back at the end: a dry run that
    /// met every rule a real run would meet.
    pub(crate) fn write_or_try<T>(
        &mut self,
        commit: bool,
        mut f: impl FnMut(&mut Transaction<'_>, &WriteCtx) -> Result<T>,
    ) -> Result<T> {
        let limit = self.opts.busy_limit;
        let result = wait::retry_while_busy(
            self,
            limit,
            // A lost connection is waited for like a busy file (`wait` retries both): made
            // again by `client()` at the next attempt.
            |store| store.attempt_write(commit, &mut f),
            |store, waiting| {
                if let Some(h) = store.busy_hook.as_mut() {
                    h(waiting);
                }
            },
        );
        result.map_err(|e| self.fill_path(e))
    }

    fn attempt_write<T>(
        &self,
        commit: bool,
        f: &mut impl FnMut(&mut Transaction<'_>, &WriteCtx) -> Result<T>,
    ) -> Result<T> {
        let ctx = WriteCtx {
            now: self.now(),
            user_id: self.user_id(),
            region: self.opts.region,
            currency: self.opts.currency,
            stmts: &self.stmts,
        };
        let mut client = self.client();
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::Serializable)
            .start()
            .map_err(StoreError::from)?;
        // Read inside the write: an administrator may have deactivated this user since they
        // signed in (a screen open all day).
        if let Some(user) = self.user.as_ref() {
            let st = prepared(&mut tx, &self.stmts, "SELECT active FROM users WHERE id = $1")?;
            let active: Option<bool> = tx.query_opt(&st, &[&user.id])?.map(|r| r.get(0));
            if active == Some(false) {
                return Err(StoreError::Rule(rule::Rule::InactiveUser { login: user.login.clone() }));
            }
        }
        let value = f(&mut tx, &ctx)?;
        if commit {
            tx.commit()?;
        } else {
            tx.rollback()?;
        }
        Ok(value)
    }
}

/// Column `i` of the first row a simple query returned.
fn first_value(msgs: &[postgres::SimpleQueryMessage], i: usize) -> Option<String> {
    msgs.iter().find_map(|m| match m {
        postgres::SimpleQueryMessage::Row(r) => Some(r.get(i).map(str::to_string)),
        _ => None,
    })?
}

/// What a write needs besides the transaction: who, when, input defaults, and the
/// connection's prepared statements.
#[derive(Clone, Copy)]
pub struct WriteCtx<'a> {
    /// Instant written to `*_at` columns and the timeline.
    pub now: UnixMs,
    /// User written to `*_by` columns and the timeline.
    pub user_id: Option<i64>,
    /// Region for phone numbers.
    pub region: PhoneRegion,
    /// Default currency.
    pub currency: Currency,
    /// The transaction's connection's statements (`prepared`).
    pub(crate) stmts: &'a StatementCache,
}

impl WriteCtx<'_> {
    /// `sql` prepared once on the write's connection (`prepared`).
    pub(crate) fn prepared(&self, tx: &mut impl GenericClient, sql: &str) -> Result<Statement> {
        prepared(tx, self.stmts, sql)
    }
}

impl Store {
    /// `sql` prepared once on this store's connection `c` (`prepared`), for reads.
    pub(crate) fn prepared(&self, c: &mut Client, sql: &str) -> Result<Statement> {
        prepared(c, &self.stmts, sql)
    }
}

/// The advisory lock of the change log ("PRSP" and 2): held from a write's first logged
/// change to its commit, so entries are numbered in commit order and a reader of the log
/// never sees a lower id appear after a higher one.
const FEED_LOCK: i64 = 0x5052_5350_0000_0002;

/// Logs a change so other clients reload just that record (the log's trigger announces it
/// on `prospect_changes`), and keeps the log short.
pub(crate) fn log_change(tx: &mut impl GenericClient, ctx: &WriteCtx, entity: Entity, id: i64) -> Result<()> {
    // The lock, then the entry, in one round trip: the materialized CTE's row (the lock
    // taken) comes before the row inserted, whose id is drawn then.
    let st = ctx.prepared(
        tx,
        "WITH held AS MATERIALIZED (SELECT pg_advisory_xact_lock($1) AS done) \
         INSERT INTO changes (entity, entity_id, at) SELECT $2::text, $3::bigint, $4::bigint FROM held RETURNING id",
    )?;
    let last: i64 = tx.query_one(&st, &[&FEED_LOCK, &entity.code(), &id, &ctx.now])?.try_get(0)?;
    if last % 1000 == 0 {
        tx.execute("DELETE FROM changes WHERE id <= $1", &[&(last - 10_000)])?;
    }
    Ok(())
}

/// Ends a bulk load in the change log with one entry that names no record ("everything").
pub(crate) fn log_bulk_change(tx: &mut impl GenericClient, now: UnixMs) -> Result<()> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&FEED_LOCK])?;
    tx.execute("INSERT INTO changes (entity, entity_id, at) VALUES ('*', 0, $1)", &[&now])?;
    Ok(())
}

/// The PostgreSQL engine implements every aggregate (the `impl`s sit with their SQL).
impl Engine for Store {}

impl Backend for Store {
    fn reading(&self, f: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        Store::reading(self, |_| f())
    }

    fn on_busy(&mut self, hook: Box<dyn FnMut(bool) + Send>) {
        self.busy_hook = Some(hook);
    }

    fn records(&self, entity: Entity, ids: &[i64], sight: &Sight) -> Result<Vec<Record>> {
        self.reading(|s| ids.iter().map(|id| s.get(crate::store::RecordRef::new(entity, *id), sight)).collect())
    }

    /// The database this store works on, as its URL without a password.
    fn path(&self) -> &Path {
        &self.shown
    }

    fn file_system(&self) -> &mount::FileSystem {
        &self.fs
    }

    fn read_only(&self) -> bool {
        false
    }

    fn options(&self) -> &OpenOptions {
        &self.opts
    }

    fn now(&self) -> UnixMs {
        self.opts.clock.now_ms()
    }

    fn user(&self) -> Option<&CurrentUser> {
        self.user.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store's connection runs without the JIT compiler, whether it made the database's
    /// tables (a first open) or found them; on the server `PROSPECT_TEST_PG` names.
    #[test]
    fn a_stores_connection_runs_without_the_jit_compiler() {
        let Some(server) = scratch::server() else { return };
        let db = scratch::ScratchDb::create(&server).unwrap();
        for open in ["first", "again"] {
            let store = Store::open(&db.url, Default::default()).unwrap();
            let jit: String = store.client().query_one("SHOW jit", &[]).unwrap().get(0);
            assert_eq!(jit, "off", "{open}");
        }
    }
}
