//! Activities (SPEC A1-A2): plan, complete, reschedule, delete, and the overdue / today /
//! incoming buckets as the status bar counts them.

use crate::{HOUR, NOW, TestEngine, create};
use prospect::domain::activity::{ActivityKind, Priority};
use prospect::domain::fields::Entity;
use prospect::store::RecordRef;
use prospect::store::activities::{ActivityChange, ActivityDetails, ActivityFilter, Counters, NewActivity};

/// Midnight after `NOW` (UTC): where "today" ends.
const TOMORROW: i64 = NOW + 15 * HOUR;

fn call(on: RecordRef, subject: &str, deadline: i64) -> NewActivity {
    NewActivity {
        kind: ActivityKind::Call,
        subject: subject.into(),
        deadline,
        duration_minutes: Some(30),
        priority: Priority::High,
        responsible_id: None,
        completed: false,
        bindings: vec![on],
    }
}

fn counters(eng: &crate::TestEngine) -> Counters {
    eng.counters(eng.user().unwrap().id, NOW, TOMORROW).unwrap()
}

pub fn activities_are_planned_completed_rescheduled_and_deleted_in_their_buckets(mut eng: TestEngine) {
    let lead = create(&mut eng, Entity::Lead, &[("title", "Busy lead")], &[]).id;
    let none = ActivityDetails::default();
    let late = eng.plan_activity(call(RecordRef::new(Entity::Lead, lead), "Late", NOW - 2 * HOUR), &none).unwrap();
    let today = eng.plan_activity(call(RecordRef::new(Entity::Lead, lead), "Today", NOW + 2 * HOUR), &none).unwrap();
    let later = eng.plan_activity(call(RecordRef::new(Entity::Lead, lead), "Later", NOW + 48 * HOUR), &none).unwrap();
    assert_eq!(counters(&eng), Counters { overdue: 1, today: 1, incoming: 1 });

    let row = eng.activity(today).unwrap();
    assert_eq!((row.subject.as_str(), row.deadline, row.completed), ("Today", NOW + 2 * HOUR, false));
    assert_eq!(row.end_at, Some(NOW + 2 * HOUR + 30 * 60_000), "a call lasts its duration");
    assert_eq!(row.responsible.as_deref(), Some("alice"), "the planner by default");
    assert_eq!(row.record(), Some(RecordRef::new(Entity::Lead, lead)));
    assert_eq!(eng.get(RecordRef::new(Entity::Lead, lead)).unwrap().next_activity_at, Some(NOW - 2 * HOUR));

    eng.complete_activity(late).unwrap();
    assert!(eng.activity(late).unwrap().completed);
    assert_eq!(counters(&eng), Counters { overdue: 0, today: 1, incoming: 1 });
    assert_eq!(
        eng.get(RecordRef::new(Entity::Lead, lead)).unwrap().next_activity_at,
        Some(NOW + 2 * HOUR),
        "the nearest open one"
    );

    // Rescheduled from later to overdue; a call keeps its length.
    eng.update_activity(later, &ActivityChange { deadline: Some(NOW - HOUR), ..Default::default() }).unwrap();
    assert_eq!(counters(&eng), Counters { overdue: 1, today: 1, incoming: 0 });
    let moved = eng.activity(later).unwrap();
    assert_eq!((moved.deadline, moved.end_at), (NOW - HOUR, Some(NOW - HOUR + 30 * 60_000)));

    eng.delete_activity(today).unwrap();
    assert!(eng.activity(today).is_err());
    assert_eq!(counters(&eng), Counters { overdue: 1, today: 0, incoming: 0 });

    let open = eng
        .activities(&ActivityFilter { record: Some(RecordRef::new(Entity::Lead, lead)), ..Default::default() })
        .unwrap();
    assert_eq!(open.iter().map(|a| a.id).collect::<Vec<_>>(), vec![later]);
    let all =
        ActivityFilter { record: Some(RecordRef::new(Entity::Lead, lead)), include_done: true, ..Default::default() };
    assert_eq!(eng.activities(&all).unwrap().len(), 2);
}

pub fn a_final_stage_completes_the_open_activities(mut eng: TestEngine) {
    let deal = create(&mut eng, Entity::Deal, &[("title", "Closing")], &[]).id;
    let none = ActivityDetails::default();
    eng.plan_activity(call(RecordRef::new(Entity::Deal, deal), "One", NOW + HOUR), &none).unwrap();
    eng.plan_activity(call(RecordRef::new(Entity::Deal, deal), "Two", NOW + 72 * HOUR), &none).unwrap();
    assert_eq!(counters(&eng), Counters { overdue: 0, today: 1, incoming: 1 });
    let moved = eng.move_stage(RecordRef::new(Entity::Deal, deal), "WON", None, None).unwrap();
    assert_eq!(moved.completed_activities, 2);
    assert_eq!(counters(&eng), Counters::default());
    assert_eq!(eng.get(RecordRef::new(Entity::Deal, deal)).unwrap().next_activity_at, None);
}

pub fn an_activity_needs_an_existing_record_and_counts_only_its_responsible(mut eng: TestEngine) {
    let none = ActivityDetails::default();
    assert!(eng.plan_activity(call(RecordRef::new(Entity::Lead, 42), "Nobody", NOW), &none).is_err());
    let mut no_record = call(RecordRef::new(Entity::Lead, 42), "Nowhere", NOW);
    no_record.bindings.clear();
    assert!(eng.plan_activity(no_record, &none).is_err());

    let bob = eng.session("bob");
    let lead = create(&mut eng, Entity::Lead, &[("title", "Shared")], &[]).id;
    let mut for_bob = call(RecordRef::new(Entity::Lead, lead), "Bob's call", NOW + HOUR);
    for_bob.responsible_id = Some(bob.user().unwrap().id);
    eng.plan_activity(for_bob, &none).unwrap();
    assert_eq!(counters(&eng), Counters::default(), "not alice's");
    assert_eq!(counters(&bob), Counters { overdue: 0, today: 1, incoming: 0 });
}
