//! Writing a record: a new one checked and created, an update with its version check, a
//! stage move as `domain::stage::plan_move` plans it, a deletion; the same rules and the
//! same timeline entries as `sqlite::records::write`.

use super::many::{NewRecord, write_new};
use super::*;
use crate::domain::dedup::{self, MatchKeys};
use crate::domain::new_record::{NewPipeline, new_defaults};
use crate::domain::when;
use crate::store::rules::OnEntering;

/// The repeat-lead rule over the best match of each target (`first(c, target)`, contacts
/// then companies): the contact and the company a new lead repeats, a matched contact
/// bringing its company when no company matched directly. `many::write_new` hands over the
/// matches it looked up for a handful of leads at once.
pub(crate) fn repeat_links<C: GenericClient>(
    c: &mut C,
    mut first: impl FnMut(&mut C, Entity) -> Result<Option<crate::store::duplicates::DuplicateMatch>>,
) -> Result<Vec<RepeatLink>> {
    let mut found: Vec<RepeatLink> = Vec::new();
    let push = |found: &mut Vec<RepeatLink>, entity: Entity, id: i64, by: &str| {
        if !found.iter().any(|f| f.entity == entity) {
            found.push(RepeatLink { entity, id, matched_by: by.to_string() });
        }
    };
    for target in [Entity::Contact, Entity::Company] {
        if let Some(m) = first(c, target)? {
            push(&mut found, target, m.id, m.matched_by.first().map(String::as_str).unwrap_or("name"));
        }
    }
    // A matched contact brings its company as the client when none matched directly.
    if let Some(contact) = found.iter().find(|f| f.entity == Entity::Contact).map(|f| f.id)
        && !found.iter().any(|f| f.entity == Entity::Company)
    {
        let company: Option<i64> = match c.query_opt(
            "SELECT company_id FROM contact_companies WHERE contact_id = $1 ORDER BY company_id LIMIT 1",
            &[&contact],
        )? {
            Some(r) => Some(r.try_get(0)?),
            None => None,
        };
        if let Some(id) = company {
            push(&mut found, Entity::Company, id, "contact");
        }
    }
    Ok(found)
}

/// Where a new record's references (pipelines, stages, sources, users, records) are looked
/// up: the database each time for a create (`Direct`), a memo for an import that names the
/// same few thousands of times (`postgres::import`).
pub(crate) trait Lookup {
    /// The pipeline `named` of `entity`, or its first when `None`.
    fn pipeline(&mut self, entity: Entity, named: Option<&str>) -> Result<i64>;
    /// The first stage of a pipeline.
    fn first_stage(&mut self, pipeline_id: i64) -> Result<i64>;
    /// What `text` names as a `kind` reference (`refs::resolve`).
    fn reference(&mut self, kind: RefKind, text: &str, pipeline_id: Option<i64>) -> Result<i64>;
}

/// References looked up in the database, every time.
pub(crate) struct Direct<'c, C>(pub(crate) &'c mut C);

impl<C: GenericClient> Lookup for Direct<'_, C> {
    fn pipeline(&mut self, entity: Entity, named: Option<&str>) -> Result<i64> {
        Ok(refs::resolve_pipeline(self.0, entity, named)?.id)
    }

    fn first_stage(&mut self, pipeline_id: i64) -> Result<i64> {
        Ok(refs::first_stage(self.0, pipeline_id)?.id)
    }

    fn reference(&mut self, kind: RefKind, text: &str, pipeline_id: Option<i64>) -> Result<i64> {
        refs::resolve(self.0, kind, text, pipeline_id)
    }
}

