//! The engine's share of selling (SPEC E4, E5): the product catalogue, line items, and
//! quotes, invoices and credit notes.

use super::Result;
use crate::domain::document::{DocKind, DocStatus};
use crate::domain::money::Currency;
use crate::domain::product::Product;
use crate::store::RecordRef;
use crate::store::documents::{DocEdit, Document, Issue, NewDocument, NumberAt};
use crate::store::lines::{LineChange, RecordLines};

/// The product catalogue (SPEC E4): read by everyone, changed by administrators (the
/// service checks).
pub trait Products {
    /// The catalogue by name (the inactive products too with `all`).
    fn products(&self, all: bool) -> Result<Vec<Product>>;

    /// One product by id (`12`, `#12`) or code (case aside): `Rule::NoSuchProduct` otherwise.
    fn product(&self, key: &str) -> Result<Product>;

    /// Adds (`id` 0) or replaces a product; a code another product holds is
    /// `Rule::ProductCodeTaken`.
    fn save_product(&mut self, product: &Product) -> Result<Product>;

    /// Deletes a product; the lines that sold it keep their copy of it. How many lines did.
    fn delete_product(&mut self, id: i64) -> Result<i64>;
}

/// Line items of leads and deals (SPEC E4): a change and the record's amount recomputed from
/// its lines are one transaction.
pub trait LineItems {
    /// A record's lines in order, totalled in its currency (the file's when it has none).
    fn lines(&self, record: RecordRef) -> Result<RecordLines>;

    /// Changes one line (`store::lines::plan`), in `currency` (refused when the record holds
    /// another), and gives the record the gross total of its lines as amount.
    fn change_lines(&mut self, record: RecordRef, currency: Currency, change: &LineChange) -> Result<RecordLines>;
}

/// Quotes, invoices and credit notes (SPEC E5): each change, with the number it gives, is
/// one transaction; numbers are unique and without gaps per kind and year.
pub trait Documents {
    /// Makes a document (numbered now when `new.number` says so), with its lines.
    fn create_document(&mut self, new: &NewDocument) -> Result<Document>;

    /// One document with its lines.
    fn document(&self, id: i64) -> Result<Document>;

    /// Documents, newest first: of one deal, of one kind.
    fn documents(&self, deal: Option<i64>, kind: Option<DocKind>) -> Result<Vec<Document>>;
    /// The numbered documents whose number contains `text` (case aside), newest first: (its
    /// deal, its kind, its number). What search finds by a number typed (`F-2026-0004`).
    fn documents_numbered(&self, text: &str, limit: usize) -> Result<Vec<(i64, DocKind, String)>>;

    /// Sets a status by hand (`domain::document::check_status`); a quote leaving its draft
    /// takes its number (`number`) then.
    fn set_document_status(&mut self, id: i64, status: DocStatus, number: &NumberAt) -> Result<Document>;

    /// Changes a draft's notes or dates.
    fn edit_document(&mut self, id: i64, edit: &DocEdit) -> Result<Document>;

    /// Issues a draft invoice: its next number, its dates.
    fn issue_invoice(&mut self, id: i64, issue: &Issue) -> Result<Document>;

    /// Cancels an issued invoice by a credit note (numbered as `credit` says): both.
    fn cancel_invoice(&mut self, id: i64, credit: &Issue) -> Result<(Document, Document)>;

    /// Deletes a draft.
    fn delete_document(&mut self, id: i64) -> Result<()>;

    /// Says on its deal's history that the document was `event` (rendered, sent).
    fn document_event(&mut self, id: i64, event: &str) -> Result<()>;
}
