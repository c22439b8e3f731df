//! The product catalogue and line items in a file (SPEC E4): `products` and `line_items`
//! rows (migration 19). A change of lines and the amount it gives the record are one
//! transaction (`store::lines` decides what changes).

use super::records::{raw_row, update_in};
use super::{Result, Store, WriteCtx, log_change, timeline};
use crate::domain::lines::LineMoney;
use crate::domain::money::Currency;
use crate::domain::product::{Line, Product};
use crate::domain::timeline::TimelineKind;
use crate::store::engine::*;
use crate::store::lines::{LineChange, RecordLines, amount_edit, discount_columns, discount_of, plan, require_holder};
use crate::store::records::RecordRef;
use crate::store::{Rule, StoreError};
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

const PRODUCT_COLUMNS: &str = "id, code, name, description, unit, price_minor, currency, tax_rate, active, category";

fn product_of(r: &rusqlite::Row) -> rusqlite::Result<Product> {
    let currency: String = r.get(6)?;
    Ok(Product {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        unit: r.get(4)?,
        price: r.get(5)?,
        currency: Currency::parse(&currency).unwrap_or(Currency::EUR),
        tax_rate: r.get(7)?,
        active: r.get(8)?,
        category: r.get(9)?,
    })
}

fn product_in(conn: &Connection, key: &str) -> Result<Product> {
    let k = key.trim();
    let id = k.strip_prefix('#').unwrap_or(k).parse::<i64>().ok();
    let sql = format!(
        "SELECT {PRODUCT_COLUMNS} FROM products WHERE id = ?1 OR lower(code) = lower(?2) ORDER BY id = ?1 DESC LIMIT 1"
    );
    conn.prepare_cached(&sql)?
        .query_row(params![id, k], product_of)
        .optional()?
        .ok_or_else(|| StoreError::Rule(Rule::NoSuchProduct { key: k.to_string() }))
}

const LINE_COLUMNS: &str = "id, position, product_id, name, unit, qty, unit_price, discount_kind, discount, tax_rate";

fn line_of(r: &rusqlite::Row) -> rusqlite::Result<Line> {
    let kind: String = r.get(7)?;
    Ok(Line {
        id: r.get(0)?,
        position: r.get(1)?,
        product_id: r.get(2)?,
        name: r.get(3)?,
        unit: r.get(4)?,
        money: LineMoney {
            qty: r.get(5)?,
            unit_price: r.get(6)?,
            discount: discount_of(&kind, r.get(8)?),
            tax_rate: r.get(9)?,
        },
    })
}

/// A record's lines in order.
pub(crate) fn lines_in(conn: &Connection, record: RecordRef) -> Result<Vec<Line>> {
    lines_of(conn, record.entity.code(), record.id)
}

