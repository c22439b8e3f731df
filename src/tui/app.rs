//! TUI state. Views draw it; only `update` changes it.

use super::action::Tab;
pub use super::effect::Seen;
use crate::domain::fields::Entity;
use crate::i18n::Lang;
use crate::store::records::Record;
use crate::store::refs::{PipelineRow, StageRow};
use crate::store::search::Hit;
use crate::store::timeline::TimelineEntry;
use crate::store::totals::ColumnHead;
use crate::store::{RecordRef, RecordSummary};
use std::collections::BTreeSet;

/// Lines a card takes on a board, separator included: the views draw cards this tall and the
/// app loads as many as fit.
pub const CARD_HEIGHT: usize = 4;

/// Most cards a column keeps in memory; pages beyond are dropped and reloaded on demand.
pub const WINDOW: usize = 300;
/// Cards or rows loaded per request.
pub const PAGE: usize = 100;

/// What fills the body of the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Empty file: first steps.
    Welcome,
    /// A Kanban board.
    Board(Entity),
    /// A list.
    List(Entity),
    /// A record form (state in `App::form`).
    Form,
    /// Leads by nearest open activity (state in `App::agenda`).
    Agenda,
    /// Month / week grids (state in `App::calendar`).
    Calendar,
    /// One unprocessed lead at a time (state in `App::triage`).
    Triage,
}

/// A triage decision, kept so it can be undone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TriageStep {
    /// Moved (qualified or junked) from this stage.
    Moved {
        /// The lead.
        id: i64,
        /// Stage code it was in.
        from: String,
    },
    /// Given to another user (or to the same one).
    Assigned {
        /// The lead.
        id: i64,
        /// Responsible before (login), if any.
        from: Option<String>,
    },
    /// A call (or another activity) planned on it.
    Planned {
        /// The lead.
        id: i64,
    },
    /// Left for later.
    Skipped {
        /// The lead.
        id: i64,
    },
}

impl TriageStep {
    /// The lead the decision was about.
    pub fn id(&self) -> i64 {
        match self {
            TriageStep::Moved { id, .. }
            | TriageStep::Assigned { id, .. }
            | TriageStep::Planned { id }
            | TriageStep::Skipped { id } => *id,
        }
    }
}

/// The triage screen.
#[derive(Clone, Debug, Default)]
pub struct TriageView {
    /// The lead shown (None: nothing left, or still loading).
    pub item: Option<Box<crate::store::triage::TriageItem>>,
    /// Waiting for the store.
    pub loading: bool,
    /// Leads decided or skipped in this session.
    pub handled: Vec<i64>,
    /// Decisions, last one last (for undo).
    pub history: Vec<TriageStep>,
    /// A decision asked of the store, recorded once it is saved.
    pub pending: Option<TriageStep>,
}

/// A column of the activities board.
#[derive(Clone, Debug)]
pub struct AgendaColumn {
    /// Which bucket.
    pub bucket: crate::domain::agenda::ActivityBucket,
    /// Records in it.
    pub count: i64,
    /// Loaded rows, soonest activity first.
    pub rows: Vec<RecordSummary>,
    /// Focused row.
    pub cursor: usize,
    /// First row drawn.
    pub scroll: usize,
    /// A page request is in flight.
    pub pending: bool,
}

/// The activities board (SPEC V3).
#[derive(Clone, Debug, Default)]
pub struct AgendaBoard {
    /// Six columns, Overdue to No activity.
    pub columns: Vec<AgendaColumn>,
    /// Focused column.
    pub focus: usize,
    /// Counts have arrived.
    pub loaded: bool,
}

impl Calendar {
    /// Activities of the selected day, in time order (the agenda beside the grid).
    pub fn day_activities(&self) -> Vec<&crate::store::activities::ActivityRow> {
        self.activities
            .iter()
            .filter(|a| crate::domain::when::from_ms(a.deadline).with_timezone(&chrono::Local).date_naive() == self.day)
            .collect()
    }
}

/// The calendar (SPEC V4).
#[derive(Clone, Debug)]
pub struct Calendar {
    /// Selected day.
    pub day: chrono::NaiveDate,
    /// Week grid instead of month grid.
    pub week: bool,
    /// Activities per day of the shown range.
    pub counts: std::collections::BTreeMap<chrono::NaiveDate, i64>,
    /// Activities of the selected day, a page at a time.
    pub activities: Vec<crate::store::activities::ActivityRow>,
    /// The week grid's cells (`agenda::week_grid_slots`), day by day, hour by hour; empty
    /// for the month grid.
    pub hours: Vec<crate::store::activities::ActivitySlot>,
    /// Focused activity of the selected day's agenda.
    pub cursor: usize,
    /// A next page of the day's list is on its way.
    pub pending: bool,
}

