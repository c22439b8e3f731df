//! The Stages pane: the stages of the lead pipeline or of a deal pipeline (`p` chooses),
//! in order, with their kind, colour and record count. `a` adds a stage (name, then kind),
//! `e` renames, `c` recolours, `K`/`J` move it up or down, `D` deletes it (its records moved
//! to a stage picked first), `P` adds a deal pipeline, `r` renames the one shown, `X`
//! deletes it (its deals moved to a pipeline picked first). Under the table, the focused
//! stage's automation rules (issue 30): `R` adds one (a form), `W` turns one off or on, or
//! deletes it.

use super::{AdminOp, NONE, TeamAsk, TeamPick, ask, pick, table};
use crate::domain::stage::StageSemantics;
use crate::tui::action::Action;
use crate::tui::app::{App, Confirm, Overlay, info};
use crate::tui::effect::Effect;
use crate::tui::keymap::{Binding, b, k};
use crate::tui::overlays::prompt::Answered;
use crate::tui::widgets::{color, fit};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Keys of the pane.
pub(super) fn bindings(admin: bool) -> Vec<Binding> {
    use Action::*;
    let mut v = vec![b(&[k('p')], SwitchPipeline, "team.key_pipeline", true)];
    if admin {
        v.extend([
            b(&[k('a')], AdminAdd, "team.key_add_stage", true),
            b(&[k('e')], Rename, "team.key_rename_stage", true),
            b(&[k('c')], Recolor, "team.key_recolor_stage", false),
            b(&[k('K')], ItemUp, "team.key_stage_up", true),
            b(&[k('J')], ItemDown, "team.key_stage_down", true),
            b(&[k('D')], AdminDelete, "team.key_delete_stage", true),
            b(&[k('P')], AddPipeline, "team.key_add_pipeline", false),
            b(&[k('r')], RenamePipeline, "team.key_rename_pipeline", false),
            b(&[k('X')], DeletePipeline, "team.key_delete_pipeline", false),
            b(&[k('R')], AddStageRule, "team.key_add_rule", true),
            b(&[k('W')], StageRules, "team.key_stage_rules", false),
        ]);
    }
    v
}

fn focused(app: &App) -> Option<crate::store::stages::StageCount> {
    app.team.data.stages.as_ref().and_then(|(_, s)| s.get(app.team.cursor()).cloned())
}

/// A new stage's kinds, in the order the picker offers them.
const SEMANTICS: [StageSemantics; 3] = [StageSemantics::InProgress, StageSemantics::Success, StageSemantics::Failure];

fn semantics_key(s: StageSemantics) -> String {
    format!("team.semantics.{}", s.code())
}

