//! A record form: an existing record (fields, phones and e-mails, links, stage bar and
//! timeline) or the draft of a new one; its state, keys, store answers and drawing.

use crate::domain::comm::{Comm, CommKind};
use crate::domain::fields::Entity;
use crate::domain::fields::{InputContext, validate_input};
use crate::domain::money::Currency;
use crate::present;
use crate::store::records::Record;
use crate::store::records::Shown;
use crate::store::refs::StageRow;
use crate::store::timeline::TimelineEntry;
use crate::store::{CommsChange, LinksChange, RecordInput, RecordRef};
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, PickPurpose, Picker, Prompt, PromptPurpose, Screen, Seen, error, info};
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::keymap::{Binding, b, code, ctrl, k};
use crate::tui::overlays::plan::{open_edit_activity, open_plan};
use crate::tui::overlays::prompt::Answered;
use crate::tui::overlays::wizard::open_conversion;
use crate::tui::screens::board::request_move;
use crate::tui::widgets::input::TextInput;
use crate::tui::widgets::{color, fit, has_more_lines, safe, text_lines};
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub(crate) mod documents;
mod draw;
mod edit;
pub(crate) mod lines;
pub use draw::{areas, draw};

/// One line of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormRow {
    /// A field, by key.
    Field(&'static str),
    /// A field of the team's own, by index in the record's `custom` (SPEC F1).
    Custom(usize),
    /// A communication, by index in the record's list.
    Comm(usize),
    /// A linked record, by index in the record's links: Enter opens it.
    Link(usize),
    /// An open activity, by index in `FormView::activities`: Enter reschedules it, `x` marks
    /// it done, `D` deletes it.
    Activity(usize),
    /// A lead's or deal's line items in all (SPEC E4): Enter adds one.
    Lines,
    /// A line item, by index in `FormView::lines`: Enter changes it, `x` deletes it.
    Line(usize),
    /// A deal's quote, invoice or credit note, by index in `FormView::documents`: Enter
    /// offers what may be done with it.
    Document(usize),
}

/// A record form: an existing record, or a draft of a new one.
#[derive(Clone, Debug)]
pub struct FormView {
    /// Kind of record.
    pub entity: Entity,
    /// The record (None for a draft).
    pub record: Option<Box<Record>>,
    /// Timeline, newest first.
    pub timeline: Vec<TimelineEntry>,
    /// Stages of the record's pipeline (for the stage bar).
    pub stages: Vec<StageRow>,
    /// Lines of the left side.
    pub rows: Vec<FormRow>,
    /// Focused line.
    pub cursor: usize,
    /// Draft values (new record): (key, text).
    pub draft: Vec<(String, String)>,
    /// Draft phones/e-mails as typed.
    pub draft_comms: Vec<(crate::domain::comm::CommKind, String)>,
    /// Waiting for the record to load.
    pub loading: bool,
    /// The record's open activities, soonest first.
    pub activities: Vec<crate::store::activities::ActivityRow>,
    /// Timeline entries scrolled past (`J`/`K`, PgDn/PgUp).
    pub timeline_scroll: usize,
    /// What to do once the draft is saved, when "save" answered the question asked on
    /// leaving it (quit, back, another tab...).
    pub leave_after: Option<crate::tui::overlays::question::Leave>,
    /// How the form is laid out: its sections, where each field shows, the hidden ones.
    pub layout: crate::domain::layout::Layout,
    /// A lead's or deal's line items and totals.
    pub lines: Option<crate::store::lines::RecordLines>,
    /// The catalogue as last loaded for a new line.
    pub products: Vec<crate::domain::product::Product>,
    /// A deal's documents, newest first.
    pub documents: Vec<crate::domain::document::Document>,
}

/// Timeline entries one `J` / PgDn scrolls.
pub const TIMELINE_STEP: usize = 3;

/// `Action::Wheel`'s column over a form: its fields (the cursor moves) or its timeline (it
/// scrolls, an entry a notch).
pub const WHEEL_FIELDS: usize = 0;
/// See `WHEEL_FIELDS`.
pub const WHEEL_TIMELINE: usize = 1;

impl FormView {
    /// A new record's form holding typed values not saved yet (an existing record's edits
    /// are saved as each is typed).
    pub fn dirty(&self) -> bool {
        self.record.is_none() && (!self.draft.is_empty() || !self.draft_comms.is_empty())
    }
}

