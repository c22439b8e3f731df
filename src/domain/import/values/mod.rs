//! Reference values in an import: what a cell of a stage, source, responsible, currency or
//! type column names. A value matches a choice by its code or any of its names (the file's own,
//! the default names in English and French, common synonyms, the detected vendor's standard
//! values), case, accents and punctuation aside. A value that still matches nothing is never
//! a reason to lose a row: the user maps it (`--value`), has it created, or leaves the field
//! empty with the original text kept (`Unknown`).

mod plan;

pub use plan::{ValuePlan, plan};

use super::{Preset, Target, normalize_header};
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::{COMPANY_TYPES, CONTACT_TYPES, EMPLOYEE_RANGES, Entity, FieldKind, RefKind};
use serde::Serialize;
use std::collections::HashMap;

/// One value a reference field takes: its code (what is written) and its name as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// Code, login or currency code: what the record keeps.
    pub code: String,
    /// Name shown.
    pub name: String,
}

/// Whether the values of `key` come from a list: a stage, source or user, a currency, or a
/// closed choice (contact type, company type, employees).
pub fn is_listed(entity: Entity, key: &str) -> bool {
    entity.field(key).is_some_and(|s| {
        matches!(
            s.kind,
            FieldKind::Ref(RefKind::Stage | RefKind::Source | RefKind::User)
                | FieldKind::Currency
                | FieldKind::Choice(_)
        )
    })
}

/// A value as compared: lowercase, accents and punctuation aside (`Site-Web` is `site web`,
/// `ORGANIC_SEARCH` is `organic search`).
pub fn fold(text: &str) -> String {
    let folded = normalize_header(text);
    // A symbol alone (`€`, `$`) is its own name.
    if folded.is_empty() { text.trim().to_lowercase() } else { folded }
}

/// Names a default code is known by besides its catalogue names, in English and French.
fn synonyms(field: &str, code: &str) -> &'static [&'static str] {
    match (field, code) {
        ("source", "CALL") => &["phone call", "cold call", "telephone", "phone", "appel telephonique"],
        ("source", "EMAIL") => &["email", "mail", "courriel", "e mail"],
        ("source", "WEB") => &["site", "web site", "internet", "site internet", "web"],
        ("source", "ADVERTISING") => &["ads", "advert", "advertisement", "pub", "publicite", "campagne"],
        ("source", "PARTNER") => &["partner", "partenaire", "existing customer", "client"],
        ("source", "RECOMMENDATION") => &["referral", "referrals", "word of mouth", "bouche a oreille", "parrainage"],
        ("source", "TRADE_SHOW") => &["salon", "trade fair", "exhibition", "expo", "exposition", "foire", "show"],
        ("source", "WEBFORM") => &["form", "formulaire", "web form", "contact form", "formulaire de contact"],
        ("source", "CALLBACK") => &["call back", "callback request", "demande de rappel"],
        ("source", "STORE") => &["shop", "online store", "magasin", "boutique en ligne"],
        ("source", "OTHER") => &["misc", "divers", "autres", "others"],
        ("stage", "NEW") => &["nouveau", "nouvelle", "open", "a traiter"],
        ("stage", "IN_PROCESS") => &["in progress", "working", "contacted", "en traitement", "contacte"],
        ("stage", "PROCESSED") => &["qualified", "qualifie", "done"],
        ("stage", "CONVERTED") => &["won", "gagne", "converti"],
        ("stage", "JUNK") => &["junk", "lost", "perdu", "disqualified", "disqualifie", "unqualified"],
        ("contact_type", "client") => &["customer", "client"],
        ("contact_type", "supplier") => &["fournisseur", "vendor"],
        ("contact_type", "partner") => &["partenaire"],
        ("contact_type", "other") => &["autre"],
        ("company_type", "customer") => &["client"],
        ("company_type", "supplier") => &["fournisseur", "vendor"],
        ("company_type", "competitor") => &["concurrent"],
        ("company_type", "partner") => &["partenaire"],
        ("company_type", "other") => &["autre"],
        ("currency", "EUR") => &["€", "euro", "euros"],
        ("currency", "USD") => &["$", "us$", "dollar", "dollars", "us dollar"],
        ("currency", "GBP") => &["£", "pound", "pounds", "livre sterling"],
        ("currency", "CHF") => &["franc suisse", "swiss franc"],
        ("currency", "JPY") => &["¥", "yen"],
        _ => &[],
    }
}

