//! Full-text search on PostgreSQL: the same entries and ranking as a file's. A record's entry
//! is its `entry_text` (`body`, the one definition both engines share) and `words`, the words
//! of that text as `domain::search::words` folds them (case and accents aside), made a
//! `tsvector` by `array_to_tsvector`: PostgreSQL's own parser would keep an e-mail or a host
//! whole where a file's tokenizer splits it at every mark, and fold accents its own way. A
//! query is every typed word as a prefix (`'word':*`, joined by `&`), folded by the same
//! function and quoted, so that nothing typed can break it; a phone-like query is one run of
//! digits. Matches are ranked by `domain::search::name_match` as a file's are.

use super::records::{title_of, visibility_sql};
use super::{Result, Store};
use super::{StatementCache, prepared};
use crate::domain::access::{Sight, Visibility};
use crate::domain::comm::CommKind;
use crate::domain::fields::{Entity, display_title};
use crate::domain::record::RecordRef;
use crate::domain::search::{NameMatch, name_match, words};
use crate::store::engine::*;
use crate::store::search::Hit;
use crate::store::sqlite::search::{
    RANKED_PER_KIND, WHOLE_PER_KIND, entity_of_tag, entry_text, phone_like, tag, text_columns,
};
use postgres::GenericClient;
use std::collections::HashMap;

/// Longest word an entry or a query keeps, in bytes (a lexeme may not pass 2 KB): a longer
/// one is cut at the same place on both sides, so it still finds itself.
const MAX_LEXEME: usize = 255;

/// Most bytes of words one entry keeps (a `tsvector` may not pass 1 MB).
const MAX_ENTRY: usize = 256 * 1024;

/// Most words of a query (what a person types is a few).
const MAX_QUERY_WORDS: usize = 32;

/// Entries written per statement.
const CHUNK: usize = 5_000;

/// `word` cut to `MAX_LEXEME` bytes at a character's boundary.
fn clip(word: &str) -> &str {
    if word.len() <= MAX_LEXEME {
        return word;
    }
    let mut end = MAX_LEXEME;
    while !word.is_char_boundary(end) {
        end -= 1;
    }
    &word[..end]
}

/// The words of `text` as an entry or a query holds them: folded (`domain::search::words`),
/// without spaces, cut to `MAX_LEXEME`.
fn folded_words(text: &str) -> impl Iterator<Item = String> {
    words(text).into_iter().flat_map(|w| w.split_whitespace().map(|p| clip(p).to_string()).collect::<Vec<_>>())
}

/// The words an entry with this `body` is found by, separated by spaces (what
/// `array_to_tsvector(string_to_array(.., ' '))` makes the `words` column of).
pub(crate) fn lexemes(body: &str) -> String {
    let mut out = String::new();
    for w in folded_words(body) {
        if out.len() + w.len() + 1 > MAX_ENTRY {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w);
    }
    out
}

/// A word quoted for a `tsquery` (whatever it holds, it stays one word).
fn quoted(word: &str) -> String {
    format!("'{}'", word.replace('\\', "\\\\").replace('\'', "''"))
}

/// Turns what a person typed into a `tsquery` (cast from text, `$n::text::tsquery`): every word
/// must match as a prefix; a phone-like query becomes one run of digits. `None` when nothing
/// searchable is left. The rule of `sqlite::search::fts_query`.
pub(crate) fn ts_query(text: &str) -> Option<String> {
    let t = text.trim();
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if phone_like(t) && digits.len() >= 2 {
        return Some(format!("{}:*", quoted(clip(&digits))));
    }
    let parts: Vec<String> = folded_words(t).take(MAX_QUERY_WORDS).map(|w| format!("{}:*", quoted(&w))).collect();
    (!parts.is_empty()).then(|| parts.join(" & "))
}

/// A `tsquery` holding every word of `words` whole.
fn whole_query(words: &[String]) -> Option<String> {
    let parts: Vec<String> =
        words.iter().flat_map(|w| w.split_whitespace()).take(MAX_QUERY_WORDS).map(|w| quoted(clip(w))).collect();
    (!parts.is_empty()).then(|| parts.join(" & "))
}

