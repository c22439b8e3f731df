//! Duplicate search (SPEC D1), in one place: the repeat-lead check, the "possible duplicate"
//! warning on create and edit, the conversion wizard's matches and `dedup scan` all call it.

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
use std::collections::{BTreeMap, HashMap};

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
const PER_KEY: usize = 50;

/// The duplicate rule: which keys of `target` are compared, how each match is labelled and
/// how matches are ordered. `lookup(key, value)` gives the ids having that value, ascending.
fn matches_by(
    conn: &Connection,
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
        .map(|(id, matched_by)| DuplicateMatch { entity: target, id, title: String::new(), matched_by })
        .collect();
    out.sort_by_key(|m| (!m.by_comm(), m.id));
    out.truncate(MAX_MATCHES);
    // Titles for the matches kept only.
    for m in &mut out {
        m.title = title_of(conn, target, m.id)?;
    }
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
    fn label(self) -> &'static str {
        match self {
            MatchKey::Phone => "phone",
            MatchKey::Email => "email",
            MatchKey::Name => "name",
            MatchKey::Company => "company",
        }
    }

    /// The column of `entity` holding this key, for the name and company keys.
    fn column(self, entity: Entity) -> Option<&'static str> {
        match self {
            MatchKey::Name => name_column(entity),
            MatchKey::Company => company_column(entity),
            MatchKey::Phone | MatchKey::Email => None,
        }
    }

    fn of_comm(kind: CommKind) -> Option<MatchKey> {
        match kind {
            CommKind::Phone => Some(MatchKey::Phone),
            CommKind::Email => Some(MatchKey::Email),
            _ => None,
        }
    }
}

/// The match keys of every lead, contact and company of the file, in memory, for a bulk load
/// that set the lookup indexes aside (`store::bulk`). It must stay what the indexes would
/// say: loaded from the file at the start, then told of every record the load creates
/// (`add`) or changes (`forget` before, `remember` after), and of every row rolled back
/// (`checkpoint`, `undo`).
///
/// A key is kept as a 128-bit hash of (entity, key, value) (`key_hash`), mapped to its
/// record's id, or to a list of ids when several records share it: about 25 bytes a key
/// instead of about 150 with its text and a list each (a million leads' keys were 700 MB).
///
/// Only the keys of the entities the load looks up are kept (`covers`), and of those only the
/// kinds it looks them up by: the demo and an import that keeps every row look up contacts
/// and companies only (repeat leads, a contact's company), so the keys of a million leads are
/// not kept at all; an import matching leads by phone and e-mail keeps no lead's name key.
#[derive(Debug, Default)]
pub(crate) struct MatchIndex {
    /// The entities whose keys are kept, with the kinds of keys kept of each.
    kept: Vec<(Entity, Vec<MatchKey>)>,
    /// A key's hash to its one record's id, or to `-(i + 1)`: the i-th of `shared`.
    ids: HashMap<KeyHash, i64, foldhash::fast::RandomState>,
    /// The ids of keys several records have, lowest first.
    shared: Vec<Vec<i64>>,
    /// Changes since the last `checkpoint`, when one was taken.
    journal: Option<Vec<KeyChange>>,
    /// The seeds of `key_hash`, drawn at random for each load.
    seeds: [u64; 2],
}

/// One change of a `MatchIndex`: (added or removed, the key's hash, id).
type KeyChange = (bool, KeyHash, i64);

/// A key's 128-bit hash as two halves: a `u128` is aligned to 16 bytes, which made each entry
/// of the map 32 bytes instead of 24.
type KeyHash = [u64; 2];

/// The hash a key is kept by, with the load's own random seeds (a file crafted to make two
/// values collide under known seeds would not know them). 128 bits, two 64-bit hashes with
/// different seeds: two different values sharing a hash would make records match that have
/// nothing in common (a lead skipped by an import as the duplicate of a stranger). With 64
/// bits that was about one load in a million at a million keys; with 128, never in practice
/// (about 10^-27), for 8 more bytes a key.
fn key_hash(seeds: [u64; 2], entity: Entity, key: MatchKey, value: &str) -> KeyHash {
    use std::hash::BuildHasher;
    let half = |seed: u64| foldhash::quality::FixedState::with_seed(seed).hash_one((entity, key, value));
    [half(seeds[0]), half(seeds[1])]
}

