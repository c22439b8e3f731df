//! A calendar brought in (`prospect import FILE.ics`): each event or to-do as io::ics_in reads
//! it, and what became of it. Plain data: the service binds each entry to records and the
//! engine writes it (`Activities::import_calendar`).

use super::activity::{ActivityKind, Priority};
use super::when::UnixMs;
use serde::Serialize;

/// Most minutes a call or meeting lasts (the rule of planned activities: 1 to 1,440).
pub const LONGEST_MINUTES: i64 = 24 * 60;

/// One VEVENT or VTODO read from a calendar file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEntry {
    /// Line of the file where its `BEGIN:` is.
    pub line: u64,
    /// Its UID: what a second import of the same file finds it again by.
    pub uid: String,
    /// Call, meeting or task.
    pub kind: ActivityKind,
    /// SUMMARY.
    pub subject: String,
    /// DESCRIPTION.
    pub description: Option<String>,
    /// LOCATION.
    pub location: Option<String>,
    /// When it starts (events) or is due (to-dos).
    pub deadline: UnixMs,
    /// Length of a call or meeting, in minutes (1 to `LONGEST_MINUTES`).
    pub duration_minutes: Option<i64>,
    /// PRIORITY (1-4 high, 5 or none medium, 6-9 low).
    pub priority: Priority,
    /// A to-do marked COMPLETED.
    pub completed: bool,
    /// The e-mail addresses of its ATTENDEEs and ORGANIZER, lower-cased, each once.
    pub emails: Vec<String>,
    /// It repeats (RRULE, RDATE): only its first occurrence is imported.
    pub recurring: bool,
    /// Its first alarm, in minutes before it (a VALARM's TRIGGER relative to its start).
    pub reminder_minutes: Option<i64>,
}

/// An event or to-do that could not be read as an activity (no date, no UID...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarRefusal {
    /// Line of the file where its `BEGIN:` is.
    pub line: u64,
    /// Its UID, when it has one.
    pub uid: Option<String>,
    /// Its SUMMARY, when it has one.
    pub subject: Option<String>,
    /// Why, said in the user's language.
    pub reason: String,
}

/// What became of one entry of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarOutcome {
    /// A new activity.
    Created,
    /// The activity imported (or exported) earlier with the same UID, updated.
    Updated,
    /// Not imported: `reason` says why.
    NotImported,
}

/// One entry's line in the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CalendarItem {
    /// Line of the file where it begins.
    pub line: u64,
    /// Its UID.
    pub uid: Option<String>,
    /// Its subject.
    pub subject: Option<String>,
    /// What became of it.
    pub outcome: CalendarOutcome,
    /// The activity written.
    pub id: Option<i64>,
    /// The records it is bound to, as `lead #7`.
    pub records: Vec<String>,
    /// Why it was not imported, or what to know about it (a repeating event: its first
    /// occurrence only).
    pub reason: Option<String>,
}

/// The result of a calendar import.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CalendarReport {
    /// Activities created.
    pub created: usize,
    /// Activities updated (same UID).
    pub updated: usize,
    /// Entries not imported.
    pub not_imported: usize,
    /// Every entry, in the file's order.
    pub items: Vec<CalendarItem>,
    /// Nothing was written.
    pub dry_run: bool,
}

impl CalendarReport {
    /// Counts an entry and keeps it.
    pub fn add(&mut self, item: CalendarItem) {
        match item.outcome {
            CalendarOutcome::Created => self.created += 1,
            CalendarOutcome::Updated => self.updated += 1,
            CalendarOutcome::NotImported => self.not_imported += 1,
        }
        self.items.push(item);
    }
}

/// Most minutes ahead a reminder may ring: four weeks.
pub const LONGEST_REMINDER: i64 = 4 * 7 * 24 * 60;

/// A VALARM's TRIGGER (seconds from the start, negative before it) as a reminder in minutes
/// before: none for a trigger after the start or more than four weeks ahead.
pub fn reminder_minutes(trigger_seconds: i64) -> Option<i64> {
    let before = trigger_seconds.checked_neg()? / 60;
    (0..=LONGEST_REMINDER).contains(&before).then_some(before)
}

/// A calendar's PRIORITY (RFC 5545: 1 highest, 9 lowest, 0 undefined) as ours.
pub fn priority_of(value: i64) -> Priority {
    match value {
        1..=4 => Priority::High,
        6..=9 => Priority::Low,
        _ => Priority::Medium,
    }
}

/// Whether an event's categories or summary say it is a phone call (English or French).
pub fn says_call(categories: &[String], summary: &str) -> bool {
    let call = |w: &str| matches!(w, "call" | "calls" | "phone" | "appel" | "appels" | "téléphone" | "phone call");
    categories.iter().any(|c| call(c.trim().to_lowercase().as_str()))
        || summary
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| matches!(w, "call" | "appel" | "appeler" | "rappeler" | "rappel"))
}

/// A call's or meeting's length in minutes from its start and end, within the accepted
/// range (a longer event keeps a day; an end before its start, the default half hour).
pub fn duration_minutes(start: UnixMs, end: Option<UnixMs>) -> i64 {
    match end {
        Some(end) if end > start => ((end - start) / 60_000).clamp(1, LONGEST_MINUTES),
        _ => 30,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_categories_and_lengths() {
        assert_eq!(priority_of(1), Priority::High);
        assert_eq!(priority_of(5), Priority::Medium);
        assert_eq!(priority_of(0), Priority::Medium);
        assert_eq!(priority_of(9), Priority::Low);
        assert!(says_call(&["CALL".into()], "x"));
        assert!(says_call(&[], "Appel de suivi"));
        assert!(says_call(&[], "Call Jean back"));
        assert!(!says_call(&["MEETING".into()], "Recall of the product"));
        assert_eq!(duration_minutes(0, Some(90 * 60_000)), 90);
        assert_eq!(duration_minutes(0, Some(3 * 24 * 3_600_000)), LONGEST_MINUTES);
        assert_eq!(duration_minutes(10, Some(5)), 30);
        assert_eq!(duration_minutes(0, None), 30);
        assert_eq!(reminder_minutes(-15 * 60), Some(15));
        assert_eq!(reminder_minutes(0), Some(0));
        assert_eq!(reminder_minutes(60), None);
        assert_eq!(reminder_minutes(i64::MIN), None);
        assert_eq!(reminder_minutes(-60 * 24 * 3600), None);
    }
}
