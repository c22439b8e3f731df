//! Lists built from fields (SPEC V2): filtered by any type of field of the team's own, sorted
//! by one (records without a value last, pages across that edge), its values as columns, the
//! header's total and sums; saved views, personal or shared, opened by their name.

use crate::{TestEngine, create};
use prospect::domain::custom_field::{CustomField, FieldType};
use prospect::domain::fields::Entity;
use prospect::domain::list_view::ViewSpec;
use prospect::store::records::ListFilter;
use prospect::store::{Rule, StoreError};

fn field(code: &str, kind: FieldType, options: &[&str]) -> CustomField {
    CustomField {
        label: code.to_string(),
        options: options.iter().map(|o| o.to_string()).collect(),
        ..CustomField::new(Entity::Lead, code, kind)
    }
}

/// The ids a view of the lead list shows (up to `limit`, from `offset`).
fn ids(eng: &TestEngine, spec: &ViewSpec, offset: usize, limit: usize) -> Vec<i64> {
    let mut filter = ListFilter { limit, offset, ..Default::default() };
    eng.apply_view(Entity::Lead, &mut filter, spec).unwrap();
    eng.list(Entity::Lead, &filter).unwrap().iter().map(|r| r.id).collect()
}

fn wheres(conds: &[&str]) -> ViewSpec {
    ViewSpec { wheres: conds.iter().map(|c| c.to_string()).collect(), ..Default::default() }
}

