//! When things are due: activity buckets (SPEC V3) and the date/time forms people type
//! ("tomorrow 9:00", "lundi 9h", "24/11 14h30", "+2d"). Generic over the time zone, so the
//! rules are tested in Europe/Paris across daylight-saving changes while the app uses Local.

use super::error::{FieldError, Problem};
use super::when::{self, Lean, Trouble, Unit};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Weekday};
use serde::{Deserialize, Serialize};

/// Where an activity (or a record, by its nearest open activity) sits on the activities board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActivityBucket {
    /// Deadline passed, still open. Wins over every other bucket.
    Overdue,
    /// Later today.
    Today,
    /// After today, before next Monday.
    ThisWeek,
    /// Next Monday to the Sunday after.
    NextWeek,
    /// Beyond next week.
    Later,
    /// No open activity.
    NoActivity,
}

impl ActivityBucket {
    /// Columns of the board, in order.
    pub const ALL: [ActivityBucket; 6] = [
        ActivityBucket::Overdue,
        ActivityBucket::Today,
        ActivityBucket::ThisWeek,
        ActivityBucket::NextWeek,
        ActivityBucket::Later,
        ActivityBucket::NoActivity,
    ];

    /// Typed and stored form (`this-week`).
    pub fn code(self) -> &'static str {
        match self {
            ActivityBucket::Overdue => "overdue",
            ActivityBucket::Today => "today",
            ActivityBucket::ThisWeek => "this-week",
            ActivityBucket::NextWeek => "next-week",
            ActivityBucket::Later => "later",
            ActivityBucket::NoActivity => "no-activity",
        }
    }

    /// Parses the typed form.
    pub fn parse(s: &str) -> Option<ActivityBucket> {
        Self::ALL.into_iter().find(|b| b.code() == s.trim().to_lowercase().replace('_', "-"))
    }

    /// Whether a card may be dropped here to plan an activity (Overdue and No activity refuse).
    pub fn accepts_drops(self) -> bool {
        !matches!(self, ActivityBucket::Overdue | ActivityBucket::NoActivity)
    }
}

/// Local midnight starting `day` (the earliest instant if a time change makes it ambiguous).
pub fn day_start<Tz: TimeZone>(tz: &Tz, day: NaiveDate) -> DateTime<Tz> {
    let mut t = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Midnight can fall in a gap in a few zones: step forward until it exists.
    for _ in 0..4 {
        if let Some(d) = tz.from_local_datetime(&t).earliest() {
            return d;
        }
        match t.checked_add_signed(Duration::hours(1)) {
            Some(later) => t = later,
            None => break,
        }
    }
    tz.from_utc_datetime(&t)
}

/// Hours the calendar's week grid has a row for. The first row also holds what comes before
/// it in the day, the last what comes after.
pub const WEEK_GRID_HOURS: std::ops::Range<u32> = 8..20;

/// `[start, end)` in unix ms of each cell of the week grid that starts on `monday`: day by
/// day, and within a day hour by hour (`WEEK_GRID_HOURS`), in `tz`. The one definition of
/// which cell an activity falls in: the store counts each cell's activities with it.
pub fn week_grid_slots<Tz: TimeZone>(tz: &Tz, monday: NaiveDate) -> Vec<(i64, i64)> {
    let day_ms = |day: NaiveDate| day_start(tz, day).timestamp_millis();
    let hour_ms = |day: NaiveDate, hour: u32| {
        let t = day.and_hms_opt(hour, 0, 0).unwrap_or_default();
        // An hour that a time change skips starts where the next one would.
        tz.from_local_datetime(&t)
            .earliest()
            .map_or(day_ms(day) + i64::from(hour) * 3_600_000, |d| d.timestamp_millis())
    };
    let mut slots = Vec::with_capacity(7 * WEEK_GRID_HOURS.len());
    for day in (0..7).map(|d| monday + Duration::days(d)) {
        for hour in WEEK_GRID_HOURS {
            let from = if hour == WEEK_GRID_HOURS.start { day_ms(day) } else { hour_ms(day, hour) };
            let to =
                if hour + 1 == WEEK_GRID_HOURS.end { day_ms(day + Duration::days(1)) } else { hour_ms(day, hour + 1) };
            slots.push((from, to));
        }
    }
    slots
}

