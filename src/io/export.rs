//! Records out (SPEC I3): CSV with every field (references by code, so an import reads them
//! back), JSON, vCard 4.0 (RFC 6350) for people, and a table for a French spreadsheet
//! (`write_excel`: BOM, `;`, decimal commas, headers in the user's language), not read back.

use crate::domain::comm::CommKind;
use crate::domain::fields::Entity;
use crate::domain::record::{Record, Shown};
use crate::i18n::Lang;

/// Communication columns, in order, as `prospect import` maps them back.
const COMM_COLUMNS: [(CommKind, &str); 4] = [
    (CommKind::Phone, "phones"),
    (CommKind::Email, "emails"),
    (CommKind::Web, "webs"),
    (CommKind::Messenger, "messengers"),
];

/// A field as an import accepts it back: references by code or login, money as a plain
/// amount, yes/no, dates as `YYYY-MM-DD`.
fn cell(v: &Shown) -> String {
    match v {
        Shown::Ref(r) => r.code.clone(),
        other => other.text(),
    }
}

/// Header and rows of a CSV export: every field of the entity except the ones set by Prospect
/// itself (a lead's conversion link), then phones, e-mails, websites and messengers (several
/// values as `label: value | label: value`), a contact's companies and a deal's other contacts.
pub fn csv_table(entity: Entity, records: &[Record]) -> (Vec<String>, Vec<Vec<String>>) {
    let keys: Vec<&'static str> = entity.fields().iter().filter(|s| s.key != "lead").map(|s| s.key).collect();
    let mut headers: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    headers.extend(COMM_COLUMNS.iter().map(|(_, h)| h.to_string()));
    if entity == Entity::Contact {
        headers.push("company".into());
    }
    if entity == Entity::Deal {
        headers.push("contacts".into());
    }
    // Fields of the team's own under their codes, as `--set CODE=…` takes them back.
    let custom: Vec<String> =
        records.first().map(|r| r.custom.iter().map(|(f, _)| f.code.clone()).collect()).unwrap_or_default();
    headers.extend(custom.iter().cloned());
    let rows = records
        .iter()
        .map(|r| {
            let mut row: Vec<String> = keys.iter().map(|k| r.get(k).map(cell).unwrap_or_default()).collect();
            for (kind, _) in COMM_COLUMNS {
                let values: Vec<String> =
                    r.comms.iter().filter(|c| c.kind == kind).map(|c| format!("{}: {}", c.label, c.value)).collect();
                row.push(values.join(" | "));
            }
            if entity == Entity::Contact {
                let companies: Vec<String> =
                    r.links.iter().filter(|(e, _)| *e == Entity::Company).map(|(_, l)| l.name.clone()).collect();
                row.push(companies.join(" | "));
            }
            if entity == Entity::Deal {
                // The other contacts by id (names need not be unique); the primary one is
                // the `contact` column.
                let primary = r.get("contact").map(cell).unwrap_or_default();
                let others: Vec<String> = r
                    .links
                    .iter()
                    .filter(|(e, l)| *e == Entity::Contact && l.id.to_string() != primary)
                    .map(|(_, l)| l.id.to_string())
                    .collect();
                row.push(others.join(" | "));
            }
            row.extend(custom.iter().map(|code| r.custom_text(code)));
            row
        })
        .collect();
    (headers, rows)
}

/// Writes pages of records as one CSV table, the header once (alone when there is no
/// record), returning how many records were written. `pages` hands each page to the function
/// it is given and returns the count: `Service::for_each_page`, so this module reads no file.
pub fn write_csv(
    entity: Entity,
    out: &mut dyn std::io::Write,
    pages: impl FnOnce(&mut dyn FnMut(&[Record]) -> anyhow::Result<()>) -> anyhow::Result<usize>,
) -> anyhow::Result<usize> {
    let mut first = true;
    let count = pages(&mut |records| {
        let (headers, rows) = csv_table(entity, records);
        let bytes = crate::io::csv::write_table(&headers, &rows)?;
        // The header once, at the top (headers are field keys: one line).
        let body = if first {
            &bytes[..]
        } else {
            &bytes[bytes.iter().position(|b| *b == b'\n').map_or(bytes.len(), |i| i + 1)..]
        };
        out.write_all(body)?;
        first = false;
        Ok(())
    })?;
    if count == 0 {
        let (headers, rows) = csv_table(entity, &[]);
        out.write_all(&crate::io::csv::write_table(&headers, &rows)?)?;
    }
    Ok(count)
}

