//! Whole tables of a file in engine-neutral values (`engine::TableCopy`): what `db
//! migrate-to` reads from a file and writes into a new one.

use super::{Result, Store, StoreError};
use crate::store::copy::CopyValue;
use crate::store::engine::{TableCopy, TableFill, TableSink};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OptionalExtension, Transaction, params_from_iter};

/// `"name"`: a table or column name of the schema as SQL.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The columns of `table`, and those of its key in the key's order.
fn columns_of(c: &Connection, table: &str) -> Result<(Vec<String>, Vec<String>)> {
    let mut stmt = c.prepare(&format!("PRAGMA table_info({})", quoted(table)))?;
    let cols: Vec<(String, i64)> =
        stmt.query_map([], |r| Ok((r.get(1)?, r.get(5)?)))?.collect::<rusqlite::Result<_>>()?;
    if cols.is_empty() {
        return Err(StoreError::Engine(Default::default(), format!("no table {table}")));
    }
    let mut key: Vec<&(String, i64)> = cols.iter().filter(|(_, pk)| *pk > 0).collect();
    key.sort_by_key(|(_, pk)| *pk);
    let key = key.into_iter().map(|(n, _)| n.clone()).collect();
    Ok((cols.into_iter().map(|(n, _)| n).collect(), key))
}

fn has_id(c: &Connection, table: &str) -> Result<bool> {
    Ok(columns_of(c, table)?.0.iter().any(|n| n == "id"))
}

fn autoincrement(c: &Connection, table: &str) -> Result<bool> {
    let sql: Option<String> = c
        .query_row("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get(0))
        .optional()?;
    Ok(sql.is_some_and(|s| s.to_ascii_uppercase().contains("AUTOINCREMENT")))
}

fn neutral(v: ValueRef<'_>, table: &str) -> Result<CopyValue> {
    Ok(match v {
        ValueRef::Null => CopyValue::Null,
        ValueRef::Integer(i) => CopyValue::Int(i),
        ValueRef::Real(f) => CopyValue::Real(f),
        ValueRef::Text(t) => CopyValue::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(_) => {
            return Err(StoreError::Engine(
                Default::default(),
                format!("{table}: a binary value, which no column holds"),
            ));
        }
    })
}

fn sqlite_value(v: &CopyValue) -> Value {
    match v {
        CopyValue::Null => Value::Null,
        CopyValue::Int(i) => Value::Integer(*i),
        CopyValue::Real(f) => Value::Real(*f),
        CopyValue::Text(t) => Value::Text(t.clone()),
    }
}

/// The rows of a copy, written into the file's transaction.
struct Sink<'t> {
    tx: &'t Transaction<'t>,
    insert: String,
}

impl TableSink for Sink<'_> {
    fn start(&mut self, table: &str) -> Result<Vec<String>> {
        let (columns, _) = columns_of(self.tx, table)?;
        self.tx.execute(&format!("DELETE FROM {}", quoted(table)), [])?;
        let names: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        self.insert = format!("INSERT INTO {} ({}) VALUES ({})", quoted(table), names.join(", "), marks.join(", "));
        Ok(columns)
    }

    fn row(&mut self, row: &[CopyValue]) -> Result<()> {
        self.tx.prepare_cached(&self.insert)?.execute(params_from_iter(row.iter().map(sqlite_value)))?;
        Ok(())
    }
}

impl TableCopy for Store {
    fn table_columns(&self, table: &str) -> Result<Vec<String>> {
        columns_of(self.conn(), table).map(|(c, _)| c).map_err(|e| self.fill_path(e))
    }

    fn read_table(
        &self,
        table: &str,
        columns: &[String],
        row: &mut dyn FnMut(&[CopyValue]) -> Result<()>,
    ) -> Result<()> {
        let c = self.conn();
        let (known, key) = columns_of(c, table)?;
        // SQLite reads a quoted name that is no column as a string: a column the target has
        // and this file lacks would be copied as its own name in every row.
        if let Some(missing) = columns.iter().find(|c| !known.contains(c)) {
            return Err(StoreError::Engine(self.path.clone(), format!("no column {table}.{missing} to copy")));
        }
        let order = if key.is_empty() {
            "rowid".to_string()
        } else {
            key.iter().map(|k| quoted(k)).collect::<Vec<_>>().join(", ")
        };
        let names: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
        let sql = format!("SELECT {} FROM {} ORDER BY {order}", names.join(", "), quoted(table));
        let mut stmt = c.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut cells = Vec::with_capacity(columns.len());
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            cells.clear();
            for i in 0..columns.len() {
                cells.push(neutral(r.get_ref(i).map_err(|e| self.err(e))?, table)?);
            }
            row(&cells)?;
        }
        Ok(())
    }

    fn id_marks(&self) -> Result<Vec<(String, i64)>> {
        let c = self.conn();
        let mut marks = Vec::new();
        for table in crate::store::copy::TABLES {
            if !has_id(c, table)? {
                continue;
            }
            let highest: i64 =
                c.query_row(&format!("SELECT coalesce(max(id), 0) FROM {}", quoted(table)), [], |r| r.get(0))?;
            let given: Option<i64> = c
                .query_row("SELECT seq FROM sqlite_sequence WHERE name = ?1", [table], |r| r.get(0))
                .optional()
                .map_err(|e| self.err(e))?;
            marks.push((table.to_string(), highest.max(given.unwrap_or(0))));
        }
        Ok(marks)
    }

    fn holds_rows(&self, tables: &[&str]) -> Result<bool> {
        for table in tables {
            let any: bool = self
                .conn()
                .query_row(&format!("SELECT EXISTS (SELECT 1 FROM {})", quoted(table)), [], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            if any {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn replace_tables(&mut self, tables: &[&str], fill: &mut TableFill<'_>) -> Result<()> {
        self.write(|tx, _| {
            // References are checked at the commit: a lead names a contact copied after it.
            tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            for table in tables.iter().rev() {
                tx.execute(&format!("DELETE FROM {}", quoted(table)), [])?;
            }
            let mut sink = Sink { tx, insert: String::new() };
            let marks = fill(&mut sink)?;
            for (table, mark) in marks {
                if !autoincrement(tx, &table)? {
                    continue;
                }
                let highest: i64 =
                    tx.query_row(&format!("SELECT coalesce(max(id), 0) FROM {}", quoted(&table)), [], |r| r.get(0))?;
                tx.execute("DELETE FROM sqlite_sequence WHERE name = ?1", [&table])?;
                tx.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)",
                    rusqlite::params![table, highest.max(mark)],
                )?;
            }
            // The report tallies are the records', made again now their stage moves are in.
            tx.execute_batch(super::migrate::TALLIES_REBUILD)?;
            super::search::reindex_all(tx)
        })
    }
}
