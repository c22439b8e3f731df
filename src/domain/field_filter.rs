//! Lists filtered and sorted by fields of the team's own (SPEC V2): the order key every value
//! is kept with, and a typed condition (`budget>=1000`, `region=North|South`, `callback=`)
//! read into what the engines test. The one place these rules live: both engines index and
//! compare the keys `sort_key` makes, the CLI's `--where` and the TUI's filter prompt read
//! conditions with `read_condition`.

use crate::domain::custom_field::{CustomField, FieldType, ParseContext, stored_money};
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::Entity;
use crate::domain::when;

/// The longest text key kept (characters): PostgreSQL caps an index entry near 2,700 bytes.
const TEXT_KEY: usize = 500;

/// A value's order key: one text per value whose byte order is the order of the values
/// (numbers and amounts by size, days and instants by time, list options in the field's
/// order, text without case). Kept beside the value and indexed with its field, so a list
/// sorted or filtered by a field reads the index in order on both engines.
pub fn sort_key(field: &CustomField, stored: &str) -> String {
    match field.kind {
        FieldType::Number => stored.parse::<f64>().map(float_key).unwrap_or_default(),
        FieldType::Money => stored_money(stored).map(|(minor, _)| int_key(minor)).unwrap_or_default(),
        FieldType::DateTime => stored.parse::<i64>().map(int_key).unwrap_or_default(),
        FieldType::Link(_) => stored.parse::<i64>().map(link_key).unwrap_or_default(),
        FieldType::List | FieldType::MultiList => {
            let first = stored.split('|').next().unwrap_or("");
            let at = field.options.iter().position(|o| o == first).unwrap_or(field.options.len());
            format!("{at:04x}")
        }
        FieldType::Date | FieldType::Bool => stored.to_string(),
        FieldType::Text | FieldType::Multiline | FieldType::Url | FieldType::Email | FieldType::Phone => {
            text_key(stored)
        }
    }
}

/// The order key of a link to record `id` (what a merge repoints links to).
pub fn link_key(id: i64) -> String {
    int_key(id)
}

/// Text without case, cut to `TEXT_KEY` characters: what text sorts and `~` searches by.
fn text_key(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).take(TEXT_KEY).collect()
}

/// The whole number a key of `int_key` (a date-time's instant, a link's id) stands for.
pub fn key_int(key: &str) -> Option<i64> {
    u64::from_str_radix(key, 16).ok().filter(|_| key.len() == 16).map(|n| (n ^ (1 << 63)) as i64)
}

/// A whole number as 16 hex digits in order (the sign bit flipped).
fn int_key(n: i64) -> String {
    format!("{:016x}", (n as u64) ^ (1 << 63))
}

/// A decimal number as 16 hex digits in order (IEEE order made unsigned).
fn float_key(x: f64) -> String {
    let bits = x.to_bits();
    let ordered = if bits >> 63 == 1 { !bits } else { bits | (1 << 63) };
    format!("{ordered:016x}")
}

/// What a condition asks of a field's value, in the keys and stored forms the engines keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldTest {
    /// No value.
    Empty,
    /// Some value.
    NotEmpty,
    /// The value's key is one of these.
    In(Vec<String>),
    /// The value's key is none of these (no value included).
    NotIn(Vec<String>),
    /// A multiple choice holding one of these options (stored spelling) at least.
    HasOption(Vec<String>),
    /// A multiple choice holding none of these options.
    HasNoOption(Vec<String>),
    /// The key within bounds, each (key, included).
    Range { from: Option<(String, bool)>, to: Option<(String, bool)> },
    /// The text (without case) holds this.
    Contains(String),
}

/// A condition on one field, built-in or of the team's own, ready for the engines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldCondition {
    /// The field tested.
    pub on: ConditionOn,
    /// What its value must be.
    pub test: FieldTest,
}

/// The field a condition tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConditionOn {
    /// A field of the team's own, by id: its values' order keys (`sort_key`) are tested.
    Custom(i64),
    /// A built-in field, by its column: the column's own values are tested.
    Column {
        /// The SQL column (a constant of `fields::FieldSpec`, never typed).
        column: &'static str,
        /// How its values compare.
        kind: ColumnKind,
    },
}

