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
    /// Values of the row no field took (kept on the record's timeline and in the report).
    pub left_out: Vec<LeftOut>,
    /// When the record was created in the system it comes from.
    pub created_at: Option<crate::domain::when::UnixMs>,
}

impl ImportRow {
    /// A row with its input (or why it has none) and nothing left out.
    pub fn new(line: u64, input: std::result::Result<RecordInput, String>) -> ImportRow {
        ImportRow { line, input, left_out: Vec::new(), created_at: None }
    }
}

impl LeftOut {
    /// Characters of a value kept: enough to know it again, not a 200 MB cell in a history.
    pub const KEPT: usize = 1000;

    /// A value `field` refused for `reason`, its text kept up to `KEPT` characters (then `…`).
    pub fn new(field: impl Into<String>, value: &str, reason: String) -> LeftOut {
        let mut kept: String = value.chars().take(Self::KEPT).collect();
        if kept.len() < value.len() {
            kept.push('…');
        }
        LeftOut { field: field.into(), value: kept, reason }
    }
}

/// A value of a row that its field refused, kept so that nothing typed is lost: the record
/// is created without it, and its timeline and the import's report say what it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct LeftOut {
    /// Field key (`email`, `amount`, `source`...).
    pub field: String,
    /// The text as the file had it.
    pub value: String,
    /// Why the field refused it, in the importer's language.
    pub reason: String,
}

/// What became of a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RowOutcome {
    /// A new record.
    Created {
        /// Its id.
        id: i64,
        /// Values of the row left out.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        left_out: Vec<LeftOut>,
    },
    /// An existing record's empty fields were filled.
    Merged {
        /// The existing record.
        id: i64,
        /// What matched (`phone`, `email`, `name`, `company`).
        matched_by: Vec<String>,
        /// Values of the row left out.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        left_out: Vec<LeftOut>,
    },
    /// An existing record's fields were overwritten.
    Replaced {
        /// The existing record.
        id: i64,
        /// What matched.
        matched_by: Vec<String>,
        /// Values of the row left out.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        left_out: Vec<LeftOut>,
    },
    /// Left out: it matches an existing record.
    Skipped {
        /// The existing record.
        id: i64,
        /// What matched.
        matched_by: Vec<String>,
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
    /// Records created with values of their row left out (among `created`).
    pub partly: usize,
    /// (line, outcome) of every row, kept compact (`Outcomes`).
    pub rows: Outcomes,
    /// Nothing was written.
    pub dry_run: bool,
}

impl RowOutcome {
    /// A new record with every value of its row.
    pub fn created(id: i64) -> RowOutcome {
        RowOutcome::Created { id, left_out: Vec::new() }
    }

    /// The record the row made or matched.
    pub fn record(&self) -> Option<i64> {
        match self {
            RowOutcome::Created { id, .. }
            | RowOutcome::Merged { id, .. }
            | RowOutcome::Replaced { id, .. }
            | RowOutcome::Skipped { id, .. } => Some(*id),
            RowOutcome::Rejected { .. } => None,
        }
    }

    /// The row's values that were left out.
    pub fn left_out(&self) -> &[LeftOut] {
        match self {
            RowOutcome::Created { left_out, .. }
            | RowOutcome::Merged { left_out, .. }
            | RowOutcome::Replaced { left_out, .. } => left_out,
            _ => &[],
        }
    }

    /// Whether the row became a new record as it was: every row the report lists is not.
    pub fn as_is(&self) -> bool {
        matches!(self, RowOutcome::Created { left_out, .. } if left_out.is_empty())
    }
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
            RowOutcome::Created { left_out, .. } => {
                self.created += 1;
                self.partly += usize::from(!left_out.is_empty());
            }
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
    /// Forgets which record a skipped row matched when its reader may not see it (`seen`
    /// says no): its id becomes 0, "a record you cannot see" (SPEC R2).
    pub fn hide_skipped(&mut self, seen: impl Fn(i64) -> bool) {
        for (_, outcome, _) in self.runs.iter_mut() {
            if let RowOutcome::Skipped { id, .. } = outcome
                && *id != 0
                && !seen(*id)
            {
                *id = 0;
            }
        }
    }

    /// The records skipped rows matched.
    pub fn skipped_ids(&self) -> Vec<i64> {
        let ids = self.runs.iter().filter_map(|(_, o, _)| match o {
            RowOutcome::Skipped { id, .. } => Some(*id),
            _ => None,
        });
        ids.collect()
    }

    /// Keeps a row's outcome, after the others.
    pub fn push(&mut self, line: u64, outcome: RowOutcome) {
        self.len += 1;
        if let (
            Some((first, RowOutcome::Created { id, left_out }, n)),
            RowOutcome::Created { id: next, left_out: more },
        ) = (self.runs.last_mut(), &outcome)
            && left_out.is_empty()
            && more.is_empty()
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
                RowOutcome::Created { id, left_out } => {
                    (line + i, RowOutcome::Created { id: id + i as i64, left_out: left_out.clone() })
                }
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

    /// The rows that did not become a new record as they were (skipped, merged, replaced,
    /// refused, or created with values left out): what the report lists.
    pub fn listed(&self) -> impl Iterator<Item = (u64, &RowOutcome)> + '_ {
        self.runs.iter().filter(|(_, o, _)| !o.as_is()).map(|(line, o, _)| (*line, o))
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
            (2, RowOutcome::created(10)),
            (3, RowOutcome::created(11)),
            (4, RowOutcome::created(12)),
            (5, RowOutcome::Skipped { id: 3, matched_by: vec!["phone".into()] }),
            (6, RowOutcome::created(13)),
            (8, RowOutcome::created(14)),
            (9, RowOutcome::Rejected { reason: "no".into() }),
            (10, RowOutcome::created(16)),
            (
                11,
                RowOutcome::Created {
                    id: 17,
                    left_out: vec![LeftOut { field: "email".into(), value: "x@@y".into(), reason: "bad".into() }],
                },
            ),
            (12, RowOutcome::created(18)),
        ];
        let kept: Outcomes = rows.iter().cloned().collect();
        assert_eq!(kept.iter().collect::<Vec<_>>(), rows);
        assert_eq!((kept.len(), kept.runs.len(), kept.last_line()), (10, 8, Some(12)));
        assert_eq!(kept.rejected().collect::<Vec<_>>(), vec![(9, "no")]);
        assert_eq!(kept.listed().map(|(l, _)| l).collect::<Vec<_>>(), vec![5, 9, 11]);
        let many: Outcomes = (0..100_000).map(|i| (i + 2, RowOutcome::created(i as i64 + 1))).collect();
        assert_eq!((many.len(), many.runs.len(), many.last_line()), (100_000, 1, Some(100_001)));
    }
}
