//! Bulk loads, timed as whole `prospect` processes as a user runs them:
//! `prospect demo --leads N` into a new file, and `prospect import leads.csv` of the demo's
//! N leads (exported once to `target/bench-data/leads-N.csv`) into a file holding the demo's
//! users only. Figures and method: docs/PERFORMANCE.md.
//!
//! `bulk_floor` times what SQLite alone needs to write the same result: the rows copied from
//! a file the load made (`INSERT … SELECT`, no parsing, no binding, no checks of ours), the
//! indexes a bulk load sets aside built again, the search index made by the same statements,
//! and the commit, one after the other on one thread. A load does the same work and more, but
//! builds the search index on a second thread when the file had none (`search::IndexAside`):
//! only that overlap lets it come under its floor.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SIZES: [usize; 2] = [10_000, 100_000];
const USERS: [&str; 5] = ["alice", "bruno", "chloe", "david", "emma"];

fn prospect(db: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_prospect")).arg("--db").arg(db).args(args).output().unwrap();
    assert!(out.status.success(), "prospect {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// The CSV of the demo's `leads` leads, made once.
fn leads_csv(leads: usize) -> PathBuf {
    let dir = data_dir();
    let csv = dir.join(format!("leads-{leads}.csv"));
    if !csv.exists() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("demo.db");
        prospect(&db, &["demo", "--leads", &leads.to_string()]);
        let partial = dir.join(format!("leads-{leads}.csv.partial"));
        prospect(&db, &["export", "--entity", "lead", "--out", partial.to_str().unwrap()]);
        std::fs::rename(&partial, &csv).unwrap();
    }
    csv
}

fn bulk(c: &mut Criterion) {
    let mut group = c.benchmark_group("bulk");
    group.sample_size(10).measurement_time(Duration::from_secs(60)).warm_up_time(Duration::from_secs(1));
    for leads in SIZES {
        group.bench_with_input(BenchmarkId::new("demo", leads), &leads, |b, &leads| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let tmp = tempfile::tempdir().unwrap();
                    let db = tmp.path().join("demo.db");
                    let started = Instant::now();
                    prospect(&db, &["demo", "--leads", &leads.to_string()]);
                    total += started.elapsed();
                }
                total
            })
        });
        let csv = leads_csv(leads);
        group.bench_with_input(BenchmarkId::new("import", leads), &leads, |b, _| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let tmp = tempfile::tempdir().unwrap();
                    let db = tmp.path().join("import.db");
                    for user in USERS {
                        prospect(&db, &["user", "add", user]);
                    }
                    let started = Instant::now();
                    prospect(&db, &["import", csv.to_str().unwrap(), "--duplicates", "all"]);
                    total += started.elapsed();
                }
                total
            })
        });
    }
    group.finish();
}

fn data_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `path`, made once by `make` (into a temporary name, so an interrupted run makes it again),
/// and upgraded to this version's schema if an older one made it.
fn made_once(path: PathBuf, make: impl FnOnce(&Path)) -> PathBuf {
    if !path.exists() {
        let partial = path.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        make(&partial);
        std::fs::rename(&partial, &path).unwrap();
    }
    drop(prospect::service::Service::open(&path, Default::default()).unwrap());
    path
}

/// Copies every row of `source` into `target` (same schema) as a bulk load would have
/// written them, and says how long it took.
fn floor_copy(target: &Path, source: &Path) -> Duration {
    let conn = rusqlite::Connection::open(target).unwrap();
    rusqlite::vtab::array::load_module(&conn).unwrap();
    // The search entries' text is made by the app, on a load's reading thread: not SQLite's work.
    let entries = prospect::store::sqlite::search::all_entries(&rusqlite::Connection::open(source).unwrap()).unwrap();
    // The app's settings for a bulk load (store::Store::configure, set_bulk_cache); foreign
    // keys are not checked, which only lowers the floor.
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA cache_size = -131072; PRAGMA foreign_keys = OFF").unwrap();
    let started = Instant::now();
    conn.execute("ATTACH ?1 AS src", [source.to_str().unwrap()]).unwrap();
    conn.execute_batch("BEGIN").unwrap();
    let dropped = prospect::store::sqlite::bulk::set_aside(&conn, &[]).unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'search%' \
             AND name NOT LIKE 'sqlite%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for t in &tables {
        conn.execute_batch(&format!("DELETE FROM main.\"{t}\"; INSERT INTO main.\"{t}\" SELECT * FROM src.\"{t}\";"))
            .unwrap();
    }
    prospect::store::sqlite::bulk::restore(&conn, &dropped).unwrap();
    conn.execute("INSERT INTO search (search) VALUES ('delete-all')", []).unwrap();
    prospect::store::sqlite::search::write_entries(&conn, entries).unwrap();
    conn.execute_batch("COMMIT").unwrap();
    started.elapsed()
}

fn bulk_floor(c: &mut Criterion) {
    let mut group = c.benchmark_group("bulk_floor");
    group.sample_size(10).measurement_time(Duration::from_secs(40)).warm_up_time(Duration::from_secs(1));
    let users_only = made_once(data_dir().join("users-only.db"), |db| {
        for user in USERS {
            prospect(db, &["user", "add", user]);
        }
    });
    for leads in SIZES {
        let csv = leads_csv(leads);
        let imported = made_once(data_dir().join(format!("imported-{leads}.db")), |db| {
            std::fs::copy(&users_only, db).unwrap();
            prospect(db, &["import", csv.to_str().unwrap(), "--duplicates", "all"]);
        });
        let demo = made_once(data_dir().join(format!("bulk-demo-{leads}.db")), |db| {
            prospect(db, &["demo", "--leads", &leads.to_string()]);
        });
        // Every table is emptied before the copy: one start file serves both.
        for (name, source) in [("import", &imported), ("demo", &demo)] {
            group.bench_with_input(BenchmarkId::new(name, leads), &leads, |b, _| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let tmp = tempfile::tempdir().unwrap();
                        let db = tmp.path().join("floor.db");
                        std::fs::copy(&users_only, &db).unwrap();
                        total += floor_copy(&db, source);
                    }
                    total
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bulk, bulk_floor);
criterion_main!(benches);
