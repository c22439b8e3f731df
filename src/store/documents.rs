//! Quotes, invoices and credit notes as both engines keep them (SPEC E5): the document, what
//! a new one is made of, the refusals, and what its deal's history says of it. Each engine
//! writes a document, its lines and its number in one transaction.

pub use crate::domain::document::Document;
use crate::domain::document::{DocKind, Party, format_number};
use crate::domain::lines::{self, Totals};
use crate::domain::money::{Currency, Money, plain_amount};
use crate::domain::product::{Line, money_of};
use serde_json::{Value as Json, json};

/// A document about to be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDocument {
    /// Its kind.
    pub kind: DocKind,
    /// Its deal.
    pub deal_id: i64,
    /// The quote or invoice it comes from.
    pub source_id: Option<i64>,
    /// The client.
    pub client: Party,
    /// Its currency.
    pub currency: Currency,
    /// Its lines (copied).
    pub lines: Vec<Line>,
    /// Issue date.
    pub issue_date: Option<String>,
    /// A quote's validity.
    pub valid_until: Option<String>,
    /// An invoice's due date.
    pub due_date: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// The numbering it takes when made (a quote, a credit note), if any.
    pub number: Option<NumberAt>,
}

/// Where a number comes from: the pattern of its kind and the year of the day it is given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberAt {
    /// The pattern (`F-{year}-{seq:05}`).
    pub pattern: String,
    /// The year its sequence counts in.
    pub year: i32,
    /// The day it is given (`YYYY-MM-DD`): a document without issue date takes it.
    pub date: String,
}

impl NumberAt {
    /// The number `seq` written with the pattern.
    pub fn number(&self, seq: i64) -> String {
        format_number(&self.pattern, self.year, seq)
    }
}

/// A change of a draft's dates or notes (`None` leaves one as it is; empty clears it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocEdit {
    /// Notes.
    pub notes: Option<String>,
    /// A quote's validity (`YYYY-MM-DD`).
    pub valid_until: Option<String>,
    /// An invoice's due date (`YYYY-MM-DD`).
    pub due_date: Option<String>,
}

/// An invoice issued: its date, due date and number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// Issue date (`YYYY-MM-DD`).
    pub date: String,
    /// Due date (`YYYY-MM-DD`).
    pub due_date: String,
    /// Its numbering.
    pub number: NumberAt,
}

/// The lines of a credit note cancelling `lines`: the same, with quantities of the other sign.
pub fn credit_lines(lines: &[Line]) -> Vec<Line> {
    lines
        .iter()
        .map(|l| Line { id: 0, money: lines::LineMoney { qty: -l.money.qty, ..l.money }, ..l.clone() })
        .collect()
}

/// Totals of document lines.
pub fn totals_of(lines: &[Line]) -> Totals {
    lines::totals(&money_of(lines))
}

/// The history entry of its deal: what happened to which document.
pub fn deal_event(doc: &Document, event: &str) -> Json {
    json!({
        "event": event,
        "kind": doc.kind.code(),
        "document": doc.id,
        "number": doc.number,
        "status": doc.status.code(),
        "gross": plain_amount(Money { minor: doc.totals.gross, currency: doc.currency }),
        "currency": doc.currency.code(),
    })
}

/// `text` for a `LIKE` pattern, its `%`, `_` and `\` taken literally (escape `\`).
pub fn like_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
