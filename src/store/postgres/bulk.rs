//! The demo's bulk load on PostgreSQL (`BulkSink::load_records`): the users first, then the
//! records a second thread makes (`RecordMaker`), each written through the records' own
//! create (`records::create_in`) in one transaction, the positions the maker names (a
//! contact's company, a deal's company and lead) made the ids they were given; every
//! record's next activity set in one pass at the end, one change logged for the whole load.

use super::activities;
use super::records::create_in;
use super::{Result, Store, StoreError, WriteCtx, log_bulk_change, refs};
use crate::domain::fields::Entity;
use crate::store::RecordRef;
use crate::store::bulk::{BulkLoaded, BulkRecord, BulkSetting, BulkUser, RecordMaker, Stamp};
use crate::store::rule::Rule;
use crate::store::sqlite::bulk::Positions;
use postgres::GenericClient;

/// Records handed from the maker's thread to the writer at a time.
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
        ids.push(c.query_one("SELECT id FROM users WHERE login = $1::text::citext", &[&u.login])?.get(0));
    }
    Ok(ids)
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
            let user_ids = ensure_users(tx, users, ctx.now)?;
            let sources = refs::sources(tx)?.into_iter().map(|s| s.code).collect();
            let setting = BulkSetting { now: ctx.now, region: ctx.region, currency: ctx.currency, sources };
            let mut loaded = BulkLoaded::default();
            let mut companies = Positions::default();
            let mut leads = Positions::default();
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
                    let stamped = |stamp: Stamp| WriteCtx {
                        now: stamp.created,
                        user_id: user_ids.get(stamp.user).copied(),
                        ..*ctx
                    };
                    match record? {
                        BulkRecord::Company { stamp, input } => {
                            companies.push(create_in(tx, &stamped(stamp), Entity::Company, &input)?.id);
                        }
                        BulkRecord::Contact { stamp, mut input, company } => {
                            if let Some(c) = company {
                                input
                                    .companies
                                    .push(companies.get(c).ok_or_else(|| missing("companies", c))?.to_string());
                            }
                            create_in(tx, &stamped(stamp), Entity::Contact, &input)?;
                        }
                        BulkRecord::Lead { stamp, input, activities: planned } => {
                            let ctx = stamped(stamp);
                            let id = create_in(tx, &ctx, Entity::Lead, &input)?.id;
                            leads.push(id);
                            for mut a in planned {
                                a.responsible_id = ctx.user_id;
                                a.bindings.push(RecordRef::new(Entity::Lead, id));
                                activities::insert_with(tx, &ctx, &a, &Default::default(), false)?;
                                loaded.activities += 1;
                            }
                        }
                        BulkRecord::Deal { stamp, mut input, company, lead } => {
                            let company = companies.get(company).ok_or_else(|| missing("companies", company))?;
                            input.fields.push(("company".into(), company.to_string()));
                            let lead = lead.and_then(|l| leads.get(l)).map(|l| l.to_string()).unwrap_or_default();
                            input.fields.push(("lead".into(), lead));
                            create_in(tx, &stamped(stamp), Entity::Deal, &input)?;
                        }
                    }
                    loaded.records += 1;
                }
                Ok::<_, StoreError>(())
            })?;
            activities::refresh_all_next(tx)?;
            log_bulk_change(tx, ctx.now)?;
            Ok(loaded)
        })
    }
}
