//! Importing many records (SPEC I2) on PostgreSQL, with a file's semantics
//! (`sqlite::import`): each row whole or not at all, in transactions of a few hundred rows
//! (or one for a bulk import) so an interrupted import leaves whole rows only, with the
//! duplicate handling the user chose; a dry run meets every rule and keeps nothing.
//! Re-running an import with `skip` or `merge` is idempotent, because rows already imported
//! are found as duplicates. Rows are written a handful at a time (`batch`); a row merged
//! into or replacing a record, and every row of a handful the database refused, a row at a
//! time under its own savepoint (`import_row`).

mod batch;
pub(super) mod memo;

use super::duplicates::{find_for_writer, import_matches};
use super::records::{create_in, create_record_in, get_in, update_in};
use super::{Result, Store, StoreError, WriteCtx, log_bulk_change, maintenance, refs, timeline};
use crate::domain::dedup::MatchKeys;
use crate::domain::fields::Entity;
use crate::domain::import::DuplicateMode;
use crate::domain::timeline::TimelineKind;
use crate::store::engine::*;
use crate::store::import::{ImportOptions, ImportReport, ImportRow, LeftOut, Outcomes, RowOutcome};
use crate::store::records::{RecordInput, Shown};
use crate::store::rules::OnEntering;
use crate::store::sqlite::import::{editable, is_refusal, refusal_reason};
use postgres::{GenericClient, Transaction};
use std::borrow::Cow;

/// Rows handed from the reading thread to the writer at a time, and written together.
const HANDFUL: usize = 500;

/// The same in a bulk import (one transaction). The report tallies a statement adds to are
/// rewritten by each later statement of the transaction, leaving a version of the row for
/// the next to walk past: at 500 rows a statement a 100k import spent 18 of its 47 s there.
const BULK_HANDFUL: usize = 5_000;