/// Where the cell of day `day` (0 = Monday) and hour `hour` is in `week_grid_slots`.
pub fn week_grid_cell(day: usize, hour: u32) -> usize {
    day * WEEK_GRID_HOURS.len() + (hour - WEEK_GRID_HOURS.start) as usize
}

/// The instants that separate the buckets, seen from `now`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BucketBounds<Tz: TimeZone> {
    /// Now: before it is overdue.
    pub now: DateTime<Tz>,
    /// Tomorrow 00:00: before it is today.
    pub tomorrow: DateTime<Tz>,
    /// Next Monday 00:00: before it is this week.
    pub next_week: DateTime<Tz>,
    /// The Monday after, 00:00: before it is next week; later after.
    pub week_after: DateTime<Tz>,
}

/// Bucket boundaries from `now` (weeks start on Monday).
pub fn bounds<Tz: TimeZone>(now: &DateTime<Tz>) -> BucketBounds<Tz> {
    let tz = now.timezone();
    let today = now.date_naive();
    let days_to_monday = 7 - today.weekday().num_days_from_monday() as i64;
    let monday = today + Duration::days(days_to_monday);
    BucketBounds {
        now: now.clone(),
        tomorrow: day_start(&tz, today + Duration::days(1)),
        next_week: day_start(&tz, monday),
        week_after: day_start(&tz, monday + Duration::days(7)),
    }
}

/// The bucket of a deadline (`None` = no open activity).
pub fn bucket_of<Tz: TimeZone>(deadline: Option<&DateTime<Tz>>, b: &BucketBounds<Tz>) -> ActivityBucket {
    match deadline {
        None => ActivityBucket::NoActivity,
        Some(d) if *d < b.now => ActivityBucket::Overdue,
        Some(d) if *d < b.tomorrow => ActivityBucket::Today,
        Some(d) if *d < b.next_week => ActivityBucket::ThisWeek,
        Some(d) if *d < b.week_after => ActivityBucket::NextWeek,
        Some(_) => ActivityBucket::Later,
    }
}

/// The deadline a card dropped into a dated column gets: today 17:00 (or in an hour if that
/// has passed, 23:59 at the latest), this week's next working day 09:00 (Friday 09:00 on Friday), next Monday
/// 09:00, or the Monday after 09:00.
pub fn drop_deadline<Tz: TimeZone>(bucket: ActivityBucket, now: &DateTime<Tz>) -> Option<DateTime<Tz>> {
    let b = bounds(now);
    let tz = now.timezone();
    let at = |day: NaiveDate, h: u32| at_local(&tz, day, h, 0);
    match bucket {
        ActivityBucket::Today => {
            let five = at(now.date_naive(), 17);
            if five > *now {
                return Some(five);
            }
            // In an hour, but still today: from 22:00 the hour would be tomorrow's.
            let last = at_local(&tz, now.date_naive(), 23, 59);
            Some(round_up_to_hour(&(now.clone() + Duration::hours(1))).min(last.max(now.clone())))
        }
        ActivityBucket::ThisWeek => {
            let tomorrow = now.date_naive() + Duration::days(1);
            let day = if tomorrow < b.next_week.date_naive() { tomorrow } else { now.date_naive() };
            Some(at(day, 9).max(now.clone() + Duration::hours(1)).min(b.next_week.clone() - Duration::minutes(1)))
        }
        ActivityBucket::NextWeek => Some(at(b.next_week.date_naive(), 9)),
        ActivityBucket::Later => Some(at(b.week_after.date_naive(), 9)),
        ActivityBucket::Overdue | ActivityBucket::NoActivity => None,
    }
}

/// `day` at `h:m` local time (the earliest instant when ambiguous, shifted past a gap).
pub fn at_local<Tz: TimeZone>(tz: &Tz, day: NaiveDate, h: u32, m: u32) -> DateTime<Tz> {
    let mut t = day.and_hms_opt(h.min(23), m.min(59), 0).unwrap_or_default();
    for _ in 0..4 {
        if let Some(d) = tz.from_local_datetime(&t).earliest() {
            return d;
        }
        match t.checked_add_signed(Duration::hours(1)) {
            Some(later) => t = later,
            None => break,
        }
    }
    tz.from_utc_datetime(&t)
}

