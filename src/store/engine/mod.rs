//! The engine interface: what the service asks of an engine, one trait per aggregate, in
//! types that name no engine. `sqlite::Store` implements every trait; a second engine
//! implements the same traits and runs the same contract suite (tests/store).

mod automation;
mod commerce;
mod pipelines;
mod reports;
pub use automation::Automation;
pub use commerce::{Documents, LineItems, Products};
pub use pipelines::Pipelines;
pub use reports::{DealQuery, FunnelQuery, Reports};

use crate::domain::access::Sight;
use crate::domain::access::{Action, Level, Subject};
use crate::domain::activity::ActivityRow;
use crate::domain::custom_field::CustomField;
use crate::domain::fields::Entity;
use crate::domain::import_rows::{ImportReport, ImportRow};
use crate::domain::intake::Message;
use crate::domain::list_view::SavedView;
use crate::domain::queue::QueueMode;
use crate::domain::when::UnixMs;
use crate::store::activities::{
    ActivityChange, ActivityDetails, ActivityFilter, ActivitySlot, CalendarWrite, CalendarWritten, Counters,
    NewActivity,
};
use crate::store::bulk::{BulkLoaded, BulkUser, RecordMaker};
use crate::store::convert::{ConversionPlan, Converted};
use crate::store::copy::CopyValue;
use crate::store::duplicates::{DuplicateGroup, DuplicateMatch};
use crate::store::import::ImportOptions;
use crate::store::intake::IntakeOutcome;
use crate::store::maintenance::{CheckReport, Vacuumed};
use crate::store::merge::{MergeChoices, MergePreview, Merged};
use crate::store::queue::QueueConfig;
use crate::store::records::{
    ChangedRecords, ListFilter, ListTotals, Moved, Record, RecordInput, RecordRef, RecordSummary, Saved,
};
use crate::store::refs::{PipelineRow, SourceRow, StageRow};
use crate::store::search::Hit;
use crate::store::stages::{NewStage, StageCount};
use crate::store::timeline::TimelineEntry;
use crate::store::totals::ColumnHead;
use crate::store::triage::TriageItem;
use crate::store::users::{DepartmentRow, NewUser, RightsFacts, RoleRow, UserChange, UserRow};
use crate::store::{CurrentUser, OpenOptions, Result, mount};
use std::path::Path;

/// Every aggregate of one engine: what the service holds. An engine says it is one with an
/// empty `impl Engine for … {}` once it implements every trait.
pub trait Engine:
    Backend
    + Records
    + Changes
    + Board
    + Activities
    + Conversion
    + Duplicates
    + Merging
    + Intake
    + Maintenance
    + Queue
    + Settings
    + Roles
    + CustomFields
    + ListViews
    + Products
    + LineItems
    + Documents
    + Reports
    + Pipelines
    + Automation
    + Timeline
    + Triage
    + Users
    + Search
    + BulkSink
    + TableCopy
    + Send
{
}

/// Leads, contacts, companies and deals: create, edit, move, delete, read and list.
pub trait Records {
    /// Records per activities-board column (SPEC V3): by nearest open activity, against the
    /// bucket bounds `[now, tomorrow, next week, week after]`, in-progress stages only.
    fn activity_board_counts(&self, entity: Entity, bounds: [UnixMs; 4], sight: &Sight) -> Result<[i64; 6]>;

    /// Creates a record; a new lead is checked for repeat-lead matches (SPEC L5).
    fn create(&mut self, entity: Entity, input: &RecordInput) -> Result<Saved>;

    /// Updates fields and communications. With `expected_version`, a record changed since
    /// that version is refused with `StoreError::Conflict` and nothing is written.
    fn update(&mut self, record: RecordRef, expected_version: Option<i64>, input: &RecordInput) -> Result<Saved>;

    /// Moves a lead or deal to a stage of its pipeline (SPEC L4), with an optional reason for
    /// failure stages; a final stage completes the record's open activities.
    fn move_stage(
        &mut self,
        record: RecordRef,
        stage: &str,
        reason: Option<&str>,
        expected_version: Option<i64>,
    ) -> Result<Moved>;

