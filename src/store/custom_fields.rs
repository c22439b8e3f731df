//! Custom field definitions as both engines keep them (SPEC F1): one row of `custom_fields`
//! each, its options and required stages as JSON lists. The rules of what a field takes
//! live in `domain::custom_field`.

use crate::domain::custom_field::{CustomField, FieldType};
use crate::domain::fields::Entity;
use crate::store::{Result, Rule, StoreError};

/// A definition's columns as read: entity, code, label, kind, section, sort, options (JSON),
/// label_fr, link_to, default_value, in_list, required_from (JSON).
pub(crate) struct FieldRow {
    pub id: i64,
    pub entity: String,
    pub code: String,
    pub label: String,
    pub kind: String,
    pub section: String,
    pub position: i64,
    pub options: String,
    pub label_fr: Option<String>,
    pub link_to: Option<String>,
    pub default: Option<String>,
    pub in_list: bool,
    pub required_from: String,
}

/// The columns `FieldRow` reads, in its order.
pub(crate) const COLUMNS: &str = "id, entity, code, label, kind, section, sort, options, label_fr, link_to, \
     default_value, in_list, required_from";

impl FieldRow {
    /// The definition; a row another program wrote badly is left out (`None`).
    pub(crate) fn field(self) -> Option<CustomField> {
        let entity = Entity::parse(&self.entity)?;
        let link_to = self.link_to.as_deref().and_then(Entity::parse);
        let kind = FieldType::parse(&self.kind, link_to).ok()?;
        Some(CustomField {
            id: self.id,
            entity,
            code: self.code,
            kind,
            label: self.label,
            label_fr: self.label_fr,
            section: self.section,
            position: self.position,
            default: self.default,
            in_list: self.in_list,
            options: serde_json::from_str(&self.options).unwrap_or_default(),
            required_from: serde_json::from_str(&self.required_from).unwrap_or_default(),
        })
    }
}

/// The JSON of a field's options and required stages, as stored.
pub(crate) fn json_lists(f: &CustomField) -> (String, String) {
    (serde_json::json!(f.options).to_string(), serde_json::json!(f.required_from).to_string())
}

/// The kind of record a link field points at, as stored.
pub(crate) fn link_to(f: &CustomField) -> Option<&'static str> {
    match f.kind {
        FieldType::Link(e) => Some(e.code()),
        _ => None,
    }
}

/// `field` among `fields` by code, or the refusal naming it.
pub(crate) fn named<'a>(fields: &'a [CustomField], entity: Entity, code: &str) -> Result<&'a CustomField> {
    let code = code.trim().to_lowercase().replace('-', "_");
    fields
        .iter()
        .find(|f| f.entity == entity && f.code == code)
        .ok_or(StoreError::Rule(Rule::NoSuchCustomField { code, entity }))
}

/// A date and time typed without a zone, read in this machine's local time.
pub(crate) fn local_instant(t: chrono::NaiveDateTime) -> Option<crate::domain::when::UnixMs> {
    use chrono::TimeZone;
    chrono::Local.from_local_datetime(&t).earliest().map(|d| d.timestamp_millis())
}

/// A typed key as a custom field's code (`fields.budget`, `Budget`, `product-interest`).
fn code_of(key: &str) -> String {
    let k = key.trim();
    k.strip_prefix("fields.").unwrap_or(k).to_lowercase().replace('-', "_")
}

