//! The terminal interface: `update` without a terminal, drawing (insta snapshots under
//! `tests/tui/snapshots/`) and the real binary in tmux. One test binary, linked once.
#[path = "../common/mod.rs"]
mod common;

mod e2e;
mod render;
mod update;
