//! Records that match by name, e-mail or phone (SPEC D1) on PostgreSQL: the repeat-lead
//! check, the "possible duplicate" warning, the conversion wizard's matches, imports and
//! `dedup scan`. The rule (which keys, how labelled, in what order) is the file's
//! (`sqlite::duplicates::ranked_matches`); only the lookups are SQL of their own.

use super::records::{Params, comms_of, refs, title_of, visibility_sql};
use super::{Result, StatementCache, Store, StoreError};
use crate::domain::access::{Sight, Visibility};
use crate::domain::dedup::MatchKeys;
use crate::domain::fields::Entity;
use crate::store::duplicates::{DuplicateGroup, DuplicateMatch};
use crate::store::engine::*;
use crate::store::records::{RecordInput, RecordRef};
pub(crate) use crate::store::sqlite::duplicates::MatchKey;
use crate::store::sqlite::duplicates::{PER_KEY, keys_after, ranked_matches};
use crate::store::sqlite::records::derived_sources;
use postgres::GenericClient;
use postgres::types::ToSql;
use std::collections::{BTreeMap, HashMap};

/// The parameters `first` then `vis`'s, as `query` takes them.
fn with_vis<'a>(first: &[&'a (dyn ToSql + Sync)], vis: &'a Params) -> Vec<&'a (dyn ToSql + Sync)> {
    let mut all = first.to_vec();
    all.extend(refs(vis));
    all
}

/// Records of `target` matching `keys` that `vis` lets through, comm matches first,
/// excluding `exclude` (the same rule as `sqlite::duplicates::find_in`).
pub(crate) fn find_in(
    c: &mut impl GenericClient,
    vis: &Visibility,
    target: Entity,
    keys: &MatchKeys,
    exclude: Option<i64>,
) -> Result<Vec<DuplicateMatch>> {
    let (comm_cond, comm_vis) = visibility_sql(vis, "t", 4);
    let comm_sql = format!(
        "SELECT DISTINCT c.entity_id FROM comms c JOIN {} t ON t.id = c.entity_id \
         WHERE c.kind = $1 AND c.normalized = $2 AND c.entity = $3 AND {comm_cond} ORDER BY c.entity_id LIMIT {PER_KEY}",
        target.table()
    );
    let (col_cond, col_vis) = visibility_sql(vis, "t", 2);
    let code = target.code();
    let mut out = ranked_matches(target, keys, exclude, |key, value| {
        let rows = match key {
            MatchKey::Phone | MatchKey::Email => {
                let label = key.label();
                c.query(&comm_sql, &with_vis(&[&label, &value, &code], &comm_vis))?
            }
            MatchKey::Name | MatchKey::Company => {
                let Some(column) = key.column(target) else { return Ok(vec![]) };
                let sql = format!(
                    "SELECT t.id FROM {} t WHERE t.{column} = $1 AND {col_cond} ORDER BY t.id LIMIT {PER_KEY}",
                    target.table()
                );
                c.query(&sql, &with_vis(&[&value], &col_vis))?
            }
        };
        Ok(rows.iter().map(|r| r.try_get(0)).collect::<std::result::Result<_, postgres::Error>>()?)
    })?;
    // Titles for the matches kept only.
    for m in &mut out {
        m.title = title_of(c, target, m.id)?;
    }
    Ok(out)
}

/// Records of `target` matching `keys`, whoever may see them (repeat leads, imports).
pub(crate) fn find_for_writer(
    c: &mut impl GenericClient,
    target: Entity,
    keys: &MatchKeys,
) -> Result<Vec<DuplicateMatch>> {
    find_in(c, &Visibility::All, target, keys, None)
}

/// Existing records an imported row matches, on the chosen keys only (SPEC I2: "by chosen
/// criteria"); for companies, `name` and `company` both mean the title. The rule of
/// `sqlite::duplicates::import_matches`.
pub(crate) fn import_matches(
    c: &mut impl GenericClient,
    entity: Entity,
    input: &RecordInput,
    on: crate::domain::import::MatchOn,
) -> Result<Vec<DuplicateMatch>> {
    let keys = import_keys(entity, input, on);
    if keys.is_empty() {
        return Ok(vec![]);
    }
    find_for_writer(c, entity, &keys)
}

/// What an imported row is matched by: its keys as a new record, the chosen ones only.
pub(crate) fn import_keys(entity: Entity, input: &RecordInput, on: crate::domain::import::MatchOn) -> MatchKeys {
    let mut keys = keys_after(entity, BTreeMap::new(), &[], input);
    let title = entity == Entity::Company && (on.name || on.company);
    if !on.name && !title {
        keys.name = None;
    }
    if !on.company && !title {
        keys.company = None;
    }
    if !on.phone {
        keys.phones.clear();
    }
    if !on.email {
        keys.emails.clear();
    }
    keys
}

