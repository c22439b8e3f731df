//! Settings stored in the file itself, shared by everyone who opens it.

use super::{Result, Store};
use crate::store::engine::*;
use rusqlite::{Connection, OptionalExtension};

/// A setting's value, inside any read or write (the queue reads its state in the
/// transaction that creates a lead).
pub(crate) fn get_in(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()
}

/// Sets a setting inside a write.
pub(crate) fn put_in(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

impl Settings for Store {
    /// A setting's value.
    fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(get_in(self.conn(), key)?)
    }

    /// Sets a setting.
    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx, _| Ok(put_in(tx, key, value)?))
    }

    /// The file's own random id (migration 13): the same in every copy of the file, unlike
    /// in any other file, so what is exported from it (iCalendar UIDs) never collides with
    /// another office's export.
    fn file_id(&self) -> Result<String> {
        get_in(self.conn(), "file_id")?
            .ok_or_else(|| super::StoreError::Corrupt(self.path().to_path_buf(), "no file_id setting".into()))
    }
}
