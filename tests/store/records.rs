//! Create, edit, move and delete each kind of record; optimistic conflicts (expected
//! version) and moves from a stale screen (`MovedMeanwhile`).

use crate::{TestEngine, counts, create, input, stage_of, text_of};
use prospect::domain::fields::Entity;
use prospect::store::{RecordRef, StoreError};

/// A kind of record, the fields it is created with and one field edited afterwards.
type KindCase = (Entity, &'static [(&'static str, &'static str)], (&'static str, &'static str));

pub fn each_kind_is_created_edited_and_deleted(mut eng: TestEngine) {
    let cases: [KindCase; 4] = [
        (Entity::Lead, &[("title", "Website enquiry"), ("last_name", "Durand")], ("title", "Quote request")),
        (Entity::Contact, &[("first_name", "Marie"), ("last_name", "Curie")], ("position", "Director")),
        (Entity::Company, &[("title", "Acme")], ("industry", "Chemicals")),
        (Entity::Deal, &[("title", "Acme renewal"), ("amount", "1200.50")], ("title", "Acme renewal 2027")),
    ];
    for (entity, fields, (key, value)) in cases {
        let saved = create(&mut eng, entity, fields, &[]);
        assert_eq!(saved.version, 1, "{entity:?}: a new record is version 1");
        let rec = eng.get(RecordRef::new(entity, saved.id)).unwrap();
        for (k, v) in fields {
            assert_eq!(rec.input_text(k), *v, "{entity:?}.{k} as created");
        }
        let edited = eng.update(RecordRef::new(entity, saved.id), Some(1), &input(&[(key, value)])).unwrap();
        assert_eq!(edited.version, 2, "{entity:?}: an edit makes a new version");
        assert_eq!(edited.changed, vec![key.to_string()]);
        assert_eq!(text_of(&eng, entity, saved.id, key), value, "{entity:?}.{key} after the edit");

        // An edit that changes nothing writes nothing.
        let same = eng.update(RecordRef::new(entity, saved.id), Some(2), &input(&[(key, value)])).unwrap();
        assert_eq!((same.version, same.changed.len()), (2, 0), "{entity:?}: an idempotent edit");

        eng.delete(RecordRef::new(entity, saved.id), Some(2)).unwrap();
        assert!(
            matches!(eng.get(RecordRef::new(entity, saved.id)), Err(StoreError::NotFound { .. })),
            "{entity:?}: gone after delete"
        );
        assert_eq!(eng.count(entity).unwrap(), 0, "{entity:?}: counted no more");
    }
}

pub fn money_is_kept_in_minor_units_with_the_default_currency(mut eng: TestEngine) {
    let deal = create(&mut eng, Entity::Deal, &[("title", "Big one"), ("amount", "1234.56")], &[]);
    let row = eng.list(Entity::Deal, &Default::default()).unwrap();
    assert_eq!(row[0].id, deal.id);
    assert_eq!(row[0].amount_minor, Some(123_456));
    assert_eq!(row[0].currency.as_deref(), Some("EUR"));
}

pub fn a_refused_input_writes_nothing(mut eng: TestEngine) {
    let before = eng.last_change().unwrap();
    // A contact needs a last name; a deal's probability is 0-100.
    let e = eng.create(Entity::Contact, &input(&[("first_name", "Solo")])).unwrap_err();
    assert!(matches!(&e, StoreError::Field(f) if f.field == "last_name"), "{e:?}");
    let e = eng.create(Entity::Deal, &input(&[("title", "X"), ("probability", "140")])).unwrap_err();
    assert!(matches!(&e, StoreError::Field(f) if f.field == "probability"), "{e:?}");
    assert_eq!(counts(&eng), [0, 0, 0, 0]);
    assert_eq!(eng.last_change().unwrap(), before, "no change logged");
}

pub fn leads_and_deals_move_through_their_stages(mut eng: TestEngine) {
    let lead = create(&mut eng, Entity::Lead, &[("title", "Mover")], &[]);
    assert_eq!(stage_of(&eng, Entity::Lead, lead.id), "NEW", "a new lead starts in the first stage");
    let moved = eng.move_stage(RecordRef::new(Entity::Lead, lead.id), "IN_PROCESS", None, Some(1)).unwrap();
    assert_eq!((moved.from.code.as_str(), moved.to.code.as_str(), moved.version), ("NEW", "IN_PROCESS", 2));
    assert_eq!(stage_of(&eng, Entity::Lead, lead.id), "IN_PROCESS");

    // Moving where it already is writes nothing.
    let again = eng.move_stage(RecordRef::new(Entity::Lead, lead.id), "IN_PROCESS", None, None).unwrap();
    assert!(again.unchanged);
    assert_eq!(eng.get(RecordRef::new(Entity::Lead, lead.id)).unwrap().version, 2);

    // A reason only for failure stages; then it is kept.
    let e = eng.move_stage(RecordRef::new(Entity::Lead, lead.id), "NEW", Some("why not"), None).unwrap_err();
    assert!(matches!(&e, StoreError::Field(f) if f.field == "reason"), "{e:?}");
    assert_eq!(stage_of(&eng, Entity::Lead, lead.id), "IN_PROCESS", "a refused move writes nothing");
    eng.move_stage(RecordRef::new(Entity::Lead, lead.id), "JUNK", Some("spam"), None).unwrap();
    assert_eq!(text_of(&eng, Entity::Lead, lead.id, "stage_description"), "spam");

    let deal = create(&mut eng, Entity::Deal, &[("title", "Deal")], &[]);
    assert_eq!(stage_of(&eng, Entity::Deal, deal.id), "NEW");
    eng.move_stage(RecordRef::new(Entity::Deal, deal.id), "WON", None, None).unwrap();
    assert_eq!(stage_of(&eng, Entity::Deal, deal.id), "WON");
    let filter = prospect::store::ListFilter { stage: Some("WON".into()), ..Default::default() };
    assert_eq!(eng.list_count(Entity::Deal, &filter).unwrap(), 1);

    // Contacts and companies have no stages; an unknown stage is refused.
    let c = create(&mut eng, Entity::Company, &[("title", "Acme")], &[]);
    assert!(eng.move_stage(RecordRef::new(Entity::Company, c.id), "NEW", None, None).is_err());
    assert!(eng.move_stage(RecordRef::new(Entity::Deal, deal.id), "NO_SUCH_STAGE", None, None).is_err());
    assert_eq!(stage_of(&eng, Entity::Deal, deal.id), "WON");
}

pub fn a_stale_version_is_refused_and_nothing_is_written(mut eng: TestEngine) {
    let mut bob = eng.session("bob");
    let lead = create(&mut eng, Entity::Lead, &[("title", "Shared")], &[]);
    // Bob edits first: version 2.
    bob.update(RecordRef::new(Entity::Lead, lead.id), Some(1), &input(&[("title", "Bob's")])).unwrap();

    let e = eng.update(RecordRef::new(Entity::Lead, lead.id), Some(1), &input(&[("title", "Alice's")])).unwrap_err();
    assert!(matches!(e, StoreError::Conflict { expected: 1, actual: 2, .. }), "{e:?}");
    assert_eq!(text_of(&eng, Entity::Lead, lead.id, "title"), "Bob's");

    let e = eng.move_stage(RecordRef::new(Entity::Lead, lead.id), "JUNK", None, Some(1)).unwrap_err();
    assert!(matches!(e, StoreError::Conflict { .. }), "{e:?}");
    assert_eq!(stage_of(&eng, Entity::Lead, lead.id), "NEW");

    let e = eng.delete(RecordRef::new(Entity::Lead, lead.id), Some(1)).unwrap_err();
    assert!(matches!(e, StoreError::Conflict { .. }), "{e:?}");
    assert!(eng.get(RecordRef::new(Entity::Lead, lead.id)).is_ok(), "a refused delete keeps the record");

    // With the version just read, all goes through.
    eng.update(RecordRef::new(Entity::Lead, lead.id), Some(2), &input(&[("title", "Alice's")])).unwrap();
    assert_eq!(text_of(&bob, Entity::Lead, lead.id, "title"), "Alice's", "the other session sees it");
}

pub fn a_move_from_a_stale_screen_is_refused_only_after_another_move(mut eng: TestEngine) {
    let mut bob = eng.session("bob");
    let lead = create(&mut eng, Entity::Lead, &[("title", "Seen")], &[]);
    let seen = match eng.get(RecordRef::new(Entity::Lead, lead.id)).unwrap().get("stage") {
        Some(prospect::store::records::Shown::Ref(r)) => r.id,
        other => panic!("{other:?}"),
    };
    // Another user's edit of other fields does not stop the move...
    bob.update(RecordRef::new(Entity::Lead, lead.id), None, &input(&[("comments", "called")])).unwrap();
    let moved = eng.move_seen(RecordRef::new(Entity::Lead, lead.id), seen, "IN_PROCESS", None).unwrap();
    assert_eq!(stage_of(&eng, Entity::Lead, lead.id), "IN_PROCESS");

    // ... another user's move does, naming who moved it and where.
    let stale = moved.to.id;
    bob.move_stage(RecordRef::new(Entity::Lead, lead.id), "JUNK", None, None).unwrap();
    let e = eng.move_seen(RecordRef::new(Entity::Lead, lead.id), stale, "CONVERTED", None).unwrap_err();
    match e {
        StoreError::MovedMeanwhile { by, stage, .. } => {
            assert_eq!(by, "bob");
            assert_eq!(stage, "Junk");
        }
        other => panic!("expected MovedMeanwhile, got {other:?}"),
    }
    assert_eq!(stage_of(&eng, Entity::Lead, lead.id), "JUNK", "nothing written");
}

pub fn a_missing_record_is_not_found_for_every_operation(mut eng: TestEngine) {
    for entity in Entity::ALL {
        assert!(matches!(eng.get(RecordRef::new(entity, 999)), Err(StoreError::NotFound { .. })), "{entity:?} get");
        assert!(
            eng.update(RecordRef::new(entity, 999), None, &input(&[("comments", "x")])).is_err(),
            "{entity:?} update"
        );
        assert!(eng.delete(RecordRef::new(entity, 999), None).is_err(), "{entity:?} delete");
    }
}

pub fn a_new_deal_and_lead_get_their_defaults(mut eng: TestEngine) {
    // NOW is 2026-11-23: a deal begins today and is due to close a week later.
    let deal = create(&mut eng, Entity::Deal, &[("title", "Defaults")], &[]).id;
    assert_eq!(text_of(&eng, Entity::Deal, deal, "begin_date"), "2026-11-23");
    assert_eq!(text_of(&eng, Entity::Deal, deal, "close_date"), "2026-11-30");
    assert_eq!(text_of(&eng, Entity::Deal, deal, "responsible"), "alice", "the creator");
    assert_eq!(stage_of(&eng, Entity::Deal, deal), "NEW");
    let given = create(&mut eng, Entity::Deal, &[("title", "Given"), ("close_date", "2027-01-15")], &[]).id;
    assert_eq!(text_of(&eng, Entity::Deal, given, "close_date"), "2027-01-15");
    let lead = create(&mut eng, Entity::Lead, &[("title", "Lead defaults")], &[]).id;
    assert_eq!(text_of(&eng, Entity::Lead, lead, "responsible"), "alice");
    let rec = eng.get(RecordRef::new(Entity::Lead, lead)).unwrap();
    assert_eq!((rec.created_at, rec.created_by.as_deref(), rec.is_repeat), (crate::NOW, Some("alice"), false));
}

/// Fields a record of `entity` can be created with.
fn fields_of(entity: Entity) -> &'static [(&'static str, &'static str)] {
    match entity {
        Entity::Contact => &[("first_name", "Shared"), ("last_name", "Record")],
        _ => &[("title", "Shared record")],
    }
}

