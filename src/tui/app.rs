//! The App: which screen is in view, which overlay floats above it, each screen's state, and
//! what they share (language, user, reference lists, counters, status). Each screen's and
//! overlay's state is defined in its own module (`screens/`, `overlays/`) and named here too.
//! Views draw the App; only `update` and `on_store` change it.

use super::action::Tab;
pub use super::effect::Seen;
use crate::domain::fields::Entity;
use crate::i18n::Lang;
use crate::store::refs::PipelineRow;

pub use super::overlays::confirm::Confirm;
pub use super::overlays::conflict::ConflictView;
pub use super::overlays::editor::Editor;
pub use super::overlays::import::{IMPORT_MATCHES, IMPORT_MODES, ImportWizard};
pub use super::overlays::merge::MergeForm;
pub use super::overlays::palette::Palette;
pub use super::overlays::picker::{PickPurpose, Picker};
pub use super::overlays::plan::{PlanForm, WHEN_CHOICES};
pub use super::overlays::prompt::{Prompt, PromptPurpose};
pub use super::overlays::question::{Answer, Choice, Question};
pub use super::overlays::search::SearchBox;
pub use super::overlays::wizard::{ConvertWizard, WizardField, WizardStep};
pub use super::screens::agenda::{AgendaBoard, AgendaColumn};
pub use super::screens::board::{Board, Column, WINDOW};
pub use super::screens::calendar::Calendar;
pub use super::screens::form::{FormRow, FormView};
pub use super::screens::list::{ListFilters, ListView, SortKey, next_sort, sort_label_key};
pub use super::screens::team::{TeamPane, TeamView};
pub use super::screens::triage::{TriageStep, TriageView};
pub use super::widgets::input::TextInput;

/// Lines a card takes on a board, separator included: the views draw cards this tall and the
/// app loads as many as fit.
pub const CARD_HEIGHT: usize = 4;
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
    /// Administration: users, roles, departments, stages, sources, queue (state in
    /// `App::team`).
    Team,
    /// Quotes and invoices of every deal (state in `App::documents`).
    Documents,
    /// The sales head's reports (state in `App::reports`).
    Reports,
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
    /// Multi-line text (a record's comments).
    Editor(Box<Editor>),
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
    /// A question with several answers (unsaved changes, possible duplicates).
    Question(Question),
    /// A few fields saved at once: a line item, a product.
    Entry(Box<crate::tui::overlays::entry::EntryForm>),
}

/// How a status message looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Done.
    Info,
    /// Refused or failed.
    Error,
    /// Done, but worth a second look (a time already past).
    Warning,
}