/// Keys of a form.
pub fn bindings() -> Vec<Binding> {
    use Action::*;
    vec![
        b(&[k('j'), code(KeyCode::Down)], Down, "tui.key_down", false),
        b(&[k('k'), code(KeyCode::Up)], Up, "tui.key_up", false),
        b(&[k('g'), code(KeyCode::Home)], Top, "tui.key_top", false),
        b(&[k('G'), code(KeyCode::End)], Bottom, "tui.key_bottom", false),
        b(&[k('e'), code(KeyCode::Enter)], Edit, "tui.key_form_enter", true),
        b(&[k('c')], Comment, "tui.key_comment", true),
        b(&[k('a')], PlanActivity, "tui.key_plan", true),
        b(&[k('H')], MovePrev, "tui.key_move_prev", false),
        b(&[k('L')], MoveNext, "tui.key_move_next", false),
        b(&[k('m')], PickStage, "tui.key_pick_stage", true),
        b(&[k('P')], AddPhone, "tui.key_add_phone", false),
        b(&[k('E')], AddEmail, "tui.key_add_email", false),
        b(&[k('x')], RemoveComm, "tui.key_form_x", false),
        b(&[k('o')], LinkContact, "tui.key_link_contact", false),
        b(&[k('D')], DeleteActivity, "tui.key_document", true),
        b(&[k('i')], AddLine, "tui.key_add_line", false),
        b(&[k('J'), code(KeyCode::PageDown)], PageDown, "tui.key_timeline_down", true),
        b(&[k('K'), code(KeyCode::PageUp)], PageUp, "tui.key_timeline_up", false),
        b(&[k('C')], Convert, "tui.key_convert", false),
        b(&[k('t')], Take, "tui.key_take", false),
        b(&[ctrl('s')], Save, "tui.key_save", true),
    ]
}

/// Opens the form of a record (it loads); Esc comes back here.
pub(crate) fn open_record(app: &mut App, entity: Entity, id: i64) -> Vec<Effect> {
    // A search result opened over a new record's typed values asks first.
    if app.screen == Screen::Form && app.form.as_ref().is_some_and(FormView::dirty) {
        let leave = crate::tui::overlays::question::Leave::Open(RecordRef::new(entity, id));
        crate::tui::overlays::question::leave_form(app, leave);
        return vec![];
    }
    if app.screen != Screen::Form {
        app.back.push(app.screen.clone());
    }
    app.screen = Screen::Form;
    app.form = Some(FormView {
        entity,
        record: None,
        timeline: vec![],
        stages: vec![],
        rows: vec![],
        cursor: 0,
        draft: vec![],
        draft_comms: vec![],
        loading: true,
        activities: vec![],
        timeline_scroll: 0,
        leave_after: None,
        layout: Default::default(),
        lines: None,
        products: vec![],
        documents: vec![],
    });
    vec![Effect::LoadRecord { entity, id }]
}

/// Opens the form of a new record, empty.
pub(crate) fn open_draft(app: &mut App, entity: Entity) {
    if app.screen != Screen::Form {
        app.back.push(app.screen.clone());
    }
    app.screen = Screen::Form;
    let rows = entity.fields().iter().filter(|f| f.editable).map(|f| FormRow::Field(f.key)).collect();
    app.form = Some(FormView {
        entity,
        record: None,
        timeline: vec![],
        stages: vec![],
        rows,
        cursor: 0,
        draft: vec![],
        draft_comms: vec![],
        loading: false,
        activities: vec![],
        timeline_scroll: 0,
        leave_after: None,
        layout: Default::default(),
        lines: None,
        products: vec![],
        documents: vec![],
    });
}

/// The form's lines: its fields by section in the layout's order (hidden ones left out),
/// then its comms, activities and links.
fn form_rows(
    record: &crate::store::Record,
    layout: &crate::domain::layout::Layout,
    activities: usize,
    lines: Option<&crate::store::lines::RecordLines>,
    documents: usize,
) -> Vec<FormRow> {
    use crate::domain::layout::Placed;
    let mut rows: Vec<FormRow> = layout
        .arrange(record, true)
        .into_iter()
        .flat_map(|(_, placed)| placed)
        .map(|p| match p {
            Placed::Field(key) => FormRow::Field(key),
            Placed::Custom(i) => FormRow::Custom(i),
        })
        .collect();
    if let Some(l) = lines {
        rows.push(FormRow::Lines);
        rows.extend((0..l.lines.len()).map(FormRow::Line));
    }
    rows.extend((0..documents).map(FormRow::Document));
    rows.extend((0..record.comms.len()).map(FormRow::Comm));
    rows.extend((0..activities).map(FormRow::Activity));
    rows.extend((0..record.links.len()).map(FormRow::Link));
    rows
}

