//! Moving a whole database between engines (`db migrate-to`, a server's backup to a file):
//! every table of the schema copied row by row under the same names and ids, in
//! engine-neutral values, then checked table by table. The engines only read and write
//! tables (`engine::TableCopy`); the order, the counts and the checksums are decided here,
//! once for both.

use crate::store::Result;
use crate::store::engine::{TableCopy, TableSink};
use serde::Serialize;

/// A cell of a table as every engine can give and take it: booleans are 0 or 1 (SQLite
/// keeps them so), case-insensitive text is text.
#[derive(Clone, Debug, PartialEq)]
pub enum CopyValue {
    /// No value.
    Null,
    /// A whole number (ids, instants, amounts, flags as 0/1).
    Int(i64),
    /// A floating-point number (no column of Prospect holds one; another tool might have
    /// written one into a file).
    Real(f64),
    /// Text.
    Text(String),
}

impl CopyValue {
    /// The value as the checksum reads it: the same on both engines whatever type each keeps
    /// it in (`5` and `'5'` alike), `None` for no value.
    fn rendered(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            CopyValue::Null => None,
            CopyValue::Int(i) => Some(i.to_string().into()),
            CopyValue::Real(f) => Some(f.to_string().into()),
            CopyValue::Text(t) => Some(t.as_str().into()),
        }
    }
}

/// Every table of the schema, parents before the tables that refer to them: the order of
/// the copy. The search index is not copied: the target makes its own from the records.
pub const TABLES: &[&str] = &[
    "settings",
    "departments",
    "users",
    "roles",
    "user_roles",
    "role_grants",
    "pipelines",
    "stages",
    "stage_rules",
    "sources",
    "lost_reasons",
    "leads",
    "companies",
    "contacts",
    "contact_companies",
    "deals",
    "deal_contacts",
    "comms",
    "activities",
    "activity_bindings",
    "timeline",
    "changes",
    "custom_fields",
    "custom_values",
    "list_views",
    "products",
    "line_items",
    "documents",
    "document_counters",
    "intake_messages",
    // After leads and deals, whose inserts made the target's own totals: these replace them.
    "stage_totals",
    "stage_moves",
];

/// Tables whose rows mean the data is in use: a target holding any is refused.
pub const IN_USE: &[&str] = &["users", "leads", "contacts", "companies", "deals", "activities", "timeline"];

/// A table's rows as counted and summed on one side of a copy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Rows.
    pub rows: u64,
    /// Sum of the rows' hashes (so the order rows are read in does not matter).
    pub sum: u64,
}

impl Tally {
    /// Counts one row.
    pub fn add(&mut self, row: &[CopyValue]) {
        self.rows += 1;
        self.sum = self.sum.wrapping_add(row_hash(row));
    }

    /// The checksum as printed: 16 hexadecimal digits.
    pub fn checksum(&self) -> String {
        format!("{:016x}", self.sum)
    }
}

/// FNV-1a (64 bits) of a row's cells, each marked as a value or none and ended by a unit
/// separator: a stable hash, the same in every build.
fn row_hash(row: &[CopyValue]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = OFFSET;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(PRIME);
        }
    };
    for cell in row {
        match cell.rendered() {
            None => eat(&[0]),
            Some(text) => {
                eat(&[1]);
                eat(text.as_bytes());
            }
        }
        eat(&[0x1f]);
    }
    h
}

/// One table of a copy, checked.
#[derive(Clone, Debug, Serialize)]
pub struct TableCheck {
    /// The table.
    pub table: String,
    /// Rows read from the source.
    pub rows: u64,
    /// Rows found in the target afterwards.
    pub target_rows: u64,
    /// The source's checksum.
    pub checksum: String,
    /// The target's checksum.
    pub target_checksum: String,
    /// Whether both sides agree.
    pub ok: bool,
}

/// What `db migrate-to` did: where the data went, and each table as checked there.
#[derive(Clone, Debug, Serialize)]
pub struct Migrated {
    /// The target (a file, or a database's URL without its password).
    pub target: std::path::PathBuf,
    /// Every table, in the order copied.
    pub tables: Vec<TableCheck>,
}

impl Migrated {
    /// Whether every table has the same rows on both sides.
    pub fn ok(&self) -> bool {
        self.tables.iter().all(|t| t.ok)
    }
}

/// Copies every table of `source` into `target` in one transaction on the target (its rows
/// replaced, its ids set past the source's, its search index made), reading the source on
/// one state of its data; then reads the target back and checks each table's count and
/// checksum against what was read.
pub fn copy_all(source: &dyn TableCopy, target: &mut dyn TableCopy) -> Result<Vec<TableCheck>> {
    let mut tallies: Vec<(String, Tally)> = Vec::new();
    target.replace_tables(TABLES, &mut |sink: &mut dyn TableSink| {
        tallies.clear();
        let mut marks = Vec::new();
        source.reading(&mut || {
            for table in TABLES {
                let columns = sink.start(table)?;
                let mut tally = Tally::default();
                source.read_table(table, &columns, &mut |row| {
                    tally.add(row);
                    sink.row(row)
                })?;
                tallies.push((table.to_string(), tally));
            }
            marks = source.id_marks()?;
            Ok(())
        })?;
        Ok(marks)
    })?;
    let target: &dyn TableCopy = target;
    let mut checks = Vec::with_capacity(tallies.len());
    for (table, tally) in tallies {
        let columns = target.table_columns(&table)?;
        let mut found = Tally::default();
        target.reading(&mut || {
            found = Tally::default();
            target.read_table(&table, &columns, &mut |row| {
                found.add(row);
                Ok(())
            })
        })?;
        checks.push(TableCheck {
            table,
            rows: tally.rows,
            target_rows: found.rows,
            checksum: tally.checksum(),
            target_checksum: found.checksum(),
            ok: tally == found,
        });
    }
    Ok(checks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_counts_the_same_whatever_type_holds_it_and_none_is_not_empty() {
        let a = [CopyValue::Int(5), CopyValue::Text("x".into())];
        let b = [CopyValue::Text("5".into()), CopyValue::Text("x".into())];
        assert_eq!(row_hash(&a), row_hash(&b));
        assert_ne!(row_hash(&[CopyValue::Null]), row_hash(&[CopyValue::Text(String::new())]));
        assert_ne!(
            row_hash(&[CopyValue::Text("ab".into()), CopyValue::Text("c".into())]),
            row_hash(&[CopyValue::Text("a".into()), CopyValue::Text("bc".into())])
        );
    }

    #[test]
    fn the_order_of_rows_does_not_change_the_tally() {
        let (r1, r2) = ([CopyValue::Int(1)], [CopyValue::Int(2)]);
        let (mut a, mut b) = (Tally::default(), Tally::default());
        a.add(&r1);
        a.add(&r2);
        b.add(&r2);
        b.add(&r1);
        assert_eq!(a, b);
        assert_eq!(a.checksum().len(), 16);
    }
}
