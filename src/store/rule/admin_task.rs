//! What only an administrator may do, named in [`super::Rule::AdminOnly`]'s refusal.

/// What only an administrator may do (the "can …" part of [`Rule::AdminOnly`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminTask {
    /// `prospect demo`.
    LoadDemo,
    /// `queue set`.
    ConfigureQueue,
    /// `pipeline add`.
    AddPipelines,
    /// `pipeline rename/delete`.
    ChangePipelines,
    /// `stage add/rename/move/delete`.
    ChangeStages,
    /// `source add`.
    ChangeSources,
    /// `lost-reason add/remove`.
    ChangeLostReasons,
    /// `field add/edit/delete`.
    ChangeFields,
    /// `user activate/deactivate/...`.
    ChangeUsers,
    /// `user add`.
    AddUsers,
    /// `role add/set/delete`, `department add`.
    ChangeRoles,
    /// `product add/edit/delete`.
    ChangeProducts,
    /// `company-details set`, numbering patterns.
    ChangeCompanyDetails,
    /// `rule add/edit/delete/enable/disable`.
    ChangeRules,
    /// `settings crm-mode`.
    ChangeCrmMode,
    /// `db vacuum`.
    Compact,
    /// `db check --repair`.
    Repair,
}

impl AdminTask {
    /// Its message key in `[rule.admin_task]`.
    pub(super) fn code(self) -> &'static str {
        match self {
            AdminTask::LoadDemo => "load_demo",
            AdminTask::ConfigureQueue => "configure_queue",
            AdminTask::AddPipelines => "add_pipelines",
            AdminTask::ChangePipelines => "change_pipelines",
            AdminTask::ChangeStages => "change_stages",
            AdminTask::ChangeSources => "change_sources",
            AdminTask::ChangeLostReasons => "change_lost_reasons",
            AdminTask::ChangeFields => "change_fields",
            AdminTask::ChangeUsers => "change_users",
            AdminTask::AddUsers => "add_users",
            AdminTask::ChangeRoles => "change_roles",
            AdminTask::ChangeProducts => "change_products",
            AdminTask::ChangeCompanyDetails => "change_company_details",
            AdminTask::ChangeRules => "change_rules",
            AdminTask::ChangeCrmMode => "change_crm_mode",
            AdminTask::Compact => "compact",
            AdminTask::Repair => "repair",
        }
    }
}