pub fn every_kind_refuses_a_stale_edit_move_or_delete_and_writes_nothing(mut eng: TestEngine) {
    let mut bob = eng.session("bob");
    for entity in Entity::ALL {
        let id = create(&mut eng, entity, fields_of(entity), &[]).id;
        // Bob edits first: version 2.
        bob.update(RecordRef::new(entity, id), Some(1), &input(&[("comments", "bob was here")])).unwrap();
        let before = (eng.get(RecordRef::new(entity, id)).unwrap(), counts(&eng), eng.last_change().unwrap());

        let e = eng.update(RecordRef::new(entity, id), Some(1), &input(&[("comments", "alice's")])).unwrap_err();
        assert!(matches!(e, StoreError::Conflict { expected: 1, actual: 2, .. }), "{entity:?} edit: {e:?}");
        // An in-progress stage after NEW.
        let next = if entity == Entity::Lead { "IN_PROCESS" } else { "PREPARATION" };
        if entity.has_stages() {
            let e = eng.move_stage(RecordRef::new(entity, id), next, None, Some(1)).unwrap_err();
            assert!(matches!(e, StoreError::Conflict { expected: 1, actual: 2, .. }), "{entity:?} move: {e:?}");
        }
        let e = eng.delete(RecordRef::new(entity, id), Some(1)).unwrap_err();
        assert!(matches!(e, StoreError::Conflict { expected: 1, actual: 2, .. }), "{entity:?} delete: {e:?}");

        let after = (eng.get(RecordRef::new(entity, id)).unwrap(), counts(&eng), eng.last_change().unwrap());
        assert_eq!(after.0.version, 2, "{entity:?}");
        assert_eq!(after.0.input_text("comments"), "bob was here", "{entity:?}");
        assert_eq!((after.1, after.2), (before.1, before.2), "{entity:?}: nothing written, nothing logged");
        assert_eq!(
            eng.timeline(RecordRef::new(entity, id), 100).unwrap().len(),
            2,
            "{entity:?}: created and bob's edit only"
        );
        if entity.has_stages() {
            assert_eq!(stage_of(&eng, entity, id), "NEW", "{entity:?}");
        }

        // With the version just read, all goes through.
        if entity.has_stages() {
            let moved = eng.move_stage(RecordRef::new(entity, id), next, None, Some(2)).unwrap();
            assert_eq!(moved.version, 3, "{entity:?}");
            eng.delete(RecordRef::new(entity, id), Some(3)).unwrap();
        } else {
            eng.delete(RecordRef::new(entity, id), Some(2)).unwrap();
        }
        assert!(matches!(bob.get(RecordRef::new(entity, id)), Err(StoreError::NotFound { .. })), "{entity:?}");
    }
}

