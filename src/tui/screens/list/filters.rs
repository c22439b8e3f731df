//! The list's filters set by a prompt or a picker: text, creation days, stage, responsible,
//! source, lost reason.

use super::{list_effect, list_mut};
use crate::domain::fields::Entity;
use crate::tui::app::{App, PickPurpose, Screen};
use crate::tui::effect::Effect;
use crate::tui::overlays::prompt::Answered;

/// The list whose filter a prompt or picker sets: the one on screen.
pub(super) fn shown_list(app: &App) -> Option<Entity> {
    match app.screen {
        Screen::List(e) => Some(e),
        _ => None,
    }
}

/// Filters changed: back to the top, first page again.
pub(super) fn refiltered(app: &mut App, entity: Entity) -> Vec<Effect> {
    let list = list_mut(app, entity);
    list.cursor = 0;
    list.scroll = 0;
    vec![list_effect(app, entity, false)]
}

/// The creation range typed (`FROM..TO`, empty: any).
pub(crate) fn filter_created(app: &mut App, text: String) -> Answered {
    let Some(entity) = shown_list(app) else { return Answered::Close(vec![]) };
    let range = if text.is_empty() {
        None
    } else {
        // The one grammar of typed days (`01/11..30/11` as the plan form reads it), from
        // the app's "now" in local time.
        let now = crate::domain::when::from_ms(app.now_ms).with_timezone(&chrono::Local);
        match crate::domain::when::read_day_range("created", &text, &now) {
            Ok((from, to)) => Some((from, to, text.clone())),
            Err(e) => return Answered::Refused(crate::i18n::describe(&e.problem, &e.field, app.lang)),
        }
    };
    let list = list_mut(app, entity);
    list.filters.today = false;
    list.filters.created = range;
    Answered::Close(refiltered(app, entity))
}

/// The text filter typed (empty: none).
pub(crate) fn filter_text(app: &mut App, text: String) -> Answered {
    let Some(entity) = shown_list(app) else { return Answered::Close(vec![]) };
    list_mut(app, entity).filters.text = (!text.is_empty()).then_some(text);
    Answered::Close(refiltered(app, entity))
}

/// A stage, responsible or source picked as a filter (empty value: all).
pub(crate) fn filter_picked(app: &mut App, purpose: &PickPurpose, value: String) -> Vec<Effect> {
    let Some(entity) = shown_list(app) else { return vec![] };
    let list = list_mut(app, entity);
    let chosen = (!value.is_empty()).then_some(value);
    match purpose {
        PickPurpose::FilterStage => list.filters.stage = chosen,
        PickPurpose::FilterResponsible => {
            list.filters.mine = false;
            list.filters.responsible = chosen;
        }
        PickPurpose::FilterReason => list.filters.reason = chosen,
        _ => list.filters.source = chosen,
    }
    refiltered(app, entity)
}
