//! Drawing a list: a table of records with its sort, filters and selection in the title.

use super::ListView;
use crate::domain::fields::Entity;
use crate::present;
use crate::tui::app::App;
use crate::tui::widgets::fit;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use unicode_width::UnicodeWidthStr;

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
    // "Stage: New", "Étape : New": each language's own colon.
    let sep = app.t("tl.sep");
    if let Some(s) = &list.filters.stage {
        // The stage by its name, as the board shows it (its code when the board has not
        // been read).
        let stages = crate::tui::screens::board::stage_rows(app.board(entity));
        let name = stages.iter().find(|st| st.code == *s).map_or(s.as_str(), |st| st.name.as_str());
        chips.push(format!("{}{sep}{name}", app.t("label.stage")));
    }
    if let Some(t) = &list.filters.text {
        chips.push(format!("\"{t}\""));
    }
    if let Some(r) = &list.filters.responsible {
        chips.push(format!("{}{sep}{r}", app.t("label.responsible")));
    }
    if let Some(s) = &list.filters.source {
        chips.push(format!("{}{sep}{s}", app.t("label.source")));
    }
    if let Some(r) = &list.filters.reason {
        let shown = crate::domain::report::reasons::shown(&app.lost_reasons, r, app.lang);
        chips.push(format!("{}{sep}{shown}", app.t("tui.lost_reason")));
    }
    if let Some((_, _, typed)) = &list.filters.created {
        chips.push(format!("{}{sep}{typed}", app.t("label.created")));
    }
    if let Some(kind) = list.filters.stage_kind {
        chips.push(app.t(&format!("tui.filter_{}_{}", entity.table(), kind.code())));
    }
    if let Some((_, _, days)) = &list.filters.closed {
        chips.push(format!("{}{sep}{days}", app.t("tui.filter_closed")));
    }
    if list.filters.all_pipelines {
        chips.push(app.t("tui.filter_all_pipelines"));
    }
    chips.extend(list.filters.wheres.iter().cloned());
    // Newest first reads as descending; the other keys start ascending; a view's own order
    // goes its own way until `s` or `S` picks another.
    let newest = list.sort == crate::store::records::SortField::Newest;
    let view_order = list.view.as_ref().filter(|v| newest && !list.sort_desc && v.spec.sort.is_some());
    let descending = match view_order {
        Some(v) => v.spec.reverse,
        None => newest != list.sort_desc,
    };
    let arrow = if descending { "▼" } else { "▲" };
    // The real total and the sum of amounts once counted; until then the rows loaded.
    let count = match &list.totals {
        Some(t) => {
            let mut said = crate::i18n::tr_count(app.lang, &format!("counted.{}", entity.table()), t.count as u64, &[]);
            for (currency, sum) in t.sums.iter().take(2) {
                said.push_str(&format!(" · {}", present::money(app.lang, *sum, Some(currency))));
            }
            said
        }
        None => app.ta(
            "tui.rows_loaded",
            &[("count", &list.rows.len().to_string()), ("more", if list.exhausted { "" } else { "+" })],
        ),
    };
    let sort_name = super::sort_name(app, list);
    let view = list.view.as_ref().map(|v| format!(" [{}]", v.name)).unwrap_or_default();
    let mut info = format!(" {count}{view} · {}{sep}{sort_name} {arrow}", app.t("tui.sort"));
    if !chips.is_empty() {
        info.push_str(&format!(" · {}{sep}{}", app.t("tui.filters"), chips.join(", ")));
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

    let money = |r: &crate::store::RecordSummary| {
        r.amount_minor.map(|m| present::money(app.lang, m, r.currency.as_deref())).unwrap_or_default()
    };
    let label = |col: Col| col.label_key(entity).map(|key| app.t(key)).unwrap_or_default();
    let id_width = list.rows.iter().map(|r| r.id.to_string().len()).max().unwrap_or(0).max(label(Col::Id).width());
    let amount_width = list.rows.iter().map(|r| money(r).width()).max().unwrap_or(0).max(label(Col::Amount).width());
    // A field's column is as wide as its label or widest value shown, up to `MAX_FIELD`.
    let field_widths: Vec<usize> = list
        .columns
        .iter()
        .map(|f| {
            let values =
                list.rows.iter().filter_map(|r| r.fields.get(&f.code)).map(|v| present::custom(app.lang, f, v).width());
            values.max().unwrap_or(0).max(f.label_in(app.lang).width()).clamp(4, MAX_FIELD)
        })
        .collect();
    let cols = columns(entity, table_area.width as usize, id_width, amount_width.min(MAX_AMOUNT), &field_widths);
    let head = |col: Col| match col {
        Col::Field(i) => list.columns.get(i).map(|f| f.label_in(app.lang).to_string()).unwrap_or_default(),
        col => label(col),
    };
    let header: Vec<Cell> = cols.iter().map(|(col, w)| Cell::from(fit(&head(*col), *w))).collect();
    let widths: Vec<Constraint> = cols.iter().map(|(_, w)| Constraint::Length(*w as u16)).collect();

    let visible = table_area.height.saturating_sub(1) as usize;
    let rows: Vec<Row> = list
        .rows
        .iter()
        .enumerate()
        .skip(list.scroll)
        .take(visible)
        .map(|(i, r)| {
            let cells: Vec<Cell> = cols
                .iter()
                .map(|(col, w)| {
                    let text = match col {
                        Col::Mark => (if list.selected.contains(&r.id) { "●" } else { " " }).to_string(),
                        Col::Id => r.id.to_string(),
                        Col::Title => app.title_of(entity, r.id, &r.title),
                        Col::Stage => r.stage.clone().unwrap_or_default(),
                        Col::Amount => money(r),
                        Col::Responsible => r.responsible.clone().unwrap_or_default(),
                        Col::Company => r.client.clone(),
                        Col::Phone => r.phone.clone().unwrap_or_default(),
                        Col::Next => r.next_activity.map(|d| present::short_time(app.lang, d)).unwrap_or_default(),
                        Col::Created => present::date(app.lang, r.created_at),
                        Col::Field(i) => list
                            .columns
                            .get(*i)
                            .and_then(|f| r.fields.get(&f.code).map(|v| present::custom(app.lang, f, v)))
                            .unwrap_or_default(),
                    };
                    let cell = Cell::from(fit(&text, *w));
                    if *col == Col::Next && r.next_activity.is_some_and(|d| d < app.now_ms) {
                        cell.style(Style::default().fg(Color::Red))
                    } else {
                        cell
                    }
                })
                .collect();
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
        .header(Row::new(header).style(Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)))
        .column_spacing(1);
    f.render_widget(table, table_area);
    if list.loaded && list.rows.is_empty() && table_area.height > 2 {
        f.render_widget(
            Paragraph::new(app.t("label.no_records")),
            Rect { y: table_area.y + 1, height: 1, ..table_area },
        );
    }
}

/// A column of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    /// The selection mark.
    Mark,
    /// The record's number: never cut.
    Id,
    /// The title (a person's or company's name): the last to give way.
    Title,
    /// The stage.
    Stage,
    /// The amount: as wide as its widest value, up to `MAX_AMOUNT`.
    Amount,
    /// The responsible user.
    Responsible,
    /// The company (a company's type on the company list).
    Company,
    /// The first phone.
    Phone,
    /// The next activity.
    Next,
    /// The creation date.
    Created,
    /// A field of the team's own (its place among the list's): gives way after the date and phone.
    Field(usize),
}

