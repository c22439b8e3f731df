//! The screens of docs/PERFORMANCE.md on both engines side by side, at 100k demo leads: the
//! SQLite demo file (`target/bench-data/demo-100000.db`) and the same data copied once into
//! a PostgreSQL database on the test server (`db migrate-to`; the database
//! `prospect_bench_demo_100000`, kept between runs). Each step runs through the app as a
//! keystroke does (update, the worker's effects, a 160×48 frame), timed alone many times;
//! the table gives each engine's median and p99 and PostgreSQL's ratio to SQLite. The import
//! is timed as a whole process (`prospect import` of the 100k-lead CSV into an empty
//! database). Run: `cargo bench --bench engines` (needs the test server: `.ci/postgres`).

#[allow(dead_code)]
mod common;

use common::{data_file, draw, open, ready_app, summary, timed};
use prospect::domain::fields::Entity;
use prospect::store::RecordRef;
use prospect::store::postgres::scratch;
use prospect::tui::action::{Action, InputKey, Tab};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const LEADS: usize = 100_000;
const STEPS: usize = 200;

/// The PostgreSQL database holding the 100k demo, copied from the file once.
fn pg_data(server: &str) -> PathBuf {
    let name = format!("prospect_bench_demo_{LEADS}");
    let url = scratch::with_dbname(server, &name);
    let mut admin = postgres::Client::connect(server, postgres::NoTls).expect("the test server");
    let exists = admin.query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name]).unwrap().is_some();
    if !exists {
        admin.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")).unwrap();
        let started = Instant::now();
        let file = open(&data_file(LEADS));
        if let Err(e) = file.migrate_to(std::path::Path::new(&url)) {
            let _ = admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"));
            panic!("copying the demo into {url}: {e}");
        }
        eprintln!("copied the {LEADS}-lead demo into {name} in {:.1} s", started.elapsed().as_secs_f64());
    }
    PathBuf::from(url)
}

/// The measures of one engine, by row of the table.
fn measure(path: &std::path::Path) -> Vec<(&'static str, Vec<Duration>)> {
    use Action::*;
    let mut rows = Vec::new();
    let first: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            let mut store = open(path);
            let app = ready_app(&mut store);
            draw(&app, &mut Terminal::new(TestBackend::new(160, 48)).unwrap());
            t.elapsed()
        })
        .collect();
    rows.push(("first Kanban frame (open + board)", first));
    rows.push(("Kanban: next card", timed(path, "alice", STEPS, [&[], &[Down], &[Up]])));
    rows.push((
        "list: first page",
        timed(path, "alice", STEPS, [&[], &[Show(Tab::LeadList)], &[Show(Tab::LeadBoard)]]),
    ));
    rows.push(("list: next row", timed(path, "alice", STEPS, [&[Show(Tab::LeadList)], &[Down], &[Up]])));
    rows.push(("open a card", timed(path, "alice", STEPS, [&[], &[Open], &[Back]])));
    let typed: Vec<Action> = "dupo".chars().map(|c| Input(InputKey::Char(c))).collect();
    let mut search_open = vec![Search];
    search_open.extend(&typed[..3]);
    rows.push((
        "search: a keystroke (4th letter)",
        timed(path, "alice", STEPS, [&search_open, &typed[3..], &[Input(InputKey::Backspace)]]),
    ));
    rows.push((
        "activities board",
        timed(path, "alice", STEPS, [&[], &[Show(Tab::Activities)], &[Show(Tab::LeadBoard)]]),
    ));
    rows.push(("calendar month", timed(path, "alice", STEPS, [&[], &[Show(Tab::Calendar)], &[Show(Tab::LeadBoard)]])));
    // A committed stage move, back and forth, through the service (what the worker runs).
    let mut store = open(path);
    // A lead never moved by an earlier run: each move is a stage in its history, which the
    // report triggers read (the bench's data is kept between runs).
    let filter = prospect::store::ListFilter { stage: Some("NEW".into()), limit: 5_000, ..Default::default() };
    let leads = store.list(Entity::Lead, &filter).unwrap();
    let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as usize;
    let id = leads[run % leads.len()].id;
    let moves: Vec<Duration> = (0..STEPS)
        .map(|i| {
            let to = if i % 2 == 0 { "IN_PROCESS" } else { "NEW" };
            let t = Instant::now();
            store.move_stage(RecordRef::new(Entity::Lead, id), to, None, None).unwrap();
            t.elapsed()
        })
        .collect();
    rows.push(("stage move committed", moves));
    rows
}

/// `prospect import` of the 100k-lead CSV into an empty database, as a whole process.
fn import_seconds(db: &std::path::Path, csv: &std::path::Path) -> f64 {
    let t = Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_prospect"))
        .args(["--db", db.to_str().unwrap(), "--user", "alice", "--json", "import", csv.to_str().unwrap()])
        .env("PROSPECT_CONFIG", "/nonexistent/prospect.toml")
        .output()
        .unwrap();
    assert!(out.status.success(), "import into {}: {}", db.display(), String::from_utf8_lossy(&out.stderr));
    t.elapsed().as_secs_f64()
}

/// The demo's leads as a CSV, exported once from the file.
fn leads_csv() -> PathBuf {
    let path = data_file(LEADS).with_file_name(format!("leads-{LEADS}.csv"));
    if !path.exists() {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_prospect"))
            .args(["--db", data_file(LEADS).to_str().unwrap(), "--user", "alice", "export", "--entity", "lead"])
            .args(["--out", path.to_str().unwrap()])
            .env("PROSPECT_CONFIG", "/nonexistent/prospect.toml")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    path
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let Some(server) = scratch::server() else {
        eprintln!("{}", scratch::unavailable());
        return;
    };
    let file = data_file(LEADS);
    let pg = pg_data(&server);
    let lite = measure(&file);
    let post = measure(&pg);
    println!("\n{LEADS} demo leads; ms; median and p99 of {STEPS} steps (20 for the first frame)\n");
    println!("| step | SQLite median | SQLite p99 | PostgreSQL median | PostgreSQL p99 | ratio (median) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for ((name, l), (_, p)) in lite.into_iter().zip(post) {
        let (lm, l99) = summary(l);
        let (pm, p99) = summary(p);
        println!("| {name} | {lm:.2} | {l99:.2} | {pm:.2} | {p99:.2} | {:.1}x |", pm / lm);
    }
    if std::env::args().any(|a| a == "import") {
        let csv = leads_csv();
        let dir = tempfile::tempdir().unwrap();
        let lite = import_seconds(&dir.path().join("import.db"), &csv);
        let db = scratch::ScratchDb::create(&server).unwrap();
        let post = import_seconds(std::path::Path::new(&db.url), &csv);
        let rate = |s: f64| LEADS as f64 / s;
        println!(
            "| import of {LEADS} rows (whole process) | {lite:.1} s ({:.0}/s) | | {post:.1} s ({:.0}/s) | | {:.1}x |",
            rate(lite),
            rate(post),
            post / lite
        );
    }
}