/// The condition a list's search filter adds on records of `entity` (alias `t`), and its
/// parameter (`$param`, text): `None` when nothing searchable was typed (the list is empty).
pub(crate) fn list_condition(entity: Entity, text: &str, param: usize) -> Option<(String, String)> {
    let q = ts_query(text)?;
    let sql = format!(
        "t.id IN (SELECT s.entity_id FROM search s WHERE s.entity = '{}' AND s.words @@ ${param}::text::tsquery)",
        entity.code()
    );
    Some((sql, q))
}

/// The search entries (id, `entry_text`) of the records of `entity` among `ids` (every one
/// when `None`), read from what is stored.
pub(crate) fn entries_of(
    c: &mut impl GenericClient,
    entity: Entity,
    ids: Option<&[i64]>,
) -> Result<Vec<(i64, String)>> {
    let cols = text_columns(entity);
    let sql = format!(
        "SELECT t.id, {}, {custom}, c.kind, c.value, c.normalized FROM {table} t LEFT JOIN comms c ON c.entity = $1 \
         AND c.entity_id = t.id {filter} ORDER BY t.id, c.id",
        cols.iter().map(|c| format!("t.{c}")).collect::<Vec<_>>().join(", "),
        custom = crate::store::custom_fields::searched_sql(entity, crate::store::custom_fields::Dialect::Postgres),
        table = entity.table(),
        filter = if ids.is_some() { "WHERE t.id = ANY($2)" } else { "" },
    );
    let rows = match ids {
        Some(ids) => c.query(&sql, &[&entity.code(), &ids])?,
        None => c.query(&sql, &[&entity.code()])?,
    };
    // (id, its text columns, its comms), one row per comm.
    type Stored = (i64, Vec<Option<String>>, Vec<(CommKind, String, String)>);
    let mut records: Vec<Stored> = Vec::new();
    let n = cols.len() + 1;
    for r in rows {
        let id: i64 = r.try_get(0)?;
        if records.last().is_none_or(|(last, ..)| *last != id) {
            let text = (1..=n)
                .map(|i| r.try_get::<_, Option<String>>(i))
                .collect::<std::result::Result<_, postgres::Error>>()?;
            records.push((id, text, Vec::new()));
        }
        let kind: Option<String> = r.try_get(n + 1)?;
        if let Some(kind) = kind.as_deref().and_then(CommKind::parse) {
            let (value, normalized): (String, String) = (r.try_get(n + 2)?, r.try_get(n + 3)?);
            if let Some((.., comms)) = records.last_mut() {
                comms.push((kind, value, normalized));
            }
        }
    }
    Ok(records
        .into_iter()
        .map(|(id, mut text, comms)| {
            let custom = text.pop().flatten();
            let body = entry_text(
                text.iter().map(Option::as_deref),
                comms.iter().map(|(k, v, n)| (*k, v.as_str(), n.as_str())),
            );
            (id, crate::store::custom_fields::with_searched(body, custom.as_deref()))
        })
        .collect())
}

/// Writes (or replaces) the search entries of records of `entity`: (id, `entry_text`), each
/// id once. A bulk load hands over the entries of the records it created, a chunk per
/// statement.
pub(crate) fn write_entries(c: &mut impl GenericClient, entity: Entity, entries: &[(i64, String)]) -> Result<()> {
    entries_written(c, entity, entries, true)
}

/// Writes the search entries of records just made: a plain insert, since an insert that may
/// update is held to the reading policy (row-level security), and a new record the queue
/// handed out of its maker's sight must still be found by those who see it.
pub(crate) fn write_new_entries(c: &mut impl GenericClient, entity: Entity, entries: &[(i64, String)]) -> Result<()> {
    entries_written(c, entity, entries, false)
}

