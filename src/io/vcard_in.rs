//! vCard in (vCard 3.0 and 4.0, RFC 2426 and 6350, `prospect import FILE.vcf`): each card a
//! contact, read by the `calcard` crate and turned into the same `ImportRow` a CSV row
//! becomes, so `Service::import` writes them (duplicate modes, dry run, report) unchanged.
//! `card_input` is the one place a card becomes a record's input.

use super::cards::{MAX_PROPERTIES, begin_lines, fault, unclosed};
use crate::domain::comm::{Comm, CommKind};
use crate::domain::dedup::PhoneRegion;
use crate::domain::import::split_full_name;
use crate::domain::import_rows::{ImportRow, LeftOut};
use crate::domain::record::{CommsChange, RecordInput};
use crate::i18n::tr;
use calcard::vcard::{
    VCard, VCardEntry, VCardParameterName, VCardParameterValue, VCardProperty, VCardType, VCardValue,
};
use calcard::{Entry, Parser};

/// Every card of a vCard file as a row to import (its line, its input or why it cannot be
/// one), or why the whole file is refused (localised): text outside any card, a card begun
/// and never ended (a file cut short), a calendar in it, no card at all.
pub fn read(text: &str, region: PhoneRegion) -> Result<Vec<ImportRow>, String> {
    if let Some(component) = unclosed(text) {
        return Err(tr("cards.unterminated", &[("component", &component)]));
    }
    let mut lines = begin_lines(text, &["VCARD"]).into_iter();
    let mut rows = Vec::new();
    let mut parser = Parser::new(text);
    loop {
        match parser.entry() {
            Entry::VCard(card) => {
                let line = lines.next().unwrap_or(0);
                let (input, left_out) = card_input(&card, region);
                rows.push(ImportRow { left_out, ..ImportRow::new(line, input) });
            }
            Entry::Eof => break,
            other => return Err(fault(text, other, "VCARD")),
        }
    }
    if rows.is_empty() {
        return Err(tr("cards.empty", &[("what", "VCARD")]));
    }
    Ok(rows)
}

/// A value as text: a structured part's several values joined by a space.
fn text(v: &VCardValue) -> String {
    match v {
        VCardValue::Text(t) => t.trim().to_string(),
        VCardValue::Component(parts) => {
            parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
        }
        _ => String::new(),
    }
}

/// The `n`-th part of a structured value (N, ADR, ORG).
fn part(e: &VCardEntry, n: usize) -> String {
    e.values.get(n).map(text).unwrap_or_default()
}

/// The TYPE parameters of a property, lower-cased (`cell`, `work`, `x-mobile`...), and the
/// Apple service name (`X-SERVICE-TYPE`).
fn types(e: &VCardEntry) -> Vec<String> {
    e.params
        .iter()
        .filter_map(|p| match (&p.name, &p.value) {
            (VCardParameterName::Type, VCardParameterValue::Type(t)) => Some(
                match t {
                    VCardType::Work => "work",
                    VCardType::Home => "home",
                    VCardType::Cell => "cell",
                    VCardType::Fax => "fax",
                    VCardType::Voice => "voice",
                    VCardType::Pager => "pager",
                    VCardType::Text => "text",
                    VCardType::Video => "video",
                    _ => "other",
                }
                .to_string(),
            ),
            (VCardParameterName::Type, VCardParameterValue::Text(t)) => Some(t.trim().to_lowercase()),
            (VCardParameterName::Other(name), VCardParameterValue::Text(t))
                if name.eq_ignore_ascii_case("X-SERVICE-TYPE") =>
            {
                Some(t.trim().to_lowercase())
            }
            _ => None,
        })
        .collect()
}

/// Our label for a TEL from its types: mobile, fax, home, work; `other` for pagers and the
/// like; the default (work) when it says nothing more than voice or pref.
fn phone_label(types: &[String]) -> &'static str {
    let has = |w: &[&str]| types.iter().any(|t| w.contains(&t.as_str()));
    if has(&["fax"]) {
        "fax"
    } else if has(&["cell", "mobile", "iphone", "x-mobile"]) {
        "mobile"
    } else if has(&["home"]) {
        "home"
    } else if has(&["work", "main"]) {
        "work"
    } else if has(&["pager", "other", "video", "textphone"]) {
        "other"
    } else {
        ""
    }
}