pub fn a_deal_moved_by_another_user_is_not_moved_from_a_stale_screen(mut eng: TestEngine) {
    let mut bob = eng.session("bob");
    let deal = create(&mut eng, Entity::Deal, &[("title", "Contested")], &[]).id;
    let seen = match eng.get(RecordRef::new(Entity::Deal, deal)).unwrap().get("stage") {
        Some(prospect::store::records::Shown::Ref(r)) => r.id,
        other => panic!("{other:?}"),
    };
    bob.move_stage(RecordRef::new(Entity::Deal, deal), "LOSE", None, None).unwrap();
    let version = eng.get(RecordRef::new(Entity::Deal, deal)).unwrap().version;
    let mark = eng.last_change().unwrap();
    let e = eng.move_seen(RecordRef::new(Entity::Deal, deal), seen, "WON", None).unwrap_err();
    assert!(matches!(&e, StoreError::MovedMeanwhile { by, .. } if by == "bob"), "{e:?}");
    assert_eq!(stage_of(&eng, Entity::Deal, deal), "LOSE", "nothing written");
    assert_eq!(
        (eng.get(RecordRef::new(Entity::Deal, deal)).unwrap().version, eng.last_change().unwrap()),
        (version, mark)
    );
    // From what is shown now, the move goes through.
    let now_seen = match eng.get(RecordRef::new(Entity::Deal, deal)).unwrap().get("stage") {
        Some(prospect::store::records::Shown::Ref(r)) => r.id,
        other => panic!("{other:?}"),
    };
    eng.move_seen(RecordRef::new(Entity::Deal, deal), now_seen, "WON", None).unwrap();
    assert_eq!(stage_of(&bob, Entity::Deal, deal), "WON");
}

