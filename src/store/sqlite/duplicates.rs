//! Duplicate search (SPEC D1), in one place: the repeat-lead check, the "possible duplicate"
//! warning on create and edit, the conversion wizard's matches and `dedup scan` all call it.

pub(crate) use super::match_index::MatchIndex;
use super::records::{RecordInput, RecordRef, apply_comms, comms_of, derived_sources, title_of, visibility_sql};
use super::{Result, Store};
use crate::domain::access::Sight;
use crate::domain::access::Visibility;
use crate::domain::comm::Comm;
use crate::domain::comm::CommKind;
use crate::domain::dedup::MatchKeys;
use crate::domain::fields::Entity;
pub(crate) use crate::store::duplicates::*;
use crate::store::engine::*;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, params, params_from_iter};
use std::collections::BTreeMap;

/// Most matches reported for one record.
const MAX_MATCHES: usize = 20;

/// Column holding the company key of `entity`, if it is matched by company.
fn company_column(entity: Entity) -> Option<&'static str> {
    match entity {
        Entity::Lead => Some("company_key"),
        Entity::Company => Some("title_key"),
        _ => None,
    }
}

/// Column holding the person-name key of `entity`, if it is matched by name.
fn name_column(entity: Entity) -> Option<&'static str> {
    match entity {
        Entity::Lead | Entity::Contact => Some("name_key"),
        _ => None,
    }
}

/// Records of `target` matching `keys`, comm matches first, excluding `exclude`.
pub(crate) fn find_in(
    conn: &Connection,
    vis: &Visibility,
    target: Entity,
    keys: &MatchKeys,
    exclude: Option<i64>,
) -> Result<Vec<DuplicateMatch>> {
    let (cond, vis_params) = visibility_sql(vis, "t");
    // `+c.entity`: without it the planner walks every comm of the entity through
    // `comms_owner` to satisfy the ORDER BY, instead of looking the value up in `comms_match`.
    let comm_sql = format!(
        "SELECT DISTINCT c.entity_id FROM comms c JOIN {} t ON t.id = c.entity_id \
         WHERE c.kind = ? AND c.normalized = ? AND +c.entity = ? AND {cond} ORDER BY c.entity_id LIMIT {PER_KEY}",
        target.table()
    );
    let lookup = |key: MatchKey, value: &str| -> Result<Vec<i64>> {
        let (sql, mut p) = match key {
            MatchKey::Phone | MatchKey::Email => (
                comm_sql.clone(),
                vec![Sql::Text(key.label().into()), Sql::Text(value.into()), Sql::Text(target.code().into())],
            ),
            MatchKey::Name | MatchKey::Company => {
                let Some(column) = key.column(target) else { return Ok(vec![]) };
                let sql = format!(
                    "SELECT t.id FROM {} t WHERE t.{column} = ? AND {cond} ORDER BY t.id LIMIT {PER_KEY}",
                    target.table()
                );
                (sql, vec![Sql::Text(value.into())])
            }
        };
        p.extend(vis_params.iter().cloned());
        let ids = conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(p.iter()), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    };
    matches_by(conn, target, keys, exclude, lookup)
}

/// Records of `target` matching `keys`, whoever may see them (repeat leads, imports):
/// through the bulk load's match keys in memory when there is one (its lookup indexes are
/// set aside), else through the indexes.
pub(crate) fn find_for_writer(
    conn: &Connection,
    index: Option<&MatchIndex>,
    target: Entity,
    keys: &MatchKeys,
) -> Result<Vec<DuplicateMatch>> {
    match index.filter(|i| i.covers(target)) {
        Some(index) => find_in_index(conn, index, target, keys, None),
        None => find_in(conn, &Visibility::All, target, keys, None),
    }
}

/// `find_in` over the keys in memory: the same rule, other lookups.
fn find_in_index(
    conn: &Connection,
    index: &MatchIndex,
    target: Entity,
    keys: &MatchKeys,
    exclude: Option<i64>,
) -> Result<Vec<DuplicateMatch>> {
    matches_by(conn, target, keys, exclude, |key, value| {
        Ok(index.ids(target, key, value).iter().take(PER_KEY).copied().collect())
    })
}

/// Most records one key value brings in (lowest ids first).
pub(crate) const PER_KEY: usize = 50;

/// The duplicate rule (`ranked_matches`), with the titles of the matches kept.
fn matches_by(
    conn: &Connection,
    target: Entity,
    keys: &MatchKeys,
    exclude: Option<i64>,
    lookup: impl FnMut(MatchKey, &str) -> Result<Vec<i64>>,
) -> Result<Vec<DuplicateMatch>> {
    let mut out = ranked_matches(target, keys, exclude, lookup)?;
    // Titles for the matches kept only.
    for m in &mut out {
        m.title = title_of(conn, target, m.id)?;
    }
    Ok(out)
}

