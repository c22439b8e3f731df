//! SQLite's errors as store errors: busy, read-only, full, damaged files get their own
//! variant (and message); anything else is `StoreError::Engine` with SQLite's words.

use crate::store::StoreError;
use rusqlite::ErrorCode;
use std::path::Path;

impl StoreError {
    /// Classifies a SQLite error on `path`.
    pub fn from_sqlite(e: rusqlite::Error, path: &Path) -> StoreError {
        let p = path.to_path_buf();
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy(p),
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(p),
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase(p),
            Some(ErrorCode::DiskFull) => StoreError::DiskFull(p),
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt(p, e.to_string()),
            Some(ErrorCode::CannotOpen) => StoreError::Unreadable(p, e.to_string()),
            _ => StoreError::Engine(p, e.to_string()),
        }
    }
}

/// Lets `?` work on rusqlite calls inside closures given to `Store::write`: the path is left
/// empty here and filled in with the data file's as the error leaves the store
/// (`StoreError::with_path`, by `Store::write`, `Store::reading` and `Store::fill_path`).
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::from_sqlite(e, Path::new(""))
    }
}
