//! Store errors: typed so the front ends can say exactly what went wrong and what to do.

use crate::domain::FieldError;
use crate::domain::fields::Entity;
use crate::i18n::{self, Lang};
use crate::store::rule::Rule;
use std::fmt;
use std::path::{Path, PathBuf};

/// Everything a store operation can fail with.
#[derive(Debug)]
pub enum StoreError {
    /// An input value was refused; nothing was written.
    Field(FieldError),
    /// The record does not exist (or is hidden from this user).
    NotFound {
        /// Kind of record.
        entity: Entity,
        /// Its id.
        id: i64,
    },
    /// Someone else changed the record since it was read.
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
    Rule(Rule),
    /// The current user is not in the file.
    UnknownUser(String),
    /// The path is a directory.
    IsDirectory(PathBuf),
    /// The file does not exist and was not to be created.
    Missing(PathBuf),
    /// The folder of a new file does not exist.
    NoDirectory(PathBuf),
    /// The folder a backup (or other written copy) was to go into does not exist.
    NoTargetDirectory(PathBuf),
    /// The file cannot be read.
    Unreadable(PathBuf, String),
    /// The file is not a SQLite database.
    NotADatabase(PathBuf),
    /// The file is a database but not one of ours.
    Foreign(PathBuf),
    /// WAL was asked for a file on a network file system.
    WalOnNetwork {
        /// The file.
        path: PathBuf,
        /// Its file system type.
        fs_type: String,
    },
    /// The file or its folder is read-only.
    ReadOnly(PathBuf),
    /// Another process held the file longer than the wait limit.
    Busy(PathBuf),
    /// The file was written by a newer Prospect.
    NewerSchema {
        /// The file.
        path: PathBuf,
        /// Version found in the file.
        found: i64,
        /// Highest version this build knows.
        known: i64,
    },
    /// The disk is full; the transaction was rolled back.
    DiskFull(PathBuf),
    /// The file is damaged.
    Corrupt(PathBuf, String),
    /// Any other failure of the engine, as the engine said it.
    Engine(PathBuf, String),
    /// The database server cannot be reached (down, restarting, network): nothing was written.
    Unreachable(PathBuf, String),
    /// File system failure outside SQLite (backups).
    Io(PathBuf, std::io::Error),
    /// A file to write is a symbolic link (dangling or not): it could point anywhere.
    TargetIsSymlink(PathBuf),
    /// A file to write already exists; it is never replaced.
    TargetExists(PathBuf),
    /// A database or file to copy into already holds users or records (`db migrate-to`):
    /// nothing was written.
    TargetNotEmpty(PathBuf),
    /// A batched import stopped by a failure of the file after some of its transactions were
    /// committed: those rows stay, and the message says how to add the rest.
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
fn partly_imported(lang: Lang, path: &Path, rows: usize, line: u64, cause: &StoreError) -> String {
    let problem = match cause {
        StoreError::DiskFull(_) => i18n::tr_in(lang, "files.disk_full", &[]),
        StoreError::Busy(_) => i18n::tr_in(lang, "files.busy", &[]),
        other => other.message(lang),
    };
    i18n::tr_in(
        lang,
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
    /// Whether the write was refused for the record's sake (its values, a CRM rule, a
    /// reference to nothing), not because the store failed: an import rejects that row, an
    /// intake keeps its lead, a switch of mode lists that lead. The store failing (busy,
    /// unreachable, full, an engine's error) stops the whole write instead.
    pub fn is_refusal(&self) -> bool {
        matches!(self, StoreError::Field(_) | StoreError::Rule(_) | StoreError::NotFound { .. })
    }

    /// The message in `lang`, one line, naming the file or record (catalogue table
    /// `[store_error]`; rules in `[rule]`).
    pub fn message(&self, lang: Lang) -> String {
        let t = |key: &str, args: &[(&str, &str)]| i18n::tr_in(lang, &format!("store_error.{key}"), args);
        let word = |e: &Entity| match lang {
            Lang::En => e.code().to_string(),
            Lang::Fr => i18n::tr_in(lang, &format!("entity.{}", e.code()), &[]),
        };
        let file = |p: &Path| p.display().to_string();
        match self {
            StoreError::Field(e) => format!(
                "{}{}{}",
                e.field,
                if lang == Lang::Fr { " : " } else { ": " },
                i18n::describe(&e.problem, &e.field, lang)
            ),
            StoreError::NotFound { entity, id } => {
                t("not_found", &[("entity", &word(entity)), ("id", &id.to_string())])
            }
            StoreError::Conflict { entity, id, expected, actual } => t(
                "conflict",
                &[
                    ("entity", &word(entity)),
                    ("id", &id.to_string()),
                    ("expected", &expected.to_string()),
                    ("actual", &actual.to_string()),
                ],
            ),
            StoreError::MovedMeanwhile { entity, id, stage, by, .. } => t(
                "moved_meanwhile",
                &[("entity", &word(entity)), ("id", &id.to_string()), ("stage", stage), ("by", by)],
            ),
            StoreError::Rule(r) => r.message(lang),
            StoreError::UnknownUser(login) => t("unknown_user", &[("login", login)]),
            StoreError::IsDirectory(p) => t("is_directory", &[("file", &file(p))]),
            StoreError::Missing(p) => t("missing", &[("file", &file(p))]),
            StoreError::NoDirectory(p) => t("no_directory", &[("file", &file(p))]),
            StoreError::NoTargetDirectory(p) => t("no_target_directory", &[("file", &file(p))]),
            StoreError::Unreadable(p, why) => t("unreadable", &[("file", &file(p)), ("why", why)]),
            StoreError::NotADatabase(p) => t("not_a_database", &[("file", &file(p))]),
            StoreError::Foreign(p) => t("foreign", &[("file", &file(p))]),
            StoreError::WalOnNetwork { path, fs_type } => {
                t("wal_on_network", &[("file", &file(path)), ("fs", fs_type)])
            }
            StoreError::ReadOnly(p) => t("read_only", &[("file", &file(p))]),
            StoreError::Busy(p) => t("busy", &[("file", &file(p))]),
            StoreError::NewerSchema { path, found, known } => t(
                "newer_schema",
                &[("file", &file(path)), ("found", &found.to_string()), ("known", &known.to_string())],
            ),
            StoreError::DiskFull(p) => t("disk_full", &[("file", &file(p))]),
            StoreError::Corrupt(p, why) => t("corrupt", &[("file", &file(p)), ("why", why)]),
            StoreError::Engine(p, why) => t("engine", &[("file", &file(p)), ("why", why)]),
            StoreError::Unreachable(p, why) => t("unreachable", &[("file", &file(p)), ("why", why)]),
            StoreError::TargetIsSymlink(p) => i18n::tr_in(lang, "files.target_symlink", &[("path", &file(p))]),
            StoreError::TargetExists(p) => i18n::tr_in(lang, "files.target_exists", &[("path", &file(p))]),
            StoreError::PartlyImported { path, rows, line, cause } => partly_imported(lang, path, *rows, *line, cause),
            StoreError::Io(p, e) => t("io", &[("file", &file(p)), ("why", &e.to_string())]),
            StoreError::TargetNotEmpty(p) => t("target_not_empty", &[("file", &file(p))]),
        }
    }

    /// The same error naming `path` where it names no file: errors of queries run inside
    /// `Store::write` and `Store::reading` are made without the path (the engine's conversion).
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
            StoreError::Engine(p, why) => StoreError::Engine(fill(p), why),
            StoreError::Unreachable(p, why) => StoreError::Unreachable(fill(p), why),
            StoreError::Io(p, e) => StoreError::Io(fill(p), e),
            StoreError::PartlyImported { path: p, rows, line, cause } => {
                StoreError::PartlyImported { path: fill(p), rows, line, cause: Box::new(cause.with_path(path)) }
            }
            other => other,
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(i18n::lang()))
    }
}

/// No source: each message already says its cause, and `{:#}` would repeat it.
impl std::error::Error for StoreError {}

impl From<FieldError> for StoreError {
    fn from(e: FieldError) -> Self {
        StoreError::Field(e)
    }
}

impl From<Rule> for StoreError {
    fn from(r: Rule) -> Self {
        StoreError::Rule(r)
    }
}
