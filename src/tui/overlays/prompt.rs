//! A one-line text prompt (a title, a comment, a field's value, a path, a filter) and what
//! its text is for.

use crate::domain::fields::Entity;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, Seen};
use crate::tui::effect::Effect;
use crate::tui::widgets::input::{TextInput, edit_text, input_line, set_field_cursor};
use crate::tui::widgets::{fit, frame_block, popup, row_style};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// What a prompt's text is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptPurpose {
    /// Title of a card created in a column.
    QuickCreate { entity: Entity, stage_code: String },
    /// Optional reason of a move to a failure stage.
    FailureReason { entity: Entity, ids: Vec<(i64, Option<Seen>)>, stage_code: String },
    /// A comment.
    Comment { entity: Entity, id: i64 },
    /// New value of a field of a saved record.
    EditField { entity: Entity, id: i64, version: i64, key: String, base: Vec<(String, String)> },
    /// Where to write a list's export: CSV, or a table for a spreadsheet (`excel`).
    ExportPath { entity: Entity, excel: bool },
    /// Which CSV file to import.
    ImportPath { entity: Entity },
    /// Value of a field of a draft.
    DraftField { key: String },
    /// A phone or e-mail to add.
    AddComm { kind: crate::domain::comm::CommKind },
    /// Another contact of a deal, by id.
    LinkContact { id: i64, version: i64 },
    /// A field the stage a record is moving to requires (SPEC F2).
    FillForMove(Box<crate::tui::overlays::fill::FillForMove>),
    /// Text filter of the list.
    FilterText,
    /// A condition on a field of the list (`budget>=1000`).
    FilterWhere,
    /// The name a list's view is saved under.
    ViewName { entity: Entity },
    /// Creation date range of the list: `FROM..TO`, either side optional.
    FilterCreated,
    /// A name (login, role, department, stage...) the administration screens ask for.
    Team(crate::tui::screens::team::TeamAsk),
    /// Where a document's PDF is written.
    DocumentPath { id: i64, kind: crate::domain::document::DocKind },
    /// A product catalogue (CSV) to import.
    ProductsPath,
}

/// A text prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// What the text is for.
    pub purpose: PromptPurpose,
    /// Title shown above the field.
    pub title: String,
    /// The field.
    pub input: TextInput,
    /// Why the last submit was refused.
    pub error: Option<String>,
    /// A path prompt's help (Tab completion, recent files); `None` for other prompts.
    pub files: Option<PathHelp>,
}

/// What a path prompt shows besides its field: the candidates a second Tab listed, or the
/// recent files (the import's), one of them picked with the arrows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathHelp {
    /// Offer `App::recent` (the import prompt; an export would overwrite one).
    pub recent: bool,
    /// The recent file picked with ↑/↓.
    pub picked: Option<usize>,
    /// Candidates listed by a Tab that could not complete further.
    pub listed: Vec<String>,
    /// Tabs pressed in a row (any edit starts again).
    pub tabs: u8,
}

impl PathHelp {
    /// A path prompt's help; `recent`: offer the recent files.
    pub fn new(recent: bool) -> Option<PathHelp> {
        Some(PathHelp { recent, ..Default::default() })
    }
}

/// Candidates listed at most under the field; the rest are counted.
const LISTED: usize = 8;

/// Typing edits the text; Enter answers; Esc closes.
pub(crate) fn update(app: &mut App, mut p: Prompt, action: Action) -> Vec<Effect> {
    match action {
        Action::Back => vec![],
        Action::Input(k) => {
            edit_text(&mut p.input, k);
            p.error = None;
            if let Some(help) = p.files.as_mut() {
                *help = PathHelp::new(help.recent).unwrap_or_default();
            }
            app.overlay = Overlay::Prompt(p);
            vec![]
        }
        Action::CompletePath if p.files.is_some() => {
            let typed = p.input.text.clone();
            if let Some(help) = p.files.as_mut() {
                help.tabs = help.tabs.saturating_add(1);
            }
            app.overlay = Overlay::Prompt(p);
            vec![Effect::CompletePath { typed }]
        }
        Action::Up | Action::Down if p.files.as_ref().is_some_and(|h| h.recent) && !app.recent.is_empty() => {
            if let Some(help) = p.files.as_mut() {
                let last = app.recent.len() - 1;
                let at = match (help.picked, action) {
                    (None, _) => 0,
                    (Some(i), Action::Down) => (i + 1).min(last),
                    (Some(i), _) => i.saturating_sub(1),
                };
                help.picked = Some(at);
                help.listed.clear();
                p.input = TextInput::with(&app.recent[at].to_string_lossy());
                p.error = None;
            }
            app.overlay = Overlay::Prompt(p);
            vec![]
        }
        Action::Submit => submit_prompt(app, p),
        _ => {
            app.overlay = Overlay::Prompt(p);
            vec![]
        }
    }
}

