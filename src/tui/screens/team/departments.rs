//! The Departments pane: the departments as a tree (each under its parent, indented), each
//! with its users. `a` adds one: its name, then the department it goes under (the top
//! level first).

use super::{AdminOp, NONE, TeamAsk, TeamPick, ask, pick, table};
use crate::store::users::DepartmentRow;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::keymap::{Binding, b, k};
use crate::tui::overlays::prompt::Answered;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

/// Keys of the pane.
pub(super) fn bindings(admin: bool) -> Vec<Binding> {
    if admin { vec![b(&[k('a')], Action::AdminAdd, "team.key_add_department", true)] } else { vec![] }
}

/// The departments in tree order, each with its depth: roots by name, each followed by the
/// departments under it. A department whose parent is missing (or a loop) is shown as a root,
/// once.
pub fn tree(departments: &[DepartmentRow]) -> Vec<(usize, &DepartmentRow)> {
    let known = |name: &Option<String>| name.as_ref().is_some_and(|p| departments.iter().any(|d| d.name == *p));
    let mut out: Vec<(usize, &DepartmentRow)> = Vec::new();
    let mut stack: Vec<(usize, &DepartmentRow)> =
        departments.iter().filter(|d| !known(&d.parent)).rev().map(|d| (0, d)).collect();
    loop {
        while let Some((depth, d)) = stack.pop() {
            if out.iter().any(|(_, o)| o.id == d.id) {
                continue;
            }
            out.push((depth, d));
            let children = departments.iter().filter(|c| c.parent.as_deref() == Some(&d.name)).rev();
            stack.extend(children.map(|c| (depth + 1, c)));
        }
        // Departments only reachable through a loop: shown at the top level.
        match departments.iter().find(|d| !out.iter().any(|(_, o)| o.id == d.id)) {
            Some(d) => stack.push((0, d)),
            None => break,
        }
    }
    out
}

pub(super) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if action == Action::AdminAdd {
        ask(app, TeamAsk::DepartmentName, app.t("team.ask_department"), "");
    }
    vec![]
}

/// A new department's name: then where it goes (the focused department first).
pub(super) fn prompted(app: &mut App, name: String) -> Answered {
    let mut items = vec![(NONE.to_string(), app.t("team.top_level"))];
    items.extend(tree(&app.team.data.departments).into_iter().map(|(depth, d)| {
        let label = format!("{}{}", "  ".repeat(depth), d.name);
        (d.name.clone(), label)
    }));
    // The top level first: Enter alone nests nothing.
    let title = app.ta("team.pick_parent", &[("department", &name)]);
    pick(app, TeamPick::DepartmentParent { name }, title, items, 0);
    Answered::Close(vec![])
}

pub(super) fn picked(name: String, parent: String) -> Vec<Effect> {
    let parent = (parent != NONE).then_some(parent);
    vec![Effect::Admin(AdminOp::AddDepartment { name, parent })]
}

pub(super) fn draw(app: &App, f: &mut Frame, area: Rect) {
    let rows: Vec<Vec<String>> = tree(&app.team.data.departments)
        .into_iter()
        .map(|(depth, d)| {
            let name = format!("{}{}{}", "  ".repeat(depth), if depth > 0 { "└ " } else { "" }, d.name);
            let users = if d.users.is_empty() { String::new() } else { d.users.join(", ") };
            vec![name, users]
        })
        .collect();
    if rows.is_empty() {
        f.render_widget(Paragraph::new(format!(" {}", app.t("team.no_departments"))), area);
        return;
    }
    let header = vec![
        (app.t("team.col_department"), 30),
        (app.t("team.col_users"), (area.width as usize).saturating_sub(33).max(10)),
    ];
    f.render_widget(Paragraph::new(table(&header, rows, app.team.cursor(), area)), area);
}
