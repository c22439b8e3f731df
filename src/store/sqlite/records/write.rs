//! Writing a record: a new one checked (CheckedNew) and created, an update with its version
//! check, a stage move as `domain::stage::plan_move` plans it, a deletion.

use super::*;
use crate::domain::queue::Pick;
use crate::store::rules::OnEntering;

/// A new record's input, checked and turned into what its row needs, before the writer has
/// it: its field values, match-key columns, phones and e-mails, and a lead's match keys. A
/// bulk load makes these on its reading or generating thread, so that the writer (the one
/// thread SQLite lets write) only resolves references and writes; this was about a fifth of
/// an import's writing. Nothing in it depends on the file.
#[derive(Debug)]
pub(crate) struct CheckedNew {
    entity: Entity,
    values: Vec<(&'static FieldSpec, FieldValue)>,
    derived: Vec<(&'static str, Option<String>)>,
    comms: Vec<Comm>,
    /// A lead's match keys, for the repeat-lead check (empty for the other kinds).
    keys: dedup::MatchKeys,
    /// Its search entry's text (`search::entry_text`).
    search_text: String,
}

impl CheckedNew {
    /// Checks `input` for a new record of `entity`; an amount without a currency is in
    /// `currency` (the file's default, `WriteCtx::currency`).
    pub(crate) fn check(entity: Entity, input: &RecordInput, currency: Currency) -> Result<CheckedNew> {
        let values = validate_input(entity, &input.fields, InputContext { currency, creating: true })?;
        // The match keys go in with the row (computed from the input as refresh_derived would
        // from the stored values), saving an UPDATE of every new record.
        let typed = |key: &str| {
            input
                .fields
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| crate::domain::text::clean_line(v).trim().to_string())
                .unwrap_or_default()
        };
        let derived = derived_columns(entity, typed);
        let comms = apply_comms(&[], &input.comms);
        let keys = match entity {
            Entity::Lead => super::super::duplicates::keys_of_new(entity, input),
            _ => dedup::MatchKeys::default(),
        };
        let search_text = search::entry_text_of_new(
            entity,
            |column| {
                values.iter().rev().find(|(s, _)| s.column == column).and_then(|(_, v)| match v {
                    FieldValue::Text(t) => Some(t.as_str()),
                    _ => None,
                })
            },
            &comms,
        );
        Ok(CheckedNew { entity, values, derived, comms, keys, search_text })
    }
}

/// Creates a record from `input` (checked here); a lead or deal made in a stage enters it,
/// so that stage's rules run (`store::rules`), and in CRM simple mode a lead becomes its
/// deal and client, in this transaction.
pub(crate) fn create_in(tx: &Transaction, ctx: &WriteCtx, entity: Entity, input: &RecordInput) -> Result<Saved> {
    let mut saved = create_record_in(tx, ctx, entity, input)?;
    let on = OnEntering {
        rules: entity.has_stages(),
        simple: entity == Entity::Lead && super::super::convert::simple_mode(tx)?,
    };
    entered(tx, ctx, entity, &mut saved, on)?;
    Ok(saved)
}

/// What new records of `entity` set off, as the file stands (an import reads it once per
/// handful of rows).
pub(crate) fn on_entering(tx: &Transaction, entity: Entity) -> Result<OnEntering> {
    let rules = entity.has_stages()
        && tx.prepare_cached(crate::store::rules::ANY_ENABLED_SQL)?.query_row([entity.code()], |r| r.get(0))?;
    let simple = entity == Entity::Lead && super::super::convert::simple_mode(tx)?;
    Ok(OnEntering { rules, simple })
}

/// A record just made enters its stage: in CRM simple mode a lead becomes its deal and
/// client at once (it leaves its first stage for the success one, whose rules run, not the
/// first's); otherwise, or when the deal cannot be made, its stage's rules run. `saved` takes
/// the record's version after.
pub(crate) fn entered(
    tx: &Transaction,
    ctx: &WriteCtx,
    entity: Entity,
    saved: &mut Saved,
    on: OnEntering,
) -> Result<()> {
    if on.simple
        && entity == Entity::Lead
        && let Some(done) = super::super::convert::intake_as_deal(tx, ctx, saved.id)?
    {
        saved.version = done.version;
        return Ok(());
    }
    if on.rules && entity.has_stages() {
        let sql = format!("SELECT stage_id FROM {} WHERE id = ?1", entity.table());
        let stage_id: i64 = tx.prepare_cached(&sql)?.query_row([saved.id], |r| r.get(0))?;
        let chain = &mut crate::store::rules::Chain::default();
        let rules = &mut super::super::rules::FileRules { tx, ctx, chain };
        saved.version = crate::store::rules::run(rules, entity, saved.id, stage_id)?.version.unwrap_or(saved.version);
    }
    Ok(())
}

/// Creates a record from `input` (checked here), its stage's rules aside.
pub(crate) fn create_record_in(tx: &Transaction, ctx: &WriteCtx, entity: Entity, input: &RecordInput) -> Result<Saved> {
    let fields = crate::store::sqlite::custom_fields::fields_of(tx, Some(entity))?;
    if fields.is_empty() {
        return create_checked(tx, ctx, input, CheckedNew::check(entity, input, ctx.currency)?);
    }
    let split = split_input(
        entity,
        &input.fields,
        &fields,
        &parse_context(ctx, crate::store::custom_fields::typed_currency(&input.fields)),
    )?;
    let builtin = RecordInput { fields: split.builtin, ..input.clone() };
    // A field not typed gets its default.
    let values = crate::store::custom_fields::with_defaults(&fields, split.custom);
    let mut checked = CheckedNew::check(entity, &builtin, ctx.currency)?;
    // Search finds the new record by its text fields too, wherever its entry is written.
    let searched =
        crate::store::custom_fields::searched_text(values.iter().filter_map(|(f, v)| Some((*f, v.as_deref()?))));
    checked.search_text = crate::store::custom_fields::with_searched(checked.search_text, Some(&searched));
    let saved = create_checked(tx, ctx, &builtin, checked)?;
    write_custom(tx, saved.id, &values)?;
    // Created straight into a stage (a quick create in a column, an import's stage column):
    // what that stage requires, as a move there would.
    if entity.has_stages() {
        let sql = format!(
            "SELECT t.stage_id, s.pipeline_id FROM {} t JOIN stages s ON s.id = t.stage_id WHERE t.id = ?1",
            entity.table()
        );
        let (stage, pipeline): (i64, i64) =
            tx.prepare_cached(&sql)?.query_row([saved.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let missing = missing_for_move(tx, entity, saved.id, pipeline, stage)?;
        if !missing.is_empty() {
            let stage = refs::stage_by_id(tx, stage)?.name;
            return Err(StoreError::Rule(Rule::MissingFields { stage, fields: missing }));
        }
    }
    Ok(saved)
}

/// What custom values are read with on this write.
pub(crate) fn parse_context(ctx: &WriteCtx, currency: Option<Currency>) -> ParseContext {
    ParseContext { currency: currency.unwrap_or(ctx.currency), region: ctx.region, local_instant, now: Some(ctx.now) }
}

/// Writes custom values (a link's record must exist); returns the timeline changes against
/// `old` (the values before).
pub(crate) fn write_custom(tx: &Transaction, id: i64, values: &[(&CustomField, Option<String>)]) -> Result<Vec<Json>> {
    let Some((first, _)) = values.first() else { return Ok(vec![]) };
    let old = crate::store::sqlite::custom_fields::values_of(tx, first.entity, id)?;
    let mut changes = Vec::new();
    for (f, v, change) in crate::store::custom_fields::changed(&old, values) {
        if let (FieldType::Link(target), Some(linked)) = (f.kind, v) {
            refs::resolve_record(tx, target, linked).map_err(|e| rename_field(e, &f.code))?;
        }
        crate::store::sqlite::custom_fields::write_value(tx, f, id, v)?;
        changes.push(change);
    }
    Ok(changes)
}

/// Creates a record from `input`, already checked (`CheckedNew::check` of the same input, or
/// of one that differs in its companies only).
pub(crate) fn create_checked(
    tx: &Transaction,
    ctx: &WriteCtx,
    input: &RecordInput,
    checked: CheckedNew,
) -> Result<Saved> {
    let CheckedNew { entity, values, derived, comms, keys, search_text } = checked;
    let today = when::from_ms(ctx.now).date_naive();
    let defaults = new_defaults(entity, &values, input.origin.as_deref(), today, ctx.currency);
    let pipeline_id = match defaults.pipeline {
        NewPipeline::Chosen(named) => {
            Some(refs::resolve_pipeline(tx, entity, named).map_err(|e| rename_field(e, "pipeline"))?.id)
        }
        NewPipeline::OnlyOne => {
            Some(ctx.look_up(LookedUp::OnlyPipeline(entity), || Ok(refs::resolve_pipeline(tx, entity, None)?.id))?)
        }
        NewPipeline::None => None,
    };
    let mut cols: Vec<&str> = Vec::new();
    let mut vals: Vec<Sql> = Vec::new();
    for (spec, value) in &values {
        // On a new record an empty value means the field's default (the first stage, you as
        // responsible, not opened…), as if it had not been given.
        if spec.key == "pipeline" || *value == FieldValue::Null {
            continue;
        }
        cols.push(spec.column);
        vals.push(resolve_value(tx, ctx, spec, value, pipeline_id)?);
    }
    // The defaults are domain's (`new_record::new_defaults`); this only writes them.
    if let Some(currency) = defaults.currency {
        cols.push("currency");
        vals.push(Sql::Text(currency.code().into()));
    }
    if let Some(p) = pipeline_id {
        if entity == Entity::Deal {
            cols.push("pipeline_id");
            vals.push(Sql::Integer(p));
        }
        if defaults.first_stage {
            cols.push("stage_id");
            vals.push(Sql::Integer(ctx.look_up(LookedUp::FirstStage(p), || Ok(refs::first_stage(tx, p)?.id))?));
        }
        cols.extend(["moved_at", "moved_by"]);
        vals.extend([Sql::Integer(ctx.now), ctx.user_id.map_or(Sql::Null, Sql::Integer)]);
    }
    // A lead that arrived by itself goes to whoever the distribution queue says (SPEC I6),
    // written with the record: handed over after it, the reports' triggers would count a
    // change of responsible (and a bulk load that set them aside would count it twice).
    match if defaults.by_queue { super::super::queue::pick_in(tx)? } else { Pick::Runner } {
        Pick::User(login) => {
            let id: Option<i64> = tx
                .prepare_cached("SELECT id FROM users WHERE login = ?1")?
                .query_row([&login], |r| r.get(0))
                .optional()?;
            cols.push("responsible_id");
            vals.push(id.map_or(Sql::Null, Sql::Integer));
        }
        Pick::Unassigned => {
            cols.push("responsible_id");
            vals.push(Sql::Null);
        }
        Pick::Runner => {
            if defaults.responsible_is_creator
                && let Some(u) = ctx.user_id
            {
                cols.push("responsible_id");
                vals.push(Sql::Integer(u));
            }
        }
    }
    for (col, day) in [("begin_date", defaults.begin_date), ("close_date", defaults.close_date)] {
        if let Some(day) = day {
            cols.push(col);
            vals.push(Sql::Text(day.format("%Y-%m-%d").to_string()));
        }
    }
    for (col, v) in &derived {
        cols.push(col);
        vals.push(v.clone().map_or(Sql::Null, Sql::Text));
    }
    cols.retain(|c| !c.is_empty());
    cols.extend(["created_at", "created_by", "modified_at", "modified_by"]);
    let by = ctx.user_id.map_or(Sql::Null, Sql::Integer);
    vals.extend([Sql::Integer(ctx.created.unwrap_or(ctx.now)), by.clone(), Sql::Integer(ctx.now), by]);
    tx.prepare_cached(&insert_sql(entity.table(), &cols))?.execute(params_from_iter(vals.iter()))?;
    let id = tx.last_insert_rowid();
    insert_comms(tx, entity, id, &comms)?;
    if let Some(m) = ctx.matches() {
        m.borrow_mut().add(entity, id, derived.iter().map(|(c, v)| (*c, v.as_deref())), &comms);
    }
    if entity == Entity::Contact {
        link_companies(tx, id, &input.companies)?;
    }
    if entity == Entity::Deal && !input.contacts.is_empty() {
        let primary: Option<i64> =
            tx.prepare_cached("SELECT contact_id FROM deals WHERE id = ?1")?.query_row([id], |r| r.get(0))?;
        link_contacts(tx, id, (primary, primary), &input.contacts)?;
    }
    match ctx.search_later {
        Some(later) => later.add(entity, id, search_text),
        None if !ctx.bulk => search::write_new(tx, entity, id, search_text)?,
        None => {}
    }
    let mut repeat_of = Vec::new();
    if entity == Entity::Lead {
        repeat_of = repeat_match(tx, ctx, &keys)?;
        if !repeat_of.is_empty() {
            let contact = repeat_of.iter().find(|r| r.entity == Entity::Contact).map(|r| r.id);
            let company = repeat_of.iter().find(|r| r.entity == Entity::Company).map(|r| r.id);
            tx.prepare_cached("UPDATE leads SET is_repeat = 1, contact_id = ?1, company_id = ?2 WHERE id = ?3")?
                .execute(params![contact, company, id])?;
        }
    }
    let origin = input.origin.clone().unwrap_or_else(|| "manual".into());
    timeline::add(tx, entity, id, TimelineKind::Created, ctx, timeline::Created { origin: &origin })?;
    if !repeat_of.is_empty() {
        timeline::add(tx, entity, id, TimelineKind::Linked, ctx, json!({"repeat_of": repeat_of}))?;
    }
    log_change(tx, ctx, entity, id)?;
    Ok(Saved { id, version: 1, changed: values.iter().map(|(s, _)| s.key.to_string()).collect(), repeat_of })
}

pub(crate) fn update_in(
    tx: &Transaction,
    ctx: &WriteCtx,
    entity: Entity,
    id: i64,
    expected: Option<i64>,
    input: &RecordInput,
) -> Result<Saved> {
    let (version, old) = raw_row(tx, entity, id)?;
    let fields = if names_custom(entity, &input.fields) {
        crate::store::sqlite::custom_fields::fields_of(tx, Some(entity))?
    } else {
        vec![]
    };
    let old_currency = match old.get("currency") {
        Some(Sql::Text(c)) => Currency::parse(c),
        _ => None,
    };
    let split = split_input(entity, &input.fields, &fields, &parse_context(ctx, old_currency))?;
    let custom = split.custom;
    let input = &RecordInput { fields: split.builtin, ..input.clone() };
    if let Some(exp) = expected
        && exp != version
    {
        return Err(StoreError::Conflict { entity, id, expected: exp, actual: version });
    }
    if let Some(m) = ctx.matches() {
        m.borrow_mut().forget(tx, entity, id)?;
    }
    let values = validate_input(
        entity,
        &input.fields,
        InputContext { currency: old_currency.unwrap_or(ctx.currency), creating: false },
    )?;
    let pipeline_id = pipeline_of(tx, entity, Some(id))?;
    let mut sets: Vec<(&str, Sql)> = Vec::new();
    let mut changes: Vec<Json> = Vec::new();
    let mut new_currency = old_currency;
    for (spec, value) in &values {
        if spec.kind == FieldKind::Currency
            && let FieldValue::Text(c) = value
        {
            new_currency = Currency::parse(c);
        }
    }
    for (spec, value) in &values {
        if spec.kind == FieldKind::Bool && *value == FieldValue::Null {
            // A yes/no field cannot be cleared: say what is accepted instead of failing in SQL.
            return Err(FieldError::new(spec.key, Problem::Bool { value: String::new() }).into());
        }
        let new = resolve_value(tx, ctx, spec, value, pipeline_id)?;
        let before = old.get(spec.column).cloned().unwrap_or(Sql::Null);
        if new == before {
            continue;
        }
        let old_shown = shown_of(tx, spec, &before, old_currency)?.text();
        let new_shown = shown_of(tx, spec, &new, new_currency)?.text();
        changes.push(json!({"field": spec.key, "old": old_shown, "new": new_shown}));
        sets.push((spec.column, new));
    }
    let amount_set = sets.iter().any(|(c, v)| *c == "amount_minor" && *v != Sql::Null);
    if amount_set && old_currency.is_none() && !sets.iter().any(|(c, _)| *c == "currency") {
        sets.push(("currency", Sql::Text(ctx.currency.code().into())));
    }
    let current_comms = comms_of(tx, entity, id)?;
    if !input.comms.is_empty() {
        let next = apply_comms(&current_comms, &input.comms);
        if next != current_comms {
            for kind in [CommKind::Phone, CommKind::Email, CommKind::Web, CommKind::Messenger] {
                let list = |cs: &[Comm]| {
                    cs.iter().filter(|c| c.kind == kind).map(|c| c.value.clone()).collect::<Vec<_>>().join(", ")
                };
                let (a, b) = (list(&current_comms), list(&next));
                if a != b {
                    changes.push(json!({"field": format!("{}s", kind.code()), "old": a, "new": b}));
                }
            }
            write_comms(tx, entity, id, &next)?;
        }
    }
    if entity == Entity::Contact && !input.companies.is_empty() {
        link_companies(tx, id, &input.companies)?;
        changes.push(json!({"field": "companies", "old": "", "new": input.companies.join(", ")}));
    }
    let custom_changes = write_custom(tx, id, &custom)?;
    // Search finds the record by its text fields (the other changes reindex it below).
    if !ctx.bulk && !custom_changes.is_empty() && custom.iter().any(|(f, _)| crate::store::custom_fields::searched(f)) {
        search::reindex(tx, entity, id)?;
    }
    changes.extend(custom_changes);
    // A field the record's stage requires is not emptied there (SPEC F2).
    let cleared: Vec<i64> = custom.iter().filter(|(_, v)| v.is_none()).map(|(f, _)| f.id).collect();
    if let (false, Some(Sql::Integer(stage))) = (cleared.is_empty(), old.get("stage_id")) {
        let at = refs::stage_by_id(tx, *stage)?;
        let missing: Vec<CustomField> = missing_for_move(tx, entity, id, at.pipeline_id, at.id)?
            .into_iter()
            .filter(|f| cleared.contains(&f.id))
            .collect();
        if !missing.is_empty() {
            return Err(StoreError::Rule(Rule::MissingFields { stage: at.name, fields: missing }));
        }
    }
    let new_primary = sets.iter().find(|(c, _)| *c == "contact_id").map(|(_, v)| v);
    if entity == Entity::Deal && (!input.contacts.is_empty() || new_primary.is_some()) {
        let id_of = |v: Option<&Sql>| match v {
            Some(Sql::Integer(contact)) => Some(*contact),
            _ => None,
        };
        let was = id_of(old.get("contact_id"));
        let primary = (was, id_of(new_primary.or(old.get("contact_id"))));
        changes.extend(link_contacts(tx, id, primary, &input.contacts)?);
    }
    if changes.is_empty() {
        if let Some(m) = ctx.matches() {
            m.borrow_mut().remember(tx, entity, id)?;
        }
        return Ok(Saved { id, version, changed: vec![], repeat_of: vec![] });
    }
    let mut sql = format!("UPDATE {} SET ", entity.table());
    let mut params: Vec<Sql> = Vec::new();
    for (i, (col, v)) in sets.iter().enumerate() {
        sql.push_str(&format!("{col} = ?{}, ", i + 1));
        params.push(v.clone());
    }
    let n = params.len();
    sql.push_str(&format!(
        "modified_at = ?{}, modified_by = ?{}, version = version + 1 WHERE id = ?{} AND version = ?{}",
        n + 1,
        n + 2,
        n + 3,
        n + 4
    ));
    params.extend([
        Sql::Integer(ctx.now),
        ctx.user_id.map_or(Sql::Null, Sql::Integer),
        Sql::Integer(id),
        Sql::Integer(version),
    ]);
    let updated = tx.prepare_cached(&sql)?.execute(params_from_iter(params.iter()))?;
    if updated == 0 {
        let (actual, _) = raw_row(tx, entity, id)?;
        return Err(StoreError::Conflict { entity, id, expected: version, actual });
    }
    refresh_derived(tx, ctx, entity, id)?;
    let changed: Vec<String> = changes.iter().filter_map(|c| c["field"].as_str().map(str::to_string)).collect();
    timeline::add(tx, entity, id, TimelineKind::FieldsChanged, ctx, json!({"changes": changes}))?;
    log_change(tx, ctx, entity, id)?;
    if let Some(m) = ctx.matches() {
        m.borrow_mut().remember(tx, entity, id)?;
    }
    Ok(Saved { id, version: version + 1, changed, repeat_of: vec![] })
}

pub(super) fn delete_in(
    tx: &Transaction,
    ctx: &WriteCtx,
    entity: Entity,
    id: i64,
    expected: Option<i64>,
) -> Result<()> {
    let (version, _) = raw_row(tx, entity, id)?;
    if let Some(exp) = expected
        && exp != version
    {
        return Err(StoreError::Conflict { entity, id, expected: exp, actual: version });
    }
    let title = title_of(tx, entity, id)?;
    tx.prepare_cached("DELETE FROM comms WHERE entity = ?1 AND entity_id = ?2")?.execute(params![entity.code(), id])?;
    // Activities that belonged only to this record go with it.
    tx.prepare_cached(
        "DELETE FROM activities WHERE id IN (SELECT activity_id FROM activity_bindings WHERE entity = ?1 AND entity_id = ?2) \
         AND NOT EXISTS (SELECT 1 FROM activity_bindings b WHERE b.activity_id = activities.id AND NOT (b.entity = ?1 AND b.entity_id = ?2))",
    )?
    .execute(params![entity.code(), id])?;
    tx.prepare_cached("DELETE FROM activity_bindings WHERE entity = ?1 AND entity_id = ?2")?
        .execute(params![entity.code(), id])?;
    tx.prepare_cached("DELETE FROM custom_values WHERE entity_id = ?2 AND field_id IN (SELECT id FROM custom_fields WHERE entity = ?1)")?
        .execute(params![entity.code(), id])?;
    // Links to it from fields of the team's own go too (its id names nothing now).
    tx.prepare_cached(
        "DELETE FROM custom_values WHERE value = ?2 AND field_id IN (SELECT id FROM custom_fields WHERE link_to = ?1)",
    )?
    .execute(params![entity.code(), id.to_string()])?;
    super::super::lines::drop_lines(tx, RecordRef::new(entity, id))?;
    search::remove(tx, entity, id)?;
    tx.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", entity.table()))?.execute([id])?;
    timeline::add(tx, entity, id, TimelineKind::Deleted, ctx, json!({"title": title}))?;
    log_change(tx, ctx, entity, id)?;
    Ok(())
}
