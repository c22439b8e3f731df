//! Quotes, invoices and credit notes (SPEC E5, issue 28): made from a deal's lines and
//! client, numbered as they leave their draft (unique and continuous, however many issue at
//! once), fixed once issued, cancelled by a credit note, and kept to the deal's readers.

use crate::{TestEngine, create};
use prospect::domain::document::{CompanyDetails, DocKind, DocStatus, Party};
use prospect::domain::fields::Entity;
use prospect::domain::product::LineInput;
use prospect::service::InvoiceFrom;
use prospect::store::documents::DocEdit;
use prospect::store::{RecordRef, Rule, StoreError};

/// A deal for Boulangerie Étoile (its contact Anne Roux) selling two lines.
fn billed_deal(eng: &mut TestEngine) -> i64 {
    let company =
        create(eng, Entity::Company, &[("title", "Boulangerie Étoile"), ("address", "3 rue Haute, Lyon")], &[]).id;
    let contact =
        create(eng, Entity::Contact, &[("first_name", "Anne"), ("last_name", "Roux")], &["anne@etoile.fr"]).id;
    let deal = create(
        eng,
        Entity::Deal,
        &[("title", "Fours"), ("company", &company.to_string()), ("contact", &contact.to_string())],
        &[],
    )
    .id;
    let line = |text: &str, price: &str, qty: &str, tax: &str| LineInput {
        text: Some(text.into()),
        price: Some(price.into()),
        qty: Some(qty.into()),
        tax: Some(tax.into()),
        ..Default::default()
    };
    let d = RecordRef::new(Entity::Deal, deal);
    eng.add_line(d, &line("Four à sole", "4 000", "2", "20")).unwrap();
    eng.add_line(d, &line("Livraison", "150", "1", "5,5")).unwrap();
    deal
}

fn rule(e: StoreError) -> Rule {
    match e {
        StoreError::Rule(r) => r,
        e => panic!("a rule expected: {e:?}"),
    }
}

pub fn a_deal_goes_from_quote_to_invoice_to_credit_note(mut eng: TestEngine) {
    let deal = billed_deal(&mut eng);
    let quote = eng.add_quote(deal).unwrap();
    assert_eq!((quote.kind, quote.status, quote.number.as_deref()), (DocKind::Quote, DocStatus::Draft, None));
    assert_eq!(quote.client.name, "Boulangerie Étoile");
    assert_eq!(quote.client.contact.as_deref(), Some("Anne Roux"));
    assert_eq!(quote.client.email.as_deref(), Some("anne@etoile.fr"));
    assert_eq!(quote.lines.len(), 2);
    assert_eq!((quote.totals.net, quote.totals.tax, quote.totals.gross), (815_000, 160_825, 975_825));
    assert!(quote.valid_until.is_some());
    // A draft changes; sent, it takes the year's next number.
    let quote = eng
        .edit_document(
            quote.id,
            DocKind::Quote,
            &DocEdit { notes: Some("Livraison en janvier".into()), ..Default::default() },
        )
        .unwrap();
    assert_eq!(quote.notes.as_deref(), Some("Livraison en janvier"));
    let sent = eng.set_document_status(quote.id, DocKind::Quote, DocStatus::Sent).unwrap();
    assert_eq!(sent.number.as_deref(), Some("D-2026-00001"));
    let e = eng.set_document_status(quote.id, DocKind::Quote, DocStatus::Paid).unwrap_err();
    assert!(matches!(e, StoreError::Field(ref f) if f.field == "status"), "{e:?}");
    let approved = eng.set_document_status(quote.id, DocKind::Quote, DocStatus::Approved).unwrap();
    assert_eq!((approved.status, approved.number.as_deref()), (DocStatus::Approved, Some("D-2026-00001")));
    let e = eng.edit_document(quote.id, DocKind::Quote, &DocEdit { notes: Some("x".into()), ..Default::default() });
    assert!(matches!(e.map_err(rule), Err(Rule::DocumentNotDraft { .. })));

    // The invoice copies the quote; a draft has no number; issued, it takes one and its dates.
    let invoice = eng.add_invoice(InvoiceFrom::Quote(quote.id)).unwrap();
    assert_eq!((invoice.source_id, invoice.number.as_deref(), invoice.totals.gross), (Some(quote.id), None, 975_825));
    eng.set_company_details(&CompanyDetails { payment_days: Some(45), ..Default::default() }).unwrap();
    let issued = eng.issue_invoice(invoice.id).unwrap();
    assert_eq!((issued.status, issued.number.as_deref()), (DocStatus::Issued, Some("F-2026-00001")));
    assert_eq!((issued.issue_date.as_deref(), issued.due_date.as_deref()), (Some("2026-11-23"), Some("2027-01-07")));
    // Issued, it is neither changed, deleted nor issued again.
    assert!(matches!(
        eng.delete_document(invoice.id, DocKind::Invoice).map_err(rule),
        Err(Rule::DocumentNotDraft { .. })
    ));
    assert!(matches!(eng.issue_invoice(invoice.id).map_err(rule), Err(Rule::DocumentNotDraft { .. })));
    // Cancelled by a credit note of its own numbering, the lines' quantities turned over.
    let (cancelled, note) = eng.cancel_invoice(invoice.id).unwrap();
    assert_eq!(cancelled.status, DocStatus::Cancelled);
    assert_eq!(
        (note.kind, note.number.as_deref(), note.source_id),
        (DocKind::CreditNote, Some("AV-2026-00001"), Some(invoice.id))
    );
    assert_eq!(note.totals.gross, -975_825);
    assert!(note.lines.iter().all(|l| l.money.qty < 0));
    // Cancelled once: a second cancellation says so.
    assert!(matches!(eng.cancel_invoice(invoice.id).map_err(rule), Err(Rule::NotCancellable { why: "cancelled", .. })));
    // A second invoice, issued: the next number.
    let second = eng.add_invoice(InvoiceFrom::Deal(deal)).unwrap();
    assert_eq!(eng.issue_invoice(second.id).unwrap().number.as_deref(), Some("F-2026-00002"));

    // The deal lists them; its history says each step; it is not deleted from under them.
    let kinds: Vec<DocKind> = eng.documents(Some(deal), None).unwrap().into_iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [DocKind::Invoice, DocKind::CreditNote, DocKind::Invoice, DocKind::Quote]);
    let events: Vec<String> = eng
        .timeline(RecordRef::new(Entity::Deal, deal), 50)
        .unwrap()
        .into_iter()
        .filter(|t| t.kind == prospect::domain::timeline::TimelineKind::Document)
        .map(|t| format!("{} {}", t.payload["kind"].as_str().unwrap(), t.payload["event"].as_str().unwrap()))
        .collect();
    assert!(
        events.contains(&"invoice issued".to_string()) && events.contains(&"credit_note created".to_string()),
        "{events:?}"
    );
    assert!(matches!(
        eng.delete(RecordRef::new(Entity::Deal, deal), None).map_err(rule),
        Err(Rule::DealHasDocuments { count: 4, .. })
    ));
}

