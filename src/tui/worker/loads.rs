//! The effects that only read: boards, cards, lists, records, search, agenda, calendar,
//! conversion and merge previews, counters.

use super::*;

/// The signed-in user's activities (done ones too) in `[from, to)`, after `after` in time
/// order, at most `limit`: what the calendar's day counts count.
fn calendar_list(
    store: &Service,
    (from, to): (i64, i64),
    after: Option<(i64, i64)>,
    limit: usize,
) -> Result<Vec<crate::store::activities::ActivityRow>, StoreError> {
    store.activities(&crate::store::activities::ActivityFilter {
        from: Some(from),
        to: Some(to),
        responsible_id: Some(store.user().map(|u| u.id).unwrap_or(0)),
        include_done: true,
        limit,
        after,
        ..Default::default()
    })
}

/// Whether an effect only reads (it may be dropped for the same read queued after it).
pub(crate) fn is_read(effect: &Effect) -> bool {
    matches!(
        effect,
        Effect::LoadBoard { .. }
            | Effect::LoadCards { .. }
            | Effect::LoadList { .. }
            | Effect::LoadListTotals { .. }
            | Effect::LoadViews { .. }
            | Effect::LoadRecord { .. }
            | Effect::LoadProducts
            | Effect::LoadDocuments { .. }
            | Effect::LoadReports { .. }
            | Effect::LoadReportFunnel { .. }
            | Effect::LoadReportConversion { .. }
            | Effect::LoadReportForecast { .. }
            | Effect::LoadReportActivity { .. }
            | Effect::LoadReference
            | Effect::LoadTriage { .. }
            | Effect::Search { .. }
            | Effect::LoadAgenda { .. }
            | Effect::LoadAgendaPage { .. }
            | Effect::LoadCalendar { .. }
            | Effect::LoadCalendarPage { .. }
            | Effect::LoadDateFields
            | Effect::LoadConversionNeeds { .. }
            | Effect::LoadConversion { .. }
            | Effect::LoadMergePreview { .. }
            | Effect::LoadCounters
            | Effect::LoadTeam { .. }
    )
}

/// The records of a day the calendar lists by a date field (the day's count says how many
/// there are in all).
const DATED_PAGE: usize = 200;

