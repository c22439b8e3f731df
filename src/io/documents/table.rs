//! Quotes, invoices and credit notes as a table (SPEC I3): one row per document with its
//! client, dates and totals, for an accountant's spreadsheet. Amounts are plain (`1200.50`),
//! dates `YYYY-MM-DD`; a document's lines are in the JSON export.

use crate::domain::document::Document;
use crate::domain::money::{Money, plain_amount};

/// The columns of a document export.
pub const HEADERS: [&str; 14] = [
    "id",
    "kind",
    "number",
    "status",
    "deal",
    "source",
    "client",
    "issue_date",
    "valid_until",
    "due_date",
    "currency",
    "net",
    "tax",
    "gross",
];

/// Header and rows of a document export.
pub fn table(docs: &[Document]) -> (Vec<String>, Vec<Vec<String>>) {
    let rows = docs
        .iter()
        .map(|d| {
            let money = |minor| plain_amount(Money { minor, currency: d.currency });
            vec![
                d.id.to_string(),
                d.kind.code().to_string(),
                d.number.clone().unwrap_or_default(),
                d.status.code().to_string(),
                d.deal_id.to_string(),
                d.source_id.map(|s| s.to_string()).unwrap_or_default(),
                d.client.name.clone(),
                d.issue_date.clone().unwrap_or_default(),
                d.valid_until.clone().unwrap_or_default(),
                d.due_date.clone().unwrap_or_default(),
                d.currency.code().to_string(),
                money(d.totals.net),
                money(d.totals.tax),
                money(d.totals.gross),
            ]
        })
        .collect();
    (HEADERS.iter().map(|h| h.to_string()).collect(), rows)
}