/// Tab and the arrows in a path prompt: Tab completes, ↑/↓ pick a recent file; the other
/// keys edit as in any prompt.
pub(crate) fn path_key(ev: &crossterm::event::KeyEvent) -> Option<Action> {
    match ev.code {
        crossterm::event::KeyCode::Tab => Some(Action::CompletePath),
        _ => crate::tui::widgets::input::text_key(ev),
    }
}

/// The candidates of a Tab: one is taken whole; several complete to what they share, and a
/// Tab that can go no further (the second) lists them. The recent files: a file imported or
/// exported goes first, and the list is kept (through the worker) when it has a place.
pub(crate) fn on_store(app: &mut App, ev: crate::tui::effect::StoreEvent) -> Vec<Effect> {
    use crate::tui::effect::StoreEvent;
    match ev {
        StoreEvent::PathCandidates { typed, candidates } => {
            let Overlay::Prompt(p) = &mut app.overlay else { return vec![] };
            // Typed on meanwhile: this answer is for another text.
            let (Some(help), true) = (p.files.as_mut(), p.input.text == typed) else { return vec![] };
            let shared = shared_start(&candidates);
            if candidates.is_empty() {
                let message = crate::i18n::tr_in(app.lang, "tui.complete_none", &[("typed", &typed)]);
                p.error = Some(message);
            } else if shared.chars().count() > typed.chars().count() {
                // Completed: the next Tab, if it can go no further, lists.
                p.input = TextInput::with(&shared);
                help.listed.clear();
                help.tabs = 1;
            } else if help.tabs >= 2 || candidates.len() == 1 {
                help.listed = candidates;
            }
            vec![]
        }
        StoreEvent::FileUsed(path) => {
            // Kept as a whole path, so it reads the same from any folder.
            let path = std::path::absolute(&path).unwrap_or(path);
            app.recent.retain(|p| *p != path);
            app.recent.insert(0, path);
            app.recent.truncate(crate::config::RECENT_FILES);
            match &app.recent_store {
                Some(to) => vec![Effect::SaveRecent { to: to.clone(), files: app.recent.clone() }],
                None => vec![],
            }
        }
        _ => vec![],
    }
}

/// What every candidate starts with, cut at a character.
fn shared_start(candidates: &[String]) -> String {
    let Some(first) = candidates.first() else { return String::new() };
    let mut end = first.len();
    for c in &candidates[1..] {
        end = first
            .char_indices()
            .zip(c.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    first[..end].to_string()
}

/// What answering a prompt did.
pub(crate) enum Answered {
    /// Done here: the prompt closes (or the answer opened another overlay).
    Close(Vec<Effect>),
    /// The store was asked: the prompt stays until `Saved` closes it or `Failed` says why.
    Wait(Vec<Effect>),
    /// Refused: the prompt stays, saying why.
    Refused(String),
}

/// Enter in a prompt: its text goes to the screen or overlay it is for, which answers.
fn submit_prompt(app: &mut App, mut p: Prompt) -> Vec<Effect> {
    let text = p.input.text.trim().to_string();
    match answer(app, p.purpose.clone(), text) {
        Answered::Close(effects) => effects,
        Answered::Wait(effects) => {
            app.overlay = Overlay::Prompt(p);
            effects
        }
        Answered::Refused(message) => {
            p.error = Some(message);
            app.overlay = Overlay::Prompt(p);
            vec![]
        }
    }
}

/// A prompt's (or the multi-line editor's) text handed to the screen or overlay it is for.
pub(crate) fn answer(app: &mut App, purpose: PromptPurpose, text: String) -> Answered {
    use crate::tui::overlays::import;
    use crate::tui::screens::{board, form, list};
    match purpose {
        PromptPurpose::QuickCreate { entity, stage_code } => board::quick_create(entity, stage_code, text),
        PromptPurpose::FailureReason { entity, ids, stage_code } => {
            // `2` is the list's second reason, in the user's language.
            let n = app.lost_reasons.len();
            if text.trim().parse::<usize>().is_ok_and(|k| k == 0 || k > n) {
                let max = n.to_string();
                return Answered::Refused(app.ta("tui.reason_number", &[("max", &max)]));
            }
            let text = crate::domain::report::reasons::answer(&app.lost_reasons, &text, app.lang);
            board::move_with_reason(entity, ids, stage_code, text)
        }
        PromptPurpose::Comment { entity, id } => form::comment(app, entity, id, text),
        PromptPurpose::EditField { entity, id, version, key, base } => {
            form::edit_field(entity, id, version, key, base, text)
        }
        PromptPurpose::ImportPath { entity } => import::open(app, entity, &text),
        PromptPurpose::ExportPath { entity, excel } => list::export(app, entity, excel, &text),
        PromptPurpose::DraftField { key } => form::draft_field(app, key, text),
        PromptPurpose::AddComm { kind } => form::add_comm(app, kind, text),
        PromptPurpose::LinkContact { id, version } => form::link_contact(app, id, version, text),
        PromptPurpose::FillForMove(fill) => crate::tui::overlays::fill::answered(app, *fill, text),
        PromptPurpose::FilterCreated => list::filter_created(app, text),
        PromptPurpose::FilterText => list::filter_text(app, text),
        PromptPurpose::FilterWhere => list::filter_where(app, text),
        PromptPurpose::ViewName { entity } => list::view_named(app, entity, text),
        PromptPurpose::Team(ask) => crate::tui::screens::team::prompted(app, ask, text),
        PromptPurpose::DocumentPath { id, kind } => form::documents::path_typed(app, id, kind, text),
        PromptPurpose::ProductsPath => crate::tui::screens::team::products::path_typed(app, text),
    }
}

/// The message of a file path left empty.
pub(crate) fn path_required(app: &App) -> String {
    crate::i18n::describe(&crate::domain::Problem::Required, "file", app.lang)
}

/// A file path as typed in a prompt (`~/` is the home folder); `None` when empty.
pub(crate) fn typed_path(text: &str) -> Option<std::path::PathBuf> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(match text.strip_prefix("~/") {
        Some(rest) => std::path::PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| ".".into())).join(rest),
        None => std::path::PathBuf::from(text),
    })
}

