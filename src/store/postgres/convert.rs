//! Lead conversion (SPEC L6) on PostgreSQL: company, then contact linked to it, then deal
//! linked to both, then the lead moved to the success stage and linked to what it became;
//! one transaction, so a refusal anywhere writes nothing. What goes where is
//! `domain::convert`'s, as for a file.

use super::records::{comms_of, create_in, get_in, move_in, title_of, update_in};
use super::{Result, Store, StoreError, WriteCtx, log_change, refs, timeline};
use crate::domain::comm::Comm;
use crate::domain::convert;
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::Entity;
use crate::domain::stage::StageSemantics;
use crate::domain::timeline::TimelineKind;
pub(crate) use crate::store::convert::*;
use crate::store::engine::*;
use crate::store::records::{CommsChange, RecordInput};
use crate::store::rule::Rule;
use crate::store::sqlite::convert::in_target;
use postgres::GenericClient;
use serde_json::json;

fn exists(c: &mut impl GenericClient, entity: Entity, id: i64, field: &str) -> Result<()> {
    let sql = format!("SELECT 1 FROM {} WHERE id = $1", entity.table());
    if c.query_opt(&sql, &[&id])?.is_some() {
        return Ok(());
    }
    let id = id.to_string();
    Err(StoreError::Field(FieldError::new(
        field,
        Problem::refused("record_missing", &[("entity", entity.code()), ("id", &id)]),
    )))
}

/// A record the conversion made or linked, as the result names it.
fn record(c: &mut impl GenericClient, entity: Entity, id: i64, created: bool) -> Result<ConvertedRecord> {
    Ok(ConvertedRecord { entity, id, title: title_of(c, entity, id)?, created, added: AddedComms::default() })
}

/// An existing record linked: it receives the lead's phones and e-mails it lacks
/// (`domain::convert::comms_for_linked`).
fn link(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    lead_comms: &[Comm],
    entity: Entity,
    id: i64,
) -> Result<ConvertedRecord> {
    exists(c, entity, id, entity.code())?;
    let add = convert::comms_for_linked(entity, lead_comms, &comms_of(c, entity, id)?);
    if !add.is_empty() {
        let input = RecordInput { comms: CommsChange { add: add.clone(), ..Default::default() }, ..Default::default() };
        update_in(c, ctx, entity, id, None, &input).map_err(|e| in_target(e, entity))?;
    }
    Ok(ConvertedRecord { added: AddedComms::of(&add), ..record(c, entity, id, false)? })
}

/// The input of a record the conversion creates: its fields, the lead it came from, and the
/// lead's comms where the target takes them.
fn new_input(lead_id: i64, lead_comms: &[Comm], target: Entity, fields: Vec<(String, String)>) -> RecordInput {
    let mut input = RecordInput { fields, origin: Some(convert::ORIGIN.into()), ..Default::default() };
    input.fields.push(("lead".into(), lead_id.to_string()));
    if convert::receives_comms(target) {
        input.comms.add = lead_comms.to_vec();
    }
    input
}

/// The lead's own fields the target has too (same code and type), then what was typed.
fn copies_then(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    (lead, fill): (&crate::store::records::Record, &[(String, String)]),
    target: Entity,
    typed: Vec<(String, String)>,
) -> Result<Vec<(String, String)>> {
    let target_fields = crate::store::postgres::custom_fields::fields_of(c, Some(target))?;
    let mut fields = convert::custom_copies(lead, &target_fields, &super::records::parse_context(ctx, None));
    fields.extend(typed);
    fields.extend(crate::store::convert::fill_for(fill, &target_fields));
    Ok(fields)
}

/// Creates a target record, naming a refusal after the target (`contact.last_name`).
fn create_target(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    input: &RecordInput,
) -> Result<ConvertedRecord> {
    let saved = create_in(c, ctx, entity, input).map_err(|e| in_target(e, entity))?;
    record(c, entity, saved.id, true)
}

