//! Full-text search (FTS5) over names, titles, company titles, phones and e-mails of every
//! record. The entry of a record is rebuilt in the transaction that changes it.

use super::{Result, Store};
use crate::domain::access::Sight;
use crate::domain::access::Visibility;
use crate::domain::comm::CommKind;
use crate::domain::fields::{Entity, display_title};
use crate::domain::record::RecordRef;
use crate::domain::search::{NameMatch, name_match, words};
use crate::store::engine::*;
pub(crate) use crate::store::search::*;
use rusqlite::types::Value;
use rusqlite::{Connection, ToSql, params};
use std::collections::HashMap;

mod aside;
mod pending;
pub(crate) use aside::{IndexAside, definition, index_is_empty, remove_leftovers};
#[cfg(test)]
pub(crate) use pending::{CHUNK, LAST_PEAK};
pub(crate) use pending::{Entries, PendingEntries};

/// Entity tag in the low bits of a search rowid (`rowid = id * 4 + tag`).
pub fn tag(entity: Entity) -> i64 {
    match entity {
        Entity::Lead => 0,
        Entity::Contact => 1,
        Entity::Company => 2,
        Entity::Deal => 3,
    }
}

pub(crate) fn entity_of_tag(tag: i64) -> Entity {
    match tag {
        0 => Entity::Lead,
        1 => Entity::Contact,
        2 => Entity::Company,
        _ => Entity::Deal,
    }
}

/// Columns of a record's own text that search reads (its phones, e-mails, webs and
/// messengers come from `comms`).
pub(crate) fn text_columns(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Lead => &["title", "first_name", "middle_name", "last_name", "company_title"],
        Entity::Contact => &["first_name", "middle_name", "last_name", "position"],
        Entity::Company => &["title", "industry"],
        Entity::Deal => &["title"],
    }
}

/// A lead's person and company, as a search hit shows them (`Zoë Lindqvist · Acme`).
fn lead_client(conn: &Connection, id: i64) -> Result<String> {
    let mut stmt = conn.prepare_cached(
        "SELECT trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), coalesce(company_title, '') \
         FROM leads WHERE id = ?1",
    )?;
    let found: Option<(String, String)> =
        stmt.query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?))).map(Some).or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    Ok(found
        .map(|(person, company)| {
            [person, company].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" · ")
        })
        .unwrap_or_default())
}

/// Characters people put between the digits of a phone number; search also indexes a phone
/// without them.
const PHONE_SEPARATORS: &[char] = &[' ', '.', '-', '(', ')', '+', '/'];

/// The text a record is found by: what the search index holds for it. Its names and titles
/// (`text`: the values of `text_columns`, in order; `None` and empty ones add nothing), then
/// every phone, e-mail, web and messenger value; a phone as its bare digits, both as typed and
/// in international form, so that `0612` and `33612` find `06 12 34 56 78`. The one
/// definition: a record written alone, a bulk load (on its reading thread) and a rebuild all
/// call it.
pub(crate) fn entry_text<'a>(
    text: impl IntoIterator<Item = Option<&'a str>>,
    comms: impl IntoIterator<Item = (CommKind, &'a str, &'a str)>,
) -> String {
    let mut out = String::new();
    let mut push = |part: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    };
    for t in text.into_iter().flatten().filter(|t| !t.is_empty()) {
        push(t);
    }
    for (kind, value, normalized) in comms {
        if kind == CommKind::Phone {
            push(&value.replace(PHONE_SEPARATORS, ""));
            push(&normalized.replace('+', ""));
        } else {
            push(value);
        }
    }
    out
}

/// The text of a new record that `entry_text` indexes, from its checked field values (by
/// column) and its comms.
pub(crate) fn entry_text_of_new<'a>(
    entity: Entity,
    value_of: impl Fn(&str) -> Option<&'a str>,
    comms: &'a [crate::domain::comm::Comm],
) -> String {
    entry_text(
        text_columns(entity).iter().map(|c| value_of(c)),
        comms.iter().map(|c| (c.kind, c.value.as_str(), c.normalized.as_str())),
    )
}

