//! The Users pane: login, name, department, roles, administrator, active. `a` adds a user
//! (login, name, department, role), `x` deactivates or reactivates one (after a yes), `d`
//! changes the department (a picker, or a new one typed), `r` gives or takes back a role.

use super::{AdminOp, NEW, NONE, TeamAsk, TeamPick, UserDraft, ask, pick, role_shown, table, yes_no};
use crate::tui::action::Action;
use crate::tui::app::{App, Confirm, Overlay};
use crate::tui::effect::Effect;
use crate::tui::keymap::{Binding, b, k};
use crate::tui::overlays::prompt::Answered;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

/// Keys of the pane.
pub(super) fn bindings(admin: bool) -> Vec<Binding> {
    use Action::*;
    if !admin {
        return vec![];
    }
    vec![
        b(&[k('a')], AdminAdd, "team.key_add_user", true),
        b(&[k('x')], ToggleActive, "team.key_toggle_active", true),
        b(&[k('d')], ChangeDepartment, "team.key_department", true),
        b(&[k('r')], ChangeRoles, "team.key_roles", true),
    ]
}

fn focused(app: &App) -> Option<crate::store::users::UserRow> {
    app.team.data.users.get(app.team.cursor()).cloned()
}

/// Departments to pick from: none, each one, a new one.
fn department_items(app: &App) -> Vec<(String, String)> {
    let mut items = vec![(NONE.to_string(), app.t("team.no_department"))];
    items.extend(app.team.data.departments.iter().map(|d| (d.name.clone(), d.name.clone())));
    items.push((NEW.to_string(), app.t("team.new_department")));
    items
}

pub(super) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::AdminAdd => {
            app.team.draft = Some(UserDraft::default());
            ask(app, TeamAsk::UserLogin, app.t("team.ask_login"), "");
        }
        Action::ToggleActive => {
            let Some(u) = focused(app) else { return vec![] };
            let key = if u.active { "team.confirm_deactivate" } else { "team.confirm_activate" };
            let message = app.ta(key, &[("user", &u.login), ("name", &u.display_name)]);
            let on_yes = Effect::Admin(AdminOp::SetActive { login: u.login, active: !u.active });
            app.overlay = Overlay::Confirm(Confirm { message, on_yes });
        }
        Action::ChangeDepartment => {
            let Some(u) = focused(app) else { return vec![] };
            let items = department_items(app);
            let at = items.iter().position(|(v, _)| Some(v) == u.department.as_ref()).unwrap_or(0);
            let title = app.ta("team.pick_department", &[("user", &u.login)]);
            pick(app, TeamPick::UserDepartment { login: Some(u.login) }, title, items, at);
        }
        Action::ChangeRoles => {
            let Some(u) = focused(app) else { return vec![] };
            let items = app
                .team
                .data
                .roles
                .iter()
                .map(|r| {
                    let mark = if u.roles.contains(&r.name) { "[x]" } else { "[ ]" };
                    (r.name.clone(), format!("{mark} {}", role_shown(app, &r.name)))
                })
                .collect();
            let title = app.ta("team.pick_roles", &[("user", &u.login)]);
            pick(app, TeamPick::ToggleRole { login: u.login }, title, items, 0);
        }
        _ => {}
    }
    vec![]
}

/// The draft's login, name, or a new department typed.
pub(super) fn prompted(app: &mut App, asked: TeamAsk, text: String) -> Answered {
    match asked {
        TeamAsk::UserLogin => {
            if app.team.data.users.iter().any(|u| u.login.eq_ignore_ascii_case(&text)) {
                return Answered::Refused(app.ta("team.login_taken", &[("user", &text)]));
            }
            let draft = app.team.draft.get_or_insert_with(UserDraft::default);
            draft.login = text;
            ask(app, TeamAsk::UserName, app.t("team.ask_name"), "");
        }
        TeamAsk::UserName => {
            app.team.draft.get_or_insert_with(UserDraft::default).name = text;
            let title = app.t("team.pick_new_department");
            pick(app, TeamPick::UserDepartment { login: None }, title, department_items(app), 0);
        }
        TeamAsk::NewDepartment { login: Some(login) } => {
            return Answered::Close(vec![Effect::Admin(AdminOp::SetDepartment { login, department: Some(text) })]);
        }
        TeamAsk::NewDepartment { login: None } => {
            app.team.draft.get_or_insert_with(UserDraft::default).department = Some(text);
            pick_draft_role(app);
        }
        _ => {}
    }
    Answered::Close(vec![])
}

/// The new user's role: each role, Manager first (the service's default).
fn pick_draft_role(app: &mut App) {
    let items: Vec<(String, String)> =
        app.team.data.roles.iter().map(|r| (r.name.clone(), role_shown(app, &r.name))).collect();
    let at = items.iter().position(|(v, _)| v == "Manager").unwrap_or(0);
    pick(app, TeamPick::DraftRole, app.t("team.pick_role"), items, at);
}

pub(super) fn picked(app: &mut App, picked: TeamPick, value: String) -> Vec<Effect> {
    match picked {
        TeamPick::UserDepartment { login } if value == NEW => {
            ask(app, TeamAsk::NewDepartment { login }, app.t("team.ask_department"), "");
            vec![]
        }
        TeamPick::UserDepartment { login: Some(login) } => {
            let department = (value != NONE).then_some(value);
            vec![Effect::Admin(AdminOp::SetDepartment { login, department })]
        }
        TeamPick::UserDepartment { login: None } => {
            app.team.draft.get_or_insert_with(UserDraft::default).department = (value != NONE).then_some(value);
            pick_draft_role(app);
            vec![]
        }
        TeamPick::DraftRole => {
            let Some(d) = app.team.draft.take() else { return vec![] };
            let name = (!d.name.is_empty()).then_some(d.name);
            vec![Effect::Admin(AdminOp::AddUser { login: d.login, name, department: d.department, roles: vec![value] })]
        }
        TeamPick::ToggleRole { login } => {
            let Some(u) = app.team.data.users.iter().find(|u| u.login == login) else { return vec![] };
            let mut roles = u.roles.clone();
            if let Some(at) = roles.iter().position(|r| *r == value) {
                roles.remove(at);
            } else {
                roles.push(value);
            }
            vec![Effect::Admin(AdminOp::SetRoles { login, roles })]
        }
        _ => vec![],
    }
}

pub(super) fn draw(app: &App, f: &mut Frame, area: Rect) {
    let w = area.width as usize;
    // Narrow terminals: names and departments give way to the roles.
    let (login, name, department) = if w < 100 { (10, 16, 13) } else { (12, 20, 16) };
    let header = vec![
        (app.t("team.col_login"), login),
        (app.t("team.col_name"), name),
        (app.t("team.col_department"), department),
        (app.t("team.col_roles"), w.saturating_sub(login + name + department + 8 + 8 + 6).clamp(10, 40)),
        (app.t("team.col_admin"), 8),
        (app.t("team.col_active"), 8),
    ];
    let rows = app
        .team
        .data
        .users
        .iter()
        .map(|u| {
            vec![
                u.login.clone(),
                u.display_name.clone(),
                u.department.clone().unwrap_or_default(),
                u.roles.iter().map(|r| role_shown(app, r)).collect::<Vec<_>>().join(", "),
                yes_no(app, u.is_admin),
                yes_no(app, u.active),
            ]
        })
        .collect();
    f.render_widget(Paragraph::new(table(&header, rows, app.team.cursor(), area)), area);
}