fn entries_written(c: &mut impl GenericClient, entity: Entity, entries: &[(i64, String)], replace: bool) -> Result<()> {
    let on_conflict = if replace {
        " ON CONFLICT (entity_id, entity) DO UPDATE SET body = excluded.body, words = excluded.words"
    } else {
        ""
    };
    let sql = format!(
        "INSERT INTO search (entity, entity_id, body, words) \
         SELECT $1, u.id, u.body, array_to_tsvector(string_to_array(u.words, ' ')) \
         FROM unnest($2::bigint[], $3::text[], $4::text[]) AS u(id, body, words){on_conflict}"
    );
    for chunk in entries.chunks(CHUNK) {
        let ids: Vec<i64> = chunk.iter().map(|(id, _)| *id).collect();
        let bodies: Vec<&str> = chunk.iter().map(|(_, body)| body.as_str()).collect();
        let words: Vec<String> = chunk.iter().map(|(_, body)| lexemes(body)).collect();
        c.execute(&sql, &[&entity.code(), &ids, &bodies, &words])?;
    }
    Ok(())
}

/// Writes (or rewrites) the search entry of a record from what is stored now.
pub(crate) fn reindex(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<()> {
    let entries = entries_of(c, entity, Some(&[id]))?;
    if entries.is_empty() {
        return remove(c, entity, id);
    }
    write_entries(c, entity, &entries)
}

/// Removes a deleted record's entry.
pub(crate) fn remove(c: &mut impl GenericClient, entity: Entity, id: i64) -> Result<()> {
    c.execute("DELETE FROM search WHERE entity_id = $1 AND entity = $2", &[&id, &entity.code()])?;
    Ok(())
}

/// Rebuilds the search entries of every record (`db repair`, after a copy).
pub(crate) fn reindex_all(c: &mut impl GenericClient) -> Result<()> {
    c.execute("DELETE FROM search", &[])?;
    for entity in Entity::ALL {
        let entries = entries_of(c, entity, None)?;
        write_entries(c, entity, &entries)?;
    }
    Ok(())
}

/// Records whose search entry is not what their fields and comms give (`entry_text` and its
/// words), that have none, or that have one and no longer exist, for `db check`.
#[allow(dead_code)] // `maintenance::search_wrong` compares bodies only; this compares the words too
pub(crate) fn stale_entries(c: &mut impl GenericClient) -> Result<Vec<RecordRef>> {
    let mut stale = Vec::new();
    for entity in Entity::ALL {
        let entries = entries_of(c, entity, None)?;
        let ids: Vec<i64> = entries.iter().map(|(id, _)| *id).collect();
        let bodies: Vec<&str> = entries.iter().map(|(_, body)| body.as_str()).collect();
        let words: Vec<String> = entries.iter().map(|(_, body)| lexemes(body)).collect();
        let sql = format!(
            "SELECT u.id FROM unnest($2::bigint[], $3::text[], $4::text[]) AS u(id, body, words) \
             LEFT JOIN search s ON s.entity_id = u.id AND s.entity = $1 \
             WHERE s.entity_id IS NULL OR s.body <> u.body \
             OR s.words <> array_to_tsvector(string_to_array(u.words, ' ')) \
             UNION SELECT s.entity_id FROM search s WHERE s.entity = $1 \
             AND NOT EXISTS (SELECT 1 FROM {} t WHERE t.id = s.entity_id) ORDER BY 1",
            entity.table()
        );
        for r in c.query(&sql, &[&entity.code(), &ids, &bodies, &words])? {
            stale.push(RecordRef::new(entity, r.try_get(0)?));
        }
    }
    Ok(stale)
}

/// A search row's place in the order of a file's search index (`id * 4 + tag`): newest
/// first is highest first.
const ROWID: &str =
    "s.entity_id * 4 + CASE s.entity WHEN 'lead' THEN 0 WHEN 'contact' THEN 1 WHEN 'company' THEN 2 ELSE 3 END";

/// How many of the newest entries (of a kind, or of all) a query looks through first for its
/// `n` newest matches: a prefix such as `06` matches nearly every record, and the server
/// cannot tell (each phone is a word of its own), so the index would hand over every match
/// to be sorted (60 ms for 100k records); the newest few thousand entries hold enough of
/// them. Otherwise the index is asked.
fn window(n: usize) -> i64 {
    n.saturating_mul(10).clamp(1_000, 10_000) as i64
}

/// Rowids (`ROWID`) of the newest `n` entries matching `q`, of kind `kind` or of any: looked
/// for among the newest entries first (`window`), then through the index when those do not
/// hold `n` matches. Exactly the newest either way (of the same id, kinds in the order of
/// their codes).
fn newest(
    c: &mut impl GenericClient,
    st: &StatementCache,
    q: &str,
    kind: Option<Entity>,
    n: usize,
) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let (cond, order) = match kind {
        Some(e) => (format!("s.entity = '{}'", e.code()), "s.entity_id DESC"),
        None => ("TRUE".to_string(), "s.entity_id DESC, s.entity DESC"),
    };
    let ids = |rows: Vec<postgres::Row>| {
        rows.iter().map(|r| r.try_get(0)).collect::<std::result::Result<Vec<i64>, postgres::Error>>()
    };
    let recent = format!(
        "SELECT {ROWID} FROM (SELECT s.entity_id, s.entity, s.words FROM search s WHERE {cond} ORDER BY {order} \
         LIMIT $3) s WHERE s.words @@ $1::text::tsquery ORDER BY {order} LIMIT $2"
    );
    let recent = prepared(c, st, &recent)?;
    let found = ids(c.query(&recent, &[&q, &(n as i64), &window(n)])?)?;
    if found.len() >= n {
        return Ok(found);
    }
    // Through each kind's index (`search_words_<kind>`): the kind is named in each part.
    let kinds: Vec<Entity> = kind.map_or_else(|| Entity::ALL.to_vec(), |e| vec![e]);
    let parts: Vec<String> = kinds
        .iter()
        .map(|e| {
            format!(
                "(SELECT {ROWID} AS rowid, s.entity_id, s.entity FROM search s WHERE s.entity = '{}' \
                 AND s.words @@ $1::text::tsquery ORDER BY s.entity_id DESC LIMIT $2)",
                e.code()
            )
        })
        .collect();
    let order = order.replace("s.", "u.");
    let all = format!("SELECT u.rowid FROM ({}) u ORDER BY {order} LIMIT $2", parts.join(" UNION ALL "));
    Ok(ids(c.query(&all, &[&q, &(n as i64)])?)?)
}

