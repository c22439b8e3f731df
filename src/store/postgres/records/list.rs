//! The list query: a filter, a sort and a page of records as SQL, limited to what the user
//! may see.

use super::*;

/// A page of records matching `filter`.
pub(crate) fn list_in(
    c: &mut impl GenericClient,
    entity: Entity,
    vis: &Visibility,
    filter: &ListFilter,
) -> Result<Vec<RecordSummary>> {
    let _ = (c, entity, vis, filter);
    Err(super::super::stubs::not_yet("list"))
}

/// How many records `filter` matches.
pub(crate) fn list_count_in(
    c: &mut impl GenericClient,
    entity: Entity,
    vis: &Visibility,
    filter: &ListFilter,
) -> Result<i64> {
    let _ = (c, entity, vis, filter);
    Err(super::super::stubs::not_yet("list_count"))
}
