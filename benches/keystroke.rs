//! Keystroke to drawn frame through the real event loop: the release binary runs in a
//! pseudo-terminal (`portable-pty`), its output is parsed as a terminal would (`vt100`), and
//! each measure runs from the write of a key to the first moment the parsed screen shows its
//! result. Also process start to the first frame with data. Method and figures:
//! docs/PERFORMANCE.md ("Session 14").
//!
//! `cargo bench --bench keystroke` (release build, 100,000 leads). Knobs:
//! `KEYSTROKE_LEADS` (100000), `KEYSTROKE_RUNS` (50 per key scenario), `KEYSTROKE_STARTS`
//! (20 process starts). The demo file is made once with `prospect demo` into
//! `target/bench-data/keystroke-N.db` (made again when the binary is newer), and copied to a
//! temporary directory for each run (the stage moves write to it).
//!
//! Run without `--bench` (`cargo test --bench keystroke`) it is a smoke test: 200 leads,
//! 3 runs of each scenario, with the binary of that profile.
//!
//! How "drawn" is detected: a reader thread reads the terminal's output, timestamps each chunk
//! as `read` returns it, feeds it to the parser, and then checks the armed predicate on the
//! parsed screen; the first chunk after which it holds gives the time. No sleep is on the
//! measuring path, and nothing is subtracted.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const ROWS: u16 = 35;
const COLS: u16 = 120;
/// The Kanban's columns at 120 columns: five of 24 cells.
const COLUMN: u16 = 24;
const WAIT: Duration = Duration::from_secs(20);

type Pred = Box<dyn Fn(&vt100::Screen) -> bool + Send>;

struct Shared {
    parser: vt100::Parser,
    /// The armed predicate, checked after every chunk read.
    waiting: Option<Pred>,
    /// When the chunk that made the armed predicate true was read.
    hit: Option<Instant>,
    /// When the first byte came.
    first_output: Option<Instant>,
    ended: bool,
}

/// A program in a pseudo-terminal, its screen parsed on a thread of its own.
struct Term {
    shared: Arc<(Mutex<Shared>, Condvar)>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn Child + Send + Sync>,
    reader: Option<JoinHandle<()>>,
    master: Option<Box<dyn MasterPty + Send>>,
    started: Instant,
}

