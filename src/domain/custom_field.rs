//! Fields of the team's own (SPEC F1, F2): their types, what a value of each type accepts and
//! how it is kept, and the stages from which one is required. The one statement of these
//! rules: the store writes what `CustomField::parse` returns, the CLI and TUI show what
//! `present` makes of it.

use crate::domain::comm::{Comm, CommKind};
use crate::domain::dedup::PhoneRegion;
use crate::domain::error::{AmountProblem, FieldError, Problem};
use crate::domain::fields::{Entity, parse_bool};
use crate::domain::money::{self, Currency};
use crate::domain::text;
use crate::domain::when::{self, UnixMs};
use crate::i18n::Lang;
use serde::Serialize;

/// What values a custom field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "to")]
pub enum FieldType {
    /// One line of text (up to 255 characters).
    Text,
    /// Several lines (up to 10,000 characters).
    Multiline,
    /// A decimal number (`-3`, `1 500,25`).
    Number,
    /// An amount in a currency, kept in minor units (`1500 EUR`; the record's currency, else
    /// the default one, when none is typed).
    Money,
    /// A calendar day.
    Date,
    /// A day and time (local time typed, kept in UTC).
    DateTime,
    /// Yes or no.
    Bool,
    /// One of the field's options.
    List,
    /// Some of the field's options.
    MultiList,
    /// A record, by id.
    Link(Entity),
    /// A web address.
    Url,
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
}

impl FieldType {
    /// Every type's code, as `--type` takes them.
    pub const CODES: [&'static str; 13] = [
        "text",
        "multiline",
        "number",
        "money",
        "date",
        "datetime",
        "bool",
        "list",
        "multilist",
        "link",
        "url",
        "email",
        "phone",
    ];

    /// Its code (`link` for every link).
    pub fn code(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Multiline => "multiline",
            FieldType::Number => "number",
            FieldType::Money => "money",
            FieldType::Date => "date",
            FieldType::DateTime => "datetime",
            FieldType::Bool => "bool",
            FieldType::List => "list",
            FieldType::MultiList => "multilist",
            FieldType::Link(_) => "link",
            FieldType::Url => "url",
            FieldType::Email => "email",
            FieldType::Phone => "phone",
        }
    }

    /// The type a code names; a link needs the kind of record it points at.
    pub fn parse(code: &str, link_to: Option<Entity>) -> Result<FieldType, FieldError> {
        let t = code.trim().to_lowercase();
        let kind = match t.as_str() {
            "text" | "texte" => FieldType::Text,
            "multiline" | "multi-line" | "long" => FieldType::Multiline,
            "number" | "nombre" => FieldType::Number,
            "money" | "montant" => FieldType::Money,
            "date" => FieldType::Date,
            "datetime" | "date-time" => FieldType::DateTime,
            "bool" | "yes/no" | "oui/non" => FieldType::Bool,
            "list" | "liste" => FieldType::List,
            "multilist" | "multi-list" => FieldType::MultiList,
            "link" | "lien" => match link_to {
                Some(e) => FieldType::Link(e),
                None => return Err(FieldError::new("link-to", Problem::Required)),
            },
            "url" | "web" => FieldType::Url,
            "email" | "e-mail" => FieldType::Email,
            "phone" | "téléphone" | "telephone" => FieldType::Phone,
            _ => {
                let accepted = FieldType::CODES.iter().map(|c| c.to_string()).collect();
                return Err(FieldError::new("type", Problem::Choice { value: code.trim().to_string(), accepted }));
            }
        };
        Ok(kind)
    }

    /// Whether values of this type have options to choose from.
    pub fn has_options(self) -> bool {
        matches!(self, FieldType::List | FieldType::MultiList)
    }
}

/// A field of the team's own, on one kind of record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CustomField {
    /// Row id.
    pub id: i64,
    /// The kind of record it belongs to.
    pub entity: Entity,
    /// Its code: the CLI's `--set CODE=…`, JSON's `fields.CODE`, the import's column.
    pub code: String,
    /// What it takes.
    #[serde(flatten)]
    pub kind: FieldType,
    /// Its label in English.
    pub label: String,
    /// Its label in French (the English one when none).
    pub label_fr: Option<String>,
    /// The form section it is shown in.
    pub section: String,
    /// Its place among the custom fields of its entity.
    pub position: i64,
    /// What a new record gets when nothing is typed (already in stored form).
    pub default: Option<String>,
    /// Shown as a column of lists.
    pub in_list: bool,
    /// A list's options, in order.
    pub options: Vec<String>,
    /// The stages (ids) from which it must be filled: one per pipeline at most.
    pub required_from: Vec<i64>,
}

