//! Full-text search on PostgreSQL. OWNED BY THE SEARCH WORK: the records' writes call
//! `reindex` and `remove`; keep their signatures.
#![allow(dead_code, unused_variables)]

use super::Result;
use crate::domain::fields::Entity;
use postgres::GenericClient;

/// Writes (or rewrites) the search entry of a record from what is stored now.
pub(crate) fn reindex(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<()> {
    Ok(())
}

/// Removes a deleted record's entry.
pub(crate) fn remove(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<()> {
    Ok(())
}
