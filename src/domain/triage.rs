//! Triage's inbox (SPEC V6): what makes a lead unprocessed. A lead is unprocessed while it
//! sits in its pipeline's first stage with nothing planned, and is the user's or nobody's.
//! The store turns these conditions into its query (one place per engine); `holds` is the
//! same rule on a lead in memory.

use super::when::UnixMs;

/// One condition a lead meets to be unprocessed; all of `unprocessed` must hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unprocessed {
    /// It is in this stage: the lead pipeline's first one (nobody has worked on it yet).
    InStage(i64),
    /// Nothing is planned on it (no open activity).
    NothingPlanned,
    /// Its responsible is this user, or nobody (a "to all" queue's lead). `None`: nobody is
    /// signed in, so only nobody's leads.
    MineOrNobody(Option<i64>),
}

/// A lead as the rule looks at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeadState {
    /// Its stage.
    pub stage: i64,
    /// Its next open activity, if any.
    pub next_activity_at: Option<UnixMs>,
    /// Its responsible user, if any.
    pub responsible: Option<i64>,
}

/// The conditions of an unprocessed lead for user `me`, in a pipeline whose first stage is
/// `first_stage`.
pub fn unprocessed(first_stage: i64, me: Option<i64>) -> [Unprocessed; 3] {
    [Unprocessed::InStage(first_stage), Unprocessed::NothingPlanned, Unprocessed::MineOrNobody(me)]
}

impl Unprocessed {
    /// Whether `lead` meets this condition.
    pub fn holds(self, lead: &LeadState) -> bool {
        match self {
            Unprocessed::InStage(stage) => lead.stage == stage,
            Unprocessed::NothingPlanned => lead.next_activity_at.is_none(),
            Unprocessed::MineOrNobody(me) => lead.responsible.is_none() || (me.is_some() && lead.responsible == me),
        }
    }
}

/// Whether `lead` is unprocessed for user `me` (first stage `first_stage`).
pub fn is_unprocessed(lead: &LeadState, first_stage: i64, me: Option<i64>) -> bool {
    unprocessed(first_stage, me).iter().all(|c| c.holds(lead))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEW: i64 = 1;
    const ME: Option<i64> = Some(7);

    fn lead(stage: i64, next: Option<UnixMs>, responsible: Option<i64>) -> LeadState {
        LeadState { stage, next_activity_at: next, responsible }
    }

    #[test]
    fn a_new_lead_with_nothing_planned_mine_or_nobodys_is_unprocessed() {
        assert!(is_unprocessed(&lead(NEW, None, Some(7)), NEW, ME));
        assert!(is_unprocessed(&lead(NEW, None, None), NEW, ME));
        assert!(is_unprocessed(&lead(NEW, None, None), NEW, None));
    }

    #[test]
    fn a_moved_planned_or_someone_elses_lead_is_not() {
        assert!(!is_unprocessed(&lead(2, None, Some(7)), NEW, ME));
        assert!(!is_unprocessed(&lead(NEW, Some(1_000), Some(7)), NEW, ME));
        assert!(!is_unprocessed(&lead(NEW, None, Some(8)), NEW, ME));
        // Nobody signed in: someone's lead is not in the inbox.
        assert!(!is_unprocessed(&lead(NEW, None, Some(7)), NEW, None));
    }
}
