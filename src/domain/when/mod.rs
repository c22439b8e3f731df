//! Dates and times as people type them, and the UTC instants the store keeps.

use super::error::{FieldError, Problem};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc, Weekday};

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
    (MIN_YEAR..=MAX_YEAR).contains(&d.year())
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

// ------------------------------------------------------------------ the one grammar
//
// Every date or time a person types (the plan form, the activity edit form, the list's
// created filter, `activity add/edit --at`, `list --created-from/--created-to`) is read by
// `read_phrase` below: `agenda::read_when` makes an instant of it, `read_day` a day,
// `read_day_range` / `read_day_bounds` a filter's bounds. Record fields of kind Date (birth
// date, close date) keep `read_date`'s written-out dates.

/// How a day typed without its year (`24/11`) or a weekday alone (`lundi`) is placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lean {
    /// Planning: the next such day. A day and month without a year is its next occurrence
    /// from today, today included (typed on 5 December, `05/12` is today, `04/12` and
    /// `01/12` are next year's, `05/01` next January's). A weekday alone is the next one
    /// after today (`lundi` typed on a Monday is in a week). A time already past is kept,
    /// and said (`agenda::is_past`).
    Ahead,
    /// Looking back (a filter's day, a range's start): the latest such day, today included.
    /// What was created "on 01/11" or "from 01/11" typed on 5 December is this November's,
    /// since nothing was created in the future; `lundi` is this week's Monday (today on a
    /// Monday).
    Back,
    /// A range's end: the first such day on or after the range's start, so `01/11..30/11`
    /// is one November and `15/12..15/01` spans a new year.
    From(NaiveDate),
}

/// The unit of a relative time (`+2d`, `in 3 hours`, `il y a 2 jours`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// `m`, `min`, `mn`, `minute(s)`.
    Minutes,
    /// `h`, `hr`, `hour(s)`, `heure(s)`.
    Hours,
    /// `d`, `j`, `day(s)`, `jour(s)`.
    Days,
    /// `w`, `wk`, `sem`, `week(s)`, `semaine(s)`. `s` alone is refused: seconds in English,
    /// semaines in French.
    Weeks,
}

impl Unit {
    /// The unit a word names, in English or French; `None` for anything else (`s`, `mo`).
    pub fn named(word: &str) -> Option<Unit> {
        Some(match word {
            "m" | "min" | "mins" | "mn" | "minute" | "minutes" => Unit::Minutes,
            "h" | "hr" | "hrs" | "hour" | "hours" | "heure" | "heures" => Unit::Hours,
            "d" | "j" | "day" | "days" | "jour" | "jours" => Unit::Days,
            "w" | "wk" | "wks" | "sem" | "week" | "weeks" | "semaine" | "semaines" => Unit::Weeks,
            _ => return None,
        })
    }
}

/// A part of the day named by a word: a time of its own when none is typed, and the
/// afternoon or evening of a time typed on twelve hours (`ce soir 8h` is 20:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// `morning`, `matin`: 09:00.
    Morning,
    /// `afternoon`, `après-midi`: 14:00.
    Afternoon,
    /// `evening`, `tonight`, `soir` (`ce soir`): 18:00, the end of a working day.
    Evening,
}

impl Period {
    /// The time the period means when no time is typed.
    pub fn time(self) -> NaiveTime {
        let h = match self {
            Period::Morning => 9,
            Period::Afternoon => 14,
            Period::Evening => 18,
        };
        NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default()
    }
}

/// What a typed phrase says, before it is made an instant or a day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Phrase {
    /// A day named (`demain`, `24/11`, `lundi`, `next week`).
    pub day: Option<NaiveDate>,
    /// A time of day typed (`14h30`, `2 pm`, `midi`, `minuit` = 23:59, the end of the day).
    pub time: Option<NaiveTime>,
    /// A part of the day named (`soir`).
    pub period: Option<Period>,
    /// A relative time: count (negative for `-2d`, `il y a 2 jours`, `2 days ago`) and unit.
    pub shift: Option<(i64, Unit)>,
}

