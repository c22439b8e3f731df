//! The SQLite engine, the embedded default: opening a possibly shared file safely, migrations, and one module per
//! aggregate. Every write runs in a short `BEGIN IMMEDIATE` transaction that also writes its
//! timeline entries; every update checks the record's `version`.

pub mod activities;
pub mod bulk;
pub mod convert;
mod copy;
pub(crate) mod custom_fields;
mod documents;
pub mod duplicates;
mod error;
pub mod import;
pub mod intake;
mod lines;
mod maintenance;
mod match_index;
pub mod merge;
mod migrate;
pub mod queue;
pub mod records;
pub mod refs;
mod reports;
mod roles;
mod rules;
pub mod search;
pub mod settings;
pub mod stages;
pub mod timeline;
pub mod totals;
pub mod triage;
pub mod users;
mod views;

use crate::domain::access::Sight;
use crate::store::engine::*;
use crate::store::options::{CurrentUser, Journal, OpenOptions, WaitNotice};
pub(crate) use crate::store::records::Record;
use crate::store::{Result, StoreError, mount, rule, wait};

use crate::domain::dedup::PhoneRegion;
use crate::domain::fields::Entity;
use crate::domain::money::Currency;
use crate::domain::when::UnixMs;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Schema version this build writes; files with a higher one are refused.
pub const SCHEMA_VERSION: i64 = migrate::LATEST;

/// An open Prospect file. One per process (the TUI keeps it on its store worker).
pub struct Store {
    conn: Connection,
    path: PathBuf,
    opts: OpenOptions,
    user: Option<CurrentUser>,
    busy_hook: Option<Box<dyn FnMut(bool) + Send>>,
    fs: mount::FileSystem,
}

/// Page cache of a connection that serves screens, in KiB. SQLite's default (2 MB) held less
/// than what the activities board or the calendar reads at 100k leads, so each visit read its
/// pages from the system again (a fifth of its time). Pages are cached as they are read, so a
/// small file never uses it all; another client's commit empties it. 16 MB helped the
/// calendar more but took the TUI's peak memory to 58 MB (budget 60); 8 MB: 47 MB.
pub const SCREEN_CACHE_KIB: i64 = 8_192;

/// A connection to `path`, read-only or not, creating the file if `create`.
/// `prospect_fold(text)`: text without case in every script (`Émile` -> `émile`), as Rust
/// lowercases it; SQLite's own `lower` folds ASCII only. Conditions and sorts on built-in
/// text fields compare with it, so that both engines find the same records.
mod fold {
    use rusqlite::Connection;
    use rusqlite::functions::FunctionFlags;

    pub(super) fn register(conn: &Connection) -> rusqlite::Result<()> {
        let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS;
        conn.create_scalar_function("prospect_fold", 1, flags, |ctx| {
            Ok(ctx.get::<Option<String>>(0)?.map(|t| t.to_lowercase()))
        })
    }
}

fn connect(path: &Path, read_only: bool, create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if read_only {
        flags |= OpenFlags::SQLITE_OPEN_READ_ONLY;
    } else {
        flags |= OpenFlags::SQLITE_OPEN_READ_WRITE;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
    }
    Connection::open_with_flags(path, flags).map_err(|e| StoreError::from_sqlite(e, path))
}

