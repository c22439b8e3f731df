//! Whole tables of a database in engine-neutral values (`engine::TableCopy`): what `db
//! migrate-to` reads from a server or writes into an empty database (through `COPY`), and
//! what a backup of the server to a file reads.

use super::{Result, Store, StoreError, maintenance, search};
use crate::store::copy::CopyValue;
use crate::store::engine::{TableCopy, TableFill, TableSink};
use postgres::fallible_iterator::FallibleIterator;
use postgres::{GenericClient, Transaction};
use std::io::Write;

/// `"name"`: a table or column name of the schema as SQL.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The columns of `table` with their type's name (`int8`, `bool`, `text`, `citext`…).
fn columns_of(c: &mut impl GenericClient, table: &str) -> Result<Vec<(String, String)>> {
    let rows = c.query(
        "SELECT column_name::text, udt_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        &[&table],
    )?;
    if rows.is_empty() {
        return Err(StoreError::Engine(Default::default(), format!("no table {table}")));
    }
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// The columns of `table`'s primary key, in order.
fn key_of(c: &mut impl GenericClient, table: &str) -> Result<Vec<String>> {
    let rows = c.query(
        "SELECT a.attname::text FROM pg_index i \
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) \
         WHERE i.indrelid = $1::text::regclass AND i.indisprimary \
         ORDER BY array_position(i.indkey::int2[], a.attnum)",
        &[&table],
    )?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Tables of `TABLES` whose ids come from an identity sequence.
fn identity_tables(c: &mut impl GenericClient) -> Result<Vec<String>> {
    let rows = c.query(
        "SELECT table_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'",
        &[],
    )?;
    let found: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    Ok(crate::store::copy::TABLES.iter().filter(|t| found.iter().any(|f| f == *t)).map(|t| t.to_string()).collect())
}

/// The highest id `table` holds or its sequence has given.
fn mark_of(c: &mut impl GenericClient, table: &str) -> Result<i64> {
    let sql = format!(
        "SELECT greatest(coalesce(max(id), 0), \
                coalesce(pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass), 0)) FROM {}",
        quoted(table)
    );
    Ok(c.query_one(&sql, &[&table])?.get(0))
}

/// A cell in `COPY`'s text format.
fn push_cell(buf: &mut Vec<u8>, v: &CopyValue) {
    match v {
        CopyValue::Null => buf.extend_from_slice(b"\\N"),
        CopyValue::Int(i) => buf.extend_from_slice(i.to_string().as_bytes()),
        CopyValue::Real(f) => buf.extend_from_slice(f.to_string().as_bytes()),
        CopyValue::Text(t) => {
            for b in t.bytes() {
                match b {
                    b'\\' => buf.extend_from_slice(b"\\\\"),
                    b'\n' => buf.extend_from_slice(b"\\n"),
                    b'\r' => buf.extend_from_slice(b"\\r"),
                    b'\t' => buf.extend_from_slice(b"\\t"),
                    _ => buf.push(b),
                }
            }
        }
    }
}

/// Rows buffered before they go to the server in one `COPY`.
const COPY_BUFFER: usize = 4 << 20;

/// The rows of a copy, sent with `COPY … FROM STDIN` a few megabytes at a time.
struct Sink<'a, 'b> {
    tx: &'a mut Transaction<'b>,
    copy: String,
    buf: Vec<u8>,
}

impl Sink<'_, '_> {
    fn flush(&mut self) -> Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let io = |e: std::io::Error| StoreError::Engine(Default::default(), e.to_string());
        let mut w = self.tx.copy_in(&self.copy)?;
        w.write_all(&self.buf).map_err(io)?;
        w.finish()?;
        self.buf.clear();
        Ok(())
    }
}

impl TableSink for Sink<'_, '_> {
    fn start(&mut self, table: &str) -> Result<Vec<String>> {
        self.flush()?;
        let columns: Vec<String> = columns_of(self.tx, table)?.into_iter().map(|(n, _)| n).collect();
        self.tx.execute(&format!("DELETE FROM {}", quoted(table)), &[])?;
        let names: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
        self.copy = format!("COPY {} ({}) FROM STDIN", quoted(table), names.join(", "));
        Ok(columns)
    }

    fn row(&mut self, row: &[CopyValue]) -> Result<()> {
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                self.buf.push(b'\t');
            }
            push_cell(&mut self.buf, v);
        }
        self.buf.push(b'\n');
        if self.buf.len() >= COPY_BUFFER {
            self.flush()?;
        }
        Ok(())
    }
}

impl TableCopy for Store {
    fn table_columns(&self, table: &str) -> Result<Vec<String>> {
        let mut c = self.client();
        let columns = columns_of(&mut *c, table).map_err(|e| self.fill_path(e))?;
        Ok(columns.into_iter().map(|(n, _)| n).collect())
    }