/// An action on the open form.
pub(crate) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if let (Some(form), Action::Up | Action::Down | Action::Top | Action::Bottom) = (app.form.as_mut(), action) {
        let last = form.rows.len().saturating_sub(1);
        form.cursor = match action {
            Action::Up => form.cursor.saturating_sub(1),
            Action::Down => (form.cursor + 1).min(last),
            Action::Top => 0,
            _ => last,
        };
        return vec![];
    }
    if let (Some(form), Action::Wheel { column, down }) = (app.form.as_mut(), action) {
        if column == WHEEL_TIMELINE {
            form.timeline_scroll = if down {
                (form.timeline_scroll + 1).min(form.timeline.len().saturating_sub(1))
            } else {
                form.timeline_scroll.saturating_sub(1)
            };
        } else {
            let last = form.rows.len().saturating_sub(1);
            form.cursor = if down { (form.cursor + 1).min(last) } else { form.cursor.saturating_sub(1) };
        }
        return vec![];
    }
    if let (Some(form), Action::PageUp | Action::PageDown) = (app.form.as_mut(), action) {
        form.timeline_scroll = if action == Action::PageDown {
            (form.timeline_scroll + TIMELINE_STEP).min(form.timeline.len().saturating_sub(1))
        } else {
            form.timeline_scroll.saturating_sub(TIMELINE_STEP)
        };
        return vec![];
    }
    // A snapshot: the arms below read the form and then change other parts of the app.
    let focused_activity = match form_row(app) {
        Some(FormRow::Activity(i)) => app.form.as_ref().and_then(|f| f.activities.get(i)).cloned(),
        _ => None,
    };
    if let Some(a) = focused_activity {
        match action {
            Action::Edit => {
                open_edit_activity(app, &a);
                return vec![];
            }
            Action::RemoveComm | Action::CompleteActivity => return vec![Effect::CompleteActivity { id: a.id }],
            Action::DeleteActivity => {
                app.overlay = Overlay::Confirm(crate::tui::app::Confirm {
                    message: app.ta("tui.confirm_delete_activity", &[("subject", &a.subject)]),
                    on_yes: Effect::DeleteActivity { id: a.id },
                });
                return vec![];
            }
            _ => {}
        }
    }
    match (form_row(app), action) {
        (Some(row @ (FormRow::Line(_) | FormRow::Lines)), Action::Edit) => return lines::edit(app, &row),
        (Some(FormRow::Line(i)), Action::RemoveComm) => return lines::delete(app, i),
        (_, Action::AddLine) => return lines::add(app),
        (Some(FormRow::Document(i)), Action::Edit) => return documents::open(app, i),
        (row, Action::DeleteActivity) if !matches!(row, Some(FormRow::Activity(_))) => {
            return documents::new_document(app);
        }
        _ => {}
    }
    let Some(form) = app.form.clone() else { return vec![] };
    let entity = form.entity;
    match action {
        Action::Edit => edit::edit_row(app, &form),
        Action::PlanActivity => {
            if let Some(r) = &form.record {
                open_plan(app, vec![RecordRef::new(entity, r.id)], r.title.clone());
            }
            vec![]
        }
        Action::Convert => match &form.record {
            Some(r) if entity == Entity::Lead => open_conversion(r.id),
            _ => vec![],
        },
        Action::Take => match &form.record {
            Some(r) if entity == Entity::Lead => vec![Effect::Take { id: r.id }],
            _ => vec![],
        },
        Action::Comment => {
            let Some(r) = &form.record else { return vec![] };
            app.overlay = Overlay::Prompt(Prompt {
                purpose: PromptPurpose::Comment { entity, id: r.id },
                title: app.t("tui.prompt_comment"),
                input: TextInput::default(),
                error: None,
                files: None,
            });
            vec![]
        }
        Action::AddPhone | Action::AddEmail => {
            let kind = if action == Action::AddPhone { CommKind::Phone } else { CommKind::Email };
            app.overlay = Overlay::Prompt(Prompt {
                purpose: PromptPurpose::AddComm { kind },
                title: app.t(if kind == CommKind::Phone { "tui.prompt_phone" } else { "tui.prompt_email" }),
                input: TextInput::default(),
                error: None,
                files: None,
            });
            vec![]
        }
        Action::LinkContact => {
            match &form.record {
                Some(r) if entity == Entity::Deal => {
                    app.overlay = Overlay::Prompt(Prompt {
                        purpose: PromptPurpose::LinkContact { id: r.id, version: r.version },
                        title: app.t("tui.prompt_link_contact"),
                        input: TextInput::default(),
                        error: None,
                        files: None,
                    });
                }
                _ => info(app, app.t("tui.link_contact_deals_only")),
            }
            vec![]
        }
        Action::RemoveComm if matches!(form.rows.get(form.cursor), Some(FormRow::Link(_))) => {
            let (Some(r), Some(FormRow::Link(i))) = (&form.record, form.rows.get(form.cursor).cloned()) else {
                return vec![];
            };
            // A deal's other contact is unlinked; its primary one is the `contact` field.
            match r.links.get(i) {
                Some((Entity::Contact, link))
                    if entity == Entity::Deal
                        && !matches!(r.get("contact"), Some(Shown::Ref(p)) if p.id == link.id) =>
                {
                    let contacts = LinksChange { remove: vec![link.id.to_string()], ..Default::default() };
                    let input = RecordInput { contacts, ..Default::default() };
                    vec![Effect::Update {
                        entity,
                        id: r.id,
                        version: r.version,
                        input,
                        field: Some("contacts".into()),
                        base: vec![],
                    }]
                }
                _ => {
                    info(app, app.t("tui.unlink_other_contacts_only"));
                    vec![]
                }
            }
        }
        Action::RemoveComm => {
            let (Some(r), Some(FormRow::Comm(i))) = (&form.record, form.rows.get(form.cursor).cloned()) else {
                return vec![];
            };
            let Some(c) = r.comms.get(i).cloned() else {
                return vec![];
            };
            let input =
                RecordInput { comms: CommsChange { remove: vec![c], ..Default::default() }, ..Default::default() };
            vec![Effect::Update { entity, id: r.id, version: r.version, input, field: None, base: vec![] }]
        }
        Action::MovePrev | Action::MoveNext | Action::PickStage => {
            let Some(r) = &form.record else { return vec![] };
            let current = match r.get("stage") {
                Some(Shown::Ref(s)) => s.id,
                _ => return vec![],
            };
            let stages = form.stages.clone();
            let pos = stages.iter().position(|s| s.id == current).unwrap_or(0);
            let ids = vec![(r.id, Some(Seen { stage: current }))];
            if action == Action::PickStage {
                let title = app.ta("tui.pick_stage_for", &[("title", &app.title_of(entity, r.id, &r.title))]);
                app.overlay = Overlay::Picker(Picker {
                    purpose: PickPurpose::Move { entity, ids },
                    title,
                    items: stages.iter().map(|s| (s.code.clone(), s.name.clone())).collect(),
                    cursor: pos,
                });
                return vec![];
            }
            let target = if action == Action::MoveNext { pos + 1 } else { pos.wrapping_sub(1) };
            match stages.get(target) {
                Some(s) => request_move(app, entity, ids, s),
                None => {
                    info(app, app.t("tui.no_further_stage"));
                    vec![]
                }
            }
        }
        Action::Save => {
            // Saved by hand: whatever an earlier question meant to do afterwards is dropped.
            if let Some(f) = app.form.as_mut() {
                f.leave_after = None;
            }
            if form.record.is_some() {
                info(app, app.t("tui.saved_already"));
                return vec![];
            }
            let mut input =
                RecordInput { fields: form.draft.clone(), origin: Some("manual".into()), ..Default::default() };
            for (kind, text) in &form.draft_comms {
                match Comm::parse_typed(*kind, text, app.region) {
                    Ok(c) => input.comms.add.push(c),
                    Err(e) => {
                        error(app, crate::i18n::describe(&e.problem, &e.field, app.lang));
                        return vec![];
                    }
                }
            }
            let then = Box::new(Effect::Create { entity, input: input.clone(), open: true });
            vec![Effect::CheckDuplicates { entity, id: None, input, then }]
        }
        _ => vec![],
    }
}

