//! Running one effect: the writes (and the few reads that answer a write), each turned
//! into the `StoreEvent`s the screens take; the reads are in `loads`.

use super::*;
use crate::i18n::tr_count;

/// "Saved" for an activity change, reported on the record the activity belongs to, so that
/// record's screen reloads.
fn saved_on_record(row: &crate::store::activities::ActivityRow, message: String) -> StoreEvent {
    let RecordRef { entity, id } = row.record().unwrap_or(RecordRef::new(Entity::Lead, 0));
    StoreEvent::Saved { entity, id, message, open: false, moved_to: None }
}

/// "Saved" for a change of a record's lines: which line, and the amount they make now.
fn line_saved(
    lang: Lang,
    record: RecordRef,
    lines: &crate::store::lines::RecordLines,
    key: &str,
    line: i64,
) -> StoreEvent {
    let amount = crate::present::money(lang, lines.totals.gross, Some(lines.currency.code()));
    let message = tr_in(
        lang,
        key,
        &[
            ("entity", &tr_in(lang, &format!("entity.{}", record.entity.code()), &[])),
            ("id", &record.id.to_string()),
            ("line", &line.to_string()),
            ("amount", &amount),
        ],
    );
    StoreEvent::Saved { entity: record.entity, id: record.id, message, open: false, moved_to: None }
}

/// "Saved" for a document, reported on its deal (whose form reloads); `out` is the file a
/// rendering wrote.
fn document_saved(lang: Lang, doc: &crate::domain::document::Document, key: &str, out: &str) -> StoreEvent {
    let kind = tr_in(lang, &format!("rule.doc_{}", doc.kind.code()), &[]);
    let args = [
        ("kind", kind.as_str()),
        ("entity", kind.as_str()),
        ("name", &doc.name()),
        ("deal", &doc.deal_id.to_string()),
        ("out", out),
    ];
    let said = tr_in(lang, key, &args);
    let mut c = said.chars();
    let message = c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
    StoreEvent::Saved { entity: Entity::Deal, id: doc.deal_id, message, open: false, moved_to: None }
}

fn stage_of(store: &Service, entity: Entity, id: i64) -> Option<i64> {
    match store.get(RecordRef::new(entity, id)).ok()?.get("stage") {
        Some(crate::store::records::Shown::Ref(r)) => Some(r.id),
        _ => None,
    }
}

