//! The mock-server crate's integration tests, one binary (each area a module): a test binary links
//! the whole stack, so one instead of five is most of what a fresh `cargo test` build saves.

mod cli;
mod common;
mod contract;
mod durable;
mod layout;
mod openapi;
mod operations;
mod particeep_auth;
mod pti_crypto;
mod watch;
