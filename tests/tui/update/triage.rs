//! Triage: decisions in one to three keys, and undo.

use super::*;

#[test]
fn triage_decides_in_one_to_three_keys_and_undoes() {
    let mut h = Harness::new(0, Lang::En);
    let mut ids = Vec::new();
    for i in 0..5 {
        let input = RecordInput { fields: vec![("title".into(), format!("Inbound {i}"))], ..Default::default() };
        ids.push(h.store.create(Entity::Lead, &input).unwrap().id);
    }
    h.act(Show(Tab::LeadBoard));
    h.act(Triage);
    assert_eq!(h.app.screen, Screen::Triage);
    let shown = |h: &Harness| h.app.triage.item.as_ref().map(|i| (i.record.id, i.remaining));
    assert_eq!(shown(&h), Some((ids[0], 5)), "the oldest first, with the count");
    // y: qualified, one key.
    h.act(TriageQualify);
    assert_eq!(stage_and_owner(&h, ids[0]).0, "IN_PROCESS");
    assert_eq!(shown(&h), Some((ids[1], 4)));
    // j, reason, Enter: junked with the reason.
    h.act(TriageJunk);
    h.type_text("spam");
    h.act(Submit);
    assert_eq!(stage_and_owner(&h, ids[1]).0, "JUNK");
    // c, a quick choice, Enter: a call planned; the lead leaves the inbox.
    h.act(PlanActivity);
    assert!(matches!(h.app.overlay, Overlay::Plan(_)));
    h.act(Submit);
    assert_eq!(h.other().activities(&of_lead(ids[2])).unwrap().len(), 1);
    assert_eq!(shown(&h), Some((ids[3], 2)));
    // s: skipped for now.
    h.act(TriageSkip);
    assert_eq!(shown(&h), Some((ids[4], 1)));
    // u, u, u: the skip, the call and the junk are taken back, last first.
    h.act(TriageUndo);
    assert_eq!(shown(&h).map(|s| s.0), Some(ids[3]));
    h.act(TriageUndo);
    assert_eq!(shown(&h).map(|s| s.0), Some(ids[2]));
    assert!(h.other().activities(&of_lead(ids[2])).unwrap().is_empty());
    h.act(TriageUndo);
    assert_eq!(shown(&h).map(|s| s.0), Some(ids[1]));
    assert_eq!(stage_and_owner(&h, ids[1]).0, "NEW");
    // a, pick, Enter: assigned to bruno... who must exist.
    let bruno = prospect::store::users::NewUser {
        login: "bruno".into(),
        display_name: None,
        department: None,
        admin: false,
        roles: vec![],
        password: None,
    };
    h.store.add_user(&bruno).unwrap();
    h.run(vec![prospect::tui::effect::Effect::LoadReference]);
    h.act(BulkAssign);
    let Overlay::Picker(p) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    let bruno = p.items.iter().position(|(l, _)| l == "bruno").unwrap();
    let cursor = p.cursor;
    for _ in cursor..bruno {
        h.act(Down);
    }
    h.act(Submit);
    assert_eq!(stage_and_owner(&h, ids[1]).1, "bruno");
    assert_ne!(shown(&h).map(|s| s.0), Some(ids[1]), "bruno's lead leaves alice's inbox");
    h.act(TriageUndo);
    assert_eq!(stage_and_owner(&h, ids[1]).1, "alice");
    // Nothing left: the screen says so.
    for _ in 0..10 {
        h.act(TriageSkip);
    }
    assert!(h.app.triage.item.is_none());
}

/// Issue 23: after undoing a planned call the status bar still counted it, and undoing an
/// assignment said `1 record(s) done.`: the counters reload, and the message says what was
/// undone.
#[test]
fn undo_in_triage_says_what_it_undid_and_recounts() {
    let mut h = Harness::new(0, Lang::En);
    let mut ids = Vec::new();
    for i in 0..3 {
        let input = RecordInput { fields: vec![("title".into(), format!("Inbound {i}"))], ..Default::default() };
        ids.push(h.store.create(Entity::Lead, &input).unwrap().id);
    }
    let bruno = prospect::store::users::NewUser {
        login: "bruno".into(),
        display_name: None,
        department: None,
        admin: false,
        roles: vec![],
        password: None,
    };
    h.store.add_user(&bruno).unwrap();
    h.run(vec![prospect::tui::effect::Effect::LoadReference]);
    h.act(Show(Tab::LeadBoard));
    h.act(Triage);
    let counted = |h: &Harness| {
        let c = h.app.counters;
        c.overdue + c.today + c.incoming
    };
    let before = counted(&h);
    h.act(PlanActivity);
    h.act(Submit);
    assert_eq!(counted(&h), before + 1, "the planned call is counted");
    h.act(TriageUndo);
    assert_eq!(counted(&h), before, "and no longer once undone");
    let said = |h: &Harness| h.app.status.clone().unwrap().0;
    assert_eq!(said(&h), format!("Undone: the activity planned on Lead #{} is deleted.", ids[0]));
    // An assignment taken back names who has the lead again.
    h.act(BulkAssign);
    let Overlay::Picker(p) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    let to = p.items.iter().position(|(l, _)| l == "bruno").unwrap();
    for _ in p.cursor..to {
        h.act(Down);
    }
    h.act(Submit);
    assert_eq!(stage_and_owner(&h, ids[0]).1, "bruno");
    h.act(TriageUndo);
    assert_eq!(stage_and_owner(&h, ids[0]).1, "alice");
    let msg = said(&h);
    assert!(msg.starts_with(&format!("Undone: Lead #{} is back with ", ids[0])) && !msg.contains("record(s)"), "{msg}");
    // A move taken back names the stage.
    h.act(TriageQualify);
    h.act(TriageUndo);
    assert_eq!(said(&h), format!("Undone: Lead #{} is back in New.", ids[0]));
    assert_eq!(stage_and_owner(&h, ids[0]).0, "NEW");
}
