//! Dates and times as people type them, and the UTC instants the store keeps.

use super::error::{FieldError, Problem};
use chrono::{DateTime, NaiveDate, Utc};

/// Milliseconds since the Unix epoch, UTC: how every instant is stored.
pub type UnixMs = i64;

/// Converts a stored instant to a `DateTime<Utc>` (clamped to the epoch if out of range).
pub fn from_ms(ms: UnixMs) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

/// RFC 3339 form of a stored instant, for JSON.
pub fn rfc3339(ms: UnixMs) -> String {
    from_ms(ms).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// First year a typed date may fall in (birth dates of the oldest clients).
pub const MIN_YEAR: i32 = 1900;
/// Last year a typed date may fall in: far enough for any plan, near enough that every
/// instant fits in the store's milliseconds, iCalendar's four-digit years and chrono's range.
pub const MAX_YEAR: i32 = 2200;

/// Whether `d` is in the one accepted range of every date and time input (`MIN_YEAR` to
/// `MAX_YEAR`): typed phrases, ISO dates, birth dates, deal dates, list filters, imports.
pub fn in_range(d: NaiveDate) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&chrono::Datelike::year(&d))
}

/// Whether a stored instant falls in the accepted years: one stored before the range existed
/// (year 10240 from `+3000000d`) is no date another program can read.
pub fn instant_in_range(ms: UnixMs) -> bool {
    DateTime::<Utc>::from_timestamp_millis(ms).is_some_and(|t| in_range(t.date_naive()))
}

/// The refusal of a date or instant outside the accepted years, naming `field`.
pub fn out_of_range(field: &str, value: &str) -> FieldError {
    FieldError::new(field, Problem::DateRange { value: value.to_string(), min: MIN_YEAR, max: MAX_YEAR })
}

/// Reads a calendar date (`parse_date`'s forms) in the accepted years; the error names
/// `field` and says what is accepted.
pub fn read_date(field: &str, text: &str) -> Result<NaiveDate, FieldError> {
    let d = parse_date_any_year(text)
        .ok_or_else(|| FieldError::new(field, Problem::Date { value: text.trim().to_string() }))?;
    if in_range(d) { Ok(d) } else { Err(out_of_range(field, text.trim())) }
}

/// Parses a calendar date: `2026-11-24`, `24/11/2026` or `24.11.2026` (day first, as in
/// French and British use; month-first US dates are refused rather than guessed). `None`
/// outside `MIN_YEAR..=MAX_YEAR` too (`read_date` says which).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    parse_date_any_year(text).filter(|d| in_range(*d))
}

/// `parse_date` in any year chrono knows, for callers that refuse the range themselves
/// with `out_of_range`.
pub fn parse_date_any_year(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%d.%m.%Y"))
        .ok()
}

/// The first instant of local day `d` plus `add_days` days, in unix ms: a list filter's bound
/// (`created 2026-01-01..2026-02-01`). `None` when `d` is out of the accepted years or
/// does not exist in `tz`; never panics.
pub fn day_start_ms<Tz: chrono::TimeZone>(tz: &Tz, d: NaiveDate, add_days: i64) -> Option<UnixMs> {
    if !in_range(d) {
        return None;
    }
    let day = d.checked_add_signed(chrono::TimeDelta::try_days(add_days)?)?;
    let local = tz.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).earliest()?;
    Some(local.timestamp_millis())
}

/// Reads `FROM..TO` (either side may be empty; one date alone means that day) into the
/// day bounds in unix ms in `tz`, `TO` exclusive: the TUI's created filter. `None` when a
/// side is not a date in the accepted years.
pub fn parse_day_range<Tz: chrono::TimeZone>(text: &str, tz: &Tz) -> Option<(Option<UnixMs>, Option<UnixMs>)> {
    let day = |t: &str, add: i64| -> Option<Option<UnixMs>> {
        let t = t.trim();
        if t.is_empty() {
            return Some(None);
        }
        Some(Some(day_start_ms(tz, parse_date(t)?, add)?))
    };
    match text.split_once("..") {
        Some((a, b)) => Some((day(a, 0)?, day(b, 1)?)),
        None => Some((day(text, 0)?, day(text, 1)?)),
    }
}

/// Reads a list filter's date (`--created-from`, a range's side) into the first instant of
/// that local day plus `add_days`, naming `field` when refused.
pub fn read_day_start<Tz: chrono::TimeZone>(
    field: &str,
    text: &str,
    tz: &Tz,
    add_days: i64,
) -> Result<UnixMs, FieldError> {
    let d = read_date(field, text)?;
    day_start_ms(tz, d, add_days)
        .ok_or_else(|| FieldError::new(field, Problem::Date { value: text.trim().to_string() }))
}

/// The forms `parse_date` accepts, for messages.
pub const DATE_FORMS: &str = "YYYY-MM-DD, DD/MM/YYYY, DD.MM.YYYY";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_three_forms() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(parse_date("2026-11-24"), Some(d));
        assert_eq!(parse_date(" 24/11/2026 "), Some(d));
        assert_eq!(parse_date("24.11.2026"), Some(d));
        assert_eq!(parse_date("11/24/2026"), None);
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("0001-01-01"), None);
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn dates_outside_the_accepted_years_say_so() {
        assert_eq!(parse_date("1899-12-31"), None);
        assert!(parse_date("1900-01-01").is_some() && parse_date("31/12/2200").is_some());
        let e = read_date("birth_date", "2201-01-01").unwrap_err();
        assert_eq!(e.field, "birth_date");
        assert!(matches!(e.problem, Problem::DateRange { min: 1900, max: 2200, .. }));
        let e = read_date("close_date", "someday").unwrap_err();
        assert!(matches!(e.problem, Problem::Date { .. }));
        let d = NaiveDate::from_ymd_opt(2200, 12, 31).unwrap();
        assert!(day_start_ms(&Utc, d, 1).is_some());
        assert_eq!(day_start_ms(&Utc, d, i64::MAX), None);
    }
}
