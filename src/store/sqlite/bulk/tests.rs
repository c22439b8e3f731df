//! The bulk loads' own tests (their contract cases are in tests/store/bulk.rs).

use super::*;

/// Every fact the report triggers keep, as text, in an order of its own.
fn facts(store: &Store) -> Vec<String> {
    let queries = [
        "SELECT 'tally', * FROM record_tallies WHERE records <> 0 ORDER BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11",
        "SELECT 'activity', * FROM activity_tallies WHERE n <> 0 ORDER BY 2, 3, 4, 5, 6",
        "SELECT 'forecast', * FROM forecast_tallies WHERE deals <> 0 ORDER BY 2, 3, 4, 5, 6, 7, 8",
        // Moves and closing times as the instant of the load (each load has its own).
        "SELECT 'move', m.entity, m.record_id, m.stage_id, m.at = coalesce(l.moved_at, d.moved_at), m.first \
           FROM stage_moves m LEFT JOIN leads l ON m.entity = 'lead' AND l.id = m.record_id \
           LEFT JOIN deals d ON m.entity = 'deal' AND d.id = m.record_id ORDER BY 2, 3, m.id",
        "SELECT 'lead', id, closed_at IS NULL, closed_at = moved_at FROM leads ORDER BY id",
        "SELECT 'deal', id, closed_at IS NULL, closed_at = moved_at FROM deals ORDER BY id",
    ];
    let mut out = Vec::new();
    for sql in queries {
        let mut stmt = store.conn().prepare(sql).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                            rusqlite::types::Value::Integer(i) => i.to_string(),
                            rusqlite::types::Value::Text(t) => t,
                            other => format!("{other:?}"),
                        })
                    })
                    .collect()
            })
            .unwrap();
        out.extend(rows.map(|r: rusqlite::Result<Vec<String>>| r.unwrap().join("|")));
    }
    out
}

/// A bulk import that only adds records sets the report triggers aside and writes their
/// facts at its end: the same tallies, first stage moves and closing times as an import
/// row by row, for leads (handed out by the queue) and deals in open, won and lost stages.
#[test]
fn a_bulk_import_leaves_the_facts_an_import_row_by_row_leaves() {
    use crate::domain::import::DuplicateMode;
    use crate::store::RecordInput;
    use crate::store::import::{ImportOptions, ImportRow};
    let rows = |entity: Entity| -> Vec<ImportRow> {
        let stages: &[&str] = match entity {
            Entity::Lead => &["NEW", "IN_PROCESS", "CONVERTED", "JUNK"],
            _ => &["NEW", "WON", "LOSE"],
        };
        (0..120)
            .map(|i| {
                let fields = [
                    ("title", format!("Record {i}")),
                    ("stage", stages[i % stages.len()].to_string()),
                    ("amount", format!("{}", 100 + i * 7)),
                    ("currency", ["EUR", "USD"][i % 2].to_string()),
                    ("source", ["CALL", "WEB", "EMAIL"][i % 3].to_string()),
                ];
                let mut input = RecordInput {
                    fields: fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
                    ..Default::default()
                };
                if entity == Entity::Deal {
                    input.fields.push(("close_date".into(), format!("2026-{:02}-10", 1 + i % 12)));
                } else {
                    input.origin = Some("import".into());
                }
                let mut row = ImportRow::new(i as u64 + 2, Ok(input));
                row.created_at = Some(1_780_000_000_000 + i as i64 * 5_000_000);
                row
            })
            .collect()
    };
    let mut seen = Vec::new();
    for bulk in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("crm.db"), Default::default()).unwrap();
        use crate::store::engine::{Queue, Users};
        for login in ["anna", "ben"] {
            store.add_user(&crate::store::users::NewUser { login: login.into(), ..Default::default() }).unwrap();
        }
        store.set_queue(crate::domain::queue::QueueMode::Even, &["anna".into(), "ben".into()]).unwrap();
        for entity in [Entity::Lead, Entity::Deal] {
            let list = rows(entity);
            let opts = ImportOptions { duplicates: DuplicateMode::Skip, bulk, ..Default::default() };
            let report = store.import_from(entity, |from| list[from.min(list.len())..].to_vec(), opts, |_| {});
            let report = report.unwrap();
            assert_eq!(report.created, 120, "bulk={bulk} {entity:?} {:?}", report.rows);
        }
        seen.push(facts(&store));
    }
    assert!(seen[0].iter().any(|f| f.starts_with("tally|")) && seen[0].iter().any(|f| f.starts_with("forecast|")));
    // The queue handed the leads to anna and ben (ids 1 and 2), turn about.
    let responsibles: std::collections::BTreeSet<&str> =
        seen[0].iter().filter(|f| f.starts_with("tally|lead|")).filter_map(|f| f.split('|').nth(6)).collect();
    assert_eq!(responsibles.into_iter().collect::<Vec<_>>(), ["1", "2"]);
    let only = |a: &Vec<String>, b: &Vec<String>| a.iter().filter(|f| !b.contains(f)).cloned().collect::<Vec<_>>();
    assert_eq!(
        seen[0],
        seen[1],
        "row by row, then in bulk: {:?} / {:?}",
        only(&seen[0], &seen[1]),
        only(&seen[1], &seen[0])
    );
}

/// The demo's load (records and activities, only added) leaves the tallies that counting
/// them again from the records gives.
#[test]
fn the_demo_load_leaves_the_tallies_counting_them_again_gives() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("crm.db"), Default::default()).unwrap();
    crate::demo::generate(&mut store, crate::demo::DemoOptions { leads: 200, seed: 5 }).unwrap();
    let loaded = facts(&store);
    assert!(loaded.iter().any(|f| f.starts_with("activity|")) && loaded.iter().any(|f| f.starts_with("forecast|")));
    store.conn().execute_batch(super::super::migrate::TALLIES_REBUILD).unwrap();
    assert_eq!(loaded, facts(&store));
}

