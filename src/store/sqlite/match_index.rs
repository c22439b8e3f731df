//! The match keys of a bulk load in memory (`MatchIndex`): what the lookup indexes it set
//! aside would answer, as 128-bit hashes seeded per load.

use super::Result;
use super::duplicates::MatchKey;
use super::records::comms_of;
use crate::domain::comm::{Comm, CommKind};
use crate::domain::fields::Entity;
use rusqlite::Connection;
use std::collections::HashMap;

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

    /// Takes back the changes made since the journal held `len` of them (a savepoint inside
    /// a row's), keeping the journal.
    pub(crate) fn undo_to(&mut self, len: usize) {
        let Some(journal) = self.journal.as_mut() else { return };
        let undone: Vec<_> = journal.drain(len.min(journal.len())..).rev().collect();
        for (added, hash, id) in undone {
            if added {
                self.remove_id(hash, id);
            } else {
                self.insert_id(hash, id);
            }
        }
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
