//! The import wizard: a CSV file as read, a field per column, the other CRM it is read as,
//! the duplicate mode and match rule; the values step (`steps`), a dry run or the import,
//! then its result and rows; a vCard or iCalendar file goes straight to its import. Drawn
//! by `draw`; the keys of each step are data (`bindings`).

mod draw;
mod steps;

pub(crate) use draw::draw;
pub use steps::{ValueAnswer, ValuesStep, rows_shown};
use steps::{result_update, values_update};

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

impl ImportWizard {
    /// The wizard of an import of `path` into `entity`, before the file is read.
    pub fn new(entity: Entity, path: std::path::PathBuf) -> ImportWizard {
        ImportWizard {
            entity,
            path,
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
        }
    }
}

/// The path typed for an import: the wizard opens on it while the file is read.
pub(crate) fn open(app: &mut App, entity: Entity, text: &str) -> Answered {
    let Some(path) = typed_path(text) else { return Answered::Refused(path_required(app)) };
    app.overlay = Overlay::Import(Box::new(ImportWizard::new(entity, path.clone())));
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
                if p.targets.iter().all(|t| matches!(t, Target::Ignore | Target::Note)) {
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