pub(super) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let (entity, pipeline) = app.team.stages_of();
    let stage = focused(app);
    let count = app.team.data.stages.as_ref().map_or(0, |(_, s)| s.len());
    match action {
        Action::SwitchPipeline => {
            let mut items = vec![(NONE.to_string(), app.t("team.lead_pipeline"))];
            items.extend(app.team.data.pipelines.iter().map(|p| (p.name.clone(), p.name.clone())));
            let at = items.iter().position(|(v, _)| Some(v) == app.team.deal_pipeline.as_ref()).unwrap_or(0);
            pick(app, TeamPick::StagePipeline, app.t("team.pick_pipeline"), items, at);
        }
        Action::AdminAdd => ask(app, TeamAsk::StageName, app.t("team.ask_stage"), ""),
        Action::AddPipeline => ask(app, TeamAsk::PipelineName, app.t("team.ask_pipeline"), ""),
        Action::RenamePipeline | Action::DeletePipeline => {
            let Some(shown) = app.team.deal_pipeline.clone() else {
                info(app, app.t("team.lead_pipeline_stays"));
                return vec![];
            };
            if action == Action::RenamePipeline {
                let title = app.ta("team.ask_rename_pipeline", &[("pipeline", &shown)]);
                ask(app, TeamAsk::PipelineRename { pipeline: shown.clone() }, title, &shown);
                return vec![];
            }
            let deals: i64 = app.team.data.stages.iter().flat_map(|(_, s)| s.iter()).map(|s| s.count).sum();
            let others: Vec<(String, String)> = app
                .team
                .data
                .pipelines
                .iter()
                .filter(|p| p.name != shown)
                .map(|p| (p.name.clone(), p.name.clone()))
                .collect();
            if deals == 0 {
                let message = app.ta("team.confirm_delete_pipeline", &[("pipeline", &shown)]);
                let op = AdminOp::DeletePipeline { pipeline: shown, move_to: None };
                app.overlay = Overlay::Confirm(Confirm { message, on_yes: Effect::Admin(op) });
            } else {
                let title =
                    app.ta("team.pick_pipeline_move_to", &[("pipeline", &shown), ("count", &deals.to_string())]);
                pick(app, TeamPick::PipelineMoveTo { pipeline: shown }, title, others, 0);
            }
        }
        Action::AddStageRule => {
            let Some(s) = stage else { return vec![] };
            let at = crate::service::RuleStage { entity: Some(entity), pipeline, stage: s.stage.code };
            crate::tui::overlays::entry::open_stage_rule(app, at, s.stage.name, None);
        }
        Action::StageRules => {
            let Some(s) = stage else { return vec![] };
            let rules = rules_of(app, s.stage.id);
            if rules.is_empty() {
                info(app, app.ta("team.no_rules", &[("stage", &s.stage.name)]));
                return vec![];
            }
            let mut items = Vec::new();
            for r in rules {
                let (switch, key) = if r.enabled { ("off", "team.rule_off") } else { ("on", "team.rule_on") };
                // Named with its number: two rules may bear one name.
                let name = format!("#{} {}", r.id, r.name);
                items.push((format!("edit:{}", r.id), app.ta("team.rule_edit", &[("name", &name)])));
                items.push((format!("{switch}:{}", r.id), app.ta(key, &[("name", &name)])));
                items.push((format!("delete:{}", r.id), app.ta("team.rule_delete", &[("name", &name)])));
            }
            pick(app, TeamPick::StageRule, app.ta("team.pick_rule", &[("stage", &s.stage.name)]), items, 0);
        }
        Action::Rename => {
            let Some(s) = stage else { return vec![] };
            let title = app.ta("team.ask_rename", &[("stage", &s.stage.name)]);
            ask(app, TeamAsk::StageRename { stage: s.stage.code }, title, &s.stage.name);
        }
        Action::Recolor => {
            let Some(s) = stage else { return vec![] };
            let title = app.ta("team.ask_color", &[("stage", &s.stage.name)]);
            ask(app, TeamAsk::StageColor { stage: s.stage.code }, title, &s.stage.color);
        }
        Action::ItemUp | Action::ItemDown => {
            let Some(s) = stage else { return vec![] };
            let at = app.team.cursor();
            let to = if action == Action::ItemUp { at.checked_sub(1) } else { Some(at + 1).filter(|t| *t < count) };
            let Some(to) = to else { return vec![] };
            // The cursor goes with the stage.
            app.team.cursors[3] = to;
            let op = AdminOp::ReorderStage { entity, pipeline, stage: s.stage.code, position: to + 1 };
            return vec![Effect::Admin(op)];
        }
        Action::AdminDelete => {
            let Some(s) = stage else { return vec![] };
            if s.count == 0 {
                let message = app.ta("team.confirm_delete_stage", &[("stage", &s.stage.name)]);
                let op = AdminOp::DeleteStage { entity, pipeline, stage: s.stage.code, move_to: None };
                app.overlay = Overlay::Confirm(Confirm { message, on_yes: Effect::Admin(op) });
            } else {
                let items: Vec<(String, String)> = app
                    .team
                    .data
                    .stages
                    .iter()
                    .flat_map(|(_, all)| all.iter())
                    .filter(|o| o.stage.code != s.stage.code)
                    .map(|o| (o.stage.code.clone(), o.stage.name.clone()))
                    .collect();
                let title = app.ta("team.pick_move_to", &[("stage", &s.stage.name), ("count", &s.count.to_string())]);
                pick(app, TeamPick::StageMoveTo { stage: s.stage.code }, title, items, 0);
            }
        }
        _ => {}
    }
    vec![]
}

