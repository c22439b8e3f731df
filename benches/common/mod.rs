//! What the screen benchmarks share: the demo files, a signed-in store, and the TUI's loop
//! run synchronously (update, the worker's effects, draw) as the app runs it.

use prospect::i18n::Lang;
use prospect::service::Service;
use prospect::store::OpenOptions;
use prospect::tui::action::Action;
use prospect::tui::app::App;
use prospect::tui::effect::Effect;
use prospect::tui::{update, views, worker};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;

/// Leads in the demo files.
pub const SIZES: [usize; 2] = [10_000, 100_000];

/// `target/bench-data/demo-N.db`, generated once (seed 42).
pub fn data_file(leads: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("demo-{leads}.db"));
    if !path.exists() {
        let tmp = dir.join(format!("demo-{leads}.db.partial"));
        let _ = std::fs::remove_file(&tmp);
        let mut store = open(&tmp);
        let report = store.load_demo(prospect::demo::DemoOptions { leads, seed: 42 }).unwrap();
        eprintln!("generated {} in {:.1} s", tmp.display(), report.seconds);
        drop(store);
        std::fs::rename(&tmp, &path).unwrap();
    }
    path
}

/// `target/bench-data/demo-100000-new-50000.db`: the 100k demo file with leads moved into
/// the New stage until that column holds `cards` (issue 8 asks for a keystroke at the bottom
/// of a 50,000-card column; the demo's largest holds about 30,000), made once.
pub fn file_with_new_column_of(cards: i64) -> PathBuf {
    let source = data_file(100_000);
    let path = source.with_file_name(format!("demo-100000-new-{cards}.db"));
    if !path.exists() {
        let tmp = path.with_extension("partial");
        std::fs::copy(&source, &tmp).unwrap();
        let conn = rusqlite::Connection::open(&tmp).unwrap();
        let stage = |code: &str| -> i64 {
            conn.query_row("SELECT id FROM stages WHERE code = ?1 ORDER BY id LIMIT 1", [code], |r| r.get(0)).unwrap()
        };
        let (new, in_process, processed) = (stage("NEW"), stage("IN_PROCESS"), stage("PROCESSED"));
        let count = || -> i64 {
            conn.query_row("SELECT count(*) FROM leads WHERE stage_id = ?1", [new], |r| r.get(0)).unwrap()
        };
        // The column totals follow through their triggers.
        conn.execute(
            "UPDATE leads SET stage_id = ?1 WHERE id IN (SELECT id FROM leads WHERE stage_id IN (?2, ?3) ORDER BY id LIMIT ?4)",
            rusqlite::params![new, in_process, processed, cards - count()],
        )
        .unwrap();
        assert_eq!(count(), cards);
        drop(conn);
        std::fs::rename(&tmp, &path).unwrap();
    }
    path
}

/// The file, signed in as alice (a salesperson of the demo).
pub fn open(path: &std::path::Path) -> Service {
    open_as(path, "alice")
}

/// The file, signed in as `login`.
pub fn open_as(path: &std::path::Path, login: &str) -> Service {
    let mut store = Service::open(path, OpenOptions { lang: Lang::En, ..Default::default() }).unwrap();
    store.sign_in(login).unwrap();
    store
}

/// Runs effects synchronously until none is left, as the worker thread would.
pub fn settle(app: &mut App, store: &mut Service, mut effects: Vec<Effect>) {
    while let Some(e) = (!effects.is_empty()).then(|| effects.remove(0)) {
        for ev in worker::run(store, app.lang, e) {
            effects.extend(update::on_store(app, ev));
        }
    }
}

/// Draws a frame.
pub fn draw(app: &App, term: &mut Terminal<TestBackend>) {
    term.draw(|f| views::draw(app, f)).unwrap();
}

/// The app after its start: the Kanban loaded.
pub fn ready_app(store: &mut Service) -> App {
    ready_app_as(store, "alice")
}

/// The app after its start for `login`: the Kanban loaded.
pub fn ready_app_as(store: &mut Service, login: &str) -> App {
    let mut app = App::new(Lang::En, login, "demo.db", store.now());
    app.size = (160, 48);
    let start = update::start(&mut app);
    settle(&mut app, store, start);
    app
}

/// Runs `actions` through the app as one keystroke: update, effects, frame.
pub fn key(app: &mut App, store: &mut Service, term: &mut Terminal<TestBackend>, actions: &[Action]) {
    for a in actions {
        let e = update::update(app, *a);
        settle(app, store, e);
    }
    draw(app, term);
}

