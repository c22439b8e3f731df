//! Quotes, invoices and credit notes (SPEC E5): made from a deal (its lines and client), by
//! whoever may change the deal; numbered from the settings' patterns on the day they leave
//! their draft; our company's details kept in the settings by administrators.

use super::Service;
use crate::domain::access::Action;
use crate::domain::comm::CommKind;
use crate::domain::document::{CompanyDetails, DocKind, DocStatus, Party, check_company, check_pattern};
use crate::domain::fields::Entity;
use crate::domain::{FieldError, Problem};
use crate::io::documents::{Format, RenderContext};
use crate::store::documents::{DocEdit, Document, Issue, NewDocument, NumberAt};
use crate::store::records::{Record, RecordRef, Shown};
use crate::store::{AdminTask, Result, Rule, StoreError};
use chrono::{Datelike, Days, NaiveDate};

/// The settings key of our company's details.
const COMPANY: &str = "company";

/// What an invoice is made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvoiceFrom {
    /// A quote: its lines and client.
    Quote(i64),
    /// A deal: its lines and client, as a quote would take them.
    Deal(i64),
}

fn deal_ref(id: i64) -> RecordRef {
    RecordRef::new(Entity::Deal, id)
}

/// The first e-mail of a record.
fn email_of(r: &Record) -> Option<String> {
    r.comms.iter().find(|c| c.kind == CommKind::Email).map(|c| c.value.clone())
}

impl Service {
    /// Today, in local time.
    fn today(&self) -> NaiveDate {
        crate::domain::when::from_ms(self.now()).with_timezone(&chrono::Local).date_naive()
    }

    /// The numbering of `kind` on `day`: the settings' pattern (or the default), its year.
    fn numbering(&self, kind: DocKind, day: NaiveDate) -> Result<NumberAt> {
        let pattern = self.engine.setting(&kind.pattern_key())?.unwrap_or_else(|| kind.default_pattern().to_string());
        Ok(NumberAt { pattern, year: day.year(), date: day.to_string() })
    }

    /// Our company's details (empty until set).
    pub fn company_details(&self) -> Result<CompanyDetails> {
        Ok(self.engine.setting(COMPANY)?.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default())
    }

    /// Sets our company's details (administrators only); a SIREN or SIRET of the wrong
    /// length is refused, naming it.
    pub fn set_company_details(&mut self, details: &CompanyDetails) -> Result<()> {
        self.require_admin(AdminTask::ChangeCompanyDetails)?;
        check_company(details)?;
        let json = serde_json::to_string(details).unwrap_or_default();
        self.engine.set_setting(COMPANY, &json)
    }

    /// The pattern the numbers of `kind` follow.
    pub fn numbering_pattern(&self, kind: DocKind) -> Result<String> {
        Ok(self.numbering(kind, self.today())?.pattern)
    }

    /// Sets the pattern of `kind`'s numbers (administrators only): `{year}`, `{seq}`,
    /// `{seq:05}`; one without `{seq}` is refused.
    pub fn set_numbering_pattern(&mut self, kind: DocKind, pattern: &str) -> Result<()> {
        self.require_admin(AdminTask::ChangeCompanyDetails)?;
        check_pattern(pattern.trim())?;
        self.engine.set_setting(&kind.pattern_key(), pattern.trim())
    }

    /// The client of a deal: its company (with the contact to the attention of), or its
    /// contact.
    fn client_of(&self, deal: &Record) -> Result<Party> {
        let linked = |key: &str| match deal.get(key) {
            Some(Shown::Ref(r)) => Some(r.id),
            _ => None,
        };
        let company = linked("company").map(|id| self.get(RecordRef::new(Entity::Company, id))).transpose()?;
        let contact = linked("contact").map(|id| self.get(RecordRef::new(Entity::Contact, id))).transpose()?;
        let text = |r: &Record, key: &str| Some(r.input_text(key)).filter(|t| !t.trim().is_empty());
        Ok(match (&company, &contact) {
            (Some(c), person) => Party {
                name: c.title.clone(),
                address: text(c, "address"),
                email: email_of(c).or_else(|| person.as_ref().and_then(email_of)),
                contact: person.as_ref().map(|p| p.title.clone()),
                ..Default::default()
            },
            (None, Some(p)) => {
                Party { name: p.title.clone(), address: text(p, "address"), email: email_of(p), ..Default::default() }
            }
            (None, None) => Party { name: deal.title.clone(), ..Default::default() },
        })
    }