pub fn a_deletion_unlinks_the_record_and_drops_the_activities_bound_only_to_it(mut eng: TestEngine) {
    use prospect::domain::activity::{ActivityKind, Priority};
    use prospect::store::activities::{ActivityDetails, Counters, NewActivity};
    let company = create(&mut eng, Entity::Company, &[("title", "Acme")], &[]).id;
    let mut worker = input(&[("first_name", "Wile"), ("last_name", "Coyote")]);
    worker.companies = vec!["Acme".into()];
    let contact = eng.create(Entity::Contact, &worker).unwrap().id;
    let deal = create(
        &mut eng,
        Entity::Deal,
        &[("title", "Rockets"), ("contact", &contact.to_string()), ("company", &company.to_string())],
        &[],
    )
    .id;
    let task = |bindings| NewActivity {
        kind: ActivityKind::Task,
        subject: "Chase".into(),
        deadline: crate::NOW - 1_000,
        duration_minutes: None,
        priority: Priority::Medium,
        responsible_id: None,
        completed: false,
        bindings,
    };
    let none = ActivityDetails::default();
    let shared = eng
        .plan_activity(task(vec![RecordRef::new(Entity::Contact, contact), RecordRef::new(Entity::Deal, deal)]), &none)
        .unwrap();
    let own = eng.plan_activity(task(vec![RecordRef::new(Entity::Contact, contact)]), &none).unwrap();
    let me = eng.user().unwrap().id;
    let overdue =
        |eng: &TestEngine| Counters { holds_until: 0, ..eng.counters(me, crate::NOW, crate::NOW + 1_000).unwrap() };
    assert_eq!(overdue(&eng), Counters { overdue: 2, today: 0, incoming: 0, holds_until: 0 });

    // The contact goes: the deal keeps its company, the shared task its deal, its own task goes.
    eng.delete(RecordRef::new(Entity::Contact, contact), None).unwrap();
    let kinds = |eng: &TestEngine| -> Vec<Entity> {
        eng.get(RecordRef::new(Entity::Deal, deal)).unwrap().links.iter().map(|(e, _)| *e).collect()
    };
    assert_eq!(kinds(&eng), vec![Entity::Company]);
    let bound: Vec<RecordRef> =
        eng.activity(shared).unwrap().bindings.iter().map(|b| RecordRef::new(b.0, b.1)).collect();
    assert_eq!(bound, vec![RecordRef::new(Entity::Deal, deal)]);
    assert!(eng.activity(own).is_err(), "an activity of the deleted record alone goes with it");
    assert_eq!(overdue(&eng), Counters { overdue: 1, today: 0, incoming: 0, holds_until: 0 });

    eng.delete(RecordRef::new(Entity::Company, company), None).unwrap();
    assert!(kinds(&eng).is_empty());
    eng.delete(RecordRef::new(Entity::Deal, deal), None).unwrap();
    assert!(eng.activity(shared).is_err());
    assert_eq!(overdue(&eng), Counters::default());
    assert_eq!(counts(&eng), [0, 0, 0, 0]);
}

