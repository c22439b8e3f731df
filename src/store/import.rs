//! How an import writes its rows (`ImportOptions`); rows and their outcomes are domain
//! types (`domain::import_rows`), re-exported here.

use crate::domain::import::{DuplicateMode, MatchOn};
pub use crate::domain::import_rows::{ImportReport, ImportRow, LeftOut, Outcomes, RowOutcome};

/// From this many rows an import is a bulk load (`ImportOptions::bulk`).
pub const BULK_ROWS: usize = 20_000;

/// How to import.
#[derive(Clone, Copy, Debug)]
pub struct ImportOptions {
    /// What to do with a row matching an existing record.
    pub duplicates: DuplicateMode,
    /// Which keys make a match.
    pub match_on: MatchOn,
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Rows per transaction.
    pub batch: usize,
    /// A large import: one transaction, with the indexes its lookups do not need set aside
    /// and built once at the end (much faster; the shared file stays locked meanwhile, and an
    /// interruption leaves nothing, so running it again is still safe).
    pub bulk: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            duplicates: DuplicateMode::Skip,
            match_on: MatchOn::default(),
            dry_run: false,
            batch: 500,
            bulk: false,
        }
    }
}
