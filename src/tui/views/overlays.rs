//! Popups: help, command palette, search, prompts, pickers and confirmations.

use super::super::action::Action;
use super::super::app::{
    App, ConflictView, ConvertWizard, IMPORT_MODES, ImportWizard, MergeForm, Overlay, PlanForm, TextInput,
    WHEN_CHOICES, WizardStep,
};
use super::super::keymap::{self, bindings, key_name};
use super::fit;
use crate::domain::convert::Targets;
use crate::domain::fields::Entity;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 3, width: w, height: h }
}

fn frame_block(title: &str) -> Block<'_> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(Color::Cyan))
        .title(Span::styled(format!(" {title} "), Style::default().add_modifier(Modifier::BOLD)))
}

fn input_line(prefix: &str, input: &TextInput, width: usize) -> Line<'static> {
    let chars: Vec<char> = input.text.chars().collect();
    let c = input.cursor.min(chars.len());
    let before: String = chars[..c].iter().collect();
    let at: String = chars.get(c).map(|ch| ch.to_string()).unwrap_or_else(|| " ".into());
    let after: String = chars.get(c + 1..).map(|s| s.iter().collect()).unwrap_or_default();
    let _ = width;
    Line::from(vec![
        Span::raw(prefix.to_string()),
        Span::raw(before),
        Span::styled(at, Style::default().add_modifier(Modifier::REVERSED)),
        Span::raw(after),
    ])
}

fn input_or_text(input: &TextInput, focused: bool, placeholder: &str) -> Line<'static> {
    if focused {
        input_line("", input, 0)
    } else if input.text.is_empty() {
        Line::from(Span::styled(placeholder.to_string(), Style::default().fg(Color::DarkGray)))
    } else {
        Line::from(input.text.clone())
    }
}