pub fn lists_are_filtered_and_sorted_by_every_kind_of_field(mut eng: TestEngine) {
    for f in [
        field("budget", FieldType::Money, &[]),
        field("temp", FieldType::List, &["Hot", "Warm", "Cold"]),
        field("callback", FieldType::Date, &[]),
        field("note", FieldType::Text, &[]),
        field("tags", FieldType::MultiList, &["CRM", "ERP", "Web"]),
        field("seats", FieldType::Number, &[]),
    ] {
        eng.add_custom_field(&f).unwrap();
    }
    let rows: [&[(&str, &str)]; 6] = [
        &[("budget", "1 500"), ("temp", "cold"), ("callback", "2026-12-10"), ("note", "Call Éric"), ("seats", "12")],
        &[("budget", "300"), ("temp", "hot"), ("tags", "crm|web"), ("seats", "-3")],
        &[("budget", "20 000"), ("temp", "warm"), ("callback", "2026-12-01"), ("seats", "2.5")],
        &[("note", "éric again"), ("tags", "erp")],
        &[],
        &[("budget", "300"), ("seats", "100")],
    ];
    let mut made = Vec::new();
    for (i, values) in rows.iter().enumerate() {
        let title = format!("Lead {i}");
        let mut all = vec![("title", title.as_str())];
        all.extend_from_slice(values);
        made.push(create(&mut eng, Entity::Lead, &all, &[]).id);
    }
    let id = |i: usize| made[i];
    let sorted = |mut v: Vec<i64>| {
        v.sort();
        v
    };
    let matching = |conds: &[&str]| sorted(ids(&eng, &wheres(conds), 0, 50));
    assert_eq!(matching(&["budget>=1000"]), [id(0), id(2)]);
    assert_eq!(matching(&["budget<1 500"]), [id(1), id(5)]);
    assert_eq!(matching(&["budget=300..1500"]), [id(0), id(1), id(5)]);
    assert_eq!(matching(&["seats<=2.5", "seats>-10"]), [id(1), id(2)], "decimals and negatives by size");
    assert_eq!(matching(&["temp=HOT|warm"]), [id(1), id(2)]);
    assert_eq!(matching(&["temp!=cold"]), [id(1), id(2), id(3), id(4), id(5)], "no value is not cold");
    assert_eq!(matching(&["callback=01/12/2026..2026-12-05"]), [id(2)]);
    assert_eq!(matching(&["callback="]), [id(1), id(3), id(4), id(5)]);
    assert_eq!(matching(&["callback!="]), [id(0), id(2)]);
    assert_eq!(matching(&["note~ÉRIC"]), [id(0), id(3)], "contains, without case, accents kept");
    assert_eq!(matching(&["tags=web|erp"]), [id(1), id(3)]);
    assert_eq!(matching(&["tags!=crm"]), [id(0), id(2), id(3), id(4), id(5)]);
    assert_eq!(matching(&["tags=web,erp"]), [id(1), id(3)], "commas as bars");
    // No option named: nothing, or everything.
    assert!(matching(&["temp=|", "budget!="]).is_empty());
    assert_eq!(matching(&["temp!=|"]).len(), 6);
    // A bad value names its field and writes nothing; an unknown field names `where`.
    let mut filter = ListFilter::default();
    match eng.apply_view(Entity::Lead, &mut filter, &wheres(&["budget>=lots"])) {
        Err(StoreError::Field(e)) => assert_eq!(e.field, "budget"),
        other => panic!("refused, got {other:?}"),
    }
    match eng.apply_view(Entity::Lead, &mut filter, &wheres(&["nothing=1"])) {
        Err(StoreError::Field(e)) => assert_eq!(e.field, "where"),
        other => panic!("refused, got {other:?}"),
    }

    // Sorted by a field: by value (ties by id), records without one last, newest first.
    let by = |code: &str, reverse: bool| ViewSpec { sort: Some(code.into()), reverse, ..Default::default() };
    assert_eq!(ids(&eng, &by("budget", false), 0, 50), [id(1), id(5), id(0), id(2), id(4), id(3)]);
    assert_eq!(ids(&eng, &by("budget", true), 0, 50), [id(2), id(0), id(5), id(1), id(4), id(3)]);
    assert_eq!(ids(&eng, &by("temp", false), 0, 50)[..3], [id(1), id(2), id(0)], "in the options' order");
    assert_eq!(ids(&eng, &by("seats", false), 0, 50)[..4], [id(1), id(2), id(0), id(5)]);
    // Pages meet across the edge between records with a value and without.
    let whole = ids(&eng, &by("budget", false), 0, 50);
    for size in 1..=4 {
        let mut paged = Vec::new();
        let mut offset = 0;
        while offset < whole.len() {
            paged.extend(ids(&eng, &by("budget", false), offset, size));
            offset += size;
        }
        assert_eq!(paged, whole, "pages of {size}");
    }
    // Filtered and sorted at once; options reordered sort the other way.
    let spec = ViewSpec { wheres: vec!["budget!=".into()], ..by("temp", true) };
    assert_eq!(ids(&eng, &spec, 0, 50), [id(0), id(2), id(1), id(5)]);
    let mut temp = eng.custom_fields(Some(Entity::Lead)).unwrap().into_iter().find(|f| f.code == "temp").unwrap();
    temp.options = vec!["Cold".into(), "Warm".into(), "Hot".into()];
    eng.edit_custom_field(&temp).unwrap();
    assert_eq!(ids(&eng, &by("temp", false), 0, 50)[..3], [id(0), id(2), id(1)]);

    // Columns carry the values asked for; the header counts and sums what matches.
    let mut filter = ListFilter::default();
    let spec = ViewSpec { columns: vec!["temp".into(), "budget".into()], ..wheres(&["budget!="]) };
    let shown = eng.apply_view(Entity::Lead, &mut filter, &spec).unwrap();
    assert_eq!(shown.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(), ["temp", "budget"]);
    let rows = eng.list(Entity::Lead, &filter).unwrap();
    let first = rows.iter().find(|r| r.id == id(2)).unwrap();
    assert_eq!(first.fields.get("budget").map(String::as_str), Some("2000000 EUR"));
    assert_eq!(first.fields.get("temp").map(String::as_str), Some("Warm"));
    assert!(!rows.iter().find(|r| r.id == id(5)).unwrap().fields.contains_key("temp"));
    eng.update(prospect::store::RecordRef::new(Entity::Lead, id(0)), None, &crate::input(&[("amount", "250")]))
        .unwrap();
    eng.update(prospect::store::RecordRef::new(Entity::Lead, id(2)), None, &crate::input(&[("amount", "100")]))
        .unwrap();
    let totals = eng.list_totals(Entity::Lead, &filter).unwrap();
    assert_eq!(totals.count, 4);
    assert_eq!(totals.sums, [("EUR".to_string(), 35_000)]);
    // The whole list (a file reads its kept column totals): the same rule.
    let all = eng.list_totals(Entity::Lead, &ListFilter::default()).unwrap();
    assert_eq!((all.count, all.sums), (6, vec![("EUR".to_string(), 35_000)]));
}

