//! Entities and their fields as data. One table per entity says each field's key, column,
//! kind, section and whether it is required; validation, the store's generic insert/update, the
//! CLI flags, JSON input and the form all read from it, so that a rule lives in one place and
//! custom fields (SPEC F) can later join the same lists.

use super::error::{AmountProblem, FieldError, Problem};
use super::money::{self, Currency};
use super::text;
use super::when;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Kinds of CRM record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// A potential client, not yet qualified.
    #[default]
    Lead,
    /// A person.
    Contact,
    /// An organisation.
    Company,
    /// A sale in progress.
    Deal,
}

impl Entity {
    /// Every entity, in menu order.
    pub const ALL: [Entity; 4] = [Entity::Lead, Entity::Deal, Entity::Contact, Entity::Company];

    /// Stored and typed form.
    pub fn code(self) -> &'static str {
        match self {
            Entity::Lead => "lead",
            Entity::Contact => "contact",
            Entity::Company => "company",
            Entity::Deal => "deal",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Entity> {
        Self::ALL.into_iter().find(|e| e.code() == s.trim().to_lowercase())
    }

    /// SQL table of the records.
    pub fn table(self) -> &'static str {
        match self {
            Entity::Lead => "leads",
            Entity::Contact => "contacts",
            Entity::Company => "companies",
            Entity::Deal => "deals",
        }
    }

    /// Whether records of this entity move through stages.
    pub fn has_stages(self) -> bool {
        matches!(self, Entity::Lead | Entity::Deal)
    }

    /// The field specs of this entity, in form order.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            Entity::Lead => LEAD_FIELDS,
            Entity::Contact => CONTACT_FIELDS,
            Entity::Company => COMPANY_FIELDS,
            Entity::Deal => DEAL_FIELDS,
        }
    }

    /// Looks up a field by key (`first_name`) or by its dashed CLI form (`first-name`).
    pub fn field(self, key: &str) -> Option<&'static FieldSpec> {
        // Compared as it is, without a copy: every cell of an import comes by here.
        let key = key.trim().as_bytes();
        let same =
            |k: &str| k.len() == key.len() && k.bytes().zip(key).all(|(a, &b)| a == b || (a == b'_' && b == b'-'));
        self.fields().iter().find(|f| same(f.key))
    }
}

/// Other records a field can point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefKind {
    /// A stage of the record's pipeline, by code or name.
    Stage,
    /// A lead source, by code or name.
    Source,
    /// A user, by login or display name.
    User,
    /// A deal pipeline, by name.
    Pipeline,
    /// A contact, by id.
    Contact,
    /// A company, by id or exact title.
    Company,
    /// A lead, by id.
    Lead,
}

impl RefKind {
    /// Name used in messages (`unknown stage`).
    pub fn noun(self) -> &'static str {
        match self {
            RefKind::Stage => "stage",
            RefKind::Source => "source",
            RefKind::User => "user",
            RefKind::Pipeline => "pipeline",
            RefKind::Contact => "contact",
            RefKind::Company => "company",
            RefKind::Lead => "lead",
        }
    }
}

/// What values a field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text up to `max` characters.
    Text {
        /// Longest accepted, in characters.
        max: usize,
    },
    /// A calendar date.
    Date,
    /// Yes or no.
    Bool,
    /// A whole number in a range.
    Int {
        /// Smallest accepted.
        min: i64,
        /// Largest accepted.
        max: i64,
    },
    /// One of fixed codes.
    Choice(&'static [&'static str]),
    /// Money in minor units; the currency comes from the record's `currency` field.
    Amount,
    /// ISO 4217 code.
    Currency,
    /// A link to another record or setting, stored as its id.
    Ref(RefKind),
}

/// Form section a field is shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Title, stage, amount, responsible.
    Main,
    /// Name, position, birth date.
    Person,
    /// Company, address.
    Organisation,
    /// Source, comments, flags.
    More,
}

