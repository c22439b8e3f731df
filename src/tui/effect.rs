//! What `update` asks of the store worker, and what the worker answers. Plain data, so
//! `update` can be tested without a terminal or a thread.

use crate::domain::fields::Entity;
use crate::store::records::Record;
use crate::store::refs::PipelineRow;
use crate::store::search::Hit;
use crate::store::timeline::TimelineEntry;
use crate::store::totals::ColumnHead;
use crate::store::{ListFilter, RecordInput, RecordRef, RecordSummary};

/// The stage a record was in when the user asked to move it (`Store::move_seen`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seen {
    /// Stage id.
    pub stage: i64,
}

/// Where a page of cards starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// Newest cards.
    Top,
    /// Oldest cards (the end of the column).
    Bottom,
    /// Cards older than this id (the next page down).
    Before(i64),
    /// Cards newer than this id (the page above), returned newest first.
    After(i64),
    /// Starting at this card, with its position in the column.
    At(i64),
}

/// I/O requested by `update`.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Column heads of a board (pipeline by id; `None` = the first).
    LoadBoard { entity: Entity, pipeline: Option<i64> },
    /// One page of a column.
    /// A page of a column's cards; `rots`: its stage has a rotting limit (cards are then
    /// checked for it).
    LoadCards { entity: Entity, pipeline: Option<i64>, stage_id: i64, stage_code: String, anchor: Anchor, rots: bool },
    /// A page of a list.
    LoadList { entity: Entity, filter: Box<ListFilter>, view: Box<crate::domain::list_view::ViewSpec>, append: bool },
    /// What a list's filter matches in all (its header), once its first page is shown.
    LoadListTotals { entity: Entity, filter: Box<ListFilter> },
    /// The saved views of a list, to pick one.
    LoadViews { entity: Entity },
    /// Save a view of a list.
    SaveView { entity: Entity, name: String, shared: bool, spec: Box<crate::domain::list_view::ViewSpec> },
    /// A record, its timeline and its pipeline's stages.
    LoadRecord { entity: Entity, id: i64 },
    /// The products offered for a new line (SPEC E4).
    LoadProducts,
    /// The reports screen's figures for a period around now.
    LoadReports { period: crate::domain::report::period::PeriodSpec },
    /// What became of the period's leads (the overview's line, read after the rest).
    LoadReportConversion { period: crate::domain::report::period::PeriodSpec },
    /// The open deals by close month (the overview's right side, read after the rest).
    LoadReportForecast { period: crate::domain::report::period::PeriodSpec },
    /// The funnel of the period's leads (then of the deals made from them).
    LoadReportFunnel { period: crate::domain::report::period::PeriodSpec },
    /// The activity report of the period.
    LoadReportActivity { period: crate::domain::report::period::PeriodSpec },
    /// Quotes, or invoices with their credit notes, of every deal the user may see.
    LoadDocuments { kind: crate::domain::document::DocKind },
    /// Add a line to a record (`place` none) or change the line at `place`.
    SaveLine { record: crate::store::RecordRef, place: Option<i64>, input: Box<crate::domain::product::LineInput> },
    /// Delete the line at `place` of a record.
    DeleteLine { record: crate::store::RecordRef, place: i64 },
    /// Make a document of a deal's lines.
    NewDocument { deal: i64, kind: crate::domain::document::DocKind },
    /// Do something with a document (write its PDF to `path`).
    DocumentAction {
        id: i64,
        kind: crate::domain::document::DocKind,
        action: crate::tui::screens::form::documents::DocAction,
        path: Option<std::path::PathBuf>,
    },
    /// Users (for assign) and deal pipelines.
    LoadReference,
    /// Move a record to a stage.
    /// `version`: refuse if the record changed since; `None` for bulk moves of list rows.
    Move { entity: Entity, id: i64, seen: Option<Seen>, stage_code: String, reason: Option<String> },
    /// Fill fields (code, text), then move: what the stage requires (SPEC F2).
    MoveFilling {
        entity: Entity,
        id: i64,
        stage_code: String,
        reason: Option<String>,
        fill: Vec<(String, String)>,
        seen: Option<i64>,
    },
    /// Write a CSV export of the records `filter` lets through (or of `ids`) to `path`.
    Export { entity: Entity, filter: Box<ListFilter>, ids: Option<Vec<i64>>, path: std::path::PathBuf, excel: bool },
    /// Take an unassigned lead.
    Take { id: i64 },
    /// Hand an address (`tel:`, `mailto:`, `https:`) to the system's handler.
    OpenUri { uri: String },
    /// The files and folders a path typed so far may go on with (Tab in a path prompt).
    CompletePath { typed: String },
    /// Keep the recent files list at `to` (best effort: a list that cannot be written is
    /// just not remembered).
    SaveRecent { to: std::path::PathBuf, files: Vec<std::path::PathBuf> },
    /// Read a CSV file for the import wizard (again, when its encoding or separator changed).
    PreviewImport { entity: Entity, path: std::path::PathBuf, read_as: ReadAs },
    /// The values of the reference columns of `targets` that name nothing in the data file
    /// (answered by `ImportValues`): the wizard's values step, before the import.
    ImportValues {
        entity: Entity,
        path: std::path::PathBuf,
        read_as: ReadAs,
        targets: Vec<crate::domain::import::Target>,
        /// The other CRM the file is read as (its values known), if any.
        preset: Option<crate::domain::import::Preset>,
    },
    /// Import it with these column targets, and these answers for unknown values.
    RunImport {
        entity: Entity,
        path: std::path::PathBuf,
        targets: Vec<crate::domain::import::Target>,
        duplicates: crate::domain::import::DuplicateMode,
        match_on: crate::domain::import::MatchOn,
        dry_run: bool,
        /// Read as the preview was.
        read_as: ReadAs,
        /// The values step's answers (`ValueRule::to`: a code, `""` empty, `+` create).
        rules: Vec<crate::domain::import::values::ValueRule>,
        /// The other CRM the file is read as, if any.
        preset: Option<crate::domain::import::Preset>,
    },
    /// Import a vCard (contacts) or iCalendar (activities) file.
    ImportCards { path: std::path::PathBuf, format: CardFormat, dry_run: bool },
    /// The next lead to triage (`first`: this one, after an undo).
    LoadTriage { exclude: Vec<i64>, first: Option<i64> },
    /// Take a triage decision back: the move, the assignment or the planned call (its newest
    /// open activity deleted). Answers nothing on success: the screen says what was undone.
    UndoTriage { step: crate::tui::screens::triage::TriageStep },
    /// Create a record, then open it or show it on the board.
    Create { entity: Entity, input: RecordInput, open: bool },
    /// Change a record.
    /// `base` is every field as the user saw it (`Record::input_texts`); when someone else
    /// saved meanwhile, it lets the worker show both versions field by field.
    Update {
        entity: Entity,
        id: i64,
        version: i64,
        input: RecordInput,
        field: Option<String>,
        base: Vec<(String, String)>,
    },
    /// Add a comment.
    Comment { entity: Entity, id: i64, text: String },
    /// Plan an activity.
    PlanActivity {
        targets: Vec<RecordRef>,
        kind: crate::domain::activity::ActivityKind,
        subject: String,
        deadline: i64,
        duration_minutes: Option<i64>,
        priority: crate::domain::activity::Priority,
        responsible: Option<String>,
        reminder_minutes: Option<i64>,
        /// A call's or e-mail's direction (`in`, `out`).
        direction: Option<String>,
        /// Where a meeting takes place.
        location: Option<String>,
        /// A longer text.
        description: Option<String>,
    },
    /// Bulk actions on list rows.
    BulkMove {
        entity: Entity,
        ids: Vec<i64>,
        stage_code: String,
        reason: Option<String>,
        /// Values (code, text) for the fields the stage requires that a record lacks.
        fill: Vec<(String, String)>,
    },
    /// Assign rows to a user.
    BulkAssign { entity: Entity, ids: Vec<i64>, login: String },
    /// Delete rows.
    BulkDelete { entity: Entity, ids: Vec<i64> },
    /// Search as you type; `generation` discards stale answers.
    Search { text: String, generation: u64 },
    /// Generate demo data.
    LoadDemo { leads: usize },
    /// The current user's activity counters.
    LoadCounters,
    /// Activities board counts (bounds: now, tomorrow, next week, week after), of the leads
    /// (deals in CRM simple mode) of `responsible` (a login) or, without one, of everyone's.
    LoadAgenda { entity: Entity, bounds: [i64; 4], responsible: Option<String> },
    /// A page of an activities-board column: `limit` rows from `offset`.
    LoadAgendaPage {
        entity: Entity,
        bucket: crate::domain::agenda::ActivityBucket,
        range: crate::store::records::NextActivity,
        responsible: Option<String>,
        offset: usize,
        limit: usize,
    },
    /// Calendar: per-day counts (day, start, end), the activities of `[list_from, list_to)`
    /// (at most `limit`), and what each cell `[start, end)` of the week grid holds (`hours`,
    /// empty for the month grid).
    LoadCalendar {
        days: Vec<(chrono::NaiveDate, i64, i64)>,
        list_from: i64,
        list_to: i64,
        limit: usize,
        hours: Vec<(i64, i64)>,
        /// Records by this date field too: counted per day shown, and the selected day's.
        by: Option<crate::domain::dated::DateField>,
        /// The selected day.
        day: chrono::NaiveDate,
    },
    /// The date fields the calendar can show records by (the `f` choice).
    LoadDateFields,
    /// The next page of the selected day's activities, after (deadline, id) `after`.
    LoadCalendarPage { list_from: i64, list_to: i64, after: (i64, i64), limit: usize },
    /// Mark an activity done.
    CompleteActivity { id: i64 },
    /// Mark a record's nearest open activity done.
    CompleteNext { entity: Entity, id: i64 },
    /// Reschedule or edit an activity.
    UpdateActivity {
        id: i64,
        deadline: i64,
        subject: String,
        priority: crate::domain::activity::Priority,
        duration_minutes: Option<i64>,
        responsible: Option<String>,
    },
    /// Delete an activity.
    DeleteActivity { id: i64 },
    /// Read a lead and its matching contacts/companies, then open the conversion wizard.
    LoadConversion { lead_id: i64 },
    /// The fields of the team's own a conversion as planned would lack (the wizard asks
    /// for them in its fields step).
    LoadConversionNeeds { lead_id: i64, plan: Box<crate::store::convert::ConversionPlan> },
    /// Convert a lead.
    Convert { lead_id: i64, plan: crate::store::convert::ConversionPlan },
    /// Look for duplicates of a new record (`id: None`) or an edit; if there are none run
    /// `then` at once, else ask first.
    CheckDuplicates { entity: Entity, id: Option<i64>, input: RecordInput, then: Box<Effect> },
    /// What merging would fill and which fields differ.
    LoadMergePreview { entity: Entity, keep: i64, others: Vec<i64> },
    /// Merge duplicates.
    Merge { entity: Entity, keep: i64, others: Vec<i64>, choices: crate::store::merge::MergeChoices },
    /// What the administration screens show (answered by `Team`): users, roles,
    /// departments, pipelines, the stages of `deal_pipeline` (none: the leads'), sources and
    /// the queue.
    LoadTeam { deal_pipeline: Option<String> },
    /// An administrator's change (answered by `AdminDone`, or `Failed` with the refusal).
    Admin(crate::tui::screens::team::AdminOp),
}

