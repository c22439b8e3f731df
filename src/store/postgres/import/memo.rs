//! What an import (and the demo's load) looks up once instead of once per row: the
//! references its rows name (a pipeline, its first stage, sources, users…) and the companies
//! its contacts name by title. Row after row names the same few values; a query each was a
//! round trip each.

use super::super::duplicates::find_for_writer;
use super::super::records::{Lookup, create_in};
use super::super::{Result, WriteCtx, refs};
use crate::domain::dedup::{MatchKeys, name_key};
use crate::domain::fields::{Entity, RefKind};
use crate::store::records::RecordInput;
use postgres::GenericClient;
use std::collections::HashMap;

/// References resolved so far in one import (one attempt of its transaction). Only what
/// resolved is kept: a value refused is looked up again, and refused again, on its next row.
#[derive(Default)]
pub(crate) struct Known {
    pipelines: HashMap<(Entity, Option<String>), i64>,
    first_stages: HashMap<i64, i64>,
    refs: HashMap<(RefKind, String, Option<i64>), i64>,
    /// A company title's key and the company it names (`company_for`).
    companies: HashMap<String, i64>,
    /// Companies remembered since `mark`, forgotten by `undo` (their savepoint rolled back).
    companies_since: Vec<String>,
    /// Companies are looked up by title: the import makes none (it imports leads or deals),
    /// so what a title names cannot change while it runs.
    titles_stay: bool,
}

impl Known {
    /// A memo for an import of `entity`.
    pub(crate) fn new(entity: Entity) -> Known {
        Known { titles_stay: matches!(entity, Entity::Lead | Entity::Deal), ..Default::default() }
    }

    /// Where a handful's savepoint begins.
    pub(super) fn mark(&mut self) {
        self.companies_since.clear();
    }

    /// Forgets the companies made since `mark`: their savepoint was rolled back.
    pub(super) fn undo(&mut self) {
        for key in self.companies_since.drain(..) {
            self.companies.remove(&key);
        }
    }

    /// This memo over the handful's connection `c`, as `records::new_row` takes it.
    pub(crate) fn on<'a, C: GenericClient>(&'a mut self, c: &'a mut C) -> Memo<'a, C> {
        Memo { c, known: self }
    }
}

/// `Known` over a connection: what it lacks is looked up there, then kept.
pub(crate) struct Memo<'a, C> {
    c: &'a mut C,
    known: &'a mut Known,
}

impl<C: GenericClient> Lookup for Memo<'_, C> {
    fn pipeline(&mut self, entity: Entity, named: Option<&str>) -> Result<i64> {
        let key = (entity, named.map(str::to_string));
        if let Some(id) = self.known.pipelines.get(&key) {
            return Ok(*id);
        }
        let id = refs::resolve_pipeline(self.c, entity, named)?.id;
        self.known.pipelines.insert(key, id);
        Ok(id)
    }

    fn first_stage(&mut self, pipeline_id: i64) -> Result<i64> {
        if let Some(id) = self.known.first_stages.get(&pipeline_id) {
            return Ok(*id);
        }
        let id = refs::first_stage(self.c, pipeline_id)?.id;
        self.known.first_stages.insert(pipeline_id, id);
        Ok(id)
    }

    fn reference(&mut self, kind: RefKind, text: &str, pipeline_id: Option<i64>) -> Result<i64> {
        // A record named by id stays (an import deletes nothing); by title, only while the
        // import makes no companies.
        let record = matches!(kind, RefKind::Contact | RefKind::Company | RefKind::Lead);
        let by_id = text.trim().trim_start_matches('#').parse::<i64>().is_ok();
        if record && !by_id && !self.known.titles_stay {
            return refs::resolve(self.c, kind, text, pipeline_id);
        }
        let key = (kind, text.to_string(), pipeline_id);
        if let Some(id) = self.known.refs.get(&key) {
            return Ok(*id);
        }
        let id = refs::resolve(self.c, kind, text, pipeline_id)?;
        self.known.refs.insert(key, id);
        Ok(id)
    }
}

impl<C: GenericClient> Memo<'_, C> {
    /// A contact's company by `#id` or title (the oldest of that name); a title not yet in
    /// the data becomes a company. The rule of `import::company_for`, each title looked up
    /// once.
    pub(super) fn company(&mut self, ctx: &WriteCtx, text: &str) -> Result<i64> {
        let t = text.trim();
        if t.starts_with('#') {
            return self.reference(RefKind::Company, t, None);
        }
        let Some(key) = name_key([t]) else {
            // Nothing to match a title by: a company of its own each time, as row by row.
            return super::company_for(self.c, ctx, t);
        };
        if let Some(id) = self.known.companies.get(&key) {
            return Ok(*id);
        }
        let keys = MatchKeys { company: Some(key.clone()), ..Default::default() };
        let id = match find_for_writer(self.c, Entity::Company, &keys)?.first() {
            Some(m) => m.id,
            None => {
                let input = RecordInput {
                    fields: vec![("title".into(), t.to_string())],
                    origin: Some("import".into()),
                    ..Default::default()
                };
                create_in(self.c, ctx, Entity::Company, &input)?.id
            }
        };
        self.known.companies.insert(key.clone(), id);
        self.known.companies_since.push(key);
        Ok(id)
    }
}
