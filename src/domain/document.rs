//! Quotes, invoices and credit notes (SPEC E5, issue 28): their kinds and statuses, which
//! status may follow which, how a number is written from its pattern, and the details of the
//! two parties a document names. The money is `domain::lines`; the numbering itself (next
//! number, inside the issuing transaction) is the engines'.

use crate::domain::error::{FieldError, Problem};
use crate::domain::lines::Totals;
use crate::domain::money::Currency;
use crate::domain::product::Line;
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};

/// A kind of document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// A quote, made from a deal.
    Quote,
    /// An invoice, made from a quote or a deal.
    Invoice,
    /// A credit note: an issued invoice cancelled (its lines with negative quantities).
    CreditNote,
}

impl DocKind {
    /// Every kind.
    pub const ALL: [DocKind; 3] = [DocKind::Quote, DocKind::Invoice, DocKind::CreditNote];

    /// Stored form.
    pub fn code(self) -> &'static str {
        match self {
            DocKind::Quote => "quote",
            DocKind::Invoice => "invoice",
            DocKind::CreditNote => "credit_note",
        }
    }

    /// From its stored form.
    pub fn parse(code: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The pattern its numbers follow unless the settings say otherwise.
    pub fn default_pattern(self) -> &'static str {
        match self {
            DocKind::Quote => "D-{year}-{seq:05}",
            DocKind::Invoice => "F-{year}-{seq:05}",
            DocKind::CreditNote => "AV-{year}-{seq:05}",
        }
    }

    /// The settings key of its numbering pattern.
    pub fn pattern_key(self) -> String {
        format!("numbering.{}", self.code())
    }

    /// Its statuses in the order a document goes through them: the columns of the Kanban
    /// of documents (a credit note is issued as it is made: it shows with the invoices).
    pub fn statuses(self) -> &'static [DocStatus] {
        use DocStatus::*;
        match self {
            DocKind::Quote => &[Draft, Sent, Approved, Declined],
            DocKind::Invoice => &[Draft, Issued, Sent, Paid, Cancelled],
            DocKind::CreditNote => &[Issued, Sent],
        }
    }

    /// The status a new one starts in: a quote and an invoice as drafts; a credit note is
    /// issued as it is made.
    pub fn first_status(self) -> DocStatus {
        match self {
            DocKind::CreditNote => DocStatus::Issued,
            _ => DocStatus::Draft,
        }
    }
}

/// Where a document stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    /// Being written: changed freely (an invoice has no number yet).
    Draft,
    /// Sent to the client.
    Sent,
    /// A quote the client accepted.
    Approved,
    /// A quote the client refused.
    Declined,
    /// An invoice given its number: no longer changed or deleted.
    Issued,
    /// An invoice paid.
    Paid,
    /// An invoice cancelled by a credit note.
    Cancelled,
}

impl DocStatus {
    /// Every status.
    pub const ALL: [DocStatus; 7] = [
        DocStatus::Draft,
        DocStatus::Sent,
        DocStatus::Approved,
        DocStatus::Declined,
        DocStatus::Issued,
        DocStatus::Paid,
        DocStatus::Cancelled,
    ];

    /// Stored form.
    pub fn code(self) -> &'static str {
        match self {
            DocStatus::Draft => "draft",
            DocStatus::Sent => "sent",
            DocStatus::Approved => "approved",
            DocStatus::Declined => "declined",
            DocStatus::Issued => "issued",
            DocStatus::Paid => "paid",
            DocStatus::Cancelled => "cancelled",
        }
    }

    /// From its stored form, as typed (case aside), or its French name.
    pub fn parse(code: &str) -> Option<DocStatus> {
        let c = code.trim().to_lowercase();
        let c = match c.trim_end_matches('e') {
            "brouillon" => "draft",
            "envoyé" => "sent",
            "accepté" => "approved",
            "refusé" => "declined",
            "émis" => "issued",
            "payé" => "paid",
            "annulé" => "cancelled",
            _ => c.as_str(),
        }
        .to_string();
        DocStatus::ALL.into_iter().find(|s| s.code() == c)
    }
}

