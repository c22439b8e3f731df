//! The demo's bulk load on PostgreSQL (`BulkSink::load_records`): the users first, then the
//! records a second thread makes (`RecordMaker`), in one transaction: each made by the rule
//! of a create (`records::new_row`, under its stamp) and written a handful of one kind at a
//! time (`records::many`, as the import writes), the positions the maker names (a contact's
//! company, a deal's company and lead) made the ids they were given; the leads' activities
//! written a handful per statement (`Planned`), the Kanban's totals and every record's next
//! activity counted in one pass at the end, one change logged for the load. Record by record
//! (`create_in`, about ten round trips each), 100,000 leads took ten minutes.

use super::activities;
use super::import::memo::{Known, Memo};
use super::records::many::{NewRecord, write_new};
use super::records::{Lookup, new_row};
use super::{Result, Store, StoreError, WriteCtx, log_bulk_change, maintenance, refs};
use crate::domain::activity::ActivityKind;
use crate::domain::fields::{Entity, RefKind};
use crate::domain::timeline::TimelineKind;
use crate::store::RecordRef;
use crate::store::activities::NewActivity;
use crate::store::bulk::{BulkLoaded, BulkRecord, BulkSetting, BulkUser, RecordMaker};
use crate::store::rule::Rule;
use crate::store::sqlite::bulk::Positions;
use postgres::{GenericClient, Transaction};
use serde_json::json;

/// Records handed from the maker's thread to the writer at a time, and written together
/// (at most; a handful holds records of one kind).
const HANDFUL: usize = 256;

/// Makes the users (and their departments) the database lacks; their ids, in order.
fn ensure_users(c: &mut impl GenericClient, users: &[BulkUser], now: i64) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(users.len());
    for u in users {
        c.execute("INSERT INTO departments (name) VALUES ($1::text) ON CONFLICT DO NOTHING", &[&u.department])?;
        c.execute(
            "INSERT INTO users (login, display_name, department_id, created_at) \
             VALUES ($1::text, $2, (SELECT id FROM departments WHERE name = $3::text::citext), $4) ON CONFLICT DO NOTHING",
            &[&u.login, &u.name, &u.department, &now],
        )?;
        let id: i64 = c.query_one("SELECT id FROM users WHERE login = $1::text::citext", &[&u.login])?.get(0);
        c.execute(
            "INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE name = $2 \
             AND NOT EXISTS (SELECT 1 FROM user_roles WHERE user_id = $1) ON CONFLICT DO NOTHING",
            &[&id, &u.role],
        )?;
        ids.push(id);
    }
    Ok(ids)
}

/// Activities planned on the demo's leads, kept until a handful is written in a few
/// statements (`flush`): one at a time, with its binding and timeline entry, they were
/// six round trips each to the server, two per lead.
#[derive(Default)]
struct Planned<'a> {
    waiting: Vec<(NewActivity, WriteCtx<'a>)>,
}

impl<'a> Planned<'a> {
    fn push(&mut self, c: &mut impl GenericClient, a: NewActivity, ctx: WriteCtx<'a>) -> Result<()> {
        self.waiting.push((a, ctx));
        if self.waiting.len() >= HANDFUL { self.flush(c) } else { Ok(()) }
    }

