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

/// A catalogue entry: a plain message, or a message with a form per plural category
/// (`{ one = "...", other = "..." }` in the TOML).
#[derive(Debug)]
enum Entry {
    Text(String),
    Plural { one: String, other: String },
}

impl Entry {
    /// The form for `count` in `lang` (a plain message has one form for every count).
    fn form(&self, lang: Lang, count: Option<u64>) -> &str {
        match self {
            Entry::Text(s) => s,
            Entry::Plural { one, other } => match count {
                Some(n) if plural_is_one(lang, n) => one,
                _ => other,
            },
        }
    }
}

/// The CLDR plural category of a whole number: "one" or "other". English says one thing only
/// of 1; French also of 0 (`0 fiche écrite`).
pub fn plural_is_one(lang: Lang, n: u64) -> bool {
    match lang {
        Lang::En => n == 1,
        Lang::Fr => n <= 1,
    }
}

fn catalogue(lang: Lang) -> &'static HashMap<String, Entry> {
    static EN: OnceLock<HashMap<String, Entry>> = OnceLock::new();
    static FR: OnceLock<HashMap<String, Entry>> = OnceLock::new();
    let (cell, text) = match lang {
        Lang::En => (&EN, include_str!("../assets/locales/en.toml")),
        Lang::Fr => (&FR, include_str!("../assets/locales/fr.toml")),
    };
    cell.get_or_init(|| flatten(text))
}

/// Whether a TOML table is a plural entry: only `one` and `other`, both text.
fn plural_table(t: &toml::Table) -> bool {
    !t.is_empty() && t.iter().all(|(k, v)| (k == "one" || k == "other") && v.is_str())
}

fn flatten(text: &str) -> HashMap<String, Entry> {
    let mut out = HashMap::new();
    let table: toml::Table = text.parse().unwrap_or_default();
    fn walk(prefix: &str, t: &toml::Table, out: &mut HashMap<String, Entry>) {
        for (k, v) in t {
            let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            match v {
                toml::Value::String(s) => {
                    out.insert(key, Entry::Text(s.clone()));
                }
                toml::Value::Table(inner) if plural_table(inner) => {
                    // A missing form falls back on the other one (the catalogue test refuses it).
                    let form = |k: &str| inner.get(k).and_then(toml::Value::as_str).map(str::to_string);
                    let (one, other) = (form("one"), form("other"));
                    let one = one.or_else(|| other.clone()).unwrap_or_default();
                    let other = other.unwrap_or_else(|| one.clone());
                    out.insert(key, Entry::Plural { one, other });
                }
                toml::Value::Table(inner) => walk(&key, inner, out),
                _ => {}
            }
        }
    }
    walk("", &table, &mut out);
    out
}

fn entry(lang: Lang, key: &str) -> Option<&'static Entry> {
    catalogue(lang).get(key).or_else(|| catalogue(Lang::En).get(key))
}

/// A count given as text (`"3"`, `"1 234"`): the number, when it is a whole one.
fn count_of(value: &str) -> Option<u64> {
    let digits: String = value.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}')).collect();
    digits.parse().ok()
}

