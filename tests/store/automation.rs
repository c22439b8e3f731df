//! Stage automation rules (issue 30, SPEC I7) on both engines: a rule runs its actions in the
//! move's own transaction, from every path that moves a record (a move, a move seen on a
//! screen, a move filling fields, a conversion) or makes one in its stage (by hand, from an
//! e-mail); its conditions choose the records; a failing rule
//! refuses the move and writes nothing, or, set to skip, takes back its own writes and says
//! so; a disabled rule does nothing; only administrators make rules.

use crate::{HOUR, NOW, TestEngine, create, stage_of, text_of};
use prospect::domain::activity::ActivityKind;
use prospect::domain::automation::{Offset, OnError, RuleAction, StageRule};
use prospect::domain::custom_field::{CustomField, FieldType};
use prospect::domain::fields::Entity;
use prospect::domain::stage::StageSemantics;
use prospect::service::RuleStage;
use prospect::store::activities::ActivityFilter;
use prospect::store::convert::ConversionPlan;
use prospect::store::{RecordRef, StoreError};

fn rule(name: &str, conditions: &[&str], actions: Vec<RuleAction>) -> StageRule {
    StageRule {
        id: 0,
        name: name.into(),
        entity: Entity::Lead,
        stage_id: 0,
        conditions: conditions.iter().map(|c| c.to_string()).collect(),
        actions,
        on_error: OnError::Refuse,
        enabled: true,
    }
}

fn at(entity: Entity, stage: &str) -> RuleStage {
    RuleStage { entity: Some(entity), pipeline: None, stage: stage.into() }
}

fn call(subject: &str) -> RuleAction {
    RuleAction::Plan {
        kind: ActivityKind::Call,
        subject: subject.into(),
        due_in: Offset::WorkingDays(1),
        responsible: None,
    }
}

/// The subjects and deadlines of a record's open activities.
fn planned(eng: &TestEngine, record: RecordRef) -> Vec<(String, i64)> {
    let f = ActivityFilter { record: Some(record), ..Default::default() };
    eng.activities(&f).unwrap().into_iter().map(|a| (a.subject, a.deadline)).collect()
}

/// The kinds of a record's timeline entries, newest first.
fn kinds(eng: &TestEngine, record: RecordRef) -> Vec<String> {
    eng.timeline(record, 50).unwrap().into_iter().map(|t| t.kind.code().to_string()).collect()
}

fn priority_field(eng: &mut TestEngine) {
    let mut f = CustomField { label: "Priority".into(), ..CustomField::new(Entity::Lead, "priority", FieldType::List) };
    f.options = vec!["low".into(), "normal".into(), "high".into()];
    eng.add_custom_field(&f).unwrap();
}

pub fn a_rule_plans_a_call_and_sets_a_field_when_a_lead_enters_its_stage(mut eng: TestEngine) {
    priority_field(&mut eng);
    let actions = vec![
        call("Call {client}"),
        RuleAction::Set { field: "priority".into(), value: "high".into() },
        RuleAction::Comment { text: "Qualify {title} this week".into() },
    ];
    let made = eng.add_stage_rule(&at(Entity::Lead, "IN_PROCESS"), rule("Call in progress", &[], actions)).unwrap();
    assert!(made.id > 0);
    let id = create(&mut eng, Entity::Lead, &[("title", "Fours"), ("company_title", "Boulangerie Morel")], &[]).id;
    let lead = RecordRef::new(Entity::Lead, id);
    assert!(planned(&eng, lead).is_empty(), "nothing before entering the stage");
    let moved = eng.move_stage(lead, "IN_PROCESS", None, None).unwrap();
    // 2026-11-23 is a Monday: one working day later, the same time on Tuesday.
    assert_eq!(planned(&eng, lead), [("Call Boulangerie Morel".to_string(), NOW + 24 * HOUR)]);
    assert_eq!(text_of(&eng, Entity::Lead, id, "priority"), "high");
    let k = kinds(&eng, lead);
    assert_eq!(k[0], "rule_ran", "{k:?}");
    assert!(k.contains(&"comment".to_string()) && k.contains(&"activity_planned".to_string()), "{k:?}");
    let entry = &eng.timeline(lead, 1).unwrap()[0];
    assert_eq!(entry.payload["rule"], "Call in progress");
    assert_eq!(entry.payload["done"][2]["text"], "Qualify Fours this week");
    // The move answers the record's version after the rule's edit: an edit made with it
    // goes through.
    assert_eq!(moved.version, eng.get(lead).unwrap().version);
    assert_eq!(moved.rules, ["Call in progress"], "the move says which rules ran");
    // Moving within the stage again runs nothing; leaving and entering again runs it again.
    eng.move_stage(lead, "IN_PROCESS", None, None).unwrap();
    assert_eq!(planned(&eng, lead).len(), 1);
    eng.move_stage(lead, "NEW", None, None).unwrap();
    eng.move_stage(lead, "IN_PROCESS", None, None).unwrap();
    assert_eq!(planned(&eng, lead).len(), 2);
}

