//! The product catalogue and line items on PostgreSQL (SPEC E4, migration 9), as
//! `sqlite::lines`.

use super::records::{Val, raw_row, update_in};
use super::{Result, Store, WriteCtx, log_change, timeline};
use crate::domain::lines::LineMoney;
use crate::domain::money::Currency;
use crate::domain::product::{Line, Product};
use crate::domain::timeline::TimelineKind;
use crate::store::engine::*;
use crate::store::lines::{LineChange, RecordLines, amount_edit, discount_columns, discount_of, plan, require_holder};
use crate::store::records::RecordRef;
use crate::store::{Rule, StoreError};
use postgres::GenericClient;
use std::collections::BTreeMap;

const PRODUCT_COLUMNS: &str = "id, code, name, description, unit, price_minor, currency, tax_rate, active, category";

fn product_of(r: &postgres::Row) -> Product {
    Product {
        id: r.get(0),
        code: r.get(1),
        name: r.get(2),
        description: r.get(3),
        unit: r.get(4),
        price: r.get(5),
        currency: Currency::parse(&r.get::<_, String>(6)).unwrap_or(Currency::EUR),
        tax_rate: r.get(7),
        active: r.get(8),
        category: r.get(9),
    }
}

fn product_in(c: &mut impl GenericClient, key: &str) -> Result<Product> {
    let k = key.trim();
    let id = k.strip_prefix('#').unwrap_or(k).parse::<i64>().ok();
    let sql = format!(
        "SELECT {PRODUCT_COLUMNS} FROM products WHERE id = $1 OR lower(code) = lower($2) ORDER BY id = $1 DESC LIMIT 1"
    );
    c.query_opt(&sql, &[&id, &k])?
        .map(|r| product_of(&r))
        .ok_or_else(|| StoreError::Rule(Rule::NoSuchProduct { key: k.to_string() }))
}

const LINE_COLUMNS: &str = "id, position, product_id, name, unit, qty, unit_price, discount_kind, discount, tax_rate";

fn line_of(r: &postgres::Row) -> Line {
    Line {
        id: r.get(0),
        position: r.get(1),
        product_id: r.get(2),
        name: r.get(3),
        unit: r.get(4),
        money: LineMoney {
            qty: r.get(5),
            unit_price: r.get(6),
            discount: discount_of(&r.get::<_, String>(7), r.get(8)),
            tax_rate: r.get(9),
        },
    }
}

/// A record's lines in order.
pub(crate) fn lines_in(c: &mut impl GenericClient, record: RecordRef) -> Result<Vec<Line>> {
    lines_of(c, record.entity.code(), record.id)
}

/// The lines of an owner (a record's kind, or a document's) in order.
pub(crate) fn lines_of(c: &mut impl GenericClient, owner: &str, owner_id: i64) -> Result<Vec<Line>> {
    let sql = format!("SELECT {LINE_COLUMNS} FROM line_items WHERE owner = $1 AND owner_id = $2 ORDER BY position, id");
    Ok(c.query(&sql, &[&owner, &owner_id])?.iter().map(line_of).collect())
}

/// Writes `line` for `record` (a new row when its id is 0).
fn put_line(c: &mut impl GenericClient, record: RecordRef, line: &Line) -> Result<()> {
    put_owned(c, record.entity.code(), record.id, line)
}

/// Writes `line` of an owner (a record's kind, or a document's; a new row when its id is 0).
pub(crate) fn put_owned(c: &mut impl GenericClient, owner: &str, owner_id: i64, line: &Line) -> Result<()> {
    let (kind, discount) = discount_columns(line.money.discount);
    let m = &line.money;
    if line.id == 0 {
        c.execute(
            "INSERT INTO line_items (owner, owner_id, position, product_id, name, unit, qty, unit_price, \
             discount_kind, discount, tax_rate) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &[
                &owner,
                &owner_id,
                &line.position,
                &line.product_id,
                &line.name,
                &line.unit,
                &m.qty,
                &m.unit_price,
                &kind,
                &discount,
                &m.tax_rate,
            ],
        )?;
    } else {
        c.execute(
            "UPDATE line_items SET position = $2, product_id = $3, name = $4, unit = $5, qty = $6, unit_price = $7, \
             discount_kind = $8, discount = $9, tax_rate = $10 WHERE id = $1",
            &[
                &line.id,
                &line.position,
                &line.product_id,
                &line.name,
                &line.unit,
                &m.qty,
                &m.unit_price,
                &kind,
                &discount,
                &m.tax_rate,
            ],
        )?;
    }
    Ok(())
}

