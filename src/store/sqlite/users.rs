//! Users and departments. The first user of a new file becomes its administrator.

use super::rule::Rule;
use super::{CurrentUser, Result, Store, StoreError};
use crate::domain::error::{FieldError, Problem};
use crate::store::engine::*;
pub(crate) use crate::store::users::*;
use rusqlite::{Connection, OptionalExtension, params};

fn find_user_in(conn: &Connection, login: &str) -> Result<Option<CurrentUser>> {
    Ok(conn
        .prepare_cached("SELECT id, login, is_admin FROM users WHERE login = ?1 COLLATE NOCASE")?
        .query_row([login], |r| Ok(CurrentUser { id: r.get(0)?, login: r.get(1)?, is_admin: r.get(2)? }))
        .optional()?)
}

fn insert_user_in(tx: &Connection, user: &NewUser, now: i64) -> Result<i64> {
    let login = check_login(&user.login)?;
    if find_user_in(tx, &login)?.is_some() {
        return Err(FieldError::new("login", Problem::refused("user_exists", &[("login", &login)])).into());
    }
    let display = user
        .display_name
        .as_deref()
        .map(|d| crate::domain::text::clean_line(d).trim().to_string())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| login.clone());
    let dept: Option<i64> = match user.department.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(name) => Some(super::roles::department_id(tx, name)?),
        None => None,
    };
    let roles = roles_named(tx, &user.roles, user.admin)?;
    tx.prepare_cached(
        "INSERT INTO users (login, display_name, department_id, is_admin, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![login, display.trim(), dept, user.admin, now])?;
    let id = tx.last_insert_rowid();
    super::roles::set_roles(tx, id, &roles)?;
    Ok(id)
}

/// The roles `names` name (`store::roles::roles_named`, the rule of it).
fn roles_named(tx: &Connection, names: &[String], admin: bool) -> Result<Vec<(i64, String)>> {
    let known = super::roles::role_names(tx)?;
    crate::store::roles::roles_named(names, admin, &known)
}

fn check_login(login: &str) -> Result<String> {
    let l = login.trim();
    if l.is_empty() {
        return Err(FieldError::new("login", Problem::Required).into());
    }
    if l.len() > 64 || !l.chars().all(|c| c.is_alphanumeric() || "._-@".contains(c)) {
        return Err(FieldError::new("login", Problem::refused("login", &[("value", l)])).into());
    }
    Ok(l.to_string())
}

impl Store {
    fn find_user(&self, login: &str) -> Result<Option<CurrentUser>> {
        find_user_in(self.conn(), login)
    }

    fn insert_user(&mut self, user: &NewUser) -> Result<i64> {
        check_login(&user.login)?;
        self.write(|tx, ctx| insert_user_in(tx, user, ctx.now))
    }
}

impl Users for Store {
    /// Signs `login` in. On a file with no users yet it becomes the administrator; otherwise
    /// it must already exist. The check and the first insert share one write transaction, so
    /// two clients opening a new file at once cannot both become its first user.
    fn sign_in(&mut self, login: &str) -> Result<CurrentUser> {
        let login = check_login(login)?;
        let user = match self.find_user(&login)? {
            Some(u) => u,
            None => {
                let now = self.now();
                self.write(|tx, _| {
                    if let Some(u) = find_user_in(tx, &login)? {
                        return Ok(u);
                    }
                    let empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?;
                    if !empty {
                        return Err(StoreError::UnknownUser(login.clone()));
                    }
                    insert_user_in(tx, &NewUser { login: login.clone(), admin: true, ..Default::default() }, now)?;
                    find_user_in(tx, &login)?.ok_or_else(|| StoreError::UnknownUser(login.clone()))
                })?
            }
        };
        self.user = Some(user.clone());
        Ok(user)
    }

    /// Marks a user active or not (the service asks for an administrator): an inactive user keeps their records
    /// and is skipped by distribution queues.
    fn set_user_active(&mut self, login: &str, active: bool) -> Result<()> {
        self.write(|tx, _| {
            let (id, _) = crate::store::sqlite::refs::resolve_user(tx, login)?;
            // The last active administrator deactivated, nobody could ever write again (not
            // even to activate them back): refused.
            let other_admins: i64 = tx
                .prepare_cached("SELECT count(*) FROM users WHERE is_admin = 1 AND active = 1 AND id <> ?1")?
                .query_row([id], |r| r.get(0))?;
            let is_admin: bool =
                tx.prepare_cached("SELECT is_admin FROM users WHERE id = ?1")?.query_row([id], |r| r.get(0))?;
            if !active && is_admin && other_admins == 0 {
                return Err(StoreError::Rule(Rule::LastAdmin { login: login.to_string() }));
            }
            tx.prepare_cached("UPDATE users SET active = ?1 WHERE id = ?2")?.execute(rusqlite::params![active, id])?;
            Ok(())
        })
    }

    /// Adds a user (the service asks for an administrator).
    fn add_user(&mut self, user: &NewUser) -> Result<i64> {
        self.insert_user(user)
    }

    fn edit_user(&mut self, login: &str, change: &UserChange) -> Result<()> {
        self.write(|tx, _| {
            let (id, login) = crate::store::sqlite::refs::resolve_user(tx, login)?;
            if let Some(names) = &change.roles {
                let roles = roles_named(tx, names, false)?;
                let keeps_admin = roles.iter().any(|(_, n)| n == crate::store::roles::RoleName::ADMINISTRATOR);
                let other_admins: i64 = tx
                    .prepare_cached("SELECT count(*) FROM users WHERE is_admin = 1 AND active = 1 AND id <> ?1")?
                    .query_row([id], |r| r.get(0))?;
                let was_admin: bool = tx
                    .prepare_cached("SELECT is_admin AND active FROM users WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))?;
                if was_admin && !keeps_admin && other_admins == 0 {
                    return Err(StoreError::Rule(Rule::LastAdmin { login: login.clone() }));
                }
                super::roles::set_roles(tx, id, &roles)?;
            }
            if let Some(dept) = &change.department {
                let dept = match dept.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                    Some(name) => Some(super::roles::department_id(tx, name)?),
                    None => None,
                };
                tx.prepare_cached("UPDATE users SET department_id = ?1 WHERE id = ?2")?.execute(params![dept, id])?;
            }
            if let Some(name) = &change.display_name {
                let name = crate::domain::text::clean_line(name).trim().to_string();
                if name.is_empty() {
                    return Err(FieldError::new("display_name", Problem::Required).into());
                }
                tx.prepare_cached("UPDATE users SET display_name = ?1 WHERE id = ?2")?.execute(params![name, id])?;
            }
            Ok(())
        })
    }

    /// Every user, by login.
    fn users(&self) -> Result<Vec<UserRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT u.id, u.login, u.display_name, d.name, u.is_admin, u.active, \
             (SELECT group_concat(r.name, ',') FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id) \
             FROM users u LEFT JOIN departments d ON d.id = u.department_id ORDER BY u.login",
        )?;
        let rows = stmt.query_map([], |r| {
            let roles: Option<String> = r.get(6)?;
            Ok(UserRow {
                id: r.get(0)?,
                login: r.get(1)?,
                display_name: r.get(2)?,
                department: r.get(3)?,
                is_admin: r.get(4)?,
                active: r.get(5)?,
                roles: roles.map(|s| s.split(',').map(str::to_string).collect()).unwrap_or_default(),
                db_role: None,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
