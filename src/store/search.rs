//! Full-text search (FTS5) over names, titles, company titles, phones and e-mails of every
//! record. The entry of a record is rebuilt in the transaction that changes it.

use super::{Result, Store};
use crate::domain::access::Visibility;
use crate::domain::fields::{Entity, display_title};
use rusqlite::{Connection, params};
use serde::Serialize;

/// Entity tag in the low bits of a search rowid (`rowid = id * 4 + tag`).
pub fn tag(entity: Entity) -> i64 {
    match entity {
        Entity::Lead => 0,
        Entity::Contact => 1,
        Entity::Company => 2,
        Entity::Deal => 3,
    }
}

fn entity_of_tag(tag: i64) -> Entity {
    match tag {
        0 => Entity::Lead,
        1 => Entity::Contact,
        2 => Entity::Company,
        _ => Entity::Deal,
    }
}

/// SQL expression (over alias `t` of the entity's table) of the text indexed for a record:
/// names and titles, then every phone/e-mail/web value; phones also as bare digits, both as
/// typed and in international form, so `0612` and `33612` find `06 12 34 56 78`. Built in SQL
/// so that a bulk rebuild is one statement.
fn body_sql(entity: Entity) -> String {
    let names = match entity {
        Entity::Lead => "concat_ws(' ', t.title, t.first_name, t.middle_name, t.last_name, t.company_title)",
        Entity::Contact => "concat_ws(' ', t.first_name, t.middle_name, t.last_name, t.position)",
        Entity::Company => "concat_ws(' ', t.title, t.industry)",
        Entity::Deal => "t.title",
    };
    let digits = "replace(replace(replace(replace(replace(replace(replace(c.value, ' ', ''), '.', ''), '-', ''), '(', ''), ')', ''), '+', ''), '/', '')";
    format!(
        "concat_ws(' ', {names}, (SELECT group_concat(CASE c.kind WHEN 'phone' THEN {digits} || ' ' || replace(c.normalized, '+', '') \
         ELSE c.value END, ' ') FROM comms c WHERE c.entity = '{code}' AND c.entity_id = t.id))",
        code = entity.code()
    )
}

/// Rebuilds a record's search entry.
pub fn reindex(conn: &Connection, entity: Entity, id: i64) -> Result<()> {
    let rowid = id * 4 + tag(entity);
    conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?.execute([rowid])?;
    conn.prepare_cached(&insert_sql(entity, "WHERE t.id = ?1"))?.execute([id])?;
    Ok(())
}

/// The statement that makes the search entries of the records of `entity` that `filter`
/// (over alias `t`) keeps: one record, some, or all.
fn insert_sql(entity: Entity, filter: &str) -> String {
    format!(
        "INSERT INTO search (rowid, body) SELECT t.id * 4 + {tag}, {body} FROM {table} t {filter}",
        tag = tag(entity),
        body = body_sql(entity),
        table = entity.table()
    )
}

/// Rebuilds the search entries of every record, one statement per entity: after a bulk load.
pub fn reindex_all(conn: &Connection) -> Result<()> {
    // Contentless: emptied by its own command, not row by row.
    conn.execute("INSERT INTO search (search) VALUES ('delete-all')", [])?;
    for entity in Entity::ALL {
        conn.execute(&insert_sql(entity, ""), [])?;
    }
    Ok(())
}

/// Rebuilds the search entries of many records of one kind in two statements (a bulk load's
/// end: FTS5 flushes at every statement of a transaction it has been written in, so one
/// statement per record would be slow).
pub fn reindex_ids(conn: &Connection, entity: Entity, ids: &[i64]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    conn.execute(
        &format!("DELETE FROM search WHERE rowid IN (SELECT value * 4 + {} FROM json_each(?1))", tag(entity)),
        [&list],
    )?;
    index_new(conn, entity, ids)
}

/// Makes the search entries of many records of one kind that have none yet (created in a
/// bulk load), in one statement: deleting entries a contentless index does not hold still
/// costs a lookup each.
pub fn index_new(conn: &Connection, entity: Entity, ids: &[i64]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    conn.execute(&insert_sql(entity, "WHERE t.id IN (SELECT value FROM json_each(?1))"), [&list])?;
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
fn phone_like(text: &str) -> bool {
    text.trim().chars().all(|c| c.is_ascii_digit() || " +.-()/".contains(c))
}

/// One search result.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Hit {
    /// Kind of record.
    pub entity: Entity,
    /// Id.
    pub id: i64,
    /// Title shown.
    pub title: String,
}

/// How many of the newest matches of each kind of record a search ranks. A three-letter
/// prefix such as "mar" matches 18,000 records of the 100k demo, and ranking them all took
/// 14 ms of the 15 ms a keystroke may take; ranking the newest 500 leads, contacts,
/// companies and deals takes about 2.5 ms. Per kind, so that the contacts and companies
/// that match are not crowded out by newer leads. Once more letters are typed, fewer
/// records match and every one of them is ranked.
pub(crate) const RANKED_PER_KIND: usize = 500;