/// The records of one kind having each key value of many rows, looked up in one statement
/// (an import's handful): per (key, value), the ids in ascending order, at most `PER_KEY`,
/// as `find_in`'s lookups give them one value at a time.
#[derive(Default)]
pub(crate) struct Found(HashMap<(MatchKey, String), Vec<i64>>);

impl Found {
    /// Looks up every value of `keys` among the records of `target`.
    pub(crate) fn look_up<'k>(
        c: &mut impl GenericClient,
        stmts: &StatementCache,
        target: Entity,
        keys: impl IntoIterator<Item = &'k MatchKeys>,
    ) -> Result<Found> {
        let mut asked: [Vec<&str>; 4] = Default::default();
        for k in keys {
            asked[0].extend(k.phones.iter().map(String::as_str));
            asked[1].extend(k.emails.iter().map(String::as_str));
            asked[2].extend(k.name.as_deref().filter(|_| MatchKey::Name.column(target).is_some()));
            asked[3].extend(k.company.as_deref().filter(|_| MatchKey::Company.column(target).is_some()));
        }
        for list in &mut asked {
            list.sort_unstable();
            list.dedup();
        }
        let mut found = Found::default();
        if asked.iter().all(Vec::is_empty) {
            return Ok(found);
        }
        let st = super::prepared(c, stmts, &found_sql(target))?;
        let code = target.code();
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![&code, &asked[0], &asked[1]];
        if MatchKey::Name.column(target).is_some() {
            params.push(&asked[2]);
        }
        if MatchKey::Company.column(target).is_some() {
            params.push(&asked[3]);
        }
        for r in c.query(&st, &params)? {
            let (label, value, id): (String, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            if let Some(key) = MatchKey::ALL.into_iter().find(|k| k.label() == label) {
                found.0.entry((key, value)).or_default().push(id);
            }
        }
        for ids in found.0.values_mut() {
            ids.sort_unstable();
        }
        Ok(found)
    }

    /// The ids having `value` as `key`, lowest first.
    pub(crate) fn ids(&self, key: MatchKey, value: &str) -> &[i64] {
        // The map is keyed by owned strings; lookups are few per row.
        self.0.get(&(key, value.to_string())).map_or(&[], Vec::as_slice)
    }
}

/// `Found`'s statement for `target`: (label, value, id) of each phone, e-mail, name and
/// company key asked, `PER_KEY` ids at most per value. Parameters: the entity's code, then
/// arrays of phones, e-mails and (when `target` has the column) names and companies.
fn found_sql(target: Entity) -> String {
    let table = target.table();
    let comm = |label: &str, n: usize| {
        format!(
            "SELECT DISTINCT c.kind AS k, c.normalized AS v, c.entity_id AS id FROM comms c JOIN {table} t ON t.id = c.entity_id \
             WHERE c.normalized = ANY(${n}::text[]) AND c.kind = '{label}' AND c.entity = $1::text"
        )
    };
    let mut parts = vec![comm("phone", 2), comm("email", 3)];
    let mut n = 4;
    for key in [MatchKey::Name, MatchKey::Company] {
        if let Some(column) = key.column(target) {
            parts.push(format!(
                "SELECT '{}', t.{column}, t.id FROM {table} t WHERE t.{column} = ANY(${n}::text[])",
                key.label()
            ));
            n += 1;
        }
    }
    format!(
        "SELECT k, v, id FROM (SELECT k, v, id, row_number() OVER (PARTITION BY k, v ORDER BY id) AS n FROM ({}) h) x \
         WHERE n <= {PER_KEY}",
        parts.join(" UNION ALL ")
    )
}

