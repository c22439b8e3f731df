//! Quotes, invoices and credit notes on PostgreSQL (SPEC E5, migration 10), as
//! `sqlite::documents`. The counter row of a kind and year is locked by the statement that
//! raises it: people issuing at once take turns, and an issue rolled back gives its number
//! back with it.

use super::lines::{lines_of, put_owned};
use super::{Result, Store, WriteCtx, log_change, timeline};
use crate::domain::document::{DocKind, DocStatus, Party, check_status, editable};
use crate::domain::fields::Entity;
use crate::domain::money::Currency;
use crate::domain::timeline::TimelineKind;
use crate::store::documents::{
    DocEdit, Document, Issue, NewDocument, NumberAt, credit_lines, deal_event, like_escaped, totals_of,
};
use crate::store::engine::*;
use crate::store::{Rule, StoreError};
use postgres::GenericClient;

const COLUMNS: &str = "id, kind, number, status, deal_id, source_id, client, currency, issue_date, valid_until, \
                       due_date, notes, version, created_at";

fn read(c: &mut impl GenericClient, r: &postgres::Row) -> Result<Document> {
    let kind = DocKind::parse(&r.get::<_, String>(1)).unwrap_or(DocKind::Quote);
    let id: i64 = r.get(0);
    let lines = lines_of(c, kind.code(), id)?;
    Ok(Document {
        id,
        kind,
        number: r.get(2),
        status: DocStatus::parse(&r.get::<_, String>(3)).unwrap_or(DocStatus::Draft),
        deal_id: r.get(4),
        source_id: r.get(5),
        client: serde_json::from_str::<Party>(&r.get::<_, String>(6)).unwrap_or_default(),
        currency: Currency::parse(&r.get::<_, String>(7)).unwrap_or(Currency::EUR),
        issue_date: r.get(8),
        valid_until: r.get(9),
        due_date: r.get(10),
        notes: r.get(11),
        totals: totals_of(&lines),
        lines,
        version: r.get(12),
        created_at: r.get(13),
    })
}

fn document_in(c: &mut impl GenericClient, id: i64, kind: Option<DocKind>) -> Result<Document> {
    let sql = format!("SELECT {COLUMNS} FROM documents WHERE id = $1");
    let Some(row) = c.query_opt(&sql, &[&id])? else {
        return Err(StoreError::Rule(Rule::NoSuchDocument { id, kind: kind.unwrap_or(DocKind::Quote) }));
    };
    let doc = read(c, &row)?;
    match kind {
        // A credit note is read by the invoice commands too.
        Some(k) if k != doc.kind && !(k == DocKind::Invoice && doc.kind == DocKind::CreditNote) => {
            Err(StoreError::Rule(Rule::NoSuchDocument { id, kind: k }))
        }
        _ => Ok(doc),
    }
}

/// The next number of `kind` in `at`'s year: the counter row raised (and locked) in this
/// transaction.
fn next_number(tx: &mut impl GenericClient, kind: DocKind, at: &NumberAt) -> Result<(i64, String)> {
    let seq: i64 = tx
        .query_one(
            "INSERT INTO document_counters (kind, year, last) VALUES ($1, $2, 1) \
             ON CONFLICT (kind, year) DO UPDATE SET last = document_counters.last + 1 RETURNING last",
            &[&kind.code(), &at.year],
        )?
        .get(0);
    Ok((seq, at.number(seq)))
}

/// Writes the deal's history entry and tells the other screens.
fn on_deal(tx: &mut impl GenericClient, ctx: &WriteCtx, doc: &Document, event: &str) -> Result<()> {
    timeline::add(tx, Entity::Deal, doc.deal_id, TimelineKind::Document, ctx, deal_event(doc, event))?;
    log_change(tx, ctx, Entity::Deal, doc.deal_id)?;
    Ok(())
}