/// The catalogue group whose entries name a field's default codes in each language.
fn catalogue(field: &str) -> Option<&'static str> {
    match field {
        "stage" => Some("stage_name"),
        "source" => Some("source_name"),
        _ => None,
    }
}

/// The values of one reference field and every name each is known by: one lookup by the
/// folded text.
#[derive(Clone, Debug, Default)]
pub struct FieldChoices {
    /// Field key.
    pub field: String,
    /// The values, in their order.
    pub choices: Vec<Choice>,
    /// Folded name or code -> position in `choices`.
    index: HashMap<String, usize>,
}

impl FieldChoices {
    /// The values of `field` as the file has them (code and name), known also by their default
    /// names in English and French, their synonyms and `preset`'s standard values.
    pub fn new(field: &str, choices: Vec<Choice>, preset: Option<Preset>) -> FieldChoices {
        let mut out = FieldChoices { field: field.to_string(), choices, index: HashMap::new() };
        // The file's own codes and names win over every other name.
        for (i, c) in out.choices.iter().enumerate() {
            out.index.insert(fold(&c.code), i);
        }
        for (i, c) in out.choices.iter().enumerate() {
            out.index.entry(fold(&c.name)).or_insert(i);
        }
        let mut more: Vec<(String, usize)> = Vec::new();
        for (i, c) in out.choices.iter().enumerate() {
            if let Some(group) = catalogue(field) {
                for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Fr] {
                    let key = format!("{group}.{}", c.code);
                    let name = crate::i18n::tr_in(lang, &key, &[]);
                    if name != key {
                        more.push((fold(&name), i));
                    }
                }
            }
            more.extend(synonyms(field, &c.code).iter().map(|s| (fold(s), i)));
        }
        if let Some(p) = preset {
            for (value, code) in p.values(field) {
                if let Some(i) = out.choices.iter().position(|c| c.code.eq_ignore_ascii_case(code)) {
                    // A vendor's value means what the vendor says, over a synonym.
                    out.index.insert(fold(value), i);
                }
            }
        }
        for (name, i) in more {
            out.index.entry(name).or_insert(i);
        }
        out
    }

    /// The value `text` names, if any.
    pub fn find(&self, text: &str) -> Option<&Choice> {
        self.index.get(&fold(text)).map(|i| &self.choices[*i])
    }

    /// The value `text` most likely means, for a value that names none: one whose names
    /// start with it or share a word with it, else the nearest by letters (at most a third of
    /// them different).
    pub fn suggest(&self, text: &str) -> Option<&Choice> {
        let t = fold(text);
        if t.chars().count() < 2 {
            return None;
        }
        let words: Vec<&str> = t.split(' ').collect();
        let mut best: Option<(usize, usize)> = None; // (score, position)
        for (name, i) in &self.index {
            if name.chars().count() < 2 {
                continue;
            }
            let score = if name.starts_with(&t) || t.starts_with(name.as_str()) {
                1000usize.saturating_sub(name.len().abs_diff(t.len()))
            } else if name.split(' ').any(|w| w.len() > 2 && words.contains(&w)) {
                500
            } else {
                let d = distance(name, &t);
                if d * 3 > t.chars().count().max(3) {
                    continue;
                }
                400usize.saturating_sub(d)
            };
            if best.is_none_or(|(s, at)| score > s || score == s && *i < at) {
                best = Some((score, *i));
            }
        }
        best.map(|(_, i)| &self.choices[i])
    }
}

/// Levenshtein distance, for suggestions only (short names).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// The values of a field whose list is fixed (a currency, a contact or company type, an
/// employee range); `None` for a field whose values the file holds (stages, sources, users).
pub fn fixed_choices(entity: Entity, key: &str) -> Option<Vec<Choice>> {
    let spec = entity.field(key)?;
    let plain = |list: &[&str]| list.iter().map(|c| Choice { code: c.to_string(), name: c.to_string() }).collect();
    match spec.kind {
        FieldKind::Currency => Some(
            crate::domain::money::Currency::all_codes()
                .into_iter()
                .map(|c| Choice { name: c.clone(), code: c })
                .collect(),
        ),
        FieldKind::Choice(list) if list == CONTACT_TYPES || list == COMPANY_TYPES || list == EMPLOYEE_RANGES => {
            Some(plain(list))
        }
        FieldKind::Choice(list) => Some(plain(list)),
        _ => None,
    }
}

/// What becomes of a value no choice names (`--unknown`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unknown {
    /// The field is left empty and the original text kept on the record (the default).
    #[default]
    Empty,
    /// The value is created (a source, a lead stage; administrators only), else left empty.
    Create,
    /// The row is refused.
    Reject,
}

