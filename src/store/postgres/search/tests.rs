//! The PostgreSQL search's own cases (the contract suite holds the shared ones).

use super::*;

/// The newest matches are the same whether the newest entries hold enough of them or
/// the index is asked. (On the server `PROSPECT_TEST_PG` names.)
#[test]
fn the_newest_matches_are_found_among_the_newest_entries_or_through_the_index() {
    let Some(server) = super::super::scratch::server() else { return };
    let db = super::super::scratch::ScratchDb::create(&server).unwrap();
    let store = Store::open(&db.url, Default::default()).unwrap();
    let mut c = store.client();
    let st = StatementCache::default();
    // 3,000 leads and 30 deals, every one holding "0612…"; one lead in ten "rare".
    let leads: Vec<(i64, String)> =
        (1..=3000).map(|i| (i, format!("Lead {} 0612{i}", if i % 10 == 0 { "rare" } else { "common" }))).collect();
    write_entries(&mut *c, Entity::Lead, &leads).unwrap();
    let deals: Vec<(i64, String)> = (1..=30).map(|i| (i * 7, format!("Deal 0612{i}"))).collect();
    write_entries(&mut *c, Entity::Deal, &deals).unwrap();
    let q = |text: &str| ts_query(text).unwrap();
    let expect_leads = |every: i64, n: usize| -> Vec<i64> {
        (1..=3000).rev().filter(|i| i % every == 0).take(n).map(|i| i * 4 + tag(Entity::Lead)).collect()
    };
    // Found among the newest entries.
    assert_eq!(newest(&mut *c, &st, &q("0612"), Some(Entity::Lead), 80).unwrap(), expect_leads(1, 80));
    // Too few there: through the index.
    assert_eq!(newest(&mut *c, &st, &q("rare"), Some(Entity::Lead), 500).unwrap(), expect_leads(10, 500));
    assert_eq!(newest(&mut *c, &st, &q("rare"), Some(Entity::Lead), 80).unwrap(), expect_leads(10, 80));
    let deals_found = newest(&mut *c, &st, &q("0612"), Some(Entity::Deal), 500).unwrap();
    assert_eq!(deals_found, (1..=30).rev().map(|i| i * 7 * 4 + tag(Entity::Deal)).collect::<Vec<_>>());
    // Of every kind, newest first.
    let all = newest_matches(&mut *c, &st, &q("0612"), 20).unwrap();
    assert_eq!(all, expect_leads(1, 20));
    assert_eq!(newest(&mut *c, &st, &q("nothing"), None, 20).unwrap(), Vec::<i64>::new());
}

/// A repair rebuilds every entry; `db check` names the records whose entry differs from
/// what they hold, is missing, or outlived them. (On the server `PROSPECT_TEST_PG` names.)
#[test]
fn check_names_stale_entries_and_a_repair_rebuilds_them() {
    use crate::domain::comm::Comm;
    use crate::domain::dedup::PhoneRegion;
    let Some(server) = super::super::scratch::server() else { return };
    let db = super::super::scratch::ScratchDb::create(&server).unwrap();
    let mut store = Store::open(&db.url, Default::default()).unwrap();
    let mut input = crate::store::records::RecordInput {
        fields: vec![("title".into(), "Zoë Conseil".into())],
        ..Default::default()
    };
    input.comms.add = vec![Comm::new(CommKind::Phone, "", "06 12 34 56 78", PhoneRegion::FR).unwrap()];
    let a = store.create(Entity::Company, &input).unwrap().id;
    let b = store.create(Entity::Lead, &input).unwrap().id;
    let c = store.create(Entity::Deal, &input).unwrap().id;
    let mut client = store.client();
    assert_eq!(stale_entries(&mut *client).unwrap(), vec![]);
    let body: String =
        client.query_one("SELECT body FROM search WHERE entity = 'company' AND entity_id = $1", &[&a]).unwrap().get(0);
    assert_eq!(body, "Zoë Conseil 0612345678 33612345678");
    client.execute("UPDATE search SET words = to_tsvector('simple', body) WHERE entity = 'company'", &[]).unwrap();
    client.execute("DELETE FROM search WHERE entity = 'lead'", &[]).unwrap();
    client.execute("DELETE FROM deals WHERE id = $1", &[&c]).unwrap();
    let stale = stale_entries(&mut *client).unwrap();
    let mut expected =
        vec![RecordRef::new(Entity::Lead, b), RecordRef::new(Entity::Company, a), RecordRef::new(Entity::Deal, c)];
    expected.sort();
    let mut stale_sorted = stale.clone();
    stale_sorted.sort();
    assert_eq!(stale_sorted, expected, "{stale:?}");
    reindex_all(&mut *client).unwrap();
    assert_eq!(stale_entries(&mut *client).unwrap(), vec![]);
    drop(client);
    let hits = store.search("zoe cons", 10, &Sight::everything()).unwrap();
    let mut found: Vec<(Entity, i64)> = hits.iter().map(|h| (h.entity, h.id)).collect();
    found.sort();
    assert_eq!(found, vec![(Entity::Lead, b), (Entity::Company, a)]);
}

#[test]
fn typed_text_becomes_a_quoted_prefix_query() {
    assert_eq!(ts_query("Zoë  Cur").as_deref(), Some("'zoe':* & 'cur':*"));
    assert_eq!(ts_query("+33 6.12").as_deref(), Some("'33612':*"));
    assert_eq!(ts_query("hello@bright.example").as_deref(), Some("'hello':* & 'bright':* & 'example':*"));
    assert_eq!(ts_query(" -- ' \\ "), None);
    assert_eq!(ts_query("o'brien & !x | (y)").as_deref(), Some("'o':* & 'brien':* & 'x':* & 'y':*"));
    assert_eq!(quoted("it's a \\"), "'it''s a \\\\'");
}

#[test]
fn long_words_are_cut_alike_in_entries_and_queries() {
    let long = "é".repeat(400);
    let entry = lexemes(&format!("Zoë {long}"));
    let cut = entry.split(' ').nth(1).unwrap_or_default();
    assert!(cut.len() <= MAX_LEXEME && cut.chars().all(|c| c == 'e'), "{cut}");
    assert_eq!(ts_query(&long), Some(format!("'{cut}':*")));
    assert!(lexemes(&"word ".repeat(200_000)).len() <= MAX_ENTRY);
}
