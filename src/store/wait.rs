//! The one busy wait: while another process holds the file, try again after a pause that
//! starts at 10 ms and doubles up to 500 ms, until the busy limit has passed since the first
//! try. Opening a file, every write (and vacuum) and the interface's effects all wait
//! through `retry_while_busy`, so they wait alike and say so alike.

use super::{Result, StoreError};
use std::time::{Duration, Instant};

/// The first pause after a busy answer.
pub const FIRST_PAUSE: Duration = Duration::from_millis(10);
/// The longest pause: a waiting client still tries twice a second.
pub const LONGEST_PAUSE: Duration = Duration::from_millis(500);

/// The pauses between tries: 10 ms, 20 ms, 40 ms… then 500 ms each.
#[derive(Clone, Debug)]
pub struct Backoff {
    next: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { next: FIRST_PAUSE }
    }
}

impl Backoff {
    /// The pause to wait now; the next one is twice as long, up to `LONGEST_PAUSE`.
    pub fn next_pause(&mut self) -> Duration {
        let pause = self.next;
        self.next = (self.next * 2).min(LONGEST_PAUSE);
        pause
    }
}

/// Runs `attempt` on `state` again while it answers `StoreError::Busy` (or `Unreachable`: a
/// database server restarting, a dropped connection made again at the next try) and less
/// than `limit` has passed since the first try, pausing by `Backoff`. `waiting(state, true)` is called
/// once when the first busy answer comes, and `waiting(state, false)` once after the last
/// try of a wait, whatever its result (a busy answer past the limit included). `state` is
/// handed to both so that each may change it (a store's busy hook, its connection).
pub fn retry_while_busy<S: ?Sized, T>(
    state: &mut S,
    limit: Duration,
    mut attempt: impl FnMut(&mut S) -> Result<T>,
    mut waiting: impl FnMut(&mut S, bool),
) -> Result<T> {
    let started = Instant::now();
    let mut backoff = Backoff::default();
    let mut waited = false;
    loop {
        match attempt(state) {
            Err(StoreError::Busy(_) | StoreError::Unreachable(..)) if started.elapsed() < limit => {
                if !waited {
                    waited = true;
                    waiting(state, true);
                }
                std::thread::sleep(backoff.next_pause());
            }
            other => {
                if waited {
                    waiting(state, false);
                }
                return other;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn pauses_double_from_10_ms_up_to_500_ms() {
        let mut b = Backoff::default();
        let ms: Vec<u128> = (0..9).map(|_| b.next_pause().as_millis()).collect();
        assert_eq!(ms, [10, 20, 40, 80, 160, 320, 500, 500, 500]);
    }

    #[test]
    fn a_busy_file_is_tried_again_and_the_wait_is_told_once_each_way() {
        // (tries left busy, what `waiting` heard)
        let mut state = (2, Vec::new());
        let got = retry_while_busy(
            &mut state,
            Duration::from_secs(60),
            |s| {
                if s.0 > 0 {
                    s.0 -= 1;
                    Err(StoreError::Busy(PathBuf::from("f.db")))
                } else {
                    Ok("written")
                }
            },
            |s, w| s.1.push(w),
        );
        assert_eq!(got.ok(), Some("written"));
        assert_eq!(state, (0, vec![true, false]));
    }

    #[test]
    fn past_the_limit_the_busy_answer_is_returned_and_nothing_waits_when_not_busy() {
        let mut heard = Vec::new();
        let got: Result<()> = retry_while_busy(
            &mut heard,
            Duration::ZERO,
            |_| Err(StoreError::Busy(PathBuf::from("f.db"))),
            |h, w| h.push(w),
        );
        assert!(matches!(got, Err(StoreError::Busy(_))));
        assert!(heard.is_empty());
        let mut heard = Vec::new();
        let got = retry_while_busy(&mut heard, Duration::from_secs(60), |_| Ok(1), |h, w| h.push(w));
        assert_eq!(got.ok(), Some(1));
        assert!(heard.is_empty());
    }
}