impl MatchIndex {
    /// Reads the keys of every record of the entities `kept`, of the kinds kept of each
    /// (matchable ones: leads, contacts, companies).
    pub(crate) fn load(conn: &Connection, kept: &[(Entity, Vec<MatchKey>)]) -> Result<MatchIndex> {
        let mut index =
            MatchIndex { kept: kept.to_vec(), seeds: [fastrand::u64(..), fastrand::u64(..)], ..Default::default() };
        for entity in [Entity::Lead, Entity::Contact, Entity::Company] {
            let keys: Vec<MatchKey> =
                [MatchKey::Name, MatchKey::Company].into_iter().filter(|k| index.keeps(entity, *k)).collect();
            for key in keys {
                let Some(column) = key.column(entity) else { continue };
                let sql = format!("SELECT id, {column} FROM {} WHERE {column} IS NOT NULL ORDER BY id", entity.table());
                let mut stmt = conn.prepare(&sql)?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    index.insert(entity, r.get(0)?, key, &r.get::<_, String>(1)?);
                }
            }
        }
        let mut stmt = conn.prepare(
            "SELECT c.entity, c.entity_id, c.kind, c.normalized FROM comms c \
             WHERE c.kind IN ('phone', 'email') AND c.entity IN ('lead', 'contact', 'company') \
             ORDER BY c.entity_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (entity, kind): (String, String) = (r.get(0)?, r.get(2)?);
            let (Some(entity), Some(key)) =
                (Entity::parse(&entity), CommKind::parse(&kind).and_then(MatchKey::of_comm))
            else {
                continue;
            };
            index.insert(entity, r.get(1)?, key, &r.get::<_, String>(3)?);
        }
        Ok(index)
    }

    /// Whether the keys of `entity` are kept: lookups of other entities go to the file.
    pub(crate) fn covers(&self, entity: Entity) -> bool {
        self.kept.iter().any(|(e, _)| *e == entity)
    }

    /// Whether keys of this kind of `entity` are kept.
    fn keeps(&self, entity: Entity, key: MatchKey) -> bool {
        self.kept.iter().any(|(e, keys)| *e == entity && keys.contains(&key))
    }

    /// Records of `entity` having `value` for `key`, lowest id first.
    pub(crate) fn ids(&self, entity: Entity, key: MatchKey, value: &str) -> &[i64] {
        match self.ids.get(&key_hash(self.seeds, entity, key, value)) {
            None => &[],
            Some(id) if *id >= 0 => std::slice::from_ref(id),
            Some(shared) => &self.shared[(-shared - 1) as usize],
        }
    }

    /// A record just written with these derived columns (`name_key`…) and comms.
    pub(crate) fn add<'a>(
        &mut self,
        entity: Entity,
        id: i64,
        columns: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
        comms: &'a [Comm],
    ) {
        if !self.covers(entity) {
            return;
        }
        for (key, value) in Self::keys(entity, columns, comms) {
            self.insert(entity, id, key, value);
        }
    }

    /// A record about to change: its stored keys are taken out.
    pub(crate) fn forget(&mut self, conn: &Connection, entity: Entity, id: i64) -> Result<()> {
        if !self.covers(entity) {
            return Ok(());
        }
        let (columns, comms) = Self::stored(conn, entity, id)?;
        for (key, value) in Self::keys(entity, columns.iter().map(|(c, v)| (*c, v.as_deref())), &comms) {
            let hash = key_hash(self.seeds, entity, key, value);
            if self.remove_id(hash, id)
                && let Some(journal) = &mut self.journal
            {
                journal.push((false, hash, id));
            }
        }
        Ok(())
    }

    /// A record just changed: its stored keys go in.
    pub(crate) fn remember(&mut self, conn: &Connection, entity: Entity, id: i64) -> Result<()> {
        if !self.covers(entity) {
            return Ok(());
        }
        let (columns, comms) = Self::stored(conn, entity, id)?;
        self.add(entity, id, columns.iter().map(|(c, v)| (*c, v.as_deref())), &comms);
        Ok(())
    }

    /// From now on, keep what changes so that `undo` can take it back (a row's savepoint).
    pub(crate) fn checkpoint(&mut self) {
        self.journal = Some(Vec::new());
    }

    /// How many changes were made since the last `checkpoint`.
    pub(crate) fn changes(&self) -> usize {
        self.journal.as_ref().map_or(0, Vec::len)
    }

    /// Takes back every change since the last `checkpoint`.
    pub(crate) fn undo(&mut self) {
        for (added, hash, id) in self.journal.take().unwrap_or_default().into_iter().rev() {
            if added {
                self.remove_id(hash, id);
            } else {
                self.insert_id(hash, id);
            }
        }
    }

    /// Takes `id` out of the key `hash`; whether it was there.
    fn remove_id(&mut self, hash: KeyHash, id: i64) -> bool {
        match self.ids.get(&hash).copied() {
            Some(one) if one == id => {
                self.ids.remove(&hash);
                true
            }
            Some(shared) if shared < 0 => {
                let ids = &mut self.shared[(-shared - 1) as usize];
                match ids.binary_search(&id) {
                    Ok(at) => {
                        ids.remove(at);
                        true
                    }
                    Err(_) => false,
                }
            }
            _ => false,
        }
    }

    /// Puts `id` in the key `hash`, in its place; whether it was not there.
    fn insert_id(&mut self, hash: KeyHash, id: i64) -> bool {
        use std::collections::hash_map::Entry;
        match self.ids.entry(hash) {
            Entry::Vacant(v) => {
                v.insert(id);
                true
            }
            Entry::Occupied(mut o) => {
                let current = *o.get();
                if current == id {
                    return false;
                }
                let ids = if current >= 0 {
                    self.shared.push(vec![current]);
                    *o.get_mut() = -(self.shared.len() as i64);
                    self.shared.last_mut().expect("just pushed")
                } else {
                    &mut self.shared[(-current - 1) as usize]
                };
                // Ids mostly arrive in order (new records); a changed one goes back in its place.
                match ids.last() {
                    Some(last) if *last == id => false,
                    Some(last) if *last > id => match ids.binary_search(&id) {
                        Ok(_) => false,
                        Err(at) => {
                            ids.insert(at, id);
                            true
                        }
                    },
                    _ => {
                        ids.push(id);
                        true
                    }
                }
            }
        }
    }

    /// The keys a record has: its key columns that are matched, its phones and e-mails.
    fn keys<'a>(
        entity: Entity,
        columns: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
        comms: &'a [Comm],
    ) -> impl Iterator<Item = (MatchKey, &'a str)> {
        let columns = columns.into_iter().filter_map(move |(column, value)| {
            let key = [MatchKey::Name, MatchKey::Company].into_iter().find(|k| k.column(entity) == Some(column))?;
            Some((key, value?))
        });
        let comms = comms.iter().filter_map(|c| Some((MatchKey::of_comm(c.kind)?, c.normalized.as_str())));
        columns.chain(comms).filter(|(_, v)| !v.is_empty())
    }

    /// A record's key columns and comms as stored.
    #[allow(clippy::type_complexity)]
    fn stored(conn: &Connection, entity: Entity, id: i64) -> Result<(Vec<(&'static str, Option<String>)>, Vec<Comm>)> {
        let mut columns = Vec::new();
        for key in [MatchKey::Name, MatchKey::Company] {
            if let Some(column) = key.column(entity) {
                let sql = format!("SELECT {column} FROM {} WHERE id = ?1", entity.table());
                let value: Option<String> = conn.prepare_cached(&sql)?.query_row([id], |r| r.get(0))?;
                columns.push((column, value));
            }
        }
        Ok((columns, comms_of(conn, entity, id)?))
    }

    fn insert(&mut self, entity: Entity, id: i64, key: MatchKey, value: &str) {
        if value.is_empty() || !self.keeps(entity, key) {
            return;
        }
        let hash = key_hash(self.seeds, entity, key, value);
        // Only a load that can take a row back keeps the change.
        if self.insert_id(hash, id)
            && let Some(journal) = &mut self.journal
        {
            journal.push((true, hash, id));
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
fn keys_after(entity: Entity, mut values: BTreeMap<&str, String>, comms: &[Comm], input: &RecordInput) -> MatchKeys {
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