    /// Moves a record the user saw in stage `seen_stage` (SPEC S1): another user's edit of
    /// other fields does not stop it, another user's move does (`StoreError::MovedMeanwhile`,
    /// nothing written). Check and move are one transaction.
    fn move_seen(&mut self, record: RecordRef, seen_stage: i64, stage: &str, reason: Option<&str>) -> Result<Moved>;

    /// Deletes a record, its communications and its own activities; its timeline stays.
    fn delete(&mut self, record: RecordRef, expected_version: Option<i64>) -> Result<()>;

    /// Reads one record, if the current user may see it.
    fn get(&self, record: RecordRef, sight: &Sight) -> Result<Record>;

    /// Which of these ids of `entity` the sight reaches: what a reader may be told of
    /// records named elsewhere (an activity's records, a record's links).
    fn seen_among(&self, entity: Entity, ids: &[i64], sight: &Sight) -> Result<Vec<i64>>;

    /// Lists records newest first, filtered and limited to what the current user may see.
    fn list(&self, entity: Entity, filter: &ListFilter, sight: &Sight) -> Result<Vec<RecordSummary>>;

    /// How many records a list filter matches (ignoring its limit and pages).
    fn list_count(&self, entity: Entity, filter: &ListFilter, sight: &Sight) -> Result<i64>;

    /// How many records a list filter matches and the sum of their amounts per currency
    /// (a company's revenue; none for contacts): the list's header (SPEC V2).
    fn list_totals(&self, entity: Entity, filter: &ListFilter, sight: &Sight) -> Result<ListTotals>;

    /// How many records a list filter and `within` (a condition on the field counted, a
    /// range of days for the calendar by a date field, SPEC V4) match per value of that
    /// field, as (the value's key, count) in key order; records without one are left out.
    fn count_by_value(
        &self,
        entity: Entity,
        filter: &ListFilter,
        within: &crate::domain::field_filter::FieldCondition,
        sight: &Sight,
    ) -> Result<Vec<(String, i64)>>;

    /// Whether the file holds no lead, contact, company or deal at all (the TUI then welcomes a
    /// new user). One row looked up per table: counting them took 1-2 ms at 100k leads, paid at
    /// every board reload.
    fn holds_no_records(&self) -> Result<bool>;

    /// Counts records of `entity` the current user may see.
    fn count(&self, entity: Entity, sight: &Sight) -> Result<i64>;
}

/// The change feed: what other users changed since a screen last looked.
pub trait Changes {
    /// `PRAGMA data_version`: changes when another connection commits to the file.
    fn data_version(&self) -> Result<i64>;

    /// How often a screen asks `data_version`: about once a second on a file (each ask
    /// takes the file's lock, a round trip on a share); a server's notices are read from
    /// the connection without a query, so they can be looked at four times a second.
    fn poll_interval(&self) -> std::time::Duration {
        std::time::Duration::from_millis(900)
    }

    /// The newest entry of the change log (0 when empty): where `changes_since` starts.
    fn last_change(&self) -> Result<i64>;

    /// Records written after change `after`, and the newest change id, so a screen reloads
    /// only when what it shows was touched. `None` when the log cannot say (it was trimmed
    /// past `after`, or holds more than `limit` entries since): then everything may have changed.
    fn changes_since(&self, after: i64, limit: usize) -> Result<(i64, Option<ChangedRecords>)>;
}

/// The Kanban's column heads: counts and sums per stage.
pub trait Board {
    /// Column heads of a Kanban board: every stage of the pipeline with count and sums, by
    /// SQL aggregate (no card is loaded).
    fn board(&self, entity: Entity, pipeline: Option<&str>, sight: &Sight) -> Result<(PipelineRow, Vec<ColumnHead>)>;
}

/// Calls, meetings and tasks bound to records: plan, list, complete, move, delete, count.
pub trait Activities {
    /// Plans an activity on records (SPEC A1). An empty subject becomes "<Kind> <record>".
    fn plan_activity(&mut self, a: NewActivity, more: &ActivityDetails) -> Result<i64>;

    /// One activity.
    fn activity(&self, id: i64) -> Result<ActivityRow>;

