//! Deals with several contacts (SPEC E3): the primary one is the `contact` field, the others
//! a list linked by id; shown primary first, on both sides, through edits, merges, deletions,
//! imports and the user's rights.

use crate::{TestEngine, create, input};
use prospect::domain::fields::Entity;
use prospect::store::import::{ImportOptions, ImportRow, RowOutcome};
use prospect::store::merge::MergeChoices;
use prospect::store::{LinksChange, RecordInput, RecordRef, StoreError};

fn deal_ref(id: i64) -> RecordRef {
    RecordRef::new(Entity::Deal, id)
}

/// A deal's contacts as shown: every linked contact, in order.
fn contacts_of(eng: &TestEngine, deal: i64) -> Vec<i64> {
    let r = eng.get(deal_ref(deal)).unwrap();
    r.links.iter().filter(|(e, _)| *e == Entity::Contact).map(|(_, l)| l.id).collect()
}

/// The deals a contact's form lists.
fn deals_of(eng: &TestEngine, contact: i64) -> Vec<i64> {
    let r = eng.get(RecordRef::new(Entity::Contact, contact)).unwrap();
    r.links.iter().filter(|(e, _)| *e == Entity::Deal).map(|(_, l)| l.id).collect()
}

fn change(add: &[i64], remove: &[i64]) -> RecordInput {
    let ids = |l: &[i64]| l.iter().map(|i| i.to_string()).collect();
    RecordInput { contacts: LinksChange { replace: None, add: ids(add), remove: ids(remove) }, ..Default::default() }
}

fn person(eng: &mut TestEngine, name: &str) -> i64 {
    create(eng, Entity::Contact, &[("first_name", name), ("last_name", "Roux")], &[]).id
}

pub fn a_deal_links_several_contacts_the_primary_first(mut eng: TestEngine) {
    let [anne, marc, lea] = ["Anne", "Marc", "Lea"].map(|n| person(&mut eng, n));
    let mut new = input(&[("title", "Kiosks"), ("contact", &anne.to_string())]);
    new.contacts.add = vec![lea.to_string(), marc.to_string(), anne.to_string(), lea.to_string()];
    let deal = eng.create(Entity::Deal, &new).unwrap().id;
    // The primary first, then the others by id, each once.
    assert_eq!(contacts_of(&eng, deal), [anne, marc, lea]);
    let json = eng.get(deal_ref(deal)).unwrap().to_json();
    let primary: Vec<bool> = json["contacts"].as_array().unwrap().iter().map(|c| c["primary"] == true).collect();
    assert_eq!(primary, [true, false, false]);
    // Each contact's form lists the deal.
    for c in [anne, marc, lea] {
        assert_eq!(deals_of(&eng, c), [deal], "contact #{c}");
    }

    // One of the others made primary swaps places with the primary.
    eng.update(deal_ref(deal), None, &input(&[("contact", &marc.to_string())])).unwrap();
    assert_eq!(contacts_of(&eng, deal), [marc, anne, lea]);
    // Unlinked: gone from both sides; the change is in the history.
    let saved = eng.update(deal_ref(deal), None, &change(&[], &[lea])).unwrap();
    assert_eq!(saved.changed, ["contacts"]);
    assert_eq!(contacts_of(&eng, deal), [marc, anne]);
    assert!(deals_of(&eng, lea).is_empty());
    let history = eng.timeline(deal_ref(deal), 10).unwrap();
    assert!(format!("{:?}", history[0]).contains("contacts"), "{:?}", history[0]);

    // A contact that does not exist is refused, naming the field, and nothing is written.
    let version = eng.get(deal_ref(deal)).unwrap().version;
    match eng.update(deal_ref(deal), None, &change(&[lea, 9_999], &[])) {
        Err(StoreError::Field(f)) => assert_eq!(f.field, "contacts"),
        other => panic!("expected a refusal of the field contacts, got {other:?}"),
    }
    assert_eq!(eng.get(deal_ref(deal)).unwrap().version, version);
    assert_eq!(contacts_of(&eng, deal), [marc, anne]);

    // A deleted contact leaves the deal.
    eng.delete(RecordRef::new(Entity::Contact, anne), None).unwrap();
    assert_eq!(contacts_of(&eng, deal), [marc]);
}

pub fn merging_contacts_moves_them_on_their_deals(mut eng: TestEngine) {
    let [keep, other, third] = ["Anne", "Anne", "Paul"].map(|n| person(&mut eng, n));
    let deal = |eng: &mut TestEngine, primary: i64, others: &[i64]| {
        let mut new = input(&[("title", "Deal"), ("contact", &primary.to_string())]);
        new.contacts.add = others.iter().map(|i| i.to_string()).collect();
        eng.create(Entity::Deal, &new).unwrap().id
    };
    let both = deal(&mut eng, keep, &[other]);
    let primary_other = deal(&mut eng, other, &[third]);
    let other_aside = deal(&mut eng, third, &[other]);
    eng.merge(Entity::Contact, keep, &[other], &MergeChoices::default(), None).unwrap();
    // Never beside itself as primary; the merged contact's places are the kept one's.
    assert_eq!(contacts_of(&eng, both), [keep]);
    assert_eq!(contacts_of(&eng, primary_other), [keep, third]);
    assert_eq!(contacts_of(&eng, other_aside), [third, keep]);
    assert_eq!(deals_of(&eng, keep), [other_aside, primary_other, both]);
}

