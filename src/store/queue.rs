//! The distribution queue as configured.

use crate::domain::queue::QueueMode;
use serde::Serialize;

/// The queue as configured.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueueConfig {
    /// Mode.
    #[serde(serialize_with = "mode_code")]
    pub mode: QueueMode,
    /// Logins in queue order.
    pub users: Vec<String>,
    /// Login picked last (round robin).
    pub last: Option<String>,
}

fn mode_code<S: serde::Serializer>(m: &QueueMode, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(m.code())
}
