//! Quotes, invoices and credit notes written out (SPEC E5, issue 28): Markdown and HTML from
//! Jinja templates (`assets/templates/{en,fr}/{quote,invoice,credit_note}.{md,html}`, or a
//! copy of one in the config folder's `templates/`), and PDF laid out from the Markdown
//! (`pdf`), its fonts embedded. A template needing a detail the company has not given says
//! which; a template that does not read says its line.

pub mod pdf;
pub mod table;

use crate::domain::document::{CompanyDetails, Document, Party};
use crate::domain::money::{Currency, Money, format_money};
use crate::domain::product::{percent_text, scaled_text};
use crate::domain::{FieldError, Problem};
use crate::i18n::Lang;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The fixed compensation for recovery costs a French invoice must state (Code de commerce,
/// D. 441-5), in euros.
pub const RECOVERY_FEE_EUR: i64 = 4_000;

/// The formats a document is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Markdown.
    Markdown,
    /// HTML.
    Html,
    /// PDF (from the Markdown template).
    Pdf,
}

impl Format {
    /// From `--format`.
    pub fn parse(text: &str) -> Option<Format> {
        match text.trim().to_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

/// One party as templates read it: every detail as text, the address in lines.
#[derive(Serialize)]
struct PartyView {
    name: String,
    legal_form: Option<String>,
    address_lines: Vec<String>,
    siren: Option<String>,
    siret: Option<String>,
    vat: Option<String>,
    email: Option<String>,
    contact: Option<String>,
    iban: Option<String>,
    bic: Option<String>,
}

impl PartyView {
    fn of(p: &Party, iban: Option<String>, bic: Option<String>) -> PartyView {
        let address_lines = p
            .address
            .as_deref()
            // A line break typed as `\n` on the command line counts as one.
            .map(|a| a.replace("\\n", "\n").lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect())
            .unwrap_or_default();
        PartyView {
            name: p.name.clone(),
            legal_form: p.legal_form.clone(),
            address_lines,
            siren: p.siren.clone(),
            siret: p.siret.clone(),
            vat: p.vat.clone(),
            email: p.email.clone(),
            contact: p.contact.clone(),
            iban,
            bic,
        }
    }
}

#[derive(Serialize)]
struct LineView {
    position: i64,
    name: String,
    unit: Option<String>,
    qty: String,
    unit_price: String,
    discount: String,
    tax_rate: String,
    net: String,
}

#[derive(Serialize)]
struct RateView {
    rate: String,
    net: String,
    tax: String,
}

#[derive(Serialize)]
struct TotalsView {
    net: String,
    tax: String,
    gross: String,
    rates: Vec<RateView>,
}

/// What a template reads: every value already written in the document's language.
#[derive(Serialize)]
struct View {
    lang: &'static str,
    kind: &'static str,
    number: String,
    draft: bool,
    status: &'static str,
    today: String,
    issue_date: Option<String>,
    valid_until: Option<String>,
    due_date: Option<String>,
    source_number: Option<String>,
    notes: Option<String>,
    seller: PartyView,
    client: PartyView,
    lines: Vec<LineView>,
    totals: TotalsView,
    payment_days: u32,
    late_payment: Option<String>,
    recovery_fee: String,
}

/// What a rendering needs besides the document: the language, our details, the number of
/// the document it comes from, today.
pub struct RenderContext {
    /// The language written in.
    pub lang: Lang,
    /// Our company.
    pub company: CompanyDetails,
    /// The number of the quote an invoice comes from, of the invoice a credit note cancels.
    pub source_number: Option<String>,
    /// Today (`YYYY-MM-DD`), for a draft without issue date.
    pub today: String,
    /// The folder of templates of the user's own, if any.
    pub own_templates: Option<PathBuf>,
}

fn view(doc: &Document, ctx: &RenderContext) -> View {
    let lang = ctx.lang;
    let style = lang.number_style();
    let money = |minor: i64, c: Currency| format_money(Money { minor, currency: c }, style);
    let decimal = |t: String| crate::present::decimal(lang, &t);
    let day = |d: &Option<String>| {
        d.as_deref().and_then(crate::domain::when::parse_date).map(|d| crate::present::day(lang, d))
    };
    let c = doc.currency;
    let draft_word = crate::i18n::tr_in(lang, "rule.doc_status_draft", &[]);
    View {
        lang: if lang == Lang::Fr { "fr" } else { "en" },
        kind: doc.kind.code(),
        number: doc.number.clone().unwrap_or_else(|| format!("({draft_word} #{})", doc.id)),
        draft: doc.number.is_none(),
        status: doc.status.code(),
        today: day(&Some(ctx.today.clone())).unwrap_or_default(),
        issue_date: day(&doc.issue_date),
        valid_until: day(&doc.valid_until),
        due_date: day(&doc.due_date),
        source_number: ctx.source_number.clone(),
        notes: doc.notes.clone(),
        seller: PartyView::of(&ctx.company.party, ctx.company.iban.clone(), ctx.company.bic.clone()),
        client: PartyView::of(&doc.client, None, None),
        lines: doc
            .lines
            .iter()
            .map(|l| LineView {
                position: l.position,
                name: l.name.clone(),
                unit: l.unit.clone(),
                qty: match &l.unit {
                    Some(u) => format!("{} {u}", decimal(scaled_text(l.money.qty, crate::domain::lines::QTY_SCALE))),
                    None => decimal(scaled_text(l.money.qty, crate::domain::lines::QTY_SCALE)),
                },
                unit_price: money(l.money.unit_price, c),
                discount: match l.money.discount {
                    crate::domain::lines::Discount::None => String::new(),
                    crate::domain::lines::Discount::Percent(p) => format!("{} %", decimal(percent_text(p))),
                    crate::domain::lines::Discount::Amount(a) => money(a, c),
                },
                tax_rate: format!("{} %", decimal(percent_text(l.money.tax_rate))),
                net: money(l.money.net(), c),
            })
            .collect(),
        totals: TotalsView {
            net: money(doc.totals.net, c),
            tax: money(doc.totals.tax, c),
            gross: money(doc.totals.gross, c),
            rates: doc
                .totals
                .rates
                .iter()
                .map(|r| RateView {
                    rate: format!("{} %", decimal(percent_text(r.rate))),
                    net: money(r.net, c),
                    tax: money(r.tax, c),
                })
                .collect(),
        },
        payment_days: ctx.company.payment_days(),
        late_payment: ctx.company.late_payment.clone(),
        recovery_fee: money(RECOVERY_FEE_EUR, Currency::EUR),
    }
}

/// The templates Prospect comes with, by name (`fr/invoice.md`).
const BUILT_IN: &[(&str, &str)] = &[
    ("en/document.md", include_str!("../../../assets/templates/en/document.md")),
    ("en/quote.md", include_str!("../../../assets/templates/en/quote.md")),
    ("en/invoice.md", include_str!("../../../assets/templates/en/invoice.md")),
    ("en/credit_note.md", include_str!("../../../assets/templates/en/credit_note.md")),
    ("en/document.html", include_str!("../../../assets/templates/en/document.html")),
    ("en/quote.html", include_str!("../../../assets/templates/en/quote.html")),
    ("en/invoice.html", include_str!("../../../assets/templates/en/invoice.html")),
    ("en/credit_note.html", include_str!("../../../assets/templates/en/credit_note.html")),
    ("fr/document.md", include_str!("../../../assets/templates/fr/document.md")),
    ("fr/quote.md", include_str!("../../../assets/templates/fr/quote.md")),
    ("fr/invoice.md", include_str!("../../../assets/templates/fr/invoice.md")),
    ("fr/credit_note.md", include_str!("../../../assets/templates/fr/credit_note.md")),
    ("fr/document.html", include_str!("../../../assets/templates/fr/document.html")),
    ("fr/quote.html", include_str!("../../../assets/templates/fr/quote.html")),
    ("fr/invoice.html", include_str!("../../../assets/templates/fr/invoice.html")),
    ("fr/credit_note.html", include_str!("../../../assets/templates/fr/credit_note.html")),
    ("en/mail.txt", include_str!("../../../assets/templates/en/mail.txt")),
    ("fr/mail.txt", include_str!("../../../assets/templates/fr/mail.txt")),
];

/// A template's text: the user's copy (`own/fr/invoice.md`) when there is one, else the
/// built-in one.
fn template_text(own: Option<&Path>, name: &str) -> Option<String> {
    if name.contains("..") {
        return None;
    }
    if let Some(text) = own.and_then(|dir| std::fs::read_to_string(dir.join(name)).ok()) {
        return Some(text);
    }
    BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, t)| t.to_string())
}

