//! End to end: the real binary in tmux, driven by keys, checked through the CLI afterwards.
//! Needs tmux (`.ci/run` installs it).

use crate::common::Env;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(env: &Env, size: (u16, u16)) -> Tmux {
        Tmux::start_at(env, size, None)
    }

    /// `start`, the app's clock fixed at `now` (RFC 3339) when given: a test whose screens
    /// depend on the day and hour (the activities board's columns) reads the same whenever it
    /// runs.
    fn start_at(env: &Env, size: (u16, u16), now: Option<&str>) -> Tmux {
        assert!(
            Command::new("tmux").arg("-V").output().map(|o| o.status.success()).unwrap_or(false),
            "tmux is needed for the end-to-end tests (apt-get install tmux)"
        );
        let socket =
            format!("prospect-e2e-{}-{}", std::process::id(), env.dir.path().file_name().unwrap().to_string_lossy());
        let bin = assert_cmd::cargo::cargo_bin("prospect");
        let cmd = format!(
            "env -i HOME={home} TERM=xterm-256color LANG=C TZ=UTC PROSPECT_CONFIG={home}/none.toml {clock}{bin} --db {db} --user alice",
            clock = now.map(|t| format!("PROSPECT_NOW={t} ")).unwrap_or_default(),
            home = env.dir.path().display(),
            bin = bin.display(),
            db = env.db.display()
        );
        let ok = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "new-session",
                "-d",
                "-s",
                "e2e",
                "-x",
                &size.0.to_string(),
                "-y",
                &size.1.to_string(),
                &cmd,
            ])
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux did not start");
        Tmux { socket }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux").args(["-L", &self.socket, "capture-pane", "-p", "-t", "e2e"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen contains `text`; returns how long it took.
    fn wait_for(&self, text: &str, limit: Duration) -> Duration {
        let start = Instant::now();
        loop {
            if self.screen().contains(text) {
                return start.elapsed();
            }
            if start.elapsed() > limit {
                panic!("'{text}' did not appear within {limit:?}; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            Command::new("tmux").args(["-L", &self.socket, "send-keys", "-t", "e2e", k]).status().unwrap();
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    fn type_text(&self, text: &str) {
        Command::new("tmux").args(["-L", &self.socket, "send-keys", "-t", "e2e", "-l", text]).status().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Presses `q` and waits until the interface has ended (or `LIMIT`).
    fn quit(&self) {
        self.keys(&["q"]);
        let start = Instant::now();
        while self.running() && start.elapsed() < LIMIT {
            let screen = self.screen();
            if screen.contains("[exited") || screen.trim().is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn running(&self) -> bool {
        Command::new("tmux")
            .args(["-L", &self.socket, "has-session", "-t", "e2e"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

const LIMIT: Duration = Duration::from_secs(10);

#[test]
fn move_twice_open_comment_quit_and_the_cli_sees_it() {
    move_twice_open_comment_quit_and_the_cli_sees_it_on(Env::new());
}

/// The same on a PostgreSQL database (left out, said once, without a test server).
#[test]
fn move_twice_open_comment_quit_and_the_cli_sees_it_on_postgres() {
    if let Some(env) = Env::postgres() {
        move_twice_open_comment_quit_and_the_cli_sees_it_on(env);
    }
}

fn move_twice_open_comment_quit_and_the_cli_sees_it_on(env: Env) {
    env.ok(&["demo", "--leads", "300"]);
    let first = env.json(&["lead", "list", "--stage", "NEW", "--limit", "1"]);
    let id = first[0]["id"].as_i64().unwrap();
    let title: String = first[0]["title"].as_str().unwrap().chars().take(15).collect();
    let t = Tmux::start(&env, (120, 35));
    t.wait_for("In progress (", LIMIT);
    t.wait_for(&title, LIMIT); // the focused card itself is drawn, not a placeholder
    t.keys(&["L"]);
    t.wait_for(&format!("Lead #{id} moved from New to In progress"), LIMIT);
    t.keys(&["L"]);
    t.wait_for(&format!("Lead #{id} moved from In progress to Processed"), LIMIT);
    t.keys(&["Enter"]);
    t.wait_for(&format!("Lead #{id} ·"), LIMIT);
    t.keys(&["c"]);
    t.wait_for("Enter to confirm", LIMIT);
    t.type_text("Called from the end-to-end test");
    t.keys(&["Enter"]);
    t.wait_for(&format!("Comment added to Lead #{id}"), LIMIT);
    t.wait_for("comment: Called from the end-to-end test", LIMIT);
    t.quit();
    let lead = env.json(&["lead", "show", &id.to_string()]);
    assert_eq!(lead["stage"]["code"], "PROCESSED");
    assert_eq!(lead["timeline"][0]["kind"], "comment");
    assert_eq!(lead["timeline"][0]["payload"]["text"], "Called from the end-to-end test");
    assert_eq!(lead["timeline"][1]["kind"], "stage_moved");
    assert_eq!(lead["timeline"][2]["kind"], "stage_moved");
}

#[test]
fn another_process_change_appears_without_a_keypress() {
    another_process_change_appears_without_a_keypress_on(Env::new());
}

/// The same on a PostgreSQL database (left out, said once, without a test server).
#[test]
fn another_process_change_appears_without_a_keypress_on_postgres() {
    if let Some(env) = Env::postgres() {
        another_process_change_appears_without_a_keypress_on(env);
    }
}

fn another_process_change_appears_without_a_keypress_on(env: Env) {
    env.ok(&["demo", "--leads", "100"]);
    let stages = env.json(&["stage", "list"]);
    let junk = stages["stages"][4]["count"].as_i64().unwrap();
    let t = Tmux::start(&env, (120, 35));
    t.wait_for(&format!("Junk ({junk})"), LIMIT);
    let newest: String = env.json(&["lead", "list", "--stage", "NEW", "--limit", "1"])[0]["title"]
        .as_str()
        .unwrap()
        .chars()
        .take(15)
        .collect();
    t.wait_for(&newest, LIMIT);
    let lead = env.json(&["lead", "list", "--stage", "NEW", "--limit", "1"]);
    let id = lead[0]["id"].as_i64().unwrap().to_string();
    env.ok(&["lead", "move", &id, "Junk", "--reason", "From another shell"]);
    let took = t.wait_for(&format!("Junk ({})", junk + 1), LIMIT);
    eprintln!("another process's move appeared on screen after {took:?}");
    // Quick create from the TUI reaches the CLI just as well.
    t.keys(&["n"]);
    t.wait_for("New card in New", LIMIT);
    t.type_text("Typed in tmux");
    t.keys(&["Enter"]);
    t.wait_for("created", LIMIT);
    let found = env.json(&["lead", "list", "--search", "Typed in tmux"]);
    assert_eq!(found[0]["title"], "Typed in tmux");
    assert_eq!(found[0]["stage"]["code"], "NEW");
}

#[test]
fn plan_a_call_for_tomorrow_and_find_it_on_the_board_and_in_the_calendar() {
    use prospect::domain::agenda::{ActivityBucket, bounds, bucket_of};
    let env = Env::new();
    env.json(&["lead", "add", "--title", "E2E planning"]);
    let t = Tmux::start(&env, (120, 35));
    t.wait_for("E2E planning", LIMIT);
    t.keys(&["a"]);
    t.wait_for("Plan an activity", LIMIT);
    t.keys(&["Down", "Right", "Right"]); // When: tomorrow 09:00
    t.wait_for("tomorrow 09:00", LIMIT);
    t.keys(&["Enter"]);
    t.wait_for("planned: Call E2E planning", LIMIT);
    // The column the date dictates: tomorrow is "This week", or "Next week" on a Sunday. The
    // interface runs in UTC (TZ above): so does this reckoning, whatever zone the tests
    // share with the other modules of this binary.
    let now = chrono::Utc::now();
    let tomorrow = prospect::domain::agenda::at_local(&chrono::Utc, now.date_naive() + chrono::Duration::days(1), 9, 0);
    let bucket = bucket_of(Some(&tomorrow), &bounds(&now));
    let header = match bucket {
        ActivityBucket::ThisWeek => "This week (1)",
        ActivityBucket::NextWeek => "Next week (1)",
        other => panic!("tomorrow 09:00 cannot be {other:?}"),
    };
    t.keys(&["7"]);
    t.wait_for(header, LIMIT);
    t.wait_for("E2E planning", LIMIT);
    // The calendar shows it on tomorrow's agenda.
    t.keys(&["8"]);
    t.wait_for("No activity this day.", LIMIT);
    t.keys(&["l"]);
    t.wait_for("09:00 call · Call E2E planning", LIMIT);
    let listed = env.json(&["activity", "list"]);
    assert_eq!(listed[0]["subject"], "Call E2E planning");
}

#[test]
fn convert_a_demo_lead_through_the_wizard_then_open_its_company() {
    convert_a_demo_lead_through_the_wizard_then_open_its_company_on(Env::new());
}

/// The same on a PostgreSQL database (left out, said once, without a test server).
#[test]
fn convert_a_demo_lead_through_the_wizard_then_open_its_company_on_postgres() {
    if let Some(env) = Env::postgres() {
        convert_a_demo_lead_through_the_wizard_then_open_its_company_on(env);
    }
}

fn convert_a_demo_lead_through_the_wizard_then_open_its_company_on(env: Env) {
    env.ok(&["demo", "--leads", "300"]);
    let column = env.json(&["lead", "list", "--stage", "NEW", "--limit", "20"]);
    let rows = column.as_array().unwrap();
    let index = rows.iter().position(|r| r["is_repeat"] == false).expect("a first-time lead near the top");
    let id = rows[index]["id"].as_i64().unwrap();
    let t = Tmux::start(&env, (120, 35));
    t.wait_for("In progress (", LIMIT);
    // Keys count only once the cards are drawn, not just the column heads.
    let first: String = rows[0]["title"].as_str().unwrap().chars().take(15).collect();
    t.wait_for(&first, LIMIT);
    for _ in 0..index {
        t.keys(&["j"]);
    }
    t.keys(&["Enter"]);
    t.wait_for(&format!("Lead #{id} ·"), LIMIT);
    t.keys(&["C"]);
    t.wait_for("Step 1 of 4", LIMIT);
    t.keys(&["Up", "Enter"]); // Deal + Contact + Company
    t.wait_for("Step 2 of 4", LIMIT);
    t.keys(&["Enter"]); // create new contact and company
    t.wait_for("Step 3 of 4", LIMIT);
    t.keys(&["Enter"]);
    t.wait_for("Step 4 of 4", LIMIT);
    t.wait_for("move the lead to Converted", LIMIT);
    t.keys(&["Enter"]);
    t.wait_for(&format!("Lead #{id} converted"), LIMIT);
    let lead = env.json(&["lead", "show", &id.to_string()]);
    assert_eq!(lead["stage"]["code"], "CONVERTED");
    let link = |e: &str| lead["links"].as_array().unwrap().iter().find(|l| l["entity"] == e).cloned().unwrap();
    let (contact, company, deal) = (link("contact"), link("company"), link("deal"));
    // The lead's form now lists what it became; open the company from there.
    t.wait_for("Linked records", LIMIT);
    t.keys(&["G", "k", "Enter"]);
    t.wait_for(&format!("Company #{} ·", company["id"]), LIMIT);
    let name: String = contact["name"].as_str().unwrap().chars().take(20).collect();
    t.wait_for(&format!("#{} {name}", contact["id"]), LIMIT);
    t.wait_for(&format!("#{} ", deal["id"]), LIMIT);
    let screen = t.screen();
    assert!(screen.contains("Contact ") && screen.contains("Deal "), "{screen}");
    t.keys(&["q"]);
}

#[test]
fn a_colleague_saving_the_record_being_edited_brings_up_both_versions() {
    let env = Env::new();
    env.ok(&["demo", "--leads", "50"]);
    env.ok(&["user", "add", "bob", "--role", "Head", "--role", "Observer"]);
    env.ok(&["role", "set", "Head", "--entity", "lead", "--action", "update", "--level", "all"]);
    let lead = env.json(&["lead", "list", "--stage", "NEW", "--limit", "1"]);
    let id = lead[0]["id"].as_i64().unwrap();
    let title = lead[0]["title"].as_str().unwrap().to_string();
    let t = Tmux::start(&env, (120, 35));
    t.wait_for(&title.chars().take(15).collect::<String>(), LIMIT);
    t.keys(&["Enter"]);
    t.wait_for(&format!("Lead #{id} ·"), LIMIT);
    // Alice starts editing the title...
    t.keys(&["e"]);
    t.wait_for("Enter to confirm", LIMIT);
    t.type_text(" (alice)");
    // ...while Bob, in another process, renames it and adds a comment field.
    let out = env
        .cmd_as("bob")
        .args(["lead", "edit", &id.to_string(), "--title", "Renamed by Bob", "--comments", "Bob was here"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The form behind the prompt refreshes by itself.
    let took = t.wait_for("Renamed by Bob", LIMIT);
    eprintln!("the colleague's save appeared behind the prompt after {took:?}");
    t.keys(&["Enter"]);
    t.wait_for("changed by someone else", LIMIT);
    t.wait_for("bob saved this record", LIMIT);
    let screen = t.screen();
    assert!(screen.contains(&format!("{title} (alice)")), "yours shown:\n{screen}");
    assert!(screen.contains("Bob was here"), "their other change shown:\n{screen}");
    // Keep Alice's title (the default for the field she edited) and Bob's comments.
    t.keys(&["Enter"]);
    t.wait_for(&format!("Lead #{id} updated"), LIMIT);
    let now = env.json(&["lead", "show", &id.to_string()]);
    assert_eq!(now["title"], format!("{title} (alice)"));
    assert_eq!(now["comments"], "Bob was here");
    t.keys(&["Escape", "q"]);
}

#[test]
fn import_a_csv_through_the_wizard_then_triage_the_new_leads() {
    let env = Env::new();
    env.ok(&["user", "add", "bob"]);
    let file = env.dir.path().join("salon.csv");
    std::fs::write(
        &file,
        "Prénom;Nom;Téléphone;Société;Couleur\nJean;Valjean;06 15 25 35 45;Forges SA;rouge\nCosette;Fauchelevent;06 16 26 36 46;Couvent;bleu\n",
    )
    .unwrap();
    let t = Tmux::start(&env, (120, 35));
    t.wait_for("Welcome", LIMIT);
    t.keys(&["2"]);
    t.keys(&["I"]);
    t.wait_for("Import which CSV file?", LIMIT);
    t.type_text(file.to_str().unwrap());
    t.keys(&["Enter"]);
    t.wait_for("UTF-8 (e) · separator ; (s) · 2 rows", LIMIT);
    t.wait_for("Couleur", LIMIT);
    t.keys(&["Enter"]);
    t.wait_for("2 created", LIMIT);
    t.keys(&["Enter"]);
    t.wait_for("Valjean", LIMIT);
    // Triage: the oldest first; y qualifies it, the next one shows, u brings it back.
    t.keys(&["1", "T"]);
    t.wait_for("Triage: 2 to decide", LIMIT);
    t.wait_for("Jean Valjean", LIMIT);
    t.keys(&["y"]);
    t.wait_for("Cosette Fauchelevent", LIMIT);
    t.wait_for("1 decided this session", LIMIT);
    t.keys(&["u"]);
    t.wait_for("Jean Valjean", LIMIT);
    // a: assign to bob; the lead leaves alice's triage.
    t.keys(&["a"]);
    t.wait_for("Assign “", LIMIT);
    t.keys(&["j", "Enter"]);
    t.wait_for("Triage: 1 to decide", LIMIT);
    let jean = env.json(&["lead", "list", "--search", "Valjean"]);
    assert_eq!(jean[0]["responsible"]["code"], "bob", "{jean}");
    assert_eq!(jean[0]["stage"]["code"], "NEW", "the undone move is undone in the file too");
    t.keys(&["Escape", "q"]);
}

/// Issue 21 (found in the walkthrough): in a terminal too small to show a screen, keys moved
/// cards nobody could see. Only quitting is obeyed there.
#[test]
fn a_terminal_too_small_to_show_a_screen_obeys_only_quit() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "Blind move"]);
    let t = Tmux::start(&env, (18, 5));
    t.wait_for("Terminal", LIMIT);
    t.keys(&["L"]);
    t.keys(&["L"]);
    t.keys(&["x"]);
    std::thread::sleep(Duration::from_millis(600));
    t.quit();
    let lead = env.json(&["lead", "show", "1"]);
    assert_eq!(lead["stage"]["code"], "NEW", "no key but quit acts on a screen nobody sees");
    assert_eq!(lead["version"], 1);
}

/// Issue 23: a new lead typed in the form, then `q`: the question comes instead of quitting;
/// Esc keeps editing, `s` saves, and the CLI sees the lead.
#[test]
fn an_unsaved_form_asks_before_quitting() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "E2E existing"]);
    let t = Tmux::start(&env, (120, 35));
    t.wait_for("E2E existing", LIMIT);
    t.keys(&["N"]);
    t.wait_for("New · Lead", LIMIT);
    t.keys(&["e"]);
    t.wait_for("Enter to confirm", LIMIT);
    t.type_text("E2E unsaved lead");
    t.keys(&["Enter"]);
    t.wait_for("E2E unsaved lead", LIMIT);
    t.keys(&["q"]);
    t.wait_for("This new record is not saved", LIMIT);
    assert!(t.running(), "q did not quit");
    t.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!t.screen().contains("This new record is not saved"), "Esc closes the question:\n{}", t.screen());
    assert!(t.screen().contains("E2E unsaved lead"), "the draft is still there:\n{}", t.screen());
    t.keys(&["q"]);
    t.wait_for("keep editing", LIMIT);
    // Saved, then quit as asked.
    t.keys(&["s"]);
    let start = Instant::now();
    while t.running() && !t.screen().trim().is_empty() && start.elapsed() < LIMIT {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!t.running() || t.screen().trim().is_empty(), "saved and quit:\n{}", t.screen());
    let found = env.json(&["lead", "list", "--search", "E2E unsaved lead"]);
    assert_eq!(found[0]["title"], "E2E unsaved lead");
}

/// Issue 23: a lead imported with a CRLF comment opens in the TUI without debris: its
/// comments row shows the first line and a mark, the editor shows every line, and the board
/// drawn after it holds nothing of it.
#[test]
fn a_multi_line_comment_reads_without_debris() {
    let env = Env::new();
    let csv = env.dir.path().join("fair.csv");
    std::fs::write(
        &csv,
        "Title;Comments\r\nE2E fair lead;\"Met at the fair.\r\nWants 3 ovens.\r\nCall back in January.\"\r\n",
    )
    .unwrap();
    env.ok(&["import", csv.to_str().unwrap()]);
    let t = Tmux::start(&env, (120, 35));
    t.wait_for("E2E fair lead", LIMIT);
    t.keys(&["Enter"]);
    t.wait_for("Lead #1 ·", LIMIT);
    t.wait_for("Met at the fair. ⏎…", LIMIT);
    let screen = t.screen();
    assert!(!screen.contains("Wants 3 ovens"), "one line in the form's row:\n{screen}");
    // Every line of the screen keeps the form's two panes: no text ran over the border.
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains("Comments")).collect();
    assert_eq!(rows.len(), 1, "{screen}");
    assert!(rows[0].contains('│'), "the comment stays left of the timeline border:\n{screen}");
    // The comments are two rows above the last ("Available to everyone", then the lead's
    // products): the editor shows every line.
    t.keys(&["G", "k", "k", "Enter"]);
    t.wait_for("Ctrl-s or Alt-Enter: done", LIMIT);
    let screen = t.screen();
    assert!(screen.contains("Wants 3 ovens.") && screen.contains("Call back in January."), "{screen}");
    t.keys(&["Escape"]);
    t.keys(&["Escape"]);
    t.wait_for("New (1)", LIMIT);
    let board = t.screen();
    assert!(!board.contains("Wants 3 ovens") && !board.contains("January"), "debris left on the board:\n{board}");
    t.quit();
}

/// Issue 23: on the activities board, after `H` the cursor stayed in the source column on
/// the next card, so `H H H` planned calls on three different leads. The cursor follows the
/// card: three presses, three calls on the same lead. The board shows the user's own leads
/// by default, and says so.
#[test]
fn the_activities_board_cursor_follows_the_card_it_plans() {
    // A Wednesday morning: each drop lands in the column it is dropped on (on a Sunday "this
    // week" is today's evening, and late at night "today" is nearly over).
    const NOW: &str = "2026-11-25T10:00:00Z";
    let env = Env::new();
    let demo = env.cmd().env("PROSPECT_NOW", NOW).args(["demo", "--leads", "300"]).output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let t = Tmux::start_at(&env, (120, 35), Some(NOW));
    t.wait_for("In progress (", LIMIT);
    t.keys(&["7"]);
    t.wait_for("Activities · my leads", LIMIT);
    t.wait_for("Later (", LIMIT);
    t.keys(&["l", "l", "l", "l"]); // Later
    t.keys(&["H"]);
    t.wait_for("planned: Call ", LIMIT);
    let screen = t.screen();
    let line = screen.lines().find(|l| l.contains("planned: Call ")).unwrap().to_string();
    let (head, rest) = line.split_once(" planned: Call ").unwrap();
    let first: i64 = head.rsplit('#').next().unwrap().trim().parse().unwrap_or_else(|_| panic!("{line}"));
    // The status line may be cut at the screen's edge: what is shown of the title is enough.
    let title = rest.split(", ").next().unwrap().trim_end_matches(',').to_string();
    for n in 1..3 {
        t.keys(&["H"]);
        // The same lead's title, in the next activity's message: the card moved, not the one
        // after it in the column it left.
        t.wait_for(&format!("Activity #{} planned: Call {title}", first + n), LIMIT);
    }
    t.quit();
    let listed = env.json(&["activity", "list", "--limit", "100000"]);
    let subjects: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| (first..first + 3).contains(&a["id"].as_i64().unwrap()))
        .map(|a| a["subject"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    assert!(subjects.iter().all(|s| *s == subjects[0] && s.starts_with(&format!("Call {title}"))), "{subjects:?}");
}

/// Issue 24: the import's path prompt completes with Tab in a real terminal (`~` is the home
/// folder, a folder gets its `/`, a second Tab lists), and the file imported is offered in
/// the next session's recent files, picked with ↓.
#[test]
fn tab_completes_the_import_path_and_the_next_run_offers_it_again() {
    let env = Env::new();
    let dir = env.dir.path().join("imports");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("salon-2026.csv"), "Prénom;Nom;Téléphone\nJean;Valjean;06 15 25 35 45\n").unwrap();
    std::fs::write(dir.join("salon-2025.csv"), "Prénom;Nom\nAnn;Lee\n").unwrap();
    let t = Tmux::start(&env, (120, 35));
    t.wait_for("Welcome", LIMIT);
    t.keys(&["2", "I"]);
    t.wait_for("Tab completes", LIMIT);
    t.type_text("~/imp");
    t.keys(&["Tab"]);
    t.wait_for("> ~/imports/", LIMIT);
    t.type_text("sa");
    t.keys(&["Tab"]);
    t.wait_for("> ~/imports/salon-202", LIMIT);
    t.keys(&["Tab"]);
    t.wait_for("salon-2025.csv", LIMIT);
    t.wait_for("salon-2026.csv", LIMIT);
    t.type_text("6");
    t.keys(&["Tab"]);
    t.wait_for("> ~/imports/salon-2026.csv", LIMIT);
    t.keys(&["Enter"]);
    t.wait_for("UTF-8 (e) · separator ; (s) · 1 row", LIMIT);
    t.keys(&["Enter"]);
    t.wait_for("1 created", LIMIT);
    t.keys(&["Enter"]);
    t.wait_for("Valjean", LIMIT);
    t.quit();
    drop(t);
    let t = Tmux::start(&env, (120, 35));
    t.wait_for("Valjean", LIMIT);
    t.keys(&["2", "I"]);
    t.wait_for("Recent files", LIMIT);
    let path = dir.join("salon-2026.csv");
    t.wait_for(&path.display().to_string(), LIMIT);
    t.keys(&["Down"]);
    t.wait_for(&format!("> {}", path.display()), LIMIT);
    t.keys(&["Enter"]);
    t.wait_for("UTF-8 (e) · separator ; (s) · 1 row", LIMIT);
    t.keys(&["Escape"]);
    t.quit();
}

/// Issue 24: a French office's file (windows-1252, `;`) imported through the wizard's values
/// step on a file created in English: 'Foire de Lyon' mapped to the trade show source (its
/// suggestion), LinkedIn left empty with its text kept; the result lists the rows created
/// with values left out, Enter opens one, and the CLI sees the records.
#[test]
fn import_a_french_office_file_through_the_values_step() {
    let env = Env::new();
    let file = env.dir.path().join("bureau_fr.csv");
    std::fs::copy(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/import/bureau_fr.csv"), &file)
        .unwrap();
    let t = Tmux::start(&env, (120, 35));
    t.wait_for("Welcome", LIMIT);
    t.keys(&["2", "I"]);
    t.wait_for("Import which CSV file?", LIMIT);
    t.type_text(file.to_str().unwrap());
    t.keys(&["Enter"]);
    t.wait_for("windows-1252 (e) · separator ; (s) · 8 rows", LIMIT);
    t.keys(&["Enter"]);
    t.wait_for("2 values name nothing in this file", LIMIT);
    t.wait_for("Foire de Lyon", LIMIT);
    t.wait_for("LinkedIn", LIMIT);
    t.keys(&["Space"]);
    t.wait_for("Trade show (suggested)", LIMIT);
    t.keys(&["Enter"]);
    t.wait_for("8 created", LIMIT);
    t.wait_for("values left out", LIMIT);
    // Enter on the first row opens its record.
    let screen = t.screen();
    let first = screen.lines().find(|l| l.contains("line ") && l.contains("values left out")).unwrap_or("").to_string();
    assert!(first.contains("created #"), "{first}\n{screen}");
    t.keys(&["Enter"]);
    t.wait_for("Timeline", LIMIT);
    t.keys(&["Escape"]);
    t.wait_for("Paul Blanc", LIMIT);
    t.quit();
    drop(t);
    let leads = env.json(&["lead", "list"]);
    assert_eq!(leads.as_array().map(|l| l.len()), Some(8), "{leads}");
    let blanc = env.json(&["lead", "list", "--search", "Imprimerie"]);
    assert_eq!(blanc[0]["source"]["code"], "TRADE_SHOW", "{blanc}");
    let dupuis = env.json(&["lead", "list", "--search", "Dupuis"]);
    assert!(dupuis[0]["source"].is_null() || dupuis[0]["source"]["code"].is_null(), "LinkedIn left empty: {dupuis}");
}