pub(super) fn prompted(app: &mut App, asked: TeamAsk, text: String) -> Answered {
    let (entity, pipeline) = app.team.stages_of();
    let op = match asked {
        TeamAsk::StageName => {
            let items = SEMANTICS.iter().map(|s| (s.code().to_string(), app.t(&semantics_key(*s)))).collect();
            let title = app.ta("team.pick_semantics", &[("stage", &text)]);
            pick(app, TeamPick::StageSemantics { name: text }, title, items, 0);
            return Answered::Close(vec![]);
        }
        TeamAsk::StageRename { stage } => AdminOp::RenameStage { entity, pipeline, stage, name: text },
        TeamAsk::StageColor { stage } => AdminOp::RecolorStage { entity, pipeline, stage, color: text },
        TeamAsk::PipelineName => AdminOp::AddPipeline { name: text },
        TeamAsk::PipelineRename { pipeline } => {
            // The pane follows the pipeline under its new name.
            app.team.deal_pipeline = Some(text.clone());
            AdminOp::RenamePipeline { pipeline, name: text }
        }
        _ => return Answered::Close(vec![]),
    };
    Answered::Close(vec![Effect::Admin(op)])
}

pub(super) fn picked(app: &mut App, picked: TeamPick, value: String) -> Vec<Effect> {
    let (entity, pipeline) = app.team.stages_of();
    match picked {
        TeamPick::StagePipeline => {
            app.team.deal_pipeline = (value != NONE).then_some(value);
            app.team.cursors[3] = 0;
            vec![super::load(app)]
        }
        TeamPick::StageSemantics { name } => {
            let Some(semantics) = StageSemantics::parse(&value) else { return vec![] };
            vec![Effect::Admin(AdminOp::AddStage { entity, pipeline, name, semantics })]
        }
        TeamPick::StageMoveTo { stage } => {
            vec![Effect::Admin(AdminOp::DeleteStage { entity, pipeline, stage, move_to: Some(value) })]
        }
        TeamPick::StageRule => {
            let Some((what, id)) = value.split_once(':') else { return vec![] };
            let Ok(id) = id.parse::<i64>() else { return vec![] };
            match what {
                "delete" => {
                    let name =
                        app.team.data.rules.iter().find(|r| r.id == id).map_or(String::new(), |r| r.name.clone());
                    let message = app.ta("team.confirm_delete_rule", &[("name", &name)]);
                    let on_yes = Effect::Admin(AdminOp::DeleteStageRule { id });
                    app.overlay = Overlay::Confirm(Confirm { message, on_yes });
                    vec![]
                }
                "edit" => {
                    let Some(rule) = app.team.data.rules.iter().find(|r| r.id == id).cloned() else { return vec![] };
                    let Some(s) = app
                        .team
                        .data
                        .stages
                        .as_ref()
                        .and_then(|(_, all)| all.iter().find(|s| s.stage.id == rule.stage_id).cloned())
                    else {
                        return vec![];
                    };
                    let at = crate::service::RuleStage { entity: Some(entity), pipeline, stage: s.stage.code };
                    crate::tui::overlays::entry::open_stage_rule(app, at, s.stage.name, Some(rule));
                    vec![]
                }
                _ => vec![Effect::Admin(AdminOp::SwitchStageRule { id })],
            }
        }
        TeamPick::PipelineMoveTo { pipeline } => {
            // The pane shows where the deals went.
            app.team.deal_pipeline = Some(value.clone());
            app.team.cursors[3] = 0;
            vec![Effect::Admin(AdminOp::DeletePipeline { pipeline, move_to: Some(value) })]
        }
        _ => vec![],
    }
}

/// The rules set on entering a stage, in the order they run.
fn rules_of(app: &App, stage_id: i64) -> Vec<&crate::domain::automation::StageRule> {
    app.team.data.rules.iter().filter(|r| r.stage_id == stage_id).collect()
}

