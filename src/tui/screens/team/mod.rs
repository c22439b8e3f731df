//! The administration screens (issue 26): users, roles and their levels, departments, the
//! stages of each pipeline, sources and the distribution queue, one pane each (`[`/`]`
//! between them). Everyone may look; the keys that write are offered to administrators only,
//! and the service refuses the others anyway: its refusal is the status line.
//!
//! Every change is an `Effect::Admin` run by the worker, answered by `AdminDone` (then the
//! panes reload) or `Failed`. Each pane is its own file: its keys, its actions and its drawing.

use crate::domain::fields::Entity;
use crate::store::queue::QueueConfig;
use crate::store::refs::{PipelineRow, SourceRow};
use crate::store::stages::StageCount;
use crate::store::users::{DepartmentRow, RoleRow, UserRow};
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, PickPurpose, Picker, Prompt, PromptPurpose, Screen, info};
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::keymap::{Binding, b, code, k};
use crate::tui::overlays::prompt::Answered;
use crate::tui::widgets::{fit, row_style, step};
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

mod departments;
mod fields;
mod ops;
pub(crate) mod products;
pub use ops::AdminOp;
mod reasons;
mod roles;
mod stages;
mod tail;
mod users;

/// A pane of the administration screens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TeamPane {
    /// Users: their department, roles, and whether they are active.
    #[default]
    Users,
    /// Roles and their levels.
    Roles,
    /// Departments as a tree.
    Departments,
    /// The stages of the lead pipeline or of a deal pipeline.
    Stages,
    /// Lead sources.
    Sources,
    /// The distribution queue.
    Queue,
    /// Fields of the team's own (SPEC F1).
    Fields,
    /// The product catalogue (SPEC E4).
    Products,
    /// The reasons a failure stage offers (issue 29).
    LostReasons,
}

impl TeamPane {
    /// Every pane, in the order `]` goes through them.
    pub const ALL: [TeamPane; 9] = [
        TeamPane::Users,
        TeamPane::Roles,
        TeamPane::Departments,
        TeamPane::Stages,
        TeamPane::Sources,
        TeamPane::Queue,
        TeamPane::Fields,
        TeamPane::Products,
        TeamPane::LostReasons,
    ];

    /// Message key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            TeamPane::Users => "team.pane_users",
            TeamPane::Roles => "team.pane_roles",
            TeamPane::Departments => "team.pane_departments",
            TeamPane::Stages => "team.pane_stages",
            TeamPane::Sources => "team.pane_sources",
            TeamPane::Queue => "team.pane_queue",
            TeamPane::Fields => "team.pane_fields",
            TeamPane::Products => "team.pane_products",
            TeamPane::LostReasons => "team.pane_reasons",
        }
    }

    pub(crate) fn index(self) -> usize {
        TeamPane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// What the administration screens show, read at once (a few dozen rows).
#[derive(Clone, Debug, Default)]
pub struct TeamData {
    /// The signed-in user administers the file.
    pub admin: bool,
    /// Every user, by login.
    pub users: Vec<UserRow>,
    /// Every role with its levels.
    pub roles: Vec<RoleRow>,
    /// Every department.
    pub departments: Vec<DepartmentRow>,
    /// Deal pipelines.
    pub pipelines: Vec<PipelineRow>,
    /// The stages shown (those of `TeamView::deal_pipeline`), with their record counts.
    pub stages: Option<(PipelineRow, Vec<StageCount>)>,
    /// Sources.
    pub sources: Vec<SourceRow>,
    /// The queue.
    pub queue: Option<QueueConfig>,
    /// Every custom field.
    pub fields: Vec<crate::domain::custom_field::CustomField>,
    /// The stages a field may be required from: the lead pipeline's, the first deal
    /// pipeline's.
    pub field_stages: Vec<(Entity, Vec<crate::store::refs::StageRow>)>,
    /// How each kind of record's form is laid out (sections, placed and hidden fields).
    pub layouts: Vec<(Entity, crate::domain::layout::Layout)>,
    /// The product catalogue, inactive products too.
    pub products: Vec<crate::domain::product::Product>,
    /// The lost reasons' list.
    pub lost_reasons: Vec<crate::domain::report::reasons::LostReason>,
    /// Every stage automation rule (the Stages pane lists each stage's).
    pub rules: Vec<crate::domain::automation::StageRule>,
}

/// A user being added: asked one answer at a time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserDraft {
    /// Login.
    pub login: String,
    /// Name shown (empty: the login).
    pub name: String,
    /// Department (none: none).
    pub department: Option<String>,
}

