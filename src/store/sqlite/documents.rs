//! Quotes, invoices and credit notes in a file (SPEC E5, migration 20). The writer holds the
//! file while it numbers: the counter read, raised and the document written are one
//! transaction, so numbers are unique and continuous however many people issue at once.

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
use rusqlite::{Connection, OptionalExtension, Transaction, params};

const COLUMNS: &str = "id, kind, number, status, deal_id, source_id, client, currency, issue_date, valid_until, \
                       due_date, notes, version, created_at";

fn read(conn: &Connection, r: &rusqlite::Row) -> Result<Document> {
    let kind: String = r.get(1)?;
    let status: String = r.get(3)?;
    let client: String = r.get(6)?;
    let currency: String = r.get(7)?;
    let kind = DocKind::parse(&kind).unwrap_or(DocKind::Quote);
    let id: i64 = r.get(0)?;
    let lines = lines_of(conn, kind.code(), id)?;
    Ok(Document {
        id,
        kind,
        number: r.get(2)?,
        status: DocStatus::parse(&status).unwrap_or(DocStatus::Draft),
        deal_id: r.get(4)?,
        source_id: r.get(5)?,
        client: serde_json::from_str::<Party>(&client).unwrap_or_default(),
        currency: Currency::parse(&currency).unwrap_or(Currency::EUR),
        issue_date: r.get(8)?,
        valid_until: r.get(9)?,
        due_date: r.get(10)?,
        notes: r.get(11)?,
        totals: totals_of(&lines),
        lines,
        version: r.get(12)?,
        created_at: r.get(13)?,
    })
}