impl Store {
    /// Imports rows of one kind, calling `progress` with the number of rows done. Errors
    /// that concern a row reject it; errors of the server stop the import, and the batches
    /// already committed stay (`StoreError::PartlyImported`). `rows(from)` runs on a second
    /// thread while this one writes, again from the first row of a retried transaction.
    pub(crate) fn import_now(
        &mut self,
        entity: Entity,
        rows: &RowSource<'_>,
        opts: ImportOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportReport> {
        let mut report = ImportReport { dry_run: opts.dry_run, ..Default::default() };
        // A bulk import and a dry run are one transaction.
        let batch = if opts.dry_run || opts.bulk { usize::MAX } else { opts.batch.max(1) };
        let mut done: usize = 0;
        loop {
            let outcome = self.write_or_try(!opts.dry_run, |tx, ctx| {
                if opts.bulk {
                    maintenance::hold_records(tx)?;
                }
                let outcomes = std::thread::scope(|scope| {
                    let (send, made) = std::sync::mpsc::sync_channel::<Vec<ImportRow>>(8);
                    let handful = if opts.bulk { BULK_HANDFUL } else { HANDFUL };
                    scope.spawn(move || {
                        let mut rows = rows(done).take(batch);
                        loop {
                            let handful: Vec<ImportRow> = rows.by_ref().take(handful).collect();
                            // Done, or the writer stopped (an error): so does reading.
                            if handful.is_empty() || send.send(handful).is_err() {
                                break;
                            }
                        }
                    });
                    let mut outcomes = Outcomes::default();
                    let mut wrote = false;
                    let mut b = batch::Batch::new(tx, entity, opts)?;
                    for handful in made {
                        let before = outcomes.len();
                        for (row, outcome) in handful.iter().zip(batch::write_rows(tx, ctx, &mut b, &handful)?) {
                            wrote |= !matches!(outcome, RowOutcome::Skipped { .. } | RowOutcome::Rejected { .. });
                            outcomes.push(row.line, outcome);
                        }
                        if outcomes.len() / 5000 > before / 5000 {
                            progress(done + outcomes.len());
                        }
                    }
                    if wrote {
                        log_bulk_change(tx, ctx.now)?;
                    }
                    Ok::<_, StoreError>(outcomes)
                })?;
                Ok(outcomes)
            });
            match outcome {
                // The rows ran out at the end of the batch before: this one wrote nothing.
                Ok(outcomes) if outcomes.is_empty() => break,
                Ok(outcomes) => {
                    // A batch short of full took the last rows: no other transaction.
                    let last = outcomes.len() < batch;
                    done += outcomes.len();
                    report.add_all(outcomes);
                    progress(done);
                    if last {
                        break;
                    }
                }
                // Earlier transactions were committed: the message says so, and how to go on.
                Err(e) if done > 0 && !opts.dry_run => {
                    return Err(StoreError::PartlyImported {
                        path: self.path().to_path_buf(),
                        rows: done,
                        line: report.rows.last_line().unwrap_or(0),
                        cause: Box::new(e),
                    });
                }
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }
}

/// One row under its own savepoint: a refused row leaves nothing behind.
fn import_row(
    tx: &mut Transaction<'_>,
    ctx: &WriteCtx,
    entity: Entity,
    row: &ImportRow,
    opts: (ImportOptions, OnEntering),
) -> Result<RowOutcome> {
    let input = match &row.input {
        Ok(i) => i,
        Err(reason) => return Ok(RowOutcome::Rejected { reason: reason.clone() }),
    };
    let mut sp = tx.transaction()?;
    match write_row(&mut sp, ctx, entity, row, input, opts) {
        Ok(outcome) => {
            sp.commit()?;
            Ok(outcome)
        }
        Err(e) if is_refusal(&e) => {
            sp.rollback()?;
            Ok(RowOutcome::Rejected { reason: refusal_reason(&e) })
        }
        // Dropping the savepoint rolls it back; the transaction ends with the error.
        Err(e) => Err(e),
    }
}

/// Writes one row: matched (skipped, merged into or replacing the record it matches) or
/// created; the row's values left out go on the record's timeline, its original creation
/// time on a new record.
fn write_row(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    row: &ImportRow,
    input: &RecordInput,
    (opts, on): (ImportOptions, OnEntering),
) -> Result<RowOutcome> {
    // Only a contact's companies change (titles become ids).
    let input: Cow<RecordInput> = if entity == Entity::Contact && !input.companies.is_empty() {
        let companies =
            input.companies.iter().map(|t| company_for(c, ctx, t).map(|id| id.to_string())).collect::<Result<_>>()?;
        Cow::Owned(RecordInput { companies, ..input.clone() })
    } else {
        Cow::Borrowed(input)
    };
    let existing = match opts.duplicates {
        DuplicateMode::All => None,
        _ => import_matches(c, entity, &input, opts.match_on)?.into_iter().next().map(|m| (m.id, m.matched_by)),
    };
    let left_out = row.left_out.clone();
    if let Some((id, matched_by)) = existing {
        let fields: Vec<(String, String)> = match opts.duplicates {
            DuplicateMode::Skip | DuplicateMode::All => return Ok(RowOutcome::Skipped { id, matched_by }),
            // Fills the fields the record leaves empty.
            DuplicateMode::Merge => {
                let current = get_in(c, entity, id)?;
                input
                    .fields
                    .iter()
                    .filter(|(k, _)| editable(entity, k))
                    .filter(|(k, _)| {
                        matches!(current.get(k), None | Some(Shown::Null)) || current.input_text(k).is_empty()
                    })
                    .cloned()
                    .collect()
            }
            DuplicateMode::Replace => input.fields.iter().filter(|(k, _)| editable(entity, k)).cloned().collect(),
        };
        let change = RecordInput { fields, origin: None, ..input.clone().into_owned() };
        update_in(c, ctx, entity, id, None, &change)?;
        note_left_out(c, ctx, entity, id, &row.left_out)?;
        return Ok(if opts.duplicates == DuplicateMode::Merge {
            RowOutcome::Merged { id, matched_by, left_out }
        } else {
            RowOutcome::Replaced { id, matched_by, left_out }
        });
    }
    let mut saved = create_record_in(c, ctx, entity, &input)?;
    if let Some(at) = row.created_at {
        c.execute(&format!("UPDATE {} SET created_at = $1 WHERE id = $2", entity.table()), &[&at, &saved.id])?;
    }
    note_left_out(c, ctx, entity, saved.id, &row.left_out)?;
    // Its stage's rules, and in CRM simple mode its deal, as a record typed in would.
    if on.rules || on.simple {
        super::records::entered(c, ctx, entity, &mut saved, on)?;
    }
    Ok(RowOutcome::Created { id: saved.id, left_out })
}

/// The values of an imported row that no field took, on the record's timeline: what the
/// file said is never lost.
fn note_left_out(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    id: i64,
    left_out: &[LeftOut],
) -> Result<()> {
    if left_out.is_empty() {
        return Ok(());
    }
    timeline::add(c, entity, id, TimelineKind::Imported, ctx, serde_json::json!({ "not_accepted": left_out }))
}

/// A contact's company by `#id` or title (the oldest of that name); a title not yet in the
/// data becomes a company.
fn company_for(c: &mut impl GenericClient, ctx: &WriteCtx, text: &str) -> Result<i64> {
    let t = text.trim();
    if t.starts_with('#') {
        return refs::resolve_record(c, Entity::Company, t);
    }
    let keys = MatchKeys { company: crate::domain::dedup::name_key([t]), ..Default::default() };
    let found = if keys.is_empty() { None } else { find_for_writer(c, Entity::Company, &keys)?.first().map(|m| m.id) };
    match found {
        Some(id) => Ok(id),
        None => {
            let input = RecordInput {
                fields: vec![("title".into(), t.to_string())],
                origin: Some("import".into()),
                ..Default::default()
            };
            Ok(create_in(c, ctx, Entity::Company, &input)?.id)
        }
    }
}

impl BulkSink for Store {
    fn import(
        &mut self,
        entity: Entity,
        rows: &RowSource<'_>,
        opts: ImportOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportReport> {
        self.import_now(entity, rows, opts, progress)
    }

    fn load_records(
        &mut self,
        users: &[crate::store::bulk::BulkUser],
        make: &crate::store::bulk::RecordMaker<'_>,
    ) -> Result<crate::store::bulk::BulkLoaded> {
        self.load_records_now(users, make)
    }
}
