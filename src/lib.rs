//! Prospect: a keyboard-driven CRM on one SQLite file.
//!
//! Layers, each using only those below it: `domain` (types and rules, no I/O), `store`
//! (SQLite) and `io` (file formats, over domain types, never the store), `present` (how
//! values read), and the front ends `cli` and `tui` (docs/ARCHITECTURE.md).

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod files;
pub mod i18n;
pub mod io;
#[cfg(test)]
mod layers;
pub mod memory;
pub mod present;
pub mod service;
pub mod store;
pub mod tui;