/// Search index rowids matching `q`, newest first.
fn newest_matches(conn: &Connection, q: &str, limit: usize) -> Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT ?2")?;
    Ok(stmt.query_map(params![q, limit as i64], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}

/// Search index rowids matching `q`, best first (bm25) among the newest `per_kind` matches
/// of each kind of record (rowid % 4); newer first among equals.
fn best_matches(conn: &Connection, q: &str, limit: usize, per_kind: usize) -> Result<Vec<i64>> {
    // Each inner LIMIT keeps its subquery from being flattened, so `rank` is computed for
    // the candidates only.
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let kinds: Vec<String> = (0..4)
            .map(|tag| {
                format!(
                    "SELECT * FROM (SELECT rowid, rank FROM search WHERE search MATCH ?1 AND rowid % 4 = {tag} \
                     ORDER BY rowid DESC LIMIT ?3)"
                )
            })
            .collect();
        format!("SELECT rowid FROM ({}) ORDER BY rank, rowid DESC LIMIT ?2", kinds.join(" UNION ALL "))
    });
    let mut stmt = conn.prepare_cached(&SQL)?;
    Ok(stmt.query_map(params![q, limit as i64, per_kind as i64], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Searches every record type, best matches first, only among records the user may see.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Hit>> {
        // The hits, their visibility and titles come from one state of the file.
        self.reading(|s| s.search_now(text, limit))
    }

    fn search_now(&self, text: &str, limit: usize) -> Result<Vec<Hit>> {
        // One character matches nearly everything: wait for a second one.
        if text.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            return Ok(vec![]);
        }
        let Some(q) = fts_query(text) else { return Ok(vec![]) };
        // Ranking every match of a short prefix costs more than it tells: newest first then.
        // So for digits: a phone is one token, its rank says nothing, and "336" matches every
        // French mobile (ranking them took 90 ms at 100k leads).
        let short = text.split_whitespace().all(|w| w.chars().count() < 3);
        let wanted = limit * 4;
        let rowids = if short || phone_like(text) {
            newest_matches(self.conn(), &q, wanted)?
        } else {
            best_matches(self.conn(), &q, wanted, RANKED_PER_KIND.max(wanted))?
        };
        let mut hits = Vec::new();
        for rowid in rowids {
            let (entity, id) = (entity_of_tag(rowid % 4), rowid / 4);
            if self.visibility(entity) != Visibility::All && self.get(entity, id).is_err() {
                continue;
            }
            let title =
                super::records::title_of(self.conn(), entity, id).unwrap_or_else(|_| display_title(entity, id, None));
            hits.push(Hit { entity, id, title });
            if hits.len() == limit {
                break;
            }
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file's search table, as the migrations make it, holding `(rowid, body)` entries.
    fn index_of(entries: &[(i64, &str)]) -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("search.db")).unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', \
             prefix = '2 3', content = '', contentless_delete = 1)",
        )
        .unwrap();
        for (rowid, body) in entries {
            conn.execute("INSERT INTO search (rowid, body) VALUES (?1, ?2)", params![rowid, body]).unwrap();
        }
        (dir, conn)
    }

    #[test]
    fn only_the_newest_candidates_of_each_kind_are_ranked() {
        // Leads 1 to 4 (rowid = id * 4): the oldest is the best match, the newest the worst.
        // Contact 1 (rowid 5) is older than leads 2 to 4.
        let (_dir, conn) = index_of(&[
            (4, "Martin"),
            (8, "Martin Dupuis"),
            (12, "Martin Dupuis Consulting Lyon"),
            (16, "Martin Dupuis Consulting Lyon Paris Rennes"),
            (5, "Martin Durand Conseil"),
        ]);
        let q = fts_query("mart").unwrap();
        assert_eq!(best_matches(&conn, &q, 10, 4).unwrap(), vec![4, 8, 5, 12, 16]);
        assert_eq!(best_matches(&conn, &q, 2, 4).unwrap(), vec![4, 8]);
        // Two candidates a kind: the two newest leads, and the contact all the same.
        assert_eq!(best_matches(&conn, &q, 10, 2).unwrap(), vec![5, 12, 16]);
        assert_eq!(newest_matches(&conn, &q, 3).unwrap(), vec![16, 12, 8]);
    }

    #[test]
    fn queries_from_typing() {
        assert_eq!(fts_query("06 12"), Some("\"0612\"*".into()));
        assert_eq!(fts_query("+33 6"), Some("\"336\"*".into()));
        assert_eq!(fts_query("jean dup"), Some("\"jean\"* \"dup\"*".into()));
        assert_eq!(fts_query("o'brien \"x"), Some("\"o\"* \"brien\"* \"x\"*".into()));
        assert_eq!(fts_query("  -- "), None);
    }
}