impl Col {
    /// Message key of the column's header (the mark has none).
    pub fn label_key(self, entity: Entity) -> Option<&'static str> {
        Some(match self {
            Col::Mark | Col::Field(_) => return None,
            Col::Id => "label.id",
            Col::Title => "label.title",
            Col::Stage => "label.stage",
            Col::Amount => "label.amount",
            Col::Responsible => "label.responsible",
            Col::Company if entity == Entity::Company => "label.type",
            Col::Company => "label.company",
            Col::Phone => "label.phone",
            Col::Next => "label.next_activity",
            Col::Created => "label.created",
        })
    }

    /// Width of a column that does not stretch.
    fn fixed(self, id: usize, amount: usize, fields: &[usize]) -> usize {
        match self {
            Col::Mark => 1,
            Col::Id => id,
            Col::Stage => 12,
            Col::Amount => amount,
            Col::Responsible => 11,
            Col::Phone => 16,
            Col::Next => 11,
            Col::Created => 10,
            Col::Field(i) => fields.get(i).copied().unwrap_or(MAX_FIELD),
            Col::Title | Col::Company => 0,
        }
    }
}

/// The widest a column of a field of the team's own gets; a longer value ends with `…`.
pub const MAX_FIELD: usize = 18;
/// The widest an amount column gets; a longer amount ends with `…`.
pub const MAX_AMOUNT: usize = 18;
/// The narrowest title worth a column, before other columns give way.
const MIN_TITLE: usize = 24;
/// The narrowest company worth a column.
const MIN_COMPANY: usize = 14;
/// Which columns give way first when the terminal is narrow: title never, company last.
const GIVE_WAY: [Col; 7] =
    [Col::Created, Col::Phone, Col::Responsible, Col::Next, Col::Stage, Col::Amount, Col::Company];

