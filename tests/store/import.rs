//! Imports through the store's import API (SPEC I2): what a row matching an existing record
//! becomes in each duplicate mode (skip, merge, replace, all), rejected rows, dry runs.

use crate::{TestEngine, comm, counts, create, input, input_with, text_of};
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

/// `n` leads from line 2 on, each with its own title and phone; `edit(i, row)` changes row `i`.
fn leads(n: usize, edit: impl Fn(usize, &mut ImportRow)) -> Vec<ImportRow> {
    (0..n)
        .map(|i| {
            let title = format!("Lead {i}");
            let phone =
                format!("06 {:02} {:02} {:02} {:02}", i / 1_000_000 % 100, i / 10_000 % 100, i / 100 % 100, i % 100);
            let mut row = ImportRow::new(i as u64 + 2, Ok(input_with(&[("title", &title)], &[&phone])));
            edit(i, &mut row);
            row
        })
        .collect()
}

/// The id a row's outcome names.
fn id_of(report: &ImportReport, line: u64) -> i64 {
    match report.rows.iter().find(|(l, _)| *l == line).map(|(_, o)| o) {
        Some(
            RowOutcome::Created { id, .. }
            | RowOutcome::Merged { id, .. }
            | RowOutcome::Replaced { id, .. }
            | RowOutcome::Skipped { id, .. },
        ) => id,
        other => panic!("line {line}: {other:?}"),
    }
}

/// Rows that repeat rows before them in the same file (the next row, and one several hundred
/// rows on, by phone or e-mail) are skipped or merged into the record the earlier row made,
/// in one bulk import as row by row.
pub fn rows_repeating_earlier_rows_of_a_bulk_import_match_their_records(eng: TestEngine) {
    for duplicates in [DuplicateMode::Skip, DuplicateMode::Merge] {
        let mut e = eng.twin();
        let list = leads(1200, |i, row| {
            let input = row.input.as_mut().unwrap();
            match i {
                // Row 4 repeats row 3 by phone, with a position row 3 lacks.
                4 => *input = input_with(&[("title", "Lead 3 again"), ("position", "Buyer")], &["06 00 00 00 03"]),
                // Row 10 has an e-mail that row 900 repeats.
                10 => input.comms.add.push(comm("ten@example.com")),
                900 => *input = input_with(&[("title", "Lead 10 again"), ("comments", "late")], &["TEN@example.com"]),
                _ => {}
            }
        });
        let opts = ImportOptions { duplicates, bulk: true, ..Default::default() };
        let report = run(&mut e, Entity::Lead, &list, opts);
        let changed = if duplicates == DuplicateMode::Skip { report.skipped } else { report.merged };
        assert_eq!((report.created, changed, report.rejected), (1198, 2, 0), "{duplicates:?}");
        let (three, ten) = (id_of(&report, 5), id_of(&report, 12));
        let outcome = |line: u64| report.rows.iter().find(|(l, _)| *l == line).unwrap().1;
        match duplicates {
            DuplicateMode::Skip => {
                assert_eq!(outcome(6), RowOutcome::Skipped { id: three, matched_by: vec!["phone".into()] });
                assert_eq!(outcome(902), RowOutcome::Skipped { id: ten, matched_by: vec!["email".into()] });
                assert_eq!(text_of(&e, Entity::Lead, three, "position"), "");
            }
            _ => {
                assert_eq!(
                    outcome(6),
                    RowOutcome::Merged { id: three, matched_by: vec!["phone".into()], left_out: vec![] }
                );
                assert_eq!(
                    outcome(902),
                    RowOutcome::Merged { id: ten, matched_by: vec!["email".into()], left_out: vec![] }
                );
                assert_eq!(text_of(&e, Entity::Lead, three, "position"), "Buyer", "filled");
                assert_eq!(text_of(&e, Entity::Lead, ten, "comments"), "late", "filled");
                assert_eq!(text_of(&e, Entity::Lead, three, "title"), "Lead 3", "kept");
            }
        }
        assert_eq!(e.count(Entity::Lead).unwrap(), 1198);
        // Running it again matches every row.
        let again = run(&mut e, Entity::Lead, &list, opts);
        assert_eq!(again.created, 0, "{duplicates:?}");
    }
}

/// A row refused among many in a bulk import is rejected alone: the rows around it, in the
/// same handful, are created.
pub fn a_bad_row_among_many_in_a_bulk_import_is_rejected_alone(mut eng: TestEngine) {
    let list = leads(1000, |i, row| match i {
        500 => row.input.as_mut().unwrap().fields.push(("amount".into(), "lots".into())),
        501 => row.input = Err("an unclosed quote".into()),
        502 => row.input.as_mut().unwrap().fields.push(("responsible".into(), "nobody-here".into())),
        _ => {}
    });
    let report = run(&mut eng, Entity::Lead, &list, ImportOptions { bulk: true, ..Default::default() });
    assert_eq!((report.created, report.rejected), (997, 3));
    let rejected: Vec<(u64, String)> = report.rows.rejected().map(|(l, r)| (l, r.to_string())).collect();
    assert_eq!(rejected.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [502, 503, 504]);
    assert!(rejected[0].1.contains("amount"), "names the field: {rejected:?}");
    assert!(rejected[2].1.contains("responsible"), "names the field: {rejected:?}");
    assert_eq!(eng.count(Entity::Lead).unwrap(), 997);
    assert_eq!(eng.search("lead 499", 5).unwrap().len(), 1, "{:?}", eng.search("lead 499", 5).unwrap());
    assert_eq!(eng.search("06 00 00 05 03", 5).unwrap().len(), 1, "the row after them is searchable by phone");
}

/// New records take ids in the order of the file's rows, and keep the creation time a row
/// gives (the import's own time otherwise).
pub fn ids_follow_the_file_and_creation_times_are_kept(eng: TestEngine) {
    const DAY: i64 = 86_400_000;
    let list = leads(700, |i, row| {
        if i % 3 == 0 {
            row.created_at = Some(crate::NOW - (i as i64 + 1) * DAY);
        }
    });
    for bulk in [true, false] {
        let mut e = eng.twin();
        let report = run(&mut e, Entity::Lead, &list, ImportOptions { bulk, ..Default::default() });
        assert_eq!(report.created, 700);
        let ids: Vec<i64> = list.iter().map(|r| id_of(&report, r.line)).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "bulk={bulk}: ids in file order");
        for i in [0, 1, 299, 300, 699] {
            let record = e.get(RecordRef::new(Entity::Lead, ids[i])).unwrap();
            assert_eq!(record.input_text("title"), format!("Lead {i}"), "bulk={bulk}");
            let when = if i % 3 == 0 { crate::NOW - (i as i64 + 1) * DAY } else { crate::NOW };
            assert_eq!(record.created_at, when, "bulk={bulk}: row {i}");
        }
    }
}
