//! What the list asks of the store: its filters, sort and view made one `ListFilter` (a
//! page, or the next), and the export of what it shows.

use super::*;

/// The store filter a list view asks for; `append` continues after the loaded rows.
pub fn list_effect(app: &mut App, entity: Entity, append: bool) -> Effect {
    let user = app.user.clone();
    let today_start = {
        use chrono::TimeZone;
        let now = crate::domain::when::from_ms(app.now_ms).with_timezone(&chrono::Local);
        chrono::Local
            .from_local_datetime(&now.date_naive().and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|d| d.timestamp_millis())
            .unwrap_or(app.now_ms)
    };
    // The deal list shows the pipeline the deal board shows.
    let pipeline = (entity == Entity::Deal).then(|| app.deal_board.pipeline.as_ref().map(|p| p.name.clone())).flatten();
    let list = list_mut(app, entity);
    let f = &list.filters;
    let mut filter = ListFilter {
        pipeline,
        stage: f.stage.clone(),
        responsible: if f.mine { Some(user) } else { f.responsible.clone() },
        // "My leads" are the ones still to work on: junk stays out unless asked for by stage.
        hide_failed: f.mine && f.stage.is_none() && f.stage_kind.is_none(),
        source: f.source.clone(),
        reason: f.reason.clone(),
        search: f.text.clone(),
        repeat: f.repeat.then_some(true),
        created_from: if f.today { Some(today_start) } else { f.created.as_ref().and_then(|c| c.0) },
        created_to: f.created.as_ref().and_then(|c| c.1),
        stage_kind: f.stage_kind,
        closed_from: f.closed.as_ref().and_then(|c| c.0),
        closed_to: f.closed.as_ref().and_then(|c| c.1),
        all_pipelines: f.all_pipelines,
        limit: PAGE,
        ..Default::default()
    };
    // A view's own order holds until `s` or `S` picks another.
    let mut view = list.view.as_ref().map(|v| v.spec.clone()).unwrap_or_default();
    view.wheres.extend(f.wheres.iter().cloned());
    let view_sorts = view.sort.is_some() && list.sort == SortKey::Newest && !list.sort_desc;
    if !view_sorts {
        view.sort = None;
    }
    match list.sort {
        _ if view_sorts => filter.offset = if append { list.rows.len() } else { 0 },
        SortKey::Newest if !list.sort_desc => {
            filter.before_id = if append { list.rows.last().map(|r| r.id) } else { None };
        }
        key => {
            filter.sort = Some(ListSort { key, reverse: list.sort_desc });
            filter.offset = if append { list.rows.len() } else { 0 };
        }
    }
    list.pending = true;
    if !append {
        list.exhausted = false;
    }
    Effect::LoadList { entity, filter: Box::new(filter), view: Box::new(view), append }
}

/// The path typed for the export: the list's filter (or its selection) written there.
pub(crate) fn export(app: &mut App, entity: Entity, excel: bool, text: &str) -> Answered {
    let Some(path) = typed_path(text) else { return Answered::Refused(path_required(app)) };
    let filter = match list_mut(app, entity).shown_filter.clone() {
        Some(shown) => ListFilter { limit: PAGE, offset: 0, before_id: None, ..shown },
        None => match list_effect(app, entity, false) {
            Effect::LoadList { filter, .. } => *filter,
            _ => return Answered::Close(vec![]),
        },
    };
    let selected: Vec<i64> = list_mut(app, entity).selected.iter().copied().collect();
    let ids = (!selected.is_empty()).then_some(selected);
    Answered::Wait(vec![Effect::Export { entity, filter: Box::new(filter), ids, path, excel }])
}