impl Section {
    /// The built-in sections, in form order.
    pub const ALL: [Section; 4] = [Section::Main, Section::Person, Section::Organisation, Section::More];

    /// The built-in section a code names (any case), if any.
    pub fn parse(code: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.code().eq_ignore_ascii_case(code.trim()))
    }

    /// Its code: what a custom field's `section` names to join it (`main`, `more`...).
    pub fn code(self) -> &'static str {
        match self {
            Section::Main => "main",
            Section::Person => "person",
            Section::Organisation => "organisation",
            Section::More => "more",
        }
    }
}

/// One field of an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// Key used in the CLI (`--first-name`), JSON and timeline.
    pub key: &'static str,
    /// SQL column (a constant, never user input).
    pub column: &'static str,
    /// Values accepted.
    pub kind: FieldKind,
    /// Form section.
    pub section: Section,
    /// Must be non-empty on every record.
    pub required: bool,
    /// Can be changed with edit (stage moves go through `move`; source lead is set once).
    pub editable: bool,
}

impl FieldSpec {
    /// Whether the field holds several lines (comments, descriptions, an address): newlines
    /// and tabs are kept there, and become spaces elsewhere.
    pub fn multiline(&self) -> bool {
        matches!(self.kind, FieldKind::Text { max } if max > SHORT_MAX)
    }
}

/// Longest single-line text.
const SHORT_MAX: usize = 255;

const fn f(key: &'static str, column: &'static str, kind: FieldKind, section: Section) -> FieldSpec {
    FieldSpec { key, column, kind, section, required: false, editable: true }
}
const fn req(mut s: FieldSpec) -> FieldSpec {
    s.required = true;
    s
}
const fn fixed(mut s: FieldSpec) -> FieldSpec {
    s.editable = false;
    s
}

const SHORT: FieldKind = FieldKind::Text { max: SHORT_MAX };
const LONG: FieldKind = FieldKind::Text { max: 10_000 };
use FieldKind::{Amount, Bool, Choice, Date, Ref};
use Section::{Main, More, Organisation, Person};

/// Contact types (SPEC E1).
pub const CONTACT_TYPES: &[&str] = &["client", "supplier", "partner", "other"];
/// Company types (SPEC E2).
pub const COMPANY_TYPES: &[&str] = &["customer", "supplier", "competitor", "partner", "other"];
/// Employee ranges (SPEC E2).
pub const EMPLOYEE_RANGES: &[&str] = &["1-49", "50-249", "250-499", "500+"];

const LEAD_FIELDS: &[FieldSpec] = &[
    f("title", "title", SHORT, Main),
    fixed(f("stage", "stage_id", Ref(RefKind::Stage), Main)),
    f("stage_description", "stage_description", LONG, Main),
    f("amount", "amount_minor", Amount, Main),
    f("currency", "currency", FieldKind::Currency, Main),
    f("responsible", "responsible_id", Ref(RefKind::User), Main),
    f("honorific", "honorific", SHORT, Person),
    f("first_name", "first_name", SHORT, Person),
    f("middle_name", "middle_name", SHORT, Person),
    f("last_name", "last_name", SHORT, Person),
    f("position", "position", SHORT, Person),
    f("birth_date", "birth_date", Date, Person),
    f("company_title", "company_title", SHORT, Organisation),
    f("address", "address", LONG, Organisation),
    f("source", "source_id", Ref(RefKind::Source), More),
    f("source_description", "source_description", LONG, More),
    f("comments", "comments", LONG, More),
    f("opened", "opened", Bool, More),
];

const CONTACT_FIELDS: &[FieldSpec] = &[
    f("honorific", "honorific", SHORT, Person),
    req(f("first_name", "first_name", SHORT, Person)),
    f("middle_name", "middle_name", SHORT, Person),
    req(f("last_name", "last_name", SHORT, Person)),
    f("contact_type", "contact_type", Choice(CONTACT_TYPES), Main),
    f("responsible", "responsible_id", Ref(RefKind::User), Main),
    f("position", "position", SHORT, Person),
    f("birth_date", "birth_date", Date, Person),
    f("address", "address", LONG, Organisation),
    f("source", "source_id", Ref(RefKind::Source), More),
    f("source_description", "source_description", LONG, More),
    f("comments", "comments", LONG, More),
    f("opened", "opened", Bool, More),
    fixed(f("lead", "lead_id", Ref(RefKind::Lead), More)),
];