/// One rule in a line: its name, its conditions, what it does, whether it runs.
fn rule_line(app: &App, r: &crate::domain::automation::StageRule) -> String {
    let own: Vec<_> = app.team.data.fields.iter().filter(|f| f.entity == r.entity).cloned().collect();
    let does: Vec<String> = r.actions.iter().map(|a| crate::present::rule_action(app.lang, a, &own)).collect();
    let when = if r.conditions.is_empty() {
        String::new()
    } else {
        format!(" [{} {}]", app.t("automation.col_when"), r.conditions.join(", "))
    };
    let off = if r.enabled { String::new() } else { format!(" ({})", app.t("team.rule_is_off")) };
    // The language's own colon and list separator ("Fait : a ; b" in French).
    format!("  #{} {}{when}{off}{}{}", r.id, r.name, app.t("tl.sep"), does.join(&app.t("tl.list_sep")))
}

pub(super) fn draw(app: &App, f: &mut Frame, area: Rect) {
    let Some((pipeline, stages)) = &app.team.data.stages else {
        f.render_widget(Paragraph::new(app.t("tui.loading")), area);
        return;
    };
    let name = if app.team.deal_pipeline.is_none() { app.t("team.lead_pipeline") } else { pipeline.name.clone() };
    let title = Line::from(fit(&format!(" {}", app.ta("team.stages_of", &[("pipeline", &name)])), area.width as usize));
    f.render_widget(Paragraph::new(title), Rect { height: 1.min(area.height), ..area });
    // The focused stage's rules under the table, as many lines as they take (up to a third).
    let focused_rules = focused(app).map(|s| (s.stage.name.clone(), rules_of(app, s.stage.id))).unwrap_or_default();
    let rules_h = (focused_rules.1.len() as u16 + 1).min(area.height / 3);
    let body = Rect { y: area.y + 1, height: area.height.saturating_sub(1 + rules_h), ..area };
    let rules_area = Rect { y: body.y + body.height, height: rules_h, ..area };
    let header = vec![
        (app.t("team.col_position"), 3),
        (app.t("team.col_stage"), 26),
        (app.t("team.col_code"), 18),
        (app.t("team.col_kind"), 12),
        (app.t("team.col_color"), 10),
        (app.t("team.col_records"), 10),
        (app.t("team.col_rules"), 8),
    ];
    let rows: Vec<Vec<String>> = stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                (i + 1).to_string(),
                s.stage.name.clone(),
                s.stage.code.clone(),
                app.t(&semantics_key(s.stage.semantics)),
                format!("■ {}", s.stage.color),
                crate::domain::money::format_integer(s.count, app.lang.number_style()),
                rules_of(app, s.stage.id).len().to_string(),
            ]
        })
        .collect();
    let mut lines = table(&header, rows, app.team.cursor(), body);
    // Each stage's colour on its swatch.
    let first = app.team.cursor().saturating_sub((body.height as usize).saturating_sub(2));
    for (line, s) in lines.iter_mut().skip(1).zip(stages.iter().skip(first)) {
        if let Some(span) = line.spans.first().cloned() {
            let text = span.content.to_string();
            if let Some(at) = text.find('■') {
                let (a, rest) = text.split_at(at);
                let rest = &rest['■'.len_utf8()..];
                line.spans = vec![
                    Span::styled(a.to_string(), span.style),
                    Span::styled("■", span.style.patch(Style::default().fg(color(&s.stage.color)))),
                    Span::styled(rest.to_string(), span.style),
                ];
            }
        }
    }
    f.render_widget(Paragraph::new(lines), body);
    let (stage_name, rules) = focused_rules;
    if rules_h > 0 {
        let w = area.width as usize;
        let head = if rules.is_empty() {
            app.ta("team.no_rules", &[("stage", &stage_name)])
        } else {
            app.ta("team.rules_of", &[("stage", &stage_name)])
        };
        let mut lines = vec![Line::from(Span::styled(
            fit(&format!(" {head}"), w),
            Style::default().fg(ratatui::style::Color::Gray),
        ))];
        lines.extend(rules.iter().map(|r| Line::from(fit(&rule_line(app, r), w))));
        f.render_widget(Paragraph::new(lines), rules_area);
    }
}
