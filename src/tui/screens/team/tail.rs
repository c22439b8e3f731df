//! The last two panes. Sources: their codes and names; `a` adds one, `e` renames (the code
//! stays), `K`/`J` move it up or down, `D` deletes it (its records moved to a source picked
//! first). Queue: how leads that
//! arrive (import, e-mail, JSON) are given out, and the users it gives them to in order;
//! `m` the next mode, Space puts the focused user in the queue or takes them out.

use super::{AdminOp, NONE, TeamAsk, TeamPane, TeamPick, ask, pick, table, yes_no};
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
            b(&[k('c')], CrmMode, "team.key_crm_mode", true),
        ],
        (_, true) => vec![
            b(&[k('a')], AdminAdd, "team.key_add_source", true),
            b(&[k('e')], Rename, "team.key_rename_source", true),
            b(&[k('K')], ItemUp, "team.key_source_up", true),
            b(&[k('J')], ItemDown, "team.key_source_down", false),
            b(&[k('D')], AdminDelete, "team.key_delete_source", true),
        ],
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
        (TeamPane::Sources, Action::Rename) => {
            let Some(s) = app.team.data.sources.get(app.team.cursor()).cloned() else { return vec![] };
            let title = app.ta("team.ask_rename_source", &[("source", &s.name)]);
            ask(app, TeamAsk::SourceRename { source: s.code }, title, &s.name);
        }
        (TeamPane::Sources, Action::ItemUp | Action::ItemDown) => {
            let at = app.team.cursor();
            let Some(s) = app.team.data.sources.get(at).cloned() else { return vec![] };
            let count = app.team.data.sources.len();
            let to = if action == Action::ItemUp { at.checked_sub(1) } else { Some(at + 1).filter(|t| *t < count) };
            let Some(to) = to else { return vec![] };
            // The cursor goes with the source.
            app.team.cursors[4] = to;
            return vec![Effect::Admin(AdminOp::ReorderSource { source: s.code, position: to + 1 })];
        }
        (TeamPane::Sources, Action::AdminDelete) => {
            let Some(s) = app.team.data.sources.get(app.team.cursor()).cloned() else { return vec![] };
            // First: delete it only if no record uses it (the service refuses it otherwise,
            // with the count); then each other source to move its records to.
            let mut items = vec![(NONE.to_string(), app.t("team.source_unused"))];
            items.extend(
                app.team.data.sources.iter().filter(|o| o.code != s.code).map(|o| (o.code.clone(), o.name.clone())),
            );
            let title = app.ta("team.pick_source_move_to", &[("source", &s.name)]);
            pick(app, TeamPick::SourceMoveTo { source: s.code }, title, items, 0);
        }
        (TeamPane::Queue, Action::NextQueueMode) => {
            let at = QueueMode::ALL.iter().position(|m| *m == queue.mode).unwrap_or(0);
            let mode = QueueMode::ALL[(at + 1) % QueueMode::ALL.len()];
            return vec![Effect::Admin(AdminOp::SetQueue { mode, users: queue.users })];
        }
        (TeamPane::Queue, Action::CrmMode) => {
            let item = |code: &str| (code.to_string(), app.t(&format!("team.crm_mode_{}", code.replace(':', "_"))));
            let items = vec![item("classic"), item("simple:convert"), item("simple:keep")];
            // On the other mode than the one in use: what `c` is pressed for.
            let at = if app.crm_mode.has_leads() { 1 } else { 0 };
            pick(app, TeamPick::CrmMode, app.t("team.crm_mode_title"), items, at);
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

/// A new source's name, or a source's new one.
pub(super) fn prompted(asked: TeamAsk, name: String) -> Answered {
    let op = match asked {
        TeamAsk::SourceRename { source } => AdminOp::RenameSource { source, name },
        _ => AdminOp::AddSource { name },
    };
    Answered::Close(vec![Effect::Admin(op)])
}

/// The CRM mode picked: `classic`, or `simple:convert|keep` (what becomes of open leads).
pub(super) fn crm_mode_picked(app: &mut App, value: &str) -> Vec<Effect> {
    use crate::domain::crm_mode::{CrmMode, OpenLeads};
    let (mode, open) = match value.split_once(':') {
        Some((_, open)) => (CrmMode::Simple, OpenLeads::parse(open).ok()),
        None => (CrmMode::Classic, None),
    };
    let op = Effect::Admin(AdminOp::SetCrmMode { mode, open });
    // Converting every open lead is not undone by switching back: asked first.
    if open == Some(OpenLeads::Convert) {
        let message = app.t("team.confirm_convert_open_leads");
        app.overlay = crate::tui::app::Overlay::Confirm(crate::tui::app::Confirm { message, on_yes: op });
        return vec![];
    }
    vec![op]
}

/// Where a deleted source's records go (`NONE`: it must be unused).
pub(super) fn picked(source: String, value: String) -> Vec<Effect> {
    let move_to = (value != NONE).then_some(value);
    vec![Effect::Admin(AdminOp::DeleteSource { source, move_to })]
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
    let crm = app.t(&format!("crm_mode.is_{}", app.crm_mode.code()));
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut lines = vec![
        Line::from(Span::styled(fit(&format!(" {crm}"), w), bold)),
        Line::from(""),
        Line::from(Span::styled(fit(&format!(" {mode}"), w), bold)),
    ];
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