fn document_in(conn: &Connection, id: i64, kind: Option<DocKind>) -> Result<Document> {
    let sql = format!("SELECT {COLUMNS} FROM documents WHERE id = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([id])?;
    let doc = match rows.next()? {
        Some(r) => read(conn, r)?,
        None => return Err(StoreError::Rule(Rule::NoSuchDocument { id, kind: kind.unwrap_or(DocKind::Quote) })),
    };
    match kind {
        // A credit note is read by the invoice commands too.
        Some(k) if k != doc.kind && !(k == DocKind::Invoice && doc.kind == DocKind::CreditNote) => {
            Err(StoreError::Rule(Rule::NoSuchDocument { id, kind: k }))
        }
        _ => Ok(doc),
    }
}

/// The next number of `kind` in `at`'s year: the counter raised in this transaction.
fn next_number(tx: &Transaction, kind: DocKind, at: &NumberAt) -> Result<(i64, String)> {
    let seq: i64 = tx
        .prepare_cached(
            "INSERT INTO document_counters (kind, year, last) VALUES (?1, ?2, 1) \
             ON CONFLICT (kind, year) DO UPDATE SET last = last + 1 RETURNING last",
        )?
        .query_row(params![kind.code(), at.year], |r| r.get(0))?;
    Ok((seq, at.number(seq)))
}

/// Writes the deal's history entry and tells the other screens.
fn on_deal(tx: &Transaction, ctx: &WriteCtx, doc: &Document, event: &str) -> Result<()> {
    timeline::add(tx, Entity::Deal, doc.deal_id, TimelineKind::Document, ctx, deal_event(doc, event))?;
    log_change(tx, ctx, Entity::Deal, doc.deal_id)?;
    Ok(())
}

fn create_in(tx: &Transaction, ctx: &WriteCtx, new: &NewDocument) -> Result<Document> {
    let exists: Option<i64> =
        tx.prepare_cached("SELECT id FROM deals WHERE id = ?1")?.query_row([new.deal_id], |r| r.get(0)).optional()?;
    if exists.is_none() {
        return Err(StoreError::NotFound { entity: Entity::Deal, id: new.deal_id });
    }
    let numbered = match &new.number {
        Some(at) => Some((at.year, next_number(tx, new.kind, at)?)),
        None => None,
    };
    let totals = totals_of(&new.lines);
    let client = serde_json::to_string(&new.client).unwrap_or_default();
    tx.prepare_cached(
        "INSERT INTO documents (kind, number, seq_year, seq, status, deal_id, source_id, client, currency, issue_date, \
         valid_until, due_date, notes, net_minor, tax_minor, gross_minor, created_at, created_by, modified_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?17)",
    )?
    .execute(params![
        new.kind.code(),
        numbered.as_ref().map(|(_, (_, n))| n.clone()),
        numbered.as_ref().map(|(y, _)| *y),
        numbered.as_ref().map(|(_, (s, _))| *s),
        new.kind.first_status().code(),
        new.deal_id,
        new.source_id,
        client,
        new.currency.code(),
        new.issue_date,
        new.valid_until,
        new.due_date,
        new.notes,
        totals.net,
        totals.tax,
        totals.gross,
        ctx.now,
        ctx.user_id,
    ])?;
    let id = tx.last_insert_rowid();
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
fn save_state(tx: &Transaction, ctx: &WriteCtx, doc: &Document) -> Result<()> {
    tx.prepare_cached(
        "UPDATE documents SET status = ?2, issue_date = ?3, valid_until = ?4, due_date = ?5, notes = ?6, \
         version = version + 1, modified_at = ?7 WHERE id = ?1",
    )?
    .execute(params![
        doc.id,
        doc.status.code(),
        doc.issue_date,
        doc.valid_until,
        doc.due_date,
        doc.notes,
        ctx.now
    ])?;
    Ok(())
}

fn draft(doc: &Document) -> Result<()> {
    if editable(doc.status) {
        return Ok(());
    }
    Err(StoreError::Rule(Rule::DocumentNotDraft { name: doc.name(), status: doc.status }))
}

impl Documents for Store {
    fn create_document(&mut self, new: &NewDocument) -> Result<Document> {
        self.write(|tx, ctx| create_in(tx, ctx, new))
    }

    fn document(&self, id: i64) -> Result<Document> {
        self.reading(|s| document_in(s.conn(), id, None))
    }

    fn documents(&self, deal: Option<i64>, kind: Option<DocKind>) -> Result<Vec<Document>> {
        self.reading(|s| {
            let conn = s.conn();
            let sql = format!(
                "SELECT {COLUMNS} FROM documents WHERE (?1 IS NULL OR deal_id = ?1) AND (?2 IS NULL OR kind = ?2) \
                 ORDER BY id DESC"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params![deal, kind.map(DocKind::code)])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(read(conn, r)?);
            }
            Ok(out)
        })
    }

    fn documents_numbered(&self, text: &str, limit: usize) -> Result<Vec<(i64, DocKind, String)>> {
        let pattern = format!("%{}%", like_escaped(&text.to_uppercase()));
        self.reading(|s| {
            let mut stmt = s.conn().prepare_cached(
                "SELECT deal_id, kind, number FROM documents \
                 WHERE number IS NOT NULL AND upper(number) LIKE ?1 ESCAPE '\\' ORDER BY id DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![pattern, limit as i64], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (deal, kind, number) = row?;
                out.extend(DocKind::parse(&kind).map(|k| (deal, k, number)));
            }
            Ok(out)
        })
    }

    fn set_document_status(&mut self, id: i64, status: DocStatus, number: &NumberAt) -> Result<Document> {
        self.write(|tx, ctx| {
            let mut doc = document_in(tx, id, None)?;
            check_status(doc.kind, doc.status, status)?;
            // A quote takes its number as it leaves its draft (a draft deleted leaves no gap).
            if doc.number.is_none() && status != DocStatus::Draft {
                let (seq, n) = next_number(tx, doc.kind, number)?;
                tx.prepare_cached("UPDATE documents SET number = ?2, seq_year = ?3, seq = ?4 WHERE id = ?1")?
                    .execute(params![id, n, number.year, seq])?;
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
            let doc = document_in(tx, id, Some(DocKind::Invoice))?;
            if doc.kind != DocKind::Invoice {
                return Err(StoreError::Rule(Rule::NoSuchDocument { id, kind: DocKind::Invoice }));
            }
            draft(&doc)?;
            let (seq, number) = next_number(tx, DocKind::Invoice, &issue.number)?;
            tx.prepare_cached(
                "UPDATE documents SET number = ?2, seq_year = ?3, seq = ?4, status = ?5, issue_date = ?6, due_date = ?7, \
                 version = version + 1, modified_at = ?8 WHERE id = ?1",
            )?
            .execute(params![
                id,
                number,
                issue.number.year,
                seq,
                DocStatus::Issued.code(),
                issue.date,
                issue.due_date,
                ctx.now
            ])?;
            let doc = document_in(tx, id, None)?;
            on_deal(tx, ctx, &doc, "issued")?;
            Ok(doc)
        })
    }

    fn cancel_invoice(&mut self, id: i64, credit: &Issue) -> Result<(Document, Document)> {
        self.write(|tx, ctx| {
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
            let doc = document_in(tx, id, None)?;
            draft(&doc)?;
            let follower: Option<(i64, Option<String>)> = tx
                .prepare_cached("SELECT id, number FROM documents WHERE source_id = ?1 ORDER BY id LIMIT 1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let Some((fid, number)) = follower {
                let follower = number.unwrap_or_else(|| format!("#{fid}"));
                return Err(StoreError::Rule(Rule::DocumentHasFollowers { name: doc.name(), follower }));
            }
            tx.prepare_cached("DELETE FROM line_items WHERE owner = ?1 AND owner_id = ?2")?
                .execute(params![doc.kind.code(), id])?;
            tx.prepare_cached("DELETE FROM documents WHERE id = ?1")?.execute([id])?;
            on_deal(tx, ctx, &doc, "deleted")?;
            Ok(())
        })
    }
}
