//! Stage rules carried out inside the transaction of the move that sets them off, the same
//! way on both engines (`RuleTx` is what each engine lends): every move of an engine
//! (`move_in`: a board, a list's bulk move, the form, triage, the CLI, a conversion) runs the
//! enabled rules of the stage entered, in the order they were made. A rule whose conditions
//! do not hold does nothing. A failing action refuses the whole move (the rule's default:
//! nothing is written, the message names the rule) or, for a rule set to skip, takes back
//! what that rule wrote (a savepoint) and notes why on the timeline. Each rule that ran
//! leaves one timeline entry saying what it did.
//!
//! A rule that moves a linked record sets off that stage's rules inside the same move: a
//! `Chain` holds the rules running, so no rule runs again inside its own chain and no chain
//! goes deeper than `MAX_DEPTH` rules; where it stops, the timeline says so.
//!
//! Rules act with the rights of whoever set them off, the same on both engines (on
//! PostgreSQL row-level security would hold them to it anyway; here it is decided once, from
//! `domain::access::Rights`): the record moved is theirs to complete, and a hand-over (to a
//! user or the queue) by any rule of the stage takes effect after all of them, so each acts
//! while the record is still the mover's; a linked record moves only if the mover may
//! change it (one they do not see is left as it is); a new record its maker does not see
//! (the queue handed it out of their sight) runs no rules.

use crate::domain::access::{Action, Rights, Subject};
use crate::domain::activity::Priority;
use crate::domain::automation::{self, OnError, RuleAction, StageRule};
use crate::domain::custom_field::{CustomField, ParseContext};
use crate::domain::field_filter::read_condition;
use crate::domain::fields::Entity;
use crate::domain::queue::Pick;
use crate::domain::timeline::TimelineKind;
use crate::domain::when::UnixMs;
use crate::store::activities::NewActivity;
use crate::store::records::{ListFilter, RecordInput};
use crate::store::{RecordRef, Result, Rule, StoreError};
use serde_json::{Value, json};

/// A record as a rule's templates and defaults read it.
#[derive(Clone, Debug, Default)]
pub struct RecordWords {
    /// Its title.
    pub title: String,
    /// Its client: a lead's company or person, a deal's company or contact.
    pub client: Option<String>,
    /// Its responsible.
    pub responsible_id: Option<i64>,
}

/// SQL (over alias `t`, the record's table) of a record's title, client and responsible, the
/// same on both engines; the engine puts its own placeholder for the id in `{id}`.
pub(crate) fn words_sql(entity: Entity, id_placeholder: &str) -> String {
    let person =
        |a: &str| format!("nullif(trim(coalesce({a}.first_name, '') || ' ' || coalesce({a}.last_name, '')), '')");
    let client = match entity {
        Entity::Lead => format!("coalesce(nullif(t.company_title, ''), {})", person("t")),
        _ => format!(
            "coalesce((SELECT c.title FROM companies c WHERE c.id = t.company_id), \
             (SELECT {} FROM contacts p WHERE p.id = t.contact_id))",
            person("p")
        ),
    };
    format!(
        "SELECT coalesce(t.title, ''), {client}, t.responsible_id FROM {} t WHERE t.id = {id_placeholder}",
        entity.table()
    )
}

/// How a rule's typed conditions are read inside a move: the engine's currency and region,
/// the move's instant.
pub(crate) fn parse_context(
    currency: crate::domain::money::Currency,
    region: crate::domain::dedup::PhoneRegion,
    now: UnixMs,
) -> ParseContext {
    ParseContext { currency, region, local_instant: crate::store::custom_fields::local_instant, now: Some(now) }
}

/// What a new record sets off as it enters its first stage (each engine's `entered`): its
/// stage's rules, an intake's conversion in CRM simple mode. An import reads it once per
/// handful of rows (each engine's `on_entering`), so a file with neither pays nothing.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct OnEntering {
    /// Stage rules may run (some are enabled for this kind of record).
    pub rules: bool,
    /// A new lead becomes a deal (CRM simple mode).
    pub simple: bool,
}

/// Whether any enabled rule is set on a stage of this kind of record (`$1`/`?1`: its code).
pub(crate) const ANY_ENABLED_SQL: &str = "SELECT EXISTS (SELECT 1 FROM stage_rules r JOIN stages s ON s.id = r.stage_id \
     JOIN pipelines p ON p.id = s.pipeline_id WHERE r.enabled AND p.entity = $1)";

