//! Every parser of typed input, run on arbitrary strings (issue 21): no panic, and every
//! refusal is a `FieldError` naming the field it was given. Fields of every entity (each
//! `FieldKind`: text, date, bool, integer, choice, amount, currency, reference), phones,
//! e-mails, websites and messengers, and every typed date: phrases, ISO and day-first dates,
//! list filters' days and ranges, lengths of time.

use super::agenda;
use super::comm::{Comm, CommKind};
use super::dedup::{self, PhoneRegion};
use super::fields::{Entity, FieldValue, InputContext, parse_bool, parse_value, validate_input};
use super::money::{self, Currency};
use super::when;
use proptest::prelude::*;

/// Strings that reach the parsers' edges: anything printable, control characters and bidi
/// overrides, long digit runs, relative dates with huge counts, date-like and phone-like text.
fn typed() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,40}",
        "[\\x00-\\x{3000}]{0,40}",
        "[0-9]{1,60}",
        "[+-]?[0-9]{1,40}[mhdjwsx]?",
        "\\+ ?[0-9]{1,30} ?[mhdjws]",
        "[0-9./:h -]{1,30}",
        "(today|demain|next|lundi|prochain|at|à|[0-9]{1,6}[/.][0-9]{1,6}([/.][0-9]{1,9})?|[0-9]{1,4}h[0-9]{0,4}|[0-9]{1,12}:[0-9]{1,12}|[0-9]{1,12}pm| ){1,5}",
        "[+0-9 ()x#.-]{0,30}(ext\\.?|poste|x|#)? ?[0-9]{0,12}( \\([a-z]{0,8}\\))?",
        "[a-zA-Z0-9@._-]{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn every_field_parser_refuses_by_naming_the_field(s in typed()) {
        for entity in Entity::ALL {
            for spec in entity.fields() {
                for currency in [Currency::EUR, Currency::parse("JPY").unwrap_or(Currency::EUR)] {
                    match parse_value(spec, &s, currency) {
                        Ok(FieldValue::Date(d)) => prop_assert!(when::in_range(d), "{}: {d}", spec.key),
                        Ok(FieldValue::Text(t)) => prop_assert!(!t.chars().any(|c| c.is_control() && c != '\n' && c != '\t')),
                        Ok(_) => {}
                        Err(e) => prop_assert_eq!(e.field.as_str(), spec.key),
                    }
                }
                let input = vec![(spec.key.to_string(), s.clone())];
                for creating in [false, true] {
                    let ctx = InputContext { currency: Currency::EUR, creating };
                    if let Err(e) = validate_input(entity, &input, ctx) {
                        prop_assert!(entity.field(&e.field).is_some(), "{}: {:?}", spec.key, e);
                    }
                }
            }
        }
        let _ = money::parse_amount(&s, Currency::EUR);
        let _ = Currency::parse(&s);
        let _ = parse_bool(&s);
    }

    #[test]
    fn every_comm_parser_refuses_by_naming_the_kind(s in typed()) {
        for kind in [CommKind::Phone, CommKind::Email, CommKind::Web, CommKind::Messenger] {
            for region in [PhoneRegion::FR, PhoneRegion::parse("US").unwrap_or(PhoneRegion::FR)] {
                match Comm::parse_typed(kind, &s, region) {
                    Ok(c) => prop_assert!(!c.value.chars().any(char::is_control)),
                    Err(e) => prop_assert_eq!(e.field.as_str(), kind.code()),
                }
            }
        }
        let _ = dedup::phone_key(&s, PhoneRegion::FR);
        let _ = dedup::phone_parts(&s);
        let _ = dedup::is_valid_email(&s);
        let _ = dedup::is_valid_web(&s);
    }

    #[test]
    fn every_date_parser_refuses_by_naming_the_field(s in typed(), now_ms in -2_208_988_800_000i64..7_258_118_400_000) {
        let now_utc = when::from_ms(now_ms);
        let paris = now_utc.with_timezone(&chrono_tz::Europe::Paris);
        match agenda::read_when("at", &s, &paris) {
            Ok(t) => prop_assert!(when::in_range(t.date_naive()), "{s:?} gave {t}"),
            Err(e) => prop_assert_eq!(e.field.as_str(), "at"),
        }
        if let Err(e) = agenda::read_when("date", &s, &now_utc) {
            prop_assert_eq!(e.field.as_str(), "date");
        }
        if let Err(e) = agenda::parse_minutes("duration", &s) {
            prop_assert_eq!(e.field.as_str(), "duration");
        }
        match when::read_date("birth_date", &s) {
            Ok(d) => prop_assert!(when::in_range(d)),
            Err(e) => prop_assert_eq!(e.field.as_str(), "birth_date"),
        }
        if let Err(e) = when::read_day_bounds(Some(("created-from", "01/11")), Some(("created-to", &s)), &paris) {
            prop_assert!(["created-to", "created-from"].contains(&e.field.as_str()));
        }
        match when::read_day_range("created", &s, &paris) {
            Ok((Some(a), Some(b))) => prop_assert!(a < b, "{s:?}: {a} >= {b}"),
            Ok(_) => {}
            Err(e) => prop_assert_eq!(e.field.as_str(), "created"),
        }
        let _ = when::parse_date(&s);
    }
}