impl Term {
    /// Starts `argv` in a 120x35 pseudo-terminal with only `env` in its environment. `frames`:
    /// check the screen where a frame ends (a ratatui program), otherwise after every read.
    fn spawn(argv: &[&str], env: &[(&str, &str)], frames: bool) -> Term {
        let pair = native_pty_system()
            .openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })
            .expect("cannot open a pseudo-terminal");
        let mut cmd = CommandBuilder::from_argv(argv.iter().map(Into::into).collect());
        cmd.env_clear();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let shared = Arc::new((
            Mutex::new(Shared {
                parser: vt100::Parser::new(ROWS, COLS, 0),
                waiting: None,
                hit: None,
                first_output: None,
                ended: false,
            }),
            Condvar::new(),
        ));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let from_reader = Arc::clone(&shared);
        let reader = std::thread::spawn(move || {
            let mut buf = vec![0u8; 64 * 1024];
            let mut ends = FrameEnds::default();
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let at = Instant::now();
                let (lock, cv) = &*from_reader;
                let mut s = lock.lock().unwrap_or_else(PoisonError::into_inner);
                s.first_output.get_or_insert(at);
                let chunk = &buf[..n];
                // Checked where a frame ends only: a half-drawn frame can show the old
                // screen's rows under the new screen's first lines.
                let mut from = 0;
                for (i, &byte) in chunk.iter().enumerate() {
                    if frames && !ends.after(byte) {
                        continue;
                    }
                    if !frames && i + 1 < n {
                        continue;
                    }
                    s.parser.process(&chunk[from..=i]);
                    from = i + 1;
                    s.check(at, cv);
                }
                s.parser.process(&chunk[from..]);
            }
            let (lock, cv) = &*from_reader;
            lock.lock().unwrap_or_else(PoisonError::into_inner).ended = true;
            cv.notify_all();
        });
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).expect("cannot start the program");
        drop(pair.slave);
        Term { shared, writer: Some(writer), child, reader: Some(reader), master: Some(pair.master), started }
    }

    fn screen_text(&self) -> String {
        self.shared.0.lock().unwrap_or_else(PoisonError::into_inner).parser.screen().contents()
    }

    /// Arms `pred`, writes `key` (if any), and waits until the screen satisfies `pred`.
    /// Returns the time from the write (or from the start, without a key) to the read of the
    /// chunk that satisfied it. `fresh`: the predicate must not hold before the key (a measure).
    fn step(&mut self, key: Option<&[u8]>, what: &str, fresh: bool, pred: Pred) -> Duration {
        let (lock, cv) = &*self.shared;
        {
            let mut s = lock.lock().unwrap_or_else(PoisonError::into_inner);
            if pred(s.parser.screen()) {
                if fresh {
                    panic!("{what}: the screen already shows the result before the key; screen:\n{}", contents(&s));
                }
                return Duration::ZERO;
            }
            s.hit = None;
            s.waiting = Some(pred);
        }
        let t0 = match key {
            Some(bytes) => {
                let t0 = Instant::now();
                let writer = self.writer.as_mut().unwrap();
                writer.write_all(bytes).unwrap();
                writer.flush().unwrap();
                t0
            }
            None => self.started,
        };
        let s = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let (mut s, _) = cv.wait_timeout_while(s, WAIT, |s| s.hit.is_none() && !s.ended).unwrap();
        match s.hit {
            Some(at) => at.duration_since(t0),
            None => {
                s.waiting = None;
                let why = if s.ended { "the program ended" } else { "timed out" };
                panic!("{what}: {why} after {WAIT:?} without the expected screen; screen:\n{}", contents(&s));
            }
        }
    }

    /// A measure: `key`, then the first frame where `pred` holds.
    fn measure(&mut self, key: &[u8], what: &str, pred: Pred) -> Duration {
        self.step(Some(key), what, true, pred)
    }

    /// Not measured: `key`, then wait for `pred` (a known state).
    fn settle(&mut self, key: &[u8], what: &str, pred: Pred) {
        self.step(Some(key), what, false, pred);
    }

    /// Waits for `pred` without a key; the time since the process was started.
    fn since_start(&mut self, what: &str, pred: Pred) -> Duration {
        self.step(None, what, false, pred)
    }

    /// The time from the start to the first byte the program wrote.
    fn first_output(&self) -> Duration {
        self.shared
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .first_output
            .expect("no output")
            .duration_since(self.started)
    }

    /// Writes `keys` and waits for the program to end.
    fn end(mut self, keys: &[u8]) {
        if let Some(writer) = self.writer.as_mut() {
            let _ = writer.write_all(keys);
            let _ = writer.flush();
        }
        let limit = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "the program ended with {status:?}; screen:\n{}", self.screen_text());
                break;
            }
            if Instant::now() > limit {
                let screen = self.screen_text();
                let _ = self.child.kill();
                panic!("the program did not end after {keys:?}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        self.writer = None;
        self.master = None;
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        if self.reader.is_some() {
            let _ = self.child.kill();
        }
    }
}

fn contents(s: &Shared) -> String {
    s.parser.screen().contents()
}

impl Shared {
    /// Checks the armed predicate on the screen as parsed so far.
    fn check(&mut self, at: Instant, cv: &Condvar) {
        if let Some(pred) = &self.waiting
            && pred(self.parser.screen())
        {
            self.waiting = None;
            self.hit = Some(at);
            cv.notify_all();
        }
    }
}

/// Where a frame ends in the output: ratatui's `Terminal::draw` ends every frame, after the
/// changed cells, by hiding the cursor (`ESC [ ? 2 5 l`) or showing it (`ESC [ ? 2 5 h`,
/// then its position), and then flushes. Matched byte by byte, across reads.
#[derive(Default)]
struct FrameEnds {
    matched: usize,
}

impl FrameEnds {
    const START: &'static [u8] = b"\x1b[?25";

    /// Whether `byte` completes a frame's end.
    fn after(&mut self, byte: u8) -> bool {
        if self.matched == Self::START.len() {
            self.matched = 0;
            if byte == b'l' || byte == b'h' {
                return true;
            }
        }
        if byte == Self::START[self.matched] {
            self.matched += 1;
        } else {
            self.matched = usize::from(byte == Self::START[0]);
        }
        false
    }
}

