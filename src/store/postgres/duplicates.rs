//! Records that match by name, e-mail or phone (SPEC D1) on PostgreSQL. OWNED BY THE SEARCH
//! WORK: the records' create (repeat leads), intake and import call these; keep them.
#![allow(dead_code, unused_variables)]

use super::Result;
use crate::domain::access::Visibility;
use crate::domain::dedup::MatchKeys;
use crate::domain::fields::Entity;
use crate::store::duplicates::DuplicateMatch;
use postgres::GenericClient;

/// Records of `target` matching `keys` that `vis` lets through, comm matches first,
/// excluding `exclude` (the same rule as `sqlite::duplicates::find_in`).
pub(crate) fn find_in(
    c: &mut impl GenericClient,
    vis: &Visibility,
    target: Entity,
    keys: &MatchKeys,
    exclude: Option<i64>,
) -> Result<Vec<DuplicateMatch>> {
    Ok(Vec::new())
}

/// Records of `target` matching `keys`, whoever may see them (repeat leads, imports).
pub(crate) fn find_for_writer(
    c: &mut impl GenericClient,
    target: Entity,
    keys: &MatchKeys,
) -> Result<Vec<DuplicateMatch>> {
    find_in(c, &Visibility::All, target, keys, None)
}