/// Draws the overlay, if any, above everything.
pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help => {
            let ctx = keymap::context(app);
            let list = bindings(ctx);
            // One column when it fits, two otherwise; the popup never leaves the screen.
            let room = area.height.saturating_sub(2).max(1) as usize;
            let columns = if list.len() <= room { 1 } else { 2 };
            let per_column = list.len().div_ceil(columns);
            let width = if columns == 1 { 64 } else { 110 };
            let rect = popup(area, width, per_column as u16 + 2);
            let col_w = (rect.width.saturating_sub(2) as usize) / columns;
            let cell = |b: &keymap::Binding| {
                let keys = b.keys.iter().map(key_name).collect::<Vec<_>>().join(" ");
                vec![
                    Span::styled(format!(" {:<13}", fit(&keys, 13)), Style::default().fg(Color::Yellow)),
                    Span::raw(format!(
                        "{:<w$}",
                        fit(&app.t(b.label), col_w.saturating_sub(15)),
                        w = col_w.saturating_sub(14)
                    )),
                ]
            };
            let lines: Vec<Line> = (0..per_column)
                .map(|row| {
                    let mut spans = Vec::new();
                    for c in 0..columns {
                        if let Some(b) = list.get(c * per_column + row) {
                            spans.extend(cell(b));
                        }
                    }
                    Line::from(spans)
                })
                .collect();
            f.render_widget(Clear, rect);
            f.render_widget(Paragraph::new(lines).block(frame_block(&app.t("tui.help_title"))), rect);
        }
        Overlay::Palette(p) => {
            let rect = popup(area, 60, 16);
            let w = rect.width.saturating_sub(2) as usize;
            let entries = Action::palette();
            let mut lines = vec![input_line(": ", &p.input, w), Line::from("")];
            let room = rect.height.saturating_sub(4) as usize;
            let first = p.cursor.saturating_sub(room.saturating_sub(1));
            for (n, i) in p.matches.iter().enumerate().skip(first).take(room) {
                let label = app.t(entries[*i].1);
                let style =
                    if n == p.cursor { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
                lines.push(Line::from(Span::styled(fit(&format!(" {label}"), w), style)));
            }
            f.render_widget(Clear, rect);
            f.render_widget(Paragraph::new(lines).block(frame_block(&app.t("tui.palette_title"))), rect);
        }
        Overlay::Search(s) => {
            let rect = popup(area, 70, 20);
            let w = rect.width.saturating_sub(2) as usize;
            let mut lines = vec![input_line("/ ", &s.input, w), Line::from("")];
            let mut last = None;
            for (i, hit) in s.hits.iter().enumerate() {
                if last != Some(hit.entity) {
                    lines.push(Line::from(Span::styled(
                        app.t(&format!("entity.{}", hit.entity.code())),
                        Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                    )));
                    last = Some(hit.entity);
                }
                let style =
                    if i == s.cursor { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
                lines.push(Line::from(Span::styled(fit(&format!("  #{} {}", hit.id, hit.title), w), style)));
            }
            if s.hits.is_empty() && !s.input.text.trim().is_empty() {
                lines.push(Line::from(Span::styled(app.t("label.no_records"), Style::default().fg(Color::Gray))));
            }
            let cursor_line = lines
                .iter()
                .position(|l| {
                    l.spans
                        .iter()
                        .any(|sp| sp.style.add_modifier.contains(Modifier::REVERSED) && sp.content.starts_with("  #"))
                })
                .unwrap_or(0);
            let room = rect.height.saturating_sub(2) as usize;
            let skip = cursor_line.saturating_sub(room.saturating_sub(1));
            let lines: Vec<Line> =
                lines.into_iter().enumerate().filter(|(i, _)| *i < 2 || *i >= skip + 2).map(|(_, l)| l).collect();
            f.render_widget(Clear, rect);
            f.render_widget(Paragraph::new(lines).block(frame_block(&app.t("tui.search_title"))), rect);
        }
        Overlay::Prompt(p) => {
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
        Overlay::Picker(p) => {
            let rect = popup(area, 50, p.items.len() as u16 + 2);
            let w = rect.width.saturating_sub(2) as usize;
            let room = rect.height.saturating_sub(2) as usize;
            let first = p.cursor.saturating_sub(room.saturating_sub(1));
            let lines: Vec<Line> = p
                .items
                .iter()
                .enumerate()
                .skip(first)
                .take(room)
                .map(|(i, (_, label))| {
                    let style = if i == p.cursor {
                        Style::default().add_modifier(Modifier::REVERSED)
                    } else {
                        Style::default()
                    };
                    Line::from(Span::styled(fit(&format!(" {label}"), w), style))
                })
                .collect();
            f.render_widget(Clear, rect);
            f.render_widget(Paragraph::new(lines).block(frame_block(&p.title)), rect);
        }
        Overlay::Plan(p) => {
            let rect = popup(area, 66, PlanForm::ROWS.len() as u16 + if p.error.is_some() { 5 } else { 4 });
            let w = rect.width.saturating_sub(2) as usize;
            let kinds = ["call", "meeting", "task", "email"];
            let priorities = ["low", "medium", "high"];
            let mut lines = Vec::new();
            for (i, (label, _)) in PlanForm::ROWS.iter().enumerate() {
                let focused = i == p.row;
                let value: Line = match i {
                    0 => Line::from(format!("‹ {} ›", app.t(&format!("activity_kind.{}", kinds[p.kind % 4])))),
                    1 => Line::from(format!("‹ {} ›", app.t(WHEN_CHOICES[p.when % WHEN_CHOICES.len()]))),
                    2 => input_or_text(&p.date, focused, &app.t("tui.plan_date_hint")),
                    3 => input_or_text(
                        &p.subject,
                        focused,
                        &format!("{} {}", app.t(&format!("activity.{}", kinds[p.kind % 4])), p.record_title),
                    ),
                    4 => input_or_text(&p.duration, focused, ""),
                    5 => Line::from(format!("‹ {} ›", app.t(&format!("tui.priority_{}", priorities[p.priority % 3])))),
                    6 => Line::from(format!(
                        "‹ {} ›",
                        app.users.get(p.responsible).map(|u| u.1.clone()).unwrap_or_default()
                    )),
                    _ => input_or_text(&p.reminder, focused, &app.t("tui.plan_no_reminder")),
                };
                let label_style = if focused {
                    Style::default().add_modifier(Modifier::REVERSED)
                } else {
                    Style::default().fg(Color::Gray)
                };
                let mut spans =
                    vec![Span::styled(format!(" {:<16}", fit(&app.t(label), 16)), label_style), Span::raw(" ")];
                spans.extend(value.spans);
                lines.push(Line::from(spans));
            }
            lines.push(Line::from(Span::styled(fit(&app.t("tui.plan_keys"), w), Style::default().fg(Color::Gray))));
            if let Some(e) = &p.error {
                lines.push(Line::from(Span::styled(fit(e, w), Style::default().fg(Color::Red))));
            }
            f.render_widget(Clear, rect);
            let key = if p.editing.is_some() { "tui.edit_activity_title" } else { "tui.plan_title" };
            let title = app.ta(key, &[("title", &p.record_title)]);
            f.render_widget(Paragraph::new(lines).block(frame_block(&fit(&title, w.saturating_sub(4)))), rect);
        }
        Overlay::Confirm(c) => {
            let width = 64u16;
            let text_w = width.saturating_sub(2).max(1) as usize;
            let text_lines = (unicode_width::UnicodeWidthStr::width(c.message.as_str()) / text_w + 1) as u16;
            let rect = popup(area, width, text_lines + 4);
            let lines = vec![
                Line::from(c.message.clone()),
                Line::from(""),
                Line::from(Span::styled(app.t("tui.confirm_keys"), Style::default().fg(Color::Gray))),
            ];
            f.render_widget(Clear, rect);
            f.render_widget(
                Paragraph::new(lines).wrap(Wrap { trim: true }).block(frame_block(&app.t("tui.confirm_title"))),
                rect,
            );
        }
        Overlay::Convert(w) => draw_wizard(app, w, f, area),
        Overlay::Merge(m) => draw_merge(app, m, f, area),
        Overlay::Conflict(c) => draw_conflict(app, c, f, area),
        Overlay::Import(w) => draw_import(app, w, f, area),
        Overlay::Notice(text) => {
            let width = 72u16.min(area.width);
            let text_w = width.saturating_sub(2).max(1) as usize;
            let text_lines: usize =
                text.lines().map(|l| unicode_width::UnicodeWidthStr::width(l) / text_w + 1).sum::<usize>();
            let rect = popup(area, width, text_lines as u16 + 4);
            let mut lines: Vec<Line> = text.lines().map(|l| Line::from(l.to_string())).collect();
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(app.t("tui.notice_keys"), Style::default().fg(Color::Gray))));
            f.render_widget(Clear, rect);
            f.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: true })
                    .block(frame_block(&app.t("tui.risky_title")).border_style(Style::default().fg(Color::Red))),
                rect,
            );
        }
    }
}