/// A spreadsheet cell of the Excel export: text neutralised against formulas, or a value
/// this export wrote itself (a number, a date), which needs no neutralising.
enum SheetCell {
    Text(String),
    Value(String),
}

/// An amount as a French spreadsheet reads a number: decimal comma, no grouping, no
/// currency (`1234,50`), from the minor units (never through a float).
fn decimal_comma(minor: i64, currency: crate::domain::money::Currency) -> String {
    crate::domain::money::plain_amount(crate::domain::money::Money { minor, currency }).replace('.', ",")
}

/// An instant in local time as a spreadsheet reads a date and time: `2026-12-05 14:30`.
fn sheet_time(ms: crate::domain::when::UnixMs) -> String {
    crate::domain::when::from_ms(ms).with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string()
}

/// A field as a person reads it in a spreadsheet: references by name, yes/no in `lang`,
/// money with a decimal comma, days as `YYYY-MM-DD`.
fn sheet_cell(lang: Lang, v: &Shown) -> SheetCell {
    match v {
        Shown::Money(m) => SheetCell::Value(decimal_comma(m.minor, m.currency)),
        Shown::Int(i) => SheetCell::Value(i.to_string()),
        Shown::Date(d) => SheetCell::Value(d.format("%Y-%m-%d").to_string()),
        Shown::Bool(b) => SheetCell::Text(crate::i18n::tr_in(lang, if *b { "label.yes" } else { "label.no" }, &[])),
        Shown::Ref(r) => SheetCell::Text(r.name.clone()),
        other => SheetCell::Text(other.text()),
    }
}

/// Header and rows of the spreadsheet export (`export --excel`): the id, every field under
/// its label in `lang`, phones, e-mails, websites and messengers, a contact's companies, then
/// when the record was created and last changed (local time).
fn sheet_table(lang: Lang, entity: Entity, records: &[Record]) -> (Vec<String>, Vec<Vec<SheetCell>>) {
    let keys: Vec<&'static str> = entity.fields().iter().map(|s| s.key).collect();
    let mut headers = vec![crate::i18n::tr_in(lang, "label.id", &[])];
    headers.extend(keys.iter().map(|k| crate::present::field_label(lang, k)));
    headers.extend(COMM_COLUMNS.iter().map(|(_, h)| crate::i18n::tr_in(lang, &format!("field.{h}"), &[])));
    if entity == Entity::Contact {
        headers.push(crate::i18n::tr_in(lang, "field.companies", &[]));
    }
    if entity == Entity::Deal {
        headers.push(crate::i18n::tr_in(lang, "field.contacts", &[]));
    }
    let custom: Vec<&crate::domain::custom_field::CustomField> =
        records.first().map(|r| r.custom.iter().map(|(f, _)| f).collect()).unwrap_or_default();
    headers.extend(custom.iter().map(|f| f.label_in(lang).to_string()));
    headers.push(crate::i18n::tr_in(lang, "label.created", &[]));
    headers.push(crate::i18n::tr_in(lang, "label.modified", &[]));
    let rows = records
        .iter()
        .map(|r| {
            let mut row = vec![SheetCell::Value(r.id.to_string())];
            row.extend(keys.iter().map(|k| r.get(k).map_or(SheetCell::Value(String::new()), |v| sheet_cell(lang, v))));
            for (kind, _) in COMM_COLUMNS {
                let values: Vec<String> = r
                    .comms
                    .iter()
                    .filter(|c| c.kind == kind)
                    .map(|c| format!("{}: {}", crate::present::word(lang, "comm_label", &c.label), c.value))
                    .collect();
                row.push(SheetCell::Text(values.join(" | ")));
            }
            if entity == Entity::Contact {
                let companies: Vec<String> =
                    r.links.iter().filter(|(e, _)| *e == Entity::Company).map(|(_, l)| l.name.clone()).collect();
                row.push(SheetCell::Text(companies.join(" | ")));
            }
            if entity == Entity::Deal {
                // Every contact of the deal by name, the primary first.
                let contacts: Vec<String> =
                    r.links.iter().filter(|(e, _)| *e == Entity::Contact).map(|(_, l)| l.name.clone()).collect();
                row.push(SheetCell::Text(contacts.join(" | ")));
            }
            for f in &custom {
                let stored = r.custom.iter().find(|(g, _)| g.id == f.id).and_then(|(_, v)| v.as_deref());
                row.push(SheetCell::Text(stored.map(|v| crate::present::custom(lang, f, v)).unwrap_or_default()));
            }
            row.push(SheetCell::Value(sheet_time(r.created_at)));
            row.push(SheetCell::Value(sheet_time(r.modified_at)));
            row
        })
        .collect();
    (headers, rows)
}

