//! The search entries of the records a bulk write creates, kept until the load ends, in a
//! bounded amount of memory: a chunk at a time in memory, the rest in a scratch file.

use super::{packed_entry, rowid_of_packed, tag};
use crate::domain::fields::Entity;
use crate::store::Result;
use rusqlite::types::Value;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

/// Entries a bulk write keeps in memory before it writes them to its scratch file, and entries
/// handed to the search index per statement when the load ends. Keeping every entry of a
/// 1M-lead demo was about 200 MB; a chunk is 2-3 MB.
/// (64 in unit tests, so that small loads spill.)
pub(crate) const CHUNK: usize = if cfg!(test) { 64 } else { 16_384 };

#[cfg(test)]
thread_local! {
    /// The most entries the last bulk write of this thread held in memory at once.
    pub(crate) static LAST_PEAK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The search entries of the records a bulk write creates, written all at once when it ends
/// (`BulkLoad::finish`): FTS5 flushes at every statement (a savepoint each) once written in a
/// transaction, and a bulk load opens one for every handful of rows. Each entry's text was
/// made with the record (`entry_text_of_new`), on the load's reading thread.
///
/// At most `CHUNK` entries stay in memory: `spill`, called where no savepoint is open (between
/// handfuls of an import, between records of the demo), writes them to an unnamed scratch
/// file of `$TMPDIR` (removed by the system when closed; it holds the words of every record,
/// so it is the user's alone). Without a usable temporary directory they stay in memory.
#[derive(Debug, Default)]
pub(crate) struct PendingEntries(RefCell<Inner>);

#[derive(Debug, Default)]
struct Inner {
    memory: Vec<Value>,
    spool: Option<BufWriter<File>>,
    spooled: usize,
    /// No scratch file could be made: everything stays in memory.
    no_spool: bool,
    /// The most entries held in memory at once.
    peak: usize,
}

impl PendingEntries {
    /// Keeps the entry of a record just created.
    pub(crate) fn add(&self, entity: Entity, id: i64, text: String) {
        let mut inner = self.0.borrow_mut();
        inner.memory.push(packed_entry(id * 4 + tag(entity), &text));
        inner.peak = inner.peak.max(inner.memory.len());
    }

    /// Forgets the entries of records created since `len` (a row taken back). Only entries
    /// still in memory can be forgotten: `spill` is called where no savepoint is open. A
    /// caller that spilled inside one gets an error (and its transaction rolled back) rather
    /// than entries for rows that were never written.
    pub(crate) fn truncate(&self, len: usize) -> Result<()> {
        let mut inner = self.0.borrow_mut();
        if len < inner.spooled {
            return Err(crate::store::StoreError::Engine(
                Default::default(),
                "search entries spilled inside a savepoint".into(),
            ));
        }
        let keep = len - inner.spooled;
        inner.memory.truncate(keep);
        Ok(())
    }

    /// How many entries are kept, in memory and in the scratch file.
    pub(crate) fn len(&self) -> usize {
        let inner = self.0.borrow();
        inner.spooled + inner.memory.len()
    }

    /// Writes the entries in memory to the scratch file once they fill a chunk. To be called
    /// only where no savepoint is open: entries in the file cannot be taken back.
    pub(crate) fn spill(&self) -> Result<()> {
        let mut inner = self.0.borrow_mut();
        if inner.memory.len() < CHUNK || inner.no_spool {
            return Ok(());
        }
        if inner.spool.is_none() {
            match tempfile::tempfile() {
                Ok(file) => inner.spool = Some(BufWriter::with_capacity(1 << 16, file)),
                Err(_) => {
                    inner.no_spool = true;
                    return Ok(());
                }
            }
        }
        let Inner { memory, spool, spooled, .. } = &mut *inner;
        let Some(out) = spool.as_mut() else { return Ok(()) };
        let io = |e| crate::store::StoreError::Io(std::env::temp_dir(), e);
        for entry in memory.drain(..) {
            if let Value::Text(t) = entry {
                out.write_all(&(t.len() as u32).to_le_bytes()).map_err(io)?;
                out.write_all(t.as_bytes()).map_err(io)?;
                *spooled += 1;
            }
        }
        Ok(())
    }

    /// Every entry kept, but those at `stale` rowids, then `fresh` ones, to be read a chunk
    /// at a time (`Entries`).
    pub(crate) fn into_entries(self, stale: HashSet<i64>, fresh: Vec<Value>) -> Result<Entries> {
        let inner = self.0.into_inner();
        #[cfg(test)]
        LAST_PEAK.set(inner.peak);
        let spool = match inner.spool {
            Some(out) => {
                let mut file =
                    out.into_inner().map_err(|e| crate::store::StoreError::Io(std::env::temp_dir(), e.into_error()))?;
                file.rewind().map_err(|e| crate::store::StoreError::Io(std::env::temp_dir(), e))?;
                Some(BufReader::with_capacity(1 << 16, file))
            }
            None => None,
        };
        Ok(Entries { spool, spooled: inner.spooled, memory: inner.memory, fresh, stale })
    }
}

/// The entries of a bulk write, as `PendingEntries::into_entries` hands them over: chunks of
/// at most `CHUNK`, read back from the scratch file, then those still in memory, then the
/// fresh ones. Sent to the thread that builds the search index aside.
pub(crate) struct Entries {
    spool: Option<BufReader<File>>,
    spooled: usize,
    memory: Vec<Value>,
    fresh: Vec<Value>,
    stale: HashSet<i64>,
}

impl Entries {
    /// Whether there is no entry at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.spooled == 0 && self.memory.is_empty() && self.fresh.is_empty()
    }

    fn read_one(&mut self) -> Result<Option<Value>> {
        let io = |e| crate::store::StoreError::Io(std::env::temp_dir(), e);
        let Some(spool) = self.spool.as_mut() else { return Ok(None) };
        if self.spooled == 0 {
            self.spool = None;
            return Ok(None);
        }
        let mut len = [0u8; 4];
        spool.read_exact(&mut len).map_err(io)?;
        let mut bytes = vec![0; u32::from_le_bytes(len) as usize];
        spool.read_exact(&mut bytes).map_err(io)?;
        self.spooled -= 1;
        let text = String::from_utf8(bytes).map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        Ok(Some(Value::Text(text)))
    }
}

