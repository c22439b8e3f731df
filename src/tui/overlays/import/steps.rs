//! The import wizard's steps after the mapping: the values step (what each value that names
//! nothing becomes) and the result screen (the report's rows, a record opened from one).

use super::*;

/// What an unknown value may become in the values step, in the order Space goes through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueAnswer {
    /// The field left empty, the text kept on the record (the default).
    Empty,
    /// An existing value of the field (`suggested`: the one it most likely means).
    Code { code: String, name: String, suggested: bool },
    /// Created before the rows are written (sources and lead stages; administrators only).
    Create,
}

/// The import wizard's values step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValuesStep {
    /// Each value of a reference column that names nothing, with its column and row count.
    pub unknown: Vec<crate::domain::import::values::UnknownValue>,
    /// Per value: its possible answers, `Empty` first.
    pub options: Vec<Vec<ValueAnswer>>,
    /// Per value: the answer chosen (a position in its `options`).
    pub answers: Vec<usize>,
    /// The value in focus.
    pub cursor: usize,
}

impl ValuesStep {
    /// The step for `unknown`, each value's answers from its field's `choices`: leave it
    /// empty, its suggestion, every other value of the field, create it where that may be.
    /// An answer given before (`answered`) is chosen again.
    pub fn new(
        unknown: Vec<crate::domain::import::values::UnknownValue>,
        choices: &[crate::domain::import::values::FieldChoices],
        answered: &[crate::domain::import::values::ValueRule],
    ) -> ValuesStep {
        let mut options = Vec::new();
        let mut answers = Vec::new();
        for u in &unknown {
            let mut list = vec![ValueAnswer::Empty];
            if let Some(s) = &u.suggestion {
                list.push(ValueAnswer::Code { code: s.code.clone(), name: s.name.clone(), suggested: true });
            }
            if let Some(field) = choices.iter().find(|c| c.field == u.field) {
                for c in &field.choices {
                    if u.suggestion.as_ref().is_none_or(|s| s.code != c.code) {
                        list.push(ValueAnswer::Code { code: c.code.clone(), name: c.name.clone(), suggested: false });
                    }
                }
            }
            if crate::domain::import::values::can_create(&u.field) {
                list.push(ValueAnswer::Create);
            }
            let before = answered.iter().find(|r| r.column == u.header && r.value == u.value);
            let at = before
                .and_then(|r| {
                    list.iter().position(|a| match a {
                        ValueAnswer::Empty => r.to.is_empty(),
                        ValueAnswer::Create => r.to == "+",
                        ValueAnswer::Code { code, .. } => *code == r.to,
                    })
                })
                .unwrap_or(0);
            options.push(list);
            answers.push(at);
        }
        ValuesStep { unknown, options, answers, cursor: 0 }
    }

    /// The answers as the import takes them (`ValueRule::to`: a code, `""`, `+`).
    pub fn rules(&self) -> Vec<crate::domain::import::values::ValueRule> {
        self.unknown
            .iter()
            .zip(self.options.iter().zip(&self.answers))
            .map(|(u, (list, at))| crate::domain::import::values::ValueRule {
                column: u.header.clone(),
                value: u.value.clone(),
                to: match list.get(*at) {
                    Some(ValueAnswer::Code { code, .. }) => code.clone(),
                    Some(ValueAnswer::Create) => "+".to_string(),
                    Some(ValueAnswer::Empty) | None => String::new(),
                },
            })
            .collect()
    }
}

/// The values step: `j`/`k` through the values, Space/`l` and `h` through a value's answers,
/// Enter imports (or runs the dry run) with them, Esc goes back to the mapping.
pub(super) fn values_update(app: &mut App, mut w: Box<ImportWizard>, action: Action) -> Vec<Effect> {
    let Some(v) = w.values.as_mut() else {
        app.overlay = Overlay::Import(w);
        return vec![];
    };
    let n = v.unknown.len();
    match action {
        Action::Up => v.cursor = v.cursor.saturating_sub(1),
        Action::Down => v.cursor = (v.cursor + 1).min(n.saturating_sub(1)),
        Action::ChoiceNext | Action::ChoicePrev => {
            if let (Some(list), Some(at)) = (v.options.get(v.cursor), v.answers.get_mut(v.cursor)) {
                let len = list.len().max(1);
                *at = if action == Action::ChoicePrev { (*at + len - 1) % len } else { (*at + 1) % len };
            }
        }
        Action::Submit => {
            let rules = v.rules();
            w.answered = rules.clone();
            w.running = true;
            w.error = None;
            let effect = run_effect(&w, rules);
            app.overlay = Overlay::Import(w);
            return effect.into_iter().collect();
        }
        Action::Back => {
            // Back to the mapping; the answers are offered again next time.
            w.answered = v.rules();
            w.values = None;
            w.error = None;
        }
        _ => {}
    }
    app.overlay = Overlay::Import(w);
    vec![]
}

/// Report rows a page (PgUp/PgDn) moves by, and shows, in a terminal `height` rows high.
pub fn rows_shown(height: u16) -> usize {
    (height as usize).saturating_sub(16).clamp(3, 30)
}

/// The result screen: `j`/`k` (PgUp/PgDn) through the rows, Enter opens the record a row
/// names, Esc goes back to the mapping after a dry run, else closes and the screen reloads.
pub(super) fn result_update(app: &mut App, mut w: Box<ImportWizard>, action: Action) -> Vec<Effect> {
    let n = w.rows.len();
    let page = rows_shown(app.size.1);
    match action {
        Action::Up => w.row_cursor = w.row_cursor.saturating_sub(1),
        Action::Down => w.row_cursor = (w.row_cursor + 1).min(n.saturating_sub(1)),
        Action::PageUp => w.row_cursor = w.row_cursor.saturating_sub(page),
        Action::PageDown => w.row_cursor = (w.row_cursor + page).min(n.saturating_sub(1)),
        Action::Submit | Action::Back => {
            let record = if action == Action::Submit { w.rows.get(w.row_cursor).and_then(|r| r.record) } else { None };
            if let Some(r) = record {
                // The wizard closes on the record; after an import the screen behind reloads.
                let mut effects = if w.dry_run { vec![] } else { reload_screen(app) };
                effects.extend(crate::tui::screens::form::open_record(app, r.entity, r.id));
                return effects;
            }
            if w.dry_run {
                // Back to the mapping (or the card file's keys), to change it or import.
                w.result = None;
                w.rows.clear();
                w.row_cursor = 0;
                w.dry_run = false;
                w.values = None;
                app.overlay = Overlay::Import(w);
                return vec![];
            }
            return reload_screen(app);
        }
        _ => {}
    }
    app.overlay = Overlay::Import(w);
    vec![]
}