const COMPANY_FIELDS: &[FieldSpec] = &[
    req(f("title", "title", SHORT, Main)),
    f("company_type", "company_type", Choice(COMPANY_TYPES), Main),
    f("responsible", "responsible_id", Ref(RefKind::User), Main),
    f("industry", "industry", SHORT, Organisation),
    f("employees", "employees", Choice(EMPLOYEE_RANGES), Organisation),
    f("revenue", "revenue_minor", Amount, Organisation),
    f("currency", "currency", FieldKind::Currency, Organisation),
    f("address", "address", LONG, Organisation),
    f("source", "source_id", Ref(RefKind::Source), More),
    f("comments", "comments", LONG, More),
    f("opened", "opened", Bool, More),
    fixed(f("lead", "lead_id", Ref(RefKind::Lead), More)),
];

const DEAL_FIELDS: &[FieldSpec] = &[
    f("title", "title", SHORT, Main),
    fixed(f("pipeline", "pipeline_id", Ref(RefKind::Pipeline), Main)),
    fixed(f("stage", "stage_id", Ref(RefKind::Stage), Main)),
    f("amount", "amount_minor", Amount, Main),
    f("currency", "currency", FieldKind::Currency, Main),
    f("probability", "probability", FieldKind::Int { min: 0, max: 100 }, Main),
    f("responsible", "responsible_id", Ref(RefKind::User), Main),
    f("contact", "contact_id", Ref(RefKind::Contact), Organisation),
    f("company", "company_id", Ref(RefKind::Company), Organisation),
    f("begin_date", "begin_date", Date, More),
    f("close_date", "close_date", Date, More),
    f("source", "source_id", Ref(RefKind::Source), More),
    f("comments", "comments", LONG, More),
    f("opened", "opened", Bool, More),
    fixed(f("lead", "lead_id", Ref(RefKind::Lead), More)),
];

/// A validated field value, ready for the store. References are still text (a code, name or
/// id) that the store resolves against the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue {
    /// Cleared.
    Null,
    /// Text, choice code, currency code.
    Text(String),
    /// Whole number, amount in minor units, resolved reference id.
    Int(i64),
    /// Yes/no.
    Bool(bool),
    /// Calendar date.
    Date(NaiveDate),
    /// Reference to resolve (code, name or id as typed).
    Ref(RefKind, String),
}

/// What the validator needs to know beyond the input itself.
#[derive(Clone, Copy, Debug)]
pub struct InputContext {
    /// Currency of the record now, or the file's default for a new record.
    pub currency: Currency,
    /// Whether this is a new record (required fields must all be present).
    pub creating: bool,
}