    /// The signed-in user's open activities whose reminder is due now (its offset before the
    /// deadline reached, the deadline not yet), marked as reminded in the same write: each
    /// fires once, whichever screen or script takes it first (migration 26 / 16).
    fn take_due_reminders(&mut self) -> Result<Vec<i64>>;

    /// Activities by deadline, soonest first.
    fn activities(&self, f: &ActivityFilter) -> Result<Vec<ActivityRow>>;

    /// Marks an activity done, with an entry on each bound record's timeline.
    fn complete_activity(&mut self, id: i64) -> Result<()>;

    /// Reschedules or edits an activity, with an entry on each bound record's timeline.
    fn update_activity(&mut self, id: i64, change: &ActivityChange) -> Result<()>;

    /// Deletes an activity; the timelines of its records keep a note of it.
    fn delete_activity(&mut self, id: i64) -> Result<()>;

    /// Overdue / today / incoming counts of a user's open activities.
    fn counters(&self, user_id: i64, now: UnixMs, tomorrow: UnixMs) -> Result<Counters>;

    /// A user's activities per day (done ones included) for the calendar: one indexed range
    /// count per day between the given local day starts.
    fn activity_day_counts(
        &self,
        responsible_id: i64,
        days: &[(chrono::NaiveDate, UnixMs, UnixMs)],
    ) -> Result<Vec<(chrono::NaiveDate, i64)>>;

    /// For each `[from, to)` of `slots` (the week grid's hours), the user's activities in it:
    /// how many, whether one is overdue at `now`, and the only one's time and subject when
    /// there is one. Counted here rather than from a list: a week of the dense 100k demo
    /// holds 4,900 activities of one user, and the grid read at most 1,000 of them.
    fn activity_slots(&self, responsible_id: i64, slots: &[(UnixMs, UnixMs)], now: UnixMs)
    -> Result<Vec<ActivitySlot>>;

    /// A user id by login or name.
    fn user_id_of(&self, text: &str) -> Result<i64>;

    /// Writes a calendar's entries in one transaction, in order: each creates an activity
    /// keeping its UID, or updates the activity that holds that UID (or, failing that, the
    /// one `own_id` names): kind, subject, description, location, times, priority, reminder
    /// (when given; done
    /// stays done), its bindings added to the activity's, a timeline entry on each bound
    /// record. An entry that would make a new activity bound to no record is left out
    /// (`CalendarWritten::NoRecord`). `dry_run`: everything checked and nothing kept. All or
    /// nothing.
    fn import_calendar(&mut self, entries: &[CalendarWrite], dry_run: bool) -> Result<Vec<CalendarWritten>>;
}

/// A lead converted into a deal, a contact and a company (SPEC L6), all or nothing.
pub trait Conversion {
    /// Converts a lead (SPEC L6): all or nothing.
    fn convert_lead(&mut self, lead_id: i64, plan: &ConversionPlan) -> Result<Converted>;
}

/// Records that match by name, e-mail or phone (SPEC D1).
pub trait Duplicates {
    /// Records of the same kind that `input` would duplicate, for the "possible duplicate"
    /// warning before saving a new record (`id = None`) or an edit.
    fn duplicates_of_input(
        &self,
        entity: Entity,
        id: Option<i64>,
        input: &RecordInput,
        sight: &Sight,
    ) -> Result<Vec<DuplicateMatch>>;

    /// Records of `target` matching the stored `record` (the conversion wizard's
    /// existing contacts and companies for a lead).
    fn duplicates_of_record(&self, record: RecordRef, target: Entity, sight: &Sight) -> Result<Vec<DuplicateMatch>>;

    /// Groups of records of one kind sharing a name, company, phone or e-mail, lowest ids
    /// first, at most `limit` groups (`dedup scan`).
    fn duplicate_groups(&self, entity: Entity, limit: usize, sight: &Sight) -> Result<Vec<DuplicateGroup>>;
}

/// Duplicates merged into one record, with their links and histories.
pub trait Merging {
    /// What merging `others` into `keep` would fill and which differing fields need a choice.
    fn merge_preview(&self, entity: Entity, keep: i64, others: &[i64]) -> Result<MergePreview>;