/// What a record's form shows besides the record: a lead's or deal's line items, a deal's
/// documents (newest first).
#[derive(Clone, Debug, Default)]
pub struct Attached {
    /// Line items (leads and deals).
    pub lines: Option<crate::store::lines::RecordLines>,
    /// Quotes, invoices and credit notes (deals).
    pub documents: Vec<crate::domain::document::Document>,
}

/// What the worker answers.
#[derive(Clone, Debug)]
pub enum StoreEvent {
    /// Board heads.
    Board { entity: Entity, pipeline: PipelineRow, heads: Vec<ColumnHead>, empty_file: bool },
    /// A page of cards; `position` is the column index of the first row; `stale`, those of
    /// them left alone past their stage's rotting limit (marked on their cards).
    Cards {
        entity: Entity,
        stage_id: i64,
        anchor: Anchor,
        rows: Vec<RecordSummary>,
        position: Option<usize>,
        stale: Vec<i64>,
    },
    /// A page of a list.
    List {
        entity: Entity,
        rows: Vec<RecordSummary>,
        append: bool,
        /// Fields of the team's own shown as columns.
        columns: Vec<crate::domain::custom_field::CustomField>,
        /// Every field of the team's own of the entity.
        fields: Vec<crate::domain::custom_field::CustomField>,
        /// The filter the page was read with, fields' conditions made (for the totals).
        filter: Box<ListFilter>,
    },
    /// What a list's filter matches in all.
    ListTotals { entity: Entity, totals: crate::store::records::ListTotals },
    /// The saved views of a list.
    Views { entity: Entity, views: Vec<crate::domain::list_view::SavedView> },
    /// A view saved: the list shows it.
    ViewSaved { entity: Entity, view: Box<crate::domain::list_view::SavedView> },
    /// A record with its timeline, stages and open activities (soonest first).
    Record {
        record: Box<Record>,
        timeline: Vec<TimelineEntry>,
        stages: Vec<crate::store::refs::StageRow>,
        activities: Vec<crate::store::activities::ActivityRow>,
        /// How the form is laid out.
        layout: Box<crate::domain::layout::Layout>,
        /// Its line items and documents.
        attached: Box<Attached>,
    },
    /// The products offered for a new line.
    Products(Vec<crate::domain::product::Product>),
    /// Users (login, name), deal pipelines, sources, and whether the signed-in user
    /// administers the file.
    Reference {
        users: Vec<(String, String)>,
        pipelines: Vec<PipelineRow>,
        sources: Vec<(String, String)>,
        /// The lost reasons a failure stage offers.
        lost_reasons: Vec<crate::domain::report::reasons::LostReason>,
        admin: bool,
        /// Classic, or simple (no lead screens).
        crm_mode: crate::domain::crm_mode::CrmMode,
    },
    /// A write succeeded; `message` says what happened.
    Saved { entity: Entity, id: i64, message: String, open: bool, moved_to: Option<i64> },
    /// A card was moved: it is now in stage `stage_id` (sent before `Saved`).
    Moved { entity: Entity, id: i64, stage_id: i64 },
    /// A move refused for empty fields its stage requires: they are asked for.
    FieldsNeeded(Box<crate::tui::overlays::fill::FillForMove>),
    /// A write failed; `field` names the field at fault, if any.
    Failed { message: String, field: Option<String>, conflict: bool },
    /// A CSV file read for the import wizard.
    ImportPreview(Box<ImportPreview>),
    /// The unknown values of a file's reference columns, and every value each of their
    /// fields may take (empty: the import runs at once).
    ImportValues {
        unknown: Vec<crate::domain::import::values::UnknownValue>,
        choices: Vec<crate::domain::import::values::FieldChoices>,
    },
    /// A vCard or iCalendar file read for the import wizard: what it holds.
    CardsPreview { format: CardFormat, count: usize },
    /// The import ran: its summary, and a line per row not created as it was.
    ImportDone { summary: String, rows: Vec<ReportRow> },
    /// What `typed` may go on with: whole paths as typed (`~/` kept), folders ending with `/`.
    PathCandidates { typed: String, candidates: Vec<String> },
    /// A file was imported or exported: it goes first in the recent files.
    FileUsed(std::path::PathBuf),
    /// The lead to triage, or none left.
    Triage(Option<Box<crate::store::triage::TriageItem>>),
    /// A save met another user's newer version: both, field by field, for the user to choose.
    Conflict(Box<EditConflict>),
    /// Search results.
    SearchResults { generation: u64, hits: Vec<Hit> },
    /// Someone else changed the file: these records (from the change log), or anything
    /// (`None`: settings, stages, or more than the log can say). The screen reloads if it
    /// shows one of them.
    Changed(Option<Vec<RecordRef>>),
    /// The user's reminders due now, given to this screen alone (each fires once).
    Reminders(Vec<crate::domain::activity::ActivityRow>),
    /// Overdue / today / coming activities of the current user.
    Counters(crate::store::activities::Counters),
    /// Activities board counts.
    AgendaCounts([i64; 6]),
    /// A page of an activities-board column.
    AgendaPage { bucket: crate::domain::agenda::ActivityBucket, offset: usize, rows: Vec<RecordSummary> },
    /// Calendar data.
    CalendarData {
        counts: Vec<(chrono::NaiveDate, i64)>,
        activities: Vec<crate::store::activities::ActivityRow>,
        hours: Vec<crate::store::activities::ActivitySlot>,
        /// Records per day by the chosen date field.
        dated_counts: Vec<(chrono::NaiveDate, i64)>,
        /// The selected day's records by it.
        dated: Vec<crate::store::records::RecordSummary>,
    },
    /// What a conversion would lack: (whose field, the field, the stage requiring it).
    ConversionNeeds { lead_id: i64, needs: Vec<(Entity, crate::domain::custom_field::CustomField, String)> },
    /// The date fields of every entity, for the calendar's choice.
    DateFields(Vec<crate::domain::dated::DateField>),
    /// More of the selected day's activities (`list_from` says which day).
    CalendarPage { list_from: i64, activities: Vec<crate::store::activities::ActivityRow> },
    /// The file is busy (true) or free again (false).
    Waiting(bool),
    /// A lead and its matches, for the conversion wizard.
    Conversion {
        record: Box<Record>,
        contacts: Vec<crate::store::duplicates::DuplicateMatch>,
        companies: Vec<crate::store::duplicates::DuplicateMatch>,
        /// The lead's open activities, which its conversion marks done.
        open_activities: usize,
    },
    /// A lead was converted.
    Converted(Box<crate::store::convert::Converted>),
    /// A record about to be saved matches others: ask before running `then`.
    PossibleDuplicates { matches: Vec<crate::store::duplicates::DuplicateMatch>, then: Box<Effect> },
    /// Merge preview.
    MergePreview(crate::store::merge::MergePreview),
    /// The administration screens' data.
    Team(Box<crate::tui::screens::team::TeamData>),
    /// The reports screen's figures.
    Reports { period: crate::domain::report::period::PeriodSpec, data: Box<crate::tui::screens::reports::ReportsData> },
    /// What became of a period's leads.
    ReportConversion {
        period: crate::domain::report::period::PeriodSpec,
        report: Box<crate::service::ConversionReport>,
    },
    /// The open deals by close month, for the overview of a period.
    ReportForecast { period: crate::domain::report::period::PeriodSpec, report: Box<crate::service::ForecastReport> },
    /// The funnel of a period.
    ReportFunnel { period: crate::domain::report::period::PeriodSpec, report: Box<crate::service::FunnelReport> },
    /// The activity report of a period.
    ReportActivity { period: crate::domain::report::period::PeriodSpec, report: Box<crate::service::ActivityReport> },
    /// The documents screen's documents.
    Documents { kind: crate::domain::document::DocKind, docs: Vec<crate::domain::document::Document> },
    /// An administrator's change was made: `message` says which.
    AdminDone { message: String },
    /// An address was handed to the system's handler (`failed`: it could not be).
    Opened { message: String, failed: bool },
}