pub fn lists_sort_filter_and_page_the_same_way(mut eng: TestEngine) {
    use prospect::store::records::{ListFilter, ListSort, SortField};
    eng.add_users(&["bob"]);
    let leads: [(&str, &str, &str); 5] = [
        ("banana", "30", "bob"),
        ("Apple", "", "alice"),
        ("cherry", "10", "alice"),
        ("apple pie", "30", "bob"),
        ("Éclair", "20", "alice"),
    ];
    for (title, amount, who) in leads {
        let mut fields = vec![("title", title), ("responsible", who)];
        if !amount.is_empty() {
            fields.push(("amount", amount));
        }
        create(&mut eng, Entity::Lead, &fields, &[]);
    }
    // Lead 3 has nobody responsible; lead 2 is in progress, lead 4 junk.
    eng.update(RecordRef::new(Entity::Lead, 3), None, &input(&[("responsible", "")])).unwrap();
    eng.move_stage(RecordRef::new(Entity::Lead, 2), "IN_PROCESS", None, None).unwrap();
    eng.move_stage(RecordRef::new(Entity::Lead, 4), "JUNK", None, None).unwrap();

    let ids = |eng: &TestEngine, f: ListFilter| -> Vec<i64> {
        eng.list(Entity::Lead, &f).unwrap().iter().map(|r| r.id).collect()
    };
    let sorted =
        |key: SortField, reverse: bool| ListFilter { sort: Some(ListSort { key, reverse }), ..Default::default() };
    assert_eq!(ids(&eng, Default::default()), [5, 4, 3, 2, 1], "newest first");
    assert_eq!(ids(&eng, ListFilter { oldest_first: true, ..Default::default() }), [1, 2, 3, 4, 5]);
    assert_eq!(ids(&eng, ListFilter { before_id: Some(4), ..Default::default() }), [3, 2, 1]);
    assert_eq!(ids(&eng, ListFilter { after_id: Some(2), ..Default::default() }), [3, 4, 5]);
    // Titles without case, by code point (an accented capital after every ASCII letter).
    assert_eq!(ids(&eng, sorted(SortField::Title, false)), [2, 4, 1, 3, 5]);
    assert_eq!(ids(&eng, sorted(SortField::Title, true)), [5, 3, 1, 4, 2]);
    // No amount first; equal amounts by id, the way the sort goes.
    assert_eq!(ids(&eng, sorted(SortField::Amount, false)), [2, 3, 5, 1, 4]);
    assert_eq!(ids(&eng, sorted(SortField::Amount, true)), [4, 1, 5, 3, 2]);
    // Stages in pipeline order; nobody responsible first, then by login.
    assert_eq!(ids(&eng, sorted(SortField::Stage, false)), [1, 3, 5, 2, 4]);
    assert_eq!(ids(&eng, sorted(SortField::Stage, true)), [4, 2, 5, 3, 1]);
    assert_eq!(ids(&eng, sorted(SortField::Responsible, false)), [3, 2, 5, 1, 4]);
    assert_eq!(ids(&eng, sorted(SortField::Responsible, true)), [4, 1, 5, 2, 3]);
    let page = ListFilter { offset: 1, limit: 2, ..sorted(SortField::Title, false) };
    assert_eq!(ids(&eng, page.clone()), [4, 1], "a sorted page skips by offset");
    let page_of = |key, reverse, offset, limit| ListFilter { offset, limit, ..sorted(key, reverse) };
    assert_eq!(ids(&eng, page_of(SortField::Stage, false, 2, 2)), [5, 2], "a page across two stages");
    assert_eq!(ids(&eng, page_of(SortField::Responsible, true, 1, 3)), [1, 5, 2], "across two users");
    assert_eq!(ids(&eng, page_of(SortField::Responsible, false, 4, 5)), [4], "the last page");
    assert_eq!(eng.list_count(Entity::Lead, &page).unwrap(), 5, "a count ignores the page");

    let count = |eng: &TestEngine, f: ListFilter| eng.list_count(Entity::Lead, &f).unwrap();
    assert_eq!(count(&eng, ListFilter { responsible: Some("bob".into()), ..Default::default() }), 2);
    assert_eq!(count(&eng, ListFilter { hide_failed: true, ..Default::default() }), 4);
    assert_eq!(count(&eng, ListFilter { open_stages_only: true, ..Default::default() }), 4);
    assert_eq!(count(&eng, ListFilter { repeat: Some(false), ..Default::default() }), 5);
    assert_eq!(count(&eng, ListFilter { stage: Some("new".into()), ..Default::default() }), 3);

    // The board's heads: the same records, amounts summed per stage.
    let (_, heads) = eng.board(Entity::Lead, None).unwrap();
    let new = heads.iter().find(|h| h.stage.code == "NEW").unwrap();
    assert_eq!((new.count, new.sums.clone()), (3, vec![("EUR".to_string(), 6_000)]));
    let junk = heads.iter().find(|h| h.stage.code == "JUNK").unwrap();
    assert_eq!((junk.count, junk.sums.clone()), (1, vec![("EUR".to_string(), 3_000)]));
}

