//! The documents screen (SPEC E5): every deal's quotes, or invoices with their credit notes,
//! as a list or a Kanban by status; Enter offers what may be done, `o` opens the deal.

use super::*;
use prospect::domain::document::{DocKind, DocStatus};
use prospect::service::InvoiceFrom;

/// Two deals with a line each; the first has a quote sent and an invoice issued, the
/// second a draft quote.
fn billed(h: &mut Harness) -> (i64, i64) {
    let company = RecordInput { fields: vec![("title".into(), "Boulangerie Étoile".into())], ..Default::default() };
    let company = h.store.create(Entity::Company, &company).unwrap().id.to_string();
    let mut deal = |title: &str, price: &str| {
        let fields = vec![("title".into(), title.into()), ("company".into(), company.clone())];
        let input = RecordInput { fields, ..Default::default() };
        let id = h.store.create(Entity::Deal, &input).unwrap().id;
        let line = prospect::domain::product::LineInput {
            text: Some("Four".into()),
            price: Some(price.into()),
            tax: Some("20".into()),
            ..Default::default()
        };
        h.store.add_line(RecordRef::new(Entity::Deal, id), &line).unwrap();
        id
    };
    let (fours, vitrines) = (deal("Fours", "1000"), deal("Vitrines", "250"));
    let q = h.store.add_quote(fours).unwrap();
    h.store.set_document_status(q.id, DocKind::Quote, DocStatus::Sent).unwrap();
    let i = h.store.add_invoice(InvoiceFrom::Quote(q.id)).unwrap();
    h.store.issue_invoice(i.id).unwrap();
    h.store.add_quote(vitrines).unwrap();
    (fours, vitrines)
}

#[test]
fn documents_show_as_a_list_and_a_kanban_and_act_from_either() {
    let mut h = Harness::new(0, Lang::En);
    let (fours, _) = billed(&mut h);
    h.act(Documents);
    assert_eq!(h.app.screen, Screen::Documents);
    let names = |h: &Harness| h.app.documents.docs.iter().map(|d| d.name()).collect::<Vec<_>>();
    assert_eq!(h.app.documents.kind, DocKind::Quote);
    assert_eq!(names(&h).len(), 2);
    assert!(names(&h).contains(&"D-2026-00001".to_string()), "{:?}", names(&h));
    // The invoices; on the Kanban the issued one is in its column.
    h.act(NextKind);
    assert_eq!(names(&h), ["F-2026-00001"]);
    h.act(ToggleBoard);
    let view = &h.app.documents;
    assert!(view.board);
    let columns: Vec<(DocStatus, usize)> = view.columns().iter().map(|(s, d)| (*s, d.len())).collect();
    assert_eq!(columns[1], (DocStatus::Issued, 1), "{columns:?}");
    assert_eq!(view.column, 1, "the focus stays on the document it was on");
    // Enter: what an issued invoice may do; paid, it moves to the Paid column.
    h.act(Open);
    let Overlay::Picker(p) = &h.app.overlay else { panic!("actions expected: {:?}", h.app.overlay) };
    let at = p.items.iter().position(|(v, _)| v == "status:paid").unwrap();
    for _ in 0..at {
        h.act(Down);
    }
    h.act(Submit);
    let view = &h.app.documents;
    assert_eq!(view.docs[0].status, DocStatus::Paid, "{:?}", h.app.status);
    assert_eq!((view.column, view.focused().map(|d| d.name())), (3, Some("F-2026-00001".into())));
    // o: the deal's form; Esc comes back here.
    h.act(OpenDeal);
    assert_eq!(h.app.screen, Screen::Form);
    assert_eq!(h.app.form.as_ref().unwrap().record.as_ref().unwrap().id, fours);
    h.act(Back);
    assert_eq!(h.app.screen, Screen::Documents);
    assert!(h.app.documents.board);
}

#[test]
fn a_salesperson_sees_the_documents_of_deals_they_may_see_only() {
    let mut h = Harness::new(0, Lang::Fr);
    billed(&mut h);
    let bob =
        prospect::store::users::NewUser { login: "bob".into(), roles: vec!["Manager".into()], ..Default::default() };
    h.store.add_user(&bob).unwrap();
    h.act(Documents);
    assert_eq!(h.app.documents.docs.len(), 2);
    let mut as_bob = h.other();
    as_bob.sign_in("bob").unwrap();
    h.store = as_bob;
    h.act(Refresh);
    assert!(h.app.documents.loaded && h.app.documents.docs.is_empty(), "{:?}", h.app.documents.docs);
}
