//! The administration screens' effects: their data read at once, and each change run
//! through the service (which refuses non-administrators), answered with what was done.

use super::*;
use crate::tui::screens::team::{AdminOp, TeamData};

/// Whether the signed-in user administers the file (`domain::access::may_administer`).
pub(super) fn administers(store: &Service) -> bool {
    store.viewer().is_some_and(|v| crate::domain::access::may_administer(&v))
}

/// Everything the administration panes show: a few dozen rows.
pub(super) fn load_team(store: &Service, deal_pipeline: Option<&str>) -> Result<TeamData, StoreError> {
    let entity = if deal_pipeline.is_some() { Entity::Deal } else { Entity::Lead };
    Ok(TeamData {
        admin: administers(store),
        users: store.users()?,
        roles: store.roles()?,
        departments: store.departments()?,
        pipelines: store.pipelines(Entity::Deal)?,
        // A deal pipeline deleted meanwhile: the lead pipeline's stages rather than nothing.
        stages: Some(match store.stages(entity, deal_pipeline) {
            Ok(s) => s,
            Err(_) if deal_pipeline.is_some() => store.stages(Entity::Lead, None)?,
            Err(e) => return Err(e),
        }),
        sources: store.sources()?,
        lost_reasons: store.lost_reasons()?,
        rules: store.stage_rules(None)?,
        queue: Some(store.queue()?),
        fields: store.custom_fields(None)?,
        products: store.products(true)?,
        layouts: [Entity::Lead, Entity::Deal, Entity::Contact, Entity::Company]
            .into_iter()
            .map(|e| Ok((e, store.layout(e)?)))
            .collect::<Result<_, StoreError>>()?,
        field_stages: [Entity::Lead, Entity::Deal]
            .into_iter()
            .map(|e| Ok((e, store.stages(e, None)?.1.into_iter().map(|s| s.stage).collect())))
            .collect::<Result<_, StoreError>>()?,
    })
}

fn role(lang: Lang, name: &str) -> String {
    crate::store::roles::RoleName::shown(name, lang)
}

