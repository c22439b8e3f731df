//! `prospect calendar`: a month's days with your activities and the records falling on them
//! by a date field (SPEC V4), as the TUI's calendar shows them.

use super::{Session, output};
use crate::domain::agenda::day_start;
use crate::domain::fields::Entity;
use crate::domain::{FieldError, Problem};
use crate::i18n::{tr, tr_in};
use chrono::{Datelike, Local, NaiveDate};
use clap::Args;
use serde_json::json;

/// `calendar` flags.
#[derive(Args, Debug)]
pub struct CalendarArgs {
    /// The month: 2026-12 or 12/2026 (default: this month).
    #[arg(long, value_name = "MONTH")]
    pub month: Option<String>,
    /// Records by this date field too: ENTITY:FIELD (deal:close_date, lead:callback).
    #[arg(long, value_name = "ENTITY:FIELD")]
    pub by: Option<String>,
    /// Records listed per day, at most (the count says how many there are).
    #[arg(long, default_value_t = 20, value_parser = super::args::whole::<usize>("limit", 0, 1000))]
    pub limit: usize,
}

/// The first day of the month typed (`2026-12`, `12/2026`), or of this one.
fn month_of(typed: Option<&str>, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let Some(t) = typed.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(today.with_day(1).unwrap_or(today));
    };
    let parsed = NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&format!("01/{t}"), "%d/%m/%Y"))
        .ok()
        .filter(|d| crate::domain::when::parse_date(&d.to_string()).is_some());
    parsed.ok_or_else(|| FieldError::new("month", Problem::refused("month_shape", &[("value", t)])))
}

/// Runs `calendar`.
pub fn run(s: &mut Session, args: CalendarArgs) -> anyhow::Result<()> {
    let today = crate::domain::when::from_ms(s.store.now()).with_timezone(&Local).date_naive();
    let first = month_of(args.month.as_deref(), today)?;
    let end = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
    let by = match args.by.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        Some(typed) => {
            let (entity, code) = typed.split_once([':', '.']).unwrap_or(("", typed));
            let entity = match Entity::parse(entity.trim()) {
                Some(e) => e,
                None => {
                    let mut known = Vec::new();
                    for e in Entity::ALL {
                        known.extend(s.store.date_fields(e)?.iter().map(|f| f.name()));
                    }
                    let value = typed.to_string();
                    return Err(FieldError::new("by", Problem::Unknown { what: "date_field", value, known }).into());
                }
            };
            Some(s.store.date_field(entity, code)?)
        }
        None => None,
    };
    let days: Vec<NaiveDate> = first.iter_days().take_while(|d| *d < end).collect();
    let ms = |d: NaiveDate| day_start(&Local, d).timestamp_millis();
    let bounds: Vec<(NaiveDate, i64, i64)> =
        days.iter().map(|d| (*d, ms(*d), ms(d.succ_opt().unwrap_or(*d)))).collect();
    let me = s.store.user().map(|u| u.id).unwrap_or(0);
    let activities = s.store.activity_day_counts(me, &bounds)?;
    let dated = match &by {
        Some(by) => s.store.count_by_day(by, first, end)?,
        None => vec![],
    };
    let count = |list: &[(NaiveDate, i64)], d: NaiveDate| list.iter().find(|(x, _)| *x == d).map_or(0, |(_, n)| *n);
    let lang = crate::i18n::lang();
    let mut out = Vec::new();
    for d in days {
        let (acts, recs) = (count(&activities, d), count(&dated, d));
        if acts == 0 && recs == 0 {
            continue;
        }
        let listed = match &by {
            Some(by) if recs > 0 && args.limit > 0 => s.store.records_on(by, d, args.limit)?,
            _ => vec![],
        };
        out.push((d, acts, recs, listed));
    }
    if s.json {
        let days: Vec<_> = out
            .iter()
            .map(|(d, acts, recs, listed)| {
                // A date and time's instant comes with each record (RFC 3339, UTC).
                let at = |r: &crate::store::records::RecordSummary| {
                    let by = by.as_ref().filter(|b| b.with_time)?;
                    r.fields.get(&by.code)?.parse::<i64>().ok().map(crate::domain::when::rfc3339)
                };
                let listed: Vec<_> =
                    listed.iter().map(|r| json!({"id": r.id, "title": r.title, "at": at(r)})).collect();
                json!({"day": d.to_string(), "activities": acts, "records": recs, "listed": listed})
            })
            .collect();
        output::json(&json!({
            "month": first.format("%Y-%m").to_string(),
            "by": by.as_ref().map(|b| b.name()),
            "days": days,
        }));
        return Ok(());
    }
    let month = tr_in(lang, &format!("tui.month_{}", first.month()), &[]);
    let by_label = by.as_ref().map(|b| {
        let label =
            b.custom_label(lang).map(str::to_string).unwrap_or_else(|| crate::present::field_label(lang, &b.code));
        format!(" · {} · {label}", tr_in(lang, &format!("entity.{}", b.entity.code()), &[]))
    });
    println!("{month} {}{}", first.year(), by_label.unwrap_or_default());
    if out.is_empty() {
        println!("{}", tr("calendar.empty", &[]));
    }
    for (d, acts, recs, listed) in out {
        let day = crate::present::date(lang, ms(d));
        let mut line = format!("{day}  {}", tr("counted.activities", &[("count", &acts.to_string())]));
        if let (Some(by), true) = (&by, recs > 0) {
            line.push_str(&format!(
                "  ◆ {}",
                tr(&format!("counted.{}", plural(by.entity)), &[("count", &recs.to_string())])
            ));
        }
        println!("{line}");
        for r in &listed {
            let at = by.as_ref().filter(|b| b.with_time).and_then(|b| r.fields.get(&b.code)?.parse::<i64>().ok());
            let at =
                at.map(|ms| format!("{} ", crate::domain::when::from_ms(ms).with_timezone(&Local).format("%H:%M")));
            println!("    {}#{} {}", at.unwrap_or_default(), r.id, crate::domain::text::shown(&r.title));
        }
        if recs > listed.len() as i64 && !listed.is_empty() {
            println!("    {}", tr("calendar.more", &[("count", &(recs - listed.len() as i64).to_string())]));
        }
    }
    Ok(())
}

/// The `counted` key of records of `entity`.
fn plural(entity: Entity) -> &'static str {
    match entity {
        Entity::Lead => "leads",
        Entity::Deal => "deals",
        Entity::Contact => "contacts",
        Entity::Company => "companies",
    }
}
