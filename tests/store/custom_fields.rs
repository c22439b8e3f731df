//! Fields of the team's own (SPEC F1, F2): every type set, refused with the field named,
//! read back, cleared; defaults; required from a stage on, on every move; deleted only when
//! asked twice, its values kept in the history.

use crate::{TestEngine, create, input};
use prospect::domain::custom_field::{CustomField, FieldType};
use prospect::domain::fields::Entity;
use prospect::store::{RecordRef, Rule, StoreError};

fn field(entity: Entity, code: &str, kind: FieldType) -> CustomField {
    CustomField { label: code.replace('_', " "), ..CustomField::new(entity, code, kind) }
}

fn lead(id: i64) -> RecordRef {
    RecordRef::new(Entity::Lead, id)
}

pub fn every_type_is_set_refused_with_its_name_read_back_and_cleared(mut eng: TestEngine) {
    let contact = create(&mut eng, Entity::Contact, &[("first_name", "Anne"), ("last_name", "Roux")], &[]).id;
    let cases: Vec<(FieldType, &str, &str, &str)> = vec![
        (FieldType::Text, "Kiosks", "Kiosks", ""),
        (FieldType::Multiline, "two\nlines", "two\nlines", ""),
        (FieldType::Number, "1 500,5", "1500.5", "12abc"),
        (FieldType::Money, "2 000", "2000.00 EUR", "12 XYZ"),
        (FieldType::Date, "24/11/2026", "2026-11-24", "31/02/2026"),
        (FieldType::DateTime, "2026-11-24T14:30:00Z", "2026-11-24T14:30:00Z", "soon"),
        (FieldType::Bool, "oui", "yes", "maybe"),
        (FieldType::List, "erp", "ERP", "Billing"),
        (FieldType::MultiList, "support|crm", "CRM|Support", "CRM|Billing"),
        (FieldType::Link(Entity::Contact), &*Box::leak(contact.to_string().into_boxed_str()), "", "999999"),
        (FieldType::Url, "acme.example", "acme.example", "not a url"),
        (FieldType::Email, "Jean@Acme.example", "jean@acme.example", "nope"),
        (FieldType::Phone, "06 12 34 56 78", "+33612345678", "12"),
    ];
    for (i, (kind, _, _, _)) in cases.iter().enumerate() {
        let mut f = field(Entity::Lead, &format!("f{i}"), *kind);
        if kind.has_options() {
            f.options = vec!["CRM".into(), "ERP".into(), "Support".into()];
        }
        eng.add_custom_field(&f).unwrap();
    }
    let id = create(&mut eng, Entity::Lead, &[("title", "Custom")], &[]).id;
    for (i, (kind, typed, kept, bad)) in cases.iter().enumerate() {
        let code = format!("f{i}");
        eng.update(lead(id), None, &input(&[(&code, typed)])).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        let shown = eng.get(lead(id)).unwrap().custom_text(&code);
        let kept = if kept.is_empty() { typed.to_string() } else { kept.to_string() };
        assert_eq!(shown, kept, "{kind:?}");
        if !bad.is_empty() {
            let version = eng.get(lead(id)).unwrap().version;
            match eng.update(lead(id), None, &input(&[(&code, bad)])) {
                Err(StoreError::Field(e)) => assert_eq!(e.field, code, "{kind:?}: {bad}"),
                other => panic!("{kind:?}: {bad} should be refused, got {other:?}"),
            }
            assert_eq!(eng.get(lead(id)).unwrap().version, version, "{kind:?}: nothing written");
        }
    }
    // JSON carries them under `fields`, as input takes them back.
    let json = eng.get(lead(id)).unwrap().to_json();
    assert_eq!(json["fields"]["f3"], "2000.00 EUR");
    // Cleared by an empty value; a code no field has is refused.
    eng.update(lead(id), None, &input(&[("f0", "")])).unwrap();
    assert_eq!(eng.get(lead(id)).unwrap().custom_text("f0"), "");
    assert!(matches!(eng.update(lead(id), None, &input(&[("nothing_here", "1")])), Err(StoreError::Field(_))));
    // The history names the change with the field's label.
    let history = eng.timeline(lead(id), 1).unwrap();
    assert_eq!(history[0].payload["changes"][0]["label"], "f0", "{:?}", history[0].payload);
}

