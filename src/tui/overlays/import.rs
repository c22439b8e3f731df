//! The CSV import wizard: the file as read, a field per column, the duplicate mode and match
//! rule, a dry run or the import, then its result.

use crate::domain::fields::Entity;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, info};
use crate::tui::effect::{CardFormat, Effect, ReadAs, ReportRow, StoreEvent};
use crate::tui::keymap::{Binding, b, binding_for, code, footer_line, k, key_name};
use crate::tui::overlays::prompt::{Answered, path_required, typed_path};
use crate::tui::update::reload_screen;
use crate::tui::widgets::{fit, fit_pad, frame_block, popup, row_style, safe, text_lines};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

/// Duplicate modes offered by the import wizard, in the order `d` cycles through them.
pub const IMPORT_MODES: [crate::domain::import::DuplicateMode; 4] = [
    crate::domain::import::DuplicateMode::Skip,
    crate::domain::import::DuplicateMode::Merge,
    crate::domain::import::DuplicateMode::Replace,
    crate::domain::import::DuplicateMode::All,
];

/// What makes a match in the import wizard, in the order `m` cycles through them.
pub const IMPORT_MATCHES: [crate::domain::import::MatchOn; 4] = [
    crate::domain::import::MatchOn { name: false, company: false, phone: true, email: true },
    crate::domain::import::MatchOn { name: true, company: false, phone: true, email: true },
    crate::domain::import::MatchOn { name: true, company: false, phone: false, email: false },
    crate::domain::import::MatchOn { name: true, company: true, phone: false, email: false },
];

/// Encodings `e` cycles through: (label for `io::csv::encoding_for`, the name a read gives).
pub const IMPORT_ENCODINGS: [(&str, &str); 3] =
    [("utf-8", "UTF-8"), ("windows-1252", "windows-1252"), ("utf-16le", "UTF-16LE")];

/// Separators `s` cycles through.
pub const IMPORT_SEPARATORS: [u8; 3] = [b',', b';', b'\t'];

/// The import wizard: the file as read, a field per column, the duplicate mode, the result.
#[derive(Clone, Debug)]
pub struct ImportWizard {
    /// Records to make.
    pub entity: Entity,
    /// The file.
    pub path: std::path::PathBuf,
    /// What was read (None while reading).
    pub preview: Option<crate::tui::effect::ImportPreview>,
    /// Focused column.
    pub cursor: usize,
    /// Index in `IMPORT_MODES`.
    pub mode: usize,
    /// Index in `IMPORT_MATCHES`.
    pub matching: usize,
    /// The result shown is a dry run's: Enter goes back to the mapping.
    pub dry_run: bool,
    /// Importing now.
    pub running: bool,
    /// Reading the file again (another encoding or separator): the preview shown is the
    /// last one until the new one comes.
    pub reading: bool,
    /// Fields chosen by hand, by column name: kept when the file is read again.
    pub chosen: Vec<(String, crate::domain::import::Target)>,
    /// Summary once done.
    pub result: Option<String>,
    /// What went wrong.
    pub error: Option<String>,
    /// The values step: the values of reference columns that name nothing, and the answer
    /// chosen for each (shown while `Some` and no result).
    pub values: Option<ValuesStep>,
    /// Answers given in the values step, kept when it is left (Esc, a dry run) and offered
    /// again: (column, value, answer).
    pub answered: Vec<crate::domain::import::values::ValueRule>,
    /// A vCard or iCalendar file: what it holds (no mapping).
    pub cards: Option<(CardFormat, usize)>,
    /// The result's rows: each row not created as it was.
    pub rows: Vec<ReportRow>,
    /// The row in focus on the result screen.
    pub row_cursor: usize,
    /// `?`: the keys of the step in view, drawn from its bindings (any key closes them).
    pub help: bool,
}

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