pub fn an_import_links_a_deals_other_contacts_and_refuses_a_missing_one_alone(mut eng: TestEngine) {
    let [anne, marc] = ["Anne", "Marc"].map(|n| person(&mut eng, n));
    let row = |title: &str, others: &[i64]| {
        let mut i = input(&[("title", title), ("contact", &anne.to_string())]);
        i.contacts.add = others.iter().map(|i| i.to_string()).collect();
        i.origin = Some("import".into());
        Ok(i)
    };
    let rows: Vec<ImportRow> = [row("With Marc", &[marc]), row("With a ghost", &[9_999]), row("Alone", &[])]
        .into_iter()
        .enumerate()
        .map(|(i, r)| ImportRow::new(i as u64 + 2, r))
        .collect();
    let report = eng
        .import(Entity::Deal, |from| rows[from.min(rows.len())..].to_vec(), ImportOptions::default(), |_| {})
        .unwrap();
    let outcomes: Vec<RowOutcome> = report.rows.iter().map(|(_, o)| o).collect();
    let RowOutcome::Created { id: with_marc, .. } = outcomes[0].clone() else { panic!("{outcomes:?}") };
    assert!(matches!(&outcomes[1], RowOutcome::Rejected { reason } if reason.contains("contacts")), "{outcomes:?}");
    assert!(matches!(outcomes[2], RowOutcome::Created { .. }), "{outcomes:?}");
    assert_eq!(contacts_of(&eng, with_marc), [anne, marc]);
}

pub fn a_deal_links_only_contacts_its_user_may_see(mut eng: TestEngine) {
    let mut bob = eng.session_as("bob", &["Manager"], None);
    // alice's contact (hers: a Manager does not see it) and bob's own.
    let hidden = create(&mut eng, Entity::Contact, &[("first_name", "Alice's"), ("last_name", "Client")], &[]).id;
    let his = create(&mut bob, Entity::Contact, &[("first_name", "Bob's"), ("last_name", "Client")], &[]).id;
    let deal = create(&mut bob, Entity::Deal, &[("title", "Bob's deal"), ("contact", &his.to_string())], &[]).id;
    let e = bob.update(deal_ref(deal), None, &change(&[hidden], &[])).unwrap_err();
    assert!(matches!(e, StoreError::NotFound { entity: Entity::Contact, .. }), "{e:?}");
    let mut new = input(&[("title", "Another")]);
    new.contacts.add = vec![hidden.to_string()];
    assert!(matches!(bob.create(Entity::Deal, &new), Err(StoreError::NotFound { .. })));
    assert_eq!(contacts_of(&eng, deal), [his]);
    assert_eq!(eng.count(Entity::Deal).unwrap(), 1, "nothing written");
    // Nor as its primary contact (its name would be in the deal's history).
    let e = bob.update(deal_ref(deal), None, &input(&[("contact", &hidden.to_string())])).unwrap_err();
    assert!(matches!(e, StoreError::NotFound { entity: Entity::Contact, .. }), "{e:?}");

    // alice (who sees everything) links her contact to bob's deal, as its primary contact
    // and as another: bob opens his deal and reads neither its name nor its phone, only
    // that a record he cannot see is linked (its id kept, so his edits keep the link).
    let mut hers_first = input(&[("contact", &hidden.to_string())]);
    hers_first.contacts.add = vec![his.to_string()];
    eng.update(deal_ref(deal), None, &hers_first).unwrap();
    let his_deal = bob.get(deal_ref(deal)).unwrap();
    assert!(!format!("{his_deal:?}").contains("Alice's"), "{his_deal:?}");
    assert_eq!(contacts_of(&bob, deal), [hidden, his]);
    assert_eq!(his_deal.input_text("contact"), "a record you cannot see");
    let json = his_deal.to_json().to_string();
    assert!(!json.contains("Alice's") && json.contains("a record you cannot see"), "{json}");
    // Nor in his list of deals (the client column).
    let listed = bob.list(Entity::Deal, &Default::default()).unwrap();
    let row = listed.iter().find(|r| r.id == deal).unwrap();
    assert_eq!(row.client, "a record you cannot see", "{row:?}");
    assert_eq!(eng.list(Entity::Deal, &Default::default()).unwrap()[0].client, "Alice's Client");
    // Nor from the other side: alice's deal with bob's contact shows on his contact hidden.
    let mut hers = input(&[("title", "Alice's big deal"), ("contact", &hidden.to_string())]);
    hers.contacts.add = vec![his.to_string()];
    let hers = eng.create(Entity::Deal, &hers).unwrap().id;
    let card = bob.get(RecordRef::new(Entity::Contact, his)).unwrap();
    assert!(card.links.iter().any(|(e, l)| *e == Entity::Deal && l.id == hers), "{card:?}");
    assert!(!format!("{card:?}").contains("Alice's"), "{card:?}");
    // bob's own edit of other contacts keeps the one he cannot see as primary.
    bob.update(deal_ref(deal), None, &change(&[], &[his])).unwrap();
    assert_eq!(contacts_of(&eng, deal), [hidden]);
}