pub fn numbers_stay_continuous_when_many_issue_at_once(mut eng: TestEngine) {
    let deal = billed_deal(&mut eng);
    let drafts: Vec<i64> = (0..8).map(|_| eng.add_invoice(InvoiceFrom::Deal(deal)).unwrap().id).collect();
    // A refused issue gives no number away.
    let quote = eng.add_quote(deal).unwrap();
    assert!(eng.issue_invoice(quote.id).is_err());
    let sessions: Vec<TestEngine> = (0..4).map(|_| eng.session("alice")).collect();
    let handles: Vec<_> = sessions
        .into_iter()
        .zip(drafts.chunks(2).map(<[i64]>::to_vec))
        .map(|(mut s, ids)| {
            std::thread::spawn(move || {
                ids.iter().map(|id| s.issue_invoice(*id).unwrap().number.unwrap()).collect::<Vec<_>>()
            })
        })
        .collect();
    let mut numbers: Vec<String> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    numbers.sort();
    let expected: Vec<String> = (1..=8).map(|n| format!("F-2026-{n:05}")).collect();
    assert_eq!(numbers, expected, "unique and without gaps");
    // A draft deleted takes no number with it: the next quote sent is the year's first.
    let spare = eng.add_quote(deal).unwrap();
    eng.delete_document(quote.id, DocKind::Quote).unwrap();
    assert_eq!(
        eng.set_document_status(spare.id, DocKind::Quote, DocStatus::Sent).unwrap().number.as_deref(),
        Some("D-2026-00001")
    );
}

