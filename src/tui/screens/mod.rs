//! The screens that fill the body, one module each: its state (held by `App`), its `update`
//! (the actions the router gives it), its `on_store` (the store answers it takes), its `draw`
//! and its `bindings` (keys as data: the keymap, the footer and `?` help read them).
//!
//! A new screen is a module here with those five, a `Screen` variant (and its state in
//! `App`), a `keymap::Context`, and a line in each of `update::update`, `update::on_store`,
//! `views::draw` and `keymap::context`.

pub mod agenda;
pub mod board;
pub mod calendar;
pub mod documents;
pub mod form;
pub mod list;
pub mod reports;
pub mod team;
pub mod triage;
pub mod welcome;