/// Typed pairs split into the built-in fields' (for `validate_input`, which refuses a key
/// neither knows) and the custom fields' values, parsed (`None` clears); the last value
/// typed for a field wins.
pub(crate) fn split_input<'a>(
    entity: Entity,
    pairs: &[(String, String)],
    fields: &'a [CustomField],
    ctx: &crate::domain::custom_field::ParseContext,
) -> std::result::Result<CustomSplit<'a>, crate::domain::FieldError> {
    let mut split = CustomSplit::default();
    for (key, text) in pairs {
        let custom = if entity.field(key).is_some() {
            None
        } else {
            let code = code_of(key);
            fields.iter().find(|f| f.entity == entity && f.code == code)
        };
        match custom {
            Some(f) => {
                let value = f.parse(text, ctx)?;
                split.custom.retain(|(g, _)| g.id != f.id);
                split.custom.push((f, value));
            }
            None if entity.field(key).is_none() => {
                // Neither a built-in key nor a field of the team's own: say both.
                let mut accepted: Vec<String> = entity.fields().iter().map(|f| f.key.to_string()).collect();
                accepted.extend(fields.iter().filter(|f| f.entity == entity).map(|f| f.code.clone()));
                let no_such = crate::domain::Problem::NoSuchField { accepted };
                return Err(crate::domain::FieldError::new(key.clone(), no_such));
            }
            None => split.builtin.push((key.clone(), text.clone())),
        }
    }
    Ok(split)
}

/// `split_input`'s answer.
#[derive(Default)]
pub(crate) struct CustomSplit<'a> {
    /// Pairs for the built-in fields.
    pub builtin: Vec<(String, String)>,
    /// Custom fields and their parsed values.
    pub custom: Vec<(&'a CustomField, Option<String>)>,
}

/// The currency typed with a record's fields, if any: what its money fields are in.
pub(crate) fn typed_currency(pairs: &[(String, String)]) -> Option<crate::domain::money::Currency> {
    let typed = pairs.iter().rev().find(|(k, _)| k.trim() == "currency");
    typed.and_then(|(_, v)| crate::domain::money::Currency::parse(v.trim()))
}

/// Whether `pairs` name anything but built-in fields: only then are the custom fields read.
pub(crate) fn names_custom(entity: Entity, pairs: &[(String, String)]) -> bool {
    pairs.iter().any(|(k, _)| entity.field(k).is_none())
}

/// What a write of custom values changes: each value that differs from the record's
/// (`old`: field id, stored), with its timeline change (labels included: the history reads
/// after the field is renamed or deleted). Unchanged values are left out, so a value the
/// field would now refuse (an option since removed, a link to a record since gone) is not
/// checked again when it was not touched.
pub(crate) fn changed<'a>(
    old: &[(i64, String)],
    values: &'a [(&'a CustomField, Option<String>)],
) -> Vec<(&'a CustomField, Option<&'a str>, serde_json::Value)> {
    let mut out = Vec::new();
    for (f, v) in values {
        let before = old.iter().find(|(fid, _)| *fid == f.id).map(|(_, v)| v.as_str());
        if before == v.as_deref() {
            continue;
        }
        let shown = |v: Option<&str>| v.map(|v| f.plain(v)).unwrap_or_default();
        let change = serde_json::json!({
            "field": f.code,
            "label": f.label,
            "label_fr": f.label_fr,
            "old": shown(before),
            "new": shown(v.as_deref()),
        });
        out.push((*f, v.as_deref(), change));
    }
    out
}

/// The values typed, and each other field's default: what a new record gets.
pub(crate) fn with_defaults<'a>(
    fields: &'a [CustomField],
    mut typed: Vec<(&'a CustomField, Option<String>)>,
) -> Vec<(&'a CustomField, Option<String>)> {
    for f in fields {
        if let (Some(default), false) = (&f.default, typed.iter().any(|(g, _)| g.id == f.id)) {
            typed.push((f, Some(default.clone())));
        }
    }
    typed
}

/// The entity's fields, each with the record's value (`values`: field id, stored).
pub(crate) fn paired(fields: Vec<CustomField>, values: &[(i64, String)]) -> Vec<(CustomField, Option<String>)> {
    fields
        .into_iter()
        .map(|f| {
            let v = values.iter().find(|(fid, _)| *fid == f.id).map(|(_, v)| v.clone());
            (f, v)
        })
        .collect()
}

