//! Fields of the team's own (SPEC F1): read by everyone, changed by administrators. Their
//! values go with the records (`Service::create`, `update`).

use super::Service;
use crate::domain::custom_field::{CustomField, ParseContext};
use crate::domain::fields::Entity;
use crate::domain::{FieldError, Problem};
use crate::store::{AdminTask, Result};

impl Service {
    /// The custom fields of `entity` (all: `None`), in order.
    pub fn custom_fields(&self, entity: Option<Entity>) -> Result<Vec<CustomField>> {
        self.engine.custom_fields(entity)
    }

    /// Adds a custom field (administrators only); its code must be free on the entity.
    pub fn add_custom_field(&mut self, field: &CustomField) -> Result<CustomField> {
        self.require_admin(AdminTask::ChangeFields)?;
        needs_options(field)?;
        self.engine.add_custom_field(field)
    }

    /// Changes a custom field's label, section, place, default, options, list column or
    /// required stages (administrators only); its code and type stay.
    pub fn edit_custom_field(&mut self, field: &CustomField) -> Result<CustomField> {
        self.require_admin(AdminTask::ChangeFields)?;
        needs_options(field)?;
        self.engine.edit_custom_field(field)
    }

    /// A default value as typed, in the stored form the field keeps (a bad one names the
    /// field and what it accepts).
    pub fn custom_default(&self, field: &CustomField, typed: &str) -> Result<Option<String>> {
        Ok(field.parse(typed, &self.parse_context())?)
    }

    /// What typed custom values are read with: the default currency and phone region, local
    /// time.
    pub fn parse_context(&self) -> ParseContext {
        let o = self.engine.options();
        ParseContext {
            currency: o.currency,
            region: o.region,
            local_instant: crate::store::custom_fields::local_instant,
            now: Some(self.now()),
        }
    }

    /// The stages a field is required from once `stage` (code or name, in `pipeline` for
    /// deals; empty: none) replaces that pipeline's: one per pipeline at most.
    pub fn required_from(
        &self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        current: &[i64],
    ) -> Result<Vec<i64>> {
        let (_, stages) = self.engine.stages(entity, pipeline)?;
        let mut kept: Vec<i64> =
            current.iter().copied().filter(|id| !stages.iter().any(|s| s.stage.id == *id)).collect();
        let typed = stage.trim();
        if typed.is_empty() {
            return Ok(kept);
        }
        let lower = typed.to_lowercase();
        let found = stages
            .iter()
            .find(|s| s.stage.code.to_lowercase() == lower || s.stage.name.to_lowercase() == lower)
            .ok_or_else(|| {
                let known = stages.iter().map(|s| s.stage.code.clone()).collect();
                FieldError::new("required-from", Problem::Unknown { what: "stage", value: typed.to_string(), known })
            })?;
        kept.push(found.stage.id);
        Ok(kept)
    }

    /// Stages' names by id (those that still exist).
    pub fn stage_names(&self, ids: &[i64]) -> Result<Vec<String>> {
        let mut names = Vec::new();
        for id in ids {
            if let Some(s) = self.engine.sibling_stages(*id)?.into_iter().find(|s| s.id == *id) {
                names.push(s.name);
            }
        }
        Ok(names)
    }

    /// Deletes a custom field (administrators only); one records hold values of only with
    /// `force`. Its values stay readable in the records' history. How many values went.
    pub fn delete_custom_field(&mut self, entity: Entity, code: &str, force: bool) -> Result<i64> {
        self.require_admin(AdminTask::ChangeFields)?;
        self.engine.delete_custom_field(entity, code, force)
    }
}

/// A list (single or multiple choice) without options takes nothing: refused.
fn needs_options(field: &CustomField) -> Result<()> {
    if field.kind.has_options() && field.options.is_empty() {
        return Err(FieldError::new("options", Problem::Required).into());
    }
    Ok(())
}
