//! Formats at the edge going out: the records file (dump) and the termly return.

pub mod dump;
pub mod files;
