//! Records by a date field (SPEC V4): which fields the calendar can show records by (a
//! deal's close date, a lead's custom "callback date"), and the local day a value falls on.

use crate::domain::custom_field::{CustomField, FieldType};
use crate::domain::field_filter::key_int;
use crate::domain::fields::{Entity, FieldKind};
use crate::i18n::Lang;
use chrono::NaiveDate;

/// A date field of an entity: the calendar's "by" choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateField {
    /// Whose field.
    pub entity: Entity,
    /// Its code (`close_date`, `callback`).
    pub code: String,
    /// Its label in English, and in French when it has one (built-in fields: none here,
    /// `i18n` names them).
    pub label: String,
    /// Its French label, for fields of the team's own.
    pub label_fr: Option<String>,
    /// A day and a time (a value falls on the local day of its instant), not a day.
    pub with_time: bool,
    /// Built-in (its label comes from the locale files).
    pub built_in: bool,
}

impl DateField {
    /// `entity:code`, how the CLI and a saved choice name it.
    pub fn name(&self) -> String {
        format!("{}:{}", self.entity.code(), self.code)
    }

    /// Its label in `lang`, for fields of the team's own (built-in ones: `None`).
    pub fn custom_label(&self, lang: Lang) -> Option<&str> {
        if self.built_in {
            return None;
        }
        Some(match (lang, &self.label_fr) {
            (Lang::Fr, Some(fr)) if !fr.is_empty() => fr,
            _ => &self.label,
        })
    }
}

/// The date fields of `entity`: its built-in ones (a birth date excepted: a year long past
/// is no calendar's business), then its fields of the team's own, in their order.
pub fn date_fields(entity: Entity, custom: &[CustomField]) -> Vec<DateField> {
    let built =
        entity.fields().iter().filter(|f| f.kind == FieldKind::Date && f.key != "birth_date").map(|f| DateField {
            entity,
            code: f.key.to_string(),
            label: f.key.to_string(),
            label_fr: None,
            with_time: false,
            built_in: true,
        });
    let own = custom.iter().filter(|f| f.entity == entity && matches!(f.kind, FieldType::Date | FieldType::DateTime));
    built
        .chain(own.map(|f| DateField {
            entity,
            code: f.code.clone(),
            label: f.label.clone(),
            label_fr: f.label_fr.clone(),
            with_time: f.kind == FieldType::DateTime,
            built_in: false,
        }))
        .collect()
}

/// The local day a value's key (`Records::count_by_value`) falls on: the day itself, or the
/// local day of an instant.
pub fn day_of_key<Tz: chrono::TimeZone>(field: &DateField, key: &str, tz: &Tz) -> Option<NaiveDate> {
    if field.with_time {
        let ms = key_int(key)?;
        Some(crate::domain::when::from_ms(ms).with_timezone(tz).date_naive())
    } else {
        NaiveDate::parse_from_str(key, "%Y-%m-%d").ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::field_filter::sort_key;

    #[test]
    fn the_calendar_offers_each_date_field_and_finds_the_day_of_a_value() {
        let callback = CustomField { id: 4, ..CustomField::new(Entity::Lead, "callback", FieldType::DateTime) };
        let budget = CustomField::new(Entity::Lead, "budget", FieldType::Money);
        let codes: Vec<String> = date_fields(Entity::Deal, &[]).into_iter().map(|f| f.code).collect();
        assert_eq!(codes, ["begin_date", "close_date"]);
        let lead = date_fields(Entity::Lead, &[callback.clone(), budget]);
        assert_eq!(lead.len(), 1, "a lead's birth date and money fields are not offered");
        assert!(lead[0].with_time && lead[0].name() == "lead:callback");
        // 2026-12-01 23:30 UTC is the 2nd in Paris.
        let key = sort_key(&callback, "1796167800000");
        let paris = chrono::FixedOffset::east_opt(3600).unwrap();
        assert_eq!(day_of_key(&lead[0], &key, &paris), NaiveDate::from_ymd_opt(2026, 12, 2));
        assert_eq!(day_of_key(&lead[0], &key, &chrono::Utc), NaiveDate::from_ymd_opt(2026, 12, 1));
        let close = &date_fields(Entity::Deal, &[])[1];
        assert_eq!(day_of_key(close, "2026-12-31", &chrono::Utc), NaiveDate::from_ymd_opt(2026, 12, 31));
    }
}