/// How many rules deep one move may set off others (a rule moving a linked record whose
/// stage has a rule moving another, …).
pub(crate) const MAX_DEPTH: usize = 4;

/// The rules running, outermost first, in one move's transaction.
#[derive(Debug, Default)]
pub(crate) struct Chain {
    running: Vec<i64>,
    /// The mover's rights and login, read once per move (`None` inside: nobody signed in).
    mover: Option<Option<(Rights, String)>>,
}

/// What an engine lends the rules inside a move's transaction.
pub(crate) trait RuleTx {
    /// The rules running in this move's chain.
    fn chain(&mut self) -> &mut Chain;
    /// The distribution queue's next pick (its last pick remembered, in this transaction).
    fn queue_pick(&mut self) -> Result<crate::domain::queue::Pick>;
    /// The records linked to this one that a rule moves: a deal's source lead, a lead's deals.
    fn linked(&mut self, entity: Entity, id: i64) -> Result<Vec<RecordRef>>;
    /// Moves a record to a stage (by code or name, in its pipeline) as any move would, its
    /// stage's rules run in this chain; `false`: it was there already.
    fn move_to(&mut self, target: RecordRef, stage: &str) -> Result<bool>;
    /// The enabled rules of a stage, oldest first.
    fn rules_of(&mut self, entity: Entity, stage_id: i64) -> Result<Vec<StageRule>>;
    /// The entity's fields of the team's own (conditions may name them).
    fn own_fields(&mut self, entity: Entity) -> Result<Vec<CustomField>>;
    /// How typed values are read (the file's currency, region, local time).
    fn parse_context(&mut self) -> Result<ParseContext>;
    /// Whether the record passes `filter` (its conditions), as a list would hold it.
    fn holds(&mut self, entity: Entity, id: i64, filter: &ListFilter) -> Result<bool>;
    /// The record's title, client and responsible.
    fn words(&mut self, entity: Entity, id: i64) -> Result<RecordWords>;
    /// The id of an active user, by login.
    fn active_user(&mut self, login: &str) -> Result<Option<i64>>;
    /// The rights of the user whose move set the rules off, read in this transaction, with
    /// their login (`None`: no one is signed in, as in file maintenance: every right).
    fn mover(&mut self) -> Result<Option<(Rights, String)>>;
    /// Plans an activity (its own timeline entry included).
    fn plan(&mut self, activity: &NewActivity) -> Result<i64>;
    /// Edits the record as a person's edit would (fields checked, history written); its
    /// version after.
    fn edit(&mut self, entity: Entity, id: i64, input: &RecordInput) -> Result<i64>;
    /// Appends a timeline entry.
    fn note(&mut self, entity: Entity, id: i64, kind: TimelineKind, payload: Value) -> Result<()>;
    /// Now, as the move is stamped.
    fn now(&self) -> UnixMs;
    /// Starts, takes back, or keeps what one rule writes.
    fn savepoint(&mut self, step: Savepoint) -> Result<()>;
}

/// The SQL of a savepoint's step, the same on both engines.
pub(crate) fn savepoint_sql(step: Savepoint) -> &'static str {
    match step {
        Savepoint::Begin => "SAVEPOINT stage_rule",
        Savepoint::Keep => "RELEASE SAVEPOINT stage_rule",
        Savepoint::Undo => "ROLLBACK TO SAVEPOINT stage_rule; RELEASE SAVEPOINT stage_rule",
    }
}

/// A step of a rule's savepoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Savepoint {
    /// Before the rule's first action.
    Begin,
    /// Its actions stand.
    Keep,
    /// Its actions are taken back.
    Undo,
}

/// What the rules of a stage did to the record that entered it.
#[derive(Debug, Default)]
pub(crate) struct RulesRan {
    /// The record's version after their edits (`None`: they edited nothing). Counted here,
    /// not read back: once a rule hands the record to someone else, a restricted mover's
    /// connection (row-level security on PostgreSQL) may no longer read it.
    pub version: Option<i64>,
    /// The names of those that ran.
    pub names: Vec<String>,
    /// Whom they handed the record to (`""`: nobody).
    pub handed_to: Option<String>,
}