pub fn conditions_choose_the_records_a_rule_runs_on(mut eng: TestEngine) {
    let big = rule("Big deals", &["amount>=10000"], vec![RuleAction::Comment { text: "Big one".into() }]);
    eng.add_stage_rule(&at(Entity::Deal, "PREPARATION"), StageRule { entity: Entity::Deal, ..big }).unwrap();
    let small = create(&mut eng, Entity::Deal, &[("title", "Small"), ("amount", "500")], &[]).id;
    let large = create(&mut eng, Entity::Deal, &[("title", "Large"), ("amount", "25000")], &[]).id;
    for id in [small, large] {
        eng.move_stage(RecordRef::new(Entity::Deal, id), "PREPARATION", None, None).unwrap();
    }
    assert!(!kinds(&eng, RecordRef::new(Entity::Deal, small)).contains(&"rule_ran".to_string()));
    assert_eq!(kinds(&eng, RecordRef::new(Entity::Deal, large))[0], "rule_ran");
    // A source and a user are conditions too (as a list's own flags filter them).
    let web = rule(
        "From the website",
        &["source=WEB", "responsible=alice"],
        vec![RuleAction::Comment { text: "Web".into() }],
    );
    eng.add_stage_rule(&at(Entity::Lead, "PROCESSED"), web).unwrap();
    let from_web = create(&mut eng, Entity::Lead, &[("title", "Web"), ("source", "WEB")], &[]).id;
    let by_phone = create(&mut eng, Entity::Lead, &[("title", "Phone"), ("source", "CALL")], &[]).id;
    for id in [from_web, by_phone] {
        eng.move_stage(RecordRef::new(Entity::Lead, id), "PROCESSED", None, None).unwrap();
    }
    assert_eq!(kinds(&eng, RecordRef::new(Entity::Lead, from_web))[0], "rule_ran");
    assert!(!kinds(&eng, RecordRef::new(Entity::Lead, by_phone)).contains(&"rule_ran".to_string()));
    let nowhere = rule("Nowhere", &["source=NOWHERE"], vec![RuleAction::Comment { text: "x".into() }]);
    let e = eng.add_stage_rule(&at(Entity::Lead, "PROCESSED"), nowhere).unwrap_err();
    assert!(e.to_string().contains("NOWHERE"), "{e}");
    // A condition that no field reads is refused when the rule is made, naming the field.
    let bad = rule("Bad", &["budget>5"], vec![RuleAction::Comment { text: "x".into() }]);
    let e =
        eng.add_stage_rule(&at(Entity::Deal, "PREPARATION"), StageRule { entity: Entity::Deal, ..bad }).unwrap_err();
    assert!(e.to_string().contains("budget"), "{e}");
    // So are a stage, a user, a field or a value that would not be taken, and a rule without
    // an action: nothing is kept.
    let comment = || vec![RuleAction::Comment { text: "x".into() }];
    assert!(eng.add_stage_rule(&at(Entity::Lead, "NOWHERE"), rule("S", &[], comment())).is_err());
    let to_nobody = vec![RuleAction::Assign { to: "nobody".into() }];
    assert!(eng.add_stage_rule(&at(Entity::Lead, "NEW"), rule("U", &[], to_nobody)).is_err());
    let bad_value = vec![RuleAction::Set { field: "amount".into(), value: "douze".into() }];
    assert!(eng.add_stage_rule(&at(Entity::Lead, "NEW"), rule("V", &[], bad_value)).is_err());
    assert!(eng.add_stage_rule(&at(Entity::Lead, "NEW"), rule("N", &[], vec![])).is_err());
    assert_eq!(eng.stage_rules(None).unwrap().len(), 2);
}

