//! Line items on a form (SPEC E4): `i` picks a product (or free text), a small form takes
//! the quantity and terms, Enter on a line changes it, `x` deletes it; a refusal names its
//! field and keeps what was typed; Esc over typed values asks for a second Esc.

use super::*;
use prospect::domain::product::ProductInput;
use prospect::tui::app::FormRow;

fn lines_of(h: &Harness) -> Vec<(String, i64)> {
    let form = h.app.form.as_ref().unwrap();
    form.lines.as_ref().unwrap().lines.iter().map(|l| (l.name.clone(), l.money.net())).collect()
}

fn go_to(h: &mut Harness, row: FormRow) {
    let at = h.app.form.as_ref().unwrap().rows.iter().position(|r| *r == row).unwrap();
    h.act(Top);
    for _ in 0..at {
        h.act(Down);
    }
}

#[test]
fn a_line_is_added_changed_refused_and_deleted_from_the_form() {
    let mut h = Harness::new(3, Lang::En);
    let product = ProductInput {
        name: Some("Consulting".into()),
        code: Some("CONS".into()),
        price: Some("600".into()),
        tax: Some("20".into()),
        unit: Some("h".into()),
        ..Default::default()
    };
    h.store.add_product(&product).unwrap();
    let id = h.app.lead_board.focused().unwrap().id;
    h.act(Open);
    assert!(lines_of(&h).is_empty());
    // i: the catalogue, free text last; the product picked fills the line's form.
    h.act(AddLine);
    match &h.app.overlay {
        Overlay::Picker(p) => {
            assert_eq!(p.items.len(), 2, "{:?}", p.items);
            assert!(p.items[0].1.contains("CONS · Consulting"), "{:?}", p.items);
        }
        other => panic!("picker expected, got {other:?}"),
    }
    h.act(Submit);
    let Overlay::Entry(e) = &h.app.overlay else { panic!("line form expected: {:?}", h.app.overlay) };
    assert_eq!((e.rows[0].input.text.as_str(), e.rows[2].input.text.as_str(), e.row), ("Consulting", "600.00", 1));
    h.type_text("1,5");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    assert_eq!(lines_of(&h), [("Consulting".to_string(), 90_000)]);
    let record = h.store.get(RecordRef::new(Entity::Lead, id)).unwrap();
    assert_eq!(record.get("amount").map(|a| a.text()), Some("1080.00".into()), "the amount follows its lines");
    assert!(h.app.status.as_ref().unwrap().0.contains("line 1 added"), "{:?}", h.app.status);

    // Enter on the line: its form; a bad discount is refused naming it, the cursor on it,
    // what was typed kept.
    go_to(&mut h, FormRow::Line(0));
    h.act(Edit);
    let Overlay::Entry(_) = &h.app.overlay else { panic!("line form expected") };
    h.acts(&[Down, Down, Down]);
    h.type_text("150%");
    h.act(Top);
    h.act(Submit);
    let Overlay::Entry(e) = &h.app.overlay else { panic!("the form stays: {:?}", h.app.overlay) };
    assert!(e.error.as_deref().unwrap_or("").contains("150%"), "{:?}", e.error);
    assert_eq!((e.rows[e.row].key, e.rows[3].input.text.as_str()), ("discount", "150%"));
    // Esc once over typed values warns; a second leaves, nothing written.
    h.act(Back);
    assert!(matches!(h.app.overlay, Overlay::Entry(_)), "one Esc does not lose the typed values");
    h.act(Back);
    assert!(matches!(h.app.overlay, Overlay::None));
    assert_eq!(lines_of(&h), [("Consulting".to_string(), 90_000)]);
    // A free line, then the first deleted (asked first).
    h.act(AddLine);
    h.act(Down);
    h.act(Submit);
    h.type_text("Installation");
    h.acts(&[Down, Down]);
    h.type_text("250");
    h.act(Submit);
    assert_eq!(lines_of(&h), [("Consulting".to_string(), 90_000), ("Installation".to_string(), 25_000)]);
    go_to(&mut h, FormRow::Line(0));
    h.act(RemoveComm);
    assert!(matches!(h.app.overlay, Overlay::Confirm(_)), "{:?}", h.app.overlay);
    h.act(Submit);
    assert_eq!(lines_of(&h), [("Installation".to_string(), 25_000)]);
}

