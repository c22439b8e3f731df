//! Every record of a selection, a page at a time: an export writes a 100k-lead file out
//! without holding it in memory, whatever format it writes (io::export).

use super::{ListFilter, Record, Store, StoreError};
use crate::domain::fields::Entity;
use crate::store::RecordRef;
use crate::store::engine::*;

impl Store {
    /// Calls `f` with the full records of a selection, 500 at a time in id order: `ids` when
    /// given (a list's selected rows), otherwise every record `filter` lets through. Returns
    /// how many records `f` was given. Each page is read in one read transaction, and handed
    /// to `f` after it, so the writer a page waits for is never kept waiting by `f`.
    pub fn for_each_page<E: From<StoreError>>(
        &self,
        entity: Entity,
        filter: &ListFilter,
        ids: Option<&[i64]>,
        mut f: impl FnMut(&[Record]) -> Result<(), E>,
    ) -> Result<usize, E> {
        let mut count = 0;
        let read = |ids: &[i64]| {
            self.reading(|s| ids.iter().map(|id| s.get(RecordRef::new(entity, *id))).collect::<Result<Vec<_>, _>>())
        };
        if let Some(ids) = ids {
            for chunk in ids.chunks(500) {
                let records = read(chunk)?;
                count += records.len();
                f(&records)?;
            }
            return Ok(count);
        }
        let mut after = None;
        loop {
            let page_filter =
                ListFilter { after_id: after, oldest_first: true, limit: 500, sort: None, offset: 0, ..filter.clone() };
            let page: Vec<i64> = self.list(entity, &page_filter)?.iter().map(|r| r.id).collect();
            let Some(last) = page.last() else { break };
            after = Some(*last);
            let records = read(&page)?;
            count += records.len();
            f(&records)?;
        }
        Ok(count)
    }
}
