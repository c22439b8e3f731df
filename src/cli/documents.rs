//! `prospect quote …`, `prospect invoice …` and `prospect company-details …`: documents made
//! from a deal (SPEC E5), numbered as they leave their draft, and our company's details
//! they carry.

use super::args::parse_id;
use super::{Session, output};
use crate::domain::document::{DocKind, DocStatus};
use crate::i18n::tr;
use crate::service::InvoiceFrom;
use crate::store::documents::{DocEdit, Document};
use anyhow::Context;
use clap::{Args, Subcommand};
use serde_json::{Value as Json, json};

/// What `edit` changes on a draft.
#[derive(Args, Debug, Clone, Default)]
pub struct DocEditFlags {
    /// Notes printed on the document (empty clears them).
    #[arg(long)]
    pub notes: Option<String>,
    /// A quote's validity (2026-12-31, 31/12/2026; empty clears it).
    #[arg(long = "valid-until")]
    pub valid_until: Option<String>,
    /// An invoice's due date (empty clears it).
    #[arg(long = "due-date")]
    pub due_date: Option<String>,
}

/// Where and how `render` writes a document.
#[derive(Args, Debug, Clone)]
pub struct RenderFlags {
    /// Document id.
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// pdf, html or md (default: from the --out file's extension, else pdf).
    #[arg(long)]
    pub format: Option<String>,
    /// The file written (default: the document's number and the format's extension, here).
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
}

/// Where `send` writes the e-mail.
#[derive(Args, Debug, Clone)]
pub struct SendFlags {
    /// Document id.
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// The .eml file written (open it in a mail client, or `sendmail -t < FILE`).
    #[arg(long)]
    pub out: std::path::PathBuf,
    /// The address it goes to (default: the client's e-mail on the document).
    #[arg(long)]
    pub to: Option<String>,
}

/// `list` filters.
#[derive(Args, Debug, Clone, Default)]
pub struct DocListFlags {
    /// Only this deal's.
    #[arg(long, value_parser = parse_id)]
    pub deal: Option<i64>,
    /// Only in this status (draft, sent, approved, declined, issued, paid, cancelled).
    #[arg(long)]
    pub status: Option<String>,
}

/// Quote commands.
#[derive(Subcommand, Debug)]
pub enum QuoteCmd {
    /// Make a draft quote of a deal (its lines and client copied).
    Add {
        /// The deal.
        #[arg(long, value_parser = parse_id)]
        deal: i64,
    },
    /// Quotes, newest first.
    List(DocListFlags),
    /// One quote with its lines and totals.
    Show {
        /// Quote id.
        #[arg(value_parser = parse_id)]
        id: i64,
    },
    /// Change a draft's notes or validity.
    Edit {
        /// Quote id.
        #[arg(value_parser = parse_id)]
        id: i64,
        /// What changes.
        #[command(flatten)]
        flags: DocEditFlags,
    },
    /// Set its status: sent, approved, declined (or draft again); sent, it takes its number.
    Status {
        /// Quote id.
        #[arg(value_parser = parse_id)]
        id: i64,
        /// The status.
        status: String,
    },
    /// Delete a draft.
    Delete {
        /// Quote id.
        #[arg(value_parser = parse_id)]
        id: i64,
    },
    /// Write it as PDF, HTML or Markdown from its template (--lang fr for French).
    Render(RenderFlags),
    /// Write the e-mail sending it (its PDF attached) and mark it sent: numbered if a draft.
    Send(SendFlags),
}

