//! The Roles pane: the roles on the left (`K`/`J` choose one), the chosen role's levels on
//! the right as a grid (rows: the five subjects; columns: the six actions; `hjkl` over the
//! cells). Space gives the focused right its next level (none, own, department,
//! sub-departments, all, none...). `a` adds a role like another, `D` deletes one nobody holds.
//! The Administrator role keeps every right: the service refuses its changes, and says so.

use super::{AdminOp, NONE, TeamAsk, TeamPick, ask, pick, role_shown};
use crate::domain::access::{Action as Right, Level, Subject};
use crate::tui::action::Action;
use crate::tui::app::{App, Confirm, Overlay};
use crate::tui::effect::Effect;
use crate::tui::keymap::{Binding, b, code, k};
use crate::tui::overlays::prompt::Answered;
use crate::tui::widgets::{fit, fit_pad};
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Keys of the pane.
pub(super) fn bindings(admin: bool) -> Vec<Binding> {
    use Action::*;
    // The writing keys first: the footer shows what fits, in this order.
    let mut v = if admin {
        vec![
            b(&[k(' '), code(KeyCode::Enter)], CycleLevel, "team.key_cycle_level", true),
            b(&[k('a')], AdminAdd, "team.key_add_role", true),
            b(&[k('D')], AdminDelete, "team.key_delete_role", true),
        ]
    } else {
        vec![]
    };
    v.extend([
        b(&[k('J')], ItemDown, "team.key_next_role", true),
        b(&[k('K')], ItemUp, "team.key_prev_role", true),
        b(&[k('h'), code(KeyCode::Left)], Left, "team.key_prev_right", false),
        b(&[k('l'), code(KeyCode::Right)], Right, "team.key_next_right", false),
    ]);
    v
}

/// The level after `level`, back to none after all.
pub fn next_level(level: Level) -> Level {
    let at = Level::ALL.iter().position(|l| *l == level).unwrap_or(0);
    Level::ALL[(at + 1) % Level::ALL.len()]
}

/// The focused right: (subject, action).
fn focused_right(app: &App) -> (Subject, Right) {
    let s = Subject::ALL[app.team.cursor().min(Subject::ALL.len() - 1)];
    let a = Right::ALL[app.team.column.min(Right::ALL.len() - 1)];
    (s, a)
}

pub(super) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let role = app.team.data.roles.get(app.team.role).cloned();
    match action {
        Action::Left => app.team.column = app.team.column.saturating_sub(1),
        Action::Right => app.team.column = (app.team.column + 1).min(Right::ALL.len() - 1),
        Action::ItemUp => app.team.role = app.team.role.saturating_sub(1),
        Action::ItemDown => app.team.role = (app.team.role + 1).min(app.team.data.roles.len().saturating_sub(1)),
        Action::CycleLevel => {
            let Some(role) = role else { return vec![] };
            let (subject, right) = focused_right(app);
            let level = next_level(role.table().level(subject, right));
            return vec![Effect::Admin(AdminOp::SetLevel { role: role.name, subject, action: right, level })];
        }
        Action::AdminAdd => ask(app, TeamAsk::RoleName, app.t("team.ask_role"), ""),
        Action::AdminDelete => {
            let Some(role) = role else { return vec![] };
            let message = app.ta("team.confirm_delete_role", &[("role", &role_shown(app, &role.name))]);
            let on_yes = Effect::Admin(AdminOp::DeleteRole { name: role.name });
            app.overlay = Overlay::Confirm(Confirm { message, on_yes });
        }
        _ => {}
    }
    vec![]
}

/// A new role's name: then the role whose levels it starts with.
pub(super) fn prompted(app: &mut App, name: String) -> Answered {
    let mut items = vec![(NONE.to_string(), app.t("team.like_none"))];
    items.extend(app.team.data.roles.iter().map(|r| (r.name.clone(), role_shown(app, &r.name))));
    let title = app.ta("team.pick_like", &[("role", &name)]);
    pick(app, TeamPick::RoleLike { name }, title, items, 0);
    Answered::Close(vec![])
}

pub(super) fn picked(name: String, like: String) -> Vec<Effect> {
    let like = (like != NONE).then_some(like);
    vec![Effect::Admin(AdminOp::AddRole { name, like })]
}

/// A level's short name, for a grid cell.
fn short(app: &App, level: Level) -> String {
    app.t(&format!("team.level_short.{}", level.code()))
}