/// Runs one change; its message says what was done.
pub(super) fn write(store: &mut Service, lang: Lang, op: AdminOp) -> Result<Vec<StoreEvent>, StoreError> {
    let t = |key: &str, args: &[(&str, &str)]| tr_in(lang, &format!("team.done_{key}"), args);
    let message = match op {
        AdminOp::AddUser { login, name, department, roles } => {
            let new = crate::store::users::NewUser {
                login: login.clone(),
                display_name: name,
                department,
                admin: roles.iter().any(|r| r == crate::store::roles::RoleName::ADMINISTRATOR),
                roles,
                // On PostgreSQL the user's own role is made without a password: the server's
                // authentication rules decide, or `user add --password-stdin` from a shell.
                password: None,
            };
            store.add_user(&new)?;
            t("user_added", &[("user", &login)])
        }
        AdminOp::SetActive { login, active } => {
            store.set_user_active(&login, active)?;
            t(if active { "user_activated" } else { "user_deactivated" }, &[("user", &login)])
        }
        AdminOp::SetDepartment { login, department } => {
            let change = crate::store::users::UserChange { department: Some(department.clone()), ..Default::default() };
            store.edit_user(&login, &change)?;
            match department {
                Some(d) => t("user_department", &[("user", &login), ("department", &d)]),
                None => t("user_no_department", &[("user", &login)]),
            }
        }
        AdminOp::SetRoles { login, roles } => {
            let change = crate::store::users::UserChange { roles: Some(roles.clone()), ..Default::default() };
            store.edit_user(&login, &change)?;
            let shown: Vec<String> = roles.iter().map(|r| role(lang, r)).collect();
            t("user_roles", &[("user", &login), ("roles", &shown.join(", "))])
        }
        AdminOp::SetLevel { role: name, subject, action, level } => {
            store.set_level(&name, subject, action, level)?;
            t(
                "level",
                &[
                    ("role", &role(lang, &name)),
                    ("subject", &tr_in(lang, &format!("access.subjects.{}", subject.code()), &[])),
                    ("action", &tr_in(lang, &format!("access.action.{}", action.code()), &[])),
                    ("level", &tr_in(lang, &format!("access.level.{}", level.code()), &[])),
                ],
            )
        }
        AdminOp::AddRole { name, like } => {
            let row = store.add_role(&name, like.as_deref())?;
            t("role_added", &[("role", &row.name)])
        }
        AdminOp::DeleteRole { name } => {
            store.delete_role(&name)?;
            t("role_deleted", &[("role", &role(lang, &name))])
        }
        AdminOp::AddDepartment { name, parent } => {
            let row = store.add_department(&name, parent.as_deref())?;
            t("department_added", &[("department", &row.name)])
        }
        AdminOp::AddStage { entity, pipeline, name, semantics } => {
            let new = crate::store::stages::NewStage { name, code: None, semantics, color: None, position: None };
            let row = store.add_stage(entity, pipeline.as_deref(), &new)?;
            t("stage_added", &[("stage", &row.name)])
        }
        AdminOp::RenameStage { entity, pipeline, stage, name } => {
            let row = store.rename_stage(entity, pipeline.as_deref(), &stage, &name)?;
            t("stage_renamed", &[("stage", &row.name)])
        }
        AdminOp::RecolorStage { entity, pipeline, stage, color } => {
            let row = store.recolor_stage(entity, pipeline.as_deref(), &stage, &color)?;
            t("stage_recolored", &[("stage", &row.name), ("color", &row.color)])
        }
        AdminOp::ReorderStage { entity, pipeline, stage, position } => {
            let rows = store.reorder_stage(entity, pipeline.as_deref(), &stage, position)?;
            let name = rows.iter().find(|r| r.code == stage).map_or(stage.clone(), |r| r.name.clone());
            t("stage_moved", &[("stage", &name), ("position", &position.to_string())])
        }
        AdminOp::DeleteStage { entity, pipeline, stage, move_to } => {
            // Named as the pane showed it, not by its code.
            let name = store
                .stages(entity, pipeline.as_deref())
                .ok()
                .and_then(|(_, all)| all.into_iter().find(|s| s.stage.code == stage).map(|s| s.stage.name))
                .unwrap_or_else(|| stage.clone());
            let moved = store.delete_stage(entity, pipeline.as_deref(), &stage, move_to.as_deref())?;
            crate::i18n::tr_count(lang, "team.done_stage_deleted", moved.max(0) as u64, &[("stage", &name)])
        }
        AdminOp::AddPipeline { name } => {
            let row = store.add_pipeline(&name)?;
            t("pipeline_added", &[("pipeline", &row.name)])
        }
        AdminOp::RenamePipeline { pipeline, name } => {
            let row = store.rename_pipeline(&pipeline, &name)?;
            t("pipeline_renamed", &[("old", &pipeline), ("pipeline", &row.name)])
        }
        AdminOp::DeletePipeline { pipeline, move_to } => {
            let moved = store.delete_pipeline(&pipeline, move_to.as_deref())?;
            crate::i18n::tr_count(lang, "team.done_pipeline_deleted", moved.max(0) as u64, &[("pipeline", &pipeline)])
        }
        AdminOp::AddField { field } => {
            let made = store.add_custom_field(&field)?;
            t("field_added", &[("field", made.label_in(lang))])
        }
        AdminOp::EditField { field } => {
            let changed = store.edit_custom_field(&field)?;
            t("field_changed", &[("field", changed.label_in(lang))])
        }
        AdminOp::MoveField { entity, field, section } => {
            let layout = store.move_field(entity, &field, &section)?;
            let section = layout.code_of(&section).map(|c| layout.label(&c, lang)).unwrap_or(section);
            let field = field_named(store, entity, &field, lang)?;
            t("field_moved", &[("field", &field), ("section", &section)])
        }
        AdminOp::HideField { entity, field, hidden } => {
            store.hide_field(entity, &field, hidden)?;
            let field = field_named(store, entity, &field, lang)?;
            t(if hidden { "field_hidden" } else { "field_shown" }, &[("field", &field)])
        }
        AdminOp::AddSection { entity, code, label, label_fr, then_move } => {
            let (label, label_fr) = (Some(label).filter(|l| !l.trim().is_empty()), Some(label_fr));
            let layout = store.change_layout(entity, |l| l.add_section(&code, label, label_fr))?;
            let code = layout.sections.last().map(|s| s.code.clone()).unwrap_or(code);
            if let Some(field) = then_move {
                store.move_field(entity, &field, &code)?;
            }
            t("section_added", &[("section", &layout.label(&code, lang))])
        }
        AdminOp::ReorderSections { entity, codes } => {
            store.change_layout(entity, |l| l.reorder_sections(&codes))?;
            t("sections_reordered", &[])
        }
        AdminOp::RenameSection { entity, code, label, label_fr } => {
            let given = |l: String| Some(l).filter(|l| !l.trim().is_empty());
            let layout = store.change_layout(entity, |l| l.rename_section(&code, given(label), given(label_fr)))?;
            t("section_renamed", &[("section", &layout.label(&code, lang))])
        }
        AdminOp::DeleteSection { entity, code, to } => {
            let before = store.layout(entity)?.label(&code, lang);
            let layout = store.delete_section(entity, &code, &to)?;
            t("section_deleted", &[("section", &before), ("to", &layout.label(&to, lang))])
        }
        AdminOp::DeleteField { entity, code } => {
            let values = store.delete_custom_field(entity, &code, true)?;
            crate::i18n::tr_count(lang, "team.done_field_deleted", values.max(0) as u64, &[("field", &code)])
        }
        AdminOp::AddLostReason { name, name_fr } => {
            let r = store.add_lost_reason(&name, name_fr.as_deref())?;
            crate::i18n::tr_in(lang, "report.reason_added", &[("name", &r.name)])
        }
        AdminOp::RemoveLostReason { name } => {
            let r = store.remove_lost_reason(&name)?;
            crate::i18n::tr_in(lang, "report.reason_removed", &[("name", &r.name)])
        }
        AdminOp::AddSource { name } => {
            let row = store.add_source(&name, None)?;
            t("source_added", &[("source", &row.name)])
        }
        AdminOp::RenameSource { source, name } => {
            let row = store.rename_source(&source, &name)?;
            t("source_renamed", &[("source", &row.name), ("code", &row.code)])
        }
        AdminOp::ReorderSource { source, position } => {
            let rows = store.reorder_source(&source, position)?;
            let name = rows.iter().find(|r| r.code == source).map_or(source.clone(), |r| r.name.clone());
            t("source_moved", &[("source", &name), ("position", &position.to_string())])
        }
        AdminOp::DeleteSource { source, move_to } => {
            let name = store
                .sources()
                .ok()
                .and_then(|all| all.into_iter().find(|s| s.code == source).map(|s| s.name))
                .unwrap_or_else(|| source.clone());
            let moved = store.delete_source(&source, move_to.as_deref())?;
            crate::i18n::tr_count(lang, "team.done_source_deleted", moved.max(0) as u64, &[("source", &name)])
        }
        AdminOp::AddStageRule { at, rule } => {
            let rule = store.add_stage_rule(&at, *rule)?;
            t("rule_added", &[("name", &rule.name)]) + &queue_off_note(store, &rule, lang)
        }
        AdminOp::EditStageRule { rule } => {
            store.edit_stage_rule(&rule)?;
            t("rule_changed", &[("name", &rule.name)]) + &queue_off_note(store, &rule, lang)
        }
        AdminOp::SwitchStageRule { id } => {
            let mut rule = store.stage_rule(id)?;
            rule.enabled = !rule.enabled;
            store.edit_stage_rule(&rule)?;
            t(if rule.enabled { "rule_on" } else { "rule_off" }, &[("name", &rule.name)])
        }
        AdminOp::DeleteStageRule { id } => {
            let rule = store.stage_rule(id)?;
            store.delete_stage_rule(id)?;
            t("rule_deleted", &[("name", &rule.name)])
        }
        AdminOp::SaveProduct { id: None, input } => {
            let p = store.add_product(&input)?;
            t("product_added", &[("name", &p.name)])
        }
        AdminOp::SaveProduct { id: Some(id), input } => {
            let p = store.edit_product(&id.to_string(), &input)?;
            t("product_changed", &[("name", &p.name)])
        }
        AdminOp::ImportProducts { path } => {
            let read = std::fs::File::open(&path)
                .map_err(|e| e.to_string())
                .and_then(|file| crate::io::products::read(file, None, None, lang));
            let read = match read {
                Ok(read) => read,
                Err(why) => {
                    let message = format!("{}: {why}", path.display());
                    return Ok(vec![StoreEvent::Failed { message, field: None, conflict: false }]);
                }
            };
            let done = store.import_products(read.rows, false)?;
            let (added, updated, refused) =
                (done.added.to_string(), done.updated.to_string(), done.refused.len().to_string());
            let mut message =
                tr_in(lang, "import.products_done", &[("added", &added), ("updated", &updated), ("refused", &refused)]);
            // The first refused row says why; the command line's dry run lists them all.
            if let Some((line, e)) = done.refused.first() {
                let row = tr_in(
                    lang,
                    "import.products_refused_row",
                    &[("line", &line.to_string()), ("reason", &crate::service::refused_row(e, lang))],
                );
                message = format!("{message} {}", row.trim());
            }
            message
        }
        AdminOp::DeleteProduct { id } => {
            let (p, used) = store.delete_product(&id.to_string())?;
            crate::i18n::tr_count(lang, "team.done_product_deleted", used.max(0) as u64, &[("name", &p.name)])
        }
        AdminOp::SetQueue { mode, users } => {
            let cfg = store.set_queue(mode, &users)?;
            let mode = tr_in(lang, &format!("team.queue.{}", cfg.mode.code()), &[]);
            t("queue", &[("mode", &mode), ("users", &cfg.users.join(", "))])
        }
        AdminOp::SetCrmMode { mode, open } => {
            let done = store.set_crm_mode(mode, open)?;
            let mut said = vec![tr_in(lang, &format!("crm_mode.set_{}", mode.code()), &[])];
            if !done.converted.is_empty() {
                said.push(crate::i18n::tr_count(lang, "crm_mode.converted", done.converted.len() as u64, &[]));
            }
            if done.kept > 0 {
                said.push(crate::i18n::tr_count(lang, "crm_mode.kept", done.kept as u64, &[]));
            }
            if let Some((id, why)) = done.refused.first() {
                said.push(tr_in(lang, "crm_mode.refused", &[("id", &id.to_string()), ("why", why)]));
            }
            said.join(" ")
        }
    };
    Ok(vec![StoreEvent::AdminDone { message }])
}

/// A field (built-in key or custom code) as the form labels it in `lang`.
fn field_named(store: &Service, entity: Entity, key: &str, lang: crate::i18n::Lang) -> Result<String, StoreError> {
    let custom = store.custom_fields(Some(entity))?;
    Ok(match custom.iter().find(|f| f.code == key) {
        Some(f) => f.label_in(lang).to_string(),
        None => crate::present::field_label(lang, key),
    })
}

/// A rule handing records to the queue while there is none changes nothing: said after it is
/// saved, as `prospect rule show` says it.
fn queue_off_note(store: &Service, rule: &crate::domain::automation::StageRule, lang: crate::i18n::Lang) -> String {
    if store.rule_queue_is_off(rule) { format!(" {}", tr_in(lang, "automation.queue_off", &[])) } else { String::new() }
}