/// The messenger a handle or profile belongs to, when it is one we know, and the handle
/// without its scheme (`skype:jdoe` -> skype, `jdoe`).
fn messenger(types: &[String], value: &str) -> (&'static str, String) {
    const KNOWN: [&str; 4] = ["telegram", "whatsapp", "signal", "skype"];
    let (scheme, rest) = match value.split_once(':') {
        Some((s, r)) if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
            (s.to_lowercase(), r.trim_start_matches('/').to_string())
        }
        _ => (String::new(), value.to_string()),
    };
    for name in KNOWN {
        if scheme == name {
            return (name, rest);
        }
        if types.iter().any(|t| t == name) {
            return (name, if scheme.starts_with("http") { value.to_string() } else { rest });
        }
    }
    ("other", value.to_string())
}

/// One card as a contact's input: N (or FN) -> first, last and middle names and honorific,
/// ORG -> its company (made when missing, as for a CSV row), TITLE (or ROLE) -> position,
/// TEL / EMAIL / URL with their types, IMPP and social profiles -> messengers (a profile
/// page of another network is a website), the first ADR -> address, a BDAY with its year
/// -> birth date, NOTEs -> comments. Or why it cannot be one: too many properties. A phone,
/// e-mail or address that is not one is left out of the contact and kept aside (`LeftOut`,
/// on its history and in the report), as a CSV row's bad value is: the contact is kept.
pub fn card_input(card: &VCard, region: PhoneRegion) -> (Result<RecordInput, String>, Vec<LeftOut>) {
    if card.entries.len() > MAX_PROPERTIES {
        let why = tr(
            "cards.too_many_properties",
            &[("count", &card.entries.len().to_string()), ("max", &MAX_PROPERTIES.to_string())],
        );
        return (Err(why), Vec::new());
    }
    let mut left_out: Vec<LeftOut> = Vec::new();
    let mut fields: Vec<(String, String)> = Vec::new();
    let set = |fields: &mut Vec<(String, String)>, key: &str, value: String| {
        let value = value.trim().to_string();
        if !value.is_empty() && !fields.iter().any(|(k, _)| k == key) {
            fields.push((key.to_string(), value));
        }
    };
    let mut comms: Vec<Comm> = Vec::new();
    let mut add = |comms: &mut Vec<Comm>, kind: CommKind, label: &str, value: &str| {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        match Comm::new(kind, label, value, region) {
            Ok(c) if !comms.iter().any(|x| x.kind == c.kind && x.normalized == c.normalized) => comms.push(c),
            Ok(_) => {}
            Err(e) => {
                let reason = crate::i18n::describe(&e.problem, &e.field, crate::i18n::lang());
                left_out.push(LeftOut::new(e.field, value, reason));
            }
        }
    };
    let mut companies: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut full_name = String::new();
    for e in &card.entries {
        let first = e.values.first().map(text).unwrap_or_default();
        match &e.name {
            VCardProperty::N => {
                set(&mut fields, "last_name", part(e, 0));
                set(&mut fields, "first_name", part(e, 1));
                set(&mut fields, "middle_name", part(e, 2));
                set(&mut fields, "honorific", part(e, 3));
            }
            VCardProperty::Fn if full_name.is_empty() => full_name = first,
            VCardProperty::Org => {
                let org = part(e, 0);
                if !org.is_empty() && !companies.contains(&org) {
                    companies.push(org);
                }
            }
            VCardProperty::Title => set(&mut fields, "position", first),
            VCardProperty::Tel => {
                let value = first.strip_prefix("tel:").unwrap_or(&first).to_string();
                add(&mut comms, CommKind::Phone, phone_label(&types(e)), &value);
            }
            VCardProperty::Email => {
                let t = types(e);
                let label = if t.iter().any(|t| t == "work") {
                    "work"
                } else if t.iter().any(|t| t == "home") {
                    "home"
                } else {
                    ""
                };
                add(&mut comms, CommKind::Email, label, first.strip_prefix("mailto:").unwrap_or(&first));
            }
            VCardProperty::Url => {
                let label = if types(e).iter().any(|t| t == "home") { "personal" } else { "" };
                add(&mut comms, CommKind::Web, label, &first);
            }
            VCardProperty::Impp => {
                let (label, handle) = messenger(&types(e), &first);
                add(&mut comms, CommKind::Messenger, label, &handle);
            }
            VCardProperty::Socialprofile => social(&mut comms, &mut add, e, &first),
            VCardProperty::Other(name) if name.eq_ignore_ascii_case("X-SOCIALPROFILE") => {
                social(&mut comms, &mut add, e, &first)
            }
            VCardProperty::Adr if !fields.iter().any(|(k, _)| k == "address") => {
                // post office box, extended, street, locality, region, code, country
                let town = format!("{} {}", part(e, 5), part(e, 3)).trim().to_string();
                let lines = [part(e, 2), part(e, 1), part(e, 0), town, part(e, 4), part(e, 6)];
                let address: Vec<String> = lines.into_iter().filter(|l| !l.is_empty()).collect();
                set(&mut fields, "address", address.join(", "));
            }
            VCardProperty::Bday => {
                if let Some(VCardValue::PartialDateTime(d)) = e.values.first()
                    && let (Some(y), Some(m), Some(day)) = (d.year, d.month, d.day)
                {
                    set(&mut fields, "birth_date", format!("{y:04}-{m:02}-{day:02}"));
                }
            }
            VCardProperty::Note if !first.is_empty() => notes.push(first),
            _ => {}
        }
    }
    if !fields.iter().any(|(k, _)| k == "position")
        && let Some(role) = card.entries.iter().find(|e| e.name == VCardProperty::Role)
    {
        set(&mut fields, "position", role.values.first().map(text).unwrap_or_default());
    }
    // A card without N, or with half of it, takes its names from FN.
    let has = |fields: &Vec<(String, String)>, key: &str| fields.iter().any(|(k, _)| k == key);
    if (!has(&fields, "first_name") || !has(&fields, "last_name")) && !full_name.is_empty() {
        let honorific = fields.iter().find(|(k, _)| k == "honorific").map(|(_, v)| v.clone()).unwrap_or_default();
        let name = full_name.strip_prefix(honorific.as_str()).unwrap_or(&full_name).trim().to_string();
        let (first, last) = split_full_name(&name);
        set(&mut fields, "first_name", first);
        set(&mut fields, "last_name", last);
    }
    if !notes.is_empty() {
        set(&mut fields, "comments", notes.join("\n\n"));
    }
    let input = RecordInput {
        fields,
        comms: CommsChange { add: comms, ..Default::default() },
        companies,
        origin: Some("import".into()),
        ..Default::default()
    };
    (Ok(input), left_out)
}

