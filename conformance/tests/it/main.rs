//! The conformance crate's integration tests, one binary (each area a module): a test binary links
//! the whole stack, so one binary is less to build and link than one per file.

mod cli;
mod contract;
mod diagnostics;
mod portable;
mod prism;
mod probe;
mod published;
mod reports;
mod targets;
