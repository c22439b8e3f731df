//! One row of cells made a record's input. A value its field refuses (an e-mail `jean@@x`,
//! an amount `abc`, a source that names nothing) is left out of that field and kept aside
//! (`LeftOut`, written on the record's timeline and in the report): the lead is never lost
//! for one bad value. A row is refused only when nothing usable remains, or in strict mode
//! (the first bad value refuses it).

use super::values::{Resolution, ValuePlan, is_listed};
use super::{Target, split_full_name, unneutralize};
use crate::domain::comm::{Comm, CommKind};
use crate::domain::dedup::PhoneRegion;
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::{Entity, FieldKind, parse_value};
use crate::domain::import_rows::LeftOut;
use crate::domain::money::Currency;
use crate::domain::when::UnixMs;

/// What every row of one import is read with.
#[derive(Clone, Copy)]
pub struct RowContext<'a> {
    /// What each row is.
    pub entity: Entity,
    /// Column names (a `Note` column is kept as `Name: value`).
    pub headers: &'a [String],
    /// Where each column goes.
    pub targets: &'a [Target],
    /// Country of phone numbers written without one, unless the row names its country.
    pub region: PhoneRegion,
    /// The file's currency, for an amount whose row names none.
    pub currency: Currency,
    /// What each reference value becomes.
    pub values: &'a ValuePlan,
    /// The first bad value refuses the row (the behaviour before values were left out).
    pub strict: bool,
    /// A date and time without a zone as an instant (the importer's local time).
    pub local_instant: fn(chrono::NaiveDateTime) -> Option<UnixMs>,
    /// The entity's fields of the team's own: a `Custom` column's value is read by its
    /// field, and set aside like any other bad value.
    pub custom: &'a [crate::domain::custom_field::CustomField],
}

/// What one row gives: field values as typed, communications, a contact's companies, the
/// values left out and the record's original creation time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowValues {
    /// (field key, text).
    pub fields: Vec<(String, String)>,
    /// Phones, e-mails, websites, messengers.
    pub comms: Vec<Comm>,
    /// Companies by title or `#id` (contacts).
    pub companies: Vec<String>,
    /// Other contacts by id (deals).
    pub contacts: Vec<String>,
    /// Values no field took, with why.
    pub left_out: Vec<LeftOut>,
    /// When the record was created where it comes from.
    pub created_at: Option<UnixMs>,
}

/// How several columns mapped to one text field are joined.
fn joiner(key: &str) -> &'static str {
    match key {
        "address" => ", ",
        _ => "\n",
    }
}

/// Longest comments kept: the field's own limit.
const COMMENTS_MAX: usize = 10_000;