/// The path typed for an import: the wizard opens on it while the file is read.
pub(crate) fn open(app: &mut App, entity: Entity, text: &str) -> Answered {
    let Some(path) = typed_path(text) else { return Answered::Refused(path_required(app)) };
    app.overlay = Overlay::Import(Box::new(ImportWizard {
        entity,
        path: path.clone(),
        preview: None,
        cursor: 0,
        mode: 0,
        matching: 0,
        dry_run: false,
        running: false,
        reading: false,
        chosen: Vec::new(),
        result: None,
        error: None,
        values: None,
        answered: Vec::new(),
        cards: None,
        rows: Vec::new(),
        row_cursor: 0,
        help: false,
    }));
    Answered::Close(vec![Effect::PreviewImport { entity, path, read_as: ReadAs::default() }])
}

/// The import wizard: a field per column (Space/l forward, h back through the choices), `d`
/// for the duplicate mode, Enter imports (through the values step when some values name
/// nothing); once done, the result's rows, Enter on one opens its record, Esc leaves.
pub(crate) fn update(app: &mut App, mut w: Box<ImportWizard>, action: Action) -> Vec<Effect> {
    if w.help || action == Action::Help {
        // `?` shows the step's keys; any key goes back to the step.
        w.help = !w.help;
        app.overlay = Overlay::Import(w);
        return vec![];
    }
    if w.result.is_some() {
        return result_update(app, w, action);
    }
    if w.preview.is_none() && w.cards.is_none() && w.error.is_some() {
        if matches!(action, Action::Submit | Action::Back) {
            return reload_screen(app);
        }
        app.overlay = Overlay::Import(w);
        return vec![];
    }
    if w.values.is_some() && !w.running {
        return values_update(app, w, action);
    }
    if action == Action::Back {
        return vec![];
    }
    if w.running || w.reading {
        app.overlay = Overlay::Import(w);
        return vec![];
    }
    if w.cards.is_some() {
        if let Some((format, _)) = w.cards
            && matches!(action, Action::Submit | Action::ImportDryRun)
        {
            w.running = true;
            w.error = None;
            w.dry_run = action == Action::ImportDryRun;
            let effect = Effect::ImportCards { path: w.path.clone(), format, dry_run: w.dry_run };
            app.overlay = Overlay::Import(w);
            return vec![effect];
        }
        app.overlay = Overlay::Import(w);
        return vec![];
    }
    let choices = crate::domain::import::targets_for(w.entity);
    if let Some(p) = w.preview.as_mut() {
        let n = p.headers.len();
        match action {
            Action::Up => w.cursor = w.cursor.saturating_sub(1),
            Action::Down => w.cursor = (w.cursor + 1).min(n.saturating_sub(1)),
            Action::ImportMode => w.mode = (w.mode + 1) % IMPORT_MODES.len(),
            Action::ImportMatch => w.matching = (w.matching + 1) % IMPORT_MATCHES.len(),
            Action::ImportPreset => {
                next_preset(&mut w);
                app.overlay = Overlay::Import(w);
                return vec![];
            }
            Action::ImportEncoding | Action::ImportSeparator => {
                let read_as = if action == Action::ImportEncoding {
                    ReadAs { encoding: Some(next_encoding(&p.encoding).to_string()), ..p.read_as.clone() }
                } else {
                    ReadAs { separator: Some(next_separator(&p.separator)), ..p.read_as.clone() }
                };
                w.reading = true;
                w.error = None;
                let effect = Effect::PreviewImport { entity: w.entity, path: w.path.clone(), read_as };
                app.overlay = Overlay::Import(w);
                return vec![effect];
            }
            Action::ChoiceNext | Action::ChoicePrev => {
                if let Some(t) = p.targets.get_mut(w.cursor) {
                    let at = choices.iter().position(|x| x == t).unwrap_or(0);
                    let len = choices.len();
                    let next = if action == Action::ChoicePrev { (at + len - 1) % len } else { (at + 1) % len };
                    *t = choices[next].clone();
                    let header = p.headers[w.cursor].clone();
                    w.chosen.retain(|(h, _)| *h != header);
                    w.chosen.push((header, t.clone()));
                }
            }
            Action::Submit | Action::ImportDryRun => {
                use crate::domain::import::Target;
                if p.targets.iter().all(|t| *t == Target::Ignore) {
                    w.error = Some(app.t("tui.import_nothing_mapped"));
                } else {
                    // The values that name nothing first: the values step, or the import at
                    // once when there are none.
                    w.running = true;
                    w.error = None;
                    w.dry_run = action != Action::Submit;
                    let effect = Effect::ImportValues {
                        entity: w.entity,
                        path: w.path.clone(),
                        read_as: p.read_as.clone(),
                        targets: p.targets.clone(),
                        preset: read_as_preset(p),
                    };
                    app.overlay = Overlay::Import(w);
                    return vec![effect];
                }
            }
            _ => {}
        }
    }
    app.overlay = Overlay::Import(w);
    vec![]
}

