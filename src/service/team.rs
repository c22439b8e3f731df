//! The team (SPEC R1): roles and their levels, departments, and each user's roles and
//! department. Everyone may read them (a user may ask why they see what they see); only
//! administrators change them, and every change is seen by the rights at once.

use super::Service;
use crate::domain::access::{Action, Level, Subject};
use crate::store::users::{DepartmentRow, RoleRow, UserChange};
use crate::store::{AdminTask, Result};

impl Service {
    /// Every role with its levels and who holds it.
    pub fn roles(&self) -> Result<Vec<RoleRow>> {
        self.engine.roles()
    }

    /// One role by name (English or French preset names too).
    pub fn role(&self, name: &str) -> Result<RoleRow> {
        let roles = self.engine.roles()?;
        let known: Vec<(i64, String)> = roles.iter().map(|r| (r.id, r.name.clone())).collect();
        let (id, _) = crate::store::roles::resolve(name, &known)?;
        Ok(roles.into_iter().find(|r| r.id == id).expect("resolved among these roles"))
    }

    /// Adds a role with the levels of `like`, or none (administrators only).
    pub fn add_role(&mut self, name: &str, like: Option<&str>) -> Result<RoleRow> {
        self.require_admin(AdminTask::ChangeRoles)?;
        let row = self.engine.add_role(name, like);
        self.forget_rights();
        row
    }

    /// Deletes a role nobody holds (administrators only).
    pub fn delete_role(&mut self, name: &str) -> Result<()> {
        self.require_admin(AdminTask::ChangeRoles)?;
        let done = self.engine.delete_role(name);
        self.forget_rights();
        done
    }

    /// Sets one level of a role (administrators only); the Administrator role keeps `all`.
    pub fn set_level(&mut self, role: &str, subject: Subject, action: Action, level: Level) -> Result<RoleRow> {
        self.require_admin(AdminTask::ChangeRoles)?;
        let row = self.engine.set_level(role, subject, action, level);
        self.forget_rights();
        row
    }

    /// Every department with its parent and users.
    pub fn departments(&self) -> Result<Vec<DepartmentRow>> {
        self.engine.departments()
    }

    /// Adds a department, under `parent` if given (administrators only).
    pub fn add_department(&mut self, name: &str, parent: Option<&str>) -> Result<DepartmentRow> {
        self.require_admin(AdminTask::ChangeRoles)?;
        let row = self.engine.add_department(name, parent);
        self.forget_rights();
        row
    }

    /// Changes a user's roles, department or name (administrators only).
    pub fn edit_user(&mut self, login: &str, change: &UserChange) -> Result<()> {
        self.require_admin(AdminTask::ChangeUsers)?;
        let done = self.engine.edit_user(login, change);
        self.forget_rights();
        done
    }
}