/// The lines of an owner (a record's kind, or a document's) in order.
pub(crate) fn lines_of(conn: &Connection, owner: &str, owner_id: i64) -> Result<Vec<Line>> {
    let sql = format!("SELECT {LINE_COLUMNS} FROM line_items WHERE owner = ?1 AND owner_id = ?2 ORDER BY position, id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![owner, owner_id], line_of)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Writes `line` for `record` (a new row when its id is 0).
fn put_line(tx: &Transaction, record: RecordRef, line: &Line) -> Result<()> {
    put_owned(tx, record.entity.code(), record.id, line)
}

/// Writes `line` of an owner (a record's kind, or a document's; a new row when its id is 0).
pub(crate) fn put_owned(tx: &Transaction, owner: &str, owner_id: i64, line: &Line) -> Result<()> {
    let (kind, discount) = discount_columns(line.money.discount);
    if line.id == 0 {
        tx.prepare_cached(
            "INSERT INTO line_items (owner, owner_id, position, product_id, name, unit, qty, unit_price, \
             discount_kind, discount, tax_rate) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            owner,
            owner_id,
            line.position,
            line.product_id,
            line.name,
            line.unit,
            line.money.qty,
            line.money.unit_price,
            kind,
            discount,
            line.money.tax_rate
        ])?;
    } else {
        tx.prepare_cached(
            "UPDATE line_items SET position = ?2, product_id = ?3, name = ?4, unit = ?5, qty = ?6, unit_price = ?7, \
             discount_kind = ?8, discount = ?9, tax_rate = ?10 WHERE id = ?1",
        )?
        .execute(params![
            line.id,
            line.position,
            line.product_id,
            line.name,
            line.unit,
            line.money.qty,
            line.money.unit_price,
            kind,
            discount,
            line.money.tax_rate
        ])?;
    }
    Ok(())
}

/// Copies `from`'s lines after `to`'s (a conversion: the lead's to its deal).
pub(crate) fn copy_lines(tx: &Transaction, from: RecordRef, to: RecordRef) -> Result<()> {
    let after = lines_in(tx, to)?.len() as i64;
    for (i, line) in lines_in(tx, from)?.into_iter().enumerate() {
        put_line(tx, to, &Line { id: 0, position: after + i as i64 + 1, ..line })?;
    }
    Ok(())
}

/// Drops a deleted record's lines.
pub(crate) fn drop_lines(tx: &Transaction, record: RecordRef) -> Result<()> {
    tx.prepare_cached("DELETE FROM line_items WHERE owner = ?1 AND owner_id = ?2")?
        .execute(params![record.entity.code(), record.id])?;
    Ok(())
}

/// The record's amount and currency as stored.
fn held(old: &std::collections::BTreeMap<&'static str, Sql>) -> (Option<i64>, Option<Currency>) {
    let amount = match old.get("amount_minor") {
        Some(Sql::Integer(a)) => Some(*a),
        _ => None,
    };
    let currency = match old.get("currency") {
        Some(Sql::Text(c)) => Currency::parse(c),
        _ => None,
    };
    (amount, currency)
}

fn change_in(
    tx: &Transaction,
    ctx: &WriteCtx,
    record: RecordRef,
    currency: Currency,
    change: &LineChange,
) -> Result<RecordLines> {
    require_holder(record.entity)?;
    let (_, old) = raw_row(tx, record.entity, record.id)?;
    let (amount, record_currency) = held(&old);
    let current = lines_in(tx, record)?;
    // A record without lines takes the currency of its first.
    let holds = if current.is_empty() { None } else { record_currency };
    let (next, history) = plan(record, holds, currency, &current, change)?;
    for gone in current.iter().filter(|l| !next.iter().any(|n| n.id == l.id)) {
        tx.prepare_cached("DELETE FROM line_items WHERE id = ?1")?.execute([gone.id])?;
    }
    for line in &next {
        if current.iter().find(|c| c.id == line.id) != Some(line) {
            put_line(tx, record, line)?;
        }
    }
    timeline::add(tx, record.entity, record.id, TimelineKind::FieldsChanged, ctx, history)?;
    log_change(tx, ctx, record.entity, record.id)?;
    for edit in amount_edit(&next, currency, (amount, record_currency)).unwrap_or_default() {
        update_in(tx, ctx, record.entity, record.id, None, &edit)?;
    }
    Ok(RecordLines::of(record, currency, lines_in(tx, record)?))
}

impl Products for Store {
    fn products(&self, all: bool) -> Result<Vec<Product>> {
        let sql = format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE ?1 OR active ORDER BY prospect_fold(name), id");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([all], product_of)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn product(&self, key: &str) -> Result<Product> {
        product_in(self.conn(), key)
    }

    fn save_product(&mut self, p: &Product) -> Result<Product> {
        self.write(|tx, ctx| {
            if let Some(code) = &p.code {
                let taken: Option<i64> = tx
                    .prepare_cached("SELECT id FROM products WHERE lower(code) = lower(?1) AND id <> ?2")?
                    .query_row(params![code, p.id], |r| r.get(0))
                    .optional()?;
                if taken.is_some() {
                    return Err(StoreError::Rule(Rule::ProductCodeTaken { code: code.clone() }));
                }
            }
            let values = params![
                p.code,
                p.name,
                p.description,
                p.unit,
                p.price,
                p.currency.code(),
                p.tax_rate,
                p.active,
                p.category,
                ctx.now,
                p.id
            ];
            let id = if p.id == 0 {
                tx.prepare_cached(
                    "INSERT INTO products (code, name, description, unit, price_minor, currency, tax_rate, active, \
                     category, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                )?
                .execute(&values[..10])?;
                tx.last_insert_rowid()
            } else {
                let n = tx
                    .prepare_cached(
                        "UPDATE products SET code = ?1, name = ?2, description = ?3, unit = ?4, price_minor = ?5, \
                         currency = ?6, tax_rate = ?7, active = ?8, category = ?9, modified_at = ?10 WHERE id = ?11",
                    )?
                    .execute(values)?;
                if n == 0 {
                    return Err(StoreError::Rule(Rule::NoSuchProduct { key: p.id.to_string() }));
                }
                p.id
            };
            product_in(tx, &id.to_string())
        })
    }

    fn delete_product(&mut self, id: i64) -> Result<i64> {
        self.write(|tx, _| {
            let used: i64 = tx
                .prepare_cached("SELECT count(*) FROM line_items WHERE product_id = ?1")?
                .query_row([id], |r| r.get(0))?;
            if tx.prepare_cached("DELETE FROM products WHERE id = ?1")?.execute([id])? == 0 {
                return Err(StoreError::Rule(Rule::NoSuchProduct { key: id.to_string() }));
            }
            Ok(used)
        })
    }
}

impl LineItems for Store {
    fn lines(&self, record: RecordRef) -> Result<RecordLines> {
        require_holder(record.entity)?;
        self.reading(|s| {
            let (_, old) = raw_row(s.conn(), record.entity, record.id)?;
            let currency = held(&old).1.unwrap_or(s.options().currency);
            Ok(RecordLines::of(record, currency, lines_in(s.conn(), record)?))
        })
    }

    fn change_lines(&mut self, record: RecordRef, currency: Currency, change: &LineChange) -> Result<RecordLines> {
        self.write(|tx, ctx| change_in(tx, ctx, record, currency, change))
    }
}
