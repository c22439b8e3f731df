//! Stage semantics (Bitrix "statuses"): in progress, success, failure, and the order rule that
//! keeps them in that sequence.

use super::error::{FieldError, Problem};
use serde::{Deserialize, Serialize};

/// What reaching a stage means for the record in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum StageSemantics {
    /// Work goes on; these stages come first.
    InProgress,
    /// The one good end (Converted, Won); opens the conversion wizard for leads.
    Success,
    /// A bad end (Junk, Lost); asks for an optional reason.
    Failure,
}

impl StageSemantics {
    /// Stored and typed form.
    pub fn code(self) -> &'static str {
        match self {
            StageSemantics::InProgress => "in_progress",
            StageSemantics::Success => "success",
            StageSemantics::Failure => "failure",
        }
    }

    /// Parses the stored/typed form (also `progress`).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "in_progress" | "progress" | "in-progress" => Some(Self::InProgress),
            "success" => Some(Self::Success),
            "failure" | "fail" => Some(Self::Failure),
            _ => None,
        }
    }

    /// A final stage ends the work: its open activities get completed (SPEC L4).
    pub fn is_final(self) -> bool {
        self != StageSemantics::InProgress
    }

    /// Sort rank: in-progress stages, then success, then failures.
    fn rank(self) -> u8 {
        match self {
            StageSemantics::InProgress => 0,
            StageSemantics::Success => 1,
            StageSemantics::Failure => 2,
        }
    }
}

/// A stage as configured by the admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageDef {
    /// Stable code used by scripts (`NEW`, `JUNK`).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Colour as `#rrggbb`.
    pub color: String,
    /// What the stage means.
    pub semantics: StageSemantics,
}

/// Why an order of stages is not allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StageOrderError {
    /// No in-progress stage left: new records would have nowhere to start.
    NoInProgress,
    /// There must be exactly one success stage.
    SuccessCount(usize),
    /// An in-progress stage after success/failure, or success after a failure.
    OutOfOrder { code: String },
}

impl std::fmt::Display for StageOrderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoInProgress => write!(f, "at least one in-progress stage is needed"),
            Self::SuccessCount(n) => write!(f, "exactly one success stage is needed (found {n})"),
            Self::OutOfOrder { code } => write!(
                f,
                "stage {code} is out of order: in-progress stages come first, then the success stage, then failure stages"
            ),
        }
    }
}

/// Checks the order rule: in-progress stages first, then exactly one success, then failures.
pub fn check_order<'a>(stages: impl IntoIterator<Item = (&'a str, StageSemantics)>) -> Result<(), StageOrderError> {
    let mut last_rank = 0;
    let mut successes = 0;
    let mut progress = 0;
    for (code, sem) in stages {
        if sem.rank() < last_rank {
            return Err(StageOrderError::OutOfOrder { code: code.to_string() });
        }
        last_rank = sem.rank();
        match sem {
            StageSemantics::InProgress => progress += 1,
            StageSemantics::Success => successes += 1,
            StageSemantics::Failure => {}
        }
    }
    if progress == 0 {
        return Err(StageOrderError::NoInProgress);
    }
    if successes != 1 {
        return Err(StageOrderError::SuccessCount(successes));
    }
    Ok(())
}

/// Where a new stage of the given semantics goes when no position is asked for: at the end of
/// its own group.
pub fn default_insert_position(existing: &[StageSemantics], new: StageSemantics) -> usize {
    existing.iter().take_while(|s| s.rank() <= new.rank()).count()
}

/// A stage as a move sees it: enough to decide, whatever keeps the stages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StageAt<'a> {
    /// Its id in the file.
    pub id: i64,
    /// Display name (named in a refusal).
    pub name: &'a str,
    /// What reaching it means.
    pub semantics: StageSemantics,
}

/// What a stage move does (SPEC L4), decided before anything is written, so every engine
/// and the service apply the same rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MovePlan {
    /// Same stage: a success that writes nothing (no timeline entry, no new version).
    pub unchanged: bool,
    /// The reason to record: cleaned, trimmed, only for a failure stage.
    pub reason: Option<String>,
    /// The target is final: the record's open activities get completed.
    pub complete_activities: bool,
}

/// Plans the move of a record in stage `from` to `to`. A reason (cleaned of control
/// characters; blank counts as none) is only recorded for a failure stage: for any other it
/// is refused, naming the field `reason`, even when the stage does not change.
pub fn plan_move(from: i64, to: StageAt<'_>, reason: Option<&str>) -> Result<MovePlan, FieldError> {
    let reason = reason.map(super::text::clean_line);
    let reason = reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    if reason.is_some() && to.semantics != StageSemantics::Failure {
        return Err(FieldError::new("reason", Problem::refused("reason_not_failure", &[("stage", to.name)])));
    }
    let unchanged = to.id == from;
    Ok(MovePlan { unchanged, reason, complete_activities: !unchanged && to.semantics.is_final() })
}

fn def(code: &str, name: &str, color: &str, semantics: StageSemantics) -> StageDef {
    StageDef { code: code.into(), name: name.into(), color: color.into(), semantics }
}

