//! The Fields pane: the fields of the team's own on leads, deals, contacts or companies (`p`
//! the next kind), with their type, section, options and the stage they are required from.
//! `a` adds one (code, type, label in English then French, then a list's options or a
//! link's kind of record), `e` its labels, `R` the stage it is required from, `D` deletes
//! it (asked first: its values go, the history keeps them). The built-in fields follow: `m`
//! moves any field to a section (or a new one), `h` hides or shows it, `O` orders the
//! sections, `N` renames one, `X` deletes one (its fields go to another) (SPEC F3). Through
//! the CLI's service calls.

use super::{AdminOp, NONE, TeamAsk, TeamPick, ask, pick, table};
use crate::domain::custom_field::{CustomField, FieldType};
use crate::domain::fields::Entity;
use crate::tui::action::Action;
use crate::tui::app::{App, Confirm, Overlay};
use crate::tui::effect::Effect;
use crate::tui::keymap::{Binding, b, k};
use crate::tui::overlays::prompt::Answered;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// The kinds of record with fields of their own, in the order `p` goes through them.
const ENTITIES: [Entity; 4] = [Entity::Lead, Entity::Deal, Entity::Contact, Entity::Company];

/// Keys of the pane.
pub(super) fn bindings(admin: bool) -> Vec<Binding> {
    use Action::*;
    let mut v = vec![b(&[k('p')], SwitchPipeline, "team.key_field_entity", true)];
    if admin {
        v.extend([
            b(&[k('a')], AdminAdd, "team.key_add_field", true),
            b(&[k('e')], Rename, "team.key_field_labels", true),
            b(&[k('R')], RequiredFrom, "team.key_required_from", true),
            b(&[k('D')], AdminDelete, "team.key_delete_field", true),
            b(&[k('m')], MoveToSection, "team.key_field_section", true),
            b(&[k('h')], HideField, "team.key_hide_field", false),
            b(&[k('O')], OrderSections, "team.key_order_sections", false),
            b(&[k('N')], RenameSection, "team.key_rename_section", false),
            b(&[k('X')], DeleteSection, "team.key_delete_section", false),
        ]);
    }
    v
}

/// How many fields the pane shows: the team's own, then the built-in ones.
pub(super) fn shown_count(team: &super::TeamView) -> usize {
    team.data.fields.iter().filter(|f| f.entity == team.field_entity).count() + builtin(team.field_entity).len()
}

/// The built-in fields of `entity` a form shows (and a layout places).
fn builtin(entity: Entity) -> Vec<&'static str> {
    entity.fields().iter().filter(|f| f.editable && f.key != "currency").map(|f| f.key).collect()
}

/// The layout of the kind of record shown.
fn layout(app: &App) -> crate::domain::layout::Layout {
    let entity = app.team.field_entity;
    app.team.data.layouts.iter().find(|(e, _)| *e == entity).map(|(_, l)| l.clone()).unwrap_or_default()
}

/// The focused row's field: a custom code or a built-in key.
fn focused_key(app: &App) -> Option<String> {
    let custom = shown(app);
    let at = app.team.cursor();
    match custom.get(at) {
        Some(f) => Some(f.code.clone()),
        None => builtin(app.team.field_entity).get(at - custom.len()).map(|k| k.to_string()),
    }
}

/// The fields shown: those of the kind of record chosen.
pub(super) fn shown(app: &App) -> Vec<&CustomField> {
    app.team.data.fields.iter().filter(|f| f.entity == app.team.field_entity).collect()
}

fn focused(app: &App) -> Option<CustomField> {
    shown(app).get(app.team.cursor()).map(|f| (*f).clone())
}