/// Rounds up to the next full hour (unchanged when already on one).
pub fn round_up_to_hour<Tz: TimeZone>(t: &DateTime<Tz>) -> DateTime<Tz> {
    if t.minute() == 0 && t.second() == 0 && t.nanosecond() == 0 {
        return t.clone();
    }
    let base = t.clone()
        - Duration::minutes(t.minute() as i64)
        - Duration::seconds(t.second() as i64)
        - Duration::nanoseconds(t.nanosecond() as i64);
    base + Duration::hours(1)
}

/// The default deadline of a new activity (SPEC A1): 3 working days ahead, rounded up to the
/// hour.
pub fn default_deadline<Tz: TimeZone>(now: &DateTime<Tz>) -> DateTime<Tz> {
    let mut t = now.clone();
    let mut left = 3;
    while left > 0 {
        t += Duration::days(1);
        if !matches!(t.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    // Keep the wall-clock time across a DST change.
    let wall = at_local(&now.timezone(), t.date_naive(), now.hour(), now.minute());
    round_up_to_hour(&(wall + Duration::seconds(now.second() as i64)))
}

/// Whether `at` is already past at `now`, to the minute: `13h` typed at 13:04 is past (an
/// activity planned then is overdue from the start), `13:04` typed at 13:04:40 is not. The
/// one rule behind the warning (`msg.past_time`) that the plan form, the activity edit form
/// and `activity add/edit --at` give: a warning, never a refusal (a call may be logged late).
pub fn is_past<Tz: TimeZone>(at: &DateTime<Tz>, now: &DateTime<Tz>) -> bool {
    let minute = now.timestamp().div_euclid(60) * 60;
    at.timestamp() < minute
}

/// Minutes from `30m`, `1h`, `1h30`, `90`; `field` names the input in the error.
pub fn parse_minutes(field: &str, text: &str) -> Result<i64, FieldError> {
    let t = text.trim().to_lowercase();
    let bad = || FieldError::new(field, Problem::Duration { value: text.trim().to_string() });
    let minutes = if let Some((h, m)) = t.split_once('h') {
        let h: i64 = h.trim().parse().map_err(|_| bad())?;
        let m = m.trim().trim_end_matches("min").trim_end_matches('m');
        let m: i64 = if m.is_empty() { 0 } else { m.parse().map_err(|_| bad())? };
        h.checked_mul(60).and_then(|x| x.checked_add(m)).ok_or_else(bad)?
    } else {
        t.trim_end_matches("min").trim_end_matches('m').trim().parse().map_err(|_| bad())?
    };
    if minutes <= 0 || minutes > 7 * 24 * 60 { Err(bad()) } else { Ok(minutes) }
}

/// Forms `parse_when` accepts, for messages (the grammar: `when::read_phrase`).
pub const WHEN_FORMS: &str = "today 17:00, tomorrow 9h, tomorrow 2 pm, midi, ce soir, next monday, lundi 9h, next week, \
     in 2 days, dans 3 heures, 24/11 14h30, 24/11/2026 14:30, 2026-11-24 14:30, +2d, +3h, +30min, +1w";

/// Reads when something is due, in English or French, relative to `now` (`read_when`).
/// `None` when the text is not understood or falls outside the accepted years.
pub fn parse_when<Tz: TimeZone>(text: &str, now: &DateTime<Tz>) -> Option<DateTime<Tz>> {
    read_when("at", text, now).ok()
}

/// Reads when something is due: the one grammar of typed dates and times
/// (`when::read_phrase`), planning ahead (`when::Lean::Ahead`: a day and month without a
/// year is its next occurrence from today, today included; a weekday alone the next one
/// after today). A day without a time means 09:00; a time without a day means today, even
/// when it has passed (`is_past` says so: the callers warn). Relative days and weeks (`+2d`,
/// `dans 2 jours`) keep now's wall-clock time unless a time is typed (`+2d 15h`); relative
/// hours and minutes (`+3h`, `in 30 minutes`) are exact and take no day or time.
///
/// Refusals name `field`: the accepted forms (`Problem::DateTime`, `WHEN_FORMS`), the
/// accepted units (`Problem::TimeUnit`: `+1s` is refused, not a week) or the accepted years
/// (`Problem::DateRange`, `when::MIN_YEAR..=when::MAX_YEAR`). Never panics: `+99999999d` is
/// refused, not added.
pub fn read_when<Tz: TimeZone>(field: &str, text: &str, now: &DateTime<Tz>) -> Result<DateTime<Tz>, FieldError> {
    let value = text.trim();
    let not_understood = || FieldError::new(field, Problem::DateTime { value: value.to_string() });
    let out_of_range = || when::out_of_range(field, value);
    let today = now.date_naive();
    let p = when::read_phrase(&when::normal_phrase(text), today, Lean::Ahead).map_err(|e| match e {
        Trouble::NotUnderstood => not_understood(),
        Trouble::Unit(unit) => FieldError::new(field, Problem::TimeUnit { value: value.to_string(), unit }),
        Trouble::OutOfRange => out_of_range(),
    })?;
    let tz = now.timezone();
    let on_day = |day: NaiveDate, time: NaiveTime| {
        if when::in_range(day) { Ok(at_local(&tz, day, time.hour(), time.minute())) } else { Err(out_of_range()) }
    };
    let at = match p.shift {
        Some((n, unit @ (Unit::Minutes | Unit::Hours))) => {
            if p.day.is_some() || p.time.is_some() || p.period.is_some() {
                return Err(not_understood());
            }
            let span = if unit == Unit::Minutes { Duration::try_minutes(n) } else { Duration::try_hours(n) };
            span.and_then(|d| now.clone().checked_add_signed(d)).ok_or_else(out_of_range)?
        }
        Some((n, unit)) => {
            if p.day.is_some() {
                return Err(not_understood());
            }
            let days = if unit == Unit::Weeks { n.checked_mul(7) } else { Some(n) };
            let day =
                days.and_then(Duration::try_days).and_then(|d| today.checked_add_signed(d)).ok_or_else(out_of_range)?;
            on_day(day, p.time_of_day().unwrap_or_else(|| now.time()))?
        }
        None => on_day(p.day.unwrap_or(today), p.time_of_day().unwrap_or(DEFAULT_TIME))?,
    };
    if when::in_range(at.date_naive()) { Ok(at) } else { Err(out_of_range()) }
}

/// The time of a day typed without one.
const DEFAULT_TIME: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_week_grid_cells_cover_the_week_without_gaps_first_and_last_hours_open_ended() {
        let paris = chrono::FixedOffset::east_opt(3600).unwrap();
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let slots = week_grid_slots(&paris, monday);
        assert_eq!(slots.len(), 7 * 12);
        assert_eq!(slots[0].0, day_start(&paris, monday).timestamp_millis());
        assert_eq!(slots.last().unwrap().1, day_start(&paris, monday + Duration::days(7)).timestamp_millis());
        assert!(slots.windows(2).all(|w| w[0].1 == w[1].0 && w[0].0 < w[0].1));
        // Monday 09:00 to 10:00 local is the second cell; 19:00 to midnight the last of the day.
        let at = |h: u32| paris.from_local_datetime(&monday.and_hms_opt(h, 0, 0).unwrap()).unwrap().timestamp_millis();
        assert_eq!(slots[1], (at(9), at(10)));
        assert_eq!(slots[11], (at(19), day_start(&paris, monday + Duration::days(1)).timestamp_millis()));
        assert_eq!((week_grid_cell(0, 9), week_grid_cell(1, 8), week_grid_cell(6, 19)), (1, 12, 83));
    }
    use ActivityBucket::*;
    use chrono_tz::Europe::Paris;

    fn paris(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<chrono_tz::Tz> {
        Paris.with_ymd_and_hms(y, mo, d, h, mi, 0).earliest().unwrap()
    }

    #[test]
    fn buckets_on_an_ordinary_wednesday() {
        let now = paris(2026, 11, 25, 10, 0); // Wednesday
        let b = bounds(&now);
        assert_eq!(bucket_of(Some(&paris(2026, 11, 25, 9, 59)), &b), Overdue);
        assert_eq!(bucket_of(Some(&paris(2026, 11, 25, 10, 0)), &b), Today);
        assert_eq!(bucket_of(Some(&paris(2026, 11, 25, 23, 59)), &b), Today);
        assert_eq!(bucket_of(Some(&paris(2026, 11, 26, 0, 0)), &b), ThisWeek);
        assert_eq!(bucket_of(Some(&paris(2026, 11, 29, 23, 59)), &b), ThisWeek);
        assert_eq!(bucket_of(Some(&paris(2026, 11, 30, 0, 0)), &b), NextWeek);
        assert_eq!(bucket_of(Some(&paris(2026, 12, 6, 23, 59)), &b), NextWeek);
        assert_eq!(bucket_of(Some(&paris(2026, 12, 7, 0, 0)), &b), Later);
        assert_eq!(bucket_of::<chrono_tz::Tz>(None, &b), NoActivity);
    }

    #[test]
    fn sunday_night_and_monday_morning() {
        let sunday = paris(2026, 11, 29, 23, 30);
        let b = bounds(&sunday);
        assert_eq!(bucket_of(Some(&paris(2026, 11, 29, 23, 45)), &b), Today);
        assert_eq!(bucket_of(Some(&paris(2026, 11, 30, 9, 0)), &b), NextWeek, "Monday is next week on Sunday night");
        let monday = paris(2026, 11, 30, 0, 5);
        let b = bounds(&monday);
        assert_eq!(bucket_of(Some(&paris(2026, 11, 30, 9, 0)), &b), Today);
        assert_eq!(bucket_of(Some(&paris(2026, 12, 6, 20, 0)), &b), ThisWeek);
        assert_eq!(bucket_of(Some(&paris(2026, 12, 7, 9, 0)), &b), NextWeek);
        assert_eq!(bucket_of(Some(&paris(2026, 11, 29, 23, 59)), &b), Overdue);
    }

    #[test]
    fn month_and_year_ends() {
        let now = paris(2026, 12, 31, 16, 0); // Thursday
        let b = bounds(&now);
        assert_eq!(bucket_of(Some(&paris(2027, 1, 1, 9, 0)), &b), ThisWeek);
        assert_eq!(bucket_of(Some(&paris(2027, 1, 4, 9, 0)), &b), NextWeek);
        assert_eq!(bucket_of(Some(&paris(2027, 1, 11, 0, 0)), &b), Later);
        let feb = paris(2028, 2, 28, 12, 0); // leap year, Monday
        let b = bounds(&feb);
        assert_eq!(bucket_of(Some(&paris(2028, 2, 29, 9, 0)), &b), ThisWeek);
        assert_eq!(bucket_of(Some(&paris(2028, 3, 6, 9, 0)), &b), NextWeek);
    }

    #[test]
    fn daylight_saving_changes_in_paris() {
        // Clocks go back on Sunday 25 October 2026 at 03:00 -> 02:00.
        let sat = paris(2026, 10, 24, 22, 0);
        let b = bounds(&sat);
        assert_eq!(b.next_week, paris(2026, 10, 26, 0, 0));
        assert_eq!((b.next_week - b.tomorrow).num_hours(), 25, "Sunday has 25 hours");
        assert_eq!(bucket_of(Some(&paris(2026, 10, 25, 23, 30)), &b), ThisWeek);
        // Clocks go forward on Sunday 29 March 2026 at 02:00 -> 03:00.
        let fri = paris(2026, 3, 27, 18, 0);
        let b = bounds(&fri);
        assert_eq!((b.next_week - b.tomorrow).num_hours(), 47, "Saturday, then a Sunday of 23 hours");
        // The default deadline keeps the wall clock across the change.
        let d = default_deadline(&paris(2026, 3, 27, 10, 20));
        assert_eq!(d, paris(2026, 4, 1, 11, 0));
        // 02:30 does not exist on that Sunday: it moves past the gap.
        assert_eq!(parse_when("29/03/2026 2h30", &fri).unwrap(), paris(2026, 3, 29, 3, 30));
    }

    #[test]
    fn default_deadline_skips_weekends_and_rounds_up() {
        assert_eq!(default_deadline(&paris(2026, 11, 25, 10, 20)), paris(2026, 11, 30, 11, 0)); // Wed -> Mon
        assert_eq!(default_deadline(&paris(2026, 11, 23, 9, 0)), paris(2026, 11, 26, 9, 0)); // Mon -> Thu, on the hour
        assert_eq!(default_deadline(&paris(2026, 11, 28, 15, 1)), paris(2026, 12, 2, 16, 0)); // Sat -> Wed
    }

    #[test]
    fn far_dates_are_refused_not_a_crash() {
        let now = paris(2026, 11, 23, 10, 0);
        for far in ["+99999999d", "+999999999999h", "+3000000d", "+99999999999999999999999d", "+9223372036854775807m"] {
            let e = read_when("at", far, &now).unwrap_err();
            assert_eq!(e.field, "at", "{far}");
            assert!(matches!(e.problem, Problem::DateRange { min: 1900, max: 2200, .. }), "{far}: {e:?}");
        }
        for old in ["1850-01-01 9h", "31/12/1899", "01.01.2201 14h30", "31/12/9999 23h"] {
            assert!(matches!(read_when("date", old, &now).unwrap_err().problem, Problem::DateRange { .. }), "{old}");
        }
        assert_eq!(read_when("at", "+60000d", &now).map(|d| d.year()), Ok(2191));
        let e = read_when("date", "soon", &now).unwrap_err();
        assert_eq!((e.field.as_str(), e.problem), ("date", Problem::DateTime { value: "soon".into() }));
        assert!(parse_minutes("duration", "99999999999999999h").is_err());
    }

    #[test]
    fn typed_forms_in_english_and_french() {
        let now = paris(2026, 11, 23, 10, 0); // Monday
        let p = |s: &str| parse_when(s, &now).unwrap_or_else(|| panic!("{s} not understood"));
        assert_eq!(p("today 17:00"), paris(2026, 11, 23, 17, 0));
        assert_eq!(p("aujourd'hui 17h"), paris(2026, 11, 23, 17, 0));
        assert_eq!(p("tomorrow 9:00"), paris(2026, 11, 24, 9, 0));
        assert_eq!(p("demain 9h"), paris(2026, 11, 24, 9, 0));
        assert_eq!(p("demain"), paris(2026, 11, 24, 9, 0));
        assert_eq!(p("next monday"), paris(2026, 11, 30, 9, 0));
        assert_eq!(p("lundi prochain"), paris(2026, 11, 30, 9, 0));
        assert_eq!(p("lundi 9h"), paris(2026, 11, 30, 9, 0), "today's weekday means next week");
        assert_eq!(p("jeudi 14h30"), paris(2026, 11, 26, 14, 30));
        assert_eq!(p("friday 2pm"), paris(2026, 11, 27, 14, 0));
        assert_eq!(p("24/11 14h30"), paris(2026, 11, 24, 14, 30));
        assert_eq!(p("2026-11-24 14:30"), paris(2026, 11, 24, 14, 30));
        assert_eq!(p("24/11/2026 à 14h30"), paris(2026, 11, 24, 14, 30));
        assert_eq!(p("01/02"), paris(2027, 2, 1, 9, 0), "the next such date: next February");
        assert_eq!(p("22/11 16h"), paris(2027, 11, 22, 16, 0), "the next 22 November: yesterday's is past");
        assert_eq!(p("16h"), paris(2026, 11, 23, 16, 0));
        assert_eq!(p("+2d"), paris(2026, 11, 25, 10, 0));
        assert_eq!(p("+3h"), paris(2026, 11, 23, 13, 0));
        assert_eq!(p("+30m"), paris(2026, 11, 23, 10, 30));
        assert_eq!(p("+1w"), paris(2026, 11, 30, 10, 0));
        for bad in ["", "soon", "32/13", "25:00", "+2x", "next", "tomorrow maybe"] {
            assert_eq!(parse_when(bad, &now), None, "{bad:?}");
        }
    }

    /// One row of a phrase table: what is typed, and the local time it means.
    type Row = (&'static str, (i32, u32, u32, u32, u32));

    fn check_table(now: &DateTime<chrono_tz::Tz>, rows: &[Row]) {
        let mut wrong = Vec::new();
        for (typed, (y, mo, d, h, mi)) in rows {
            let got = read_when("at", typed, now);
            if got != Ok(paris(*y, *mo, *d, *h, *mi)) {
                wrong.push(format!("{typed:?} -> {got:?}, expected {y}-{mo:02}-{d:02} {h:02}:{mi:02}"));
            }
        }
        assert!(wrong.is_empty(), "typed at {now}:\n{}", wrong.join("\n"));
    }

    #[test]
    fn the_one_grammar_in_english_and_french() {
        let now = paris(2026, 11, 23, 10, 0); // Monday
        check_table(
            &now,
            &[
                ("midi", (2026, 11, 23, 12, 0)),
                ("noon", (2026, 11, 23, 12, 0)),
                ("demain midi", (2026, 11, 24, 12, 0)),
                ("minuit", (2026, 11, 23, 23, 59)),
                ("ce soir", (2026, 11, 23, 18, 0)),
                ("tonight", (2026, 11, 23, 18, 0)),
                ("demain soir", (2026, 11, 24, 18, 0)),
                ("ce soir 8h", (2026, 11, 23, 20, 0)),
                ("demain matin", (2026, 11, 24, 9, 0)),
                ("cet après-midi", (2026, 11, 23, 14, 0)),
                ("tomorrow afternoon", (2026, 11, 24, 14, 0)),
                ("après-demain", (2026, 11, 25, 9, 0)),
                ("apres-demain 14h", (2026, 11, 25, 14, 0)),
                ("après demain", (2026, 11, 25, 9, 0)),
                ("dans 2 jours", (2026, 11, 25, 10, 0)),
                ("dans 2 jours à 15h", (2026, 11, 25, 15, 0)),
                ("in 2 days", (2026, 11, 25, 10, 0)),
                ("in 3 hours", (2026, 11, 23, 13, 0)),
                ("dans 3 heures", (2026, 11, 23, 13, 0)),
                ("in an hour", (2026, 11, 23, 11, 0)),
                ("dans une heure", (2026, 11, 23, 11, 0)),
                ("in 30 minutes", (2026, 11, 23, 10, 30)),
                ("in 1 week", (2026, 11, 30, 10, 0)),
                ("next week", (2026, 11, 30, 9, 0)),
                ("semaine prochaine", (2026, 11, 30, 9, 0)),
                ("la semaine prochaine 11h", (2026, 11, 30, 11, 0)),
                ("tomorrow 2 pm", (2026, 11, 24, 14, 0)),
                ("tomorrow 2pm", (2026, 11, 24, 14, 0)),
                ("demain 14h", (2026, 11, 24, 14, 0)),
                ("tomorrow 14:30", (2026, 11, 24, 14, 30)),
                ("14h demain", (2026, 11, 24, 14, 0)),
                ("2pm", (2026, 11, 23, 14, 0)),
                ("14h30", (2026, 11, 23, 14, 30)),
                ("hier 16h", (2026, 11, 22, 16, 0)),
                ("yesterday 4 pm", (2026, 11, 22, 16, 0)),
                ("+2d", (2026, 11, 25, 10, 0)),
                ("+2j", (2026, 11, 25, 10, 0)),
                ("+2 days", (2026, 11, 25, 10, 0)),
                ("+3h", (2026, 11, 23, 13, 0)),
                ("+30m", (2026, 11, 23, 10, 30)),
                ("+30min", (2026, 11, 23, 10, 30)),
                ("+1w", (2026, 11, 30, 10, 0)),
                ("+1sem", (2026, 11, 30, 10, 0)),
                ("+2d 15h", (2026, 11, 25, 15, 0)),
                ("-1d", (2026, 11, 22, 10, 0)),
                ("lundi dernier", (2026, 11, 16, 9, 0)),
                ("last friday 3pm", (2026, 11, 20, 15, 0)),
            ],
        );
    }

    #[test]
    fn a_day_without_a_year_is_its_next_occurrence_today_included() {
        let now = paris(2026, 12, 5, 13, 4); // Saturday
        check_table(
            &now,
            &[
                ("01/12 10h", (2027, 12, 1, 10, 0)),
                ("05/01 10h", (2027, 1, 5, 10, 0)),
                ("05/12 16h", (2026, 12, 5, 16, 0)),
                ("05/12", (2026, 12, 5, 9, 0)),
                ("04.12", (2027, 12, 4, 9, 0)),
                ("31/12 18h", (2026, 12, 31, 18, 0)),
                ("29/02", (2028, 2, 29, 9, 0)),
                ("01/12/2026 10h", (2026, 12, 1, 10, 0)),
            ],
        );
    }

    #[test]
    fn a_time_already_past_is_planned_but_said() {
        let now = paris(2026, 12, 5, 13, 4);
        let cases = [("13h", true), ("13:04", false), ("13:05", false), ("hier", true), ("+0m", false), ("-5m", true)];
        for (typed, past) in cases {
            let at = read_when("at", typed, &now).unwrap();
            assert_eq!(is_past(&at, &now), past, "{typed} -> {at}");
        }
        // Seconds do not count: 13:04 typed at 13:04:40 is now, not the past.
        let late = now + Duration::seconds(40);
        assert!(!is_past(&read_when("at", "13:04", &late).unwrap(), &late));
    }

    #[test]
    fn units_are_unambiguous_and_a_wrong_one_is_named() {
        let now = paris(2026, 11, 23, 10, 0);
        for (typed, unit) in [("+1s", "s"), ("+2x", "x"), ("+3mo", "mo"), ("+2", ""), ("dans 2 secondes", "secondes")] {
            let e = read_when("at", typed, &now).unwrap_err();
            assert_eq!(e.field, "at");
            assert_eq!(e.problem, Problem::TimeUnit { value: typed.into(), unit: unit.into() }, "{typed}");
        }
        for bad in
            ["", "soon", "32/13", "25:00", "next", "tomorrow maybe", "demain aujourd'hui", "+3h demain", "14h 15h"]
        {
            let e = read_when("at", bad, &now).unwrap_err();
            assert_eq!(e.problem, Problem::DateTime { value: bad.into() }, "{bad:?}");
        }
    }

    #[test]
    fn relative_days_keep_the_wall_clock_across_daylight_saving() {
        // Clocks go forward on Sunday 29 March 2026; back on Sunday 25 October 2026.
        check_table(&paris(2026, 3, 28, 10, 0), &[("+2d", (2026, 3, 30, 10, 0)), ("in 1 week", (2026, 4, 4, 10, 0))]);
        check_table(
            &paris(2026, 10, 24, 10, 0),
            &[("dans 2 jours", (2026, 10, 26, 10, 0)), ("+24h", (2026, 10, 25, 9, 0))],
        );
    }

    #[test]
    fn drops_get_a_deadline_in_their_column() {
        let now = paris(2026, 11, 25, 10, 0);
        let b = bounds(&now);
        for bucket in [Today, ThisWeek, NextWeek, Later] {
            let d = drop_deadline(bucket, &now).unwrap();
            assert_eq!(bucket_of(Some(&d), &b), bucket, "{bucket:?} -> {d}");
        }
        assert_eq!(drop_deadline(Overdue, &now), None);
        assert_eq!(drop_deadline(NoActivity, &now), None);
        // Sunday evening: "this week" has only the rest of today.
        let sunday = paris(2026, 11, 29, 20, 0);
        let d = drop_deadline(ThisWeek, &sunday).unwrap();
        assert_eq!(bucket_of(Some(&d), &bounds(&sunday)), Today);
        let late = paris(2026, 11, 25, 18, 30);
        assert_eq!(drop_deadline(Today, &late).unwrap(), paris(2026, 11, 25, 20, 0));
        // Late in the evening, "today" is still today, not tomorrow's midnight.
        for (h, m) in [(22, 16), (23, 30)] {
            let night = paris(2026, 11, 25, h, m);
            let d = drop_deadline(Today, &night).unwrap();
            assert_eq!((d, bucket_of(Some(&d), &bounds(&night))), (paris(2026, 11, 25, 23, 59), Today));
        }
    }
}
