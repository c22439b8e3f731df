//! A one-line text prompt (a title, a comment, a field's value, a path, a filter) and what
//! its text is for.

use crate::domain::comm::Comm;
use crate::domain::fields::{Entity, InputContext, validate_input};
use crate::domain::money::Currency;
use crate::store::{CommsChange, RecordInput};
use crate::tui::action::Action;
use crate::tui::app::*;
use crate::tui::effect::Effect;
use crate::tui::screens::list::{list_effect, list_mut, parse_range};
use crate::tui::widgets::input::{TextInput, edit_text, input_line};
use crate::tui::widgets::{fit, frame_block, popup};
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
    /// Where to write a list's CSV export.
    ExportPath { entity: Entity },
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

pub(crate) fn submit_prompt(app: &mut App, mut p: Prompt) -> Vec<Effect> {
    let text = p.input.text.trim().to_string();
    let keep = |app: &mut App, p: Prompt| app.overlay = Overlay::Prompt(p);
    match p.purpose.clone() {
        PromptPurpose::QuickCreate { entity, stage_code } => {
            let mut fields = vec![("title".to_string(), text)];
            if entity.has_stages() {
                fields.push(("stage".into(), stage_code));
            }
            keep(app, p);
            vec![Effect::Create {
                entity,
                input: RecordInput { fields, origin: Some("manual".into()), ..Default::default() },
                open: false,
            }]
        }
        PromptPurpose::FailureReason { entity, ids, stage_code } => {
            let reason = (!text.is_empty()).then_some(text);
            // Rows of a list carry no version: one bulk move, which skips rows already there.
            if ids.iter().all(|(_, v)| v.is_none()) {
                let ids = ids.into_iter().map(|(id, _)| id).collect();
                return vec![Effect::BulkMove { entity, ids, stage_code, reason }];
            }
            ids.into_iter()
                .map(|(id, seen)| Effect::Move {
                    entity,
                    id,
                    seen,
                    stage_code: stage_code.clone(),
                    reason: reason.clone(),
                })
                .collect()
        }
        PromptPurpose::Comment { entity, id } => {
            if text.is_empty() {
                p.error = Some(crate::i18n::describe(&crate::domain::Problem::Required, "comment", app.lang));
                keep(app, p);
                return vec![];
            }
            keep(app, p);
            vec![Effect::Comment { entity, id, text }]
        }
        PromptPurpose::EditField { entity, id, version, key, base } => {
            keep(app, p);
            let input = RecordInput { fields: vec![(key.clone(), text)], ..Default::default() };
            let then = Box::new(Effect::Update { entity, id, version, input: input.clone(), field: Some(key), base });
            vec![Effect::CheckDuplicates { entity, id: Some(id), input, then }]
        }
        PromptPurpose::ImportPath { entity } => {
            let Some(path) = typed_path(&text) else {
                p.error = Some(crate::i18n::describe(&crate::domain::Problem::Required, "file", app.lang));
                keep(app, p);
                return vec![];
            };
            app.overlay = Overlay::Import(Box::new(ImportWizard {
                entity,
                path: path.clone(),
                preview: None,
                cursor: 0,
                mode: 0,
                matching: 0,
                dry_run: false,
                running: false,
                result: None,
                error: None,
            }));
            vec![Effect::PreviewImport { entity, path }]
        }
        PromptPurpose::ExportPath { entity } => {
            let Some(path) = typed_path(&text) else {
                p.error = Some(crate::i18n::describe(&crate::domain::Problem::Required, "file", app.lang));
                keep(app, p);
                return vec![];
            };
            let Effect::LoadList { filter, .. } = list_effect(app, entity, false) else { return vec![] };
            let selected: Vec<i64> = list_mut(app, entity).selected.iter().copied().collect();
            let ids = (!selected.is_empty()).then_some(selected);
            keep(app, p);
            vec![Effect::Export { entity, filter, ids, path }]
        }
        PromptPurpose::DraftField { key } => {
            let Some(form) = app.form.as_mut() else { return vec![] };
            let ctx = InputContext { currency: Currency::EUR, creating: false };
            match validate_input(form.entity, &[(key.clone(), text.clone())], ctx) {
                Ok(_) => {
                    form.draft.retain(|(k, _)| *k != key);
                    form.draft.push((key, text));
                    vec![]
                }
                Err(e) => {
                    p.error = Some(crate::i18n::describe(&e.problem, &e.field, app.lang));
                    keep(app, p);
                    vec![]
                }
            }
        }
        PromptPurpose::AddComm { kind } => {
            let comm = match Comm::parse_typed(kind, &text, app.region) {
                Ok(c) => c,
                Err(e) => {
                    p.error = Some(crate::i18n::describe(&e.problem, &e.field, app.lang));
                    keep(app, p);
                    return vec![];
                }
            };
            let Some(form) = app.form.as_mut() else { return vec![] };
            match &form.record {
                Some(r) => {
                    let (entity, id, version) = (form.entity, r.id, r.version);
                    keep(app, p);
                    let input = RecordInput {
                        comms: CommsChange { add: vec![comm], ..Default::default() },
                        ..Default::default()
                    };
                    let then = Box::new(Effect::Update {
                        entity,
                        id,
                        version,
                        input: input.clone(),
                        field: Some(kind.code().to_string()),
                        base: vec![],
                    });
                    vec![Effect::CheckDuplicates { entity, id: Some(id), input, then }]
                }
                None => {
                    form.draft_comms.push((kind, text));
                    vec![]
                }
            }
        }
        PromptPurpose::FilterCreated => {
            let entity = match app.screen {
                Screen::List(e) => e,
                _ => return vec![],
            };
            let range = if text.is_empty() {
                None
            } else {
                match parse_range(&text) {
                    Some((from, to)) => Some((from, to, text.clone())),
                    None => {
                        p.error = Some(app.t("tui.bad_range"));
                        keep(app, p);
                        return vec![];
                    }
                }
            };
            let list = list_mut(app, entity);
            list.filters.today = false;
            list.filters.created = range;
            list.cursor = 0;
            list.scroll = 0;
            vec![list_effect(app, entity, false)]
        }
        PromptPurpose::FilterText => {
            let entity = match app.screen {
                Screen::List(e) => e,
                _ => return vec![],
            };
            let list = list_mut(app, entity);
            list.filters.text = (!text.is_empty()).then_some(text);
            list.cursor = 0;
            list.scroll = 0;
            vec![list_effect(app, entity, false)]
        }
    }
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

pub(crate) fn draw(app: &App, p: &Prompt, f: &mut Frame, area: Rect) {
    let rect = popup(area, 64, if p.error.is_some() { 6 } else { 5 });
    let w = rect.width.saturating_sub(2) as usize;
    let mut lines = vec![
        input_line("> ", &p.input, w),
        Line::from(Span::styled(app.t("tui.prompt_hint"), Style::default().fg(Color::Gray))),
    ];
    if let Some(e) = &p.error {
        lines.push(Line::from(Span::styled(fit(e, w), Style::default().fg(Color::Red))));
    }
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).block(frame_block(&p.title)), rect);
}