/// A Kanban column: its head and a window of its cards.
#[derive(Clone, Debug, Default)]
pub struct Column {
    /// Stage, count and sums.
    pub head: Option<ColumnHead>,
    /// Loaded cards, newest first.
    pub cards: Vec<RecordSummary>,
    /// Column index of `cards[0]`.
    pub start: usize,
    /// Column index of the focused card.
    pub cursor: usize,
    /// Column index of the first card drawn.
    pub scroll: usize,
    /// A page request is in flight.
    pub pending: bool,
}

impl Column {
    /// Records in the column.
    pub fn count(&self) -> usize {
        self.head.as_ref().map(|h| h.count.max(0) as usize).unwrap_or(0)
    }

    /// The card at a column index, if loaded.
    pub fn card(&self, index: usize) -> Option<&RecordSummary> {
        index.checked_sub(self.start).and_then(|i| self.cards.get(i))
    }

    /// The focused card, if loaded.
    pub fn focused(&self) -> Option<&RecordSummary> {
        self.card(self.cursor)
    }
}

/// A Kanban board of leads or deals.
#[derive(Clone, Debug, Default)]
pub struct Board {
    /// Pipeline shown.
    pub pipeline: Option<PipelineRow>,
    /// Columns, one per stage.
    pub columns: Vec<Column>,
    /// Focused column.
    pub focus: usize,
    /// Heads have arrived.
    pub loaded: bool,
    /// Card to focus once its column page arrives (after a move or create).
    pub follow: Option<(i64, i64)>,
    /// A card just moved whose column is still reloading: (id, stage id). Moves typed
    /// meanwhile apply to it, so "L L" typed fast moves the card twice.
    pub pending_move: Option<(i64, i64)>,
}

impl Board {
    /// The focused column.
    pub fn column(&self) -> Option<&Column> {
        self.columns.get(self.focus)
    }

    /// The focused card.
    pub fn focused(&self) -> Option<&RecordSummary> {
        self.column().and_then(Column::focused)
    }

    /// Index of the column of a stage.
    pub fn column_of(&self, stage_id: i64) -> Option<usize> {
        self.columns.iter().position(|c| c.head.as_ref().map(|h| h.stage.id) == Some(stage_id))
    }

    /// The card moves act on, as (id, column): the one just moved while its column reloads,
    /// else the focused one.
    pub fn move_target(&self) -> Option<(i64, usize)> {
        match self.pending_move {
            Some((id, stage)) => self.column_of(stage).map(|c| (id, c)),
            None => self.focused().map(|c| (c.id, self.focus)),
        }
    }
}

pub use crate::store::records::SortField as SortKey;

/// Next sort key when cycling with `s`: the order of `SortField::ALL`, which the CLI's
/// `--sort` lists too.
pub fn next_sort(key: SortKey) -> SortKey {
    let at = SortKey::ALL.iter().position(|k| *k == key).unwrap_or(0);
    SortKey::ALL[(at + 1) % SortKey::ALL.len()]
}

/// Message key of a sort key's name.
pub fn sort_label_key(key: SortKey) -> &'static str {
    match key {
        SortKey::Newest => "tui.sort_newest",
        SortKey::Title => "label.title",
        SortKey::Amount => "label.amount",
        SortKey::Stage => "label.stage",
        SortKey::Responsible => "label.responsible",
        SortKey::NextActivity => "label.next_activity",
    }
}

/// Filters of a list, as chosen on screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilters {
    /// Only mine.
    pub mine: bool,
    /// Only created today.
    pub today: bool,
    /// Only repeat leads.
    pub repeat: bool,
    /// Stage code.
    pub stage: Option<String>,
    /// Text search.
    pub text: Option<String>,
    /// Responsible login.
    pub responsible: Option<String>,
    /// Source code.
    pub source: Option<String>,
    /// Created from / to (unix ms, to exclusive) and how it was typed.
    pub created: Option<(Option<i64>, Option<i64>, String)>,
}

