//! iCalendar in (RFC 5545, `prospect import FILE.ics`): each VEVENT a meeting (a call when
//! its categories or summary say so), each VTODO a task, read by the `calcard` crate into
//! `domain::calendar_in::CalendarEntry`. The service binds them to records and writes them.

use super::cards::{MAX_PROPERTIES, begin_lines, fault, unclosed};
use crate::domain::activity::{ActivityKind, Priority};
use crate::domain::calendar_in::{self, CalendarEntry, CalendarRefusal};
use crate::domain::text::{clean_line, clean_multiline};
use crate::domain::when::{UnixMs, instant_in_range};
use crate::i18n::tr;
use calcard::common::PartialDateTime;
use calcard::common::timezone::Tz;
use calcard::icalendar::timezone::TzResolver;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarProperty, ICalendarStatus, ICalendarValue,
};
use calcard::{Entry, Parser};
use chrono::{Local, NaiveDate, TimeZone};

/// Every event and to-do of a calendar file, each read or refused with its reason; the
/// whole file refused (localised) when it is not a well-formed calendar: text outside it,
/// a component begun and never ended, anything but a calendar in it.
pub fn read(text: &str) -> Result<Vec<Result<CalendarEntry, CalendarRefusal>>, String> {
    if let Some(component) = unclosed(text) {
        return Err(tr("cards.unterminated", &[("component", &component)]));
    }
    let mut calendars: Vec<ICalendar> = Vec::new();
    let mut parser = Parser::new(text);
    loop {
        match parser.entry() {
            Entry::ICalendar(c) => calendars.push(c),
            Entry::Eof => break,
            other => return Err(fault(text, other, "VCALENDAR")),
        }
    }
    if calendars.is_empty() {
        return Err(tr("cards.empty", &[("what", "VCALENDAR")]));
    }
    let mut lines = begin_lines(text, &["VEVENT", "VTODO"]).into_iter();
    let mut out = Vec::new();
    for cal in &calendars {
        let zones = cal.build_tz_resolver();
        // Prospect's own export: the bound records' lines it adds to descriptions come off.
        let ours = cal
            .components
            .first()
            .and_then(|c| c.property(&ICalendarProperty::Prodid))
            .and_then(|p| p.values.first())
            .and_then(|v| v.as_text())
            .is_some_and(|p| p == super::ics::PRODID);
        for (id, comp) in cal.components.iter().enumerate() {
            let event = match comp.component_type {
                ICalendarComponentType::VEvent => true,
                ICalendarComponentType::VTodo => false,
                _ => continue,
            };
            let line = lines.next().unwrap_or(0);
            let reminder = u32::try_from(id).ok().and_then(|id| {
                cal.alarms_for_id(id).find_map(|alarm| {
                    match alarm.property(&ICalendarProperty::Trigger)?.values.first()? {
                        ICalendarValue::Duration(d) => calendar_in::reminder_minutes(d.as_seconds()),
                        _ => None,
                    }
                })
            });
            out.push(entry(comp, event, line, &zones, ours).map(|e| CalendarEntry { reminder_minutes: reminder, ..e }));
        }
    }
    Ok(out)
}

/// The first value of a property as text, cleaned of control characters.
fn text_of(comp: &ICalendarComponent, prop: ICalendarProperty) -> Option<String> {
    let v = comp.property(&prop)?.values.first()?.as_text()?;
    let v = clean_multiline(v).trim().to_string();
    (!v.is_empty()).then_some(v)
}

