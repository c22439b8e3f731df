//! The service: one function per use case, the only door `cli/` and `tui/` open. Each use
//! case decides who may do it (`domain::access`), applies the rules of `domain/` that need no
//! stored data, and runs its work through the engine (`store::Engine`) in one transaction.
//! The engine behind it is chosen when the file or database is opened; everything above the
//! service is the same whichever engine it is.

mod activities;
mod admin;
mod automation;
mod convert;
mod crm_mode;
mod dated;
mod documents;
mod fields;
mod import;
mod intake;
mod layout;
mod products;
mod records;
mod reports;
mod rights;
mod team;
mod views;

use crate::demo::{DemoOptions, DemoReport};
use crate::domain::access::{self, Action, Subject, Viewer};
use crate::domain::fields::Entity;
use crate::domain::import_rows::{ImportReport, ImportRow};
use crate::domain::when::UnixMs;
use crate::store::import::ImportOptions;
use crate::store::records::{ListFilter, Record};
use crate::store::{AdminTask, CurrentUser, Engine, OpenOptions, Result, Rule, StoreError, mount};
use std::path::Path;

pub use automation::RuleStage;
pub use crm_mode::ModeSwitch;
pub use documents::InvoiceFrom;
pub use import::{ImportDone, ImportSetup};
pub use products::{ProductImport, refused_row};
pub use reports::{
    ActivityReport, ConversionReport, ForecastReport, FunnelReport, FunnelSection, ReportScope, StaleReport,
    WonLostReport,
};

/// An open file or database, signed in or not, and the use cases run on it.
pub struct Service {
    engine: Box<dyn Engine>,
    rights: rights::RightsCache,
}

/// The users an import may not make responsible, each with the refusal its rows get.
#[derive(Debug, Default)]
struct ResponsiblesGiven {
    /// (login, name, both lowercase; the refusal).
    refused: Vec<(String, String, String)>,
}

impl ResponsiblesGiven {
    /// The row, refused alone when it names a responsible beyond the importer's add level.
    fn check(&self, mut row: ImportRow) -> ImportRow {
        let Ok(input) = &row.input else { return row };
        let named = input.fields.iter().rev().find(|(k, _)| k.trim() == "responsible").map(|(_, v)| v);
        let Some(named) = named.map(|v| crate::domain::text::clean_line(v).trim().to_lowercase()) else {
            return row;
        };
        if let Some((_, _, reason)) = self.refused.iter().find(|(login, name, _)| *login == named || *name == named) {
            row.input = Err(reason.clone());
        }
        row
    }
}

impl Service {
    /// Opens (or creates) the SQLite file at `path`, upgrading its schema in place
    /// (`store::sqlite::Store::open`); a `postgres://` URL opens that PostgreSQL database
    /// instead (`store::postgres::Store::open`), making Prospect's tables in an empty one.
    pub fn open(path: &Path, opts: OpenOptions) -> Result<Service> {
        if let Some(url) = path.to_str().filter(|p| crate::store::postgres::is_url(p)) {
            return Ok(Service::over(Box::new(crate::store::postgres::Store::open(url, opts)?)));
        }
        Ok(Service::over(Box::new(crate::store::sqlite::Store::open(path, opts)?)))
    }

    /// Whether `--db` names a database on a server (a `postgres://` URL) rather than a file.
    pub fn names_server(path: &Path) -> bool {
        path.to_str().is_some_and(crate::store::postgres::is_url)
    }

    /// `--db` as messages show it: a file's path, or a server URL without its password.
    pub fn shown_target(path: &Path) -> String {
        match path.to_str().filter(|p| crate::store::postgres::is_url(p)) {
            Some(url) => crate::store::postgres::redacted(url),
            None => path.display().to_string(),
        }
    }

    /// The service over an engine already open.
    pub fn over(engine: Box<dyn Engine>) -> Service {
        Service { engine, rights: rights::RightsCache::default() }
    }

    /// Who is asking, for access decisions; nobody before sign-in (administration of the
    /// file itself: `db check`, a read-only file).
    pub fn viewer(&self) -> Option<Viewer> {
        let user = self.engine.user()?;
        // Whether they administer is read again with their rights (kept a second): an
        // administrator demoted meanwhile is one no longer.
        let is_admin = match self.rights() {
            Ok(Some(r)) => r.is_admin,
            _ => user.is_admin,
        };
        Some(Viewer { user_id: user.id, is_admin })
    }

    /// Refuses unless the signed-in user may administer (`domain::access::may_administer`).
    /// Without a signed-in user (file maintenance commands) it allows.
    pub fn require_admin(&self, what: AdminTask) -> Result<()> {
        match (self.viewer(), self.engine.user()) {
            (Some(v), Some(u)) if !access::may_administer(&v) => {
                Err(StoreError::Rule(Rule::AdminOnly { what, login: u.login.clone() }))
            }
            (Some(_), _) => self.require_writer(),
            _ => Ok(()),
        }
    }

    /// Signs in as `login`; the first user of a new file becomes its administrator. A
    /// deactivated user signs in to read; every write of theirs is refused.
    pub fn sign_in(&mut self, login: &str) -> Result<CurrentUser> {
        self.forget_rights();
        self.engine.sign_in(login)
    }

    /// Runs `f`'s reads on one state of the data (one read transaction): a screen's queries,
    /// or a page of records, see the same file and lock it once.
    pub fn reading<T>(&self, f: impl FnOnce(&Service) -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let mut value = None;
        self.engine.reading(&mut || {
            if let Some(f) = f.take() {
                value = Some(f(self)?);
            }
            Ok(())
        })?;
        value.ok_or_else(|| StoreError::Engine(self.path().to_path_buf(), "read not run".into()))
    }