/// The detail a `required(...)` in a template names, as the company-details flag.
const MISSING: &str = "prospect-missing:";

/// Writes `doc` in `format` (PDF: bytes of a PDF; the others: UTF-8 text).
pub fn render(doc: &Document, format: Format, ctx: &RenderContext) -> Result<Vec<u8>, FieldError> {
    let ext = if format == Format::Html { "html" } else { "md" };
    let text = render_text(doc, ext, ctx)?;
    match format {
        Format::Pdf => {
            let title = format!(
                "{} {}",
                crate::i18n::tr_in(ctx.lang, &format!("rule.doc_{}", doc.kind.code()), &[]),
                doc.name()
            );
            pdf::from_markdown(&text, &title)
                .map_err(|detail| FieldError::new("format", Problem::refused("pdf_failed", &[("detail", &detail)])))
        }
        _ => Ok(text.into_bytes()),
    }
}

/// The template of `doc`'s kind in `ext` rendered.
fn render_text(doc: &Document, ext: &str, ctx: &RenderContext) -> Result<String, FieldError> {
    let lang = if ctx.lang == Lang::Fr { "fr" } else { "en" };
    render_named(doc, &format!("{lang}/{}.{ext}", doc.kind.code()), ctx)
}

/// The e-mail sending `doc` (`lang/mail.txt`: its first line the subject, the rest the
/// body), the PDF attached as `file_name`: an RFC 5322 message.
pub fn mail(doc: &Document, ctx: &RenderContext, to: &str, pdf: &[u8], file_name: &str) -> Result<String, FieldError> {
    let lang = if ctx.lang == Lang::Fr { "fr" } else { "en" };
    let text = render_named(doc, &format!("{lang}/mail.txt"), ctx)?;
    let (subject, body) = text.split_once('\n').unwrap_or((text.as_str(), ""));
    let seller = &ctx.company.party;
    let mut message = mail_builder::MessageBuilder::new()
        .to((doc.client.name.as_str(), to))
        .subject(subject.trim())
        .text_body(body.trim_start_matches('\n').to_string())
        .attachment("application/pdf", file_name, pdf);
    if let Some(from) = seller.email.as_deref() {
        message = message.from((seller.name.as_str(), from));
    }
    message
        .write_to_string()
        .map_err(|e| FieldError::new("out", Problem::refused("mail_failed", &[("detail", &e.to_string())])))
}

