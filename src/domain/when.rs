//! Dates and times as people type them, and the UTC instants the store keeps.

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

/// Parses a calendar date: `2026-11-24`, `24/11/2026` or `24.11.2026` (day first, as in
/// French and British use; month-first US dates are refused rather than guessed).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%d.%m.%Y"))
        .ok()
        .filter(|d| (1800..=2200).contains(&chrono::Datelike::year(d)))
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
}
