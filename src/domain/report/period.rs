//! A report's period (SPEC V8): this week, month, quarter or year, the last N days, or a
//! range of days, in the user's time zone; and the period before it, of the same length, to
//! compare with. Bounds are UTC instants, half open (`from <= t < to`), so a deal won at
//! 23:30 on 31 March in Paris (21:30 UTC) is March's, whatever the server's zone.

use crate::domain::when::UnixMs;
use crate::domain::{FieldError, Problem};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone};

/// What a period is, as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodSpec {
    /// Monday to Sunday of the current week.
    Week,
    /// The current calendar month.
    Month,
    /// The current quarter (January-March…).
    Quarter,
    /// The current calendar year.
    Year,
    /// The last N days, today included.
    LastDays(u32),
    /// From one day to another, both included.
    Days(NaiveDate, NaiveDate),
}

/// A period's bounds in UTC, half open, and its days as the user reads them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// First instant in it.
    pub from: UnixMs,
    /// First instant after it.
    pub to: UnixMs,
    /// Its first day (local).
    pub first_day: NaiveDate,
    /// Its last day (local).
    pub last_day: NaiveDate,
}

impl Bounds {
    /// Whether `t` falls in it.
    pub fn holds(&self, t: UnixMs) -> bool {
        self.from <= t && t < self.to
    }
}

impl PeriodSpec {
    /// Reads `week`, `month`, `quarter`, `year`, `last-30-days` (or `30d`), in English or
    /// French (`semaine`, `mois`, `trimestre`, `année`, `30-derniers-jours`).
    pub fn parse(text: &str) -> Result<PeriodSpec, FieldError> {
        let t = text.trim().to_lowercase();
        let spec = match t.as_str() {
            "week" | "semaine" => PeriodSpec::Week,
            "month" | "mois" => PeriodSpec::Month,
            "quarter" | "trimestre" => PeriodSpec::Quarter,
            "year" | "annee" | "année" | "an" => PeriodSpec::Year,
            _ => {
                let n = t
                    .strip_prefix("last-")
                    .and_then(|r| r.strip_suffix("-days"))
                    .or_else(|| t.strip_suffix("-derniers-jours"))
                    .or_else(|| t.strip_suffix('d'))
                    .or_else(|| t.strip_suffix('j'))
                    .and_then(|n| n.parse::<u32>().ok())
                    .filter(|n| (1..=3660).contains(n));
                match n {
                    Some(n) => PeriodSpec::LastDays(n),
                    None => {
                        return Err(FieldError::new(
                            "period",
                            Problem::Choice {
                                value: text.trim().to_string(),
                                accepted: ["week", "month", "quarter", "year", "last-30-days"]
                                    .map(String::from)
                                    .to_vec(),
                            },
                        ));
                    }
                }
            }
        };
        Ok(spec)
    }

    /// Its bounds around `now`, and the bounds of the period before it (as long: the
    /// previous month, quarter, year; the N days before).
    pub fn bounds<Tz: TimeZone>(self, now: &DateTime<Tz>) -> (Bounds, Bounds) {
        let today = now.date_naive();
        let zone = now.timezone();
        let (first, after, prev_first) = match self {
            PeriodSpec::Week => {
                let first = today - Duration::days(today.weekday().num_days_from_monday() as i64);
                (first, first + Duration::days(7), first - Duration::days(7))
            }
            PeriodSpec::Month => {
                let first = month_start(today.year(), today.month());
                (first, add_months(first, 1), add_months(first, -1))
            }
            PeriodSpec::Quarter => {
                let first = month_start(today.year(), (today.month() - 1) / 3 * 3 + 1);
                (first, add_months(first, 3), add_months(first, -3))
            }
            PeriodSpec::Year => {
                let first = month_start(today.year(), 1);
                (first, add_months(first, 12), add_months(first, -12))
            }
            PeriodSpec::LastDays(n) => {
                let after = today + Duration::days(1);
                let first = after - Duration::days(n as i64);
                (first, after, first - Duration::days(n as i64))
            }
            PeriodSpec::Days(a, b) => {
                let after = b + Duration::days(1);
                // Whole months (1 March to 31 March) compare with as many months before,
                // as `month` does; other ranges with as many days before.
                let months = (after.year() * 12 + after.month0() as i32) - (a.year() * 12 + a.month0() as i32);
                if a.day() == 1 && after.day() == 1 && months > 0 {
                    (a, after, add_months(a, -months))
                } else {
                    let len = (after - a).num_days();
                    (a, after, a - Duration::days(len))
                }
            }
        };
        let at = |d: NaiveDate| start_of(&zone, d);
        let current = Bounds { from: at(first), to: at(after), first_day: first, last_day: after - Duration::days(1) };
        let previous =
            Bounds { from: at(prev_first), to: at(first), first_day: prev_first, last_day: first - Duration::days(1) };
        (current, previous)
    }
}