pub(super) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::SwitchPipeline => {
            let at = ENTITIES.iter().position(|e| *e == app.team.field_entity).unwrap_or(0);
            app.team.field_entity = ENTITIES[(at + 1) % ENTITIES.len()];
            app.team.cursors[super::TeamPane::Fields.index()] = 0;
        }
        Action::AdminAdd => ask(app, TeamAsk::FieldCode, app.t("team.ask_field_code"), ""),
        Action::Rename => {
            let Some(f) = focused(app) else { return vec![] };
            let title = app.ta("team.ask_field_label", &[("field", &f.code)]);
            let label = f.label.clone();
            ask(app, TeamAsk::FieldLabel { code: f.code }, title, &label);
        }
        Action::RequiredFrom => {
            let Some(f) = focused(app) else { return vec![] };
            let stages = app.team.data.field_stages.iter().find(|(e, _)| *e == f.entity).map(|(_, s)| s.clone());
            let Some(stages) = stages else {
                crate::tui::app::info(app, app.t("team.no_stages_for_field"));
                return vec![];
            };
            let mut items = vec![(NONE.to_string(), app.t("team.required_never"))];
            items.extend(stages.iter().map(|s| (s.code.clone(), s.name.clone())));
            let at = stages.iter().position(|s| f.required_from.contains(&s.id)).map_or(0, |i| i + 1);
            let title = app.ta("team.pick_required_from", &[("field", f.label_in(app.lang))]);
            pick(app, TeamPick::FieldRequiredFrom { code: f.code }, title, items, at);
        }
        Action::MoveToSection => {
            let Some(field) = focused_key(app) else { return vec![] };
            let l = layout(app);
            let mut items: Vec<(String, String)> =
                l.sections.iter().map(|s| (s.code.clone(), l.label(&s.code, app.lang))).collect();
            items.push((NONE.to_string(), app.t("team.new_section")));
            let title = app.ta("team.pick_field_section", &[("field", &field)]);
            pick(app, TeamPick::FieldSection { field }, title, items, 0);
        }
        Action::HideField => {
            let Some(field) = focused_key(app) else { return vec![] };
            let hidden = !layout(app).is_hidden(&field);
            return vec![Effect::Admin(AdminOp::HideField { entity: app.team.field_entity, field, hidden })];
        }
        Action::RenameSection | Action::DeleteSection => {
            let l = layout(app);
            let deletable = |code: &str| crate::domain::fields::Section::parse(code).is_none();
            let items: Vec<(String, String)> = l
                .sections
                .iter()
                .filter(|s| action == Action::RenameSection || deletable(&s.code))
                .map(|s| (s.code.clone(), l.label(&s.code, app.lang)))
                .collect();
            if items.is_empty() {
                crate::tui::app::info(app, app.t("team.no_section_to_delete"));
                return vec![];
            }
            let (purpose, title) = if action == Action::RenameSection {
                (TeamPick::SectionToRename, app.t("team.pick_section_rename"))
            } else {
                (TeamPick::SectionToDelete, app.t("team.pick_section_delete"))
            };
            pick(app, purpose, title, items, 0);
        }
        Action::OrderSections => {
            let codes: Vec<String> = layout(app).sections.iter().map(|s| s.code.clone()).collect();
            ask(app, TeamAsk::SectionOrder, app.t("team.ask_section_order"), &codes.join(","));
        }
        Action::AdminDelete => {
            let Some(f) = focused(app) else { return vec![] };
            let message = app.ta("team.confirm_delete_field", &[("field", f.label_in(app.lang))]);
            let op = AdminOp::DeleteField { entity: f.entity, code: f.code };
            app.overlay = Overlay::Confirm(Confirm { message, on_yes: Effect::Admin(op) });
        }
        _ => {}
    }
    vec![]
}

/// A field being added: what was answered so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldDraft {
    /// Its code.
    pub code: String,
    /// Its type's code.
    pub kind: String,
    /// Its English label.
    pub label: String,
}

