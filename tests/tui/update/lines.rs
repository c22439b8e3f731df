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
