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
    /// Per row (`rows`: the conflicts, then the fills others would make differently): the
    /// index of the chosen value among the row's `options`.
    pub chosen: Vec<usize>,
    /// Focused row.
    pub row: usize,
}

/// A row of choices: its field, each value offered with the record holding it, and whether
/// the kept record's own value comes first (a conflict) or not (a fill with alternatives).
pub struct MergeRow<'a> {
    /// Field key.
    pub field: &'a str,
    /// (record id, value as shown), in order.
    pub options: Vec<(i64, &'a str)>,
    /// The first option is the kept record's value (`Prefer::Keep`).
    pub keeps: bool,
}

impl MergeForm {
    /// The rows of choices: every record's value per field, the kept one's first for a
    /// conflict (three records, three values: all offered).
    pub fn rows(&self) -> Vec<MergeRow<'_>> {
        let Some(p) = &self.preview else { return vec![] };
        let conflicts = p.conflicts.iter().map(|c| {
            let mut options = vec![(self.keep, c.keep.as_str())];
            options.extend(c.values.iter().map(|(id, v)| (*id, v.as_str())));
            MergeRow { field: &c.field, options, keeps: true }
        });
        let fills = p.alternatives.iter().map(|c| MergeRow {
            field: &c.field,
            options: c.values.iter().map(|(id, v)| (*id, v.as_str())).collect(),
            keeps: false,
        });
        conflicts.chain(fills).collect()
    }
}

/// Space (or `h`/`l`, the arrows) takes the focused field's next value; Enter merges.
pub(crate) fn update(app: &mut App, mut m: Box<MergeForm>, action: Action) -> Vec<Effect> {
    let n = m.chosen.len();
    match action {
        Action::Back => return vec![],
        Action::Up => m.row = m.row.saturating_sub(1),
        Action::Down => m.row = (m.row + 1).min(n.saturating_sub(1)),
        Action::ChoiceNext => {
            let options = m.rows().get(m.row).map_or(0, |r| r.options.len());
            if let Some(c) = m.chosen.get_mut(m.row) {
                *c = (*c + 1) % options.max(1);
            }
        }
        Action::Submit => {
            if m.preview.is_none() {
                app.overlay = Overlay::Merge(m);
                return vec![];
            }
            let mut choices = crate::store::merge::MergeChoices::default();
            for (row, chosen) in m.rows().iter().zip(&m.chosen) {
                let prefer = match row.options.get(*chosen) {
                    _ if row.keeps && *chosen == 0 => Prefer::Keep,
                    Some((id, _)) => Prefer::Record(*id),
                    None => continue,
                };
                choices.fields.insert(row.field.to_string(), prefer);
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
                // The kept value of a conflict, the first value of a fill, until chosen.
                m.chosen = vec![0; preview.conflicts.len() + preview.alternatives.len()];
                m.preview = Some(preview);
            }
            vec![]
        }
        _ => vec![],
    }
}

/// Merging duplicates: what gets filled, and a choice among every value per differing field.
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
            // Fills the others agree on; those they do not are rows of choices below.
            for (field, value, from) in p.fills.iter().filter(|(f, _, _)| !p.alternatives.iter().any(|a| a.field == *f))
            {
                let text = app.ta(
                    "tui.merge_fill",
                    &[
                        ("field", &crate::present::field_label(app.lang, field)),
                        ("value", value),
                        ("id", &from.to_string()),
                    ],
                );
                lines.push(Line::from(Span::styled(fit(&format!(" + {text}"), w), gray)));
            }
            if p.conflicts.is_empty() && p.alternatives.is_empty() {
                lines.push(Line::from(fit(&app.ta("tui.merge_nothing_differs", &[("id", &m.keep.to_string())]), w)));
            }
            for (i, row) in m.rows().iter().enumerate() {
                let chosen = m.chosen.get(i).copied().unwrap_or(0);
                let label = format!(" {:<18}", fit(&crate::present::field_label(app.lang, row.field), 18));
                let each = w.saturating_sub(20) / row.options.len().max(1);
                let mut spans = vec![Span::styled(label, row_style(i == m.row))];
                for (j, (id, value)) in row.options.iter().enumerate() {
                    let mark = if j == chosen { "(•)" } else { "( )" };
                    spans.push(Span::raw(" "));
                    spans.push(Span::raw(fit(&format!("{mark} {value} #{id}"), each.saturating_sub(1))));
                }
                lines.push(Line::from(spans));
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