impl Phrase {
    /// The time of day the phrase names, if any: the typed time (in the afternoon or evening
    /// named, `soir 8h` = 20:00) or the period's own.
    pub fn time_of_day(&self) -> Option<NaiveTime> {
        match (self.time, self.period) {
            (Some(t), Some(Period::Afternoon | Period::Evening)) if t.hour() < 12 => {
                Some(t.overflowing_add_signed(chrono::TimeDelta::hours(12)).0)
            }
            (Some(t), _) => Some(t),
            (None, p) => p.map(Period::time),
        }
    }
}

/// Why a phrase was not understood (the caller names the field and the accepted forms).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trouble {
    /// Not a phrase of the grammar.
    NotUnderstood,
    /// A relative time with a unit not accepted (empty: none).
    Unit(String),
    /// A count too large, or a day outside the accepted years.
    OutOfRange,
}

fn weekday_named(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" | "mon" | "lundi" | "lun" => Weekday::Mon,
        "tuesday" | "tue" | "mardi" | "mar" => Weekday::Tue,
        "wednesday" | "wed" | "mercredi" | "mer" => Weekday::Wed,
        "thursday" | "thu" | "jeudi" | "jeu" => Weekday::Thu,
        "friday" | "fri" | "vendredi" | "ven" => Weekday::Fri,
        "saturday" | "sat" | "samedi" | "sam" => Weekday::Sat,
        "sunday" | "sun" | "dimanche" | "dim" => Weekday::Sun,
        _ => return None,
    })
}

/// Reads a time of day: `14:30`, `14h30`, `14h`, `9h`, `9`, `2pm`, `2:30pm`, `à14h`.
fn parse_time(word: &str) -> Option<NaiveTime> {
    let w = word.trim().trim_start_matches('à').trim();
    let (w, pm) = if let Some(x) = w.strip_suffix("pm") {
        (x, Some(true))
    } else if let Some(x) = w.strip_suffix("am") {
        (x, Some(false))
    } else {
        (w, None)
    };
    let (h, m) = match w.split_once([':', 'h']) {
        Some((h, m)) => (h, if m.is_empty() { "0" } else { m }),
        None if pm.is_some() || w.len() <= 2 => (w, "0"),
        None => return None,
    };
    if h.is_empty() || h.len() > 2 || m.len() > 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    match pm {
        Some(_) if h > 12 || h == 0 => return None,
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    NaiveTime::from_hms_opt(h, m, 0)
}

/// `day + days`, `None` past chrono's range.
fn add_days(day: NaiveDate, days: i64) -> Option<NaiveDate> {
    day.checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

/// Days from `from` to the next `wd`, 0 when `from` is one.
fn days_to(wd: Weekday, from: NaiveDate) -> i64 {
    (wd.num_days_from_monday() as i64 - from.weekday().num_days_from_monday() as i64 + 7) % 7
}

/// The day of `wd` placed by `lean` (see `Lean`).
fn place_weekday(wd: Weekday, today: NaiveDate, lean: Lean) -> Option<NaiveDate> {
    match lean {
        Lean::Ahead => add_days(today, if days_to(wd, today) == 0 { 7 } else { days_to(wd, today) }),
        Lean::Back => add_days(today, -((7 - days_to(wd, today)) % 7)),
        Lean::From(start) => add_days(start, days_to(wd, start)),
    }
}

/// The latest `wd` strictly before today (`last friday`, `vendredi dernier`).
fn last_weekday(wd: Weekday, today: NaiveDate) -> Option<NaiveDate> {
    let back = (7 - days_to(wd, today)) % 7;
    add_days(today, -(if back == 0 { 7 } else { back }))
}

/// Monday of next week (`next week`, `semaine prochaine`) or of last week.
fn next_or_last_monday(today: NaiveDate, next: bool) -> Option<NaiveDate> {
    let this_monday = add_days(today, -(today.weekday().num_days_from_monday() as i64))?;
    add_days(this_monday, if next { 7 } else { -7 })
}

/// A day and month without a year (`24/11`, `24.11`) placed by `lean`.
fn place_day_month(word: &str, today: NaiveDate, lean: Lean) -> Option<NaiveDate> {
    let (d, m) = word.split_once(['/', '.'])?;
    let digits = |x: &str| (1..=2).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(d) || !digits(m) {
        return None;
    }
    let (d, m): (u32, u32) = (d.parse().ok()?, m.parse().ok()?);
    let on = |y: i32| NaiveDate::from_ymd_opt(y, m, d);
    // Eight years find every 29 February.
    match lean {
        Lean::Ahead => (0..=8).filter_map(|k| on(today.year() + k)).find(|c| *c >= today),
        Lean::From(start) => (0..=8).filter_map(|k| on(start.year() + k)).find(|c| *c >= start),
        Lean::Back => (0..=8).filter_map(|k| on(today.year() - k)).find(|c| *c <= today),
    }
}

/// A count in a relative time: digits, or `a`/`an`/`one`/`un`/`une` (`in an hour`).
fn count(word: Option<&str>) -> Result<i64, Trouble> {
    match word {
        Some("a" | "an" | "one" | "un" | "une") => Ok(1),
        Some(w) if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()) => w.parse().map_err(|_| Trouble::OutOfRange),
        _ => Err(Trouble::NotUnderstood),
    }
}

/// The unit a word names, or the refusal naming it.
fn unit(word: Option<&str>) -> Result<Unit, Trouble> {
    let w = word.unwrap_or("");
    Unit::named(w).ok_or_else(|| Trouble::Unit(w.to_string()))
}

/// Fills a part of the phrase once: a second day (or time...) is not understood; a day
/// past chrono's range is out of range.
fn set<T>(slot: &mut Option<T>, value: Option<T>) -> Result<(), Trouble> {
    match (slot.is_some(), value) {
        (true, _) => Err(Trouble::NotUnderstood),
        (false, Some(v)) => {
            *slot = Some(v);
            Ok(())
        }
        (false, None) => Err(Trouble::OutOfRange),
    }
}

/// `+2d`, `-7d`, `+30min`, `+2 days`, `+ 2d`: the count with its sign and the unit, and how
/// many words they took.
fn signed_shift(w: &str, next: Option<&str>, after: Option<&str>) -> Result<((i64, Unit), usize), Trouble> {
    let sign = if w.starts_with('-') { -1 } else { 1 };
    let (body, mut used, rest) = match &w[1..] {
        "" => (next.ok_or(Trouble::NotUnderstood)?, 2, after),
        body => (body, 1, next),
    };
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err(Trouble::NotUnderstood);
    }
    let n: i64 = body[..digits].parse().map_err(|_| Trouble::OutOfRange)?;
    let u = if digits == body.len() {
        // The unit is the next word (`+2 days`), or missing.
        used += usize::from(rest.is_some());
        unit(rest)?
    } else {
        unit(Some(&body[digits..]))?
    };
    Ok(((sign * n, u), used))
}

