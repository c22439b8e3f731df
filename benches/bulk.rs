//! Bulk loads, timed as whole `prospect` processes as a user runs them:
//! `prospect demo --leads N` into a new file, and `prospect import leads.csv` of the demo's
//! N leads (exported once to `target/bench-data/leads-N.csv`) into a file holding the demo's
//! users only. Figures and method: docs/PERFORMANCE.md.

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
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
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

criterion_group!(benches, bulk);
criterion_main!(benches);
