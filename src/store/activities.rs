//! Activities as the engine takes and gives them: a new one, its details, a change, the
//! filters of the activities board and calendar, the counters of the status bar.

pub use crate::domain::activity::ActivityRow;
use crate::domain::activity::{ActivityKind, Priority};
use crate::domain::record::RecordRef;
use crate::domain::when::UnixMs;
use serde::Serialize;

/// An activity to plan.
#[derive(Clone, Debug)]
pub struct NewActivity {
    /// Kind.
    pub kind: ActivityKind,
    /// Subject line.
    pub subject: String,
    /// When it is due (unix ms); calls and meetings start then.
    pub deadline: UnixMs,
    /// Length in minutes for calls and meetings.
    pub duration_minutes: Option<i64>,
    /// Priority.
    pub priority: Priority,
    /// Responsible user id.
    pub responsible_id: Option<i64>,
    /// Already done (e.g. a call logged afterwards).
    pub completed: bool,
    /// Records it belongs to.
    pub bindings: Vec<RecordRef>,
}

/// Extra details of an activity planned by a person.
#[derive(Clone, Debug, Default)]
pub struct ActivityDetails {
    /// Longer text.
    pub description: Option<String>,
    /// `in` or `out` for calls and e-mails.
    pub direction: Option<String>,
    /// Reminder, minutes before.
    pub reminder_minutes: Option<i64>,
    /// Where a meeting takes place.
    pub location: Option<String>,
}

/// A user's activities in one hour of the calendar's week grid (`Store::activity_slots`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivitySlot {
    /// How many.
    pub count: i64,
    /// One of them is overdue (not done, its deadline past).
    pub overdue: bool,
    /// The deadline and subject of the only one, when there is exactly one.
    pub only: Option<(UnixMs, String)>,
}

/// Changes to an activity; `None` keeps the value.
#[derive(Clone, Debug, Default)]
pub struct ActivityChange {
    /// New due time (calls and meetings keep their length).
    pub deadline: Option<UnixMs>,
    /// New subject.
    pub subject: Option<String>,
    /// New priority.
    pub priority: Option<Priority>,
    /// New length of a call or meeting, minutes.
    pub duration_minutes: Option<i64>,
    /// New responsible user id.
    pub responsible_id: Option<i64>,
}

/// Which activities to list.
#[derive(Clone, Debug, Default)]
pub struct ActivityFilter {
    /// Open ones with a deadline at or after this instant.
    pub from: Option<UnixMs>,
    /// ... and before this one.
    pub to: Option<UnixMs>,
    /// Only this user's (by id).
    pub responsible_id: Option<i64>,
    /// Only those bound to this record.
    pub record: Option<RecordRef>,
    /// Completed ones too.
    pub include_done: bool,
    /// Most rows (0 = 500).
    pub limit: usize,
    /// Only those after this (deadline, id), in the list's order: the next page.
    pub after: Option<(UnixMs, i64)>,
}

/// Counts per user for the status bar (SPEC A2).
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Counters {
    /// Open, deadline passed.
    pub overdue: i64,
    /// Open, due later today.
    pub today: i64,
    /// Open, due after today.
    pub incoming: i64,
    /// Until when these counts hold by the clock alone (unix ms): the next open deadline due
    /// later today, or the start of tomorrow. A screen switch asks again only after it (the
    /// data changing is told by the change feed); 0 when not known.
    #[serde(skip)]
    pub holds_until: UnixMs,
}

/// An activity a calendar import writes (`Activities::import_calendar`): created, or the
/// activity holding the same UID updated.
#[derive(Clone, Debug)]
pub struct CalendarWrite {
    /// The calendar's UID, kept on the activity.
    pub uid: String,
    /// The activity this file's own iCalendar export named by that UID
    /// (`domain::activity::id_in_uid`), updated when no activity holds the UID yet.
    pub own_id: Option<i64>,
    /// What to write (its bindings are added to those the activity already has; a new
    /// activity needs one at least).
    pub activity: NewActivity,
    /// Its description and location.
    pub details: ActivityDetails,
}

impl CalendarWrite {
    /// The entry as both engines write it: subject and details on one clean line each (the
    /// subject cut to 255 characters), `me` responsible where the calendar named nobody.
    pub fn tidied(&self, me: Option<i64>) -> (NewActivity, ActivityDetails) {
        use crate::domain::text::{clean_line, clean_multiline};
        let mut a = self.activity.clone();
        a.subject = clean_line(&a.subject).trim().chars().take(255).collect();
        if a.responsible_id.is_none() {
            a.responsible_id = me;
        }
        let details = ActivityDetails {
            description: self.details.description.as_deref().map(|d| clean_multiline(d).into_owned()),
            location: self.details.location.as_deref().map(|l| clean_line(l).into_owned()),
            ..self.details.clone()
        };
        (a, details)
    }
}

/// The subject of an activity planned without one: its kind's word and the title of the
/// first record it is bound to ("Call Acme boilers"), on both engines.
pub fn default_subject(lang: crate::i18n::Lang, kind: ActivityKind, title: &str) -> String {
    let word = crate::i18n::tr_in(lang, &format!("activity.{}", kind.code()), &[]);
    format!("{word} {title}")
}

/// What a calendar import wrote for one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalendarWritten {
    /// A new activity.
    Created(i64),
    /// The activity with the same UID (or the one `own_id` names), updated.
    Updated(i64),
    /// Nothing: no activity has the UID and the entry is bound to no record.
    NoRecord,
}
