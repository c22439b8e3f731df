//! Roles, their levels and departments (SPEC R1): the facts `domain::access::Rights` is made
//! from, read in one statement each; the rules of names live in `store::roles`.

use super::{Result, Store};
use crate::domain::access::{Action, Grants, Level, Member, Subject, Team};
use crate::store::engine::*;
use crate::store::roles::{self as rules, RoleName};
use crate::store::users::{DepartmentRow, GrantRow, RightsFacts, RoleRow};
use rusqlite::{Connection, OptionalExtension, params};

/// Writes every level of `grants` for role `role_id` (a role always has its 30 rows).
pub(super) fn write_grants(tx: &Connection, role_id: i64, grants: &Grants) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO role_grants (role_id, subject, action, level) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (role_id, subject, action) DO UPDATE SET level = excluded.level",
    )?;
    for (s, a, l) in grants.cells() {
        stmt.execute(params![role_id, s.code(), a.code(), l.code()])?;
    }
    Ok(())
}

/// Gives the preset roles their levels (migration 15): each preset role without any.
pub(super) fn seed_presets(tx: &Connection) -> rusqlite::Result<()> {
    for name in crate::domain::access::levels::PRESETS {
        let id: Option<i64> = tx.query_row("SELECT id FROM roles WHERE name = ?1", [name], |r| r.get(0)).optional()?;
        let Some(id) = id else { continue };
        let grants = crate::domain::access::levels::preset(name).unwrap_or_default();
        write_grants(tx, id, &grants).map_err(|e| rusqlite::Error::ModuleError(e.to_string()))?;
    }
    Ok(())
}