pub fn defaults_fill_new_records_and_codes_are_checked(mut eng: TestEngine) {
    let mut region = field(Entity::Deal, "region", FieldType::List);
    region.options = vec!["North".into(), "South".into()];
    region.default = Some("North".into());
    eng.add_custom_field(&region).unwrap();
    let deal = create(&mut eng, Entity::Deal, &[("title", "Defaults")], &[]).id;
    assert_eq!(eng.get(RecordRef::new(Entity::Deal, deal)).unwrap().custom_text("region"), "North");
    let typed = create(&mut eng, Entity::Deal, &[("title", "Typed"), ("region", "south")], &[]).id;
    assert_eq!(eng.get(RecordRef::new(Entity::Deal, typed)).unwrap().custom_text("region"), "South");
    // A code taken, a built-in key, a bad shape: refused.
    assert!(eng.add_custom_field(&region).is_err());
    assert!(eng.add_custom_field(&field(Entity::Deal, "title", FieldType::Text)).is_err());
    assert!(eng.add_custom_field(&field(Entity::Deal, "2x", FieldType::Text)).is_err());
    // Only an administrator adds one.
    let mut bob = eng.session_as("bob", &["Manager"], None);
    let e = bob.add_custom_field(&field(Entity::Deal, "mine", FieldType::Text)).unwrap_err();
    assert!(matches!(e, StoreError::Rule(Rule::AdminOnly { .. })), "{e:?}");
}

pub fn a_field_required_from_a_stage_stops_every_move_there_until_filled(mut eng: TestEngine) {
    let (_, stages) = eng.stages(Entity::Lead, None).unwrap();
    let in_process = stages.iter().find(|s| s.stage.code == "IN_PROCESS").unwrap().stage.id;
    let mut interest = field(Entity::Lead, "interest", FieldType::List);
    interest.options = vec!["CRM".into(), "ERP".into()];
    interest.required_from = vec![in_process];
    eng.add_custom_field(&interest).unwrap();
    let id = create(&mut eng, Entity::Lead, &[("title", "Needs it")], &[]).id;
    let refused = |e: StoreError| match e {
        StoreError::Rule(Rule::MissingFields { fields, .. }) => {
            assert_eq!(fields.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(), ["interest"])
        }
        other => panic!("expected the missing fields, got {other:?}"),
    };
    refused(eng.move_stage(lead(id), "IN_PROCESS", None, None).unwrap_err());
    // A later stage too, and a move from a stale screen; not a failure stage.
    let later = stages.iter().rfind(|s| s.stage.semantics.code() == "in_progress").unwrap().stage.code.clone();
    refused(eng.move_stage(lead(id), &later, None, None).unwrap_err());
    let new_stage = stages[0].stage.id;
    refused(eng.move_seen(lead(id), new_stage, "IN_PROCESS", None).unwrap_err());
    assert_eq!(crate::stage_of(&eng, Entity::Lead, id), "NEW", "nothing moved");
    eng.move_stage(lead(id), "JUNK", Some("no budget"), None).unwrap();
    eng.move_stage(lead(id), "NEW", None, None).unwrap();
    // Filled with the move: it goes.
    eng.move_filling(lead(id), "IN_PROCESS", None, None, vec![("interest".into(), "crm".into())]).unwrap();
    assert_eq!(crate::stage_of(&eng, Entity::Lead, id), "IN_PROCESS");
    // Not emptied there; changed, and other fields edited, as ever.
    refused(eng.update(lead(id), None, &input(&[("interest", "")])).unwrap_err());
    assert_eq!(eng.get(lead(id)).unwrap().custom_text("interest"), "CRM", "nothing written");
    eng.update(lead(id), None, &input(&[("interest", "ERP"), ("title", "Still needs it")])).unwrap();
    // Created straight into that stage: the same rule, nothing written without it.
    let before = eng.count(Entity::Lead).unwrap();
    let e = eng.create(Entity::Lead, &input(&[("title", "Straight in"), ("stage", "IN_PROCESS")])).unwrap_err();
    refused(e);
    assert_eq!(eng.count(Entity::Lead).unwrap(), before);
    create(&mut eng, Entity::Lead, &[("title", "Straight in"), ("stage", "IN_PROCESS"), ("interest", "ERP")], &[]);
}

