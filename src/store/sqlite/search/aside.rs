//! The search index of a bulk load built aside: in a scratch file of `$TMPDIR`, on a thread
//! of its own, then copied into the file's empty index; and the tidying of scratch folders
//! that a killed load left behind.

use super::{Entries, write_entries};
use crate::store::Result;
use rusqlite::Connection;
use rusqlite::types::Value;
use std::path::Path;

/// Whether the search index holds no entry: then a bulk load may build it aside
/// (`IndexAside`). Asked of the table of entries' sizes, not of the index itself, so that
/// FTS5 does not read (and keep) the index's layout on this connection.
pub(crate) fn index_is_empty(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM search_docsize)", [], |r| r.get(0))?)
}

/// The tables in which FTS5 keeps the search index (its "shadow tables"), but its settings
/// (`search_config`), which the file keeps.
const INDEX_TABLES: [&str; 3] = ["search_data", "search_idx", "search_docsize"];

/// A search index built in a scratch file, on a thread of its own, while a bulk load's writer
/// builds the file's other indexes: writing 100k entries was a fifth of an import, with the
/// second core idle. An index cannot take in another's entries; it can be replaced by one
/// made by the same definition (`take_into`), which is done only when the file's index was
/// empty (`index_is_empty`). FTS5 keeps an index's layout per connection, so the store
/// opens the file again after such a load (`Store::reconnect`).
///
/// The scratch folder, `$TMPDIR/prospect-search-<pid>-<random>`, is the user's alone (0700):
/// the index holds the words of every record. A process killed during a load leaves it
/// behind; the next bulk load removes such leftovers (`remove_leftovers`).
pub(crate) struct IndexAside {
    /// Holds `search.db`; removed with it.
    dir: tempfile::TempDir,
}

/// Start of the scratch folders' names, followed by the creating process's id and a dash.
const ASIDE_PREFIX: &str = "prospect-search-";

/// Removes, in `tmp`, the scratch folders of search indexes built aside (`IndexAside`) that
/// no running process will come back to: owned by this user, named with the id of a process
/// that no longer exists. Folders of older versions, whose names hold no process id, are
/// removed once a day old (no load runs that long). Anything else is left alone: another
/// user's folders, a symbolic link, a folder of a process still running. Errors are ignored
/// (it is tidying, not the load).
pub(crate) fn remove_leftovers(tmp: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(entries) = std::fs::read_dir(tmp) else { return };
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix(ASIDE_PREFIX) else { continue };
            let Ok(meta) = std::fs::symlink_metadata(entry.path()) else { continue };
            if !meta.is_dir() || meta.uid() != me {
                continue;
            }
            let pid = rest.split_once('-').and_then(|(pid, _)| pid.parse::<i32>().ok()).filter(|p| *p > 0);
            let gone = match pid {
                Some(pid) if pid as u32 == std::process::id() => false,
                Some(pid) => !process_exists(pid),
                None => meta.modified().ok().and_then(|t| t.elapsed().ok()).is_some_and(|age| age.as_secs() > 86_400),
            };
            if gone {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tmp;
}

/// Whether a process of this id runs (or may: one of another user answers "not permitted").
#[cfg(unix)]
fn process_exists(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists and may be signalled.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

impl IndexAside {
    /// Builds an index of `entries` (`packed_entry`) by `definition`, the file's own
    /// `CREATE VIRTUAL TABLE` statement, in a new scratch file under `$TMPDIR`.
    pub(crate) fn build(definition: &str, entries: Entries) -> Result<IndexAside> {
        Self::build_in(&std::env::temp_dir(), definition, entries)
    }

    /// `build`, in the folder `tmp`.
    fn build_in(
        tmp: &Path,
        definition: &str,
        entries: impl IntoIterator<Item = Result<Vec<Value>>>,
    ) -> Result<IndexAside> {
        let mut builder = tempfile::Builder::new();
        let prefix = format!("{ASIDE_PREFIX}{}-", std::process::id());
        builder.prefix(&prefix);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let dir = builder.tempdir_in(tmp).map_err(|e| crate::store::StoreError::Io(tmp.to_path_buf(), e))?;
        let conn = Connection::open(dir.path().join("search.db"))?;
        rusqlite::vtab::array::load_module(&conn)?;
        // A scratch file: nothing to recover if the process dies.
        // 16 MB of cache: FTS5 writes its segments in order, and a 64 MB cache measured no faster
        // while it added to the load's peak (docs/PERFORMANCE.md, session 13).
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -16384")?;
        conn.execute_batch(definition)?;
        conn.execute_batch("BEGIN")?;
        for chunk in entries {
            write_entries(&conn, chunk?)?;
        }
        conn.execute_batch("COMMIT")?;
        Ok(IndexAside { dir })
    }

    /// Makes the file's (empty) search index the one built aside, inside the caller's
    /// transaction: its tables' rows are copied as they are. Nothing may use the search
    /// index on this connection after this in the transaction (FTS5 would go on with the
    /// layout it read before).
    pub(crate) fn take_into(self, conn: &Connection) -> Result<()> {
        // A new name for every load on a connection: SQLite lets go of an attached file only
        // outside a transaction, and a load retried after a busy file runs in another one.
        static LOADS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let schema = format!("search_aside_{}", LOADS.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let path = self.dir.path().join("search.db");
        conn.execute(&format!("ATTACH ?1 AS {schema}"), [path.to_string_lossy()])?;
        for table in INDEX_TABLES {
            conn.execute_batch(&format!(
                "DELETE FROM main.{table}; INSERT INTO main.{table} SELECT * FROM {schema}.{table};"
            ))?;
        }
        Ok(())
    }
}

/// The statement that made the file's search index, to make another like it.
pub(crate) fn definition(conn: &Connection) -> Result<String> {
    Ok(conn.query_row("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'search'", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_index_aside_is_private_and_leftovers_of_dead_processes_go() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let definition = "CREATE VIRTUAL TABLE search USING fts5(body, content='')";
        let aside = IndexAside::build_in(tmp.path(), definition, vec![]).unwrap();
        let mode = std::fs::metadata(aside.dir.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "the scratch index is the user's alone");
        let name = aside.dir.path().file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(&format!("prospect-search-{}-", std::process::id())), "{name}");
        // A process that has ended: its folder is a leftover.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let leftover = tmp.path().join(format!("prospect-search-{dead}-abc"));
        std::fs::create_dir(&leftover).unwrap();
        std::fs::write(leftover.join("search.db"), b"words").unwrap();
        let unrelated = tmp.path().join("prospect-searching");
        std::fs::create_dir(&unrelated).unwrap();
        remove_leftovers(tmp.path());
        assert!(!leftover.exists(), "a dead process's scratch index is removed");
        assert!(aside.dir.path().exists(), "this process's own is kept");
        assert!(unrelated.exists());
    }
}