/// A template by name rendered with `doc`.
fn render_named(doc: &Document, name: &str, ctx: &RenderContext) -> Result<String, FieldError> {
    let mut env = minijinja::Environment::new();
    let own = ctx.own_templates.clone();
    env.set_loader(move |n| Ok(template_text(own.as_deref(), n)));
    env.add_function("required", |value: Option<String>, what: String| -> Result<String, minijinja::Error> {
        match value.filter(|v| !v.trim().is_empty()) {
            Some(v) => Ok(v),
            None => Err(minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, format!("{MISSING}{what}"))),
        }
    });
    let template = env.get_template(name).map_err(|e| template_error(&e, ctx.lang))?;
    template.render(view(doc, ctx)).map_err(|e| template_error(&e, ctx.lang))
}

/// A template's failure said: a detail it needs (named with the flag that gives it), or
/// where it does not read.
fn template_error(e: &minijinja::Error, lang: Lang) -> FieldError {
    let mut detail = e.detail().unwrap_or_default().to_string();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(m) = err.downcast_ref::<minijinja::Error>()
            && let Some(d) = m.detail()
            && d.starts_with(MISSING)
        {
            detail = d.to_string();
        }
        source = err.source();
    }
    if let Some(what) = detail.strip_prefix(MISSING) {
        let label = crate::i18n::tr_in(lang, &format!("document.company_{what}"), &[]);
        return FieldError::new(what, Problem::refused("template_needs", &[("what", &label), ("flag", what)]));
    }
    let name = e.name().unwrap_or("?").to_string();
    let line = e.line().map(|l| l.to_string()).unwrap_or_else(|| "?".into());
    let detail = if detail.is_empty() { e.kind().to_string() } else { detail };
    FieldError::new(
        "template",
        Problem::refused("template_error", &[("name", &name), ("line", &line), ("detail", &detail)]),
    )
}

/// A file name for a document: its number (or `draft-ID`), safe on every file system.
pub fn file_stem(doc: &Document) -> String {
    let name = doc.number.clone().unwrap_or_else(|| format!("draft-{}", doc.id));
    name.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' }).collect()
}

/// Where the user's own templates are looked for: `templates/` beside the config file.
pub fn own_templates_dir() -> Option<PathBuf> {
    crate::config::default_config_path().and_then(|c| c.parent().map(|d| d.join("templates")))
}
