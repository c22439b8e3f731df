//! Conversion of a lead (SPEC L6) and merging of duplicates: what may be given with a
//! conversion is checked here (`domain::convert::check_given`) before anything is read.

use super::Service;
use crate::domain::access::Action;
use crate::domain::fields::Entity;
use crate::domain::record::RecordRef;
use crate::store::Result;
use crate::store::convert::{ConversionPlan, Converted};
use crate::store::merge::{MergeChoices, MergePreview, Merged};

impl Service {
    /// Converts a lead (SPEC L6): all or nothing.
    pub fn convert_lead(&mut self, lead_id: i64, plan: &ConversionPlan) -> Result<Converted> {
        // What may be given with the chosen targets is the input's own rule: refused before
        // anything is read.
        self.require(Action::Update, RecordRef::new(Entity::Lead, lead_id))?;
        // An existing contact or company linked receives the lead's phones and e-mails.
        if let Some(id) = plan.contact {
            self.require(Action::Update, RecordRef::new(Entity::Contact, id))?;
        }
        if let Some(id) = plan.company {
            self.require(Action::Update, RecordRef::new(Entity::Company, id))?;
        }
        let me = self.engine.user().map(|u| u.id);
        for (made, entity) in [
            (plan.targets.contact && plan.contact.is_none(), Entity::Contact),
            (plan.targets.company && plan.company.is_none(), Entity::Company),
            (plan.targets.deal, Entity::Deal),
        ] {
            if made {
                self.require_on(Action::Add, entity, me)?;
            }
        }
        crate::domain::convert::check_given(
            plan.targets,
            plan.contact.is_some(),
            plan.company.is_some(),
            plan.pipeline.is_some(),
        )?;
        self.engine.convert_lead(lead_id, plan)
    }

    /// The fields of the team's own a conversion by `plan` would lack (SPEC F2, L6): the
    /// lead's, required at its success stage, and the new deal's, required at its first stage
    /// and neither copied from the lead nor given in `plan.fill`; each with the stage that
    /// requires it. Read before the wizard's fields step, which asks for them; the conversion
    /// itself checks again, in its transaction.
    pub fn conversion_lacks(
        &self,
        lead_id: i64,
        plan: &ConversionPlan,
    ) -> Result<Vec<(Entity, crate::domain::custom_field::CustomField, String)>> {
        use crate::domain::convert::RequiringStage;
        use crate::domain::stage::StageSemantics;
        let lead = self.get(RecordRef::new(Entity::Lead, lead_id))?;
        let given: Vec<String> = plan.fill.iter().map(|(c, _)| c.clone()).collect();
        let order = |stages: &[crate::store::stages::StageCount]| -> Vec<(i64, bool)> {
            stages.iter().map(|s| (s.stage.id, s.stage.semantics == StageSemantics::Failure)).collect()
        };
        let (_, lead_stages) = self.engine.stages(Entity::Lead, None)?;
        let (lead_order, lead_fields) = (order(&lead_stages), self.engine.custom_fields(Some(Entity::Lead))?);
        let success = lead_stages.iter().find(|s| s.stage.semantics == StageSemantics::Success);
        let converted = success.map(|s| RequiringStage {
            id: s.stage.id,
            name: &s.stage.name,
            order: &lead_order,
            fields: &lead_fields,
        });
        let deal_stages =
            if plan.targets.deal { self.engine.stages(Entity::Deal, plan.pipeline.as_deref())?.1 } else { vec![] };
        let (deal_order, deal_fields) = (order(&deal_stages), self.engine.custom_fields(Some(Entity::Deal))?);
        let deal = deal_stages.first().map(|s| RequiringStage {
            id: s.stage.id,
            name: &s.stage.name,
            order: &deal_order,
            fields: &deal_fields,
        });
        let lacking = crate::domain::convert::conversion_lacks(&lead, converted, deal, &self.parse_context(), &given);
        Ok(lacking)
    }

    /// What merging `others` into `keep` would fill and which differing fields need a choice.
    pub fn merge_preview(&self, entity: Entity, keep: i64, others: &[i64]) -> Result<MergePreview> {
        self.require_visible_all(entity, keep, others)?;
        self.engine.merge_preview(entity, keep, others)
    }

    /// Merges `others` into `keep` (SPEC D2). Differing fields take the user's choice; a differing field with neither is refused and nothing is written.
    pub fn merge(
        &mut self,
        entity: Entity,
        keep: i64,
        others: &[i64],
        choices: &MergeChoices,
        expected_version: Option<i64>,
    ) -> Result<Merged> {
        self.require(Action::Update, RecordRef::new(entity, keep))?;
        others.iter().try_for_each(|id| self.require(Action::Delete, RecordRef::new(entity, *id)))?;
        self.engine.merge(entity, keep, others, choices, expected_version)
    }

    /// `require_visible` for the kept record and each merged one.
    fn require_visible_all(&self, entity: Entity, keep: i64, others: &[i64]) -> Result<()> {
        std::iter::once(keep)
            .chain(others.iter().copied())
            .try_for_each(|id| self.require_visible(RecordRef::new(entity, id)))
    }
}