/// The administration screens' state.
#[derive(Clone, Debug, Default)]
pub struct TeamView {
    /// The pane in view.
    pub pane: TeamPane,
    /// What they show.
    pub data: TeamData,
    /// The data has arrived.
    pub loaded: bool,
    /// The focused row of each pane (the Roles pane: the grid's subject).
    pub cursors: [usize; 9],
    /// Roles pane: the role shown.
    pub role: usize,
    /// Roles pane: the grid's focused action (column).
    pub column: usize,
    /// Stages pane: the deal pipeline shown; none: the lead pipeline.
    pub deal_pipeline: Option<String>,
    /// A user being added.
    pub draft: Option<UserDraft>,
    /// Fields pane: the kind of record whose fields are shown.
    pub field_entity: Entity,
}

impl TeamView {
    /// The focused row of the pane in view.
    pub fn cursor(&self) -> usize {
        self.cursors[self.pane.index()]
    }

    fn rows(&self) -> usize {
        let d = &self.data;
        match self.pane {
            TeamPane::Users => d.users.len(),
            TeamPane::Roles => crate::domain::access::Subject::ALL.len(),
            TeamPane::Departments => departments::tree(&d.departments).len(),
            TeamPane::Stages => d.stages.as_ref().map_or(0, |(_, s)| s.len()),
            TeamPane::Sources => d.sources.len(),
            TeamPane::Queue => d.users.len(),
            TeamPane::Fields => fields::shown_count(self),
            TeamPane::Products => d.products.len(),
            TeamPane::LostReasons => d.lost_reasons.len(),
        }
    }

    /// The entity and deal pipeline whose stages the Stages pane shows.
    pub fn stages_of(&self) -> (Entity, Option<String>) {
        match &self.deal_pipeline {
            Some(p) => (Entity::Deal, Some(p.clone())),
            None => (Entity::Lead, None),
        }
    }
}

/// What a prompt of the administration screens asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamAsk {
    /// A new user's login.
    UserLogin,
    /// A new user's name.
    UserName,
    /// A new department for a user (`None`: the user being added).
    NewDepartment { login: Option<String> },
    /// A new role's name.
    RoleName,
    /// A new department's name.
    DepartmentName,
    /// A new stage's name.
    StageName,
    /// A stage's new name.
    StageRename { stage: String },
    /// A stage's new colour.
    StageColor { stage: String },
    /// A new deal pipeline's name.
    PipelineName,
    /// A deal pipeline's new name.
    PipelineRename { pipeline: String },
    /// A new field's code.
    FieldCode,
    /// A new field's English label.
    FieldLabelEn { draft: fields::FieldDraft },
    /// A new field's French label.
    FieldLabelFr { draft: fields::FieldDraft },
    /// A new list field's options.
    FieldOptions { draft: fields::FieldDraft, label_fr: String },
    /// A field's new English label.
    FieldLabel { code: String },
    /// A field's new French label (the field as it will be).
    FieldLabelFrEdit { field: Box<crate::domain::custom_field::CustomField> },
    /// A new section's code (then the field `then_move` goes there).
    SectionCode { then_move: Option<String> },
    /// A new section's English name.
    SectionLabel { code: String, then_move: Option<String> },
    /// A new section's French name.
    SectionLabelFr { code: String, label: String, then_move: Option<String> },
    /// The sections' order, typed as codes.
    SectionOrder,
    /// A section's new English name.
    SectionRename { code: String },
    /// A section's new French name.
    SectionRenameFr { code: String, label: String },
    /// A new source's name.
    SourceName,
    /// A source's new name.
    SourceRename { source: String },
    /// A new lost reason's English name.
    ReasonName,
    /// Its French name.
    ReasonFr { name: String },
}