/// How a built-in column's values compare in a condition (the keys `FieldTest` holds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// Free text, compared without case; keys are the typed text.
    Text,
    /// Whole numbers and amounts in minor units; keys are decimal numbers.
    Int,
    /// Days as `YYYY-MM-DD`.
    Date,
    /// Yes/no; keys are `1` and `0`.
    Bool,
    /// Fixed codes (a choice, a currency); keys are the codes.
    Code,
}

/// The operators a condition takes, longest first (so `>=` is not read as `>`).
pub(crate) const OPERATORS: [&str; 7] = ["!=", ">=", "<=", "=", ">", "<", "~"];

/// Whether a field's values have a size or a time (ranges and `<`, `>` apply).
fn ranged(kind: FieldType) -> bool {
    matches!(kind, FieldType::Number | FieldType::Money | FieldType::Date | FieldType::DateTime)
}

/// Whether a field holds free text (`~` applies).
fn textual(kind: FieldType) -> bool {
    matches!(kind, FieldType::Text | FieldType::Multiline | FieldType::Url | FieldType::Email | FieldType::Phone)
}

/// The operators `kind` takes, as said in a refusal.
fn operators_of(kind: FieldType) -> &'static str {
    if ranged(kind) {
        "=  !=  >=  <=  >  <  A..B"
    } else if textual(kind) {
        "=  !=  ~"
    } else {
        "=  !="
    }
}

/// Reads `CODE OP VALUE` against the entity's built-in fields and `fields` (its fields of the
/// team's own): `budget>=1000`, `budget=1000..5000`, `region=North|South` (any of),
/// `region!=North`, `name~dup`, `callback=` (empty), `callback!=` (not empty),
/// `close_date=2026-12-01..2026-12-31`. The value is read as the field reads input
/// (`CustomField::parse`, `fields::parse_value`: `1 500,50`, `24/11/2026`, an option in any
/// case), so a bad one is refused naming the field and what it takes.
pub fn read_condition(
    typed: &str,
    entity: Entity,
    fields: &[CustomField],
    ctx: &ParseContext,
) -> Result<FieldCondition, FieldError> {
    let typed = typed.trim();
    let shape = || FieldError::new("where", Problem::refused("where_shape", &[("value", typed)]));
    let at = typed.find(['!', '>', '<', '=', '~']).ok_or_else(shape)?;
    let code = typed[..at].trim().to_lowercase().replace('-', "_");
    let rest = &typed[at..];
    let op = OPERATORS.into_iter().find(|o| rest.starts_with(o)).ok_or_else(shape)?;
    let value = rest[op.len()..].trim();
    if code.is_empty() {
        return Err(shape());
    }
    if let Some(field) = fields.iter().find(|f| f.code == code || f.label.to_lowercase() == code) {
        return custom_condition(field, op, value, ctx, shape);
    }
    if let Some(spec) = entity.field(&code) {
        return crate::domain::column_filter::column_condition(spec, op, value, ctx.currency, shape);
    }
    // The fields a condition takes (a stage, a user, a source have their flags).
    let conditioned =
        |f: &&crate::domain::fields::FieldSpec| !matches!(f.kind, crate::domain::fields::FieldKind::Ref(_));
    let mut known: Vec<String> = entity.fields().iter().filter(conditioned).map(|f| f.key.to_string()).collect();
    known.extend(fields.iter().map(|f| f.code.clone()));
    Err(FieldError::new("where", Problem::Unknown { what: "field", value: code, known }))
}