/// A list of records.
#[derive(Clone, Debug, Default)]
pub struct ListView {
    /// Rows loaded so far.
    pub rows: Vec<RecordSummary>,
    /// Focused row.
    pub cursor: usize,
    /// First row drawn.
    pub scroll: usize,
    /// Selected ids.
    pub selected: BTreeSet<i64>,
    /// Row where range selection started.
    pub visual_from: Option<usize>,
    /// Filters.
    pub filters: ListFilters,
    /// Sort key (newest first by default).
    pub sort: SortKey,
    /// Reverse the sort.
    pub sort_desc: bool,
    /// The last page has been loaded.
    pub exhausted: bool,
    /// A page request is in flight.
    pub pending: bool,
    /// First page has arrived.
    pub loaded: bool,
}

impl ListView {
    /// Ids a bulk action applies to: the selection, or the focused row.
    pub fn targets(&self) -> Vec<i64> {
        if self.selected.is_empty() {
            self.rows.get(self.cursor).map(|r| vec![r.id]).unwrap_or_default()
        } else {
            self.selected.iter().copied().collect()
        }
    }
}

/// One line of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormRow {
    /// A field, by key.
    Field(&'static str),
    /// A communication, by index in the record's list.
    Comm(usize),
    /// A linked record, by index in the record's links: Enter opens it.
    Link(usize),
}

/// A record form: an existing record, or a draft of a new one.
#[derive(Clone, Debug)]
pub struct FormView {
    /// Kind of record.
    pub entity: Entity,
    /// The record (None for a draft).
    pub record: Option<Box<Record>>,
    /// Timeline, newest first.
    pub timeline: Vec<TimelineEntry>,
    /// Stages of the record's pipeline (for the stage bar).
    pub stages: Vec<StageRow>,
    /// Lines of the left side.
    pub rows: Vec<FormRow>,
    /// Focused line.
    pub cursor: usize,
    /// Draft values (new record): (key, text).
    pub draft: Vec<(String, String)>,
    /// Draft phones/e-mails as typed.
    pub draft_comms: Vec<(crate::domain::comm::CommKind, String)>,
    /// Waiting for the record to load.
    pub loading: bool,
}

/// A one-line text field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextInput {
    /// Text.
    pub text: String,
    /// Cursor, in characters.
    pub cursor: usize,
}

impl TextInput {
    /// A field holding `text`, cursor at the end.
    pub fn with(text: &str) -> TextInput {
        TextInput { text: text.to_string(), cursor: text.chars().count() }
    }
}

/// What a prompt's text is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptPurpose {
    /// Title of a card created in a column.
    QuickCreate { entity: Entity, stage_code: String },
    /// Optional reason of a move to a failure stage.
    FailureReason { entity: Entity, ids: Vec<(i64, Option<Seen>)>, stage_code: String },
    /// A comment.
    Comment { entity: Entity, id: i64 },
    /// New value of a field of a saved record.
    EditField { entity: Entity, id: i64, version: i64, key: String, base: Vec<(String, String)> },
    /// Where to write a list's CSV export.
    ExportPath { entity: Entity },
    /// Which CSV file to import.
    ImportPath { entity: Entity },
    /// Value of a field of a draft.
    DraftField { key: String },
    /// A phone or e-mail to add.
    AddComm { kind: crate::domain::comm::CommKind },
    /// Text filter of the list.
    FilterText,
    /// Creation date range of the list: `FROM..TO`, either side optional.
    FilterCreated,
}

/// A text prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// What the text is for.
    pub purpose: PromptPurpose,
    /// Title shown above the field.
    pub title: String,
    /// The field.
    pub input: TextInput,
    /// Why the last submit was refused.
    pub error: Option<String>,
}

/// What a picked item is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PickPurpose {
    /// Move these (id, version) records to the picked stage.
    Move { entity: Entity, ids: Vec<(i64, Option<Seen>)> },
    /// Move list rows.
    BulkMove { entity: Entity, ids: Vec<i64> },
    /// Assign list rows.
    BulkAssign { entity: Entity, ids: Vec<i64> },
    /// Show this deal pipeline.
    Pipeline,
    /// Filter the list by stage.
    FilterStage,
    /// Filter the list by responsible.
    FilterResponsible,
    /// Filter the list by source.
    FilterSource,
}

/// A list to pick from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picker {
    /// What the pick is for.
    pub purpose: PickPurpose,
    /// Title.
    pub title: String,
    /// (value, label).
    pub items: Vec<(String, String)>,
    /// Focused item.
    pub cursor: usize,
}