impl Store {
    /// Opens (or creates) a file with the settings a shared file needs, upgrading its schema
    /// in place. Refuses directories, non-database files and files from a newer Prospect.
    pub fn open(path: &Path, opts: OpenOptions) -> Result<Store> {
        crate::memory::configure_sqlite();
        let shown = path.to_path_buf();
        if path.is_dir() {
            return Err(StoreError::IsDirectory(shown));
        }
        let exists = path.exists();
        if !exists {
            if !opts.create {
                return Err(StoreError::Missing(shown));
            }
            match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => {
                    return Err(StoreError::NoDirectory(dir.to_path_buf()));
                }
                _ => {}
            }
        } else if let Err(e) = std::fs::File::open(path) {
            return Err(StoreError::Unreadable(shown, e.to_string()));
        }
        // A file marked read-only is opened read-only, even for root (who could write anyway).
        let marked_read_only = exists && std::fs::metadata(path).map(|m| m.permissions().readonly()).unwrap_or(false);
        let conn = connect(path, marked_read_only, opts.create)?;
        let fs = mount::file_system_of(&shown);
        let mut store = Store { conn, path: shown, opts, user: None, busy_hook: None, fs };
        // Another client may be creating, upgrading or writing the file: wait for it like a
        // write waits, and say so once when asked (there is no screen yet).
        let limit = store.opts.busy_limit;
        let opened = wait::retry_while_busy(
            &mut store,
            limit,
            |store| store.configure().and_then(|_| migrate::run(store)),
            |store, waiting| {
                if waiting && store.opts.say_when_waiting != WaitNotice::Quiet {
                    let file = store.path.display().to_string();
                    if store.opts.say_when_waiting == WaitNotice::Json {
                        eprintln!("{}", serde_json::json!({ "waiting": file }));
                    } else {
                        eprintln!(
                            "prospect: {}",
                            crate::i18n::tr_in(store.opts.lang, "tui.waiting", &[("file", &file)])
                        );
                    }
                }
            },
        );
        opened.map_err(|e| store.fill_path(e))?;
        // Opened (having said so if it had to wait): from now on a one-shot command lets
        // SQLite wait for locks, so its reads wait like its writes.
        if store.opts.wait_in_sqlite {
            let limit = store.opts.busy_limit;
            store.conn.busy_timeout(limit).map_err(|e| store.err(e))?;
        }
        // A bulk load killed midway left its scratch search index (the words of every record)
        // in the temporary folder: gone at the next start, not only at the next load.
        if !store.read_only() {
            search::remove_leftovers(&std::env::temp_dir());
        }
        Ok(store)
    }

    /// Replaces the connection with a new one to the same file, set up as `open` sets one up
    /// (the schema is not checked again). A bulk load that built the search index aside ends
    /// with it: FTS5 keeps the layout of an index it has read per connection, and this one
    /// would go on with the layout from before the load (`search::IndexAside`).
    pub(crate) fn reconnect(&mut self) -> Result<()> {
        let read_only = self.read_only();
        self.conn = connect(&self.path, read_only, false)?;
        self.configure()?;
        if self.opts.wait_in_sqlite {
            let limit = self.opts.busy_limit;
            self.conn.busy_timeout(limit).map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    fn configure(&mut self) -> Result<()> {
        // Every query of the store is prepared once per connection.
        self.conn.set_prepared_statement_cache_capacity(256);
        // Lists of values bound as one parameter (`rarray`): the search entries of a bulk load.
        rusqlite::vtab::array::load_module(&self.conn).map_err(|e| self.err(e))?;
        fold::register(&self.conn).map_err(|e| self.err(e))?;
        // Plans must not depend on bound values: otherwise SQLite re-prepares a statement
        // whenever a value it planned with changes (LIMIT ?, terms compared with partial
        // index conditions), which was a fifth of the demo generator's time.
        self.conn
            .set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
            .map_err(|e| self.err(e))?;
        // Rollback journal and full sync: the settings SQLite documents as safe on a network
        // share. A busy timeout covers short locks; `write` retries beyond it.
        self.conn.busy_timeout(Duration::from_millis(200)).map_err(|e| self.err(e))?;
        let mode: String = self.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).map_err(|e| self.err(e))?;
        let is_wal = mode.eq_ignore_ascii_case("wal");
        let wanted = match self.opts.journal {
            Some(Journal::Wal) if self.fs.network => {
                return Err(StoreError::WalOnNetwork {
                    path: self.path.clone(),
                    fs_type: self.fs.fs_type.clone().unwrap_or_else(|| "network".into()),
                });
            }
            Some(Journal::Wal) => "wal",
            // A file someone opted into WAL stays so on a local disk; anything else, and WAL
            // found on a network share, goes back to the rollback journal.
            None if is_wal && !self.fs.network => "wal",
            _ => "delete",
        };
        if !mode.eq_ignore_ascii_case(wanted) && !self.read_only() {
            let set: String = self
                .conn
                .query_row(&format!("PRAGMA journal_mode={wanted}"), [], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            // SQLite answers with the mode it kept; a change it could not make (another
            // connection holds the file) is waited for like a busy write.
            if !set.eq_ignore_ascii_case(wanted) {
                return Err(StoreError::Busy(self.path.clone()));
            }
        }
        self.conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;").map_err(|e| self.err(e))?;
        self.set_bulk_cache(false)?;
        Ok(())
    }

    /// Turns a SQLite error into a store error that names this file.
    pub(crate) fn err(&self, e: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(e, &self.path)
    }

    /// Gives bulk loads (demo data, imports) a larger page cache (`bulk::BULK_CACHE_KIB`);
    /// `false` goes back to the screens' cache (`SCREEN_CACHE_KIB`).
    pub(crate) fn set_bulk_cache(&self, bulk: bool) -> Result<()> {
        let kib = if bulk { bulk::BULK_CACHE_KIB } else { SCREEN_CACHE_KIB };
        self.conn.execute_batch(&format!("PRAGMA cache_size = -{kib}")).map_err(|e| self.err(e))
    }

    fn user_id(&self) -> Option<i64> {
        self.user.as_ref().map(|u| u.id)
    }

    /// Read access to the connection for queries inside the store.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f`'s queries in one read transaction: they all see the same state of the file,
    /// which is locked for reading once instead of at every query. Each query on its own
    /// takes and drops the shared lock (two `fcntl` calls, an `fstat` and a read of the
    /// header): a page of 500 full records was thousands of system calls. Keep `f` short, as
    /// a writer waits for it to end.
    pub fn reading<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f(self).map_err(|e| self.fill_path(e));
        }
        self.conn.execute_batch("BEGIN DEFERRED").map_err(|e| self.err(e))?;
        // The queries' errors name no file (`From<rusqlite::Error>`): this one's.
        let result = f(self).map_err(|e| self.fill_path(e));
        // Nothing was written: ending it either way only lets the lock go. It must end, or
        // every later read would run inside it, holding the lock.
        let ended = self.conn.execute_batch(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
        if ended.is_err() && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        let value = result?;
        ended.map_err(|e| self.err(e))?;
        Ok(value)
    }

    /// Runs `f` in a short `BEGIN IMMEDIATE` transaction, retrying with backoff while another
    /// process holds the file (up to `busy_limit`). Either all of `f` is written or none.
    pub fn write<T>(&mut self, f: impl FnMut(&Transaction, &WriteCtx) -> Result<T>) -> Result<T> {
        self.write_or_try(true, f)
    }

    /// Turns SQLite's checks of references on (always, but during a bulk load) or off (a bulk
    /// load, which checks the references it wrote once at its end: `bulk::BulkLoad::finish`).
    /// Only outside a transaction does the setting change.
    pub(crate) fn set_foreign_keys(&self, on: bool) -> Result<()> {
        let value = if on { "ON" } else { "OFF" };
        self.conn.execute_batch(&format!("PRAGMA foreign_keys = {value}")).map_err(|e| self.err(e))
    }

    /// Like `write`, but `commit: false` rolls everything back at the end: a dry run that
    /// met every rule and lock a real run would meet.
    pub(crate) fn write_or_try<T>(
        &mut self,
        commit: bool,
        mut f: impl FnMut(&Transaction, &WriteCtx) -> Result<T>,
    ) -> Result<T> {
        if self.read_only() && commit {
            return Err(StoreError::ReadOnly(self.path.clone()));
        }
        self.retry_while_busy(|store| {
            let ctx = WriteCtx {
                now: store.now(),
                user_id: store.user_id(),
                region: store.opts.region,
                currency: store.opts.currency,
                bulk: false,
                load: None,
                search_later: None,
                created: None,
            };
            let tx =
                Transaction::new_unchecked(&store.conn, TransactionBehavior::Immediate).map_err(|e| store.err(e))?;
            // Read inside the write's lock: an administrator may have deactivated this user
            // since they signed in (a screen open all day).
            if let Some(user) = store.user.as_ref() {
                let active: Option<bool> = tx
                    .prepare_cached("SELECT active FROM users WHERE id = ?1")
                    .and_then(|mut s| s.query_row([user.id], |r| r.get(0)).optional())
                    .map_err(|e| store.err(e))?;
                if active == Some(false) {
                    return Err(StoreError::Rule(rule::Rule::InactiveUser { login: user.login.clone() }));
                }
            }
            match f(&tx, &ctx) {
                Ok(v) if commit => tx.commit().map(|_| v).map_err(|e| store.err(e)),
                Ok(v) => tx.rollback().map(|_| v).map_err(|e| store.err(e)),
                Err(e) => {
                    drop(tx);
                    Err(e)
                }
            }
        })
    }

    /// Runs `attempt` again, with backoff, while another process holds the file (up to
    /// `busy_limit`), telling the busy hook when waiting starts and stops (`wait`).
    fn retry_while_busy<T>(&mut self, mut attempt: impl FnMut(&Store) -> Result<T>) -> Result<T> {
        let limit = self.opts.busy_limit;
        let result = wait::retry_while_busy(
            self,
            limit,
            |store| attempt(store),
            |store, waiting| {
                if let Some(h) = store.busy_hook.as_mut() {
                    h(waiting);
                }
            },
        );
        result.map_err(|e| self.fill_path(e))
    }
}

