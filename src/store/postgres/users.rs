//! Users and departments. The first user of a new database becomes its administrator.

use super::{CurrentUser, Result, Store, StoreError, refs};
use crate::domain::error::{FieldError, Problem};
use crate::store::engine::*;
use crate::store::rule::Rule;
use crate::store::users::*;
use postgres::GenericClient;

fn find_user_in(c: &mut impl GenericClient, login: &str) -> Result<Option<CurrentUser>> {
    Ok(c.query_opt("SELECT id, login::text, is_admin FROM users WHERE login = $1::text::citext", &[&login])?
        .map(|r| CurrentUser { id: r.get(0), login: r.get(1), is_admin: r.get(2) }))
}

fn insert_user_in(tx: &mut impl GenericClient, user: &NewUser, now: i64) -> Result<i64> {
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
    let id: i64 = tx
        .query_one(
            "INSERT INTO users (login, display_name, department_id, is_admin, created_at) \
             VALUES ($1::text::citext, $2, $3, $4, $5) RETURNING id",
            &[&login, &display.trim(), &dept, &user.admin, &now],
        )?
        .get(0);
    super::roles::set_roles(tx, id, &roles)?;
    super::db_roles::give_role(tx, id, &login, user.password.as_deref())?;
    Ok(id)
}

/// The roles `names` name (`store::roles::roles_named`, the rule of it).
fn roles_named(tx: &mut impl GenericClient, names: &[String], admin: bool) -> Result<Vec<(i64, String)>> {
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

impl Users for Store {
    /// Signs `login` in. On a database with no users yet it becomes the administrator; the
    /// check and the first insert share one serializable transaction, so two clients
    /// opening a new database at once cannot both become its first user.
    fn sign_in(&mut self, login: &str) -> Result<CurrentUser> {
        // A connection as a user's own database role is that user, whatever `--user` says.
        let bound = super::db_roles::bound_login(&mut *self.client()).map_err(|e| self.fill_path(e))?;
        let login = check_login(bound.as_deref().unwrap_or(login))?;
        let found = find_user_in(&mut *self.client(), &login).map_err(|e| self.fill_path(e))?;
        let user = match found {
            Some(u) => u,
            None => {
                let now = self.now();
                self.write(|tx, _| {
                    if let Some(u) = find_user_in(tx, &login)? {
                        return Ok(u);
                    }
                    let empty: bool = tx.query_one("SELECT NOT EXISTS (SELECT 1 FROM users)", &[])?.get(0);
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

    fn set_user_active(&mut self, login: &str, active: bool) -> Result<()> {
        self.write(|tx, _| {
            let (id, _) = refs::resolve_user(tx, login)?;
            // The last active administrator deactivated, nobody could ever write again.
            let other_admins: i64 =
                tx.query_one("SELECT count(*) FROM users WHERE is_admin AND active AND id <> $1", &[&id])?.get(0);
            let is_admin: bool = tx.query_one("SELECT is_admin FROM users WHERE id = $1", &[&id])?.get(0);
            if !active && is_admin && other_admins == 0 {
                return Err(StoreError::Rule(Rule::LastAdmin { login: login.to_string() }));
            }
            tx.execute("UPDATE users SET active = $1 WHERE id = $2", &[&active, &id])?;
            Ok(())
        })
    }

    fn add_user(&mut self, user: &NewUser) -> Result<i64> {
        check_login(&user.login)?;
        self.write(|tx, ctx| insert_user_in(tx, user, ctx.now))
    }

    fn edit_user(&mut self, login: &str, change: &UserChange) -> Result<()> {
        self.write(|tx, _| {
            let (id, login) = refs::resolve_user(tx, login)?;
            if let Some(names) = &change.roles {
                let roles = roles_named(tx, names, false)?;
                let keeps_admin = roles.iter().any(|(_, n)| n == crate::store::roles::RoleName::ADMINISTRATOR);
                let other_admins: i64 =
                    tx.query_one("SELECT count(*) FROM users WHERE is_admin AND active AND id <> $1", &[&id])?.get(0);
                let was_admin: bool =
                    tx.query_one("SELECT is_admin AND active FROM users WHERE id = $1", &[&id])?.get(0);
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
                tx.execute("UPDATE users SET department_id = $1 WHERE id = $2", &[&dept, &id])?;
            }
            if let Some(name) = &change.display_name {
                let name = crate::domain::text::clean_line(name).trim().to_string();
                if name.is_empty() {
                    return Err(FieldError::new("display_name", Problem::Required).into());
                }
                tx.execute("UPDATE users SET display_name = $1 WHERE id = $2", &[&name, &id])?;
            }
            Ok(())
        })
    }

    fn users(&self) -> Result<Vec<UserRow>> {
        let rows = self
            .client()
            .query(
                "SELECT u.id, u.login::text, u.display_name, d.name::text, u.is_admin, u.active, \
                 (SELECT string_agg(r.name, ',' ORDER BY r.id) FROM user_roles ur JOIN roles r ON r.id = ur.role_id \
                  WHERE ur.user_id = u.id), u.db_role \
                 FROM users u LEFT JOIN departments d ON d.id = u.department_id ORDER BY u.login",
                &[],
            )
            .map_err(|e| self.pg_err(e))?;
        Ok(rows
            .iter()
            .map(|r| {
                let roles: Option<String> = r.get(6);
                UserRow {
                    id: r.get(0),
                    login: r.get(1),
                    display_name: r.get(2),
                    department: r.get(3),
                    is_admin: r.get(4),
                    active: r.get(5),
                    roles: roles.map(|s| s.split(',').map(str::to_string).collect()).unwrap_or_default(),
                    db_role: r.get(7),
                }
            })
            .collect())
    }
}