// ------------------------------------------------------------------- what the screen shows

fn row(screen: &vt100::Screen, r: u16) -> String {
    screen.rows(0, COLS).nth(r as usize).unwrap_or_default()
}

/// The text of the reversed cells of row `r` from column `from`, up to the first
/// non-reversed one after them: the selected card's line, or the list's selected row.
fn reversed_run(screen: &vt100::Screen, r: u16, from: u16, to: u16) -> Option<(u16, String)> {
    let start = (from..to).find(|&c| screen.cell(r, c).is_some_and(|cell| cell.inverse()))?;
    let mut text = String::new();
    for c in start..to {
        match screen.cell(r, c) {
            Some(cell) if cell.inverse() => text.push_str(&cell.contents()),
            _ => break,
        }
    }
    Some((start, text))
}

/// The Kanban's column heads (`New (59)`...): their counts, left to right.
fn head_counts(screen: &vt100::Screen) -> Vec<u64> {
    let line = row(screen, 1);
    line.split('(')
        .skip(1)
        .filter_map(|part| {
            let inside = part.split(')').next()?;
            let digits: String = inside.chars().filter(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

/// The selected card on the Kanban: its column slot and its three lines, once drawn.
fn board_card(screen: &vt100::Screen) -> Option<(u16, String)> {
    if !row(screen, 1).starts_with(" New (") {
        return None;
    }
    for r in 3..ROWS - 2 {
        if let Some((c, title)) = reversed_run(screen, r, 0, COLS) {
            let title = title.trim().to_string();
            if title.is_empty() || title == "…" {
                return None;
            }
            let mut lines = title;
            for next in r + 1..r + 3 {
                if let Some((_, more)) = reversed_run(screen, next, c, c + COLUMN) {
                    lines.push('\n');
                    lines.push_str(more.trim());
                }
            }
            return Some((c / COLUMN, lines));
        }
    }
    None
}

/// The lead list with its rows drawn: the selected row's id.
fn list_selected(screen: &vt100::Screen) -> Option<i64> {
    let head = row(screen, 2);
    if !(head.trim_start().starts_with("ID") && head.contains("Title")) {
        return None;
    }
    (3..ROWS - 2).find_map(|r| {
        let (_, text) = reversed_run(screen, r, 0, COLS)?;
        text.split_whitespace().next()?.parse().ok()
    })
}

fn has(screen: &vt100::Screen, text: &str) -> bool {
    screen.contents().contains(text)
}

fn search_box(screen: &vt100::Screen) -> bool {
    has(screen, "┌ Search")
}

/// The search box shows hits for `typed` (the `#id` lines of the results).
fn search_hits(screen: &vt100::Screen, typed: &str) -> bool {
    search_box(screen)
        && has(screen, &format!("│/ {typed} "))
        && (0..ROWS).any(|r| row(screen, r).contains("│  #"))
        && !has(screen, "Nothing found.")
}

// ------------------------------------------------------------------------------ the runs

struct Setup {
    bin: PathBuf,
    dir: tempfile::TempDir,
    db: PathBuf,
    leads: usize,
    runs: usize,
    starts: usize,
}

impl Setup {
    fn env(&self) -> Vec<(String, String)> {
        let home = self.dir.path().display().to_string();
        vec![
            ("HOME".into(), home.clone()),
            ("TERM".into(), "xterm-256color".into()),
            ("LANG".into(), "C".into()),
            ("TZ".into(), "UTC".into()),
            ("PROSPECT_CONFIG".into(), format!("{home}/none.toml")),
        ]
    }

    fn start(&self) -> Term {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let bin = self.bin.display().to_string();
        let db = self.db.display().to_string();
        Term::spawn(&[&bin, "--db", &db, "--user", "alice"], &env, true)
    }
}

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| panic!("{name}={v:?}: expected a whole number")),
        Err(_) => default,
    }
}

/// `target/bench-data/keystroke-N.db`, made by `prospect demo` (seed 42) when missing or
/// older than the binary.
fn demo_file(bin: &Path, leads: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("keystroke-{leads}.db"));
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if modified(&path).is_none_or(|made| modified(bin).is_some_and(|built| built > made)) {
        let tmp = dir.join(format!("keystroke-{leads}.db.partial"));
        let _ = std::fs::remove_file(&tmp);
        let out = Command::new(bin)
            .args(["--db", &tmp.display().to_string(), "--user", "alice", "demo", "--leads", &leads.to_string()])
            .env("PROSPECT_CONFIG", dir.join("none.toml"))
            .output()
            .unwrap();
        assert!(out.status.success(), "prospect demo failed: {}", String::from_utf8_lossy(&out.stderr));
        eprintln!("{}", String::from_utf8_lossy(&out.stdout).trim());
        std::fs::rename(&tmp, &path).unwrap();
    }
    path
}