/// Default lead stages (SPEC L2).
pub fn default_lead_stages() -> Vec<StageDef> {
    use StageSemantics::*;
    vec![
        def("NEW", "New", "#39a8ef", InProgress),
        def("IN_PROCESS", "In progress", "#2fc6f6", InProgress),
        def("PROCESSED", "Processed", "#55d0e0", InProgress),
        def("CONVERTED", "Converted", "#7bd500", Success),
        def("JUNK", "Junk", "#ff5752", Failure),
    ]
}

/// Default stages of a deal pipeline (SPEC E3).
pub fn default_deal_stages() -> Vec<StageDef> {
    use StageSemantics::*;
    vec![
        def("NEW", "New", "#39a8ef", InProgress),
        def("PREPARATION", "Preparation", "#2fc6f6", InProgress),
        def("PREPAYMENT_INVOICE", "Prepayment invoice", "#55d0e0", InProgress),
        def("EXECUTING", "Executing", "#47e4c2", InProgress),
        def("FINAL_INVOICE", "Final invoice", "#ffa900", InProgress),
        def("WON", "Won", "#7bd500", Success),
        def("LOSE", "Lost", "#ff5752", Failure),
        def("APOLOGY", "Analyse failure", "#ff8a7a", Failure),
    ]
}

/// Default lead sources (SPEC L3): code and English name.
pub fn default_sources() -> Vec<(&'static str, &'static str)> {
    vec![
        ("CALL", "Call"),
        ("EMAIL", "E-mail"),
        ("WEB", "Website"),
        ("ADVERTISING", "Advertising"),
        ("PARTNER", "Existing client"),
        ("RECOMMENDATION", "Recommendation"),
        ("TRADE_SHOW", "Trade show"),
        ("WEBFORM", "Web form"),
        ("CALLBACK", "Callback"),
        ("STORE", "Store"),
        ("OTHER", "Other"),
    ]
}

/// Turns a display name into a stage/source code: `Trade show` -> `TRADE_SHOW`.
pub fn code_from_name(name: &str) -> String {
    let mut code = String::new();
    for ch in name.trim().chars() {
        if ch.is_alphanumeric() {
            code.extend(ch.to_uppercase());
        } else if !code.ends_with('_') && !code.is_empty() {
            code.push('_');
        }
    }
    code.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use StageSemantics::*;

    fn at(id: i64, semantics: StageSemantics) -> StageAt<'static> {
        StageAt { id, name: "Target", semantics }
    }

    #[test]
    fn a_reason_only_for_failure_stages() {
        let plan = plan_move(1, at(2, Failure), Some("  too \u{7}expensive ")).unwrap();
        assert_eq!(plan.reason.as_deref(), Some("too expensive"));
        for sem in [InProgress, Success] {
            let e = plan_move(1, at(2, sem), Some("late")).unwrap_err();
            assert_eq!(e.field, "reason");
            assert!(
                matches!(&e.problem, Problem::Refused { key: "reason_not_failure", args } if args[0].1 == "Target"),
                "{e:?}"
            );
            // Even on the same stage, and a blank reason is none.
            assert_eq!(plan_move(2, at(2, sem), Some("late")).unwrap_err().field, "reason");
            assert_eq!(plan_move(1, at(2, sem), Some(" \t ")).unwrap().reason, None);
        }
    }

    #[test]
    fn a_final_stage_completes_activities_and_the_same_stage_changes_nothing() {
        assert!(plan_move(1, at(2, Success), None).unwrap().complete_activities);
        assert!(plan_move(1, at(2, Failure), Some("no")).unwrap().complete_activities);
        let plan = plan_move(1, at(2, InProgress), None).unwrap();
        assert!(!plan.complete_activities && !plan.unchanged);
        let same = plan_move(2, at(2, Success), None).unwrap();
        assert_eq!(same, MovePlan { unchanged: true, reason: None, complete_activities: false });
    }

    #[test]
    fn defaults_obey_the_order_rule() {
        for stages in [default_lead_stages(), default_deal_stages()] {
            check_order(stages.iter().map(|s| (s.code.as_str(), s.semantics))).unwrap();
        }
    }

    #[test]
    fn order_rule_refuses_bad_orders() {
        assert_eq!(
            check_order([("A", Success), ("B", InProgress)]),
            Err(StageOrderError::OutOfOrder { code: "B".into() })
        );
        assert_eq!(
            check_order([("A", InProgress), ("B", Failure), ("C", Success)]),
            Err(StageOrderError::OutOfOrder { code: "C".into() })
        );
        assert_eq!(check_order([("A", InProgress)]), Err(StageOrderError::SuccessCount(0)));
        assert_eq!(
            check_order([("A", InProgress), ("B", Success), ("C", Success)]),
            Err(StageOrderError::SuccessCount(2))
        );
        assert_eq!(check_order([("A", Success)]), Err(StageOrderError::NoInProgress));
    }

    #[test]
    fn new_stage_goes_to_the_end_of_its_group() {
        let s = [InProgress, InProgress, Success, Failure];
        assert_eq!(default_insert_position(&s, InProgress), 2);
        assert_eq!(default_insert_position(&s, Failure), 4);
    }

    #[test]
    fn codes_from_names() {
        assert_eq!(code_from_name("Trade show"), "TRADE_SHOW");
        assert_eq!(code_from_name("  Qualifié !"), "QUALIFIÉ");
        assert_eq!(code_from_name("Prise de contact"), "PRISE_DE_CONTACT");
    }
}