/// The search entries (`packed_entry`) of the records of `entity` that `filter` (over alias `t`,
/// with `params`) keeps, read from the file: one record, some, or all.
fn entries_in_file(conn: &Connection, entity: Entity, filter: &str, params: &[&dyn ToSql]) -> Result<Vec<Value>> {
    let cols = text_columns(entity);
    let sql = format!(
        "SELECT t.id, {}, {custom}, c.kind, c.value, c.normalized FROM {table} t LEFT JOIN comms c ON c.entity = '{code}' \
         AND c.entity_id = t.id {filter} ORDER BY t.id, c.id",
        cols.iter().map(|c| format!("t.{c}")).collect::<Vec<_>>().join(", "),
        custom = crate::store::custom_fields::searched_sql(entity, crate::store::custom_fields::Dialect::Sqlite),
        table = entity.table(),
        code = entity.code()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params)?;
    // (id, its text columns then its searched custom values, its comms), one row per comm.
    type Record = (i64, Vec<Option<String>>, Vec<(CommKind, String, String)>);
    let mut records: Vec<Record> = Vec::new();
    let n = cols.len() + 1;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if records.last().is_none_or(|(last, ..)| *last != id) {
            let text = (1..=n).map(|i| r.get::<_, Option<String>>(i)).collect::<rusqlite::Result<_>>()?;
            records.push((id, text, Vec::new()));
        }
        let kind: Option<String> = r.get(n + 1)?;
        if let Some(kind) = kind.as_deref().and_then(CommKind::parse) {
            let (value, normalized): (String, String) = (r.get(n + 2)?, r.get(n + 3)?);
            if let Some((.., comms)) = records.last_mut() {
                comms.push((kind, value, normalized));
            }
        }
    }
    Ok(records
        .into_iter()
        .map(|(id, mut text, comms)| {
            let custom = text.pop().flatten();
            let text = entry_text(
                text.iter().map(Option::as_deref),
                comms.iter().map(|(k, v, n)| (*k, v.as_str(), n.as_str())),
            );
            let text = crate::store::custom_fields::with_searched(text, custom.as_deref());
            packed_entry(id * 4 + tag(entity), &text)
        })
        .collect())
}

/// Digits of the rowid in front of an entry's text when many entries go over in one list
/// (`write_entries`): the widest `i64`, zero-padded.
const ROWID_DIGITS: usize = 19;

/// One entry as `write_entries` hands it over: its rowid, zero-padded, then its text.
fn packed_entry(rowid: i64, text: &str) -> Value {
    Value::Text(format!("{rowid:0ROWID_DIGITS$}{text}"))
}

/// Writes search entries (`packed_entry`) that the index does not hold yet, in one
/// statement: FTS5 flushes what it holds in memory at every statement of a transaction it
/// has been written in (a savepoint each), so one statement per record would be slow. The
/// list goes over as an array (`rarray`, registered on every connection by `Store::open`);
/// a JSON list of pairs cost the writer a fifth of the index's own work to take apart.
pub fn write_entries(conn: &Connection, entries: Vec<Value>) -> Result<()> {
    write_entries_into(conn, "search", entries)
}

/// `write_entries` into `table`, a search index (or one to compare it with).
fn write_entries_into(conn: &Connection, table: &str, entries: Vec<Value>) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO {table} (rowid, body) SELECT CAST(substr(value, 1, {ROWID_DIGITS}) AS INTEGER), \
         substr(value, {}) FROM rarray(?1)",
        ROWID_DIGITS + 1
    );
    conn.prepare_cached(&sql)?.execute([std::rc::Rc::new(entries)])?;
    Ok(())
}

/// Records whose search entry is not what their fields and comms give (`entry_text`), or
/// that have an entry and no longer exist, for `db check`. The entries the records give are
/// indexed in a temporary table, and every token's place in each index is compared
/// (`fts5vocab`): the index keeps no copy of its text to compare with.
pub(crate) fn stale_entries(conn: &Connection) -> Result<Vec<RecordRef>> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.search_expected; DROP TABLE IF EXISTS temp.search_expected_tokens; \
         DROP TABLE IF EXISTS temp.search_tokens; \
         CREATE VIRTUAL TABLE temp.search_expected USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', \
         content = ''); \
         CREATE VIRTUAL TABLE temp.search_expected_tokens USING fts5vocab(temp, search_expected, instance); \
         CREATE VIRTUAL TABLE temp.search_tokens USING fts5vocab(main, search, instance);",
    )?;
    let compared = (|| {
        write_entries_into(conn, "temp.search_expected", all_entries(conn)?)?;
        let expected = token_digests(conn, "temp.search_expected_tokens")?;
        let found = token_digests(conn, "temp.search_tokens")?;
        let mut stale: Vec<i64> =
            found.iter().filter(|(doc, d)| expected.get(doc) != Some(d)).map(|(doc, _)| *doc).collect();
        stale.extend(expected.keys().filter(|doc| !found.contains_key(doc)));
        stale.sort_unstable();
        Ok(stale.into_iter().map(|rowid| RecordRef::new(entity_of_tag(rowid % 4), rowid / 4)).collect())
    })();
    conn.execute_batch(
        "DROP TABLE temp.search_tokens; DROP TABLE temp.search_expected_tokens; DROP TABLE temp.search_expected;",
    )?;
    compared
}

