//! Stage automation rules (SPEC I7, issue 30): on entering a stage, a rule runs its actions
//! (plan an activity, hand the record to someone, add a comment, set a field) when its
//! conditions hold. What a rule is, how its typed parts are read, and what it does to one
//! record live here; the engines only store rules and carry out `RulePlan`s inside the
//! move's own transaction (`store::rules`), so every path that moves a record runs them.

use super::activity::ActivityKind;
use super::error::{FieldError, Problem};
use super::fields::Entity;
use super::when::UnixMs;
use chrono::{DateTime, Datelike, TimeZone, Timelike, Weekday};
use serde::{Deserialize, Serialize};

/// A stage rule as kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRule {
    /// Id (never reused).
    pub id: i64,
    /// Name, as the timeline and refusals say it ("Call new leads").
    pub name: String,
    /// Leads or deals.
    pub entity: Entity,
    /// The stage whose entering sets it off (its pipeline is the stage's).
    pub stage_id: i64,
    /// Conditions on the record's fields, all to hold, as typed (`amount>=10000`,
    /// `source=WEB`): read again when the rule runs, as a list's `--where` is.
    pub conditions: Vec<String>,
    /// What it does, in order.
    pub actions: Vec<RuleAction>,
    /// What a failing action does to the move.
    pub on_error: OnError,
    /// Off: kept, not run.
    pub enabled: bool,
}

/// One thing a rule does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum RuleAction {
    /// Plans an activity on the record.
    Plan {
        /// Call, meeting, task or e-mail.
        kind: ActivityKind,
        /// Subject; `{title}` and `{client}` are the record's.
        subject: String,
        /// When it is due, from the move.
        due_in: Offset,
        /// Whose it is (a login); none: the record's responsible.
        responsible: Option<String>,
    },
    /// Hands the record to a user (a login).
    Assign {
        /// The user's login.
        to: String,
    },
    /// Hands the record to the distribution queue's next pick (SPEC I6), as a lead that
    /// arrives by itself is: round robin moves on, "to all" leaves it to nobody, no queue
    /// leaves it with whoever moved it.
    Queue,
    /// Moves the records linked to this one to a stage: a deal's source lead, or the deals
    /// made from a lead (the stage by code or name, in each deal's pipeline). That move runs
    /// its own stage's rules, within the chain's limits (`store::rules::Chain`).
    MoveLinked {
        /// The stage, by code or name.
        stage: String,
    },
    /// Adds a comment to the record's timeline.
    Comment {
        /// The text; `{title}` and `{client}` are the record's.
        text: String,
    },
    /// Sets a field (built-in or of the team's own) to a value, as an edit would.
    Set {
        /// The field's code.
        field: String,
        /// The value, as typed.
        value: String,
    },
}

/// A delay from the move: working days (Monday to Friday, same time of day) or hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Offset {
    /// Working days ahead, at the same time of day.
    WorkingDays(u32),
    /// Hours ahead.
    Hours(u32),
}

/// What a failing action does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnError {
    /// The move is refused, naming the rule and why: nothing is written.
    #[default]
    Refuse,
    /// The move goes on; the timeline notes the rule skipped and why.
    Skip,
}

impl OnError {
    /// Stored form.
    pub fn code(self) -> &'static str {
        match self {
            OnError::Refuse => "refuse",
            OnError::Skip => "skip",
        }
    }

    /// Reads `refuse` or `skip`.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        match text.trim().to_lowercase().as_str() {
            "refuse" | "refuser" => Ok(OnError::Refuse),
            "skip" | "ignorer" => Ok(OnError::Skip),
            _ => Err(FieldError::new(
                "on-error",
                Problem::Choice { value: text.trim().into(), accepted: vec!["refuse".into(), "skip".into()] },
            )),
        }
    }
}

