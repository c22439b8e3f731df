//! Drawing a list: a table of records with its sort, filters and selection in the title.

use super::ListView;
use crate::domain::fields::Entity;
use crate::present;
use crate::tui::app::{App, sort_label_key};
use crate::tui::widgets::{fit, safe};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

/// Draws the list of `entity`.
pub fn draw(app: &App, entity: Entity, f: &mut Frame, area: Rect) {
    let empty = ListView::default();
    let list = app.lists.get(&entity).unwrap_or(&empty);
    if area.height < 2 {
        return;
    }
    // Filter and sort line.
    let mut chips: Vec<String> = Vec::new();
    if list.filters.mine {
        chips.push(app.t("tui.filter_mine"));
    }
    if list.filters.today {
        chips.push(app.t("tui.filter_today"));
    }
    if list.filters.repeat {
        chips.push(app.t("tui.filter_repeat"));
    }
    if let Some(s) = &list.filters.stage {
        chips.push(format!("{}: {s}", app.t("label.stage")));
    }
    if let Some(t) = &list.filters.text {
        chips.push(format!("\"{t}\""));
    }
    if let Some(r) = &list.filters.responsible {
        chips.push(format!("{}: {r}", app.t("label.responsible")));
    }
    if let Some(s) = &list.filters.source {
        chips.push(format!("{}: {s}", app.t("label.source")));
    }
    if let Some((_, _, typed)) = &list.filters.created {
        chips.push(format!("{}: {typed}", app.t("label.created")));
    }
    // Newest first reads as descending; the other keys start ascending.
    let descending = (list.sort == crate::store::records::SortField::Newest) != list.sort_desc;
    let arrow = if descending { "▼" } else { "▲" };
    let mut info = format!(
        " {} · {}: {} {arrow}",
        app.ta(
            "tui.rows_loaded",
            &[("count", &list.rows.len().to_string()), ("more", if list.exhausted { "" } else { "+" })]
        ),
        app.t("tui.sort"),
        app.t(sort_label_key(list.sort))
    );
    if !chips.is_empty() {
        info.push_str(&format!(" · {}: {}", app.t("tui.filters"), chips.join(", ")));
    }
    if !list.selected.is_empty() {
        info.push_str(&format!(" · {}", app.ta("tui.selected", &[("count", &list.selected.len().to_string())])));
    }
    if list.visual_from.is_some() {
        info.push_str(&format!(" · {}", app.t("tui.visual")));
    }
    f.render_widget(
        Paragraph::new(Line::from(Span::styled(fit(&info, area.width as usize), Style::default().fg(Color::Gray)))),
        Rect { height: 1, ..area },
    );
    let table_area = Rect { y: area.y + 1, height: area.height - 1, ..area };

    let staged = entity.has_stages();
    let mut header = vec![String::new(), app.t("label.id"), app.t("label.title")];
    let mut widths = vec![Constraint::Length(1), Constraint::Length(6), Constraint::Fill(3)];
    if staged {
        header.push(app.t("label.stage"));
        widths.push(Constraint::Length(12));
    }
    if entity != Entity::Contact {
        header.push(app.t("label.amount"));
        widths.push(Constraint::Length(14));
    }
    header.extend([
        app.t("label.responsible"),
        app.t(if entity == Entity::Company { "label.type" } else { "label.company" }),
        app.t("label.phone"),
        app.t("label.next_activity"),
        app.t("label.created"),
    ]);
    widths.extend([
        Constraint::Length(11),
        Constraint::Fill(2),
        Constraint::Length(16),
        Constraint::Length(11),
        Constraint::Length(10),
    ]);

    let visible = table_area.height.saturating_sub(1) as usize;
    let rows: Vec<Row> = list
        .rows
        .iter()
        .enumerate()
        .skip(list.scroll)
        .take(visible)
        .map(|(i, r)| {
            let mark = if list.selected.contains(&r.id) { "●" } else { " " };
            let mut cells =
                vec![Cell::from(mark), Cell::from(r.id.to_string()), Cell::from(safe(&r.title).into_owned())];
            if staged {
                cells.push(Cell::from(safe(r.stage.as_deref().unwrap_or_default()).into_owned()));
            }
            if entity != Entity::Contact {
                cells.push(Cell::from(
                    r.amount_minor.map(|m| present::money(app.lang, m, r.currency.as_deref())).unwrap_or_default(),
                ));
            }
            cells.push(Cell::from(safe(r.responsible.as_deref().unwrap_or_default()).into_owned()));
            cells.push(Cell::from(safe(&r.client).into_owned()));
            cells.push(Cell::from(safe(r.phone.as_deref().unwrap_or_default()).into_owned()));
            let next = r.next_activity.map(|d| present::short_time(app.lang, d)).unwrap_or_default();
            let next_style = if r.next_activity.is_some_and(|d| d < app.now_ms) {
                Style::default().fg(Color::Red)
            } else {
                Style::default()
            };
            cells.push(Cell::from(next).style(next_style));
            cells.push(Cell::from(present::date(app.lang, r.created_at)));
            let mut style = Style::default();
            if list.selected.contains(&r.id) {
                style = style.fg(Color::Yellow);
            }
            if i == list.cursor {
                style = style.add_modifier(Modifier::REVERSED);
            }
            Row::new(cells).style(style)
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(
            Row::new(header.into_iter().map(Cell::from))
                .style(Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)),
        )
        .column_spacing(1);
    f.render_widget(table, table_area);
    if list.loaded && list.rows.is_empty() && table_area.height > 2 {
        f.render_widget(
            Paragraph::new(app.t("label.no_records")),
            Rect { y: table_area.y + 1, height: 1, ..table_area },
        );
    }
}
