//! Built-in fields in list conditions (SPEC V2: "filter by any field") and the calendar by a
//! date field (SPEC V4): a deal's close date, a lead's custom date and time, counted per day
//! and listed for one, within what the reader may see.

use crate::{TestEngine, create};
use chrono::NaiveDate;
use prospect::domain::custom_field::{CustomField, FieldType};
use prospect::domain::fields::Entity;
use prospect::domain::list_view::ViewSpec;
use prospect::store::StoreError;
use prospect::store::records::ListFilter;

/// The ids of `entity` a list with these conditions shows, in id order.
fn matching(eng: &TestEngine, entity: Entity, conds: &[&str]) -> Vec<i64> {
    let mut filter = ListFilter { limit: 50, ..Default::default() };
    let spec = ViewSpec { wheres: conds.iter().map(|c| c.to_string()).collect(), ..Default::default() };
    eng.apply_view(entity, &mut filter, &spec).unwrap();
    let mut ids: Vec<i64> = eng.list(entity, &filter).unwrap().iter().map(|r| r.id).collect();
    ids.sort();
    ids
}

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

pub fn lists_are_filtered_by_built_in_fields(mut eng: TestEngine) {
    let lead = |eng: &mut TestEngine, fields: &[(&str, &str)]| create(eng, Entity::Lead, fields, &[]).id;
    let a = lead(&mut eng, &[("title", "Acme renewal"), ("amount", "1 500"), ("comments", "Call Éric")]);
    let b = lead(&mut eng, &[("title", "Globex"), ("amount", "90"), ("opened", "no")]);
    let c = lead(&mut eng, &[("title", "ACME France")]);
    let e = lead(&mut eng, &[("title", "École Nord")]);
    assert_eq!(matching(&eng, Entity::Lead, &["amount>=100"]), [a]);
    assert_eq!(matching(&eng, Entity::Lead, &["amount=90..1500"]), [a, b], "ranges by size, in minor units");
    assert_eq!(matching(&eng, Entity::Lead, &["amount<1 500"]), [b]);
    assert_eq!(matching(&eng, Entity::Lead, &["amount="]), [c, e]);
    assert_eq!(matching(&eng, Entity::Lead, &["title~acme"]), [a, c], "contains, without case");
    assert_eq!(matching(&eng, Entity::Lead, &["title=école NORD"]), [e], "without case beyond ASCII");
    assert_eq!(matching(&eng, Entity::Lead, &["comments~ÉRIC"]), [a]);
    assert_eq!(matching(&eng, Entity::Lead, &["title=globex|nobody"]), [b]);
    assert_eq!(matching(&eng, Entity::Lead, &["title!=globex"]), [a, c, e]);
    assert_eq!(matching(&eng, Entity::Lead, &["opened=non"]), [b], "yes/no in French");
    assert_eq!(matching(&eng, Entity::Lead, &["opened!=no"]), [a, c, e]);
    assert_eq!(matching(&eng, Entity::Lead, &["comments!=", "amount>10"]), [a]);
    let deal = |eng: &mut TestEngine, title: &str, close: &str| {
        create(eng, Entity::Deal, &[("title", title), ("close_date", close)], &[]).id
    };
    let d1 = deal(&mut eng, "Early", "2026-12-01");
    let d2 = deal(&mut eng, "Late", "31/12/2026");
    let d3 = deal(&mut eng, "Open-ended", "");
    // A new deal closes in a month unless told: this one is told to have no date.
    let open = prospect::store::RecordRef::new(Entity::Deal, d3);
    eng.update(open, None, &crate::input(&[("close_date", "")])).unwrap();
    assert_eq!(matching(&eng, Entity::Deal, &["close_date=2026-12-01..2026-12-15"]), [d1]);
    assert_eq!(matching(&eng, Entity::Deal, &["close_date>2026-12-01"]), [d2]);
    assert_eq!(matching(&eng, Entity::Deal, &["close_date<=31/12/2026"]), [d1, d2]);
    assert_eq!(matching(&eng, Entity::Deal, &["close_date="]), [d3]);
    // Sorted by a built-in field, either way: records without a value last.
    let sorted = |reverse: bool| {
        let mut filter = ListFilter { limit: 50, ..Default::default() };
        let spec = ViewSpec { sort: Some("close_date".into()), reverse, ..Default::default() };
        eng.apply_view(Entity::Deal, &mut filter, &spec).unwrap();
        eng.list(Entity::Deal, &filter).unwrap().iter().map(|r| r.id).collect::<Vec<_>>()
    };
    assert_eq!(sorted(false), [d1, d2, d3]);
    assert_eq!(sorted(true), [d2, d1, d3]);
    let contact = create(&mut eng, Entity::Contact, &[("first_name", "Anne"), ("last_name", "Roux")], &[]).id;
    let typed = create(
        &mut eng,
        Entity::Contact,
        &[("first_name", "Paul"), ("last_name", "Blanc"), ("contact_type", "partner")],
        &[],
    )
    .id;
    assert_eq!(matching(&eng, Entity::Contact, &["contact_type=Partner|supplier"]), [typed]);
    assert_eq!(matching(&eng, Entity::Contact, &["contact_type!=partner"]), [contact], "no value is not a partner");

    // A bad value names its field; a stage is filtered by --stage, which the refusal says.
    let refused = |entity: Entity, cond: &str| {
        let spec = ViewSpec { wheres: vec![cond.into()], ..Default::default() };
        match eng.apply_view(entity, &mut ListFilter::default(), &spec) {
            Err(StoreError::Field(e)) => e,
            other => panic!("{cond} refused, got {other:?}"),
        }
    };
    assert_eq!(refused(Entity::Deal, "close_date>=soon").field, "close_date");
    assert_eq!(refused(Entity::Lead, "amount~5").field, "amount");
    let stage = refused(Entity::Lead, "stage=new");
    assert!(prospect::i18n::describe(&stage.problem, &stage.field, prospect::i18n::Lang::En).contains("--stage"));
}