/// A link field names a record by id: the link goes when that record is deleted, and
/// follows it when it is merged into another.
pub fn a_link_field_follows_a_merge_and_goes_with_a_deletion(mut eng: TestEngine) {
    eng.add_custom_field(&field(Entity::Deal, "referrer", FieldType::Link(Entity::Contact))).unwrap();
    let person = |eng: &mut TestEngine, phone: &str| {
        create(eng, Entity::Contact, &[("first_name", "Anne"), ("last_name", "Roux")], &[phone]).id
    };
    let (keep, other) = (person(&mut eng, "06 11 11 11 11"), person(&mut eng, "06 22 22 22 22"));
    let deal = create(&mut eng, Entity::Deal, &[("title", "Referred"), ("referrer", &other.to_string())], &[]).id;
    let referrer = |eng: &TestEngine| eng.get(RecordRef::new(Entity::Deal, deal)).unwrap().custom_text("referrer");
    eng.merge(Entity::Contact, keep, &[other], &Default::default(), None).unwrap();
    assert_eq!(referrer(&eng), keep.to_string());
    eng.delete(RecordRef::new(Entity::Contact, keep), None).unwrap();
    assert_eq!(referrer(&eng), "");
}

pub fn a_field_holding_values_is_deleted_only_when_forced_and_its_history_stays(mut eng: TestEngine) {
    eng.add_custom_field(&field(Entity::Contact, "hobby", FieldType::Text)).unwrap();
    let id =
        create(&mut eng, Entity::Contact, &[("first_name", "Anne"), ("last_name", "Roux"), ("hobby", "Chess")], &[]).id;
    match eng.delete_custom_field(Entity::Contact, "hobby", false) {
        Err(StoreError::Rule(Rule::FieldHoldsValues { count: 1, .. })) => {}
        other => panic!("expected a refusal naming 1 value, got {other:?}"),
    }
    assert_eq!(eng.custom_fields(Some(Entity::Contact)).unwrap().len(), 1);
    eng.update(RecordRef::new(Entity::Contact, id), None, &input(&[("hobby", "Go")])).unwrap();
    assert_eq!(eng.delete_custom_field(Entity::Contact, "hobby", true).unwrap(), 1);
    assert!(eng.custom_fields(Some(Entity::Contact)).unwrap().is_empty());
    let card = eng.get(RecordRef::new(Entity::Contact, id)).unwrap();
    assert!(card.custom.is_empty());
    let history = eng.timeline(RecordRef::new(Entity::Contact, id), 5).unwrap();
    assert!(format!("{history:?}").contains("Chess"), "the old value stays readable: {history:?}");
}

/// A conversion copies the lead's own fields to the records it makes when they have a field
/// of the same code and type (SPEC L6); a field of another type is left alone.
pub fn a_conversion_copies_fields_of_the_same_code_and_type(mut eng: TestEngine) {
    use prospect::domain::convert::Targets;
    use prospect::store::convert::ConversionPlan;
    for (entity, kind) in
        [(Entity::Lead, FieldType::Money), (Entity::Deal, FieldType::Money), (Entity::Contact, FieldType::Text)]
    {
        eng.add_custom_field(&field(entity, "budget", kind)).unwrap();
    }
    let id = create(
        &mut eng,
        Entity::Lead,
        &[("title", "Kiosks"), ("first_name", "Anne"), ("last_name", "Roux"), ("budget", "1500")],
        &[],
    )
    .id;
    let done = eng.convert_lead(id, &ConversionPlan::new(Targets::DEFAULT)).unwrap();
    let deal = eng.get(RecordRef::new(Entity::Deal, done.deal.unwrap().id)).unwrap();
    assert_eq!(deal.custom_text("budget"), "1500.00 EUR");
    let contact = eng.get(RecordRef::new(Entity::Contact, done.contact.unwrap().id)).unwrap();
    assert_eq!(contact.custom_text("budget"), "", "another type: not copied");
}