/// For each entry (rowid) of a search index, a digest of its tokens and their places: a sum,
/// so that the order the vocabulary table lists them in does not matter.
fn token_digests(conn: &Connection, vocab: &str) -> Result<std::collections::HashMap<i64, u64>> {
    use std::hash::{Hash, Hasher};
    let mut digests = std::collections::HashMap::new();
    let mut stmt = conn.prepare(&format!("SELECT doc, term, offset FROM {vocab}"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (r.get_ref(1)?.as_bytes().map_err(rusqlite::Error::from)?, r.get::<_, i64>(2)?).hash(&mut h);
        let d: &mut u64 = digests.entry(r.get(0)?).or_default();
        *d = d.wrapping_add(h.finish());
    }
    Ok(digests)
}

/// Writes the search entry of a record just created, whose text was made from its input
/// (`entry_text_of_new`): there is nothing to read back.
pub(crate) fn write_new(conn: &Connection, entity: Entity, id: i64, text: String) -> Result<()> {
    write_entries(conn, vec![packed_entry(id * 4 + tag(entity), &text)])
}

/// Rebuilds a record's search entry.
pub fn reindex(conn: &Connection, entity: Entity, id: i64) -> Result<()> {
    let rowid = id * 4 + tag(entity);
    conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?.execute([rowid])?;
    write_entries(conn, entries_in_file(conn, entity, "WHERE t.id = ?1", &[&id])?)
}

/// Rebuilds the search entries of every record.
pub fn reindex_all(conn: &Connection) -> Result<()> {
    let entries = all_entries(conn)?;
    // Contentless: emptied by its own command, not row by row.
    conn.execute("INSERT INTO search (search) VALUES ('delete-all')", [])?;
    write_entries(conn, entries)
}

/// Every record's search entry, read from the file, for `write_entries`.
pub fn all_entries(conn: &Connection) -> Result<Vec<Value>> {
    let mut all = Vec::new();
    for entity in Entity::ALL {
        all.extend(entries_in_file(conn, entity, "", &[])?);
    }
    Ok(all)
}

/// A bulk load's entries once its rows are written: `pending` (the records it created) with
/// the entries of `changed` records of `entity` (merged into or replaced by a row) read again
/// from the file, and the rowids of the entries these replace (`write_replacing`). A record
/// created and then merged into by a later row has its entry once, as the file has it.
pub(crate) fn entries_after_changes(
    conn: &Connection,
    pending: PendingEntries,
    entity: Entity,
    changed: &[i64],
) -> Result<(Entries, Vec<i64>)> {
    if changed.is_empty() {
        return Ok((pending.into_entries(Default::default(), Vec::new())?, Vec::new()));
    }
    let replaced: Vec<i64> = changed.iter().map(|id| id * 4 + tag(entity)).collect();
    let stale: std::collections::HashSet<i64> = replaced.iter().copied().collect();
    let list = serde_json::to_string(changed).unwrap_or_else(|_| "[]".into());
    let fresh = entries_in_file(conn, entity, "WHERE t.id IN (SELECT value FROM json_each(?1))", &[&list])?;
    Ok((pending.into_entries(stale, fresh)?, replaced))
}

/// The rowid in front of a `packed_entry`.
fn rowid_of_packed(entry: &Value) -> i64 {
    match entry {
        Value::Text(t) => t.get(..ROWID_DIGITS).and_then(|d| d.parse().ok()).unwrap_or(-1),
        _ => -1,
    }
}

/// Removes the entries at `replaced` rowids (those there are), then writes `entries`, a chunk
/// per statement.
pub(crate) fn write_replacing(conn: &Connection, entries: Entries, replaced: &[i64]) -> Result<()> {
    if !replaced.is_empty() {
        let list = serde_json::to_string(replaced).unwrap_or_else(|_| "[]".into());
        conn.execute("DELETE FROM search WHERE rowid IN (SELECT value FROM json_each(?1))", [&list])?;
    }
    for chunk in entries {
        write_entries(conn, chunk?)?;
    }
    Ok(())
}

/// Removes a record's search entry.
pub fn remove(conn: &Connection, entity: Entity, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?.execute([id * 4 + tag(entity)])?;
    Ok(())
}

/// Turns what a person typed into an FTS5 query: every word must match as a prefix; a
/// phone-like query becomes one run of digits. `None` when nothing searchable is left.
pub fn fts_query(text: &str) -> Option<String> {
    let t = text.trim();
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if phone_like(t) && digits.len() >= 2 {
        return Some(format!("\"{digits}\"*"));
    }
    let words: Vec<String> =
        t.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| format!("\"{w}\"*")).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Only digits and what people type between them in a phone number (`+33 6.12-34`).
pub(crate) fn phone_like(text: &str) -> bool {
    text.trim().chars().all(|c| c.is_ascii_digit() || " +.-()/".contains(c))
}

/// How many of the newest matches of each kind of record a search ranks. A three-letter
/// prefix such as "mar" matches 18,000 records of the 100k demo: the newest 500 leads,
/// contacts, companies and deals that match are read and ranked by how they match their
/// names (`domain::search::name_match`). Per kind, so that the contacts and companies that
/// match are not crowded out by newer leads. Once more letters are typed, fewer records
/// match and every one of them is ranked.
pub(crate) const RANKED_PER_KIND: usize = 500;

/// Search index rowids matching `q`, newest first.
fn newest_matches(conn: &Connection, q: &str, limit: usize) -> Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT ?2")?;
    Ok(stmt.query_map(params![q, limit as i64], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}

/// Search index rowids matching `q`: the newest `per_kind` matches of each kind of record
/// (rowid % 4), each kind newest first.
fn newest_per_kind(conn: &Connection, q: &str, per_kind: usize) -> Result<Vec<i64>> {
    // Each inner LIMIT keeps its subquery from being flattened.
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let kinds: Vec<String> = (0..4)
            .map(|tag| {
                format!(
                    "SELECT * FROM (SELECT rowid FROM search WHERE search MATCH ?1 AND rowid % 4 = {tag} \
                     ORDER BY rowid DESC LIMIT ?2)"
                )
            })
            .collect();
        kinds.join(" UNION ALL ")
    });
    let mut stmt = conn.prepare_cached(&SQL)?;
    Ok(stmt.query_map(params![q, per_kind as i64], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}

/// The names (`domain::search::name_match`) of the records of a kind whose ids are in a
/// list: a person's first, middle and last names (together one name), then the titles.
fn names_sql(entity: Entity) -> &'static str {
    match entity {
        Entity::Lead => {
            "SELECT id, first_name, middle_name, last_name, title, company_title FROM leads WHERE id IN rarray(?1)"
        }
        Entity::Contact => "SELECT id, first_name, middle_name, last_name FROM contacts WHERE id IN rarray(?1)",
        Entity::Company => "SELECT id, NULL, NULL, NULL, title FROM companies WHERE id IN rarray(?1)",
        Entity::Deal => "SELECT id, NULL, NULL, NULL, title FROM deals WHERE id IN rarray(?1)",
    }
}

/// How each of `rowids` matches `words` by its names, read in one statement per kind of
/// record.
fn name_matches(conn: &Connection, rowids: &[i64], words: &[String]) -> Result<HashMap<i64, NameMatch>> {
    let mut out = HashMap::with_capacity(rowids.len());
    let mut person = String::new();
    for entity in Entity::ALL {
        let ids: Vec<Value> = rowids.iter().filter(|r| *r % 4 == tag(entity)).map(|r| Value::Integer(r / 4)).collect();
        if ids.is_empty() {
            continue;
        }
        let mut stmt = conn.prepare_cached(names_sql(entity))?;
        let columns = stmt.column_count();
        let mut rows = stmt.query([std::rc::Rc::new(ids)])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let text = |i: usize| -> Result<Option<&str>> {
                if i >= columns {
                    return Ok(None);
                }
                Ok(r.get_ref(i)?.as_str_or_null().map_err(rusqlite::Error::from)?)
            };
            person.clear();
            for part in [text(1)?, text(2)?, text(3)?].into_iter().flatten() {
                person.push(' ');
                person.push_str(part);
            }
            let found = name_match(words, [Some(person.as_str()), text(4)?, text(5)?]);
            out.insert(id * 4 + tag(entity), found);
        }
    }
    Ok(out)
}