pub fn stages_pipelines_and_sources_are_administered_in_order(mut eng: TestEngine) {
    use prospect::domain::stage::StageSemantics;
    use prospect::store::rule::Rule;
    use prospect::store::stages::NewStage;
    let codes = |eng: &TestEngine| -> Vec<String> {
        eng.stages(Entity::Lead, None).unwrap().1.into_iter().map(|s| s.stage.code).collect()
    };
    let new =
        |name: &str, semantics| NewStage { name: name.into(), code: None, semantics, color: None, position: None };
    // A new in-progress stage goes after the other in-progress ones.
    let qualified = eng.add_stage(Entity::Lead, None, &new("Qualified", StageSemantics::InProgress)).unwrap();
    assert_eq!(qualified.code, "QUALIFIED");
    assert_eq!(codes(&eng), ["NEW", "IN_PROCESS", "PROCESSED", "QUALIFIED", "CONVERTED", "JUNK"]);
    let e = eng.add_stage(Entity::Lead, None, &new("qualified", StageSemantics::InProgress)).unwrap_err();
    assert!(matches!(e, StoreError::Rule(Rule::StageExists { .. })), "{e:?}");
    // Renamed and recoloured, its code stays; moved first; a success stage cannot go first.
    let renamed = eng.rename_stage(Entity::Lead, None, "qualified", "Qualified lead").unwrap();
    assert_eq!((renamed.code.as_str(), renamed.name.as_str()), ("QUALIFIED", "Qualified lead"));
    assert_eq!(eng.recolor_stage(Entity::Lead, None, "QUALIFIED", "#ABCDEF").unwrap().color, "#abcdef");
    eng.reorder_stage(Entity::Lead, None, "QUALIFIED", 1).unwrap();
    assert_eq!(codes(&eng)[..2], ["QUALIFIED", "NEW"]);
    assert!(matches!(
        eng.reorder_stage(Entity::Lead, None, "CONVERTED", 1),
        Err(StoreError::Rule(Rule::StageOrder(_)))
    ));
    assert_eq!(codes(&eng)[..2], ["QUALIFIED", "NEW"], "a refused order writes nothing");

    // A stage holding records is deleted only by moving them, each move in its history.
    let lead = create(&mut eng, Entity::Lead, &[("title", "Waiting"), ("stage", "QUALIFIED")], &[]).id;
    let e = eng.delete_stage(Entity::Lead, None, "QUALIFIED", None).unwrap_err();
    assert!(matches!(e, StoreError::Rule(Rule::StageNotEmpty { count: 1, .. })), "{e:?}");
    assert_eq!(eng.delete_stage(Entity::Lead, None, "QUALIFIED", Some("IN_PROCESS")).unwrap(), 1);
    assert_eq!(stage_of(&eng, Entity::Lead, lead), "IN_PROCESS");
    assert_eq!(codes(&eng), ["NEW", "IN_PROCESS", "PROCESSED", "CONVERTED", "JUNK"]);
    let counts: Vec<i64> = eng.stages(Entity::Lead, None).unwrap().1.iter().map(|s| s.count).collect();
    assert_eq!(counts, [0, 1, 0, 0, 0]);
    let (_, heads) = eng.board(Entity::Lead, None).unwrap();
    assert_eq!(heads.iter().map(|h| h.count).collect::<Vec<_>>(), [0, 1, 0, 0, 0], "the board follows");

    // A deal pipeline gets the default deal stages; its name is taken once, whatever the case.
    let p = eng.add_pipeline("Partners").unwrap();
    assert_eq!(eng.pipelines(Entity::Deal).unwrap().len(), 2);
    assert_eq!(eng.pipeline(Entity::Deal, Some("partners")).unwrap().id, p.id);
    assert!(eng.add_pipeline("PARTNERS").is_err());
    let deal = create(&mut eng, Entity::Deal, &[("title", "Via partner"), ("pipeline", "Partners")], &[]).id;
    let stage = match eng.get(RecordRef::new(Entity::Deal, deal)).unwrap().get("stage") {
        Some(prospect::store::records::Shown::Ref(r)) => r.id,
        other => panic!("{other:?}"),
    };
    let siblings = eng.sibling_stages(stage).unwrap();
    assert!(siblings.iter().all(|s| s.pipeline_id == p.id) && siblings[0].code == "NEW", "{siblings:?}");

    let before = eng.sources().unwrap().len();
    let s = eng.add_source("Trade fair", None).unwrap();
    assert_eq!(s.code, "TRADE_FAIR");
    assert!(eng.add_source("trade fair", None).is_err());
    assert_eq!(eng.sources().unwrap().len(), before + 1);
    let lead = create(&mut eng, Entity::Lead, &[("title", "Met"), ("source", "trade_fair")], &[]).id;
    assert_eq!(text_of(&eng, Entity::Lead, lead, "source"), "Trade fair");
}
