//! The command line: the scriptable face of every feature. Each command parses its flags,
//! calls the same store and domain functions as the TUI, and prints text or `--json`.

mod activity;
mod admin;
mod args;
mod calendar;
mod commerce;
mod db;
mod dedup;
mod documents;
mod fields;
mod help;
mod import_cards;
mod intake;
mod lines;
mod output;
mod products;
mod record_cmds;
mod records;
mod reports;
mod rules;
mod sections;
mod settings;
mod team;
mod transfer;
mod views;

use crate::config::{self, Config};
use crate::domain::fields::Entity;
use crate::i18n;
use crate::service::Service;
use crate::store::{Clock, OpenOptions, StoreError, WaitNotice};
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

pub use args::{CommArgs, ListArgs};

/// Prospect: a keyboard-driven CRM in the terminal, on one SQLite file.
#[derive(Parser, Debug)]
#[command(name = "prospect", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Data file (default: the platform data dir's prospect.db).
    #[arg(long, global = true, env = "PROSPECT_DB", value_name = "PATH", help_heading = help::GLOBAL)]
    pub db: Option<PathBuf>,
    /// Act as this user (default: config, then the OS login).
    #[arg(long, global = true, value_name = "LOGIN", help_heading = help::GLOBAL)]
    pub user: Option<String>,
    /// Machine-readable output on stdout (errors, usage errors included, as JSON on stderr).
    #[arg(long, global = true, help_heading = help::GLOBAL)]
    pub json: bool,
    /// Interface language: en or fr (default: config, then LANG).
    #[arg(long, global = true, value_name = "LANG", value_parser = help::LangParser, help_heading = help::GLOBAL)]
    pub lang: Option<String>,
    /// Config file (default: $PROSPECT_CONFIG or the platform config dir's config.toml).
    #[arg(long, global = true, value_name = "FILE", help_heading = help::GLOBAL)]
    pub config: Option<PathBuf>,
    /// What to do; without a command, the terminal interface opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Top-level commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Leads: potential clients moving through stages.
    #[command(subcommand)]
    Lead(records::LeadCmd),
    /// Contacts: people.
    #[command(subcommand)]
    Contact(records::ContactCmd),
    /// Companies: organisations.
    #[command(subcommand)]
    Company(records::CompanyCmd),
    /// Deals: sales in progress, per pipeline.
    #[command(subcommand)]
    Deal(records::DealCmd),
    /// Stages of the lead pipeline or of a deal pipeline.
    #[command(subcommand)]
    Stage(admin::StageCmd),
    /// Deal pipelines.
    #[command(subcommand)]
    Pipeline(admin::PipelineCmd),
    /// Lead sources.
    #[command(subcommand)]
    Source(admin::SourceCmd),
    /// Users of the file.
    ///
    /// On a SQLite file, `--user` (or the OS login) is a claim, not a proof: anyone who can read
    /// the file can read all of it with other tools. The boundary on a file is its permissions.
    /// On PostgreSQL each person can have a role and password of their own, which decides who
    /// gets in at all. Inside the data, each user sees and changes what their roles allow
    /// (`prospect role show ROLE`); on a file that is Prospect's rule, not the file's.
    #[command(subcommand)]
    User(team::UserCmd),
    /// Roles and their levels: who may read, add, change, delete, export and import which
    /// records (own, department, sub-departments, all).
    #[command(subcommand)]
    Role(team::RoleCmd),
    /// Departments: a tree; a user belongs to one.
    #[command(subcommand)]
    Department(team::DepartmentCmd),
    /// Fields of your own on leads, deals, contacts and companies: records take their
    /// values with `--set CODE=VALUE`, JSON with `"fields": {"CODE": …}`.
    #[command(subcommand)]
    Field(fields::FieldCmd),
    /// Saved views of lists: a name for what a list filters, sorts and shows, yours or
    /// shared; `lead list --view NAME` opens one.
    #[command(subcommand)]
    View(views::ViewCmd),
    /// The sections of a form: add, rename, reorder and delete them, move fields (built-in
    /// ones too) between them, hide a field (administrators only).
    #[command(subcommand)]
    Section(sections::SectionCmd),
    /// The product catalogue: what lines on leads and deals sell (`deal line add ID
    /// --product CODE`); changed by administrators.
    #[command(subcommand)]
    Product(products::ProductCmd),
    /// The sales head's reports: forecast, won and lost, conversion, stale records (text,
    /// --json, --csv, --format md).
    #[command(subcommand)]
    Report(reports::ReportCmd),
    /// The reasons a failure stage offers, in English and French (administrators change them).
    #[command(subcommand)]
    LostReason(reports::LostReasonCmd),
    /// Stage automation rules: on entering a stage, plan an activity, hand the record to
    /// someone, set a field, add a comment (administrators make them).
    #[command(subcommand)]
    Rule(rules::RuleCmd),
    /// Quotes made from a deal: its lines and client copied; numbered when sent.
    #[command(subcommand)]
    Quote(documents::QuoteCmd),
    /// Invoices made from a quote or a deal, numbered without gaps when issued, cancelled by
    /// a credit note.
    #[command(subcommand)]
    Invoice(documents::InvoiceCmd),
    /// Our company's details printed on documents, and their numbering (administrators).
    #[command(subcommand, name = "company-details")]
    CompanyDetails(documents::CompanyCmd),
    /// Calls, meetings, tasks and e-mails planned on records.
    #[command(subcommand)]
    Activity(activity::ActivityCmd),
    /// Reminders due now for you (`--due`), each given once: for cron or a status bar.
    Remind(activity::RemindArgs),
    /// Your counters: overdue, today's and coming activities.
    Status,
    /// A month's days: your activities, and records by a date field with --by (deals by
    /// close date, leads by a field of your own).
    Calendar(calendar::CalendarArgs),
    /// Search every record (names, phones, e-mails, companies, titles).
    Search {
        /// What to look for.
        text: Vec<String>,
        /// Most results.
        #[arg(long, default_value_t = 20, value_parser = args::whole::<usize>("limit", 0, args::MAX_ROWS))]
        limit: usize,
    },
    /// Fill the file with realistic, deterministic demo data.
    Demo(db::DemoArgs),
    /// Duplicates: find groups of matching records.
    #[command(subcommand)]
    Dedup(dedup::DedupCmd),
    /// The data file: where it is, check it, back it up.
    #[command(subcommand)]
    Db(db::DbCmd),
    /// Import leads, contacts, companies or the product catalogue from a CSV file (any
    /// encoding and separator), contacts from a vCard file, activities from an iCalendar file.
    Import(transfer::ImportArgs),
    /// Export records as CSV, JSON or vCard, activities as iCalendar, the catalogue and the
    /// quotes and invoices as CSV or JSON.
    Export(transfer::ExportArgs),
    /// Triage new leads one at a time, full screen (the interface, on its triage view).
    Triage,
    /// Distribution queue: who gets leads that arrive by import, e-mail or JSON.
    #[command(subcommand)]
    Queue(admin::QueueCmd),
    /// The team's settings: the CRM mode (classic, with leads; simple, without).
    #[command(subcommand)]
    Settings(settings::SettingsCmd),
    /// Messages in: e-mails to leads.
    #[command(subcommand)]
    Intake(intake::IntakeCmd),
    /// Print a shell completion script on stdout (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout.
    Manpage,
}

