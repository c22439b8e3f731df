//! Activities (SPEC A1): calls, meetings, tasks and e-mails planned on records.

use serde::{Deserialize, Serialize};

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