pub(super) fn prompted(app: &mut App, asked: TeamAsk, text: String) -> Answered {
    let entity = app.team.field_entity;
    match asked {
        TeamAsk::FieldCode => {
            if let Err(e) = crate::domain::custom_field::check_code(entity, &text) {
                return Answered::Refused(crate::i18n::describe(&e.problem, &e.field, app.lang));
            }
            let items =
                FieldType::CODES.iter().map(|c| (c.to_string(), app.t(&format!("team.field_type.{c}")))).collect();
            let title = app.ta("team.pick_field_type", &[("field", &text)]);
            pick(app, TeamPick::FieldType { code: text }, title, items, 0);
            Answered::Close(vec![])
        }
        TeamAsk::FieldLabelEn { draft } => {
            let title = app.ta("team.ask_field_label_fr", &[("field", &draft.code)]);
            let start = text.clone();
            ask(app, TeamAsk::FieldLabelFr { draft: FieldDraft { label: text, ..draft } }, title, &start);
            Answered::Close(vec![])
        }
        TeamAsk::FieldLabelFr { draft } => {
            if draft.kind == "list" || draft.kind == "multilist" {
                let title = app.ta("team.ask_field_options", &[("field", &draft.code)]);
                ask(app, TeamAsk::FieldOptions { draft, label_fr: text }, title, "");
                return Answered::Close(vec![]);
            }
            if draft.kind == "link" {
                let items =
                    ENTITIES.iter().map(|e| (e.code().to_string(), app.t(&format!("entity.{}", e.code())))).collect();
                let title = app.ta("team.pick_link_to", &[("field", &draft.code)]);
                pick(app, TeamPick::FieldLinkTo { draft, label_fr: text }, title, items, 0);
                return Answered::Close(vec![]);
            }
            Answered::Close(add(app, draft, text, vec![], None))
        }
        TeamAsk::FieldOptions { draft, label_fr } => {
            let options: Vec<String> =
                text.split(',').map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect();
            Answered::Close(add(app, draft, label_fr, options, None))
        }
        TeamAsk::FieldLabel { code } => {
            let Some(mut f) = app.team.data.fields.iter().find(|f| f.entity == entity && f.code == code).cloned()
            else {
                return Answered::Close(vec![]);
            };
            let title = app.ta("team.ask_field_label_fr", &[("field", &f.code)]);
            let start = f.label_fr.clone().unwrap_or_default();
            f.label = text;
            ask(app, TeamAsk::FieldLabelFrEdit { field: Box::new(f) }, title, &start);
            Answered::Close(vec![])
        }
        TeamAsk::FieldLabelFrEdit { field } => {
            let mut f = *field;
            f.label_fr = Some(text).filter(|t| !t.trim().is_empty());
            Answered::Close(vec![Effect::Admin(AdminOp::EditField { field: Box::new(f) })])
        }
        TeamAsk::SectionCode { then_move } => {
            // Checked as the layout will check it, said in the prompt.
            if let Err(e) = layout(app).add_section(&text, None, None) {
                return Answered::Refused(crate::i18n::describe(&e.problem, &e.field, app.lang));
            }
            let title = app.ta("team.ask_section_label", &[("section", &text)]);
            ask(app, TeamAsk::SectionLabel { code: text.clone(), then_move }, title, &text);
            Answered::Close(vec![])
        }
        TeamAsk::SectionLabel { code, then_move } => {
            let title = app.ta("team.ask_section_label_fr", &[("section", &code)]);
            let start = text.clone();
            ask(app, TeamAsk::SectionLabelFr { code, label: text, then_move }, title, &start);
            Answered::Close(vec![])
        }
        TeamAsk::SectionLabelFr { code, label, then_move } => {
            let op = AdminOp::AddSection { entity, code, label, label_fr: text, then_move };
            Answered::Close(vec![Effect::Admin(op)])
        }
        TeamAsk::SectionRename { code } => {
            let title = app.ta("team.ask_section_label_fr", &[("section", &code)]);
            let l = layout(app);
            let start = l.sections.iter().find(|s| s.code == code).and_then(|s| s.label_fr.clone()).unwrap_or_default();
            ask(app, TeamAsk::SectionRenameFr { code, label: text }, title, &start);
            Answered::Close(vec![])
        }
        TeamAsk::SectionRenameFr { code, label } => {
            let op = AdminOp::RenameSection { entity, code, label, label_fr: text };
            Answered::Close(vec![Effect::Admin(op)])
        }
        TeamAsk::SectionOrder => {
            // Sections by code or by name, in either language.
            let l = layout(app);
            let typed = text.split(',').map(str::trim).filter(|c| !c.is_empty());
            let codes: Vec<String> = typed.map(|c| l.code_of(c).unwrap_or_else(|_| c.to_string())).collect();
            if let Err(e) = layout(app).reorder_sections(&codes) {
                return Answered::Refused(crate::i18n::describe(&e.problem, &e.field, app.lang));
            }
            Answered::Close(vec![Effect::Admin(AdminOp::ReorderSections { entity, codes })])
        }
        _ => Answered::Close(vec![]),
    }
}

/// The field made of the answers, to add.
fn add(app: &App, draft: FieldDraft, label_fr: String, options: Vec<String>, link_to: Option<Entity>) -> Vec<Effect> {
    let kind = match FieldType::parse(&draft.kind, link_to) {
        Ok(kind) => kind,
        Err(_) => return vec![],
    };
    let field = CustomField {
        label: draft.label,
        label_fr: Some(label_fr).filter(|l| !l.trim().is_empty()),
        options,
        ..CustomField::new(app.team.field_entity, &draft.code, kind)
    };
    vec![Effect::Admin(AdminOp::AddField { field: Box::new(field) })]
}