/// What a picker of the administration screens picks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamPick {
    /// A user's department (`None`: the user being added).
    UserDepartment { login: Option<String> },
    /// The user being added's role.
    DraftRole,
    /// A role to give a user or take back.
    ToggleRole { login: String },
    /// The role a new role copies.
    RoleLike { name: String },
    /// The department a new one goes under.
    DepartmentParent { name: String },
    /// The pipeline whose stages are shown.
    StagePipeline,
    /// A new stage's kind.
    StageSemantics { name: String },
    /// Where a deleted stage's records go.
    StageMoveTo { stage: String },
    /// Where a deleted deal pipeline's deals go.
    PipelineMoveTo { pipeline: String },
    /// What to do with one of a stage's rules (`off:ID`, `on:ID`, `delete:ID`).
    StageRule,
    /// Where a deleted source's records go (`NONE`: nowhere, refused when one uses it).
    SourceMoveTo { source: String },
    /// The CRM mode (`classic`, `simple:convert`, `simple:keep`).
    CrmMode,
    /// A new field's type.
    FieldType { code: String },
    /// The kind of record a new link field points at.
    FieldLinkTo { draft: fields::FieldDraft, label_fr: String },
    /// The stage a field is required from (`NONE`: never).
    FieldRequiredFrom { code: String },
    /// The section a field (built-in key or custom code) moves to (`NONE`: a new one).
    FieldSection { field: String },
    /// The section to rename.
    SectionToRename,
    /// The section to delete.
    SectionToDelete,
    /// Where the fields of a deleted section go.
    SectionMoveTo { code: String },
}

/// The value a picker item carries for "none".
pub(crate) const NONE: &str = "";
/// The value a picker item carries for "a new one, typed".
pub(crate) const NEW: &str = "+";

/// Keys of the pane in view; the writing ones for administrators only.
pub fn bindings(pane: TeamPane, admin: bool) -> Vec<Binding> {
    use Action::*;
    let mut v = vec![
        b(&[k(']')], NextPane, "team.key_next_pane", true),
        b(&[k('[')], PrevPane, "team.key_prev_pane", false),
        b(&[k('j'), code(KeyCode::Down)], Down, "tui.key_down", false),
        b(&[k('k'), code(KeyCode::Up)], Up, "tui.key_up", false),
        b(&[k('g'), code(KeyCode::Home)], Top, "tui.key_top", false),
        b(&[k('G'), code(KeyCode::End)], Bottom, "tui.key_bottom", false),
    ];
    v.extend(match pane {
        TeamPane::Users => users::bindings(admin),
        TeamPane::Roles => roles::bindings(admin),
        TeamPane::Departments => departments::bindings(admin),
        TeamPane::Stages => stages::bindings(admin),
        TeamPane::Sources | TeamPane::Queue => tail::bindings(pane, admin),
        TeamPane::Fields => fields::bindings(admin),
        TeamPane::Products => products::bindings(admin),
        TeamPane::LostReasons => reasons::bindings(admin),
    });
    v
}

/// Opens the administration screens (from any screen; Esc goes back).
pub(crate) fn open(app: &mut App, pane: Option<TeamPane>) -> Vec<Effect> {
    if app.screen != Screen::Team {
        app.back.push(app.screen.clone());
    }
    app.screen = Screen::Team;
    if let Some(pane) = pane {
        app.team.pane = pane;
    }
    vec![load(app)]
}

/// What the panes show.
pub(crate) fn load(app: &App) -> Effect {
    Effect::LoadTeam { deal_pipeline: app.team.deal_pipeline.clone() }
}

/// An action on the administration screens.
pub(crate) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let rows = app.team.rows();
    let at = app.team.pane.index();
    match action {
        Action::NextPane | Action::PrevPane => {
            let n = TeamPane::ALL.len();
            let next = if action == Action::NextPane { (at + 1) % n } else { (at + n - 1) % n };
            app.team.pane = TeamPane::ALL[next];
            return vec![];
        }
        Action::Up | Action::Down => app.team.cursors[at] = step(app.team.cursors[at], rows, action == Action::Down),
        Action::Top => app.team.cursors[at] = 0,
        Action::Bottom => app.team.cursors[at] = rows.saturating_sub(1),
        _ => {}
    }
    if !app.team.loaded {
        return vec![];
    }
    match app.team.pane {
        TeamPane::Users => users::update(app, action),
        TeamPane::Roles => roles::update(app, action),
        TeamPane::Departments => departments::update(app, action),
        TeamPane::Stages => stages::update(app, action),
        TeamPane::Sources | TeamPane::Queue => tail::update(app, action),
        TeamPane::Fields => fields::update(app, action),
        TeamPane::Products => products::update(app, action),
        TeamPane::LostReasons => reasons::update(app, action),
    }
}