/// The values one row makes. `Err` only in strict mode (the first bad value) or when nothing
/// usable remains (which field, what was wrong).
pub fn row_input(ctx: &RowContext, line: u64, cells: &[String]) -> Result<RowValues, FieldError> {
    let entity = ctx.entity;
    let mut out = RowValues::default();
    let mut notes: Vec<String> = Vec::new();
    let mut phones: Vec<(&str, Option<&'static str>)> = Vec::new();
    // Types given by label columns, waiting for their value's column.
    let mut typed: Vec<(CommKind, &'static str)> = Vec::new();
    let mut region = ctx.region;
    // Set aside a bad value, or refuse the row in strict mode.
    let mut leave = |out: &mut RowValues, e: FieldError, value: &str| -> Result<(), FieldError> {
        if ctx.strict {
            return Err(e);
        }
        let reason = crate::i18n::describe(&e.problem, &e.field, crate::i18n::lang());
        out.left_out.push(LeftOut::new(e.field, value, reason));
        Ok(())
    };
    for (col, (target, raw)) in ctx.targets.iter().zip(cells).enumerate() {
        let cell = unneutralize(raw.trim()).trim();
        if cell.is_empty() {
            continue;
        }
        match target {
            Target::Ignore => {}
            // A reference column's value is what the plan answers (the plan knows which
            // columns are references: other columns do not look their field up).
            Target::Field(key) => match ctx.values.get(line, col, cell) {
                Some(Resolution::Code(code)) => {
                    // A second column of the same reference field: its value is kept aside,
                    // not dropped, when it says something else.
                    match out.fields.iter().find(|(k, _)| k == key) {
                        Some((_, first)) if *first != code => {
                            let first = first.clone();
                            let e = FieldError::new(*key, Problem::refused("second_value", &[("first", &first)]));
                            leave(&mut out, e, cell)?
                        }
                        Some(_) => {}
                        None => out.fields.push((key.to_string(), code)),
                    }
                }
                Some(Resolution::Empty | Resolution::Create(_)) => {
                    let e = FieldError::new(*key, Problem::Unknown { what: key, value: cell.into(), known: vec![] });
                    leave(&mut out, e, cell)?
                }
                Some(Resolution::Reject) => {
                    return Err(FieldError::new(
                        *key,
                        Problem::Unknown { what: key, value: cell.into(), known: vec![] },
                    ));
                }
                None if is_listed(entity, key) => set_once(&mut out.fields, key, cell),
                None => match out.fields.iter_mut().find(|(k, _)| k == key) {
                    Some((_, v)) => {
                        v.push_str(joiner(key));
                        v.push_str(cell);
                    }
                    None => out.fields.push((key.to_string(), cell.to_string())),
                },
            },
            Target::CommType(kind) => {
                // An address book's label (`* Work`, `Mobile`) for the next value of its kind;
                // one we have no type for leaves the default.
                typed.retain(|(k, _)| k != kind);
                if let Some(label) = kind.label_named(cell.trim_start_matches('*').trim()) {
                    typed.push((*kind, label));
                }
            }
            Target::Comm(kind) => {
                let label = typed.iter().position(|(k, _)| k == kind).map(|i| typed.remove(i).1);
                if *kind == CommKind::Phone {
                    phones.push((cell, label));
                    continue;
                }
                for value in cell.split(['|', ';']).map(str::trim).filter(|v| !v.is_empty()) {
                    match comm_of(*kind, value, label, region) {
                        Ok(c) => add_comm(&mut out.comms, c),
                        Err(e) => leave(&mut out, e, value)?,
                    }
                }
            }
            Target::FullName => {
                let (first, last) = split_full_name(cell);
                for (key, v) in [("first_name", first), ("last_name", last)] {
                    if !v.is_empty() && !out.fields.iter().any(|(k, _)| k == key) && entity.field(key).is_some() {
                        out.fields.push((key.to_string(), v));
                    }
                }
            }
            Target::Company => out.companies.push(cell.to_string()),
            Target::Contacts => {
                out.contacts.extend(cell.split(['|', ';']).map(str::trim).filter(|v| !v.is_empty()).map(String::from))
            }
            Target::CreatedAt => match read_instant(cell, ctx.local_instant) {
                Some(at) => out.created_at = Some(at),
                None => leave(&mut out, FieldError::new("created_at", Problem::Date { value: cell.into() }), cell)?,
            },
            Target::Country { in_address } => {
                if let Some(r) = country_region(cell) {
                    region = r;
                }
                if *in_address && entity.field("address").is_some() {
                    match out.fields.iter_mut().find(|(k, _)| k == "address") {
                        Some((_, v)) => {
                            v.push_str(", ");
                            v.push_str(cell);
                        }
                        None => out.fields.push(("address".into(), cell.into())),
                    }
                }
            }
            Target::Custom(code) => {
                let parse = crate::domain::custom_field::ParseContext {
                    currency: ctx.currency,
                    region,
                    local_instant: ctx.local_instant,
                    now: None,
                };
                let checked = match ctx.custom.iter().find(|f| f.code == *code) {
                    Some(f) => f.parse(cell, &parse).map(|_| ()),
                    None => Ok(()),
                };
                match checked {
                    Ok(()) if !out.fields.iter().any(|(k, _)| k == code) => {
                        out.fields.push((code.clone(), cell.to_string()))
                    }
                    Ok(()) => {}
                    Err(e) => leave(&mut out, e, cell)?,
                }
            }
            Target::Note => notes.push(format!("{}: {cell}", ctx.headers.get(col).map_or("", |h| h.trim()))),
        }
    }
    // Phones last: a country column anywhere in the row says where they are.
    for (cell, label) in phones {
        for value in cell.split(['|', ';']).map(str::trim).filter(|v| !v.is_empty()) {
            match comm_of(CommKind::Phone, value, label, region) {
                Ok(c) => add_comm(&mut out.comms, c),
                Err(e) => leave(&mut out, e, value)?,
            }
        }
    }
    if !notes.is_empty() && entity.field("comments").is_some() {
        let mut text = out.fields.iter().find(|(k, _)| k == "comments").map(|(_, v)| v.clone()).unwrap_or_default();
        for n in notes {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&n);
        }
        // Past the field's limit, what does not fit is kept aside, not cut off unsaid.
        if let Some((cut, _)) = text.char_indices().nth(COMMENTS_MAX) {
            let rest = text.split_off(cut);
            let e = FieldError::new("comments", Problem::TooLong { max: COMMENTS_MAX });
            leave(&mut out, e, &rest)?;
        }
        out.fields.retain(|(k, _)| k != "comments");
        out.fields.push(("comments".into(), text));
    }
    // Strict: the store checks the values of a row it creates (a duplicate it skips is not
    // refused for them), as before values were left out.
    if !ctx.strict {
        check_values(ctx, &mut out, &mut leave)?;
    }
    // A lead without a title is named after its person or company, so lists and the board
    // do not fill with "Lead #123".
    if entity == Entity::Lead && !out.fields.iter().any(|(k, _)| k == "title") {
        let get = |key: &str| out.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("");
        let person = format!("{} {}", get("first_name"), get("last_name")).trim().to_string();
        let title = match (person.is_empty(), get("company_title")) {
            (false, "") => person,
            (false, company) => format!("{person} — {company}"),
            (true, company) => company.to_string(),
        };
        if !title.is_empty() {
            out.fields.push(("title".into(), title.chars().take(255).collect()));
        }
    }
    if entity == Entity::Lead && !usable(&out) {
        return Err(FieldError::new("row", Problem::refused("nothing_usable", &[])));
    }
    Ok(out)
}

/// A lead is worth creating with a name, a title, a company, a phone or an e-mail.
fn usable(out: &RowValues) -> bool {
    out.fields
        .iter()
        .any(|(k, v)| matches!(k.as_str(), "title" | "first_name" | "last_name" | "company_title") && !v.is_empty())
        || out.comms.iter().any(|c| matches!(c.kind, CommKind::Phone | CommKind::Email))
}

/// Checks every value that is not a reference with its field's rule (the one the store
/// applies); a refused one is left out. The amount is read in the row's currency.
fn check_values(
    ctx: &RowContext,
    out: &mut RowValues,
    leave: &mut impl FnMut(&mut RowValues, FieldError, &str) -> Result<(), FieldError>,
) -> Result<(), FieldError> {
    let currency =
        out.fields.iter().find(|(k, _)| k == "currency").and_then(|(_, v)| Currency::parse(v)).unwrap_or(ctx.currency);
    let fields = std::mem::take(&mut out.fields);
    for (key, text) in fields {
        // A field of the team's own: checked when its column was read.
        let Some(spec) = ctx.entity.field(&key) else {
            out.fields.push((key, text));
            continue;
        };
        let sure = match spec.kind {
            // Stages, sources and users are the plan's; a text no longer than its limit in
            // bytes is no longer in characters (most cells: no second reading).
            FieldKind::Ref(_) => true,
            FieldKind::Text { max } => text.len() <= max,
            _ => false,
        };
        if sure {
            out.fields.push((key, text));
            continue;
        }
        match parse_value(spec, &text, currency) {
            Ok(_) => out.fields.push((key, text)),
            Err(e) => leave(out, e, &text)?,
        }
    }
    Ok(())
}

fn set_once(fields: &mut Vec<(String, String)>, key: &str, value: &str) {
    if !fields.iter().any(|(k, _)| k == key) {
        fields.push((key.to_string(), value.to_string()));
    }
}

/// A value as typed (`mobile: 06…` keeps its own type), else with the type a label column
/// gave it.
fn comm_of(kind: CommKind, value: &str, label: Option<&str>, region: PhoneRegion) -> Result<Comm, FieldError> {
    match label {
        Some(label) if !value.contains(':') || kind == CommKind::Web => Comm::new(kind, label, value, region),
        _ => Comm::parse_typed(kind, value, region),
    }
}

fn add_comm(comms: &mut Vec<Comm>, c: Comm) {
    if !comms.iter().any(|x| x.kind == c.kind && x.normalized == c.normalized) {
        comms.push(c);
    }
}

/// An export's creation time: RFC 3339 (`2024-01-15T09:30:00Z`), a date and time without a
/// zone in the importer's local time (`2024-01-15 09:30[:00]`, `15/01/2024 09:30`,
/// `15.01.2024 09:30:00`), a date alone, or Unix milliseconds (HubSpot's API form). Years
/// outside the accepted range are refused.
pub fn read_instant(text: &str, local: fn(chrono::NaiveDateTime) -> Option<UnixMs>) -> Option<UnixMs> {
    use chrono::{NaiveDate, NaiveDateTime};
    let t = text.trim();
    let at = if let Ok(d) = chrono::DateTime::parse_from_rfc3339(t) {
        Some(d.timestamp_millis())
    } else if t.len() >= 12 && t.chars().all(|c| c.is_ascii_digit()) {
        t.parse::<i64>().ok()
    } else {
        let formats =
            ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"];
        formats
            .iter()
            .chain(&["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M"])
            .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
            .or_else(|| crate::domain::when::parse_date_any_year(t).and_then(|d: NaiveDate| d.and_hms_opt(0, 0, 0)))
            .and_then(local)
    }?;
    crate::domain::when::instant_in_range(at).then_some(at)
}

/// The phone region a country cell names: a two-letter code, or a country's name in
/// English or French (the countries clients of a French office most often have).
pub fn country_region(cell: &str) -> Option<PhoneRegion> {
    let t = super::normalize_header(cell);
    if t.len() == 2 {
        return PhoneRegion::parse(&t);
    }
    let code = match t.as_str() {
        "france" => "FR",
        "united states" | "united states of america" | "usa" | "us" | "etats unis" | "etats unis d amerique" => "US",
        "united kingdom" | "uk" | "great britain" | "england" | "royaume uni" | "angleterre" => "GB",
        "germany" | "allemagne" | "deutschland" => "DE",
        "belgium" | "belgique" | "belgie" => "BE",
        "switzerland" | "suisse" | "schweiz" => "CH",
        "luxembourg" => "LU",
        "canada" => "CA",
        "spain" | "espagne" | "espana" => "ES",
        "italy" | "italie" | "italia" => "IT",
        "netherlands" | "pays bas" | "nederland" | "holland" => "NL",
        "portugal" => "PT",
        "ireland" | "irlande" => "IE",
        "austria" | "autriche" => "AT",
        "monaco" => "MC",
        "morocco" | "maroc" => "MA",
        "algeria" | "algerie" => "DZ",
        "tunisia" | "tunisie" => "TN",
        "senegal" => "SN",
        "cote d ivoire" | "ivory coast" => "CI",
        "australia" | "australie" => "AU",
        "japan" | "japon" => "JP",
        "china" | "chine" => "CN",
        "india" | "inde" => "IN",
        "brazil" | "bresil" => "BR",
        "mexico" | "mexique" => "MX",
        "sweden" | "suede" => "SE",
        "norway" | "norvege" => "NO",
        "denmark" | "danemark" => "DK",
        "poland" | "pologne" => "PL",
        _ => return None,
    };
    PhoneRegion::parse(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::values::{Choice, FieldChoices, Unknown, ValueCounts, plan};

    fn utc(t: chrono::NaiveDateTime) -> Option<UnixMs> {
        Some(t.and_utc().timestamp_millis())
    }

    fn ctx<'a>(headers: &'a [String], targets: &'a [Target], values: &'a ValuePlan) -> RowContext<'a> {
        RowContext {
            entity: Entity::Lead,
            headers,
            targets,
            region: PhoneRegion::FR,
            currency: Currency::EUR,
            values,
            strict: false,
            local_instant: utc,
            custom: &[],
        }
    }

    fn cells(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn rows_join_columns_split_names_and_read_several_phones() {
        let targets = vec![
            Target::FullName,
            Target::Comm(CommKind::Phone),
            Target::Comm(CommKind::Phone),
            Target::Field("address"),
            Target::Field("address"),
            Target::Ignore,
        ];
        let headers = cells(&["a", "b", "c", "d", "e", "f"]);
        let plan = ValuePlan::default();
        let row = cells(&[
            "Jean-Paul Martin",
            "06 12 34 56 78 | work: 01 44 55 66 77",
            "+33 6 12 34 56 78",
            "1 rue X",
            "Lyon",
            "x",
        ]);
        let RowValues { fields, comms, .. } = row_input(&ctx(&headers, &targets, &plan), 2, &row).unwrap();
        assert_eq!(
            fields,
            vec![
                ("first_name".into(), "Jean-Paul".into()),
                ("last_name".into(), "Martin".into()),
                ("address".into(), "1 rue X, Lyon".into()),
                ("title".into(), "Jean-Paul Martin".into())
            ]
        );
        assert_eq!(comms.len(), 2, "the same number twice counts once: {comms:?}");
        assert_eq!(comms[1].label, "work");
    }

    #[test]
    fn a_bad_value_is_left_out_and_the_lead_kept() {
        let targets = vec![
            Target::Field("last_name"),
            Target::Comm(CommKind::Email),
            Target::Field("amount"),
            Target::Field("birth_date"),
            Target::Field("source"),
        ];
        let headers = cells(&["Nom", "E-mail", "Montant", "Naissance", "Source"]);
        let choices = FieldChoices::new("source", vec![Choice { code: "CALL".into(), name: "Call".into() }], None);
        let mut counts = ValueCounts::default();
        counts.add(4, "Salon de Lyon");
        let (values, _) = plan(&headers, &targets, &counts, &[choices], &[], Unknown::Empty).unwrap();
        let row = cells(&["Martin", "jean@@x", "abc", "31/02/1990", "Salon de Lyon"]);
        let got = row_input(&ctx(&headers, &targets, &values), 2, &row).unwrap();
        assert_eq!(got.fields, vec![("last_name".into(), "Martin".into()), ("title".into(), "Martin".into())]);
        let left: Vec<(&str, &str)> = got.left_out.iter().map(|l| (l.field.as_str(), l.value.as_str())).collect();
        assert_eq!(
            left,
            vec![("email", "jean@@x"), ("source", "Salon de Lyon"), ("amount", "abc"), ("birth_date", "31/02/1990")]
        );
        // Strict: the first bad value refuses the row.
        let strict = RowContext { strict: true, ..ctx(&headers, &targets, &values) };
        assert_eq!(row_input(&strict, 2, &row).unwrap_err().field, "email");
        // Nothing usable: refused, naming the row.
        let nothing = cells(&["", "jean@@x", "12", "", ""]);
        assert_eq!(row_input(&ctx(&headers, &targets, &values), 2, &nothing).unwrap_err().field, "row");
    }

    #[test]
    fn a_country_column_says_where_phones_are_and_notes_keep_other_columns() {
        let targets = vec![
            Target::Field("last_name"),
            Target::Comm(CommKind::Phone),
            Target::Country { in_address: true },
            Target::Note,
            Target::CreatedAt,
        ];
        let headers = cells(&["Last", "Phone", "Country", "Lifecycle Stage", "Create Date"]);
        let plan = ValuePlan::default();
        let row = cells(&["Doe", "(212) 555-0199", "United States", "lead", "2024-01-15 09:30"]);
        let got = row_input(&ctx(&headers, &targets, &plan), 2, &row).unwrap();
        assert_eq!(got.comms[0].normalized, "+12125550199");
        assert!(got.fields.contains(&("address".into(), "United States".into())));
        assert!(got.fields.contains(&("comments".into(), "Lifecycle Stage: lead".into())));
        assert_eq!(got.created_at, Some(1_705_311_000_000));
        assert!(got.left_out.is_empty(), "{:?}", got.left_out);
    }

    #[test]
    fn a_second_value_and_notes_past_the_limit_are_kept_aside() {
        let targets = vec![Target::Field("last_name"), Target::Field("source"), Target::Field("source"), Target::Note];
        let headers = cells(&["Nom", "Source", "Origine", "Notes"]);
        let choices = FieldChoices::new(
            "source",
            vec![
                Choice { code: "CALL".into(), name: "Call".into() },
                Choice { code: "WEB".into(), name: "Website".into() },
            ],
            None,
        );
        let values = ValuePlan::new(&headers, &targets, &[choices], &[], Unknown::Empty).unwrap();
        let long = "n".repeat(COMMENTS_MAX + 50);
        let row = cells(&["Martin", "Call", "Website", &long]);
        let got = row_input(&ctx(&headers, &targets, &values), 2, &row).unwrap();
        assert!(got.fields.contains(&("source".into(), "CALL".into())), "{:?}", got.fields);
        let comments = got.fields.iter().find(|(k, _)| k == "comments").unwrap();
        assert_eq!(comments.1.chars().count(), COMMENTS_MAX);
        let left: Vec<(&str, usize)> =
            got.left_out.iter().map(|l| (l.field.as_str(), l.value.chars().count())).collect();
        assert_eq!(left, vec![("source", 7), ("comments", "Notes: ".len() + 50)]);
        // The same value twice is no second value.
        let same = cells(&["Martin", "Call", "call", ""]);
        assert!(row_input(&ctx(&headers, &targets, &values), 3, &same).unwrap().left_out.is_empty());
    }

    #[test]
    fn creation_times_in_the_forms_exports_use() {
        let at = |t: &str| read_instant(t, utc);
        assert_eq!(at("2024-01-15T09:30:00Z"), Some(1_705_311_000_000));
        assert_eq!(at("2024-01-15 09:30:00"), Some(1_705_311_000_000));
        assert_eq!(at("15.01.2024 09:30:00"), Some(1_705_311_000_000));
        assert_eq!(at("1705311000000"), Some(1_705_311_000_000));
        assert_eq!(at("15/01/2024"), Some(1_705_276_800_000));
        assert_eq!(at("yesterday"), None);
        assert_eq!(at("9999-01-01 00:00"), None);
    }
}
