//! The change feed: what other users changed since a screen last looked. Other clients'
//! commits are heard through `LISTEN prospect_changes` (the change log's trigger announces
//! each entry), so polling it costs no query when nothing happened.

use super::{Result, Store};
use crate::domain::fields::Entity;
use crate::store::engine::*;
use crate::store::records::{ChangedRecords, RecordRef};

impl Changes for Store {
    /// How many changes other connections announced: changes when another client commits.
    fn data_version(&self) -> Result<i64> {
        Ok(self.heard())
    }

    /// Notices already arrived on the connection: reading them costs no round trip.
    fn poll_interval(&self) -> std::time::Duration {
        std::time::Duration::from_millis(200)
    }

    fn last_change(&self) -> Result<i64> {
        let r = self.client().query_one("SELECT coalesce(max(id), 0) FROM changes", &[]);
        Ok(r.map_err(|e| self.pg_err(e))?.get(0))
    }

    /// Records written after change `after`, and the newest change id. Entries are numbered
    /// in commit order (`log_change` takes the log's lock first), so none can appear later
    /// below an id already read; `None` when the log was trimmed past `after` or holds more
    /// than `limit` entries since: then everything may have changed.
    fn changes_since(&self, after: i64, limit: usize) -> Result<(i64, Option<ChangedRecords>)> {
        let mut c = self.client();
        let r = c
            .query_one("SELECT max(id), count(*), (SELECT min(id) FROM changes) FROM changes WHERE id > $1", &[&after])
            .map_err(|e| self.pg_err(e))?;
        let (last, n, oldest): (Option<i64>, i64, Option<i64>) = (r.get(0), r.get(1), r.get(2));
        let Some(last) = last else { return Ok((after, Some(vec![]))) };
        if n as usize > limit || oldest.is_some_and(|o| o > after + 1) && after > 0 {
            return Ok((last, None));
        }
        let rows = c
            .query("SELECT DISTINCT entity, entity_id FROM changes WHERE id > $1 AND id <= $2", &[&after, &last])
            .map_err(|e| self.pg_err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let code: String = row.get(0);
            match Entity::parse(&code) {
                Some(e) => out.push(RecordRef::new(e, row.get(1))),
                // A bulk load ('*'): anything may have changed.
                None => return Ok((last, None)),
            }
        }
        Ok((last, Some(out)))
    }
}
