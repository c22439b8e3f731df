//! The product catalogue and line items (SPEC E4, issue 28): products administered, lines
//! that make a record's amount, copied by a conversion, refused whole when wrong, and kept to
//! what their user may see.

use crate::{TestEngine, create, input, text_of};
use prospect::domain::convert::Targets;
use prospect::domain::fields::Entity;
use prospect::domain::product::{LineInput, ProductInput};
use prospect::store::convert::ConversionPlan;
use prospect::store::{RecordRef, Rule, StoreError};

fn product(name: &str, code: &str, price: &str, tax: &str) -> ProductInput {
    ProductInput {
        name: Some(name.into()),
        code: Some(code.into()),
        price: Some(price.into()),
        tax: Some(tax.into()),
        ..Default::default()
    }
}

fn sell(product: &str, qty: &str) -> LineInput {
    LineInput { product: Some(product.into()), qty: Some(qty.into()), ..Default::default() }
}

fn free(text: &str, price: &str) -> LineInput {
    LineInput { text: Some(text.into()), price: Some(price.into()), ..Default::default() }
}

fn deal(eng: &mut TestEngine, title: &str) -> RecordRef {
    RecordRef::new(Entity::Deal, create(eng, Entity::Deal, &[("title", title)], &[]).id)
}

fn amount(eng: &TestEngine, r: RecordRef) -> String {
    text_of(eng, r.entity, r.id, "amount")
}

pub fn products_are_added_listed_edited_and_deleted(mut eng: TestEngine) {
    let cons = eng.add_product(&product("Conseil", "CONS", "600", "20")).unwrap();
    assert_eq!((cons.price, cons.tax_rate, cons.currency.code()), (60_000, 2_000, "EUR"));
    eng.add_product(&product("Audit", "AUD-1", "1 500,50", "20")).unwrap();
    // A code is one product's, case aside; nothing written.
    let e = eng.add_product(&product("Autre", "cons", "1", "20")).unwrap_err();
    assert!(matches!(e, StoreError::Rule(Rule::ProductCodeTaken { .. })), "{e:?}");
    // Bad input names its field.
    for (bad, field) in [
        (product("", "X", "1", "20"), "name"),
        (product("X", "Y", "-1", "20"), "price"),
        (product("X", "Z", "1", "120"), "tax"),
    ] {
        match eng.add_product(&bad).unwrap_err() {
            StoreError::Field(f) => assert_eq!(f.field, field),
            e => panic!("{field}: {e:?}"),
        }
    }
    let names =
        |eng: &TestEngine, all: bool| eng.products(all).unwrap().into_iter().map(|p| p.name).collect::<Vec<_>>();
    assert_eq!(names(&eng, false), ["Audit", "Conseil"]);
    // By id or code; an edit keeps what it does not name; an inactive one leaves the list.
    let edit = ProductInput { price: Some("650".into()), active: Some(false), ..Default::default() };
    let edited = eng.edit_product("cons", &edit).unwrap();
    assert_eq!((edited.id, edited.name.as_str(), edited.price, edited.active), (cons.id, "Conseil", 65_000, false));
    assert_eq!(names(&eng, false), ["Audit"]);
    assert_eq!(names(&eng, true), ["Audit", "Conseil"]);
    assert_eq!(eng.product(&format!("#{}", cons.id)).unwrap().code.as_deref(), Some("CONS"));
    // A user who is not an administrator reads the catalogue and changes none of it.
    let mut bob = eng.session_as("bob", &["Manager"], None);
    assert_eq!(names(&bob, false), ["Audit"]);
    assert!(matches!(bob.add_product(&product("Bob's", "B", "1", "0")), Err(StoreError::Rule(Rule::AdminOnly { .. }))));
    assert!(matches!(bob.delete_product("AUD-1"), Err(StoreError::Rule(Rule::AdminOnly { .. }))));
    let (gone, used) = eng.delete_product("AUD-1").unwrap();
    assert_eq!((gone.name.as_str(), used), ("Audit", 0));
    assert!(matches!(eng.product("AUD-1"), Err(StoreError::Rule(Rule::NoSuchProduct { .. }))));
}

