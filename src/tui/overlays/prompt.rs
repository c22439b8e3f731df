//! A one-line text prompt (a title, a comment, a field's value, a path, a filter) and what
//! its text is for.

use crate::domain::fields::Entity;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, Seen};
use crate::tui::effect::Effect;
use crate::tui::widgets::input::{TextInput, edit_text, input_line, set_field_cursor};
use crate::tui::widgets::{frame_block, popup};
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
    /// Text filter of the list.
    FilterText,
    /// Creation date range of the list: `FROM..TO`, either side optional.
    FilterCreated,
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
}

/// Typing edits the text; Enter answers; Esc closes.
pub(crate) fn update(app: &mut App, mut p: Prompt, action: Action) -> Vec<Effect> {
    match action {
        Action::Back => vec![],
        Action::Input(k) => {
            edit_text(&mut p.input, k);
            p.error = None;
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
        PromptPurpose::FilterCreated => list::filter_created(app, text),
        PromptPurpose::FilterText => list::filter_text(app, text),
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

/// Draws the field, its hint and why the last answer was refused.
pub(crate) fn draw(app: &App, p: &Prompt, f: &mut Frame, area: Rect) {
    let inner_w = area.width.min(64).saturating_sub(2) as usize;
    let error_lines = p.error.as_deref().map_or(0, |e| crate::tui::widgets::wrapped(e, inner_w).len());
    let rect = popup(area, 64, 5 + error_lines as u16);
    let w = rect.width.saturating_sub(2) as usize;
    let mut lines = vec![
        input_line("> ", &p.input, w),
        Line::from(Span::styled(app.t("tui.prompt_hint"), Style::default().fg(Color::Gray))),
    ];
    if let Some(e) = &p.error {
        // A refusal says what is accepted: read whole, over as many lines as it takes.
        for part in crate::tui::widgets::wrapped(e, w) {
            lines.push(Line::from(Span::styled(part, Style::default().fg(Color::Red))));
        }
    }
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).block(frame_block(&p.title)), rect);
    set_field_cursor(f, rect, "> ", &p.input);
}
