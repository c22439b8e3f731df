//! Per-record history (SPEC A3): an entry for each creation, edit, move, comment and
//! activity, newest first; a deleted record's history is never shown on a later record,
//! because ids are never reused.

use crate::{TestEngine, create, input};
use prospect::domain::fields::Entity;
use prospect::domain::timeline::TimelineKind;
use prospect::store::RecordRef;
use prospect::store::StoreError;

fn kinds(eng: &crate::TestEngine, entity: Entity, id: i64) -> Vec<TimelineKind> {
    eng.timeline(RecordRef::new(entity, id), 100).unwrap().into_iter().map(|t| t.kind).collect()
}

pub fn every_change_leaves_an_entry_newest_first(mut eng: TestEngine) {
    let lead = create(&mut eng, Entity::Lead, &[("title", "History")], &[]).id;
    eng.update(RecordRef::new(Entity::Lead, lead), None, &input(&[("title", "History 2")])).unwrap();
    eng.move_stage(RecordRef::new(Entity::Lead, lead), "IN_PROCESS", None, None).unwrap();
    eng.comment(RecordRef::new(Entity::Lead, lead), "  first call went well ").unwrap();
    assert_eq!(
        kinds(&eng, Entity::Lead, lead),
        vec![TimelineKind::Comment, TimelineKind::StageMoved, TimelineKind::FieldsChanged, TimelineKind::Created]
    );
    let entries = eng.timeline(RecordRef::new(Entity::Lead, lead), 100).unwrap();
    assert!(entries.windows(2).all(|w| w[0].id > w[1].id), "ids ascend with time");
    assert!(entries.iter().all(|t| t.user.as_deref() == Some("alice")), "who did it");
    assert_eq!(entries[0].payload["text"], "first call went well");
    assert_eq!(entries[1].payload["from"]["code"], "NEW");
    assert_eq!(entries[1].payload["to"]["code"], "IN_PROCESS");
    let change = &entries[2].payload["changes"][0];
    assert_eq!(
        (change["field"].as_str(), change["old"].as_str(), change["new"].as_str()),
        (Some("title"), Some("History"), Some("History 2"))
    );
    assert_eq!(eng.timeline(RecordRef::new(Entity::Lead, lead), 2).unwrap().len(), 2, "the limit holds");

    // A comment does not make a new version (it never conflicts with an edit).
    assert_eq!(eng.get(RecordRef::new(Entity::Lead, lead)).unwrap().version, 3);
    assert!(matches!(eng.comment(RecordRef::new(Entity::Lead, lead), "   "), Err(StoreError::Field(_))));
    assert!(matches!(eng.comment(RecordRef::new(Entity::Lead, 999), "hello"), Err(StoreError::NotFound { .. })));
    assert_eq!(kinds(&eng, Entity::Lead, lead).len(), 4, "refused comments wrote nothing");
}

pub fn a_deleted_records_id_and_history_are_never_reused(mut eng: TestEngine) {
    for entity in Entity::ALL {
        let fields: &[(&str, &str)] = match entity {
            Entity::Contact => &[("first_name", "Gone"), ("last_name", "Soon")],
            _ => &[("title", "Gone soon")],
        };
        // The newest record is deleted: its id would be the next one handed out if reused.
        let first = create(&mut eng, entity, fields, &[]).id;
        eng.comment(RecordRef::new(entity, first), "before deletion").unwrap();
        eng.delete(RecordRef::new(entity, first), None).unwrap();
        // The engine keeps a deleted record's entries (with a `Deleted` one), but the service
        // reads a timeline only through its record: a deleted record's history cannot be read
        // back through the API today (no audit view yet).
        assert!(
            matches!(eng.timeline(RecordRef::new(entity, first), 10), Err(StoreError::NotFound { .. })),
            "{entity:?}"
        );
        let next = create(&mut eng, entity, fields, &[]).id;
        assert!(next > first, "{entity:?}: id {first} was handed out again");
        assert_eq!(kinds(&eng, entity, next), vec![TimelineKind::Created], "{entity:?}: only its own history");
    }
}

pub fn every_kind_has_a_history_of_its_creation_edits_moves_and_comments(mut eng: TestEngine) {
    for entity in Entity::ALL {
        let fields: &[(&str, &str)] = match entity {
            Entity::Contact => &[("first_name", "Ada"), ("last_name", "History")],
            _ => &[("title", "History")],
        };
        let id = create(&mut eng, entity, fields, &[]).id;
        eng.update(RecordRef::new(entity, id), None, &input(&[("comments", "edited")])).unwrap();
        let mut expected = vec![TimelineKind::Created, TimelineKind::FieldsChanged];
        if entity.has_stages() {
            let to = if entity == Entity::Lead { "IN_PROCESS" } else { "PREPARATION" };
            eng.move_stage(RecordRef::new(entity, id), to, None, None).unwrap();
            expected.push(TimelineKind::StageMoved);
        }
        eng.comment(RecordRef::new(entity, id), "a word").unwrap();
        expected.push(TimelineKind::Comment);
        expected.reverse();
        assert_eq!(kinds(&eng, entity, id), expected, "{entity:?}");
        // Another session reads the same history, written by alice.
        let bob = eng.session("bob");
        let entries = bob.timeline(RecordRef::new(entity, id), 100).unwrap();
        assert_eq!(entries.len(), expected.len(), "{entity:?}");
        assert!(entries.iter().all(|t| t.user.as_deref() == Some("alice")), "{entity:?}");
        assert_eq!(entries.last().unwrap().at, crate::NOW, "{entity:?}: the fixed clock");
    }
}
