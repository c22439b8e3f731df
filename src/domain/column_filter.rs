//! Conditions on built-in fields (SPEC V2: "filter by any field"): `close_date>=2026-12-01`,
//! `amount=1000..5000`, `contact_type=client|partner`, `city~lyon`. The operators are those
//! of fields of the team's own (`field_filter`); the values are read by the field's own
//! input rules (`fields::parse_value`) and compared with the column as the store keeps it.

use crate::domain::error::{FieldError, Problem};
use crate::domain::field_filter::{ColumnKind, ConditionOn, FieldCondition, FieldTest};
use crate::domain::fields::{FieldKind, FieldSpec, FieldValue, RefKind, parse_value};
use crate::domain::money::Currency;

/// How a built-in field's column compares, or the list flag that filters a reference
/// (a stage, a user, a source) by its name.
fn kind_of(spec: &FieldSpec) -> Result<ColumnKind, &'static str> {
    Ok(match spec.kind {
        FieldKind::Text { .. } => ColumnKind::Text,
        FieldKind::Int { .. } | FieldKind::Amount => ColumnKind::Int,
        FieldKind::Date => ColumnKind::Date,
        FieldKind::Bool => ColumnKind::Bool,
        FieldKind::Choice(_) | FieldKind::Currency => ColumnKind::Code,
        FieldKind::Ref(RefKind::Stage) => return Err("--stage"),
        FieldKind::Ref(RefKind::Pipeline) => return Err("--pipeline"),
        FieldKind::Ref(RefKind::User) => return Err("--responsible"),
        FieldKind::Ref(RefKind::Source) => return Err("--source"),
        FieldKind::Ref(_) => return Err("--search"),
    })
}

/// The operators a column of `kind` takes, as said in a refusal.
fn operators_of(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Int | ColumnKind::Date => "=  !=  >=  <=  >  <  A..B",
        ColumnKind::Text => "=  !=  ~",
        ColumnKind::Bool | ColumnKind::Code => "=  !=",
    }
}

/// A condition `OP VALUE` on built-in field `spec` (`field_filter::read_condition` found
/// it). Amounts are read in `currency` (the file's default) and compared in minor units.
pub(crate) fn column_condition(
    spec: &FieldSpec,
    op: &str,
    value: &str,
    currency: Currency,
    shape: impl Fn() -> FieldError,
) -> Result<FieldCondition, FieldError> {
    let kind = kind_of(spec)
        .map_err(|flag| FieldError::new(spec.key, Problem::refused("where_reference", &[("flag", flag)])))?;
    let wrong_op = || {
        FieldError::new(
            spec.key,
            Problem::refused("where_operator", &[("value", op), ("accepted", operators_of(kind))]),
        )
    };
    // A value typed for this field, as its key (the column's own form).
    let key = |typed: &str| -> Result<String, FieldError> {
        // Any value may be typed in a condition, a required field's too.
        let open = FieldSpec { required: false, ..*spec };
        Ok(match parse_value(&open, typed, currency)? {
            FieldValue::Text(t) if kind == ColumnKind::Text => t.to_lowercase(),
            FieldValue::Text(t) => t,
            FieldValue::Int(n) => n.to_string(),
            FieldValue::Bool(b) => if b { "1" } else { "0" }.to_string(),
            FieldValue::Date(d) => d.format("%Y-%m-%d").to_string(),
            FieldValue::Null | FieldValue::Ref(..) => return Err(shape()),
        })
    };
    let ranged = matches!(kind, ColumnKind::Int | ColumnKind::Date);
    let test = match op {
        "=" if value.is_empty() => FieldTest::Empty,
        "!=" if value.is_empty() => FieldTest::NotEmpty,
        "=" if ranged && value.contains("..") => {
            let (a, b) = value.split_once("..").unwrap_or((value, ""));
            let from = (!a.trim().is_empty()).then(|| key(a)).transpose()?;
            let to = (!b.trim().is_empty()).then(|| key(b)).transpose()?;
            if let (Some(low), Some(high)) = (&from, &to)
                && before(kind, high, low)
            {
                return Err(FieldError::new(spec.key, Problem::refused("where_range", &[("value", value)])));
            }
            FieldTest::Range { from: from.map(|k| (k, true)), to: to.map(|k| (k, true)) }
        }
        "=" | "!=" => {
            let keys = value.split('|').map(str::trim).filter(|p| !p.is_empty()).map(key).collect::<Result<_, _>>()?;
            if op == "=" { FieldTest::In(keys) } else { FieldTest::NotIn(keys) }
        }
        "~" if kind == ColumnKind::Text => FieldTest::Contains(value.to_lowercase()),
        ">=" | "<=" | ">" | "<" if ranged => {
            if value.is_empty() {
                return Err(shape());
            }
            let bound = Some((key(value)?, op.len() == 2));
            if op.starts_with('>') {
                FieldTest::Range { from: bound, to: None }
            } else {
                FieldTest::Range { from: None, to: bound }
            }
        }
        _ => return Err(wrong_op()),
    };
    Ok(FieldCondition { on: ConditionOn::Column { column: spec.column, kind }, test })
}

