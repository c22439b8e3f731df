//! Issue 26: a restricted user's screens at 100k leads, on both engines. The 100k demo file
//! copied once (`target/bench-data/demo-100000-tenth.db`) with one more user, rita, a Manager
//! responsible for every tenth lead: she sees 10% of them (and nobody's). The same data goes
//! once into the PostgreSQL database `prospect_bench_tenth_100000` (`db migrate-to`). Each
//! step runs through the app as a keystroke does (update, the worker's effects, a 160×48
//! frame) signed in as rita; the table gives median and p99 per engine. Run:
//! `cargo bench --bench rights` (needs the test server: `.ci/postgres`).

#[allow(dead_code)]
mod common;

use common::{data_file, draw, open, open_as, ready_app_as, summary, timed};
use prospect::store::postgres::scratch;
use prospect::store::users::NewUser;
use prospect::tui::action::{Action, InputKey, Tab};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const LEADS: usize = 100_000;
const STEPS: usize = 200;
const WHO: &str = "rita";

/// The demo file with rita responsible for every tenth lead, made once.
fn tenth_file() -> PathBuf {
    let source = data_file(LEADS);
    let path = source.with_file_name(format!("demo-{LEADS}-tenth.db"));
    if !path.exists() {
        let tmp = path.with_extension("partial");
        let _ = std::fs::remove_file(&tmp);
        // Opened once so that it is at today's schema before it is copied.
        drop(open(&source));
        std::fs::copy(&source, &tmp).unwrap();
        let mut admin = open(&tmp);
        let rita = NewUser { login: WHO.into(), roles: vec!["Manager".into()], ..Default::default() };
        admin.add_user(&rita).unwrap();
        drop(admin);
        let conn = rusqlite::Connection::open(&tmp).unwrap();
        // The column totals follow through their triggers.
        conn.execute(
            "UPDATE leads SET responsible_id = (SELECT id FROM users WHERE login = ?1) WHERE id % 10 = 3",
            [WHO],
        )
        .unwrap();
        drop(conn);
        std::fs::rename(&tmp, &path).unwrap();
    }
    path
}

/// The same data on the server, copied from the file once.
fn pg_data(server: &str, file: &std::path::Path) -> PathBuf {
    let name = format!("prospect_bench_tenth_{LEADS}");
    let url = scratch::with_dbname(server, &name);
    let mut admin = postgres::Client::connect(server, postgres::NoTls).expect("the test server");
    let exists = admin.query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name]).unwrap().is_some();
    if !exists {
        admin.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")).unwrap();
        if let Err(e) = open(file).migrate_to(std::path::Path::new(&url)) {
            let _ = admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"));
            panic!("copying into {url}: {e}");
        }
    }
    PathBuf::from(url)
}

fn measure(path: &std::path::Path) -> Vec<(&'static str, Vec<Duration>)> {
    use Action::*;
    let mut rows = Vec::new();
    {
        // What she sees: a tenth of the leads, counted on the board.
        let store = open_as(path, WHO);
        let seen = store.count(prospect::domain::fields::Entity::Lead).unwrap();
        assert!((9_000..=12_000).contains(&seen), "{WHO} sees {seen} leads");
    }
    let first: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            let mut store = open_as(path, WHO);
            let app = ready_app_as(&mut store, WHO);
            draw(&app, &mut Terminal::new(TestBackend::new(160, 48)).unwrap());
            t.elapsed()
        })
        .collect();
    rows.push(("first Kanban frame (open + board)", first));
    rows.push(("Kanban: next card", timed(path, WHO, STEPS, [&[], &[Down], &[Up]])));
    rows.push(("list: first page", timed(path, WHO, STEPS, [&[], &[Show(Tab::LeadList)], &[Show(Tab::LeadBoard)]])));
    rows.push(("list: next row", timed(path, WHO, STEPS, [&[Show(Tab::LeadList)], &[Down], &[Up]])));
    rows.push(("open a card", timed(path, WHO, STEPS, [&[], &[Open], &[Back]])));
    let typed: Vec<Action> = "dupo".chars().map(|c| Input(InputKey::Char(c))).collect();
    let mut search_open = vec![Search];
    search_open.extend(&typed[..3]);
    rows.push((
        "search: a keystroke (4th letter)",
        timed(path, WHO, STEPS, [&search_open, &typed[3..], &[Input(InputKey::Backspace)]]),
    ));
    rows.push(("activities board", timed(path, WHO, STEPS, [&[], &[Show(Tab::Activities)], &[Show(Tab::LeadBoard)]])));
    rows
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let file = tenth_file();
    let lite = measure(&file);
    let post = match scratch::server() {
        Some(server) => Some(measure(&pg_data(&server, &file))),
        None => {
            eprintln!("{}", scratch::unavailable());
            None
        }
    };
    println!(
        "\n{LEADS} demo leads, signed in as {WHO} (a Manager seeing a tenth); ms; median and p99 of {STEPS} steps\n"
    );
    println!("| step | SQLite median | SQLite p99 | PostgreSQL median | PostgreSQL p99 |");
    println!("|---|---:|---:|---:|---:|");
    for (i, (name, l)) in lite.into_iter().enumerate() {
        let (lm, l99) = summary(l);
        let (pm, p99) = post.as_ref().map(|p| summary(p[i].1.clone())).unwrap_or((f64::NAN, f64::NAN));
        println!("| {name} | {lm:.2} | {l99:.2} | {pm:.2} | {p99:.2} |");
    }
}
