//! Form sections (SPEC F3): read by everyone, changed by administrators. The layout of each
//! kind of record is kept in the settings (`layout.<entity>`, JSON: `domain::layout`); a
//! field of the team's own keeps its section with its definition.

use super::Service;
use crate::domain::FieldError;
use crate::domain::fields::Entity;
use crate::domain::layout::{Layout, unknown_field};
use crate::store::{AdminTask, Result};

fn key(entity: Entity) -> String {
    format!("layout.{}", entity.code())
}

impl Service {
    /// How `entity`'s form is laid out.
    pub fn layout(&self, entity: Entity) -> Result<Layout> {
        Ok(Layout::read(self.engine.setting(&key(entity))?.as_deref()))
    }

    /// Changes `entity`'s layout by `change` (administrators only); nothing is kept when it
    /// refuses.
    pub fn change_layout(
        &mut self,
        entity: Entity,
        change: impl FnOnce(&mut Layout) -> std::result::Result<(), FieldError>,
    ) -> Result<Layout> {
        self.require_admin(AdminTask::ChangeFields)?;
        let mut layout = self.layout(entity)?;
        change(&mut layout)?;
        self.engine.set_setting(&key(entity), &layout.to_json())?;
        Ok(layout)
    }

    /// Moves a field (a built-in key or a custom code) into a section.
    pub fn move_field(&mut self, entity: Entity, field: &str, section: &str) -> Result<Layout> {
        let field = field.trim().to_lowercase();
        if entity.field(&field).is_some() {
            return self.change_layout(entity, |l| l.place(entity, &field, section));
        }
        let code = self.layout(entity)?.code_of(section)?;
        let mut custom = self.custom_field_named(entity, &field)?;
        custom.section = code;
        self.edit_custom_field(&custom)?;
        self.layout(entity)
    }

    /// Hides a field (or shows it again): its data stays, shown in the timeline and exports.
    pub fn hide_field(&mut self, entity: Entity, field: &str, hidden: bool) -> Result<Layout> {
        let field = field.trim().to_lowercase();
        match entity.field(&field) {
            // What a record cannot be without (a lead's title, a contact's last name) or is
            // moved by stays on the form.
            Some(spec) if hidden && (spec.required || !spec.editable || spec.key == "title") => {
                let refused = crate::domain::Problem::refused("field_not_hideable", &[("value", spec.key)]);
                return Err(FieldError::new("field", refused).into());
            }
            Some(_) => {}
            None => {
                self.custom_field_named(entity, &field)?;
            }
        }
        self.change_layout(entity, |l| {
            if hidden {
                l.hidden.insert(field);
            } else {
                l.hidden.remove(&field);
            }
            Ok(())
        })
    }

    /// Deletes a section of the team's own; its fields, built-in and custom, go to `to`.
    pub fn delete_section(&mut self, entity: Entity, code: &str, to: &str) -> Result<Layout> {
        let layout = self.layout(entity)?;
        let (code, to) = (layout.code_of(code)?, layout.code_of(to)?);
        let layout = self.change_layout(entity, |l| l.delete_section(&code, &to))?;
        for mut field in self.custom_fields(Some(entity))?.into_iter().filter(|f| f.section == code) {
            field.section = to.clone();
            self.edit_custom_field(&field)?;
        }
        Ok(layout)
    }

    /// The custom field of `entity` with code `code`; refused naming every field there is.
    fn custom_field_named(&self, entity: Entity, code: &str) -> Result<crate::domain::custom_field::CustomField> {
        let all = self.custom_fields(Some(entity))?;
        all.iter().find(|f| f.code == code).cloned().ok_or_else(|| unknown_field(entity, code, &all).into())
    }
}
