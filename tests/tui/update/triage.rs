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
    let bruno =
        prospect::store::users::NewUser { login: "bruno".into(), display_name: None, department: None, admin: false };
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
