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

use chrono::TimeZone;
use chrono_tz::Europe::Paris;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A range's bounds as local days: the first day and the last day included.
fn days_of<Tz: chrono::TimeZone>(
    text: &str,
    now: &DateTime<Tz>,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>), FieldError> {
    let tz = now.timezone();
    let day = |ms: i64| from_ms(ms).with_timezone(&tz).date_naive();
    let (a, b) = read_day_range("created", text, now)?;
    Ok((a.map(day), b.map(|b| day(b - 1))))
}

#[test]
fn a_filter_day_is_the_latest_such_day_and_a_range_end_follows_its_start() {
    // Saturday 5 December 2026, 13:04 in Paris.
    let now = Paris.with_ymd_and_hms(2026, 12, 5, 13, 4, 0).unwrap();
    let rows: &[(&str, Option<NaiveDate>, Option<NaiveDate>)] = &[
        ("01/11..30/11", Some(ymd(2026, 11, 1)), Some(ymd(2026, 11, 30))),
        ("01.11..30.11", Some(ymd(2026, 11, 1)), Some(ymd(2026, 11, 30))),
        ("01/12..31/12", Some(ymd(2026, 12, 1)), Some(ymd(2026, 12, 31))),
        ("15/12..15/01", Some(ymd(2025, 12, 15)), Some(ymd(2026, 1, 15))),
        ("05/12", Some(ymd(2026, 12, 5)), Some(ymd(2026, 12, 5))),
        ("06/12", Some(ymd(2025, 12, 6)), Some(ymd(2025, 12, 6))),
        ("2026-11-01..2026-11-10", Some(ymd(2026, 11, 1)), Some(ymd(2026, 11, 10))),
        ("01/11/2026..30/11/2026", Some(ymd(2026, 11, 1)), Some(ymd(2026, 11, 30))),
        ("01/11..", Some(ymd(2026, 11, 1)), None),
        ("..30/11", None, Some(ymd(2026, 11, 30))),
        ("today", Some(ymd(2026, 12, 5)), Some(ymd(2026, 12, 5))),
        ("aujourd'hui", Some(ymd(2026, 12, 5)), Some(ymd(2026, 12, 5))),
        ("yesterday", Some(ymd(2026, 12, 4)), Some(ymd(2026, 12, 4))),
        ("hier..", Some(ymd(2026, 12, 4)), None),
        ("avant-hier..hier", Some(ymd(2026, 12, 3)), Some(ymd(2026, 12, 4))),
        ("tomorrow", Some(ymd(2026, 12, 6)), Some(ymd(2026, 12, 6))),
        ("demain", Some(ymd(2026, 12, 6)), Some(ymd(2026, 12, 6))),
        ("lundi..", Some(ymd(2026, 11, 30)), None),
        ("samedi", Some(ymd(2026, 12, 5)), Some(ymd(2026, 12, 5))),
        ("lundi..vendredi", Some(ymd(2026, 11, 30)), Some(ymd(2026, 12, 4))),
        ("last monday..", Some(ymd(2026, 11, 30)), None),
        ("-7d..", Some(ymd(2026, 11, 28)), None),
        ("-1w..today", Some(ymd(2026, 11, 28)), Some(ymd(2026, 12, 5))),
        ("3 days ago..", Some(ymd(2026, 12, 2)), None),
        ("il y a 2 semaines..", Some(ymd(2026, 11, 21)), None),
        (" 01/11 .. 30/11 ", Some(ymd(2026, 11, 1)), Some(ymd(2026, 11, 30))),
    ];
    let mut wrong = Vec::new();
    for (text, from, to) in rows {
        let got = days_of(text, &now);
        if got != Ok((*from, *to)) {
            wrong.push(format!("{text:?} -> {got:?}, expected {from:?}..{to:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_filter_refuses_naming_the_field_and_what_was_wrong() {
    let now = Paris.with_ymd_and_hms(2026, 12, 5, 13, 4, 0).unwrap();
    let p = |t: &str| read_day_range("created", t, &now).unwrap_err();
    for bad in ["soon", "14h", "demain 14h", "ce soir", "+3h", "32/13", "", "1/2/3/4"] {
        let e = p(bad);
        assert_eq!((e.field.as_str(), e.problem), ("created", Problem::Day { value: bad.into() }), "{bad:?}");
    }
    assert_eq!(p("+1s").problem, Problem::TimeUnit { value: "+1s".into(), unit: "s".into() });
    assert_eq!(
        p("30/11/2026..01/11/2026").problem,
        Problem::DayOrder { from: "30/11/2026".into(), to: "01/11/2026".into() }
    );
    assert!(matches!(p("1800-01-01..").problem, Problem::DateRange { .. }));
    // The CLI's two flags: each side names its own flag.
    let e = read_day_bounds(Some(("created-from", "01/11")), Some(("created-to", "someday")), &now).unwrap_err();
    assert_eq!(e.field, "created-to");
    let e = read_day_bounds(Some(("created-from", "2026-11-30")), Some(("created-to", "2026-11-01")), &now);
    assert_eq!(e.unwrap_err().field, "created-to");
}

#[test]
fn filter_days_start_at_local_midnight_across_daylight_saving() {
    // Clocks go back on Sunday 25 October 2026: that day has 25 hours.
    let now = Paris.with_ymd_and_hms(2026, 10, 27, 10, 0, 0).unwrap();
    let (a, b) = read_day_range("created", "25/10", &now).unwrap();
    let midnight = |d: u32| Paris.with_ymd_and_hms(2026, 10, d, 0, 0, 0).unwrap().timestamp_millis();
    assert_eq!((a, b), (Some(midnight(25)), Some(midnight(26))));
    assert_eq!(b.unwrap() - a.unwrap(), 25 * 3_600_000);
    assert_eq!(read_day_range("created", "avant-hier", &now).unwrap().0, Some(midnight(25)));
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
