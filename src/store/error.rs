//! Store errors: typed so the front ends can say exactly what went wrong and what to do.

use crate::domain::FieldError;
use crate::domain::fields::Entity;
use rusqlite::ErrorCode;
use std::path::{Path, PathBuf};

/// Everything a store operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An input value was refused; nothing was written.
    #[error(transparent)]
    Field(#[from] FieldError),
    /// The record does not exist (or is hidden from this user).
    #[error("{} #{id} does not exist", entity.code())]
    NotFound {
        /// Kind of record.
        entity: Entity,
        /// Its id.
        id: i64,
    },
    /// Someone else changed the record since it was read.
    #[error("{} #{id} was changed by someone else since you read it (your version {expected}, now {actual}); nothing was written: reload it and try again", entity.code())]
    Conflict {
        /// Kind of record.
        entity: Entity,
        /// Its id.
        id: i64,
        /// Version the caller had.
        expected: i64,
        /// Version in the file.
        actual: i64,
    },
    /// A move asked from a stale screen: someone else already moved the record.
    #[error("{} #{id} was moved to '{stage}' by {by} meanwhile; your move was not made", entity.code())]
    MovedMeanwhile {
        /// Kind of record.
        entity: Entity,
        /// Its id.
        id: i64,
        /// Stage it is in now.
        stage: String,
        /// Who moved it.
        by: String,
        /// When (unix ms).
        at: i64,
    },
    /// A rule of the CRM refused the operation.
    #[error("{0}")]
    Rule(String),
    /// The current user is not in the file.
    #[error("user '{0}' is not in this file; an administrator can add it with `prospect user add {0}`")]
    UnknownUser(String),
    /// The path is a directory.
    #[error("{}: is a directory, not a Prospect file (give a file path such as {}/prospect.db)", .0.display(), .0.display())]
    IsDirectory(PathBuf),
    /// The file does not exist and was not to be created.
    #[error("{}: no such file (any command that writes, such as `prospect lead add`, creates it)", .0.display())]
    Missing(PathBuf),
    /// The folder of a new file does not exist.
    #[error("{}: no such directory for the data file", .0.display())]
    NoDirectory(PathBuf),
    /// The file cannot be read.
    #[error("{}: cannot be read ({})", .0.display(), .1)]
    Unreadable(PathBuf, String),
    /// The file is not a SQLite database.
    #[error("{}: is not a Prospect file (not an SQLite database)", .0.display())]
    NotADatabase(PathBuf),
    /// The file is a database but not one of ours.
    #[error("{}: is an SQLite database but not a Prospect file", .0.display())]
    Foreign(PathBuf),
    /// WAL was asked for a file on a network file system.
    #[error("{}: is on a network file system ({fs_type}); WAL does not work across machines, so Prospect keeps the rollback journal: remove `journal = \"wal\"` from the config", .path.display())]
    WalOnNetwork {
        /// The file.
        path: PathBuf,
        /// Its file system type.
        fs_type: String,
    },
    /// The file or its folder is read-only.
    #[error("{}: is read-only (check the file's and its folder's permissions); nothing was written", .0.display())]
    ReadOnly(PathBuf),
    /// Another process held the file longer than the wait limit.
    #[error("{}: busy, another user held it too long; nothing was written, try again", .0.display())]
    Busy(PathBuf),
    /// The file was written by a newer Prospect.
    #[error("{}: made by a newer Prospect (schema version {found}; this version knows up to {known}); upgrade Prospect to open it", path.display())]
    NewerSchema {
        /// The file.
        path: PathBuf,
        /// Version found in the file.
        found: i64,
        /// Highest version this build knows.
        known: i64,
    },
    /// The disk is full; the transaction was rolled back.
    #[error("{}: the disk is full; nothing was written", .0.display())]
    DiskFull(PathBuf),
    /// The file is damaged.
    #[error("{}: the file is damaged ({}); run `prospect db check` and restore a backup", .0.display(), .1)]
    Corrupt(PathBuf, String),
    /// Any other SQLite failure.
    #[error("{}: {}", .0.display(), .1)]
    Sqlite(PathBuf, rusqlite::Error),
    /// File system failure outside SQLite (backups).
    #[error("{}: {}", .0.display(), .1)]
    Io(PathBuf, std::io::Error),
    /// A file to write is a symbolic link (dangling or not): it could point anywhere.
    #[error("{}", crate::i18n::tr("files.target_symlink", &[("path", &.0.display().to_string())]))]
    TargetIsSymlink(PathBuf),
    /// A file to write already exists; it is never replaced.
    #[error("{}", crate::i18n::tr("files.target_exists", &[("path", &.0.display().to_string())]))]
    TargetExists(PathBuf),
    /// A batched import stopped by a failure of the file after some of its transactions were
    /// committed: those rows stay, and the message says how to add the rest.
    #[error("{}", partly_imported(path, *rows, *line, cause))]
    PartlyImported {
        /// The data file.
        path: PathBuf,
        /// Rows of the file taken in (written, merged, skipped or refused) before the failure.
        rows: usize,
        /// Line of the file of the last of them.
        line: u64,
        /// What stopped it.
        cause: Box<StoreError>,
    },
}

/// The message of `StoreError::PartlyImported`: what stopped, what stays, how to go on.
fn partly_imported(path: &Path, rows: usize, line: u64, cause: &StoreError) -> String {
    let problem = match cause {
        StoreError::DiskFull(_) => crate::i18n::tr("files.disk_full", &[]),
        StoreError::Busy(_) => crate::i18n::tr("files.busy", &[]),
        other => other.to_string(),
    };
    crate::i18n::tr(
        "files.partly_imported",
        &[
            ("path", &path.display().to_string()),
            ("problem", &problem),
            ("rows", &rows.to_string()),
            ("line", &line.to_string()),
        ],
    )
}

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
            _ => StoreError::Sqlite(p, e),
        }
    }

    /// The same error naming `path` where it names no file: errors of queries run inside
    /// `Store::write` and `Store::reading` are made without the path (`From<rusqlite::Error>`).
    pub fn with_path(self, path: &Path) -> StoreError {
        let fill = |p: PathBuf| if p.as_os_str().is_empty() { path.to_path_buf() } else { p };
        match self {
            StoreError::Unreadable(p, why) => StoreError::Unreadable(fill(p), why),
            StoreError::NotADatabase(p) => StoreError::NotADatabase(fill(p)),
            StoreError::Foreign(p) => StoreError::Foreign(fill(p)),
            StoreError::ReadOnly(p) => StoreError::ReadOnly(fill(p)),
            StoreError::Busy(p) => StoreError::Busy(fill(p)),
            StoreError::DiskFull(p) => StoreError::DiskFull(fill(p)),
            StoreError::Corrupt(p, why) => StoreError::Corrupt(fill(p), why),
            StoreError::Sqlite(p, e) => StoreError::Sqlite(fill(p), e),
            StoreError::Io(p, e) => StoreError::Io(fill(p), e),
            StoreError::PartlyImported { path: p, rows, line, cause } => {
                StoreError::PartlyImported { path: fill(p), rows, line, cause: Box::new(cause.with_path(path)) }
            }
            other => other,
        }
    }

    /// Classifies an error raised while opening.
    pub fn from_open(e: rusqlite::Error, path: &Path) -> StoreError {
        Self::from_sqlite(e, path)
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
