//! Stage rules (issue 30, SPEC I7): listed by anyone, made and changed by administrators.
//! A rule is checked whole when it is made or changed (its stage, each condition as a list's
//! `--where` reads it, each user, field and value), so a rule never stored fails for a typo;
//! what can still fail when it runs (a user deactivated since, a field deleted) follows the
//! rule's `on_error`.

use super::{Result, Service};
use crate::domain::automation::{RuleAction, StageRule};
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::{Entity, FieldKind};
use crate::store::rule::AdminTask;
use crate::store::{Rule, StoreError};

/// Where a rule is set: the stage entered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleStage {
    /// Leads or deals.
    pub entity: Option<Entity>,
    /// The deal pipeline (default: the first).
    pub pipeline: Option<String>,
    /// The stage, by code or name.
    pub stage: String,
}

impl Service {
    /// Every stage rule (of one kind of record).
    pub fn stage_rules(&self, entity: Option<Entity>) -> Result<Vec<StageRule>> {
        self.engine.stage_rules(entity)
    }

    /// One rule by id.
    pub fn stage_rule(&self, id: i64) -> Result<StageRule> {
        self.stage_rules(None)?.into_iter().find(|r| r.id == id).ok_or(StoreError::Rule(Rule::NoSuchStageRule { id }))
    }

    /// Makes a rule on entering `at` (administrators only); returns it as kept.
    pub fn add_stage_rule(&mut self, at: &RuleStage, mut rule: StageRule) -> Result<StageRule> {
        self.require_admin(AdminTask::ChangeRules)?;
        let entity = at.entity.unwrap_or(Entity::Lead);
        rule.entity = entity;
        rule.stage_id = self.rule_stage(entity, at)?;
        self.check_rule(&rule)?;
        rule.id = self.engine.add_stage_rule(&rule)?;
        Ok(rule)
    }

    /// Replaces a rule (administrators only), checked as a new one is when its conditions or
    /// actions change: turning a rule off, or making it skip on error, is always possible,
    /// even for a rule that fails (a user deactivated since), so that it stops blocking moves.
    pub fn edit_stage_rule(&mut self, rule: &StageRule) -> Result<()> {
        self.require_admin(AdminTask::ChangeRules)?;
        let kept = self.stage_rule(rule.id)?;
        if kept.conditions != rule.conditions || kept.actions != rule.actions {
            self.check_rule(rule)?;
        } else if rule.name.trim().is_empty() {
            return Err(StoreError::Field(FieldError::new("name", Problem::Required)));
        }
        self.engine.edit_stage_rule(rule)
    }

    /// Whether `rule` hands records to the distribution queue while it is off (it then
    /// changes no one's records: the CLI and the TUI say so once it is saved).
    pub fn rule_queue_is_off(&self, rule: &StageRule) -> bool {
        rule.actions.iter().any(|a| matches!(a, RuleAction::Queue))
            && self.queue().is_ok_and(|q| q.mode == crate::domain::queue::QueueMode::Off)
    }

    /// Deletes a rule (administrators only).
    pub fn delete_stage_rule(&mut self, id: i64) -> Result<()> {
        self.require_admin(AdminTask::ChangeRules)?;
        self.engine.delete_stage_rule(id)
    }

    /// The name of the stage a rule is set on (a rule's default name says it, as the board
    /// does), refused naming the stages there are.
    pub fn rule_stage_name(&self, at: &RuleStage) -> Result<String> {
        let entity = at.entity.unwrap_or(Entity::Lead);
        let id = self.rule_stage(entity, at)?;
        let (_, stages) = self.engine.stages(entity, at.pipeline.as_deref())?;
        Ok(stages.into_iter().find(|s| s.stage.id == id).map(|s| s.stage.name).unwrap_or_default())
    }

    /// The id of the stage a rule is set on, refused naming the stages there are.
    fn rule_stage(&self, entity: Entity, at: &RuleStage) -> Result<i64> {
        if !entity.has_stages() {
            return Err(StoreError::Rule(Rule::NoStages { entity }));
        }
        let (_, stages) = self.engine.stages(entity, at.pipeline.as_deref())?;
        let typed = at.stage.trim().to_lowercase();
        stages
            .iter()
            .find(|s| s.stage.code.to_lowercase() == typed || s.stage.name.to_lowercase() == typed)
            .map(|s| s.stage.id)
            .ok_or_else(|| {
                let known = stages.iter().map(|s| s.stage.code.clone()).collect();
                StoreError::Field(FieldError::new(
                    "stage",
                    Problem::Unknown { what: "stage", value: at.stage.trim().to_string(), known },
                ))
            })
    }

