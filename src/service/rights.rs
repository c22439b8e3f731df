//! Enforcement of access rights (SPEC R2): every use case asks here, and only here, what the
//! signed-in user may see and do. The rules are `domain::access::Rights`; this module reads
//! their facts through the engine, keeps them a second (others' changes to roles reach an open
//! screen as their records do), and turns a refusal into one clear error.

use super::Service;
use crate::domain::access::{Action, Level, Rights, Sight, Subject, Visibility};
use crate::domain::fields::Entity;
use crate::domain::record::{Record, RecordRef, Shown};
use crate::store::{Result, Rule, StoreError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long read rights are kept before they are read again.
const RIGHTS_KEPT: Duration = Duration::from_secs(1);

/// The signed-in user's rights as last read, and when.
#[derive(Default)]
pub(super) struct RightsCache(std::sync::Mutex<Option<(Instant, Arc<Rights>)>>);

/// The responsible's user id of a record as read.
pub fn responsible_of(record: &Record) -> Option<i64> {
    match record.get("responsible") {
        Some(Shown::Ref(r)) => Some(r.id),
        _ => None,
    }
}

impl Service {
    /// The signed-in user's rights (`None` before sign-in: file maintenance, which sees all).
    pub fn rights(&self) -> Result<Option<Arc<Rights>>> {
        let Some(user) = self.engine.user() else { return Ok(None) };
        let mut kept = self.rights.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, r)) = kept.as_ref()
            && at.elapsed() < RIGHTS_KEPT
            && r.user_id == user.id
        {
            return Ok(Some(r.clone()));
        }
        let facts = self.engine.rights_facts(user.id)?;
        let rights = Arc::new(Rights::new(user.id, facts.is_admin, facts.active, &facts.roles, &facts.team));
        *kept = Some((Instant::now(), rights.clone()));
        Ok(Some(rights))
    }

    /// Forgets the rights read, after a change to roles, departments or users.
    pub(super) fn forget_rights(&self) {
        *self.rights.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// What the current user may see of each kind of record: the one access decision for
    /// reads, handed to every read of the engine, which applies it and decides nothing.
    /// Without a signed-in user (file maintenance), everything.
    pub fn sight(&self) -> Result<Sight> {
        self.sight_to(Action::Read)
    }

    /// What the current user may `action` (read, export) of each kind of record.
    pub fn sight_to(&self, action: Action) -> Result<Sight> {
        Ok(match self.rights()? {
            Some(r) => r.sight(action),
            None => Sight::everything(),
        })
    }

    /// Refuses, as not found, a record the current user may not see: a write to it must fail
    /// as a read of it would. Free while the user sees every record of its kind.
    pub fn require_visible(&self, record: RecordRef) -> Result<()> {
        let sight = self.sight()?;
        if *sight.of(record.entity) == Visibility::All {
            return Ok(());
        }
        // One statement, not the whole record read (a dozen on a server).
        match self.engine.seen_among(record.entity, &[record.id], &sight)?.as_slice() {
            [] => Err(StoreError::NotFound { entity: record.entity, id: record.id }),
            _ => Ok(()),
        }
    }

    /// Refuses a write by a deactivated user (they read, they change nothing).
    pub fn require_writer(&self) -> Result<()> {
        match (self.rights()?, self.engine.user()) {
            (Some(r), Some(u)) if !r.active => Err(StoreError::Rule(Rule::InactiveUser { login: u.login.clone() })),
            _ => Ok(()),
        }
    }

    /// Refuses `action` on `record` unless the user's level for it reaches the record: not
    /// found when they may not even see it, otherwise one line naming the action and the
    /// level it needs. Free for users whose level is `All`.
    pub fn require(&self, action: Action, record: RecordRef) -> Result<()> {
        self.require_writer()?;
        let Some(rights) = self.rights()? else { return Ok(()) };
        let subject = Subject::from(record.entity);
        if rights.level(subject, action) == Level::All && rights.level(subject, Action::Read) == Level::All {
            return Ok(());
        }
        let seen = self.engine.get(record, &rights.sight(Action::Read))?;
        self.require_on(action, record.entity, responsible_of(&seen))
    }

    /// Refuses `action` on a record of `entity` whose responsible is `responsible` (for
    /// `Add`: the responsible it would get) unless the user's level reaches it.
    pub fn require_on(&self, action: Action, entity: Entity, responsible: Option<i64>) -> Result<()> {
        self.require_subject(action, Subject::from(entity), responsible)
    }

    /// `require_on` for any subject (activities too).
    pub fn require_subject(&self, action: Action, subject: Subject, responsible: Option<i64>) -> Result<()> {
        self.require_reaching(action, subject, |r| r.needed(responsible))
    }

    /// Refuses `action` (import, export) on `subject` to a user whose level for it is none.
    pub fn require_any(&self, action: Action, subject: Subject) -> Result<()> {
        self.require_reaching(action, subject, |_| Level::Own)
    }

    /// Refuses `action` on `subject` unless the user's level for it is `All`: for what may
    /// touch anyone's records (intake, an import merging into matches, a calendar import
    /// updating activities by UID).
    pub fn require_all(&self, action: Action, subject: Subject) -> Result<()> {
        self.require_reaching(action, subject, |_| Level::All)
    }

    /// The one check behind the `require_*` above: a writer for a write, then the user's
    /// level for `action` on `subject` at least `needed` (and not none), else a refusal
    /// naming both levels.
    fn require_reaching(&self, action: Action, subject: Subject, needed: impl FnOnce(&Rights) -> Level) -> Result<()> {
        self.require_writer_for(action)?;
        let Some(rights) = self.rights()? else { return Ok(()) };
        let needed = needed(&rights);
        let granted = rights.level(subject, action);
        if granted != Level::None && granted >= needed {
            return Ok(());
        }
        Err(self.refusal(action, subject, needed, granted))
    }

    /// `Rule::NotAllowed` for the signed-in user.
    pub(super) fn refusal(&self, action: Action, subject: Subject, needed: Level, granted: Level) -> StoreError {
        let login = self.engine.user().map(|u| u.login.clone()).unwrap_or_default();
        StoreError::Rule(Rule::NotAllowed { action, subject, needed, granted, login })
    }

    fn require_writer_for(&self, action: Action) -> Result<()> {
        if matches!(action, Action::Read | Action::Export) { Ok(()) } else { self.require_writer() }
    }
}
