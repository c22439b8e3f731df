//! Settings stored in the file itself, shared by everyone who opens it.

use super::{Result, Store};
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

impl Store {
    /// A setting's value.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(get_in(self.conn(), key)?)
    }

    /// Sets a setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx, _| Ok(put_in(tx, key, value)?))
    }
}