fn create_in(tx: &mut impl GenericClient, ctx: &WriteCtx, new: &NewDocument) -> Result<Document> {
    if tx.query_opt("SELECT id FROM deals WHERE id = $1", &[&new.deal_id])?.is_none() {
        return Err(StoreError::NotFound { entity: Entity::Deal, id: new.deal_id });
    }
    let numbered = match &new.number {
        Some(at) => Some((at.year, next_number(tx, new.kind, at)?)),
        None => None,
    };
    let totals = totals_of(&new.lines);
    let client = serde_json::to_string(&new.client).unwrap_or_default();
    let id: i64 = tx
        .query_one(
            "INSERT INTO documents (kind, number, seq_year, seq, status, deal_id, source_id, client, currency, issue_date, \
             valid_until, due_date, notes, net_minor, tax_minor, gross_minor, created_at, created_by, modified_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $17) RETURNING id",
            &[
                &new.kind.code(),
                &numbered.as_ref().map(|(_, (_, n))| n.clone()),
                &numbered.as_ref().map(|(y, _)| *y),
                &numbered.as_ref().map(|(_, (s, _))| *s),
                &new.kind.first_status().code(),
                &new.deal_id,
                &new.source_id,
                &client,
                &new.currency.code(),
                &new.issue_date,
                &new.valid_until,
                &new.due_date,
                &new.notes,
                &totals.net,
                &totals.tax,
                &totals.gross,
                &ctx.now,
                &ctx.user_id,
            ],
        )?
        .get(0);
    for (i, line) in new.lines.iter().enumerate() {
        put_owned(
            tx,
            new.kind.code(),
            id,
            &crate::domain::product::Line { id: 0, position: i as i64 + 1, ..line.clone() },
        )?;
    }
    let doc = document_in(tx, id, None)?;
    on_deal(tx, ctx, &doc, "created")?;
    Ok(doc)
}

/// Writes a document's status and dates back, its version raised.
fn save_state(tx: &mut impl GenericClient, ctx: &WriteCtx, doc: &Document) -> Result<()> {
    tx.execute(
        "UPDATE documents SET status = $2, issue_date = $3, valid_until = $4, due_date = $5, notes = $6, \
         version = version + 1, modified_at = $7 WHERE id = $1",
        &[&doc.id, &doc.status.code(), &doc.issue_date, &doc.valid_until, &doc.due_date, &doc.notes, &ctx.now],
    )?;
    Ok(())
}

fn draft(doc: &Document) -> Result<()> {
    if editable(doc.status) {
        return Ok(());
    }
    Err(StoreError::Rule(Rule::DocumentNotDraft { name: doc.name(), status: doc.status }))
}

/// Locks a document's row for the rest of the transaction (two changes of one take turns).
fn lock(tx: &mut impl GenericClient, id: i64) -> Result<()> {
    tx.execute("SELECT 1 FROM documents WHERE id = $1 FOR UPDATE", &[&id])?;
    Ok(())
}

impl Documents for Store {
    fn create_document(&mut self, new: &NewDocument) -> Result<Document> {
        self.write(|tx, ctx| create_in(tx, ctx, new))
    }

    fn document(&self, id: i64) -> Result<Document> {
        self.reading(|s| document_in(&mut *s.client(), id, None))
    }

    fn documents(&self, deal: Option<i64>, kind: Option<DocKind>) -> Result<Vec<Document>> {
        self.reading(|s| {
            let mut c = s.client();
            let sql = format!(
                "SELECT {COLUMNS} FROM documents WHERE ($1::bigint IS NULL OR deal_id = $1) \
                 AND ($2::text IS NULL OR kind = $2) ORDER BY id DESC"
            );
            let rows = c.query(&sql, &[&deal, &kind.map(DocKind::code)])?;
            rows.iter().map(|r| read(&mut *c, r)).collect()
        })
    }

    fn documents_numbered(&self, text: &str, limit: usize) -> Result<Vec<(i64, DocKind, String)>> {
        let pattern = format!("%{}%", like_escaped(text));
        self.reading(|s| {
            let rows = s.client().query(
                "SELECT deal_id, kind, number FROM documents \
                 WHERE number ILIKE $1 ORDER BY id DESC LIMIT $2",
                &[&pattern, &(limit as i64)],
            )?;
            Ok(rows
                .iter()
                .filter_map(|r| DocKind::parse(r.get::<_, &str>(1)).map(|k| (r.get(0), k, r.get(2))))
                .collect())
        })
    }

    fn set_document_status(&mut self, id: i64, status: DocStatus, number: &NumberAt) -> Result<Document> {
        self.write(|tx, ctx| {
            lock(tx, id)?;
            let mut doc = document_in(tx, id, None)?;
            check_status(doc.kind, doc.status, status)?;
            // A quote takes its number as it leaves its draft (a draft deleted leaves no gap).
            if doc.number.is_none() && status != DocStatus::Draft {
                let (seq, n) = next_number(tx, doc.kind, number)?;
                tx.execute(
                    "UPDATE documents SET number = $2, seq_year = $3, seq = $4 WHERE id = $1",
                    &[&id, &n, &number.year, &seq],
                )?;
                if doc.issue_date.is_none() {
                    doc.issue_date = Some(number.date.clone());
                }
            }
            doc.status = status;
            save_state(tx, ctx, &doc)?;
            let doc = document_in(tx, id, None)?;
            on_deal(tx, ctx, &doc, "status")?;
            Ok(doc)
        })
    }

