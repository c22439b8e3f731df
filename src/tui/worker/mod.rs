//! The store worker: a thread that owns the open file, runs `Effect`s and answers with
//! `StoreEvent`s, so the interface never blocks on a busy or slow file. It also looks at the
//! engine's `data_version` to notice other users' changes: about once a second on a file,
//! five times a second on a server (`poll_interval`: its notices cost no query).

use super::event::LoopEvent;
use crate::domain::fields::Entity;
use crate::i18n::{Lang, tr_in};
use crate::service::Service;
use crate::store::{ListFilter, RecordInput, RecordRef, StoreError};
use crate::tui::effect::{Anchor, EditConflict, Effect, StoreEvent};
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

mod admin;
mod files;
mod imports;
mod loads;
mod writes;
pub(crate) use loads::is_read;
use loads::load;
use writes::run_inner;

/// Starts the worker on `store`; returns where to send effects. Its answers go to `to_loop`,
/// the interface's one event channel.
pub fn spawn(mut store: Service, lang: Lang, to_loop: Sender<LoopEvent>) -> Sender<Effect> {
    let (effects_tx, effects_rx) = channel::<Effect>();
    let events_tx = Answers(to_loop);
    let busy_tx = events_tx.clone();
    store.on_busy(move |waiting| {
        let _ = busy_tx.send(StoreEvent::Waiting(waiting));
    });
    std::thread::Builder::new()
        .name("prospect-store".into())
        .spawn(move || {
            let mut last_version = store.data_version().unwrap_or(0);
            let mut last_change = store.last_change().unwrap_or(0);
            let mut last_poll = Instant::now();
            let poll_every = store.poll_interval();
            // Reminders are looked for at start, then every `REMIND_EVERY`.
            let mut last_remind: Option<Instant> = None;
            let mut trace = effect_trace();
            let born = Instant::now();
            let mut queue: std::collections::VecDeque<Effect> = std::collections::VecDeque::new();
            loop {
                if queue.is_empty() {
                    match effects_rx.recv_timeout(poll_every.min(Duration::from_millis(250))) {
                        Ok(effect) => queue.push_back(effect),
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                queue.extend(effects_rx.try_iter());
                supersede(&mut queue);
                if let Some(effect) = queue.pop_front() {
                    let limit = store.options().busy_limit;
                    let tx = events_tx.clone();
                    let started = Instant::now();
                    let name = trace.is_some().then(|| effect_name(&effect));
                    let events = run_waiting(&mut store, lang, effect, limit, |ev| {
                        let _ = tx.send(ev);
                    });
                    if let (Some(out), Some(name)) = (trace.as_mut(), name) {
                        use std::io::Write;
                        let at = started.duration_since(born).as_secs_f64() * 1000.0;
                        let took = started.elapsed().as_secs_f64() * 1000.0;
                        let _ = writeln!(out, "at {at:>9.3} ms took {took:>9.3} ms  {name}");
                    }
                    for ev in events {
                        if events_tx.send(ev).is_err() {
                            return;
                        }
                    }
                }
                if last_remind.is_none_or(|t| t.elapsed() >= REMIND_EVERY) {
                    last_remind = Some(Instant::now());
                    if let Ok(due) = store.take_due_reminders()
                        && !due.is_empty()
                        && events_tx.send(StoreEvent::Reminders(due)).is_err()
                    {
                        return;
                    }
                }
                if last_poll.elapsed() >= poll_every {
                    last_poll = Instant::now();
                    if let Ok(v) = store.data_version()
                        && v != last_version
                    {
                        last_version = v;
                        // Our own writes are in the log too; reloading for them is harmless.
                        let changed = match store.changes_since(last_change, 500) {
                            Ok((last, Some(list))) if !list.is_empty() => {
                                last_change = last;
                                Some(list)
                            }
                            Ok((last, _)) => {
                                last_change = last;
                                None
                            }
                            Err(_) => None,
                        };
                        if events_tx.send(StoreEvent::Changed(changed)).is_err() {
                            return;
                        }
                    }
                }
            }
        })
        .expect("the store thread starts");
    effects_tx
}

/// How often a screen looks for reminders due: a reminder is a few minutes ahead, so 15 s
/// late at most is on time.
const REMIND_EVERY: Duration = Duration::from_secs(15);

/// Drops a read that the same read later in the queue will answer anyway: keys typed faster
/// than the file answers (tab after tab) must not leave a backlog that the next key waits
/// behind. Writes are never dropped nor reordered; a read kept is its last occurrence, so it
/// sees every write queued before it.
fn supersede(queue: &mut std::collections::VecDeque<Effect>) {
    if queue.len() < 2 {
        return;
    }
    let mut later = std::collections::HashSet::new();
    let mut keep = vec![true; queue.len()];
    for (i, effect) in queue.iter().enumerate().rev() {
        if loads::is_read(effect) && !later.insert(format!("{effect:?}")) {
            keep[i] = false;
        }
    }
    let mut keep = keep.into_iter();
    queue.retain(|_| keep.next().unwrap_or(true));
}

/// Where each effect's time is written when `PROSPECT_TRACE_EFFECTS` names a file: a
/// developer's view of the store's share of a keystroke (docs/PERFORMANCE.md).
fn effect_trace() -> Option<std::fs::File> {
    let path = std::env::var_os("PROSPECT_TRACE_EFFECTS")?;
    std::fs::OpenOptions::new().create(true).append(true).open(path).ok()
}

/// An effect's variant name, for the trace.
fn effect_name(effect: &Effect) -> String {
    let text = format!("{effect:?}");
    text.split([' ', '(', '{']).next().unwrap_or_default().to_string()
}

/// The loop's channel, as the worker sends to it: store answers only.
#[derive(Clone)]
struct Answers(Sender<LoopEvent>);

impl Answers {
    fn send(&self, ev: StoreEvent) -> Result<(), std::sync::mpsc::SendError<LoopEvent>> {
        self.0.send(LoopEvent::Store(ev))
    }
}

fn failed(e: StoreError, lang: Lang) -> StoreEvent {
    let (field, message) = match &e {
        // Named as the form labels it (`Last name`), not by its key (`last_name`).
        StoreError::Field(f) => {
            let sep = if lang == Lang::Fr { " : " } else { ": " };
            let label = crate::present::field_label(lang, &f.field);
            (Some(f.field.clone()), format!("{label}{sep}{}", crate::i18n::describe(&f.problem, &f.field, lang)))
        }
        other => (None, other.message(lang)),
    };
    StoreEvent::Failed { message, field, conflict: matches!(e, StoreError::Conflict { .. }) }
}

fn entity_word(lang: Lang, e: Entity) -> String {
    tr_in(lang, &format!("entity.{}", e.code()), &[])
}

/// Runs one effect, waiting while another user holds the file: reads meet a busy file too,
/// and must wait like writes do (SPEC S4) rather than fail. `notify` hears
/// `Waiting(true)`/`Waiting(false)` around the wait, so the status bar can say so.
pub fn run_waiting(
    store: &mut Service,
    lang: Lang,
    effect: Effect,
    limit: Duration,
    mut notify: impl FnMut(StoreEvent),
) -> Vec<StoreEvent> {
    crate::store::wait::retry_while_busy(
        store,
        limit,
        |store| run_inner(store, lang, effect.clone()),
        |_, waiting| notify(StoreEvent::Waiting(waiting)),
    )
    .unwrap_or_else(|e| vec![failed(e, lang)])
}

/// Runs one effect against the store. Public so tests can drive the TUI synchronously.
pub fn run(store: &mut Service, lang: Lang, effect: Effect) -> Vec<StoreEvent> {
    match run_inner(store, lang, effect) {
        Ok(events) => events,
        Err(e) => vec![failed(e, lang)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hundred tab switches queued a hundred reloads, and the next `Enter` waited 150 ms
    /// behind them: a read the same read later in the queue answers is dropped; writes stay,
    /// in order, and each read kept comes after the writes queued before its last occurrence.
    #[test]
    fn a_read_repeated_later_in_the_queue_is_dropped_and_writes_stay() {
        let board = Effect::LoadBoard { entity: Entity::Lead, pipeline: None };
        let record = |id| Effect::LoadRecord { entity: Entity::Lead, id };
        let write = Effect::Move { entity: Entity::Lead, id: 7, seen: None, stage_code: "NEW".into(), reason: None };
        let mut queue: std::collections::VecDeque<Effect> = [
            board.clone(),
            Effect::LoadCounters,
            record(1),
            Effect::LoadCounters,
            board.clone(),
            write.clone(),
            record(2),
            Effect::LoadCounters,
        ]
        .into();
        supersede(&mut queue);
        let names: Vec<String> = queue.iter().map(|e| format!("{e:?}")).collect();
        let want: Vec<String> =
            [record(1), board, write, record(2), Effect::LoadCounters].iter().map(|e| format!("{e:?}")).collect();
        assert_eq!(names, want);
    }
}
