//! Reference values in an import: what a cell of a stage, source, responsible, currency or
//! type column names. A value matches a choice by its code or any of its names (the file's own,
//! the default names in English and French, common synonyms, the detected vendor's standard
//! values), case, accents and punctuation aside. A value that still matches nothing is never
//! a reason to lose a row: the user maps it (`--value`), has it created, or leaves the field
//! empty with the original text kept (`Unknown`).

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

/// What each value of each reference column becomes: found among its field's choices, else
/// the user's rule for it, else `unknown`. Values are answered as the rows are read (each
/// distinct one once, then remembered), and those that named nothing are counted on the way;
/// `scan` answers every value of the file up front instead (to show them before importing,
/// or to create the new ones first).
#[derive(Debug, Default)]
pub struct ValuePlan {
    columns: HashMap<usize, ColumnPlan>,
    seen: std::sync::Mutex<Seen>,
}

/// One reference column: its field's choices, the user's answers, the default for the rest.
#[derive(Debug)]
struct ColumnPlan {
    header: String,
    choices: FieldChoices,
    /// Folded value -> answer (`--value` rules, values created for the import).
    answers: HashMap<String, Resolution>,
    otherwise: Resolution,
}

/// What the rows read so far gave.
#[derive(Debug, Default)]
struct Seen {
    /// Column -> value as written -> its answer, and its place in `unknown` when it names
    /// nothing (each distinct value answered once).
    answered: HashMap<usize, HashMap<String, (Resolution, Option<usize>)>>,
    /// The values that named nothing, in the order first met, with their rows; spellings
    /// that differ only in case or accents are one value (one answer applies to them).
    unknown: Vec<UnknownValue>,
    /// (column, folded value) -> place in `unknown`.
    unknown_at: HashMap<(usize, String), usize>,
    /// Every value was answered by `scan`: rows are not counted again.
    scanned: bool,
    /// The last line counted (a batch read again after a busy file is not counted twice).
    counted_to: u64,
}

/// Unknown values offered a suggestion: past these, a file of thousands of distinct
/// values (campaign tags) is not compared with every name a thousand times over.
const SUGGESTED: usize = 500;

/// Longest value a suggestion is looked for.
const SUGGESTED_LEN: usize = 120;

impl Seen {
    /// The answer of `value` in `column` (met for the first time), and its place among the
    /// unknown values when it names nothing.
    fn answer(&mut self, column: usize, plan: &ColumnPlan, value: &str) -> (Resolution, Option<usize>) {
        let (r, known) = ValuePlan::answer(plan, value);
        if known {
            return (r, None);
        }
        let key = (column, fold(value));
        if let Some(at) = self.unknown_at.get(&key) {
            return (self.unknown[*at].resolution.clone(), Some(*at));
        }
        let suggestion = (self.unknown.len() < SUGGESTED && value.chars().count() <= SUGGESTED_LEN)
            .then(|| plan.choices.suggest(value).cloned())
            .flatten();
        self.unknown.push(UnknownValue {
            column,
            header: plan.header.clone(),
            field: plan.choices.field.clone(),
            value: value.to_string(),
            rows: 0,
            suggestion,
            resolution: r.clone(),
        });
        self.unknown_at.insert(key, self.unknown.len() - 1);
        (r, Some(self.unknown.len() - 1))
    }
}

impl ValuePlan {
    /// The plan of `targets`' reference columns: `choices` (one per listed field), the user's
    /// `rules`, and `unknown` for every other value that names nothing. A rule naming a column
    /// the file lacks or a value that names nothing is refused.
    pub fn new(
        headers: &[String],
        targets: &[Target],
        choices: &[FieldChoices],
        rules: &[ValueRule],
        unknown: Unknown,
    ) -> Result<ValuePlan, FieldError> {
        let field_of = |col: usize| match targets.get(col) {
            Some(Target::Field(k)) => choices.iter().find(|c| c.field == *k),
            _ => None,
        };
        let mut columns: HashMap<usize, ColumnPlan> = HashMap::new();
        for col in 0..targets.len() {
            let Some(fc) = field_of(col) else { continue };
            let otherwise = match unknown {
                Unknown::Create if can_create(&fc.field) => Resolution::Create(String::new()),
                Unknown::Reject => Resolution::Reject,
                _ => Resolution::Empty,
            };
            let header = headers.get(col).cloned().unwrap_or_default();
            columns.insert(col, ColumnPlan { header, choices: fc.clone(), answers: HashMap::new(), otherwise });
        }
        for rule in rules {
            let wanted = fold(&rule.column);
            let col = headers
                .iter()
                .position(|h| fold(h) == wanted)
                .or_else(|| targets.iter().position(|t| matches!(t, Target::Field(k) if fold(k) == wanted)))
                .filter(|c| columns.contains_key(c))
                .ok_or_else(|| {
                    let mut listed: Vec<(usize, String)> =
                        columns.iter().map(|(c, p)| (*c, p.header.clone())).collect();
                    listed.sort();
                    let known = listed.into_iter().map(|(_, h)| h).collect();
                    FieldError::new("value", Problem::Unknown { what: "column", value: rule.column.clone(), known })
                })?;
            let column = columns.get_mut(&col).expect("checked above");
            let mut r = rule.resolve(&column.choices)?;
            if matches!(r, Resolution::Create(_)) && !can_create(&column.choices.field) {
                r = Resolution::Empty;
            }
            column.answers.insert(fold(&rule.value), r);
        }
        Ok(ValuePlan { columns, seen: Default::default() })
    }