/// A parameter of a field condition's SQL (`condition_sql`).
pub(crate) enum CondParam {
    /// A field's id, a number.
    Int(i64),
    /// A key, option or text.
    Text(String),
}

/// Which engine's SQL `condition_sql` writes (they differ in the name of one function).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// SQL (over alias `t`, the listed record) of a condition on a field: for a field of the
/// team's own, the records holding a value that passes, read from the field's order index
/// (`field_filter::sort_key`); for a built-in field, a test of its column. `param` keeps
/// each parameter and answers its placeholder.
pub(crate) fn condition_sql(
    c: &crate::domain::field_filter::FieldCondition,
    dialect: Dialect,
    param: &mut dyn FnMut(CondParam) -> String,
) -> String {
    use crate::domain::field_filter::{ConditionOn, FieldTest};
    let field_id = match c.on {
        ConditionOn::Custom(id) => id,
        ConditionOn::Column { column, kind } => return column_sql(column, kind, &c.test, dialect, param),
    };
    // An empty list binds nothing (a parameter bound and not used is an error on both engines).
    match &c.test {
        FieldTest::In(k) if k.is_empty() => return "1 = 0".to_string(),
        FieldTest::NotIn(k) if k.is_empty() => return "1 = 1".to_string(),
        FieldTest::HasOption(o) if o.is_empty() => return "1 = 0".to_string(),
        FieldTest::HasNoOption(o) if o.is_empty() => return "1 = 1".to_string(),
        _ => {}
    }
    let field = param(CondParam::Int(field_id));
    let holding = |test: &str, not: bool| {
        let not = if not { "NOT " } else { "" };
        format!("t.id {not}IN (SELECT v.entity_id FROM custom_values v WHERE v.field_id = {field}{test})")
    };
    let find = if dialect == Dialect::Sqlite { "instr" } else { "strpos" };
    let mut keys = |keys: &[String]| keys.iter().map(|k| param(CondParam::Text(k.clone()))).collect::<Vec<_>>();
    match &c.test {
        FieldTest::Empty => holding("", true),
        FieldTest::NotEmpty => holding("", false),
        FieldTest::In(k) => holding(&format!(" AND v.sort_key IN ({})", keys(k).join(", ")), false),
        FieldTest::NotIn(k) => holding(&format!(" AND v.sort_key IN ({})", keys(k).join(", ")), true),
        FieldTest::HasOption(o) | FieldTest::HasNoOption(o) => {
            let marked: Vec<String> = o.iter().map(|o| format!("|{o}|")).collect();
            let any: Vec<String> =
                keys(&marked).into_iter().map(|p| format!("{find}('|' || v.value || '|', {p}) > 0")).collect();
            let any = if any.is_empty() { "1 = 0".to_string() } else { any.join(" OR ") };
            holding(&format!(" AND ({any})"), matches!(c.test, FieldTest::HasNoOption(_)))
        }
        FieldTest::Range { from, to } => {
            let mut test = String::new();
            for (bound, op_in, op_out) in [(from, ">=", ">"), (to, "<=", "<")] {
                if let Some((key, included)) = bound {
                    let p = keys(std::slice::from_ref(key)).remove(0);
                    test.push_str(&format!(" AND v.sort_key {} {p}", if *included { op_in } else { op_out }));
                }
            }
            holding(&test, false)
        }
        FieldTest::Contains(text) => {
            let p = keys(std::slice::from_ref(text)).remove(0);
            holding(&format!(" AND {find}(v.sort_key, {p}) > 0"), false)
        }
    }
}