/// The statuses a document of `kind` may be set to by hand from `from` (issuing and
/// cancelling an invoice are their own commands): a quote goes draft -> sent -> approved or
/// declined (and back to sent); an invoice issued -> sent -> paid.
pub fn next_statuses(kind: DocKind, from: DocStatus) -> &'static [DocStatus] {
    use DocStatus::*;
    match (kind, from) {
        (DocKind::Quote, Draft) => &[Sent, Approved, Declined],
        (DocKind::Quote, Sent) => &[Approved, Declined, Draft],
        (DocKind::Quote, Approved | Declined) => &[Sent],
        (DocKind::Invoice, Issued) => &[Sent, Paid],
        (DocKind::Invoice, Sent) => &[Paid],
        _ => &[],
    }
}

/// Refuses a status change the rules do not take, naming the ones that are.
pub fn check_status(kind: DocKind, from: DocStatus, to: DocStatus) -> Result<(), FieldError> {
    let next = next_statuses(kind, from);
    if next.contains(&to) {
        return Ok(());
    }
    let accepted: Vec<String> = next.iter().map(|s| s.code().to_string()).collect();
    let args = [("kind", kind.code()), ("from", from.code()), ("to", to.code()), ("accepted", &accepted.join(", "))];
    // A draft invoice is issued, an issued one cancelled, by their own commands.
    let key = if accepted.is_empty() { "document_status_none" } else { "document_status" };
    Err(FieldError::new("status", Problem::refused(key, &args)))
}

/// Whether a document may still be changed or deleted: a draft only (an issued invoice is
/// cancelled by a credit note; a sent quote is set back to draft first).
pub fn editable(status: DocStatus) -> bool {
    status == DocStatus::Draft
}

/// A number written from `pattern`: `{year}` is the year, `{seq}` the number in that year,
/// `{seq:05}` padded with zeros to five digits.
pub fn format_number(pattern: &str, year: i32, seq: i64) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let token = &rest[open + 1..open + close];
        match token.split_once(':') {
            _ if token == "year" => out.push_str(&year.to_string()),
            _ if token == "seq" => out.push_str(&seq.to_string()),
            Some(("seq", width)) => {
                let w: usize = width.trim_start_matches('0').parse().unwrap_or(0).min(12);
                out.push_str(&format!("{seq:0w$}"));
            }
            _ => out.push_str(&rest[open..open + close + 1]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Refuses a numbering pattern without `{seq}` (numbers would repeat) or with a token it
/// does not know.
pub fn check_pattern(pattern: &str) -> Result<(), FieldError> {
    // The tokens are arguments: a message's braces name its placeholders.
    let args = [("value", pattern), ("seq", "{seq}"), ("seq5", "{seq:05}"), ("year", "{year}")];
    let refused = || FieldError::new("pattern", Problem::refused("numbering_pattern", &args));
    if !pattern.contains("{seq") {
        return Err(refused());
    }
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').ok_or_else(refused)?;
        let token = &rest[open + 1..open + close];
        let ok = token == "year"
            || token == "seq"
            || token.strip_prefix("seq:").is_some_and(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit()));
        if !ok {
            return Err(refused());
        }
        rest = &rest[open + close + 1..];
    }
    Ok(())
}

/// One party of a document: our company (the settings) or the client (copied from the deal
/// when the document is made, so a later change of the company's record leaves it as sent).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// Name (a company's, or a person's).
    #[serde(default)]
    pub name: String,
    /// Legal form (SAS, SARL...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_form: Option<String>,
    /// Postal address, possibly on several lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// SIREN (9 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siren: Option<String>,
    /// SIRET (14 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siret: Option<String>,
    /// Intra-community VAT number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat: Option<String>,
    /// E-mail the documents go to (the client's) or come from (ours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A person to the attention of (the client's contact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// Our company's details (settings `company`), which documents carry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyDetails {
    /// Name, legal form, address, SIREN, SIRET, VAT number, e-mail.
    #[serde(flatten)]
    pub party: Party,
    /// IBAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
    /// BIC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bic: Option<String>,
    /// Days from issue to due date (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_days: Option<u32>,
    /// The late-payment penalties' text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_payment: Option<String>,
    /// A logo's path (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

impl CompanyDetails {
    /// Days from issue to due date.
    pub fn payment_days(&self) -> u32 {
        self.payment_days.unwrap_or(30)
    }
}

