//! The Lost reasons pane (issue 29): the reasons a failure stage offers, in English and
//! French. `a` adds one (its English name, then its French one), `D` takes the focused one
//! off the list (the losses that kept it keep their text).

use super::{AdminOp, TeamAsk, ask, table};
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
    if !admin {
        return vec![];
    }
    vec![
        b(&[k('a')], Action::AdminAdd, "team.key_add_reason", true),
        b(&[k('D')], Action::AdminDelete, "team.key_delete_reason", true),
    ]
}

pub(super) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::AdminAdd => ask(app, TeamAsk::ReasonName, app.t("team.ask_reason"), ""),
        Action::AdminDelete => {
            let Some(r) = app.team.data.lost_reasons.get(app.team.cursor()) else { return vec![] };
            return vec![Effect::Admin(AdminOp::RemoveLostReason { name: r.name.clone() })];
        }
        _ => {}
    }
    vec![]
}

/// The English name typed: the French one is asked next; the French one typed (empty:
/// none): the reason is added.
pub(super) fn prompted(app: &mut App, asked: TeamAsk, text: String) -> Answered {
    match asked {
        TeamAsk::ReasonName => {
            if text.trim().is_empty() {
                return Answered::Refused(app.t("team.reason_name_needed"));
            }
            let title = app.ta("team.ask_reason_fr", &[("name", text.trim())]);
            ask(app, TeamAsk::ReasonFr { name: text }, title, "");
            Answered::Close(vec![])
        }
        TeamAsk::ReasonFr { name } => {
            let name_fr = (!text.trim().is_empty()).then_some(text);
            Answered::Close(vec![Effect::Admin(AdminOp::AddLostReason { name, name_fr })])
        }
        _ => Answered::Close(vec![]),
    }
}

pub(super) fn draw(app: &App, f: &mut Frame, area: Rect) {
    let w = area.width as usize;
    let half = w.saturating_sub(6) / 2;
    let header =
        vec![("#".to_string(), 4), (app.t("report.reason_name"), half), (app.t("report.reason_name_fr"), half)];
    let rows = app
        .team
        .data
        .lost_reasons
        .iter()
        .enumerate()
        .map(|(i, r)| vec![(i + 1).to_string(), r.name.clone(), r.name_fr.clone().unwrap_or_default()])
        .collect();
    f.render_widget(Paragraph::new(table(&header, rows, app.team.cursor(), area)), area);
}