/// Converts a lead inside the caller's transaction.
/// CRM simple mode (`domain::crm_mode`): a lead just made becomes its deal and client in the
/// write that made it (`None`: classic mode, it stays a lead).
/// A conversion refused (a field the deal requires) keeps the lead, its timeline saying
/// why: what came in is never lost.
pub(crate) fn intake_as_deal(c: &mut impl GenericClient, ctx: &WriteCtx, lead_id: i64) -> Result<Option<Converted>> {
    c.batch_execute("SAVEPOINT intake_deal")?;
    let converted = get_in(c, Entity::Lead, lead_id)
        .and_then(|lead| convert_in(c, ctx, lead_id, &crate::store::convert::intake_plan(&lead)));
    match converted {
        Ok(done) => {
            c.batch_execute("RELEASE SAVEPOINT intake_deal")?;
            Ok(Some(done))
        }
        Err(e) if e.is_refusal() => {
            c.batch_execute("ROLLBACK TO SAVEPOINT intake_deal; RELEASE SAVEPOINT intake_deal")?;
            let why = json!({"why": e.message(crate::i18n::lang())});
            timeline::add(c, Entity::Lead, lead_id, TimelineKind::IntakeKept, ctx, why)?;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Whether the database is in CRM simple mode, read in a write.
pub(crate) fn simple_mode(c: &mut impl GenericClient) -> Result<bool> {
    Ok(crate::store::convert::is_simple(super::settings::get_in(c, crate::domain::crm_mode::KEY)?))
}

pub(crate) fn convert_in(
    tx: &mut impl GenericClient,
    ctx: &WriteCtx,
    lead_id: i64,
    plan: &ConversionPlan,
) -> Result<Converted> {
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
    // A repeat lead's deal goes to the client it is already linked to.
    let linked = |e: Entity| lead.links.iter().find(|(x, _)| *x == e).map(|(_, r)| r.id);

    let company = if t.company {
        Some(match plan.company {
            Some(id) => link(tx, ctx, &comms, Entity::Company, id)?,
            None => {
                let fields = copies_then(
                    tx,
                    ctx,
                    (&lead, &plan.fill),
                    Entity::Company,
                    convert::company_fields(&lead, &plan.company_fields),
                )?;
                create_target(tx, ctx, Entity::Company, &new_input(lead_id, &comms, Entity::Company, fields))?
            }
        })
    } else if lead.is_repeat {
        linked(Entity::Company).map(|id| record(tx, Entity::Company, id, false)).transpose()?
    } else {
        None
    };

    let contact = if t.contact {
        Some(match plan.contact {
            Some(id) => {
                let existing = link(tx, ctx, &comms, Entity::Contact, id)?;
                if let Some(c) = &company {
                    tx.execute(
                        "INSERT INTO contact_companies (contact_id, company_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        &[&id, &c.id],
                    )?;
                }
                existing
            }
            None => {
                let fields = copies_then(
                    tx,
                    ctx,
                    (&lead, &plan.fill),
                    Entity::Contact,
                    convert::contact_fields(&lead, &plan.contact_fields)?,
                )?;
                let mut input = new_input(lead_id, &comms, Entity::Contact, fields);
                if let Some(c) = &company {
                    input.companies.push(c.id.to_string());
                }
                create_target(tx, ctx, Entity::Contact, &input)?
            }
        })
    } else if lead.is_repeat {
        linked(Entity::Contact).map(|id| record(tx, Entity::Contact, id, false)).transpose()?
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
        let fields = copies_then(tx, ctx, (&lead, &plan.fill), Entity::Deal, fields)?;
        let deal = create_target(tx, ctx, Entity::Deal, &new_input(lead_id, &comms, Entity::Deal, fields))?;
        // The lead's products go to the deal (SPEC L6); its amount was copied with them.
        super::lines::copy_lines(
            tx,
            crate::store::RecordRef::new(Entity::Lead, lead_id),
            crate::store::RecordRef::new(Entity::Deal, deal.id),
        )?;
        Some(deal)
    } else {
        None
    };

    // The lead links to what it became, then moves to the success stage.
    tx.execute(
        "UPDATE leads SET contact_id = coalesce($1, contact_id), company_id = coalesce($2, company_id) WHERE id = $3",
        &[&contact.as_ref().map(|c| c.id), &company.as_ref().map(|c| c.id), &lead_id],
    )?;
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
    tx: &mut impl GenericClient,
    ctx: &WriteCtx,
    lead: &crate::store::records::Record,
    plan: &ConversionPlan,
) -> Result<()> {
    use crate::domain::convert::RequiringStage;
    let given: Vec<String> = plan.fill.iter().map(|(c, _)| c.clone()).collect();
    let order = |stages: &[crate::store::refs::StageRow]| -> Vec<(i64, bool)> {
        stages.iter().map(|s| (s.id, s.semantics == StageSemantics::Failure)).collect()
    };
    let lead_pipeline = refs::resolve_pipeline(tx, Entity::Lead, None)?.id;
    let lead_stages = refs::stages(tx, lead_pipeline)?;
    let (lead_order, lead_fields) =
        (order(&lead_stages), crate::store::postgres::custom_fields::fields_of(tx, Some(Entity::Lead))?);
    let success = lead_stages.iter().find(|s| s.semantics == StageSemantics::Success);
    let converted =
        success.map(|s| RequiringStage { id: s.id, name: &s.name, order: &lead_order, fields: &lead_fields });
    let deal_stages = if plan.targets.deal {
        let deal_pipeline = refs::resolve_pipeline(tx, Entity::Deal, plan.pipeline.as_deref())?.id;
        refs::stages(tx, deal_pipeline)?
    } else {
        vec![]
    };
    let (deal_order, deal_fields) =
        (order(&deal_stages), crate::store::postgres::custom_fields::fields_of(tx, Some(Entity::Deal))?);
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
