//! `prospect user`, `prospect role` and `prospect department`: the team and who may do what
//! (SPEC R1). Levels, actions, entities and preset roles are read in English or French.

use super::Session;
use super::admin::label;
use super::output;
use crate::domain::access::{Action, Level, Subject};
use crate::i18n::tr;
use crate::store::roles::RoleName;
use crate::store::users::{NewUser, RoleRow, UserChange};
use anyhow::bail;
use clap::{Args, Subcommand};
use serde_json::json;

/// `user add`.
#[derive(Args, Debug, Clone)]
pub struct UserAddArgs {
    /// Login (letters, digits, . _ - @).
    pub login: String,
    /// Name shown (default: the login).
    #[arg(long)]
    pub name: Option<String>,
    /// Department (created if new).
    #[arg(long)]
    pub department: Option<String>,
    /// A role (repeatable; default: Manager). English or French names: Administrator,
    /// Head (Responsable), Manager (Commercial), Observer (Observateur), or one of the file's.
    #[arg(long = "role")]
    pub roles: Vec<String>,
    /// Make the user an administrator (the Administrator role).
    #[arg(long)]
    pub admin: bool,
    /// On PostgreSQL: read the password of the user's own database role from the first line
    /// of standard input (without it the server's authentication rules decide).
    #[arg(long)]
    pub password_stdin: bool,
}

/// `user edit`.
#[derive(Args, Debug, Clone)]
pub struct UserEditArgs {
    /// Login.
    pub login: String,
    /// Their roles (repeatable): replaces the ones they hold.
    #[arg(long = "role")]
    pub roles: Vec<String>,
    /// Their department (created if new).
    #[arg(long, conflicts_with = "no_department")]
    pub department: Option<String>,
    /// Take them out of their department.
    #[arg(long)]
    pub no_department: bool,
    /// Name shown.
    #[arg(long)]
    pub name: Option<String>,
}

/// User commands.
#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Add a user (administrators only).
    Add(UserAddArgs),
    /// Change a user's roles, department or name (administrators only).
    Edit(UserEditArgs),
    /// List users.
    List,
    /// Mark a user inactive (administrators): they keep their records and may still read,
    /// but change nothing; queues skip them.
    Deactivate {
        /// Login.
        login: String,
    },
    /// Mark a user active again (administrators).
    Activate {
        /// Login.
        login: String,
    },
}

/// Role commands.
#[derive(Subcommand, Debug)]
pub enum RoleCmd {
    /// List roles and who holds them.
    List,
    /// A role's levels: for each entity and action, how far it reaches.
    Show {
        /// Role name.
        role: String,
    },
    /// Set one level of a role (administrators only).
    Set {
        /// Role name.
        role: String,
        /// lead, deal, contact, company or activity (French names too).
        #[arg(long)]
        entity: String,
        /// read, add, update, delete, export or import (French names too).
        #[arg(long)]
        action: String,
        /// none, own, department, subdepartments or all (French: aucun, personnel,
        /// département, sous-départements, tous).
        #[arg(long)]
        level: String,
    },
    /// Add a role, with the levels of another (`--like`) or none (administrators only).
    Add {
        /// Role name.
        name: String,
        /// Start from this role's levels.
        #[arg(long)]
        like: Option<String>,
    },
    /// Delete a role nobody holds (administrators only).
    Delete {
        /// Role name.
        role: String,
    },
}

/// Department commands.
#[derive(Subcommand, Debug)]
pub enum DepartmentCmd {
    /// List departments, their parent and users.
    List,
    /// Add a department (administrators only).
    Add {
        /// Name.
        name: String,
        /// The department it sits under.
        #[arg(long)]
        parent: Option<String>,
    },
}

/// Whether a team command writes.
pub fn writes_user(c: &UserCmd) -> bool {
    !matches!(c, UserCmd::List)
}

/// Whether a role command writes.
pub fn writes_role(c: &RoleCmd) -> bool {
    matches!(c, RoleCmd::Set { .. } | RoleCmd::Add { .. } | RoleCmd::Delete { .. })
}