fn targets_label(app: &App, t: Targets) -> String {
    let mut parts = Vec::new();
    for (on, e) in [(t.deal, Entity::Deal), (t.contact, Entity::Contact), (t.company, Entity::Company)] {
        if on {
            parts.push(app.t(&format!("entity.{}", e.code())));
        }
    }
    parts.join(" + ")
}

fn row_style(focused: bool) -> Style {
    if focused { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() }
}

fn match_label(app: &App, m: &crate::store::duplicates::DuplicateMatch) -> String {
    let by = crate::present::matched_by(app.lang, &m.matched_by);
    app.ta("tui.convert_link", &[("id", &m.id.to_string()), ("title", &m.title), ("by", &by)])
}

/// The conversion wizard: one step at a time, what is chosen so far always visible.
fn draw_wizard(app: &App, wz: &ConvertWizard, f: &mut Frame, area: Rect) {
    let gray = Style::default().fg(Color::Gray);
    let mut lines: Vec<Line> = Vec::new();
    let (n, heading) = match wz.step {
        WizardStep::Targets => (1, "tui.convert_targets"),
        WizardStep::Matches => (2, "tui.convert_matches"),
        WizardStep::Fields => (3, "tui.convert_fields"),
        WizardStep::Summary => (4, "tui.convert_summary"),
    };
    let rect = popup(area, 76, 16);
    let w = rect.width.saturating_sub(2) as usize;
    lines.push(Line::from(Span::styled(
        fit(&format!("{} · {}", app.ta("tui.convert_step", &[("n", &n.to_string())]), app.t(heading)), w),
        Style::default().add_modifier(Modifier::BOLD),
    )));
    match wz.step {
        WizardStep::Targets => {
            if wz.is_repeat {
                lines.push(Line::from(Span::styled(fit(&app.t("tui.convert_repeat"), w), gray)));
                lines.push(Line::from(Span::styled(
                    fit(&format!(" (•) {}", targets_label(app, Targets::DEAL)), w),
                    row_style(true),
                )));
            } else {
                for (i, t) in Targets::CHOICES.iter().enumerate() {
                    let mark = if i == wz.targets { "(•)" } else { "( )" };
                    lines.push(Line::from(Span::styled(
                        fit(&format!(" {mark} {}", targets_label(app, *t)), w),
                        row_style(i == wz.row),
                    )));
                }
            }
        }
        WizardStep::Matches => {
            for (i, e) in wz.match_rows().into_iter().enumerate() {
                let (choice, matches) = match e {
                    Entity::Contact => (wz.contact_choice, &wz.contact_matches),
                    _ => (wz.company_choice, &wz.company_matches),
                };
                let value = match choice.checked_sub(1).and_then(|c| matches.get(c)) {
                    Some(m) => match_label(app, m),
                    None => app.t("tui.convert_new"),
                };
                let label = format!(" {:<12}", fit(&app.t(&format!("entity.{}", e.code())), 12));
                lines.push(Line::from(vec![
                    Span::styled(label, row_style(i == wz.row)),
                    Span::raw(fit(&format!(" ‹ {value} ›"), w.saturating_sub(13))),
                ]));
                if matches.is_empty() {
                    lines.push(Line::from(Span::styled(format!("   {}", app.t("tui.convert_no_match")), gray)));
                } else {
                    for m in matches.iter().take(3) {
                        lines.push(Line::from(Span::styled(fit(&format!("   · {}", match_label(app, m)), w), gray)));
                    }
                }
            }
        }
        WizardStep::Fields => {
            let rows = wz.field_rows();
            for (i, fi) in rows.iter().enumerate() {
                let field = &wz.fields[*fi];
                let (target, key) = field.key.split_once('.').unwrap_or(("", field.key));
                let label = format!("{} · {}", app.t(&format!("entity.{target}")), app.t(&format!("field.{key}")));
                let mut spans = vec![Span::styled(format!(" {:<26}", fit(&label, 26)), row_style(i == wz.row))];
                spans.push(Span::raw(" "));
                spans.extend(input_or_text(&field.input, i == wz.row, "").spans);
                lines.push(Line::from(spans));
            }
            if wz.chosen().deal {
                let focused = wz.row == rows.len();
                let name = app.pipelines.get(wz.pipeline).map(|p| p.name.clone()).unwrap_or_default();
                lines.push(Line::from(vec![
                    Span::styled(format!(" {:<26}", fit(&app.t("tui.convert_pipeline"), 26)), row_style(focused)),
                    Span::raw(format!(" ‹ {name} ›")),
                ]));
            }
        }
        WizardStep::Summary => {
            let t = wz.chosen();
            let value = |key: &str| {
                wz.fields.iter().find(|f| f.key == key).map(|f| f.input.text.trim().to_string()).unwrap_or_default()
            };
            let mut say =
                |e: Entity, choice: usize, matches: &[crate::store::duplicates::DuplicateMatch], title: String| {
                    let entity = app.t(&format!("entity.{}", e.code()));
                    let text = match choice.checked_sub(1).and_then(|c| matches.get(c)) {
                        Some(m) => app.ta(
                            "tui.convert_will_link",
                            &[("entity", &entity), ("id", &m.id.to_string()), ("title", &m.title)],
                        ),
                        None => app.ta("tui.convert_will_create", &[("entity", &entity), ("title", &title)]),
                    };
                    lines.push(Line::from(fit(&format!(" • {text}"), w)));
                };
            if t.company {
                say(Entity::Company, wz.company_choice, &wz.company_matches, value("company.title"));
            }
            if t.contact {
                let name = format!("{} {}", value("contact.first_name"), value("contact.last_name"));
                say(Entity::Contact, wz.contact_choice, &wz.contact_matches, name.trim().to_string());
            }
            if t.deal {
                say(Entity::Deal, 0, &[], value("deal.title"));
                if let Some(p) = app.pipelines.get(wz.pipeline) {
                    lines.push(Line::from(Span::styled(
                        fit(&format!("   {}: {}", app.t("tui.convert_pipeline"), p.name), w),
                        gray,
                    )));
                }
            }
            let stage = app
                .lead_board
                .columns
                .iter()
                .filter_map(|c| c.head.as_ref())
                .find(|h| h.stage.semantics == crate::domain::stage::StageSemantics::Success)
                .map(|h| h.stage.name.clone())
                .unwrap_or_else(|| app.t("stage_name.CONVERTED"));
            lines.push(Line::from(fit(&format!(" • {}", app.ta("tui.convert_will_move", &[("stage", &stage)])), w)));
        }
    }
    lines.push(Line::from(""));
    let keys = match wz.step {
        WizardStep::Targets => "tui.convert_keys",
        WizardStep::Matches => "tui.convert_keys_matches",
        WizardStep::Fields => "tui.convert_keys_fields",
        WizardStep::Summary => "tui.convert_keys_summary",
    };
    lines.push(Line::from(Span::styled(fit(&app.t(keys), w), gray)));
    if let Some(e) = &wz.error {
        lines.push(Line::from(Span::styled(e.clone(), Style::default().fg(Color::Red))));
    }
    f.render_widget(Clear, rect);
    let title = app.ta("tui.convert_title", &[("title", &wz.title)]);
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(frame_block(&fit(&title, w.saturating_sub(4)))),
        rect,
    );
}