pub fn a_failing_rule_refuses_the_move_or_is_skipped_as_it_says(mut eng: TestEngine) {
    eng.session_as("bob", &["Manager"], None);
    let hand = vec![call("Call {title}"), RuleAction::Assign { to: "bob".into() }];
    let refusing = eng.add_stage_rule(&at(Entity::Lead, "IN_PROCESS"), rule("Hand to Bob", &[], hand)).unwrap();
    eng.set_user_active("bob", false).unwrap();
    let id = create(&mut eng, Entity::Lead, &[("title", "Salon")], &[]).id;
    let lead = RecordRef::new(Entity::Lead, id);
    let before = eng.get(lead).unwrap().version;
    let e = eng.move_stage(lead, "IN_PROCESS", None, None).unwrap_err();
    let said = e.message(prospect::i18n::Lang::En);
    assert!(matches!(e, StoreError::Rule(_)) && said.contains("Hand to Bob") && said.contains("bob"), "{said}");
    assert_eq!(stage_of(&eng, Entity::Lead, id), "NEW", "the move is taken back");
    assert!(planned(&eng, lead).is_empty(), "and the call the rule had planned");
    assert_eq!(eng.get(lead).unwrap().version, before);
    // Set to skip: the move goes on, the rule's own writes are taken back, the timeline says why.
    let mut skipping = eng.stage_rule(refusing.id).unwrap();
    skipping.on_error = OnError::Skip;
    // A rule that fails can always be made to skip (or turned off), to stop blocking moves;
    // changing what it does is checked whole: a deactivated user is refused.
    eng.edit_stage_rule(&skipping).unwrap();
    let mut other = skipping.clone();
    other.actions.push(RuleAction::Comment { text: "x".into() });
    assert!(eng.edit_stage_rule(&other).is_err());
    eng.move_stage(lead, "IN_PROCESS", None, None).unwrap();
    assert_eq!(stage_of(&eng, Entity::Lead, id), "IN_PROCESS");
    assert!(planned(&eng, lead).is_empty(), "the skipped rule's call is taken back");
    let entry = &eng.timeline(lead, 1).unwrap()[0];
    assert_eq!(entry.kind.code(), "rule_ran");
    assert!(entry.payload["skipped"].as_str().unwrap().contains("bob"), "{:?}", entry.payload);
    // Disabled, it does nothing at all.
    skipping.enabled = false;
    skipping.actions.pop();
    eng.edit_stage_rule(&skipping).unwrap();
    eng.move_stage(lead, "NEW", None, None).unwrap();
    eng.move_stage(lead, "IN_PROCESS", None, None).unwrap();
    assert_ne!(eng.timeline(lead, 1).unwrap()[0].kind.code(), "rule_ran");
    eng.delete_stage_rule(refusing.id).unwrap();
    assert!(eng.stage_rules(None).unwrap().is_empty());
    assert!(eng.delete_stage_rule(refusing.id).is_err(), "deleted once");
}