/// One screen step timed `steps` times on an open store signed in as `login`: `setup`
/// first, then `step` timed and `undo` untimed, in turn (after ten untimed rounds).
pub fn timed(
    path: &std::path::Path,
    login: &str,
    steps: usize,
    [setup, step, undo]: [&[Action]; 3],
) -> Vec<std::time::Duration> {
    let mut store = open_as(path, login);
    let mut app = ready_app_as(&mut store, login);
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    key(&mut app, &mut store, &mut term, setup);
    let mut out = Vec::with_capacity(steps);
    for i in 0..steps + 10 {
        let t = std::time::Instant::now();
        key(&mut app, &mut store, &mut term, step);
        if i >= 10 {
            out.push(t.elapsed());
        }
        key(&mut app, &mut store, &mut term, undo);
    }
    out
}

/// Median and p99 of `times`, in ms.
pub fn summary(mut times: Vec<std::time::Duration>) -> (f64, f64) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0;
    (at(0.5), at(0.99))
}

/// `target/bench-data/demo-100000-fields.db`: the 100k demo file with ten fields of the
/// team's own on leads (issue 27's bench): budget (money), temperature (list) and callback
/// (date) shown in lists, seven others; nine leads in ten hold a budget, a temperature and a
/// callback, about half hold each other field. Made once, the values written by SQL with
/// the order keys the store would give them (`field_filter::sort_key`).
pub fn file_with_custom_fields() -> PathBuf {
    use prospect::domain::custom_field::{CustomField, FieldType};
    let source = data_file(100_000);
    let path = source.with_file_name("demo-100000-fields.db");
    if path.exists() {
        return path;
    }
    let tmp = path.with_extension("partial");
    std::fs::copy(&source, &tmp).unwrap();
    let mut store = Service::open(&tmp, OpenOptions { lang: Lang::En, ..Default::default() }).unwrap();
    let specs: [(&str, FieldType, bool, &[&str]); 10] = [
        ("budget", FieldType::Money, true, &[]),
        ("temperature", FieldType::List, true, &["Hot", "Warm", "Cold"]),
        ("callback", FieldType::Date, true, &[]),
        ("seats", FieldType::Number, false, &[]),
        ("region", FieldType::List, false, &["North", "South", "East", "West"]),
        ("note", FieldType::Text, false, &[]),
        ("signed", FieldType::Bool, false, &[]),
        ("site", FieldType::Url, false, &[]),
        ("contact_mail", FieldType::Email, false, &[]),
        ("renewal", FieldType::Date, false, &[]),
    ];
    let mut fields = Vec::new();
    for (code, kind, in_list, options) in specs {
        let f = CustomField {
            in_list,
            options: options.iter().map(|o| o.to_string()).collect(),
            ..CustomField::new(prospect::domain::fields::Entity::Lead, code, kind)
        };
        fields.push(store.add_custom_field(&f).unwrap());
    }
    drop(store);
    let mut conn = rusqlite::Connection::open(&tmp).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare("INSERT INTO custom_values (field_id, entity_id, value, sort_key) VALUES (?1, ?2, ?3, ?4)")
            .unwrap();
        let ids: Vec<i64> = tx
            .prepare("SELECT id FROM leads")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        for id in ids {
            let n = id as u64 * 2_654_435_761 % 1_000_003;
            for (i, f) in fields.iter().enumerate() {
                let shown = i < 3;
                if (shown && n.is_multiple_of(10)) || (!shown && (n >> i).is_multiple_of(2)) {
                    continue;
                }
                let value = match f.code.as_str() {
                    "budget" => format!("{} EUR", (n % 5_000) * 1_000),
                    "temperature" => f.options[(n % 3) as usize].clone(),
                    "callback" | "renewal" => format!("2026-{:02}-{:02}", n % 12 + 1, n % 28 + 1),
                    "seats" => (n % 500).to_string(),
                    "region" => f.options[(n % 4) as usize].clone(),
                    "note" => format!("Lead note {n}"),
                    "signed" => (n % 2).to_string(),
                    "site" => format!("https://site{n}.example"),
                    _ => format!("contact{n}@example.com"),
                };
                let key = prospect::domain::field_filter::sort_key(f, &value);
                insert.execute(rusqlite::params![f.id, id, value, key]).unwrap();
            }
        }
    }
    tx.commit().unwrap();
    conn.execute_batch("ANALYZE").unwrap();
    drop(conn);
    std::fs::rename(&tmp, &path).unwrap();
    path
}