    /// A new document of `kind` from deal `deal_id`: its lines (refused without), client and
    /// currency.
    fn document_of_deal(&self, kind: DocKind, deal_id: i64) -> Result<NewDocument> {
        let deal = self.get(deal_ref(deal_id))?;
        let lines = self.engine.lines(deal_ref(deal_id))?;
        if lines.lines.is_empty() {
            return Err(StoreError::Rule(Rule::NothingToBill { id: deal_id }));
        }
        let today = self.today();
        Ok(NewDocument {
            kind,
            deal_id,
            source_id: None,
            client: self.client_of(&deal)?,
            currency: lines.currency,
            lines: lines.lines,
            issue_date: None,
            valid_until: (kind == DocKind::Quote).then(|| (today + Days::new(30)).to_string()),
            due_date: None,
            notes: None,
            number: None,
        })
    }

    /// A draft quote of a deal (its lines copied).
    pub fn add_quote(&mut self, deal_id: i64) -> Result<Document> {
        self.require(Action::Update, deal_ref(deal_id))?;
        let new = self.document_of_deal(DocKind::Quote, deal_id)?;
        self.engine.create_document(&new)
    }

    /// A draft invoice of a quote (its lines and client copied) or of a deal.
    pub fn add_invoice(&mut self, from: InvoiceFrom) -> Result<Document> {
        let new = match from {
            InvoiceFrom::Deal(deal_id) => {
                self.require(Action::Update, deal_ref(deal_id))?;
                self.document_of_deal(DocKind::Invoice, deal_id)?
            }
            InvoiceFrom::Quote(id) => {
                let quote = self.document_of(id, DocKind::Quote)?;
                self.require(Action::Update, deal_ref(quote.deal_id))?;
                // One invoice per quote, unless the one made was cancelled.
                let made = self.engine.documents(Some(quote.deal_id), Some(DocKind::Invoice))?;
                if let Some(invoice) = made.iter().find(|d| d.source_id == Some(id) && d.status != DocStatus::Cancelled)
                {
                    return Err(StoreError::Rule(Rule::AlreadyInvoiced {
                        quote: quote.name(),
                        invoice: invoice.name(),
                    }));
                }
                NewDocument {
                    kind: DocKind::Invoice,
                    deal_id: quote.deal_id,
                    source_id: Some(quote.id),
                    client: quote.client,
                    currency: quote.currency,
                    lines: quote.lines,
                    issue_date: None,
                    valid_until: None,
                    due_date: None,
                    notes: quote.notes,
                    number: None,
                }
            }
        };
        self.engine.create_document(&new)
    }

    /// A document of `kind` (an invoice's commands read credit notes too), if its deal is
    /// one the user sees.
    pub fn document_of(&self, id: i64, kind: DocKind) -> Result<Document> {
        // Not found is said of the kind the command works on.
        let doc = self.engine.document(id).map_err(|e| match e {
            StoreError::Rule(Rule::NoSuchDocument { .. }) | StoreError::NotFound { .. } => {
                StoreError::Rule(Rule::NoSuchDocument { id, kind })
            }
            e => e,
        })?;
        let fits = doc.kind == kind || (kind == DocKind::Invoice && doc.kind == DocKind::CreditNote);
        if !fits {
            return Err(StoreError::Rule(Rule::NoSuchDocument { id, kind }));
        }
        self.require_visible(deal_ref(doc.deal_id)).map_err(|_| StoreError::Rule(Rule::NoSuchDocument { id, kind }))?;
        Ok(doc)
    }

    /// Documents of one deal or all, of one kind (an invoice's list holds credit notes too),
    /// newest first: those of deals the user sees.
    pub fn documents(&self, deal: Option<i64>, kind: Option<DocKind>) -> Result<Vec<Document>> {
        if let Some(d) = deal {
            self.require_visible(deal_ref(d))?;
        }
        let mut docs = self.engine.documents(deal, None)?;
        docs.retain(|d| match kind {
            Some(DocKind::Invoice) => matches!(d.kind, DocKind::Invoice | DocKind::CreditNote),
            Some(k) => d.kind == k,
            None => true,
        });
        let deals: Vec<i64> = docs.iter().map(|d| d.deal_id).collect();
        let seen = self.engine.seen_among(Entity::Deal, &deals, &self.sight()?)?;
        docs.retain(|d| seen.contains(&d.deal_id));
        Ok(docs)
    }