/// The data, or a change made.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        StoreEvent::Team(data) => {
            app.admin = data.admin;
            app.team.data = *data;
            app.team.loaded = true;
            // Rows may have gone: every cursor stays on a row.
            for pane in TeamPane::ALL {
                let saved = app.team.pane;
                app.team.pane = pane;
                let rows = app.team.rows();
                app.team.cursors[pane.index()] = app.team.cursors[pane.index()].min(rows.saturating_sub(1));
                app.team.pane = saved;
            }
            app.team.role = app.team.role.min(app.team.data.roles.len().saturating_sub(1));
            vec![]
        }
        StoreEvent::AdminDone { message } => {
            // A product's form closes once saved, and a catalogue's path prompt once imported
            // (a second Enter would import it again).
            let importing = matches!(&app.overlay, Overlay::Prompt(p) if p.purpose == PromptPurpose::ProductsPath);
            if matches!(app.overlay, Overlay::Entry(_)) || importing {
                app.overlay = Overlay::None;
            }
            info(app, message);
            // Users, pipelines and sources are the other screens' reference lists too.
            if app.screen == Screen::Team {
                vec![load(app), Effect::LoadReference]
            } else {
                vec![Effect::LoadReference]
            }
        }
        _ => vec![],
    }
}

/// Opens a prompt of the administration screens.
pub(crate) fn ask(app: &mut App, ask: TeamAsk, title: String, start: &str) {
    app.overlay = Overlay::Prompt(Prompt {
        purpose: PromptPurpose::Team(ask),
        title,
        input: crate::tui::widgets::input::TextInput::with(start),
        error: None,
        files: None,
    });
}

/// Opens a picker of the administration screens.
pub(crate) fn pick(app: &mut App, pick: TeamPick, title: String, items: Vec<(String, String)>, cursor: usize) {
    let cursor = cursor.min(items.len().saturating_sub(1));
    app.overlay = Overlay::Picker(Picker { purpose: PickPurpose::Team(pick), title, items, cursor });
}

/// A prompt's answer.
pub(crate) fn prompted(app: &mut App, ask: TeamAsk, text: String) -> Answered {
    if text.is_empty() && !matches!(ask, TeamAsk::UserName) {
        return Answered::Refused(crate::i18n::describe(&crate::domain::Problem::Required, "name", app.lang));
    }
    match ask {
        TeamAsk::UserLogin | TeamAsk::UserName | TeamAsk::NewDepartment { .. } => users::prompted(app, ask, text),
        TeamAsk::RoleName => roles::prompted(app, text),
        TeamAsk::DepartmentName => departments::prompted(app, text),
        TeamAsk::StageName
        | TeamAsk::StageRename { .. }
        | TeamAsk::StageColor { .. }
        | TeamAsk::PipelineName
        | TeamAsk::PipelineRename { .. } => stages::prompted(app, ask, text),
        TeamAsk::SourceName | TeamAsk::SourceRename { .. } => tail::prompted(ask, text),
        TeamAsk::ReasonName | TeamAsk::ReasonFr { .. } => reasons::prompted(app, ask, text),
        TeamAsk::FieldCode
        | TeamAsk::FieldLabelEn { .. }
        | TeamAsk::FieldLabelFr { .. }
        | TeamAsk::FieldOptions { .. }
        | TeamAsk::FieldLabel { .. }
        | TeamAsk::FieldLabelFrEdit { .. }
        | TeamAsk::SectionCode { .. }
        | TeamAsk::SectionLabel { .. }
        | TeamAsk::SectionLabelFr { .. }
        | TeamAsk::SectionOrder
        | TeamAsk::SectionRename { .. }
        | TeamAsk::SectionRenameFr { .. } => fields::prompted(app, ask, text),
    }
}