pub fn views_are_saved_shared_opened_and_deleted_by_whom_they_belong_to(mut eng: TestEngine) {
    eng.add_custom_field(&field("budget", FieldType::Money, &[])).unwrap();
    let big = create(&mut eng, Entity::Lead, &[("title", "Big"), ("budget", "9000")], &[]).id;
    create(&mut eng, Entity::Lead, &[("title", "Small"), ("budget", "10")], &[]);
    // The file's own views come with it.
    let names: Vec<String> = eng.list_views(Some(Entity::Lead)).unwrap().into_iter().map(|v| v.name).collect();
    assert!(names.contains(&"My leads".to_string()) && names.contains(&"Overdue".to_string()), "{names:?}");
    // Named in the other language too.
    assert_eq!(eng.view_named(Entity::Lead, "mes prospects").unwrap().name, "My leads");
    // A view is checked as a list reads it before it is kept.
    let bad = ViewSpec { wheres: vec!["budget>=lots".into()], ..Default::default() };
    assert!(matches!(eng.save_view(Entity::Lead, "Bad", false, bad), Err(StoreError::Field(_))));
    let spec = ViewSpec { wheres: vec!["budget>=1000".into()], sort: Some("budget".into()), ..Default::default() };
    eng.save_view(Entity::Lead, "Big ones", true, spec.clone()).unwrap();
    eng.save_view(Entity::Lead, "Mine only", false, ViewSpec { mine: true, ..Default::default() }).unwrap();
    let opened = eng.view_named(Entity::Lead, "big ONES").unwrap();
    assert_eq!(opened.spec, spec);
    assert_eq!(ids(&eng, &opened.spec, 0, 50), [big]);
    // A colleague sees the shared view, not the personal one, and may not delete it.
    let mut bob = eng.session("bob");
    assert!(bob.view_named(Entity::Lead, "Big ones").is_ok());
    assert!(matches!(bob.view_named(Entity::Lead, "Mine only"), Err(StoreError::Rule(Rule::NoSuchView { .. }))));
    assert!(matches!(bob.delete_view(Entity::Lead, "Big ones"), Err(StoreError::Rule(Rule::NotYourView { .. }))));
    assert!(matches!(
        bob.save_view(Entity::Lead, "Big ones", true, ViewSpec::default()),
        Err(StoreError::Rule(Rule::NotYourView { .. }))
    ));
    // Their own of the same name is theirs alone.
    bob.save_view(Entity::Lead, "Mine only", false, ViewSpec::default()).unwrap();
    assert_eq!(bob.view_named(Entity::Lead, "Mine only").unwrap().owner.as_deref(), Some("bob"));
    assert!(eng.view_named(Entity::Lead, "Mine only").unwrap().spec.mine, "alice's stays hers");
    // Saved again under its name, a view is replaced; its owner deletes it.
    eng.save_view(Entity::Lead, "BIG ones", true, ViewSpec::default()).unwrap();
    assert_eq!(eng.view_named(Entity::Lead, "Big ones").unwrap().spec, ViewSpec::default());
    eng.delete_view(Entity::Lead, "Big ones").unwrap();
    assert!(bob.view_named(Entity::Lead, "Big ones").is_err());
    // An administrator saving over a colleague's shared view replaces it: one of that name.
    bob.save_view(Entity::Lead, "Team", true, ViewSpec::default()).unwrap();
    eng.save_view(Entity::Lead, "team", true, ViewSpec { mine: true, ..Default::default() }).unwrap();
    let named: Vec<_> = bob
        .list_views(Some(Entity::Lead))
        .unwrap()
        .into_iter()
        .filter(|v| v.name.eq_ignore_ascii_case("team"))
        .collect();
    assert_eq!(named.len(), 1, "{named:?}");
    assert!(named[0].spec.mine);
}

pub fn search_finds_records_by_their_text_fields(mut eng: TestEngine) {
    let note = CustomField { label: "Note".into(), ..CustomField::new(Entity::Lead, "note", FieldType::Text) };
    eng.add_custom_field(&note).unwrap();
    eng.add_custom_field(&field("seats", FieldType::Number, &[])).unwrap();
    let found = |eng: &TestEngine, text: &str| -> Vec<i64> {
        let mut ids: Vec<i64> = eng.search(text, 10).unwrap().iter().map(|h| h.id).collect();
        let listed = eng.list(Entity::Lead, &ListFilter { search: Some(text.into()), ..Default::default() }).unwrap();
        assert_eq!(listed.len(), ids.len(), "the list's search and search agree on {text}");
        ids.sort();
        ids
    };
    // Created with it, or given it later; a number is not text to find.
    let a = create(
        &mut eng,
        Entity::Lead,
        &[("title", "First"), ("note", "Wants the Zanzibar plan"), ("seats", "4242")],
        &[],
    )
    .id;
    let b = create(&mut eng, Entity::Lead, &[("title", "Second")], &[]).id;
    eng.update(prospect::store::RecordRef::new(Entity::Lead, b), None, &crate::input(&[("note", "zanzibar too")]))
        .unwrap();
    assert_eq!(found(&eng, "zanzibar"), [a, b]);
    assert!(found(&eng, "4242").is_empty());
    // A value changed is found by its new text only; the check finds every entry right.
    eng.update(prospect::store::RecordRef::new(Entity::Lead, b), None, &crate::input(&[("note", "Madagascar")]))
        .unwrap();
    assert_eq!(found(&eng, "zanzibar"), [a]);
    assert_eq!(found(&eng, "madagascar"), [b]);
    assert!(eng.check().unwrap().is_ok(), "{:?}", eng.check().unwrap());
    // The field deleted: nothing is found by its text any more.
    eng.delete_custom_field(Entity::Lead, "note", true).unwrap();
    assert!(found(&eng, "zanzibar").is_empty());
    assert!(eng.check().unwrap().is_ok(), "{:?}", eng.check().unwrap());
}

