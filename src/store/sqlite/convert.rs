//! Lead conversion (SPEC L6): company, then contact linked to it, then deal linked to both,
//! then the lead moved to the success stage and linked to what it became; one transaction.

use super::records::{CommsChange, RecordInput, comms_of, create_in, get_in, move_in, title_of, update_in};
use super::rule::Rule;
use super::{Result, Store, StoreError, WriteCtx, log_change, refs, timeline};
use crate::domain::convert::{self};
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::Entity;
use crate::domain::stage::StageSemantics;
use crate::domain::timeline::TimelineKind;
pub(crate) use crate::store::convert::*;
use crate::store::engine::*;
use rusqlite::{Transaction, params};
use serde_json::json;

/// Names a field error after the target it belongs to (`contact.last_name`).
pub(crate) fn in_target(e: StoreError, target: Entity) -> StoreError {
    match e {
        StoreError::Field(mut f) if !f.field.contains('.') => {
            f.field = format!("{}.{}", target.code(), f.field);
            StoreError::Field(f)
        }
        other => other,
    }
}

fn refuse(field: &str, key: &'static str, args: &[(&'static str, &str)]) -> StoreError {
    StoreError::Field(FieldError::new(field, Problem::refused(key, args)))
}

fn exists(tx: &Transaction, entity: Entity, id: i64, field: &str) -> Result<()> {
    let sql = format!("SELECT 1 FROM {} WHERE id = ?1", entity.table());
    if tx.prepare_cached(&sql)?.exists([id])? {
        Ok(())
    } else {
        Err(refuse(field, "record_missing", &[("entity", entity.code()), ("id", &id.to_string())]))
    }
}

