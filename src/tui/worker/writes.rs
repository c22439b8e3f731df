//! Running one effect: the writes (and the few reads that answer a write), each turned
//! into the `StoreEvent`s the screens take; the reads are in `loads`.

use super::*;
use crate::i18n::tr_count;
use crate::tui::effect::CardFormat;

/// "Saved" for an activity change, reported on the record the activity belongs to, so that
/// record's screen reloads.
fn saved_on_record(row: &crate::store::activities::ActivityRow, message: String) -> StoreEvent {
    let RecordRef { entity, id } = row.record().unwrap_or(RecordRef::new(Entity::Lead, 0));
    StoreEvent::Saved { entity, id, message, open: false, moved_to: None }
}

fn stage_of(store: &Service, entity: Entity, id: i64) -> Option<i64> {
    match store.get(RecordRef::new(entity, id)).ok()?.get("stage") {
        Some(crate::store::records::Shown::Ref(r)) => Some(r.id),
        _ => None,
    }
}

pub(super) fn run_inner(store: &mut Service, lang: Lang, effect: Effect) -> Result<Vec<StoreEvent>, StoreError> {
    // Completing a path and keeping the recent files touch no data file: no lock is taken.
    if let Some(events) = super::files::run(&effect) {
        return Ok(events);
    }
    // A screen's queries see one state of the file, which is locked for reading once: on a
    // network share every lock is a round trip to the server.
    let effect = match store.reading(|s| load(s, effect))? {
        Ok(events) => return Ok(events),
        Err(not_a_load) => not_a_load,
    };
    Ok(match effect {
        Effect::Move { entity, id, seen, stage_code, reason } => {
            let moved = match seen {
                Some(s) => store.move_seen(RecordRef::new(entity, id), s.stage, &stage_code, reason.as_deref()),
                None => store.move_stage(RecordRef::new(entity, id), &stage_code, reason.as_deref(), None),
            };
            let moved = match moved {
                Err(StoreError::MovedMeanwhile { stage, by, at, .. }) => {
                    // Someone else moved it: say so, and move nothing.
                    let message = tr_in(
                        lang,
                        "msg.moved_meanwhile",
                        &[
                            ("entity", &entity_word(lang, entity)),
                            ("id", &id.to_string()),
                            ("stage", &stage),
                            ("user", &by),
                            ("at", &crate::present::time(lang, at)),
                        ],
                    );
                    return Ok(vec![StoreEvent::Failed { message, field: None, conflict: true }]);
                }
                other => other?,
            };
            let message = tr_in(
                lang,
                "msg.moved",
                &[
                    ("entity", &entity_word(lang, entity)),
                    ("id", &id.to_string()),
                    ("from", &moved.from.name),
                    ("to", &moved.to.name),
                ],
            );
            vec![
                StoreEvent::Moved { entity, id, stage_id: moved.to.id },
                StoreEvent::Saved { entity, id, message, open: false, moved_to: Some(moved.to.id) },
            ]
        }
        Effect::Export { entity, filter, ids, path, excel } => {
            // The file holds what the data file holds: it gets its permission bits.
            let file = crate::files::create(store.path(), &path).map_err(|e| StoreError::Io(path.clone(), e))?;
            let mut out = std::io::BufWriter::new(file);
            let pages = |page: &mut dyn FnMut(&[crate::domain::record::Record]) -> anyhow::Result<()>| {
                store.for_each_page(entity, &filter, ids.as_deref(), page)
            };
            let written = if excel {
                crate::io::export::write_excel(entity, lang, &mut out, pages)
            } else {
                crate::io::export::write_csv(entity, &mut out, pages)
            };
            let count = written
                .and_then(|n| std::io::Write::flush(&mut out).map(|_| n).map_err(anyhow::Error::from))
                .map_err(|e| StoreError::Io(path.clone(), std::io::Error::other(e.to_string())))?;
            let message = tr_in(
                lang,
                "msg.records_exported",
                &[("count", &count.to_string()), ("path", &path.display().to_string())],
            );
            vec![StoreEvent::FileUsed(path), StoreEvent::Saved { entity, id: 0, message, open: false, moved_to: None }]
        }
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
            let targets = crate::domain::import::mapping(entity, preset, &table.headers);
            let separator =
                if table.separator == b'\t' { "tab".to_string() } else { (table.separator as char).to_string() };
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
            let mut summary = tr_in(
                lang,
                if dry_run { "msg.import_dry_run" } else { "msg.import_done" },
                &[
                    ("file", &path.display().to_string()),
                    ("encoding", table.encoding),
                    ("separator", &(table.separator as char).to_string()),
                    ("rows", &table.len().to_string()),
                    ("created", &report.created.to_string()),
                    ("merged", &report.merged.to_string()),
                    ("replaced", &report.replaced.to_string()),
                    ("skipped", &report.skipped.to_string()),
                    ("rejected", &report.rejected.to_string()),
                    ("seconds", &format!("{:.2}", started.elapsed().as_secs_f64())),
                ],
            );
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
        Effect::Take { id } => {
            store.take_lead(id)?;
            let message = tr_in(lang, "msg.lead_taken", &[("id", &id.to_string())]);
            vec![StoreEvent::Saved { entity: Entity::Lead, id, message, open: false, moved_to: None }]
        }
        Effect::UndoTriage { step } => {
            use crate::tui::screens::triage::TriageStep;
            match step {
                TriageStep::Moved { id, from } => {
                    store.move_stage(RecordRef::new(Entity::Lead, id), &from, None, None)?;
                }
                TriageStep::Assigned { id, from } => {
                    let input = RecordInput {
                        fields: vec![("responsible".into(), from.unwrap_or_default())],
                        ..Default::default()
                    };
                    store.update(RecordRef::new(Entity::Lead, id), None, &input)?;
                }
                TriageStep::Planned { id } => {
                    let open = store.activities(&crate::store::activities::ActivityFilter {
                        record: Some(RecordRef::new(Entity::Lead, id)),
                        ..Default::default()
                    })?;
                    if let Some(newest) = open.iter().max_by_key(|a| a.id) {
                        store.delete_activity(newest.id)?;
                    }
                }
                TriageStep::Skipped { .. } => {}
            }
            vec![]
        }
        Effect::Create { entity, input, open } => {
            let saved = store.create(entity, &input)?;
            let message =
                tr_in(lang, "msg.created", &[("entity", &entity_word(lang, entity)), ("id", &saved.id.to_string())]);
            let moved_to = stage_of(store, entity, saved.id);
            vec![StoreEvent::Saved { entity, id: saved.id, message, open, moved_to }]
        }
        Effect::Update { entity, id, version, input, field: _, base } => {
            let saved = match store.update(RecordRef::new(entity, id), Some(version), &input) {
                Err(StoreError::Conflict { .. }) => {
                    let now = store.get(RecordRef::new(entity, id))?;
                    if input.fields.is_empty() {
                        // Phones and e-mails added or removed combine with any other change.
                        store.update(RecordRef::new(entity, id), Some(now.version), &input)?
                    } else if base.is_empty() {
                        return Err(StoreError::Conflict { entity, id, expected: version, actual: now.version });
                    } else {
                        return Ok(vec![StoreEvent::Conflict(Box::new(EditConflict::of(&now, &base, &input)))]);
                    }
                }
                other => other?,
            };
            let message = if saved.changed.is_empty() {
                tr_in(lang, "msg.unchanged", &[("entity", &entity_word(lang, entity)), ("id", &id.to_string())])
            } else {
                tr_in(
                    lang,
                    "msg.updated",
                    &[
                        ("entity", &entity_word(lang, entity)),
                        ("id", &id.to_string()),
                        ("version", &saved.version.to_string()),
                    ],
                )
            };
            vec![StoreEvent::Saved { entity, id, message, open: false, moved_to: None }]
        }
        Effect::Comment { entity, id, text } => {
            store.comment(RecordRef::new(entity, id), &text)?;
            let message =
                tr_in(lang, "msg.commented", &[("entity", &entity_word(lang, entity)), ("id", &id.to_string())]);
            vec![StoreEvent::Saved { entity, id, message, open: false, moved_to: None }]
        }
        Effect::BulkMove { entity, ids, stage_code, reason } => {
            // What the records moved to, by its name as the user knows it.
            let mut stage = stage_code.clone();
            let done = bulk(store, lang, &ids, |store, id| {
                // A record already in that stage is not counted as moved; a refusal (a rule,
                // a deactivated user) is said, not swallowed.
                let m = store.move_stage(RecordRef::new(entity, id), &stage_code, reason.as_deref(), None)?;
                stage = m.to.name;
                Ok(!m.unchanged)
            });
            done.events(entity, |n| tr_count(lang, "tui.bulk_moved", n, &[("stage", &stage)]))
        }
        Effect::BulkAssign { entity, ids, login } => {
            let user = store.users()?.into_iter().find(|u| u.login == login).map_or(login.clone(), |u| u.display_name);
            let input = RecordInput { fields: vec![("responsible".into(), login)], ..Default::default() };
            let done = bulk(store, lang, &ids, |store, id| {
                store.update(RecordRef::new(entity, id), None, &input).map(|_| true)
            });
            done.events(entity, |n| tr_count(lang, "tui.bulk_assigned", n, &[("user", &user)]))
        }
        Effect::BulkDelete { entity, ids } => {
            let done =
                bulk(store, lang, &ids, |store, id| store.delete(RecordRef::new(entity, id), None).map(|_| true));
            done.events(entity, |n| tr_count(lang, "tui.bulk_deleted", n, &[]))
        }
        Effect::LoadDemo { leads } => {
            let report = store.load_demo(crate::demo::DemoOptions { leads, seed: 42 })?;
            let message = report.summary(lang);
            vec![
                StoreEvent::Reference {
                    users: store.users()?.into_iter().map(|u| (u.login, u.display_name)).collect(),
                    pipelines: store.pipelines(Entity::Deal)?,
                    sources: store.sources()?.into_iter().map(|s| (s.code, s.name)).collect(),
                },
                StoreEvent::Saved { entity: Entity::Lead, id: 0, message, open: false, moved_to: None },
            ]
        }
        Effect::PlanActivity {
            targets,
            kind,
            subject,
            deadline,
            duration_minutes,
            priority,
            responsible,
            reminder_minutes,
        } => {
            let responsible_id = responsible.as_deref().map(|r| store.user_id_of(r)).transpose()?;
            let RecordRef { entity, id } = targets.first().copied().unwrap_or(RecordRef::new(Entity::Lead, 0));
            let new = crate::store::activities::NewActivity {
                kind,
                subject,
                deadline,
                duration_minutes,
                priority,
                responsible_id,
                completed: false,
                bindings: targets,
            };
            let more = crate::store::activities::ActivityDetails { reminder_minutes, ..Default::default() };
            let activity = store.plan_activity(new, &more)?;
            let row = store.activity(activity)?;
            let message = tr_in(
                lang,
                "msg.activity_planned",
                &[
                    ("id", &activity.to_string()),
                    ("subject", &row.subject),
                    ("at", &crate::present::time(lang, row.deadline)),
                ],
            );
            vec![StoreEvent::Saved { entity, id, message, open: false, moved_to: None }]
        }
        Effect::UpdateActivity { id, deadline, subject, priority, duration_minutes, responsible } => {
            let responsible_id = responsible.as_deref().map(|r| store.user_id_of(r)).transpose()?;
            let subject = (!subject.is_empty()).then_some(subject);
            let change = crate::store::activities::ActivityChange {
                deadline: Some(deadline),
                subject,
                priority: Some(priority),
                duration_minutes,
                responsible_id,
            };
            store.update_activity(id, &change)?;
            let row = store.activity(id)?;
            let message = tr_in(
                lang,
                "msg.activity_changed",
                &[("id", &id.to_string()), ("at", &crate::present::time(lang, deadline))],
            );
            vec![saved_on_record(&row, message)]
        }
        Effect::DeleteActivity { id } => {
            let row = store.activity(id)?;
            store.delete_activity(id)?;
            let message = tr_in(lang, "msg.activity_deleted", &[("id", &id.to_string())]);
            vec![saved_on_record(&row, message)]
        }
        Effect::CompleteNext { entity, id } => {
            let next = store.activities(&crate::store::activities::ActivityFilter {
                record: Some(RecordRef::new(entity, id)),
                limit: 1,
                ..Default::default()
            })?;
            let Some(a) = next.first() else {
                return Ok(vec![StoreEvent::Failed {
                    message: tr_in(lang, "tui.no_open_activity", &[]),
                    field: None,
                    conflict: false,
                }]);
            };
            store.complete_activity(a.id)?;
            let message = tr_in(lang, "msg.activity_done", &[("id", &a.id.to_string())]);
            vec![StoreEvent::Saved { entity, id, message, open: false, moved_to: None }]
        }
        Effect::CompleteActivity { id } => {
            let row = store.activity(id)?;
            store.complete_activity(id)?;
            let message = tr_in(lang, "msg.activity_done", &[("id", &id.to_string())]);
            vec![saved_on_record(&row, message)]
        }
        Effect::Convert { lead_id, plan } => {
            let done = store.convert_lead(lead_id, &plan)?;
            vec![StoreEvent::Converted(Box::new(done))]
        }
        Effect::CheckDuplicates { entity, id, input, then } => {
            let mut matches = store.duplicates_of_input(entity, id, &input)?;
            if id.is_some() {
                // An edit only asks about matches the edit itself brings.
                let before = store.duplicates_of_input(entity, id, &RecordInput::default())?;
                matches.retain(|m| !before.iter().any(|b| b.id == m.id));
            }
            if matches.is_empty() {
                return run_inner(store, lang, *then);
            }
            vec![StoreEvent::PossibleDuplicates { matches, then }]
        }
        Effect::Merge { entity, keep, others, choices } => {
            let merged = store.merge(entity, keep, &others, &choices, None)?;
            let ids: Vec<String> = merged.merged.iter().map(|i| format!("#{i}")).collect();
            let message = tr_in(
                lang,
                "msg.merged",
                &[("entity", &entity_word(lang, entity)), ("id", &keep.to_string()), ("others", &ids.join(", "))],
            );
            vec![StoreEvent::Saved { entity, id: keep, message, open: false, moved_to: None }]
        }
        // The reads (`loads::is_read`, the one list of them) are answered by `load` above.
        loaded => load(store, loaded)?.unwrap_or_default(),
    })
}