/// A rule as typed (the CLI's flags, the TUI's form), read into a `StageRule` by `rule`: the
/// one reading of a rule's parts both front ends use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleDraft {
    /// Its name (empty: `default_name`).
    pub name: String,
    /// Conditions, as a list's `--where` takes them.
    pub when: Vec<String>,
    /// An activity kind to plan (empty: none).
    pub plan: String,
    /// The planned activity's subject.
    pub subject: String,
    /// Its delay (empty: one working day).
    pub due_in: String,
    /// Its responsible's login (empty: the record's responsible).
    pub responsible: String,
    /// A login to hand the record to, or `queue` for the distribution queue (empty: none).
    pub assign: String,
    /// A stage to move the linked records to (empty: none).
    pub move_linked: String,
    /// `FIELD=VALUE`s to set.
    pub sets: Vec<String>,
    /// A comment (empty: none).
    pub comment: String,
    /// `refuse` or `skip` (empty: refuse).
    pub on_error: String,
}

impl RuleDraft {
    /// The rule these typed parts make, on entering a stage of `entity` (its stage is the
    /// service's to find); `default_name` names a rule typed without one. Actions run in the
    /// order plan, set, comment, move the linked records, assign: the record is handed over
    /// last, once the others have read and written it (a restricted mover may no longer see
    /// it after).
    pub fn rule(&self, entity: Entity, default_name: &str) -> Result<StageRule, FieldError> {
        let filled = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
        let mut actions = Vec::new();
        if filled(&self.plan).is_none() && filled(&self.responsible).is_some() {
            // Whose activity, with no activity to plan: said, not dropped.
            return Err(FieldError::new("plan", Problem::Required));
        }
        if let Some(kind) = filled(&self.plan) {
            actions.push(RuleAction::Plan {
                kind: parse_kind(&kind)?,
                subject: filled(&self.subject).ok_or_else(|| FieldError::new("subject", Problem::Required))?,
                due_in: filled(&self.due_in).map(|d| parse_offset(&d)).transpose()?.unwrap_or(Offset::WorkingDays(1)),
                responsible: filled(&self.responsible),
            });
        }
        for set in self.sets.iter().filter(|s| !s.trim().is_empty()) {
            actions.push(parse_set(set)?);
        }
        if let Some(text) = filled(&self.comment) {
            actions.push(RuleAction::Comment { text });
        }
        if let Some(stage) = filled(&self.move_linked) {
            actions.push(RuleAction::MoveLinked { stage });
        }
        if let Some(to) = filled(&self.assign) {
            actions.push(if is_queue(&to) { RuleAction::Queue } else { RuleAction::Assign { to } });
        }
        Ok(StageRule {
            id: 0,
            name: filled(&self.name).unwrap_or_else(|| default_name.to_string()),
            entity,
            stage_id: 0,
            conditions: self.when.iter().filter_map(|w| filled(w)).collect(),
            actions,
            on_error: filled(&self.on_error).map(|o| OnError::parse(&o)).transpose()?.unwrap_or_default(),
            enabled: true,
        })
    }
}

impl RuleDraft {
    /// The typed parts of a rule made before (the TUI's form, to change it): the inverse of
    /// `rule`, so that saving it untouched gives the same rule.
    pub fn of(rule: &StageRule) -> RuleDraft {
        let mut d = RuleDraft {
            name: rule.name.clone(),
            when: rule.conditions.clone(),
            on_error: rule.on_error.code().to_string(),
            ..Default::default()
        };
        for action in &rule.actions {
            match action {
                RuleAction::Plan { kind, subject, due_in, responsible } => {
                    d.plan = kind.code().to_string();
                    d.subject = subject.clone();
                    d.due_in = match due_in {
                        Offset::WorkingDays(n) => format!("{n}d"),
                        Offset::Hours(n) => format!("{n}h"),
                    };
                    d.responsible = responsible.clone().unwrap_or_default();
                }
                RuleAction::Assign { to } => d.assign = to.clone(),
                RuleAction::Queue => d.assign = "queue".into(),
                RuleAction::MoveLinked { stage } => d.move_linked = stage.clone(),
                RuleAction::Set { field, value } => d.sets.push(format!("{field}={value}")),
                RuleAction::Comment { text } => d.comment = text.clone(),
            }
        }
        d
    }
}