/// The events of an effect that only reads, or the effect back when it writes.
pub(super) fn load(store: &Service, effect: Effect) -> Result<Result<Vec<StoreEvent>, Effect>, StoreError> {
    Ok(Ok(match effect {
        Effect::LoadBoard { entity, pipeline } => {
            let name = pipeline.map(|p| p.to_string());
            let name = if entity == Entity::Lead { None } else { name };
            let (pipeline, heads) = store.board(entity, name.as_deref())?;
            // A board showing a record is no empty file: asked only when it shows none (on a
            // server, reading four more tables costs a new connection a few milliseconds).
            let empty_file = heads.iter().all(|h| h.count == 0) && store.holds_no_records().unwrap_or(false);
            vec![StoreEvent::Board { entity, pipeline, heads, empty_file }]
        }
        Effect::LoadCards { entity, pipeline, stage_id, stage_code, anchor, rots } => {
            let mut filter = ListFilter {
                stage: Some(stage_code.clone()),
                pipeline: if entity == Entity::Deal { pipeline.map(|p| p.to_string()) } else { None },
                limit: crate::tui::app::PAGE,
                ..Default::default()
            };
            let mut position = None;
            match anchor {
                Anchor::Top => {}
                Anchor::Bottom => filter.oldest_first = true,
                Anchor::Before(id) => filter.before_id = Some(id),
                Anchor::After(id) => filter.after_id = Some(id),
                Anchor::At(id) => {
                    let newer = store.list_count(entity, &ListFilter { after_id: Some(id), ..filter.clone() })?;
                    position = Some(newer as usize);
                    filter.before_id = Some(id + 1);
                }
            }
            let rows = store.list(entity, &filter)?;
            // Cards left alone past their stage's rotting limit are marked. Marks are a help:
            // without them (an error reading them) the cards still show.
            let stale = match rots {
                true => store.stale_ids(entity, &rows.iter().map(|r| r.id).collect::<Vec<_>>()).unwrap_or_default(),
                false => Vec::new(),
            };
            vec![StoreEvent::Cards { entity, stage_id, anchor, rows, position, stale }]
        }
        Effect::LoadList { entity, mut filter, view, append } => {
            let columns = store.apply_view(entity, &mut filter, &view)?;
            let rows = store.list(entity, &filter)?;
            let fields = store.custom_fields(Some(entity))?;
            vec![StoreEvent::List { entity, rows, append, columns, fields, filter }]
        }
        Effect::LoadListTotals { entity, filter } => {
            vec![StoreEvent::ListTotals { entity, totals: store.list_totals(entity, &filter)? }]
        }
        Effect::LoadViews { entity } => vec![StoreEvent::Views { entity, views: store.list_views(Some(entity))? }],
        Effect::LoadRecord { entity, id } => {
            let record = store.get(RecordRef::new(entity, id))?;
            let timeline = store.timeline(RecordRef::new(entity, id), 200)?;
            let stages = match record.get("stage") {
                Some(crate::store::records::Shown::Ref(s)) => store.sibling_stages(s.id)?,
                _ => vec![],
            };
            let activities = store.activities(&crate::store::activities::ActivityFilter {
                record: Some(RecordRef::new(entity, id)),
                limit: 100,
                ..Default::default()
            })?;
            let layout = Box::new(store.layout(entity)?);
            let at = RecordRef::new(entity, id);
            let lines = if crate::store::lines::holds_lines(entity) { Some(store.lines(at)?) } else { None };
            let documents = if entity == Entity::Deal { store.documents(Some(id), None)? } else { vec![] };
            let attached = Box::new(crate::tui::effect::Attached { lines, documents });
            vec![StoreEvent::Record { record: Box::new(record), timeline, stages, activities, layout, attached }]
        }
        Effect::LoadProducts => vec![StoreEvent::Products(store.products(false)?)],
        Effect::LoadReports { period } => {
            let now = crate::domain::when::from_ms(store.now()).with_timezone(&chrono::Local);
            let (current, previous) = period.bounds(&now);
            let scope = crate::service::ReportScope::default();
            let data = crate::tui::screens::reports::ReportsData {
                won_lost: store.report_won_lost(&scope, current, previous)?,
                forecast: None,
                conversion: None,
            };
            vec![StoreEvent::Reports { period, data: Box::new(data) }]
        }
        Effect::LoadReportConversion { period } => {
            let now = crate::domain::when::from_ms(store.now()).with_timezone(&chrono::Local);
            let (current, previous) = period.bounds(&now);
            let report = store.report_conversion(&crate::service::ReportScope::default(), current, previous)?;
            vec![StoreEvent::ReportConversion { period, report: Box::new(report) }]
        }
        Effect::LoadReportForecast { period } => {
            let report = store.report_forecast(&crate::service::ReportScope::default())?;
            vec![StoreEvent::ReportForecast { period, report: Box::new(report) }]
        }
        Effect::LoadReportFunnel { period } => {
            let now = crate::domain::when::from_ms(store.now()).with_timezone(&chrono::Local);
            let (current, previous) = period.bounds(&now);
            let scope = crate::service::ReportScope::default();
            // CRM simple mode: the deals' funnel, as there are no leads.
            let entity = store.crm_mode()?.first_entity();
            let report = store.report_funnel(&scope, entity, current, previous)?;
            vec![StoreEvent::ReportFunnel { period, report: Box::new(report) }]
        }
        Effect::LoadReportActivity { period } => {
            let now = crate::domain::when::from_ms(store.now()).with_timezone(&chrono::Local);
            let (current, _) = period.bounds(&now);
            let report = store.report_activity(&crate::service::ReportScope::default(), current)?;
            vec![StoreEvent::ReportActivity { period, report: Box::new(report) }]
        }
        Effect::LoadDocuments { kind } => {
            vec![StoreEvent::Documents { kind, docs: store.documents(None, Some(kind))? }]
        }
        Effect::LoadReference => {
            let users = store.users()?.into_iter().filter(|u| u.active).map(|u| (u.login, u.display_name)).collect();
            let pipelines = store.pipelines(Entity::Deal)?;
            let sources = store.sources()?.into_iter().map(|s| (s.code, s.name)).collect();
            let lost_reasons = store.lost_reasons()?;
            vec![StoreEvent::Reference {
                users,
                pipelines,
                sources,
                lost_reasons,
                admin: super::admin::administers(store),
                crm_mode: store.crm_mode()?,
            }]
        }
        Effect::LoadTriage { exclude, first } => {
            vec![StoreEvent::Triage(store.triage_next(&exclude, first)?.map(Box::new))]
        }
        Effect::Search { text, generation } => {
            let hits = if text.trim().is_empty() { vec![] } else { store.search(&text, 30)? };
            vec![StoreEvent::SearchResults { generation, hits }]
        }
        Effect::LoadAgenda { entity, bounds, responsible: None } => {
            vec![StoreEvent::AgendaCounts(store.activity_board_counts(entity, bounds)?)]
        }
        Effect::LoadAgenda { entity, bounds, responsible: Some(login) } => {
            // One user's leads: the same six ranges as the engine's counts, with the list's
            // "mine" filter.
            let mut counts = [0i64; 6];
            for (n, bucket) in counts.iter_mut().zip(crate::domain::agenda::ActivityBucket::ALL) {
                let filter = ListFilter {
                    next_activity: Some(crate::tui::screens::agenda::bucket_range(bucket, bounds)),
                    open_stages_only: true,
                    all_pipelines: entity == Entity::Deal,
                    responsible: Some(login.clone()),
                    ..Default::default()
                };
                *n = store.list_count(entity, &filter)?;
            }
            vec![StoreEvent::AgendaCounts(counts)]
        }
        Effect::LoadAgendaPage { entity, bucket, range, responsible, offset, limit } => {
            let filter = ListFilter {
                next_activity: Some(range),
                open_stages_only: true,
                all_pipelines: entity == Entity::Deal,
                responsible,
                sort: Some(crate::store::records::ListSort {
                    key: crate::store::records::SortField::NextActivity,
                    reverse: false,
                }),
                offset,
                limit,
                ..Default::default()
            };
            vec![StoreEvent::AgendaPage { bucket, offset, rows: store.list(entity, &filter)? }]
        }
        Effect::LoadCalendar { days, list_from, list_to, limit, hours, by, day } => {
            // A salesperson's calendar: their own activities, and the records they may see
            // by the date field chosen.
            let me = store.user().map(|u| u.id).unwrap_or(0);
            let counts = store.activity_day_counts(me, &days)?;
            let activities = calendar_list(store, (list_from, list_to), None, limit)?;
            let hours = store.activity_slots(me, &hours, store.now())?;
            let (dated_counts, dated) = match (&by, days.first(), days.last()) {
                // A field deleted meanwhile shows no record: the activities still load.
                (Some(by), Some(first), Some(last)) => {
                    let end = last.0 + chrono::Duration::days(1);
                    let counts = store.count_by_day(by, first.0, end).unwrap_or_default();
                    (counts, store.records_on(by, day, DATED_PAGE).unwrap_or_default())
                }
                _ => (vec![], vec![]),
            };
            vec![StoreEvent::CalendarData { counts, activities, hours, dated_counts, dated }]
        }
        Effect::LoadConversionNeeds { lead_id, plan } => {
            vec![StoreEvent::ConversionNeeds { lead_id, needs: store.conversion_lacks(lead_id, &plan)? }]
        }
        Effect::LoadDateFields => {
            let mut fields = Vec::new();
            for entity in [Entity::Lead, Entity::Deal, Entity::Contact, Entity::Company] {
                fields.extend(store.date_fields(entity)?);
            }
            vec![StoreEvent::DateFields(fields)]
        }
        Effect::LoadCalendarPage { list_from, list_to, after, limit } => {
            let activities = calendar_list(store, (list_from, list_to), Some(after), limit)?;
            vec![StoreEvent::CalendarPage { list_from, activities }]
        }
        Effect::LoadConversion { lead_id } => {
            let record = store.get(RecordRef::new(Entity::Lead, lead_id))?;
            let contacts = store.duplicates_of_record(RecordRef::new(Entity::Lead, lead_id), Entity::Contact)?;
            let companies = store.duplicates_of_record(RecordRef::new(Entity::Lead, lead_id), Entity::Company)?;
            let open_activities = store
                .activities(&crate::store::activities::ActivityFilter {
                    record: Some(RecordRef::new(Entity::Lead, lead_id)),
                    limit: 1_000,
                    ..Default::default()
                })?
                .iter()
                .filter(|a| !a.completed)
                .count();
            vec![StoreEvent::Conversion { record: Box::new(record), contacts, companies, open_activities }]
        }
        Effect::LoadMergePreview { entity, keep, others } => {
            vec![StoreEvent::MergePreview(store.merge_preview(entity, keep, &others)?)]
        }
        Effect::LoadCounters => {
            let now = crate::domain::when::from_ms(store.now()).with_timezone(&chrono::Local);
            let b = crate::domain::agenda::bounds(&now);
            let counters = match store.user() {
                Some(u) => store.counters(u.id, b.now.timestamp_millis(), b.tomorrow.timestamp_millis())?,
                None => Default::default(),
            };
            vec![StoreEvent::Counters(counters)]
        }
        Effect::LoadTeam { deal_pipeline } => {
            vec![StoreEvent::Team(Box::new(super::admin::load_team(store, deal_pipeline.as_deref())?))]
        }
        other => return Ok(Err(other)),
    }))
}
