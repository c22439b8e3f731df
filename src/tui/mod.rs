//! The terminal interface. One loop: terminal event -> `Action` (keymap) -> `update` ->
//! `Effect`s sent to the store worker -> `StoreEvent`s back through `on_store` -> draw from
//! state. The terminal is restored on every exit path, panics included.

pub mod action;
pub mod app;
pub mod effect;
pub mod keymap;
pub mod overlays;
pub mod screens;
pub mod update;
pub mod views;
pub mod widgets;
pub mod worker;

use crate::i18n::Lang;
use crate::service::Service;
use crossterm::event::{self, Event};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout};
use std::time::Duration;

fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, crossterm::cursor::Show);
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
    let file = store.path().file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let now = store.now();
    let region = store.options().region;
    let clock = store.options().clock;
    let risks: Vec<String> = store.file_system().warnings.iter().map(|w| w.message(lang, store.path())).collect();

    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous_hook(info);
    }));
    enable_raw_mode()?;
    let _guard = TerminalGuard;
    execute!(io::stdout(), EnterAlternateScreen)?;
    let mut terminal: Terminal<CrosstermBackend<Stdout>> = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    terminal.clear()?;

    let (to_store, from_store) = worker::spawn(store, lang);
    // Forms check phones on this thread: their rules are built meanwhile, elsewhere.
    crate::domain::dedup::prepare_phone_rules_in_background();
    let mut app = app::App::new(lang, &user, &file, now);
    app.region = region;
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    app.risks = risks;
    let mut pending = update::start(&mut app);
    if let Some(a) = first {
        pending.extend(update::update(&mut app, a));
    }
    loop {
        for e in pending.drain(..) {
            if to_store.send(e).is_err() {
                anyhow::bail!("the store worker stopped");
            }
        }
        terminal.draw(|f| views::draw(&app, f))?;
        if app.quit {
            break;
        }
        app.now_ms = clock.now_ms();
        if event::poll(Duration::from_millis(50))? {
            match event::read()? {
                Event::Key(key) => {
                    let blind = views::too_small(app.size.0, app.size.1);
                    if let Some(action) = keymap::action_for(&app, key)
                        && (!blind || action == action::Action::Quit)
                    {
                        pending.extend(update::update(&mut app, action));
                    }
                }
                Event::Resize(w, h) => app.size = (w, h),
                _ => {}
            }
        }
        while let Ok(ev) = from_store.try_recv() {
            pending.extend(update::on_store(&mut app, ev));
        }
    }
    Ok(())
}