pub(super) fn run_inner(store: &mut Service, lang: Lang, effect: Effect) -> Result<Vec<StoreEvent>, StoreError> {
    // Completing a path and keeping the recent files touch no data file: no lock is taken.
    if let Some(events) = super::files::run(&effect, lang) {
        return Ok(events);
    }
    // An import reads its file and writes through the service's import.
    if super::imports::is_import(&effect) {
        return super::imports::run(store, lang, effect);
    }
    // A screen's queries see one state of the file, which is locked for reading once: on a
    // network share every lock is a round trip to the server.
    let effect = match store.reading(|s| load(s, effect))? {
        Ok(events) => return Ok(events),
        Err(not_a_load) => not_a_load,
    };
    if let Effect::Admin(op) = effect {
        return super::admin::write(store, lang, op);
    }
    Ok(match effect {
        Effect::Move { .. } | Effect::MoveFilling { .. } => {
            let (entity, id, stage_code, reason) = match &effect {
                Effect::Move { entity, id, stage_code, reason, .. }
                | Effect::MoveFilling { entity, id, stage_code, reason, .. } => {
                    (*entity, *id, stage_code.clone(), reason.clone())
                }
                _ => unreachable!("matched above"),
            };
            let seen_stage = match &effect {
                Effect::Move { seen, .. } => seen.map(|s| s.stage),
                Effect::MoveFilling { seen, .. } => *seen,
                _ => None,
            };
            let moved = match effect {
                Effect::Move { seen: Some(s), .. } => {
                    store.move_seen(RecordRef::new(entity, id), s.stage, &stage_code, reason.as_deref())
                }
                Effect::MoveFilling { fill, seen, .. } => {
                    let record = RecordRef::new(entity, id);
                    store.move_filling(record, &stage_code, reason.as_deref(), seen, fill)
                }
                _ => store.move_stage(RecordRef::new(entity, id), &stage_code, reason.as_deref(), None),
            };
            let moved = match moved {
                Err(StoreError::Rule(crate::store::Rule::MissingFields { stage, fields })) => {
                    let fill = crate::tui::overlays::fill::FillForMove {
                        entity,
                        id,
                        stage_code,
                        stage,
                        reason,
                        seen: seen_stage,
                        fields,
                        filled: vec![],
                        more: vec![],
                        convert: None,
                    };
                    return Ok(vec![StoreEvent::FieldsNeeded(Box::new(fill))]);
                }
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
            let mut message = tr_in(
                lang,
                "msg.moved",
                &[
                    ("entity", &entity_word(lang, entity)),
                    ("id", &id.to_string()),
                    ("from", &moved.from.name),
                    ("to", &moved.to.name),
                ],
            );
            // The stage's rules that ran are said: what they did is on the timeline.
            if !moved.rules.is_empty() {
                message =
                    format!("{message} {}", crate::present::rules_ran(lang, &moved.rules, moved.handed_to.as_deref()));
            }
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
            // CRM simple mode: the lead typed became a deal, which the screens show.
            let (entity, saved) = match entity {
                Entity::Lead => match store.intake_deal(saved.id)? {
                    Some(deal) => (Entity::Deal, crate::store::Saved { id: deal, ..saved }),
                    None => (entity, saved),
                },
                _ => (entity, saved),
            };
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
        Effect::SaveLine { record, place, input } => {
            let (lines, key, line) = match place {
                None => {
                    let l = store.add_line(record, &input)?;
                    let n = l.lines.len() as i64;
                    (l, "product.line_added", n)
                }
                Some(p) => (store.edit_line(record, p, &input)?, "product.line_changed", p),
            };
            vec![line_saved(lang, record, &lines, key, line)]
        }
        Effect::NewDocument { deal, kind } => {
            let doc = match kind {
                crate::domain::document::DocKind::Invoice => {
                    store.add_invoice(crate::service::InvoiceFrom::Deal(deal))?
                }
                _ => store.add_quote(deal)?,
            };
            vec![document_saved(lang, &doc, "document.added", "")]
        }
        Effect::DocumentAction { id, kind, action, path } => {
            use crate::tui::screens::form::documents::DocAction;
            let (doc, key) = match action {
                DocAction::Status(s) => (store.set_document_status(id, kind, s)?, "document.status_set"),
                DocAction::Issue => (store.issue_invoice(id)?, "document.issued"),
                DocAction::Cancel => {
                    let (invoice, note) = store.cancel_invoice(id)?;
                    let message =
                        tr_in(lang, "document.cancelled", &[("name", &invoice.name()), ("note", &note.name())]);
                    return Ok(vec![StoreEvent::Saved {
                        entity: Entity::Deal,
                        id: invoice.deal_id,
                        message,
                        open: false,
                        moved_to: None,
                    }]);
                }
                DocAction::Invoice => (store.add_invoice(crate::service::InvoiceFrom::Quote(id))?, "document.added"),
                DocAction::Delete => {
                    let doc = store.document_of(id, kind)?;
                    store.delete_document(id, kind)?;
                    (doc, "document.deleted")
                }
                DocAction::Render => {
                    let path = path.unwrap_or_default();
                    let (bytes, doc) = store.render_document(id, kind, crate::io::documents::Format::Pdf, lang)?;
                    crate::files::create(store.path(), &path)
                        .and_then(|mut f| std::io::Write::write_all(&mut f, &bytes))
                        .map_err(|e| StoreError::Io(path.clone(), e))?;
                    let out = path.display().to_string();
                    return Ok(vec![StoreEvent::FileUsed(path), document_saved(lang, &doc, "document.rendered", &out)]);
                }
            };
            vec![document_saved(lang, &doc, key, "")]
        }
        Effect::DeleteLine { record, place } => {
            let lines = store.delete_line(record, place)?;
            vec![line_saved(lang, record, &lines, "product.line_deleted", place)]
        }
        Effect::Comment { entity, id, text } => {
            store.comment(RecordRef::new(entity, id), &text)?;
            let message =
                tr_in(lang, "msg.commented", &[("entity", &entity_word(lang, entity)), ("id", &id.to_string())]);
            vec![StoreEvent::Saved { entity, id, message, open: false, moved_to: None }]
        }
        Effect::BulkMove { entity, ids, stage_code, reason, fill } => {
            // What the records moved to, by its name as the user knows it.
            let mut stage = stage_code.clone();
            // Records lacking fields the stage requires, and those fields: asked once for all.
            let mut lacking: Vec<i64> = Vec::new();
            let mut needed: Vec<crate::domain::custom_field::CustomField> = Vec::new();
            let done = bulk(store, lang, &ids, |store, id| {
                // A record already in that stage is not counted as moved; a refusal (a rule,
                // a deactivated user) is said, not swallowed.
                let record = RecordRef::new(entity, id);
                let m = match store.move_stage(record, &stage_code, reason.as_deref(), None) {
                    Err(StoreError::Rule(crate::store::Rule::MissingFields { stage: name, fields })) => {
                        let given =
                            |f: &crate::domain::custom_field::CustomField| fill.iter().any(|(c, _)| *c == f.code);
                        if !fields.iter().all(given) {
                            stage = name;
                            lacking.push(id);
                            needed.extend(fields.into_iter().filter(|f| !given(f)));
                            return Ok(false);
                        }
                        let own: Vec<(String, String)> =
                            fill.iter().filter(|(c, _)| fields.iter().any(|f| f.code == *c)).cloned().collect();
                        store.move_filling(record, &stage_code, reason.as_deref(), None, own)?
                    }
                    other => other?,
                };
                stage = m.to.name;
                Ok(!m.unchanged)
            });
            // Nothing moved and nothing refused: only the question is worth saying.
            let only_asked = done.done == 0 && done.refusals.is_empty() && !lacking.is_empty();
            let mut events = if only_asked {
                vec![]
            } else {
                done.events(entity, |n| tr_count(lang, "tui.bulk_moved", n, &[("stage", &stage)]))
            };
            if let Some((&first, more)) = lacking.split_first() {
                needed.sort_by_key(|f| (f.position, f.id));
                needed.dedup_by_key(|f| f.id);
                let fill = crate::tui::overlays::fill::FillForMove {
                    entity,
                    id: first,
                    stage_code,
                    stage,
                    reason,
                    seen: None,
                    fields: needed,
                    filled: fill,
                    more: more.to_vec(),
                    convert: None,
                };
                events.push(StoreEvent::FieldsNeeded(Box::new(fill)));
            }
            events
        }
        Effect::BulkAssign { entity, ids, login } => {
            let user = store.users()?.into_iter().find(|u| u.login == login).map_or(login.clone(), |u| u.display_name);
            let input = RecordInput { fields: vec![("responsible".into(), login)], ..Default::default() };
            let done = bulk(store, lang, &ids, |store, id| {
                store.update(RecordRef::new(entity, id), None, &input).map(|_| true)
            });
            done.events(entity, |n| tr_count(lang, "tui.bulk_assigned", n, &[("user", &user)]))
        }
        Effect::SaveView { entity, name, shared, spec } => {
            let view = store.save_view(entity, &name, shared, *spec)?;
            vec![StoreEvent::ViewSaved { entity, view: Box::new(view) }]
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
                    lost_reasons: store.lost_reasons()?,
                    admin: super::admin::administers(store),
                    crm_mode: store.crm_mode()?,
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
            direction,
            location,
            description,
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
            let more = crate::store::activities::ActivityDetails { reminder_minutes, direction, location, description };
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
        Effect::Convert { lead_id, plan } => match store.convert_lead(lead_id, &plan) {
            // Fields the lead or a new record requires: asked, then the conversion again.
            Err(StoreError::Rule(crate::store::Rule::MissingFields { stage, fields })) => {
                let fill = crate::tui::overlays::fill::FillForMove {
                    entity: Entity::Lead,
                    id: lead_id,
                    stage_code: String::new(),
                    stage,
                    reason: None,
                    seen: None,
                    fields,
                    filled: vec![],
                    more: vec![],
                    convert: Some(Box::new(plan)),
                };
                vec![StoreEvent::FieldsNeeded(Box::new(fill))]
            }
            done => vec![StoreEvent::Converted(Box::new(done?))],
        },
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