/// Reads a typed phrase, in English or French, seen from `today`: days (`today`,
/// `aujourd'hui`, `tomorrow`, `demain`, `après-demain`, `yesterday`, `hier`, `avant-hier`,
/// weekdays placed by `lean`, `next monday`, `lundi prochain`, `last friday`, `vendredi
/// dernier`, `next week` and `semaine prochaine` (its Monday), `24/11`, `24.11` (placed by
/// `lean`), `24/11/2026`, `24.11.2026`, `2026-11-24`), times (`14:30`, `14h30`, `9h`,
/// `2pm`, `2 pm`, `midi`/`noon`, `minuit`/`midnight` = 23:59, the end of the day), parts of
/// the day (`matin`/`morning` 09:00, `après-midi`/`afternoon` 14:00, `soir`/`ce
/// soir`/`tonight` 18:00) and relative times (`+2d`, `-7d`, `in 3 hours`, `dans 2 jours`,
/// `il y a 2 jours`, `2 days ago`; units: `Unit`). Little words (`à`, `at`, `le`, `on`,
/// `ce`, `this`, `la`) are skipped; each part may be given once. `t` is already lowercased.
pub fn read_phrase(t: &str, today: NaiveDate, lean: Lean) -> Result<Phrase, Trouble> {
    let words: Vec<&str> = t.split_whitespace().collect();
    let mut p = Phrase::default();
    let mut i = 0;
    while i < words.len() {
        let at = |k: usize| words.get(i + k).copied();
        let w = words[i];
        let mut used = 1;
        let days = |n: i64| add_days(today, n);
        match w {
            "at" | "à" | "a" | "le" | "on" | "the" | "ce" | "cet" | "cette" | "this" | "la" => {}
            "today" | "aujourd'hui" | "auj" => set(&mut p.day, Some(today))?,
            "tomorrow" | "demain" => set(&mut p.day, days(1))?,
            "yesterday" | "hier" => set(&mut p.day, days(-1))?,
            "après-demain" | "apres-demain" => set(&mut p.day, days(2))?,
            "avant-hier" => set(&mut p.day, days(-2))?,
            "après" | "apres" if at(1) == Some("demain") => {
                set(&mut p.day, days(2))?;
                used = 2;
            }
            "après" | "apres" if at(1) == Some("midi") => {
                set(&mut p.period, Some(Period::Afternoon))?;
                used = 2;
            }
            "avant" if at(1) == Some("hier") => {
                set(&mut p.day, days(-2))?;
                used = 2;
            }
            "morning" | "matin" => set(&mut p.period, Some(Period::Morning))?,
            "afternoon" | "après-midi" | "apres-midi" | "aprem" => set(&mut p.period, Some(Period::Afternoon))?,
            "evening" | "tonight" | "soir" => set(&mut p.period, Some(Period::Evening))?,
            "noon" | "midday" | "midi" => set(&mut p.time, NaiveTime::from_hms_opt(12, 0, 0))?,
            "midnight" | "minuit" => set(&mut p.time, NaiveTime::from_hms_opt(23, 59, 0))?,
            "next" | "last" => {
                let next = w == "next";
                let d = match at(1).ok_or(Trouble::NotUnderstood)? {
                    "week" => next_or_last_monday(today, next),
                    x => match weekday_named(x).ok_or(Trouble::NotUnderstood)? {
                        wd if next => place_weekday(wd, today, Lean::Ahead),
                        wd => last_weekday(wd, today),
                    },
                };
                set(&mut p.day, d)?;
                used = 2;
            }
            "semaine" | "week" => {
                let d = match at(1) {
                    Some("prochaine") => next_or_last_monday(today, true),
                    Some("dernière" | "derniere") => next_or_last_monday(today, false),
                    _ => return Err(Trouble::NotUnderstood),
                };
                set(&mut p.day, d)?;
                used = 2;
            }
            "in" | "dans" => {
                set(&mut p.shift, Some((count(at(1))?, unit(at(2))?)))?;
                used = 3;
            }
            "il" if at(1) == Some("y") && at(2) == Some("a") => {
                set(&mut p.shift, Some((-count(at(3))?, unit(at(4))?)))?;
                used = 5;
            }
            _ if w.starts_with(['+', '-']) => {
                let (shift, n) = signed_shift(w, at(1), at(2))?;
                set(&mut p.shift, Some(shift))?;
                used = n;
            }
            _ => {
                if let Some(wd) = weekday_named(w) {
                    let d = match at(1) {
                        Some("prochain" | "prochaine") => {
                            used = 2;
                            place_weekday(wd, today, Lean::Ahead)
                        }
                        Some("dernier" | "dernière" | "derniere") => {
                            used = 2;
                            last_weekday(wd, today)
                        }
                        _ => place_weekday(wd, today, lean),
                    };
                    set(&mut p.day, d)?;
                } else if let (Ok(n), Some(u), Some("ago")) = (count(Some(w)), at(1).and_then(Unit::named), at(2)) {
                    set(&mut p.shift, Some((-n, u)))?;
                    used = 3;
                } else if let Some(tm) =
                    at(1).filter(|x| matches!(*x, "am" | "pm")).and_then(|x| parse_time(&format!("{w}{x}")))
                {
                    set(&mut p.time, Some(tm))?;
                    used = 2;
                } else if let Some(tm) = parse_time(w) {
                    set(&mut p.time, Some(tm))?;
                } else if let Some(d) = parse_date_any_year(w).or_else(|| place_day_month(w, today, lean)) {
                    set(&mut p.day, Some(d))?;
                } else {
                    return Err(Trouble::NotUnderstood);
                }
            }
        }
        i += used;
    }
    if p == Phrase::default() {
        return Err(Trouble::NotUnderstood);
    }
    Ok(p)
}

