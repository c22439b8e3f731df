//! The terminal interface. One loop: terminal event -> `Action` (keymap) -> `update` ->
//! `Effect`s sent to the store worker -> `StoreEvent`s back through `on_store` -> draw from
//! state. The terminal is restored on every exit path, panics included.

pub mod action;
pub mod app;
pub mod effect;
pub mod event;
pub mod keymap;
pub mod overlays;
pub mod screens;
pub mod update;
pub mod views;
pub mod widgets;
pub mod worker;

use crate::i18n::Lang;
use crate::service::Service;
use crossterm::event::Event;
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use event::LoopEvent;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

/// How often the screen is redrawn when nothing happens, so time-dependent marks stay true.
const CLOCK_TICK: Duration = Duration::from_secs(1);

fn restore() {
    let _ = disable_raw_mode();
    let _ =
        execute!(io::stdout(), crossterm::event::DisableMouseCapture, LeaveAlternateScreen, crossterm::cursor::Show);
}

/// Restores the terminal when dropped, whatever the exit path.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Opens the TUI on an open, signed-in store, until the user quits.
pub fn run(store: Service, lang: Lang) -> anyhow::Result<()> {
    run_on(store, lang, None)
}

/// Runs the interface, starting with `first` (e.g. triage for `prospect triage`).
pub fn run_on(store: Service, lang: Lang, first: Option<action::Action>) -> anyhow::Result<()> {
    let user = store.user().map(|u| u.login.clone()).unwrap_or_default();
    let admin = store.viewer().is_some_and(|v| crate::domain::access::may_administer(&v));
    // A file by its name; a server database by its URL (without a password).
    let on_server = Service::names_server(store.path());
    let file = if on_server {
        Service::shown_target(store.path())
    } else {
        store.path().file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default()
    };
    let now = store.now();
    let region = store.options().region;
    let clock = store.options().clock;
    let risks: Vec<String> = store.file_system().warnings.iter().map(|w| w.message(lang, store.path())).collect();

    widgets::colour::detect_from_env();
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous_hook(info);
    }));
    enable_raw_mode()?;
    let _guard = TerminalGuard;
    // Cleared by a plain command: ratatui 0.30's `Terminal::clear` first asks the terminal
    // where its cursor is, a round trip (and a 2 s wait where nothing answers) before the
    // first frame.
    // The mouse: the wheel scrolls, a click focuses a tab, a row or a card.
    execute!(io::stdout(), EnterAlternateScreen, crossterm::event::EnableMouseCapture, Clear(ClearType::All))?;
    let mut terminal: Terminal<CrosstermBackend<Stdout>> = Terminal::new(CrosstermBackend::new(io::stdout()))?;

    let (to_loop, events) = event::channel_pair();
    let to_store = worker::spawn(store, lang, to_loop.clone());
    event::spawn_input(to_loop);
    let mut app = app::App::new(lang, &user, &file, now);
    app.on_server = on_server;
    app.admin = admin;
    app.region = region;
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    app.risks = risks;
    // The recent files are read once, here: the loop's update and views never read a file.
    app.recent_store = crate::config::recent_files_path();
    app.recent = app.recent_store.as_deref().map(crate::config::load_recent).unwrap_or_default();
    let mut pending = update::start(&mut app);
    if let Some(a) = first {
        pending.extend(update::update(&mut app, a));
    }
    // The phone rules are built once a frame drawn from a store answer is on screen.
    let (mut answered, mut phone_rules_started) = (false, false);
    loop {
        for e in pending.drain(..) {
            if to_store.send(e).is_err() {
                anyhow::bail!("the store worker stopped");
            }
        }
        terminal.draw(|f| views::draw(&app, f))?;
        if app.bell {
            // A reminder: the terminal's own bell (BEL), once.
            use std::io::Write;
            app.bell = false;
            let mut out = std::io::stdout();
            let _ = out.write_all(b"\x07").and_then(|_| out.flush());
        }
        if let Some(note) = app.desktop_note.take() {
            desktop_notification(&note);
        }
        if app.quit {
            break;
        }
        if answered && !phone_rules_started {
            // Forms check phones on this thread: their rules are built meanwhile, elsewhere,
            // but only once data is on screen (building them competes with the first query).
            crate::domain::dedup::prepare_phone_rules_in_background();
            phone_rules_started = true;
        }
        // Sleep until something happens: a key, a store answer, or the clock's next tick
        // (overdue marks and today's column move with time). Then take everything already
        // waiting before drawing once.
        let first = match events.recv_timeout(CLOCK_TICK) {
            Ok(ev) => Some(ev),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => anyhow::bail!("the store worker stopped"),
        };
        app.now_ms = clock.now_ms();
        for ev in first.into_iter().chain(std::iter::from_fn(|| events.try_recv().ok())) {
            match ev {
                LoopEvent::Terminal(Event::Key(key)) => {
                    let blind = views::too_small(app.size.0, app.size.1);
                    if let Some(action) = keymap::action_for(&app, key)
                        && (!blind || action == action::Action::Quit)
                    {
                        pending.extend(update::update(&mut app, action));
                    }
                }
                LoopEvent::Terminal(Event::Mouse(mouse)) => {
                    if let Some(action) = keymap::mouse_action(&app, mouse) {
                        pending.extend(update::update(&mut app, action));
                    }
                }
                LoopEvent::Terminal(Event::Resize(w, h)) => app.size = (w, h),
                LoopEvent::Terminal(_) => {}
                LoopEvent::Store(ev) => {
                    answered = true;
                    pending.extend(update::on_store(&mut app, ev));
                }
                LoopEvent::TerminalLost(e) => anyhow::bail!("reading the terminal failed: {e}"),
            }
            if app.quit {
                break;
            }
        }
    }
    Ok(())
}

/// A reminder passed on to the desktop's notifications (`notify-send`), where the terminal
/// runs in a graphical session that has them; nothing otherwise. Never waited for.
fn desktop_notification(text: &str) {
    let graphical = std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if !graphical || std::env::var_os("PROSPECT_NO_DESKTOP_NOTIFY").is_some() {
        return;
    }
    let spawned = std::process::Command::new("notify-send")
        .args(["--app-name=Prospect", "Prospect", text])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Ok(mut child) = spawned {
        // Reaped on its own thread: the screen does not wait for the desktop.
        std::thread::spawn(move || child.wait());
    }
}