/// One event or to-do as an activity, or why it cannot be one.
fn entry(
    comp: &ICalendarComponent,
    event: bool,
    line: u64,
    zones: &TzResolver<&str>,
    ours: bool,
) -> Result<CalendarEntry, CalendarRefusal> {
    let uid = comp.uid().map(|u| clean_line(u).trim().to_string()).filter(|u| !u.is_empty());
    let summary = text_of(comp, ICalendarProperty::Summary).map(|s| clean_line(&s).into_owned());
    let refuse = |key: &str, args: &[(&str, &str)]| CalendarRefusal {
        line,
        uid: uid.clone(),
        subject: summary.clone(),
        reason: tr(key, args),
    };
    if comp.entries.len() > MAX_PROPERTIES {
        return Err(refuse(
            "cards.too_many_properties",
            &[("count", &comp.entries.len().to_string()), ("max", &MAX_PROPERTIES.to_string())],
        ));
    }
    let Some(uid_text) = uid.clone() else { return Err(refuse("cards.no_uid", &[])) };
    if uid_text.chars().count() > 255 {
        return Err(refuse("cards.uid_too_long", &[]));
    }
    if comp.property(&ICalendarProperty::RecurrenceId).is_some() {
        return Err(refuse("cards.occurrence", &[]));
    }
    let when = |prop: ICalendarProperty| -> Result<Option<(UnixMs, bool)>, CalendarRefusal> {
        let Some(e) = comp.property(&prop) else { return Ok(None) };
        let name = e.name.as_str().to_uppercase();
        let Some(pdt) = e.values.first().and_then(|v| v.as_partial_date_time()) else {
            return Err(refuse("cards.bad_date", &[("property", &name)]));
        };
        match instant(pdt, e.tz_id(), zones) {
            Some((at, all_day)) if instant_in_range(at) => Ok(Some((at, all_day))),
            Some(_) => Err(refuse("cards.date_range", &[("property", &name)])),
            None => Err(refuse("cards.bad_date", &[("property", &name)])),
        }
    };
    let start = when(ICalendarProperty::Dtstart)?;
    let (deadline, duration_minutes) = if event {
        let Some((start, all_day)) = start else {
            return Err(refuse("cards.no_date", &[("property", "DTSTART")]));
        };
        let end = match when(ICalendarProperty::Dtend)? {
            Some((end, _)) => Some(end),
            None => duration(comp).map(|s| start.saturating_add(s.saturating_mul(1000))),
        };
        // An all-day event without an end lasts its day (RFC 5545 3.6.1).
        let end = end.or(all_day.then_some(start + calendar_in::LONGEST_MINUTES * 60_000));
        (start, Some(calendar_in::duration_minutes(start, end)))
    } else {
        match when(ICalendarProperty::Due)?.or(start) {
            Some((due, _)) => (due, None),
            None => return Err(refuse("cards.no_date", &[("property", "DUE")])),
        }
    };
    let categories: Vec<String> = comp
        .properties(&ICalendarProperty::Categories)
        .flat_map(|e| e.values.iter().filter_map(|v| v.as_text().map(str::to_string)))
        .collect();
    let subject = summary.clone().unwrap_or_default();
    // The kind our own export wrote in CATEGORIES comes back as it was.
    let said = |kind: ActivityKind| categories.iter().any(|c| c.trim().eq_ignore_ascii_case(kind.code()));
    let kind = match event {
        true if said(ActivityKind::Meeting) => ActivityKind::Meeting,
        true if said(ActivityKind::Call) || calendar_in::says_call(&categories, &subject) => ActivityKind::Call,
        true => ActivityKind::Meeting,
        false if said(ActivityKind::Email) => ActivityKind::Email,
        false => ActivityKind::Task,
    };
    let mut description = text_of(comp, ICalendarProperty::Description);
    if ours {
        description =
            description.map(|d| super::ics::without_binding_lines(&d).trim_end().to_string()).filter(|d| !d.is_empty());
    }
    let priority = comp
        .property(&ICalendarProperty::Priority)
        .and_then(|e| e.values.first())
        .and_then(|v| v.as_integer())
        .map(calendar_in::priority_of)
        .unwrap_or(Priority::Medium);
    let completed = !event
        && (comp.property(&ICalendarProperty::Completed).is_some()
            || matches!(comp.status(), Some(ICalendarStatus::Completed)));
    let mut emails: Vec<String> = Vec::new();
    for e in comp.properties(&ICalendarProperty::Attendee).chain(comp.properties(&ICalendarProperty::Organizer)) {
        if let Some(address) = e.calendar_address() {
            let address = address.trim().to_lowercase();
            if address.contains('@') && !emails.contains(&address) {
                emails.push(address);
            }
        }
    }
    let recurring =
        comp.property(&ICalendarProperty::Rrule).is_some() || comp.property(&ICalendarProperty::Rdate).is_some();
    Ok(CalendarEntry {
        line,
        uid: uid_text,
        kind,
        subject: subject.chars().take(255).collect(),
        description,
        location: text_of(comp, ICalendarProperty::Location).map(|l| clean_line(&l).into_owned()),
        deadline,
        duration_minutes,
        priority,
        completed,
        emails,
        recurring,
        reminder_minutes: None,
    })
}

/// DURATION in seconds.
fn duration(comp: &ICalendarComponent) -> Option<i64> {
    match comp.property(&ICalendarProperty::Duration)?.values.first()? {
        ICalendarValue::Duration(d) => Some(d.as_seconds()),
        _ => None,
    }
}