/// Match keys of a stored record.
pub(crate) fn keys_of_record(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<MatchKeys> {
    keys_of(c, entity, Some(id), &RecordInput::default())
}

/// Match keys of a record as it would be after `input` (a new record when `id` is `None`);
/// a stored record that is not there is not found.
fn keys_of(c: &mut impl GenericClient, entity: Entity, id: Option<i64>, input: &RecordInput) -> Result<MatchKeys> {
    let mut values: BTreeMap<&str, String> = BTreeMap::new();
    let mut comms = Vec::new();
    if let Some(id) = id {
        let name_fields = derived_sources(entity);
        if name_fields.is_empty() {
            return Ok(MatchKeys::default());
        }
        let sql = format!("SELECT {} FROM {} WHERE id = $1", name_fields.join(", "), entity.table());
        let row = c.query_opt(&sql, &[&id])?.ok_or(StoreError::NotFound { entity, id })?;
        for (i, k) in name_fields.iter().enumerate() {
            values.insert(k, row.try_get::<_, Option<String>>(i)?.unwrap_or_default());
        }
        comms = comms_of(c, entity, id)?;
    }
    Ok(keys_after(entity, values, &comms, input))
}

/// The ids of a `string_agg` list, ascending, each once.
fn parse_ids(list: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = list.split(',').filter_map(|x| x.trim().parse().ok()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Groups of matching records, one per shared key value (`sqlite::duplicates::groups_in`).
fn groups_in(
    c: &mut impl GenericClient,
    vis: &Visibility,
    entity: Entity,
    limit: usize,
) -> Result<Vec<DuplicateGroup>> {
    // Pairs of (key label, ids sharing it).
    let mut sets: Vec<(String, Vec<i64>)> = Vec::new();
    let (cond, vis_params) = visibility_sql(vis, "t", 1);
    for key in [MatchKey::Name, MatchKey::Company] {
        let Some(column) = key.column(entity) else { continue };
        let sql = format!(
            "SELECT string_agg(t.id::text, ',') FROM {} t WHERE t.{column} IS NOT NULL AND {cond} \
             GROUP BY t.{column} HAVING count(*) > 1",
            entity.table()
        );
        for r in c.query(&sql, &refs(&vis_params))? {
            sets.push((key.label().to_string(), parse_ids(&r.try_get::<_, String>(0)?)));
        }
    }
    let (cond, vis_params) = visibility_sql(vis, "t", 2);
    let sql = format!(
        "SELECT c.kind, string_agg(DISTINCT c.entity_id::text, ',') FROM comms c JOIN {} t ON t.id = c.entity_id \
         WHERE c.entity = $1 AND c.kind IN ('phone', 'email') AND c.normalized <> '' AND {cond} \
         GROUP BY c.normalized, c.kind HAVING count(DISTINCT c.entity_id) > 1",
        entity.table()
    );
    let code = entity.code();
    for r in c.query(&sql, &with_vis(&[&code], &vis_params))? {
        sets.push((r.try_get(0)?, parse_ids(&r.try_get::<_, String>(1)?)));
    }

    // One group per shared value; records sharing several values form one group that lists
    // every reason (not joined transitively, as in a file).
    let mut groups: BTreeMap<Vec<i64>, Vec<String>> = BTreeMap::new();
    for (label, ids) in sets {
        let reasons = groups.entry(ids).or_default();
        if !reasons.contains(&label) {
            reasons.push(label);
        }
    }
    let mut out = Vec::new();
    for (ids, matched_by) in groups.into_iter().take(limit) {
        let mut members = Vec::with_capacity(ids.len());
        for id in ids {
            members.push((id, title_of(c, entity, id)?));
        }
        out.push(DuplicateGroup { entity, matched_by, members });
    }
    Ok(out)
}

impl Duplicates for Store {
    /// Records of the same kind that `input` would duplicate, for the "possible duplicate"
    /// warning before saving a new record (`id = None`) or an edit.
    fn duplicates_of_input(
        &self,
        entity: Entity,
        id: Option<i64>,
        input: &RecordInput,
        sight: &Sight,
    ) -> Result<Vec<DuplicateMatch>> {
        let mut c = self.client();
        let keys = keys_of(&mut *c, entity, id, input).map_err(|e| self.fill_path(e))?;
        if keys.is_empty() {
            return Ok(vec![]);
        }
        find_in(&mut *c, sight.of(entity), entity, &keys, id).map_err(|e| self.fill_path(e))
    }

    /// Records of `target` matching the stored `record` (the conversion wizard's existing
    /// contacts and companies for a lead).
    fn duplicates_of_record(&self, record: RecordRef, target: Entity, sight: &Sight) -> Result<Vec<DuplicateMatch>> {
        let RecordRef { entity, id } = record;
        let mut c = self.client();
        let keys = keys_of_record(&mut *c, entity, id).map_err(|e| self.fill_path(e))?;
        let exclude = (entity == target).then_some(id);
        find_in(&mut *c, sight.of(target), target, &keys, exclude).map_err(|e| self.fill_path(e))
    }

    /// Groups of records of one kind sharing a name, company, phone or e-mail, lowest ids
    /// first, at most `limit` groups (`dedup scan`).
    fn duplicate_groups(&self, entity: Entity, limit: usize, sight: &Sight) -> Result<Vec<DuplicateGroup>> {
        let mut c = self.client();
        groups_in(&mut *c, sight.of(entity), entity, limit).map_err(|e| self.fill_path(e))
    }
}