/// Rowids of the newest `limit` entries matching `q`, newest first.
fn newest_matches(c: &mut impl GenericClient, st: &StatementCache, q: &str, limit: usize) -> Result<Vec<i64>> {
    let mut found = newest(c, st, q, None, limit)?;
    found.sort_unstable_by(|a, b| b.cmp(a));
    Ok(found)
}

/// Rowids of the entries matching `q`: the newest `per_kind` of each kind of record, in one
/// statement through the index. Only for words of three letters or more, which the planner
/// can size from the words' statistics (it walks the newest entries for a common word, reads
/// the index for a rare one); shorter words and phone numbers go through `newest_matches`.
/// Looking among the newest 10,000 entries of each kind first cost 20 ms a keystroke.
fn newest_per_kind(c: &mut impl GenericClient, q: &str, per_kind: usize) -> Result<Vec<i64>> {
    if per_kind == 0 {
        return Ok(Vec::new());
    }
    let parts: Vec<String> = Entity::ALL
        .iter()
        .map(|e| {
            format!(
                "(SELECT {ROWID} FROM search s WHERE s.entity = '{}' AND s.words @@ $1::text::tsquery \
                 ORDER BY s.entity_id DESC LIMIT $2)",
                e.code()
            )
        })
        .collect();
    // Planned for these words each time (not prepared once): a plan made for any words
    // would walk the index for a rare one or sort every match of a common one. Sent with its
    // parameters' types, in one round trip (not a prepare, a run and a close).
    let sql = parts.join(" UNION ALL ");
    let rows = c.query_typed(sql.as_str(), &[(&q, super::TEXT), (&(per_kind as i64), super::INT8)])?;
    Ok(rows.iter().map(|r| r.try_get(0)).collect::<std::result::Result<Vec<i64>, postgres::Error>>()?)
}

