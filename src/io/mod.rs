//! File formats in and out of Prospect, over domain types only: never the store, so that the
//! caller (cli, tui) reads or writes with the store and a format stays a format.

pub mod cards;
pub mod csv;
pub mod documents;
pub mod email;
pub mod export;
pub mod ics;
pub mod ics_in;
pub mod import;
pub mod open;
pub mod products;
pub mod vcard_in;
