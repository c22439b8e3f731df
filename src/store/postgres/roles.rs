//! Roles, their levels and departments (SPEC R1) on PostgreSQL: the facts
//! `domain::access::Rights` is made from; the rules of names live in `store::roles`.

use super::{Result, Store};
use crate::domain::access::{Action, Grants, Level, Member, Subject, Team};
use crate::store::engine::*;
use crate::store::roles::{self as rules, RoleName};
use crate::store::users::{DepartmentRow, GrantRow, RightsFacts, RoleRow};
use postgres::GenericClient;

/// Writes every level of `grants` for role `role_id` (a role always has its 30 rows).
pub(super) fn write_grants(tx: &mut impl GenericClient, role_id: i64, grants: &Grants) -> Result<()> {
    let stmt = tx.prepare(
        "INSERT INTO role_grants (role_id, subject, action, level) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (role_id, subject, action) DO UPDATE SET level = excluded.level",
    )?;
    for (s, a, l) in grants.cells() {
        tx.execute(&stmt, &[&role_id, &s.code(), &a.code(), &l.code()])?;
    }
    Ok(())
}

/// Gives the preset roles their levels (migration 3).
pub(super) fn seed_presets(tx: &mut impl GenericClient) -> Result<()> {
    for name in crate::domain::access::levels::PRESETS {
        let Some(row) = tx.query_opt("SELECT id FROM roles WHERE name = $1", &[&name])? else { continue };
        write_grants(tx, row.get(0), &crate::domain::access::levels::preset(name).unwrap_or_default())?;
    }
    Ok(())
}