struct Table {
    rows: Vec<(String, Vec<Duration>)>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The nearest-rank percentile.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

impl Table {
    fn add(&mut self, name: &str, times: Vec<Duration>) {
        let mut sorted = times.clone();
        sorted.sort();
        eprintln!("  {name}: p50 {:.1} ms, max {:.1} ms", ms(percentile(&sorted, 50)), ms(*sorted.last().unwrap()));
        self.rows.push((name.to_string(), times));
    }

    fn print(&self) {
        println!("{:<44} {:>4} {:>8} {:>8} {:>8} {:>8}", "scenario (ms)", "n", "p50", "p90", "p99", "max");
        for (name, times) in &self.rows {
            let mut sorted = times.clone();
            sorted.sort();
            println!(
                "{:<44} {:>4} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
                name,
                sorted.len(),
                ms(percentile(&sorted, 50)),
                ms(percentile(&sorted, 90)),
                ms(percentile(&sorted, 99)),
                ms(*sorted.last().unwrap())
            );
        }
    }
}

/// The pseudo-terminal alone: a byte written to `cat` in cooked mode, echoed by the kernel,
/// read back by the reader thread. The floor under every other figure.
fn pty_floor(runs: usize, table: &mut Table) {
    let mut term = Term::spawn(&["/bin/cat"], &[], false);
    let mut times = Vec::new();
    for i in 1..=runs {
        times.push(term.measure(b"x", "pty echo", Box::new(move |s| s.contents().matches('x').count() >= i)));
    }
    term.end(b"\n\x04");
    table.add("pty alone: kernel echo of a byte (cat)", times);
}

/// Process start to the first Kanban frame with a card drawn, then `q`.
fn starts(setup: &Setup, table: &mut Table) {
    let (mut first_byte, mut first_data, mut first_list) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..setup.starts {
        let mut term = setup.start();
        first_data.push(term.since_start("first frame with data", Box::new(|s| board_card(s).is_some())));
        first_byte.push(term.first_output());
        first_list.push(term.measure(b"2", "tab 2, first visit (lead list with rows)", Box::new(on_list)));
        term.end(b"q");
    }
    table.add("start -> first byte on the terminal", first_byte);
    table.add("start -> first Kanban frame with a card", first_data);
    table.add("2 (tab, first visit: list loaded) -> rows", first_list);
}

fn on_board(s: &vt100::Screen) -> bool {
    board_card(s).is_some_and(|(slot, _)| slot == 0) && !has(s, "┌ ")
}

fn on_list(s: &vt100::Screen) -> bool {
    list_selected(s).is_some() && !has(s, "┌ ")
}

fn keys(setup: &Setup, table: &mut Table) {
    let runs = setup.runs;
    let mut term = setup.start();
    term.since_start("first frame with data", Box::new(on_board));

    // `?`: the help, which asks nothing of the store.
    let mut help = Vec::new();
    for _ in 0..runs {
        help.push(term.measure(b"?", "help (?)", Box::new(|s| has(s, "┌ Keys"))));
        term.settle(b"\x1b", "help closed", Box::new(on_board));
    }
    table.add("? (help, no store) -> help drawn", help);

    // Stage moves on the Kanban: `L` then `H` on the selected card of the first column.
    let (mut next, mut back) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let (counts, card) = {
            let s = term.shared.0.lock().unwrap_or_else(PoisonError::into_inner);
            let screen = s.parser.screen();
            (head_counts(screen), board_card(screen).expect("no selected card").1)
        };
        assert!(counts.len() >= 2 && counts[0] > 0, "column heads not read: {counts:?}");
        let (c0, c1) = (counts[0], counts[1]);
        let moved = card.clone();
        next.push(term.measure(
            b"L",
            "stage move L (card in the next column)",
            Box::new(move |s| {
                head_counts(s).get(..2) == Some(&[c0 - 1, c1 + 1])
                    && board_card(s).is_some_and(|(slot, lines)| slot == 1 && lines == moved)
            }),
        ));
        let moved = card.clone();
        back.push(term.measure(
            b"H",
            "stage move H (card back in the first column)",
            Box::new(move |s| {
                head_counts(s).get(..2) == Some(&[c0, c1])
                    && board_card(s).is_some_and(|(slot, lines)| slot == 0 && lines == moved)
            }),
        ));
    }
    table.add("L (stage move) -> card drawn in next column", next);
    table.add("H (stage move back) -> card drawn back", back);