/// The names (`domain::search::name_match`) of the records of a kind among a list of ids: a
/// person's first, middle and last names (together one name), then the titles.
fn names_sql(entity: Entity) -> &'static str {
    match entity {
        Entity::Lead => {
            "SELECT id, first_name, middle_name, last_name, title, company_title FROM leads WHERE id = ANY($1)"
        }
        Entity::Contact => "SELECT id, first_name, middle_name, last_name FROM contacts WHERE id = ANY($1)",
        Entity::Company => "SELECT id, NULL::text, NULL::text, NULL::text, title FROM companies WHERE id = ANY($1)",
        Entity::Deal => "SELECT id, NULL::text, NULL::text, NULL::text, title FROM deals WHERE id = ANY($1)",
    }
}

/// How each of `rowids` matches `words` by its names, one statement per kind of record.
fn name_matches(
    c: &mut impl GenericClient,
    st: &StatementCache,
    rowids: &[i64],
    words: &[String],
) -> Result<HashMap<i64, NameMatch>> {
    let mut out = HashMap::with_capacity(rowids.len());
    for entity in Entity::ALL {
        let ids: Vec<i64> = rowids.iter().filter(|r| *r % 4 == tag(entity)).map(|r| r / 4).collect();
        if ids.is_empty() {
            continue;
        }
        let names = prepared(c, st, names_sql(entity))?;
        for r in c.query(&names, &[&ids])? {
            let id: i64 = r.try_get(0)?;
            let mut text = Vec::with_capacity(5);
            for i in 1..r.len() {
                text.push(r.try_get::<_, Option<String>>(i)?);
            }
            let person: String = text.iter().take(3).flatten().fold(String::new(), |mut p, part| {
                p.push(' ');
                p.push_str(part);
                p
            });
            let titles = text.iter().skip(3).map(Option::as_deref);
            let found = name_match(words, std::iter::once(Some(person.as_str())).chain(titles));
            out.insert(id * 4 + tag(entity), found);
        }
    }
    Ok(out)
}

/// Rowids matching `q` (made of `text`), names first, newest first within each rank: the
/// rule and the bounds of `sqlite::search::by_names` (the names of the newest records holding
/// every word whole are read first, then the others' a handful at a time until `enough` match
/// by name).
fn by_names(
    c: &mut impl GenericClient,
    st: &StatementCache,
    text: &str,
    q: &str,
    short: bool,
    wanted: usize,
    enough: usize,
) -> Result<Vec<i64>> {
    let words = words(text);
    let newest = |c: &mut _, q: &str, per_kind: usize| {
        if short { newest_matches(c, st, q, wanted) } else { newest_per_kind(c, q, per_kind.max(wanted)) }
    };
    let mut rank = match whole_query(&words) {
        Some(whole) => {
            let rowids = newest(c, &whole, WHOLE_PER_KIND)?;
            name_matches(c, st, &rowids, &words)?
        }
        None => HashMap::new(),
    };
    let mut found = rank.values().filter(|m| **m != NameMatch::Other).count();
    let mut unread: Vec<i64> = newest(c, q, RANKED_PER_KIND)?.into_iter().filter(|r| !rank.contains_key(r)).collect();
    unread.sort_unstable_by(|a, b| b.cmp(a));
    let mut read = 0;
    while found < enough && read < unread.len() {
        let batch = &unread[read..unread.len().min(read + enough.max(8))];
        let more = name_matches(c, st, batch, &words)?;
        found += more.values().filter(|m| **m != NameMatch::Other).count();
        rank.extend(more);
        read += batch.len();
    }
    let mut ranked: Vec<i64> = rank.keys().copied().collect();
    ranked.sort_unstable_by_key(|r| (rank[r], std::cmp::Reverse(*r)));
    ranked.extend_from_slice(&unread[read..]);
    Ok(ranked)
}

/// What a hit shows of a record, and whether the user may see it.
struct Shown {
    visible: bool,
    title: String,
    client: String,
}