/// A social profile: a messenger we know by its type, else the profile's page as a website
/// (or a bare handle as another messenger).
fn social(
    comms: &mut Vec<Comm>,
    add: &mut impl FnMut(&mut Vec<Comm>, CommKind, &str, &str),
    e: &VCardEntry,
    value: &str,
) {
    let (label, handle) = messenger(&types(e), value);
    if label == "other" && (value.starts_with("http://") || value.starts_with("https://")) {
        add(comms, CommKind::Web, "other", value)
    } else {
        add(comms, CommKind::Messenger, label, &handle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fields::Entity;
    use proptest::prelude::*;

    /// A property line: a known or odd name, maybe a TYPE, and any printable value.
    fn property() -> impl Strategy<Value = String> {
        let name = prop_oneof![
            Just("N"),
            Just("FN"),
            Just("ORG"),
            Just("TITLE"),
            Just("TEL"),
            Just("EMAIL"),
            Just("URL"),
            Just("IMPP"),
            Just("X-SOCIALPROFILE"),
            Just("ADR"),
            Just("BDAY"),
            Just("NOTE"),
            Just("PHOTO"),
            Just("item1.X-ABLabel"),
        ];
        let params = prop_oneof![
            Just(""),
            Just(";TYPE=cell"),
            Just(";TYPE=\"work,voice\""),
            Just(";VALUE=uri"),
            Just(";TYPE=twitter")
        ];
        (name, params, "[^\\p{C}]{0,40}").prop_map(|(n, p, v)| format!("{n}{p}:{v}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..800), head in any::<bool>()) {
            let (text, _) = crate::io::csv::decode(&bytes, None);
            let text = if head { format!("BEGIN:VCARD\r\n{text}") } else { text };
            let _ = read(&text, PhoneRegion::FR);
        }

        #[test]
        fn a_card_of_any_properties_is_a_row_with_a_contact_s_fields(props in proptest::collection::vec(property(), 0..24)) {
            let text = format!("BEGIN:VCARD\r\nVERSION:4.0\r\n{}\r\nEND:VCARD\r\n", props.join("\r\n"));
            let rows = read(&text, PhoneRegion::FR);
            prop_assert!(rows.is_ok(), "{text}: {rows:?}");
            let rows = rows.unwrap_or_default();
            prop_assert_eq!(rows.len(), 1);
            prop_assert_eq!(rows[0].line, 1);
            if let Ok(input) = &rows[0].input {
                for (key, value) in &input.fields {
                    prop_assert!(Entity::Contact.field(key).is_some(), "{key}");
                    prop_assert!(!value.trim().is_empty(), "{key}");
                }
            }
        }
    }
}
