//! The import wizard's effects: the file read for its preview, the values that name nothing,
//! the import of a CSV table, a vCard or an iCalendar file, and its result's rows worded.

use super::*;
use crate::tui::effect::CardFormat;

/// Whether `effect` is the import wizard's (`run` runs it).
pub(super) fn is_import(effect: &Effect) -> bool {
    matches!(
        effect,
        Effect::PreviewImport { .. }
            | Effect::ImportValues { .. }
            | Effect::ImportCards { .. }
            | Effect::RunImport { .. }
    )
}

/// One of the import wizard's effects (`is_import`).
pub(super) fn run(store: &mut Service, lang: Lang, effect: Effect) -> Result<Vec<StoreEvent>, StoreError> {
    Ok(match effect {
        Effect::PreviewImport { entity, path, read_as } => {
            // A vCard or iCalendar file, by its content: what it holds, no mapping.
            if let Some(format) = card_format(&path) {
                let text = card_text(&path)?;
                let count = match format {
                    CardFormat::VCard => crate::io::vcard_in::read(&text, store.options().region)
                        .map_err(|e| cards_failed(&path, e))?
                        .len(),
                    CardFormat::ICalendar => crate::io::ics_in::read(&text).map_err(|e| cards_failed(&path, e))?.len(),
                };
                return Ok(vec![StoreEvent::CardsPreview { format, count }]);
            }
            let table = read_table(&path, &read_as)?;
            let preset = crate::domain::import::Preset::detect(&table.headers);
            let mut targets = crate::domain::import::mapping(entity, preset, &table.headers);
            crate::domain::import::with_custom(&mut targets, &table.headers, &store.custom_fields(Some(entity))?);
            let separator = crate::io::import::separator_name(table.separator);
            vec![StoreEvent::ImportPreview(Box::new(crate::tui::effect::ImportPreview {
                read_as,
                encoding: table.encoding.to_string(),
                separator,
                preset: preset.map(|p| p.code().to_string()),
                headers: table.headers.clone(),
                targets,
                samples: table.rows(0).take(5).map(|(_, r)| r).collect(),
                rows: table.len(),
            }))]
        }
        Effect::ImportValues { entity, path, read_as, targets, preset } => {
            let table = read_table(&path, &read_as)?;
            let setup = crate::service::ImportSetup {
                entity,
                targets,
                preset,
                rules: Vec::new(),
                unknown: Default::default(),
                strict: false,
                opts: Default::default(),
            };
            let (_, unknown) = store.import_values(&table, &setup)?;
            let mut choices = store.import_choices(entity, &setup.targets, preset)?;
            choices.retain(|c| unknown.iter().any(|u| u.field == c.field));
            vec![StoreEvent::ImportValues { unknown, choices }]
        }
        Effect::ImportCards { path, format, dry_run } => import_cards(store, lang, &path, format, dry_run)?,
        Effect::RunImport { entity, path, targets, duplicates, match_on, dry_run, read_as, rules, preset } => {
            let table = read_table(&path, &read_as)?;
            let bulk = table.len() >= crate::store::import::BULK_ROWS;
            let opts =
                crate::store::import::ImportOptions { duplicates, match_on, dry_run, bulk, ..Default::default() };
            let setup = crate::service::ImportSetup {
                entity,
                targets,
                preset,
                rules,
                unknown: Default::default(),
                strict: false,
                opts,
            };
            let started = Instant::now();
            let report = store.import_table(&table, &setup, |_| {})?.report;
            let mut summary = crate::io::import::summary(lang, &path, &table, &report, started.elapsed().as_secs_f64());
            let listed = report.rows.listed().count();
            if listed > 0 && !dry_run {
                let file = crate::io::import::report_file_for(&path);
                crate::io::import::write_report(&file, store.path(), &table, &report)
                    .map_err(|e| StoreError::Io(file.clone(), std::io::Error::other(e.to_string())))?;
                summary.push(' ');
                summary.push_str(&crate::i18n::tr_count(
                    lang,
                    "msg.import_report",
                    listed as u64,
                    &[("path", &file.display().to_string())],
                ));
            }
            let rows = report_rows(lang, entity, &report, dry_run);
            let mut events = vec![StoreEvent::ImportDone { summary, rows }];
            if !dry_run {
                events.push(StoreEvent::FileUsed(path));
            }
            events
        }
        // `is_import` lets no other effect in.
        _ => Vec::new(),
    })
}

/// Reads a CSV file for the import wizard, every problem worded for the status line.
fn read_table(
    path: &std::path::Path,
    read_as: &crate::tui::effect::ReadAs,
) -> Result<crate::io::csv::Table, StoreError> {
    let failed = |e: crate::io::csv::CsvError| StoreError::Io(path.to_path_buf(), std::io::Error::other(e.to_string()));
    let encoding = read_as.encoding.as_deref().map(crate::io::csv::encoding_for).transpose().map_err(failed)?;
    let file = std::fs::File::open(path).map_err(|e| StoreError::Io(path.to_path_buf(), e))?;
    crate::io::csv::parse_file(file, encoding, read_as.separator).map_err(failed)
}

/// Report rows the result screen is sent, at most: the report file holds them all (a
/// 100,000-row import that skipped everything would send 10 MB of rows otherwise).
const REPORT_ROWS_SHOWN: usize = 2000;