pub fn rules_run_on_every_path_that_moves_or_makes_a_record(mut eng: TestEngine) {
    let note = |name: &str| rule(name, &[], vec![RuleAction::Comment { text: format!("{name} ran") }]);
    eng.add_stage_rule(&at(Entity::Lead, "IN_PROCESS"), note("In progress")).unwrap();
    let (pipeline, stages) = eng.stages(Entity::Lead, None).unwrap();
    let success = stages.iter().find(|s| s.stage.semantics == StageSemantics::Success).unwrap();
    eng.add_stage_rule(&at(Entity::Lead, &success.stage.code), note("Converted")).unwrap();
    let ran = |eng: &TestEngine, id: i64, name: &str| {
        eng.timeline(RecordRef::new(Entity::Lead, id), 50).unwrap().iter().any(|t| t.payload["rule"] == name)
    };
    // A move from a screen that saw the record in its stage.
    let a = create(&mut eng, Entity::Lead, &[("title", "Seen")], &[]).id;
    let seen = match eng.get(RecordRef::new(Entity::Lead, a)).unwrap().get("stage") {
        Some(prospect::store::records::Shown::Ref(r)) => r.id,
        other => panic!("{other:?}"),
    };
    eng.move_seen(RecordRef::new(Entity::Lead, a), seen, "IN_PROCESS", None).unwrap();
    assert!(ran(&eng, a, "In progress"));
    // A move that fills a required field on the way.
    let b = create(&mut eng, Entity::Lead, &[("title", "Filled")], &[]).id;
    eng.move_filling(RecordRef::new(Entity::Lead, b), "IN_PROCESS", None, None, vec![]).unwrap();
    assert!(ran(&eng, b, "In progress"));
    // A conversion reaches the success stage.
    let c =
        create(&mut eng, Entity::Lead, &[("title", "Converted"), ("first_name", "Jean"), ("last_name", "Morel")], &[])
            .id;
    eng.convert_lead(c, &ConversionPlan::new(prospect::domain::convert::Targets::DEFAULT)).unwrap();
    assert!(ran(&eng, c, "Converted"), "{:?}", kinds(&eng, RecordRef::new(Entity::Lead, c)));
    assert!(pipeline.id > 0);
    // A lead made in a stage enters it: by hand, and from an e-mail.
    eng.add_stage_rule(&at(Entity::Lead, "NEW"), note("New")).unwrap();
    let d = create(&mut eng, Entity::Lead, &[("title", "By hand")], &[]).id;
    assert!(ran(&eng, d, "New"));
    let e = create(&mut eng, Entity::Lead, &[("title", "Straight in"), ("stage", "IN_PROCESS")], &[]).id;
    assert!(ran(&eng, e, "In progress") && !ran(&eng, e, "New"));
    let mail = prospect::domain::intake::Message {
        key: "rule-1".into(),
        from_name: Some("Hélène Dupré".into()),
        from_address: Some("helene@dupre.example".into()),
        subject: Some("Un devis".into()),
        body: "Bonjour".into(),
        date: Some(NOW - HOUR),
    };
    let prospect::store::intake::IntakeOutcome::Created { id: f, .. } = eng.intake_email(&mail, false).unwrap() else {
        panic!("no lead made")
    };
    assert!(ran(&eng, f, "New"));
    // An import with a stage column: each new lead enters its stage.
    let rows = [prospect::store::import::ImportRow::new(
        2,
        Ok(crate::input(&[("title", "Imported"), ("stage", "IN_PROCESS")])),
    )];
    let opts = prospect::store::import::ImportOptions::default();
    let report = eng.import(Entity::Lead, |from| rows[from.min(1)..].to_vec(), opts, |_| {}).unwrap();
    let imported = match report.rows.iter().next() {
        Some((_, prospect::store::import::RowOutcome::Created { id, .. })) => id,
        other => panic!("{other:?}"),
    };
    assert!(ran(&eng, imported, "In progress") && !ran(&eng, imported, "New"));
}

/// A rule that hands the record over: the move is answered the record's version after the
/// rule's edit; a rule that plans a call and hands the record over gives the call to the new
/// owner.
pub fn a_rule_hands_the_record_and_its_call_to_someone_else(mut eng: TestEngine) {
    eng.session_as("bob", &["Manager"], None);
    let mut carol = eng.session_as("carol", &["Manager"], None);
    let to_bob = vec![RuleAction::Assign { to: "bob".into() }];
    eng.add_stage_rule(&at(Entity::Lead, "IN_PROCESS"), rule("To Bob", &[], to_bob)).unwrap();
    let id = create(&mut carol, Entity::Lead, &[("title", "Vitrine")], &[]).id;
    let lead = RecordRef::new(Entity::Lead, id);
    let moved = eng.move_stage(lead, "IN_PROCESS", None, None).unwrap();
    assert_eq!(text_of(&eng, Entity::Lead, id, "responsible"), "bob");
    assert_eq!(moved.version, eng.get(lead).unwrap().version, "the version after the rule's edit");
    // Planned by an administrator's move: the call is the new owner's.
    let actions = vec![call("Call {title}"), RuleAction::Assign { to: "carol".into() }];
    eng.add_stage_rule(&at(Entity::Lead, "PROCESSED"), rule("Back to Carol", &[], actions)).unwrap();
    eng.move_stage(lead, "PROCESSED", None, None).unwrap();
    let f = ActivityFilter { record: Some(lead), ..Default::default() };
    let calls = eng.activities(&f).unwrap();
    assert_eq!(calls.iter().map(|a| a.responsible.as_deref()).collect::<Vec<_>>(), [Some("carol")]);
}