/// A condition on a field of the team's own (`read_condition` found it).
fn custom_condition(
    field: &CustomField,
    op: &str,
    value: &str,
    ctx: &ParseContext,
    shape: impl Fn() -> FieldError,
) -> Result<FieldCondition, FieldError> {
    let wrong_op = || {
        FieldError::new(
            field.code.clone(),
            Problem::refused("where_operator", &[("value", op), ("accepted", operators_of(field.kind))]),
        )
    };
    let test = match op {
        "=" | "!=" if value.is_empty() => {
            if op == "=" {
                FieldTest::Empty
            } else {
                FieldTest::NotEmpty
            }
        }
        "=" if ranged(field.kind) && value.contains("..") => {
            let (a, b) = value.split_once("..").unwrap_or((value, ""));
            let from = (!a.trim().is_empty()).then(|| bound(field, a, Side::From, ctx)).transpose()?;
            let to = (!b.trim().is_empty()).then(|| bound(field, b, Side::To, ctx)).transpose()?;
            if let (Some((low, _)), Some((high, _))) = (&from, &to)
                && low > high
            {
                // `5..1` would match nothing: most likely the two ends typed the other way.
                return Err(FieldError::new(field.code.clone(), Problem::refused("where_range", &[("value", value)])));
            }
            FieldTest::Range { from, to }
        }
        "=" | "!=" if field.kind == FieldType::DateTime && is_day(value) => {
            // A day of a date-time field: that whole day.
            let (from, to) = (bound(field, value, Side::From, ctx)?, bound(field, value, Side::To, ctx)?);
            let range = FieldTest::Range { from: Some(from), to: Some(to) };
            if op == "=" { range } else { return Err(wrong_op()) }
        }
        "=" | "!=" => {
            let parts: Vec<&str> = value.split('|').map(str::trim).filter(|p| !p.is_empty()).collect();
            let mut keys = Vec::new();
            for part in parts {
                let stored = field.parse(part, ctx)?.unwrap_or_default();
                if field.kind == FieldType::MultiList {
                    // `a,b` reads as two options, as `a|b` does: any of them.
                    keys.extend(stored.split('|').filter(|o| !o.is_empty()).map(str::to_string));
                } else {
                    keys.push(sort_key(field, &stored));
                }
            }
            match (op, field.kind) {
                ("=", FieldType::MultiList) => FieldTest::HasOption(keys),
                (_, FieldType::MultiList) => FieldTest::HasNoOption(keys),
                ("=", _) => FieldTest::In(keys),
                _ => FieldTest::NotIn(keys),
            }
        }
        "~" if textual(field.kind) => FieldTest::Contains(text_key(value)),
        ">=" | "<=" | ">" | "<" if ranged(field.kind) => {
            if value.is_empty() {
                return Err(shape());
            }
            let side = if op.starts_with('>') { Side::From } else { Side::To };
            let strict = op.len() == 1;
            let b = match (strict, field.kind == FieldType::DateTime && is_day(value)) {
                (false, _) => bound(field, value, side, ctx)?,
                // `>` a day: from the next midnight on; `<` a day: before its midnight.
                (true, true) => {
                    let other = if side == Side::From { Side::To } else { Side::From };
                    (bound(field, value, other, ctx)?.0, side == Side::From)
                }
                (true, false) => (bound(field, value, side, ctx)?.0, false),
            };
            if side == Side::From {
                FieldTest::Range { from: Some(b), to: None }
            } else {
                FieldTest::Range { from: None, to: Some(b) }
            }
        }
        _ => return Err(wrong_op()),
    };
    Ok(FieldCondition { on: ConditionOn::Custom(field.id), test })
}

/// Which end of a range a bound is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    From,
    To,
}

fn is_day(typed: &str) -> bool {
    when::parse_date(typed.trim()).is_some()
}

