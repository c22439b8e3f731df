//! Drives the TUI state machine without a terminal: each effect runs synchronously on a real
//! store in a temp dir and its answers go back through `on_store`, until nothing is pending.
#![allow(dead_code)]

use prospect::demo::DemoOptions;
use prospect::i18n::Lang;
use prospect::service::Service;
use prospect::store::{Clock, OpenOptions};
use prospect::tui::action::{Action, InputKey};
use prospect::tui::app::App;
use prospect::tui::effect::Effect;
use prospect::tui::update::{on_store, start, update};
use prospect::tui::worker;
use std::path::Path;

/// Fixed "now" of every TUI test: 2026-11-23 09:00 UTC.
pub const NOW: i64 = 1_795_424_400_000;

pub struct Harness {
    pub app: App,
    pub store: Service,
    pub dir: tempfile::TempDir,
    pub effects_run: Vec<Effect>,
}

pub fn open(path: &Path) -> Service {
    open_in(path, Lang::En)
}

/// Opens (creating it in `lang` if new) with the fixed clock, signed in as alice.
pub fn open_in(path: &Path, lang: Lang) -> Service {
    open_at(path, lang, NOW)
}

/// As `open_in`, its clock at `now` (unix ms).
pub fn open_at(path: &Path, lang: Lang, now: i64) -> Service {
    let opts = OpenOptions { clock: Clock::Fixed(now), lang, ..Default::default() };
    let mut store = Service::open(path, opts).unwrap();
    store.sign_in("alice").unwrap();
    store
}

impl Harness {
    /// A file with `leads` demo leads (0 = empty file), the app started on it.
    pub fn new(leads: usize, lang: Lang) -> Harness {
        // Times are drawn in local time: make it UTC for stable snapshots.
        unsafe { std::env::set_var("TZ", "UTC") };
        let dir = tempfile::tempdir().unwrap();
        let mut store = open_in(&dir.path().join("crm.db"), lang);
        if leads > 0 {
            store.load_demo(DemoOptions { leads, seed: 42 }).unwrap();
        }
        let mut app = App::new(lang, "alice", "crm.db", NOW);
        app.size = (120, 35);
        let mut h = Harness { app, store, dir, effects_run: vec![] };
        let first = start(&mut h.app);
        h.run(first);
        h
    }

    /// Runs effects and everything they lead to.
    pub fn run(&mut self, mut effects: Vec<Effect>) {
        let mut guard = 0;
        while let Some(e) = (!effects.is_empty()).then(|| effects.remove(0)) {
            guard += 1;
            assert!(guard < 10_000, "effects never settle");
            self.effects_run.push(e.clone());
            for ev in worker::run(&mut self.store, self.app.lang, e) {
                effects.extend(on_store(&mut self.app, ev));
            }
        }
    }

    /// One action, settled.
    pub fn act(&mut self, a: Action) {
        let effects = update(&mut self.app, a);
        self.run(effects);
    }

    /// One action whose direct answers are applied but whose follow-up effects (reloads) are
    /// returned undelivered: what the app looks like to a fast typist.
    pub fn act_partly(&mut self, a: Action) -> Vec<Effect> {
        let mut pending = Vec::new();
        for e in update(&mut self.app, a) {
            for ev in worker::run(&mut self.store, self.app.lang, e) {
                pending.extend(on_store(&mut self.app, ev));
            }
        }
        pending
    }

    /// Several actions.
    pub fn acts(&mut self, actions: &[Action]) {
        for a in actions {
            self.act(*a);
        }
    }

    /// Types text into the focused text field.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.act(Action::Input(InputKey::Char(c)));
        }
    }

    /// A second connection to the same file, as another process would have.
    pub fn other(&self) -> Service {
        open(&self.dir.path().join("crm.db"))
    }
}