/// A DATE or DATE-TIME as an instant, and whether it was a date alone (an all-day event,
/// placed at the start of its day here). A time in UTC (`Z`) or with an offset is that
/// instant; one with a TZID is read in that zone (an IANA name or the file's VTIMEZONE);
/// a floating time, or an unknown zone, in the local time zone.
fn instant(pdt: &PartialDateTime, tzid: Option<&str>, zones: &TzResolver<&str>) -> Option<(UnixMs, bool)> {
    let all_day = pdt.hour.is_none();
    if all_day {
        let day = NaiveDate::from_ymd_opt(i32::from(pdt.year?), u32::from(pdt.month?), u32::from(pdt.day?))?;
        return Some((crate::domain::agenda::day_start(&Local, day).timestamp_millis(), true));
    }
    let dt = pdt.to_date_time()?;
    if dt.offset.is_some() {
        return Some((dt.to_date_time_with_tz(Tz::UTC)?.timestamp_millis(), false));
    }
    let zone = tzid.and_then(|id| zones.resolve(id)).filter(|z| !matches!(z, Tz::Floating));
    let at = match zone {
        Some(z) => z.from_local_datetime(&dt.date_time).earliest().map(|t| t.timestamp_millis()),
        None => Local.from_local_datetime(&dt.date_time).earliest().map(|t| t.timestamp_millis()),
    };
    // A time skipped by a change to summer time: an hour later.
    at.or_else(|| {
        let later = dt.date_time + chrono::Duration::hours(1);
        match zone {
            Some(z) => z.from_local_datetime(&later).earliest().map(|t| t.timestamp_millis()),
            None => Local.from_local_datetime(&later).earliest().map(|t| t.timestamp_millis()),
        }
    })
    .map(|at| (at, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A property line of an event or to-do, with values that are often not what they should be.
    fn property() -> impl Strategy<Value = String> {
        let name = prop_oneof![
            Just("SUMMARY"),
            Just("DESCRIPTION"),
            Just("DTSTART"),
            Just("DTSTART;TZID=Europe/Paris"),
            Just("DTSTART;TZID=Nowhere/Else"),
            Just("DTSTART;VALUE=DATE"),
            Just("DTEND"),
            Just("DUE"),
            Just("DURATION"),
            Just("PRIORITY"),
            Just("CATEGORIES"),
            Just("ATTENDEE"),
            Just("ORGANIZER"),
            Just("RRULE"),
            Just("RECURRENCE-ID"),
            Just("STATUS"),
            Just("UID"),
        ];
        let value = prop_oneof![
            "[^\\p{C}]{0,30}",
            "[0-9]{8}(T[0-9]{6}Z?)?",
            "[0-9]{1,9}",
            "-?P[0-9]{0,9}[WDTHMS][0-9]{0,9}[HMS]?",
            "mailto:[a-z]{1,5}@[a-z]{1,5}\\.[a-z]{2}",
        ];
        (name, value).prop_map(|(n, v)| format!("{n}:{v}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..800), head in any::<bool>()) {
            let (text, _) = crate::io::csv::decode(&bytes, None);
            let text = if head { format!("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n{text}") } else { text };
            let _ = read(&text);
        }

        #[test]
        fn an_event_or_to_do_of_any_properties_is_read_or_refused_with_a_reason(
            props in proptest::collection::vec(property(), 0..16),
            todo in any::<bool>(),
        ) {
            let comp = if todo { "VTODO" } else { "VEVENT" };
            let text = format!("BEGIN:VCALENDAR\r\nBEGIN:{comp}\r\n{}\r\nEND:{comp}\r\nEND:VCALENDAR\r\n", props.join("\r\n"));
            let entries = read(&text);
            prop_assert!(entries.is_ok(), "{text}: {entries:?}");
            let entries = entries.unwrap_or_default();
            prop_assert_eq!(entries.len(), 1);
            match &entries[0] {
                Ok(e) => {
                    prop_assert!(instant_in_range(e.deadline));
                    prop_assert!(!e.uid.is_empty());
                    prop_assert_eq!(e.line, 2);
                    if let Some(m) = e.duration_minutes {
                        prop_assert!((1..=calendar_in::LONGEST_MINUTES).contains(&m), "{m}");
                    }
                    prop_assert_eq!(e.kind == ActivityKind::Task || e.kind == ActivityKind::Email, todo);
                }
                Err(r) => prop_assert!(!r.reason.is_empty() && r.line == 2),
            }
        }
    }
}
