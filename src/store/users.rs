//! Users as listed, and a new user as asked.

use serde::Serialize;

/// A user as listed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct UserRow {
    /// Row id.
    pub id: i64,
    /// Login (what `--user` takes).
    pub login: String,
    /// Name shown.
    pub display_name: String,
    /// Department name.
    pub department: Option<String>,
    /// May change settings, stages and users.
    pub is_admin: bool,
    /// Inactive users keep their records but get no new ones.
    pub active: bool,
    /// Role names.
    pub roles: Vec<String>,
}

/// A new user.
#[derive(Clone, Debug, Default)]
pub struct NewUser {
    /// Login.
    pub login: String,
    /// Name shown (defaults to the login).
    pub display_name: Option<String>,
    /// Department, created if new.
    pub department: Option<String>,
    /// Administrator flag.
    pub admin: bool,
}