    /// Merges `others` into `keep` (SPEC D2). Differing fields take the user's choice; a differing field with neither is refused and nothing is written.
    fn merge(
        &mut self,
        entity: Entity,
        keep: i64,
        others: &[i64],
        choices: &MergeChoices,
        expected_version: Option<i64>,
    ) -> Result<Merged>;
}

/// Incoming e-mail made into leads, or added to the lead it answers.
pub trait Intake {
    /// Takes one message in. `always_new` makes a lead even when the sender already has one.
    fn intake_email(&mut self, msg: &Message, always_new: bool) -> Result<IntakeOutcome>;
}

/// The file's health: check, repair, compact, back up.
pub trait Maintenance {
    /// Pages of the file that hold nothing (left by deletions and upgrades), in bytes: what
    /// `vacuum` would give back.
    fn free_bytes(&self) -> Result<u64>;

    /// Rewrites the file without its free pages (`VACUUM`): an upgrade that rebuilt the
    /// search index, or many deletions, leave pages that only a rewrite gives back. The
    /// service asks for an administrator when someone is signed in (`db` commands sign no
    /// one in, like `db backup`). Others wait while it runs (it locks the whole file); it waits for them like
    /// a write.
    fn vacuum(&mut self) -> Result<Vacuumed>;

    /// Remakes what the file keeps aside from its records and can always count again: the
    /// Kanban's column totals and the search index (`db check --repair`, administrators).
    fn repair(&mut self) -> Result<()>;

    /// Checks the file: SQLite integrity, foreign keys, and Prospect's invariants.
    fn check(&self) -> Result<CheckReport>;

    /// Writes a consistent copy of the file to `dest` while others may be writing. Refuses to
    /// overwrite an existing file or to follow a symbolic link (dangling or not). The copy is
    /// made under a temporary name next to `dest` and put in place when complete, so a
    /// failure (a full disk) leaves nothing behind; it gets the data file's permission bits.
    fn backup_to(&self, dest: &Path) -> Result<()>;
}

/// The distribution queue that hands out incoming leads.
pub trait Queue {
    /// The queue's configuration.
    fn queue(&self) -> Result<QueueConfig>;

    /// Configures the queue (administrators): its mode and users in order, each of whom must
    /// be in the file.
    fn set_queue(&mut self, mode: QueueMode, users: &[String]) -> Result<QueueConfig>;

    /// Takes an unassigned lead ("to all" queue): the current user becomes responsible,
    /// unless someone took it first. The change goes through the normal update (version,
    /// timeline, change log).
    fn take_lead(&mut self, id: i64) -> Result<()>;
}

/// Settings kept in the file, and the file's own id.
pub trait Settings {
    /// A setting's value.
    fn setting(&self, key: &str) -> Result<Option<String>>;

    /// Sets a setting.
    fn set_setting(&mut self, key: &str, value: &str) -> Result<()>;

    /// The file's own random id (migration 13): the same in every copy of the file, unlike
    /// in any other file, so what is exported from it (iCalendar UIDs) never collides with
    /// another office's export.
    fn file_id(&self) -> Result<String>;
}

/// Each record's history and comments.
pub trait Timeline {
    /// Timeline of a record, newest first.
    fn timeline(&self, record: RecordRef, limit: usize) -> Result<Vec<TimelineEntry>>;

    /// Adds a comment to a record's timeline. Comments do not change the record's version, so
    /// they never conflict with someone editing its fields.
    fn comment(&mut self, record: RecordRef, text: &str) -> Result<()>;
}

/// The next unprocessed lead (SPEC V6).
pub trait Triage {
    /// The next lead to triage (`first` when it is given and still exists: an undone
    /// decision shows its lead again), or `None` when the inbox is clear.
    fn triage_next(&self, exclude: &[i64], first: Option<i64>, sight: &Sight) -> Result<Option<TriageItem>>;
}

