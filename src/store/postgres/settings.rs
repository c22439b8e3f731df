//! Settings kept in the database itself, shared by everyone who opens it.

use super::{Result, Store, StoreError};
use crate::store::engine::*;
use postgres::GenericClient;

/// A setting's value, inside any read or write.
pub(crate) fn get_in(c: &mut impl GenericClient, key: &str) -> Result<Option<String>> {
    Ok(c.query_opt("SELECT value FROM settings WHERE key = $1", &[&key])?.map(|r| r.get(0)))
}

/// Sets a setting inside a write.
pub(crate) fn put_in(c: &mut impl GenericClient, key: &str, value: &str) -> Result<()> {
    c.execute(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&key, &value],
    )?;
    Ok(())
}

impl Settings for Store {
    fn setting(&self, key: &str) -> Result<Option<String>> {
        get_in(&mut *self.client(), key).map_err(|e| self.fill_path(e))
    }

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx, _| put_in(tx, key, value))
    }

    /// The database's own random id, made with its tables (as a file's, migration 13 there).
    fn file_id(&self) -> Result<String> {
        self.setting("file_id")?
            .ok_or_else(|| StoreError::Corrupt(self.path().to_path_buf(), "no file_id setting".into()))
    }
}