pub fn only_administrators_make_rules(mut eng: TestEngine) {
    let bob = eng.session_as("bob", &["Manager"], None);
    let mut bob = bob;
    let e = bob.add_stage_rule(&at(Entity::Lead, "NEW"), rule("Mine", &[], vec![])).unwrap_err();
    assert!(e.message(prospect::i18n::Lang::En).contains("stage rules"), "{e}");
    assert!(bob.stage_rules(None).unwrap().is_empty(), "reading them is anyone's");
}

/// A rule hands the record to the distribution queue: round robin goes on from its last
/// pick, "to all" leaves the record to nobody, no queue leaves the responsible as it is.
pub fn a_rule_hands_the_record_to_the_queue(mut eng: TestEngine) {
    use prospect::domain::queue::QueueMode;
    eng.add_users(&["bob", "carol"]);
    eng.set_queue(QueueMode::Even, &["bob".to_string(), "carol".to_string()]).unwrap();
    eng.add_stage_rule(&at(Entity::Lead, "IN_PROCESS"), rule("Queue", &[], vec![RuleAction::Queue])).unwrap();
    let mut owners = Vec::new();
    for title in ["One", "Two", "Three"] {
        let id = create(&mut eng, Entity::Lead, &[("title", title)], &[]).id;
        let moved = eng.move_stage(RecordRef::new(Entity::Lead, id), "IN_PROCESS", None, None).unwrap();
        assert_eq!(moved.version, eng.get(RecordRef::new(Entity::Lead, id)).unwrap().version);
        owners.push(text_of(&eng, Entity::Lead, id, "responsible"));
    }
    assert_eq!(owners, ["bob", "carol", "bob"]);
    let lead = |eng: &mut TestEngine, title: &str| {
        let id = create(eng, Entity::Lead, &[("title", title)], &[]).id;
        eng.move_stage(RecordRef::new(Entity::Lead, id), "IN_PROCESS", None, None).unwrap();
        id
    };
    eng.set_queue(QueueMode::ToAll, &[]).unwrap();
    let nobody = lead(&mut eng, "Nobody's");
    assert_eq!(text_of(&eng, Entity::Lead, nobody, "responsible"), "");
    eng.set_queue(QueueMode::Off, &[]).unwrap();
    let kept = lead(&mut eng, "Kept");
    assert_eq!(text_of(&eng, Entity::Lead, kept, "responsible"), "alice");
    let entry = &eng.timeline(RecordRef::new(Entity::Lead, kept), 1).unwrap()[0];
    assert_eq!(entry.payload["done"][0]["to"], serde_json::Value::Null, "{}", entry.payload);
}

