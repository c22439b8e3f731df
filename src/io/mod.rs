//! File formats in and out of Prospect.

pub mod csv;
pub mod email;
pub mod export;
pub mod ics;
pub mod import;