/// Users, sign-in and who may administer.
pub trait Users {
    /// Signs `login` in. On a file with no users yet it becomes the administrator; otherwise
    /// it must already exist. The check and the first insert share one write transaction, so
    /// two clients opening a new file at once cannot both become its first user.
    fn sign_in(&mut self, login: &str) -> Result<CurrentUser>;

    /// Marks a user active or not (the service asks for an administrator): an inactive user keeps their records
    /// and is skipped by distribution queues.
    fn set_user_active(&mut self, login: &str, active: bool) -> Result<()>;

    /// Adds a user (the service asks for an administrator).
    fn add_user(&mut self, user: &NewUser) -> Result<i64>;

    /// Every user, by login.
    fn users(&self) -> Result<Vec<UserRow>>;

    /// Changes a user's roles, department or name (the service asks for an administrator).
    /// Holding the Administrator role is being an administrator; taking it from the last
    /// active one is refused (`Rule::LastAdmin`).
    fn edit_user(&mut self, login: &str, change: &UserChange) -> Result<()>;
}

/// Roles, their levels and departments (SPEC R1): the facts `domain::access::Rights` is made
/// from. The service decides who may change them.
pub trait Roles {
    /// What the rights of user `user_id` are made of, read on one state of the data.
    fn rights_facts(&self, user_id: i64) -> Result<RightsFacts>;

    /// Every role, presets first, with its levels and users.
    fn roles(&self) -> Result<Vec<RoleRow>>;

    /// Adds a role with the levels of `like` (a role's name), or none at all.
    fn add_role(&mut self, name: &str, like: Option<&str>) -> Result<RoleRow>;

    /// Deletes a role nobody holds (a preset too).
    fn delete_role(&mut self, name: &str) -> Result<()>;

    /// Sets one level of a role.
    fn set_level(&mut self, role: &str, subject: Subject, action: Action, level: Level) -> Result<RoleRow>;

    /// Every department with its parent and users, by name.
    fn departments(&self) -> Result<Vec<DepartmentRow>>;

    /// Adds a department under `parent` (a department's name).
    fn add_department(&mut self, name: &str, parent: Option<&str>) -> Result<DepartmentRow>;
}

/// Fields of the team's own (SPEC F1): their definitions. Their values are written with the
/// record (`RecordInput::fields`, by code) and read with it (`Record::custom`).
pub trait CustomFields {
    /// The custom fields of `entity` (every entity: `None`), by entity then position.
    fn custom_fields(&self, entity: Option<Entity>) -> Result<Vec<CustomField>>;

    /// Adds a field (its `id` and, when 0, its `position` are the engine's); a code already
    /// taken on the entity is refused.
    fn add_custom_field(&mut self, field: &CustomField) -> Result<CustomField>;

    /// Replaces what a field is made of (found by entity and code; the code and type stay).
    fn edit_custom_field(&mut self, field: &CustomField) -> Result<CustomField>;

    /// Deletes a field; one records hold values of is refused unless `force`. How many
    /// values went with it.
    fn delete_custom_field(&mut self, entity: Entity, code: &str, force: bool) -> Result<i64>;
}

/// Saved list views (SPEC V2). The service decides who may replace or delete one.
pub trait ListViews {
    /// The views of `entity` (every entity: `None`) user `reader` sees: the shared ones, the
    /// file's own and the reader's; by entity, then name.
    fn list_views(&self, entity: Option<Entity>, reader: i64) -> Result<Vec<SavedView>>;

    /// Saves a view, replacing the one of the same entity, owner and name (without case).
    fn save_list_view(&mut self, view: &SavedView, owner: Option<i64>) -> Result<SavedView>;

    /// Deletes a view by id.
    fn delete_list_view(&mut self, id: i64) -> Result<()>;
}

/// Full-text search over every record.
pub trait Search {
    /// Searches every record type, best matches first, only among records the user may see.
    fn search(&self, text: &str, limit: usize, sight: &Sight) -> Result<Vec<Hit>>;
}

/// The open file or database itself, and who works on it.
pub trait Backend {
    /// The file this store works on.
    fn path(&self) -> &Path;

    /// The file system the file lives on, with the mount settings that put it at risk.
    fn file_system(&self) -> &mount::FileSystem;