/// A new record as `create_in` writes it, made before anything is written: its checked
/// columns with every default, its comms, what a new lead is matched by for the repeat-lead
/// rule, whether the queue hands it out. The one rule of a new record's row, which a create
/// writes at once and an import a handful of rows at a time.
pub(crate) struct NewRow {
    /// Column names and values, each column once.
    pub(crate) columns: Vec<(&'static str, Val)>,
    /// Its phones, e-mails, websites and messengers, in order.
    pub(crate) comms: Vec<Comm>,
    /// Its match keys (leads only: contacts and companies it repeats are looked up by them).
    pub(crate) keys: MatchKeys,
    /// A lead that arrived by itself with no responsible: the distribution queue picks one.
    pub(crate) by_queue: bool,
    /// The fields the input gave.
    pub(crate) changed: Vec<String>,
}

/// Checks `input` as a new record of `entity` and makes its row (`NewRow`), references
/// resolved through `look`: refused with the same errors as a create.
pub(crate) fn new_row(look: &mut impl Lookup, ctx: &WriteCtx, entity: Entity, input: &RecordInput) -> Result<NewRow> {
    let values = validate_input(entity, &input.fields, InputContext { currency: ctx.currency, creating: true })?;
    // The match keys go in with the row, computed from the input as `refresh_derived` would
    // from the stored values.
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
        Entity::Lead => crate::store::sqlite::duplicates::keys_of_new(entity, input),
        _ => dedup::MatchKeys::default(),
    };
    let today = when::from_ms(ctx.now).date_naive();
    let defaults = new_defaults(entity, &values, input.origin.as_deref(), today, ctx.currency);
    let pipeline_id = match defaults.pipeline {
        NewPipeline::Chosen(named) => Some(look.pipeline(entity, named).map_err(|e| rename_field(e, "pipeline"))?),
        NewPipeline::OnlyOne => Some(look.pipeline(entity, None)?),
        NewPipeline::None => None,
    };
    let mut columns: Vec<(&'static str, Val)> = Vec::with_capacity(values.len() + 12);
    for (spec, value) in &values {
        // On a new record an empty value means the field's default (the first stage, you as
        // responsible, not opened…), as if it had not been given.
        if spec.key == "pipeline" || *value == FieldValue::Null {
            continue;
        }
        columns.push((spec.column, resolve_value(look, spec, value, pipeline_id)?));
    }
    if let Some(currency) = defaults.currency {
        columns.push(("currency", Val::Text(currency.code().into())));
    }
    if let Some(p) = pipeline_id {
        if entity == Entity::Deal {
            columns.push(("pipeline_id", Val::Int(p)));
        }
        if defaults.first_stage {
            columns.push(("stage_id", Val::Int(look.first_stage(p)?)));
        }
        columns.push(("moved_at", Val::Int(ctx.now)));
        columns.push(("moved_by", ctx.user_id.map_or(Val::Null, Val::Int)));
    }
    if defaults.responsible_is_creator
        && let Some(u) = ctx.user_id
    {
        columns.push(("responsible_id", Val::Int(u)));
    }
    for (col, day) in [("begin_date", defaults.begin_date), ("close_date", defaults.close_date)] {
        if let Some(day) = day {
            columns.push((col, Val::Text(day.format("%Y-%m-%d").to_string())));
        }
    }
    for (col, v) in derived {
        columns.push((col, Val::text(v)));
    }
    columns.retain(|(c, _)| !c.is_empty());
    let by = ctx.user_id.map_or(Val::Null, Val::Int);
    columns.extend([
        ("created_at", Val::Int(ctx.now)),
        ("created_by", by.clone()),
        ("modified_at", Val::Int(ctx.now)),
        ("modified_by", by),
    ]);
    Ok(NewRow {
        columns,
        comms,
        keys,
        by_queue: defaults.by_queue,
        changed: values.iter().map(|(s, _)| s.key.to_string()).collect(),
    })
}

/// Creates a record inside the caller's transaction (`create_record_in`); a lead or deal
/// made in a stage enters it, so that stage's rules run (`store::rules`), in this
/// transaction.
pub(crate) fn create_in(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    input: &RecordInput,
) -> Result<Saved> {
    let mut saved = create_record_in(c, ctx, entity, input)?;
    let simple = entity == Entity::Lead && super::super::convert::simple_mode(c)?;
    entered(c, ctx, entity, &mut saved, OnEntering { rules: entity.has_stages(), simple })?;
    Ok(saved)
}

/// What new records of `entity` set off, as the database stands (an import reads it once).
pub(crate) fn on_entering(c: &mut impl GenericClient, entity: Entity) -> Result<OnEntering> {
    let rules = entity.has_stages() && c.query_one(crate::store::rules::ANY_ENABLED_SQL, &[&entity.code()])?.get(0);
    let simple = entity == Entity::Lead && super::super::convert::simple_mode(c)?;
    Ok(OnEntering { rules, simple })
}

/// A record just made enters its stage: in CRM simple mode a lead becomes its deal and
/// client at once (it leaves its first stage for the success one, whose rules run, not the
/// first's); otherwise, or when the deal cannot be made, its stage's rules run. `saved` takes
/// the record's version after.
pub(crate) fn entered(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    saved: &mut Saved,
    on: OnEntering,
) -> Result<()> {
    if on.simple
        && entity == Entity::Lead
        && let Some(done) = super::super::convert::intake_as_deal(c, ctx, saved.id)?
    {
        saved.version = done.version;
        return Ok(());
    }
    if on.rules && entity.has_stages() {
        let sql = format!("SELECT stage_id FROM {} WHERE id = $1", entity.table());
        // A record the queue handed out of its maker's sight (row-level security) is not
        // read back: its stage's rules do not run (docs/ARCHITECTURE.md).
        let Some(row) = c.query_opt(&sql, &[&saved.id])? else { return Ok(()) };
        let stage_id: i64 = row.get(0);
        let chain = &mut crate::store::rules::Chain::default();
        let rules = &mut super::super::rules::ServerRules { c, ctx, chain };
        saved.version = crate::store::rules::run(rules, entity, saved.id, stage_id)?.version.unwrap_or(saved.version);
    }
    Ok(())
}

/// Creates a record inside the caller's transaction (checks, defaults, comms, repeat-lead
/// match, queue, search entry, timeline, change log): its row made by `new_row` and written
/// by `many::write_new`, as an import or the demo writes a handful.
pub(crate) fn create_record_in(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    input: &RecordInput,
) -> Result<Saved> {
    let fields = crate::store::postgres::custom_fields::fields_of(c, Some(entity))?;
    if fields.is_empty() {
        return create_plain(c, ctx, entity, input);
    }
    let typed_currency = crate::store::custom_fields::typed_currency(&input.fields);
    let split = split_input(entity, &input.fields, &fields, &parse_context(ctx, typed_currency))?;
    let builtin = RecordInput { fields: split.builtin, ..input.clone() };
    let (saved, stage) = create_plain_in(c, ctx, entity, &builtin)?;
    // A field not typed gets its default. Nothing is read back from the new record: the
    // queue may have handed it out of its maker's sight (row-level security).
    let values = crate::store::custom_fields::with_defaults(&fields, split.custom);
    for (f, v) in &values {
        let Some(v) = v else { continue };
        if let FieldType::Link(target) = f.kind {
            refs::resolve_record(c, target, v).map_err(|e| rename_field(e, &f.code))?;
        }
        crate::store::postgres::custom_fields::insert_value(c, f, saved.id, v)?;
    }
    // Search finds the new record by its text fields too.
    if values.iter().any(|(f, v)| v.is_some() && crate::store::custom_fields::searched(f)) {
        search::reindex(c, entity, saved.id)?;
    }
    // Created straight into a stage: what that stage requires, as a move there would.
    if let Some(stage) = stage {
        let at = refs::stage_by_id(c, stage)?;
        let pipeline: Vec<(i64, bool)> = refs::stages(c, at.pipeline_id)?
            .into_iter()
            .map(|s| (s.id, s.semantics == crate::domain::stage::StageSemantics::Failure))
            .collect();
        let filled: Vec<(i64, String)> = values.iter().filter_map(|(f, v)| v.clone().map(|v| (f.id, v))).collect();
        let required: Vec<CustomField> = fields.iter().filter(|f| !f.required_from.is_empty()).cloned().collect();
        let missing = crate::domain::custom_field::missing_at(&required, &filled, stage, &pipeline);
        if !missing.is_empty() {
            return Err(StoreError::Rule(Rule::MissingFields { stage: at.name, fields: missing }));
        }
    }
    Ok(saved)
}

/// What custom values are read with on this write.
pub(crate) fn parse_context(ctx: &WriteCtx, currency: Option<Currency>) -> ParseContext {
    ParseContext { currency: currency.unwrap_or(ctx.currency), region: ctx.region, local_instant, now: Some(ctx.now) }
}

/// Writes custom values (a link's record must exist); returns the timeline changes.
pub(crate) fn write_custom(
    c: &mut impl GenericClient,
    id: i64,
    values: &[(&CustomField, Option<String>)],
) -> Result<Vec<Json>> {
    let Some((first, _)) = values.first() else { return Ok(vec![]) };
    let old = crate::store::postgres::custom_fields::values_of(c, first.entity, id)?;
    let mut changes = Vec::new();
    for (f, v, change) in crate::store::custom_fields::changed(&old, values) {
        if let (FieldType::Link(target), Some(linked)) = (f.kind, v) {
            refs::resolve_record(c, target, linked).map_err(|e| rename_field(e, &f.code))?;
        }
        crate::store::postgres::custom_fields::write_value(c, f, id, v)?;
        changes.push(change);
    }
    Ok(changes)
}

/// `create_in` of built-in fields only.
fn create_plain(c: &mut impl GenericClient, ctx: &WriteCtx, entity: Entity, input: &RecordInput) -> Result<Saved> {
    create_plain_in(c, ctx, entity, input).map(|(saved, _)| saved)
}

/// `create_plain`, with the stage the new record was made in (of a lead or deal).
fn create_plain_in(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    input: &RecordInput,
) -> Result<(Saved, Option<i64>)> {
    let row = new_row(&mut Direct(&mut *c), ctx, entity, input)?;
    let stage = row.columns.iter().find_map(|(col, v)| match (*col, v) {
        ("stage_id", Val::Int(id)) => Some(*id),
        _ => None,
    });
    let mut companies = Vec::new();
    if entity == Entity::Contact {
        for name in &input.companies {
            companies.push(refs::resolve_record(c, Entity::Company, name).map_err(|e| rename_field(e, "company"))?);
        }
    }
    let changed = row.changed.clone();
    let origin = input.origin.clone().unwrap_or_else(|| "manual".into());
    let mut one = [NewRecord { row, companies, origin, at: ctx.now, by: ctx.user_id, left_out: &[] }];
    let (ids, mut links) = write_new(c, ctx, entity, &mut one, true)?;
    let id = ids[0];
    if entity == Entity::Deal && !input.contacts.is_empty() {
        let primary: Option<i64> = c.query_one("SELECT contact_id FROM deals WHERE id = $1", &[&id])?.get(0);
        link_contacts(c, id, (primary, primary), &input.contacts)?;
    }
    log_change(c, ctx, entity, id)?;
    Ok((Saved { id, version: 1, changed, repeat_of: links.pop().unwrap_or_default() }, stage))
}

/// Updates fields and comms inside the caller's transaction; `expected` is the version the
/// caller read (a different one is `StoreError::Conflict`).
pub(crate) fn update_in(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    id: i64,
    expected: Option<i64>,
    input: &RecordInput,
) -> Result<Saved> {
    let (version, old) = raw_row(c, entity, id)?;
    if let Some(exp) = expected
        && exp != version
    {
        return Err(StoreError::Conflict { entity, id, expected: exp, actual: version });
    }
    let old_currency = match old.get("currency") {
        Some(Val::Text(cur)) => Currency::parse(cur),
        _ => None,
    };
    let fields = if names_custom(entity, &input.fields) {
        crate::store::postgres::custom_fields::fields_of(c, Some(entity))?
    } else {
        vec![]
    };
    let split = split_input(entity, &input.fields, &fields, &parse_context(ctx, old_currency))?;
    let custom = split.custom;
    let input = &RecordInput { fields: split.builtin, ..input.clone() };
    let values = validate_input(
        entity,
        &input.fields,
        InputContext { currency: old_currency.unwrap_or(ctx.currency), creating: false },
    )?;
    let pipeline_id = pipeline_of(c, entity, Some(id))?;
    let mut sets: Vec<(&str, Val)> = Vec::new();
    let mut changes: Vec<Json> = Vec::new();
    let mut new_currency = old_currency;
    for (spec, value) in &values {
        if spec.kind == FieldKind::Currency
            && let FieldValue::Text(cur) = value
        {
            new_currency = Currency::parse(cur);
        }
    }
    for (spec, value) in &values {
        if spec.kind == FieldKind::Bool && *value == FieldValue::Null {
            // A yes/no field cannot be cleared: say what is accepted instead of failing in SQL.
            return Err(FieldError::new(spec.key, Problem::Bool { value: String::new() }).into());
        }
        let new = resolve_value(&mut Direct(&mut *c), spec, value, pipeline_id)?;
        let before = old.get(spec.column).cloned().unwrap_or(Val::Null);
        if new == before {
            continue;
        }
        let old_shown = shown_of(c, spec, &before, old_currency)?.text();
        let new_shown = shown_of(c, spec, &new, new_currency)?.text();
        changes.push(json!({"field": spec.key, "old": old_shown, "new": new_shown}));
        sets.push((spec.column, new));
    }
    let amount_set = sets.iter().any(|(col, v)| *col == "amount_minor" && *v != Val::Null);
    if amount_set && old_currency.is_none() && !sets.iter().any(|(col, _)| *col == "currency") {
        sets.push(("currency", Val::Text(ctx.currency.code().into())));
    }
    let current_comms = comms_of(c, entity, id)?;
    if !input.comms.is_empty() {
        let next = apply_comms(&current_comms, &input.comms);
        if next != current_comms {
            for kind in [CommKind::Phone, CommKind::Email, CommKind::Web, CommKind::Messenger] {
                let list = |cs: &[Comm]| {
                    cs.iter().filter(|m| m.kind == kind).map(|m| m.value.clone()).collect::<Vec<_>>().join(", ")
                };
                let (a, b) = (list(&current_comms), list(&next));
                if a != b {
                    changes.push(json!({"field": format!("{}s", kind.code()), "old": a, "new": b}));
                }
            }
            write_comms(c, entity, id, &next)?;
        }
    }
    if entity == Entity::Contact && !input.companies.is_empty() {
        link_companies(c, id, &input.companies)?;
        changes.push(json!({"field": "companies", "old": "", "new": input.companies.join(", ")}));
    }
    let custom_changes = write_custom(c, id, &custom)?;
    if !custom_changes.is_empty() && custom.iter().any(|(f, _)| crate::store::custom_fields::searched(f)) {
        search::reindex(c, entity, id)?;
    }
    changes.extend(custom_changes);
    // A field the record's stage requires is not emptied there (SPEC F2).
    let cleared: Vec<i64> = custom.iter().filter(|(_, v)| v.is_none()).map(|(f, _)| f.id).collect();
    if let (false, Some(Val::Int(stage))) = (cleared.is_empty(), old.get("stage_id")) {
        let at = refs::stage_by_id(c, *stage)?;
        let missing: Vec<CustomField> = missing_for_move(c, entity, id, at.pipeline_id, at.id)?
            .into_iter()
            .filter(|f| cleared.contains(&f.id))
            .collect();
        if !missing.is_empty() {
            return Err(StoreError::Rule(Rule::MissingFields { stage: at.name, fields: missing }));
        }
    }
    let new_primary = sets.iter().find(|(col, _)| *col == "contact_id").map(|(_, v)| v);
    if entity == Entity::Deal && (!input.contacts.is_empty() || new_primary.is_some()) {
        let id_of = |v: Option<&Val>| match v {
            Some(Val::Int(contact)) => Some(*contact),
            _ => None,
        };
        let was = id_of(old.get("contact_id"));
        let primary = (was, id_of(new_primary.or(old.get("contact_id"))));
        changes.extend(link_contacts(c, id, primary, &input.contacts)?);
    }
    if changes.is_empty() {
        return Ok(Saved { id, version, changed: vec![], repeat_of: vec![] });
    }
    // A new responsible is set last, on its own (`prospect_hand_over`): the record may leave
    // its giver's sight, and row-level security would refuse an update they cannot read after.
    let handed = sets.iter().position(|(col, _)| *col == "responsible_id").map(|i| sets.remove(i).1);
    let mut sql = format!("UPDATE {} SET ", entity.table());
    let mut params: Vec<Val> = Vec::new();
    for (i, (col, v)) in sets.iter().enumerate() {
        sql.push_str(&format!("{col} = ${}, ", i + 1));
        params.push(v.clone());
    }
    let n = params.len();
    sql.push_str(&format!(
        "modified_at = ${}, modified_by = ${}, version = version + 1 WHERE id = ${} AND version = ${}",
        n + 1,
        n + 2,
        n + 3,
        n + 4
    ));
    params.extend([Val::Int(ctx.now), ctx.user_id.map_or(Val::Null, Val::Int), Val::Int(id), Val::Int(version)]);
    let bound: Vec<&(dyn ToSql + Sync)> = params.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
    let updated = c.execute(&sql, &bound)?;
    if updated == 0 {
        let (actual, _) = raw_row(c, entity, id)?;
        return Err(StoreError::Conflict { entity, id, expected: version, actual });
    }
    refresh_derived(c, entity, id)?;
    let changed: Vec<String> = changes.iter().filter_map(|ch| ch["field"].as_str().map(str::to_string)).collect();
    timeline::add(c, entity, id, TimelineKind::FieldsChanged, ctx, json!({"changes": changes}))?;
    log_change(c, ctx, entity, id)?;
    if let Some(to) = handed {
        let to = match to {
            Val::Int(user) => Some(user),
            _ => None,
        };
        let done: bool = c.query_one("SELECT prospect_hand_over($1, $2, $3)", &[&entity.code(), &id, &to])?.get(0);
        if !done {
            return Err(StoreError::NotFound { entity, id });
        }
    }
    Ok(Saved { id, version: version + 1, changed, repeat_of: vec![] })
}

/// Deletes a record, its comms, custom values and the activities bound only to it; its
/// timeline stays, with a `deleted` entry.
pub(crate) fn delete_in(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    id: i64,
    expected: Option<i64>,
) -> Result<()> {
    let (version, _) = raw_row(c, entity, id)?;
    if let Some(exp) = expected
        && exp != version
    {
        return Err(StoreError::Conflict { entity, id, expected: exp, actual: version });
    }
    let title = title_of(c, entity, id)?;
    let code = entity.code();
    c.execute("DELETE FROM comms WHERE entity = $1 AND entity_id = $2", &[&code, &id])?;
    // Activities that belonged only to this record go with it.
    c.execute(
        "DELETE FROM activities WHERE id IN (SELECT activity_id FROM activity_bindings WHERE entity = $1 AND entity_id = $2) \
         AND NOT EXISTS (SELECT 1 FROM activity_bindings b WHERE b.activity_id = activities.id AND NOT (b.entity = $1 AND b.entity_id = $2))",
        &[&code, &id],
    )?;
    c.execute("DELETE FROM activity_bindings WHERE entity = $1 AND entity_id = $2", &[&code, &id])?;
    c.execute(
        "DELETE FROM custom_values WHERE entity_id = $2 AND field_id IN (SELECT id FROM custom_fields WHERE entity = $1)",
        &[&code, &id],
    )?;
    // Links to it from fields of the team's own go too (its id names nothing now).
    c.execute(
        "DELETE FROM custom_values WHERE value = $2 AND field_id IN (SELECT id FROM custom_fields WHERE link_to = $1)",
        &[&code, &id.to_string()],
    )?;
    super::super::lines::drop_lines(c, RecordRef::new(entity, id))?;
    search::remove(c, entity, id)?;
    c.execute(&format!("DELETE FROM {} WHERE id = $1", entity.table()), &[&id])?;
    timeline::add(c, entity, id, TimelineKind::Deleted, ctx, json!({"title": title}))?;
    log_change(c, ctx, entity, id)?;
    Ok(())
}