/// Whether key `a` comes before key `b` of a column of `kind`.
fn before(kind: ColumnKind, a: &str, b: &str) -> bool {
    match kind {
        ColumnKind::Int => a.parse::<i64>().ok() < b.parse::<i64>().ok(),
        _ => a < b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::custom_field::ParseContext;
    use crate::domain::dedup::PhoneRegion;
    use crate::domain::field_filter::read_condition;
    use crate::domain::fields::Entity;

    fn read(entity: Entity, typed: &str) -> Result<FieldCondition, FieldError> {
        let ctx = ParseContext {
            currency: Currency::EUR,
            region: PhoneRegion::FR,
            local_instant: |d| Some(d.and_utc().timestamp_millis()),
            now: None,
        };
        read_condition(typed, entity, &[], &ctx)
    }

    #[test]
    fn built_in_fields_are_read_by_their_own_rules() {
        let close = read(Entity::Deal, "close_date=01/12/2026..2026-12-31").unwrap();
        assert_eq!(close.on, ConditionOn::Column { column: "close_date", kind: ColumnKind::Date });
        assert_eq!(
            close.test,
            FieldTest::Range { from: Some(("2026-12-01".into(), true)), to: Some(("2026-12-31".into(), true)) }
        );
        let amount = read(Entity::Lead, "amount > 1 500,50").unwrap();
        assert_eq!(amount.on, ConditionOn::Column { column: "amount_minor", kind: ColumnKind::Int });
        assert_eq!(amount.test, FieldTest::Range { from: Some(("150050".into(), false)), to: None });
        let kinds = read(Entity::Contact, "contact_type=Client|partner").unwrap();
        assert_eq!(kinds.test, FieldTest::In(vec!["client".into(), "partner".into()]));
        assert_eq!(read(Entity::Lead, "title~ACME").unwrap().test, FieldTest::Contains("acme".into()));
        assert_eq!(read(Entity::Lead, "opened=non").unwrap().test, FieldTest::In(vec!["0".into()]));
        assert_eq!(read(Entity::Deal, "close_date=").unwrap().test, FieldTest::Empty);
        // A ten-euro amount is 1000 cents: the ends compare as numbers, not as text.
        assert!(read(Entity::Lead, "amount=9..10").is_ok());
    }

    #[test]
    fn refusals_name_the_field_and_what_it_takes() {
        let bad_day = read(Entity::Deal, "close_date>=soon").unwrap_err();
        assert_eq!(bad_day.field, "close_date");
        assert_eq!(read(Entity::Lead, "amount~12").unwrap_err().field, "amount", "no ~ on a number");
        assert_eq!(read(Entity::Lead, "title>a").unwrap_err().field, "title");
        assert_eq!(read(Entity::Deal, "close_date=2026-12-31..2026-12-01").unwrap_err().field, "close_date");
        let stage = read(Entity::Lead, "stage=new").unwrap_err();
        assert!(matches!(&stage.problem, Problem::Refused { key: "where_reference", args } if args[0].1 == "--stage"));
        let unknown = read(Entity::Lead, "nope=1").unwrap_err();
        assert!(matches!(&unknown.problem, Problem::Unknown { known, .. } if known.contains(&"title".to_string())));
    }
}