/// SQL of `Records::count_by_value` over `table`, whose records `wheres` keeps (over alias
/// `t`; `"1"`: all), and its parameters after `wheres`': a field of the team's own counted
/// from its order index (`custom_values_order`, a range of keys read in order; each value's
/// record checked against `wheres` only when it keeps less than all), a column grouped.
pub(crate) fn count_by_value_sql(
    table: &str,
    wheres: &str,
    within: &crate::domain::field_filter::FieldCondition,
    dialect: Dialect,
    param: &mut dyn FnMut(CondParam) -> String,
) -> String {
    use crate::domain::field_filter::{ConditionOn, FieldTest};
    match (within.on, &within.test) {
        (ConditionOn::Custom(id), FieldTest::Range { from, to }) => {
            let mut sql = format!(
                "SELECT v.sort_key, count(*) FROM custom_values v WHERE v.field_id = {}",
                param(CondParam::Int(id))
            );
            for (bound, op_in, op_out) in [(from, ">=", ">"), (to, "<=", "<")] {
                if let Some((key, included)) = bound {
                    let p = param(CondParam::Text(key.clone()));
                    sql.push_str(&format!(" AND v.sort_key {} {p}", if *included { op_in } else { op_out }));
                }
            }
            if wheres != "1" {
                sql.push_str(&format!(" AND EXISTS (SELECT 1 FROM {table} t WHERE t.id = v.entity_id AND {wheres})"));
            }
            sql + " GROUP BY v.sort_key ORDER BY v.sort_key"
        }
        _ => {
            let key = match within.on {
                ConditionOn::Column { column, .. } => format!("CAST(t.{column} AS TEXT)"),
                ConditionOn::Custom(id) => format!(
                    "(SELECT v.sort_key FROM custom_values v WHERE v.field_id = {} AND v.entity_id = t.id)",
                    param(CondParam::Int(id))
                ),
            };
            let test = condition_sql(within, dialect, param);
            format!(
                "SELECT k, count(*) FROM (SELECT {key} AS k FROM {table} t WHERE {wheres} AND {test}) kept \
                 WHERE k IS NOT NULL GROUP BY k ORDER BY k"
            )
        }
    }
}

/// SQL (over alias `t`) of a condition on built-in column `column`, compared as `kind`
/// says (`domain::column_filter`). Text compares without case (each engine's `lower` on
/// both sides); no value (`NULL`, or empty text) passes `!=` and `Empty` only.
fn column_sql(
    column: &str,
    kind: crate::domain::field_filter::ColumnKind,
    test: &crate::domain::field_filter::FieldTest,
    dialect: Dialect,
    param: &mut dyn FnMut(CondParam) -> String,
) -> String {
    use crate::domain::field_filter::{ColumnKind, FieldTest};
    let col = format!("t.{column}");
    // Without case in every script on both engines (SQLite's `lower` folds ASCII only).
    let fold = if dialect == Dialect::Sqlite { "prospect_fold" } else { "lower" };
    let mut one = |key: &str| match kind {
        ColumnKind::Int => param(CondParam::Int(key.parse().unwrap_or_default())),
        ColumnKind::Text => format!("{fold}({})", param(CondParam::Text(key.to_string()))),
        _ => param(CondParam::Text(key.to_string())),
    };
    // What is compared: the column, without case for text, as true/false for yes/no.
    let value = match kind {
        ColumnKind::Text => format!("{fold}({col})"),
        _ => col.clone(),
    };
    let filled = match kind {
        ColumnKind::Text | ColumnKind::Date | ColumnKind::Code => format!("coalesce({col}, '') <> ''"),
        _ => format!("{col} IS NOT NULL"),
    };
    let find = if dialect == Dialect::Sqlite { "instr" } else { "strpos" };
    match test {
        FieldTest::Empty => format!("NOT ({filled})"),
        FieldTest::NotEmpty => filled,
        FieldTest::In(keys) | FieldTest::NotIn(keys) if kind == ColumnKind::Bool => {
            let holds = |k: &String| if k == "1" { format!("{col} = TRUE") } else { format!("{col} = FALSE") };
            let any = keys.iter().map(holds).collect::<Vec<_>>();
            let any = if any.is_empty() { "1 = 0".to_string() } else { format!("({})", any.join(" OR ")) };
            if matches!(test, FieldTest::In(_)) { any } else { format!("NOT coalesce({any}, FALSE)") }
        }
        FieldTest::In(keys) if keys.is_empty() => "1 = 0".into(),
        FieldTest::NotIn(keys) if keys.is_empty() => "1 = 1".into(),
        FieldTest::In(keys) => {
            let ps: Vec<String> = keys.iter().map(|k| one(k)).collect();
            format!("{value} IN ({})", ps.join(", "))
        }
        FieldTest::NotIn(keys) => {
            let ps: Vec<String> = keys.iter().map(|k| one(k)).collect();
            format!("({col} IS NULL OR {value} NOT IN ({}))", ps.join(", "))
        }
        FieldTest::Range { from, to } => {
            let mut parts = vec![filled];
            for (bound, op_in, op_out) in [(from, ">=", ">"), (to, "<=", "<")] {
                if let Some((key, included)) = bound {
                    parts.push(format!("{value} {} {}", if *included { op_in } else { op_out }, one(key)));
                }
            }
            parts.join(" AND ")
        }
        FieldTest::Contains(text) => {
            let p = one(text);
            format!("{find}({fold}(coalesce({col}, '')), {p}) > 0")
        }
        FieldTest::HasOption(_) | FieldTest::HasNoOption(_) => "1 = 0".into(),
    }
}

