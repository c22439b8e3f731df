//! Everything a person can ask the TUI to do. Keys map to these, the command palette lists
//! them by name, and `update` is the only place they take effect.

use serde::{Deserialize, Serialize};

/// The screens reachable from the header tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tab {
    /// Kanban of leads.
    LeadBoard,
    /// List of leads.
    LeadList,
    /// Kanban of deals (per pipeline).
    DealBoard,
    /// List of deals (of the pipeline shown on the deal board).
    DealList,
    /// List of contacts.
    Contacts,
    /// List of companies.
    Companies,
    /// Leads by their nearest open activity.
    Activities,
    /// Month and week grids of activities.
    Calendar,
    /// The sales head's reports.
    Reports,
}

impl Tab {
    /// Tabs in header order (keys 1-9).
    pub const ALL: [Tab; 9] = [
        Tab::LeadBoard,
        Tab::LeadList,
        Tab::DealBoard,
        Tab::DealList,
        Tab::Contacts,
        Tab::Companies,
        Tab::Activities,
        Tab::Calendar,
        Tab::Reports,
    ];

    /// Message key of the tab's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Tab::LeadBoard => "tui.tab_leads",
            Tab::LeadList => "tui.tab_list",
            Tab::DealBoard => "tui.tab_deals",
            Tab::DealList => "tui.tab_deal_list",
            Tab::Contacts => "tui.tab_contacts",
            Tab::Companies => "tui.tab_companies",
            Tab::Activities => "tui.tab_activities",
            Tab::Calendar => "tui.tab_calendar",
            Tab::Reports => "tui.tab_reports",
        }
    }

    /// Message key of the tab's short name, for a narrow header.
    pub fn short_label_key(self) -> &'static str {
        match self {
            Tab::LeadBoard => "tui.tab_leads_short",
            Tab::LeadList => "tui.tab_list_short",
            Tab::DealBoard => "tui.tab_deals_short",
            Tab::DealList => "tui.tab_deal_list_short",
            Tab::Contacts => "tui.tab_contacts_short",
            Tab::Companies => "tui.tab_companies_short",
            Tab::Activities => "tui.tab_activities_short",
            Tab::Calendar => "tui.tab_calendar_short",
            Tab::Reports => "tui.tab_reports_short",
        }
    }
}

/// A key typed into a text field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InputKey {
    /// A character.
    Char(char),
    /// Delete before the cursor.
    Backspace,
    /// Delete at the cursor.
    Delete,
    /// Cursor left.
    Left,
    /// Cursor right.
    Right,
    /// Cursor to start.
    Home,
    /// Cursor to end.
    End,
    /// Everything typed goes (Ctrl-u).
    Clear,
}

