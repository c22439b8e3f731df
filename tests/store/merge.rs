//! Merging duplicates (SPEC D2): empty fields filled, differing fields as chosen (refused
//! when unchosen), and links, activities, communications and history moved to the kept record.

use crate::{NOW, TestEngine, create, input, text_of};
use prospect::domain::activity::{ActivityKind, Priority};
use prospect::domain::fields::Entity;
use prospect::domain::timeline::TimelineKind;
use prospect::store::activities::{ActivityDetails, ActivityFilter, NewActivity};
use prospect::store::merge::{MergeChoices, Prefer};
use prospect::store::{RecordRef, StoreError};

fn task(on: RecordRef, subject: &str, deadline: i64) -> NewActivity {
    NewActivity {
        kind: ActivityKind::Task,
        subject: subject.into(),
        deadline,
        duration_minutes: None,
        priority: Priority::Medium,
        responsible_id: None,
        completed: false,
        bindings: vec![on],
    }
}

pub fn a_merge_fills_takes_choices_and_moves_everything_to_the_kept_record(mut eng: TestEngine) {
    let keep = create(
        &mut eng,
        Entity::Contact,
        &[("first_name", "Marie"), ("last_name", "Curie"), ("comments", "kept note")],
        &["06 12 34 56 78"],
    )
    .id;
    let other = create(
        &mut eng,
        Entity::Contact,
        &[("first_name", "Marie"), ("last_name", "Curie"), ("position", "Physicist"), ("comments", "other note")],
        &["marie@example.com"],
    )
    .id;
    let deal = create(&mut eng, Entity::Deal, &[("title", "Radium"), ("contact", &other.to_string())], &[]).id;
    let activity = eng
        .plan_activity(
            task(RecordRef::new(Entity::Contact, other), "Call back", NOW + 3_600_000),
            &ActivityDetails::default(),
        )
        .unwrap();
    eng.comment(RecordRef::new(Entity::Contact, other), "met at the fair").unwrap();

    let preview = eng.merge_preview(Entity::Contact, keep, &[other]).unwrap();
    assert!(
        preview.fills.iter().any(|(f, v, from)| f == "position" && v == "Physicist" && *from == other),
        "{preview:?}"
    );
    assert_eq!(preview.conflicts.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(), vec!["comments"]);

    // An unchosen difference is refused and nothing is written.
    let e = eng.merge(Entity::Contact, keep, &[other], &MergeChoices::default(), None).unwrap_err();
    assert!(matches!(e, StoreError::Field(_) | StoreError::Rule(_)), "{e:?}");
    assert!(eng.get(RecordRef::new(Entity::Contact, other)).is_ok(), "the other record is still there");
    assert_eq!(text_of(&eng, Entity::Contact, keep, "position"), "");

    let mut choices = MergeChoices::default();
    choices.fields.insert("comments".into(), Prefer::Other);
    let merged = eng.merge(Entity::Contact, keep, &[other], &choices, Some(1)).unwrap();
    assert_eq!(merged.merged, vec![other]);
    assert!(matches!(eng.get(RecordRef::new(Entity::Contact, other)), Err(StoreError::NotFound { .. })));
    assert_eq!(text_of(&eng, Entity::Contact, keep, "position"), "Physicist", "filled");
    assert_eq!(text_of(&eng, Entity::Contact, keep, "comments"), "other note", "chosen");
    let kept = eng.get(RecordRef::new(Entity::Contact, keep)).unwrap();
    let mut comms: Vec<&str> = kept.comms.iter().map(|c| c.value.as_str()).collect();
    comms.sort();
    assert_eq!(comms, vec!["06 12 34 56 78", "marie@example.com"]);

    // Links, activities and history follow.
    assert!(
        eng.get(RecordRef::new(Entity::Deal, deal))
            .unwrap()
            .links
            .iter()
            .any(|(e, r)| *e == Entity::Contact && r.id == keep)
    );
    let acts = eng
        .activities(&ActivityFilter { record: Some(RecordRef::new(Entity::Contact, keep)), ..Default::default() })
        .unwrap();
    assert_eq!(acts.iter().map(|a| a.id).collect::<Vec<_>>(), vec![activity]);
    let timeline = eng.timeline(RecordRef::new(Entity::Contact, keep), 100).unwrap();
    assert!(timeline.iter().any(|t| t.kind == TimelineKind::Comment && t.payload["text"] == "met at the fair"));
    assert!(timeline.iter().any(|t| t.kind == TimelineKind::Merged));
    assert_eq!(eng.count(Entity::Contact).unwrap(), 1);
}

pub fn a_merge_with_a_stale_version_or_of_deals_is_refused(mut eng: TestEngine) {
    let a = create(&mut eng, Entity::Company, &[("title", "Acme")], &[]).id;
    let b = create(&mut eng, Entity::Company, &[("title", "ACME")], &[]).id;
    eng.update(RecordRef::new(Entity::Company, a), None, &input(&[("industry", "Anvils")])).unwrap();
    let all = MergeChoices { fallback: Some(Prefer::Keep), ..Default::default() };
    let e = eng.merge(Entity::Company, a, &[b], &all, Some(1)).unwrap_err();
    assert!(matches!(e, StoreError::Conflict { .. }), "{e:?}");
    assert_eq!(eng.count(Entity::Company).unwrap(), 2);
    eng.merge(Entity::Company, a, &[b], &all, Some(2)).unwrap();
    assert_eq!(eng.count(Entity::Company).unwrap(), 1);

    let d1 = create(&mut eng, Entity::Deal, &[("title", "One")], &[]).id;
    let d2 = create(&mut eng, Entity::Deal, &[("title", "One")], &[]).id;
    assert!(eng.merge(Entity::Deal, d1, &[d2], &all, None).is_err(), "deals are not merged");
    assert_eq!(eng.count(Entity::Deal).unwrap(), 2);
}
