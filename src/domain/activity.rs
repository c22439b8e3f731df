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