/// A rule moves the linked records (a lead's deals, a deal's source lead), whose own stage
/// rules run in the same move; a rule never runs twice in one chain, and where the chain
/// stops the timeline says so. A linked move that fails refuses the whole move.
pub fn a_rule_moves_the_linked_records_and_a_chain_stops_where_it_loops(mut eng: TestEngine) {
    let lead = create(&mut eng, Entity::Lead, &[("title", "Linked")], &[]).id;
    let deal = create(&mut eng, Entity::Deal, &[("title", "From the lead"), ("lead", &lead.to_string())], &[]).id;
    let (l, d) = (RecordRef::new(Entity::Lead, lead), RecordRef::new(Entity::Deal, deal));
    let moving = |name: &str, entity: Entity, stage: &str| StageRule {
        entity,
        ..rule(name, &[], vec![RuleAction::MoveLinked { stage: stage.into() }])
    };
    // Lead in progress → its deal to preparation → the lead to processed → the deal to
    // executing → the lead back in progress, whose rule is already running: it stops there.
    eng.add_stage_rule(&at(Entity::Lead, "IN_PROCESS"), moving("A", Entity::Lead, "PREPARATION")).unwrap();
    eng.add_stage_rule(&at(Entity::Deal, "PREPARATION"), moving("B", Entity::Deal, "PROCESSED")).unwrap();
    eng.add_stage_rule(&at(Entity::Lead, "PROCESSED"), moving("C", Entity::Lead, "EXECUTING")).unwrap();
    eng.add_stage_rule(&at(Entity::Deal, "EXECUTING"), moving("D", Entity::Deal, "IN_PROCESS")).unwrap();
    let moved = eng.move_stage(l, "IN_PROCESS", None, None).unwrap();
    assert_eq!(stage_of(&eng, Entity::Deal, deal), "EXECUTING");
    assert_eq!(moved.version, eng.get(l).unwrap().version, "the version after the whole chain");
    assert_eq!(stage_of(&eng, Entity::Lead, lead), "IN_PROCESS");
    let notes = |eng: &TestEngine, what: &str| -> Vec<(String, String)> {
        eng.timeline(l, 50)
            .unwrap()
            .into_iter()
            .filter(|t| t.payload["stopped"] == what)
            .map(|t| (t.payload["rule"].as_str().unwrap_or("").to_string(), what.to_string()))
            .collect()
    };
    assert_eq!(notes(&eng, "loop"), [("A".to_string(), "loop".to_string())]);
    let b = eng.timeline(d, 50).unwrap().into_iter().find(|t| t.payload["rule"] == "B").unwrap();
    assert_eq!(b.payload["done"][0]["entity"], "lead");
    assert_eq!(b.payload["done"][0]["moved"], true);
    // A chain four rules deep stops any fifth rule, and says so: E, on the lead entering In
    // progress, runs where the lead is moved there by hand, not at the end of A-B-C-D.
    let note = vec![RuleAction::Comment { text: "E ran".into() }];
    eng.add_stage_rule(&at(Entity::Lead, "IN_PROCESS"), rule("E", &[], note)).unwrap();
    eng.move_stage(l, "NEW", None, None).unwrap();
    eng.move_stage(l, "IN_PROCESS", None, None).unwrap();
    assert_eq!(notes(&eng, "depth"), [("E".to_string(), "depth".to_string())]);
    assert_eq!(notes(&eng, "loop").len(), 2);
    let comments = eng.timeline(l, 80).unwrap().into_iter().filter(|t| t.payload["text"] == "E ran").count();
    assert_eq!(comments, 1);
    // A linked move whose own rule fails refuses the whole move: nothing is written, the
    // message names the rule that set it off.
    eng.session_as("eve", &["Manager"], None);
    let to_eve =
        StageRule { entity: Entity::Deal, ..rule("To Eve", &[], vec![RuleAction::Assign { to: "eve".into() }]) };
    eng.add_stage_rule(&at(Entity::Deal, "WON"), to_eve).unwrap();
    eng.add_stage_rule(&at(Entity::Lead, "JUNK"), moving("Close the deal", Entity::Lead, "WON")).unwrap();
    eng.set_user_active("eve", false).unwrap();
    let before = (eng.get(l).unwrap().version, eng.get(d).unwrap().version);
    let e = eng.move_stage(l, "JUNK", None, None).unwrap_err();
    let said = e.message(prospect::i18n::Lang::En);
    assert!(said.contains("Close the deal") && said.contains("eve"), "{said}");
    assert_eq!(
        (stage_of(&eng, Entity::Lead, lead), stage_of(&eng, Entity::Deal, deal)),
        ("IN_PROCESS".into(), "EXECUTING".into())
    );
    assert_eq!((eng.get(l).unwrap().version, eng.get(d).unwrap().version), before);
    // Set to skip, the rule that set the refused move off is taken back whole (its comment,
    // the deal's move), and the lead's own move goes on.
    let outer = StageRule {
        on_error: OnError::Skip,
        ..rule(
            "Outer",
            &[],
            vec![RuleAction::Comment { text: "outer ran".into() }, RuleAction::MoveLinked { stage: "WON".into() }],
        )
    };
    eng.add_stage_rule(&at(Entity::Lead, "NEW"), outer).unwrap();
    eng.move_stage(l, "NEW", None, None).unwrap();
    assert_eq!(
        (stage_of(&eng, Entity::Lead, lead), stage_of(&eng, Entity::Deal, deal)),
        ("NEW".into(), "EXECUTING".into())
    );
    let timeline = eng.timeline(l, 80).unwrap();
    assert!(!timeline.iter().any(|t| t.payload["text"] == "outer ran"), "the skipped rule's comment is taken back");
    assert!(timeline[0].payload["skipped"].as_str().is_some_and(|w| w.contains("To Eve")), "{}", timeline[0].payload);
    // A lead without deals: the rule says nothing was there to move.
    let alone = create(&mut eng, Entity::Lead, &[("title", "Alone")], &[]).id;
    eng.set_user_active("eve", true).unwrap();
    eng.move_stage(RecordRef::new(Entity::Lead, alone), "JUNK", None, None).unwrap();
    let entry = &eng.timeline(RecordRef::new(Entity::Lead, alone), 1).unwrap()[0];
    assert_eq!(entry.payload["done"][0]["none"], true, "{}", entry.payload);
}