/// Validates raw `(key, text)` pairs for one entity. Empty text clears a field. Returns the
/// values in input order, or the first error, naming the field and what is accepted.
pub fn validate_input(
    entity: Entity,
    input: &[(String, String)],
    ctx: InputContext,
) -> Result<Vec<(&'static FieldSpec, FieldValue)>, FieldError> {
    // The amount is read in the currency given alongside it, if any.
    let mut currency = ctx.currency;
    for (key, text) in input {
        if let Some(spec) = entity.field(key)
            && spec.kind == FieldKind::Currency
            && !text.trim().is_empty()
        {
            currency = Currency::parse(text)
                .ok_or_else(|| FieldError::new(spec.key, Problem::Currency { value: text.trim().to_string() }))?;
        }
    }
    let mut out: Vec<(&'static FieldSpec, FieldValue)> = Vec::with_capacity(input.len());
    for (key, text) in input {
        let spec = entity.field(key).ok_or_else(|| {
            FieldError::new(
                key.clone(),
                Problem::NoSuchField { accepted: entity.fields().iter().map(|f| f.key.to_string()).collect() },
            )
        })?;
        if !ctx.creating && !spec.editable {
            let move_with = (spec.key == "stage").then(|| entity.code());
            return Err(FieldError::new(spec.key, Problem::NotEditable { move_with }));
        }
        let value = parse_value(spec, text, currency)?;
        if let Some(i) = out.iter().position(|(s, _)| s.key == spec.key) {
            out[i].1 = value;
        } else {
            out.push((spec, value));
        }
    }
    if ctx.creating {
        for spec in entity.fields().iter().filter(|s| s.required) {
            if !out.iter().any(|(s, v)| s.key == spec.key && *v != FieldValue::Null) {
                return Err(FieldError::new(spec.key, Problem::Required));
            }
        }
    }
    Ok(out)
}

/// Parses one field's text. Empty means "clear", refused for required fields.
/// Every typed value is cleaned of control characters and bidi controls first
/// (`text::clean_multiline` for long texts, `text::clean_line` for the rest): this is the one
/// place the CLI flags, JSON input, CSV import, e-mail intake and the TUI form all pass.
pub fn parse_value(spec: &FieldSpec, text: &str, currency: Currency) -> Result<FieldValue, FieldError> {
    let cleaned = if spec.multiline() { text::clean_multiline(text) } else { text::clean_line(text) };
    let t = cleaned.trim();
    let err = |p: Problem| FieldError::new(spec.key, p);
    if t.is_empty() {
        return if spec.required { Err(err(Problem::Required)) } else { Ok(FieldValue::Null) };
    }
    Ok(match spec.kind {
        FieldKind::Text { max } => {
            if t.chars().count() > max {
                return Err(err(Problem::TooLong { max }));
            }
            FieldValue::Text(t.to_string())
        }
        FieldKind::Date => FieldValue::Date(when::read_date(spec.key, t)?),
        FieldKind::Bool => FieldValue::Bool(parse_bool(t).ok_or_else(|| err(Problem::Bool { value: t.to_string() }))?),
        FieldKind::Int { min, max } => {
            let n: i64 = t
                .trim_end_matches('%')
                .trim()
                .parse()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| err(Problem::Integer { value: t.to_string(), min, max }))?;
            FieldValue::Int(n)
        }
        FieldKind::Choice(choices) => {
            let lower = t.to_lowercase();
            let c = choices.iter().find(|c| **c == lower).ok_or_else(|| {
                err(Problem::Choice { value: t.to_string(), accepted: choices.iter().map(|s| s.to_string()).collect() })
            })?;
            FieldValue::Text(c.to_string())
        }
        FieldKind::Amount => {
            let minor =
                money::parse_amount(t, currency).map_err(|why| err(Problem::Amount { value: t.to_string(), why }))?;
            if minor < 0 {
                return Err(err(Problem::Amount { value: t.to_string(), why: AmountProblem::Negative }));
            }
            FieldValue::Int(minor)
        }
        FieldKind::Currency => FieldValue::Text(
            Currency::parse(t).ok_or_else(|| err(Problem::Currency { value: t.to_string() }))?.code().to_string(),
        ),
        FieldKind::Ref(kind) => FieldValue::Ref(kind, t.to_string()),
    })
}

/// Reads yes/no in English or French.
pub fn parse_bool(t: &str) -> Option<bool> {
    match t.trim().to_lowercase().as_str() {
        "y" | "yes" | "true" | "1" | "on" | "o" | "oui" | "vrai" => Some(true),
        "n" | "no" | "false" | "0" | "off" | "non" | "faux" => Some(false),
        _ => None,
    }
}