/// A picker's choice.
pub(crate) fn picked(app: &mut App, pick: TeamPick, value: String) -> Vec<Effect> {
    match pick {
        TeamPick::UserDepartment { .. } | TeamPick::DraftRole | TeamPick::ToggleRole { .. } => {
            users::picked(app, pick, value)
        }
        TeamPick::RoleLike { name } => roles::picked(name, value),
        TeamPick::DepartmentParent { name } => departments::picked(name, value),
        TeamPick::StagePipeline
        | TeamPick::StageSemantics { .. }
        | TeamPick::StageMoveTo { .. }
        | TeamPick::PipelineMoveTo { .. }
        | TeamPick::StageRule => stages::picked(app, pick, value),
        TeamPick::SourceMoveTo { source } => tail::picked(source, value),
        TeamPick::CrmMode => tail::crm_mode_picked(app, &value),
        TeamPick::FieldType { .. }
        | TeamPick::FieldLinkTo { .. }
        | TeamPick::FieldRequiredFrom { .. }
        | TeamPick::FieldSection { .. }
        | TeamPick::SectionToRename
        | TeamPick::SectionToDelete
        | TeamPick::SectionMoveTo { .. } => fields::picked(app, pick, value),
    }
}

/// A role's name as shown (a preset's in the app's language).
pub(crate) fn role_shown(app: &App, name: &str) -> String {
    crate::store::roles::RoleName::shown(name, app.lang)
}

/// Draws the pane names, the pane in view, and a line for readers who may not change it.
pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let mut spans =
        vec![Span::styled(format!(" {} ", app.t("team.title")), Style::default().add_modifier(Modifier::BOLD))];
    for pane in TeamPane::ALL {
        let style = if pane == app.team.pane {
            Style::default().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(Color::Gray)
        };
        spans.push(Span::styled(format!(" {} ", app.t(pane.label_key())), style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), Rect { height: 1, ..area });
    let mut body = Rect { y: area.y + 1, height: area.height.saturating_sub(1), ..area };
    if !app.admin && app.team.loaded && body.height > 1 {
        let note = fit(&format!(" {}", app.t("team.read_only")), body.width as usize);
        f.render_widget(
            Paragraph::new(Span::styled(note, Style::default().fg(Color::Yellow))),
            Rect { height: 1, ..body },
        );
        body = Rect { y: body.y + 1, height: body.height - 1, ..body };
    }
    if !app.team.loaded {
        f.render_widget(Paragraph::new(app.t("tui.loading")), body);
        return;
    }
    match app.team.pane {
        TeamPane::Users => users::draw(app, f, body),
        TeamPane::Roles => roles::draw(app, f, body),
        TeamPane::Departments => departments::draw(app, f, body),
        TeamPane::Stages => stages::draw(app, f, body),
        TeamPane::Sources | TeamPane::Queue => tail::draw(app, f, body),
        TeamPane::Fields => fields::draw(app, f, body),
        TeamPane::Products => products::draw(app, f, body),
        TeamPane::LostReasons => reasons::draw(app, f, body),
    }
}

/// Lines of a table: a bold header, then rows with the focused one reversed, scrolled so the
/// focused row is in view. Each cell is cut or padded to its width.
pub(crate) fn table(
    header: &[(String, usize)],
    rows: Vec<Vec<String>>,
    cursor: usize,
    area: Rect,
) -> Vec<Line<'static>> {
    let line = |cells: Vec<String>| {
        let mut text = String::new();
        for (cell, (_, w)) in cells.iter().zip(header) {
            text.push(' ');
            text.push_str(&crate::tui::widgets::fit_pad(cell, *w));
        }
        fit(&text, area.width as usize)
    };
    let mut lines = vec![Line::from(Span::styled(
        line(header.iter().map(|(h, _)| h.clone()).collect()),
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    ))];
    let room = (area.height as usize).saturating_sub(1).max(1);
    let first = cursor.saturating_sub(room - 1);
    for (i, cells) in rows.into_iter().enumerate().skip(first).take(room) {
        lines.push(Line::from(Span::styled(line(cells), row_style(i == cursor))));
    }
    lines
}

/// Yes or no in the app's language.
pub(crate) fn yes_no(app: &App, yes: bool) -> String {
    app.t(if yes { "team.yes" } else { "team.no" })
}