/// Invoice commands (credit notes are listed and shown with them).
#[derive(Subcommand, Debug)]
pub enum InvoiceCmd {
    /// Make a draft invoice of a quote or of a deal (lines and client copied).
    #[command(group(clap::ArgGroup::new("from").required(true).args(["quote", "deal"])))]
    Add {
        /// From this quote.
        #[arg(long, value_parser = parse_id)]
        quote: Option<i64>,
        /// From this deal.
        #[arg(long, value_parser = parse_id)]
        deal: Option<i64>,
    },
    /// Invoices and credit notes, newest first.
    List(DocListFlags),
    /// One invoice or credit note with its lines and totals.
    Show {
        /// Invoice id.
        #[arg(value_parser = parse_id)]
        id: i64,
    },
    /// Change a draft's notes or due date.
    Edit {
        /// Invoice id.
        #[arg(value_parser = parse_id)]
        id: i64,
        /// What changes.
        #[command(flatten)]
        flags: DocEditFlags,
    },
    /// Issue a draft: the next number of the year, today's date, the due date of the payment
    /// terms. An issued invoice is no longer changed or deleted.
    Issue {
        /// Invoice id.
        #[arg(value_parser = parse_id)]
        id: i64,
    },
    /// Set its status: sent, paid.
    Status {
        /// Invoice id.
        #[arg(value_parser = parse_id)]
        id: i64,
        /// The status.
        status: String,
    },
    /// Cancel an issued invoice: a credit note of its own number takes it back.
    Cancel {
        /// Invoice id.
        #[arg(value_parser = parse_id)]
        id: i64,
    },
    /// Delete a draft.
    Delete {
        /// Invoice id.
        #[arg(value_parser = parse_id)]
        id: i64,
    },
    /// Write it (or a credit note) as PDF, HTML or Markdown from its template.
    Render(RenderFlags),
    /// Write the e-mail sending an issued invoice (its PDF attached) and mark it sent.
    Send(SendFlags),
}

/// Our company's details on documents (administrators change them).
#[derive(Subcommand, Debug)]
pub enum CompanyCmd {
    /// Show them, with the numbering patterns.
    Show,
    /// Set some of them (the others stay; an empty value clears one).
    Set(Box<CompanyFlags>),
}

/// Our company's details as flags.
#[derive(Args, Debug, Clone, Default)]
pub struct CompanyFlags {
    /// Company name.
    #[arg(long)]
    pub name: Option<String>,
    /// Legal form (SAS, SARL…), with its capital if you like.
    #[arg(long = "legal-form")]
    pub legal_form: Option<String>,
    /// Postal address (\n for a new line).
    #[arg(long)]
    pub address: Option<String>,
    /// SIREN (9 digits).
    #[arg(long)]
    pub siren: Option<String>,
    /// SIRET (14 digits).
    #[arg(long)]
    pub siret: Option<String>,
    /// Intra-community VAT number.
    #[arg(long)]
    pub vat: Option<String>,
    /// E-mail documents are sent from.
    #[arg(long)]
    pub email: Option<String>,
    /// IBAN.
    #[arg(long)]
    pub iban: Option<String>,
    /// BIC.
    #[arg(long)]
    pub bic: Option<String>,
    /// Days from issue to due date (default 30).
    #[arg(long = "payment-days", allow_hyphen_values = true, value_parser = super::args::whole::<u32>("payment-days", 0, 365))]
    pub payment_days: Option<u32>,
    /// The late-payment penalties' text printed on invoices.
    #[arg(long = "late-payment")]
    pub late_payment: Option<String>,
    /// Pattern of quote numbers ({year}, {seq}, {seq:05}).
    #[arg(long = "quote-pattern")]
    pub quote_pattern: Option<String>,
    /// Pattern of invoice numbers.
    #[arg(long = "invoice-pattern")]
    pub invoice_pattern: Option<String>,
    /// Pattern of credit note numbers.
    #[arg(long = "credit-note-pattern")]
    pub credit_note_pattern: Option<String>,
}

/// Whether a command writes.
pub fn quote_writes(c: &QuoteCmd) -> bool {
    !matches!(c, QuoteCmd::List(_) | QuoteCmd::Show { .. })
}

/// Whether a command writes.
pub fn invoice_writes(c: &InvoiceCmd) -> bool {
    !matches!(c, InvoiceCmd::List(_) | InvoiceCmd::Show { .. })
}

/// Whether a command writes.
pub fn company_writes(c: &CompanyCmd) -> bool {
    matches!(c, CompanyCmd::Set(_))
}

fn kind_word(kind: DocKind) -> String {
    tr(&format!("rule.doc_{}", kind.code()), &[])
}

/// A sentence's first word with its capital.
fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn status_word(kind: DocKind, status: DocStatus) -> String {
    crate::present::doc_status(crate::i18n::lang(), kind, status)
}