/// Runs the rules of the stage a record just entered.
pub(crate) fn run(t: &mut impl RuleTx, entity: Entity, id: i64, stage_id: i64) -> Result<RulesRan> {
    let mut version = None;
    let mut names = Vec::new();
    let mut handed_to = None;
    let rules = t.rules_of(entity, stage_id)?;
    if rules.is_empty() || reach(t, RecordRef::new(entity, id))? == Reach::Hidden {
        return Ok(RulesRan::default());
    }
    // The hand-over the stage's rules settled on (the last one's), and the rule that made it.
    let mut handover: Option<(String, StageRule)> = None;
    for rule in rules {
        if !automation::applies(&rule, entity, stage_id) {
            continue;
        }
        // A rule inside its own chain (it moved a record whose rules moved this one back)
        // or a chain too deep stops here, and says so.
        let chain = &t.chain().running;
        let stopped = if chain.contains(&rule.id) {
            Some("loop")
        } else if chain.len() >= MAX_DEPTH {
            Some("depth")
        } else {
            None
        };
        if let Some(why) = stopped {
            let payload = json!({"rule": rule.name, "rule_id": rule.id, "stopped": why, "depth": MAX_DEPTH});
            t.note(entity, id, TimelineKind::RuleRan, payload)?;
            continue;
        }
        t.savepoint(Savepoint::Begin)?;
        t.chain().running.push(rule.id);
        let pending = handover.as_ref().map(|(to, _)| to.as_str());
        let applied = apply(t, &rule, entity, id, pending);
        t.chain().running.pop();
        match applied {
            Ok(None) => t.savepoint(Savepoint::Keep)?,
            Ok(Some(done)) => {
                let payload = json!({"rule": rule.name, "rule_id": rule.id, "done": done.said});
                t.note(entity, id, TimelineKind::RuleRan, payload)?;
                t.savepoint(Savepoint::Keep)?;
                version = done.version.or(version);
                if let Some(to) = done.handover {
                    handover = Some((to, rule.clone()));
                }
                names.push(rule.name.clone());
            }
            // The store failing (busy, a lost connection, a full disk) is no rule's failure:
            // the move fails as any write would, and may be tried again.
            Err(
                e @ (StoreError::Busy(_)
                | StoreError::Unreachable(..)
                | StoreError::DiskFull(_)
                | StoreError::ReadOnly(_)),
            ) => {
                return Err(e);
            }
            Err(e) => {
                let why = e.message(crate::i18n::lang());
                // Its savepoint is closed either way: a rule set off inside another's (a linked
                // move) must not leave one open for the outer rule's undo to land on.
                t.savepoint(Savepoint::Undo)?;
                if rule.on_error == OnError::Skip {
                    let payload = json!({"rule": rule.name, "rule_id": rule.id, "skipped": why});
                    t.note(entity, id, TimelineKind::RuleRan, payload)?;
                } else {
                    return Err(StoreError::Rule(Rule::StageRuleFailed { rule: rule.name.clone(), why }));
                }
            }
        }
    }
    if let Some((to, rule)) = handover {
        // Refused, it fails as its rule says: the move is refused, or it is taken back and
        // noted, the record staying its mover's.
        let input = RecordInput { fields: vec![("responsible".into(), to.clone())], ..Default::default() };
        t.savepoint(Savepoint::Begin)?;
        match t.edit(entity, id, &input) {
            Ok(v) => {
                t.savepoint(Savepoint::Keep)?;
                version = Some(v);
                handed_to = Some(to);
            }
            Err(e) if e.is_refusal() => {
                t.savepoint(Savepoint::Undo)?;
                let why = e.message(crate::i18n::lang());
                if rule.on_error != OnError::Skip {
                    return Err(StoreError::Rule(Rule::StageRuleFailed { rule: rule.name, why }));
                }
                let payload = json!({"rule": rule.name, "rule_id": rule.id, "skipped": why});
                t.note(entity, id, TimelineKind::RuleRan, payload)?;
            }
            Err(e) => {
                t.savepoint(Savepoint::Undo)?;
                return Err(e);
            }
        }
    }
    Ok(RulesRan { version, names, handed_to })
}

/// The rights a user's facts give them, as the service makes them (`Service::rights`): the
/// one place an engine's transaction asks `domain::access`, for the rules it runs.
pub(crate) fn rights_of(user_id: i64, facts: &crate::store::users::RightsFacts) -> Rights {
    Rights::new(user_id, facts.is_admin, facts.active, &facts.roles, &facts.team)
}