/// Writes pages of records as what a French spreadsheet (Excel) opens as it is: UTF-8 with a
/// byte-order mark, `;` between cells, CRLF, headers in `lang`, amounts with a decimal comma,
/// dates and times it reads as dates, every text cell neutralised against formulas as in the
/// CSV export. Not read back by `import` (the CSV export is the round trip). Returns how many
/// records were written.
pub fn write_excel(
    entity: Entity,
    lang: Lang,
    out: &mut dyn std::io::Write,
    pages: impl FnOnce(&mut dyn FnMut(&[Record]) -> anyhow::Result<()>) -> anyhow::Result<usize>,
) -> anyhow::Result<usize> {
    let writer = || {
        let mut b = csv::WriterBuilder::new();
        b.delimiter(b';').terminator(csv::Terminator::CRLF).flexible(true);
        b
    };
    let cells = |row: Vec<SheetCell>| -> Vec<String> {
        row.into_iter()
            .map(|c| match c {
                SheetCell::Text(t) => crate::io::csv::neutralize(&t).into_owned(),
                SheetCell::Value(v) => v,
            })
            .collect()
    };
    out.write_all("\u{FEFF}".as_bytes())?;
    let (headers, _) = sheet_table(lang, entity, &[]);
    let mut w = writer().from_writer(Vec::new());
    w.write_record(headers.iter().map(|h| crate::io::csv::neutralize(h).into_owned()))?;
    out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
    pages(&mut |records| {
        let (_, rows) = sheet_table(lang, entity, records);
        let mut w = writer().from_writer(Vec::new());
        for row in rows {
            w.write_record(cells(row))?;
        }
        out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
        Ok(())
    })
}

// vCard (RFC 6350 §3.2, §3.4) escapes and folds text exactly as iCalendar does.
use crate::io::ics::{escape as esc, fold};

