//! The rules of roles' and departments' names, the same for every engine: which role a typed
//! name means (English or French preset names too), what a new name may be, what may not be
//! deleted or changed. Engines read and write; these decide.

use super::{Result, StoreError};
use crate::domain::access::levels::{self, PRESETS};
use crate::domain::error::{FieldError, Problem};
use crate::store::users::{DepartmentRow, RoleRow};

/// What is known of a role's name.
pub struct RoleName;

impl RoleName {
    /// The role that makes its holders administrators.
    pub const ADMINISTRATOR: &'static str = "Administrator";

    /// Whether `name` is one of the four roles every file starts with.
    pub fn is_preset(name: &str) -> bool {
        PRESETS.contains(&name)
    }

    /// A role's name as shown in `lang` (a preset's translated; others as typed).
    pub fn shown(name: &str, lang: crate::i18n::Lang) -> String {
        if Self::is_preset(name) {
            crate::i18n::tr_in(lang, &format!("role_name.{}", name.to_lowercase()), &[])
        } else {
            name.to_string()
        }
    }
}

fn fold(text: &str) -> String {
    crate::domain::import::normalize_header(text)
}

/// The role `text` names among `known` (id, stored name): by name, case and accents aside,
/// or by a preset's English or French name.
pub fn resolve(text: &str, known: &[(i64, String)]) -> Result<(i64, String)> {
    let t = fold(text);
    let preset = levels::preset_named(text);
    known
        .iter()
        .find(|(_, n)| fold(n) == t)
        .or_else(|| preset.and_then(|p| known.iter().find(|(_, n)| n == p)))
        .cloned()
        .ok_or_else(|| {
            let names = known.iter().map(|(_, n)| n.clone()).collect();
            FieldError::new("role", Problem::Unknown { what: "role", value: text.trim().to_string(), known: names })
                .into()
        })
}

/// The roles a user is given from the names asked (`known`: every role's id and stored
/// name): Manager, or Administrator with `admin`, when none is asked; the Administrator
/// role added with `admin`; each once.
pub fn roles_named(names: &[String], admin: bool, known: &[(i64, String)]) -> Result<Vec<(i64, String)>> {
    let mut names: Vec<String> = names.to_vec();
    if names.is_empty() {
        names.push(if admin { RoleName::ADMINISTRATOR } else { "Manager" }.to_string());
    } else if admin {
        names.push(RoleName::ADMINISTRATOR.to_string());
    }
    let mut roles = Vec::new();
    for n in &names {
        let role = resolve(n, known)?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    Ok(roles)
}

/// A new role's or department's name: one line, not empty, 64 characters at most.
fn name_of(field: &'static str, text: &str) -> Result<String> {
    let name = crate::domain::text::clean_line(text).trim().to_string();
    if name.is_empty() {
        return Err(FieldError::new(field, Problem::Required).into());
    }
    if name.chars().count() > 64 {
        return Err(FieldError::new(field, Problem::TooLong { max: 64 }).into());
    }
    Ok(name)
}

/// A new role's name.
pub fn new_role_name(text: &str) -> Result<String> {
    name_of("role", text)
}

/// Refuses a new role whose name one of `known` has, or which names a preset in French.
pub fn refuse_taken(name: &str, known: &[(i64, String)]) -> Result<()> {
    if resolve(name, known).is_ok() {
        return Err(FieldError::new("role", Problem::refused("role_exists", &[("name", name)])).into());
    }
    Ok(())
}

/// Refuses deleting a role someone holds: they would be left with other rights than
/// intended. Their roles change first (`prospect user edit LOGIN --role …`).
pub fn refuse_held(role: &RoleRow) -> Result<()> {
    if role.name == RoleName::ADMINISTRATOR {
        return Err(FieldError::new("role", Problem::refused("administrator_role", &[])).into());
    }
    if !role.users.is_empty() {
        let users = role.users.join(", ");
        return Err(
            FieldError::new("role", Problem::refused("role_held", &[("name", &role.name), ("users", &users)])).into()
        );
    }
    Ok(())
}

/// The Administrator role's levels are every right and stay so: its holders administer the
/// file, which needs seeing all of it.
pub fn refuse_administrator_change(stored: &str) -> Result<()> {
    if stored == RoleName::ADMINISTRATOR {
        return Err(FieldError::new("role", Problem::refused("administrator_role", &[])).into());
    }
    Ok(())
}

/// A department's name.
pub fn department_name(text: &str) -> Result<String> {
    name_of("department", text)
}

/// Refuses a new department named like one of `known`.
pub fn refuse_department_taken(name: &str, known: &[DepartmentRow]) -> Result<()> {
    if known.iter().any(|d| fold(&d.name) == fold(name)) {
        return Err(FieldError::new("department", Problem::refused("department_exists", &[("name", name)])).into());
    }
    Ok(())
}

/// The department `text` names among `known`, case and accents aside.
pub fn resolve_department<'a>(text: &str, known: &'a [DepartmentRow]) -> Result<&'a DepartmentRow> {
    known.iter().find(|d| fold(&d.name) == fold(text)).ok_or_else(|| {
        let names = known.iter().map(|d| d.name.clone()).collect();
        StoreError::from(FieldError::new(
            "department",
            Problem::Unknown { what: "department", value: text.trim().to_string(), known: names },
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_is_named_in_english_or_french_and_a_new_name_must_be_free() {
        let known = vec![(1, "Administrator".to_string()), (2, "Head".to_string()), (5, "Stagiaires".to_string())];
        assert_eq!(resolve("responsable", &known).unwrap(), (2, "Head".to_string()));
        assert_eq!(resolve("stagiaires", &known).unwrap().0, 5);
        assert!(resolve("Observer", &known).is_err(), "a preset deleted is not found by its French name either");
        assert!(refuse_taken("Administrateur", &known).is_err());
        assert!(refuse_taken("Interns", &known).is_ok());
        assert!(new_role_name("  ").is_err());
        let held = RoleRow { id: 2, name: "Head".into(), preset: true, grants: vec![], users: vec!["carol".into()] };
        assert!(refuse_held(&held).is_err());
        assert!(refuse_held(&RoleRow { users: vec![], ..held }).is_ok());
        assert!(refuse_administrator_change("Administrator").is_err());
    }
}
