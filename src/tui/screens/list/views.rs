//! A list's saved views and fields (SPEC V2): `V` opens a view, `W` saves what the list shows
//! as one, `w` filters by a field (`budget>=1000`), `s` sorts by the fields shown too.

use super::{ListView, SortKey, list_mut, refiltered, shown_list};
use crate::domain::field_filter::read_condition;
use crate::domain::fields::Entity;
use crate::domain::list_view::ViewSpec;
use crate::tui::app::{App, Overlay, PickPurpose, Picker, Prompt, PromptPurpose, info};
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::overlays::prompt::Answered;
use crate::tui::widgets::input::TextInput;

/// Next sort when cycling with `s`: the built-in orders (`SortField::ALL`, which the CLI's
/// `--sort` lists too), then the fields shown as columns, then newest again.
pub fn next_sort(list: &ListView) -> SortKey {
    let mut keys: Vec<SortKey> = SortKey::ALL.to_vec();
    keys.extend(list.columns.iter().map(|f| SortKey::Field(f.id)));
    let at = keys.iter().position(|k| *k == list.sort).unwrap_or(0);
    keys[(at + 1) % keys.len()]
}

/// The name of the list's order: a built-in one's, or its field's label.
pub fn sort_name(app: &App, list: &ListView) -> String {
    let view_sort = list
        .view
        .as_ref()
        .and_then(|v| v.spec.sort.clone())
        .filter(|_| list.sort == SortKey::Newest && !list.sort_desc);
    let field_label = |code: Option<&str>, id: Option<i64>| {
        let all = list.fields.iter().chain(&list.columns);
        let found = all.clone().find(|f| Some(f.code.as_str()) == code || Some(f.id) == id);
        found.map(|f| f.label_in(app.lang).to_string())
    };
    match (view_sort, list.sort) {
        (Some(code), _) => match SortKey::ALL.iter().find(|k| k.code() == code) {
            Some(k) => app.t(super::sort_label_key(*k)),
            None => field_label(Some(&code), None).unwrap_or(code),
        },
        (None, SortKey::Field(id)) => field_label(None, Some(id)).unwrap_or_default(),
        (None, key) => app.t(super::sort_label_key(key)),
    }
}

/// `w`: a condition on a field of the list (built-in or of the team's own), typed as
/// `--where` takes it; the title names the fields of the team's own first.
pub(crate) fn ask_where(app: &mut App, entity: Entity) -> Vec<Effect> {
    let mut codes: Vec<String> = list_mut(app, entity).fields.iter().map(|f| f.code.clone()).collect();
    let conditioned = entity.fields().iter().filter(|f| !matches!(f.kind, crate::domain::fields::FieldKind::Ref(_)));
    codes.extend(conditioned.map(|f| f.key.to_string()));
    app.overlay = Overlay::Prompt(Prompt {
        purpose: PromptPurpose::FilterWhere,
        title: app.ta("tui.prompt_where", &[("codes", &codes.join(", "))]),
        input: TextInput::default(),
        error: None,
        files: None,
    });
    vec![]
}

/// The condition typed: checked against the list's fields (a bad one is said in the prompt,
/// naming the field and what it takes), then added to the list's filters; empty clears them.
pub(crate) fn filter_where(app: &mut App, text: String) -> Answered {
    let Some(entity) = shown_list(app) else { return Answered::Close(vec![]) };
    let (region, now) = (app.region, app.now_ms);
    let list = list_mut(app, entity);
    if text.trim().is_empty() {
        list.filters.wheres.clear();
        return Answered::Close(refiltered(app, entity));
    }
    // The store reads it again with the file's currency; here only whether it reads at all.
    let ctx = crate::domain::custom_field::ParseContext {
        currency: crate::domain::money::Currency::EUR,
        region,
        local_instant: crate::store::custom_fields::local_instant,
        now: Some(now),
    };
    if let Err(e) = read_condition(&text, entity, &list.fields, &ctx) {
        return Answered::Refused(crate::i18n::describe(&e.problem, &e.field, app.lang));
    }
    list.filters.wheres.push(text.trim().to_string());
    Answered::Close(refiltered(app, entity))
}