/// Puts the values of `page` rows' fields asked for (`values`: field id, record id, stored)
/// on the rows, by code, as stored (`present::custom` shows them).
pub(crate) fn fill_columns(
    rows: &mut [crate::store::records::RecordSummary],
    fields: &[CustomField],
    values: Vec<(i64, i64, String)>,
) {
    for (field_id, id, value) in values {
        let (Some(f), Some(row)) = (fields.iter().find(|f| f.id == field_id), rows.iter_mut().find(|r| r.id == id))
        else {
            continue;
        };
        row.fields.insert(f.code.clone(), value);
    }
}

/// Whether search finds a field's values: free text, e-mail addresses and web addresses.
pub(crate) fn searched(f: &CustomField) -> bool {
    matches!(f.kind, FieldType::Text | FieldType::Multiline | FieldType::Email | FieldType::Url)
}

/// The text of a record's searched custom values (`searched`), by field id: what its search
/// entry ends with (`with_searched`).
pub(crate) fn searched_text<'a>(values: impl IntoIterator<Item = (&'a CustomField, &'a str)>) -> String {
    let mut kept: Vec<(&CustomField, &str)> =
        values.into_iter().filter(|(f, v)| searched(f) && !v.is_empty()).collect();
    // By id, not position: moving a field must not change what the entries say.
    kept.sort_by_key(|(f, _)| f.id);
    kept.iter().map(|(_, v)| *v).collect::<Vec<_>>().join(" ")
}

/// SQL (over alias `t`) of the text of a record's searched custom values, as `searched_text`
/// joins them.
pub(crate) fn searched_sql(entity: Entity, dialect: Dialect) -> String {
    let agg = match dialect {
        Dialect::Sqlite => "group_concat(v.value, ' ' ORDER BY f.id)",
        Dialect::Postgres => "string_agg(v.value, ' ' ORDER BY f.id)",
    };
    format!(
        "(SELECT {agg} FROM custom_values v JOIN custom_fields f ON f.id = v.field_id \
         WHERE f.entity = '{}' AND f.kind IN ('text', 'multiline', 'email', 'url') AND v.entity_id = t.id \
         AND v.value <> '')",
        entity.code()
    )
}

/// A search entry's text with the record's searched custom values after it.
pub(crate) fn with_searched(body: String, custom: Option<&str>) -> String {
    match custom.filter(|c| !c.is_empty()) {
        Some(c) if body.is_empty() => c.to_string(),
        Some(c) => format!("{body} {c}"),
        None => body,
    }
}
