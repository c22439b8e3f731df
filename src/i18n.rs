//! Message lookup in English and French. Catalogues live in `assets/locales/{en,fr}.toml`
//! and are compiled in; the language is chosen once at start (`--lang`, config, `LANG`).

use crate::domain::error::{AmountProblem, FieldError, Problem};
use crate::domain::money::NumberStyle;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// Interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Parses `en`, `fr`, or a locale such as `fr_FR.UTF-8`.
    pub fn parse(s: &str) -> Option<Lang> {
        let l = s.trim().to_lowercase();
        if l.starts_with("fr") {
            Some(Lang::Fr)
        } else if l.starts_with("en") || l == "c" || l == "posix" {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// How numbers and money are written in this language.
    pub fn number_style(self) -> NumberStyle {
        match self {
            Lang::En => NumberStyle::English,
            Lang::Fr => NumberStyle::French,
        }
    }
}

static CURRENT: OnceLock<Lang> = OnceLock::new();

/// Sets the process language; the first call wins (it is set once at start).
pub fn set_lang(lang: Lang) {
    let _ = CURRENT.set(lang);
}

/// The process language (English until set).
pub fn lang() -> Lang {
    CURRENT.get().copied().unwrap_or_default()
}

fn catalogue(lang: Lang) -> &'static HashMap<String, String> {
    static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
    static FR: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, text) = match lang {
        Lang::En => (&EN, include_str!("../assets/locales/en.toml")),
        Lang::Fr => (&FR, include_str!("../assets/locales/fr.toml")),
    };
    cell.get_or_init(|| flatten(text))
}

fn flatten(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let table: toml::Table = text.parse().unwrap_or_default();
    fn walk(prefix: &str, t: &toml::Table, out: &mut HashMap<String, String>) {
        for (k, v) in t {
            let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            match v {
                toml::Value::String(s) => {
                    out.insert(key, s.clone());
                }
                toml::Value::Table(inner) => walk(&key, inner, out),
                _ => {}
            }
        }
    }
    walk("", &table, &mut out);
    out
}

/// Looks `key` up in `lang` and fills `{name}` placeholders. A missing key shows itself, so a
/// gap is visible instead of a crash.
pub fn tr_in(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let template = catalogue(lang).get(key).or_else(|| catalogue(Lang::En).get(key)).map(String::as_str).unwrap_or(key);
    let mut s = template.to_string();
    for (name, value) in args {
        // Values may come from the file or the user: never a control character to the terminal.
        s = s.replace(&format!("{{{name}}}"), &crate::domain::text::shown(value));
    }
    s
}

/// Looks `key` up in the process language.
pub fn tr(key: &str, args: &[(&str, &str)]) -> String {
    tr_in(lang(), key, args)
}

/// Says what is wrong with a value, in `lang`.
pub fn describe(problem: &Problem, field: &str, lang: Lang) -> String {
    let t = |key: &str, args: &[(&str, &str)]| tr_in(lang, key, args);
    match problem {
        Problem::Required if field == "last_name" => t("problem.required_last_name", &[]),
        Problem::Required => t("problem.required", &[]),
        Problem::Email { value } => t("problem.email", &[("value", value)]),
        Problem::Phone { value, region } => t("problem.phone", &[("value", value), ("region", region)]),
        Problem::Web { value } => t("problem.web", &[("value", value)]),
        Problem::Amount { value, why } => match why {
            AmountProblem::Syntax => t("problem.amount_syntax", &[("value", value)]),
            AmountProblem::TooManyDecimals { max } => {
                t("problem.amount_decimals", &[("value", value), ("max", &max.to_string())])
            }
            AmountProblem::Ambiguous => {
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                let split = value.rfind(['.', ',']).map(|i| &value[..i]).unwrap_or(value);
                let whole: String = split.chars().filter(char::is_ascii_digit).collect();
                let example = format!(
                    "{digits} / {whole}.{}",
                    &value[value.len().saturating_sub(3)..value.len().saturating_sub(1)]
                );
                t("problem.amount_ambiguous", &[("value", value), ("example", &example)])
            }
            AmountProblem::Negative => t("problem.amount_negative", &[("value", value)]),
            AmountProblem::TooLarge => t("problem.amount_large", &[("value", value)]),
        },
        Problem::Currency { value } => t("problem.currency", &[("value", value)]),
        Problem::Date { value } => t("problem.date", &[("value", value)]),
        Problem::DateTime { value } => t("problem.datetime", &[("value", value)]),
        Problem::Day { value } => t("problem.day", &[("value", value)]),
        Problem::DayOrder { from, to } => t("problem.day_order", &[("from", from), ("to", to)]),
        Problem::TimeUnit { value, unit } => t("problem.time_unit", &[("value", value), ("unit", unit)]),
        Problem::Duration { value } => t("problem.duration", &[("value", value)]),
        Problem::DateRange { value, min, max } => {
            t("input.date_range", &[("value", value), ("min", &min.to_string()), ("max", &max.to_string())])
        }
        Problem::Bool { value } => t("problem.bool", &[("value", value)]),
        Problem::Integer { value, min, max } => {
            t("problem.integer", &[("value", value), ("min", &min.to_string()), ("max", &max.to_string())])
        }
        Problem::Choice { value, accepted } => {
            t("problem.choice", &[("value", value), ("accepted", &accepted.join(", "))])
        }
        Problem::Unknown { what, value, known } if known.is_empty() => {
            t("problem.unknown_none", &[("what", what), ("value", value)])
        }
        Problem::Unknown { what, value, known } => {
            let mut list = known.iter().take(20).cloned().collect::<Vec<_>>().join(", ");
            if known.len() > 20 {
                list.push_str(", …");
            }
            t("problem.unknown", &[("what", what), ("value", value), ("known", &list)])
        }
        Problem::TooLong { max } => t("problem.too_long", &[("max", &max.to_string())]),
        Problem::NoSuchField { accepted } => t("problem.no_such_field", &[("accepted", &accepted.join(", "))]),
        Problem::NotEditable { hint } => t("problem.not_editable", &[("hint", hint)]),
        Problem::Rule { message } => message.clone(),
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sep = if lang() == Lang::Fr { " : " } else { ": " };
        write!(f, "{}{sep}{}", self.field, describe(&self.problem, &self.field, lang()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_have_the_same_keys() {
        let en: std::collections::BTreeSet<_> = catalogue(Lang::En).keys().collect();
        let fr: std::collections::BTreeSet<_> = catalogue(Lang::Fr).keys().collect();
        assert!(en.len() > 40, "catalogue failed to parse");
        assert_eq!(en, fr);
    }

    #[test]
    fn placeholders_are_filled_in_both_languages() {
        let p = Problem::Email { value: "x@".into() };
        assert_eq!(describe(&p, "email", Lang::En), "'x@' is not an e-mail address (expected name@example.com)");
        assert!(describe(&p, "email", Lang::Fr).starts_with("« x@ » n'est pas"));
        assert_eq!(tr_in(Lang::Fr, "label.stage", &[]), "Étape");
        assert_eq!(tr_in(Lang::En, "no.such.key", &[]), "no.such.key");
    }

    #[test]
    fn ambiguous_amount_suggests_both_readings() {
        let p = Problem::Amount { value: "12.345".into(), why: AmountProblem::Ambiguous };
        assert!(describe(&p, "amount", Lang::En).contains("12345 / 12.34"), "{}", describe(&p, "amount", Lang::En));
    }

    #[test]
    fn locale_names() {
        assert_eq!(Lang::parse("fr_FR.UTF-8"), Some(Lang::Fr));
        assert_eq!(Lang::parse("C"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }
}
