//! Line items of records, as both engines write them (SPEC E4): what a change does to a
//! record's lines, the history entry it leaves, and the amount the record takes from them.
//! Each engine reads the lines, applies `plan` and writes the difference in one transaction.

use crate::domain::fields::Entity;
use crate::domain::lines::{self, Totals};
use crate::domain::money::{Currency, Money, plain_amount};
use crate::domain::product::{Line, money_of};
use crate::domain::{FieldError, Problem};
use crate::store::records::{RecordInput, RecordRef};
use crate::store::{Result, Rule, StoreError};
use serde::Serialize;
use serde_json::{Value as Json, json};

/// One change to a record's lines. Lines are named by their place (1 is the first), as
/// `line list` numbers them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineChange {
    /// A line after the others.
    Add(Line),
    /// The line at this place becomes this one (its id stays).
    Edit(i64, Line),
    /// The line at this place goes; those after it move up.
    Delete(i64),
}

/// A record's lines after a change, with their totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordLines {
    /// The record.
    pub entity: Entity,
    /// Its id.
    pub id: i64,
    /// The lines' currency (the record's).
    pub currency: Currency,
    /// The lines in order, each with its net.
    pub lines: Vec<Line>,
    /// Net, tax and gross totals, per rate.
    pub totals: Totals,
}

impl RecordLines {
    /// The lines of a record, totalled.
    pub fn of(record: RecordRef, currency: Currency, lines: Vec<Line>) -> RecordLines {
        let totals = lines::totals(&money_of(&lines));
        RecordLines { entity: record.entity, id: record.id, currency, lines, totals }
    }
}

/// The kinds of record that hold lines (quotes and invoices will join them).
pub fn holds_lines(entity: Entity) -> bool {
    matches!(entity, Entity::Lead | Entity::Deal)
}

/// Refuses lines on a contact or company.
pub fn require_holder(entity: Entity) -> Result<()> {
    if holds_lines(entity) {
        return Ok(());
    }
    Err(FieldError::new(
        "record",
        Problem::Choice { value: entity.code().to_string(), accepted: vec!["lead".into(), "deal".into()] },
    )
    .into())
}

/// What a change makes of `current` (in order), the history entry it leaves, or the refusal:
/// a place that names no line, a line in another currency than the record's.
pub fn plan(
    record: RecordRef,
    record_currency: Option<Currency>,
    currency: Currency,
    current: &[Line],
    change: &LineChange,
) -> Result<(Vec<Line>, Json)> {
    if let Some(c) = record_currency
        && c != currency
    {
        let both = format!("{}, {}", c.code(), currency.code());
        return Err(FieldError::new("currency", Problem::refused("document_currencies", &[("value", &both)])).into());
    }
    let at = |place: i64| -> Result<usize> {
        usize::try_from(place - 1).ok().filter(|i| *i < current.len()).ok_or(StoreError::Rule(Rule::NoSuchLine {
            entity: record.entity,
            id: record.id,
            line: place,
        }))
    };
    let mut next = current.to_vec();
    let (old, new) = match change {
        LineChange::Add(line) => {
            next.push(Line { id: 0, ..line.clone() });
            (String::new(), line.summary(currency))
        }
        LineChange::Edit(place, line) => {
            let i = at(*place)?;
            let old = next[i].summary(currency);
            next[i] = Line { id: next[i].id, ..line.clone() };
            (old, line.summary(currency))
        }
        LineChange::Delete(place) => {
            let i = at(*place)?;
            (next.remove(i).summary(currency), String::new())
        }
    };
    for (i, l) in next.iter_mut().enumerate() {
        l.position = i as i64 + 1;
    }
    Ok((next, json!({"changes": [{"field": "lines", "old": old, "new": new}]})))
}

/// The edit that gives a record the amount its lines make (their gross total) in their
/// currency, when that differs from what it holds; a record without lines keeps the amount
/// typed last.
pub fn amount_edit(
    lines: &[Line],
    currency: Currency,
    held: (Option<i64>, Option<Currency>),
) -> Option<Vec<RecordInput>> {
    if lines.is_empty() {
        return None;
    }
    let gross = lines::totals(&money_of(lines)).gross;
    let mut edits = Vec::new();
    // The currency first: an amount is read in the record's currency.
    if held.1 != Some(currency) {
        edits.push(RecordInput { fields: vec![("currency".into(), currency.code().into())], ..Default::default() });
    }
    if held.0 != Some(gross) || !edits.is_empty() {
        let amount = plain_amount(Money { minor: gross, currency });
        edits.push(RecordInput { fields: vec![("amount".into(), amount)], ..Default::default() });
    }
    Some(edits).filter(|e| !e.is_empty())
}

/// Reads the stored discount (`none`, `percent`, `amount` and its number).
pub fn discount_of(kind: &str, n: i64) -> lines::Discount {
    match kind {
        "percent" => lines::Discount::Percent(n),
        "amount" => lines::Discount::Amount(n),
        _ => lines::Discount::None,
    }
}

/// The stored form of a discount.
pub fn discount_columns(d: lines::Discount) -> (&'static str, i64) {
    match d {
        lines::Discount::None => ("none", 0),
        lines::Discount::Percent(p) => ("percent", p),
        lines::Discount::Amount(a) => ("amount", a),
    }
}

impl RecordLines {
    /// The lines as `--json` gives them: amounts as decimal text in the currency (as records
    /// give theirs), quantities and rates as numbers written out, totals per rate.
    pub fn to_json(&self) -> Json {
        let (lines, totals) = crate::domain::product::lines_json(&self.lines, &self.totals, self.currency);
        json!({"currency": self.currency.code(), "lines": lines, "totals": totals})
    }
}