/// Draws the field, its hint and why the last answer was refused; a path prompt, the
/// candidates a Tab listed or the recent files.
pub(crate) fn draw(app: &App, p: &Prompt, f: &mut Frame, area: Rect) {
    let width = if p.files.is_some() { 84 } else { 64 };
    let inner_w = area.width.min(width).saturating_sub(2) as usize;
    let error_lines = p.error.as_deref().map_or(0, |e| crate::tui::widgets::wrapped(e, inner_w).len());
    let mut extra = p.files.as_ref().map_or(vec![], |h| path_lines(app, h, inner_w));
    if matches!(p.purpose, PromptPurpose::FailureReason { .. }) {
        extra.extend(reason_lines(app, inner_w));
    }
    let rect = popup(area, width, 5 + (error_lines + extra.len()) as u16);
    let w = rect.width.saturating_sub(2) as usize;
    let hint = match &p.files {
        Some(h) if h.recent && !app.recent.is_empty() => app.t("tui.path_hint_recent"),
        Some(_) => app.t("tui.path_hint"),
        None => app.t("tui.prompt_hint"),
    };
    let mut lines =
        vec![input_line("> ", &p.input, w), Line::from(Span::styled(fit(&hint, w), Style::default().fg(Color::Gray)))];
    if let Some(e) = &p.error {
        // A refusal says what is accepted: read whole, over as many lines as it takes.
        for part in crate::tui::widgets::wrapped(e, w) {
            lines.push(Line::from(Span::styled(part, Style::default().fg(Color::Red))));
        }
    }
    lines.extend(extra);
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).block(frame_block(&p.title)), rect);
    set_field_cursor(f, rect, "> ", &p.input);
}

/// Under the failure reason's field: the list's reasons, numbered, as many on a line as fit.
fn reason_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for (i, r) in app.lost_reasons.iter().enumerate() {
        let item = format!("{} {}", i + 1, r.label(app.lang));
        if !line.is_empty() && unicode_width::UnicodeWidthStr::width(format!("{line}   {item}").as_str()) > width {
            lines.push(Line::from(Span::styled(std::mem::take(&mut line), Style::default().fg(Color::Cyan))));
        }
        if !line.is_empty() {
            line.push_str("   ");
        }
        line.push_str(&item);
    }
    if !line.is_empty() {
        lines.push(Line::from(Span::styled(line, Style::default().fg(Color::Cyan))));
    }
    lines
}

/// Under a path prompt's field: the candidates a Tab listed (their names), else the recent
/// files with the one picked shown; each on one line.
fn path_lines(app: &App, help: &PathHelp, width: usize) -> Vec<Line<'static>> {
    let gray = Style::default().fg(Color::Gray);
    let mut lines = Vec::new();
    if !help.listed.is_empty() {
        lines.push(Line::from(""));
        for c in help.listed.iter().take(LISTED) {
            // A candidate by its name (a folder keeps its `/`).
            let name = c.trim_end_matches('/').rsplit('/').next().unwrap_or(c);
            let slash = if c.ends_with('/') { "/" } else { "" };
            lines.push(Line::from(fit(&format!("  {name}{slash}"), width)));
        }
        if help.listed.len() > LISTED {
            let more = app.ta("tui.and_more", &[("count", &(help.listed.len() - LISTED).to_string())]);
            lines.push(Line::from(Span::styled(format!("  {more}"), gray)));
        }
    } else if help.recent && !app.recent.is_empty() {
        lines.push(Line::from(Span::styled(fit(&app.t("tui.recent_files"), width), gray)));
        for (i, r) in app.recent.iter().enumerate() {
            let text = fit(&format!("  {}", r.display()), width);
            lines.push(Line::from(Span::styled(text, row_style(help.picked == Some(i)))));
        }
    }
    lines
}
