//! Leads that come in by themselves: imports, e-mail intake, the distribution queue and
//! triage of unprocessed leads.

use super::Service;
use crate::domain::fields::Entity;
use crate::domain::intake::Message;
use crate::domain::queue::QueueMode;
use crate::domain::record::RecordRef;
use crate::store::intake::IntakeOutcome;
use crate::store::queue::QueueConfig;
use crate::store::triage::TriageItem;
use crate::store::{AdminTask, Result, Rule, StoreError};

impl Service {
    /// Takes one message in. `always_new` makes a lead even when the sender already has one.
    pub fn intake_email(&mut self, msg: &Message, always_new: bool) -> Result<IntakeOutcome> {
        // Intake makes leads and comments on the sender's: a writer who may add leads and
        // change every lead (the mailbox's account, typically an administrator).
        use crate::domain::access::{Action, Subject};
        self.require_any(Action::Add, Subject::Lead)?;
        self.require_all(Action::Update, Subject::Lead)?;
        self.require_intake_rights(None)?;
        // In CRM simple mode a message may go to the sender's open deal, whoever's it is.
        if !self.crm_mode()?.has_leads() {
            self.require_all(Action::Update, Subject::Deal)?;
        }
        self.engine.intake_email(msg, always_new)
    }

    /// The next lead to triage (`first` when it is given and still exists: an undone
    /// decision shows its lead again), or `None` when the inbox is clear.
    pub fn triage_next(&self, exclude: &[i64], first: Option<i64>) -> Result<Option<TriageItem>> {
        self.engine.triage_next(exclude, first, &self.sight()?)
    }

    /// The queue's configuration.
    pub fn queue(&self) -> Result<QueueConfig> {
        self.engine.queue()
    }

    /// Configures the queue (administrators): its mode and users in order, each of whom must
    /// be in the file.
    pub fn set_queue(&mut self, mode: QueueMode, users: &[String]) -> Result<QueueConfig> {
        self.require_admin(AdminTask::ConfigureQueue)?;
        self.engine.set_queue(mode, users)
    }

    /// Takes an unassigned lead ("to all" queue): the current user becomes responsible,
    /// unless someone took it first. The change goes through the normal update (version,
    /// timeline, change log).
    pub fn take_lead(&mut self, id: i64) -> Result<()> {
        // Taking is changing a lead nobody is responsible for: the level "own" reaches it.
        self.require_on(crate::domain::access::Action::Update, Entity::Lead, None)?;
        match self.engine.take_lead(id) {
            // Taken by someone whose leads this user may not see: who is not theirs to know.
            Err(StoreError::Rule(Rule::AlreadyTaken { id, .. }))
                if self.require_visible(RecordRef::new(Entity::Lead, id)).is_err() =>
            {
                let owner = crate::i18n::tr("access.someone", &[]);
                Err(StoreError::Rule(Rule::AlreadyTaken { id, owner }))
            }
            other => other,
        }
    }
}