    /// Writes the activities waiting, their bindings and the timeline entry of each bound
    /// record (`activities::insert_with`'s rows, next activities left to the end).
    fn flush(&mut self, c: &mut impl GenericClient) -> Result<()> {
        if self.waiting.is_empty() {
            return Ok(());
        }
        let count = self.waiting.len() as i64;
        let mut ids: Vec<i64> = c
            .query(
                "SELECT nextval(pg_get_serial_sequence('activities', 'id')) FROM generate_series(1, $1::bigint)",
                &[&count],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        ids.sort_unstable();
        let n = self.waiting.len();
        let (mut kind, mut subject, mut start, mut end) =
            (Vec::with_capacity(n), Vec::with_capacity(n), vec![], vec![]);
        let (mut deadline, mut priority, mut responsible) = (Vec::with_capacity(n), Vec::with_capacity(n), vec![]);
        let (mut completed, mut completed_at, mut at, mut by) = (Vec::with_capacity(n), vec![], vec![], vec![]);
        let (mut bound_id, mut bound_entity, mut bound_record) = (vec![], vec![], vec![]);
        let (mut entry_kind, mut entry_at, mut entry_by, mut payloads) = (vec![], vec![], vec![], vec![]);
        for (id, (a, ctx)) in ids.iter().zip(&self.waiting) {
            let timed = matches!(a.kind, ActivityKind::Call | ActivityKind::Meeting);
            kind.push(a.kind.code());
            subject.push(a.subject.as_str());
            start.push(timed.then_some(a.deadline));
            end.push(timed.then_some(a.deadline + a.duration_minutes.unwrap_or(30) * 60_000));
            deadline.push(a.deadline);
            priority.push(a.priority.code());
            responsible.push(a.responsible_id);
            completed.push(a.completed);
            completed_at.push(a.completed.then_some(ctx.now));
            at.push(ctx.now);
            by.push(ctx.user_id);
            let tk = if a.completed { TimelineKind::ActivityDone } else { TimelineKind::ActivityPlanned };
            let payload = json!({"activity": id, "deadline": a.deadline, "kind": a.kind.code(), "subject": a.subject});
            for r in &a.bindings {
                bound_id.push(*id);
                bound_entity.push(r.entity.code());
                bound_record.push(r.id);
                entry_kind.push(tk.code());
                entry_at.push(ctx.now);
                entry_by.push(ctx.user_id);
                payloads.push(payload.to_string());
            }
        }
        c.execute(
            "INSERT INTO activities (id, kind, subject, start_at, end_at, deadline, priority, responsible_id, completed, \
             completed_at, created_at, created_by, modified_at, modified_by) \
             SELECT u.id, u.kind, u.subject, u.s, u.e, u.d, u.p, u.r, u.c, u.ca, u.at, u.by, u.at, u.by \
             FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], \
                         $8::bigint[], $9::bool[], $10::bigint[], $11::bigint[], $12::bigint[]) \
                  AS u(id, kind, subject, s, e, d, p, r, c, ca, at, by) ORDER BY u.id",
            &[&ids, &kind, &subject, &start, &end, &deadline, &priority, &responsible, &completed, &completed_at, &at, &by],
        )?;
        c.execute(
            "INSERT INTO activity_bindings (activity_id, entity, entity_id) \
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])",
            &[&bound_id, &bound_entity, &bound_record],
        )?;
        c.execute(
            "INSERT INTO timeline (entity, entity_id, kind, at, user_id, payload) \
             SELECT u.e, u.i, u.k, u.a, u.u, u.p FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], \
                    $5::bigint[], $6::text[]) WITH ORDINALITY AS u(e, i, k, a, u, p, n) ORDER BY u.n",
            &[&bound_entity, &bound_record, &entry_kind, &entry_at, &entry_by, &payloads],
        )?;
        self.waiting.clear();
        Ok(())
    }
}

/// References of the demo's records: a company or lead this load wrote, named by its id,
/// is there without asking the server (a deal names both, a query each); the rest goes
/// through the memo, each reference asked once.
struct Made<'a, C> {
    memo: Memo<'a, C>,
    companies: &'a Positions,
    leads: &'a Positions,
}

impl<C: GenericClient> Lookup for Made<'_, C> {
    fn pipeline(&mut self, entity: Entity, named: Option<&str>) -> Result<i64> {
        self.memo.pipeline(entity, named)
    }

    fn first_stage(&mut self, pipeline_id: i64) -> Result<i64> {
        self.memo.first_stage(pipeline_id)
    }

    fn reference(&mut self, kind: RefKind, text: &str, pipeline_id: Option<i64>) -> Result<i64> {
        let made = match kind {
            RefKind::Company => Some(self.companies),
            RefKind::Lead => Some(self.leads),
            _ => None,
        };
        match (made, text.trim().trim_start_matches('#').parse::<i64>()) {
            (Some(made), Ok(id)) if made.holds(id) => Ok(id),
            _ => self.memo.reference(kind, text, pipeline_id),
        }
    }
}

/// The records of one kind made and not yet written (`flush`), and each lead's activities
/// with its stamp, planned once its id is known.
struct Waiting<'a> {
    entity: Entity,
    new: Vec<NewRecord<'static>>,
    activities: Vec<(Vec<NewActivity>, WriteCtx<'a>)>,
}

/// What the load has written so far: the ids of its companies and leads by position, the
/// activities waiting, what it counts.
#[derive(Default)]
struct Written<'a> {
    companies: Positions,
    leads: Positions,
    later: Planned<'a>,
    loaded: BulkLoaded,
}