/// How many of the newest records of each kind holding every word typed as a whole word have
/// their names read first, to find those named exactly that way: "dupont" is a whole word
/// of thousands of records of the 100k demo, and reading the names of the newest 500 of
/// each kind cost 4 ms of a keystroke.
pub(crate) const WHOLE_PER_KIND: usize = 125;

/// Search index rowids matching `q` (made of `text`), names first (`name_match`: exact,
/// whole words, word prefixes, the rest), newest first within each rank, among the newest
/// matches (`wanted` of them when `short`, else the newest `RANKED_PER_KIND` of each kind):
/// the first `enough` of them are exactly those, the rest may be out of order. Only a record
/// holding every word typed as a whole word can match a name exactly or word for word: the
/// names of the newest of those (`WHOLE_PER_KIND` of each kind) are read first, then the
/// others' a handful at a time, newest first, until `enough` match by name. A record named
/// exactly that way but older than those comes among the whole words or prefixes of names.
fn by_names(conn: &Connection, text: &str, q: &str, short: bool, wanted: usize, enough: usize) -> Result<Vec<i64>> {
    let words = words(text);
    let newest = |q: &str, per_kind: usize| {
        if short { newest_matches(conn, q, wanted) } else { newest_per_kind(conn, q, per_kind.max(wanted)) }
    };
    let whole: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    let mut rank = name_matches(conn, &newest(&whole.join(" "), WHOLE_PER_KIND)?, &words)?;
    let mut found = rank.values().filter(|m| **m != NameMatch::Other).count();
    let mut unread: Vec<i64> = newest(q, RANKED_PER_KIND)?.into_iter().filter(|r| !rank.contains_key(r)).collect();
    unread.sort_unstable_by(|a, b| b.cmp(a));
    let mut read = 0;
    while found < enough && read < unread.len() {
        let batch = &unread[read..unread.len().min(read + enough.max(8))];
        let more = name_matches(conn, batch, &words)?;
        found += more.values().filter(|m| **m != NameMatch::Other).count();
        rank.extend(more);
        read += batch.len();
    }
    let mut ranked: Vec<i64> = rank.keys().copied().collect();
    ranked.sort_unstable_by_key(|r| (rank[r], std::cmp::Reverse(*r)));
    ranked.extend_from_slice(&unread[read..]);
    Ok(ranked)
}