/// The rows of an import's report as the result screen lists them: each row not created as
/// it was (the first `REPORT_ROWS_SHOWN`), worded in `lang`, with the record it names (after
/// a dry run, only a record that exists: one a row was matched with).
fn report_rows(
    lang: Lang,
    entity: Entity,
    report: &crate::domain::import_rows::ImportReport,
    dry_run: bool,
) -> Vec<crate::tui::effect::ReportRow> {
    use crate::domain::import_rows::RowOutcome;
    report
        .rows
        .listed()
        .take(REPORT_ROWS_SHOWN)
        .map(|(line, outcome)| {
            let (outcome_text, reason) = crate::io::import::outcome_words_in(lang, outcome);
            let real = !dry_run || !matches!(outcome, RowOutcome::Created { .. });
            let record = outcome.record().filter(|_| real).map(|id| RecordRef::new(entity, id));
            crate::tui::effect::ReportRow { line, outcome: outcome_text, reason, record }
        })
        .collect()
}

/// A vCard or iCalendar file by its content; `None` for anything else (a CSV table, or a
/// file that cannot be opened, which the CSV reading says).
fn card_format(path: &std::path::Path) -> Option<CardFormat> {
    match crate::io::cards::detect_file(path).ok()? {
        crate::io::cards::Format::VCard => Some(CardFormat::VCard),
        crate::io::cards::Format::ICalendar => Some(CardFormat::ICalendar),
        crate::io::cards::Format::Csv => None,
    }
}

/// A card file's problem, for the wizard's error line.
fn cards_failed(path: &std::path::Path, e: String) -> StoreError {
    StoreError::Io(path.to_path_buf(), std::io::Error::other(e))
}

/// A card file's whole text.
fn card_text(path: &std::path::Path) -> Result<String, StoreError> {
    crate::io::cards::read_text(path, None).map_err(|e| StoreError::Io(path.to_path_buf(), std::io::Error::other(e)))
}

/// Imports a vCard (contacts, their companies) or iCalendar (activities) file; its result
/// worded as the CLI words it, each card or entry not created as it was a row.
fn import_cards(
    store: &mut Service,
    lang: Lang,
    path: &std::path::Path,
    format: CardFormat,
    dry_run: bool,
) -> Result<Vec<StoreEvent>, StoreError> {
    use crate::domain::calendar_in::CalendarOutcome;
    let text = card_text(path)?;
    let file = path.display().to_string();
    let (summary, rows) = match format {
        CardFormat::VCard => {
            let rows = crate::io::vcard_in::read(&text, store.options().region).map_err(|e| cards_failed(path, e))?;
            drop(text);
            let bulk = rows.len() >= crate::store::import::BULK_ROWS;
            let opts = crate::store::import::ImportOptions { dry_run, bulk, ..Default::default() };
            let report = store.import(Entity::Contact, |from| rows[from.min(rows.len())..].to_vec(), opts, |_| {})?;
            let summary = tr_in(
                lang,
                if dry_run { "cards.vcard_dry_run" } else { "cards.vcard_done" },
                &[
                    ("file", &file),
                    ("cards", &rows.len().to_string()),
                    ("created", &report.created.to_string()),
                    ("merged", &report.merged.to_string()),
                    ("replaced", &report.replaced.to_string()),
                    ("skipped", &report.skipped.to_string()),
                    ("rejected", &report.rejected.to_string()),
                ],
            );
            (summary, report_rows(lang, Entity::Contact, &report, dry_run))
        }
        CardFormat::ICalendar => {
            let entries = crate::io::ics_in::read(&text).map_err(|e| cards_failed(path, e))?;
            drop(text);
            let count = entries.len();
            let report = store.import_calendar(entries, &[], dry_run)?;
            let summary = tr_in(
                lang,
                if dry_run { "cards.ics_dry_run" } else { "cards.ics_done" },
                &[
                    ("file", &file),
                    ("entries", &count.to_string()),
                    ("created", &report.created.to_string()),
                    ("updated", &report.updated.to_string()),
                    ("not_imported", &report.not_imported.to_string()),
                ],
            );
            let shown = |t: &Option<String>| crate::domain::text::shown_line(t.as_deref().unwrap_or("-")).into_owned();
            let rows = report
                .items
                .iter()
                .filter(|item| item.reason.is_some() || item.outcome != CalendarOutcome::Created)
                .map(|item| {
                    let key = match item.outcome {
                        CalendarOutcome::Created => "tui.import_entry_created",
                        CalendarOutcome::Updated => "tui.import_entry_updated",
                        CalendarOutcome::NotImported => "tui.import_entry_not_imported",
                    };
                    let outcome = tr_in(lang, key, &[("uid", &shown(&item.uid)), ("subject", &shown(&item.subject))]);
                    let reason = item.reason.clone().unwrap_or_default();
                    // The record its activity is bound to (after a dry run, only an activity
                    // that exists: one the entry would update).
                    let real = !dry_run || item.outcome == CalendarOutcome::Updated;
                    let record =
                        item.id.filter(|_| real).and_then(|id| store.activity(id).ok()).and_then(|a| a.record());
                    crate::tui::effect::ReportRow { line: item.line, outcome, reason, record }
                })
                .collect();
            (summary, rows)
        }
    };
    let mut events = vec![StoreEvent::ImportDone { summary, rows }];
    if !dry_run {
        events.push(StoreEvent::FileUsed(path.to_path_buf()));
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import_rows::{ImportReport, RowOutcome};

    #[test]
    fn the_result_screen_is_sent_the_first_rows_only() {
        let mut report = ImportReport::default();
        for i in 0..(REPORT_ROWS_SHOWN as u64 + 500) {
            report.add(i + 2, RowOutcome::Skipped { id: 1, matched_by: vec!["phone".into()] });
        }
        let rows = report_rows(Lang::En, Entity::Lead, &report, false);
        assert_eq!(rows.len(), REPORT_ROWS_SHOWN);
        assert_eq!((rows[0].line, rows[0].record), (2, Some(RecordRef::new(Entity::Lead, 1))));
    }
}