/// Someone else saved the record meanwhile: each field either side changed, with the value
/// when opened, the user's and the file's, one under the other so long values stay readable,
/// and which one will be kept.
fn draw_conflict(app: &App, v: &ConflictView, f: &mut Frame, area: Rect) {
    use unicode_width::UnicodeWidthStr;
    let gray = Style::default().fg(Color::Gray);
    let c = &v.conflict;
    let width = 100u16.min(area.width);
    let w = width.saturating_sub(2) as usize;
    let by = c.by.clone().unwrap_or_else(|| "?".into());
    let when = crate::present::time(app.lang, c.at);
    let intro = app.ta("tui.conflict_by", &[("user", &by), ("at", &when)]);
    let mut lines: Vec<Line> = Vec::new();
    // The introduction wraps by hand so the popup's height is known.
    let mut current = String::new();
    for word in intro.split(' ') {
        if !current.is_empty() && current.width() + 1 + word.width() > w.saturating_sub(1) {
            lines.push(Line::from(Span::styled(format!(" {current}"), Style::default().fg(Color::Yellow))));
            current.clear();
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(Line::from(Span::styled(format!(" {current}"), Style::default().fg(Color::Yellow))));
    let names = [app.t("tui.conflict_was"), app.t("tui.conflict_yours"), app.t("tui.conflict_theirs")];
    let name_w = names.iter().map(|n| n.width()).max().unwrap_or(0) + 1;
    let shown = |t: &str| if t.is_empty() { "—".to_string() } else { t.to_string() };
    for (i, r) in c.rows.iter().enumerate() {
        lines.push(Line::from(Span::styled(
            fit(&format!(" {}", app.t(&format!("field.{}", r.key))), w),
            row_style(i == v.row).add_modifier(Modifier::BOLD),
        )));
        let mut side = |mark: &str, name: &str, value: &str, style: Style| {
            let text = format!("   {mark} {name:<name_w$}{}", shown(value));
            lines.push(Line::from(Span::styled(fit(&text, w), style)));
        };
        side("   ", &names[0], &r.was, gray);
        let (yours, theirs) = if r.take_theirs { ("( )", "(•)") } else { ("(•)", "( )") };
        let on = Style::default().fg(Color::Green).add_modifier(Modifier::BOLD);
        side(yours, &names[1], &r.yours, if r.take_theirs { Style::default() } else { on });
        side(theirs, &names[2], &r.theirs, if r.take_theirs { on } else { Style::default() });
    }
    if c.rows.is_empty() {
        lines.push(Line::from(fit(&app.t("tui.conflict_same"), w)));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(fit(&app.t("tui.conflict_keys"), w), gray)));
    let rect = popup(area, width, lines.len() as u16 + 2);
    let entity = app.t(&format!("entity.{}", c.entity.code()));
    let title = app.ta("tui.conflict_title", &[("entity", &entity), ("id", &c.id.to_string()), ("title", &c.title)]);
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).block(frame_block(&title)), rect);
}