    /// What `value` becomes and whether the file knows it: the user's answer first (a rule
    /// for a value the file knows too overrides it), then the file's value, then `otherwise`.
    fn answer(column: &ColumnPlan, value: &str) -> (Resolution, bool) {
        let known = column.choices.find(value);
        if let Some(r) = column.answers.get(&fold(value)) {
            return (r.clone(), known.is_some());
        }
        if let Some(c) = known {
            return (Resolution::Code(c.code.clone()), true);
        }
        let r = match &column.otherwise {
            Resolution::Create(_) => Resolution::Create(value.to_string()),
            other => other.clone(),
        };
        (r, false)
    }

    /// What the value `cell` of column `column` on `line` becomes; `None`: not a reference
    /// column. A value that names nothing is counted (once per line).
    pub fn get(&self, line: u64, column: usize, cell: &str) -> Option<Resolution> {
        let plan = self.columns.get(&column)?;
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let count = !seen.scanned && line > seen.counted_to;
        let found = seen.answered.get(&column).and_then(|v| v.get(cell)).cloned();
        let (r, at) = match found {
            Some(found) => found,
            None => {
                let found = seen.answer(column, plan, cell);
                seen.answered.entry(column).or_default().insert(cell.to_string(), found.clone());
                found
            }
        };
        if count && let Some(at) = at {
            seen.unknown[at].rows += 1;
        }
        Some(r)
    }

    /// The row on `line` is read: its values are counted, and a batch read again from an
    /// earlier line is not counted twice.
    pub fn row_done(&self, line: u64) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.counted_to = seen.counted_to.max(line);
    }

    /// Answers every value of the file (`counts`: each distinct value with its rows) now:
    /// the values that name nothing, with their rows, are then known before any row is read.
    pub fn scan(&mut self, counts: &ValueCounts) {
        let mut seen = Seen { scanned: true, ..Default::default() };
        for ((col, value), rows) in &counts.counts {
            let Some(plan) = self.columns.get(col) else { continue };
            let (r, at) = seen.answer(*col, plan, value);
            if let Some(at) = at {
                seen.unknown[at].rows += rows;
            }
            seen.answered.entry(*col).or_default().insert(value.clone(), (r, at));
        }
        self.seen = std::sync::Mutex::new(seen);
    }

    /// The values met so far that named nothing (all of them after `scan` or the import).
    pub fn unknown_values(&self) -> Vec<UnknownValue> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).unknown.clone()
    }

    /// The values to create before the rows are written: (field, name). Known after `scan`.
    pub fn to_create(&self) -> Vec<(String, String)> {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<(String, String)> = Vec::new();
        for (col, values) in &seen.answered {
            let Some(plan) = self.columns.get(col) else { continue };
            for (r, _) in values.values() {
                if let Resolution::Create(name) = r
                    && !out.iter().any(|(f, n)| *f == plan.choices.field && fold(n) == fold(name))
                {
                    out.push((plan.choices.field.clone(), name.clone()));
                }
            }
        }
        out.sort();
        out
    }

    /// A value made for `(field, name)` has `code`: the values that asked for it now name it.
    pub fn created(&mut self, field: &str, name: &str, code: &str) {
        let seen = self.seen.get_mut().unwrap_or_else(|e| e.into_inner());
        for (col, values) in seen.answered.iter_mut() {
            if self.columns.get(col).is_none_or(|p| p.choices.field != field) {
                continue;
            }
            for (r, _) in values.values_mut() {
                if matches!(r, Resolution::Create(n) if fold(n) == fold(name)) {
                    *r = Resolution::Code(code.to_string());
                }
            }
        }
    }

    /// Whether the plan may create values (then every value must be answered by `scan`
    /// before the rows are written).
    pub fn may_create(&self) -> bool {
        self.columns.values().any(|p| {
            matches!(p.otherwise, Resolution::Create(_))
                || p.answers.values().any(|r| matches!(r, Resolution::Create(_)))
        })
    }
}

/// The plan of an import's values, every value answered now (`ValuePlan::new`, then `scan`),
/// and the values that named nothing, with their rows, a suggestion and their answer.
pub fn plan(
    headers: &[String],
    targets: &[Target],
    counts: &ValueCounts,
    choices: &[FieldChoices],
    rules: &[ValueRule],
    unknown: Unknown,
) -> Result<(ValuePlan, Vec<UnknownValue>), FieldError> {
    let mut plan = ValuePlan::new(headers, targets, choices, rules, unknown)?;
    plan.scan(counts);
    let unknown = plan.unknown_values();
    Ok((plan, unknown))
}

#[cfg(test)]
#[path = "values_tests.rs"]
mod tests;