pub fn sections_are_added_ordered_and_deleted_and_fields_moved_or_hidden(mut eng: TestEngine) {
    use prospect::domain::layout::Placed;
    eng.add_custom_field(&field("budget", FieldType::Money, &[])).unwrap();
    let id = create(&mut eng, Entity::Lead, &[("title", "Laid out"), ("budget", "10"), ("source", "web")], &[]).id;
    eng.change_layout(Entity::Lead, |l| l.add_section("qualification", Some("Qualification".into()), None)).unwrap();
    eng.move_field(Entity::Lead, "source", "qualification").unwrap();
    eng.move_field(Entity::Lead, "budget", "Qualification").unwrap();
    eng.hide_field(Entity::Lead, "birth_date", true).unwrap();
    eng.change_layout(Entity::Lead, |l| l.reorder_sections(&["qualification".into()])).unwrap();
    // A field that is none, a section that is none: refused, naming what there is.
    assert!(matches!(eng.move_field(Entity::Lead, "nothing", "more"), Err(StoreError::Field(_))));
    assert!(matches!(eng.move_field(Entity::Lead, "source", "nowhere"), Err(StoreError::Field(_))));
    // Every reader sees the same layout; a colleague may not change it.
    let mut bob = eng.session("bob");
    let layout = bob.layout(Entity::Lead).unwrap();
    let record = bob.get(prospect::store::RecordRef::new(Entity::Lead, id)).unwrap();
    let arranged = layout.arrange(&record, true);
    assert_eq!(arranged[0].0, "qualification");
    let budget = record.custom.iter().position(|(f, _)| f.code == "budget").unwrap();
    assert_eq!(arranged[0].1, [Placed::Field("source"), Placed::Custom(budget)]);
    assert!(arranged.iter().all(|(_, rows)| !rows.contains(&Placed::Field("birth_date"))), "hidden");
    assert!(bob.hide_field(Entity::Lead, "title", true).is_err());
    // Deleted: its fields go where asked; a built-in section stays.
    eng.delete_section(Entity::Lead, "qualification", "main").unwrap();
    let layout = eng.layout(Entity::Lead).unwrap();
    assert_eq!(layout.section_of(Entity::Lead, "source"), "main");
    let budget = eng.custom_fields(Some(Entity::Lead)).unwrap().into_iter().find(|f| f.code == "budget").unwrap();
    assert_eq!(budget.section, "main");
    assert!(eng.delete_section(Entity::Lead, "person", "more").is_err());
}

/// A list sorted by a field shows a restricted user what their levels reach, and nothing
/// else, page after page (the page query once numbered its parameters after the filter's:
/// another user's records showed, or the query failed, by the page's size).
pub fn a_list_sorted_by_a_field_keeps_to_what_its_reader_sees(mut eng: TestEngine) {
    eng.add_custom_field(&field("budget", FieldType::Money, &[])).unwrap();
    let mut dan = eng.session_as("dan", &["Commercial"], None);
    let mine = create(&mut dan, Entity::Lead, &[("title", "Dan's"), ("budget", "500")], &[]).id;
    let nobody = create(&mut eng, Entity::Lead, &[("title", "Nobody's"), ("budget", "700")], &[]).id;
    eng.update(prospect::store::RecordRef::new(Entity::Lead, nobody), None, &crate::input(&[("responsible", "")]))
        .unwrap();
    for i in 0..3 {
        create(&mut eng, Entity::Lead, &[("title", &format!("Alice's {i}")), ("budget", "900")], &[]);
    }
    let by_budget = ViewSpec { sort: Some("budget".into()), reverse: true, ..Default::default() };
    for limit in 1..=4 {
        let mut seen = Vec::new();
        let mut offset = 0;
        loop {
            let page = ids(&dan, &by_budget, offset, limit);
            if page.is_empty() {
                break;
            }
            seen.extend(page);
            offset += limit;
        }
        assert_eq!(seen, [nobody, mine], "pages of {limit}");
    }
    let filtered = ViewSpec { wheres: vec!["budget>=100".into()], ..by_budget };
    assert_eq!(ids(&dan, &filtered, 0, 10), [nobody, mine]);
}