/// A user intention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Leave Prospect.
    Quit,
    /// Close the overlay or go back to the previous screen.
    Back,
    /// Show every key of this screen.
    Help,
    /// Open the command palette.
    Palette,
    /// Search everything.
    Search,
    /// Go to a tab.
    Show(Tab),
    /// Next tab.
    NextTab,
    /// Previous column / field.
    Left,
    /// Next column.
    Right,
    /// Up one card / row.
    Up,
    /// Down one card / row.
    Down,
    /// First card / row.
    Top,
    /// Last card / row.
    Bottom,
    /// One screen up.
    PageUp,
    /// One screen down.
    PageDown,
    /// Move the card to the previous stage.
    MovePrev,
    /// Move the card to the next stage.
    MoveNext,
    /// Move the card (or selection) to a stage chosen from a list.
    PickStage,
    /// Quick-create a record in the focused column (title only).
    QuickCreate,
    /// Open the full form for a new record.
    NewRecord,
    /// Open the focused record.
    Open,
    /// Switch deal pipeline.
    SwitchPipeline,
    /// Add a comment to the record's timeline.
    Comment,
    /// Calendar: previous month.
    PrevMonth,
    /// Calendar: next month.
    NextMonth,
    /// Calendar: back to today.
    Today,
    /// Calendar: month or week grid.
    ToggleWeek,
    /// Calendar: show records by a date field beside activities (SPEC V4).
    CalendarBy,
    /// Mark the selected activity done.
    CompleteActivity,
    /// Delete the selected activity.
    DeleteActivity,
    /// Plan a call, meeting, task or e-mail on the record.
    PlanActivity,
    /// Add a line item (a product or free text) to the lead or deal.
    AddLine,
    /// Edit the focused field.
    Edit,
    /// Add a phone number.
    AddPhone,
    /// Add an e-mail address.
    AddEmail,
    /// Remove the focused phone / e-mail (or a deal's other contact).
    RemoveComm,
    /// Link another contact to the open deal (SPEC E3).
    LinkContact,
    /// Save the new record.
    Save,
    /// Convert the lead into a deal, contact and/or company (the wizard).
    Convert,
    /// Merge the selected records (duplicates) into one.
    Merge,
    /// Export the list (its filter, or the selected rows) as CSV.
    Export,
    /// Export the list (its filter, or the selected rows) for a spreadsheet (Excel).
    ExportExcel,
    /// Import a CSV file into this list (the wizard).
    Import,
    /// Take an unassigned lead: you become responsible.
    Take,
    /// Triage: the oldest unprocessed lead, one at a time (SPEC V6).
    Triage,
    /// The administration screens: users, roles, departments, stages, sources, queue.
    Team,
    /// Quotes and invoices of every deal.
    Documents,
    /// Documents: quotes or invoices.
    NextKind,
    /// Documents: a list or a Kanban by status.
    ToggleBoard,
    /// Documents: open the focused one's deal.
    OpenDeal,
    /// Reports: the next period (week, month, quarter, year, last 30 days).
    NextPeriod,
    /// Reports: the next report (overview, funnel, activities).
    NextReport,
    /// Administration: the next pane.
    NextPane,
    /// Administration: the previous pane.
    PrevPane,
    /// Administration: add a user, role, department, stage or source (the pane's).
    AdminAdd,
    /// Administration: delete the role or stage.
    AdminDelete,
    /// Stages pane: a new automation rule on entering the focused stage.
    AddStageRule,
    /// Stages pane: the focused stage's rules, to turn off or on, or delete.
    StageRules,
    /// Administration: deactivate or reactivate the user.
    ToggleActive,
    /// Administration: the user's department.
    ChangeDepartment,
    /// Administration: add or remove one of the user's roles.
    ChangeRoles,
    /// Administration: the focused right to its next level.
    CycleLevel,
    /// Administration: the previous role; the stage one place up.
    ItemUp,
    /// Administration: the next role; the stage one place down.
    ItemDown,
    /// Administration: rename the stage or source.
    Rename,
    /// Administration: the stage's colour.
    Recolor,
    /// Administration: add a deal pipeline.
    AddPipeline,
    /// Administration: the stage a field is required from.
    RequiredFrom,
    /// Administration: the section a field shows in.
    MoveToSection,
    /// Administration: hide a field (or show it again).
    HideField,
    /// Administration: the order of a form's sections.
    OrderSections,
    /// Administration: rename a form's section.
    RenameSection,
    /// Administration: delete a form's section, its fields going to another.
    DeleteSection,
    /// Administration: rename the deal pipeline shown.
    RenamePipeline,
    /// Administration: delete the deal pipeline shown, its deals moved to another.
    DeletePipeline,
    /// Administration: the distribution queue's next mode.
    NextQueueMode,
    /// Administration: add or remove a user of the queue.
    QueueUsers,
    /// Administration: the CRM mode (classic, or simple: no leads).
    CrmMode,
    /// Triage: move the lead to the next stage.
    TriageQualify,
    /// Triage: junk the lead (with a reason).
    TriageJunk,
    /// Triage: leave the lead for later.
    TriageSkip,
    /// Triage: undo the last decision.
    TriageUndo,
    /// Select or unselect the row.
    ToggleSelect,
    /// Start or end range selection.
    Visual,
    /// Move the selection to a stage.
    BulkMove,
    /// Assign the selection to a user.
    BulkAssign,
    /// Delete the selection.
    BulkDelete,
    /// Sort by the next column.
    SortNext,
    /// Reverse the sort.
    SortFlip,
    /// Only my records.
    FilterMine,
    /// Only records created today.
    FilterNewToday,
    /// Only repeat leads.
    FilterRepeat,
    /// Filter by stage.
    FilterStage,
    /// Filter by text.
    FilterText,
    /// Filter by responsible user.
    FilterResponsible,
    /// Filter by source.
    FilterSource,
    /// Filter by lost reason.
    FilterReason,
    /// Filter by creation dates.
    FilterCreated,
    /// Open a saved view of the list.
    PickView,
    /// Save what the list shows as a view.
    SaveView,
    /// Filter the list by a field of the team's own.
    FilterWhere,
    /// Remove every filter.
    ClearFilters,
    /// Load demo data into an empty file.
    LoadDemo,
    /// Reload what is on screen.
    Refresh,
    /// Confirm the text field / choice.
    Submit,
    /// In a popup of choices (merge, edit conflict, import mapping): the focused choice
    /// to its next value.
    ChoiceNext,
    /// The focused choice to its previous value (import mapping).
    ChoicePrev,
    /// Import wizard: the next duplicate mode.
    ImportMode,
    /// Import wizard: the next rule of what makes a match.
    ImportMatch,
    /// Import wizard: a dry run (reports, writes nothing).
    ImportDryRun,
    /// Import wizard: read the file in the next encoding (utf-8, windows-1252, utf-16).
    ImportEncoding,
    /// Import wizard: read the file with the next separator (`,` `;` tab).
    ImportSeparator,
    /// Import wizard: read the file as the next other CRM's export (or none).
    ImportPreset,
    /// A path prompt: complete the path typed (Tab).
    CompletePath,
    /// A key typed into a text field.
    Input(InputKey),
    /// A click: focus the row (a list) or the card `row` of `column` (a board).
    FocusAt { column: usize, row: usize },
    /// The mouse wheel over a list or a board's `column`: one step down or up.
    Wheel { column: usize, down: bool },
}