pub fn the_calendar_counts_and_lists_records_by_a_date_field(mut eng: TestEngine) {
    let callback = CustomField {
        label: "Callback".into(),
        label_fr: Some("Rappel".into()),
        ..CustomField::new(Entity::Lead, "callback", FieldType::DateTime)
    };
    eng.add_custom_field(&callback).unwrap();
    let mut dan = eng.session_as("dan", &["Commercial"], None);
    let deal = |eng: &mut TestEngine, title: &str, close: &str| {
        create(eng, Entity::Deal, &[("title", title), ("close_date", close)], &[]).id
    };
    let first = deal(&mut eng, "Zeta", "2026-12-01");
    let second = deal(&mut eng, "Alpha", "2026-12-01");
    deal(&mut eng, "Later", "2026-12-20");
    deal(&mut eng, "Next year", "2027-01-04");
    deal(&mut eng, "Last year", "2025-12-01");
    let dans = deal(&mut dan, "Dan's", "2026-12-20");
    // A deal of another pipeline is on the calendar too.
    eng.add_pipeline("Wholesale").unwrap();
    let wholesale = create(
        &mut eng,
        Entity::Deal,
        &[("title", "Wholesale"), ("close_date", "2026-12-20"), ("pipeline", "Wholesale")],
        &[],
    )
    .id;

    let by = eng.date_field(Entity::Deal, "close_date").unwrap();
    // Named by its label too, in either language.
    assert_eq!(eng.date_field(Entity::Deal, "Start date").unwrap().code, "begin_date");
    assert_eq!(eng.date_field(Entity::Deal, "date de clôture").unwrap().code, "close_date");
    let counts = eng.count_by_day(&by, day("2026-11-30"), day("2027-01-04")).unwrap();
    assert_eq!(counts, [(day("2026-12-01"), 2), (day("2026-12-20"), 3)], "the end day is left out");
    let on_20th: Vec<i64> = eng.records_on(&by, day("2026-12-20"), 10).unwrap().iter().map(|r| r.id).collect();
    assert!(on_20th.contains(&wholesale), "every pipeline's deals");
    let on_first: Vec<i64> = eng.records_on(&by, day("2026-12-01"), 10).unwrap().iter().map(|r| r.id).collect();
    assert_eq!(on_first, [second, first], "by title");
    // Dan sees his own deal only.
    assert_eq!(dan.count_by_day(&by, day("2026-12-01"), day("2027-01-01")).unwrap(), [(day("2026-12-20"), 1)]);
    let his: Vec<i64> = dan.records_on(&by, day("2026-12-20"), 10).unwrap().iter().map(|r| r.id).collect();
    assert_eq!(his, [dans]);

    // A date and time falls on its local day, listed by time with its value.
    let lead = |eng: &mut TestEngine, title: &str, at: &str| {
        create(eng, Entity::Lead, &[("title", title), ("callback", at)], &[]).id
    };
    let late = lead(&mut eng, "Late call", "2026-12-02 18:00");
    let early = lead(&mut eng, "Early call", "2026-12-02 08:30");
    lead(&mut eng, "Other day", "2026-12-03 12:00");
    lead(&mut eng, "No call", "");
    let by = eng.date_field(Entity::Lead, "Rappel").unwrap();
    assert!(by.with_time);
    let counts = eng.count_by_day(&by, day("2026-12-01"), day("2026-12-08")).unwrap();
    assert_eq!(counts, [(day("2026-12-02"), 2), (day("2026-12-03"), 1)]);
    let calls = eng.records_on(&by, day("2026-12-02"), 10).unwrap();
    assert_eq!(calls.iter().map(|r| r.id).collect::<Vec<_>>(), [early, late], "by time");
    assert!(calls[0].fields.contains_key("callback"), "the value comes with the record");
    assert_eq!(eng.records_on(&by, day("2026-12-02"), 1).unwrap().len(), 1, "up to the limit");
    // Counted from the field's index, the reader's rights still hold.
    let his = lead(&mut dan, "Dan's call", "2026-12-02 12:00");
    assert_eq!(dan.count_by_day(&by, day("2026-12-01"), day("2026-12-08")).unwrap(), [(day("2026-12-02"), 1)]);
    assert_eq!(dan.records_on(&by, day("2026-12-02"), 10).unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), [his]);
    assert_eq!(eng.count_by_day(&by, day("2026-12-02"), day("2026-12-03")).unwrap(), [(day("2026-12-02"), 3)]);

    // Only date fields: naming another says which there are.
    match eng.date_field(Entity::Deal, "amount") {
        Err(StoreError::Field(e)) => {
            let said = prospect::i18n::describe(&e.problem, &e.field, prospect::i18n::Lang::En);
            assert!(said.contains("deal:close_date") && said.contains("deal:begin_date"), "{said}");
        }
        other => panic!("refused, got {other:?}"),
    }
}