fn level_color(level: Level) -> Color {
    match level {
        Level::None => Color::DarkGray,
        Level::Own => Color::Yellow,
        Level::Department => Color::Cyan,
        Level::Subdepartments => Color::Blue,
        Level::All => Color::Green,
    }
}

pub(super) fn draw(app: &App, f: &mut Frame, area: Rect) {
    let roles = &app.team.data.roles;
    // The roles, with who holds them.
    // The list of roles where the grid keeps room for its six columns; the line above the
    // grid names the role anyway.
    let list_w: u16 = if area.width >= 110 { 24 } else { 0 };
    if list_w > 0 {
        let mut lines = vec![Line::from(Span::styled(
            fit_pad(&format!(" {}", app.t("team.pane_roles")), list_w as usize),
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        ))];
        for (i, r) in roles.iter().enumerate() {
            let text = format!(" {} ({})", role_shown(app, &r.name), r.users.len());
            lines.push(Line::from(Span::styled(
                fit_pad(&text, list_w as usize - 1),
                crate::tui::widgets::row_style(i == app.team.role),
            )));
        }
        f.render_widget(Paragraph::new(lines), Rect { width: list_w, ..area });
    }
    let grid = Rect { x: area.x + list_w, width: area.width - list_w, ..area };
    let Some(role) = roles.get(app.team.role) else {
        f.render_widget(Paragraph::new(app.t("team.no_roles")), grid);
        return;
    };
    let w = grid.width as usize;
    let table = role.table();
    let holders = if role.users.is_empty() { app.t("team.nobody") } else { role.users.join(", ") };
    let mut lines = vec![
        Line::from(Span::styled(
            fit(
                &format!(
                    " {} ({}/{}) · {}",
                    role_shown(app, &role.name),
                    app.team.role + 1,
                    roles.len(),
                    app.ta("team.held_by", &[("users", &holders)])
                ),
                w,
            ),
            Style::default().add_modifier(Modifier::BOLD),
        )),
        Line::from(""),
    ];
    let first_w = 14usize;
    let cell_w = (w.saturating_sub(first_w + 1) / Right::ALL.len()).clamp(4, 14);
    let mut head = vec![Span::raw(fit_pad("", first_w + 1))];
    for (i, a) in Right::ALL.iter().enumerate() {
        let style = Style::default().add_modifier(Modifier::BOLD);
        let style = if i == app.team.column { style.fg(Color::Cyan) } else { style };
        let name = app.t(&format!("access.action.{}", a.code()));
        head.push(Span::styled(fit_pad(&name, cell_w.saturating_sub(1)), style));
        head.push(Span::raw(" "));
    }
    lines.push(Line::from(head));
    for (row, s) in Subject::ALL.iter().enumerate() {
        let mut spans = vec![Span::styled(
            fit_pad(&format!(" {}", app.t(&format!("access.subjects.{}", s.code()))), first_w + 1),
            Style::default().add_modifier(Modifier::BOLD),
        )];
        for (col, a) in Right::ALL.iter().enumerate() {
            let level = table.level(*s, *a);
            let mut style = Style::default().fg(level_color(level));
            if row == app.team.cursor() && col == app.team.column {
                style = style.add_modifier(Modifier::REVERSED);
            }
            spans.push(Span::styled(fit_pad(&short(app, level), cell_w.saturating_sub(1)), style));
            spans.push(Span::raw(" "));
        }
        lines.push(Line::from(spans));
    }
    // The focused right in full words.
    let (s, a) = focused_right(app);
    let level = table.level(s, a);
    lines.push(Line::from(""));
    let said = app.ta(
        "team.right_line",
        &[
            ("subject", &app.t(&format!("access.subjects.{}", s.code()))),
            ("action", &app.t(&format!("access.action.{}", a.code()))),
            ("level", &app.t(&format!("access.level.{}", level.code()))),
        ],
    );
    lines.push(Line::from(fit(&format!(" {said}"), w)));
    if role.name == crate::store::roles::RoleName::ADMINISTRATOR {
        lines.push(Line::from(Span::styled(
            fit(&format!(" {}", app.t("team.administrator_fixed")), w),
            Style::default().fg(Color::Gray),
        )));
    }
    f.render_widget(Paragraph::new(lines), grid);
}