/// What each of `rowids` shows (`title_of`, a lead's person and company) and whether `sight`
/// lets it through, in one statement for every kind: a record per statement was a round
/// trip each, three per hit. A rowid whose record is gone is left out.
fn shown(
    c: &mut impl GenericClient,
    st: &StatementCache,
    rowids: &[i64],
    sight: &Sight,
) -> Result<HashMap<i64, Shown>> {
    let mut params: super::records::Params = Vec::new();
    let mut parts = Vec::with_capacity(4);
    for entity in Entity::ALL {
        let ids: Vec<i64> = rowids.iter().filter(|r| *r % 4 == tag(entity)).map(|r| r / 4).collect();
        params.push(Box::new(ids));
        let ids_param = params.len();
        let (cond, vparams) = visibility_sql(sight.of(entity), "t", ids_param + 1);
        params.extend(vparams);
        let (title, client) = match entity {
            Entity::Lead => (
                "t.title",
                "trim(coalesce(t.first_name, '') || ' ' || coalesce(t.last_name, '')), coalesce(t.company_title, '')",
            ),
            Entity::Contact => ("trim(coalesce(t.first_name,'') || ' ' || coalesce(t.last_name,''))", "'', ''"),
            Entity::Company | Entity::Deal => ("t.title", "'', ''"),
        };
        parts.push(format!(
            "SELECT t.id * 4 + {tag}, ({cond}), {title}, {client} FROM {table} t WHERE t.id = ANY(${ids_param})",
            tag = tag(entity),
            table = entity.table(),
        ));
    }
    let mut out = HashMap::with_capacity(rowids.len());
    let sql = prepared(c, st, &parts.join(" UNION ALL "))?;
    for r in c.query(&sql, &super::records::refs(&params))? {
        let rowid: i64 = r.try_get(0)?;
        let entity = entity_of_tag(rowid % 4);
        let title: Option<String> = r.try_get(2)?;
        let (person, company): (String, String) = (r.try_get(3)?, r.try_get(4)?);
        let client = [person, company].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" · ");
        out.insert(
            rowid,
            Shown { visible: r.try_get(1)?, title: display_title(entity, rowid / 4, title.as_deref()), client },
        );
    }
    Ok(out)
}

/// Search on one snapshot: the hits, best first, among the records `sight` lets through.
fn search_in(
    c: &mut impl GenericClient,
    st: &StatementCache,
    text: &str,
    limit: usize,
    sight: &Sight,
) -> Result<Vec<Hit>> {
    // One character matches nearly everything: wait for a second one.
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return Ok(vec![]);
    }
    let Some(q) = ts_query(text) else { return Ok(vec![]) };
    let wanted = limit.saturating_mul(4);
    let seen_all = Entity::ALL.into_iter().all(|e| *sight.of(e) == Visibility::All);
    let rowids = if phone_like(text) {
        // A phone is one word of no name: newest first.
        newest_matches(c, st, &q, wanted)?
    } else {
        let short = text.split_whitespace().all(|w| w.chars().count() < 3);
        by_names(c, st, text, &q, short, wanted, if seen_all { limit } else { wanted })?
    };
    let mut hits = Vec::new();
    let mut at = 0;
    while hits.len() < limit && at < rowids.len() {
        // Every record shows when the user sees all; otherwise some are passed over.
        let missing = limit - hits.len();
        let take = if seen_all { missing } else { missing.saturating_mul(2).max(32) };
        let batch = &rowids[at..rowids.len().min(at + take)];
        at += batch.len();
        let mut found = shown(c, st, batch, sight)?;
        for rowid in batch {
            if hits.len() >= limit {
                break;
            }
            let (entity, id) = (entity_of_tag(rowid % 4), rowid / 4);
            let hit = match found.remove(rowid) {
                Some(s) if s.visible => Hit { entity, id, title: s.title, client: s.client, document: None },
                Some(_) => continue,
                // An entry that outlived its record: shown as a file's search shows it, to a
                // user who sees every record of its kind.
                None if *sight.of(entity) == Visibility::All => {
                    let title = title_of(c, entity, id).unwrap_or_else(|_| display_title(entity, id, None));
                    Hit { entity, id, title, client: String::new(), document: None }
                }
                None => continue,
            };
            hits.push(hit);
        }
    }
    Ok(hits)
}

impl Search for Store {
    /// Searches every record type, best matches first, only among records the user may see.
    fn search(&self, text: &str, limit: usize, sight: &Sight) -> Result<Vec<Hit>> {
        // The hits, their visibility and titles come from one snapshot.
        self.reading(|s| {
            let mut c = s.client();
            search_in(&mut *c, &s.stmts, text, limit, sight)
        })
    }
}

#[cfg(test)]
mod tests;