/// The whole TUI state.
#[derive(Clone, Debug)]
pub struct App {
    /// Interface language.
    pub lang: Lang,
    /// Signed-in login.
    pub user: String,
    /// File name shown in the status bar (a server database's URL).
    pub file: String,
    /// The data is on a database server: waiting is for the server, not another user.
    pub on_server: bool,
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
    /// The administration screens.
    pub team: TeamView,
    /// Quotes and invoices of every deal.
    pub documents: super::screens::documents::DocumentsView,
    /// The sales head's reports.
    pub reports: super::screens::reports::ReportsView,
    /// The signed-in user administers the file (`domain::access::may_administer`): the
    /// administration screens offer their writing keys. Told at start and by every load of
    /// those screens; the service decides anyway.
    pub admin: bool,
    /// Classic, or simple: no lead screens, a new record on the deal board is a deal with
    /// its client (told with the reference lists).
    pub crm_mode: crate::domain::crm_mode::CrmMode,
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
    /// When this app last asked for a write (unix ms; 0: never): counters read about then
    /// may predate it (`update::counters_after`).
    pub last_write_ms: i64,
    /// Users (login, display name) for assign.
    pub users: Vec<(String, String)>,
    /// Deal pipelines.
    pub pipelines: Vec<PipelineRow>,
    /// Sources (code, name).
    pub sources: Vec<(String, String)>,
    /// The lost reasons a failure stage offers (`1`…`n` in its prompt).
    pub lost_reasons: Vec<crate::domain::report::reasons::LostReason>,
    /// Terminal size (columns, rows), for paging.
    pub size: (u16, u16),
    /// Time "now" for filters, unix ms (set by the caller; fixed in tests).
    pub now_ms: i64,
    /// Region for phone numbers typed without a country code (from the config).
    pub region: crate::domain::dedup::PhoneRegion,
    /// Set when the app should exit.
    pub quit: bool,
    /// A reminder came: the terminal's bell rings once, after the next frame.
    pub bell: bool,
    /// The last reminder and until when (unix ms) the status bar keeps it, under any
    /// newer message: a key pressed does not make it go.
    pub reminder: Option<(String, i64)>,
    /// A reminder to pass on to the desktop's notifications, where there are some.
    pub desktop_note: Option<String>,
    /// A command the palette ran from another screen, with the screen it acts on: it waits
    /// for that screen's data (a focused row or card) and runs when it arrives.
    pub pending_command: Option<(Screen, crate::tui::action::Action)>,
    /// Files imported or exported last, newest first (`config::load_recent`): the import
    /// prompt offers them.
    pub recent: Vec<std::path::PathBuf>,
    /// Where `recent` is kept across runs; `None`: not kept (tests).
    pub recent_store: Option<std::path::PathBuf>,
}

impl App {
    /// The header's tabs: every one, but the lead board and list in CRM simple mode.
    pub fn tabs(&self) -> Vec<super::action::Tab> {
        use super::action::Tab;
        Tab::ALL.into_iter().filter(|t| self.shown_tab(*t) == *t).collect()
    }

    /// The tab a key or click for `tab` shows: the deals' for a lead tab in CRM simple mode.
    pub fn shown_tab(&self, tab: super::action::Tab) -> super::action::Tab {
        use super::action::Tab;
        match tab {
            Tab::LeadBoard if !self.crm_mode.has_leads() => Tab::DealBoard,
            Tab::LeadList if !self.crm_mode.has_leads() => Tab::DealList,
            other => other,
        }
    }

    /// A fresh app for `user` on `file`.
    pub fn new(lang: Lang, user: &str, file: &str, now_ms: i64) -> App {
        App {
            lang,
            user: user.to_string(),
            file: file.to_string(),
            on_server: false,
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
                by: None,
                choices: vec![],
                dated_counts: Default::default(),
                dated: vec![],
            },
            triage: TriageView::default(),
            team: TeamView::default(),
            documents: Default::default(),
            reports: Default::default(),
            admin: false,
            crm_mode: Default::default(),
            overlay: Overlay::None,
            status: None,
            waiting: false,
            risks: vec![],
            counters: Default::default(),
            last_write_ms: 0,
            users: vec![],
            pipelines: vec![],
            sources: vec![],
            lost_reasons: vec![],
            size: (80, 24),
            now_ms,
            region: crate::domain::dedup::PhoneRegion::FR,
            quit: false,
            bell: false,
            reminder: None,
            desktop_note: None,
            pending_command: None,
            recent: vec![],
            recent_store: None,
        }
    }

    /// A record's title as shown: its own, or its kind and number in the app's language
    /// (`Prospect #12`) when it has none (the store names it `Lead #12`).
    pub fn title_of(&self, entity: Entity, id: i64, title: &str) -> String {
        crate::present::title(self.lang, entity, id, title)
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

/// Says something done in the status bar.
pub fn info(app: &mut App, msg: String) {
    app.status = Some((msg, Level::Info));
}

/// Says something done but worth a second look in the status bar. A write's own message
/// (`Saved`) that comes after it keeps it, after its own words.
pub fn warn(app: &mut App, msg: String) {
    app.status = Some((msg, Level::Warning));
}

/// Says something refused or failed in the status bar.
pub fn error(app: &mut App, msg: String) {
    app.status = Some((msg, Level::Error));
}
