//! Drawing a record's form: its title and stage bar, its fields by section (a value of
//! several lines marked as such), its open activities, and its timeline, scrolled.

use super::*;

/// A heading line of a form's section.
fn heading(text: String) -> Line<'static> {
    Line::from(Span::styled(text, Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD)))
}

/// The parts of a form drawn in `area`: its title line, its stage bar, its fields (left) and
/// its timeline (right). The view draws with it and the mouse reads it.
pub fn areas(area: Rect) -> [Rect; 4] {
    let [title_area, bar_area, rest] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let [left, right] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(rest);
    [title_area, bar_area, left, right]
}

/// Draws the open form.
pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let Some(form) = &app.form else { return };
    if form.loading {
        f.render_widget(Paragraph::new(app.t("tui.loading")), area);
        return;
    }
    let entity_word = app.t(&format!("entity.{}", form.entity.code()));
    let title = match &form.record {
        Some(r) => {
            let repeat = if r.is_repeat { format!("  ↻ {}", app.t("label.repeat")) } else { String::new() };
            format!(
                " {}{repeat}  ({})",
                present::heading(app.lang, form.entity, r.id, &r.title),
                app.ta("meta.version", &[("version", &r.version.to_string())])
            )
        }
        // Simple mode: what is typed becomes a deal with its client.
        None if form.entity == Entity::Lead && !app.crm_mode.has_leads() => {
            format!(" {} · {}", app.t("tui.new_record"), app.t("tui.new_intake"))
        }
        None => format!(" {} · {}", app.t("tui.new_record"), entity_word),
    };
    let [title_area, bar_area, left, right] = areas(area);
    f.render_widget(
        Paragraph::new(Span::styled(fit(&title, area.width as usize), Style::default().add_modifier(Modifier::BOLD))),
        title_area,
    );

    // Stage bar.
    let current = form.record.as_ref().and_then(|r| match r.get("stage") {
        Some(Shown::Ref(s)) => Some(s.id),
        _ => None,
    });
    let mut chips = Vec::new();
    for s in &form.stages {
        let style = if Some(s.id) == current {
            Style::default().fg(Color::Black).bg(color(&s.color)).add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(color(&s.color))
        };
        chips.push(Span::styled(format!(" {} ", s.name), style));
        chips.push(Span::raw("›"));
    }
    chips.pop();
    if form.record.is_none() {
        chips.push(Span::styled(app.t("tui.draft_hint"), Style::default().fg(Color::Gray)));
    }
    f.render_widget(Paragraph::new(Line::from(chips)), bar_area);

    // Fields.
    let label_w = 22usize.min(left.width as usize / 2);
    let value_w = (left.width as usize).saturating_sub(label_w + 3);
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor_line = 0;
    let mut last_section: Option<String> = None;
    for (i, row) in form.rows.iter().enumerate() {
        let (label, value) = match row {
            FormRow::Field(key) => {
                let code = form.layout.section_of(form.entity, key);
                if last_section.as_deref() != Some(code.as_str()) {
                    lines.push(heading(form.layout.label(&code, app.lang)));
                    last_section = Some(code);
                }
                let value = match &form.record {
                    Some(r) => r.get(key).map(|v| present::shown(app.lang, v)).unwrap_or_default(),
                    None => form.draft.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default(),
                };
                (app.t(&format!("field.{key}")), value)
            }
            FormRow::Custom(c) => {
                let Some((field, value)) = form.record.as_ref().and_then(|r| r.custom.get(*c)) else { continue };
                if last_section.as_deref() != Some(field.section.as_str()) {
                    lines.push(heading(form.layout.label(&field.section, app.lang)));
                    last_section = Some(field.section.clone());
                }
                let shown = value.as_deref().map(|v| present::custom(app.lang, field, v)).unwrap_or_default();
                (field.label_in(app.lang).to_string(), shown)
            }
            FormRow::Link(l) => {
                if i == 0 || !matches!(form.rows[i - 1], FormRow::Link(_)) {
                    lines.push(Line::from(Span::styled(
                        app.t("tui.section_links"),
                        Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                    )));
                }
                match form.record.as_ref().and_then(|r| r.links.get(*l)) {
                    Some((e, link)) => {
                        let record = form.record.as_deref();
                        let primary = if record.is_some_and(|r| r.is_primary_link(*e, link.id)) {
                            format!(" ({})", app.t("label.primary"))
                        } else {
                            String::new()
                        };
                        (app.t(&format!("entity.{}", e.code())), format!("#{} {}{primary} ›", link.id, link.name))
                    }
                    None => continue,
                }
            }
            FormRow::Activity(a) => {
                if i == 0 || !matches!(form.rows[i - 1], FormRow::Activity(_)) {
                    lines.push(Line::from(Span::styled(
                        app.t("tui.section_activities"),
                        Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                    )));
                }
                match form.activities.get(*a) {
                    Some(act) => {
                        let overdue = act.deadline < app.now_ms;
                        let when = present::time(app.lang, act.deadline);
                        let label = if overdue { format!("{when} !") } else { when };
                        (label, format!("{} · {}", app.t(&format!("activity_kind.{}", act.kind.code())), act.subject))
                    }
                    None => continue,
                }
            }
            FormRow::Lines | FormRow::Line(_) => {
                let Some(l) = &form.lines else { continue };
                if *row == FormRow::Lines {
                    lines.push(heading(app.t("field.lines")));
                }
                let Some(text) = super::lines::row_text(app, l, row) else { continue };
                text
            }
            FormRow::Document(i) => {
                let Some(doc) = form.documents.get(*i) else { continue };
                if *i == 0 {
                    lines.push(heading(app.t("document.section")));
                }
                super::documents::row_text(app, doc)
            }
            FormRow::Comm(c) => {
                if i == 0 || !matches!(form.rows[i - 1], FormRow::Comm(_)) {
                    lines.push(Line::from(Span::styled(
                        app.t("section.comms"),
                        Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                    )));
                }
                match form.record.as_ref().and_then(|r| r.comms.get(*c)) {
                    Some(comm) => (
                        app.t(&format!("field.{}s", comm.kind.code())),
                        format!("{} ({})", comm.value, present::word(app.lang, "comm_label", &comm.label)),
                    ),
                    None => continue,
                }
            }
        };
        if i == form.cursor {
            cursor_line = lines.len();
        }
        let style = if i == form.cursor { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
        // A value of several lines shows its first and a mark (`⏎…`); Enter opens all of it.
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {:<width$} ", fit(&label, label_w), width = label_w),
                Style::default().fg(Color::Gray),
            ),
            Span::styled(fit(&value, value_w), style),
        ]));
    }
    if form.record.is_none() && !form.draft_comms.is_empty() {
        lines.push(Line::from(Span::styled(app.t("section.comms"), Style::default().fg(Color::Cyan))));
        for (kind, text) in &form.draft_comms {
            lines.push(Line::from(format!(
                " {:<width$} {}",
                app.t(&format!("field.{}s", kind.code())),
                safe(text),
                width = label_w
            )));
        }
    }
    let height = left.height as usize;
    let skip = cursor_line.saturating_sub(height.saturating_sub(2));
    f.render_widget(Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()), left);

    // Timeline, scrolled by `J`/`K`: where it stands in the title.
    let mut title = format!(" {} ", app.t("label.timeline"));
    if form.timeline.len() > 1 {
        title.push_str(&format!("{}/{} ", (form.timeline_scroll + 1).min(form.timeline.len()), form.timeline.len()));
    }
    let block = Block::default()
        .borders(Borders::LEFT)
        .title(Span::styled(title, Style::default().add_modifier(Modifier::BOLD)));
    let inner_w = right.width.saturating_sub(2) as usize;
    let mut tl: Vec<Line> = Vec::new();
    for t in form.timeline.iter().skip(form.timeline_scroll) {
        tl.push(Line::from(Span::styled(
            fit(&format!("{} · {}", present::time(app.lang, t.at), t.user.clone().unwrap_or_default()), inner_w),
            Style::default().fg(Color::Gray),
        )));
        tl.extend(text_lines(&present::timeline_line(app.lang, t)).into_iter().map(Line::from));
    }
    f.render_widget(Paragraph::new(tl).block(block).wrap(Wrap { trim: true }), right);
}