fn month_start(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
}

fn add_months(d: NaiveDate, months: i32) -> NaiveDate {
    let total = d.year() * 12 + d.month0() as i32 + months;
    month_start(total.div_euclid(12), total.rem_euclid(12) as u32 + 1)
}

/// The first instant of day `d` in `zone` (a day that starts in a DST gap starts at the
/// first instant that exists).
fn start_of<Tz: TimeZone>(zone: &Tz, d: NaiveDate) -> UnixMs {
    let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    match zone.from_local_datetime(&midnight) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.timestamp_millis(),
        chrono::LocalResult::None => zone
            .from_local_datetime(&(midnight + Duration::hours(1)))
            .earliest()
            .map(|t| t.timestamp_millis())
            .unwrap_or_else(|| midnight.and_utc().timestamp_millis()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Paris;

    fn paris(y: i32, m: u32, d: u32, h: u32) -> DateTime<chrono_tz::Tz> {
        Paris.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn utc(text: &str) -> UnixMs {
        DateTime::parse_from_rfc3339(text).unwrap().timestamp_millis()
    }

    #[test]
    fn a_month_in_paris_starts_at_local_midnight_across_a_dst_change() {
        // 31 March 2026, 23:30 in Paris is still March (summer time began on the 29th).
        let (march, february) = PeriodSpec::Month.bounds(&paris(2026, 3, 15, 12));
        assert_eq!(march.from, utc("2026-02-28T23:00:00Z"));
        assert_eq!(march.to, utc("2026-03-31T22:00:00Z"));
        assert!(march.holds(utc("2026-03-31T21:30:00Z")));
        assert!(!march.holds(utc("2026-03-31T22:00:00Z")));
        assert_eq!((february.from, february.to), (utc("2026-01-31T23:00:00Z"), march.from));
        assert_eq!(february.last_day, NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
    }

    #[test]
    fn weeks_quarters_years_and_last_days() {
        let now = paris(2026, 12, 6, 10); // a Sunday
        let (week, before) = PeriodSpec::Week.bounds(&now);
        assert_eq!(week.first_day, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(week.last_day, NaiveDate::from_ymd_opt(2026, 12, 6).unwrap());
        assert_eq!(before.first_day, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        let (q4, q3) = PeriodSpec::Quarter.bounds(&now);
        assert_eq!((q4.first_day.month(), q4.last_day.month(), q3.first_day.month()), (10, 12, 7));
        let (year, last_year) = PeriodSpec::Year.bounds(&now);
        assert_eq!((year.first_day.year(), last_year.first_day.year()), (2026, 2025));
        let (days, prev) = PeriodSpec::LastDays(30).bounds(&now);
        assert_eq!(days.first_day, NaiveDate::from_ymd_opt(2026, 11, 7).unwrap());
        assert_eq!(days.last_day, now.date_naive());
        assert_eq!(prev.last_day, NaiveDate::from_ymd_opt(2026, 11, 6).unwrap());
        let a = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        let b = NaiveDate::from_ymd_opt(2026, 1, 19).unwrap();
        let march = PeriodSpec::Days(
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
        );
        let (m, before) = march.bounds(&now);
        assert_eq!(
            (m.first_day.day(), before.first_day, before.last_day.day()),
            (1, NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(), 28)
        );
        let (range, prev) = PeriodSpec::Days(a, b).bounds(&now);
        assert_eq!((range.first_day, range.last_day), (a, b));
        assert_eq!((prev.first_day, prev.last_day.day()), (NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(), 9));
    }

    #[test]
    fn periods_are_read_in_english_and_french() {
        assert_eq!(PeriodSpec::parse("Trimestre").unwrap(), PeriodSpec::Quarter);
        assert_eq!(PeriodSpec::parse("last-30-days").unwrap(), PeriodSpec::LastDays(30));
        assert_eq!(PeriodSpec::parse("90j").unwrap(), PeriodSpec::LastDays(90));
        assert_eq!(PeriodSpec::parse("7-derniers-jours").unwrap(), PeriodSpec::LastDays(7));
        assert_eq!(PeriodSpec::parse("fortnight").unwrap_err().field, "period");
        assert!(PeriodSpec::parse("0d").is_err());
    }
}