pub(super) fn role_names(c: &mut impl GenericClient) -> Result<Vec<(i64, String)>> {
    Ok(c.query("SELECT id, name FROM roles ORDER BY id", &[])?.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// A role's id and stored name from what a user typed (English or French preset names too).
pub(super) fn resolve_role(c: &mut impl GenericClient, text: &str) -> Result<(i64, String)> {
    let known = role_names(c)?;
    rules::resolve(text, &known)
}

fn grants_of(c: &mut impl GenericClient, role_id: i64) -> Result<Grants> {
    let mut grants = Grants::default();
    for r in c.query("SELECT subject, action, level FROM role_grants WHERE role_id = $1", &[&role_id])? {
        let (s, a, l): (String, String, String) = (r.get(0), r.get(1), r.get(2));
        if let (Some(s), Some(a), Some(l)) = (Subject::parse(&s), Action::parse(&a), Level::parse(&l)) {
            grants.set(s, a, l);
        }
    }
    Ok(grants)
}

fn role_row(c: &mut impl GenericClient, id: i64, name: String) -> Result<RoleRow> {
    let users = c
        .query(
            "SELECT u.login::text FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE ur.role_id = $1 ORDER BY u.login",
            &[&id],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let grants =
        grants_of(c, id)?.cells().map(|(subject, action, level)| GrantRow { subject, action, level }).collect();
    Ok(RoleRow { id, preset: RoleName::is_preset(&name), grants, name, users })
}

fn department_rows(c: &mut impl GenericClient) -> Result<Vec<DepartmentRow>> {
    let rows = c.query(
        "SELECT d.id, d.name::text, p.name::text, (SELECT string_agg(login::text, ',' ORDER BY login) FROM users \
         WHERE department_id = d.id) FROM departments d LEFT JOIN departments p ON p.id = d.parent_id ORDER BY d.name",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|r| {
            let users: Option<String> = r.get(3);
            DepartmentRow {
                id: r.get(0),
                name: r.get(1),
                parent: r.get(2),
                users: users.map(|u| u.split(',').map(str::to_string).collect()).unwrap_or_default(),
            }
        })
        .collect())
}

/// A department's id by name, made (under no parent) when new.
pub(super) fn department_id(tx: &mut impl GenericClient, name: &str) -> Result<i64> {
    let name = rules::department_name(name)?;
    tx.execute("INSERT INTO departments (name) VALUES ($1::text::citext) ON CONFLICT DO NOTHING", &[&name])?;
    Ok(tx.query_one("SELECT id FROM departments WHERE name = $1::text::citext", &[&name])?.get(0))
}

/// Sets user `user_id`'s roles and their administrator flag with them: holding the
/// Administrator role is being an administrator.
pub(super) fn set_roles(tx: &mut impl GenericClient, user_id: i64, roles: &[(i64, String)]) -> Result<()> {
    tx.execute("DELETE FROM user_roles WHERE user_id = $1", &[&user_id])?;
    for (id, _) in roles {
        tx.execute(
            "INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&user_id, id],
        )?;
    }
    let admin = roles.iter().any(|(_, n)| n == RoleName::ADMINISTRATOR);
    tx.execute("UPDATE users SET is_admin = $1 WHERE id = $2", &[&admin, &user_id])?;
    // Their own database role's privileges follow (an administrator's are all).
    let own: Option<String> = tx.query_one("SELECT db_role FROM users WHERE id = $1", &[&user_id])?.get(0);
    if let Some(role) = own {
        super::db_roles::grant(tx, &role, admin)?;
    }
    Ok(())
}

/// A user's rights facts as `c` reads them (inside a write too: a rule checks its mover's).
/// One statement, sent with its parameter's type (`query_typed`): every screen's read asks
/// first, and four statements prepared, run and closed were a dozen round trips to the server.
pub(crate) fn facts_in(c: &mut impl GenericClient, user_id: i64) -> Result<RightsFacts> {
    let row = c.query_typed_one(
        "SELECT (SELECT active FROM users WHERE id = $1), (SELECT is_admin FROM users WHERE id = $1), \
                g.roles, g.subjects, g.actions, g.levels, m.ids, m.departments, d.ids, d.parents \
         FROM (SELECT array_agg(ur.role_id ORDER BY ur.role_id, g.subject, g.action) AS roles, array_agg(g.subject::text ORDER BY ur.role_id, g.subject, g.action) AS subjects, \
                      array_agg(g.action::text ORDER BY ur.role_id, g.subject, g.action) AS actions, array_agg(g.level::text ORDER BY ur.role_id, g.subject, g.action) AS levels \
                 FROM user_roles ur JOIN role_grants g ON g.role_id = ur.role_id WHERE ur.user_id = $1) g, \
              (SELECT array_agg(id) AS ids, array_agg(department_id) AS departments FROM users) m, \
              (SELECT array_agg(id) AS ids, array_agg(parent_id) AS parents FROM departments) d",
        &[(&user_id, super::INT8)],
    )?;
    let active: Option<bool> = row.try_get(0)?;
    let is_admin: Option<bool> = row.try_get(1)?;
    let list = |i: usize| -> Result<Vec<String>> { Ok(row.try_get::<_, Option<Vec<String>>>(i)?.unwrap_or_default()) };
    let role_ids: Vec<i64> = row.try_get::<_, Option<Vec<i64>>>(2)?.unwrap_or_default();
    let (subjects, actions, levels) = (list(3)?, list(4)?, list(5)?);
    let mut roles: Vec<(i64, Grants)> = Vec::new();
    for (((role, s), a), l) in role_ids.into_iter().zip(subjects).zip(actions).zip(levels) {
        if roles.last().is_none_or(|(id, _)| *id != role) {
            roles.push((role, Grants::default()));
        }
        if let (Some(s), Some(a), Some(l), Some((_, g))) =
            (Subject::parse(&s), Action::parse(&a), Level::parse(&l), roles.last_mut())
        {
            g.set(s, a, l);
        }
    }
    let ids: Vec<i64> = row.try_get::<_, Option<Vec<i64>>>(6)?.unwrap_or_default();
    let in_department: Vec<Option<i64>> = row.try_get::<_, Option<Vec<Option<i64>>>>(7)?.unwrap_or_default();
    let members = ids.into_iter().zip(in_department).map(|(id, department)| Member { id, department }).collect();
    let ids: Vec<i64> = row.try_get::<_, Option<Vec<i64>>>(8)?.unwrap_or_default();
    let parents: Vec<Option<i64>> = row.try_get::<_, Option<Vec<Option<i64>>>>(9)?.unwrap_or_default();
    Ok(RightsFacts {
        active: active.unwrap_or(false),
        is_admin: is_admin.unwrap_or(false),
        roles: roles.into_iter().map(|(_, g)| g).collect(),
        team: Team { members, departments: ids.into_iter().zip(parents).collect() },
    })
}

impl Roles for Store {
    fn rights_facts(&self, user_id: i64) -> Result<RightsFacts> {
        self.reading(|s| facts_in(&mut *s.client(), user_id))
    }

    fn roles(&self) -> Result<Vec<RoleRow>> {
        self.reading(|s| {
            let mut c = s.client();
            let names = role_names(&mut *c)?;
            names.into_iter().map(|(id, name)| role_row(&mut *c, id, name)).collect()
        })
    }

    fn add_role(&mut self, name: &str, like: Option<&str>) -> Result<RoleRow> {
        let name = rules::new_role_name(name)?;
        self.write(|tx, _| {
            let known = role_names(tx)?;
            rules::refuse_taken(&name, &known)?;
            let grants = match like {
                Some(l) => grants_of(tx, rules::resolve(l, &known)?.0)?,
                None => Grants::default(),
            };
            let id: i64 = tx.query_one("INSERT INTO roles (name) VALUES ($1) RETURNING id", &[&name])?.get(0);
            write_grants(tx, id, &grants)?;
            role_row(tx, id, name.clone())
        })
    }

    fn delete_role(&mut self, name: &str) -> Result<()> {
        self.write(|tx, _| {
            let (id, stored) = resolve_role(tx, name)?;
            let row = role_row(tx, id, stored)?;
            rules::refuse_held(&row)?;
            tx.execute("DELETE FROM roles WHERE id = $1", &[&id])?;
            Ok(())
        })
    }

    fn set_level(&mut self, role: &str, subject: Subject, action: Action, level: Level) -> Result<RoleRow> {
        self.write(|tx, _| {
            let (id, stored) = resolve_role(tx, role)?;
            rules::refuse_administrator_change(&stored)?;
            tx.execute(
                "INSERT INTO role_grants (role_id, subject, action, level) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (role_id, subject, action) DO UPDATE SET level = excluded.level",
                &[&id, &subject.code(), &action.code(), &level.code()],
            )?;
            role_row(tx, id, stored.clone())
        })
    }

    fn departments(&self) -> Result<Vec<DepartmentRow>> {
        department_rows(&mut *self.client()).map_err(|e| self.fill_path(e))
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
            tx.execute(
                "INSERT INTO departments (name, parent_id) VALUES ($1::text::citext, $2)",
                &[&name, &parent_id],
            )?;
            let rows = department_rows(tx)?;
            rules::resolve_department(&name, &rows).cloned()
        })
    }
}
