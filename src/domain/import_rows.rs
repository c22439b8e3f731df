//! The rows of an import and what became of each: what a format (io::import) hands to the
//! store, and the report the store gives back. Plain data, whatever engine writes the rows.

use super::record::RecordInput;
use serde::Serialize;

/// One row to import: its line in the file and its input, or why it could not be read.
#[derive(Clone, Debug)]
pub struct ImportRow {
    /// Line of the file where the row starts.
    pub line: u64,
    /// The record's input, or the problem found while reading the row.
    pub input: std::result::Result<RecordInput, String>,
}

/// What became of a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RowOutcome {
    /// A new record.
    Created {
        /// Its id.
        id: i64,
    },
    /// An existing record's empty fields were filled.
    Merged {
        /// The existing record.
        id: i64,
    },
    /// An existing record's fields were overwritten.
    Replaced {
        /// The existing record.
        id: i64,
    },
    /// Left out: it matches an existing record.
    Skipped {
        /// The existing record.
        id: i64,
    },
    /// Refused, with the reason (which field, what was wrong).
    Rejected {
        /// Why.
        reason: String,
    },
}

/// The result of an import, row by row and in counts.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportReport {
    /// Records created.
    pub created: usize,
    /// Existing records filled in (merge).
    pub merged: usize,
    /// Existing records overwritten (replace).
    pub replaced: usize,
    /// Rows left out as duplicates.
    pub skipped: usize,
    /// Rows refused.
    pub rejected: usize,
    /// (line, outcome) of every row.
    pub rows: Vec<(u64, RowOutcome)>,
    /// Nothing was written.
    pub dry_run: bool,
}

impl ImportReport {
    /// Counts a row's outcome and keeps it.
    pub fn add(&mut self, line: u64, outcome: RowOutcome) {
        self.count(&outcome);
        self.rows.push((line, outcome));
    }

    /// Adds every row of `rows`, taking the list as it is when the report has none yet (a
    /// bulk import's million rows are not copied).
    pub fn add_all(&mut self, rows: Vec<(u64, RowOutcome)>) {
        for (_, outcome) in &rows {
            self.count(outcome);
        }
        if self.rows.is_empty() {
            self.rows = rows;
        } else {
            self.rows.extend(rows);
        }
    }

    fn count(&mut self, outcome: &RowOutcome) {
        match outcome {
            RowOutcome::Created { .. } => self.created += 1,
            RowOutcome::Merged { .. } => self.merged += 1,
            RowOutcome::Replaced { .. } => self.replaced += 1,
            RowOutcome::Skipped { .. } => self.skipped += 1,
            RowOutcome::Rejected { .. } => self.rejected += 1,
        }
    }
}