/// A range's bound as (key, included). A day typed for a date-time field starts at local
/// midnight (from) or ends before the next one (to).
fn bound(field: &CustomField, typed: &str, side: Side, ctx: &ParseContext) -> Result<(String, bool), FieldError> {
    if field.kind == FieldType::DateTime
        && let Some(day) = when::parse_date(typed.trim())
    {
        let day = if side == Side::To { day.succ_opt().unwrap_or(day) } else { day };
        let at = (ctx.local_instant)(day.and_time(chrono::NaiveTime::MIN))
            .ok_or_else(|| FieldError::new(field.code.clone(), Problem::DateTime { value: typed.trim().into() }))?;
        return Ok((int_key(at), side == Side::From));
    }
    let stored = field.parse(typed, ctx)?.unwrap_or_default();
    Ok((sort_key(field, &stored), true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dedup::PhoneRegion;
    use crate::domain::money::Currency;

    fn ctx() -> ParseContext {
        ParseContext {
            currency: Currency::EUR,
            region: PhoneRegion::FR,
            local_instant: |d| Some(d.and_utc().timestamp_millis()),
            now: None,
        }
    }

    fn field(code: &str, kind: FieldType) -> CustomField {
        CustomField {
            id: 7,
            options: vec!["Hot".into(), "Warm".into(), "Cold".into()],
            ..CustomField::new(Entity::Lead, code, kind)
        }
    }

    #[test]
    fn keys_sort_as_the_values_do() {
        let f = field("n", FieldType::Number);
        let numbers = ["-1500.5", "-2", "0", "0.25", "3", "12", "1500"];
        let keys: Vec<String> = numbers.iter().map(|n| sort_key(&f, n)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "numbers");
        let m = field("m", FieldType::Money);
        assert!(sort_key(&m, "-100 EUR") < sort_key(&m, "99 EUR") && sort_key(&m, "99 EUR") < sort_key(&m, "100 EUR"));
        let l = field("l", FieldType::List);
        assert!(sort_key(&l, "Hot") < sort_key(&l, "Warm") && sort_key(&l, "Warm") < sort_key(&l, "Cold"));
        let t = field("t", FieldType::Text);
        assert_eq!(sort_key(&t, "Éric"), "éric");
    }

    #[test]
    fn conditions_are_read_with_the_fields_own_input_rules() {
        let fields =
            [field("budget", FieldType::Money), field("temp", FieldType::List), field("note", FieldType::Text)];
        let read = |t: &str| read_condition(t, Entity::Lead, &fields, &ctx());
        let key = |s: &str| sort_key(&fields[0], s);
        assert_eq!(
            read("budget >= 1 500").unwrap().test,
            FieldTest::Range { from: Some((key("150000 EUR"), true)), to: None }
        );
        assert_eq!(
            read("budget<10").unwrap().test,
            FieldTest::Range { from: None, to: Some((key("1000 EUR"), false)) }
        );
        assert_eq!(
            read("budget=10..20").unwrap().test,
            FieldTest::Range { from: Some((key("1000 EUR"), true)), to: Some((key("2000 EUR"), true)) }
        );
        assert_eq!(read("temp=hot|cold").unwrap().test, FieldTest::In(vec!["0000".into(), "0002".into()]));
        assert_eq!(read("temp=").unwrap().test, FieldTest::Empty);
        assert_eq!(read("note!=").unwrap().test, FieldTest::NotEmpty);
        assert_eq!(read("note~DUP").unwrap().test, FieldTest::Contains("dup".into()));
        // Refusals name the field, or `where` when no field is named.
        assert_eq!(read("budget>=lots").unwrap_err().field, "budget");
        assert_eq!(read("temp=Tepid").unwrap_err().field, "temp");
        assert_eq!(read("temp>Hot").unwrap_err().field, "temp");
        assert_eq!(read("nope=1").unwrap_err().field, "where");
        assert_eq!(read("budget").unwrap_err().field, "where");
        assert_eq!(read("budget=20..10").unwrap_err().field, "budget", "the ends the other way");
        let tags = [CustomField { options: vec!["Hot".into(), "Cold".into()], ..field("tags", FieldType::MultiList) }];
        let any = read_condition("tags=hot,cold", Entity::Lead, &tags, &ctx()).unwrap().test;
        assert_eq!(any, FieldTest::HasOption(vec!["Hot".into(), "Cold".into()]), "commas as bars");
    }

    #[test]
    fn a_day_of_a_date_time_field_is_the_whole_day() {
        let f = [field("call", FieldType::DateTime)];
        let c = read_condition("call=2026-12-01", Entity::Lead, &f, &ctx()).unwrap();
        let day = 1_796_083_200_000; // 2026-12-01T00:00Z
        assert_eq!(
            c.test,
            FieldTest::Range { from: Some((int_key(day), true)), to: Some((int_key(day + 86_400_000), false)) }
        );
        let after = read_condition("call>2026-12-01", Entity::Lead, &f, &ctx()).unwrap();
        assert_eq!(after.test, FieldTest::Range { from: Some((int_key(day + 86_400_000), true)), to: None });
    }
}
