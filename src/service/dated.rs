//! The calendar by a date field (SPEC V4): how many records fall on each day of a range by
//! one of their date fields, and a day's records. Both read the list machinery (the same
//! conditions and rights as `lead list --where close_date=...`).

use super::Service;
use crate::domain::dated::{DateField, date_fields, day_of_key};
use crate::domain::field_filter::read_condition;
use crate::domain::fields::Entity;
use crate::domain::{FieldError, Problem};
use crate::store::Result;
use crate::store::records::{ListFilter, ListSort, RecordSummary, SortField};
use chrono::NaiveDate;

impl Service {
    /// The date fields the calendar can show records of `entity` by.
    pub fn date_fields(&self, entity: Entity) -> Result<Vec<DateField>> {
        Ok(date_fields(entity, &self.engine.custom_fields(Some(entity))?))
    }

    /// Date field `code` of `entity`, or the refusal naming the date fields there are.
    pub fn date_field(&self, entity: Entity, code: &str) -> Result<DateField> {
        let fields = self.date_fields(entity)?;
        let code = code.trim().to_lowercase().replace(['-', ' '], "_");
        // By code, or by its label in either language (`start_date` for `begin_date`).
        let named = |f: &DateField, lang: crate::i18n::Lang| {
            let label = match f.custom_label(lang) {
                Some(l) => l.to_string(),
                None => crate::i18n::tr_in(lang, &format!("field.{}", f.code), &[]),
            };
            label.trim().to_lowercase().replace(['-', ' '], "_") == code
        };
        let found = fields.iter().find(|f| f.code == code);
        let found = found
            .or_else(|| fields.iter().find(|f| named(f, crate::i18n::Lang::En) || named(f, crate::i18n::Lang::Fr)));
        found.cloned().ok_or_else(|| {
            let known = fields.iter().map(DateField::name).collect();
            FieldError::new(
                "by",
                Problem::Unknown { what: "date_field", value: format!("{}:{code}", entity.code()), known },
            )
            .into()
        })
    }

    /// How many records of what `by` belongs to the user may see fall on each local day of
    /// `[from, to)` by it; days without one are left out.
    pub fn count_by_day(&self, by: &DateField, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, i64)>> {
        let Some(last) = to.pred_opt().filter(|last| *last >= from) else { return Ok(vec![]) };
        let within = self.dated_condition(by, &format!("{from}..{last}"))?;
        let mut days: Vec<(NaiveDate, i64)> = Vec::new();
        // Deals of every pipeline: a calendar is about days, not pipelines.
        let every = ListFilter { all_pipelines: true, ..Default::default() };
        for (key, count) in self.engine.count_by_value(by.entity, &every, &within, &self.sight()?)? {
            let Some(day) = day_of_key(by, &key, &chrono::Local) else { continue };
            match days.iter_mut().find(|(d, _)| *d == day) {
                Some((_, n)) => *n += count,
                None => days.push((day, count)),
            }
        }
        days.sort();
        Ok(days)
    }

    /// Up to `limit` records falling on local day `day` by `by` (the user may see), by time
    /// for a date-and-time field, else by title; the field's value comes with each (in
    /// `fields`, for a field of the team's own).
    pub fn records_on(&self, by: &DateField, day: NaiveDate, limit: usize) -> Result<Vec<RecordSummary>> {
        let condition = self.dated_condition(by, &day.to_string())?;
        let key = match condition.on {
            crate::domain::field_filter::ConditionOn::Custom(id) => {
                if by.with_time {
                    SortField::Field(id)
                } else {
                    SortField::Title
                }
            }
            _ => SortField::Title,
        };
        let columns = match condition.on {
            crate::domain::field_filter::ConditionOn::Custom(id) => vec![id],
            _ => vec![],
        };
        let filter = ListFilter {
            all_pipelines: true,
            fields: vec![condition],
            columns,
            sort: Some(ListSort { key, reverse: false }),
            limit,
            ..Default::default()
        };
        self.list(by.entity, &filter)
    }

    /// The condition "`by` within `days`" (`2026-12-01..2026-12-31`, or one day).
    fn dated_condition(&self, by: &DateField, days: &str) -> Result<crate::domain::field_filter::FieldCondition> {
        let fields = self.engine.custom_fields(Some(by.entity))?;
        Ok(read_condition(&format!("{}={days}", by.code), by.entity, &fields, &self.parse_context())?)
    }
}