/// Runs a user command.
pub fn run_user(s: &mut Session, c: UserCmd) -> anyhow::Result<()> {
    match &c {
        UserCmd::Add(a) => {
            if a.login.trim().is_empty() {
                bail!("login: is required");
            }
            s.store.add_user(&NewUser {
                login: a.login.clone(),
                display_name: a.name.clone(),
                department: a.department.clone(),
                admin: a.admin,
                roles: a.roles.clone(),
                password: if a.password_stdin { Some(password_line()?) } else { None },
            })?;
        }
        UserCmd::Edit(a) => {
            let change = UserChange {
                roles: (!a.roles.is_empty()).then(|| a.roles.clone()),
                department: if a.no_department { Some(None) } else { a.department.clone().map(Some) },
                display_name: a.name.clone(),
            };
            s.store.edit_user(&a.login, &change)?;
        }
        UserCmd::Deactivate { login } | UserCmd::Activate { login } => {
            s.store.set_user_active(login, matches!(c, UserCmd::Activate { .. }))?;
        }
        UserCmd::List => {}
    }
    let users = s.store.users()?;
    if s.json {
        output::json(&json!(users));
        return Ok(());
    }
    let lang = crate::i18n::lang();
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|u| {
            vec![
                u.login.clone(),
                u.display_name.clone(),
                u.department.clone().unwrap_or_default(),
                u.roles.iter().map(|r| RoleName::shown(r, lang)).collect::<Vec<_>>().join(", "),
                if u.is_admin { label("yes") } else { String::new() },
                if u.active { label("yes") } else { label("no") },
            ]
        })
        .collect();
    output::table(
        &[label("login"), label("name"), label("department"), label("roles"), label("admin"), label("active")],
        &rows,
    );
    Ok(())
}

/// The first line of standard input, without its end.
fn password_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let line = line.trim_end_matches(['\r', '\n']).to_string();
    if line.is_empty() {
        bail!("--password-stdin: standard input gave no password");
    }
    Ok(line)
}

fn parsed<T>(what: &str, text: &str, parse: impl Fn(&str) -> Option<T>, accepted: &str) -> anyhow::Result<T> {
    parse(text).ok_or_else(|| anyhow::anyhow!("--{what}: '{text}' is not one of: {accepted}"))
}

fn print_role(s: &Session, role: &RoleRow) {
    if s.json {
        output::json(&json!(role));
        return;
    }
    let lang = crate::i18n::lang();
    let sep = crate::i18n::tr_in(lang, "tl.sep", &[]);
    println!("{}{sep}{}", label("role"), output::safe(&RoleName::shown(&role.name, lang)));
    let mut head = vec![String::new()];
    head.extend(Action::ALL.iter().map(|a| tr(&format!("access.action.{}", a.code()), &[])));
    let rows: Vec<Vec<String>> = Subject::ALL
        .iter()
        .map(|subject| {
            let mut row = vec![tr(&format!("access.subjects.{}", subject.code()), &[])];
            for action in Action::ALL {
                let level = role.grants.iter().find(|g| g.subject == *subject && g.action == action);
                let level = level.map_or(Level::None, |g| g.level);
                row.push(tr(&format!("access.level.{}", level.code()), &[]));
            }
            row
        })
        .collect();
    output::table(&head, &rows);
    if !role.users.is_empty() {
        println!("{}{sep}{}", label("users"), role.users.join(", "));
    }
}

/// Runs a role command.
pub fn run_role(s: &mut Session, c: RoleCmd) -> anyhow::Result<()> {
    let row = match c {
        RoleCmd::List => {
            let roles = s.store.roles()?;
            if s.json {
                output::json(&json!(roles));
            } else {
                let lang = crate::i18n::lang();
                let rows: Vec<Vec<String>> =
                    roles.iter().map(|r| vec![RoleName::shown(&r.name, lang), r.users.join(", ")]).collect();
                output::table(&[label("role"), label("users")], &rows);
            }
            return Ok(());
        }
        RoleCmd::Show { role } => s.store.role(&role)?,
        RoleCmd::Set { role, entity, action, level } => {
            let subject = parsed("entity", &entity, Subject::parse, "lead, deal, contact, company, activity")?;
            let action = parsed("action", &action, Action::parse, "read, add, update, delete, export, import")?;
            let level = parsed("level", &level, Level::parse, "none, own, department, subdepartments, all")?;
            s.store.set_level(&role, subject, action, level)?
        }
        RoleCmd::Add { name, like } => s.store.add_role(&name, like.as_deref())?,
        RoleCmd::Delete { role } => {
            s.store.delete_role(&role)?;
            if s.json {
                output::json(&json!({"deleted": role}));
            } else {
                println!("{}", tr("msg.role_deleted", &[("name", &role)]));
            }
            return Ok(());
        }
    };
    print_role(s, &row);
    Ok(())
}

/// Runs a department command.
pub fn run_department(s: &mut Session, c: DepartmentCmd) -> anyhow::Result<()> {
    if let DepartmentCmd::Add { name, parent } = &c {
        s.store.add_department(name, parent.as_deref())?;
    }
    let rows = s.store.departments()?;
    if s.json {
        output::json(&json!(rows));
        return Ok(());
    }
    let table: Vec<Vec<String>> =
        rows.iter().map(|d| vec![d.name.clone(), d.parent.clone().unwrap_or_default(), d.users.join(", ")]).collect();
    output::table(&[label("department"), label("parent"), label("users")], &table);
    Ok(())
}
