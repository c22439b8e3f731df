//! Kanban boards: navigation through windows of cards, moves, quick create, `x`.

use super::*;
use prospect::tui::effect::{Effect, StoreEvent};

#[test]
fn board_navigation_loads_only_a_window() {
    let mut h = Harness::new(2000, Lang::En);
    let board = &h.app.lead_board;
    assert_eq!(board.columns.len(), 5);
    let new_count = board.columns[0].count();
    assert!(new_count > 500, "{new_count}");
    assert!(board.columns[0].cards.len() <= 100, "only a page is loaded at first");
    h.acts(&[Down, Down, Up]);
    assert_eq!(h.app.lead_board.columns[0].cursor, 1);
    h.act(Up);
    h.act(Up);
    assert_eq!(h.app.lead_board.columns[0].cursor, 0, "clamped at the top");
    h.act(Bottom);
    let col = &h.app.lead_board.columns[0];
    assert_eq!(col.cursor, new_count - 1);
    let last = col.focused().expect("the last card is loaded after G");
    let oldest = h
        .store
        .list(
            Entity::Lead,
            &ListFilter { stage: Some("NEW".into()), oldest_first: true, limit: 1, ..Default::default() },
        )
        .unwrap();
    assert_eq!(last.id, oldest[0].id);
    assert!(col.cards.len() <= prospect::tui::app::WINDOW);
    // Walk up from the bottom through several pages: every focused card is loaded and in order.
    let mut previous = last.id;
    for _ in 0..250 {
        h.act(Up);
        let id = h.app.lead_board.columns[0].focused().expect("loaded while scrolling").id;
        assert!(id > previous, "newest first");
        previous = id;
    }
    h.act(Top);
    assert_eq!(h.app.lead_board.columns[0].cursor, 0);
    assert!(h.app.lead_board.columns[0].focused().is_some());
    h.acts(&[Right, Right, Right, Right, Right, Right]);
    assert_eq!(h.app.lead_board.focus, 4, "clamped at the last column");
    h.act(Left);
    assert_eq!(focused_stage(&h), "CONVERTED");
}

#[test]
fn moving_a_card_follows_it_and_asks_a_reason_for_failure() {
    let mut h = Harness::new(200, Lang::En);
    // An older card, so that it lands below the top of the next column.
    h.acts(&[Down, Down, Down, Down, Down, Down, Down, Down]);
    let card = h.app.lead_board.focused().unwrap().clone();
    h.act(MoveNext);
    assert_eq!(focused_stage(&h), "IN_PROCESS", "focus follows the card");
    assert_eq!(h.app.lead_board.focused().map(|c| c.id), Some(card.id));
    assert!(h.app.lead_board.columns[1].cursor > 0, "the card is not simply the first of its new column");
    h.act(MoveNext);
    assert_eq!(focused_stage(&h), "PROCESSED");
    assert_eq!(h.app.lead_board.focused().map(|c| c.id), Some(card.id));
    let stored = h.store.get(RecordRef::new(Entity::Lead, card.id)).unwrap();
    assert_eq!(stored.version, card.version + 2);
    // Picking a failure stage asks for a reason.
    h.act(PickStage);
    assert!(matches!(h.app.overlay, Overlay::Picker(_)));
    h.acts(&[Down, Down]);
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::Prompt(_)), "a reason is asked for Junk");
    // The list's reasons are offered by number: the third is "No budget"; none is 99th.
    h.type_text("99");
    h.act(Submit);
    let Overlay::Prompt(p) = &h.app.overlay else { panic!("the prompt stays: {:?}", h.app.overlay) };
    assert!(p.error.as_deref().is_some_and(|e| e.contains("type 1 to 6")), "{:?}", p.error);
    h.act(Input(prospect::tui::action::InputKey::Clear));
    h.type_text("3");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None));
    assert_eq!(focused_stage(&h), "JUNK");
    let tl = h.store.timeline(RecordRef::new(Entity::Lead, card.id), 1).unwrap();
    assert_eq!(tl[0].payload["reason"], "No budget");
    // No stage after the last one.
    h.act(MoveNext);
    assert!(h.app.status.as_ref().unwrap().0.contains("No stage further"));
}

#[test]
fn quick_create_puts_the_card_in_the_focused_column() {
    let mut h = Harness::new(50, Lang::En);
    h.act(Right);
    h.act(QuickCreate);
    h.type_text("Call back Mr Li");
    h.act(Submit);
    assert_eq!(focused_stage(&h), "IN_PROCESS");
    let card = h.app.lead_board.focused().unwrap();
    assert_eq!(card.title, "Call back Mr Li");
    assert_eq!(h.app.lead_board.columns[1].cursor, 0);
}

