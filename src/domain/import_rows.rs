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
    /// (line, outcome) of every row, kept compact (`Outcomes`).
    pub rows: Outcomes,
    /// Nothing was written.
    pub dry_run: bool,
}

impl ImportReport {
    /// Counts a row's outcome and keeps it.
    pub fn add(&mut self, line: u64, outcome: RowOutcome) {
        self.count(&outcome);
        self.rows.push(line, outcome);
    }

    /// Adds every row of `rows`, taking the list as it is when the report has none yet (a
    /// bulk import's rows are not copied).
    pub fn add_all(&mut self, rows: Outcomes) {
        for (_, outcome) in rows.iter() {
            self.count(&outcome);
        }
        if self.rows.is_empty() {
            self.rows = rows;
        } else {
            for (line, outcome) in rows.iter() {
                self.rows.push(line, outcome);
            }
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

/// (line, outcome) of every row of an import, kept compact: records created on consecutive
/// lines with consecutive ids are one run, so a million-row import keeps a few runs and the
/// rows that were not simply created, not a million entries of 40 bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcomes {
    /// (line of the first row, its outcome, rows in the run): a run of more than one row is
    /// of `Created` rows, the line and the id one more at each row.
    runs: Vec<(u64, RowOutcome, u64)>,
    len: usize,
}

impl Outcomes {
    /// Keeps a row's outcome, after the others.
    pub fn push(&mut self, line: u64, outcome: RowOutcome) {
        self.len += 1;
        if let (Some((first, RowOutcome::Created { id }, n)), RowOutcome::Created { id: next }) =
            (self.runs.last_mut(), &outcome)
            && line == *first + *n
            && *next == *id + *n as i64
        {
            *n += 1;
            return;
        }
        self.runs.push((line, outcome, 1));
    }

    /// Rows kept.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no row was kept.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every row's (line, outcome), in the order they were kept.
    pub fn iter(&self) -> impl Iterator<Item = (u64, RowOutcome)> + '_ {
        self.runs.iter().flat_map(|(line, outcome, n)| {
            (0..*n).map(move |i| match outcome {
                RowOutcome::Created { id } => (line + i, RowOutcome::Created { id: id + i as i64 }),
                other => (*line, other.clone()),
            })
        })
    }

    /// The refused rows' (line, reason).
    pub fn rejected(&self) -> impl Iterator<Item = (u64, &str)> + '_ {
        self.runs.iter().filter_map(|(line, outcome, _)| match outcome {
            RowOutcome::Rejected { reason } => Some((*line, reason.as_str())),
            _ => None,
        })
    }

    /// The line of the last row kept.
    pub fn last_line(&self) -> Option<u64> {
        self.runs.last().map(|(line, _, n)| line + n - 1)
    }
}

impl FromIterator<(u64, RowOutcome)> for Outcomes {
    fn from_iter<T: IntoIterator<Item = (u64, RowOutcome)>>(rows: T) -> Self {
        let mut out = Outcomes::default();
        for (line, outcome) in rows {
            out.push(line, outcome);
        }
        out
    }
}

impl Serialize for Outcomes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_rows_on_consecutive_lines_are_one_run() {
        let rows = vec![
            (2, RowOutcome::Created { id: 10 }),
            (3, RowOutcome::Created { id: 11 }),
            (4, RowOutcome::Created { id: 12 }),
            (5, RowOutcome::Skipped { id: 3 }),
            (6, RowOutcome::Created { id: 13 }),
            (8, RowOutcome::Created { id: 14 }),
            (9, RowOutcome::Rejected { reason: "no".into() }),
            (10, RowOutcome::Created { id: 16 }),
        ];
        let kept: Outcomes = rows.iter().cloned().collect();
        assert_eq!(kept.iter().collect::<Vec<_>>(), rows);
        assert_eq!((kept.len(), kept.runs.len(), kept.last_line()), (8, 6, Some(10)));
        assert_eq!(kept.rejected().collect::<Vec<_>>(), vec![(9, "no")]);
        let many: Outcomes = (0..100_000).map(|i| (i + 2, RowOutcome::Created { id: i as i64 + 1 })).collect();
        assert_eq!((many.len(), many.runs.len(), many.last_line()), (100_000, 1, Some(100_001)));
    }
}
