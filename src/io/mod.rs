//! File formats in and out of Prospect.

pub mod ics;