/// Copies `from`'s lines after `to`'s (a conversion: the lead's to its deal).
pub(crate) fn copy_lines(c: &mut impl GenericClient, from: RecordRef, to: RecordRef) -> Result<()> {
    let after = lines_in(c, to)?.len() as i64;
    for (i, line) in lines_in(c, from)?.into_iter().enumerate() {
        put_line(c, to, &Line { id: 0, position: after + i as i64 + 1, ..line })?;
    }
    Ok(())
}

/// Drops a deleted record's lines.
pub(crate) fn drop_lines(c: &mut impl GenericClient, record: RecordRef) -> Result<()> {
    c.execute("DELETE FROM line_items WHERE owner = $1 AND owner_id = $2", &[&record.entity.code(), &record.id])?;
    Ok(())
}

/// The record's amount and currency as stored.
fn held(old: &BTreeMap<&'static str, Val>) -> (Option<i64>, Option<Currency>) {
    let amount = match old.get("amount_minor") {
        Some(Val::Int(a)) => Some(*a),
        _ => None,
    };
    let currency = match old.get("currency") {
        Some(Val::Text(c)) => Currency::parse(c),
        _ => None,
    };
    (amount, currency)
}

fn change_in(
    tx: &mut impl GenericClient,
    ctx: &WriteCtx,
    record: RecordRef,
    currency: Currency,
    change: &LineChange,
) -> Result<RecordLines> {
    require_holder(record.entity)?;
    // The record's row is locked first: two changes of one record's lines take turns.
    tx.execute(&format!("SELECT 1 FROM {} WHERE id = $1 FOR UPDATE", record.entity.table()), &[&record.id])?;
    let (_, old) = raw_row(tx, record.entity, record.id)?;
    let (amount, record_currency) = held(&old);
    let current = lines_in(tx, record)?;
    // A record without lines takes the currency of its first.
    let holds = if current.is_empty() { None } else { record_currency };
    let (next, history) = plan(record, holds, currency, &current, change)?;
    for gone in current.iter().filter(|l| !next.iter().any(|n| n.id == l.id)) {
        tx.execute("DELETE FROM line_items WHERE id = $1", &[&gone.id])?;
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
        let sql = format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE $1 OR active ORDER BY lower(name), id");
        let rows = self.client().query(&sql, &[&all]).map_err(|e| self.fill_path(e.into()))?;
        Ok(rows.iter().map(product_of).collect())
    }

    fn product(&self, key: &str) -> Result<Product> {
        product_in(&mut *self.client(), key).map_err(|e| self.fill_path(e))
    }

    fn save_product(&mut self, p: &Product) -> Result<Product> {
        self.write(|tx, ctx| {
            if let Some(code) = &p.code {
                let taken = tx.query_opt(
                    "SELECT id FROM products WHERE lower(code) = lower($1) AND id <> $2",
                    &[code, &p.id],
                )?;
                if taken.is_some() {
                    return Err(StoreError::Rule(Rule::ProductCodeTaken { code: code.clone() }));
                }
            }
            let currency = p.currency.code();
            let id: i64 = if p.id == 0 {
                tx.query_one(
                    "INSERT INTO products (code, name, description, unit, price_minor, currency, tax_rate, active, \
                     category, created_at, modified_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
                    &[&p.code, &p.name, &p.description, &p.unit, &p.price, &currency, &p.tax_rate, &p.active, &p.category, &ctx.now],
                )?
                .get(0)
            } else {
                let n = tx.execute(
                    "UPDATE products SET code = $1, name = $2, description = $3, unit = $4, price_minor = $5, \
                     currency = $6, tax_rate = $7, active = $8, category = $9, modified_at = $10 WHERE id = $11",
                    &[&p.code, &p.name, &p.description, &p.unit, &p.price, &currency, &p.tax_rate, &p.active, &p.category, &ctx.now, &p.id],
                )?;
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
            let used: i64 = tx.query_one("SELECT count(*) FROM line_items WHERE product_id = $1", &[&id])?.get(0);
            if tx.execute("DELETE FROM products WHERE id = $1", &[&id])? == 0 {
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
            let mut c = s.client();
            let (_, old) = raw_row(&mut *c, record.entity, record.id)?;
            let currency = held(&old).1.unwrap_or(s.options().currency);
            let lines = lines_in(&mut *c, record)?;
            Ok(RecordLines::of(record, currency, lines))
        })
    }

    fn change_lines(&mut self, record: RecordRef, currency: Currency, change: &LineChange) -> Result<RecordLines> {
        self.write(|tx, ctx| change_in(tx, ctx, record, currency, change))
    }
}