/// What typed values are read with.
#[derive(Clone, Copy, Debug)]
pub struct ParseContext {
    /// The record's currency (else the default one): money typed without a code.
    pub currency: Currency,
    /// Phones without a country code.
    pub region: PhoneRegion,
    /// A day and time typed without a zone, as an instant (the user's local time).
    pub local_instant: fn(chrono::NaiveDateTime) -> Option<UnixMs>,
    /// Now, for a date and time typed as activities take it (`tomorrow 9h`, `lundi 14h`,
    /// `+2d`): `None` where only a written-out day and time make sense (an import's cells).
    pub now: Option<UnixMs>,
}

impl CustomField {
    /// A new field as added before anything else is said of it: labelled by its code, in
    /// section More, last, no default, options or required stage (the engine gives its id
    /// and position).
    pub fn new(entity: Entity, code: &str, kind: FieldType) -> CustomField {
        CustomField {
            id: 0,
            entity,
            code: code.to_string(),
            kind,
            label: code.to_string(),
            label_fr: None,
            section: "more".into(),
            position: 0,
            default: None,
            in_list: false,
            options: vec![],
            required_from: vec![],
        }
    }

    /// Its label in `lang`.
    pub fn label_in(&self, lang: Lang) -> &str {
        match (lang, &self.label_fr) {
            (Lang::Fr, Some(fr)) if !fr.trim().is_empty() => fr,
            _ => &self.label,
        }
    }