/// The focused row of the open form.
fn form_row(app: &App) -> Option<FormRow> {
    app.form.as_ref().and_then(|f| f.rows.get(f.cursor).cloned())
}

/// A comment typed on the open record: refused when empty.
pub(crate) fn comment(app: &App, entity: Entity, id: i64, text: String) -> Answered {
    if text.is_empty() {
        return Answered::Refused(crate::i18n::describe(&crate::domain::Problem::Required, "comment", app.lang));
    }
    Answered::Wait(vec![Effect::Comment { entity, id, text }])
}

/// A new value typed for a field of the open record: saved once duplicates are checked.
pub(crate) fn edit_field(
    entity: Entity,
    id: i64,
    version: i64,
    key: String,
    base: Vec<(String, String)>,
    text: String,
) -> Answered {
    let input = RecordInput { fields: vec![(key.clone(), text)], ..Default::default() };
    let then = Box::new(Effect::Update { entity, id, version, input: input.clone(), field: Some(key), base });
    Answered::Wait(vec![Effect::CheckDuplicates { entity, id: Some(id), input, then }])
}

/// A value typed for a field of the draft: kept in the draft when valid.
pub(crate) fn draft_field(app: &mut App, key: String, text: String) -> Answered {
    let lang = app.lang;
    let Some(form) = app.form.as_mut() else { return Answered::Close(vec![]) };
    let ctx = InputContext { currency: Currency::EUR, creating: false };
    match validate_input(form.entity, &[(key.clone(), text.clone())], ctx) {
        Ok(_) => {
            form.draft.retain(|(k, _)| *k != key);
            form.draft.push((key, text));
            Answered::Close(vec![])
        }
        Err(e) => Answered::Refused(crate::i18n::describe(&e.problem, &e.field, lang)),
    }
}

