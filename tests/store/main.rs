//! The store contract suite (issue 22): what any storage engine must do, tested at the
//! level the CLI and the TUI call (`prospect::store::Store` today, the service layer later).
//!
//! Every case is a function that takes engine handles made by [`engine`], the one factory,
//! and only goes through the public API: no SQL, no `rusqlite`. Today the factory opens a
//! SQLite file in a temp dir; the PostgreSQL engine plugs in by making `engine` (and
//! [`TestEngine::session`]) return a handle on a fresh PostgreSQL database, after which the
//! very same cases run on it.
mod activities;
mod bulk;
mod convert;
mod duplicates;
mod feed;
mod import;
mod merge;
mod queue;
mod records;
mod search;
mod timeline;

use prospect::domain::comm::{Comm, CommKind};
use prospect::domain::dedup::PhoneRegion;
use prospect::domain::fields::Entity;
use prospect::i18n::Lang;
use prospect::store::users::NewUser;
use prospect::store::{Clock, OpenOptions, RecordInput, Saved, Store};
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;

/// Fixed "now" of every case: 2026-11-23 09:00 UTC (a Monday), so buckets and dates are stable.
pub const NOW: i64 = 1_795_424_400_000;
/// One hour in milliseconds.
pub const HOUR: i64 = 3_600_000;

/// A handle on one engine holding a fresh, empty CRM, signed in as `alice` (its first user,
/// so its administrator). Cases use it as a `Store` (it derefs to one).
pub struct TestEngine {
    store: Store,
    /// Where the engine keeps its data: the SQLite file, in a temp dir that lives as long
    /// as the first handle.
    path: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

/// The one factory of the suite: a fresh engine, empty, signed in as `alice`.
pub fn engine() -> TestEngine {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    let store = open(&path, "alice");
    TestEngine { store, path, _dir: Some(dir) }
}

fn open(path: &std::path::Path, login: &str) -> Store {
    let opts = OpenOptions { clock: Clock::Fixed(NOW), lang: Lang::En, ..Default::default() };
    let mut store = Store::open(path, opts).unwrap();
    store.sign_in(login).unwrap();
    store
}

impl TestEngine {
    /// A second session on the same data as another user (added first if new): what another
    /// member of the team sees and does.
    pub fn session(&mut self, login: &str) -> TestEngine {
        if !self.store.users().unwrap().iter().any(|u| u.login == login) {
            self.store.add_user(&NewUser { login: login.into(), ..Default::default() }).unwrap();
        }
        TestEngine { store: open(&self.path, login), path: self.path.clone(), _dir: None }
    }

    /// Adds users (by login) to the team, as the administrator.
    pub fn add_users(&mut self, logins: &[&str]) {
        for login in logins {
            self.store.add_user(&NewUser { login: (*login).into(), ..Default::default() }).unwrap();
        }
    }
}

impl Deref for TestEngine {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

impl DerefMut for TestEngine {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}

/// Input with these field values.
pub fn input(fields: &[(&str, &str)]) -> RecordInput {
    RecordInput { fields: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), ..Default::default() }
}

/// Input with these field values and these phones and e-mails added (kind told by an `@`).
pub fn input_with(fields: &[(&str, &str)], comms: &[&str]) -> RecordInput {
    let mut i = input(fields);
    i.comms.add = comms.iter().map(|c| comm(c)).collect();
    i
}

/// A phone (French region by default) or, with an `@`, an e-mail.
pub fn comm(text: &str) -> Comm {
    let kind = if text.contains('@') { CommKind::Email } else { CommKind::Phone };
    Comm::new(kind, "", text, PhoneRegion::FR).unwrap()
}

/// Creates a record, expecting success.
pub fn create(eng: &mut TestEngine, entity: Entity, fields: &[(&str, &str)], comms: &[&str]) -> Saved {
    eng.create(entity, &input_with(fields, comms)).unwrap()
}

/// A field of a record as text (references by name).
pub fn text_of(eng: &TestEngine, entity: Entity, id: i64, key: &str) -> String {
    eng.get(entity, id).unwrap().input_text(key)
}

/// The stage code of a lead or deal.
pub fn stage_of(eng: &TestEngine, entity: Entity, id: i64) -> String {
    match eng.get(entity, id).unwrap().get("stage") {
        Some(prospect::store::records::Shown::Ref(r)) => r.code.clone(),
        other => panic!("{entity:?} #{id} has no stage: {other:?}"),
    }
}

/// Counts of leads, contacts, companies and deals.
pub fn counts(eng: &TestEngine) -> [i64; 4] {
    [Entity::Lead, Entity::Contact, Entity::Company, Entity::Deal].map(|e| eng.count(e).unwrap())
}