impl Unknown {
    /// Parses `--unknown`.
    pub fn parse(text: &str) -> Option<Unknown> {
        match text.trim().to_lowercase().as_str() {
            "empty" | "keep" | "leave" => Some(Unknown::Empty),
            "create" | "add" => Some(Unknown::Create),
            "reject" | "refuse" => Some(Unknown::Reject),
            _ => None,
        }
    }

    /// How `--unknown` writes it.
    pub fn code(self) -> &'static str {
        match self {
            Unknown::Empty => "empty",
            Unknown::Create => "create",
            Unknown::Reject => "reject",
        }
    }
}

/// Whether values of `field` can be created by an import (an administrator's sources and
/// lead stages); users, currencies and fixed lists cannot.
pub fn can_create(field: &str) -> bool {
    matches!(field, "source" | "stage")
}

/// What a value of a column becomes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "action", content = "code", rename_all = "snake_case")]
pub enum Resolution {
    /// The value with this code.
    Code(String),
    /// A new value of this name, made before the rows are written (then `Code`).
    Create(String),
    /// The field is left empty; the text is kept on the record.
    Empty,
    /// The row is refused.
    Reject,
}

/// A user's answer for one value: `--value "Source:Salon=TRADE_SHOW"` (`Source:Salon=` leaves
/// it empty; `Source:Salon=+` creates it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueRule {
    /// Column name, or the field's key.
    pub column: String,
    /// The value as the file has it.
    pub value: String,
    /// The code or name to use, `""` to leave the field empty, `+` to create the value.
    pub to: String,
}

impl ValueRule {
    /// Parses `COLUMN:VALUE=TARGET`.
    pub fn parse(text: &str) -> Result<ValueRule, FieldError> {
        let bad = || FieldError::new("value", Problem::refused("value_rule", &[("given", text.trim())]));
        let (left, to) = text.split_once('=').ok_or_else(bad)?;
        let (column, value) = left.split_once(':').ok_or_else(bad)?;
        if column.trim().is_empty() || value.trim().is_empty() {
            return Err(bad());
        }
        Ok(ValueRule { column: column.trim().into(), value: value.trim().into(), to: to.trim().into() })
    }

    fn resolve(&self, choices: &FieldChoices) -> Result<Resolution, FieldError> {
        match self.to.as_str() {
            "" | "-" => Ok(Resolution::Empty),
            "+" => Ok(Resolution::Create(self.value.clone())),
            to => choices.find(to).map(|c| Resolution::Code(c.code.clone())).ok_or_else(|| {
                FieldError::new(
                    choices.field.clone(),
                    Problem::Unknown {
                        what: "value",
                        value: to.to_string(),
                        known: choices.choices.iter().map(|c| format!("{} ({})", c.name, c.code)).collect(),
                    },
                )
            }),
        }
    }
}

/// A value of a column that names no choice, with how many rows hold it and what it becomes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnknownValue {
    /// Column position.
    pub column: usize,
    /// Column name.
    pub header: String,
    /// Field key.
    pub field: String,
    /// The value as the file has it (trimmed).
    pub value: String,
    /// Rows holding it.
    pub rows: usize,
    /// The choice it most likely means.
    pub suggestion: Option<Choice>,
    /// What it becomes.
    pub resolution: Resolution,
}

/// Distinct values of the reference columns, with their counts: what `plan` is made from.
#[derive(Clone, Debug, Default)]
pub struct ValueCounts {
    /// (column, trimmed value) -> rows, in the order first seen.
    counts: Vec<((usize, String), usize)>,
    /// Per column: value -> position in `counts` (looked up by `&str`: no string is made for
    /// a value already seen).
    at: HashMap<usize, HashMap<String, usize>>,
}

impl ValueCounts {
    /// Counts one cell.
    pub fn add(&mut self, column: usize, cell: &str) {
        let v = super::unneutralize(cell.trim()).trim();
        if v.is_empty() {
            return;
        }
        let at = self.at.entry(column).or_default();
        match at.get(v) {
            Some(i) => self.counts[*i].1 += 1,
            None => {
                at.insert(v.to_string(), self.counts.len());
                self.counts.push(((column, v.to_string()), 1));
            }
        }
    }
}

/// The columns whose values name choices: (position, field key).
pub fn listed_columns(entity: Entity, targets: &[Target]) -> Vec<(usize, &'static str)> {
    targets
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            Target::Field(k) if is_listed(entity, k) => Some((i, *k)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