    /// Calls `f` with the full records of a selection, 500 at a time in id order: `ids` when
    /// given (a list's selected rows), otherwise every record `filter` lets through. Returns
    /// how many records `f` was given. Each page is read on one state of the data and handed
    /// to `f` after it, so a writer is never kept waiting by `f` (exports).
    pub fn for_each_page<E: From<StoreError>>(
        &self,
        entity: Entity,
        filter: &ListFilter,
        ids: Option<&[i64]>,
        mut f: impl FnMut(&[Record]) -> std::result::Result<(), E>,
    ) -> std::result::Result<usize, E> {
        self.require_any(Action::Export, Subject::from(entity))?;
        let mut count = 0;
        if let Some(ids) = ids {
            for chunk in ids.chunks(500) {
                let records = self.engine.records(entity, chunk, &self.sight_to(Action::Export)?)?;
                count += records.len();
                f(&records)?;
            }
            return Ok(count);
        }
        let mut after = None;
        loop {
            let page_filter =
                ListFilter { after_id: after, oldest_first: true, limit: 500, sort: None, offset: 0, ..filter.clone() };
            let sight = self.sight_to(Action::Export)?;
            let page: Vec<i64> = self.engine.list(entity, &page_filter, &sight)?.iter().map(|r| r.id).collect();
            let Some(last) = page.last() else { break };
            after = Some(*last);
            let records = self.engine.records(entity, &page, &sight)?;
            count += records.len();
            f(&records)?;
        }
        Ok(count)
    }

    /// Imports rows into `entity` through the engine's bulk path. `rows(from)` makes the rows
    /// from the `from`-th on, on a second thread, again for a retried transaction.
    pub fn import<I>(
        &mut self,
        entity: Entity,
        rows: impl Fn(usize) -> I + Sync,
        opts: ImportOptions,
        mut progress: impl FnMut(usize),
    ) -> Result<ImportReport>
    where
        I: IntoIterator<Item = ImportRow>,
        I::IntoIter: Send,
    {
        self.require_any(Action::Import, Subject::from(entity))?;
        // CRM simple mode: each lead imported becomes a deal with its contact and company.
        if entity == Entity::Lead {
            self.require_intake_rights(None)?;
        }
        // Merging or replacing writes into whichever existing record a row matches, anyone's:
        // only for a user who may change every record of the kind.
        use crate::domain::import::DuplicateMode;
        if matches!(opts.duplicates, DuplicateMode::Merge | DuplicateMode::Replace) {
            self.require_all(Action::Update, Subject::from(entity))?;
        }
        let given = std::sync::Arc::new(self.responsibles_given(entity)?);
        let boxed = |from: usize| -> Box<dyn Iterator<Item = ImportRow> + Send> {
            let given = given.clone();
            Box::new(rows(from).into_iter().map(move |row| given.check(row)))
        };
        let mut report = self.engine.import(entity, &boxed, opts, &mut progress)?;
        // A row matching a record the user may not see is skipped without naming it.
        let sight = self.sight()?;
        if *sight.of(entity) != access::Visibility::All {
            let mut matched = report.rows.skipped_ids();
            matched.sort_unstable();
            matched.dedup();
            let seen = self.engine.seen_among(entity, &matched, &sight)?;
            report.rows.hide_skipped(|id| seen.contains(&id));
        }
        Ok(report)
    }

    /// What an import may give its records: a responsible within the user's add level (a
    /// Manager imports leads for themselves, not for alice). Nothing to check for a user
    /// who adds for anyone.
    fn responsibles_given(&self, entity: Entity) -> Result<ResponsiblesGiven> {
        let subject = Subject::from(entity);
        let Some(rights) = self.rights()? else { return Ok(ResponsiblesGiven::default()) };
        let granted = rights.level(subject, Action::Add);
        if granted == access::Level::All {
            return Ok(ResponsiblesGiven::default());
        }
        let refused = self
            .engine
            .users()?
            .into_iter()
            .filter(|u| granted < rights.needed(Some(u.id)))
            .map(|u| {
                let reason = self.refusal(Action::Add, subject, rights.needed(Some(u.id)), granted).to_string();
                (u.login.to_lowercase(), u.display_name.to_lowercase(), reason)
            })
            .collect();
        Ok(ResponsiblesGiven { refused })
    }

    /// Generates demo data (administrators only) through the engine's bulk path.
    pub fn load_demo(&mut self, opts: DemoOptions) -> Result<DemoReport> {
        self.require_admin(AdminTask::LoadDemo)?;
        crate::demo::generate(&mut *self.engine, opts)
    }

    /// Called with `true` when a write starts waiting for a busy file and `false` when it
    /// stops, so a front end can show "waiting for <file>".
    pub fn on_busy(&mut self, hook: impl FnMut(bool) + Send + 'static) {
        self.engine.on_busy(Box::new(hook))
    }

    /// The file (or database) this service works on.
    pub fn path(&self) -> &Path {
        self.engine.path()
    }

    /// The file system the file lives on, with the mount settings that put it at risk.
    pub fn file_system(&self) -> &mount::FileSystem {
        self.engine.file_system()
    }

    /// Whether the data can only be read (permissions, read-only mount).
    pub fn read_only(&self) -> bool {
        self.engine.read_only()
    }

    /// Options the engine was opened with.
    pub fn options(&self) -> &OpenOptions {
        self.engine.options()
    }

    /// Current instant (the clock of the options: fixed in tests).
    pub fn now(&self) -> UnixMs {
        self.engine.now()
    }

    /// The signed-in user, once `sign_in` has run.
    pub fn user(&self) -> Option<&CurrentUser> {
        self.engine.user()
    }
}
