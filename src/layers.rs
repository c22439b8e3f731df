//! (tests) Dependencies point one way: the layers of docs/ARCHITECTURE.md, read from the
//! source, so that a new `use` that closes a cycle fails here rather than in a later split.

use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir)];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else if p.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&p).unwrap();
            out.push((p, text));
        }
    }
    assert!(!out.is_empty(), "no source under src/{dir}");
    out
}

/// The files under `dir` whose code (not comments) names `path`.
fn naming(dir: &str, path: &str) -> Vec<String> {
    sources(dir)
        .into_iter()
        .filter(|(_, text)| text.lines().any(|l| !l.trim_start().starts_with("//") && l.contains(path)))
        .map(|(p, _)| p.display().to_string())
        .collect()
}

#[test]
fn formats_use_the_domain_never_the_store_and_the_store_no_format() {
    assert_eq!(naming("io", "crate::store"), Vec::<String>::new());
    assert_eq!(naming("store", "crate::io"), Vec::<String>::new());
    assert_eq!(naming("domain", "crate::store"), Vec::<String>::new());
    assert_eq!(naming("domain", "crate::io"), Vec::<String>::new());
}

#[test]
fn the_app_uses_no_view_and_record_commands_are_not_used_by_dedup_ones() {
    assert_eq!(naming("tui/app.rs", "views::"), Vec::<String>::new());
    assert_eq!(naming("cli/dedup.rs", "super::records"), Vec::<String>::new());
    assert_eq!(naming("cli/args.rs", "super::records"), Vec::<String>::new());
}

#[test]
fn the_interfaces_open_the_service_never_an_engine() {
    for dir in ["cli", "tui"] {
        assert_eq!(naming(dir, "store::sqlite"), Vec::<String>::new(), "{dir}");
        assert_eq!(naming(dir, "store::postgres"), Vec::<String>::new(), "{dir}");
        assert_eq!(naming(dir, "postgres::"), Vec::<String>::new(), "{dir}");
        assert_eq!(naming(dir, "rusqlite"), Vec::<String>::new(), "{dir}");
    }
    assert_eq!(naming("service", "crate::cli"), Vec::<String>::new());
    assert_eq!(naming("service", "crate::tui"), Vec::<String>::new());
}

#[test]
fn only_the_sqlite_engine_names_rusqlite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed = |p: &Path| {
        p.starts_with(root.join("store/sqlite")) || p == root.join("memory.rs") || p == root.join("layers.rs")
    };
    let mut named: Vec<String> = naming("", "rusqlite").into_iter().filter(|p| !allowed(Path::new(p))).collect();
    named.sort();
    assert_eq!(named, Vec::<String>::new());
}

/// The engine is handed records (`BulkSink::load_records`); what the demo makes is the
/// service's to ask for (`Service::load_demo`). Only a unit test of the SQLite engine uses the
/// demo's generator, as data.
#[test]
fn the_store_knows_no_service_and_makes_no_demo() {
    assert_eq!(naming("store", "crate::service"), Vec::<String>::new());
    let demo: Vec<String> = naming("store", "crate::demo");
    assert!(demo.iter().all(|p| p.ends_with("store/sqlite/bulk/tests.rs")), "{demo:?}");
}

/// Who may see or administer what is decided by the service (`domain::access`), once; an
/// engine applies the `Sight` it is handed and decides nothing. Stage rules alone, run inside
/// an engine's transaction on every path, ask `domain::access` there for their mover's
/// rights (`store/rules.rs`, the same on both engines).
#[test]
fn the_engine_decides_no_access() {
    for rule in ["Rights::new", ".allows(", ".reach(", "may_administer", "require_admin"] {
        let named: Vec<String> = naming("store", rule).into_iter().filter(|p| !p.ends_with("store/rules.rs")).collect();
        assert_eq!(named, Vec::<String>::new(), "{rule}");
    }
}
