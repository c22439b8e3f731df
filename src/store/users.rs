//! Users as listed, and a new user as asked.

use crate::domain::access::{Action, Grants, Level, Subject, Team};
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
    /// On PostgreSQL, the database role the user connects as (row-level security then
    /// applies their levels in the server itself); none on a file.
    pub db_role: Option<String>,
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
    /// Administrator flag (the Administrator role).
    pub admin: bool,
    /// Roles by name (English or French preset names too); none given: Manager, or
    /// Administrator with `admin`.
    pub roles: Vec<String>,
    /// On PostgreSQL, the password of the database role made for the user (none: the
    /// server's authentication rules decide, or an administrator sets one later).
    pub password: Option<String>,
}

/// A role as listed: its name, whether it is a preset, and its level for every right.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RoleRow {
    /// Row id.
    pub id: i64,
    /// Name (a preset's is stored in English and shown in the user's language).
    pub name: String,
    /// One of the four roles every file starts with.
    pub preset: bool,
    /// Its levels, as (subject, action, level).
    pub grants: Vec<GrantRow>,
    /// Users holding it, by login.
    pub users: Vec<String>,
}

/// One right of a role.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct GrantRow {
    /// What it is about.
    pub subject: Subject,
    /// What it allows.
    pub action: Action,
    /// How far it reaches.
    pub level: Level,
}

impl RoleRow {
    /// Its grants as the domain's table.
    pub fn table(&self) -> Grants {
        let mut g = Grants::default();
        for r in &self.grants {
            g.set(r.subject, r.action, r.level);
        }
        g
    }
}

/// A department as listed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DepartmentRow {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// The department it sits under.
    pub parent: Option<String>,
    /// Its users, by login.
    pub users: Vec<String>,
}

/// What a user's rights are made of, read on one state of the data: whether they are active
/// and an administrator, the grants of each of their roles, and the team.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RightsFacts {
    /// May write.
    pub active: bool,
    /// Holds every right.
    pub is_admin: bool,
    /// Each role's grants.
    pub roles: Vec<Grants>,
    /// Departments and who is in them.
    pub team: Team,
}

/// A change to a user (`prospect user edit`): what is `None` stays.
#[derive(Clone, Debug, Default)]
pub struct UserChange {
    /// Their roles, replacing the ones they hold (at least one).
    pub roles: Option<Vec<String>>,
    /// Their department (`Some(None)`: none), created if new.
    pub department: Option<Option<String>>,
    /// Their name shown.
    pub display_name: Option<String>,
}