/// A yes/no question.
#[derive(Clone, Debug, PartialEq)]
pub struct Confirm {
    /// The question.
    pub message: String,
    /// What yes does.
    pub on_yes: super::effect::Effect,
}

/// The command palette.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Palette {
    /// What was typed.
    pub input: TextInput,
    /// Indices into `Action::palette()`, best match first.
    pub matches: Vec<usize>,
    /// Focused match.
    pub cursor: usize,
}

/// Search as you type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchBox {
    /// What was typed.
    pub input: TextInput,
    /// Results, grouped by entity when drawn.
    pub hits: Vec<Hit>,
    /// Focused result.
    pub cursor: usize,
    /// Generation of the last request (stale answers are dropped).
    pub generation: u64,
}

/// Quick choices of when an activity is due, in the form's order; the last is typed.
pub const WHEN_CHOICES: [&str; 5] =
    ["tui.when_default", "tui.when_today", "tui.when_tomorrow", "tui.when_monday", "tui.when_other"];

/// The plan-an-activity form (SPEC A1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanForm {
    /// The activity being edited, or `None` for a new one.
    pub editing: Option<i64>,
    /// Records it belongs to.
    pub targets: Vec<RecordRef>,
    /// Title of the first record, for the default subject.
    pub record_title: String,
    /// Focused row (see `PlanForm::ROWS`).
    pub row: usize,
    /// Kind: index into call, meeting, task, e-mail.
    pub kind: usize,
    /// When: index into `WHEN_CHOICES`.
    pub when: usize,
    /// Typed date and time (used when `when` is the last choice).
    pub date: TextInput,
    /// Subject; empty means "<Kind> <record>".
    pub subject: TextInput,
    /// Length of a call or meeting.
    pub duration: TextInput,
    /// Priority: low, medium, high.
    pub priority: usize,
    /// Responsible: index into `App::users`.
    pub responsible: usize,
    /// Reminder before it is due (empty: none).
    pub reminder: TextInput,
    /// Why the last save was refused.
    pub error: Option<String>,
}

impl PlanForm {
    /// Rows of the form: (message key, is a text field).
    pub const ROWS: [(&'static str, bool); 8] = [
        ("tui.plan_kind", false),
        ("tui.plan_when", false),
        ("tui.plan_date", true),
        ("tui.plan_subject", true),
        ("tui.plan_duration", true),
        ("tui.plan_priority", false),
        ("label.responsible", false),
        ("tui.plan_reminder", true),
    ];
}

/// Steps of the conversion wizard (SPEC L6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WizardStep {
    /// Choose what the lead becomes.
    Targets,
    /// Link existing contact/company or create new ones.
    Matches,
    /// Fill what the new records require.
    Fields,
    /// Read what will happen and confirm.
    Summary,
}

/// A text field of the wizard's third step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WizardField {
    /// Target and field, as the store names them (`contact.last_name`).
    pub key: &'static str,
    /// The value, prefilled from the lead.
    pub input: TextInput,
}

/// The conversion wizard: a lead becomes a deal, a contact and/or a company.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvertWizard {
    /// The lead.
    pub lead_id: i64,
    /// Its version when the wizard opened (a change meanwhile is a conflict).
    pub version: i64,
    /// Its title.
    pub title: String,
    /// Repeat lead: a deal for its existing client only.
    pub is_repeat: bool,
    /// Current step.
    pub step: WizardStep,
    /// Index into `Targets::CHOICES`.
    pub targets: usize,
    /// Existing contacts matching the lead.
    pub contact_matches: Vec<crate::store::duplicates::DuplicateMatch>,
    /// Existing companies matching the lead.
    pub company_matches: Vec<crate::store::duplicates::DuplicateMatch>,
    /// 0 = create a new contact, n = link `contact_matches[n - 1]`.
    pub contact_choice: usize,
    /// 0 = create a new company, n = link `company_matches[n - 1]`.
    pub company_choice: usize,
    /// All text fields (those of unchosen targets are skipped).
    pub fields: Vec<WizardField>,
    /// Deal pipeline: index into `App::pipelines`.
    pub pipeline: usize,
    /// Focused row of the current step.
    pub row: usize,
    /// Why the last attempt was refused.
    pub error: Option<String>,
}