#[test]
fn products_are_administered_in_their_pane() {
    let mut h = Harness::new(0, Lang::Fr);
    h.act(Team);
    while h.app.team.pane != prospect::tui::screens::team::TeamPane::Products {
        h.act(NextPane);
    }
    h.act(AdminAdd);
    let Overlay::Entry(_) = &h.app.overlay else { panic!("product form expected: {:?}", h.app.overlay) };
    h.type_text("Conseil");
    h.acts(&[Down, Down]);
    h.type_text("douze");
    h.act(Submit);
    let Overlay::Entry(e) = &h.app.overlay else { panic!("the form stays") };
    assert_eq!(e.rows[e.row].key, "price", "{:?}", e.error);
    for _ in 0..5 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("1 200,50");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    let products = h.store.products(true).unwrap();
    assert_eq!((products[0].name.as_str(), products[0].price, products[0].tax_rate), ("Conseil", 120_050, 2_000));
    assert_eq!(h.app.team.data.products.len(), 1, "the pane reloads");
    // Changed (inactive), then deleted.
    h.act(Edit);
    h.act(Up);
    for _ in 0..3 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("non");
    h.act(Submit);
    assert!(!h.store.products(true).unwrap()[0].active);
    h.act(AdminDelete);
    h.act(Submit);
    assert!(h.store.products(true).unwrap().is_empty());
}

#[test]
fn a_deals_form_makes_sends_and_issues_its_documents() {
    let mut h = Harness::new(0, Lang::Fr);
    let deal = h
        .store
        .create(Entity::Deal, &RecordInput { fields: vec![("title".into(), "Fours".into())], ..Default::default() })
        .unwrap()
        .id;
    let line = prospect::domain::product::LineInput {
        text: Some("Four à sole".into()),
        price: Some("4000".into()),
        tax: Some("20".into()),
        ..Default::default()
    };
    h.store.add_line(RecordRef::new(Entity::Deal, deal), &line).unwrap();
    h.act(Show(Tab::DealList));
    h.act(Open);
    // D: a quote or an invoice of the deal's lines.
    h.act(DeleteActivity);
    let Overlay::Picker(p) = &h.app.overlay else { panic!("document kinds expected: {:?}", h.app.overlay) };
    assert_eq!(p.items.iter().map(|(v, _)| v.as_str()).collect::<Vec<_>>(), ["quote", "invoice"]);
    h.act(Submit);
    let form = h.app.form.as_ref().unwrap();
    assert_eq!(form.documents.len(), 1, "{:?}", h.app.status);
    assert!(h.app.status.as_ref().unwrap().0.contains("Brouillon de devis"), "{:?}", h.app.status);
    // Enter on it: what a draft quote may become; sent, it takes its number.
    let at = form.rows.iter().position(|r| *r == FormRow::Document(0)).unwrap();
    h.act(Top);
    for _ in 0..at {
        h.act(Down);
    }
    h.act(Edit);
    let Overlay::Picker(p) = &h.app.overlay else { panic!("actions expected: {:?}", h.app.overlay) };
    assert_eq!(p.items[0].0, "status:sent", "{:?}", p.items);
    h.act(Submit);
    let doc = &h.app.form.as_ref().unwrap().documents[0];
    assert_eq!((doc.status.code(), doc.number.as_deref()), ("sent", Some("D-2026-00001")));
    // Its PDF written where asked.
    h.act(Edit);
    let Overlay::Picker(p) = &h.app.overlay else { panic!("actions expected") };
    let render = p.items.iter().position(|(v, _)| v == "render").unwrap();
    for _ in 0..render {
        h.act(Down);
    }
    h.act(Submit);
    let pdf = h.dir.path().join("devis.pdf");
    h.act(Input(InputKey::Clear));
    h.type_text(pdf.to_str().unwrap());
    h.act(Submit);
    // Without our company's name, the template says what it needs; the prompt stays.
    let Overlay::Prompt(p) = &h.app.overlay else { panic!("the path prompt stays: {:?}", h.app.overlay) };
    assert!(p.error.as_deref().unwrap_or("").contains("--name"), "{:?}", p.error);
    let mut details = prospect::domain::document::CompanyDetails::default();
    details.party.name = "Prospect SAS".into();
    h.store.set_company_details(&details).unwrap();
    h.act(Submit);
    assert!(
        std::fs::read(&pdf).map(|b| b.starts_with(b"%PDF-")).unwrap_or(false),
        "{:?} {:?}",
        h.app.status,
        h.app.overlay
    );
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
}