/// A phone or e-mail typed: added to the record (once duplicates are checked) or the draft.
pub(crate) fn add_comm(app: &mut App, kind: CommKind, text: String) -> Answered {
    let comm = match Comm::parse_typed(kind, &text, app.region) {
        Ok(c) => c,
        Err(e) => return Answered::Refused(crate::i18n::describe(&e.problem, &e.field, app.lang)),
    };
    let Some(form) = app.form.as_mut() else { return Answered::Close(vec![]) };
    match &form.record {
        Some(r) => {
            let (entity, id, version) = (form.entity, r.id, r.version);
            let input =
                RecordInput { comms: CommsChange { add: vec![comm], ..Default::default() }, ..Default::default() };
            let then = Box::new(Effect::Update {
                entity,
                id,
                version,
                input: input.clone(),
                field: Some(kind.code().to_string()),
                base: vec![],
            });
            Answered::Wait(vec![Effect::CheckDuplicates { entity, id: Some(id), input, then }])
        }
        None => {
            form.draft_comms.push((kind, text));
            Answered::Close(vec![])
        }
    }
}

/// A contact id typed to link to the open deal: refused unless it is a number; the store
/// says when there is no such contact.
pub(crate) fn link_contact(app: &App, id: i64, version: i64, text: String) -> Answered {
    let typed = text.trim().trim_start_matches('#');
    if typed.parse::<i64>().is_err() {
        return Answered::Refused(app.ta("tui.link_contact_needs_id", &[("value", text.trim())]));
    }
    let contacts = LinksChange { add: vec![typed.to_string()], ..Default::default() };
    let input = RecordInput { contacts, ..Default::default() };
    let update =
        Effect::Update { entity: Entity::Deal, id, version, input, field: Some("contacts".into()), base: vec![] };
    Answered::Wait(vec![update])
}

/// The record, its timeline and stages.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        StoreEvent::Products(products) => lines::products_loaded(app, products),
        StoreEvent::Record { record, timeline, stages, activities, layout, attached } => {
            let crate::tui::effect::Attached { lines, documents } = *attached;
            let Some(form) = app.form.as_mut() else { return vec![] };
            if form.entity != record.entity {
                return vec![];
            }
            if form.record.as_ref().is_none_or(|r| r.id != record.id) {
                form.timeline_scroll = 0;
            }
            form.rows = form_rows(&record, &layout, activities.len(), lines.as_ref(), documents.len());
            form.documents = documents;
            form.lines = lines;
            form.layout = *layout;
            form.activities = activities;
            form.timeline_scroll = form.timeline_scroll.min(timeline.len().saturating_sub(1));
            form.cursor = form.cursor.min(form.rows.len().saturating_sub(1));
            form.record = Some(record);
            form.timeline = timeline;
            form.stages = stages;
            form.loading = false;
            vec![]
        }
        _ => vec![],
    }
}
