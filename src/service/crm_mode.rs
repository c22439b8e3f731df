//! CRM mode (SPEC L8, issue 30): read by anyone (the screens and commands follow it), set by
//! administrators. Switching to simple mode says what becomes of the leads still open:
//! each converted as an intake would be (`domain::crm_mode::intake_targets`), or kept
//! readable out of the screens; switching back to classic leaves every record as it is.

use super::{Result, Service};
use crate::domain::crm_mode::{CrmMode, KEY, OpenLeads};
use crate::domain::fields::Entity;
use crate::domain::stage::StageSemantics;
use crate::store::records::ListFilter;
use crate::store::rule::AdminTask;
use crate::store::{Rule, StoreError};

/// What a switch of mode did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ModeSwitch {
    /// The mode now.
    pub mode: String,
    /// Open leads converted: (lead, the deal it became).
    pub converted: Vec<(i64, Option<i64>)>,
    /// Open leads a conversion refused, with why (they stay open leads).
    pub refused: Vec<(i64, String)>,
    /// Open leads kept as they are.
    pub kept: usize,
}

impl Service {
    /// The team's CRM mode.
    pub fn crm_mode(&self) -> Result<CrmMode> {
        Ok(CrmMode::from_setting(self.engine.setting(KEY)?.as_deref()))
    }

    /// Sets the mode (administrators only). To simple mode with leads still open, `open`
    /// says what becomes of them; without it the switch is refused naming how many there
    /// are and the choices, and nothing changes.
    pub fn set_crm_mode(&mut self, mode: CrmMode, open: Option<OpenLeads>) -> Result<ModeSwitch> {
        self.require_admin(AdminTask::ChangeCrmMode)?;
        let mut done = ModeSwitch { mode: mode.code().into(), ..Default::default() };
        if mode == CrmMode::Simple && self.crm_mode()? == CrmMode::Classic {
            let filter = ListFilter {
                stage_kind: Some(StageSemantics::InProgress),
                limit: usize::MAX / 2,
                ..Default::default()
            };
            let leads: Vec<i64> =
                self.engine.list(Entity::Lead, &filter, &self.sight()?)?.iter().map(|r| r.id).collect();
            match (open, leads.is_empty()) {
                (_, true) => {}
                (None, false) => return Err(StoreError::Rule(Rule::OpenLeadsOnSwitch { count: leads.len() })),
                (Some(OpenLeads::Keep), false) => done.kept = leads.len(),
                (Some(OpenLeads::Convert), false) => {
                    let sight = self.sight()?;
                    for id in leads {
                        let lead = self.engine.get(crate::store::RecordRef::new(Entity::Lead, id), &sight)?;
                        match self.engine.convert_lead(id, &crate::store::convert::intake_plan(&lead)) {
                            Ok(c) => done.converted.push((id, c.deal.map(|d| d.id))),
                            // A lead the conversion refuses stays open, said; the store
                            // failing stops the switch (the mode is not changed).
                            Err(e) if e.is_refusal() => done.refused.push((id, e.message(self.engine.options().lang))),
                            Err(e) => return Err(e),
                        }
                    }
                }
            }
        }
        self.engine.set_setting(KEY, mode.code())?;
        Ok(done)
    }
}