impl Iterator for Entries {
    type Item = Result<Vec<Value>>;

    fn next(&mut self) -> Option<Result<Vec<Value>>> {
        let mut chunk = Vec::with_capacity(CHUNK.min(self.spooled + self.memory.len() + self.fresh.len()));
        loop {
            while chunk.len() < CHUNK {
                match self.read_one() {
                    Ok(Some(entry)) if self.stale.contains(&rowid_of_packed(&entry)) => {}
                    Ok(Some(entry)) => chunk.push(entry),
                    Ok(None) => break,
                    Err(e) => return Some(Err(e)),
                }
            }
            if chunk.len() < CHUNK {
                let stale = &self.stale;
                let room = CHUNK - chunk.len();
                let from_memory = self.memory.drain(..room.min(self.memory.len()));
                chunk.extend(from_memory.filter(|e| !stale.contains(&rowid_of_packed(e))));
                if self.memory.is_empty() {
                    let room = CHUNK.saturating_sub(chunk.len());
                    chunk.extend(self.fresh.drain(..room.min(self.fresh.len())));
                }
            }
            let exhausted = self.spool.is_none() && self.memory.is_empty() && self.fresh.is_empty();
            if !chunk.is_empty() {
                return Some(Ok(chunk));
            }
            if exhausted {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries spilled to the scratch file and those still in memory come back in order, but
    /// the stale ones, then the fresh ones; a row taken back forgets only what is in memory.
    #[test]
    fn spilled_entries_come_back_in_order_without_the_stale_ones() {
        let pending = PendingEntries::default();
        for id in 1..=150 {
            pending.add(Entity::Lead, id, format!("lead {id}"));
            pending.spill().unwrap();
        }
        let len = pending.len();
        pending.add(Entity::Lead, 999, "taken back".into());
        pending.truncate(len).unwrap();
        assert_eq!(pending.len(), 150);
        let stale: HashSet<i64> = [3 * 4, 140 * 4].into_iter().collect();
        let fresh = vec![packed_entry(3 * 4, "lead 3 merged")];
        let chunks: Vec<Vec<Value>> = pending.into_entries(stale, fresh).unwrap().map(|c| c.unwrap()).collect();
        assert!(chunks.iter().all(|c| c.len() <= CHUNK));
        let rowids: Vec<i64> = chunks.iter().flatten().map(rowid_of_packed).collect();
        let mut expected: Vec<i64> = (1..=150).filter(|id| *id != 3 && *id != 140).map(|id| id * 4).collect();
        expected.push(12);
        assert_eq!(rowids, expected);
        assert_eq!(chunks.last().unwrap().last(), Some(&packed_entry(12, "lead 3 merged")));
    }
}