/// The title shown for a record: its title or name, or `Lead #12` when empty (SPEC L1).
pub fn display_title(entity: Entity, id: i64, title: Option<&str>) -> String {
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t.to_string(),
        None => {
            let word = match entity {
                Entity::Lead => "Lead",
                Entity::Deal => "Deal",
                Entity::Contact => "Contact",
                Entity::Company => "Company",
            };
            format!("{word} #{id}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }
    const NEW: InputContext = InputContext { currency: Currency::EUR, creating: true };
    const EDIT: InputContext = InputContext { currency: Currency::EUR, creating: false };

    #[test]
    fn every_field_key_and_column_is_unique_and_sql_safe() {
        for e in Entity::ALL {
            let mut keys: Vec<_> = e.fields().iter().map(|f| f.key).collect();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), e.fields().len(), "{e:?}");
            for f in e.fields() {
                assert!(f.column.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            }
        }
    }

    #[test]
    fn amount_reads_in_the_given_currency() {
        let v = validate_input(Entity::Lead, &input(&[("amount", "12.345"), ("currency", "TND")]), NEW).unwrap();
        assert_eq!(v[0].1, FieldValue::Int(12345));
        let e = validate_input(Entity::Lead, &input(&[("amount", "12.345")]), NEW).unwrap_err();
        assert_eq!(e.field, "amount");
        let e = validate_input(Entity::Lead, &input(&[("amount", "-5")]), NEW).unwrap_err();
        assert!(matches!(e.problem, Problem::Amount { why: AmountProblem::Negative, .. }));
    }

    #[test]
    fn required_fields_on_create_and_edit() {
        let e = validate_input(Entity::Contact, &input(&[("first_name", "Ann")]), NEW).unwrap_err();
        assert_eq!((e.field.as_str(), e.problem), ("last_name", Problem::Required));
        let e = validate_input(Entity::Company, &input(&[("title", "  ")]), EDIT).unwrap_err();
        assert_eq!((e.field.as_str(), e.problem), ("title", Problem::Required));
        assert!(validate_input(Entity::Lead, &[], NEW).unwrap().is_empty());
    }

    #[test]
    fn a_field_is_found_by_its_key_or_dashed_form_only() {
        let key = |k: &str| Entity::Lead.field(k).map(|f| f.key);
        assert_eq!(key(" first_name "), Some("first_name"));
        assert_eq!(key("first-name"), Some("first_name"));
        for other in ["first_nam", "first_name_", "first name", "first-Name", ""] {
            assert_eq!(key(other), None, "{other:?}");
        }
    }

    #[test]
    fn unknown_fields_and_fixed_fields() {
        let e = validate_input(Entity::Lead, &input(&[("colour", "red")]), NEW).unwrap_err();
        assert!(matches!(e.problem, Problem::NoSuchField { .. }));
        let e = validate_input(Entity::Lead, &input(&[("stage", "NEW")]), EDIT).unwrap_err();
        assert!(matches!(e.problem, Problem::NotEditable { .. }));
        let v = validate_input(Entity::Lead, &input(&[("first-name", "Zoé"), ("opened", "oui")]), EDIT).unwrap();
        assert_eq!(v[0].1, FieldValue::Text("Zoé".into()));
        assert_eq!(v[1].1, FieldValue::Bool(true));
    }

    #[test]
    fn bad_values_are_named() {
        for (k, v) in [("birth_date", "31/02/1990"), ("opened", "maybe"), ("title", &"x".repeat(256))] {
            let e = validate_input(Entity::Lead, &input(&[(k, v)]), NEW).unwrap_err();
            assert_eq!(e.field, k);
        }
        let e = validate_input(Entity::Deal, &input(&[("probability", "120")]), NEW).unwrap_err();
        assert!(matches!(e.problem, Problem::Integer { .. }));
        let e =
            validate_input(Entity::Company, &input(&[("title", "A"), ("company_type", "friend")]), NEW).unwrap_err();
        assert!(matches!(e.problem, Problem::Choice { .. }));
    }

    #[test]
    fn empty_titles_get_a_number() {
        assert_eq!(display_title(Entity::Lead, 7, Some("  ")), "Lead #7");
        assert_eq!(display_title(Entity::Lead, 7, Some("Big one")), "Big one");
    }
}
