//! Leads, contacts, companies and deals on PostgreSQL: the write path (create, update,
//! move, delete) and reads. OWNED BY THE RECORDS WORK: the signatures below are what the
//! other aggregates (activities, conversion, intake, import) call; keep them.
#![allow(dead_code, unused_variables)]

use super::stubs::not_yet;
use super::{Result, WriteCtx};
use crate::domain::access::Visibility;
use crate::domain::comm::Comm;
use crate::domain::fields::Entity;
use crate::store::records::{Moved, Record, RecordInput, Saved};
use postgres::GenericClient;
use postgres::types::ToSql;

/// A parameter list built at run time: `refs(&params)` gives what `query` takes.
pub(crate) type Params = Vec<Box<dyn ToSql + Sync>>;

/// The borrowed form of `Params`, for `query(sql, &refs(&params))`.
pub(crate) fn refs(params: &Params) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect()
}

/// Creates a record inside the caller's transaction (checks, defaults, comms, repeat-lead
/// match, queue, search entry, timeline, change log).
pub(crate) fn create_in(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    input: &RecordInput,
) -> Result<Saved> {
    Err(not_yet("create"))
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
    Err(not_yet("update"))
}

/// Moves a lead or deal to a stage inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn move_in(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    id: i64,
    stage: &str,
    reason: Option<&str>,
    expected: Option<i64>,
) -> Result<Moved> {
    Err(not_yet("move"))
}

/// One full record, whoever may see it.
pub(crate) fn get_in(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<Record> {
    Err(not_yet("get"))
}

/// A record's title as every screen names it.
pub(crate) fn title_of(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<String> {
    Err(not_yet("title"))
}

/// A record's phones, e-mails, websites and messengers, in order.
pub(crate) fn comms_of(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<Vec<Comm>> {
    Err(not_yet("comms"))
}

/// The SQL condition (on table alias `alias`) of what `vis` lets a user see, with its
/// parameters numbered from `$first`.
pub(crate) fn visibility_sql(vis: &Visibility, alias: &str, first: usize) -> (String, Params) {
    ("TRUE".into(), Vec::new())
}

/// Sets `next_activity_at` of each record from its open activities (after an activity is
/// planned, done, moved or deleted).
pub(crate) fn refresh_next_activity(c: &mut impl GenericClient, records: &[crate::store::RecordRef]) -> Result<()> {
    Err(not_yet("next activity"))
}
