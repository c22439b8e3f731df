//! What a salesperson waits for, measured in-process on demo files of 10k and 100k leads
//! (`target/bench-data/demo-N.db`, generated once by the demo generator with seed 42):
//! first Kanban frame, a navigation keystroke, a committed stage move, search per keystroke,
//! the activities board and the calendar month. Figures and method: docs/PERFORMANCE.md.

#[allow(dead_code)]
mod common;

use common::{SIZES, data_file, draw, file_with_new_column_of, open, ready_app, settle};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use prospect::domain::fields::Entity;
use prospect::service::Service;
use prospect::store::RecordRef;
use prospect::tui::action::Action;
use prospect::tui::app::App;
use prospect::tui::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Duration;

fn first_frame(c: &mut Criterion) {
    let mut g = c.benchmark_group("first_kanban_frame");
    for n in SIZES {
        let path = data_file(n);
        g.bench_with_input(BenchmarkId::from_parameter(n), &path, |b, path| {
            b.iter(|| {
                let mut store = open(path);
                let app = ready_app(&mut store);
                let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
                draw(&app, &mut term);
            })
        });
    }
    g.finish();
}

fn keystroke(c: &mut Criterion) {
    let mut g = c.benchmark_group("keystroke_to_frame");
    for n in SIZES {
        let mut store = open(&data_file(n));
        let mut app = ready_app(&mut store);
        let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
        for (name, setup) in [("kanban_top", vec![]), ("kanban_bottom_of_new", vec![Action::Bottom])] {
            for a in setup {
                let e = update::update(&mut app, a);
                settle(&mut app, &mut store, e);
            }
            g.bench_function(BenchmarkId::new(name, n), |b| up_and_down(b, &mut app, &mut store, &mut term));
        }
        let e = update::update(&mut app, Action::Show(prospect::tui::action::Tab::LeadList));
        settle(&mut app, &mut store, e);
        g.bench_function(BenchmarkId::new("list", n), |b| up_and_down(b, &mut app, &mut store, &mut term));
    }
    // The bottom of a 50,000-card column (the 100k file with leads moved into New).
    let mut store = open(&file_with_new_column_of(50_000));
    let mut app = ready_app(&mut store);
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let e = update::update(&mut app, Action::Bottom);
    settle(&mut app, &mut store, e);
    let new = &app.board(Entity::Lead).columns[0];
    assert_eq!((new.cursor, new.cards.is_empty()), (49_999, false), "on the last card of New, loaded");
    g.bench_function(BenchmarkId::new("kanban_bottom_of_50000_cards", 100_000), |b| {
        up_and_down(b, &mut app, &mut store, &mut term)
    });
    g.finish();
}

/// One keystroke to its frame, up and down in turn: the cursor stays where the setup put it
/// (at the bottom of a column, an Up first).
fn up_and_down(b: &mut criterion::Bencher, app: &mut App, store: &mut Service, term: &mut Terminal<TestBackend>) {
    let mut up = true;
    b.iter(|| {
        let action = if up { Action::Up } else { Action::Down };
        up = !up;
        let e = update::update(app, action);
        settle(app, store, e);
        draw(app, term);
    })
}

fn stage_move(c: &mut Criterion) {
    let mut g = c.benchmark_group("stage_move_committed");
    for n in SIZES {
        let mut store = open(&data_file(n));
        let id = store
            .list(
                Entity::Lead,
                &prospect::store::ListFilter { stage: Some("NEW".into()), limit: 1, ..Default::default() },
            )
            .unwrap()[0]
            .id;
        let mut forth = true;
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                let to = if forth { "IN_PROCESS" } else { "NEW" };
                forth = !forth;
                store.move_stage(RecordRef::new(Entity::Lead, id), to, None, None).unwrap();
            })
        });
    }
    g.finish();
}

fn search(c: &mut Criterion) {
    let mut g = c.benchmark_group("search_per_keystroke");
    for n in SIZES {
        let store = open(&data_file(n));
        for prefix in ["d", "du", "dup", "dupo", "dupont", "mar", "mart", "06 1", "0612", "336"] {
            g.bench_function(BenchmarkId::new(prefix, n), |b| b.iter(|| store.search(prefix, 30).unwrap()));
        }
    }
    g.finish();
}

/// A page of the lead list in each order the list's `s` key offers (100 rows, as the TUI
/// loads), and a page deep into the title order.
fn sorted_list(c: &mut Criterion) {
    use prospect::store::records::{ListSort, SortField};
    let mut g = c.benchmark_group("list_sorted");
    let keys = [
        ("title", SortField::Title, false, 0),
        ("title_reversed", SortField::Title, true, 0),
        ("title_page_100", SortField::Title, false, 9_900),
        ("amount", SortField::Amount, false, 0),
        ("amount_reversed", SortField::Amount, true, 0),
        ("stage", SortField::Stage, false, 0),
        ("responsible", SortField::Responsible, false, 0),
        ("next_activity", SortField::NextActivity, false, 0),
    ];
    for n in SIZES {
        let store = open(&data_file(n));
        for (name, key, reverse, offset) in keys {
            let filter = prospect::store::ListFilter {
                sort: Some(ListSort { key, reverse }),
                offset,
                limit: prospect::tui::app::PAGE,
                ..Default::default()
            };
            g.bench_function(BenchmarkId::new(name, n), |b| b.iter(|| store.list(Entity::Lead, &filter).unwrap()));
        }
        // Sorted within a filter: the New stage (`t`), and mine without junk (`M`).
        let title = Some(ListSort { key: SortField::Title, reverse: false });
        let amount = Some(ListSort { key: SortField::Amount, reverse: false });
        let in_new = prospect::store::ListFilter { stage: Some("NEW".into()), ..Default::default() };
        let mine =
            prospect::store::ListFilter { responsible: Some("alice".into()), hide_failed: true, ..Default::default() };
        for (name, base, sort) in [
            ("title_in_new", &in_new, title),
            ("amount_in_new", &in_new, amount),
            ("title_mine", &mine, title),
            ("amount_mine", &mine, amount),
        ] {
            let filter = prospect::store::ListFilter { sort, limit: prospect::tui::app::PAGE, ..base.clone() };
            g.bench_function(BenchmarkId::new(name, n), |b| b.iter(|| store.list(Entity::Lead, &filter).unwrap()));
        }
    }
    g.finish();
}