pub(crate) fn convert_in(tx: &Transaction, ctx: &WriteCtx, lead_id: i64, plan: &ConversionPlan) -> Result<Converted> {
    let lead = get_in(tx, Entity::Lead, lead_id)?;
    if let Some(exp) = plan.expected_version
        && exp != lead.version
    {
        return Err(StoreError::Conflict { entity: Entity::Lead, id: lead_id, expected: exp, actual: lead.version });
    }
    if lead.stage_semantics == Some(StageSemantics::Success) {
        return Err(StoreError::Rule(Rule::AlreadyConverted { id: lead_id }));
    }
    let t = plan.targets;
    t.check(lead.is_repeat)?;
    lacks_nothing(tx, ctx, &lead, plan)?;
    let comms = comms_of(tx, Entity::Lead, lead_id)?;
    let lead_ref = json!({"entity": "lead", "id": lead_id, "title": lead.title});
    let record = |entity: Entity, id: i64, created: bool| -> Result<ConvertedRecord> {
        Ok(ConvertedRecord { entity, id, title: title_of(tx, entity, id)?, created, added: AddedComms::default() })
    };
    // An existing record linked: it receives what `domain::convert` says it lacks.
    let link = |entity: Entity, id: i64| -> Result<ConvertedRecord> {
        exists(tx, entity, id, entity.code())?;
        let add = convert::comms_for_linked(entity, &comms, &comms_of(tx, entity, id)?);
        if !add.is_empty() {
            let input =
                RecordInput { comms: CommsChange { add: add.clone(), ..Default::default() }, ..Default::default() };
            update_in(tx, ctx, entity, id, None, &input).map_err(|e| in_target(e, entity))?;
        }
        Ok(ConvertedRecord { added: AddedComms::of(&add), ..record(entity, id, false)? })
    };
    // What is copied where is domain's (`domain::convert`); this writes it.
    let new_input = |target: Entity, typed: Vec<(String, String)>| -> Result<RecordInput> {
        // The lead's own fields the target has too, then what was typed.
        let target_fields = crate::store::sqlite::custom_fields::fields_of(tx, Some(target))?;
        let mut fields = convert::custom_copies(&lead, &target_fields, &super::records::parse_context(ctx, None));
        fields.extend(typed);
        fields.extend(crate::store::convert::fill_for(&plan.fill, &target_fields));
        let mut input = RecordInput { fields, origin: Some(convert::ORIGIN.into()), ..Default::default() };
        input.fields.push(("lead".into(), lead_id.to_string()));
        if convert::receives_comms(target) {
            input.comms.add = comms.clone();
        }
        Ok(input)
    };

    // A repeat lead's deal goes to the client it is already linked to.
    let linked = |e: Entity| lead.links.iter().find(|(x, _)| *x == e).map(|(_, r)| r.id);

    let company = if t.company {
        match plan.company {
            Some(id) => Some(link(Entity::Company, id)?),
            None => {
                let fields = convert::company_fields(&lead, &plan.company_fields);
                let saved = create_in(tx, ctx, Entity::Company, &new_input(Entity::Company, fields)?)
                    .map_err(|e| in_target(e, Entity::Company))?;
                Some(record(Entity::Company, saved.id, true)?)
            }
        }
    } else if lead.is_repeat {
        linked(Entity::Company).map(|id| record(Entity::Company, id, false)).transpose()?
    } else {
        None
    };

    let contact = if t.contact {
        match plan.contact {
            Some(id) => {
                let existing = link(Entity::Contact, id)?;
                if let Some(c) = &company {
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO contact_companies (contact_id, company_id) VALUES (?1, ?2)",
                    )?
                    .execute(params![id, c.id])?;
                }
                Some(existing)
            }
            None => {
                let fields = convert::contact_fields(&lead, &plan.contact_fields)?;
                let mut input = new_input(Entity::Contact, fields)?;
                if let Some(c) = &company {
                    input.companies.push(c.id.to_string());
                }
                let saved = create_in(tx, ctx, Entity::Contact, &input).map_err(|e| in_target(e, Entity::Contact))?;
                Some(record(Entity::Contact, saved.id, true)?)
            }
        }
    } else if lead.is_repeat {
        linked(Entity::Contact).map(|id| record(Entity::Contact, id, false)).transpose()?
    } else {
        None
    };

    let deal = if t.deal {
        let fields = convert::deal_fields(
            &lead,
            &plan.deal_fields,
            plan.pipeline.as_deref(),
            contact.as_ref().map(|c| c.id),
            company.as_ref().map(|c| c.id),
        );
        let input = new_input(Entity::Deal, fields)?;
        let saved = create_in(tx, ctx, Entity::Deal, &input).map_err(|e| in_target(e, Entity::Deal))?;
        // The lead's products go to the deal (SPEC L6); its amount was copied with them.
        super::lines::copy_lines(
            tx,
            crate::store::RecordRef::new(Entity::Lead, lead_id),
            crate::store::RecordRef::new(Entity::Deal, saved.id),
        )?;
        Some(record(Entity::Deal, saved.id, true)?)
    } else {
        None
    };

    // The lead links to what it became, then moves to the success stage.
    tx.prepare_cached(
        "UPDATE leads SET contact_id = coalesce(?1, contact_id), company_id = coalesce(?2, company_id) WHERE id = ?3",
    )?
    .execute(params![contact.as_ref().map(|c| c.id), company.as_ref().map(|c| c.id), lead_id])?;
    let pipeline = refs::resolve_pipeline(tx, Entity::Lead, None)?;
    let success = refs::stages(tx, pipeline.id)?
        .into_iter()
        .find(|s| s.semantics == StageSemantics::Success)
        .ok_or(StoreError::Rule(Rule::NoSuccessStage))?;
    // The lead's own fields given for the conversion, then its move.
    let lead_fill =
        crate::store::convert::fill_for(&plan.fill, &lead.custom.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>());
    if !lead_fill.is_empty() {
        update_in(tx, ctx, Entity::Lead, lead_id, None, &RecordInput { fields: lead_fill, ..Default::default() })?;
    }
    let moved = move_in(tx, ctx, Entity::Lead, lead_id, &success.code, None, None)?;

    let records: Vec<&ConvertedRecord> = [&company, &contact, &deal].into_iter().flatten().collect();
    timeline::add(
        tx,
        Entity::Lead,
        lead_id,
        TimelineKind::Converted,
        ctx,
        json!({"targets": t.code(), "records": records}),
    )?;
    for r in &records {
        timeline::add(tx, r.entity, r.id, TimelineKind::Linked, ctx, json!({"records": [lead_ref]}))?;
        log_change(tx, ctx, r.entity, r.id)?;
    }
    Ok(Converted { lead_id, version: moved.version, targets: t.code(), deal, contact, company, stage: moved.to.name })
}

