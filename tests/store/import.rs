//! Imports through the store's import API (SPEC I2): what a row matching an existing record
//! becomes in each duplicate mode (skip, merge, replace, all), rejected rows, dry runs.

use crate::{TestEngine, counts, create, input, input_with, text_of};
use prospect::domain::fields::Entity;
use prospect::domain::import::DuplicateMode;
use prospect::store::RecordRef;
use prospect::store::import::{ImportOptions, ImportReport, ImportRow, RowOutcome};

/// Rows from line 2 on (line 1 being a header).
fn rows(inputs: Vec<Result<prospect::store::RecordInput, String>>) -> Vec<ImportRow> {
    inputs.into_iter().enumerate().map(|(i, input)| ImportRow::new(i as u64 + 2, input)).collect()
}

fn run(eng: &mut crate::TestEngine, entity: Entity, rows: &[ImportRow], opts: ImportOptions) -> ImportReport {
    eng.import(entity, |from| rows[from.min(rows.len())..].to_vec(), opts, |_| {}).unwrap()
}

fn mode(duplicates: DuplicateMode) -> ImportOptions {
    ImportOptions { duplicates, ..Default::default() }
}

/// A file holding Marie Curie (a phone, a comment, no position) and the row that matches her
/// by phone, typed another way, with a position and another comment.
fn with_marie(eng: &mut TestEngine) -> (i64, Vec<ImportRow>) {
    let marie = create(
        eng,
        Entity::Contact,
        &[("first_name", "Marie"), ("last_name", "Curie"), ("comments", "from the fair")],
        &["06 12 34 56 78"],
    )
    .id;
    let row = input_with(
        &[("first_name", "Marie"), ("last_name", "Curie"), ("position", "Physicist"), ("comments", "from the file")],
        &["+33 6 12 34 56 78", "marie@example.com"],
    );
    let fresh = input_with(&[("first_name", "Pierre"), ("last_name", "Curie")], &["06 98 76 54 32"]);
    (marie, rows(vec![Ok(row), Ok(fresh)]))
}

pub fn skip_leaves_the_match_alone_and_is_idempotent(mut eng: TestEngine) {
    let (marie, rows) = with_marie(&mut eng);
    let report = run(&mut eng, Entity::Contact, &rows, mode(DuplicateMode::Skip));
    assert_eq!(
        report.rows.iter().next().unwrap(),
        (2, RowOutcome::Skipped { id: marie, matched_by: vec!["phone".into()] })
    );
    assert!(matches!(report.rows.iter().nth(1).unwrap(), (3, RowOutcome::Created { .. })));
    assert_eq!((report.created, report.skipped), (1, 1));
    assert_eq!(text_of(&eng, Entity::Contact, marie, "position"), "");
    assert_eq!(eng.get(RecordRef::new(Entity::Contact, marie)).unwrap().version, 1);
    // Running it again creates nothing more.
    let again = run(&mut eng, Entity::Contact, &rows, mode(DuplicateMode::Skip));
    assert_eq!((again.created, again.skipped), (0, 2));
    assert_eq!(eng.count(Entity::Contact).unwrap(), 2);
}

pub fn merge_fills_empty_fields_and_adds_comms(mut eng: TestEngine) {
    let (marie, rows) = with_marie(&mut eng);
    let report = run(&mut eng, Entity::Contact, &rows, mode(DuplicateMode::Merge));
    assert_eq!(
        report.rows.iter().next().unwrap(),
        (2, RowOutcome::Merged { id: marie, matched_by: vec!["phone".into()], left_out: vec![] })
    );
    assert_eq!(text_of(&eng, Entity::Contact, marie, "position"), "Physicist", "filled");
    assert_eq!(text_of(&eng, Entity::Contact, marie, "comments"), "from the fair", "kept");
    let comms = eng.get(RecordRef::new(Entity::Contact, marie)).unwrap().comms;
    assert!(comms.iter().any(|c| c.value == "marie@example.com"), "{comms:?}");
    assert_eq!(comms.iter().filter(|c| c.normalized == "+33612345678").count(), 1, "one phone, not two: {comms:?}");
    assert_eq!(eng.count(Entity::Contact).unwrap(), 2);
}

pub fn replace_overwrites_with_the_rows_values(mut eng: TestEngine) {
    let (marie, rows) = with_marie(&mut eng);
    let report = run(&mut eng, Entity::Contact, &rows, mode(DuplicateMode::Replace));
    assert_eq!(
        report.rows.iter().next().unwrap(),
        (2, RowOutcome::Replaced { id: marie, matched_by: vec!["phone".into()], left_out: vec![] })
    );
    assert_eq!(report.replaced, 1);
    assert_eq!(text_of(&eng, Entity::Contact, marie, "comments"), "from the file");
    assert_eq!(text_of(&eng, Entity::Contact, marie, "position"), "Physicist");
    assert_eq!(eng.count(Entity::Contact).unwrap(), 2);
}