/// How far the mover reaches a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    /// They do not see it.
    Hidden,
    /// They see it and may not change it.
    Seen,
    /// They may change it.
    Changed,
}

/// How far the mover reaches `record`, by the one rule of rights (`Rights::allows`); a record
/// their connection cannot read (row-level security) is hidden.
fn reach(t: &mut impl RuleTx, record: RecordRef) -> Result<Reach> {
    let responsible = match t.words(record.entity, record.id) {
        Ok(words) => words.responsible_id,
        Err(StoreError::NotFound { .. }) => return Ok(Reach::Hidden),
        Err(e) => return Err(e),
    };
    let Some((rights, _)) = mover(t)? else { return Ok(Reach::Changed) };
    let subject = Subject::from(record.entity);
    Ok(if !rights.allows(subject, Action::Read, responsible) {
        Reach::Hidden
    } else if !rights.allows(subject, Action::Update, responsible) {
        Reach::Seen
    } else {
        Reach::Changed
    })
}

/// The mover's rights and login, read once per move (`Chain` keeps them).
fn mover(t: &mut impl RuleTx) -> Result<Option<(Rights, String)>> {
    if t.chain().mover.is_none() {
        let read = t.mover()?;
        t.chain().mover = Some(read);
    }
    Ok(t.chain().mover.clone().flatten())
}

/// What a rule did: its actions as kept on the timeline (in no language: the timeline says
/// it in the reader's), the record's version after its last edit, and the login it hands the
/// record to (`""`: nobody), done after the stage's last rule.
struct Applied {
    said: Vec<Value>,
    version: Option<i64>,
    handover: Option<String>,
}

/// One rule on one record: `None` when its conditions do not hold. `pending`: the hand-over
/// an earlier rule of the stage settled on (an activity without its own responsible goes to
/// the record's next owner).
fn apply(
    t: &mut impl RuleTx,
    rule: &StageRule,
    entity: Entity,
    id: i64,
    pending: Option<&str>,
) -> Result<Option<Applied>> {
    if !rule.conditions.is_empty() {
        let fields = t.own_fields(entity)?;
        let ctx = t.parse_context()?;
        let mut filter = ListFilter { all_pipelines: true, ..Default::default() };
        for typed in &rule.conditions {
            match automation::flag_condition(typed) {
                Some(("source", value)) => filter.source = Some(value),
                Some((_, value)) => filter.responsible = Some(value),
                None => filter.fields.push(read_condition(typed, entity, &fields, &ctx)?),
            }
        }
        if !t.holds(entity, id, &filter)? {
            return Ok(None);
        }
    }
    let mut done = Vec::new();
    let mut version = None;
    // The record as it stood when the rule began (a hand-over waits for the stage's last rule).
    let words = t.words(entity, id)?;
    // Whom the rule hands the record to, settled first: an activity without its own
    // responsible goes to them (`""`: nobody; `None`: the responsible stays).
    let mut handover = None;
    for action in &rule.actions {
        match action {
            RuleAction::Assign { to } => {
                user(t, to)?;
                handover = Some(to.clone());
            }
            RuleAction::Queue => {
                handover = match t.queue_pick()? {
                    // No queue, or nobody active in it: the responsible stays.
                    Pick::Runner => handover,
                    Pick::Unassigned => Some(String::new()),
                    Pick::User(login) => Some(login),
                }
            }
            // Setting the responsible hands the record over too, last.
            RuleAction::Set { field, value } if is_responsible(field) => {
                if !value.trim().is_empty() {
                    user(t, value.trim())?;
                }
                handover = Some(value.trim().to_string());
            }
            _ => {}
        }
    }
    let next_owner = handover.as_deref().or(pending);
    for action in &rule.actions {
        match action {
            RuleAction::Plan { kind, subject, due_in, responsible } => {
                let responsible_id = match responsible.as_deref().or(next_owner) {
                    Some("") => None,
                    Some(login) => Some(user(t, login)?),
                    None => words.responsible_id,
                };
                let now = crate::domain::when::from_ms(t.now()).with_timezone(&chrono::Local);
                let subject = automation::fill(subject, &words.title, words.client.as_deref());
                let activity = NewActivity {
                    kind: *kind,
                    subject: subject.clone(),
                    deadline: automation::due_at(&now, *due_in),
                    duration_minutes: None,
                    priority: Priority::Medium,
                    responsible_id,
                    completed: false,
                    bindings: vec![RecordRef::new(entity, id)],
                };
                let activity_id = t.plan(&activity)?;
                done.push(json!({"action": "plan", "kind": kind.code(), "subject": subject, "activity": activity_id}));
            }
            RuleAction::Assign { to } => done.push(json!({"action": "assign", "to": to})),
            RuleAction::Queue => done.push(json!({"action": "queue", "to": handover})),
            RuleAction::MoveLinked { stage } => {
                // Those the mover does not see are left as they are, unsaid.
                let mut targets = Vec::new();
                for target in t.linked(entity, id)? {
                    match reach(t, target)? {
                        Reach::Hidden => {}
                        Reach::Seen => {
                            let login = mover(t)?.map(|(_, l)| l).unwrap_or_default();
                            return Err(StoreError::Rule(Rule::RuleMayNotChange { record: target, login }));
                        }
                        Reach::Changed => targets.push(target),
                    }
                }
                if targets.is_empty() {
                    done.push(json!({"action": "move_linked", "stage": stage, "none": true}));
                }
                for target in targets {
                    let moved = t.move_to(target, stage)?;
                    done.push(json!({
                        "action": "move_linked", "entity": target.entity.code(), "id": target.id,
                        "stage": stage, "moved": moved,
                    }));
                }
            }
            RuleAction::Comment { text } => {
                let text = automation::fill(text, &words.title, words.client.as_deref());
                t.note(entity, id, TimelineKind::Comment, json!({"text": text}))?;
                done.push(json!({"action": "comment", "text": text}));
            }
            RuleAction::Set { field, value } if is_responsible(field) => {
                done.push(json!({"action": "set", "field": "responsible", "value": value}));
            }
            RuleAction::Set { field, value } => {
                let input = RecordInput { fields: vec![(field.clone(), value.clone())], ..Default::default() };
                version = Some(t.edit(entity, id, &input)?);
                // A field of the team's own is named as its label (in French if it has one).
                let own = t.own_fields(entity)?.into_iter().find(|f| f.code == *field);
                let (label, label_fr) = own.map_or((None, None), |f| (Some(f.label), f.label_fr));
                done.push(
                    json!({"action": "set", "field": field, "value": value, "label": label, "label_fr": label_fr}),
                );
            }
        }
    }
    Ok(Some(Applied { said: done, version, handover }))
}

