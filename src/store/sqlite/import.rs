//! Importing many records (SPEC I2): each row whole or not at all (a savepoint per row), in
//! transactions of a few hundred rows so an interrupted import leaves whole rows only, with
//! the duplicate handling the user chose. Re-running an import with `skip` or `merge` is
//! idempotent, because rows already imported are found as duplicates.

use super::bulk;
use super::duplicates::{MatchKey, find_for_writer, import_matches};
use super::records::{CheckedNew, RecordInput, create_checked, create_in, create_record_in, get_in, update_in};
use super::{Result, Store, StoreError, WriteCtx, log_bulk_change, search};
use crate::domain::dedup::MatchKeys;
use crate::domain::fields::Entity;
use crate::domain::import::DuplicateMode;
use crate::store::engine::*;
pub(crate) use crate::store::import::*;
use crate::store::records::Shown;
use crate::store::rules::OnEntering;
use rusqlite::Transaction;
use std::borrow::Cow;

impl Store {
    /// Imports rows of one kind, calling `progress` with the number of rows done after each
    /// batch. Errors that concern a row reject it; errors of the file (busy past the limit,
    /// disk full) stop the import, and the batches already committed stay.
    ///
    /// `rows(from)` makes the rows from the `from`-th on (cells to fields, phone numbers
    /// parsed). It runs on a second thread while this one writes, which is most of the work,
    /// and is called again from the first row of a transaction retried after a busy file.
    /// So no row is kept once written: a 100k-row import held every row for a retry (half a
    /// gigabyte, and the time to fault it in).
    pub(crate) fn import_from<I>(
        &mut self,
        entity: Entity,
        rows: impl Fn(usize) -> I + Sync,
        opts: ImportOptions,
        mut progress: impl FnMut(usize),
    ) -> Result<ImportReport>
    where
        I: IntoIterator<Item = ImportRow>,
        I::IntoIter: Send,
    {
        let mut report = ImportReport { dry_run: opts.dry_run, ..Default::default() };
        if opts.bulk {
            // One transaction for every row, through the one bulk sequence.
            // Rows are matched against records of their own kind, by the keys chosen, unless
            // every row is kept (`import_matches`).
            let mut looks_up = bulk::repeats();
            if opts.duplicates != DuplicateMode::All {
                let on = opts.match_on;
                // A company's title is its name and company key alike.
                let title = entity == Entity::Company && (on.name || on.company);
                let keys = [(MatchKey::Name, on.name || title), (MatchKey::Company, on.company || title)]
                    .into_iter()
                    .chain([(MatchKey::Phone, on.phone), (MatchKey::Email, on.email)])
                    .filter_map(|(key, wanted)| wanted.then_some(key))
                    .collect();
                looks_up.retain(|(e, _)| *e != entity);
                looks_up.push((entity, keys));
            }
            let plan = bulk::Plan {
                reads_comms: opts.duplicates != DuplicateMode::All,
                commit: !opts.dry_run,
                looks_up,
                only_adds: matches!(opts.duplicates, DuplicateMode::All | DuplicateMode::Skip),
            };
            let outcomes = bulk::load(self, plan, |tx, ctx| {
                std::thread::scope(|scope| {
                    // Dropped with `write_rows`, which stops the reading thread if it is still
                    // going (an error).
                    let defaults = takes_defaults(tx, entity)?;
                    let made = read_ahead(scope, &rows, (0, usize::MAX), entity, ctx.currency, defaults);
                    let (outcomes, changed, created) = write_rows(tx, ctx, entity, made, opts, &mut progress)?;
                    let wrote = created || !changed.is_empty();
                    Ok(bulk::Written { value: outcomes, changed: Some((entity, changed)), wrote })
                })
            })?;
            let done = outcomes.len();
            report.add_all(outcomes);
            progress(done);
            return Ok(report);
        }
        self.set_bulk_cache(true)?;
        let batch = if opts.dry_run { usize::MAX } else { opts.batch.max(1) };
        let mut done: usize = 0;
        let mut result = Ok(());
        loop {
            let outcome = self.write_or_try(!opts.dry_run, |tx, base| {
                std::thread::scope(|scope| {
                    // Dropped with `write_batch`, which stops the reading thread if it is still
                    // going (an error).
                    let defaults = takes_defaults(tx, entity)?;
                    let made = read_ahead(scope, &rows, (done, batch), entity, base.currency, defaults);
                    write_batch(tx, base, entity, made, opts, |n| progress(done + n))
                })
            });
            match outcome {
                // The rows ran out at the end of the batch before: this one wrote nothing.
                Ok(outcomes) if outcomes.is_empty() => break,
                Ok(outcomes) => {
                    // A batch short of full took the last rows: no other transaction.
                    let last = outcomes.len() < batch;
                    done += outcomes.len();
                    for (line, o) in outcomes.iter() {
                        report.add(line, o);
                    }
                    progress(done);
                    if last {
                        break;
                    }
                }
                // Earlier transactions were committed: the message must not say that nothing
                // was written, and says how to add the rest.
                Err(e) if done > 0 && !opts.dry_run => {
                    result = Err(StoreError::PartlyImported {
                        path: self.path().to_path_buf(),
                        rows: done,
                        line: report.rows.last_line().unwrap_or(0),
                        cause: Box::new(e),
                    });
                    break;
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        let settled = self.set_bulk_cache(false);
        result.and(settled).map(|_| report)
    }
}

/// A row as the reading thread hands it over: with its input checked for a new record, if it
/// could be read (`CheckedNew`; a row that turns out to match an existing record does not use it).
type ReadRow = (ImportRow, Option<Result<CheckedNew>>);

/// Whether a field of the team's own has a default for `entity`: new records then go through
/// `create_in`, which gives them the defaults (a row checked ahead would skip them).
fn takes_defaults(tx: &rusqlite::Connection, entity: Entity) -> Result<bool> {
    Ok(crate::store::sqlite::custom_fields::fields_of(tx, Some(entity))?.iter().any(|f| f.default.is_some()))
}

/// The rows from the `from`-th on, at most `batch` of them (`span`), made and checked as new
/// records of `entity` on a thread of `scope` while the caller writes (not when `defaults`:
/// `takes_defaults`). They go over in handfuls: one hand-over per row cost a wake-up each.
fn read_ahead<'scope, 'env, R, I>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    rows: &'env R,
    (from, batch): (usize, usize),
    entity: Entity,
    currency: crate::domain::money::Currency,
    defaults: bool,
) -> std::iter::Flatten<std::sync::mpsc::IntoIter<Vec<ReadRow>>>
where
    R: Fn(usize) -> I + Sync,
    I: IntoIterator<Item = ImportRow>,
    I::IntoIter: Send,
{
    let (send, made) = std::sync::mpsc::sync_channel::<Vec<ReadRow>>(8);
    scope.spawn(move || {
        let mut rows = rows(from).into_iter().take(batch).map(|row| {
            // A row naming fields of the team's own is checked in the write (`create_in`,
            // which knows them).
            let plain =
                |input: &&RecordInput| !defaults && !crate::store::custom_fields::names_custom(entity, &input.fields);
            let checked = row.input.as_ref().ok().filter(plain).map(|input| CheckedNew::check(entity, input, currency));
            (row, checked)
        });
        loop {
            let handful: Vec<ReadRow> = rows.by_ref().take(256).collect();
            // Done, or the writer stopped (an error of the file): so does reading.
            if handful.is_empty() || send.send(handful).is_err() {
                break;
            }
        }
    });
    made.into_iter().flatten()
}

/// Writes the rows of one transaction (a batch), with their search entries, and says what
/// became of each. A bulk load writes its rows with `write_rows` inside `bulk::load`.
fn write_batch(
    tx: &Transaction,
    base: &WriteCtx,
    entity: Entity,
    rows: impl Iterator<Item = ReadRow>,
    opts: ImportOptions,
    mut progress: impl FnMut(usize),
) -> Result<Outcomes> {
    let search_later = search::PendingEntries::default();
    let ctx = WriteCtx { bulk: true, search_later: Some(&search_later), ..*base };
    let (outcomes, changed, created) = write_rows(tx, &ctx, entity, rows, opts, &mut progress)?;
    // The new records' entries (companies made for contacts' company column among them),
    // with those of records merged into or replaced read again from the file.
    let (entries, replaced) = search::entries_after_changes(tx, search_later, entity, &changed)?;
    search::write_replacing(tx, entries, &replaced)?;
    if created || !changed.is_empty() {
        log_bulk_change(tx, base.now)?;
    }
    Ok(outcomes)
}

/// What `write_rows` did: each row's outcome, the records merged into or replaced, whether a
/// record was created.
type RowsWritten = (Outcomes, Vec<i64>, bool);

/// Writes `rows` a handful per savepoint. Between handfuls (no savepoint open), the search
/// entries kept go to their scratch file once they fill a chunk (`WriteCtx::spill_search`).
fn write_rows(
    tx: &Transaction,
    ctx: &WriteCtx,
    entity: Entity,
    mut rows: impl Iterator<Item = ReadRow>,
    opts: ImportOptions,
    progress: &mut dyn FnMut(usize),
) -> Result<RowsWritten> {
    let mut outcomes = Outcomes::default();
    let mut changed = Vec::new();
    let mut created = false;
    loop {
        let handful: Vec<ReadRow> = rows.by_ref().take(ROWS_PER_SAVEPOINT).collect();
        if handful.is_empty() {
            break;
        }
        for (line, outcome) in import_rows(tx, ctx, entity, handful, opts)? {
            match &outcome {
                RowOutcome::Created { .. } => created = true,
                RowOutcome::Merged { id, .. } | RowOutcome::Replaced { id, .. } => changed.push(*id),
                RowOutcome::Skipped { .. } | RowOutcome::Rejected { .. } => {}
            }
            outcomes.push(line, outcome);
            // A long batch (a bulk load) says how far it got as it goes.
            if outcomes.len() % 5000 == 0 {
                progress(outcomes.len());
            }
        }
        ctx.spill_search()?;
    }
    Ok((outcomes, changed, created))
}

/// Rows written under one savepoint (`import_rows`). A savepoint per row, with the copy SQLite
/// keeps of every page a row changes until its savepoint ends, was a tenth of what the writer
/// of a bulk import did.
const ROWS_PER_SAVEPOINT: usize = 64;

/// A handful of rows under one savepoint. A row refused before it changed anything (most
/// refusals: a bad date, an unknown user) is only reported. A row refused after it changed
/// something takes the handful back, which is then written again a row at a time
/// (`import_row`): a refused row leaves nothing behind either way.
fn import_rows(
    tx: &Transaction,
    ctx: &WriteCtx,
    entity: Entity,
    handful: Vec<ReadRow>,
    opts: ImportOptions,
) -> Result<Vec<(u64, RowOutcome)>> {
    let (rows, checks): (Vec<ImportRow>, Vec<_>) = handful.into_iter().unzip();
    // Rules of the stage a new record enters, an intake's conversion (CRM simple mode).
    let on = super::records::on_entering(tx, entity)?;
    tx.prepare_cached("SAVEPOINT import_rows")?.execute([])?;
    let kept = Kept::mark(ctx);
    // What a row may change: the file, and the match keys (a merge forgets a record's keys
    // before it checks the row's values).
    let changes = || (tx.total_changes(), ctx.matches().map_or(0, |m| m.borrow().changes()));
    let mut done = Vec::with_capacity(rows.len());
    for (row, checked) in rows.iter().zip(checks) {
        let input = match &row.input {
            Ok(i) => i,
            Err(reason) => {
                done.push((row.line, RowOutcome::Rejected { reason: reason.clone() }));
                continue;
            }
        };
        let before = changes();
        match write_row(tx, ctx, entity, row, input, checked, (opts, on)) {
            Ok(outcome) => done.push((row.line, outcome)),
            Err(e) if is_refusal(&e) && changes() == before => {
                done.push((row.line, RowOutcome::Rejected { reason: refusal_reason(&e) }));
            }
            Err(e) if is_refusal(&e) => {
                tx.execute_batch("ROLLBACK TO import_rows; RELEASE import_rows")?;
                kept.take_back(ctx)?;
                return rows
                    .iter()
                    .map(|row| Ok((row.line, import_row(tx, ctx, entity, row, None, (opts, on))?)))
                    .collect();
            }
            Err(e) => {
                let _ = tx.execute_batch("ROLLBACK TO import_rows; RELEASE import_rows");
                return Err(e);
            }
        }
    }
    tx.prepare_cached("RELEASE import_rows")?.execute([])?;
    Ok(done)
}

/// What a bulk write keeps in memory beside the file as rows are written (the new records'
/// search entries, the match keys), marked where a savepoint begins, so that rows taken back
/// with the savepoint are taken back here too.
pub(crate) struct Kept {
    entries: Option<usize>,
    /// Inside a row's savepoint (`within`): how many match-key changes its journal held.
    keys: Option<usize>,
}

impl Kept {
    /// Marks where they are now (a savepoint begins).
    pub(crate) fn mark(ctx: &WriteCtx) -> Kept {
        if let Some(m) = ctx.matches() {
            m.borrow_mut().checkpoint();
        }
        Kept { entries: ctx.search_later.map(search::PendingEntries::len), keys: None }
    }

    /// Marks where they are now inside a savepoint already marked (a row's), keeping its
    /// journal: a savepoint within the row's (an intake's conversion).
    pub(crate) fn within(ctx: &WriteCtx) -> Kept {
        let keys = ctx.matches().map(|m| m.borrow().changes());
        Kept { entries: ctx.search_later.map(search::PendingEntries::len), keys }
    }

    /// Takes back what was kept since `mark` (its savepoint was rolled back).
    pub(crate) fn take_back(self, ctx: &WriteCtx) -> Result<()> {
        if let (Some(later), Some(len)) = (ctx.search_later, self.entries) {
            later.truncate(len)?;
        }
        if let Some(m) = ctx.matches() {
            match self.keys {
                Some(len) => m.borrow_mut().undo_to(len),
                None => m.borrow_mut().undo(),
            }
        }
        Ok(())
    }
}

/// Errors that refuse a row, not the import (`StoreError::is_refusal`).
pub(crate) fn is_refusal(e: &StoreError) -> bool {
    e.is_refusal()
}

/// Why a row was refused, as its report says.
pub(crate) fn refusal_reason(e: &StoreError) -> String {
    match e {
        StoreError::Field(f) => {
            format!("{}: {}", f.field, crate::i18n::describe(&f.problem, &f.field, crate::i18n::lang()))
        }
        other => other.to_string(),
    }
}

/// One row under its own savepoint: refused rows leave nothing behind.
fn import_row(
    tx: &Transaction,
    ctx: &WriteCtx,
    entity: Entity,
    row: &ImportRow,
    checked: Option<Result<CheckedNew>>,
    opts: (ImportOptions, OnEntering),
) -> Result<RowOutcome> {
    let input = match &row.input {
        Ok(i) => i,
        Err(reason) => return Ok(RowOutcome::Rejected { reason: reason.clone() }),
    };
    tx.prepare_cached("SAVEPOINT import_row")?.execute([])?;
    let changes_before = tx.total_changes();
    let kept = Kept::mark(ctx);
    match write_row(tx, ctx, entity, row, input, checked, opts) {
        Ok(outcome) => {
            tx.prepare_cached("RELEASE import_row")?.execute([])?;
            Ok(outcome)
        }
        Err(e) if is_refusal(&e) => {
            // Most refusals come before anything is written (a bad date, an unknown user):
            // then there is nothing to take back, and a ROLLBACK TO in a bulk load (whose
            // transaction dropped indexes) would make SQLite read the schema again and
            // prepare every statement anew: 100k rows with half refused took 3x as long.
            if tx.total_changes() == changes_before {
                tx.prepare_cached("RELEASE import_row")?.execute([])?;
            } else {
                tx.execute_batch("ROLLBACK TO import_row; RELEASE import_row")?;
            }
            kept.take_back(ctx)?;
            Ok(RowOutcome::Rejected { reason: refusal_reason(&e) })
        }
        Err(e) => {
            let _ = tx.execute_batch("ROLLBACK TO import_row; RELEASE import_row");
            Err(e)
        }
    }
}

/// Writes one row; `checked` is its input checked as a new record, if the reading thread did
/// so (the row is checked here otherwise). The row's values left out are written on the
/// record's timeline, and its original creation time on the record.
fn write_row(
    tx: &Transaction,
    ctx: &WriteCtx,
    entity: Entity,
    row: &ImportRow,
    input: &RecordInput,
    checked: Option<Result<CheckedNew>>,
    (opts, on): (ImportOptions, OnEntering),
) -> Result<RowOutcome> {
    // Only a contact's companies change (titles become ids): other rows are written as read,
    // without a copy of every field.
    let input: Cow<RecordInput> = if entity == Entity::Contact && !input.companies.is_empty() {
        let companies =
            input.companies.iter().map(|c| company_for(tx, ctx, c).map(|id| id.to_string())).collect::<Result<_>>()?;
        Cow::Owned(RecordInput { companies, ..input.clone() })
    } else {
        Cow::Borrowed(input)
    };
    let existing = match opts.duplicates {
        DuplicateMode::All => None,
        _ => {
            // The index is only read here: the borrow ends before the update below writes it.
            let index = ctx.matches().map(|m| m.borrow());
            import_matches(tx, index.as_deref(), entity, &input, opts.match_on)?
                .into_iter()
                .next()
                .map(|m| (m.id, m.matched_by))
        }
    };
    let left_out = row.left_out.clone();
    if let Some((id, matched_by)) = existing {
        let outcome = match opts.duplicates {
            DuplicateMode::Skip | DuplicateMode::All => return Ok(RowOutcome::Skipped { id, matched_by }),
            DuplicateMode::Merge => {
                let current = get_in(tx, entity, id)?;
                let fill: Vec<(String, String)> = input
                    .fields
                    .iter()
                    .filter(|(k, _)| editable(entity, k))
                    .filter(|(k, _)| {
                        matches!(current.get(k), None | Some(Shown::Null)) || current.input_text(k).is_empty()
                    })
                    .cloned()
                    .collect();
                let change = RecordInput { fields: fill, origin: None, ..input.clone().into_owned() };
                update_in(tx, ctx, entity, id, None, &change)?;
                RowOutcome::Merged { id, matched_by, left_out }
            }
            DuplicateMode::Replace => {
                let fields = input.fields.iter().filter(|(k, _)| editable(entity, k)).cloned().collect();
                let change = RecordInput { fields, origin: None, ..input.clone().into_owned() };
                update_in(tx, ctx, entity, id, None, &change)?;
                RowOutcome::Replaced { id, matched_by, left_out }
            }
        };
        note_left_out(tx, ctx, entity, id, &row.left_out)?;
        return Ok(outcome);
    }
    // The companies a contact's input names became ids above: the check does not read them.
    // Made with its original creation time (a later change of it would be a change to tell).
    let made = WriteCtx { created: row.created_at, ..*ctx };
    let mut saved = match checked {
        Some(checked) => create_checked(tx, &made, &input, checked?)?,
        None => create_record_in(tx, &made, entity, &input)?,
    };
    note_left_out(tx, ctx, entity, saved.id, &row.left_out)?;
    // Its stage's rules, and in CRM simple mode its deal, as a record typed in would.
    if on.rules || on.simple {
        super::records::entered(tx, ctx, entity, &mut saved, on)?;
    }
    Ok(RowOutcome::Created { id: saved.id, left_out })
}

/// The values of an imported row that no field took, on the record's timeline: what the
/// file said is never lost.
fn note_left_out(tx: &Transaction, ctx: &WriteCtx, entity: Entity, id: i64, left_out: &[LeftOut]) -> Result<()> {
    if left_out.is_empty() {
        return Ok(());
    }
    super::timeline::add(
        tx,
        entity,
        id,
        crate::domain::timeline::TimelineKind::Imported,
        ctx,
        serde_json::json!({ "not_accepted": left_out }),
    )
}

/// Fields an existing record takes from an import (a stage changes by a move, not here).
pub(crate) fn editable(entity: Entity, key: &str) -> bool {
    entity.field(key).is_some_and(|s| s.editable)
}

/// A contact's company by `#id` or title (the oldest of that name); a title not yet in the
/// file becomes a company.
fn company_for(tx: &Transaction, ctx: &WriteCtx, text: &str) -> Result<i64> {
    let t = text.trim();
    if t.starts_with('#') {
        return crate::store::sqlite::refs::resolve_record(tx, Entity::Company, t);
    }
    // Companies match by title only: the oldest one comes first.
    let keys = MatchKeys { company: crate::domain::dedup::name_key([t]), ..Default::default() };
    let index = ctx.matches().map(|m| m.borrow());
    let found = if keys.is_empty() {
        None
    } else {
        find_for_writer(tx, index.as_deref(), Entity::Company, &keys)?.first().map(|m| m.id)
    };
    drop(index); // read only: creating the company below writes to it
    match found {
        Some(id) => Ok(id),
        None => {
            let input = RecordInput {
                fields: vec![("title".into(), text.trim().to_string())],
                origin: Some("import".into()),
                ..Default::default()
            };
            Ok(create_in(tx, ctx, Entity::Company, &input)?.id)
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
        self.import_from(entity, rows, opts, progress)
    }

    fn load_records(
        &mut self,
        users: &[crate::store::bulk::BulkUser],
        make: &crate::store::bulk::RecordMaker<'_>,
    ) -> Result<crate::store::bulk::BulkLoaded> {
        self.load_records_now(users, make)
    }
}