#[test]
fn a_move_survives_another_users_edit_of_other_fields() {
    let mut h = Harness::new(30, Lang::En);
    let card = h.app.lead_board.focused().unwrap().clone();
    let mut other = h.other();
    let input = RecordInput { fields: vec![("comments".into(), "called back".into())], ..Default::default() };
    other.update(RecordRef::new(Entity::Lead, card.id), None, &input).unwrap();
    // The board still holds the old version: the move goes through, the comment stays.
    h.act(MoveNext);
    let now = other.get(RecordRef::new(Entity::Lead, card.id)).unwrap();
    assert_eq!(now.get("stage").unwrap().text(), "In progress");
    assert_eq!(now.get("comments").unwrap().text(), "called back");
}

#[test]
fn a_second_move_typed_while_the_board_reloads_is_not_lost() {
    let mut h = Harness::new(100, Lang::En);
    let card = h.app.lead_board.focused().unwrap().clone();
    // First L: its reload is still pending when the second L arrives.
    let pending = h.act_partly(MoveNext);
    let second = prospect::tui::update::update(&mut h.app, MoveNext);
    h.run(pending);
    h.run(second);
    let stored = h.store.get(RecordRef::new(Entity::Lead, card.id)).unwrap();
    assert_eq!(stored.get("stage").map(|s| s.text()), Some("Processed".into()), "both moves applied");
    assert_eq!(focused_stage(&h), "PROCESSED");
    assert_eq!(h.app.lead_board.focused().map(|c| c.id), Some(card.id));
}

#[test]
fn enter_typed_while_the_board_reloads_opens_the_moved_card() {
    let mut h = Harness::new(100, Lang::En);
    h.acts(&[Down, Down, Down]);
    let card = h.app.lead_board.focused().unwrap().clone();
    let pending = h.act_partly(MoveNext);
    // Enter arrives before the target column has reloaded.
    let open = prospect::tui::update::update(&mut h.app, Open);
    h.run(open);
    h.run(pending);
    assert_eq!(h.app.form.as_ref().and_then(|f| f.record.as_ref()).map(|r| r.id), Some(card.id));
}

#[test]
fn x_completes_the_cards_next_activity() {
    let mut h = Harness::new(60, Lang::En);
    // A card with an open activity: its marker shows it.
    let col = &h.app.lead_board.columns[0];
    let idx = col.cards.iter().position(|c| c.next_activity.is_some()).expect("a card with an activity");
    for _ in 0..idx {
        h.act(Down);
    }
    let card = h.app.lead_board.focused().unwrap().clone();
    let open_before = h.store.activities(&of_lead(card.id)).unwrap();
    h.act(CompleteActivity);
    let open_after = h.store.activities(&of_lead(card.id)).unwrap();
    assert_eq!(open_after.len() + 1, open_before.len());
    assert!(!open_after.iter().any(|a| a.id == open_before[0].id), "the nearest one was completed");
    // A card without any open activity says so.
    let mut store = h.other();
    let bare = store
        .create(
            Entity::Lead,
            &prospect::store::RecordInput { fields: vec![("title".into(), "Bare".into())], ..Default::default() },
        )
        .unwrap();
    let done = prospect::tui::worker::run(
        &mut h.store,
        Lang::En,
        prospect::tui::effect::Effect::CompleteNext { entity: Entity::Lead, id: bare.id },
    );
    assert!(
        matches!(&done[..], [prospect::tui::effect::StoreEvent::Failed { message, .. }] if message.contains("no open activity"))
    );
}

#[test]
fn a_moved_card_is_drawn_in_its_new_column_before_the_store_answers() {
    let mut h = Harness::new(100, Lang::En);
    let card = h.app.lead_board.focused().unwrap().clone();
    let before: Vec<i64> = h.app.lead_board.columns.iter().map(|c| c.head.as_ref().unwrap().count).collect();
    // The Move effect is not run: what the screen shows comes from the key alone.
    let effects = prospect::tui::update::update(&mut h.app, MoveNext);
    assert!(matches!(effects.as_slice(), [Effect::Move { .. }]), "{effects:?}");
    assert_eq!(focused_stage(&h), "IN_PROCESS");
    assert_eq!(h.app.lead_board.focused().map(|c| c.id), Some(card.id), "the card is focused where it went");
    let after: Vec<i64> = h.app.lead_board.columns.iter().map(|c| c.head.as_ref().unwrap().count).collect();
    assert_eq!((after[0], after[1]), (before[0] - 1, before[1] + 1));
    h.run(effects);
    assert_eq!(h.app.lead_board.focused().map(|c| c.id), Some(card.id), "the store's answer agrees");
    assert_eq!(focused_stage(&h), "IN_PROCESS");
}

#[test]
fn a_refused_move_shown_early_reloads_the_board() {
    let mut h = Harness::new(100, Lang::En);
    let card = h.app.lead_board.focused().unwrap().clone();
    let _ = prospect::tui::update::update(&mut h.app, MoveNext);
    // The store refuses (say the file went read-only): the board asks for its true state.
    let effects = prospect::tui::update::on_store(
        &mut h.app,
        StoreEvent::Failed { message: "refused".into(), field: None, conflict: false },
    );
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadBoard { .. })), "{effects:?}");
    h.run(effects);
    assert_eq!(focused_stage(&h), "NEW", "back where it is stored");
    assert!(h.app.lead_board.columns[0].cards.iter().any(|c| c.id == card.id));
}