/// The other types filter and sort as their values read: a day and time (a whole day typed
/// as a day), yes/no, a link (by the record's number), a web address, an e-mail, a phone (as
/// typed in any form), several lines of text.
pub fn the_remaining_types_filter_and_sort_by_their_values(mut eng: TestEngine) {
    let contact = create(&mut eng, Entity::Contact, &[("first_name", "Anne"), ("last_name", "Roux")], &[]).id;
    let other = create(&mut eng, Entity::Contact, &[("first_name", "Paul"), ("last_name", "Blanc")], &[]).id;
    for f in [
        field("call_at", FieldType::DateTime, &[]),
        field("signed", FieldType::Bool, &[]),
        field("referrer", FieldType::Link(Entity::Contact), &[]),
        field("site", FieldType::Url, &[]),
        field("billing", FieldType::Email, &[]),
        field("desk", FieldType::Phone, &[]),
        field("story", FieldType::Multiline, &[]),
    ] {
        eng.add_custom_field(&f).unwrap();
    }
    let (c1, c2) = (contact.to_string(), other.to_string());
    let rows: [Vec<(&str, &str)>; 3] = [
        vec![
            ("call_at", "2026-12-01T12:00:00Z"),
            ("signed", "yes"),
            ("referrer", &c2),
            ("site", "acme.example"),
            ("billing", "Pay@Acme.example"),
            ("desk", "01 23 45 67 89"),
            ("story", "First line\nsecond Zebra line"),
        ],
        vec![("call_at", "2026-12-03T12:00:00Z"), ("signed", "no"), ("referrer", &c1), ("desk", "+33 6 12 34 56 78")],
        vec![("call_at", "2026-11-30T12:00:00Z"), ("site", "beta.example")],
    ];
    let mut made = Vec::new();
    for (i, values) in rows.iter().enumerate() {
        let title = format!("Typed {i}");
        let mut all = vec![("title", title.as_str())];
        all.extend_from_slice(values);
        made.push(create(&mut eng, Entity::Lead, &all, &[]).id);
    }
    let id = |i: usize| made[i];
    let matching = |conds: &[&str]| {
        let mut v = ids(&eng, &wheres(conds), 0, 50);
        v.sort();
        v
    };
    assert_eq!(
        matching(&["call_at=2026-12-01"]),
        [id(0)],
        "that whole day (noon UTC is that day in every zone near it)"
    );
    assert_eq!(matching(&["call_at>=2026-12-01T06:00:00Z"]), [id(0), id(1)]);
    assert_eq!(matching(&["call_at<2026-12-01"]), [id(2)]);
    assert_eq!(matching(&["signed=oui"]), [id(0)]);
    assert_eq!(matching(&["signed=no"]), [id(1)]);
    assert_eq!(matching(&["signed="]), [id(2)]);
    assert_eq!(matching(&[&format!("referrer=#{contact}")]), [id(1)]);
    assert_eq!(matching(&["site~beta"]), [id(2)]);
    assert_eq!(matching(&["billing=pay@acme.EXAMPLE"]), [id(0)]);
    assert_eq!(matching(&["desk=0612345678"]), [id(1)], "a phone as typed in another form");
    assert_eq!(matching(&["story~zebra"]), [id(0)], "any line, without case");
    assert!(matches!(
        eng.apply_view(Entity::Lead, &mut ListFilter::default(), &wheres(&["signed>yes"])),
        Err(StoreError::Field(_))
    ));
    let by = |code: &str| ViewSpec { sort: Some(code.into()), ..Default::default() };
    assert_eq!(ids(&eng, &by("call_at"), 0, 50), [id(2), id(0), id(1)], "by time");
    assert_eq!(ids(&eng, &by("signed"), 0, 50), [id(1), id(0), id(2)], "no, yes, then none");
    let (low, high) = if contact < other { (id(1), id(0)) } else { (id(0), id(1)) };
    assert_eq!(ids(&eng, &by("referrer"), 0, 50)[..2], [low, high], "by the record's number");
}
