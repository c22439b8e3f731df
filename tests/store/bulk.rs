//! Bulk loads: the demo generator and a bulk import, then counts, lists and a search on
//! what they wrote.

use crate::{TestEngine, input_with};
use prospect::demo::DemoOptions;
use prospect::domain::fields::Entity;
use prospect::store::ListFilter;
use prospect::store::RecordRef;
use prospect::store::import::{ImportOptions, ImportRow};
use prospect::store::totals::ColumnHead;

pub fn a_demo_load_is_counted_listed_and_searchable(mut eng: TestEngine) {
    let mark = eng.last_change().unwrap();
    let report = eng.load_demo(DemoOptions { leads: 400, seed: 7 }).unwrap();
    assert_eq!(report.leads, 400);
    assert_eq!(eng.count(Entity::Lead).unwrap(), 400);
    assert_eq!(eng.count(Entity::Contact).unwrap(), report.contacts as i64);
    assert_eq!(eng.count(Entity::Company).unwrap(), report.companies as i64);
    assert_eq!(eng.count(Entity::Deal).unwrap(), report.deals as i64);
    assert!(report.contacts > 0 && report.companies > 0 && report.deals > 0, "{report:?}");

    // Every lead is in one stage of the board.
    let (_, stages) = eng.stages(Entity::Lead, None).unwrap();
    let per_stage: i64 = stages
        .iter()
        .map(|s| {
            eng.list_count(Entity::Lead, &ListFilter { stage: Some(s.stage.code.clone()), ..Default::default() })
                .unwrap()
        })
        .sum();
    assert_eq!(per_stage, 400);

    // The boards' column totals (kept aside by the engine) are the lists' counts and sums.
    let (_, columns) = eng.board(Entity::Lead, None).unwrap();
    board_is_the_lists(&eng, Entity::Lead, None, &columns);
    assert_eq!(columns.iter().map(|c| c.count).sum::<i64>(), 400);
    let mut deals_on_boards = 0;
    for pipeline in eng.pipelines(Entity::Deal).unwrap() {
        let (_, columns) = eng.board(Entity::Deal, Some(&pipeline.name)).unwrap();
        board_is_the_lists(&eng, Entity::Deal, Some(&pipeline.name), &columns);
        deals_on_boards += columns.iter().map(|c| c.count).sum::<i64>();
    }
    assert_eq!(deals_on_boards, report.deals as i64, "every deal on one board");
    let (_, deal_columns) = eng.board(Entity::Deal, None).unwrap();
    assert!(deal_columns.iter().any(|c| !c.sums.is_empty()), "the demo's deals have amounts");

    // A record the load wrote is found by its title.
    let newest = eng.list(Entity::Company, &ListFilter { limit: 1, ..Default::default() }).unwrap();
    let hits = eng.search(&newest[0].title, 50).unwrap();
    assert!(hits.iter().any(|h| h.entity == Entity::Company && h.id == newest[0].id), "{hits:?}");

    // After a bulk load the feed cannot name each record: everything may have changed.
    let (last, changed) = eng.changes_since(mark, 100_000).unwrap();
    assert!(last > mark);
    assert_eq!(changed, None);
}

pub fn a_bulk_import_loads_every_row_searchable(mut eng: TestEngine) {
    let rows: Vec<ImportRow> = (0..300)
        .map(|i| {
            let fields = [("first_name", format!("Person{i}")), ("last_name", "Bulkload".to_string())];
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let phone = format!("06 00 00 {:02} {:02}", i / 100, i % 100);
            ImportRow::new(i + 2, Ok(input_with(&fields, &[&phone])))
        })
        .collect();
    let opts = ImportOptions { bulk: true, ..Default::default() };
    let report = eng.import(Entity::Contact, |from| rows[from.min(rows.len())..].to_vec(), opts, |_| {}).unwrap();
    assert_eq!((report.created, report.rejected), (300, 0));
    assert_eq!(eng.count(Entity::Contact).unwrap(), 300);
    let hits = eng.search("person123", 10).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(eng.get(RecordRef::new(Entity::Contact, hits[0].id)).unwrap().input_text("first_name"), "Person123");
    assert_eq!(eng.search("06 00 00 01 23", 10).unwrap().len(), 1, "and by phone");
    // Run again with skip: every row matches by phone.
    let again = eng.import(Entity::Contact, |from| rows[from.min(rows.len())..].to_vec(), opts, |_| {}).unwrap();
    assert_eq!((again.created, again.skipped), (0, 300));
}

/// Checks each column head against the list of its stage: same count, same sums per currency.
fn board_is_the_lists(eng: &TestEngine, entity: Entity, pipeline: Option<&str>, columns: &[ColumnHead]) {
    for column in columns {
        let filter = ListFilter {
            stage: Some(column.stage.code.clone()),
            pipeline: pipeline.map(str::to_string),
            limit: 100_000,
            ..Default::default()
        };
        let rows = eng.list(entity, &filter).unwrap();
        let what = format!("{entity:?} {pipeline:?} {}", column.stage.code);
        assert_eq!(column.count, rows.len() as i64, "{what}");
        assert_eq!(column.count, eng.list_count(entity, &filter).unwrap(), "{what}");
        let mut sums = std::collections::BTreeMap::<String, i128>::new();
        for r in &rows {
            if let (Some(a), Some(c)) = (r.amount_minor, &r.currency) {
                *sums.entry(c.clone()).or_default() += a as i128;
            }
        }
        let mut heads: Vec<(String, i128)> = column.sums.iter().filter(|(_, v)| *v != 0).cloned().collect();
        heads.sort();
        let mut listed: Vec<(String, i128)> = sums.into_iter().filter(|(_, v)| *v != 0).collect();
        listed.sort();
        assert_eq!(heads, listed, "{what}: sums");
    }
}
