//! The changes the administration screens ask of the worker, one variant each.

use crate::domain::fields::Entity;

/// A change an administrator asks for; the worker runs it through the service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdminOp {
    /// Add a lost reason.
    AddLostReason { name: String, name_fr: Option<String> },
    /// Take a lost reason off the list.
    RemoveLostReason { name: String },
    /// Import a product catalogue from a CSV file.
    ImportProducts { path: std::path::PathBuf },
    /// Add a user.
    AddUser { login: String, name: Option<String>, department: Option<String>, roles: Vec<String> },
    /// Deactivate or reactivate a user.
    SetActive { login: String, active: bool },
    /// A user's department (none: none), created if new.
    SetDepartment { login: String, department: Option<String> },
    /// A user's roles.
    SetRoles { login: String, roles: Vec<String> },
    /// One level of a role.
    SetLevel {
        role: String,
        subject: crate::domain::access::Subject,
        action: crate::domain::access::Action,
        level: crate::domain::access::Level,
    },
    /// Add a role with the levels of `like`.
    AddRole { name: String, like: Option<String> },
    /// Delete a role.
    DeleteRole { name: String },
    /// Add a department under `parent`.
    AddDepartment { name: String, parent: Option<String> },
    /// Add a stage at the end of its semantic group.
    AddStage { entity: Entity, pipeline: Option<String>, name: String, semantics: crate::domain::stage::StageSemantics },
    /// Rename a stage (by code).
    RenameStage { entity: Entity, pipeline: Option<String>, stage: String, name: String },
    /// Recolour a stage.
    RecolorStage { entity: Entity, pipeline: Option<String>, stage: String, color: String },
    /// Move a stage to a 1-based position.
    ReorderStage { entity: Entity, pipeline: Option<String>, stage: String, position: usize },
    /// Delete a stage, moving its records to `move_to`.
    DeleteStage { entity: Entity, pipeline: Option<String>, stage: String, move_to: Option<String> },
    /// Add a deal pipeline.
    AddPipeline { name: String },
    /// Rename a deal pipeline.
    RenamePipeline { pipeline: String, name: String },
    /// Delete a deal pipeline, moving its deals to `move_to`.
    DeletePipeline { pipeline: String, move_to: Option<String> },
    /// Add a custom field.
    AddField { field: Box<crate::domain::custom_field::CustomField> },
    /// Change a custom field (found by entity and code).
    EditField { field: Box<crate::domain::custom_field::CustomField> },
    /// Delete a custom field and its values.
    DeleteField { entity: Entity, code: String },
    /// Move a field (built-in key or custom code) into a section.
    MoveField { entity: Entity, field: String, section: String },
    /// Hide a field (or show it again).
    HideField { entity: Entity, field: String, hidden: bool },
    /// Add a section, then move `then_move` there.
    AddSection { entity: Entity, code: String, label: String, label_fr: String, then_move: Option<String> },
    /// Put the sections in this order.
    ReorderSections { entity: Entity, codes: Vec<String> },
    /// Rename a section (by code; the code stays).
    RenameSection { entity: Entity, code: String, label: String, label_fr: String },
    /// Delete a section, its fields going to `to`.
    DeleteSection { entity: Entity, code: String, to: String },
    /// Add a source.
    AddSource { name: String },
    /// Rename a source (by code): the code stays.
    RenameSource { source: String, name: String },
    /// Move a source to a 1-based position.
    ReorderSource { source: String, position: usize },
    /// Delete a source, moving its records to `move_to`.
    DeleteSource { source: String, move_to: Option<String> },
    /// The queue's mode and users.
    SetQueue { mode: crate::domain::queue::QueueMode, users: Vec<String> },
    /// The CRM mode, and what becomes of open leads going to simple mode.
    SetCrmMode { mode: crate::domain::crm_mode::CrmMode, open: Option<crate::domain::crm_mode::OpenLeads> },
    /// Add a product (`id` none) or change product `id`.
    SaveProduct { id: Option<i64>, input: Box<crate::domain::product::ProductInput> },
    /// Add a stage automation rule.
    AddStageRule { at: crate::service::RuleStage, rule: Box<crate::domain::automation::StageRule> },
    /// Turn a stage rule off, or on again.
    SwitchStageRule { id: i64 },
    /// Changes a stage rule (its id, stage and whether it runs kept).
    EditStageRule { rule: Box<crate::domain::automation::StageRule> },
    /// Delete a stage rule.
    DeleteStageRule { id: i64 },
    /// Delete a product.
    DeleteProduct { id: i64 },
}