/// SPEC F2, L6: a conversion whose lead (moving to its success stage) or new deal (in its
/// first stage) lacks a required field is refused naming it, nothing written; given the
/// values, each goes to the records that have that field.
pub fn a_conversion_is_given_the_fields_its_records_require(mut eng: TestEngine) {
    use prospect::domain::convert::Targets;
    use prospect::store::convert::ConversionPlan;
    let stage_id = |eng: &TestEngine, entity: Entity, code: &str| {
        eng.stages(entity, None).unwrap().1.into_iter().find(|s| s.stage.code == code).unwrap().stage.id
    };
    let mut budget = field(Entity::Lead, "budget", FieldType::Money);
    budget.required_from = vec![stage_id(&eng, Entity::Lead, "IN_PROCESS")];
    eng.add_custom_field(&budget).unwrap();
    let mut step = field(Entity::Deal, "next_step", FieldType::Text);
    step.required_from = vec![stage_id(&eng, Entity::Deal, "NEW")];
    eng.add_custom_field(&step).unwrap();
    let id =
        create(&mut eng, Entity::Lead, &[("title", "Kiosks"), ("first_name", "Anne"), ("last_name", "Roux")], &[]).id;
    let plan = ConversionPlan::new(Targets::DEFAULT);
    // Read before: what the wizard's fields step asks, with the stage requiring each.
    let needs = eng.conversion_lacks(id, &plan).unwrap();
    let said: Vec<(Entity, &str, &str)> = needs.iter().map(|(e, f, s)| (*e, f.code.as_str(), s.as_str())).collect();
    assert_eq!(said, [(Entity::Lead, "budget", "Converted"), (Entity::Deal, "next_step", "New")]);
    let given =
        ConversionPlan { fill: vec![("next_step".into(), "x".into())], ..ConversionPlan::new(Targets::DEFAULT) };
    assert_eq!(eng.conversion_lacks(id, &given).unwrap().len(), 1, "what is given is not asked");
    let no_deal = ConversionPlan::new(Targets { deal: false, contact: true, company: false });
    assert_eq!(eng.conversion_lacks(id, &no_deal).unwrap().len(), 1, "no deal, no deal field");
    match eng.convert_lead(id, &plan) {
        Err(StoreError::Rule(Rule::MissingFields { fields, .. })) => {
            let codes: Vec<&str> = fields.iter().map(|f| f.code.as_str()).collect();
            assert_eq!(codes, ["budget", "next_step"], "the lead's and the deal's, said at once");
        }
        other => panic!("refused for the fields, got {other:?}"),
    }
    assert_eq!(eng.count(Entity::Deal).unwrap(), 0, "nothing written");
    let plan = ConversionPlan {
        fill: vec![("budget".into(), "2 000".into()), ("next_step".into(), "Call Anne".into())],
        ..ConversionPlan::new(Targets::DEFAULT)
    };
    let done = eng.convert_lead(id, &plan).unwrap();
    assert_eq!(eng.get(lead(id)).unwrap().custom_text("budget"), "2000.00 EUR");
    let deal = eng.get(RecordRef::new(Entity::Deal, done.deal.unwrap().id)).unwrap();
    assert_eq!(deal.custom_text("next_step"), "Call Anne");
    assert_eq!(deal.custom_text("budget"), "", "the deal has no such field");
}