/// The import (or dry run) of the mapping shown, with `rules` for the values that name nothing.
fn run_effect(w: &ImportWizard, rules: Vec<crate::domain::import::values::ValueRule>) -> Option<Effect> {
    let p = w.preview.as_ref()?;
    Some(Effect::RunImport {
        entity: w.entity,
        path: w.path.clone(),
        targets: p.targets.clone(),
        duplicates: IMPORT_MODES[w.mode],
        match_on: IMPORT_MATCHES[w.matching],
        dry_run: w.dry_run,
        read_as: p.read_as.clone(),
        rules,
        preset: read_as_preset(p),
    })
}

/// The other CRM the preview is read as.
fn read_as_preset(p: &crate::tui::effect::ImportPreview) -> Option<crate::domain::import::Preset> {
    p.preset.as_deref().and_then(crate::domain::import::Preset::parse)
}

/// Reads the file as the next other CRM's export (none, then each preset): a wrong guess
/// corrected. The columns are mapped again by that CRM's names; a field chosen by hand stays.
fn next_preset(w: &mut ImportWizard) {
    use crate::domain::import::Preset;
    let Some(p) = w.preview.as_mut() else { return };
    let order: Vec<Option<Preset>> = std::iter::once(None).chain(Preset::ALL.map(Some)).collect();
    let now = read_as_preset(p);
    let at = order.iter().position(|x| *x == now).unwrap_or(0);
    let next = order[(at + 1) % order.len()];
    p.preset = next.map(|x| x.code().to_string());
    p.targets = crate::domain::import::mapping(w.entity, next, &p.headers);
    for (h, t) in p.headers.iter().zip(p.targets.iter_mut()) {
        if let Some((_, chosen)) = w.chosen.iter().find(|(c, _)| c == h) {
            *t = chosen.clone();
        }
    }
}