    // Tab switches between the Kanban (1) and the lead list (2), both seen once before (the
    // first visit of the list, which loads its rows, is measured in `starts`).
    term.settle(b"2", "tab 2, first visit", Box::new(on_list));
    term.settle(b"1", "tab 1", Box::new(on_board));
    let (mut to_list, mut to_board) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        to_list.push(term.measure(b"2", "tab 2 (lead list with rows)", Box::new(on_list)));
        to_board.push(term.measure(b"1", "tab 1 (Kanban with a card)", Box::new(on_board)));
    }
    table.add("2 (tab: Kanban -> list, seen) -> rows drawn", to_list);
    table.add("1 (tab: list -> Kanban, seen) -> cards drawn", to_board);

    // Opening a card from the list: Enter, the form's title; Esc back; `j` to the next row.
    term.settle(b"2", "tab 2", Box::new(on_list));
    let mut open = Vec::new();
    for _ in 0..runs {
        let id = {
            let s = term.shared.0.lock().unwrap_or_else(PoisonError::into_inner);
            list_selected(s.parser.screen()).expect("no selected row")
        };
        let title = format!(" Lead #{id} · ");
        open.push(term.measure(b"\r", "Enter (form's title)", Box::new(move |s| row(s, 1).starts_with(&title))));
        term.settle(b"\x1b", "back to the list", Box::new(move |s| list_selected(s) == Some(id)));
        term.settle(b"j", "next row", Box::new(move |s| list_selected(s).is_some_and(|other| other != id)));
    }
    table.add("Enter (open a card from the list) -> form", open);

    // A search keystroke: `/`, `t` (no hits for one letter), then `h`: the hits for "th".
    let mut search = Vec::new();
    for _ in 0..runs {
        term.settle(b"/", "search box", Box::new(search_box));
        term.settle(b"t", "search 't'", Box::new(|s| search_box(s) && has(s, "│/ t ")));
        search.push(term.measure(b"h", "search 'th' (hits drawn)", Box::new(|s| search_hits(s, "th"))));
        term.settle(b"\x1b", "search closed", Box::new(on_list));
    }
    table.add("h (search 't' -> 'th') -> hits drawn", search);

    term.end(b"q");
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_prospect"));
    let (leads, runs, starts_n) = if full {
        (env_number("KEYSTROKE_LEADS", 100_000), env_number("KEYSTROKE_RUNS", 50), env_number("KEYSTROKE_STARTS", 20))
    } else {
        (200, 3, 3)
    };
    let source = demo_file(&bin, leads);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.db");
    std::fs::copy(&source, &db).unwrap();
    let setup = Setup { bin, dir, db, leads, runs, starts: starts_n };
    eprintln!(
        "keystroke: {} leads, {}x{}, {} runs per key, {} starts, binary {}",
        setup.leads,
        COLS,
        ROWS,
        setup.runs,
        setup.starts,
        setup.bin.display()
    );
    let mut table = Table { rows: Vec::new() };
    pty_floor(runs, &mut table);
    starts(&setup, &mut table);
    keys(&setup, &mut table);
    println!();
    println!(
        "keystroke to drawn frame through the real loop: {} leads, {}x{} pseudo-terminal, raw times",
        setup.leads, COLS, ROWS
    );
    table.print();
}