    /// Documents to export (`export --entity invoice…`): as `documents`, for a user who may
    /// export deals, limited to the deals they may export.
    pub fn export_documents(&self, kind: Option<DocKind>) -> Result<Vec<Document>> {
        self.require_any(Action::Export, crate::domain::access::Subject::from(Entity::Deal))?;
        let mut docs = self.documents(None, kind)?;
        let deals: Vec<i64> = docs.iter().map(|d| d.deal_id).collect();
        let exportable = self.engine.seen_among(Entity::Deal, &deals, &self.sight_to(Action::Export)?)?;
        docs.retain(|d| exportable.contains(&d.deal_id));
        Ok(docs)
    }

    /// Sets a document's status by hand (quote: sent, approved, declined, draft; invoice:
    /// sent, paid); a quote sent takes its number.
    pub fn set_document_status(&mut self, id: i64, kind: DocKind, status: DocStatus) -> Result<Document> {
        let doc = self.document_of(id, kind)?;
        self.require(Action::Update, deal_ref(doc.deal_id))?;
        let number = self.numbering(doc.kind, self.today())?;
        self.engine.set_document_status(id, status, &number)
    }

    /// Changes a draft's notes or dates (dates as typed: `2026-12-31`, `31/12/2026`).
    pub fn edit_document(&mut self, id: i64, kind: DocKind, edit: &DocEdit) -> Result<Document> {
        let doc = self.document_of(id, kind)?;
        self.require(Action::Update, deal_ref(doc.deal_id))?;
        let day = |field: &str, v: &Option<String>| -> Result<Option<String>> {
            Ok(match v.as_deref().map(str::trim) {
                Some("") => Some(String::new()),
                Some(t) => Some(crate::domain::when::read_date(field, t)?.to_string()),
                None => None,
            })
        };
        let edit = DocEdit {
            notes: edit.notes.clone(),
            valid_until: day("valid-until", &edit.valid_until)?,
            due_date: day("due-date", &edit.due_date)?,
        };
        self.engine.edit_document(id, &edit)
    }

    /// Issues a draft invoice: today's date, the due date our payment terms give, the next
    /// number of its year.
    pub fn issue_invoice(&mut self, id: i64) -> Result<Document> {
        let doc = self.document_of(id, DocKind::Invoice)?;
        self.require(Action::Update, deal_ref(doc.deal_id))?;
        // An invoice names its buyer (French law): a deal without a client is not invoiced.
        let deal = self.get(deal_ref(doc.deal_id))?;
        let linked = |key: &str| matches!(deal.get(key), Some(crate::store::records::Shown::Ref(_)));
        if doc.status == DocStatus::Draft && !linked("company") && !linked("contact") {
            return Err(StoreError::Rule(Rule::NoClient { deal: doc.deal_id }));
        }
        let today = self.today();
        let days = self.company_details()?.payment_days();
        let issue = Issue {
            date: today.to_string(),
            due_date: (today + Days::new(u64::from(days))).to_string(),
            number: self.numbering(DocKind::Invoice, today)?,
        };
        self.engine.issue_invoice(id, &issue)
    }

    /// Cancels an issued invoice by a credit note (numbered today): the invoice and the note.
    pub fn cancel_invoice(&mut self, id: i64) -> Result<(Document, Document)> {
        let doc = self.document_of(id, DocKind::Invoice)?;
        self.require(Action::Update, deal_ref(doc.deal_id))?;
        let why = match (doc.kind, doc.status) {
            (DocKind::CreditNote, _) => Some("credit_note"),
            (_, DocStatus::Draft) => Some("draft"),
            (_, DocStatus::Cancelled) => Some("cancelled"),
            _ => None,
        };
        if let Some(why) = why {
            return Err(StoreError::Rule(Rule::NotCancellable { name: doc.name(), why }));
        }
        let today = self.today();
        let credit = Issue {
            date: today.to_string(),
            due_date: today.to_string(),
            number: self.numbering(DocKind::CreditNote, today)?,
        };
        self.engine.cancel_invoice(id, &credit)
    }