fn status_of(text: &str, kind: DocKind) -> anyhow::Result<DocStatus> {
    DocStatus::parse(text).ok_or_else(|| {
        // The words of this kind's statuses only (a quote is never "paid").
        let accepted = kind.statuses().iter().map(|s| s.code().to_string()).collect();
        crate::domain::FieldError::new(
            "status",
            crate::domain::Problem::Choice { value: text.trim().to_string(), accepted },
        )
        .into()
    })
}

/// Prints a document: its head, client, lines and totals.
fn print(d: &Document) {
    println!("{} {} [{}]", capital(&kind_word(d.kind)), d.name(), status_word(d.kind, d.status));
    let client = match &d.client.contact {
        Some(c) => format!("{} ({c})", d.client.name),
        None => d.client.name.clone(),
    };
    println!("  {:<18} {}", tr("document.client", &[]), output::safe(&client));
    println!("  {:<18} #{}", tr("entity.deal", &[]), d.deal_id);
    for (key, value) in [("issue_date", &d.issue_date), ("valid_until", &d.valid_until), ("due_date", &d.due_date)] {
        if let Some(day) = value.as_deref().and_then(crate::domain::when::parse_date) {
            println!("  {:<18} {}", tr(&format!("document.{key}"), &[]), crate::present::day(crate::i18n::lang(), day));
        }
    }
    if let Some(n) = &d.notes {
        println!("  {:<18} {}", tr("document.notes", &[]), output::safe(n));
    }
    super::lines::print_items(&d.lines, &d.totals, d.currency);
}