/// Lowercased, with typographic apostrophes made plain: what `read_phrase` reads.
pub fn normal_phrase(text: &str) -> String {
    text.trim().to_lowercase().replace(['’', '\''], "'")
}

/// Reads a day (a filter's day, a range's side) placed by `lean` from `today`: every day
/// form of `read_phrase`, and relative days (`-7d`, `3 days ago`, `il y a 2 semaines`,
/// `in 2 days`). A time, or a relative time in hours or minutes, is no day: refused.
/// The refusal names `field` (`Problem::Day`, `Problem::TimeUnit`, `Problem::DateRange`).
pub fn read_day(field: &str, text: &str, today: NaiveDate, lean: Lean) -> Result<NaiveDate, FieldError> {
    let value = text.trim();
    let not_a_day = || FieldError::new(field, Problem::Day { value: value.to_string() });
    let p = read_phrase(&normal_phrase(text), today, lean).map_err(|e| match e {
        Trouble::NotUnderstood => not_a_day(),
        Trouble::Unit(unit) => FieldError::new(field, Problem::TimeUnit { value: value.to_string(), unit }),
        Trouble::OutOfRange => out_of_range(field, value),
    })?;
    if p.time.is_some() || p.period.is_some() {
        return Err(not_a_day());
    }
    let day = match (p.day, p.shift) {
        (Some(d), None) => Some(d),
        (None, Some((n, Unit::Days))) => add_days(today, n),
        (None, Some((n, Unit::Weeks))) => n.checked_mul(7).and_then(|n| add_days(today, n)),
        _ => return Err(not_a_day()),
    };
    match day {
        Some(d) if in_range(d) => Ok(d),
        _ => Err(out_of_range(field, value)),
    }
}