    /// Whether the file can only be read (permissions, read-only mount).
    fn read_only(&self) -> bool;

    /// Options the store was opened with.
    fn options(&self) -> &OpenOptions;

    /// Current instant.
    fn now(&self) -> UnixMs;

    /// The signed-in user, once `sign_in` has run.
    fn user(&self) -> Option<&CurrentUser>;

    /// Called with `true` when a write starts waiting for a busy file or server and `false`
    /// when it stops waiting, so a front end can show "waiting for <file>".
    fn on_busy(&mut self, hook: Box<dyn FnMut(bool) + Send>);

    /// Runs `f`'s reads on one state of the data (one read transaction).
    fn reading(&self, f: &mut dyn FnMut() -> Result<()>) -> Result<()>;

    /// The full records of `ids`, read together (one state of the data), in the order given.
    fn records(&self, entity: Entity, ids: &[i64], sight: &Sight) -> Result<Vec<Record>>;
}

/// Rows a bulk load reads: the rows from `start` on, made again for each attempt.
pub type RowSource<'a> = dyn Fn(usize) -> Box<dyn Iterator<Item = ImportRow> + Send + 'a> + Sync + 'a;

/// Bulk loads: imports (and the demo) write many rows in few transactions, with the
/// engine's own tricks (indexes set aside, search built aside) kept inside the engine.
pub trait BulkSink {
    /// Imports `rows` into `entity` (SPEC import), telling `progress` how many rows are done.
    fn import(
        &mut self,
        entity: Entity,
        rows: &RowSource<'_>,
        opts: ImportOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportReport>;

    /// Writes `users` (those the file lacks) and the records `make` makes, as one bulk load:
    /// the same sequence as a bulk import (indexes set aside, search entries kept aside and
    /// written at the end, references checked once). `make` runs on a thread of its own.
    fn load_records(&mut self, users: &[BulkUser], make: &RecordMaker<'_>) -> Result<BulkLoaded>;
}

/// Whole tables under their own names, in engine-neutral values: what moves a database from
/// one engine to the other (`store::copy`, `db migrate-to`, a server's backup to a file).
/// Nothing else uses it: the aggregates above keep the rules.
pub trait TableCopy: Backend {
    /// The columns of `table` as this engine keeps it, in order.
    fn table_columns(&self, table: &str) -> Result<Vec<String>>;

    /// Hands every row of `table` (the cells of `columns`, in that order) to `row`, in the
    /// order of the table's key. Inside `reading`, every table is read on one state.
    fn read_table(
        &self,
        table: &str,
        columns: &[String],
        row: &mut dyn FnMut(&[CopyValue]) -> Result<()>,
    ) -> Result<()>;

    /// The highest id each table has handed out, a deleted newest row's included: a copy
    /// sets its own ids past these, so that no id is ever given twice.
    fn id_marks(&self) -> Result<Vec<(String, i64)>>;

    /// Whether any table of `tables` holds a row.
    fn holds_rows(&self, tables: &[&str]) -> Result<bool>;

    /// In one transaction: empties `tables` (the rows a new database was seeded with), lets
    /// `fill` write every table through the sink, sets the ids given next past both the rows
    /// and the marks `fill` returns, and makes the search index from the records. All or
    /// nothing; `fill` runs again from the start when the transaction is retried.
    fn replace_tables(&mut self, tables: &[&str], fill: &mut TableFill<'_>) -> Result<()>;
}

/// What fills a `TableCopy::replace_tables`: writes every table through the sink and
/// returns the source's id marks (`TableCopy::id_marks`).
pub type TableFill<'a> = dyn FnMut(&mut dyn TableSink) -> Result<Vec<(String, i64)>> + 'a;

/// Where `TableCopy::replace_tables` takes rows: one table after the other.
pub trait TableSink {
    /// Begins `table` (emptied first: rows its triggers made from the tables before it go,
    /// such as the Kanban's totals) and says its columns, which the rows then give in order.
    fn start(&mut self, table: &str) -> Result<Vec<String>>;

    /// One row of the table begun last.
    fn row(&mut self, row: &[CopyValue]) -> Result<()>;
}