    fn read_table(
        &self,
        table: &str,
        columns: &[String],
        row: &mut dyn FnMut(&[CopyValue]) -> Result<()>,
    ) -> Result<()> {
        let mut c = self.client();
        let types = columns_of(&mut *c, table).map_err(|e| self.fill_path(e))?;
        let key = key_of(&mut *c, table).map_err(|e| self.fill_path(e))?;
        let mut kinds = Vec::with_capacity(columns.len());
        let mut exprs = Vec::with_capacity(columns.len());
        for name in columns {
            let Some((_, udt)) = types.iter().find(|(n, _)| n == name) else {
                return Err(self.fill_path(StoreError::Engine(Default::default(), format!("no column {table}.{name}"))));
            };
            let kind = match udt.as_str() {
                "int8" => 'i',
                "bool" => 'b',
                _ => 't',
            };
            exprs.push(if kind == 't' { format!("{}::text", quoted(name)) } else { quoted(name) });
            kinds.push(kind);
        }
        let order =
            if key.is_empty() { "1".to_string() } else { key.iter().map(|k| quoted(k)).collect::<Vec<_>>().join(", ") };
        let sql = format!("SELECT {} FROM {} ORDER BY {order}", exprs.join(", "), quoted(table));
        let mut rows = c.query_raw(&sql, std::iter::empty::<i64>()).map_err(|e| self.pg_err(e))?;
        let mut cells = Vec::with_capacity(columns.len());
        while let Some(r) = rows.next().map_err(|e| self.pg_err(e))? {
            cells.clear();
            for (i, kind) in kinds.iter().enumerate() {
                let cell = match kind {
                    'i' => r.try_get::<_, Option<i64>>(i).map(|v| v.map_or(CopyValue::Null, CopyValue::Int)),
                    'b' => {
                        r.try_get::<_, Option<bool>>(i).map(|v| v.map_or(CopyValue::Null, |b| CopyValue::Int(b as i64)))
                    }
                    _ => r.try_get::<_, Option<String>>(i).map(|v| v.map_or(CopyValue::Null, CopyValue::Text)),
                };
                cells.push(cell.map_err(|e| self.pg_err(e))?);
            }
            row(&cells)?;
        }
        Ok(())
    }

    fn id_marks(&self) -> Result<Vec<(String, i64)>> {
        let mut c = self.client();
        let mut marks = Vec::new();
        for table in identity_tables(&mut *c).map_err(|e| self.fill_path(e))? {
            let mark = mark_of(&mut *c, &table).map_err(|e| self.fill_path(e))?;
            marks.push((table, mark));
        }
        Ok(marks)
    }

    fn holds_rows(&self, tables: &[&str]) -> Result<bool> {
        let mut c = self.client();
        for table in tables {
            let any: bool = c
                .query_one(&format!("SELECT EXISTS (SELECT 1 FROM {})", quoted(table)), &[])
                .map_err(|e| self.pg_err(e))?
                .get(0);
            if any {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn replace_tables(&mut self, tables: &[&str], fill: &mut TableFill<'_>) -> Result<()> {
        self.write(|tx, _| {
            // References are checked at the commit: a lead names a contact copied after it
            // (the schema makes those references deferrable).
            tx.batch_execute("SET CONSTRAINTS ALL DEFERRED")?;
            let list: Vec<String> = tables.iter().map(|t| quoted(t)).collect();
            tx.batch_execute(&format!("TRUNCATE {}", list.join(", ")))?;
            // The totals are copied with the rest: their triggers wait meanwhile.
            maintenance::totals_triggers(tx, false)?;
            let mut sink = Sink { tx: &mut *tx, copy: String::new(), buf: Vec::new() };
            let marks = fill(&mut sink)?;
            sink.flush()?;
            // The references checked now: a table with checks pending cannot be altered.
            tx.batch_execute("SET CONSTRAINTS ALL IMMEDIATE")?;
            maintenance::totals_triggers(tx, true)?;
            // The report tallies are the records', made again now their stage moves are in.
            tx.batch_execute(super::migrate::TALLIES_REBUILD)?;
            for table in identity_tables(tx)? {
                let given = marks.iter().filter(|(t, _)| *t == table).map(|(_, m)| *m).max().unwrap_or(0);
                let highest: i64 =
                    tx.query_one(&format!("SELECT coalesce(max(id), 0) FROM {}", quoted(&table)), &[])?.get(0);
                let next = highest.max(given);
                // `false`: the next id given is the mark itself (a table that never gave one).
                tx.execute(
                    "SELECT setval(pg_get_serial_sequence($1, 'id'), $2, $3)",
                    &[&table, &next.max(1), &(next > 0)],
                )?;
            }
            search::reindex_all(tx)
        })?;
        // Fresh statistics and visibility map now, not at autovacuum's next pass (which an
        // open snapshot elsewhere can make useless): the plans and index-only scans of the
        // first screens depend on them.
        let list: Vec<String> = tables.iter().map(|t| quoted(t)).chain(["search".to_string()]).collect();
        self.client().batch_execute(&format!("VACUUM (ANALYZE) {}", list.join(", "))).map_err(|e| self.pg_err(e))
    }
}