/// Fills the placeholders of `template` in one pass: `{name}` by the value of `name`;
/// `{name:key}` by the plural entry `key` in the form for the count `name` holds, its own
/// `{count}` being that count (`{rows:counted.rows}` -> `1 row`). A placeholder without a value
/// stays as written, so a gap shows.
fn fill(lang: Lang, template: &str, args: &[(&str, &str)]) -> String {
    let value = |name: &str| args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(['}', '{']).filter(|&i| after.as_bytes()[i] == b'}') else {
            out.push('{');
            rest = after;
            continue;
        };
        let inner = &after[..close];
        let filled = match inner.split_once(':') {
            Some((name, key)) => value(name).and_then(|v| {
                let e = entry(lang, key)?;
                let form = e.form(lang, count_of(v));
                Some(fill(lang, form, &[("count", v)]))
            }),
            // Values may come from the file or the user: never a control character to the terminal.
            None => value(inner).map(|v| crate::domain::text::shown(v).into_owned()),
        };
        match filled {
            Some(text) => out.push_str(&text),
            None => {
                out.push('{');
                out.push_str(inner);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether `word` (a kind of record as the language names it) is feminine in `lang`.
fn is_feminine(lang: Lang, word: &str) -> bool {
    let Some(Entry::Text(list)) = entry(lang, "grammar.feminine") else { return false };
    let word = word.to_lowercase();
    list.split('|').any(|w| w == word)
}

/// Looks `key` up in `lang` and fills `{name}` placeholders. A missing key shows itself, so a
/// gap is visible instead of a crash. A plural entry takes the form for the `count` argument
/// (the `other` form without one); `tr_count` says the count with its type.
pub fn tr_in(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    // A message about a kind of record agrees with its gender where the language has one:
    // `msg.created_f` for "Transaction n° 3 créée" (`grammar.feminine` lists the words).
    let feminine = args.iter().any(|(n, v)| *n == "entity" && is_feminine(lang, v));
    let agreed = if feminine { entry(lang, &format!("{key}_f")) } else { None };
    let Some(e) = agreed.or_else(|| entry(lang, key)) else { return key.to_string() };
    let count = args.iter().find(|(n, _)| *n == "count").and_then(|(_, v)| count_of(v));
    fill(lang, e.form(lang, count), args)
}

/// Looks the plural entry `key` up in `lang` and takes its form for `count`, which fills
/// `{count}` (unless `args` gives `count` itself, already formatted).
pub fn tr_count(lang: Lang, key: &str, count: u64, args: &[(&str, &str)]) -> String {
    let Some(e) = entry(lang, key) else { return key.to_string() };
    let n = count.to_string();
    let mut all: Vec<(&str, &str)> = args.to_vec();
    if !args.iter().any(|(name, _)| *name == "count") {
        all.push(("count", &n));
    }
    fill(lang, e.form(lang, Some(count)), &all)
}

/// `tr_count` in the process language.
pub fn tr_n(key: &str, count: u64, args: &[(&str, &str)]) -> String {
    tr_count(lang(), key, count, args)
}

/// Looks `key` up in the process language.
pub fn tr(key: &str, args: &[(&str, &str)]) -> String {
    tr_in(lang(), key, args)
}

/// What an unknown value was meant to name, in `lang`: a field's label in lower case
/// (`responsable`, `étape`), else the word as it is (`user`, `column`).
fn thing_named(lang: Lang, what: &str) -> String {
    let key = format!("field.{what}");
    let label = tr_in(lang, &key, &[]);
    if label == key { what.to_string() } else { label.to_lowercase() }
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
            t("problem.unknown_none", &[("what", &thing_named(lang, what)), ("value", value)])
        }
        Problem::Unknown { what, value, known } => {
            let mut list = known.iter().take(20).cloned().collect::<Vec<_>>().join(", ");
            if known.len() > 20 {
                list.push_str(", …");
            }
            t("problem.unknown", &[("what", &thing_named(lang, what)), ("value", value), ("known", &list)])
        }
        Problem::TooLong { max } => t("problem.too_long", &[("max", &max.to_string())]),
        Problem::NoSuchField { accepted } => t("problem.no_such_field", &[("accepted", &accepted.join(", "))]),
        Problem::NotEditable { move_with: Some(entity) } => t("problem.not_editable_stage", &[("entity", entity)]),
        Problem::NotEditable { move_with: None } => t("problem.not_editable", &[]),
        Problem::Rule { message } => message.clone(),
        Problem::Refused { key, args } => {
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            t(&format!("refused.{key}"), &args)
        }
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
        // A language's grammar (French feminine agreements, `msg.created_f`) is its own.
        let own = |k: &&String| k.ends_with("_f") || k.starts_with("grammar.");
        let fr: std::collections::BTreeSet<_> = catalogue(Lang::Fr).keys().filter(|k| !own(k)).collect();
        assert!(en.len() > 40, "catalogue failed to parse");
        assert_eq!(en, fr);
        for k in catalogue(Lang::Fr).keys().filter(|k| k.ends_with("_f")) {
            assert!(en.contains(&&k[..k.len() - 2].to_string()), "{k} agrees with a key both languages have");
        }
        // Both languages fill the same placeholders: a value given is never lost in one.
        let names = |e: &Entry| -> std::collections::BTreeSet<String> {
            let forms: Vec<&str> = match e {
                Entry::Text(s) => vec![s],
                Entry::Plural { one, other } => vec![one, other],
            };
            forms
                .iter()
                .flat_map(|f| f.split('{').skip(1).map(|p| p.split('}').next().unwrap_or("").to_string()))
                .collect()
        };
        for key in en {
            assert_eq!(names(&catalogue(Lang::En)[key]), names(&catalogue(Lang::Fr)[key]), "placeholders of {key}");
        }
    }

    /// Every plural entry, in the TOML as written: its key and the forms it has.
    fn plural_entries(text: &str) -> Vec<(String, Vec<String>)> {
        fn walk(prefix: &str, t: &toml::Table, out: &mut Vec<(String, Vec<String>)>) {
            for (k, v) in t {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                if let toml::Value::Table(inner) = v {
                    if plural_table(inner) {
                        out.push((key, inner.keys().cloned().collect()));
                    } else {
                        walk(&key, inner, out);
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk("", &text.parse().expect("catalogue parses"), &mut out);
        out.sort();
        out
    }

    #[test]
    fn plural_entries_have_both_forms_in_both_languages() {
        let en = plural_entries(include_str!("../assets/locales/en.toml"));
        let fr = plural_entries(include_str!("../assets/locales/fr.toml"));
        assert!(en.len() >= 10, "plural entries: {en:?}");
        for (key, forms) in en.iter().chain(&fr) {
            assert_eq!(forms, &["one", "other"], "{key} needs both forms, one and other");
        }
        let keys = |v: &[(String, Vec<String>)]| v.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&en), keys(&fr), "a key is plural in one language only");
        // `{name:key}` names a plural entry of both catalogues.
        for lang in [Lang::En, Lang::Fr] {
            for (key, e) in catalogue(lang) {
                let forms: Vec<&str> = match e {
                    Entry::Text(s) => vec![s],
                    Entry::Plural { one, other } => vec![one, other],
                };
                for form in forms {
                    for part in form.split('{').skip(1) {
                        let inner = part.split('}').next().unwrap_or("");
                        if let Some((_, target)) = inner.split_once(':') {
                            assert!(
                                matches!(catalogue(lang).get(target), Some(Entry::Plural { .. })),
                                "{lang:?} {key}: {{{inner}}} names no plural entry"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn plural_forms_follow_each_language() {
        for (n, en, fr) in [
            (0, "0 records written to x.csv.", "0 fiche écrite dans x.csv."),
            (1, "1 record written to x.csv.", "1 fiche écrite dans x.csv."),
            (2, "2 records written to x.csv.", "2 fiches écrites dans x.csv."),
            (1234, "1234 records written to x.csv.", "1234 fiches écrites dans x.csv."),
        ] {
            assert_eq!(tr_count(Lang::En, "msg.records_exported", n, &[("path", "x.csv")]), en);
            assert_eq!(tr_count(Lang::Fr, "msg.records_exported", n, &[("path", "x.csv")]), fr);
        }
        // The old lookup with the count as text picks the same form; without a count, `other`.
        assert_eq!(tr_in(Lang::Fr, "msg.records_exported", &[("count", "1"), ("path", "x")]), "1 fiche écrite dans x.");
        assert_eq!(tr_in(Lang::En, "msg.records_exported", &[("path", "x")]), "{count} records written to x.");
        // A count given already formatted is kept as given.
        assert_eq!(
            tr_count(Lang::Fr, "msg.records_exported", 1234, &[("count", "1\u{202f}234"), ("path", "x")]),
            "1\u{202f}234 fiches écrites dans x."
        );
    }

    #[test]
    fn several_counts_in_one_message_each_take_their_form() {
        let args = [
            ("leads", "1"),
            ("contacts", "0"),
            ("companies", "2"),
            ("deals", "1"),
            ("activities", "3"),
            ("seconds", "0.1"),
        ];
        assert_eq!(
            tr_in(Lang::En, "msg.demo_done", &args),
            "Demo data: 1 lead, 0 contacts, 2 companies, 1 deal, 3 activities in 0.1 s."
        );
        assert_eq!(
            tr_in(Lang::Fr, "msg.demo_done", &args),
            "Données de démonstration : 1 prospect, 0 contact, 2 sociétés, 1 transaction, 3 activités en 0.1 s."
        );
    }

    #[test]
    fn french_triage_is_not_sorting() {
        // `T` goes to the triage of new leads; "trier" is what `s` does to a list (sort).
        let triage = tr_in(Lang::Fr, "tui.key_triage", &[]);
        assert_ne!(triage, tr_in(Lang::Fr, "tui.key_sort", &[]));
        for key in ["tui.key_triage", "tui.act_triage", "tui.triage_head", "tui.triage_done"] {
            let text = tr_in(Lang::Fr, key, &[]).to_lowercase();
            assert!(!text.contains("tri ") && !text.contains("trier"), "{key}: {text}");
        }
    }

    #[test]
    fn refusals_are_said_in_the_reader_language() {
        let p = Problem::refused("reason_not_failure", &[("stage", "Gagnée")]);
        assert_eq!(
            describe(&p, "reason", Lang::En),
            "a reason is only recorded when moving to a failure stage; Gagnée is not one"
        );
        assert_eq!(
            describe(&p, "reason", Lang::Fr),
            "un motif n’est enregistré que pour une étape d’échec ; Gagnée n’en est pas une"
        );
        let p = Problem::NotEditable { move_with: Some("lead") };
        assert!(describe(&p, "stage", Lang::Fr).contains("`prospect lead move ID ÉTAPE`"));
    }

    #[test]
    fn placeholders_are_filled_once() {
        // A value that looks like a placeholder is not filled again.
        assert_eq!(tr_in(Lang::En, "msg.backup_done", &[("path", "{path}")]), "Backup written to {path}.");
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
    fn a_message_about_a_record_agrees_with_its_gender_in_french() {
        let said = |entity: &str| tr_in(Lang::Fr, "msg.created", &[("entity", entity), ("id", "3")]);
        assert_eq!(said("Transaction"), "Transaction n° 3 créée.");
        assert_eq!(said("Prospect"), "Prospect n° 3 créé.");
        assert_eq!(tr_in(Lang::En, "msg.created", &[("entity", "Deal"), ("id", "3")]), "Deal #3 created.");
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