/// The values step: `j`/`k` through the values, Space/`l` and `h` through a value's answers,
/// Enter imports (or runs the dry run) with them, Esc goes back to the mapping.
fn values_update(app: &mut App, mut w: Box<ImportWizard>, action: Action) -> Vec<Effect> {
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
fn result_update(app: &mut App, mut w: Box<ImportWizard>, action: Action) -> Vec<Effect> {
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

/// The encoding after the one a file was read in, in `IMPORT_ENCODINGS`' order (UTF-16
/// either way round counts as UTF-16).
fn next_encoding(current: &str) -> &'static str {
    let at = IMPORT_ENCODINGS.iter().position(|(_, name)| {
        name.eq_ignore_ascii_case(current) || (name.starts_with("UTF-16") && current.starts_with("UTF-16"))
    });
    IMPORT_ENCODINGS[at.map_or(0, |i| (i + 1) % IMPORT_ENCODINGS.len())].0
}

/// The separator after the one shown (`,` `;` `tab`).
fn next_separator(current: &str) -> u8 {
    let now = crate::io::csv::separator_for(current).ok();
    let at = IMPORT_SEPARATORS.iter().position(|s| Some(*s) == now);
    IMPORT_SEPARATORS[at.map_or(0, |i| (i + 1) % IMPORT_SEPARATORS.len())]
}

/// The file read; the import done.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        StoreEvent::ImportPreview(preview) => {
            if let Overlay::Import(w) = &mut app.overlay {
                let mut preview = *preview;
                // Read again: a column of a name seen before keeps the field chosen for it.
                for (h, t) in preview.headers.iter().zip(preview.targets.iter_mut()) {
                    if let Some((_, chosen)) = w.chosen.iter().find(|(c, _)| c == h) {
                        *t = chosen.clone();
                    }
                }
                w.cursor = w.cursor.min(preview.headers.len().saturating_sub(1));
                w.preview = Some(preview);
                w.reading = false;
                w.error = None;
            }
            vec![]
        }
        StoreEvent::CardsPreview { format, count } => {
            if let Overlay::Import(w) = &mut app.overlay {
                w.cards = Some((format, count));
                w.reading = false;
                w.error = None;
            }
            vec![]
        }
        StoreEvent::ImportValues { unknown, choices } => {
            let Overlay::Import(w) = &mut app.overlay else { return vec![] };
            if unknown.is_empty() {
                // Nothing to answer: the import (or dry run) runs at once.
                return run_effect(w, Vec::new()).into_iter().collect();
            }
            w.values = Some(ValuesStep::new(unknown, &choices, &w.answered));
            w.running = false;
            vec![]
        }
        StoreEvent::ImportDone { summary, rows } => {
            if let Overlay::Import(w) = &mut app.overlay {
                w.running = false;
                w.result = Some(summary.clone());
                w.rows = rows;
                w.row_cursor = 0;
            }
            info(app, summary);
            vec![]
        }
        _ => vec![],
    }
}