/// The SQLite engine implements every aggregate (the `impl`s sit with their SQL).
impl Engine for Store {}

impl Backend for Store {
    fn reading(&self, f: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        Store::reading(self, |_| f())
    }

    fn on_busy(&mut self, hook: Box<dyn FnMut(bool) + Send>) {
        self.busy_hook = Some(hook);
    }

    fn records(&self, entity: Entity, ids: &[i64], sight: &Sight) -> Result<Vec<Record>> {
        self.reading(|s| ids.iter().map(|id| s.get_now(entity, *id, sight)).collect())
    }

    /// The file this store works on.
    fn path(&self) -> &Path {
        &self.path
    }

    /// The file system the file lives on, with the mount settings that put it at risk.
    fn file_system(&self) -> &mount::FileSystem {
        &self.fs
    }

    /// Whether the file can only be read (permissions, read-only mount).
    fn read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false)
    }

    /// Options the store was opened with.
    fn options(&self) -> &OpenOptions {
        &self.opts
    }

    /// Current instant.
    fn now(&self) -> UnixMs {
        self.opts.clock.now_ms()
    }

    /// The signed-in user, once `sign_in` has run.
    fn user(&self) -> Option<&CurrentUser> {
        self.user.as_ref()
    }
}

/// What a write needs besides the transaction: who, when, and input defaults.
#[derive(Clone, Copy, Debug)]
pub struct WriteCtx<'a> {
    /// Instant written to `*_at` columns and the timeline.
    pub now: UnixMs,
    /// User written to `*_by` columns and the timeline.
    pub user_id: Option<i64>,
    /// Region for phone numbers.
    pub region: PhoneRegion,
    /// Default currency.
    pub currency: Currency,
    /// Bulk load: no change is logged per record, and no search entry is written per record
    /// (FTS5 flushes at every statement once written in a transaction): those of new
    /// records go to `search_later`, the others are the caller's to rebuild at the end.
    pub bulk: bool,
    /// The bulk load this write belongs to, if any (`bulk::BulkLoad`): its match keys in
    /// memory, which duplicate lookups read and every write keeps up to date, and the
    /// stages, sources and users it has already looked up.
    pub(crate) load: Option<&'a bulk::BulkLoad>,
    /// Where a bulk write keeps the search entries of the records it creates, to write them
    /// all at its end.
    pub(crate) search_later: Option<&'a search::PendingEntries>,
    /// When a new record was made in the system it comes from (an import's creation date
    /// column): its `created_at`, in place of `now`, from its first write.
    pub(crate) created: Option<UnixMs>,
}

