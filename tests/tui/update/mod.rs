//! `update` without a terminal, on real files: the app as a whole here (welcome, live refresh,
//! busy files), each screen and the overlays in their module.

use crate::common;
use crate::common::tui::Harness;
use prospect::domain::fields::Entity;
use prospect::i18n::Lang;
use prospect::store::{ListFilter, RecordInput, RecordRef};
use prospect::tui::action::InputKey;
use prospect::tui::action::{Action::*, Tab};
use prospect::tui::app::{Overlay, Screen};

mod agenda;
mod board;
mod calendar;
mod crm_mode;
mod documents;
mod form;
mod import;
mod lines;
mod list;
mod mouse;
mod overlays;
mod reports;
mod team;
mod triage;

pub(super) fn focused_stage(h: &Harness) -> String {
    h.app.lead_board.column().and_then(|c| c.head.as_ref()).map(|h| h.stage.code.clone()).unwrap()
}

#[test]
fn empty_file_shows_welcome_and_demo_fills_it() {
    let mut h = Harness::new(0, Lang::En);
    assert_eq!(h.app.screen, Screen::Welcome);
    h.act(LoadDemo);
    assert_eq!(h.app.screen, Screen::Board(Entity::Lead));
    assert_eq!(h.app.lead_board.columns.iter().map(|c| c.count()).sum::<usize>(), 500);
}

#[test]
fn changes_from_another_process_reload_the_screen() {
    let mut h = Harness::new(30, Lang::En);
    let before = h.app.lead_board.columns[4].count();
    let card = h.app.lead_board.focused().unwrap().clone();
    let mut other = h.other();
    other.move_stage(RecordRef::new(Entity::Lead, card.id), "JUNK", None, None).unwrap();
    let reload = prospect::tui::update::on_store(&mut h.app, prospect::tui::effect::StoreEvent::Changed(None));
    h.run(reload);
    assert_eq!(h.app.lead_board.columns[4].count(), before + 1);
    // A move asked from a stale screen, after someone else moved the card, says who moved it
    // where, and moves nothing.
    let seen_stage = h.app.lead_board.columns[0].head.as_ref().unwrap().stage.id;
    let stale = prospect::tui::effect::Effect::Move {
        entity: Entity::Lead,
        id: card.id,
        seen: Some(prospect::tui::app::Seen { stage: seen_stage }),
        stage_code: "IN_PROCESS".into(),
        reason: None,
    };
    h.run(vec![stale]);
    let (msg, _) = h.app.status.clone().unwrap();
    assert!(msg.contains("was moved to “Junk” by alice") && msg.contains("not made"), "{msg}");
    let now = other.get(RecordRef::new(Entity::Lead, card.id)).unwrap();
    assert_eq!(now.get("stage").unwrap().text(), "Junk");
}

#[test]
fn a_read_that_meets_a_busy_file_waits_and_says_so() {
    let h = Harness::new(20, Lang::En);
    let mut store = h.other();
    let path = h.dir.path().join("crm.db");
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("BEGIN EXCLUSIVE").unwrap();
        locked_tx.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(800));
        c.execute_batch("COMMIT").unwrap();
    });
    locked_rx.recv().unwrap();
    let mut heard = Vec::new();
    let events = prospect::tui::worker::run_waiting(
        &mut store,
        Lang::En,
        prospect::tui::effect::Effect::LoadBoard { entity: Entity::Lead, pipeline: None },
        std::time::Duration::from_secs(10),
        |ev| heard.push(format!("{ev:?}")),
    );
    holder.join().unwrap();
    assert_eq!(heard, ["Waiting(true)", "Waiting(false)"]);
    assert!(matches!(events.as_slice(), [prospect::tui::effect::StoreEvent::Board { .. }]), "{events:?}");
}

#[test]
fn live_refresh_reloads_only_screens_that_show_what_changed() {
    use prospect::tui::effect::{Effect, StoreEvent};
    use prospect::tui::update::on_store;
    let mut h = Harness::new(30, Lang::En);
    let mut other = h.other();
    let from = h.store.last_change().unwrap();
    // Another user edits a contact: the change log says so, and the lead board stays put.
    let contact = other.list(Entity::Contact, &ListFilter::default()).unwrap()[0].id;
    let input = RecordInput { fields: vec![("comments".into(), "met at the fair".into())], ..Default::default() };
    other.update(RecordRef::new(Entity::Contact, contact), None, &input).unwrap();
    let (last, changed) = h.store.changes_since(from, 500).unwrap();
    assert_eq!(changed.as_deref(), Some(&[RecordRef::new(Entity::Contact, contact)][..]));
    assert!(last > from);
    let effects = on_store(&mut h.app, StoreEvent::Changed(changed));
    assert!(!effects.iter().any(|e| matches!(e, Effect::LoadBoard { .. })), "{effects:?}");
    // A lead changed: the lead board reloads.
    let lead = h.app.lead_board.focused().unwrap().id;
    other.comment(RecordRef::new(Entity::Lead, lead), "called").unwrap();
    let (_, changed) = h.store.changes_since(last, 500).unwrap();
    let effects = on_store(&mut h.app, StoreEvent::Changed(changed));
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadBoard { entity: Entity::Lead, .. })), "{effects:?}");
    // The contacts list does reload for the contact.
    h.act(Show(Tab::Contacts));
    let effects = on_store(&mut h.app, StoreEvent::Changed(Some(vec![RecordRef::new(Entity::Contact, contact)])));
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadList { .. })), "{effects:?}");
    // When the log cannot say (trimmed, or a settings change), everything reloads.
    assert_eq!(h.store.changes_since(-5, 500).unwrap().1, None);
    let effects = on_store(&mut h.app, StoreEvent::Changed(None));
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadList { .. })), "{effects:?}");
}

/// The filter of one lead's activities.
pub(super) fn of_lead(id: i64) -> prospect::store::activities::ActivityFilter {
    prospect::store::activities::ActivityFilter { record: Some(RecordRef::new(Entity::Lead, id)), ..Default::default() }
}

/// A lead's stage code and responsible, read from another connection.
pub(super) fn stage_and_owner(h: &Harness, id: i64) -> (String, String) {
    let r = h.other().get(RecordRef::new(Entity::Lead, id)).unwrap();
    let code = |k: &str| match r.get(k) {
        Some(prospect::store::records::Shown::Ref(x)) => x.code.clone(),
        _ => String::new(),
    };
    (code("stage"), code("responsible"))
}