    /// The stored form of a typed value, `None` to clear it; a bad value names the field and
    /// says what is accepted.
    pub fn parse(&self, typed: &str, ctx: &ParseContext) -> Result<Option<String>, FieldError> {
        let cleaned =
            if self.kind == FieldType::Multiline { text::clean_multiline(typed) } else { text::clean_line(typed) };
        let t = cleaned.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let err = |p: Problem| FieldError::new(self.code.clone(), p);
        let too_long = |max: usize| t.chars().count() > max;
        let stored = match self.kind {
            FieldType::Text if too_long(255) => return Err(err(Problem::TooLong { max: 255 })),
            FieldType::Multiline if too_long(10_000) => return Err(err(Problem::TooLong { max: 10_000 })),
            FieldType::Text | FieldType::Multiline => t.to_string(),
            FieldType::Number => parse_number(t)
                .ok_or_else(|| err(Problem::Refused { key: "number", args: vec![("value", t.into())] }))?,
            FieldType::Money => {
                let (amount, currency) = split_currency(t, ctx.currency);
                let currency = currency.ok_or_else(|| err(Problem::Currency { value: t.to_string() }))?;
                let minor = money::parse_amount(amount, currency)
                    .map_err(|why| err(Problem::Amount { value: t.to_string(), why }))?;
                if minor < 0 {
                    return Err(err(Problem::Amount { value: t.to_string(), why: AmountProblem::Negative }));
                }
                format!("{minor} {}", currency.code())
            }
            FieldType::Date => when::read_date(&self.code, t)?.format("%Y-%m-%d").to_string(),
            FieldType::DateTime => read_date_time(t, ctx).ok_or_else(|| err(Problem::DateTime { value: t.into() }))?,
            FieldType::Bool => {
                let yes = parse_bool(t).ok_or_else(|| err(Problem::Bool { value: t.to_string() }))?;
                (if yes { "1" } else { "0" }).to_string()
            }
            FieldType::List => self.option(t).ok_or_else(|| err(self.choice_problem(t)))?.to_string(),
            FieldType::MultiList => {
                let mut picked = Vec::new();
                for part in t.split(['|', ',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
                    picked.push(self.option(part).ok_or_else(|| err(self.choice_problem(part)))?);
                }
                // In the options' order, each once; none picked clears.
                let kept: Vec<&str> = self.options.iter().map(String::as_str).filter(|o| picked.contains(o)).collect();
                if kept.is_empty() {
                    return Ok(None);
                }
                kept.join("|")
            }
            FieldType::Link(entity) => {
                let id = t.trim_start_matches('#').parse::<i64>().ok().filter(|id| *id > 0);
                let what = entity.code();
                id.ok_or_else(|| err(Problem::Unknown { what, value: t.to_string(), known: vec![] }))?.to_string()
            }
            FieldType::Url => comm(CommKind::Web, t, ctx, &self.code)?.value,
            FieldType::Email => comm(CommKind::Email, t, ctx, &self.code)?.normalized,
            FieldType::Phone => comm(CommKind::Phone, t, ctx, &self.code)?.normalized,
        };
        Ok(Some(stored))
    }

    /// A stored value in the form input takes back, the same in every language: money as
    /// `1500.00 EUR`, yes/no as `yes`/`no`, a day and time in RFC 3339 (UTC), a multi-list
    /// as `a|b`. The timeline and JSON show it; `present` makes the interface's text.
    pub fn plain(&self, stored: &str) -> String {
        match self.kind {
            FieldType::Money => match stored_money(stored) {
                Some((minor, currency)) => {
                    format!("{} {}", money::plain_amount(money::Money { minor, currency }), currency.code())
                }
                None => stored.to_string(),
            },
            FieldType::Bool => (if stored == "1" { "yes" } else { "no" }).to_string(),
            FieldType::DateTime => stored.parse::<i64>().map_or(stored.to_string(), when::rfc3339),
            _ => stored.to_string(),
        }
    }

    /// The option typed (any case), as the field spells it.
    fn option(&self, typed: &str) -> Option<&str> {
        let lower = typed.to_lowercase();
        self.options.iter().find(|o| o.to_lowercase() == lower).map(String::as_str)
    }

    fn choice_problem(&self, typed: &str) -> Problem {
        Problem::Choice { value: typed.to_string(), accepted: self.options.clone() }
    }
}

/// A decimal number in canonical form (`-1500.25`): spaces and a French decimal comma read.
fn parse_number(t: &str) -> Option<String> {
    // `1,500` or `1.500`: thousands or decimals? Refused rather than guessed (as money is).
    let marks: Vec<char> = t.chars().filter(|c| *c == ',' || *c == '.').collect();
    if let [_] = marks.as_slice() {
        let after = t.rsplit([',', '.']).next().unwrap_or("");
        if after.len() == 3 && after.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    let compact: String = t.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}').collect();
    let compact = compact.replace(',', ".");
    let (sign, digits) = match compact.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", compact.strip_prefix('+').unwrap_or(&compact)),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && frac.is_empty() || !ok(whole) || !ok(frac) || whole.len() + frac.len() > 30 {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let frac = frac.trim_end_matches('0');
    let n = if frac.is_empty() { whole.to_string() } else { format!("{whole}.{frac}") };
    Some(if n == "0" { n } else { format!("{sign}{n}") })
}

/// `1500 EUR`, `EUR 1500`, `1500`: the amount and its currency (`default` when none is
/// typed; `None` for a code that is not a currency).
fn split_currency(t: &str, default: Currency) -> (&str, Option<Currency>) {
    let last = t.rsplit_once(' ').filter(|(_, c)| c.chars().all(|c| c.is_ascii_alphabetic()) && c.len() == 3);
    if let Some((amount, code)) = last {
        return (amount.trim(), Currency::parse(code));
    }
    let first = t.split_once(' ').filter(|(c, _)| c.chars().all(|c| c.is_ascii_alphabetic()) && c.len() == 3);
    if let Some((code, amount)) = first {
        return (amount.trim(), Currency::parse(code));
    }
    (t, Some(default))
}

/// `2026-11-24 14:30` (local), `24/11/2026 14h30` or RFC 3339, as milliseconds in UTC.
fn read_date_time(t: &str, ctx: &ParseContext) -> Option<String> {
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(t) {
        let ms = at.timestamp_millis();
        return when::instant_in_range(ms).then(|| ms.to_string());
    }
    let written = || {
        let (day, time) = t.rsplit_once([' ', 'T'])?;
        let day = when::parse_date(day)?;
        let time = time.replace('h', ":");
        let time = if time.ends_with(':') { format!("{time}00") } else { time };
        let time = chrono::NaiveTime::parse_from_str(&time, "%H:%M").ok()?;
        (ctx.local_instant)(day.and_time(time))
    };
    // Else as an activity's time is typed, in the user's local time (`tomorrow 9h`).
    let said = || {
        let now = when::from_ms(ctx.now?).with_timezone(&chrono::Local);
        crate::domain::agenda::parse_when(t, &now).map(|at| at.timestamp_millis())
    };
    let ms = written().or_else(said)?;
    when::instant_in_range(ms).then(|| ms.to_string())
}

fn comm(kind: CommKind, t: &str, ctx: &ParseContext, code: &str) -> Result<Comm, FieldError> {
    Comm::new(kind, "", t, ctx.region).map_err(|mut e| {
        e.field = code.to_string();
        e
    })
}

/// Whether a field that is required from some stages must be filled in `stage` (id): it is
/// when `stage` is one of them or comes after one of them in the same pipeline, unless it is
/// a failure stage (a junked lead needs no budget). `pipeline` is the stages of the record's
/// pipeline in order, each `(id, is_failure)`.
pub fn required_at(field: &CustomField, stage: i64, pipeline: &[(i64, bool)]) -> bool {
    let Some(at) = pipeline.iter().position(|(id, _)| *id == stage) else { return false };
    if pipeline[at].1 {
        return false;
    }
    field.required_from.iter().any(|from| pipeline.iter().position(|(id, _)| id == from).is_some_and(|f| f <= at))
}

/// The fields a record must have filled before it moves to `stage` and does not: each of
/// `fields` required there (`required_at`) without a value in `values` ((field id, stored)).
pub fn missing_at(
    fields: &[CustomField],
    values: &[(i64, String)],
    stage: i64,
    pipeline: &[(i64, bool)],
) -> Vec<CustomField> {
    let filled = |f: &CustomField| values.iter().any(|(id, v)| *id == f.id && !v.trim().is_empty());
    fields.iter().filter(|f| required_at(f, stage, pipeline) && !filled(f)).cloned().collect()
}

/// A code as fields take it: lowercase letters, digits and `_`, starting with a letter, up
/// to 40 characters, and not a built-in field's key (nor one of the keys JSON uses).
pub fn check_code(entity: Entity, code: &str) -> Result<String, FieldError> {
    let c = code.trim().to_lowercase().replace('-', "_");
    let shaped = c.len() <= 40
        && c.chars().next().is_some_and(|f| f.is_ascii_lowercase())
        && c.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
    if !shaped {
        return Err(FieldError::new("code", Problem::refused("field_code", &[("value", code.trim())])));
    }
    const RESERVED: &[&str] =
        &["id", "entity", "version", "fields", "links", "contacts", "companies", "timeline", "phones", "emails"];
    if entity.field(&c).is_some() || RESERVED.contains(&c.as_str()) {
        return Err(FieldError::new("code", Problem::refused("field_code_taken", &[("value", &c)])));
    }
    Ok(c)
}

/// Money kept by `CustomField::parse`: (minor units, currency).
pub fn stored_money(stored: &str) -> Option<(i64, Currency)> {
    let (minor, code) = stored.split_once(' ')?;
    Some((minor.parse().ok()?, Currency::parse(code)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: FieldType, options: &[&str]) -> CustomField {
        CustomField {
            id: 1,
            label: "Budget".into(),
            position: 1,
            options: options.iter().map(|o| o.to_string()).collect(),
            ..CustomField::new(Entity::Lead, "budget", kind)
        }
    }

    fn ctx() -> ParseContext {
        ParseContext {
            currency: Currency::EUR,
            region: PhoneRegion::FR,
            local_instant: |d| Some(d.and_utc().timestamp_millis()),
            now: None,
        }
    }

    #[test]
    fn a_date_and_time_takes_what_an_activity_takes_when_now_is_known() {
        let f = field(FieldType::DateTime, &[]);
        // 2026-11-23 09:00 UTC, a Monday.
        let now = ParseContext { now: Some(1_795_424_400_000), ..ctx() };
        let local = |text: &str| {
            let at = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
            chrono::Local.from_local_datetime(&at).earliest().unwrap().timestamp_millis().to_string()
        };
        use chrono::TimeZone;
        for (typed, at) in [
            ("tomorrow 9h", "2026-11-24 09:00"),
            ("demain 14h30", "2026-11-24 14:30"),
            ("lundi 9h", "2026-11-30 09:00"),
            ("2026-12-15", "2026-12-15 09:00"),
        ] {
            assert_eq!(f.parse(typed, &now).unwrap().as_deref(), Some(local(at).as_str()), "{typed}");
        }
        assert!(f.parse("tomorrow 9h", &ctx()).is_err(), "without now (an import's cell), written out only");
        assert!(f.parse("soon", &now).is_err());
    }

    fn parse(kind: FieldType, options: &[&str], typed: &str) -> Result<Option<String>, FieldError> {
        field(kind, options).parse(typed, &ctx())
    }

    #[test]
    fn each_type_keeps_one_form_and_names_the_field_when_refused() {
        let ok =
            |kind, typed: &str, kept: &str| assert_eq!(parse(kind, &["Small", "Large"], typed).unwrap().unwrap(), kept);
        ok(FieldType::Number, "1 500,50", "1500.5");
        ok(FieldType::Number, "1500,5", "1500.5");
        assert!(parse(FieldType::Number, &[], "1,500").is_err(), "thousands or decimals: refused");
        ok(FieldType::Number, "-007", "-7");
        ok(FieldType::Money, "1 500,00", "150000 EUR");
        ok(FieldType::Money, "20 USD", "2000 USD");
        ok(FieldType::Date, "24/11/2026", "2026-11-24");
        ok(FieldType::DateTime, "2026-11-24 14h30", "1795530600000");
        ok(FieldType::Bool, "oui", "1");
        ok(FieldType::List, "large", "Large");
        ok(FieldType::MultiList, "large | small", "Small|Large");
        assert_eq!(parse(FieldType::MultiList, &["Small"], " , ").unwrap(), None, "nothing picked clears");
        ok(FieldType::Link(Entity::Contact), "#12", "12");
        ok(FieldType::Email, "Jean@Example.COM", "jean@example.com");
        ok(FieldType::Phone, "06 12 34 56 78", "+33612345678");
        assert_eq!(parse(FieldType::Text, &[], "  ").unwrap(), None, "empty clears");
        for (kind, typed) in [
            (FieldType::Number, "12abc"),
            (FieldType::Money, "12 XYZ"),
            (FieldType::Date, "31/02/2026"),
            (FieldType::Bool, "maybe"),
            (FieldType::List, "Medium"),
            (FieldType::Link(Entity::Deal), "Acme"),
            (FieldType::Email, "nope"),
        ] {
            let e = parse(kind, &["Small", "Large"], typed).unwrap_err();
            assert_eq!(e.field, "budget", "{kind:?} {typed}");
        }
        let e = parse(FieldType::List, &["Small", "Large"], "Medium").unwrap_err();
        assert_eq!(
            e.problem,
            Problem::Choice { value: "Medium".into(), accepted: vec!["Small".into(), "Large".into()] }
        );
    }

    #[test]
    fn a_field_is_required_from_its_stage_on_but_not_in_failure() {
        let mut f = field(FieldType::Text, &[]);
        f.required_from = vec![2];
        let pipeline = [(1, false), (2, false), (3, false), (4, true)];
        assert_eq!([1, 2, 3, 4].map(|s| required_at(&f, s, &pipeline)), [false, true, true, false]);
        // Another pipeline's stage: not required there.
        assert!(!required_at(&f, 3, &[(7, false), (3, false)]));
    }

    #[test]
    fn codes_are_shaped_and_not_a_built_in_key() {
        assert_eq!(check_code(Entity::Lead, "Product-Interest").unwrap(), "product_interest");
        assert!(check_code(Entity::Lead, "title").is_err());
        assert!(check_code(Entity::Lead, "2fast").is_err());
        assert!(check_code(Entity::Lead, "fields").is_err());
        assert!(FieldType::parse("liste", None).is_ok() && FieldType::parse("link", None).is_err());
    }
}