impl<'a> WriteCtx<'a> {
    /// The bulk load's match keys, when the lookup indexes are set aside.
    pub(crate) fn matches(&self) -> Option<&'a std::cell::RefCell<duplicates::MatchIndex>> {
        self.load.map(bulk::BulkLoad::matches)
    }

    /// Writes the search entries a bulk write keeps to its scratch file once they fill a
    /// chunk (`search::PendingEntries::spill`). Only where no savepoint is open.
    pub(crate) fn spill_search(&self) -> Result<()> {
        self.search_later.map_or(Ok(()), search::PendingEntries::spill)
    }

    /// `find()`, or during a bulk load what it answered the first time (`BulkLoad::look_up`).
    pub(crate) fn look_up(&self, what: bulk::LookedUp, find: impl FnOnce() -> Result<i64>) -> Result<i64> {
        match self.load {
            Some(load) => load.look_up(what, find),
            None => find(),
        }
    }
}

/// Logs a change so other clients can reload just that record, and keeps the log short.
/// A bulk load logs nothing per record: it ends with `log_bulk_change`, after which other
/// clients reload whatever they show.
pub(crate) fn log_change(tx: &Connection, ctx: &WriteCtx, entity: Entity, id: i64) -> rusqlite::Result<()> {
    if ctx.bulk {
        return Ok(());
    }
    tx.prepare_cached("INSERT INTO changes (entity, entity_id, at) VALUES (?1, ?2, ?3)")?
        .execute(rusqlite::params![entity.code(), id, ctx.now])?;
    let last = tx.last_insert_rowid();
    if last % 1000 == 0 {
        tx.execute("DELETE FROM changes WHERE id <= ?1", [last - 10_000])?;
    }
    Ok(())
}

/// Ends a bulk load in the change log with one entry that names no record ("everything").
pub(crate) fn log_bulk_change(tx: &Connection, now: UnixMs) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO changes (entity, entity_id, at) VALUES ('*', 0, ?1)")?.execute([now])?;
    Ok(())
}