pub fn documents_keep_to_their_deals_readers_and_refuse_bad_input(mut eng: TestEngine) {
    let deal = billed_deal(&mut eng);
    let quote = eng.add_quote(deal).unwrap();
    let mut bob = eng.session_as("bob", &["Manager"], None);
    assert!(matches!(bob.document_of(quote.id, DocKind::Quote).map_err(rule), Err(Rule::NoSuchDocument { .. })));
    assert!(bob.documents(None, None).unwrap().is_empty());
    assert!(matches!(bob.add_quote(deal), Err(StoreError::NotFound { .. })));
    assert!(matches!(bob.set_company_details(&CompanyDetails::default()).map_err(rule), Err(Rule::AdminOnly { .. })));
    // A deal without lines has nothing to quote; a quote is not an invoice.
    let empty = create(&mut eng, Entity::Deal, &[("title", "Empty")], &[]).id;
    assert!(matches!(eng.add_quote(empty).map_err(rule), Err(Rule::NothingToBill { .. })));
    assert!(matches!(
        eng.issue_invoice(quote.id).map_err(rule),
        Err(Rule::NoSuchDocument { kind: DocKind::Invoice, .. })
    ));
    // Patterns and identifiers are checked, naming what is wrong; nothing is written.
    let e = eng.set_numbering_pattern(DocKind::Invoice, "F-{year}").unwrap_err();
    assert!(matches!(e, StoreError::Field(ref f) if f.field == "pattern"), "{e:?}");
    eng.set_numbering_pattern(DocKind::Invoice, "INV{year}-{seq:4}").unwrap();
    let bad =
        CompanyDetails { party: Party { siren: Some("12 34".into()), ..Default::default() }, ..Default::default() };
    assert!(matches!(eng.set_company_details(&bad), Err(StoreError::Field(ref f)) if f.field == "siren"));
    let e = eng.edit_document(
        quote.id,
        DocKind::Quote,
        &DocEdit { valid_until: Some("31/02/2026".into()), ..Default::default() },
    );
    assert!(matches!(e, Err(StoreError::Field(ref f)) if f.field == "valid-until"), "{e:?}");
    let invoice = eng.add_invoice(InvoiceFrom::Deal(deal)).unwrap();
    assert_eq!(eng.issue_invoice(invoice.id).unwrap().number.as_deref(), Some("INV2026-0001"));
    // Search finds the deal by its invoice's number (case aside, `_` and `%` taken as typed),
    // for those who may see the deal only.
    let hits = eng.search("inv2026-00", 10).unwrap();
    assert_eq!(
        hits.iter().map(|h| (h.entity, h.id, h.document.as_deref())).collect::<Vec<_>>(),
        [(Entity::Deal, deal, Some("INV2026-0001"))]
    );
    assert!(eng.search("INV2026_0001", 10).unwrap().is_empty());
    assert!(eng.search("%20%", 10).unwrap().iter().all(|h| h.document.is_none()));
    assert!(bob.search("INV2026-0001", 10).unwrap().is_empty());
    // One invoice per quote; a draft an invoice was made from stays while it does.
    let sent = eng.add_quote(deal).unwrap();
    eng.set_document_status(sent.id, DocKind::Quote, DocStatus::Sent).unwrap();
    let from_quote = eng.add_invoice(InvoiceFrom::Quote(sent.id)).unwrap();
    assert!(matches!(eng.add_invoice(InvoiceFrom::Quote(sent.id)).map_err(rule), Err(Rule::AlreadyInvoiced { .. })));
    eng.set_document_status(sent.id, DocKind::Quote, DocStatus::Draft).unwrap();
    // A quote that has its number keeps it: not deleted, even back in draft.
    assert!(matches!(eng.delete_document(sent.id, DocKind::Quote).map_err(rule), Err(Rule::NumberedQuote { .. })));
    eng.delete_document(from_quote.id, DocKind::Invoice).unwrap();
    assert!(matches!(eng.delete_document(sent.id, DocKind::Quote).map_err(rule), Err(Rule::NumberedQuote { .. })));
    // Not found is said of the kind asked for; an invoice without a client is not issued.
    assert!(matches!(
        eng.document_of(9_999, DocKind::Invoice).map_err(rule),
        Err(Rule::NoSuchDocument { id: 9_999, kind: DocKind::Invoice })
    ));
    let lonely = create(&mut eng, Entity::Deal, &[("title", "Sans client")], &[]).id;
    let free = LineInput { text: Some("X".into()), price: Some("10".into()), ..Default::default() };
    eng.add_line(RecordRef::new(Entity::Deal, lonely), &free).unwrap();
    let draft = eng.add_invoice(InvoiceFrom::Deal(lonely)).unwrap();
    assert!(matches!(eng.issue_invoice(draft.id).map_err(rule), Err(Rule::NoClient { .. })));
    assert!(matches!(eng.cancel_invoice(draft.id).map_err(rule), Err(Rule::NotCancellable { why: "draft", .. })));
    assert_eq!(eng.company_details().unwrap(), CompanyDetails::default());
}