/// The duplicate rule, whatever keeps the records: which keys of `target` are compared, how
/// each match is labelled and how matches are ordered (titles left empty). `lookup(key,
/// value)` gives the ids having that value, ascending (at most `PER_KEY`).
pub(crate) fn ranked_matches(
    target: Entity,
    keys: &MatchKeys,
    exclude: Option<i64>,
    mut lookup: impl FnMut(MatchKey, &str) -> Result<Vec<i64>>,
) -> Result<Vec<DuplicateMatch>> {
    let mut hits: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let mut wanted: Vec<(MatchKey, &str)> = Vec::new();
    wanted.extend(keys.phones.iter().map(|v| (MatchKey::Phone, v.as_str())));
    wanted.extend(keys.emails.iter().map(|v| (MatchKey::Email, v.as_str())));
    if MatchKey::Name.column(target).is_some()
        && let Some(k) = &keys.name
    {
        wanted.push((MatchKey::Name, k));
    }
    if MatchKey::Company.column(target).is_some()
        && let Some(k) = &keys.company
    {
        wanted.push((MatchKey::Company, k));
    }
    for (key, value) in wanted {
        for id in lookup(key, value)? {
            let m = hits.entry(id).or_default();
            if !m.iter().any(|x| x == key.label()) {
                m.push(key.label().to_string());
            }
        }
    }
    if let Some(x) = exclude {
        hits.remove(&x);
    }
    let mut out: Vec<DuplicateMatch> = hits
        .into_iter()
        .map(|(id, matched_by)| DuplicateMatch { entity: target, id, title: String::new(), matched_by, hidden: false })
        .collect();
    out.sort_by_key(|m| (!m.by_comm(), m.id));
    out.truncate(MAX_MATCHES);
    Ok(out)
}

/// What two records can share to match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum MatchKey {
    /// A phone, in E.164.
    Phone,
    /// An e-mail, in normal form.
    Email,
    /// The person's name key.
    Name,
    /// The company key (a company's own title key).
    Company,
}

impl MatchKey {
    /// Every kind of key.
    pub(crate) const ALL: [MatchKey; 4] = [MatchKey::Phone, MatchKey::Email, MatchKey::Name, MatchKey::Company];

    /// How a match by this key is labelled (`matched_by`); for comms, also their kind code.
    pub(crate) fn label(self) -> &'static str {
        match self {
            MatchKey::Phone => "phone",
            MatchKey::Email => "email",
            MatchKey::Name => "name",
            MatchKey::Company => "company",
        }
    }

    /// The column of `entity` holding this key, for the name and company keys.
    pub(crate) fn column(self, entity: Entity) -> Option<&'static str> {
        match self {
            MatchKey::Name => name_column(entity),
            MatchKey::Company => company_column(entity),
            MatchKey::Phone | MatchKey::Email => None,
        }
    }

    pub(super) fn of_comm(kind: CommKind) -> Option<MatchKey> {
        match kind {
            CommKind::Phone => Some(MatchKey::Phone),
            CommKind::Email => Some(MatchKey::Email),
            _ => None,
        }
    }
}
/// Existing records an imported row matches, on the chosen keys only (SPEC I2: "by chosen
/// criteria"). For companies, `name` and `company` both mean the title.
pub(crate) fn import_matches(
    conn: &Connection,
    index: Option<&MatchIndex>,
    entity: Entity,
    input: &RecordInput,
    on: crate::domain::import::MatchOn,
) -> Result<Vec<DuplicateMatch>> {
    let mut keys = keys_of(conn, entity, None, input)?;
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
    if keys.is_empty() {
        return Ok(vec![]);
    }
    find_for_writer(conn, index, entity, &keys)
}

/// Match keys of a record about to be created from `input`. Reads nothing: a bulk load
/// makes them off the writing thread.
pub(crate) fn keys_of_new(entity: Entity, input: &RecordInput) -> MatchKeys {
    keys_after(entity, BTreeMap::new(), &[], input)
}

/// Match keys of a stored record.
pub(crate) fn keys_of_record(conn: &Connection, entity: Entity, id: i64) -> Result<MatchKeys> {
    keys_of(conn, entity, Some(id), &RecordInput::default())
}

/// Match keys of a record as it would be after `input` (a new record when `id` is `None`).
fn keys_of(conn: &Connection, entity: Entity, id: Option<i64>, input: &RecordInput) -> Result<MatchKeys> {
    let mut values: BTreeMap<&str, String> = BTreeMap::new();
    let mut comms = Vec::new();
    if let Some(id) = id {
        let name_fields = derived_sources(entity);
        if name_fields.is_empty() {
            return Ok(MatchKeys::default());
        }
        let sql = format!("SELECT {} FROM {} WHERE id = ?1", name_fields.join(", "), entity.table());
        let row: Vec<Option<String>> = conn.prepare_cached(&sql)?.query_row(params![id], |r| {
            (0..name_fields.len()).map(|i| r.get::<_, Option<String>>(i)).collect::<rusqlite::Result<Vec<_>>>()
        })?;
        for (k, v) in name_fields.iter().zip(row) {
            values.insert(k, v.unwrap_or_default());
        }
        comms = comms_of(conn, entity, id)?;
    }
    Ok(keys_after(entity, values, &comms, input))
}