/// A list filter's bounds from a start day and an end day, either may be absent, each
/// `(field, text)`: the start placed `Lean::Back` (the latest such day, today included), the
/// end `Lean::From(start)` (the first such day on or after the start), or `Lean::Back` without
/// a start. So a salesperson's `01/11..30/11` typed on 5 December is the November just past,
/// `15/12..15/01` typed then is last winter's, and `..hier` is up to yesterday. Returned in
/// unix ms in `now`'s zone: the start's first instant and the first instant after the end's
/// day (exclusive). An end before its start is refused (`Problem::DayOrder`), naming the
/// end's field.
pub fn read_day_bounds<Tz: chrono::TimeZone>(
    from: Option<(&str, &str)>,
    to: Option<(&str, &str)>,
    now: &DateTime<Tz>,
) -> Result<(Option<UnixMs>, Option<UnixMs>), FieldError> {
    let today = now.date_naive();
    let tz = now.timezone();
    let start =
        from.map(|(field, text)| read_day(field, text, today, Lean::Back).map(|d| (field, text, d))).transpose()?;
    let lean = start.map_or(Lean::Back, |(_, _, d)| Lean::From(d));
    let end = to.map(|(field, text)| read_day(field, text, today, lean).map(|d| (field, text, d))).transpose()?;
    if let (Some((_, from_text, a)), Some((field, to_text, b))) = (start, end)
        && b < a
    {
        let problem = Problem::DayOrder { from: from_text.trim().to_string(), to: to_text.trim().to_string() };
        return Err(FieldError::new(field, problem));
    }
    let ms = |side: Option<(&str, &str, NaiveDate)>, add: i64| {
        side.map(|(field, text, d)| day_start_ms(&tz, d, add).ok_or_else(|| out_of_range(field, text.trim())))
            .transpose()
    };
    Ok((ms(start, 0)?, ms(end, 1)?))
}

/// Reads `FROM..TO` (either side may be empty; one day alone means that day) into a list
/// filter's bounds (`read_day_bounds`): every day form of the plan form, so `01/11..30/11`
/// typed on 5 December is this November and `hier..` is since yesterday. The TUI's created
/// filter; the refusal names `field`.
pub fn read_day_range<Tz: chrono::TimeZone>(
    field: &str,
    text: &str,
    now: &DateTime<Tz>,
) -> Result<(Option<UnixMs>, Option<UnixMs>), FieldError> {
    fn side(t: &str) -> Option<&str> {
        if t.trim().is_empty() { None } else { Some(t) }
    }
    match text.split_once("..") {
        Some((a, b)) => read_day_bounds(side(a).map(|a| (field, a)), side(b).map(|b| (field, b)), now),
        None => read_day_bounds(Some((field, text)), Some((field, text)), now),
    }
}

/// The forms `parse_date` accepts, for messages.
pub const DATE_FORMS: &str = "YYYY-MM-DD, DD/MM/YYYY, DD.MM.YYYY";

#[cfg(test)]
mod tests;