impl ConvertWizard {
    /// The chosen targets.
    pub fn chosen(&self) -> crate::domain::convert::Targets {
        if self.is_repeat {
            crate::domain::convert::Targets::DEAL
        } else {
            crate::domain::convert::Targets::CHOICES
                [self.targets.min(crate::domain::convert::Targets::CHOICES.len() - 1)]
        }
    }

    /// Whether a new contact is made.
    pub fn new_contact(&self) -> bool {
        self.chosen().contact && self.contact_choice == 0
    }

    /// Whether a new company is made.
    pub fn new_company(&self) -> bool {
        self.chosen().company && self.company_choice == 0
    }

    /// Rows of step 2: contact and/or company.
    pub fn match_rows(&self) -> Vec<crate::domain::fields::Entity> {
        use crate::domain::fields::Entity;
        let t = self.chosen();
        let mut rows = Vec::new();
        if t.contact {
            rows.push(Entity::Contact);
        }
        if t.company {
            rows.push(Entity::Company);
        }
        rows
    }

    /// Indices into `fields` shown in step 3, in order; the pipeline row follows when a
    /// deal is made.
    pub fn field_rows(&self) -> Vec<usize> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| match f.key.split('.').next() {
                Some("contact") => self.new_contact(),
                Some("company") => self.new_company(),
                Some("deal") => self.chosen().deal,
                _ => false,
            })
            .map(|(i, _)| i)
            .collect()
    }
}

/// Merging duplicates: the kept record, the others, and a choice per differing field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeForm {
    /// Kind of records.
    pub entity: Entity,
    /// The kept record.
    pub keep: i64,
    /// Records merged into it.
    pub others: Vec<i64>,
    /// What will be filled and what differs (arrives from the store).
    pub preview: Option<crate::store::merge::MergePreview>,
    /// Per conflict: take the other's value.
    pub take_other: Vec<bool>,
    /// Focused conflict.
    pub row: usize,
}

/// Duplicate modes offered by the import wizard, in the order `d` cycles through them.
pub const IMPORT_MODES: [crate::domain::import::DuplicateMode; 4] = [
    crate::domain::import::DuplicateMode::Skip,
    crate::domain::import::DuplicateMode::Merge,
    crate::domain::import::DuplicateMode::Replace,
    crate::domain::import::DuplicateMode::All,
];

/// What makes a match in the import wizard, in the order `m` cycles through them.
pub const IMPORT_MATCHES: [crate::domain::import::MatchOn; 4] = [
    crate::domain::import::MatchOn { name: false, company: false, phone: true, email: true },
    crate::domain::import::MatchOn { name: true, company: false, phone: true, email: true },
    crate::domain::import::MatchOn { name: true, company: false, phone: false, email: false },
    crate::domain::import::MatchOn { name: true, company: true, phone: false, email: false },
];

/// The import wizard: the file as read, a field per column, the duplicate mode, the result.
#[derive(Clone, Debug)]
pub struct ImportWizard {
    /// Records to make.
    pub entity: Entity,
    /// The file.
    pub path: std::path::PathBuf,
    /// What was read (None while reading).
    pub preview: Option<crate::tui::effect::ImportPreview>,
    /// Focused column.
    pub cursor: usize,
    /// Index in `IMPORT_MODES`.
    pub mode: usize,
    /// Index in `IMPORT_MATCHES`.
    pub matching: usize,
    /// The result shown is a dry run's: Enter goes back to the mapping.
    pub dry_run: bool,
    /// Importing now.
    pub running: bool,
    /// Summary once done.
    pub result: Option<String>,
    /// What went wrong.
    pub error: Option<String>,
}

/// The conflict popup: the two versions and the focused field.
#[derive(Clone, Debug)]
pub struct ConflictView {
    /// Both versions, with the choice per field.
    pub conflict: crate::tui::effect::EditConflict,
    /// Focused row.
    pub row: usize,
}

/// What floats above the screen.
#[derive(Clone, Debug, Default)]
pub enum Overlay {
    /// Nothing.
    #[default]
    None,
    /// Key help.
    Help,
    /// Command palette.
    Palette(Palette),
    /// Search.
    Search(SearchBox),
    /// Text prompt.
    Prompt(Prompt),
    /// Pick from a list.
    Picker(Picker),
    /// Yes/no.
    Confirm(Confirm),
    /// Plan an activity.
    Plan(Box<PlanForm>),
    /// Convert a lead.
    Convert(Box<ConvertWizard>),
    /// Merge duplicates.
    Merge(Box<MergeForm>),
    /// Another user saved the record being edited: choose per field (SPEC S1).
    Conflict(Box<ConflictView>),
    /// Something to read before going on (risky mount at start); any key closes it.
    Notice(String),
    /// The CSV import wizard.
    Import(Box<ImportWizard>),
}