/// Refuses a SIREN that is not 9 digits or a SIRET that is not 14 (spaces aside), naming it.
pub fn check_ids(p: &Party) -> Result<(), FieldError> {
    let digits = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for (field, value, len) in [("siren", &p.siren, 9), ("siret", &p.siret, 14)] {
        if let Some(v) = value {
            let d = digits(v);
            if d.len() != len || !d.chars().all(|c| c.is_ascii_digit()) {
                let n = len.to_string();
                return Err(FieldError::new(
                    field,
                    Problem::refused("company_id_digits", &[("value", v), ("digits", &n)]),
                ));
            }
        }
    }
    Ok(())
}

/// Our company's details checked as a bank and a tax office read them: SIREN and SIRET
/// (`check_ids`), the e-mail, the VAT number (two letters and 2 to 13 letters or digits; a
/// French one `FR`, a two-character key and the nine digits of a SIREN), the IBAN (its
/// length and its check digits, ISO 13616) and the BIC (8 or 11 letters and digits).
pub fn check_company(d: &CompanyDetails) -> Result<(), FieldError> {
    check_ids(&d.party)?;
    let compact = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let refused = |field: &str, key: &'static str, value: &str| {
        Err(FieldError::new(field, Problem::refused(key, &[("value", value.trim())])))
    };
    if let Some(e) = &d.party.email
        && !crate::domain::dedup::is_valid_email(e)
    {
        return Err(FieldError::new("email", Problem::Email { value: e.trim().to_string() }));
    }
    if let Some(v) = &d.party.vat {
        let c = compact(v);
        // Letters and digits of ASCII only: anything else is refused before it is cut.
        if !c.is_ascii() {
            return refused("vat", "vat_number", v);
        }
        let (country, rest) = c.split_at(c.len().min(2));
        let shaped = country.len() == 2
            && country.chars().all(|ch| ch.is_ascii_alphabetic())
            && (2..=13).contains(&rest.len())
            && rest.chars().all(|ch| ch.is_ascii_alphanumeric());
        let french = country != "FR" || (rest.len() == 11 && rest[2..].chars().all(|ch| ch.is_ascii_digit()));
        if !shaped || !french {
            return refused("vat", "vat_number", v);
        }
    }
    if let Some(i) = &d.iban
        && !iban_ok(&compact(i))
    {
        return refused("iban", "iban", i);
    }
    if let Some(b) = &d.bic {
        let c = compact(b);
        if !matches!(c.len(), 8 | 11) || !c.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            return refused("bic", "bic", b);
        }
    }
    Ok(())
}

/// An IBAN's shape and check digits: the country and check digits moved to the end, letters
/// as 10-35, the number modulo 97 is 1.
fn iban_ok(iban: &str) -> bool {
    if !(15..=34).contains(&iban.len()) || !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let (head, tail) = iban.split_at(4);
    if !head[..2].chars().all(|c| c.is_ascii_alphabetic()) || !head[2..].chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let mut rest = 0u32;
    for c in tail.chars().chain(head.chars()) {
        let digits = c.to_digit(36).unwrap_or(0);
        for d in if digits >= 10 { vec![digits / 10, digits % 10] } else { vec![digits] } {
            rest = (rest * 10 + d) % 97;
        }
    }
    rest == 1
}

/// A document with its lines and totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Document {
    /// Its id (one series for every kind; never given again).
    pub id: i64,
    /// Quote, invoice or credit note.
    pub kind: DocKind,
    /// Its number (none: an invoice not issued yet).
    pub number: Option<String>,
    /// Where it stands.
    pub status: DocStatus,
    /// The deal it was made from.
    pub deal_id: i64,
    /// The quote an invoice was made from, the invoice a credit note cancels.
    pub source_id: Option<i64>,
    /// The client, as it was when the document was made.
    pub client: Party,
    /// Its currency (one per document).
    pub currency: Currency,
    /// Issue date (`YYYY-MM-DD`; an invoice's when issued).
    pub issue_date: Option<String>,
    /// A quote's validity.
    pub valid_until: Option<String>,
    /// An invoice's due date.
    pub due_date: Option<String>,
    /// Notes printed on it.
    pub notes: Option<String>,
    /// Its lines in order.
    pub lines: Vec<Line>,
    /// Net, tax and gross totals, per rate.
    pub totals: Totals,
    /// Changes so far (a stale screen's change is refused).
    pub version: i64,
    /// When it was made.
    pub created_at: i64,
}

impl Document {
    /// How it is named: its number, or `#id` before it has one.
    pub fn name(&self) -> String {
        self.number.clone().unwrap_or_else(|| format!("#{}", self.id))
    }