/// An edit that met another user's save (SPEC S1): what the user saw, typed, and what is in
/// the file now, for each field either side changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditConflict {
    /// Kind of record.
    pub entity: Entity,
    /// Its id.
    pub id: i64,
    /// Its title now.
    pub title: String,
    /// Version in the file now: the choice is saved against it.
    pub version: i64,
    /// Who saved meanwhile, and when.
    pub by: Option<String>,
    /// When they saved (unix ms).
    pub at: crate::domain::when::UnixMs,
    /// One row per field changed by either side.
    pub rows: Vec<ConflictRow>,
}

/// One field of an edit conflict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictRow {
    /// Field key.
    pub key: String,
    /// Value when the user opened the record.
    pub was: String,
    /// The user's value (`was` when only the other side changed it).
    pub yours: String,
    /// The value in the file now.
    pub theirs: String,
    /// Keep the file's value for this field (the default where only the other side changed it).
    pub take_theirs: bool,
}

impl EditConflict {
    /// Compares the snapshot an edit was based on, the edit, and the record now.
    pub fn of(now: &crate::store::Record, base: &[(String, String)], input: &RecordInput) -> EditConflict {
        let mut rows: Vec<ConflictRow> = Vec::new();
        for (key, was) in base {
            let theirs = now.input_text(key);
            let typed = input.fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.trim().to_string());
            let rows_row = match typed {
                Some(yours) if yours != theirs => {
                    ConflictRow { key: key.clone(), was: was.clone(), yours, theirs, take_theirs: false }
                }
                Some(_) => continue,
                None if theirs != *was => {
                    ConflictRow { key: key.clone(), was: was.clone(), yours: was.clone(), theirs, take_theirs: true }
                }
                None => continue,
            };
            rows.push(rows_row);
        }
        EditConflict {
            entity: now.entity,
            id: now.id,
            title: now.title.clone(),
            version: now.version,
            by: now.modified_by.clone(),
            at: now.modified_at,
            rows,
        }
    }

    /// The fields to write for the choices made: the user's value where they keep theirs and
    /// it differs from the file; nothing where the file's value is taken.
    pub fn resolution(&self) -> Vec<(String, String)> {
        self.rows
            .iter()
            .filter(|r| !r.take_theirs && r.yours != r.theirs)
            .map(|r| (r.key.clone(), r.yours.clone()))
            .collect()
    }
}