/// Issue 23: `x` (next activity done, per README) did nothing on the Kanban and the
/// activities board: the key was bound on the lists only.
#[test]
fn x_is_next_activity_done_on_both_boards() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use prospect::tui::keymap::action_for;
    let mut h = Harness::new(60, Lang::En);
    let x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
    // The lead board: a card with an open activity loses its nearest one.
    let col = &h.app.lead_board.columns[0];
    let idx = col.cards.iter().position(|c| c.next_activity.is_some()).expect("a card with an activity");
    for _ in 0..idx {
        h.act(Down);
    }
    let card = h.app.lead_board.focused().unwrap().clone();
    let before = h.store.activities(&of_lead(card.id)).unwrap().len();
    let action = action_for(&h.app, x).expect("x is bound on the board");
    h.act(action);
    assert_eq!(h.store.activities(&of_lead(card.id)).unwrap().len() + 1, before);
    h.act(Show(Tab::DealBoard));
    assert_eq!(action_for(&h.app, x), Some(CompleteActivity), "and on the deal board");
    // The activities board: the focused card's nearest activity.
    h.act(Show(Tab::Activities));
    let col = h.app.agenda.columns.iter().position(|c| !c.rows.is_empty() && c.rows[0].next_activity.is_some());
    let col = col.expect("a column of leads with activities");
    while h.app.agenda.focus < col {
        h.act(Right);
    }
    let card = h.app.agenda.columns[col].rows[0].clone();
    let before = h.store.activities(&of_lead(card.id)).unwrap().len();
    let action = action_for(&h.app, x).expect("x is bound on the activities board");
    h.act(action);
    assert_eq!(h.store.activities(&of_lead(card.id)).unwrap().len() + 1, before);
}

/// Issue 23: the deal board's help listed the lead-only keys (triage, take, convert), and
/// the lead board the pipeline key it has no use for.
#[test]
fn each_board_lists_only_its_own_keys() {
    use prospect::tui::keymap::{bindings, context};
    let mut h = Harness::new(20, Lang::En);
    let actions = |h: &Harness| bindings(context(&h.app)).into_iter().map(|b| b.action).collect::<Vec<_>>();
    let leads = actions(&h);
    for a in [Triage, Take, Convert, CompleteActivity] {
        assert!(leads.contains(&a), "lead board: {a:?}");
    }
    assert!(!leads.contains(&SwitchPipeline));
    h.act(Show(Tab::DealBoard));
    let deals = actions(&h);
    for a in [Triage, Take, Convert] {
        assert!(!deals.contains(&a), "deal board: {a:?}");
    }
    assert!(deals.contains(&SwitchPipeline) && deals.contains(&CompleteActivity));
}

/// Issue 23: a pipeline added while the app is open (by the CLI, another process) never
/// appeared in `p`, even after `Ctrl-r`. Both a refresh and the live refresh read it.
#[test]
fn a_pipeline_added_elsewhere_appears_in_the_picker() {
    use prospect::tui::effect::StoreEvent;
    let mut h = Harness::new(20, Lang::En);
    h.act(Show(Tab::DealBoard));
    let before = h.app.pipelines.len();
    let mut other = h.other();
    other.add_pipeline("Partners").unwrap();
    // The live refresh: the worker noticed a change the log cannot name.
    let effects = prospect::tui::update::on_store(&mut h.app, StoreEvent::Changed(None));
    h.run(effects);
    assert_eq!(h.app.pipelines.len(), before + 1);
    other.add_pipeline("Resellers").unwrap();
    h.act(Refresh);
    assert_eq!(h.app.pipelines.len(), before + 2);
    h.act(SwitchPipeline);
    let Overlay::Picker(p) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    assert!(p.items.iter().any(|(_, name)| name == "Resellers"), "{:?}", p.items);
}

/// Another user's commit, made while this app's worker is between two looks at the change
/// feed and then busy with an effect, is still told: the worker used to take the data
/// version again after each of its own effects, which swallowed it until the next commit.
#[test]
fn another_users_commit_made_just_before_an_effect_is_still_told() {
    use prospect::tui::event::LoopEvent;
    use std::time::{Duration, Instant};
    let h = Harness::new(20, Lang::En);
    let (to_loop, from_worker) = prospect::tui::event::channel_pair();
    let effects = prospect::tui::worker::spawn(h.other(), Lang::En, to_loop);
    std::thread::sleep(Duration::from_millis(100));
    let mut other = h.other();
    let input = RecordInput { fields: vec![("title".into(), "From elsewhere".into())], ..Default::default() };
    other.create(Entity::Lead, &input).unwrap();
    effects.send(Effect::LoadCounters).unwrap();
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        let left = until.saturating_duration_since(Instant::now());
        match from_worker.recv_timeout(left) {
            Ok(LoopEvent::Store(StoreEvent::Changed(_))) => break,
            Ok(_) => {}
            Err(_) => panic!("the other user's lead was never told"),
        }
    }
}