/// A rule's condition on a reference a list filters by its own flag: `source=WEB` (a source
/// by code or name) or `responsible=bob` (a login), equality only: (`source` or
/// `responsible`, the value). Other conditions are a list's `--where`.
pub fn flag_condition(typed: &str) -> Option<(&'static str, String)> {
    let (field, value) = typed.split_once('=')?;
    let field = field.trim().to_lowercase();
    if field.ends_with(['!', '<', '>']) {
        return None;
    }
    let flag = match field.as_str() {
        "source" => "source",
        "responsible" | "responsable" => "responsible",
        _ => return None,
    };
    Some((flag, value.trim().to_string()))
}

/// Whether an `--assign` names the distribution queue rather than a user.
pub fn is_queue(typed: &str) -> bool {
    matches!(typed.trim().to_lowercase().as_str(), "queue" | "file" | "file d'attente")
}

/// Reads a delay: `1d` (one working day), `3d`, `4h`, `0h` (now).
pub fn parse_offset(text: &str) -> Result<Offset, FieldError> {
    let t = text.trim().to_lowercase();
    let bad = || FieldError::new("in", Problem::refused("rule_offset", &[("value", text.trim())]));
    let (number, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
    let n: u32 = number.parse().map_err(|_| bad())?;
    match unit.trim() {
        "d" | "j" if n <= 365 => Ok(Offset::WorkingDays(n)),
        "h" if n <= 24 * 365 => Ok(Offset::Hours(n)),
        _ => Err(bad()),
    }
}

/// Reads an activity kind as the CLI takes it.
pub fn parse_kind(text: &str) -> Result<ActivityKind, FieldError> {
    match text.trim().to_lowercase().as_str() {
        "call" | "appel" => Ok(ActivityKind::Call),
        "meeting" | "rendez-vous" | "réunion" => Ok(ActivityKind::Meeting),
        "task" | "tâche" | "tache" => Ok(ActivityKind::Task),
        "email" | "e-mail" | "mail" => Ok(ActivityKind::Email),
        _ => Err(FieldError::new(
            "plan",
            Problem::Choice {
                value: text.trim().into(),
                accepted: ["call", "meeting", "task", "email"].map(String::from).to_vec(),
            },
        )),
    }
}

/// Reads `FIELD=VALUE` of `--set`.
pub fn parse_set(text: &str) -> Result<RuleAction, FieldError> {
    match text.split_once('=') {
        Some((field, value)) if !field.trim().is_empty() => Ok(RuleAction::Set {
            field: field.trim().to_lowercase().replace('-', "_"),
            value: value.trim().to_string(),
        }),
        _ => Err(FieldError::new("set", Problem::refused("rule_set_shape", &[("value", text.trim())]))),
    }
}

/// When an activity planned `offset` after `now` is due: working days skip Saturday and
/// Sunday and keep the time of day (local), hours are hours.
pub fn due_at<Tz: TimeZone>(now: &DateTime<Tz>, offset: Offset) -> UnixMs {
    match offset {
        Offset::Hours(h) => now.timestamp_millis() + i64::from(h) * 3_600_000,
        Offset::WorkingDays(n) => {
            // Calendar days, not 24-hour steps, then the same wall-clock time on the day found.
            let mut day = now.date_naive();
            let mut left = n;
            while left > 0 {
                day = day.succ_opt().unwrap_or(day);
                if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                    left -= 1;
                }
            }
            super::agenda::at_local(&now.timezone(), day, now.hour(), now.minute()).timestamp_millis()
        }
    }
}

/// A subject or comment with `{title}` and `{client}` put in (the client: the record's
/// company or contact, else its title).
pub fn fill(template: &str, title: &str, client: Option<&str>) -> String {
    template.replace("{title}", title).replace("{client}", client.unwrap_or(title))
}