pub fn lines_make_the_records_amount_and_its_history(mut eng: TestEngine) {
    eng.add_product(&product("Conseil", "CONS", "600", "20")).unwrap();
    eng.add_product(&product("Livre", "BOOK", "30", "5,5")).unwrap();
    let d = deal(&mut eng, "Kiosks");
    eng.update(d, None, &input(&[("amount", "999")])).unwrap();
    // 1.5 h at 600 less 10 % = 810 (tax 20 %: 162); 3 books at 30 = 90 (5,5 %: 4,95).
    let with_discount = LineInput { discount: Some("10%".into()), ..sell("CONS", "1,5") };
    eng.add_line(d, &with_discount).unwrap();
    let lines = eng.add_line(d, &sell("book", "3")).unwrap();
    assert_eq!(lines.lines.iter().map(|l| l.position).collect::<Vec<_>>(), [1, 2]);
    assert_eq!((lines.totals.net, lines.totals.tax, lines.totals.gross), (90_000, 16_695, 106_695));
    let rates: Vec<(i64, i64, i64)> = lines.totals.rates.iter().map(|r| (r.rate, r.net, r.tax)).collect();
    assert_eq!(rates, [(550, 9_000, 495), (2_000, 81_000, 16_200)]);
    assert_eq!(amount(&eng, d), "1066.95");
    // Read back the same from the engine, in order.
    let read = eng.lines(d).unwrap();
    assert_eq!(read, lines);
    // A free line, then an edit of the first: the amount follows each.
    eng.add_line(d, &free("Installation", "100")).unwrap();
    assert_eq!(amount(&eng, d), "1166.95");
    let edit = LineInput { qty: Some("2".into()), discount: Some(String::new()), ..Default::default() };
    let lines = eng.edit_line(d, 1, &edit).unwrap();
    assert_eq!(lines.lines[0].id, read.lines[0].id, "an edited line keeps its id");
    assert_eq!(lines.lines[0].money.net(), 120_000);
    assert_eq!(amount(&eng, d), "1634.95");
    // The amount cannot be typed while lines make it (the same value can).
    let e = eng.update(d, None, &input(&[("amount", "5")])).unwrap_err();
    assert!(matches!(e, StoreError::Rule(Rule::AmountFromLines { .. })), "{e:?}");
    eng.update(d, None, &input(&[("amount", "1634.95"), ("title", "Kiosks 2")])).unwrap();
    // Deleting moves the others up; the last deleted leaves the amount as it was.
    let lines = eng.delete_line(d, 1).unwrap();
    assert_eq!(
        lines.lines.iter().map(|l| (l.position, l.name.as_str())).collect::<Vec<_>>(),
        [(1, "Livre"), (2, "Installation")]
    );
    assert_eq!(amount(&eng, d), "194.95");
    eng.delete_line(d, 2).unwrap();
    eng.delete_line(d, 1).unwrap();
    assert!(eng.lines(d).unwrap().lines.is_empty());
    assert_eq!(amount(&eng, d), "94.95");
    eng.update(d, None, &input(&[("amount", "5")])).unwrap();
    // The history says what each change sold.
    let history: Vec<String> = eng
        .timeline(d, 50)
        .unwrap()
        .into_iter()
        .flat_map(|t| t.payload["changes"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["field"] == "lines")
        .map(|c| format!("{} -> {}", c["old"].as_str().unwrap(), c["new"].as_str().unwrap()))
        .collect();
    assert!(history.iter().any(|h| h == " -> 1.5 × Conseil @ 600.00 EUR -10% · 20 %"), "{history:?}");
    assert!(
        history.iter().any(|h| h == "1.5 × Conseil @ 600.00 EUR -10% · 20 % -> 2 × Conseil @ 600.00 EUR · 20 %"),
        "{history:?}"
    );
    assert_eq!(history.len(), 7, "{history:?}");
    // A product deleted later leaves the lines that sold it as they were.
    eng.add_line(d, &sell("CONS", "1")).unwrap();
    let (_, used) = eng.delete_product("CONS").unwrap();
    assert_eq!(used, 1);
    let kept = eng.lines(d).unwrap();
    assert_eq!((kept.lines[0].name.as_str(), kept.lines[0].product_id, kept.totals.gross), ("Conseil", None, 72_000));
}

pub fn a_bad_line_is_refused_and_nothing_is_written(mut eng: TestEngine) {
    eng.add_product(&product("Conseil", "CONS", "600", "20")).unwrap();
    eng.add_product(&ProductInput { currency: Some("USD".into()), ..product("Support", "SUP", "100", "0") }).unwrap();
    eng.add_product(&ProductInput { active: Some(false), ..product("Old", "OLD", "1", "0") }).unwrap();
    let d = deal(&mut eng, "Kiosks");
    eng.add_line(d, &sell("CONS", "1")).unwrap();
    let field_of = |e: StoreError| match e {
        StoreError::Field(f) => f.field,
        e => panic!("{e:?}"),
    };
    let mut eng = eng;
    assert_eq!(field_of(eng.add_line(d, &sell("SUP", "1")).unwrap_err()), "product", "another currency");
    assert_eq!(field_of(eng.add_line(d, &sell("OLD", "1")).unwrap_err()), "product", "inactive");
    assert_eq!(field_of(eng.add_line(d, &sell("CONS", "-1")).unwrap_err()), "qty");
    assert_eq!(field_of(eng.add_line(d, &sell("CONS", "1.2345")).unwrap_err()), "qty");
    let too_much = LineInput { discount: Some("601".into()), ..sell("CONS", "1") };
    assert_eq!(field_of(eng.add_line(d, &too_much).unwrap_err()), "discount");
    let over = LineInput { discount: Some("100.5%".into()), ..sell("CONS", "1") };
    assert_eq!(field_of(eng.add_line(d, &over).unwrap_err()), "discount");
    let rate = LineInput { tax: Some("7/2".into()), ..sell("CONS", "1") };
    assert_eq!(field_of(eng.add_line(d, &rate).unwrap_err()), "tax");
    assert_eq!(field_of(eng.add_line(d, &LineInput::default()).unwrap_err()), "text");
    assert!(matches!(eng.add_line(d, &sell("NOPE", "1")), Err(StoreError::Rule(Rule::NoSuchProduct { .. }))));
    assert!(matches!(eng.edit_line(d, 2, &sell("CONS", "1")), Err(StoreError::Rule(Rule::NoSuchLine { line: 2, .. }))));
    assert!(matches!(eng.delete_line(d, 0), Err(StoreError::Rule(Rule::NoSuchLine { line: 0, .. }))));
    let contact = RecordRef::new(
        Entity::Contact,
        create(&mut eng, Entity::Contact, &[("first_name", "Anne"), ("last_name", "Roux")], &[]).id,
    );
    assert_eq!(field_of(eng.add_line(contact, &sell("CONS", "1")).unwrap_err()), "record");
    assert!(matches!(
        eng.add_line(RecordRef::new(Entity::Deal, 999), &sell("CONS", "1")),
        Err(StoreError::NotFound { .. })
    ));
    // Nothing of it was written.
    let lines = eng.lines(d).unwrap();
    assert_eq!((lines.lines.len(), lines.totals.gross), (1, 72_000));
    // A deal without lines takes the currency of the first product it sells.
    let usd = deal(&mut eng, "Support");
    eng.add_line(usd, &sell("SUP", "2")).unwrap();
    assert_eq!((text_of(&eng, Entity::Deal, usd.id, "currency"), amount(&eng, usd)), ("USD".into(), "200.00".into()));
}

pub fn a_conversion_copies_the_leads_lines_to_its_deal(mut eng: TestEngine) {
    eng.add_product(&product("Conseil", "CONS", "600", "20")).unwrap();
    let lead = RecordRef::new(
        Entity::Lead,
        create(&mut eng, Entity::Lead, &[("title", "Kiosks"), ("first_name", "Anne"), ("last_name", "Roux")], &[]).id,
    );
    eng.add_line(lead, &sell("CONS", "2")).unwrap();
    eng.add_line(lead, &free("Installation", "100")).unwrap();
    assert_eq!(amount(&eng, lead), "1540.00");
    let done =
        eng.convert_lead(lead.id, &ConversionPlan::new(Targets { deal: true, contact: true, company: false })).unwrap();
    let d = RecordRef::new(Entity::Deal, done.deal.unwrap().id);
    let (from, to) = (eng.lines(lead).unwrap(), eng.lines(d).unwrap());
    let shape = |l: &prospect::store::lines::RecordLines| {
        l.lines.iter().map(|l| (l.position, l.name.clone(), l.product_id, l.money)).collect::<Vec<_>>()
    };
    assert_eq!(shape(&to), shape(&from));
    assert!(to.lines.iter().all(|l| !from.lines.iter().any(|f| f.id == l.id)), "the deal's own lines");
    assert_eq!(amount(&eng, d), "1540.00");
    // Deleting the deal drops its lines, not the lead's.
    eng.delete(d, None).unwrap();
    assert_eq!(eng.lines(lead).unwrap().lines.len(), 2);
}

pub fn lines_keep_to_what_their_user_may_see(mut eng: TestEngine) {
    eng.add_product(&product("Conseil", "CONS", "600", "20")).unwrap();
    let hers = deal(&mut eng, "Alice's");
    eng.add_line(hers, &sell("CONS", "1")).unwrap();
    let mut bob = eng.session_as("bob", &["Manager"], None);
    let his = deal(&mut bob, "Bob's");
    bob.add_line(his, &sell("CONS", "3")).unwrap();
    assert_eq!(bob.lines(his).unwrap().totals.gross, 216_000);
    // A Manager sees his own deals only: alice's lines are neither read nor changed.
    assert!(matches!(bob.lines(hers), Err(StoreError::NotFound { .. })));
    assert!(matches!(bob.add_line(hers, &sell("CONS", "1")), Err(StoreError::NotFound { .. })));
    assert!(matches!(bob.delete_line(hers, 1), Err(StoreError::NotFound { .. })));
    assert_eq!(eng.lines(hers).unwrap().lines.len(), 1);
    assert_eq!(eng.lines(his).unwrap().totals.gross, 216_000, "alice sees everything");
}