    /// As `--json` gives it: amounts as decimal text in its currency, totals per rate.
    pub fn to_json(&self) -> Json {
        let (lines, totals) = crate::domain::product::lines_json(&self.lines, &self.totals, self.currency);
        json!({
            "id": self.id,
            "kind": self.kind.code(),
            "number": self.number,
            "status": self.status.code(),
            "deal": self.deal_id,
            "source": self.source_id,
            "client": self.client,
            "currency": self.currency.code(),
            "issue_date": self.issue_date,
            "valid_until": self.valid_until,
            "due_date": self.due_date,
            "notes": self.notes,
            "lines": lines,
            "totals": totals,
            "version": self.version,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_their_pattern() {
        assert_eq!(format_number("F-{year}-{seq:05}", 2026, 42), "F-2026-00042");
        assert_eq!(format_number("{seq}", 2026, 7), "7");
        assert_eq!(format_number("INV{year}{seq:3}", 2027, 5), "INV2027005");
        assert_eq!(format_number("A-{other}-{seq}", 2026, 1), "A-{other}-1");
        assert!(check_pattern("F-{year}-{seq:05}").is_ok());
        assert_eq!(check_pattern("F-{year}").unwrap_err().field, "pattern");
        assert!(check_pattern("F-{month}-{seq}").is_err());
        assert!(check_pattern("F-{seq:x}").is_err());
    }

    #[test]
    fn statuses_follow_one_another_in_order() {
        assert!(check_status(DocKind::Quote, DocStatus::Draft, DocStatus::Sent).is_ok());
        assert!(check_status(DocKind::Quote, DocStatus::Sent, DocStatus::Approved).is_ok());
        assert!(check_status(DocKind::Invoice, DocStatus::Issued, DocStatus::Paid).is_ok());
        // An invoice is issued and cancelled by their own commands, never set so.
        assert!(check_status(DocKind::Invoice, DocStatus::Draft, DocStatus::Issued).is_err());
        assert!(check_status(DocKind::Invoice, DocStatus::Paid, DocStatus::Cancelled).is_err());
        let e = check_status(DocKind::Quote, DocStatus::Approved, DocStatus::Paid).unwrap_err();
        assert!(
            matches!(&e.problem, Problem::Refused { args, .. } if args.iter().any(|(k, v)| *k == "accepted" && v == "sent"))
        );
    }

    #[test]
    fn siren_and_siret_are_counted_in_digits() {
        let p = |siren: &str| Party { siren: Some(siren.into()), ..Default::default() };
        assert!(check_ids(&p("123 456 789")).is_ok());
        let company = |iban: Option<&str>, vat: Option<&str>, bic: Option<&str>, email: Option<&str>| CompanyDetails {
            party: Party { vat: vat.map(String::from), email: email.map(String::from), ..Default::default() },
            iban: iban.map(String::from),
            bic: bic.map(String::from),
            ..Default::default()
        };
        let field = |c: CompanyDetails| check_company(&c).err().map(|e| e.field);
        assert_eq!(
            field(company(
                Some("FR76 3000 6000 0112 3456 7890 189"),
                Some("FR12 123456789"),
                Some("AGRIFRPP"),
                Some("a@b.fr")
            )),
            None
        );
        assert_eq!(
            field(company(Some("FR76 3000 6000 0112 3456 7890 188"), None, None, None)).as_deref(),
            Some("iban")
        );
        assert_eq!(field(company(Some("FR76"), None, None, None)).as_deref(), Some("iban"));
        assert_eq!(field(company(None, Some("XX"), None, None)).as_deref(), Some("vat"));
        assert_eq!(field(company(None, Some("FR12 12345"), None, None)).as_deref(), Some("vat"));
        assert_eq!(field(company(None, Some("DE123456789"), None, None)), None);
        assert_eq!(field(company(None, None, Some("AGRI"), None)).as_deref(), Some("bic"));
        assert_eq!(field(company(None, Some("€12345"), None, None)).as_deref(), Some("vat"));
        assert_eq!(field(company(None, Some("FR1é34567890"), None, None)).as_deref(), Some("vat"));
        assert_eq!(field(company(None, None, None, Some("notanemail"))).as_deref(), Some("email"));
        assert_eq!(check_ids(&p("12345")).unwrap_err().field, "siren");
        assert_eq!(check_ids(&Party { siret: Some("1234".into()), ..Default::default() }).unwrap_err().field, "siret");
    }
}