/// A bulk load keeps at most a chunk of search entries in memory (64 in unit tests), the
/// rest in its scratch file, and every record is found all the same.
#[test]
fn a_bulk_load_keeps_at_most_a_chunk_of_search_entries_in_memory() {
    use crate::store::engine::Search;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("crm.db"), Default::default()).unwrap();
    search::LAST_PEAK.set(0);
    let report = crate::demo::generate(&mut store, crate::demo::DemoOptions { leads: 300, seed: 3 }).unwrap();
    let peak = search::LAST_PEAK.get();
    assert!(peak > 0 && peak <= search::CHUNK, "{peak} entries in memory at once");
    let made = report.leads + report.contacts + report.companies + report.deals;
    let entries: i64 = store.conn().query_row("SELECT count(*) FROM search_docsize", [], |r| r.get(0)).unwrap();
    assert_eq!(entries as usize, made);
    // The first records made went to the scratch file: they are found.
    let first: String =
        store.conn().query_row("SELECT title FROM companies ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap();
    let word = first.split_whitespace().next().unwrap();
    assert!(
        store
            .search(word, 50, &crate::domain::access::Sight::everything())
            .unwrap()
            .iter()
            .any(|h| h.entity == Entity::Company),
        "{word}"
    );
}

/// Records handed to the sink by position: a contact's company, a deal's company and lead
/// get the ids the load gave them, and a lead with a contact's phone is a repeat lead of
/// it (the match keys in memory hold the contacts', not the leads').
#[test]
fn records_by_position_are_linked_and_a_repeat_lead_is_found() {
    use crate::domain::comm::{Comm, CommKind};
    use crate::domain::dedup::PhoneRegion;
    use crate::store::RecordInput;
    use crate::store::bulk::Stamp;
    use crate::store::engine::BulkSink;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("crm.db"), Default::default()).unwrap();
    let input = |fields: &[(&str, &str)], phone: &str| {
        let mut i = RecordInput {
            fields: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..Default::default()
        };
        i.comms.add.push(Comm::new(CommKind::Phone, "", phone, PhoneRegion::FR).unwrap());
        i
    };
    let stamp = Stamp { created: 1_700_000_000_000, user: 0 };
    let users =
        [BulkUser { login: "zoe".into(), name: "Zoé".into(), department: "Ventes".into(), role: "Manager".into() }];
    let make = |_: &BulkSetting, send: &mut dyn FnMut(Result<BulkRecord>) -> bool| {
        let records = [
            BulkRecord::Company { stamp, input: input(&[("title", "Atelier Nord")], "01 40 00 00 01") },
            BulkRecord::Company { stamp, input: input(&[("title", "Atelier Sud")], "01 40 00 00 02") },
            BulkRecord::Contact {
                stamp,
                input: input(&[("first_name", "Anne"), ("last_name", "Roux")], "06 11 22 33 44"),
                company: Some(1),
            },
            BulkRecord::Lead {
                stamp,
                input: input(&[("title", "Devis"), ("last_name", "Autre")], "06 11 22 33 44"),
                activities: vec![],
            },
            BulkRecord::Deal {
                stamp,
                input: input(&[("title", "Contrat")], "01 40 00 00 03"),
                company: 1,
                lead: Some(0),
            },
        ];
        for r in records {
            if !send(Ok(r)) {
                return;
            }
        }
    };
    let loaded = store.load_records(&users, &make).unwrap();
    assert_eq!(loaded.records, 5);
    let q = |sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    let sud = q("SELECT id FROM companies WHERE title = 'Atelier Sud'");
    let contact = q("SELECT id FROM contacts");
    let lead = q("SELECT id FROM leads");
    assert_eq!(q("SELECT company_id FROM contact_companies"), sud);
    assert_eq!(q("SELECT company_id FROM deals"), sud);
    assert_eq!(q("SELECT lead_id FROM deals"), lead);
    assert_eq!(q("SELECT is_repeat FROM leads"), 1);
    assert_eq!(q("SELECT contact_id FROM leads"), contact);
    assert_eq!(q("SELECT count(*) FROM users WHERE login = 'zoe'"), 1);
}

/// The ids of a load's records by position, kept as runs.
#[test]
fn positions_keep_runs_of_ids() {
    let mut p = Positions::default();
    for id in [5, 6, 7, 20, 21, 3] {
        p.push(id);
    }
    let got: Vec<Option<i64>> = (0..7).map(|n| p.get(n)).collect();
    assert_eq!(got, vec![Some(5), Some(6), Some(7), Some(20), Some(21), Some(3), None]);
    assert_eq!(p.runs.len(), 3);
}

/// A bulk load writes with SQLite's checks of references off: its own check at the end
/// must refuse a reference to nothing, and pass what the load resolved.
#[test]
fn a_reference_to_nothing_fails_the_load_at_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    drop(crate::store::sqlite::Store::open(&path, Default::default()).unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF; BEGIN").unwrap();
    let stage: i64 = conn.query_row("SELECT min(id) FROM stages", [], |r| r.get(0)).unwrap();
    let insert = "INSERT INTO leads (title, stage_id, created_at, modified_at, moved_at) VALUES ('x', ?1, 0, 0, 0)";
    conn.execute(insert, [stage]).unwrap();
    check_foreign_keys(&conn).unwrap();
    conn.execute(insert, [stage + 1000]).unwrap();
    let err = check_foreign_keys(&conn).unwrap_err().to_string();
    assert!(err.contains("leads row 2 pointing to a stages row that does not exist"), "{err}");
}