impl<'a> Written<'a> {
    /// Writes the records waiting, then plans each lead's activities on it.
    fn flush(&mut self, tx: &mut Transaction<'_>, ctx: &WriteCtx, w: &mut Waiting<'a>) -> Result<()> {
        let (ids, _) = write_new(tx, ctx, w.entity, &mut w.new, true)?;
        self.loaded.records += ids.len();
        match w.entity {
            Entity::Company => ids.iter().for_each(|id| self.companies.push(*id)),
            Entity::Lead => {
                for (id, (planned, ctx)) in ids.iter().zip(w.activities.drain(..)) {
                    self.leads.push(*id);
                    for mut a in planned {
                        a.responsible_id = ctx.user_id;
                        a.bindings.push(RecordRef::new(Entity::Lead, *id));
                        self.later.push(tx, a, ctx)?;
                        self.loaded.activities += 1;
                    }
                }
            }
            Entity::Contact | Entity::Deal => {}
        }
        w.new.clear();
        Ok(())
    }
}

/// A position the maker never made: a reference to nothing.
fn missing(parent: &str, n: usize) -> StoreError {
    StoreError::Rule(Rule::BrokenReference { table: "bulk".into(), rowid: n as i64, parent: parent.into() })
}

impl Store {
    /// `BulkSink::load_records`: two threads, one running `make`, the other writing what it
    /// makes in one transaction.
    pub(crate) fn load_records_now(&mut self, users: &[BulkUser], make: &RecordMaker<'_>) -> Result<BulkLoaded> {
        self.write(|tx, ctx| {
            maintenance::hold_records(tx)?;
            let user_ids = ensure_users(tx, users, ctx.now)?;
            let sources = refs::sources(tx)?.into_iter().map(|s| s.code).collect();
            let setting = BulkSetting { now: ctx.now, region: ctx.region, currency: ctx.currency, sources };
            let mut done = Written::default();
            // Stages, sources and users asked once; records are named by id only (`Made`).
            let mut known = Known::new(Entity::Lead);
            let mut waiting = Waiting { entity: Entity::Company, new: Vec::new(), activities: Vec::new() };
            std::thread::scope(|scope| {
                let (send, made) = std::sync::mpsc::sync_channel::<Vec<Result<BulkRecord>>>(8);
                let setting = &setting;
                scope.spawn(move || {
                    let mut handful = Vec::with_capacity(HANDFUL);
                    make(setting, &mut |r| {
                        handful.push(r);
                        handful.len() < HANDFUL
                            || send.send(std::mem::replace(&mut handful, Vec::with_capacity(HANDFUL))).is_ok()
                    });
                    let _ = send.send(handful);
                });
                // Ends early on the first error: dropping `made` stops the maker.
                for record in made.into_iter().flatten() {
                    let record = record?;
                    let (entity, stamp) = match &record {
                        BulkRecord::Company { stamp, .. } => (Entity::Company, stamp),
                        BulkRecord::Contact { stamp, .. } => (Entity::Contact, stamp),
                        BulkRecord::Lead { stamp, .. } => (Entity::Lead, stamp),
                        BulkRecord::Deal { stamp, .. } => (Entity::Deal, stamp),
                    };
                    // A handful holds one kind; what a record names by position is written.
                    if entity != waiting.entity || waiting.new.len() >= HANDFUL {
                        done.flush(tx, ctx, &mut waiting)?;
                        waiting.entity = entity;
                    }
                    let ctx = WriteCtx { now: stamp.created, user_id: user_ids.get(stamp.user).copied(), ..*ctx };
                    let (input, companies) = match record {
                        BulkRecord::Company { input, .. } => (input, vec![]),
                        BulkRecord::Contact { input, company, .. } => {
                            let company = company.map(|c| done.companies.get(c).ok_or_else(|| missing("companies", c)));
                            (input, company.into_iter().collect::<Result<_>>()?)
                        }
                        BulkRecord::Lead { input, activities, .. } => {
                            waiting.activities.push((activities, ctx));
                            (input, vec![])
                        }
                        BulkRecord::Deal { mut input, company, lead, .. } => {
                            let company = done.companies.get(company).ok_or_else(|| missing("companies", company))?;
                            input.fields.push(("company".into(), company.to_string()));
                            let lead = lead.and_then(|l| done.leads.get(l)).map(|l| l.to_string()).unwrap_or_default();
                            input.fields.push(("lead".into(), lead));
                            (input, vec![])
                        }
                    };
                    let mut look = Made { memo: known.on(tx), companies: &done.companies, leads: &done.leads };
                    waiting.new.push(NewRecord {
                        row: new_row(&mut look, &ctx, entity, &input)?,
                        companies,
                        origin: input.origin.unwrap_or_else(|| "manual".into()),
                        at: ctx.now,
                        by: ctx.user_id,
                        left_out: &[],
                    });
                }
                done.flush(tx, ctx, &mut waiting)?;
                done.later.flush(tx)
            })?;
            activities::refresh_all_next(tx)?;
            log_bulk_change(tx, ctx.now)?;
            Ok(done.loaded)
        })
    }
}