/// The next lead to triage, and how many are left: what each triage keystroke asks.
fn triage(c: &mut Criterion) {
    let mut g = c.benchmark_group("triage_next");
    for n in SIZES {
        let store = open(&data_file(n));
        g.bench_function(BenchmarkId::from_parameter(n), |b| b.iter(|| store.triage_next(&[], None).unwrap()));
    }
    g.finish();
}

fn agenda(c: &mut Criterion) {
    let mut g = c.benchmark_group("activities_views");
    for n in SIZES {
        let mut store = open(&data_file(n));
        let mut app = ready_app(&mut store);
        g.bench_function(BenchmarkId::new("activities_board", n), |b| {
            b.iter(|| {
                let e = update::update(&mut app, Action::Show(prospect::tui::action::Tab::Activities));
                settle(&mut app, &mut store, e);
            })
        });
        g.bench_function(BenchmarkId::new("calendar_month", n), |b| {
            b.iter(|| {
                let e = update::update(&mut app, Action::Show(prospect::tui::action::Tab::Calendar));
                settle(&mut app, &mut store, e);
            })
        });
    }
    g.finish();
}

/// A lead list built from fields at 100k leads with ten fields (issue 27): three shown as
/// columns, filtered by one and sorted by one, as the list's worker reads it (the view made
/// a filter, the page, its column values) and its header's total.
fn list_by_fields(c: &mut Criterion) {
    use prospect::domain::list_view::ViewSpec;
    let mut g = c.benchmark_group("list_by_fields");
    let store = open(&common::file_with_custom_fields());
    let spec = |wheres: &[&str], sort: &str, reverse: bool| ViewSpec {
        wheres: wheres.iter().map(|w| w.to_string()).collect(),
        sort: (!sort.is_empty()).then(|| sort.to_string()),
        reverse,
        ..Default::default()
    };
    let cases = [
        ("columns_newest", spec(&[], "", false)),
        ("sorted_by_budget", spec(&[], "budget", false)),
        ("sorted_by_budget_largest", spec(&[], "budget", true)),
        ("budget_over_40k_by_budget", spec(&["budget>=40000"], "budget", false)),
        ("hot_by_callback", spec(&["temperature=hot"], "callback", false)),
        ("hot_in_new_by_budget", spec(&["temperature=hot"], "budget", true)),
        ("note_contains_by_title", spec(&["note~99"], "title", false)),
    ];
    // The calendar by a date field (SPEC V4): a month grid's six weeks counted per day by the
    // leads' "callback" date (about 1,200 on the days holding any), and the first 200 of one such day.
    let by = store.date_field(Entity::Lead, "callback").unwrap();
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 6, d).unwrap();
    g.bench_function(BenchmarkId::new("calendar_callback_six_weeks", 100_000), |b| {
        b.iter(|| store.count_by_day(&by, day(1), day(1) + chrono::Duration::days(42)).unwrap())
    });
    g.bench_function(BenchmarkId::new("calendar_callback_day", 100_000), |b| {
        b.iter(|| store.records_on(&by, day(2), 200).unwrap())
    });
    for (name, view) in cases {
        let base = if name == "hot_in_new_by_budget" {
            prospect::store::ListFilter { stage: Some("NEW".into()), ..Default::default() }
        } else {
            prospect::store::ListFilter::default()
        };
        g.bench_function(BenchmarkId::new(name, 100_000), |b| {
            b.iter(|| {
                let mut filter = prospect::store::ListFilter { limit: prospect::tui::app::PAGE, ..base.clone() };
                store.apply_view(Entity::Lead, &mut filter, &view).unwrap();
                store.list(Entity::Lead, &filter).unwrap()
            })
        });
    }
    let mut filter = prospect::store::ListFilter::default();
    store.apply_view(Entity::Lead, &mut filter, &spec(&["budget>=40000"], "", false)).unwrap();
    g.bench_function(BenchmarkId::new("totals_budget_over_40k", 100_000), |b| {
        b.iter(|| store.list_totals(Entity::Lead, &filter).unwrap())
    });
    g.bench_function(BenchmarkId::new("totals_all", 100_000), |b| {
        b.iter(|| store.list_totals(Entity::Lead, &prospect::store::ListFilter::default()).unwrap())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = first_frame, keystroke, stage_move, search, sorted_list, triage, agenda, list_by_fields
}
criterion_main!(benches);