/// Everything a command needs: the parsed flags, config and an open store.
pub struct Session {
    /// Open file, signed in.
    pub store: Service,
    /// `--json` given.
    pub json: bool,
}

/// Exit statuses scripts can rely on.
pub mod exit {
    /// Bad input, refused rule, missing file and other errors.
    pub const ERROR: u8 = 1;
    /// The command line itself is wrong: unknown command or flag, missing or invalid value.
    pub const USAGE: u8 = 2;
    /// Stale version: someone else changed the record (nothing written).
    pub const CONFLICT: u8 = 3;
    /// No such record.
    pub const NOT_FOUND: u8 = 4;
    /// The file stayed busy past the wait limit.
    pub const BUSY: u8 = 5;
}

fn code_of(err: &anyhow::Error) -> (u8, &'static str) {
    if err.downcast_ref::<crate::domain::FieldError>().is_some() {
        return (exit::ERROR, "invalid_input");
    }
    match err.downcast_ref::<StoreError>() {
        Some(StoreError::Conflict { .. } | StoreError::MovedMeanwhile { .. }) => (exit::CONFLICT, "conflict"),
        Some(StoreError::NotFound { .. })
        | Some(StoreError::Rule(
            crate::store::Rule::NoSuchDocument { .. } | crate::store::Rule::NoSuchProduct { .. },
        )) => (exit::NOT_FOUND, "not_found"),
        Some(StoreError::Busy(_)) => (exit::BUSY, "busy"),
        Some(StoreError::Field(_)) => (exit::ERROR, "invalid_input"),
        Some(StoreError::NewerSchema { .. }) => (exit::ERROR, "newer_schema"),
        Some(StoreError::ReadOnly(_)) => (exit::ERROR, "read_only"),
        Some(StoreError::WalOnNetwork { .. }) => (exit::ERROR, "wal_on_network"),
        Some(_) => (exit::ERROR, "error"),
        None => (exit::ERROR, "error"),
    }
}

