//! The import wizard drawn: how the file was read and a line per column, the values step,
//! a card file's count, the result and its rows.

use super::*;

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