/// What a bulk action did: how many records it changed, and each refusal (`#id: why`).
struct BulkDone {
    done: u64,
    refusals: Vec<String>,
}

impl BulkDone {
    /// "Saved" with what was done (`said(count)`), then the refusals if any.
    fn events(self, entity: Entity, said: impl FnOnce(u64) -> String) -> Vec<StoreEvent> {
        let mut events =
            vec![StoreEvent::Saved { entity, id: 0, message: said(self.done), open: false, moved_to: None }];
        if !self.refusals.is_empty() {
            events.push(StoreEvent::Failed { message: self.refusals.join("; "), field: None, conflict: false });
        }
        events
    }
}

/// Runs `op` on each record of a bulk action; `op` says whether it changed the record.
fn bulk(
    store: &mut Service,
    lang: Lang,
    ids: &[i64],
    mut op: impl FnMut(&mut Service, i64) -> Result<bool, StoreError>,
) -> BulkDone {
    let mut done = BulkDone { done: 0, refusals: Vec::new() };
    for id in ids {
        match op(store, *id) {
            Ok(true) => done.done += 1,
            Ok(false) => {}
            Err(e) => done.refusals.push(format!("#{id}: {}", e.message(lang))),
        }
    }
    done
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

/// The rows of an import's report as the result screen lists them: each row not created as
/// it was, worded in `lang`, with the record it names (after a dry run, only a record that
/// exists: one a row was matched with).
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