pub(super) fn role_names(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM roles ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A role's id and stored name from what a user typed (English or French preset names too).
pub(super) fn resolve_role(conn: &Connection, text: &str) -> Result<(i64, String)> {
    let known = role_names(conn)?;
    rules::resolve(text, &known)
}

fn grants_of(conn: &Connection, role_id: i64) -> Result<Vec<GrantRow>> {
    let mut stmt = conn.prepare_cached("SELECT subject, action, level FROM role_grants WHERE role_id = ?1")?;
    let rows =
        stmt.query_map([role_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    let mut grants = Grants::default();
    for row in rows {
        let (s, a, l) = row?;
        if let (Some(s), Some(a), Some(l)) = (Subject::parse(&s), Action::parse(&a), Level::parse(&l)) {
            grants.set(s, a, l);
        }
    }
    Ok(grants.cells().map(|(subject, action, level)| GrantRow { subject, action, level }).collect())
}

fn role_row(conn: &Connection, id: i64, name: String) -> Result<RoleRow> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.login FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE ur.role_id = ?1 ORDER BY u.login",
    )?;
    let users = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(RoleRow { id, preset: RoleName::is_preset(&name), grants: grants_of(conn, id)?, name, users })
}

fn department_rows(conn: &Connection) -> Result<Vec<DepartmentRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.name, p.name, (SELECT group_concat(login, ',') FROM (SELECT login FROM users \
         WHERE department_id = d.id ORDER BY login)) FROM departments d LEFT JOIN departments p ON p.id = d.parent_id \
         ORDER BY d.name",
    )?;
    let rows = stmt.query_map([], |r| {
        let users: Option<String> = r.get(3)?;
        Ok(DepartmentRow {
            id: r.get(0)?,
            name: r.get(1)?,
            parent: r.get(2)?,
            users: users.map(|u| u.split(',').map(str::to_string).collect()).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A department's id by name, made (under no parent) when new.
pub(super) fn department_id(tx: &Connection, name: &str) -> Result<i64> {
    let name = rules::department_name(name)?;
    tx.prepare_cached("INSERT OR IGNORE INTO departments (name) VALUES (?1)")?.execute([&name])?;
    Ok(tx.prepare_cached("SELECT id FROM departments WHERE name = ?1")?.query_row([&name], |r| r.get(0))?)
}

/// Sets user `user_id`'s roles (by stored name) and their administrator flag with them:
/// holding the Administrator role is being an administrator.
pub(super) fn set_roles(tx: &Connection, user_id: i64, roles: &[(i64, String)]) -> Result<()> {
    tx.prepare_cached("DELETE FROM user_roles WHERE user_id = ?1")?.execute([user_id])?;
    for (id, _) in roles {
        tx.prepare_cached("INSERT OR IGNORE INTO user_roles (user_id, role_id) VALUES (?1, ?2)")?
            .execute([user_id, *id])?;
    }
    let admin = roles.iter().any(|(_, n)| n == RoleName::ADMINISTRATOR);
    tx.prepare_cached("UPDATE users SET is_admin = ?1 WHERE id = ?2")?.execute(params![admin, user_id])?;
    Ok(())
}

/// A user's rights facts as `conn` reads them (inside a write too: a rule checks its mover's).
pub(crate) fn facts_in(conn: &rusqlite::Connection, user_id: i64) -> Result<RightsFacts> {
    let (active, is_admin): (bool, bool) = conn
        .prepare_cached("SELECT active, is_admin FROM users WHERE id = ?1")?
        .query_row([user_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((false, false));
    let mut stmt = conn.prepare_cached(
        "SELECT ur.role_id, g.subject, g.action, g.level FROM user_roles ur \
             JOIN role_grants g ON g.role_id = ur.role_id WHERE ur.user_id = ?1 ORDER BY ur.role_id",
    )?;
    let mut roles: Vec<(i64, Grants)> = Vec::new();
    let rows = stmt.query_map([user_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    for row in rows {
        let (role, s, a, l) = row?;
        if roles.last().is_none_or(|(id, _)| *id != role) {
            roles.push((role, Grants::default()));
        }
        if let (Some(s), Some(a), Some(l), Some((_, g))) =
            (Subject::parse(&s), Action::parse(&a), Level::parse(&l), roles.last_mut())
        {
            g.set(s, a, l);
        }
    }
    let members = conn
        .prepare_cached("SELECT id, department_id FROM users")?
        .query_map([], |r| Ok(Member { id: r.get(0)?, department: r.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?;
    let departments = conn
        .prepare_cached("SELECT id, parent_id FROM departments")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(RightsFacts {
        active,
        is_admin,
        roles: roles.into_iter().map(|(_, g)| g).collect(),
        team: Team { members, departments },
    })
}

impl Roles for Store {
    fn rights_facts(&self, user_id: i64) -> Result<RightsFacts> {
        facts_in(self.conn(), user_id)
    }

    fn roles(&self) -> Result<Vec<RoleRow>> {
        let conn = self.conn();
        role_names(conn)?.into_iter().map(|(id, name)| role_row(conn, id, name)).collect()
    }

    fn add_role(&mut self, name: &str, like: Option<&str>) -> Result<RoleRow> {
        let name = rules::new_role_name(name)?;
        self.write(|tx, _| {
            let known = role_names(tx)?;
            rules::refuse_taken(&name, &known)?;
            let grants = match like {
                Some(l) => {
                    let (id, _) = rules::resolve(l, &known)?;
                    let rows = grants_of(tx, id)?;
                    RoleRow { id, name: String::new(), preset: false, grants: rows, users: vec![] }.table()
                }
                None => Grants::default(),
            };
            tx.prepare_cached("INSERT INTO roles (name) VALUES (?1)")?.execute([&name])?;
            let id = tx.last_insert_rowid();
            write_grants(tx, id, &grants)?;
            role_row(tx, id, name.clone())
        })
    }

    fn delete_role(&mut self, name: &str) -> Result<()> {
        self.write(|tx, _| {
            let (id, stored) = resolve_role(tx, name)?;
            let row = role_row(tx, id, stored.clone())?;
            rules::refuse_held(&row)?;
            tx.prepare_cached("DELETE FROM roles WHERE id = ?1")?.execute([id])?;
            Ok(())
        })
    }

    fn set_level(&mut self, role: &str, subject: Subject, action: Action, level: Level) -> Result<RoleRow> {
        self.write(|tx, _| {
            let (id, stored) = resolve_role(tx, role)?;
            rules::refuse_administrator_change(&stored)?;
            tx.prepare_cached(
                "INSERT INTO role_grants (role_id, subject, action, level) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (role_id, subject, action) DO UPDATE SET level = excluded.level",
            )?
            .execute(params![id, subject.code(), action.code(), level.code()])?;
            role_row(tx, id, stored)
        })
    }

    fn departments(&self) -> Result<Vec<DepartmentRow>> {
        department_rows(self.conn())
    }

    fn add_department(&mut self, name: &str, parent: Option<&str>) -> Result<DepartmentRow> {
        let name = rules::department_name(name)?;
        self.write(|tx, _| {
            let known = department_rows(tx)?;
            rules::refuse_department_taken(&name, &known)?;
            let parent_id = match parent {
                Some(p) => Some(rules::resolve_department(p, &known)?.id),
                None => None,
            };
            tx.prepare_cached("INSERT INTO departments (name, parent_id) VALUES (?1, ?2)")?
                .execute(params![name, parent_id])?;
            let rows = department_rows(tx)?;
            rules::resolve_department(&name, &rows).cloned()
        })
    }
}
