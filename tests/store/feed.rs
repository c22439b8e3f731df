//! The change feed: after a write, `changes_since` names the records written, so a screen
//! reloads only what was touched; when it cannot say, it says so (`None`).

use crate::{TestEngine, create, input};
use prospect::domain::fields::Entity;
use prospect::store::RecordRef;

pub fn changes_since_names_what_another_session_wrote(mut eng: TestEngine) {
    let mut bob = eng.session("bob");
    let a = create(&mut eng, Entity::Lead, &[("title", "A")], &[]).id;
    let c = create(&mut eng, Entity::Company, &[("title", "C")], &[]).id;
    let mark = eng.last_change().unwrap();
    assert_eq!(eng.changes_since(mark, 100).unwrap(), (mark, Some(vec![])), "nothing since");

    bob.update(RecordRef::new(Entity::Lead, a), None, &input(&[("title", "A2")])).unwrap();
    bob.comment(RecordRef::new(Entity::Company, c), "note").unwrap();
    let (last, changed) = eng.changes_since(mark, 100).unwrap();
    assert!(last > mark);
    let mut changed = changed.expect("the log covers it");
    changed.sort();
    assert_eq!(changed, vec![RecordRef::new(Entity::Lead, a), RecordRef::new(Entity::Company, c)]);
    assert_eq!(eng.changes_since(last, 100).unwrap(), (last, Some(vec![])));

    // An edit that changes nothing is no change.
    bob.update(RecordRef::new(Entity::Lead, a), None, &input(&[("title", "A2")])).unwrap();
    assert_eq!(eng.changes_since(last, 100).unwrap(), (last, Some(vec![])));

    // More changes than asked for: everything may have changed.
    for i in 0..5 {
        create(&mut bob, Entity::Deal, &[("title", &format!("D{i}"))], &[]);
    }
    let (newest, changed) = eng.changes_since(last, 3).unwrap();
    assert_eq!(changed, None);
    assert_eq!(newest, eng.last_change().unwrap());
}

pub fn a_deletion_and_a_conversion_are_in_the_feed(mut eng: TestEngine) {
    let lead =
        create(&mut eng, Entity::Lead, &[("title", "Convert me"), ("first_name", "Jo"), ("last_name", "Smith")], &[])
            .id;
    let gone = create(&mut eng, Entity::Contact, &[("first_name", "Old"), ("last_name", "Contact")], &[]).id;
    let mark = eng.last_change().unwrap();
    eng.delete(RecordRef::new(Entity::Contact, gone), None).unwrap();
    let plan = prospect::store::convert::ConversionPlan::new(prospect::domain::convert::Targets::DEFAULT);
    let done = eng.convert_lead(lead, &plan).unwrap();
    let (_, changed) = eng.changes_since(mark, 100).unwrap();
    let changed = changed.unwrap();
    for wanted in [
        RecordRef::new(Entity::Contact, gone),
        RecordRef::new(Entity::Lead, lead),
        RecordRef::new(Entity::Deal, done.deal.unwrap().id),
    ] {
        assert!(changed.contains(&wanted), "{wanted:?} missing from {changed:?}");
    }
    assert!(changed.contains(&RecordRef::new(Entity::Contact, done.contact.unwrap().id)), "{changed:?}");
}

pub fn data_version_and_last_change_tell_another_sessions_write(mut eng: TestEngine) {
    let mut bob = eng.session("bob");
    let lead = create(&mut eng, Entity::Lead, &[("title", "Watched")], &[]).id;
    let (version, mark) = (eng.data_version().unwrap(), eng.last_change().unwrap());
    assert_eq!(bob.last_change().unwrap(), mark, "both sessions read the same log");

    // Reading, on either side, changes neither.
    bob.get(RecordRef::new(Entity::Lead, lead)).unwrap();
    eng.list(Entity::Lead, &Default::default()).unwrap();
    assert_eq!((eng.data_version().unwrap(), eng.last_change().unwrap()), (version, mark));

    // Another session's write does: the cheap probe first, then the feed says what.
    bob.move_stage(RecordRef::new(Entity::Lead, lead), "IN_PROCESS", None, None).unwrap();
    let seen = eng.data_version().unwrap();
    assert_ne!(seen, version, "another session committed");
    let last = eng.last_change().unwrap();
    assert!(last > mark);
    assert_eq!(bob.last_change().unwrap(), last);
    assert_eq!(eng.changes_since(mark, 100).unwrap(), (last, Some(vec![RecordRef::new(Entity::Lead, lead)])));

    // A refused write by the other session is no change at all.
    assert!(bob.update(RecordRef::new(Entity::Lead, lead), Some(1), &input(&[("title", "stale")])).is_err());
    assert_eq!(eng.data_version().unwrap(), seen);
    assert_eq!(eng.changes_since(last, 100).unwrap(), (last, Some(vec![])));
}