/// Rules act with the rights of whoever set them off, the same on both engines: the record
/// moved is theirs to complete (a hand-over by one rule of the stage waits for the others, so
/// the next rule still plans and sets, and the call goes to the new owner); a linked record
/// they do not see is left as it is, one they see and may not change fails the rule; a new
/// record the queue hands out of its maker's sight runs no rules.
pub fn rules_act_with_the_rights_of_whoever_moved_the_record(mut eng: TestEngine) {
    use prospect::domain::access::{Action, Level, Subject};
    priority_field(&mut eng);
    let mut bob = eng.session_as("bob", &["Manager"], None);
    eng.session_as("carol", &["Manager"], None);
    let hand_on = rule("Hand on", &[], vec![RuleAction::Assign { to: "carol".into() }]);
    eng.add_stage_rule(&at(Entity::Lead, "IN_PROCESS"), hand_on).unwrap();
    let set = RuleAction::Set { field: "priority".into(), value: "high".into() };
    eng.add_stage_rule(&at(Entity::Lead, "IN_PROCESS"), rule("Call", &[], vec![call("Call {title}"), set])).unwrap();
    let id = create(&mut bob, Entity::Lead, &[("title", "Bob's")], &[]).id;
    let lead = RecordRef::new(Entity::Lead, id);
    let moved = bob.move_stage(lead, "IN_PROCESS", None, None).unwrap();
    assert_eq!(text_of(&eng, Entity::Lead, id, "responsible"), "carol");
    assert_eq!(text_of(&eng, Entity::Lead, id, "priority"), "high");
    let calls = eng.activities(&ActivityFilter { record: Some(lead), ..Default::default() }).unwrap();
    assert_eq!(calls.iter().map(|a| a.responsible.as_deref()).collect::<Vec<_>>(), [Some("carol")]);
    assert_eq!(moved.version, eng.get(lead).unwrap().version);
    assert_eq!(moved.handed_to.as_deref(), Some("carol"), "the move says whose it is now");
    assert!(bob.get(lead).is_err(), "handed out of bob's sight");
    // Setting the responsible hands over too, after the stage's other rules.
    let set_owner = RuleAction::Set { field: "responsible".into(), value: "carol".into() };
    let deal_rule = |name: &str, actions| StageRule { entity: Entity::Deal, ..rule(name, &[], actions) };
    eng.add_stage_rule(&at(Entity::Deal, "PREPARATION"), deal_rule("Owner", vec![set_owner])).unwrap();
    let after = vec![RuleAction::Comment { text: "after the owner".into() }];
    eng.add_stage_rule(&at(Entity::Deal, "PREPARATION"), deal_rule("Note", after)).unwrap();
    let bobs_deal = RecordRef::new(Entity::Deal, create(&mut bob, Entity::Deal, &[("title", "Bob's deal")], &[]).id);
    bob.move_stage(bobs_deal, "PREPARATION", None, None).unwrap();
    assert_eq!(text_of(&eng, Entity::Deal, bobs_deal.id, "responsible"), "carol");
    assert!(eng.timeline(bobs_deal, 10).unwrap().iter().any(|t| t.payload["text"] == "after the owner"));

    // A deal's source lead: carol's is hidden from bob, left where it is.
    let closing = StageRule {
        entity: Entity::Deal,
        ..rule("Close the lead", &[], vec![RuleAction::MoveLinked { stage: "JUNK".into() }])
    };
    eng.add_stage_rule(&at(Entity::Deal, "WON"), closing).unwrap();
    let carols = create(&mut eng, Entity::Lead, &[("title", "Carol's"), ("responsible", "carol")], &[]).id;
    let fields = [("title", "Bob's deal"), ("lead", &carols.to_string()), ("responsible", "bob")];
    let deal = RecordRef::new(Entity::Deal, create(&mut eng, Entity::Deal, &fields, &[]).id);
    bob.move_stage(deal, "WON", None, None).unwrap();
    assert_eq!(stage_of(&eng, Entity::Lead, carols), "NEW", "bob does not see carol's lead");
    let entry = eng.timeline(deal, 50).unwrap().into_iter().find(|t| t.payload["rule"] == "Close the lead").unwrap();
    assert_eq!(entry.payload["done"][0]["none"], true, "{}", entry.payload);
    // One who reads every lead and changes only their own: the rule fails, naming the lead.
    eng.add_role("Lead reader", Some("Manager")).unwrap();
    eng.set_level("Lead reader", Subject::Lead, Action::Read, Level::All).unwrap();
    let mut dave = eng.session_as("dave", &["Lead reader"], None);
    let fields = [("title", "Dave's deal"), ("lead", &carols.to_string()), ("responsible", "dave")];
    let daves = RecordRef::new(Entity::Deal, create(&mut eng, Entity::Deal, &fields, &[]).id);
    let before = eng.get(daves).unwrap().version;
    let said = dave.move_stage(daves, "WON", None, None).unwrap_err().message(prospect::i18n::Lang::En);
    assert!(said.contains("Close the lead") && said.contains(&format!("#{carols}")), "{said}");
    assert_eq!((stage_of(&eng, Entity::Lead, carols), eng.get(daves).unwrap().version), ("NEW".into(), before));
}