/// Whether a rule stands for the record's move: enabled, and for the stage entered.
pub fn applies(rule: &StageRule, entity: Entity, stage_id: i64) -> bool {
    rule.enabled && rule.entity == entity && rule.stage_id == stage_id
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Paris;

    #[test]
    fn a_rule_read_back_into_its_parts_saves_as_itself() {
        let typed = RuleDraft {
            name: "Hot".into(),
            when: vec!["amount>=10000".into()],
            plan: "meeting".into(),
            subject: "Meet {client}".into(),
            due_in: "4h".into(),
            responsible: "bob".into(),
            assign: "queue".into(),
            move_linked: "WON".into(),
            sets: vec!["priority=high".into(), "source=WEB".into()],
            comment: "hot".into(),
            on_error: "skip".into(),
        };
        let rule = typed.rule(Entity::Deal, "x").unwrap();
        let again = RuleDraft::of(&rule);
        assert_eq!(again, typed);
        assert_eq!(again.rule(Entity::Deal, "x").unwrap(), rule);
        let plain = RuleDraft { assign: "carol".into(), ..Default::default() }.rule(Entity::Lead, "y").unwrap();
        assert_eq!(RuleDraft::of(&plain).rule(Entity::Lead, "z").unwrap(), plain);
    }

    #[test]
    fn offsets_read_working_days_and_hours() {
        assert_eq!(parse_offset("1d"), Ok(Offset::WorkingDays(1)));
        assert_eq!(parse_offset(" 4h "), Ok(Offset::Hours(4)));
        assert_eq!(parse_offset("2j"), Ok(Offset::WorkingDays(2)));
        for bad in ["", "d", "1w", "-1d", "1.5d", "400d"] {
            assert!(parse_offset(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_working_day_after_friday_is_monday_at_the_same_time() {
        let friday = Paris.with_ymd_and_hms(2026, 12, 4, 15, 30, 0).unwrap();
        let monday = Paris.with_ymd_and_hms(2026, 12, 7, 15, 30, 0).unwrap();
        assert_eq!(due_at(&friday, Offset::WorkingDays(1)), monday.timestamp_millis());
        assert_eq!(due_at(&friday, Offset::Hours(4)), friday.timestamp_millis() + 4 * 3_600_000);
        // Across the end of summer time: still 15:30 on the wall.
        let before = Paris.with_ymd_and_hms(2026, 10, 23, 15, 30, 0).unwrap();
        let after = Paris.with_ymd_and_hms(2026, 10, 26, 15, 30, 0).unwrap();
        assert_eq!(due_at(&before, Offset::WorkingDays(1)), after.timestamp_millis());
    }

    #[test]
    fn templates_name_the_client_or_the_title() {
        assert_eq!(fill("Call {client}", "Fours", Some("Boulangerie Morel")), "Call Boulangerie Morel");
        assert_eq!(fill("Call {client} about {title}", "Fours", None), "Call Fours about Fours");
    }

    #[test]
    fn actions_keep_their_shape_as_json() {
        let a = RuleAction::Plan {
            kind: ActivityKind::Call,
            subject: "Call {client}".into(),
            due_in: Offset::WorkingDays(1),
            responsible: None,
        };
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(
            json,
            r#"{"action":"plan","kind":"call","subject":"Call {client}","due_in":{"working_days":1},"responsible":null}"#
        );
        assert_eq!(serde_json::from_str::<RuleAction>(&json).unwrap(), a);
        assert_eq!(
            parse_set("priority = high"),
            Ok(RuleAction::Set { field: "priority".into(), value: "high".into() })
        );
        assert!(parse_set("=x").is_err());
        assert_eq!(serde_json::to_string(&RuleAction::Queue).unwrap(), r#"{"action":"queue"}"#);
    }

    #[test]
    fn the_queue_and_a_linked_move_read_from_the_draft_in_order() {
        let draft = RuleDraft {
            assign: "Queue".into(),
            move_linked: "WON".into(),
            comment: "Handed over".into(),
            ..Default::default()
        };
        let rule = draft.rule(Entity::Lead, "Entering X").unwrap();
        assert_eq!(
            rule.actions,
            vec![
                RuleAction::Comment { text: "Handed over".into() },
                RuleAction::MoveLinked { stage: "WON".into() },
                RuleAction::Queue
            ]
        );
        let named = RuleDraft { assign: "bob".into(), ..Default::default() }.rule(Entity::Lead, "x").unwrap();
        assert_eq!(named.actions, vec![RuleAction::Assign { to: "bob".into() }]);
    }
}