/// Whether a rule's `--set` names the responsible (a hand-over).
fn is_responsible(field: &str) -> bool {
    matches!(field.trim().to_lowercase().as_str(), "responsible" | "responsable")
}

/// An active user by login, or the rule's failure naming them.
fn user(t: &mut impl RuleTx, login: &str) -> Result<i64> {
    t.active_user(login)?.ok_or_else(|| StoreError::Rule(Rule::RuleUserGone { login: login.to_string() }))
}

/// A rule from its stored columns (both engines read the same ones).
#[allow(clippy::too_many_arguments)]
pub(crate) fn rule_from(
    id: i64,
    name: String,
    entity: &str,
    stage_id: i64,
    conditions: &str,
    actions: &str,
    on_error: &str,
    enabled: bool,
) -> Result<StageRule> {
    let broken = |what: &str, e: serde_json::Error| {
        StoreError::Rule(Rule::TimelineEntry { kind: format!("stage rule #{id} {what}"), detail: e.to_string() })
    };
    Ok(StageRule {
        id,
        name,
        entity: Entity::parse(entity).unwrap_or(Entity::Lead),
        stage_id,
        conditions: serde_json::from_str(conditions).map_err(|e| broken("conditions", e))?,
        actions: serde_json::from_str(actions).map_err(|e| broken("actions", e))?,
        on_error: if on_error == "skip" { OnError::Skip } else { OnError::Refuse },
        enabled,
    })
}

/// A rule's conditions and actions as kept (JSON arrays).
pub(crate) fn rule_to(rule: &StageRule) -> Result<(String, String)> {
    let json = |v: serde_json::Result<String>| {
        v.map_err(|e| StoreError::Rule(Rule::TimelineEntry { kind: "stage rule".into(), detail: e.to_string() }))
    };
    Ok((json(serde_json::to_string(&rule.conditions))?, json(serde_json::to_string(&rule.actions))?))
}
