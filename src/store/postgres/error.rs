//! PostgreSQL's errors as store errors: a conflict between writers or a deadlock is
//! `Busy` (the write is retried), a read-only server or a full disk get their own variant,
//! a lost or refused connection is `Unreachable`; anything else is `StoreError::Engine`
//! with the server's words.

use crate::store::StoreError;
use postgres::error::SqlState;
use std::path::PathBuf;

/// Lets `?` work on `postgres` calls inside the store: the path is left empty and filled in
/// with the database's as the error leaves the store (`StoreError::with_path`).
impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        let p = PathBuf::new();
        match e.code() {
            Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED => {
                StoreError::Busy(p)
            }
            Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => StoreError::Busy(p),
            Some(c) if *c == SqlState::READ_ONLY_SQL_TRANSACTION => StoreError::ReadOnly(p),
            Some(c) if *c == SqlState::DISK_FULL => StoreError::DiskFull(p),
            Some(c)
                if *c == SqlState::ADMIN_SHUTDOWN
                    || *c == SqlState::CRASH_SHUTDOWN
                    || *c == SqlState::CANNOT_CONNECT_NOW =>
            {
                StoreError::Unreachable(p, cause(&e))
            }
            Some(_) => {
                StoreError::Engine(p, e.as_db_error().map(|d| d.message().to_string()).unwrap_or_else(|| e.to_string()))
            }
            None if e.is_closed() || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>()) => {
                StoreError::Unreachable(p, cause(&e))
            }
            None => StoreError::Engine(p, cause(&e)),
        }
    }
}

/// The error's own words and its cause's, on one line.
pub(crate) fn cause(e: &postgres::Error) -> String {
    match std::error::Error::source(e) {
        Some(s) => format!("{e}: {s}"),
        None => e.to_string(),
    }
}
