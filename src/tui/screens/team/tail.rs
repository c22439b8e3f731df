//! The last two panes. Sources: their codes and names; `a` adds one. Queue: how leads that
//! arrive (import, e-mail, JSON) are given out, and the users it gives them to in order;
//! `m` the next mode, Space puts the focused user in the queue or takes them out.

use super::{AdminOp, TeamAsk, TeamPane, ask, table, yes_no};
use crate::domain::queue::QueueMode;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::keymap::{Binding, b, code, k};
use crate::tui::overlays::prompt::Answered;
use crate::tui::widgets::{fit, wrapped};
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Keys of the Sources or Queue pane.
pub(super) fn bindings(pane: TeamPane, admin: bool) -> Vec<Binding> {
    use Action::*;
    match (pane, admin) {
        (_, false) => vec![],
        (TeamPane::Queue, true) => vec![
            b(&[k('m')], NextQueueMode, "team.key_queue_mode", true),
            b(&[k(' '), code(KeyCode::Enter)], QueueUsers, "team.key_queue_user", true),
        ],
        (_, true) => vec![b(&[k('a')], AdminAdd, "team.key_add_source", true)],
    }
}

pub(super) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let queue = app.team.data.queue.clone().unwrap_or(crate::store::queue::QueueConfig {
        mode: QueueMode::Off,
        users: vec![],
        last: None,
    });
    match (app.team.pane, action) {
        (TeamPane::Sources, Action::AdminAdd) => ask(app, TeamAsk::SourceName, app.t("team.ask_source"), ""),
        (TeamPane::Queue, Action::NextQueueMode) => {
            let at = QueueMode::ALL.iter().position(|m| *m == queue.mode).unwrap_or(0);
            let mode = QueueMode::ALL[(at + 1) % QueueMode::ALL.len()];
            return vec![Effect::Admin(AdminOp::SetQueue { mode, users: queue.users })];
        }
        (TeamPane::Queue, Action::QueueUsers) => {
            let Some(user) = app.team.data.users.get(app.team.cursor()) else { return vec![] };
            let mut users = queue.users;
            match users.iter().position(|u| *u == user.login) {
                Some(at) => {
                    users.remove(at);
                }
                None => users.push(user.login.clone()),
            }
            return vec![Effect::Admin(AdminOp::SetQueue { mode: queue.mode, users })];
        }
        _ => {}
    }
    vec![]
}

/// A new source's name.
pub(super) fn prompted(_app: &mut App, name: String) -> Answered {
    Answered::Close(vec![Effect::Admin(AdminOp::AddSource { name })])
}

pub(super) fn draw(app: &App, f: &mut Frame, area: Rect) {
    let w = area.width as usize;
    if app.team.pane == TeamPane::Sources {
        let header = vec![(app.t("team.col_code"), 20), (app.t("team.col_name"), w.saturating_sub(22).max(10))];
        let rows = app.team.data.sources.iter().map(|s| vec![s.code.clone(), s.name.clone()]).collect();
        f.render_widget(Paragraph::new(table(&header, rows, app.team.cursor(), area)), area);
        return;
    }
    let Some(queue) = &app.team.data.queue else { return };
    let said = app.ta(
        &format!("msg.queue_{}", queue.mode.code().replace('-', "_")),
        &[("users", &queue.users.join(", ")), ("last", queue.last.as_deref().unwrap_or("-"))],
    );
    let mode = app.ta("team.queue_mode", &[("mode", &app.t(&format!("team.queue.{}", queue.mode.code())))]);
    let mut lines =
        vec![Line::from(Span::styled(fit(&format!(" {mode}"), w), Style::default().add_modifier(Modifier::BOLD)))];
    lines.extend(wrapped(&said, w.saturating_sub(1)).into_iter().map(|l| Line::from(format!(" {l}"))));
    lines.push(Line::from(""));
    let top = lines.len() as u16;
    f.render_widget(Paragraph::new(lines), area);
    let body = Rect { y: area.y + top.min(area.height), height: area.height.saturating_sub(top), ..area };
    let header = vec![
        (app.t("team.col_login"), 12),
        (app.t("team.col_name"), 24),
        (app.t("team.col_in_queue"), 14),
        (app.t("team.col_active"), 8),
    ];
    let rows = app
        .team
        .data
        .users
        .iter()
        .map(|u| {
            let place =
                queue.users.iter().position(|q| *q == u.login).map_or("—".to_string(), |i| (i + 1).to_string());
            vec![u.login.clone(), u.display_name.clone(), place, yes_no(app, u.active)]
        })
        .collect();
    f.render_widget(Paragraph::new(table(&header, rows, app.team.cursor(), body)), body);
}