/// Parses the process arguments and runs; the one entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match help::parse(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let (code, kind) = code_of(&err);
            let message = format!("{err:#}");
            let mut stderr = std::io::stderr().lock();
            if json {
                let field = match (err.downcast_ref::<StoreError>(), err.downcast_ref::<crate::domain::FieldError>()) {
                    (Some(StoreError::Field(f)), _) | (_, Some(f)) => Some(f.field.clone()),
                    _ => None,
                };
                let _ = writeln!(stderr, "{}", serde_json::json!({"error": kind, "field": field, "message": message}));
            } else {
                let _ = writeln!(stderr, "prospect: {}", crate::domain::text::shown(&message));
            }
            ExitCode::from(code)
        }
    }
}

fn clock_from_env() -> anyhow::Result<Clock> {
    match std::env::var("PROSPECT_NOW") {
        Ok(v) if !v.trim().is_empty() => {
            let t = chrono::DateTime::parse_from_rfc3339(v.trim()).with_context(|| {
                format!("PROSPECT_NOW: '{v}' is not an RFC 3339 instant such as 2026-11-23T09:00:00Z")
            })?;
            Ok(Clock::Fixed(t.timestamp_millis()))
        }
        _ => Ok(Clock::System),
    }
}

/// Whether a command writes (and so may create a missing file).
fn writes(c: &Command) -> bool {
    match c {
        Command::Lead(records::LeadCmd::Line(c)) | Command::Deal(records::DealCmd::Line(c)) => lines::writes(c),
        Command::Lead(l) => {
            !matches!(l, records::LeadCmd::List(_) | records::LeadCmd::Show(_) | records::LeadCmd::Open(_))
        }
        Command::Contact(l) => {
            !matches!(l, records::ContactCmd::List(_) | records::ContactCmd::Show(_) | records::ContactCmd::Open(_))
        }
        Command::Company(l) => {
            !matches!(l, records::CompanyCmd::List(_) | records::CompanyCmd::Show(_) | records::CompanyCmd::Open(_))
        }
        Command::Deal(l) => {
            !matches!(l, records::DealCmd::List(_) | records::DealCmd::Show(_) | records::DealCmd::Open(_))
        }
        Command::Stage(s) => !matches!(s, admin::StageCmd::List(_)),
        Command::Pipeline(p) => !matches!(p, admin::PipelineCmd::List),
        Command::Source(s) => !matches!(s, admin::SourceCmd::List),
        Command::User(u) => team::writes_user(u),
        Command::Role(r) => team::writes_role(r),
        Command::Department(d) => matches!(d, team::DepartmentCmd::Add { .. }),
        Command::Field(f) => fields::writes(f),
        Command::View(v) => views::writes(v),
        Command::Section(c) => sections::writes(c),
        Command::Product(c) => products::writes(c),
        Command::Quote(c) => documents::quote_writes(c),
        Command::Invoice(c) => documents::invoice_writes(c),
        Command::CompanyDetails(c) => documents::company_writes(c),
        Command::Queue(q) => matches!(q, admin::QueueCmd::Set { .. }),
        Command::LostReason(r) => !matches!(r, reports::LostReasonCmd::List),
        Command::Rule(r) => rules::writes(r),
        Command::Settings(c) => settings::writes(c),
        Command::Remind(_) => true,
        Command::Demo(_) | Command::Import(_) | Command::Intake(_) => true,
        Command::Activity(a) => !matches!(a, activity::ActivityCmd::List { .. } | activity::ActivityCmd::Export { .. }),
        _ => false,
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    // Generated from the command tree alone: no config, no data file opened or created.
    match &cli.command {
        Some(Command::Completions { shell }) => return help::completions(*shell),
        Some(Command::Manpage) => return help::manpage(),
        _ => {}
    }
    let config_path = cli.config.clone().or_else(config::default_config_path);
    let config = Config::load(config_path.as_deref())?;
    i18n::set_lang(config::pick_lang(cli.lang.as_deref(), &config)?);
    let tui = cli.command.is_none() || matches!(cli.command, Some(Command::Triage));
    if tui && !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        help::command().print_help()?;
        println!();
        return Ok(());
    }
    // The bulk loads parse a phone or two per record: the rules are built on the other core
    // while the file opens (and the CSV is read), not in front of the first row.
    if matches!(cli.command, Some(Command::Demo(_) | Command::Import(_))) {
        crate::domain::dedup::prepare_phone_rules_in_background();
    }
    let db_path = cli.db.clone().or_else(|| config.db.clone());
    let default_file = db_path.is_none();
    let db_path = db_path.unwrap_or_else(config::default_db_path);
    if let Some(Command::Db(db::DbCmd::Path)) = &cli.command {
        return db::print_path(&db_path, cli.json);
    }
    let creates = tui || cli.command.as_ref().is_some_and(writes);
    if default_file && let Some(dir) = db_path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create the data folder", dir.display()))?;
    }
    let opts = OpenOptions {
        create: creates || default_file,
        region: config.region()?,
        currency: config.currency()?,
        clock: clock_from_env()?,
        busy_limit: Duration::from_secs(config.busy_timeout_secs.unwrap_or(30)),
        lang: i18n::lang(),
        say_when_waiting: if cli.json { WaitNotice::Json } else { WaitNotice::Text },
        journal: config.journal()?,
        wait_in_sqlite: !tui,
    };
    let mut store = Service::open(&db_path, opts)?;
    if !tui {
        // The TUI shows these in its status bar; a script sees them on stderr.
        for w in &store.file_system().warnings {
            eprintln!("prospect: warning: {}", w.message(i18n::lang(), store.path()));
        }
    }
    let login = cli.user.clone().or_else(|| config.user.clone()).unwrap_or_else(config::os_login);
    let needs_user = !matches!(&cli.command, Some(Command::Db(_)));
    if needs_user {
        if store.read_only() {
            // A read-only file cannot record a first user; reading works without one.
            let _ = store.sign_in(&login);
        } else {
            store.sign_in(&login)?;
        }
    }
    let command = match cli.command {
        None => return crate::tui::run(store, i18n::lang()),
        Some(Command::Triage) => {
            return crate::tui::run_on(store, i18n::lang(), Some(crate::tui::action::Action::Triage));
        }
        Some(c) => c,
    };
    // A one-shot command ends soon: the memory it frees is kept for reuse, not handed back to
    // the system and faulted in again (a bulk load frees hundreds of megabytes on the way).
    let _memory = crate::memory::KeepFreedMemory::new();
    let mut session = Session { store, json: cli.json };
    let result = match command {
        Command::Lead(c) => records::run_lead(&mut session, c),
        Command::Contact(c) => records::run_contact(&mut session, c),
        Command::Company(c) => records::run_company(&mut session, c),
        Command::Deal(c) => records::run_deal(&mut session, c),
        Command::Stage(c) => admin::run_stage(&mut session, c),
        Command::Pipeline(c) => admin::run_pipeline(&mut session, c),
        Command::Source(c) => admin::run_source(&mut session, c),
        Command::User(c) => team::run_user(&mut session, c),
        Command::Role(c) => team::run_role(&mut session, c),
        Command::Department(c) => team::run_department(&mut session, c),
        Command::Field(c) => fields::run(&mut session, c),
        Command::View(c) => views::run(&mut session, c),
        Command::Section(c) => sections::run(&mut session, c),
        Command::Product(c) => products::run(&mut session, c),
        Command::Report(c) => reports::run(&mut session, c),
        Command::LostReason(c) => reports::run_lost_reason(&mut session, c),
        Command::Rule(c) => rules::run(&mut session, c),
        Command::Settings(c) => settings::run(&mut session, c),
        Command::Remind(a) => activity::run_remind(&mut session, a),
        Command::Quote(c) => documents::run_quote(&mut session, c),
        Command::Invoice(c) => documents::run_invoice(&mut session, c),
        Command::CompanyDetails(c) => documents::run_company(&mut session, c),
        Command::Activity(c) => activity::run(&mut session, c),
        Command::Status => activity::status(&mut session),
        Command::Calendar(a) => calendar::run(&mut session, a),
        Command::Search { text, limit } => records::run_search(&mut session, &text.join(" "), limit),
        Command::Demo(a) => db::run_demo(&mut session, a),
        Command::Db(c) => db::run_db(&mut session, c),
        Command::Dedup(c) => dedup::run_dedup(&mut session, c),
        Command::Import(a) => transfer::run_import(&mut session, a),
        Command::Export(a) => transfer::run_export(&mut session, a),
        Command::Intake(c) => intake::run(&mut session, c),
        Command::Queue(c) => admin::run_queue(&mut session, c),
        Command::Triage | Command::Completions { .. } | Command::Manpage => Ok(()),
    };
    // A store error made inside a query names no file: it names the data file.
    let path = session.store.path().to_path_buf();
    result.map_err(|e| match e.downcast::<StoreError>() {
        Ok(store_error) => anyhow::Error::from(store_error.with_path(&path)),
        Err(other) => other,
    })
}

/// Entity word in the current language.
pub(crate) fn entity_word(e: Entity) -> String {
    i18n::tr(&format!("entity.{}", e.code()), &[])
}