impl Store {
    fn search_now(&self, text: &str, limit: usize, sight: &Sight) -> Result<Vec<Hit>> {
        // One character matches nearly everything: wait for a second one.
        if text.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            return Ok(vec![]);
        }
        let Some(q) = fts_query(text) else { return Ok(vec![]) };
        let wanted = limit * 4;
        let rowids = if phone_like(text) {
            // A phone is one token of no name: newest first. "336" matches every French mobile.
            newest_matches(self.conn(), &q, wanted)?
        } else {
            // Short words match too much to read the names of the newest 500 of each kind:
            // the newest matches are ranked then.
            let short = text.split_whitespace().all(|w| w.chars().count() < 3);
            let seen_all = Entity::ALL.into_iter().all(|e| *sight.of(e) == Visibility::All);
            // Enough for the hits, and some when the hidden records are left out.
            by_names(self.conn(), text, &q, short, wanted, if seen_all { limit } else { wanted })?
        };
        let mut hits = Vec::new();
        for rowid in rowids {
            let (entity, id) = (entity_of_tag(rowid % 4), rowid / 4);
            if *sight.of(entity) != Visibility::All && self.get(RecordRef::new(entity, id), sight).is_err() {
                continue;
            }
            let title =
                super::records::title_of(self.conn(), entity, id).unwrap_or_else(|_| display_title(entity, id, None));
            let client = if entity == Entity::Lead { lead_client(self.conn(), id)? } else { String::new() };
            hits.push(Hit { entity, id, title, client, document: None });
            if hits.len() == limit {
                break;
            }
        }
        Ok(hits)
    }
}

impl Search for Store {
    /// Searches every record type, best matches first, only among records the user may see.
    fn search(&self, text: &str, limit: usize, sight: &Sight) -> Result<Vec<Hit>> {
        // The hits, their visibility and titles come from one state of the file.
        self.reading(|s| s.search_now(text, limit, sight))
    }
}

#[cfg(test)]
mod tests;
