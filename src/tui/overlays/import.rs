//! The CSV import wizard: the file as read, a field per column, the duplicate mode and match
//! rule, a dry run or the import, then its result.

use crate::domain::fields::Entity;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, info};
use crate::tui::effect::{Effect, ReadAs, StoreEvent};
use crate::tui::overlays::prompt::{Answered, path_required, typed_path};
use crate::tui::update::reload_screen;
use crate::tui::widgets::{fit, fit_pad, frame_block, popup, row_style, safe, text_lines};
use crossterm::event::{KeyCode, KeyEvent};
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
    }));
    Answered::Close(vec![Effect::PreviewImport { entity, path, read_as: ReadAs::default() }])
}

/// The import wizard: a field per column (Space/l forward, h back through the choices), `d`
/// for the duplicate mode, Enter imports; once done, Enter or Esc closes and the list reloads.
pub(crate) fn update(app: &mut App, mut w: Box<ImportWizard>, action: Action) -> Vec<Effect> {
    if w.result.is_some() || (w.preview.is_none() && w.error.is_some()) {
        if matches!(action, Action::Submit | Action::Back) {
            if w.dry_run && w.result.is_some() {
                // Back to the mapping, to change it or import for real.
                w.result = None;
                w.dry_run = false;
                app.overlay = Overlay::Import(w);
                return vec![];
            }
            return reload_screen(app);
        }
        app.overlay = Overlay::Import(w);
        return vec![];
    }
    if action == Action::Back {
        return vec![];
    }
    if w.running || w.reading {
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
                    w.running = true;
                    w.error = None;
                    w.dry_run = action != Action::Submit;
                    let effect = Effect::RunImport {
                        entity: w.entity,
                        path: w.path.clone(),
                        targets: p.targets.clone(),
                        duplicates: IMPORT_MODES[w.mode],
                        match_on: IMPORT_MATCHES[w.matching],
                        dry_run: w.dry_run,
                        read_as: p.read_as.clone(),
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
        StoreEvent::ImportDone { summary } => {
            if let Overlay::Import(w) = &mut app.overlay {
                w.running = false;
                w.result = Some(summary.clone());
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
    match (&w.preview, &w.result) {
        (_, Some(summary)) => {
            lines.extend(text_lines(summary).into_iter().map(Line::from));
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(fit(&app.t("tui.import_done_keys"), inner), gray)));
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
            if let Some(preset) = &p.preset {
                read = format!("{read} · {}", app.ta("tui.import_preset", &[("preset", preset)]));
            }
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
                    other => other.code(),
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
    let height = (lines.len() as u16 + 4).min(area.height);
    let rect = popup(area, width, height);
    let entity = app.t(&format!("entity.{}", w.entity.code()));
    let file = w.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let title = app.ta("tui.import_title", &[("entity", &entity), ("file", &file)]);
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(frame_block(&title)), rect);
}

/// What a key means in the wizard: `j`/`k` through the columns, Space/`l` and `h` through a
/// column's fields, `d` the duplicate mode, `m` the match rule, `e` the encoding and `s` the
/// separator (the file read again), `r` a dry run, Enter imports.
pub(crate) fn key(ev: &KeyEvent) -> Option<Action> {
    match ev.code {
        KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
        KeyCode::Enter => Some(Action::Submit),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
        KeyCode::Char(' ' | 'l') | KeyCode::Right => Some(Action::ChoiceNext),
        KeyCode::Char('h') | KeyCode::Left => Some(Action::ChoicePrev),
        KeyCode::Char('d') => Some(Action::ImportMode),
        KeyCode::Char('m') => Some(Action::ImportMatch),
        KeyCode::Char('r') => Some(Action::ImportDryRun),
        KeyCode::Char('e') => Some(Action::ImportEncoding),
        KeyCode::Char('s') => Some(Action::ImportSeparator),
        _ => None,
    }
}
