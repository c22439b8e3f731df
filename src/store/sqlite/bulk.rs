//! Bulk loads (demo data, large imports): one transaction in which the secondary indexes of
//! the tables being filled are set aside and built once at the end. Updating an index row by
//! row at random places (name keys, phones) cost several times more than building it once
//! from sorted data: at 100k leads, most of an import. The duplicate lookups that would
//! need those indexes read `MatchIndex`, a copy in memory of every record's match keys.

use super::duplicates::MatchIndex;
use super::rule::Rule;
use super::search;
use super::{Result, StoreError};
use crate::domain::fields::{Entity, RefKind};
use crate::memory::KeepFreedMemory;
use rusqlite::Connection;
use rusqlite::types::Value;
use std::cell::RefCell;
use std::collections::HashMap;

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
    /// Reads the match keys of the file, then drops the indexes; but the one that finds a
    /// record's phones and e-mails when the load `reads_comms` of records it did not make.
    pub(crate) fn begin(tx: &Connection, reads_comms: bool) -> Result<BulkLoad> {
        // Scratch indexes of loads that were killed (`search::IndexAside`) go first.
        search::remove_leftovers(&std::env::temp_dir());
        let matches = RefCell::new(MatchIndex::load(tx)?);
        let search_was_empty = search::index_is_empty(tx)?;
        let dropped = set_aside(tx, if reads_comms { &[COMMS_OWNER] } else { &[] })?;
        Ok(BulkLoad {
            dropped,
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
    pub(crate) fn finish(&self, tx: &Connection, entries: Vec<Value>, replaced: &[i64]) -> Result<()> {
        if !self.search_was_empty || entries.is_empty() {
            restore(tx, &self.dropped)?;
            check_foreign_keys(tx)?;
            return search::write_replacing(tx, entries, replaced);
        }
        // Nothing to replace in an empty index: `replaced` are records this load made, whose
        // entries `entries` already holds as the file has them.
        let definition = search::definition(tx)?;
        std::thread::scope(|scope| {
            let aside = scope.spawn(move || search::IndexAside::build(&definition, entries));
            let rebuilt = restore(tx, &self.dropped).and_then(|()| check_foreign_keys(tx));
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

    /// A bulk load writes with SQLite's checks of references off: its own check at the end
    /// must refuse a reference to nothing, and pass what the load resolved.
    #[test]
    fn a_reference_to_nothing_fails_the_load_at_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("crm.db");
        drop(crate::store::Store::open(&path, Default::default()).unwrap());
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