/// The import wizard: how the file was read, one line per column with the field it goes to
/// and sample values, the duplicate mode; then the result.
fn draw_import(app: &App, w: &ImportWizard, f: &mut Frame, area: Rect) {
    use crate::domain::import::{DuplicateMode, Target};
    let gray = Style::default().fg(Color::Gray);
    let width = 110u16.min(area.width);
    let inner = width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = Vec::new();
    match (&w.preview, &w.result) {
        (_, Some(summary)) => {
            lines.push(Line::from(summary.clone()));
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(fit(&app.t("tui.import_done_keys"), inner), gray)));
        }
        (None, None) => {
            let text = w.error.clone().unwrap_or_else(|| app.t("tui.import_reading"));
            lines.push(Line::from(text));
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
                let samples: Vec<&str> =
                    p.samples.iter().filter_map(|r| r.get(i)).map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
                let style = if *t == Target::Ignore { gray } else { Style::default() };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {:<col_w$}", fit(h, col_w)), row_style(i == w.cursor)),
                    Span::raw(" → "),
                    Span::styled(format!("{:<field_w$}", fit(&field, field_w)), style.add_modifier(Modifier::BOLD)),
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

/// Merging duplicates: what gets filled, and a keep/other choice per differing field.
fn draw_merge(app: &App, m: &MergeForm, f: &mut Frame, area: Rect) {
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