/// Contacts (or leads) as vCard 4.0: name, organisation, position, phones, e-mails,
/// websites, address, birthday and notes. UIDs carry `file_id` (the data file's random id),
/// so two offices' files never give two people one UID in an address book.
pub fn vcards(records: &[Record], file_id: &str) -> String {
    let mut out = String::new();
    for r in records {
        let text = |k: &str| r.get(k).map(Shown::text).unwrap_or_default();
        let (first, middle, last) = (text("first_name"), text("middle_name"), text("last_name"));
        let full = [first.as_str(), middle.as_str(), last.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let mut lines = vec!["BEGIN:VCARD".to_string(), "VERSION:4.0".to_string()];
        lines.push(format!("FN:{}", esc(if full.is_empty() { &r.title } else { &full })));
        lines.push(format!("N:{};{};{};{};", esc(&last), esc(&first), esc(&middle), esc(&text("honorific"))));
        let org = match r.entity {
            Entity::Lead => text("company_title"),
            _ => r.links.iter().find(|(e, _)| *e == Entity::Company).map(|(_, l)| l.name.clone()).unwrap_or_default(),
        };
        if !org.is_empty() {
            lines.push(format!("ORG:{}", esc(&org)));
        }
        if !text("position").is_empty() {
            lines.push(format!("TITLE:{}", esc(&text("position"))));
        }
        for c in &r.comms {
            let (prop, value) = match c.kind {
                CommKind::Phone => {
                    let number = if c.normalized.is_empty() { &c.value } else { &c.normalized };
                    // An extension as RFC 3966 writes it (`tel:+33123456789;ext=12`).
                    let ext = c.extension().map(|e| format!(";ext={e}")).unwrap_or_default();
                    ("TEL", format!("tel:{number}{ext}"))
                }
                CommKind::Email => ("EMAIL", esc(&c.value)),
                // URIs: a comma or semicolon in one is escaped like in text (RFC 6350 §3.4),
                // or readers cut the address there.
                CommKind::Web => ("URL", esc(&c.value)),
                CommKind::Messenger => ("IMPP", esc(&messenger_uri(&c.label, &c.value))),
            };
            let kind = match (c.kind, c.label.as_str()) {
                (_, "mobile") => "cell",
                (_, "work" | "home" | "fax") => c.label.as_str(),
                (CommKind::Messenger, "telegram" | "whatsapp" | "signal" | "skype") => c.label.as_str(),
                _ => "",
            };
            let typ = if kind.is_empty() { String::new() } else { format!(";TYPE={kind}") };
            let val = if c.kind == CommKind::Phone { ";VALUE=uri" } else { "" };
            lines.push(format!("{prop}{val}{typ}:{value}"));
        }
        let address = text("address");
        if !address.is_empty() {
            // One free-text field: all of it in the street component, which every reader
            // shows; LABEL keeps it as written (RFC 6350 §6.3.1).
            lines.push(format!("ADR;LABEL=\"{}\":;;{};;;;", param_value(&address), esc(&address)));
        }
        if !text("birth_date").is_empty() {
            lines.push(format!("BDAY:{}", text("birth_date").replace('-', "")));
        }
        if !text("comments").is_empty() {
            lines.push(format!("NOTE:{}", esc(&text("comments"))));
        }
        lines.push(format!("UID:urn:prospect:{file_id}:{}:{}", r.entity.code(), r.id));
        lines.push("END:VCARD".into());
        for l in lines {
            out.push_str(&fold(&l));
        }
    }
    out
}

/// A parameter value in double quotes, with RFC 6868's `^` escapes (newline, quote, caret).
fn param_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '^' => out.push_str("^^"),
            '"' => out.push_str("^'"),
            '\n' => out.push_str("^n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes what a URI cannot hold as it is (RFC 3986): all but unreserved
/// characters and the few a handle or address is made of (`@ + :`).
fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~@+:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A messenger handle as the URI an IMPP property holds (RFC 6350 §6.4.3), by its type:
/// Telegram `tg://resolve?domain=` (or `?phone=`), WhatsApp `whatsapp://send?phone=`, Signal
/// `sgnl://signal.me/#p/+…` for a number, Skype `skype:`. A value that is already a URI
/// (`xmpp:ann@jabber.org`, `sip:…`, `matrix:…`) stays; any other handle is an `xmpp:`
/// address when it has an `@` inside, otherwise an `im:` one (RFC 3860).
pub fn messenger_uri(label: &str, value: &str) -> String {
    let value = value.trim();
    let handle = value.trim_start_matches('@');
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let is_number = !digits.is_empty() && value.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    match label {
        "telegram" if is_number => format!("tg://resolve?phone={digits}"),
        "telegram" => format!("tg://resolve?domain={}", percent(handle)),
        "whatsapp" if is_number => format!("whatsapp://send?phone={digits}"),
        "whatsapp" => format!("whatsapp:{}", percent(handle)),
        "signal" if is_number => format!("sgnl://signal.me/#p/+{digits}"),
        "signal" => format!("sgnl://signal.me/#u/{}", percent(handle)),
        "skype" => format!("skype:{}", percent(handle)),
        _ => {
            let scheme = value.split_once(':').map(|(s, _)| s).filter(|s| {
                !s.is_empty()
                    && s.starts_with(|c: char| c.is_ascii_alphabetic())
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            });
            match scheme {
                Some(_) => value.to_string(),
                None if handle.contains('@') => format!("xmpp:{}", percent(handle)),
                None => format!("im:{}", percent(handle)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_characters_whole_and_lines_short() {
        let long = format!("NOTE:{}", "é".repeat(100));
        let folded = fold(&long);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
        assert_eq!(esc("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