pub fn all_creates_every_row_even_a_match(mut eng: TestEngine) {
    let (marie, rows) = with_marie(&mut eng);
    let report = run(&mut eng, Entity::Contact, &rows, mode(DuplicateMode::All));
    assert_eq!(report.created, 2);
    assert!(report.rows.iter().all(|(_, o)| matches!(o, RowOutcome::Created { id, .. } if id != marie)));
    assert_eq!(eng.count(Entity::Contact).unwrap(), 3);
    assert_eq!(text_of(&eng, Entity::Contact, marie, "comments"), "from the fair");
}

pub fn a_bad_row_is_rejected_alone_and_a_dry_run_writes_nothing(mut eng: TestEngine) {
    let list = rows(vec![
        Ok(input(&[("title", "Good one")])),
        Ok(input(&[("title", "Bad amount"), ("amount", "lots")])),
        Err("line 4: an unclosed quote".into()),
        Ok(input(&[("title", "Good two")])),
    ]);
    let dry = run(&mut eng, Entity::Lead, &list, ImportOptions { dry_run: true, ..Default::default() });
    assert_eq!((dry.created, dry.rejected), (2, 2));
    assert_eq!(counts(&eng), [0, 0, 0, 0], "a dry run writes nothing");

    let report = run(&mut eng, Entity::Lead, &list, ImportOptions::default());
    assert_eq!((report.created, report.rejected), (2, 2));
    match &report.rows.iter().nth(1).unwrap() {
        (3, RowOutcome::Rejected { reason }) => assert!(reason.contains("amount"), "names the field: {reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(eng.count(Entity::Lead).unwrap(), 2);
    assert_eq!(eng.search("good", 10).unwrap().len(), 2, "imported records are searchable");
}

/// What an import left in the file, ids included: every contact's names, position, comments,
/// version and phones and e-mails (normal forms, sorted).
fn contacts(eng: &TestEngine) -> Vec<String> {
    let mut out = vec![];
    eng.for_each_page(Entity::Contact, &Default::default(), None, |page| {
        for r in page {
            let mut comms: Vec<&str> = r.comms.iter().map(|c| c.normalized.as_str()).collect();
            comms.sort();
            let keys = ["first_name", "last_name", "position", "comments"].map(|k| r.input_text(k));
            out.push(format!("#{} v{} {keys:?} {comms:?}", r.id, r.version));
        }
        Ok::<(), prospect::store::StoreError>(())
    })
    .unwrap();
    out
}

pub fn batches_and_a_bulk_load_give_the_same_result_in_every_mode(eng: TestEngine) {
    for duplicates in [DuplicateMode::Skip, DuplicateMode::Merge, DuplicateMode::Replace, DuplicateMode::All] {
        let mut results = vec![];
        let mut tallies = vec![];
        for (bulk, dry_run) in [(false, false), (true, false), (false, true), (true, true)] {
            let mut e = eng.twin();
            let (_, mut list) = with_marie(&mut e);
            create(&mut e, Entity::Contact, &[("first_name", "Jean"), ("last_name", "Valjean")], &["jean@example.com"]);
            // A row matching a record written by the same file, a bad row, an unreadable row
            // and a row matching Jean by e-mail.
            let more = rows(vec![
                Ok(input_with(
                    &[("first_name", "Pierre"), ("last_name", "Curie"), ("position", "Again")],
                    &["0698765432"],
                )),
                Ok(input(&[("first_name", "Bad"), ("last_name", "Date"), ("birth_date", "someday")])),
                Err("an unclosed quote".into()),
                Ok(input_with(
                    &[("first_name", "Jean"), ("last_name", "Valjean"), ("position", "Mayor")],
                    &["JEAN@example.com"],
                )),
            ]);
            list.extend(more.into_iter().map(|r| ImportRow { line: r.line + 2, ..r }));
            let before = (contacts(&e), e.last_change().unwrap());
            let opts = ImportOptions { duplicates, bulk, dry_run, batch: 2, ..Default::default() };
            let report = run(&mut e, Entity::Contact, &list, opts);
            assert_eq!(report.rejected, 2, "{duplicates:?} bulk={bulk}: {report:?}");
            tallies.push((report.created, report.merged, report.replaced, report.skipped, report.rejected));
            if dry_run {
                assert_eq!(
                    (contacts(&e), e.last_change().unwrap()),
                    before,
                    "{duplicates:?}: a dry run writes nothing"
                );
            } else {
                let found = e.search("curie", 20).unwrap().len();
                results.push((format!("{:?}", report.rows), contacts(&e), found));
            }
        }
        assert_eq!(results[0], results[1], "{duplicates:?}: batches, then a bulk load");
        assert!(
            tallies.iter().all(|t| *t == tallies[0]),
            "{duplicates:?}: a dry run tells what a run does: {tallies:?}"
        );
    }
}