    fn edit_document(&mut self, id: i64, edit: &DocEdit) -> Result<Document> {
        self.write(|tx, ctx| {
            lock(tx, id)?;
            let mut doc = document_in(tx, id, None)?;
            draft(&doc)?;
            let cleared = |v: &Option<String>, was: Option<String>| match v {
                Some(t) if t.trim().is_empty() => None,
                Some(t) => Some(t.trim().to_string()),
                None => was,
            };
            doc.notes = cleared(&edit.notes, doc.notes.take());
            doc.valid_until = cleared(&edit.valid_until, doc.valid_until.take());
            doc.due_date = cleared(&edit.due_date, doc.due_date.take());
            save_state(tx, ctx, &doc)?;
            document_in(tx, id, None)
        })
    }

    fn issue_invoice(&mut self, id: i64, issue: &Issue) -> Result<Document> {
        self.write(|tx, ctx| {
            lock(tx, id)?;
            let doc = document_in(tx, id, Some(DocKind::Invoice))?;
            if doc.kind != DocKind::Invoice {
                return Err(StoreError::Rule(Rule::NoSuchDocument { id, kind: DocKind::Invoice }));
            }
            draft(&doc)?;
            let (seq, number) = next_number(tx, DocKind::Invoice, &issue.number)?;
            tx.execute(
                "UPDATE documents SET number = $2, seq_year = $3, seq = $4, status = $5, issue_date = $6, due_date = $7, \
                 version = version + 1, modified_at = $8 WHERE id = $1",
                &[&id, &number, &issue.number.year, &seq, &DocStatus::Issued.code(), &issue.date, &issue.due_date, &ctx.now],
            )?;
            let doc = document_in(tx, id, None)?;
            on_deal(tx, ctx, &doc, "issued")?;
            Ok(doc)
        })
    }

    fn cancel_invoice(&mut self, id: i64, credit: &Issue) -> Result<(Document, Document)> {
        self.write(|tx, ctx| {
            lock(tx, id)?;
            let mut invoice = document_in(tx, id, Some(DocKind::Invoice))?;
            if invoice.kind != DocKind::Invoice
                || !matches!(invoice.status, DocStatus::Issued | DocStatus::Sent | DocStatus::Paid)
            {
                return Err(StoreError::Rule(Rule::DocumentNotDraft { name: invoice.name(), status: invoice.status }));
            }
            let new = NewDocument {
                kind: DocKind::CreditNote,
                deal_id: invoice.deal_id,
                source_id: Some(invoice.id),
                client: invoice.client.clone(),
                currency: invoice.currency,
                lines: credit_lines(&invoice.lines),
                issue_date: Some(credit.date.clone()),
                valid_until: None,
                due_date: None,
                notes: None,
                number: Some(credit.number.clone()),
            };
            let note = create_in(tx, ctx, &new)?;
            invoice.status = DocStatus::Cancelled;
            save_state(tx, ctx, &invoice)?;
            let invoice = document_in(tx, id, None)?;
            on_deal(tx, ctx, &invoice, "cancelled")?;
            Ok((invoice, note))
        })
    }

    fn document_event(&mut self, id: i64, event: &str) -> Result<()> {
        self.write(|tx, ctx| {
            let doc = document_in(tx, id, None)?;
            on_deal(tx, ctx, &doc, event)
        })
    }

    fn delete_document(&mut self, id: i64) -> Result<()> {
        self.write(|tx, ctx| {
            lock(tx, id)?;
            let doc = document_in(tx, id, None)?;
            draft(&doc)?;
            if let Some(r) =
                tx.query_opt("SELECT id, number FROM documents WHERE source_id = $1 ORDER BY id LIMIT 1", &[&id])?
            {
                let follower = r.get::<_, Option<String>>(1).unwrap_or_else(|| format!("#{}", r.get::<_, i64>(0)));
                return Err(StoreError::Rule(Rule::DocumentHasFollowers { name: doc.name(), follower }));
            }
            tx.execute("DELETE FROM line_items WHERE owner = $1 AND owner_id = $2", &[&doc.kind.code(), &id])?;
            tx.execute("DELETE FROM documents WHERE id = $1", &[&id])?;
            on_deal(tx, ctx, &doc, "deleted")?;
            Ok(())
        })
    }
}
