//! iCalendar export (RFC 5545) of activities: calls and meetings as VEVENT, tasks and e-mails
//! as VTODO, so Thunderbird, khal and phone calendars can import them.

use crate::domain::activity::{ActivityKind, ActivityRow};
use crate::domain::when::{UnixMs, from_ms};

/// What the export names itself in PRODID: a calendar import knows its own files by it.
pub(crate) const PRODID: &str = "-//Prospect//Prospect CRM//EN";

/// Escapes a TEXT value (RFC 5545 3.3.11).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a UTF-8 character (RFC 5545 3.1), and
/// never next to a space or tab: readers that trim the ends of physical lines (the `ical`
/// crate, some phones) would lose it. A run of blanks too long to move keeps the plain fold.
pub(crate) fn fold(line: &str) -> String {
    let blank = |c: char| c == ' ' || c == '\t';
    let mut out = String::new();
    let mut current: Vec<char> = Vec::new();
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            // Carried to the next line: the blanks (and the character before them) at the
            // end of this one, so that neither side of the fold is blank.
            let mut keep = current.len();
            while keep > 1
                && current.len() - keep < 16
                && (blank(current[keep - 1]) || blank(*current.get(keep).unwrap_or(&c)))
            {
                keep -= 1;
            }
            if blank(current[keep - 1]) || blank(*current.get(keep).unwrap_or(&c)) {
                keep = current.len();
            }
            let carried: Vec<char> = current.split_off(keep);
            out.extend(current.drain(..));
            out.push_str("\r\n ");
            used = 1 + carried.iter().map(|c| c.len_utf8()).sum::<usize>();
            current = carried;
        }
        current.push(c);
        used += n;
    }
    out.extend(current);
    out.push_str("\r\n");
    out
}

/// How the export names a bound record at the end of an activity's DESCRIPTION
/// (`lead #7: Acme`), so that a calendar app shows it.
pub(crate) fn binding_line(entity: crate::domain::fields::Entity, id: i64, title: &str) -> String {
    format!("{} #{id}: {title}", entity.code())
}

/// The description an export wrote, without the bound records' lines `binding_line` added
/// at its end: what a calendar import of that export keeps (else every export and import
/// would add them again).
pub(crate) fn without_binding_lines(description: &str) -> &str {
    let mut kept = description;
    while let Some(last) = kept.lines().last() {
        let bound = crate::domain::fields::Entity::ALL.iter().any(|e| {
            last.strip_prefix(e.code())
                .and_then(|r| r.strip_prefix(" #"))
                .and_then(|r| r.split_once(": "))
                .is_some_and(|(id, _)| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        });
        if !bound {
            break;
        }
        kept = kept[..kept.len() - last.len()].trim_end_matches(['\n', '\r']);
    }
    kept
}

fn stamp(ms: UnixMs) -> String {
    from_ms(ms).format("%Y%m%dT%H%M%SZ").to_string()
}

/// Whether iCalendar can hold the activity's times: four-digit years only, and Prospect's
/// accepted years (an activity stored before that rule existed may lie in year 10240).
pub fn writable(activity: &ActivityRow) -> bool {
    crate::domain::activity::times_in_range(activity.deadline, activity.start_at, activity.end_at)
}

/// Renders activities as one VCALENDAR. `now` stamps DTSTAMP; `host` makes UIDs unique per
/// file (an activity imported from a calendar keeps the UID it came with).
pub fn calendar(activities: &[ActivityRow], now: UnixMs, host: &str) -> String {
    let mut out = String::new();
    let mut line = |s: String| out.push_str(&fold(&s));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line(format!("PRODID:{PRODID}"));
    line("CALSCALE:GREGORIAN".into());
    for a in activities {
        let event = matches!(a.kind, ActivityKind::Call | ActivityKind::Meeting);
        let comp = if event { "VEVENT" } else { "VTODO" };
        line(format!("BEGIN:{comp}"));
        // An activity imported from a calendar keeps that calendar's UID, so the calendar it
        // goes back to updates its event rather than adding a second one.
        let uid = a.uid.clone().unwrap_or_else(|| crate::domain::activity::uid_of(a.id, host));
        line(format!("UID:{}", escape(&uid)));
        line(format!("DTSTAMP:{}", stamp(now)));
        line(format!("SUMMARY:{}", escape(&a.subject)));
        if event {
            let start = a.start_at.unwrap_or(a.deadline);
            line(format!("DTSTART:{}", stamp(start)));
            line(format!("DTEND:{}", stamp(a.end_at.unwrap_or(start + 30 * 60_000))));
            if a.completed {
                line("STATUS:CONFIRMED".into());
            }
        } else {
            line(format!("DUE:{}", stamp(a.deadline)));
            line(format!("STATUS:{}", if a.completed { "COMPLETED" } else { "NEEDS-ACTION" }));
        }
        line(format!(
            "PRIORITY:{}",
            match a.priority.as_str() {
                "high" => 1,
                "low" => 9,
                _ => 5,
            }
        ));
        line(format!("CATEGORIES:{}", a.kind.code().to_uppercase()));
        let mut desc = a.description.clone().unwrap_or_default();
        for (e, id, title) in &a.bindings {
            if !desc.is_empty() {
                desc.push('\n');
            }
            desc.push_str(&binding_line(*e, *id, title));
        }
        if !desc.is_empty() {
            line(format!("DESCRIPTION:{}", escape(&desc)));
        }
        if let Some(loc) = &a.location {
            line(format!("LOCATION:{}", escape(loc)));
        }
        if let Some(m) = a.reminder_minutes
            && !a.completed
        {
            line("BEGIN:VALARM".into());
            line("ACTION:DISPLAY".into());
            line(format!("DESCRIPTION:{}", escape(&a.subject)));
            line(format!("TRIGGER:-PT{m}M"));
            line("END:VALARM".into());
        }
        line(format!("END:{comp}"));
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_folds() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let long = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&long);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
    }

    #[test]
    fn the_bound_records_lines_come_off_an_exported_description() {
        use crate::domain::fields::Entity;
        let desc = format!("Bring the quote\nlead #3: x\n{}", binding_line(Entity::Contact, 12, "Jean: Dupont"));
        assert_eq!(without_binding_lines(&desc), "Bring the quote");
        assert_eq!(without_binding_lines("lead #3: x"), "");
        assert_eq!(without_binding_lines("Call lead #3: soon"), "Call lead #3: soon");
        assert_eq!(without_binding_lines("lead #x: y"), "lead #x: y");
    }

    #[test]
    fn a_fold_never_sits_next_to_a_blank() {
        for pad in 60..80 {
            let line = format!("NOTE:{} rue Haute, bât. B {}z", "x".repeat(pad - 20), "y ".repeat(30));
            let folded = fold(&line);
            for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
                assert!(l.len() <= 75, "{} octets", l.len());
                assert!(!l.ends_with([' ', '\t']), "{folded:?}");
                assert!(!l.starts_with("  "), "{folded:?}");
            }
            assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
        }
    }
}