/// Match keys of a record whose name fields are `values` and comms `comms`, after `input`.
pub(crate) fn keys_after(
    entity: Entity,
    mut values: BTreeMap<&str, String>,
    comms: &[Comm],
    input: &RecordInput,
) -> MatchKeys {
    let name_fields = derived_sources(entity);
    if name_fields.is_empty() {
        return MatchKeys::default();
    }
    for (k, v) in &input.fields {
        if let Some(key) = name_fields.iter().find(|f| **f == k.as_str()) {
            values.insert(key, crate::domain::text::clean_line(v).trim().to_string());
        }
    }
    let comms = apply_comms(comms, &input.comms);
    MatchKeys::of(
        entity,
        |k| values.get(k).map(String::as_str),
        comms.iter().map(|c| (c.kind.code(), c.normalized.as_str())),
    )
}

/// Groups of matching records, one per shared key value.
fn groups_in(conn: &Connection, vis: &Visibility, entity: Entity, limit: usize) -> Result<Vec<DuplicateGroup>> {
    // Pairs of (key label, ids sharing it).
    let mut sets: Vec<(String, Vec<i64>)> = Vec::new();
    let (cond, vis_params) = visibility_sql(vis, "t");
    let mut columns: Vec<(&str, &str)> = Vec::new();
    if let Some(c) = name_column(entity) {
        columns.push((c, "name"));
    }
    if let Some(c) = company_column(entity) {
        columns.push((c, "company"));
    }
    for (column, label) in columns {
        let sql = format!(
            "SELECT group_concat(t.id) FROM {} t WHERE t.{column} IS NOT NULL AND {cond} \
             GROUP BY t.{column} HAVING count(*) > 1",
            entity.table()
        );
        let lists: Vec<String> = conn
            .prepare(&sql)?
            .query_map(params_from_iter(vis_params.iter()), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        sets.extend(lists.into_iter().map(|l| (label.to_string(), parse_ids(&l))));
    }
    let sql = format!(
        "SELECT c.kind, group_concat(DISTINCT c.entity_id) FROM comms c JOIN {} t ON t.id = c.entity_id \
         WHERE c.entity = ? AND c.kind IN ('phone', 'email') AND c.normalized <> '' AND {cond} \
         GROUP BY c.normalized, c.kind HAVING count(DISTINCT c.entity_id) > 1",
        entity.table()
    );
    let mut p = vec![Sql::Text(entity.code().into())];
    p.extend(vis_params.iter().cloned());
    let lists: Vec<(String, String)> = conn
        .prepare(&sql)?
        .query_map(params_from_iter(p.iter()), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    sets.extend(lists.into_iter().map(|(k, l)| (k, parse_ids(&l))));

    // One group per shared value; records sharing several values form one group that lists
    // every reason. Groups are not joined transitively: through common names and companies
    // that would chain thousands of leads into one useless group.
    let mut groups: BTreeMap<Vec<i64>, (Vec<String>, Vec<i64>)> = BTreeMap::new();
    for (label, ids) in sets {
        let entry = groups.entry(ids.clone()).or_insert_with(|| (vec![], ids));
        if !entry.0.contains(&label) {
            entry.0.push(label);
        }
    }
    let mut out = Vec::new();
    for (_, (matched_by, mut ids)) in groups.into_iter().take(limit) {
        ids.sort_unstable();
        let mut members = Vec::with_capacity(ids.len());
        for id in ids {
            members.push((id, title_of(conn, entity, id)?));
        }
        out.push(DuplicateGroup { entity, matched_by, members });
    }
    Ok(out)
}

fn parse_ids(list: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = list.split(',').filter_map(|x| x.trim().parse().ok()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
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
        let keys = keys_of(self.conn(), entity, id, input).map_err(|e| self.fill_path(e))?;
        if keys.is_empty() {
            return Ok(vec![]);
        }
        find_in(self.conn(), sight.of(entity), entity, &keys, id)
    }

    /// Records of `target` matching the stored `record` (the conversion wizard's
    /// existing contacts and companies for a lead).
    fn duplicates_of_record(&self, record: RecordRef, target: Entity, sight: &Sight) -> Result<Vec<DuplicateMatch>> {
        let RecordRef { entity, id } = record;
        let keys = keys_of_record(self.conn(), entity, id).map_err(|e| self.fill_path(e))?;
        let exclude = (entity == target).then_some(id);
        find_in(self.conn(), sight.of(target), target, &keys, exclude)
    }

    /// Groups of records of one kind sharing a name, company, phone or e-mail, lowest ids
    /// first, at most `limit` groups (`dedup scan`).
    fn duplicate_groups(&self, entity: Entity, limit: usize, sight: &Sight) -> Result<Vec<DuplicateGroup>> {
        groups_in(self.conn(), sight.of(entity), entity, limit).map_err(|e| self.fill_path(e))
    }
}
