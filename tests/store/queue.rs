//! The distribution queue (SPEC I6): leads that arrive by themselves go evenly, in order or
//! to all; inactive users are skipped; a lead "to all" is taken by the first who asks.

use crate::{TestEngine, input, text_of};
use prospect::domain::fields::Entity;
use prospect::domain::queue::QueueMode;
use prospect::store::{RecordInput, Rule, StoreError};

/// A lead that came in by an import (an intake origin), with no responsible given.
fn arrived(eng: &mut crate::TestEngine, title: &str) -> i64 {
    let lead = RecordInput { origin: Some("import".into()), ..input(&[("title", title)]) };
    eng.create(Entity::Lead, &lead).unwrap().id
}

fn owners(eng: &mut crate::TestEngine, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let id = arrived(eng, &format!("Lead {i}"));
            text_of(eng, Entity::Lead, id, "responsible")
        })
        .collect()
}

fn users(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

pub fn even_goes_round_skipping_inactive_users(mut eng: TestEngine) {
    eng.add_users(&["bob", "carol", "dave"]);
    eng.set_queue(QueueMode::Even, &users(&["bob", "carol", "dave"])).unwrap();
    assert_eq!(owners(&mut eng, 4), ["bob", "carol", "dave", "bob"]);
    eng.set_user_active("carol", false).unwrap();
    assert_eq!(owners(&mut eng, 3), ["dave", "bob", "dave"], "carol is skipped");
    assert_eq!(eng.queue().unwrap().last.as_deref(), Some("dave"));

    // A lead typed in by a person stays theirs; a responsible given is kept.
    let mine = eng.create(Entity::Lead, &input(&[("title", "Typed")])).unwrap().id;
    assert_eq!(text_of(&eng, Entity::Lead, mine, "responsible"), "alice");
    let given = RecordInput { origin: Some("import".into()), ..input(&[("responsible", "carol")]) };
    let given = eng.create(Entity::Lead, &given).unwrap().id;
    assert_eq!(text_of(&eng, Entity::Lead, given, "responsible"), "carol");
    assert_eq!(owners(&mut eng, 1), ["bob"], "the queue went on where it was");
}

pub fn in_order_gives_every_lead_to_the_first_active_user(mut eng: TestEngine) {
    eng.add_users(&["bob", "carol"]);
    eng.set_queue(QueueMode::InOrder, &users(&["bob", "carol"])).unwrap();
    assert_eq!(owners(&mut eng, 2), ["bob", "bob"]);
    eng.set_user_active("bob", false).unwrap();
    assert_eq!(owners(&mut eng, 2), ["carol", "carol"]);
    eng.set_queue(QueueMode::Off, &[]).unwrap();
    assert_eq!(owners(&mut eng, 1), ["alice"], "no queue: whoever runs the intake");
}

pub fn to_all_leaves_leads_unassigned_until_someone_takes_one(mut eng: TestEngine) {
    let mut bob = eng.session("bob");
    let mut carol = eng.session("carol");
    eng.set_queue(QueueMode::ToAll, &[]).unwrap();
    let lead = arrived(&mut eng, "Anyone?");
    assert_eq!(text_of(&eng, Entity::Lead, lead, "responsible"), "");
    bob.take_lead(lead).unwrap();
    assert_eq!(text_of(&eng, Entity::Lead, lead, "responsible"), "bob");
    let e = carol.take_lead(lead).unwrap_err();
    assert!(matches!(&e, StoreError::Rule(Rule::AlreadyTaken { owner, .. }) if owner == "bob"), "{e:?}");
    assert_eq!(text_of(&eng, Entity::Lead, lead, "responsible"), "bob");
    assert!(matches!(carol.take_lead(999), Err(StoreError::NotFound { .. })));
}

pub fn only_an_administrator_configures_the_queue(mut eng: TestEngine) {
    let mut bob = eng.session("bob");
    assert!(bob.set_queue(QueueMode::Even, &users(&["bob"])).is_err());
    assert_eq!(eng.queue().unwrap().mode, QueueMode::Off);
    assert!(eng.set_queue(QueueMode::Even, &[]).is_err(), "an even queue needs users");
    assert!(eng.set_queue(QueueMode::Even, &users(&["nobody"])).is_err(), "users must exist");
    assert_eq!(eng.queue().unwrap().mode, QueueMode::Off);
}

pub fn imported_and_emailed_leads_go_round_the_queue(mut eng: TestEngine) {
    use prospect::store::import::{ImportOptions, ImportRow};
    eng.add_users(&["bob", "carol"]);
    eng.set_queue(QueueMode::Even, &users(&["bob", "carol"])).unwrap();
    for bulk in [false, true] {
        let rows: Vec<ImportRow> = (0..3)
            .map(|i| {
                // Rows read from a file say so (`io::import`): they arrived by themselves.
                let row =
                    RecordInput { origin: Some("import".into()), ..input(&[("title", &format!("Row {bulk} {i}"))]) };
                ImportRow::new(i + 2, Ok(row))
            })
            .collect();
        let opts = ImportOptions { bulk, ..Default::default() };
        let report = eng.import(Entity::Lead, |from| rows[from.min(rows.len())..].to_vec(), opts, |_| {}).unwrap();
        assert_eq!(report.created, 3);
    }
    let msg = prospect::domain::intake::Message {
        key: "<q@example.org>".into(),
        from_name: Some("Queue Test".into()),
        from_address: Some("queue@example.org".into()),
        subject: Some("By mail".into()),
        body: String::new(),
        date: None,
    };
    eng.intake_email(&msg, false).unwrap();
    let mut got: Vec<(i64, String)> = eng
        .list(Entity::Lead, &prospect::store::ListFilter { limit: 100, ..Default::default() })
        .unwrap()
        .into_iter()
        .map(|r| (r.id, r.responsible.unwrap_or_default()))
        .collect();
    got.sort();
    let owners: Vec<&str> = got.iter().map(|(_, o)| o.as_str()).collect();
    assert_eq!(owners, ["bob", "carol", "bob", "carol", "bob", "carol", "bob"], "in arrival order");
    assert_eq!(eng.queue().unwrap().last.as_deref(), Some("bob"));
}