    /// Deletes a draft.
    pub fn delete_document(&mut self, id: i64, kind: DocKind) -> Result<()> {
        let doc = self.document_of(id, kind)?;
        self.require(Action::Update, deal_ref(doc.deal_id))?;
        if let (DocKind::Quote, Some(number)) = (doc.kind, &doc.number) {
            return Err(StoreError::Rule(Rule::NumberedQuote { name: number.clone() }));
        }
        self.engine.delete_document(id)
    }

    /// What rendering `doc` in `lang` needs: our details, the number of the document it
    /// comes from, today, the user's own templates.
    fn render_context(&self, doc: &Document, lang: crate::i18n::Lang) -> Result<RenderContext> {
        let source_number = match doc.source_id {
            Some(s) => self.engine.document(s)?.number,
            None => None,
        };
        Ok(RenderContext {
            lang,
            company: self.company_details()?,
            source_number,
            today: self.today().to_string(),
            own_templates: crate::io::documents::own_templates_dir(),
        })
    }

    /// A document written out in `format` and `lang` (its deal's history says so): the bytes,
    /// and the document.
    pub fn render_document(
        &mut self,
        id: i64,
        kind: DocKind,
        format: Format,
        lang: crate::i18n::Lang,
    ) -> Result<(Vec<u8>, Document)> {
        let doc = self.document_of(id, kind)?;
        let ctx = self.render_context(&doc, lang)?;
        let bytes = crate::io::documents::render(&doc, format, &ctx)?;
        self.engine.document_event(id, "rendered")?;
        Ok((bytes, doc))
    }

    /// The e-mail sending a document (RFC 5322, its PDF attached) to `to` or the client's
    /// e-mail, and the document marked sent: a draft quote is sent (and numbered); an issued
    /// invoice is sent; a draft invoice is refused (issue it first).
    pub fn send_document(
        &mut self,
        id: i64,
        kind: DocKind,
        to: Option<&str>,
        lang: crate::i18n::Lang,
    ) -> Result<(String, Document)> {
        let doc = self.document_of(id, kind)?;
        self.require(Action::Update, deal_ref(doc.deal_id))?;
        if doc.status == DocStatus::Cancelled {
            return Err(StoreError::Rule(Rule::DocumentCancelled { name: doc.name() }));
        }
        if doc.kind == DocKind::Invoice && doc.status == DocStatus::Draft {
            return Err(FieldError::new(
                "status",
                Problem::refused("send_draft_invoice", &[("id", &doc.id.to_string())]),
            )
            .into());
        }
        let to = match to.map(str::trim).filter(|t| !t.is_empty()).or(doc.client.email.as_deref()) {
            Some(t) if email_address::EmailAddress::is_valid(t) => t.to_string(),
            Some(t) => return Err(FieldError::new("to", Problem::Email { value: t.to_string() }).into()),
            None => {
                return Err(FieldError::new(
                    "to",
                    Problem::refused("document_no_email", &[("client", &doc.client.name)]),
                )
                .into());
            }
        };
        // Sent first: a quote takes its number, which the e-mail and its PDF carry.
        let number = self.numbering(doc.kind, self.today())?;
        let doc = match (doc.kind, doc.status) {
            (DocKind::Quote, DocStatus::Draft) | (DocKind::Invoice, DocStatus::Issued) => {
                self.engine.set_document_status(id, DocStatus::Sent, &number)?
            }
            _ => doc,
        };
        let ctx = self.render_context(&doc, lang)?;
        let pdf = crate::io::documents::render(&doc, Format::Pdf, &ctx)?;
        let file_name = format!("{}.pdf", crate::io::documents::file_stem(&doc));
        let eml = crate::io::documents::mail(&doc, &ctx, &to, &pdf, &file_name)?;
        self.engine.document_event(id, "sent")?;
        Ok((eml, doc))
    }

    /// Refuses deleting a deal documents were made from (an issued invoice is the
    /// accountant's; a draft is deleted first).
    pub(super) fn require_no_documents(&self, record: RecordRef) -> Result<()> {
        if record.entity != Entity::Deal {
            return Ok(());
        }
        let count = self.engine.documents(Some(record.id), None)?.len() as i64;
        if count > 0 {
            return Err(StoreError::Rule(Rule::DealHasDocuments { id: record.id, count }));
        }
        Ok(())
    }
}