/// An import writes fields of the team's own as a create does, on both engines (rows naming
/// them go one by one on PostgreSQL).
pub fn an_import_writes_custom_values(mut eng: TestEngine) {
    use prospect::store::import::{ImportOptions, ImportRow, RowOutcome};
    let mut interest = field(Entity::Lead, "interest", FieldType::List);
    interest.options = vec!["CRM".into(), "ERP".into()];
    eng.add_custom_field(&interest).unwrap();
    let rows: Vec<ImportRow> = [("Kiosk", "erp"), ("Stand", "Billing"), ("Plain", "")]
        .into_iter()
        .enumerate()
        .map(|(i, (title, v))| {
            let mut fields = vec![("title".to_string(), title.to_string())];
            if !v.is_empty() {
                fields.push(("interest".into(), v.into()));
            }
            ImportRow::new(i as u64 + 2, Ok(prospect::store::RecordInput { fields, ..Default::default() }))
        })
        .collect();
    let report = eng
        .import(Entity::Lead, |from| rows[from.min(rows.len())..].to_vec(), ImportOptions::default(), |_| {})
        .unwrap();
    let outcomes: Vec<RowOutcome> = report.rows.iter().map(|(_, o)| o).collect();
    let RowOutcome::Created { id, .. } = outcomes[0].clone() else { panic!("{outcomes:?}") };
    assert_eq!(eng.get(lead(id)).unwrap().custom_text("interest"), "ERP");
    assert!(matches!(&outcomes[1], RowOutcome::Rejected { reason } if reason.contains("interest")), "{outcomes:?}");
    assert!(matches!(outcomes[2], RowOutcome::Created { .. }), "{outcomes:?}");

    // A field with a default: every new record of the import gets it, in one transaction as
    // in batches, a row naming no field of the team's own too.
    let mut region = field(Entity::Lead, "region", FieldType::Text);
    region.default = Some("North".into());
    eng.add_custom_field(&region).unwrap();
    for bulk in [false, true] {
        let opts =
            ImportOptions { bulk, duplicates: prospect::domain::import::DuplicateMode::All, ..Default::default() };
        let rows: Vec<ImportRow> = (0..3)
            .map(|i| {
                let fields = vec![("title".to_string(), format!("Defaulted {bulk} {i}"))];
                ImportRow::new(i + 2, Ok(prospect::store::RecordInput { fields, ..Default::default() }))
            })
            .collect();
        let report = eng.import(Entity::Lead, |from| rows[from.min(rows.len())..].to_vec(), opts, |_| {}).unwrap();
        for (_, o) in report.rows.iter() {
            let RowOutcome::Created { id, .. } = o.clone() else { panic!("{o:?}") };
            assert_eq!(eng.get(lead(id)).unwrap().custom_text("region"), "North", "bulk: {bulk}");
        }
    }
}

/// A merge offers the differing values of the fields of the team's own as it does the
/// built-in ones (SPEC D2): one the kept record lacks is filled, one it holds that another
/// differs from is chosen, or the merge is refused naming it; nothing is lost unsaid.
pub fn a_merge_offers_the_differing_values_of_fields_of_its_own(mut eng: TestEngine) {
    use prospect::store::merge::{MergeChoices, Prefer};
    eng.add_custom_field(&field(Entity::Lead, "budget", FieldType::Money)).unwrap();
    eng.add_custom_field(&field(Entity::Lead, "region", FieldType::Text)).unwrap();
    let a = create(&mut eng, Entity::Lead, &[("title", "Kept"), ("budget", "1 000")], &[]).id;
    let b = create(&mut eng, Entity::Lead, &[("title", "Other"), ("budget", "5 000"), ("region", "North")], &[]).id;
    let c = create(&mut eng, Entity::Lead, &[("title", "Third"), ("budget", "7 000")], &[]).id;
    let preview = eng.merge_preview(Entity::Lead, a, &[b, c]).unwrap();
    assert!(preview.fills.contains(&("region".into(), "North".into(), b)), "{preview:?}");
    let budget = preview.conflicts.iter().find(|c| c.field == "budget").expect("the budgets differ");
    assert_eq!(budget.keep, "1000.00 EUR");
    assert_eq!(budget.values, [(b, "5000.00 EUR".to_string()), (c, "7000.00 EUR".to_string())]);
    // Unchosen: refused naming the field, nothing written.
    let titles = MergeChoices { fields: [("title".to_string(), Prefer::Keep)].into(), fallback: None };
    match eng.merge(Entity::Lead, a, &[b, c], &titles, None) {
        Err(StoreError::Field(e)) => assert_eq!(e.field, "budget"),
        other => panic!("refused for the budget, got {other:?}"),
    }
    assert!(eng.get(lead(b)).is_ok(), "nothing merged");
    let choices = MergeChoices {
        fields: [("title".to_string(), Prefer::Keep), ("budget".to_string(), Prefer::Record(c))].into(),
        fallback: None,
    };
    eng.merge(Entity::Lead, a, &[b, c], &choices, None).unwrap();
    let kept = eng.get(lead(a)).unwrap();
    assert_eq!((kept.custom_text("budget"), kept.custom_text("region")), ("7000.00 EUR".into(), "North".into()));
    let history: String = eng.timeline(lead(a), 20).unwrap().iter().map(|t| t.payload.to_string()).collect();
    assert!(history.contains("7000.00 EUR"), "the change is in the history: {history}");
    assert!(history.contains("North"), "so is the fill: {history}");
}