/// The import wizard: how the file was read, one line per column with the field it goes to
/// and sample values, the duplicate mode; then the result.
pub(crate) fn draw(app: &App, w: &ImportWizard, f: &mut Frame, area: Rect) {
    use crate::domain::import::{DuplicateMode, Target};
    let gray = Style::default().fg(Color::Gray);
    let width = 110u16.min(area.width);
    let inner = width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = Vec::new();
    let keys_line = |w: &ImportWizard| Line::from(Span::styled(fit(&footer_line(app.lang, &bindings(w)), inner), gray));
    match (&w.preview, &w.result) {
        _ if w.help => {
            for bnd in bindings(w) {
                let keys = bnd.keys.iter().map(|key| key_name(app.lang, key)).collect::<Vec<_>>().join(" ");
                lines.push(Line::from(vec![
                    Span::styled(format!(" {} ", fit_pad(&keys, 14)), Style::default().fg(Color::Yellow)),
                    Span::raw(fit(&app.t(bnd.label), inner.saturating_sub(16))),
                ]));
            }
        }
        (_, Some(summary)) => {
            lines.extend(text_lines(summary).into_iter().map(Line::from));
            if !w.rows.is_empty() {
                lines.push(Line::from(""));
                let shown = rows_shown(area.height);
                let start = w.row_cursor.saturating_sub(shown.saturating_sub(1));
                for (i, r) in w.rows.iter().enumerate().skip(start).take(shown) {
                    let line = app.ta("tui.import_row", &[("line", &r.line.to_string())]);
                    let text = if r.reason.is_empty() {
                        format!(" {line}  {}", r.outcome)
                    } else {
                        format!(" {line}  {} · {}", r.outcome, r.reason)
                    };
                    lines.push(Line::from(Span::styled(fit_pad(&text, inner), row_style(i == w.row_cursor))));
                }
                if w.rows.len() > shown {
                    let at = app.ta(
                        "tui.import_rows_at",
                        &[("at", &(w.row_cursor + 1).to_string()), ("count", &w.rows.len().to_string())],
                    );
                    lines.push(Line::from(Span::styled(fit(&format!(" {at}"), inner), gray)));
                }
            }
            lines.push(Line::from(""));
            lines.push(keys_line(w));
        }
        _ if w.cards.is_some() => {
            let (format, count) = w.cards.unwrap_or((CardFormat::VCard, 0));
            let key = match format {
                CardFormat::VCard => "tui.import_cards_vcard",
                CardFormat::ICalendar => "tui.import_cards_ics",
            };
            let text = crate::i18n::tr_count(app.lang, key, count as u64, &[]);
            lines.extend(text_lines(&text).into_iter().map(Line::from));
            lines.push(Line::from(""));
            if let Some(e) = &w.error {
                lines.push(Line::from(Span::styled(fit(&format!(" {e}"), inner), Style::default().fg(Color::Red))));
            }
            if w.running {
                lines.push(Line::from(fit(&format!(" {}", app.t("tui.import_running")), inner)));
            }
            lines.push(keys_line(w));
        }
        (_, None) if w.values.is_some() => {
            let v = w.values.as_ref().expect("checked");
            let intro = crate::i18n::tr_count(app.lang, "tui.import_values_intro", v.unknown.len() as u64, &[]);
            lines.extend(text_lines(&intro).into_iter().map(Line::from));
            lines.push(Line::from(""));
            let col_w = 18.min(inner / 5);
            let value_w = 24.min(inner / 4);
            let count_w = 10;
            let visible = (area.height as usize).saturating_sub(12).max(3);
            let start = v.cursor.saturating_sub(visible.saturating_sub(1));
            for (i, u) in v.unknown.iter().enumerate().skip(start).take(visible) {
                let answer = match v.options.get(i).and_then(|l| l.get(v.answers.get(i).copied().unwrap_or(0))) {
                    Some(ValueAnswer::Code { name, suggested, .. }) => {
                        if *suggested {
                            app.ta("tui.import_value_suggested", &[("value", name)])
                        } else {
                            name.clone()
                        }
                    }
                    Some(ValueAnswer::Create) => app.t("tui.import_value_create"),
                    Some(ValueAnswer::Empty) | None => app.t("tui.import_value_empty"),
                };
                let rows = crate::i18n::tr_count(app.lang, "counted.rows", u.rows as u64, &[]);
                let style = if v.answers.get(i).copied().unwrap_or(0) == 0 { gray } else { Style::default() };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {}", fit_pad(&u.header, col_w)), row_style(i == v.cursor)),
                    Span::raw(" "),
                    Span::styled(fit_pad(&u.value, value_w), row_style(i == v.cursor).add_modifier(Modifier::BOLD)),
                    Span::styled(format!(" {} ", fit_pad(&rows, count_w)), gray),
                    Span::raw("→ "),
                    Span::styled(fit(&answer, inner.saturating_sub(col_w + value_w + count_w + 7)), style),
                ]));
            }
            lines.push(Line::from(""));
            if let Some(e) = &w.error {
                lines.extend(
                    text_lines(&format!(" {e}"))
                        .into_iter()
                        .map(|l| Line::from(Span::styled(l, Style::default().fg(Color::Red)))),
                );
            }
            if w.running {
                lines.push(Line::from(fit(&format!(" {}", app.t("tui.import_running")), inner)));
            }
            lines.push(keys_line(w));
        }
        (None, None) => {
            let text = w.error.clone().unwrap_or_else(|| app.t("tui.import_reading"));
            lines.extend(text_lines(&text).into_iter().map(Line::from));
        }
        (Some(p), None) => {
            let mut read = app.ta(
                "tui.import_read",
                &[("encoding", &p.encoding), ("separator", &p.separator), ("rows", &p.rows.to_string())],
            );
            // The other CRM the columns and values are read as (p changes it).
            let preset = read_as_preset(p).map_or_else(|| app.t("tui.import_no_preset"), |x| x.name().to_string());
            read = format!("{read} · {}", app.ta("tui.import_preset", &[("preset", &preset)]));
            lines.push(Line::from(Span::styled(fit(&format!(" {read}"), inner), gray)));
            let col_w = 22.min(inner / 4);
            let field_w = 20.min(inner / 4);
            let visible = (area.height as usize).saturating_sub(10).max(3);
            let start = w.cursor.saturating_sub(visible.saturating_sub(1));
            for (i, (h, t)) in p.headers.iter().zip(&p.targets).enumerate().skip(start).take(visible) {
                let field = match t {
                    Target::Ignore => app.t("tui.import_left_out"),
                    Target::Field(k) => app.t(&format!("field.{k}")),
                    Target::Comm(k) => app.t(&format!("field.{}s", k.code())),
                    other => app.t(&format!("tui.import_target_{}", other.code())),
                };
                // Each sample on one line (a cell of several lines shows its first and a mark).
                let samples: Vec<String> = p
                    .samples
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .map(|s| safe(s).into_owned())
                    .collect();
                let style = if *t == Target::Ignore { gray } else { Style::default() };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {}", fit_pad(h, col_w)), row_style(i == w.cursor)),
                    Span::raw(" → "),
                    Span::styled(fit_pad(&field, field_w), style.add_modifier(Modifier::BOLD)),
                    Span::styled(
                        fit(&format!("  {}", samples.join(" · ")), inner.saturating_sub(col_w + field_w + 4)),
                        gray,
                    ),
                ]));
            }
            lines.push(Line::from(""));
            let mode = match IMPORT_MODES[w.mode] {
                DuplicateMode::Skip => "tui.import_mode_skip",
                DuplicateMode::Merge => "tui.import_mode_merge",
                DuplicateMode::Replace => "tui.import_mode_replace",
                DuplicateMode::All => "tui.import_mode_all",
            };
            let on = crate::tui::app::IMPORT_MATCHES[w.matching];
            let mut keys: Vec<String> = Vec::new();
            for (set, key) in [(on.name, "name"), (on.company, "company"), (on.phone, "phone"), (on.email, "email")] {
                if set {
                    keys.push(app.t(&format!("tui.import_match_{key}")));
                }
            }
            let text = app.ta("tui.import_duplicates", &[("mode", &app.t(mode)), ("by", &keys.join(", "))]);
            lines.push(Line::from(fit(&format!(" {text}"), inner)));
            if let Some(e) = &w.error {
                lines.push(Line::from(Span::styled(fit(&format!(" {e}"), inner), Style::default().fg(Color::Red))));
            }
            if w.running {
                lines.push(Line::from(fit(&format!(" {}", app.t("tui.import_running")), inner)));
            }
            if w.reading {
                lines.push(Line::from(fit(&format!(" {}", app.t("tui.import_reading")), inner)));
            }
            lines.push(Line::from(Span::styled(fit(&app.t("tui.import_keys"), inner), gray)));
        }
    }
    // A summary wraps: the box is as high as its wrapped lines, so the keys line shows.
    let wrapped: usize = lines.iter().map(|l| l.width().div_ceil(inner.max(1)).max(1)).sum();
    let height = ((lines.len() + 4).max(wrapped + 3) as u16).min(area.height);
    let rect = popup(area, width, height);
    let entity = app.t(&format!("entity.{}", w.entity.code()));
    let file = w.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let title = if w.cards.is_some() {
        app.ta("tui.import_cards_title", &[("file", &file)])
    } else {
        app.ta("tui.import_title", &[("entity", &entity), ("file", &file)])
    };
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(frame_block(&title)), rect);
}