/// How a status message looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Done.
    Info,
    /// Refused or failed.
    Error,
}

/// The whole TUI state.
#[derive(Clone, Debug)]
pub struct App {
    /// Interface language.
    pub lang: Lang,
    /// Signed-in login.
    pub user: String,
    /// File name shown in the status bar.
    pub file: String,
    /// Current tab.
    pub tab: Tab,
    /// What the body shows.
    pub screen: Screen,
    /// Screens to return to with Esc.
    pub back: Vec<Screen>,
    /// Lead board.
    pub lead_board: Board,
    /// Deal board.
    pub deal_board: Board,
    /// Lists per entity.
    pub lists: std::collections::BTreeMap<Entity, ListView>,
    /// Open form.
    pub form: Option<FormView>,
    /// Activities board.
    pub agenda: AgendaBoard,
    /// Calendar.
    pub calendar: Calendar,
    /// Triage.
    pub triage: TriageView,
    /// Overlay.
    pub overlay: Overlay,
    /// Status message.
    pub status: Option<(String, Level)>,
    /// The file is busy: writes are waiting.
    pub waiting: bool,
    /// Mount settings that put the shared file at risk (SPEC S5), worded for the user.
    pub risks: Vec<String>,
    /// The current user's activity counters.
    pub counters: crate::store::activities::Counters,
    /// Users (login, display name) for assign.
    pub users: Vec<(String, String)>,
    /// Deal pipelines.
    pub pipelines: Vec<PipelineRow>,
    /// Sources (code, name).
    pub sources: Vec<(String, String)>,
    /// Terminal size (columns, rows), for paging.
    pub size: (u16, u16),
    /// Time "now" for filters, unix ms (set by the caller; fixed in tests).
    pub now_ms: i64,
    /// Region for phone numbers typed without a country code (from the config).
    pub region: crate::domain::dedup::PhoneRegion,
    /// Set when the app should exit.
    pub quit: bool,
}

impl App {
    /// A fresh app for `user` on `file`.
    pub fn new(lang: Lang, user: &str, file: &str, now_ms: i64) -> App {
        App {
            lang,
            user: user.to_string(),
            file: file.to_string(),
            tab: Tab::LeadBoard,
            screen: Screen::Board(Entity::Lead),
            back: vec![],
            lead_board: Board::default(),
            deal_board: Board::default(),
            lists: Default::default(),
            form: None,
            agenda: AgendaBoard::default(),
            calendar: Calendar {
                day: crate::domain::when::from_ms(now_ms).with_timezone(&chrono::Local).date_naive(),
                week: false,
                counts: Default::default(),
                activities: vec![],
                hours: vec![],
                cursor: 0,
                pending: false,
            },
            triage: TriageView::default(),
            overlay: Overlay::None,
            status: None,
            waiting: false,
            risks: vec![],
            counters: Default::default(),
            users: vec![],
            pipelines: vec![],
            sources: vec![],
            size: (80, 24),
            now_ms,
            region: crate::domain::dedup::PhoneRegion::FR,
            quit: false,
        }
    }

    /// Message in the app's language.
    pub fn t(&self, key: &str) -> String {
        crate::i18n::tr_in(self.lang, key, &[])
    }

    /// Message with arguments.
    pub fn ta(&self, key: &str, args: &[(&str, &str)]) -> String {
        crate::i18n::tr_in(self.lang, key, args)
    }

    /// The board of an entity.
    pub fn board(&self, entity: Entity) -> &Board {
        if entity == Entity::Deal { &self.deal_board } else { &self.lead_board }
    }

    /// The board of an entity, to change.
    pub fn board_mut(&mut self, entity: Entity) -> &mut Board {
        if entity == Entity::Deal { &mut self.deal_board } else { &mut self.lead_board }
    }

    /// Cards that fit in a column on screen.
    pub fn cards_per_screen(&self) -> usize {
        (self.size.1.saturating_sub(6) as usize / CARD_HEIGHT).max(1)
    }

    /// List rows that fit on screen.
    pub fn rows_per_screen(&self) -> usize {
        (self.size.1.saturating_sub(6) as usize).max(1)
    }
}
