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

pub fn merging_companies_moves_their_contacts_deals_and_histories(mut eng: TestEngine) {
    let keep = create(&mut eng, Entity::Company, &[("title", "Acme")], &[]).id;
    let europe = create(&mut eng, Entity::Company, &[("title", "Acme Europe")], &["europe@acme.example"]).id;
    let labs = create(&mut eng, Entity::Company, &[("title", "Acme Labs"), ("industry", "Research")], &[]).id;
    let mut worker = input(&[("first_name", "Wile"), ("last_name", "Coyote")]);
    worker.companies = vec!["Acme Europe".into()];
    let worker = eng.create(Entity::Contact, &worker).unwrap().id;
    let deal = create(&mut eng, Entity::Deal, &[("title", "Rockets"), ("company", &labs.to_string())], &[]).id;
    eng.comment(RecordRef::new(Entity::Company, europe), "europe note").unwrap();
    eng.comment(RecordRef::new(Entity::Company, labs), "labs note").unwrap();
    let mark = eng.last_change().unwrap();

    let keep_title = MergeChoices { fallback: Some(Prefer::Keep), ..Default::default() };
    let merged = eng.merge(Entity::Company, keep, &[europe, labs], &keep_title, Some(1)).unwrap();
    let mut gone = merged.merged.clone();
    gone.sort();
    assert_eq!(gone, vec![europe, labs]);
    for id in [europe, labs] {
        assert!(matches!(eng.get(RecordRef::new(Entity::Company, id)), Err(StoreError::NotFound { .. })), "#{id} gone");
    }
    assert_eq!(eng.count(Entity::Company).unwrap(), 1);
    assert_eq!(text_of(&eng, Entity::Company, keep, "title"), "Acme", "the kept value");
    assert_eq!(text_of(&eng, Entity::Company, keep, "industry"), "Research", "filled");
    assert_eq!(eng.get(RecordRef::new(Entity::Company, keep)).unwrap().version, merged.version);

    // The contact works at, and the deal is with, the kept company.
    let company_of = |eng: &TestEngine, entity: Entity, id: i64| -> Vec<i64> {
        let links = eng.get(RecordRef::new(entity, id)).unwrap().links;
        links.iter().filter(|(e, _)| *e == Entity::Company).map(|(_, r)| r.id).collect()
    };
    assert_eq!(company_of(&eng, Entity::Contact, worker), vec![keep]);
    assert_eq!(company_of(&eng, Entity::Deal, deal), vec![keep]);

    // Their histories, phones and e-mails are the kept record's; search finds only it.
    let texts: Vec<String> = eng
        .timeline(RecordRef::new(Entity::Company, keep), 100)
        .unwrap()
        .into_iter()
        .filter(|t| t.kind == TimelineKind::Comment)
        .map(|t| t.payload["text"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(texts.contains(&"europe note".to_string()) && texts.contains(&"labs note".to_string()), "{texts:?}");
    let hits = eng.search("europe@acme.example", 10).unwrap();
    assert_eq!(hits.iter().map(|h| (h.entity, h.id)).collect::<Vec<_>>(), vec![(Entity::Company, keep)]);
    assert!(eng.search("labs", 10).unwrap().iter().all(|h| h.id != labs || h.entity != Entity::Company));

    // The feed names every record the merge touched.
    let (_, changed) = eng.changes_since(mark, 100).unwrap();
    let changed = changed.expect("the log covers it");
    for wanted in [
        RecordRef::new(Entity::Company, keep),
        RecordRef::new(Entity::Company, europe),
        RecordRef::new(Entity::Company, labs),
    ] {
        assert!(changed.contains(&wanted), "{wanted:?} missing from {changed:?}");
    }
}

pub fn merging_leads_moves_their_activities_comms_and_comments(mut eng: TestEngine) {
    let keep = create(&mut eng, Entity::Lead, &[("title", "Printer"), ("last_name", "Dupont")], &[]).id;
    let second = create(&mut eng, Entity::Lead, &[("title", "Printer"), ("last_name", "Dupont")], &[]).id;
    let third = create(&mut eng, Entity::Lead, &[("title", "Printer")], &["07 12 12 12 12"]).id;
    let call = eng
        .plan_activity(task(RecordRef::new(Entity::Lead, second), "Call Dupont", NOW + 7_200_000), &Default::default())
        .unwrap();
    eng.comment(RecordRef::new(Entity::Lead, third), "asked for a quote").unwrap();

    let merged = eng.merge(Entity::Lead, keep, &[second, third], &MergeChoices::default(), None).unwrap();
    assert_eq!(merged.merged.len(), 2);
    assert_eq!(eng.count(Entity::Lead).unwrap(), 1);
    for id in [second, third] {
        assert!(matches!(eng.get(RecordRef::new(Entity::Lead, id)), Err(StoreError::NotFound { .. })));
    }
    let acts = eng
        .activities(&ActivityFilter { record: Some(RecordRef::new(Entity::Lead, keep)), ..Default::default() })
        .unwrap();
    assert_eq!(acts.iter().map(|a| a.id).collect::<Vec<_>>(), vec![call]);
    assert_eq!(eng.get(RecordRef::new(Entity::Lead, keep)).unwrap().next_activity_at, Some(NOW + 7_200_000));
    let kept = eng.get(RecordRef::new(Entity::Lead, keep)).unwrap();
    assert!(kept.comms.iter().any(|c| c.normalized == "+33712121212"), "{:?}", kept.comms);
    let found: Vec<_> = eng.search("07 12 12 12", 10).unwrap().into_iter().map(|h| (h.entity, h.id)).collect();
    assert_eq!(found, vec![(Entity::Lead, keep)]);
    let timeline = eng.timeline(RecordRef::new(Entity::Lead, keep), 100).unwrap();
    assert!(timeline.iter().any(|t| t.kind == TimelineKind::Comment && t.payload["text"] == "asked for a quote"));
    assert!(timeline.iter().any(|t| t.kind == TimelineKind::Merged));
}

/// Three records, three values of a field: every one is offered and any can be chosen, the
/// third's included; so can another value than the first for a field the merge fills.
pub fn merging_three_records_can_take_a_value_of_the_third(mut eng: TestEngine) {
    let person = |first: &str, position: &str| -> Vec<(&'static str, String)> {
        let mut f = vec![("first_name", first.to_string()), ("last_name", "Martin".to_string())];
        if !position.is_empty() {
            f.push(("position", position.to_string()));
        }
        f
    };
    let mut make = |first: &str, position: &str| {
        let fields = person(first, position);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        create(&mut eng, Entity::Contact, &fields, &[]).id
    };
    let keep = make("Jean-Pierre", "");
    let second = make("Jean Pierre", "CTO");
    let third = make("JP", "Director");
    let fourth = make("Jean Pierre", "");

    let preview = eng.merge_preview(Entity::Contact, keep, &[second, third, fourth]).unwrap();
    let first_name = preview.conflicts.iter().find(|c| c.field == "first_name").expect("first names differ");
    assert_eq!(first_name.keep, "Jean-Pierre");
    assert_eq!(
        first_name.values,
        vec![(second, "Jean Pierre".to_string()), (third, "JP".to_string())],
        "every value once, with the first record holding it"
    );
    assert!(preview.fills.iter().any(|(f, v, from)| f == "position" && v == "CTO" && *from == second));
    let position = preview.alternatives.iter().find(|c| c.field == "position").expect("the others differ");
    assert_eq!(position.values, vec![(second, "CTO".to_string()), (third, "Director".to_string())]);

    // A record outside the merge, or without a value of its own, is refused by name.
    for wrong in [999, fourth] {
        let mut choices = MergeChoices::default();
        choices.fields.insert("position".into(), Prefer::Record(wrong));
        let e = eng.merge(Entity::Contact, keep, &[second, third, fourth], &choices, None).unwrap_err();
        assert!(matches!(&e, StoreError::Field(f) if f.field == "position"), "#{wrong}: {e:?}");
    }
    assert_eq!(eng.count(Entity::Contact).unwrap(), 4, "nothing written");

    let mut choices = MergeChoices::default();
    choices.fields.insert("first_name".into(), Prefer::Record(third));
    choices.fields.insert("position".into(), Prefer::Record(third));
    eng.merge(Entity::Contact, keep, &[second, third, fourth], &choices, None).unwrap();
    assert_eq!(text_of(&eng, Entity::Contact, keep, "first_name"), "JP", "the third's value");
    assert_eq!(text_of(&eng, Entity::Contact, keep, "position"), "Director");
    assert_eq!(eng.count(Entity::Contact).unwrap(), 1);
    let history = eng.timeline(RecordRef::new(Entity::Contact, keep), 10).unwrap();
    let merged = history.iter().find(|t| t.kind == TimelineKind::Merged).unwrap();
    assert!(
        merged.payload["changes"].as_array().unwrap().iter().any(|c| c["field"] == "first_name" && c["new"] == "JP")
    );
    assert!(
        merged.payload["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "position" && c["new"] == "Director")
    );

    // The kept value stays when the kept record is named.
    let a = create(&mut eng, Entity::Company, &[("title", "Acme")], &[]).id;
    let b = create(&mut eng, Entity::Company, &[("title", "ACME SA")], &[]).id;
    let c = create(&mut eng, Entity::Company, &[("title", "Acme Group")], &[]).id;
    let mut choices = MergeChoices::default();
    choices.fields.insert("title".into(), Prefer::Record(a));
    eng.merge(Entity::Company, a, &[b, c], &choices, None).unwrap();
    assert_eq!(text_of(&eng, Entity::Company, a, "title"), "Acme");
}