/// `W`: the name to save what the list shows under.
pub(crate) fn ask_view_name(app: &mut App, entity: Entity) -> Vec<Effect> {
    let me = app.user.clone();
    let current =
        list_mut(app, entity).view.as_ref().filter(|v| v.owner.as_deref() == Some(&me)).map(|v| v.name.clone());
    app.overlay = Overlay::Prompt(Prompt {
        purpose: PromptPurpose::ViewName { entity },
        title: app.t("tui.prompt_view_name"),
        input: TextInput::with(&current.unwrap_or_default()),
        error: None,
        files: None,
    });
    vec![]
}

/// The view's name typed: then who sees it.
pub(crate) fn view_named(app: &mut App, entity: Entity, text: String) -> Answered {
    let name = match crate::domain::list_view::check_name(&text) {
        Ok(name) => name,
        Err(e) => return Answered::Refused(crate::i18n::describe(&e.problem, "name", app.lang)),
    };
    // One's own view of that name is replaced: its sharing is offered first.
    let me = app.user.clone();
    let list = list_mut(app, entity);
    let shared = list
        .views
        .iter()
        .chain(list.view.as_ref())
        .any(|v| v.shared && v.owner.as_deref() == Some(&me) && v.name.to_lowercase() == name.to_lowercase());
    app.overlay = Overlay::Picker(Picker {
        purpose: PickPurpose::ViewShared { entity, name },
        title: app.t("tui.view_who"),
        items: vec![(String::new(), app.t("tui.view_only_me")), ("shared".into(), app.t("tui.view_everyone"))],
        cursor: usize::from(shared),
    });
    Answered::Close(vec![])
}

/// Who sees the view picked: it is saved as the list shows now.
pub(crate) fn view_shared(app: &mut App, entity: Entity, name: String, value: String) -> Vec<Effect> {
    let spec = spec_of(app, entity);
    vec![Effect::SaveView { entity, name, shared: value == "shared", spec: Box::new(spec) }]
}

/// What the list shows now, as a view: the view opened, with the keys' filters and sort over it.
pub(crate) fn spec_of(app: &mut App, entity: Entity) -> ViewSpec {
    let list = list_mut(app, entity);
    let f = &list.filters;
    let created = if f.today { Some("today".to_string()) } else { f.created.as_ref().map(|c| c.2.clone()) };
    let sort = match list.sort {
        SortKey::Newest if !list.sort_desc => None,
        SortKey::Field(id) => list.fields.iter().chain(&list.columns).find(|c| c.id == id).map(|c| c.code.clone()),
        key => Some(key.code().to_string()),
    };
    let typed = ViewSpec {
        mine: f.mine,
        created,
        stage: f.stage.clone(),
        responsible: f.responsible.clone(),
        source: f.source.clone(),
        search: f.text.clone(),
        wheres: f.wheres.clone(),
        reverse: sort.is_some() && list.sort_desc,
        sort,
        ..ViewSpec::default()
    };
    match &list.view {
        Some(v) => v.spec.overlaid(&typed),
        None => typed,
    }
}

/// A saved view picked (its id; empty: none): the list shows it from the top.
pub(crate) fn view_picked(app: &mut App, value: String) -> Vec<Effect> {
    let Some(entity) = shown_list(app) else { return vec![] };
    let list = list_mut(app, entity);
    list.view = list.views.iter().find(|v| v.id.to_string() == value).cloned();
    list.filters = super::ListFilters::default();
    list.sort = SortKey::Newest;
    list.sort_desc = false;
    list.selected.clear();
    refiltered(app, entity)
}

/// The list's views read (`V`: then one is picked), or one saved.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        StoreEvent::Views { entity, views } => {
            let list = list_mut(app, entity);
            list.views = views;
            let current = list.view.as_ref().map(|v| v.id.to_string());
            let mut items = vec![(String::new(), app.t("tui.no_view"))];
            let list = list_mut(app, entity);
            items.extend(list.views.iter().map(|v| (v.id.to_string(), v.name.clone())));
            let cursor = items.iter().position(|(id, _)| current.as_ref() == Some(id)).unwrap_or(0);
            let title = app.t("tui.act_pick_view");
            app.overlay = Overlay::Picker(Picker { purpose: PickPurpose::View, title, items, cursor });
            vec![]
        }
        StoreEvent::ViewSaved { entity, view } => {
            let message = app.ta("tui.view_saved", &[("name", &view.name)]);
            let list = list_mut(app, entity);
            list.view = Some(*view);
            list.filters = super::ListFilters::default();
            list.sort = SortKey::Newest;
            list.sort_desc = false;
            info(app, message);
            refiltered(app, entity)
        }
        _ => vec![],
    }
}
