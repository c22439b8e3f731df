//! The distribution queue on PostgreSQL. OWNED BY THE SEARCH WORK: the records' create calls
//! `assign_new` for a lead that arrived by itself; keep its signature.
#![allow(dead_code, unused_variables)]

use super::Result;
use postgres::GenericClient;

/// Gives a new lead to whoever the queue says (SPEC I6), inside the create's transaction.
pub(crate) fn assign_new(c: &mut impl GenericClient, id: i64) -> Result<()> {
    Ok(())
}