/// A new record the queue hands out of its maker's sight runs no rules (they would act on a
/// record its maker no longer sees), on both engines; the same import by one who sees it
/// runs them.
pub fn a_new_record_out_of_its_makers_sight_runs_no_rules(mut eng: TestEngine) {
    use prospect::domain::queue::QueueMode;
    use prospect::store::import::{ImportOptions, ImportRow};
    // A field of the team's own: its values are written without reading the record back.
    priority_field(&mut eng);
    eng.session_as("carol", &["Manager"], None);
    // An import by a head whose sight does not reach the queue's pick: no rules on that lead.
    let hello = rule("Hello", &[], vec![RuleAction::Comment { text: "hello".into() }]);
    eng.add_stage_rule(&at(Entity::Lead, "NEW"), hello).unwrap();
    eng.set_queue(QueueMode::Even, &["carol".to_string()]).unwrap();
    eng.add_department("Sales", None).unwrap();
    let mut head = eng.session_as("hector", &["Head"], Some("Sales"));
    let row = |title: &str| prospect::store::RecordInput {
        origin: Some("import".into()),
        ..crate::input(&[("title", title), ("stage", "NEW"), ("priority", "high")])
    };
    let rows = [ImportRow::new(2, Ok(row("Queued away")))];
    let opts = ImportOptions::default();
    let report = head.import(Entity::Lead, |from| rows[from.min(rows.len())..].to_vec(), opts, |_| {}).unwrap();
    assert_eq!(report.created, 1);
    let away = eng.list(Entity::Lead, &Default::default()).unwrap().into_iter().find(|r| r.title == "Queued away");
    let away = RecordRef::new(Entity::Lead, away.unwrap().id);
    assert_eq!(text_of(&eng, Entity::Lead, away.id, "responsible"), "carol");
    assert_eq!(text_of(&eng, Entity::Lead, away.id, "priority"), "high");
    assert!(!eng.timeline(away, 50).unwrap().iter().any(|t| t.payload["text"] == "hello"), "no rule ran");
    // The same import by an administrator runs it.
    let rows = [ImportRow::new(2, Ok(row("Seen")))];
    eng.import(Entity::Lead, |from| rows[from.min(rows.len())..].to_vec(), ImportOptions::default(), |_| {}).unwrap();
    let seen = eng.list(Entity::Lead, &Default::default()).unwrap().into_iter().find(|r| r.title == "Seen").unwrap();
    let seen = RecordRef::new(Entity::Lead, seen.id);
    assert!(eng.timeline(seen, 50).unwrap().iter().any(|t| t.payload["text"] == "hello"));
}