    /// Refuses a rule that could not run: no name or action, a condition, a user, a field or
    /// a value that would not be taken.
    fn check_rule(&self, rule: &StageRule) -> Result<()> {
        let entity = rule.entity;
        if rule.name.trim().is_empty() {
            return Err(StoreError::Field(FieldError::new("name", Problem::Required)));
        }
        if rule.actions.is_empty() {
            return Err(StoreError::Field(FieldError::new("plan", Problem::refused("rule_no_action", &[]))));
        }
        let fields = self.custom_fields(Some(entity))?;
        let ctx = self.parse_context();
        let active_user = |field: &'static str, login: &str| -> Result<()> {
            let users = self.users()?;
            if users.iter().any(|u| u.active && u.login.eq_ignore_ascii_case(login.trim())) {
                return Ok(());
            }
            let known = users.iter().filter(|u| u.active).map(|u| u.login.clone()).collect();
            Err(StoreError::Field(FieldError::new(
                field,
                Problem::Unknown { what: "user", value: login.trim().to_string(), known },
            )))
        };
        for c in &rule.conditions {
            match crate::domain::automation::flag_condition(c) {
                // A source or a user, checked as a field set to it would be.
                Some((flag, value)) => self.check_set(entity, &fields, flag, &value, &active_user)?,
                None => {
                    crate::domain::field_filter::read_condition(c, entity, &fields, &ctx)?;
                }
            }
        }
        for action in &rule.actions {
            match action {
                RuleAction::Plan { subject, responsible, .. } => {
                    if subject.trim().is_empty() {
                        return Err(StoreError::Field(FieldError::new("subject", Problem::Required)));
                    }
                    if let Some(login) = responsible {
                        active_user("responsible", login)?;
                    }
                }
                RuleAction::Assign { to } => active_user("assign", to)?,
                // The queue's pick is made when the rule runs (no queue then: nobody new).
                RuleAction::Queue => {}
                RuleAction::MoveLinked { stage } => self.check_linked_stage(entity, stage)?,
                RuleAction::Comment { text } => {
                    if text.trim().is_empty() {
                        return Err(StoreError::Field(FieldError::new("comment", Problem::Required)));
                    }
                }
                RuleAction::Set { field, value } => self.check_set(entity, &fields, field, value, &active_user)?,
            }
        }
        Ok(())
    }

    /// A stage the linked records can be moved to: a lead stage for a deal's rule, a stage of
    /// some deal pipeline for a lead's.
    fn check_linked_stage(&self, entity: Entity, stage: &str) -> Result<()> {
        let other = if entity == Entity::Deal { Entity::Lead } else { Entity::Deal };
        let typed = stage.trim().to_lowercase();
        let mut known = Vec::new();
        // Leads have one pipeline; a deal may be in any.
        let names: Vec<Option<String>> = match other {
            Entity::Deal => self.pipelines(other)?.into_iter().map(|p| Some(p.name)).collect(),
            _ => vec![None],
        };
        for pipeline in names {
            let (_, stages) = self.engine.stages(other, pipeline.as_deref())?;
            if stages.iter().any(|s| s.stage.code.to_lowercase() == typed || s.stage.name.to_lowercase() == typed) {
                return Ok(());
            }
            known
                .extend(stages.iter().map(|s| s.stage.code.clone()).filter(|c| !known.contains(c)).collect::<Vec<_>>());
        }
        Err(StoreError::Field(FieldError::new(
            "move-linked",
            Problem::Unknown { what: "stage", value: stage.trim().to_string(), known },
        )))
    }

    /// A `--set FIELD=VALUE` checked as an edit would read it.
    fn check_set(
        &self,
        entity: Entity,
        fields: &[crate::domain::custom_field::CustomField],
        field: &str,
        value: &str,
        active_user: &dyn Fn(&'static str, &str) -> Result<()>,
    ) -> Result<()> {
        if let Some(own) = fields.iter().find(|f| f.code == field) {
            own.parse(value, &self.parse_context())?;
            return Ok(());
        }
        let Some(spec) = entity.field(field).filter(|s| s.editable && s.key != "stage") else {
            let mut known: Vec<String> =
                entity.fields().iter().filter(|f| f.editable && f.key != "stage").map(|f| f.key.to_string()).collect();
            known.extend(fields.iter().map(|f| f.code.clone()));
            return Err(StoreError::Field(FieldError::new(
                "set",
                Problem::Unknown { what: "field", value: field.to_string(), known },
            )));
        };
        match spec.kind {
            FieldKind::Ref(_) if spec.key == "responsible" => active_user("set", value),
            FieldKind::Ref(_) if spec.key == "source" => {
                let sources = self.sources()?;
                let typed = value.trim().to_lowercase();
                if sources.iter().any(|s| s.code.to_lowercase() == typed || s.name.to_lowercase() == typed) {
                    return Ok(());
                }
                let known = sources.iter().map(|s| s.code.clone()).collect();
                Err(StoreError::Field(FieldError::new(
                    "set",
                    Problem::Unknown { what: "source", value: value.trim().to_string(), known },
                )))
            }
            // Links to other records are checked when the rule runs.
            FieldKind::Ref(_) => Ok(()),
            _ => {
                crate::domain::fields::parse_value(spec, value, self.engine.options().currency)?;
                Ok(())
            }
        }
    }
}
