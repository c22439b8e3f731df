//! The loop's one event source: terminal input, the store's answers and the clock arrive on
//! one channel, so whichever comes first is handled and drawn at once (no polling interval
//! stands between a store answer and the screen).

use super::effect::StoreEvent;
use std::sync::mpsc::{Receiver, Sender, channel};

/// What wakes the interface.
#[derive(Debug)]
pub enum LoopEvent {
    /// A key, a resize, a mouse event.
    Terminal(crossterm::event::Event),
    /// An answer from the store worker.
    Store(StoreEvent),
    /// Reading the terminal failed (it went away): the loop ends with this message.
    TerminalLost(String),
}

/// The channel every event source sends to; the loop owns the receiver.
pub fn channel_pair() -> (Sender<LoopEvent>, Receiver<LoopEvent>) {
    channel()
}

/// Starts the thread that reads the terminal and forwards each event to the loop. It ends
/// when the loop's receiver is gone (after the next event) or the terminal fails.
pub fn spawn_input(to_loop: Sender<LoopEvent>) {
    let started = std::thread::Builder::new().name("prospect-input".into()).spawn(move || {
        loop {
            let sent = match crossterm::event::read() {
                Ok(ev) => to_loop.send(LoopEvent::Terminal(ev)),
                Err(e) => {
                    let _ = to_loop.send(LoopEvent::TerminalLost(e.to_string()));
                    return;
                }
            };
            if sent.is_err() {
                return;
            }
        }
    });
    if let Err(e) = started {
        // Without the input thread the loop would wait forever: say so instead.
        eprintln!("{e}");
    }
}
