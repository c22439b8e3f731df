//! Bulk loads (demo data, large imports): one transaction in which the secondary indexes of
//! the tables being filled are set aside and built once at the end. Updating an index row by
//! row at random places (name keys, phones) cost several times more than building it once
//! from sorted data: at 100k leads, most of an import. The duplicate lookups that would
//! need those indexes read `MatchIndex`, a copy in memory of every record's match keys.

use super::Result;
use super::duplicates::MatchIndex;
use crate::domain::fields::{Entity, RefKind};
use crate::memory::KeepFreedMemory;
use rusqlite::Connection;
use std::cell::RefCell;
use std::collections::HashMap;

/// The one index a bulk load keeps: reading a record's phones and e-mails back (merges and
/// replacements of an import). New records append to it, so it costs little.
const KEPT_INDEXES: &[&str] = &["comms_owner"];

/// Tables whose secondary indexes a bulk load sets aside.
const FILLED_TABLES: &str = "'leads', 'contacts', 'companies', 'deals', 'comms', 'activities', \
     'activity_bindings', 'timeline', 'contact_companies'";

/// A bulk load in progress, inside its transaction. A failed load rolls everything back,
/// the dropped indexes included.
#[derive(Debug)]
pub(crate) struct BulkLoad {
    dropped: Vec<String>,
    matches: RefCell<MatchIndex>,
    looked_up: RefCell<HashMap<LookedUp, i64>>,
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
    /// Reads the match keys of the file, then drops the indexes.
    pub(crate) fn begin(tx: &Connection) -> Result<BulkLoad> {
        let matches = RefCell::new(MatchIndex::load(tx)?);
        let dropped = set_aside_indexes(tx)?;
        Ok(BulkLoad { dropped, matches, looked_up: RefCell::default(), _memory: KeepFreedMemory::new() })
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

    /// Builds the indexes again.
    pub(crate) fn finish(&self, tx: &Connection) -> Result<()> {
        build_indexes(tx, &self.dropped)
    }
}

/// Drops the secondary indexes a bulk load sets aside, inside the caller's transaction, and
/// gives the statements that build them again (`build_indexes`). Public for the bulk-load
/// floor benchmark, which must set aside exactly what a load does.
pub fn set_aside_indexes(tx: &Connection) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
         AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({FILLED_TABLES})"
    );
    let found: Vec<(String, String)> =
        tx.prepare(&sql)?.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut dropped = Vec::new();
    for (name, sql) in found.into_iter().filter(|(n, _)| !KEPT_INDEXES.contains(&n.as_str())) {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        dropped.push(sql);
    }
    Ok(dropped)
}

/// Builds again the indexes `set_aside_indexes` dropped.
pub fn build_indexes(tx: &Connection, dropped: &[String]) -> Result<()> {
    for sql in dropped {
        tx.execute_batch(sql)?;
    }
    Ok(())
}