impl Action {
    /// Actions offered in the command palette, with their message keys.
    pub fn palette() -> Vec<(Action, &'static str)> {
        use Action::*;
        vec![
            (Show(Tab::LeadBoard), "tui.act_show_leads"),
            (Show(Tab::LeadList), "tui.act_show_list"),
            (Show(Tab::DealBoard), "tui.act_show_deals"),
            (Show(Tab::DealList), "tui.act_show_deal_list"),
            (Show(Tab::Contacts), "tui.act_show_contacts"),
            (Show(Tab::Companies), "tui.act_show_companies"),
            (Show(Tab::Activities), "tui.act_show_activities"),
            (Show(Tab::Calendar), "tui.act_show_calendar"),
            (Today, "tui.act_today"),
            (ToggleWeek, "tui.act_week"),
            (CalendarBy, "tui.act_calendar_by"),
            (CompleteActivity, "tui.act_complete"),
            (DeleteActivity, "tui.act_delete_activity"),
            (Search, "tui.act_search"),
            (NewRecord, "tui.act_new"),
            (QuickCreate, "tui.act_quick_create"),
            (Open, "tui.act_open"),
            (MovePrev, "tui.act_move_prev"),
            (MoveNext, "tui.act_move_next"),
            (PickStage, "tui.act_pick_stage"),
            (SwitchPipeline, "tui.act_pipeline"),
            (Comment, "tui.act_comment"),
            (PlanActivity, "tui.act_plan"),
            (AddLine, "tui.act_add_line"),
            (Convert, "tui.act_convert"),
            (Merge, "tui.act_merge"),
            (Edit, "tui.act_edit"),
            (AddPhone, "tui.act_add_phone"),
            (AddEmail, "tui.act_add_email"),
            (RemoveComm, "tui.act_remove_comm"),
            (LinkContact, "tui.act_link_contact"),
            (ToggleSelect, "tui.act_select"),
            (Visual, "tui.act_visual"),
            (BulkMove, "tui.act_bulk_move"),
            (BulkAssign, "tui.act_bulk_assign"),
            (BulkDelete, "tui.act_bulk_delete"),
            (SortNext, "tui.act_sort"),
            (SortFlip, "tui.act_sort_flip"),
            (FilterMine, "tui.act_filter_mine"),
            (FilterNewToday, "tui.act_filter_today"),
            (FilterRepeat, "tui.act_filter_repeat"),
            (FilterStage, "tui.act_filter_stage"),
            (FilterText, "tui.act_filter_text"),
            (FilterResponsible, "tui.act_filter_responsible"),
            (FilterSource, "tui.act_filter_source"),
            (FilterReason, "tui.act_filter_reason"),
            (FilterCreated, "tui.act_filter_created"),
            (PickView, "tui.act_pick_view"),
            (SaveView, "tui.act_save_view"),
            (FilterWhere, "tui.act_filter_where"),
            (ClearFilters, "tui.act_filter_clear"),
            (Refresh, "tui.act_refresh"),
            (Triage, "tui.act_triage"),
            (Team, "team.act_show"),
            (LoadDemo, "tui.act_demo"),
            (Help, "tui.act_help"),
            (Quit, "tui.act_quit"),
        ]
    }
}