/// How the import wizard reads its file: the encoding (a label `io::csv::encoding_for` reads)
/// and the separator chosen in the wizard, `None` for what is detected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadAs {
    /// Encoding label (`utf-8`, `windows-1252`, `utf-16le`).
    pub encoding: Option<String>,
    /// Separator byte.
    pub separator: Option<u8>,
}

/// A CSV file as the import wizard shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportPreview {
    /// What the wizard asked for (the file was read so).
    pub read_as: ReadAs,
    /// Encoding found.
    pub encoding: String,
    /// Separator found.
    pub separator: String,
    /// Other CRM's export recognised, if any.
    pub preset: Option<String>,
    /// Column names.
    pub headers: Vec<String>,
    /// The field each column goes to, as matched by name (the user changes them).
    pub targets: Vec<crate::domain::import::Target>,
    /// The first five rows.
    pub samples: Vec<Vec<String>>,
    /// Data rows in the file.
    pub rows: usize,
}

/// What a card file holds, for the import wizard (a CSV file is previewed as a table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardFormat {
    /// vCard: contacts, with their companies.
    VCard,
    /// iCalendar: activities.
    ICalendar,
}

/// One line of an import's report as the result screen shows it, worded by the worker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    /// Line of the file.
    pub line: u64,
    /// What became of it (`skipped: duplicate of #12`).
    pub outcome: String,
    /// Why.
    pub reason: String,
    /// The record it names, which Enter opens.
    pub record: Option<RecordRef>,
}