/// The wizard's keys in the step shown, as data (the keys line is drawn from them):
/// mapping: `j`/`k` through the columns, Space/`l` and `h` through a column's fields, `d` the
/// duplicate mode, `m` the match rule, `e` the encoding and `s` the separator (the file read
/// again), `r` a dry run, Enter imports; values step: `j`/`k`, Space/`l`/`h` through the
/// answers, Enter, Esc back to the mapping; result: `j`/`k`, PgUp/PgDn, Enter opens the row's
/// record, Esc; a card file: Enter, `r`, Esc.
pub fn bindings(w: &ImportWizard) -> Vec<Binding> {
    let mut list = step_bindings(w);
    list.push(b(&[k('?')], Action::Help, "tui.key_help", false));
    list
}

/// The keys of the step in view, `?` aside.
fn step_bindings(w: &ImportWizard) -> Vec<Binding> {
    use crossterm::event::KeyCode as C;
    let down = b(&[k('j'), code(C::Down)], Action::Down, "tui.key_down", false);
    let up = b(&[k('k'), code(C::Up)], Action::Up, "tui.key_up", false);
    let next = |label| b(&[code(C::Char(' ')), k('l'), code(C::Right)], Action::ChoiceNext, label, true);
    let prev = |label| b(&[k('h'), code(C::Left)], Action::ChoicePrev, label, false);
    let run = if w.dry_run { "tui.key_import_dry_run" } else { "tui.key_import_run" };
    if w.result.is_some() {
        let back = match (w.dry_run, w.cards.is_some()) {
            (true, false) => "tui.key_import_back",
            (true, true) => "tui.key_back",
            (false, _) => "tui.key_import_close",
        };
        if w.rows.is_empty() {
            return vec![b(&[code(C::Esc), code(C::Enter), k('q')], Action::Back, back, true)];
        }
        return vec![
            b(&[k('j'), code(C::Down)], Action::Down, "tui.key_import_next_row", true),
            up,
            b(&[code(C::PageDown)], Action::PageDown, "tui.key_page_down", false),
            b(&[code(C::PageUp)], Action::PageUp, "tui.key_page_up", false),
            b(&[code(C::Enter)], Action::Submit, "tui.key_import_open_row", true),
            b(&[code(C::Esc), k('q')], Action::Back, back, true),
        ];
    }
    if w.cards.is_some() {
        return vec![
            b(&[code(C::Enter)], Action::Submit, "tui.key_import_run", true),
            b(&[k('r')], Action::ImportDryRun, "tui.key_import_dry_run", true),
            b(&[code(C::Esc), k('q')], Action::Back, "tui.key_import_cancel", true),
        ];
    }
    if w.values.is_some() {
        return vec![
            b(&[k('j'), code(C::Down)], Action::Down, "tui.key_import_next_value", true),
            up,
            next("tui.key_import_next_answer"),
            prev("tui.key_import_prev_answer"),
            b(&[code(C::Enter)], Action::Submit, run, true),
            b(&[code(C::Esc), k('q')], Action::Back, "tui.key_import_back", true),
        ];
    }
    vec![
        down,
        up,
        next("tui.key_import_next_field"),
        prev("tui.key_import_prev_field"),
        b(&[k('d')], Action::ImportMode, "tui.key_import_mode", true),
        b(&[k('m')], Action::ImportMatch, "tui.key_import_match", true),
        b(&[k('r')], Action::ImportDryRun, "tui.key_import_dry_run", true),
        b(&[k('e')], Action::ImportEncoding, "tui.key_import_encoding", false),
        b(&[k('s')], Action::ImportSeparator, "tui.key_import_separator", false),
        b(&[k('p')], Action::ImportPreset, "tui.key_import_preset", false),
        b(&[code(C::Enter)], Action::Submit, "tui.key_import_run", true),
        b(&[code(C::Esc), k('q')], Action::Back, "tui.key_import_cancel", true),
    ]
}

/// What a key means in the wizard's step in view (`bindings`).
pub(crate) fn key(w: &ImportWizard, ev: &KeyEvent) -> Option<Action> {
    if w.help {
        return Some(Action::Back);
    }
    binding_for(&bindings(w), ev)
}