pub(super) fn picked(app: &mut App, picked: TeamPick, value: String) -> Vec<Effect> {
    match picked {
        TeamPick::FieldType { code } => {
            let draft = FieldDraft { code: code.clone(), kind: value, label: String::new() };
            let title = app.ta("team.ask_field_label_en", &[("field", &code)]);
            ask(app, TeamAsk::FieldLabelEn { draft }, title, &code);
            vec![]
        }
        TeamPick::FieldLinkTo { draft, label_fr } => add(app, draft, label_fr, vec![], Entity::parse(&value)),
        TeamPick::FieldSection { field } if value == NONE => {
            ask(app, TeamAsk::SectionCode { then_move: Some(field) }, app.t("team.ask_section_code"), "");
            vec![]
        }
        TeamPick::FieldSection { field } => {
            vec![Effect::Admin(AdminOp::MoveField { entity: app.team.field_entity, field, section: value })]
        }
        TeamPick::SectionToRename => {
            let l = layout(app);
            let start = l.label(&value, crate::i18n::Lang::En);
            let title = app.ta("team.ask_section_label", &[("section", &value)]);
            ask(app, TeamAsk::SectionRename { code: value }, title, &start);
            vec![]
        }
        TeamPick::SectionToDelete => {
            let l = layout(app);
            let items: Vec<(String, String)> = l
                .sections
                .iter()
                .filter(|s| s.code != value)
                .map(|s| (s.code.clone(), l.label(&s.code, app.lang)))
                .collect();
            let title = app.ta("team.pick_section_move_to", &[("section", &l.label(&value, app.lang))]);
            pick(app, TeamPick::SectionMoveTo { code: value }, title, items, 0);
            vec![]
        }
        TeamPick::SectionMoveTo { code } => {
            vec![Effect::Admin(AdminOp::DeleteSection { entity: app.team.field_entity, code, to: value })]
        }
        TeamPick::FieldRequiredFrom { code } => {
            let entity = app.team.field_entity;
            let Some(mut f) = app.team.data.fields.iter().find(|f| f.entity == entity && f.code == code).cloned()
            else {
                return vec![];
            };
            let stages = app.team.data.field_stages.iter().find(|(e, _)| *e == entity).map(|(_, s)| s.clone());
            let ids: Vec<i64> = stages.unwrap_or_default().iter().map(|s| s.id).collect();
            // The pipeline shown here loses its stage; another pipeline's stays.
            f.required_from.retain(|id| !ids.contains(id));
            let stage =
                app.team.data.field_stages.iter().flat_map(|(_, s)| s).find(|s| s.code == value && value != NONE);
            if let Some(s) = stage {
                f.required_from.push(s.id);
            }
            vec![Effect::Admin(AdminOp::EditField { field: Box::new(f) })]
        }
        _ => vec![],
    }
}

pub(super) fn draw(app: &App, f: &mut Frame, area: Rect) {
    let entity = app.t(&format!("entity.{}", app.team.field_entity.code()));
    let title = Line::from(crate::tui::widgets::fit(
        &format!(" {}", app.ta("team.fields_of", &[("entity", &entity)])),
        area.width as usize,
    ));
    f.render_widget(Paragraph::new(title), Rect { height: 1.min(area.height), ..area });
    let body = Rect { y: area.y + 1, height: area.height.saturating_sub(1), ..area };
    let fields = shown(app);
    let l = layout(app);
    let hidden = |code: &str| if l.is_hidden(code) { format!(" ({})", app.t("team.hidden")) } else { String::new() };
    let stage_name =
        |id: &i64| app.team.data.field_stages.iter().flat_map(|(_, s)| s).find(|s| s.id == *id).map(|s| s.name.clone());
    let rows = fields
        .iter()
        .map(|fd| {
            vec![
                fd.code.clone(),
                format!("{}{}", fd.label_in(app.lang), hidden(&fd.code)),
                app.t(&format!("team.field_type.{}", fd.kind.code())),
                l.label(&fd.section, app.lang),
                fd.options.join(", "),
                fd.required_from.iter().filter_map(stage_name).collect::<Vec<_>>().join(", "),
            ]
        })
        .chain(builtin(app.team.field_entity).into_iter().map(|key| {
            vec![
                key.to_string(),
                format!("{}{}", app.t(&format!("field.{key}")), hidden(key)),
                app.t("team.builtin_field"),
                l.label(&l.section_of(app.team.field_entity, key), app.lang),
                String::new(),
                String::new(),
            ]
        }))
        .collect();
    let header = vec![
        (app.t("fields.col_code"), 16),
        (app.t("fields.col_label"), 24),
        (app.t("fields.col_type"), 12),
        (app.t("fields.col_section"), 14),
        (app.t("fields.col_options"), 20),
        (app.t("fields.col_required_from"), 16),
    ];
    f.render_widget(Paragraph::new(table(&header, rows, app.team.cursor(), body)), body);
}