/// CRM simple mode (`domain::crm_mode`): a lead just made becomes its deal and client in the
/// write that made it (`None`: classic mode, it stays a lead).
/// A conversion refused (a field the deal requires) keeps the lead, its timeline saying
/// why: what came in is never lost.
pub(crate) fn intake_as_deal(tx: &Transaction, ctx: &WriteCtx, lead_id: i64) -> Result<Option<Converted>> {
    // An import's search entries and match keys kept in memory go back with the savepoint.
    let kept = super::import::Kept::within(ctx);
    tx.execute_batch("SAVEPOINT intake_deal")?;
    let converted = get_in(tx, Entity::Lead, lead_id)
        .and_then(|lead| convert_in(tx, ctx, lead_id, &crate::store::convert::intake_plan(&lead)));
    match converted {
        Ok(done) => {
            tx.execute_batch("RELEASE intake_deal")?;
            Ok(Some(done))
        }
        Err(e) if e.is_refusal() => {
            tx.execute_batch("ROLLBACK TO intake_deal; RELEASE intake_deal")?;
            kept.take_back(ctx)?;
            let why = json!({"why": e.message(crate::i18n::lang())});
            timeline::add(tx, Entity::Lead, lead_id, TimelineKind::IntakeKept, ctx, why)?;
            Ok(None)
        }
        Err(e) => {
            let _ = tx.execute_batch("ROLLBACK TO intake_deal; RELEASE intake_deal");
            Err(e)
        }
    }
}

/// Whether the file is in CRM simple mode, read in a write.
pub(crate) fn simple_mode(tx: &Transaction) -> Result<bool> {
    Ok(crate::store::convert::is_simple(super::settings::get_in(tx, crate::domain::crm_mode::KEY)?))
}

impl Conversion for Store {
    /// Converts a lead (SPEC L6): all or nothing.
    fn convert_lead(&mut self, lead_id: i64, plan: &ConversionPlan) -> Result<Converted> {
        self.write(|tx, ctx| convert_in(tx, ctx, lead_id, plan))
    }
}

/// Refuses a conversion before anything is written when the lead (at its success stage) or
/// the new deal (at its first stage) would lack fields of its own their stage requires and
/// `plan.fill` does not give: every such field said in one refusal (SPEC F2, L6).
fn lacks_nothing(
    tx: &Transaction,
    ctx: &WriteCtx,
    lead: &crate::store::records::Record,
    plan: &ConversionPlan,
) -> Result<()> {
    use crate::domain::convert::RequiringStage;
    let given: Vec<String> = plan.fill.iter().map(|(c, _)| c.clone()).collect();
    let order = |stages: &[crate::store::refs::StageRow]| -> Vec<(i64, bool)> {
        stages.iter().map(|s| (s.id, s.semantics == StageSemantics::Failure)).collect()
    };
    let lead_stages = refs::stages(tx, refs::resolve_pipeline(tx, Entity::Lead, None)?.id)?;
    let (lead_order, lead_fields) =
        (order(&lead_stages), crate::store::sqlite::custom_fields::fields_of(tx, Some(Entity::Lead))?);
    let success = lead_stages.iter().find(|s| s.semantics == StageSemantics::Success);
    let converted =
        success.map(|s| RequiringStage { id: s.id, name: &s.name, order: &lead_order, fields: &lead_fields });
    let deal_stages = if plan.targets.deal {
        refs::stages(tx, refs::resolve_pipeline(tx, Entity::Deal, plan.pipeline.as_deref())?.id)?
    } else {
        vec![]
    };
    let (deal_order, deal_fields) =
        (order(&deal_stages), crate::store::sqlite::custom_fields::fields_of(tx, Some(Entity::Deal))?);
    let deal = deal_stages.first().map(|s| RequiringStage {
        id: s.id,
        name: &s.name,
        order: &deal_order,
        fields: &deal_fields,
    });
    let parse = super::records::parse_context(ctx, None);
    let lacking = convert::conversion_lacks(lead, converted, deal, &parse, &given);
    crate::store::convert::refuse_lacking(lacking)
}