/// The columns of the list of `entity` that fit `width` cells, with their widths, in drawing
/// order. `id` and `amount` are the widths of the widest id and amount (header included):
/// the id column is never cut. Columns of fields of the team's own (`fields`: their widths)
/// follow the title. Columns give way (the creation date and phone, the fields last one first, then the
/// rest of `GIVE_WAY`)
/// until the title and the company have room; what is left goes to them (three fifths to
/// the title).
pub fn columns(entity: Entity, width: usize, id: usize, amount: usize, fields: &[usize]) -> Vec<(Col, usize)> {
    let mut cols = vec![Col::Mark, Col::Id, Col::Title];
    cols.extend((0..fields.len()).map(Col::Field));
    if entity.has_stages() {
        cols.push(Col::Stage);
    }
    if entity != Entity::Contact {
        cols.push(Col::Amount);
    }
    cols.extend([Col::Responsible, Col::Company, Col::Phone, Col::Next, Col::Created]);
    let fixed =
        |cols: &[Col]| cols.iter().map(|c| c.fixed(id, amount, fields)).sum::<usize>() + cols.len().saturating_sub(1);
    let wanted = |cols: &[Col]| MIN_TITLE + if cols.contains(&Col::Company) { MIN_COMPANY } else { 0 };
    // The creation date and the phone go first; then the fields (last first), chosen to be seen.
    let give_way = GIVE_WAY[..2]
        .iter()
        .copied()
        .chain((0..fields.len()).rev().map(Col::Field))
        .chain(GIVE_WAY[2..].iter().copied());
    for col in give_way {
        if fixed(&cols) + wanted(&cols) <= width {
            break;
        }
        cols.retain(|c| *c != col);
    }
    let room = width.saturating_sub(fixed(&cols));
    let (title, company) = if cols.contains(&Col::Company) {
        let title = (room * 3 / 5).max(MIN_TITLE.min(room));
        let company = room - title;
        if company < MIN_COMPANY && room >= MIN_TITLE + MIN_COMPANY {
            (room - MIN_COMPANY, MIN_COMPANY)
        } else {
            (title, company)
        }
    } else {
        (room, 0)
    };
    cols.into_iter()
        .map(|c| {
            let w = match c {
                Col::Title => title,
                Col::Company => company,
                c => c.fixed(id, amount, fields),
            };
            (c, w)
        })
        .collect()
}