/// Prints documents one a line.
pub(super) fn print_list(docs: &[Document]) {
    if docs.is_empty() {
        println!("{}", tr("document.none", &[]));
        return;
    }
    let headers: Vec<String> = ["id", "kind", "number", "status", "deal", "client", "total", "date"]
        .map(|k| tr(&format!("document.col_{k}"), &[]))
        .into();
    let rows: Vec<Vec<String>> = docs
        .iter()
        .map(|d| {
            vec![
                d.id.to_string(),
                kind_word(d.kind),
                d.number.clone().unwrap_or_default(),
                status_word(d.kind, d.status),
                format!("#{}", d.deal_id),
                d.client.name.clone(),
                output::money(d.totals.gross, Some(d.currency.code())),
                d.issue_date
                    .as_deref()
                    .and_then(crate::domain::when::parse_date)
                    .map(|day| crate::present::day(crate::i18n::lang(), day))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    output::table(&headers, &rows);
}

/// Says what was done (text) or gives the document (`--json`).
fn answer(s: &Session, d: &Document, said: Option<String>) {
    if s.json {
        output::json(&d.to_json());
        return;
    }
    if let Some(said) = said {
        println!("{}", capital(&said));
    }
    print(d);
}

fn listed(s: &Session, docs: Vec<Document>, status: Option<String>, kind: DocKind) -> anyhow::Result<()> {
    let status = status.as_deref().map(|t| status_of(t, kind)).transpose()?;
    let docs: Vec<Document> = docs.into_iter().filter(|d| status.is_none_or(|st| d.status == st)).collect();
    if s.json {
        output::json(&Json::Array(docs.iter().map(Document::to_json).collect()));
    } else {
        print_list(&docs);
    }
    Ok(())
}

fn said(key: &str, d: &Document) -> Option<String> {
    let kind = kind_word(d.kind);
    Some(tr(key, &[("kind", &kind), ("entity", &kind), ("name", &d.name()), ("deal", &d.deal_id.to_string())]))
}

fn edit_of(f: DocEditFlags) -> DocEdit {
    DocEdit { notes: f.notes, valid_until: f.valid_until, due_date: f.due_date }
}

/// Runs a quote command.
pub fn run_quote(s: &mut Session, c: QuoteCmd) -> anyhow::Result<()> {
    let k = DocKind::Quote;
    let (d, key) = match c {
        QuoteCmd::List(f) => return listed(s, s.store.documents(f.deal, Some(k))?, f.status, k),
        QuoteCmd::Show { id } => (s.store.document_of(id, k)?, None),
        QuoteCmd::Add { deal } => (s.store.add_quote(deal)?, Some("document.added")),
        QuoteCmd::Edit { id, flags } => (s.store.edit_document(id, k, &edit_of(flags))?, Some("document.changed")),
        QuoteCmd::Status { id, status } => {
            (s.store.set_document_status(id, k, status_of(&status, k)?)?, Some("document.status_set"))
        }
        QuoteCmd::Render(f) => return render(s, k, f),
        QuoteCmd::Send(f) => return send(s, k, f),
        QuoteCmd::Delete { id } => {
            let d = s.store.document_of(id, k)?;
            s.store.delete_document(id, k)?;
            return deleted(s, &d);
        }
    };
    let said = key.and_then(|key| said(key, &d));
    answer(s, &d, said);
    Ok(())
}

/// `render`: the document written where `--out` says, in the format asked or its extension's.
fn render(s: &mut Session, kind: DocKind, f: RenderFlags) -> anyhow::Result<()> {
    use crate::io::documents::Format;
    let format = match (&f.format, &f.out) {
        (Some(text), _) => Format::parse(text).ok_or_else(|| {
            let accepted = ["pdf", "html", "md"].map(String::from).to_vec();
            crate::domain::FieldError::new("format", crate::domain::Problem::Choice { value: text.clone(), accepted })
        })?,
        (None, Some(out)) => out.extension().and_then(|e| Format::parse(&e.to_string_lossy())).unwrap_or(Format::Pdf),
        (None, None) => Format::Pdf,
    };
    let (bytes, doc) = s.store.render_document(f.id, kind, format, crate::i18n::lang())?;
    let out = f.out.unwrap_or_else(|| {
        std::path::PathBuf::from(format!("{}.{}", crate::io::documents::file_stem(&doc), format.extension()))
    });
    let mut file =
        crate::files::create(s.store.path(), &out).with_context(|| format!("{}: cannot write", out.display()))?;
    std::io::Write::write_all(&mut file, &bytes).with_context(|| format!("{}: cannot write", out.display()))?;
    if s.json {
        output::json(
            &json!({"document": doc.id, "number": doc.number, "format": format.extension(), "out": out, "bytes": bytes.len()}),
        );
    } else {
        let said = tr(
            "document.rendered",
            &[("kind", &kind_word(doc.kind)), ("name", &doc.name()), ("out", &out.display().to_string())],
        );
        println!("{}", capital(&said));
    }
    Ok(())
}

/// `send`: the e-mail written to `--out`, the document marked sent.
fn send(s: &mut Session, kind: DocKind, f: SendFlags) -> anyhow::Result<()> {
    let (eml, doc) = s.store.send_document(f.id, kind, f.to.as_deref(), crate::i18n::lang())?;
    let mut file =
        crate::files::create(s.store.path(), &f.out).with_context(|| format!("{}: cannot write", f.out.display()))?;
    std::io::Write::write_all(&mut file, eml.as_bytes())
        .with_context(|| format!("{}: cannot write", f.out.display()))?;
    if s.json {
        output::json(&json!({"document": doc.to_json(), "out": f.out}));
    } else {
        let kind = kind_word(doc.kind);
        let out = f.out.display().to_string();
        let said = tr("document.sent", &[("kind", &kind), ("entity", &kind), ("name", &doc.name()), ("out", &out)]);
        println!("{}", capital(&said));
    }
    Ok(())
}

fn deleted(s: &Session, d: &Document) -> anyhow::Result<()> {
    if s.json {
        output::json(&json!({"deleted": d.id, "kind": d.kind.code()}));
    } else if let Some(said) = said("document.deleted", d) {
        println!("{}", capital(&said));
    }
    Ok(())
}

/// Runs an invoice command.
pub fn run_invoice(s: &mut Session, c: InvoiceCmd) -> anyhow::Result<()> {
    let k = DocKind::Invoice;
    let (d, key) = match c {
        InvoiceCmd::List(f) => return listed(s, s.store.documents(f.deal, Some(k))?, f.status, k),
        InvoiceCmd::Show { id } => (s.store.document_of(id, k)?, None),
        InvoiceCmd::Add { quote, deal } => {
            let from = match (quote, deal) {
                (Some(q), _) => InvoiceFrom::Quote(q),
                (None, Some(d)) => InvoiceFrom::Deal(d),
                (None, None) => anyhow::bail!("--quote ID or --deal ID"),
            };
            (s.store.add_invoice(from)?, Some("document.added"))
        }
        InvoiceCmd::Edit { id, flags } => (s.store.edit_document(id, k, &edit_of(flags))?, Some("document.changed")),
        InvoiceCmd::Issue { id } => (s.store.issue_invoice(id)?, Some("document.issued")),
        InvoiceCmd::Status { id, status } => {
            (s.store.set_document_status(id, k, status_of(&status, k)?)?, Some("document.status_set"))
        }
        InvoiceCmd::Cancel { id } => {
            let (invoice, note) = s.store.cancel_invoice(id)?;
            if s.json {
                output::json(&json!({"invoice": invoice.to_json(), "credit_note": note.to_json()}));
                return Ok(());
            }
            let said = tr("document.cancelled", &[("name", &invoice.name()), ("note", &note.name())]);
            answer(s, &note, Some(said));
            return Ok(());
        }
        InvoiceCmd::Render(f) => return render(s, k, f),
        InvoiceCmd::Send(f) => return send(s, k, f),
        InvoiceCmd::Delete { id } => {
            let d = s.store.document_of(id, k)?;
            s.store.delete_document(id, k)?;
            return deleted(s, &d);
        }
    };
    let said = key.and_then(|key| said(key, &d));
    answer(s, &d, said);
    Ok(())
}

/// Runs a company-details command.
pub fn run_company(s: &mut Session, c: CompanyCmd) -> anyhow::Result<()> {
    if let CompanyCmd::Set(f) = c {
        let f = *f;
        let mut d = s.store.company_details()?;
        let set = |slot: &mut Option<String>, v: Option<String>| {
            if let Some(v) = v {
                let v = v.replace("\\n", "\n").trim().to_string();
                *slot = Some(v).filter(|v| !v.is_empty());
            }
        };
        if let Some(name) = f.name {
            d.party.name = name.trim().to_string();
        }
        set(&mut d.party.legal_form, f.legal_form);
        set(&mut d.party.address, f.address);
        set(&mut d.party.siren, f.siren);
        set(&mut d.party.siret, f.siret);
        set(&mut d.party.vat, f.vat);
        set(&mut d.party.email, f.email);
        set(&mut d.iban, f.iban);
        set(&mut d.bic, f.bic);
        set(&mut d.late_payment, f.late_payment);
        if f.payment_days.is_some() {
            d.payment_days = f.payment_days;
        }
        for (kind, pattern) in [
            (DocKind::Quote, f.quote_pattern),
            (DocKind::Invoice, f.invoice_pattern),
            (DocKind::CreditNote, f.credit_note_pattern),
        ] {
            if let Some(p) = pattern {
                s.store.set_numbering_pattern(kind, &p)?;
            }
        }
        s.store.set_company_details(&d)?;
        if !s.json {
            println!("{}", tr("document.company_set", &[]));
        }
    }
    let d = s.store.company_details()?;
    let patterns: Vec<(DocKind, String)> =
        DocKind::ALL.into_iter().map(|k| Ok((k, s.store.numbering_pattern(k)?))).collect::<anyhow::Result<_>>()?;
    if s.json {
        let mut j = serde_json::to_value(&d).unwrap_or_default();
        j["numbering"] = patterns.iter().map(|(k, p)| (k.code().to_string(), Json::from(p.clone()))).collect();
        j["payment_days"] = d.payment_days().into();
        output::json(&j);
        return Ok(());
    }
    let p = &d.party;
    let rows: Vec<(&str, Option<String>)> = vec![
        ("name", Some(p.name.clone()).filter(|n| !n.is_empty())),
        ("legal_form", p.legal_form.clone()),
        ("address", p.address.clone()),
        ("siren", p.siren.clone()),
        ("siret", p.siret.clone()),
        ("vat", p.vat.clone()),
        ("email", p.email.clone()),
        ("iban", d.iban.clone()),
        ("bic", d.bic.clone()),
        ("payment_days", Some(d.payment_days().to_string())),
        ("late_payment", d.late_payment.clone()),
    ];
    for (key, value) in rows {
        let v = value.unwrap_or_else(|| "-".into()).replace('\n', "\n                       ");
        println!("  {:<20} {}", tr(&format!("document.company_{key}"), &[]), crate::domain::text::shown(&v));
    }
    for (k, pattern) in patterns {
        println!("  {:<20} {pattern}", tr("document.numbering", &[("kind", &kind_word(k))]));
    }
    Ok(())
}
