//! Activities (SPEC A1): calls, meetings, tasks and e-mails planned on records.

use super::fields::Entity;
use super::record::RecordRef;
use super::when::{UnixMs, rfc3339};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Kind of activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// Phone call (has start/end and a direction).
    Call,
    /// Meeting (has start/end and a location).
    Meeting,
    /// Task (has a deadline).
    Task,
    /// E-mail (has a direction).
    Email,
}

impl ActivityKind {
    /// Stored form.
    pub fn code(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Meeting => "meeting",
            Self::Task => "task",
            Self::Email => "email",
        }
    }
}

/// Priority of an activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Can wait.
    Low,
    /// Default.
    Medium,
    /// Urgent.
    High,
}

impl Priority {
    /// Stored form.
    pub fn code(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// An activity as listed: what the store reads, the screens show and the calendar export
/// writes.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ActivityRow {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: ActivityKind,
    /// Subject.
    pub subject: String,
    /// Details.
    pub description: Option<String>,
    /// Due (unix ms).
    pub deadline: UnixMs,
    /// Start and end for calls and meetings.
    pub start_at: Option<UnixMs>,
    /// End.
    pub end_at: Option<UnixMs>,
    /// Priority code.
    pub priority: String,
    /// Direction code.
    pub direction: Option<String>,
    /// Responsible login.
    pub responsible: Option<String>,
    /// Done.
    pub completed: bool,
    /// Reminder in minutes.
    pub reminder_minutes: Option<i64>,
    /// Location.
    pub location: Option<String>,
    /// Records it belongs to: (entity, id, title).
    pub bindings: Vec<(Entity, i64, String)>,
    /// Version.
    pub version: i64,
    /// The UID of the calendar entry it was imported from (`prospect import FILE.ics`), which
    /// the iCalendar export writes back; none for an activity planned here.
    pub uid: Option<String>,
}

/// Whether an activity's times all fall in the accepted years (`when::instant_in_range`):
/// one stored before that rule existed may lie in year 10240, which no calendar can hold.
pub fn times_in_range(deadline: UnixMs, start: Option<UnixMs>, end: Option<UnixMs>) -> bool {
    [Some(deadline), start, end].into_iter().flatten().all(super::when::instant_in_range)
}

impl ActivityRow {
    /// The record it is shown on (its first binding).
    pub fn record(&self) -> Option<RecordRef> {
        self.bindings.first().map(|b| RecordRef::new(b.0, b.1))
    }

    /// JSON with instants in RFC 3339.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        v["deadline"] = json!(rfc3339(self.deadline));
        v["start_at"] = json!(self.start_at.map(rfc3339));
        v["end_at"] = json!(self.end_at.map(rfc3339));
        v["bindings"] = json!(
            self.bindings
                .iter()
                .map(|(e, id, t)| json!({"entity": e.code(), "id": id, "title": t}))
                .collect::<Vec<_>>()
        );
        v
    }
}

/// Reads a call's or an e-mail's direction (SPEC A1): `in` or `out` (`incoming`, `entrant`,
/// `outgoing`, `sortant`…), kept as `in` or `out`; refused for meetings and tasks, which
/// have none.
pub fn read_direction(kind: ActivityKind, text: &str) -> Result<String, super::error::FieldError> {
    use super::error::{FieldError, Problem};
    if !matches!(kind, ActivityKind::Call | ActivityKind::Email) {
        return Err(FieldError::new("direction", Problem::refused("direction_kind", &[("kind", kind.code())])));
    }
    match text.trim().to_lowercase().as_str() {
        "in" | "incoming" | "inbound" | "entrant" | "reçu" | "recu" => Ok("in".into()),
        "out" | "outgoing" | "outbound" | "sortant" | "émis" | "emis" => Ok("out".into()),
        _ => Err(FieldError::new(
            "direction",
            Problem::Choice { value: text.trim().into(), accepted: vec!["in".into(), "out".into()] },
        )),
    }
}

/// The iCalendar UID an export gives activity `id` of the file whose UIDs end in `host`
/// (`<file id>.prospect`): the one form io::ics writes and a calendar import reads back.
pub fn uid_of(id: i64, host: &str) -> String {
    format!("activity-{id}@{host}")
}

/// The activity a UID names when this file's export wrote it (`uid_of`), so that a calendar
/// exported and imported again into the same file updates its activities.
pub fn id_in_uid(uid: &str, host: &str) -> Option<i64> {
    let id = uid.strip_prefix("activity-")?.strip_suffix(host)?.strip_suffix('@')?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok().filter(|id: &i64| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_direction_is_in_or_out_and_only_for_calls_and_emails() {
        assert_eq!(read_direction(ActivityKind::Call, " Incoming ").unwrap(), "in");
        assert_eq!(read_direction(ActivityKind::Email, "sortant").unwrap(), "out");
        assert!(read_direction(ActivityKind::Call, "sideways").is_err());
        let e = read_direction(ActivityKind::Meeting, "in").unwrap_err();
        assert_eq!(e.field, "direction");
    }

    #[test]
    fn an_exported_uid_names_its_activity_in_its_own_file_only() {
        let uid = uid_of(42, "abc.prospect");
        assert_eq!(id_in_uid(&uid, "abc.prospect"), Some(42));
        assert_eq!(id_in_uid(&uid, "def.prospect"), None);
        assert_eq!(id_in_uid("activity-x@abc.prospect", "abc.prospect"), None);
        assert_eq!(id_in_uid("activity-0@abc.prospect", "abc.prospect"), None);
        assert_eq!(id_in_uid("other-42@abc.prospect", "abc.prospect"), None);
        assert_eq!(id_in_uid("activity-+42@abc.prospect", "abc.prospect"), None);
    }
}
