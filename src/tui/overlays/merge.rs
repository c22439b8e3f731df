//! Merging duplicates: the kept record, the others, and per differing field whose value wins.

use crate::domain::fields::Entity;
use crate::store::merge::Prefer;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay};
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::screens::list::list_mut;
use crate::tui::widgets::{fit, frame_block, popup, row_style};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// Merging duplicates: the kept record, the others, and a choice per differing field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeForm {
    /// Kind of records.
    pub entity: Entity,
    /// The kept record.
    pub keep: i64,
    /// Records merged into it.
    pub others: Vec<i64>,
    /// What will be filled and what differs (arrives from the store).
    pub preview: Option<crate::store::merge::MergePreview>,
    /// Per conflict: take the other's value.
    pub take_other: Vec<bool>,
    /// Focused conflict.
    pub row: usize,
}

/// Space flips the focused field; Enter merges.
pub(crate) fn update(app: &mut App, mut m: Box<MergeForm>, action: Action) -> Vec<Effect> {
    let n = m.take_other.len();
    match action {
        Action::Back => return vec![],
        Action::Up => m.row = m.row.saturating_sub(1),
        Action::Down => m.row = (m.row + 1).min(n.saturating_sub(1)),
        Action::ChoiceNext => {
            if let Some(t) = m.take_other.get_mut(m.row) {
                *t = !*t;
            }
        }
        Action::Submit => {
            let Some(preview) = &m.preview else {
                app.overlay = Overlay::Merge(m);
                return vec![];
            };
            let mut choices = crate::store::merge::MergeChoices::default();
            for (c, other) in preview.conflicts.iter().zip(&m.take_other) {
                let side = if *other { Prefer::Other } else { Prefer::Keep };
                choices.fields.insert(c.field.clone(), side);
            }
            list_mut(app, m.entity).selected.clear();
            return vec![Effect::Merge { entity: m.entity, keep: m.keep, others: m.others.clone(), choices }];
        }
        _ => {}
    }
    app.overlay = Overlay::Merge(m);
    vec![]
}

/// What the merge will fill and what differs.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        StoreEvent::MergePreview(preview) => {
            if let Overlay::Merge(m) = &mut app.overlay {
                m.take_other = vec![false; preview.conflicts.len()];
                m.preview = Some(preview);
            }
            vec![]
        }
        _ => vec![],
    }
}

/// Merging duplicates: what gets filled, and a keep/other choice per differing field.
pub(crate) fn draw(app: &App, m: &MergeForm, f: &mut Frame, area: Rect) {
    let gray = Style::default().fg(Color::Gray);
    let rect = popup(area, 76, 16);
    let w = rect.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = Vec::new();
    let others: Vec<String> = m.others.iter().map(|i| format!("#{i}")).collect();
    lines.push(Line::from(Span::styled(fit(&format!(" ← {}", others.join(", ")), w), gray)));
    match &m.preview {
        None => lines.push(Line::from(app.t("tui.loading"))),
        Some(p) => {
            for (field, value, from) in &p.fills {
                let text = app.ta(
                    "tui.merge_fill",
                    &[("field", &app.t(&format!("field.{field}"))), ("value", value), ("id", &from.to_string())],
                );
                lines.push(Line::from(Span::styled(fit(&format!(" + {text}"), w), gray)));
            }
            if p.conflicts.is_empty() {
                lines.push(Line::from(fit(&app.ta("tui.merge_nothing_differs", &[("id", &m.keep.to_string())]), w)));
            }
            for (i, c) in p.conflicts.iter().enumerate() {
                let other = m.take_other.get(i).copied().unwrap_or(false);
                let pick = |on: bool, text: &str, id: i64| {
                    let mark = if on { "(•)" } else { "( )" };
                    format!("{mark} {text} #{id}")
                };
                let label = format!(" {:<18}", fit(&app.t(&format!("field.{}", c.field)), 18));
                let half = w.saturating_sub(20) / 2;
                lines.push(Line::from(vec![
                    Span::styled(label, row_style(i == m.row)),
                    Span::raw(" "),
                    Span::raw(fit(&pick(!other, &c.keep, m.keep), half)),
                    Span::raw(" "),
                    Span::raw(fit(&pick(other, &c.other, c.other_id), half)),
                ]));
            }
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(fit(&app.t("tui.merge_keys"), w), gray)));
    let entity = app.t(&format!("entity.{}", m.entity.code()));
    let title = app.ta("tui.merge_title", &[("entity", &entity), ("id", &m.keep.to_string())]);
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).block(frame_block(&title)), rect);
}

/// What a key means in a popup of per-field choices (merge, edit conflict): `j`/`k` move,
/// Space, `h`/`l` or the arrows flip the focused choice, Enter goes on, Esc or `q` closes.
pub(crate) fn key(ev: &KeyEvent) -> Option<Action> {
    match ev.code {
        KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
        KeyCode::Enter => Some(Action::Submit),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
        KeyCode::Char(' ' | 'h' | 'l') | KeyCode::Left | KeyCode::Right => Some(Action::ChoiceNext),
        _ => None,
    }
}
